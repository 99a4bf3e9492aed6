"""`QueryState`: the SPARQL panel without Qt: the query text, example and saved queries, the
long work that opens the project's query index and runs a query, and the last outcome.

The work calls exactly what ``skein query`` calls (`kg.query.store.open_index`, then
`kg.query.sparql.run_query`: refused forms, time limit, cancel); a refused, invalid or timed
out query is an outcome with a plain message, not a failure.

Saved queries live in the project file's ``meta`` table (key ``queries/saved``, JSON), not in
the app settings: a query names this project's types and entities, so it travels with the
file when the project is copied or sent, and every user of the file sees the same list.
What is read back is checked (a list of name/text strings, capped), since a project may come
from someone else; the queries themselves are checked again when they run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.state.events import Event
from desktop.state.navigate import Navigator, record_of
from desktop.state.query_examples import EXAMPLES, NamedQuery

if TYPE_CHECKING:
    from desktop.state.project_state import ProjectState
    from kg.query.sparql import QueryResult
    from kg.query.values import Value
    from nlp.progress import CancelToken, Work

SAVED_KEY = "queries/saved"
MAX_SAVED, MAX_NAME, MAX_TEXT = 200, 120, 100_000
ROW_LIMIT = 10_000
"""Rows shown at most (the outcome says when more were left out)."""


@dataclass(frozen=True, slots=True)
class QueryOutcome:
    text: str
    result: QueryResult | None
    error: str = ""
    """Why there is no result (refused, invalid, timed out), one line of plain text."""

    @property
    def summary(self) -> str:
        r = self.result
        if r is None:
            return self.error
        if r.kind == "ask":
            return f"ASK: {'true' if r.boolean else 'false'} ({r.elapsed:.2f} s)"
        unit = "triple" if r.kind in ("construct", "describe") else "row"
        count = len(r.rows)
        more = f" — only the first {count} are shown" if r.truncated else ""
        return f"{count} {unit}{'s' * (count != 1)} in {r.elapsed:.2f} s{more}"


class QueryState:
    def __init__(self, project_state: ProjectState) -> None:
        self.project_state = project_state
        self.text = EXAMPLES[0].text
        self.timeout = 30.0
        self.row_limit = ROW_LIMIT
        self.outcome: QueryOutcome | None = None
        self.saved_changed: Event[[]] = Event()
        self.navigator = Navigator(project_state)
        self._base: str | None = None

    # -- running ------------------------------------------------------------------------------
    def run_work(self, text: str, cancel: CancelToken) -> Work[QueryOutcome]:
        """Long work: open (or build) the query index, then run `text` on it."""
        from kg.query.safety import QueryError
        from kg.query.sparql import run_query
        from kg.query.store import open_index, project_base
        from nlp.progress import Progress

        project = self.project_state.project
        yield Progress(0, 0, "opening the query index", "query")
        store = yield from open_index(project, cancel=cancel)
        self._base = project_base(project)
        yield Progress(0, 0, "running the query", "query")
        try:
            result = run_query(store, text, timeout=self.timeout, cancel=cancel,
                               limit=self.row_limit)
        except QueryError as e:  # refused, invalid or too slow: the user's to fix
            return QueryOutcome(text, None, " ".join(str(e).split()) or type(e).__name__)
        return QueryOutcome(text, result)

    def set_outcome(self, outcome: QueryOutcome) -> None:
        self.outcome = outcome

    # -- showing values -----------------------------------------------------------------------
    def prefixes(self) -> dict[str, str]:
        """Prefix -> namespace for shortening IRIs: the predeclared ones and ``proj:`` for
        this project's records."""
        from kg.query.values import PREFIXES

        found = dict(PREFIXES)
        if self._base:
            found["proj"] = self._base
        return found

    def cell(self, value: Value, prefixes: dict[str, str] | None = None) -> str:
        """A result value as one line of plain text, IRIs shortened with the prefixes."""
        from kg.query.output import cell

        text = cell(value)
        if isinstance(value, str) and not any(ch.isspace() for ch in text):
            text = shorten(text, prefixes if prefixes is not None else self.prefixes())
        return " ".join(text.split()) if any(ch in text for ch in "\n\r\t") else text

    # -- from a result to the text ------------------------------------------------------------
    def record_in(self, row: int, column: int) -> tuple[str, str] | None:
        """The project record (``(kind, id)``, see `navigate.KINDS`) that result row `row`
        points at: the cell in `column` when it is one, else the row's first entity, else
        its first other record."""
        result = self.outcome.result if self.outcome is not None else None
        if result is None or not 0 <= row < len(result.rows):
            return None
        cells = result.rows[row]
        found = [record_of(v, self._base) if isinstance(v, str) else None for v in cells]
        if 0 <= column < len(found) and found[column] is not None:
            return found[column]
        records = [f for f in found if f is not None]
        return next((f for f in records if f[0] == "entity"), records[0] if records else None)

    def show_row(self, row: int, column: int = -1) -> bool:
        """Show in the text what result row `row` points at (an entity: its mentions in
        turn); False when the row names none of this project's records."""
        record = self.record_in(row, column)
        return record is not None and self.navigator.show(*record)

    # -- saved queries ------------------------------------------------------------------------
    def saved(self) -> list[NamedQuery]:
        raw = self.project_state.project.meta(SAVED_KEY)
        try:
            items = json.loads(raw) if raw else []
        except ValueError:
            return []
        if not isinstance(items, list):
            return []
        out = []
        for item in items[:MAX_SAVED]:
            if isinstance(item, dict) and isinstance(item.get("name"), str) \
                    and isinstance(item.get("text"), str):
                out.append(NamedQuery(item["name"][:MAX_NAME], item["text"][:MAX_TEXT]))
        return out

    def save(self, name: str, text: str) -> NamedQuery:
        """Save `text` as `name` in the project (replacing a query of that name)."""
        name = " ".join(name.split())[:MAX_NAME]
        if not name:
            raise ValueError("a saved query needs a name")
        if len(text) > MAX_TEXT:
            raise ValueError(f"a saved query holds at most {MAX_TEXT} characters")
        query = NamedQuery(name, text)
        kept = [q for q in self.saved() if q.name != name]
        self._store([query, *kept][:MAX_SAVED])
        return query

    def delete(self, name: str) -> bool:
        kept = [q for q in self.saved() if q.name != name]
        if len(kept) == len(self.saved()):
            return False
        self._store(kept)
        return True

    def _store(self, queries: list[NamedQuery]) -> None:
        payload = json.dumps([{"name": q.name, "text": q.text} for q in queries],
                             ensure_ascii=False)
        self.project_state.project.set_meta(SAVED_KEY, payload)  # one transaction
        self.saved_changed.emit()


def shorten(iri: str, prefixes: dict[str, str]) -> str:
    """``prefix:rest`` for the longest namespace `iri` starts with; `iri` itself otherwise."""
    best = ""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(namespace) > len(prefixes.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(prefixes[best]):]}" if best else iri


__all__ = ["EXAMPLES", "NamedQuery", "QueryOutcome", "QueryState", "shorten"]

"""A person's verdict on a predicted link, remembered in the project (``link_decisions``).

Accepting or rejecting is one user action: one transaction that writes the decision (a later
verdict on the same triple replaces the earlier one) and appends it to the corrections log.
Rejected triples are never predicted again; accepted ones are facts: `accepted_links` is
what the graph and RDF export can add, and the next training includes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.embed.schema import ontology_relations
from kg.store.file import now

if TYPE_CHECKING:
    from kg.store.project import Project

ACCEPTED, REJECTED = "accepted", "rejected"
_ACTIONS = {ACCEPTED: "link-accept", REJECTED: "link-reject"}
"""The corrections-log action of each decision."""


@dataclass(frozen=True, slots=True)
class LinkDecision:
    head: str
    """Entity id."""
    relation: str
    tail: str
    decision: str
    """``accepted`` or ``rejected``."""
    score: float | None
    model: str | None
    """The embedding (``<name>:<model>``) that proposed it, when known."""
    user: str
    at: str

    @property
    def triple(self) -> tuple[str, str, str]:
        return self.head, self.relation, self.tail


def decide(
    project: Project,
    head: str,
    relation: str,
    tail: str,
    decision: str,
    *,
    user: str,
    score: float | None = None,
    model: str | None = None,
) -> LinkDecision:
    """Record `decision` (``accepted`` or ``rejected``) on the triple, with the log entry."""
    if decision not in (ACCEPTED, REJECTED):
        raise ValueError(f"link decision: {decision!r} is not accepted or rejected")
    if not user:
        raise ValueError("link decision: who decided is required")
    types = dict(project.query("SELECT id, label FROM entities WHERE id IN (?, ?)",
                               (head, tail)))
    if head not in types or tail not in types:
        raise ValueError(f"link decision: unknown entity in ({head}, {relation}, {tail})")
    allowed = {(r.head, r.tail) for r in ontology_relations() if r.label == relation}
    if not allowed:
        raise ValueError(f"link decision: {relation!r} is not a relation of the ontology")
    if (types[head], types[tail]) not in allowed:
        raise ValueError(f"link decision: {relation} does not link a {types[head]} to a "
                         f"{types[tail]}")
    at = now()
    with project.transaction() as con:
        con.execute(
            "INSERT OR REPLACE INTO link_decisions"
            " (head, relation, tail, decision, score, model, user, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (head, relation, tail, decision, score, model, user, at),
        )
        project.log_correction(user, _ACTIONS[decision], {
            "head": head, "relation": relation, "tail": tail, "score": score, "model": model,
        })
    return LinkDecision(head, relation, tail, decision, score, model, user, at)


def accept_link(project: Project, head: str, relation: str, tail: str, *, user: str,
                score: float | None = None, model: str | None = None) -> LinkDecision:
    return decide(project, head, relation, tail, ACCEPTED, user=user, score=score, model=model)


def reject_link(project: Project, head: str, relation: str, tail: str, *, user: str,
                score: float | None = None, model: str | None = None) -> LinkDecision:
    return decide(project, head, relation, tail, REJECTED, user=user, score=score, model=model)


def link_decisions(project: Project, decision: str | None = None) -> tuple[LinkDecision, ...]:
    """Every decision (or only those of one kind), oldest first."""
    rows = project.query(
        "SELECT head, relation, tail, decision, score, model, user, at FROM link_decisions"
        " WHERE ? IS NULL OR decision = ? ORDER BY at, head, relation, tail",
        (decision, decision),
    )
    return tuple(LinkDecision(*r) for r in rows)


def accepted_links(project: Project) -> tuple[LinkDecision, ...]:
    """The predicted links a person accepted: facts for the graph and its exports."""
    return link_decisions(project, ACCEPTED)

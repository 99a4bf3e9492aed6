"""Relations between two mentions of one document: add, accept, reject, delete.

Relation types come from the extraction schema (CoNLL04's five, each with the entity types
its head and tail must have); a relation outside it is refused with the reason. A person who
adds or accepts a relation also confirms its two mentions.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.annotate import rows as r
from kg.annotate.edit import AnnotationError, Edit, Op, commit, insert, update
from kg.store.project import Project
from nlp.extract.rules_relations import RELATION_TYPES


@dataclass(frozen=True, slots=True)
class RelationSchema:
    """Allowed (relation, head type, tail type) triples."""

    triples: tuple[tuple[str, str, str], ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t[0] for t in self.triples))

    def allows(self, label: str, head_type: str, tail_type: str) -> bool:
        return (label, head_type, tail_type) in self.triples

    def allowed(self, head_type: str, tail_type: str) -> tuple[str, ...]:
        """Relation types that may link a `head_type` mention to a `tail_type` one."""
        return tuple(rel for rel, h, t in self.triples if (h, t) == (head_type, tail_type))

    def check(self, label: str, head_type: str, tail_type: str) -> None:
        """Raise `AnnotationError` saying why `label` cannot link these types."""
        if self.allows(label, head_type, tail_type):
            return
        if label not in self.labels:
            raise AnnotationError(f"unknown relation type {label!r} "
                                  f"(known: {', '.join(self.labels)})")
        wants = " or ".join(f"{with_article(h)} to {with_article(t)}"
                            for rel, h, t in self.triples if rel == label)
        hint = ""
        if self.allows(label, tail_type, head_type):
            hint = " (swap head and tail?)"
        elif self.allowed(head_type, tail_type):
            hint = (f" ({with_article(head_type)} → {tail_type} relation can be: "
                    f"{', '.join(self.allowed(head_type, tail_type))})")
        raise AnnotationError(f"{label} links {wants}, not {with_article(head_type)} to "
                              f"{with_article(tail_type)}{hint}")


def with_article(entity_type: str) -> str:
    """``a PER``, ``an ORG``: the article as the type's name is read."""
    article = "an" if entity_type[:1] in ("A", "E", "I", "O") else "a"
    return f"{article} {entity_type}"


DEFAULT_SCHEMA = RelationSchema(tuple((rel, h, t) for rel, (h, t) in RELATION_TYPES.items()))
"""CoNLL04's relation types on the default entity types (``Work_For``: PER → ORG, ...)."""


def _arrow(head: r.Row, label: str, tail: r.Row) -> str:
    return f"{r.quoted(head['text'])} —{label}→ {r.quoted(tail['text'])}"


def _details(rel: r.Row, head: r.Row, tail: r.Row, decision: str) -> dict[str, r.Value]:
    return {"document": rel["document"], "relation": rel["id"], "label": rel["label"],
            "head": head["id"], "tail": tail["id"], "head_text": head["text"],
            "tail_text": tail["text"], "head_span": f"{head['start']}-{head['end']}",
            "tail_span": f"{tail['start']}-{tail['end']}", "model": rel["model"],
            "confidence": rel["confidence"], "decision": decision}


def add_relation(project: Project, head: int, tail: int, label: str, user: str,
                 schema: RelationSchema = DEFAULT_SCHEMA) -> Edit:
    """Relate mention `head` to mention `tail` (any two mentions of one document; the
    relation is recorded in the head's sentence). Both mentions are confirmed too."""
    with project.transaction() as con:
        h, t = r.mention(con, head), r.mention(con, tail)
        if head == tail:
            raise AnnotationError("a relation needs two different mentions")
        if h["document"] != t["document"]:
            raise AnnotationError("both mentions of a relation must be in the same document")
        schema.check(label, str(h["label"]), str(t["label"]))
        at = r.timestamp()
        ops: list[Op] = r.accept_mention_ops(h, user, at) + r.accept_mention_ops(t, user, at)
        same = r.rows(con, "relations", "head = ? AND tail = ? AND label = ?", (head, tail, label))
        if same and same[0]["status"] != r.REJECTED:
            raise AnnotationError(f"{_arrow(h, label, t)} is there already")
        if same:  # rejected earlier, wanted now: the same row comes back
            rel = same[0]
            ops.append(update("relations", rel, **r.confirmed(user, at)))
        else:
            rel = {"id": r.next_id(con, "relations"), "document": h["document"],
                   "sentence": h["sentence"], "head": head, "tail": tail, "label": label,
                   "confidence": 1.0, "model": None, **r.confirmed(user, at)}
            ops.append(insert("relations", rel))
        details = _details(rel, h, t, "add")
        edit = Edit("add_relation", str(h["document"]), tuple(ops),
                    f"add {_arrow(h, label, t)}", tuple(details.items()),
                    ("relations", int(rel["id"] or 0)))
        return commit(project, edit, user)


def accept_relation(project: Project, relation_id: int, user: str) -> Edit:
    """Confirm a model's suggested relation (and its two mentions)."""
    with project.transaction() as con:
        rel = r.relation(con, relation_id)
        if rel["status"] != r.SUGGESTED:
            raise AnnotationError(f"relation {relation_id} is {rel['status']} already")
        h, t = r.mention(con, int(rel["head"] or 0)), r.mention(con, int(rel["tail"] or 0))
        at = r.timestamp()
        ops = r.accept_mention_ops(h, user, at) + r.accept_mention_ops(t, user, at)
        ops.append(update("relations", rel, **r.confirmed(user, at)))
        edit = Edit("accept_relation", str(rel["document"]), tuple(ops),
                    f"accept {_arrow(h, str(rel['label']), t)}",
                    tuple(_details(rel, h, t, "accept").items()), ("relations", relation_id))
        return commit(project, edit, user)


def reject_relation(project: Project, relation_id: int, user: str,
                    action: str = "reject_relation") -> Edit:
    """Take a relation away: a model's suggestion stays as ``rejected`` (a negative for
    training, and re-extraction will not bring it back); one a person added is removed."""
    with project.transaction() as con:
        rel = r.relation(con, relation_id)
        if rel["status"] == r.REJECTED:
            raise AnnotationError(f"relation {relation_id} is rejected already")
        h, t = r.mention(con, int(rel["head"] or 0)), r.mention(con, int(rel["tail"] or 0))
        verb = "reject" if rel["model"] is not None else "delete"
        edit = Edit(action, str(rel["document"]),
                    (r.drop_relation(rel, user, r.timestamp()),),
                    f"{verb} {_arrow(h, str(rel['label']), t)}",
                    tuple(_details(rel, h, t, verb).items()), ("relations", relation_id))
        return commit(project, edit, user)


def delete_relation(project: Project, relation_id: int, user: str) -> Edit:
    """The same as `reject_relation`, logged as a delete."""
    return reject_relation(project, relation_id, user, action="delete_relation")

"""Marking a sentence as reviewed: an annotator has checked every span in it.

Marking confirms what is left of the model's suggestions in the sentence (mentions, and
relations whose mentions stand), since the annotator saw them and let them be; the mark and
those confirmations are one edit, so an undo takes all of it back.
"""

from __future__ import annotations

from kg.annotate import rows as r
from kg.annotate.edit import AnnotationError, Edit, Op, commit, delete, insert, update
from kg.store.project import Project


def _sentence(project: Project, sentence: int) -> tuple[str, str]:
    found = project.query(
        "SELECT s.document, substr(d.text, s.start + 1, s.end - s.start) FROM sentences s"
        " JOIN documents d ON d.id = s.document WHERE s.id = ?", (sentence,))
    if not found:
        raise AnnotationError(f"sentence {sentence} does not exist (any more)")
    return str(found[0][0]), str(found[0][1])


def mark_sentence_reviewed(project: Project, sentence: int, user: str, *,
                           accept_rest: bool = True) -> Edit:
    """Record that `user` reviewed `sentence`; with `accept_rest`, confirm its remaining
    suggestions too."""
    with project.transaction() as con:
        document, text = _sentence(project, sentence)
        if con.execute("SELECT 1 FROM sentence_reviews WHERE sentence = ?",
                       (sentence,)).fetchone():
            raise AnnotationError("this sentence is marked as reviewed already")
        at = r.timestamp()
        ops: list[Op] = [insert("sentence_reviews", {"sentence": sentence, "user": user,
                                                     "at": at})]
        accepted: list[r.Value] = []
        if accept_rest:
            mentions = r.rows(con, "mentions", "sentence = ? AND status = 'suggested'",
                              (sentence,))
            rejected = {row["id"] for row in r.rows(
                con, "mentions", "document = ? AND status = 'rejected'", (document,))}
            relations = [rel for rel in r.rows(
                con, "relations", "sentence = ? AND status = 'suggested'", (sentence,))
                if rel["head"] not in rejected and rel["tail"] not in rejected]
            for m in mentions:
                ops.append(update("mentions", m, **r.confirmed(user, at)))
                accepted.append(m["id"])
            for rel in relations:
                ops.append(update("relations", rel, **r.confirmed(user, at)))
            head_tails = {x for rel in relations for x in (rel["head"], rel["tail"])}
            for mid in sorted(head_tails - set(accepted), key=lambda v: int(v or 0)):
                ops += r.accept_mention_ops(r.mention(con, int(mid or 0)), user, at)
        details = {"document": document, "sentence": sentence, "decision": "reviewed",
                   "accepted_mentions": tuple(accepted)}
        edit = Edit("review_sentence", document, tuple(ops),
                    f"mark {r.quoted(text)} reviewed", tuple(details.items()),
                    ("sentence_reviews", sentence))
        return commit(project, edit, user)


def unmark_sentence_reviewed(project: Project, sentence: int, user: str) -> Edit:
    """Take the review mark off `sentence` (its confirmed spans stay confirmed)."""
    with project.transaction() as con:
        document, text = _sentence(project, sentence)
        found = r.rows(con, "sentence_reviews", "sentence = ?", (sentence,))
        if not found:
            raise AnnotationError("this sentence is not marked as reviewed")
        details = {"document": document, "sentence": sentence, "decision": "unreviewed"}
        edit = Edit("unreview_sentence", document, (delete("sentence_reviews", found[0]),),
                    f"unmark {r.quoted(text)}", tuple(details.items()),
                    ("sentence_reviews", sentence))
        return commit(project, edit, user)


def reviewed_sentences(project: Project, document: str) -> frozenset[int]:
    rows = project.query(
        "SELECT r.sentence FROM sentence_reviews r JOIN sentences s ON s.id = r.sentence"
        " WHERE s.document = ?", (document,))
    return frozenset(int(x[0]) for x in rows)

"""Re-extraction with a new model version replaces only the old model's open suggestions:
accepted, added and rejected mentions and relations stay exactly as they were."""

from __future__ import annotations

from pathlib import Path

from learn_loop_data import copy_project

from kg.annotate import accept_mention, add_mention, reject_mention
from kg.learn import active_version, import_model, reextract
from kg.store import Project
from nlp.progress import CancelToken, run


def _decided(project: Project) -> list[tuple[object, ...]]:
    return project.query("SELECT id, start, end, label, status, model, entity, confirmed_by"
                         " FROM mentions WHERE status != 'suggested' ORDER BY id")


def test_reextract_keeps_every_decision(rules_project: Path, tiny_model: Path,
                                        tmp_path: Path) -> None:
    with Project.open(copy_project(rules_project, tmp_path), backups=False) as project:
        def one(text: str, label: str) -> tuple[int, str, int]:
            row = project.query("SELECT id, document, start FROM mentions WHERE text = ?"
                                " AND label = ? ORDER BY id LIMIT 1", (text, label))[0]
            return int(row[0]), str(row[1]), int(row[2])

        accept_mention(project, one("Boston", "LOC")[0], "ann")
        # the rules called Hooli a MISC; the person says it is no entity at all, and the
        # tiny model (which calls it an ORG) must not bring the MISC back
        reject_mention(project, one("Hooli", "MISC")[0], "ann")
        john, doc, _ = one("John Smith", "PER")
        reject_mention(project, john, "ann")  # the tiny model suggests this very span
        _, gdoc, gstart = one("Quantix", "MISC")
        added = add_mention(project, gdoc, gstart, gstart + 7, "PER", "ann")  # a silly one
        before = _decided(project)
        assert len(before) == 4

        import_model(project, tiny_model, "ann")
        report = run(reextract(project))
        assert report.documents == 3 and report.untouched == 4
        assert report.added > 0 and report.removed > 0 and report.kept > 0
        assert _decided(project) == before  # ids, spans, statuses, models, entities
        model = active_version(project).model_id  # type: ignore[union-attr]
        open_models = {r[0] for r in project.query(
            "SELECT DISTINCT model FROM mentions WHERE status = 'suggested'")}
        assert open_models == {model}
        # never resurrected, never doubled, nothing overlapping a confirmed span
        start, end = project.query("SELECT start, end FROM mentions WHERE id = ?", (john,))[0]
        assert project.query("SELECT count(*) FROM mentions WHERE document = ? AND start = ?"
                             " AND end = ? AND label = 'PER'", (doc, start, end))[0][0] == 1
        assert project.query("SELECT count(*) FROM mentions WHERE document = ? AND start < ?"
                             " AND end > ? AND status = 'suggested'",
                             (gdoc, gstart + 7, gstart))[0][0] == 0
        assert added.target[0] == "mentions"
        # a second run with the same model changes nothing
        again = run(reextract(project))
        assert (again.added, again.removed, again.relations_added) == (0, 0, 0)
        assert again.kept == report.added + report.kept
        assert project.query("SELECT status FROM jobs WHERE kind = 'reextract'") == [
            ("done",), ("done",)]


def test_reextract_cancels_between_documents(model_project: Path, tmp_path: Path) -> None:
    with Project.open(copy_project(model_project, tmp_path), backups=False) as project:
        cancel = CancelToken()
        cancel.cancel()
        report = run(reextract(project, cancel=cancel))
        assert report.cancelled and report.documents == 0

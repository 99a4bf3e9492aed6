"""Review priorities on a real project built by the pipeline (rule-based baseline)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import annotate as an
from kg.assist.priority import Reason, SentencePriority, priorities, scores
from kg.embed.similar import DuplicateCandidate
from kg.pipeline import build
from kg.store import Project
from nlp.progress import run

TEXT = (
    "Angela Merkel met Emmanuel Macron in Paris on Monday. Mary Jones, who works for Acme "
    "Corp., lives in Boston.\n\nJohn Smith of IBM visited Seattle. The Boston-based Acme "
    "Corp. hired Tom Becker.\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(TEXT, encoding="utf-8")
    with Project.create(tmp_path / "t.skein") as p:
        run(build([docs], p, extractor="rules"))
        yield p


def _sentence_of(project: Project, text: str) -> int:
    return int(project.query("SELECT sentence FROM mentions WHERE text = ? LIMIT 1",
                             (text,))[0][0])


def _entity_of(project: Project, text: str) -> str:
    return str(project.query("SELECT entity FROM mentions WHERE text = ? LIMIT 1",
                             (text,))[0][0])


def test_every_open_sentence_scored_with_its_reasons(project: Project) -> None:
    found = priorities(project)
    assert found and all(isinstance(p, SentencePriority) for p in found)
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)
    open_sentences = {i.sentence for i in an.review_queue(project)}
    assert {p.sentence for p in found} == open_sentences
    for p in found:
        names = [r.name for r in p.reasons]
        assert "uncertainty" in names and len(set(names)) == len(names)
        assert p.score == pytest.approx(sum(
            {"uncertainty": 1.0, "central": 0.5}.get(r.name, 0.0) * r.value
            for r in p.reasons), abs=1e-5)


def test_graph_and_disagreement_signals_move_a_sentence_up(project: Project) -> None:
    target = _sentence_of(project, "John Smith")
    before = {p.sentence: p for p in priorities(project)}
    dup = DuplicateCandidate(_entity_of(project, "John Smith"), "e-other", "PER", 0.9, 0.8,
                             0.72, "embedding 0.90, name 0.80")
    other = {target: {(0, 4, "PER")}}  # another model version sees something else there
    after = {p.sentence: p for p in priorities(project, other=other, duplicates=[dup])}
    reasons = {r.name: r for r in after[target].reasons}
    assert reasons["duplicate"] == Reason("duplicate", 0.72,
                                          '"John Smith" (PER) may duplicate "e-other"')
    assert reasons["disagreement"].value > 0.5
    assert after[target].score > before[target].score + 0.5
    assert next(iter(after)) == target  # now the most helpful sentence


def test_confirmations_lower_the_central_signal(project: Project) -> None:
    def central(found: tuple[SentencePriority, ...], sentence: int) -> float:
        p = next(p for p in found if p.sentence == sentence)
        return max((r.value for r in p.reasons if r.name == "central"), default=0.0)

    sentence = _sentence_of(project, "Acme Corp.")
    first = central(priorities(project), sentence)
    m = project.query("SELECT id FROM mentions WHERE text = 'Acme Corp.' ORDER BY id")
    an.accept_mention(project, int(m[-1][0]), user="ana")
    assert 0 < central(priorities(project), sentence) < first


def test_queue_helpful_order_keeps_the_old_order_working(project: Project) -> None:
    old = an.review_queue(project)
    assert an.review_queue(project, order="confidence") == old
    assert [i.confidence for i in old] == sorted(i.confidence for i in old)
    last = old[-1].sentence
    helpful = an.review_queue(project, order="helpful", priority={last: 9.0})
    assert helpful[0].sentence == last and sorted(helpful, key=str) == sorted(old, key=str)
    ranked = an.review_queue(project, order="helpful", priority=scores(priorities(project)))
    assert len(ranked) == len(old)
    assert len(an.review_queue(project, 2, order="helpful")) == 2
    with pytest.raises(ValueError, match="unknown queue order"):
        an.review_queue(project, order="nope")


def test_an_implausible_relation_is_a_reason(project: Project) -> None:
    torch = pytest.importorskip("torch")
    from types import SimpleNamespace

    rows = project.query("SELECT r.sentence, r.label, h.entity, t.entity FROM relations r"
                         " JOIN mentions h ON h.id = r.head JOIN mentions t ON t.id = r.tail"
                         " WHERE r.status = 'suggested'")
    if not rows:
        pytest.skip("the rule baseline found no relation here")
    sentence, label, head, tail = rows[0]
    ids = {str(e): i for i, (e,) in enumerate(project.query("SELECT id FROM entities"))}
    table = torch.zeros((len(ids), len(ids)))
    table[ids[head]] = 1.0
    table[ids[head], ids[tail]] = -1.0  # the embedding finds this tail the least likely

    class Model:
        def score_t(self, hr: object) -> object:
            return table[hr[:, 0]]  # type: ignore[index]

        def score_h(self, rt: object) -> object:
            return table[:, rt[:, 1]].T  # type: ignore[index]

    emb = SimpleNamespace(model=Model(), entity_to_id=ids, relation_to_id={label: 0})
    found = {p.sentence: p for p in priorities(project, embedding=emb)}  # type: ignore[arg-type]
    reason = next(r for r in found[sentence].reasons if r.name == "implausible")
    assert reason.value > 0.5 and label in reason.detail

"""Relation decisions from the model's logits: domain/range, and embedding re-ranking;
and a cached reading that decodes exactly as the runtime predicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kg.assist import readout
from kg.assist.relations import Candidate, Plausibility, Rerank, candidates, decode, rerank
from nlp.model.labels import LabelScheme
from nlp.progress import run
from nlp.training.examples import Example

SCHEME = LabelScheme(("LOC", "ORG", "PER"), ("Live_In", "Work_For"),
                     (("Live_In", "PER", "LOC"), ("Work_For", "PER", "ORG")))
SPANS = [(0, 1, "PER"), (2, 3, "LOC"), (4, 5, "ORG")]


def test_domain_range_restricts_the_types_that_compete() -> None:
    # PER -> LOC: the head prefers Work_For, which the schema forbids there
    logits = {(0, 1): np.array([0.0, 0.5, 2.0]), (1, 2): np.array([0.0, 3.0, 0.0])}
    assert decode(SPANS, logits, SCHEME) == [(0, 1, "Live_In", pytest.approx(0.6225, 1e-3))]
    free = decode(SPANS, logits, SCHEME, constrained=False)
    assert [(h, t, r) for h, t, r, _ in free] == [(0, 1, "Work_For"), (1, 2, "Live_In")]


def test_rerank_moves_only_uncertain_relations_the_embedding_knows() -> None:
    cands = [Candidate(0, 1, "Live_In", 0.45), Candidate(0, 2, "Work_For", 0.55),
             Candidate(1, 0, "Live_In", 0.95), Candidate(2, 0, "Work_For", 0.40)]
    facts = {(0, 1): 0.9, (0, 2): 0.1, (1, 0): 0.0}
    kept = rerank(cands, lambda h, t, r: facts.get((h, t)), Rerank(0.3, 0.7, 0.5))
    assert [(c[0], c[1]) for c in kept] == [(0, 1), (1, 0)]
    assert [c.head for c in candidates(SPANS, {(0, 1): np.array([1.0, 0.0, 5.0])}, SCHEME)] == [0]


class _Scores:
    """A stand-in for a PyKEEN model: tail and head scores from a fixed matrix."""

    def __init__(self, table: Any) -> None:
        self.table = table

    def score_t(self, hr: Any) -> Any:
        return self.table[hr[:, 0]]

    def score_h(self, rt: Any) -> Any:
        return self.table[:, rt[:, 1]].T


def test_plausibility_ranks_among_entities_of_the_same_type() -> None:
    torch = pytest.importorskip("torch")
    ids = {"p": 0, "a": 1, "b": 2, "o": 3}
    table = torch.tensor([[0.0, 5.0, 1.0, 9.0], [0.0] * 4, [0.0] * 4, [0.0] * 4])
    types = {"p": "PER", "a": "LOC", "b": "LOC", "o": "ORG"}
    plausible = Plausibility(_Scores(table), ids, {"Live_In": 0}, types)
    assert plausible("p", "Live_In", "a") == 0.25  # beats "b" of the LOCs; head side ties
    assert plausible("p", "Live_In", "b") == 0.0
    assert plausible("p", "Live_In", "nobody") is None
    assert plausible("p", "Kill", "a") is None


@pytest.fixture(scope="module")
def runtime() -> Any:
    torch = pytest.importorskip("torch")
    from nlp.model.encoder import EncoderError, load_encoder, load_tokenizer, resolve_encoder
    from nlp.model.network import JointModel
    from nlp.model.runtime import Runtime

    try:
        ref = resolve_encoder()
    except EncoderError:
        pytest.skip("the packaged encoder is not installed")
    torch.manual_seed(0)
    model = JointModel(load_encoder(ref, pretrained=False), len(SCHEME.tags),
                       len(SCHEME.types), len(SCHEME.relations))
    with torch.no_grad():  # make entities likely, so that there are pairs to score
        model.ner.bias.copy_(torch.tensor([-2.0] + [0.5] * (len(SCHEME.tags) - 1)))
    return Runtime(model.eval(), load_tokenizer(ref), SCHEME, max_len=32,
                   device=torch.device("cpu"))


def test_reading_decodes_as_the_runtime_predicts(runtime: Any, tmp_path: Path) -> None:
    sentences = [("John", "Smith", "works", "for", "Acme", "in", "Boston", "."),
                 ("Mary", "lives", "in", "Paris", "."),
                 tuple(f"w{i}" for i in range(40))]  # cut into chunks at max_len 32
    examples = [Example(s, doc_id="d", index=i) for i, s in enumerate(sentences)]
    reading = run(readout.read(runtime, examples))
    readout.save(reading, tmp_path / "r.npz")
    again = readout.load(tmp_path / "r.npz", runtime, examples)
    preds = runtime.predict(sentences, [("d", i) for i in range(len(sentences))])
    assert any(len(p.relations) for p in preds)
    for i, pred in enumerate(preds):
        for r in (reading, again):
            spans = r.spans(i)
            assert [s[:3] for s in spans] == [s[:3] for s in pred.spans]
            ws = [s[:3] for s in spans]
            got = decode(ws, r.relation_logits(i, ws), SCHEME)
            assert [g[:3] for g in got] == [p[:3] for p in pred.relations]
            assert np.allclose([g[3] for g in got], [p[3] for p in pred.relations], atol=1e-4)

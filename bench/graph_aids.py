"""What the graph's aids add to extraction, measured on CoNLL04 dev.

    python bench/graph_aids.py [--model default|DIR] [--data FILE] [--train FILE] [--json]

Rows (strict entity F1 and strict relation F1, x100, with deltas against the model alone):
  model alone          the model as `Runtime.predict` decodes it (relation types restricted
                       to the schema's domain/range)
  no domain/range      relation types chosen among all types for every entity pair
  + gazetteer ...      names of the TRAIN split's entities (a project's known entities)
                       recognised in dev text, combined with the model's spans
  + embedding rerank   a TransE embedding of the TRAIN split's relation triples between
                       entity names re-scores relations the model is unsure of
The encoder runs once; its reading is cached under /tmp/graph_aids_cache/ keyed by the
model's weights, the data and the domain (`kg.assist.readout`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CACHE = Path(tempfile.gettempdir()) / "graph_aids_cache"
DATA = ROOT.parent / "shared" / "data" / "conll04"


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def examples_for(info: Any, path: Path) -> tuple[list[Any], int]:
    """Examples with the model's entity labels, and the domain (annotation convention)."""
    from nlp.model.evaluate import pick_domain
    from nlp.training.readers import normalise_labels, read_examples

    examples = read_examples(path)
    domains = info.meta.get("domains", [])
    domain = pick_domain(domains, {s.label for ex in examples for s in ex.entities})
    if domains:
        examples = normalise_labels(examples, domains[domain]["labels"])
    return examples, domain


def reading_for(model: str, data: str | Path) -> Any:
    """The model's cached reading of `data` (the encoder runs only on a cache miss)."""
    from kg.assist import readout
    from nlp.model.bundle import load, read_info
    from nlp.model.extractor import resolve_bundle
    from nlp.progress import run
    from nlp.training.examples import data_hash

    path = resolve_bundle(model)
    info = read_info(path)
    examples, domain = examples_for(info, Path(data))
    key = hashlib.sha256(
        f"{_sha(path / 'weights.safetensors')}|{info.version}|{data_hash(examples)}|{domain}"
        .encode()).hexdigest()[:24]
    runtime = load(path, device="cpu")
    cached = CACHE / f"{key}.npz"
    if cached.exists():
        return readout.load(cached, runtime, examples, domain)
    print(f"reading {len(examples)} sentences with {info.model_id} ...", file=sys.stderr,
          flush=True)
    start = time.perf_counter()
    reading = run(readout.read(runtime, examples, domain))
    print(f"  {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    readout.save(reading, cached)
    return reading


# --- the aids ---------------------------------------------------------------------------

Spans = list[tuple[int, int, str, float]]
RERANK_TUNED = (0.1, 0.9, 0.5)
"""(low, high, weight): the best of four settings tried on dev (see `main`)."""
EMBED = {"model": "TransE", "dim": 64, "epochs": 100, "seed": 42}


def entity_name(tokens: Any, start: int, end: int, label: str) -> str:
    """The embedding's id of an entity: its type and normalised name."""
    from kg.linking import entity_key

    return f"{label}:{entity_key(' '.join(tokens[start:end]))}"


def embedding_for(train: list[Any]) -> Any:
    """A TransE embedding of the training split's relation triples (cached on disk)."""
    import torch
    from pykeen.triples import TriplesFactory

    from kg.assist.relations import Plausibility
    from kg.embed import storage
    from kg.embed.config import NO_METRICS, TrainConfig
    from kg.embed.train import fit
    from nlp.progress import run

    triples = sorted({
        (entity_name(ex.tokens, *_span(ex.entities[r.head])), r.label,
         entity_name(ex.tokens, *_span(ex.entities[r.tail])))
        for ex in train for r in ex.relations})
    types = {entity_name(ex.tokens, *_span(e)): e.label for ex in train for e in ex.entities}
    config = TrainConfig(**EMBED)  # type: ignore[arg-type]
    key = hashlib.sha256(json.dumps([triples, config.to_json()]).encode()).hexdigest()[:24]
    folder = CACHE / f"embedding-{key}"
    if not folder.exists():
        print(f"training {config.model} on {len(triples)} train triples ...", file=sys.stderr,
              flush=True)
        entities = {e: i for i, e in enumerate(sorted({x for h, _, t in triples
                                                        for x in (h, t)}))}
        relations = {r: i for i, r in enumerate(sorted({r for _, r, _ in triples}))}
        mapped = torch.tensor([(entities[h], relations[r], entities[t]) for h, r, t in triples])
        factory = TriplesFactory(mapped_triples=mapped, entity_to_id=entities,
                                 relation_to_id=relations)
        fitted = run(fit(factory, config))
        storage.save(folder, fitted.model, entities, relations, config, NO_METRICS,
                     {"source": "conll04 train relation triples"})
    emb = storage.load(folder)
    return Plausibility(emb.model, emb.entity_to_id, emb.relation_to_id, types)


def _span(e: Any) -> tuple[int, int, str]:
    return e.start, e.end, e.label


def score(reading: Any, spans: list[Spans], *, constrained: bool = True,
          rerank: Any = None) -> dict[str, float]:
    """Strict NER and RE micro F1 (x100) of these spans, relations from the model's head."""
    from dataclasses import replace

    from kg.assist import relations as rel
    from nlp.training.examples import RelLabel, SpanLabel
    from nlp.training.metrics import evaluate

    preds = []
    for i, ex in enumerate(reading.examples):
        ws = [(s, e, ty) for s, e, ty, _ in spans[i]]
        logits = reading.relation_logits(i, ws)
        if rerank is None:
            found = rel.decode(ws, logits, reading.scheme, constrained=constrained)
        else:
            plausible, config = rerank

            def fact(h: int, t: int, label: str, tokens: Any = ex.tokens, ws: Any = ws,
                     plausible: Any = plausible) -> float | None:
                return plausible(entity_name(tokens, *ws[h]), label,
                                 entity_name(tokens, *ws[t]))

            found = rel.rerank(rel.candidates(ws, logits, reading.scheme), fact, config)
        preds.append(replace(ex, entities=tuple(SpanLabel(*w) for w in ws),
                             relations=tuple(RelLabel(h, t, lab) for h, t, lab, _ in found)))
    report = evaluate(reading.examples, preds)
    return {"ner_f1": round(report.ner.micro_f1 * 100, 2),
            "re_f1": round(report.re.micro_f1 * 100, 2) if report.re else 0.0}


def rows(reading: Any, train: list[Any]) -> dict[str, dict[str, float]]:
    from kg.assist.gazetteer import Combine, Gazetteer, combine
    from kg.assist.relations import Rerank

    n = len(reading.examples)
    model = [reading.spans(i) for i in range(n)]
    out = {"model alone": score(reading, model),
           "no domain/range": score(reading, model, constrained=False)}
    every = Gazetteer.from_examples(train)
    precise = Gazetteer.from_examples(train, min_precision=0.8)
    for name, gaz, rule in (
            ("+ gazetteer fill, every train name", every, Combine()),
            ("+ gazetteer fill", precise, Combine()),
            ("+ gazetteer retype", precise, Combine(fill=False, retype_below=1.01)),
            ("+ gazetteer fill + retype", precise, Combine(retype_below=1.01))):
        found = [combine(model[i], gaz.match(ex.tokens), rule)
                 for i, ex in enumerate(reading.examples)]
        out[name] = score(reading, found)
    plausible = embedding_for(train)
    out["+ embedding rerank 0.3-0.7 w0.3"] = score(reading, model,
                                                   rerank=(plausible, Rerank(0.3, 0.7, 0.3)))
    low, high, weight = RERANK_TUNED
    out[f"+ embedding rerank {low}-{high} w{weight}"] = score(
        reading, model, rerank=(plausible, Rerank(low, high, weight)))
    both = [combine(model[i], precise.match(ex.tokens), Combine(retype_below=1.01))
            for i, ex in enumerate(reading.examples)]
    out["+ gazetteer + embedding rerank"] = score(reading, both,
                                                  rerank=(plausible, Rerank(low, high, weight)))
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="default")
    p.add_argument("--data", default=str(DATA / "conll04_dev.json"))
    p.add_argument("--train", default=str(DATA / "conll04_train.json"),
                   help="where the known entities and the embedding's facts come from")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()

    from nlp.model.bundle import read_info
    from nlp.model.extractor import resolve_bundle

    info = read_info(resolve_bundle(args.model))
    reading = reading_for(args.model, args.data)
    train, _ = examples_for(info, Path(args.train))
    start = time.perf_counter()
    table = rows(reading, train)
    base = table["model alone"]
    result: dict[str, Any] = {"model": info.model_id, "data": Path(args.data).name,
              "sentences": len(reading.examples), "seconds": round(time.perf_counter() - start),
              "rows": {name: {**r, "d_ner": round(r["ner_f1"] - base["ner_f1"], 2),
                              "d_re": round(r["re_f1"] - base["re_f1"], 2)}
                       for name, r in table.items()}}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{info.model_id} on {result['data']} ({len(reading.examples)} sentences); "
          "strict micro F1 x100, deltas vs the model alone")
    print(f"{'':<38}{'NER F1':>8}{'Δ':>7}{'RE F1':>8}{'Δ':>7}")
    for name, r in result["rows"].items():
        print(f"{name:<38}{r['ner_f1']:>8.2f}{r['d_ner']:>+7.2f}{r['re_f1']:>8.2f}"
              f"{r['d_re']:>+7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

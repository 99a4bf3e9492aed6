"""What each part of the shipped model buys, measured on dev at inference time.

    python bench/ablations.py [--model default|DIR] [--data ../shared/data] [--json]

Rows (each scored on CoNLL-2003 dev and CoNLL04 dev, strict entity F1 and relation F1):
  full            the model as shipped (case feature, document windows, torch fp32)
  no case         the learned word-shape embedding zeroed: the encoder sees lower case only
  no context      every sentence read alone instead of inside its document's window
  onnx int8       the ONNX Runtime backend with int8 dynamic quantisation
These are inference-time ablations of one trained model (what the trained model relies
on), not retrained ablations (what training without the part would reach).
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def datasets(data: Path, domains: Sequence[dict[str, Any]]) -> dict[str, tuple[list[Any], int]]:
    from nlp.model.evaluate import pick_domain
    from nlp.training.readers import normalise_labels, read_examples

    out = {}
    for name, path in (("conll2003", data / "conll2003" / "valid.txt"),
                       ("conll04", data / "conll04" / "conll04_dev.json")):
        if not path.exists():
            continue
        examples = read_examples(path)
        labels = {s.label for ex in examples for s in ex.entities}
        domain = pick_domain(domains, labels)
        if domains:
            examples = normalise_labels(examples, domains[domain]["labels"])
        out[name] = (examples, domain)
    return out


def score(runtime: Any, examples: list[Any], domain: int) -> dict[str, Any]:
    from nlp.model.evaluate import report

    start = time.perf_counter()
    r = report(runtime, examples, domain)
    return {"ner_f1": round(r.ner.micro_f1 * 100, 2),
            "re_f1": round(r.re.micro_f1 * 100, 2) if r.re and r.re.support else None,
            "seconds": round(time.perf_counter() - start, 1)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", default="default")
    p.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--skip-onnx", action="store_true")
    args = p.parse_args()

    import torch

    from nlp.model.bundle import load, read_info
    from nlp.model.extractor import resolve_bundle

    path = resolve_bundle(args.model)
    info = read_info(path)
    sets = datasets(Path(args.data), info.meta.get("domains", []))
    runtime = load(path, device="cpu")

    def alone(examples: list[Any]) -> list[Any]:
        return [replace(ex, doc_id=f"{ex.doc_id}#{i}", index=0)
                for i, ex in enumerate(examples)]

    def no_case(fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        saved = runtime.model.shape.weight.detach().clone()
        with torch.no_grad():
            runtime.model.shape.weight.zero_()
        try:
            return fn()
        finally:
            with torch.no_grad():
                runtime.model.shape.weight.copy_(saved)

    rows: dict[str, dict[str, Any]] = {"full": {}, "no case": {}, "no context": {}}
    for name, (examples, domain) in sets.items():
        print(f"scoring {name} ...", file=sys.stderr, flush=True)
        rows["full"][name] = score(runtime, examples, domain)
        rows["no case"][name] = no_case(functools.partial(score, runtime, examples, domain))
        rows["no context"][name] = score(runtime, alone(examples), domain)
    if not args.skip_onnx:
        quantised = load(path, device="cpu", backend="onnx")
        rows["onnx int8"] = {name: score(quantised, ex, d) for name, (ex, d) in sets.items()}
    result = {"model": info.model_id, "threads": torch.get_num_threads(), "rows": rows}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    names = list(sets)
    print(f"{info.model_id}; strict micro F1 on dev (x100); seconds to score")
    print(f"{'':<12}" + "".join(f"{n + ' NER':>16}{n + ' RE':>14}{'s':>7}" for n in names))
    for row, per in rows.items():
        cells = "".join(
            f"{per[n]['ner_f1']:>16.2f}"
            f"{per[n]['re_f1'] if per[n]['re_f1'] is not None else '-':>14}"
            f"{per[n]['seconds']:>7.1f}" for n in names)
        print(f"{row:<12}{cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

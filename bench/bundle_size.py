"""Bundle size against dev F1 for each weights storage (`nlp.model.weights_codec`).

    python bench/bundle_size.py [--model default|DIR] [--json] [--quick] [--data DIR]
        [--storage full-fp16,delta-int8,delta-int8-sparse] [--device cpu]

Writes the model (assets/models/default unless --model) once in each storage to a temp
folder, loads each back with `bundle.load` and scores it on CoNLL04 dev
(../shared/data/conll04/conll04_dev.json: NER and relations) and CoNLL-2003 dev
(../shared/data/conll2003/valid.txt: NER; --quick leaves it out) with the code `skein
evaluate` runs (read_examples, pick_domain, normalise_labels, `nlp.model.evaluate.report`).
A storage is acceptable when no dev micro-F1 moves more than 0.5 point from full-fp16's.
Progress goes to stderr; --json prints one JSON object on stdout:
``{"model", "device", "rows": [{"storage", "mb", "load_seconds", "scores": {"<file>":
{"ner", "re"}}, "worst_drop", "acceptable"}...]}`` (F1 in points, 0-100).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from nlp.model.weights_codec import STORAGES  # noqa: E402
from nlp.training.examples import Example  # noqa: E402

TOLERANCE = 0.5
"""Points of dev micro-F1 a storage may lose against full-fp16 and still be acceptable."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def score(runtime: Any, meta: dict[str, Any], examples: list[Example]) -> dict[str, Any]:
    """NER and RE micro-F1 (points) as `skein evaluate` computes them."""
    from nlp.model.evaluate import pick_domain, report
    from nlp.training.readers import normalise_labels

    labels = {s.label for ex in examples for s in ex.entities}
    domains: list[dict[str, Any]] = meta.get("domains", [])
    domain = pick_domain(domains, labels)
    if domains:
        examples = normalise_labels(examples, domains[domain]["labels"])
    result = report(runtime, examples, domain)
    has_re = any(ex.relations for ex in examples) and result.re is not None
    return {"ner": round(100 * result.ner.micro_f1, 2),
            "re": round(100 * result.re.micro_f1, 2) if has_re and result.re else None}


def measure(model: Path, storages: list[str], files: list[Path], device: str,
            workdir: Path) -> list[dict[str, Any]]:
    from nlp.model import bundle
    from nlp.model.encoder import resolve_encoder
    from nlp.training.readers import read_examples

    info = bundle.read_info(model)
    source = bundle.load(model, device="cpu")
    meta = {k: v for k, v in info.meta.items()
            if k not in ("format", "storage", "labels", "encoder", "created")}
    ref = resolve_encoder(info.encoder)
    data = {f.name: read_examples(f) for f in files}
    rows: list[dict[str, Any]] = []
    for storage in storages:
        saved = bundle.save(workdir / storage, source.model, info.scheme, ref, meta,
                            storage=storage)
        mb = sum(p.stat().st_size for p in saved.path.iterdir()) / 1e6
        started = time.perf_counter()
        runtime = bundle.load(saved.path, device=device)
        load_seconds = time.perf_counter() - started
        scores = {}
        for name, examples in data.items():
            log(f"{storage}: scoring {name} ({len(examples)} sentences)")
            scores[name] = score(runtime, saved.meta, examples)
        rows.append({"storage": storage, "mb": round(mb, 2),
                     "load_seconds": round(load_seconds, 2), "scores": scores,
                     "record": saved.meta.get("storage")})
        del runtime
    reference = rows[0]["scores"]
    for row in rows:
        drops = [reference[f][k] - row["scores"][f][k] for f in reference
                 for k in ("ner", "re") if reference[f][k] is not None]
        row["worst_drop"] = round(max(drops, default=0.0), 2)
        row["acceptable"] = row["worst_drop"] <= TOLERANCE
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    files = list(rows[0]["scores"])
    cols = [f"{f} {k.upper()}" for f in files for k in ("ner", "re")
            if rows[0]["scores"][f][k] is not None]
    head = f"{'storage':<18} {'MB':>6} {'load s':>6}  " + "  ".join(f"{c:>22}" for c in cols)
    lines = [head + f"  {'worst drop':>10}  ok"]
    full = rows[0]
    for row in rows:
        cells = []
        for f in files:
            for k in ("ner", "re"):
                value = row["scores"][f][k]
                if value is None:
                    continue
                delta = value - full["scores"][f][k]
                cells.append(f"{value:6.2f} ({delta:+5.2f})".rjust(22))
        lines.append(f"{row['storage']:<18} {row['mb']:6.2f} {row['load_seconds']:6.2f}  "
                     + "  ".join(cells)
                     + f"  {row['worst_drop']:10.2f}  {'yes' if row['acceptable'] else 'NO'}")
    return "\n".join(lines) + "\n"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="default", help="a model folder, or 'default'")
    p.add_argument("--data", default=str(DATA))
    p.add_argument("--quick", action="store_true", help="CoNLL04 dev only")
    p.add_argument("--storage", default=",".join(s for s in STORAGES if s != "lora"),
                   help="comma-separated storages; full-fp16 always comes first (lora only "
                        "for a model trained with LoRA adapters)")
    p.add_argument("--device", default="auto")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    from nlp.model.extractor import resolve_bundle

    storages = ["full-fp16", *(s for s in args.storage.split(",") if s and s != "full-fp16")]
    unknown = [s for s in storages if s not in STORAGES]
    if unknown:
        p.error(f"unknown storage {unknown[0]!r}; choose from {', '.join(STORAGES)}")
    data = Path(args.data)
    files = [data / "conll04" / "conll04_dev.json"]
    if not args.quick:
        files.append(data / "conll2003" / "valid.txt")
    model = resolve_bundle(args.model)
    with tempfile.TemporaryDirectory(prefix="skein-bundle-size-") as tmp:
        rows = measure(model, storages, files, args.device, Path(tmp))
    if args.json:
        print(json.dumps({"model": str(model), "device": args.device, "rows": rows}, indent=2))
    else:
        print(f"{model}: dev micro-F1 in points (change against full-fp16); acceptable "
              f"within {TOLERANCE} point\n")
        print(table(rows), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())

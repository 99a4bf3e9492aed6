"""Fitting a bundle's confidence calibration on labelled dev files (`skein calibrate`).

Each file is read in the annotation convention (domain) whose labels it uses, as `skein
evaluate` does: its entities fit that domain's entity map and, when it has relations, that
domain's relation map. A model that reads relations in one pass in any domain
(``relation_domain`` null) also reads the file's relations in every other domain, so each
gets its own relation map (strict: a relation there is right only when its arguments'
spans are gold spans). The figures kept with the maps: raw ECE, and ECE after calibration
cross-fitted on two halves (fitted on one half, measured on the other), the honest figure
for a map fitted on dev.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from nlp.model.bundle import META
from nlp.model.calibration import Calibration, Judged, cross_fitted, ece, fit_platt, judge
from nlp.model.evaluate import pick_domain, predictions
from nlp.model.runtime import Runtime
from nlp.training.examples import Example
from nlp.training.readers import normalise_labels


def fit_calibration(runtime: Runtime, domains: Sequence[Mapping[str, Any]],
                    files: Sequence[tuple[str, Sequence[Example]]]) -> Calibration:
    """Maps for `runtime` from the labelled `files` ((name, examples) each)."""
    saved, runtime.calibration = runtime.calibration, None  # fit on raw confidences
    judged: dict[str, dict[int, list[Judged]]] = {"entity": defaultdict(list),
                                                  "relation": defaultdict(list)}
    sources: dict[str, dict[int, list[str]]] = {"entity": defaultdict(list),
                                                "relation": defaultdict(list)}
    try:
        for name, raw in files:
            home = pick_domain(domains, {s.label for ex in raw for s in ex.entities})
            examples = normalise_labels(raw, domains[home]["labels"]) if domains else list(raw)
            has_relations = any(ex.relations for ex in examples)
            readings = [home]
            if has_relations and runtime.relation_domain is None:
                readings += [d for d in range(len(domains)) if d != home]
            for d in readings:
                ents, rels = judge(examples, predictions(runtime, examples, d))
                if d == home:
                    judged["entity"][d].extend(ents)
                    sources["entity"][d].append(name)
                if has_relations:
                    key = d if runtime.relation_domain is None else runtime.relation_domain
                    judged["relation"][key].extend(rels)
                    sources["relation"][key].append(name)
    finally:
        runtime.calibration = saved
    maps = {head: {d: fit_platt(j) for d, j in per.items() if j} for head, per in judged.items()}
    info = {head: {str(d): {"fitted_on": sources[head][d], "n": len(j),
                            "ece_raw": round(ece(j), 4),
                            "ece_calibrated_cross_fitted": round(ece(cross_fitted(j)), 4)}
                   for d, j in sorted(per.items()) if j}
            for head, per in judged.items()}
    return Calibration(maps["entity"], maps["relation"], info)


def write_calibration(bundle: str | Path, calibration: Calibration) -> None:
    """Store `calibration` in the bundle's bundle.json (written to a temp file and renamed:
    a crash leaves the old file whole)."""
    path = Path(bundle) / META
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["calibration"] = calibration.to_json()
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(path)

"""How often a dev split labels a string differently from its train split.

    python bench/label_consistency.py [--train FILE] [--dev FILE] [--json] [--examples N]

For every word sequence that the TRAIN split annotates as an entity at least once, its
*train reading* is what train does with that sequence most of the time: an entity of one
type, or nothing. Each dev occurrence of the sequence (same words, same case) is then
checked against it: a dev entity of another type, a dev entity where train mostly leaves
the words unlabelled, or unlabelled words where train mostly labels them. A model that
learnt train's conventions perfectly makes exactly these dev "errors" unless the sentence
around the words says otherwise, so the count bounds what faithful learning can score.
Also printed: how the "City , State" pattern is split (two LOC entities) or joined (one).

Defaults: ../shared/data/conll04/conll04_{train,dev}.json (SpERT JSON or CoNLL files).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "conll04"

from nlp.training.examples import Example  # noqa: E402
from nlp.training.readers import read_examples  # noqa: E402

NONE = "-"
"""The reading "not an entity"."""


def readings(examples: Sequence[Example], strings: set[tuple[str, ...]],
             longest: int) -> dict[tuple[str, ...], list[tuple[str, Example, int]]]:
    """Every occurrence of each of `strings` in `examples`: (label or NONE, example,
    start). An occurrence inside a longer entity is that entity's business, not counted."""
    found: dict[tuple[str, ...], list[tuple[str, Example, int]]] = defaultdict(list)
    for ex in examples:
        spans = {(s.start, s.end): s.label for s in ex.entities}
        covered: list[tuple[int, int] | None] = [None] * len(ex.tokens)
        for (start, end) in spans:
            for i in range(start, end):
                covered[i] = (start, end)
        for n in range(1, longest + 1):
            for i in range(len(ex.tokens) - n + 1):
                words = tuple(ex.tokens[i:i + n])
                if words not in strings:
                    continue
                label = spans.get((i, i + n))
                inside = {covered[k] for k in range(i, i + n)} - {None, (i, i + n)}
                if label is None and inside:
                    continue  # part of another entity (or overlapping one)
                found[words].append((label or NONE, ex, i))
    return found


def majority(labels: Sequence[str]) -> tuple[str, float]:
    label, count = Counter(labels).most_common(1)[0]
    return label, count / len(labels)


def city_state(examples: Sequence[Example]) -> dict[str, int]:
    """'X , Y' locations: one entity spanning the comma, or two entities around it."""
    joined = split = 0
    for ex in examples:
        locs = sorted((s.start, s.end) for s in ex.entities if s.label in {"Loc", "LOC"})
        for start, end in locs:
            if "," in ex.tokens[start + 1:end - 1]:
                joined += 1
        ends = {e for _, e in locs}
        split += sum(1 for s, _ in locs if s - 1 in ends and ex.tokens[s - 1] == ",")
    return {"joined": joined, "split": split}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train", default=str(DATA / "conll04_train.json"))
    p.add_argument("--dev", default=str(DATA / "conll04_dev.json"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--examples", type=int, default=12, help="disagreements to show")
    args = p.parse_args()
    train, dev = read_examples(args.train), read_examples(args.dev)
    strings = {tuple(ex.tokens[s.start:s.end]) for ex in train for s in ex.entities}
    longest = max((len(s) for s in strings), default=1)
    in_train = readings(train, strings, longest)
    in_dev = readings(dev, strings, longest)
    kinds: Counter[str] = Counter()
    shown: list[str] = []
    checked = 0
    for words, occurrences in in_dev.items():
        seen = in_train.get(words)
        if not seen:
            continue
        usual, share = majority([label for label, _, _ in seen])
        for label, ex, start in occurrences:
            checked += 1
            if label == usual:
                continue
            kind = ("train leaves it unlabelled" if usual == NONE else
                    "dev leaves it unlabelled" if label == NONE else "another type")
            kinds[kind] += 1
            if len(shown) < args.examples:
                shown.append(f"{' '.join(words)!r}: dev {label}, train {usual} "
                             f"({share:.0%} of {len(seen)}) | "
                             f"{' '.join(ex.tokens[max(0, start - 5):start + len(words) + 5])}")
    gold = sum(len(ex.entities) for ex in dev)
    out = {
        "train": args.train, "dev": args.dev, "dev_entities": gold,
        "dev_occurrences_checked": checked,
        "disagreements": dict(kinds), "disagreements_total": sum(kinds.values()),
        "city_state": {"train": city_state(train), "dev": city_state(dev)},
    }
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"{Path(args.dev).name}: {gold} gold entities; {checked} occurrences of strings "
          f"train annotates somewhere")
    for kind, n in kinds.most_common():
        print(f"  {n:4d}  {kind} (against train's usual reading)")
    print(f"  {sum(kinds.values()):4d}  in all")
    for name in ("train", "dev"):
        cs = out["city_state"][name]
        print(f"'City , State' in {name}: {cs['split']} split, {cs['joined']} joined")
    for line in shown:
        print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

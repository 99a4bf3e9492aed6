"""How well Skein's HTML loader finds the main content of a page.

For each ``shared/data/docs/html/readability/<page>/``, `source.html` is loaded with the
Skein HTML loader and compared with the text of the reference `expected.html` on word
tokens (lowercased multisets):

* keep  = share of the expected words found in Skein's text (recall)
* extra = share of Skein's words not in the expected text (1 - precision)

    python bench/html_extraction.py [--json] [--root DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT / ".." / "shared" / "data" / "docs" / "html" / "readability"
_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def words(text: str) -> Counter[str]:
    """Lowercased word tokens; each CJK character counts as a word (no spaces there)."""
    tokens: list[str] = []
    for token in _WORD.findall(text.lower()):
        if _CJK.search(token):
            tokens.extend(_CJK.findall(token))
            tokens.extend(t for t in _CJK.split(token) if t)
        else:
            tokens.append(token)
    return Counter(tokens)


def reference_text(path: Path) -> str:
    """The plain text of a reference page (lxml, text only, scripts and styles dropped)."""
    import lxml.html

    tree = lxml.html.fromstring(path.read_text(encoding="utf-8", errors="replace"))
    for bad in tree.xpath("//script | //style | //noscript"):
        bad.drop_tree()
    return " ".join(tree.itertext())


def score(expected: Counter[str], got: Counter[str]) -> tuple[float, float]:
    """(keep, extra) of `got` against `expected`."""
    common = sum((expected & got).values())
    keep = common / max(sum(expected.values()), 1)
    extra = 1 - common / max(sum(got.values()), 1)
    return keep, extra


def measure(folder: Path) -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT))
    from nlp.documents.html import load

    rows = []
    for page in sorted(p for p in folder.iterdir() if (p / "source.html").is_file()):
        source = page / "source.html"
        doc = load(str(source), source.read_bytes(), None)
        expected = words(reference_text(page / "expected.html"))
        got = words(doc.text)
        keep, extra = score(expected, got)
        rows.append(
            {
                "page": page.name,
                "keep": round(keep, 4),
                "extra": round(extra, 4),
                "expected_words": sum(expected.values()),
                "skein_words": sum(got.values()),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--root", type=Path, default=DEFAULT_DIR, help="readability folder")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"no test pages at {args.root}", file=sys.stderr)
        return 2
    rows = measure(args.root)
    mean = {
        "keep": round(sum(r["keep"] for r in rows) / len(rows), 4),
        "extra": round(sum(r["extra"] for r in rows) / len(rows), 4),
    }
    if args.json:
        print(json.dumps({"pages": rows, "mean": mean}, indent=2))
        return 0
    print(f"{'page':<16} {'keep':>6} {'extra':>6} {'expected':>9} {'skein':>7}")
    for r in rows:
        print(
            f"{r['page']:<16} {r['keep']:>6.3f} {r['extra']:>6.3f} "
            f"{r['expected_words']:>9} {r['skein_words']:>7}"
        )
    print(f"{'mean':<16} {mean['keep']:>6.3f} {mean['extra']:>6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

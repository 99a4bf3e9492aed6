"""Extraction throughput, side by side on the same text in one run (words/s).

    python bench/extract.py [--model default|DIR] [--docs N] [--onnx] [--json]

Rows: Skein's extraction (sentences → document windows → NER + relations), Hugging Face
`pipeline("token-classification")` on the same encoder and tag-layer weights (batch 1, its
default, and batch 32), and spaCy's blank-English tokenisation as a floor. Text: CoNLL-2003
dev documents from ../shared/data when present, else the bundled samples. Compare ratios,
not absolute figures: the machines are shared.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def corpus(n_docs: int) -> list[str]:
    conll = ROOT.parent / "shared" / "data" / "conll2003" / "valid.txt"
    if conll.exists():
        from nlp.training.examples import documents
        from nlp.training.readers import read_examples

        docs = list(documents(read_examples(conll)).values())[:n_docs]
        return ["\n\n".join(" ".join(ex.tokens) for ex in doc) for doc in docs]
    from nlp.documents import load_document

    samples = ROOT / "assets" / "samples"
    return [load_document(str(p)).text for p in sorted(samples.glob("*.*"))
            if p.suffix in {".pdf", ".md", ".docx"}]


def timed(fn: Any, words: int) -> dict[str, float]:
    fn()  # warm-up (first call loads weights, builds caches)
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 3), "words_per_s": round(words / seconds, 1)}


def hf_model(runtime: Any) -> Any:
    """A BertForTokenClassification holding the bundle's encoder and tag-layer weights."""
    from transformers import AutoModelForTokenClassification

    cfg = runtime.model.encoder.config
    cfg.num_labels = len(runtime.scheme.tags)
    cfg.id2label = dict(enumerate(runtime.scheme.tags))
    cfg.label2id = {t: i for i, t in enumerate(runtime.scheme.tags)}
    model = AutoModelForTokenClassification.from_config(cfg)
    model.bert.load_state_dict(runtime.model.encoder.state_dict(), strict=False)
    model.classifier.load_state_dict(runtime.model.ner.state_dict())
    return model.eval()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", default="default")
    p.add_argument("--docs", type=int, default=40)
    p.add_argument("--json", action="store_true")
    p.add_argument("--onnx", action="store_true", help="add a row for the ONNX int8 backend")
    args = p.parse_args()

    import spacy
    import torch
    from transformers import pipeline

    from nlp.extract import get_extractor
    from nlp.text import split_sentences

    texts = corpus(args.docs)
    words = sum(len(t.split()) for t in texts)
    extractor = get_extractor("transformer", model=args.model, device="cpu")
    runtime = __import__("nlp.model.extractor", fromlist=["_runtime"])._runtime(
        str(extractor.path), "cpu")  # the same loaded weights the extractor uses
    sentences = [[s.text_of(t) for s in split_sentences(t)] for t in texts]
    flat = [s for doc in sentences for s in doc]
    hf = pipeline("token-classification", model=hf_model(runtime),
                  tokenizer=runtime.tokenizer, aggregation_strategy="first", device=-1)
    blank = spacy.blank("en")

    rows = {
        "skein (NER + relations)": timed(
            lambda: [extractor.extract(t, split_sentences(t)) for t in texts], words),
    }
    if args.onnx:
        onnx_extractor = get_extractor("transformer", model=args.model, device="cpu",
                                       backend="onnx")
        rows["skein, onnx int8"] = timed(
            lambda: [onnx_extractor.extract(t, split_sentences(t)) for t in texts], words)
    rows |= {
        "hf pipeline, batch 1": timed(lambda: hf(flat), words),
        "hf pipeline, batch 32": timed(lambda: hf(flat, batch_size=32), words),
        "spacy blank tokenisation": timed(lambda: list(blank.pipe(texts)), words),
    }
    base = rows["hf pipeline, batch 1"]["words_per_s"]
    result = {"words": words, "documents": len(texts), "threads": torch.get_num_threads(),
              "cpus": os.cpu_count(), "rows": rows,
              "skein_vs_hf_batch1": round(rows["skein (NER + relations)"]["words_per_s"] / base, 2),
              "skein_vs_hf_batch32": round(rows["skein (NER + relations)"]["words_per_s"]
                                           / rows["hf pipeline, batch 32"]["words_per_s"], 2)}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{words} words in {len(texts)} documents, {result['threads']} torch threads")
    print(f"{'':<28}{'seconds':>10}{'words/s':>12}")
    for name, r in rows.items():
        print(f"{name:<28}{r['seconds']:>10.2f}{r['words_per_s']:>12.0f}")
    print(f"skein / hf batch 1: {result['skein_vs_hf_batch1']}x;  "
          f"skein / hf batch 32: {result['skein_vs_hf_batch32']}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

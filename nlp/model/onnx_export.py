"""Child-process entry point: export a bundle's encoder + tag layer to ONNX, then quantise.

    python -m nlp.model.onnx_export BUNDLE OUT_DIR [--no-quantize]

Run by `nlp.model.onnx.ensure_graph`, never imported by the app. Writes
``encoder.fp32.onnx`` and (unless told not to) ``encoder.int8.onnx`` (dynamic int8
quantisation of the weights) into OUT_DIR, each renamed into place when complete.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from nlp.model.onnx import FLOAT, INPUTS, OUTPUTS, QUANTIZED


def _wrapped(model: Any) -> Any:
    import torch

    class EncoderAndTags(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    shape_ids: torch.Tensor, domain_ids: torch.Tensor,
                    word_pos: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            hidden = self.inner.encode(input_ids, attention_mask, shape_ids, domain_ids)
            return hidden, self.inner.ner_logits(hidden, word_pos)

    return EncoderAndTags().eval()


def export(bundle: Path, out: Path, quantize: bool = True) -> None:
    import torch

    from nlp.model.bundle import load

    runtime = load(bundle, device="cpu")
    module = _wrapped(runtime.model)
    b, n, w = 2, 16, 6
    example = (torch.randint(1000, 2000, (b, n)), torch.ones((b, n), dtype=torch.long),
               torch.zeros((b, n), dtype=torch.long), torch.zeros((b,), dtype=torch.long),
               torch.arange(1, w + 1).repeat(b, 1))
    axes: dict[str, dict[int, str]] = {
        "input_ids": {0: "batch", 1: "pieces"}, "attention_mask": {0: "batch", 1: "pieces"},
        "shape_ids": {0: "batch", 1: "pieces"}, "domain_ids": {0: "batch"},
        "word_pos": {0: "batch", 1: "words"}, "hidden": {0: "batch", 1: "pieces"},
        "ner_logits": {0: "batch", 1: "words"},
    }
    out.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(suffix=".onnx", dir=out)
    os.close(fd)
    tmp = Path(tmp_name)
    with torch.inference_mode():
        torch.onnx.export(module, example, str(tmp), input_names=list(INPUTS),
                          output_names=list(OUTPUTS), dynamic_axes=axes, opset_version=17,
                          dynamo=False, do_constant_folding=True)
    tmp.replace(out / FLOAT)
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        fd, qtmp_name = tempfile.mkstemp(suffix=".onnx", dir=out)
        os.close(fd)
        quantize_dynamic(str(out / FLOAT), qtmp_name, weight_type=QuantType.QInt8,
                         per_channel=True)
        Path(qtmp_name).replace(out / QUANTIZED)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("bundle")
    p.add_argument("out")
    p.add_argument("--no-quantize", action="store_true")
    args = p.parse_args()
    try:
        export(Path(args.bundle), Path(args.out), quantize=not args.no_quantize)
    except Exception as e:  # reported to the parent as one line
        sys.stderr.write(f"{type(e).__name__}: {e}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The ONNX Runtime path: the encoder and tag layer as an int8-quantised ONNX graph.

The graph maps (input_ids, attention_mask, shape_ids, domain_ids, word_pos) to the hidden
states and the NER logits; the small relation head stays in torch and reads the hidden
states. The graph is derived from a bundle, never part of it: it is written to a cache
folder keyed by the bundle's weights hash (``$SKEIN_CACHE`` or ``~/.cache/skein``), so a
bundle stays safetensors + JSON only.

Export runs in a child process (``python -m nlp.model.onnx_export``): the exporter was seen
to change a live torch model's outputs inside the exporting process, and a child also keeps
the exporter's memory out of the app.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

INPUTS = ("input_ids", "attention_mask", "shape_ids", "domain_ids", "word_pos")
OUTPUTS = ("hidden", "ner_logits")
QUANTIZED, FLOAT = "encoder.int8.onnx", "encoder.fp32.onnx"


class OnnxError(Exception):
    """The ONNX path is unavailable or its export failed; `str()` says why."""


def cache_root() -> Path:
    env = os.environ.get("SKEIN_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "skein"


def weights_digest(bundle: Path) -> str:
    h = hashlib.sha256()
    with open(bundle / "weights.safetensors", "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:20]


def graph_path(bundle: str | Path, *, quantized: bool = True) -> Path:
    folder = cache_root() / "onnx" / weights_digest(Path(bundle))
    return folder / (QUANTIZED if quantized else FLOAT)


def available() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def ensure_graph(bundle: str | Path, *, quantized: bool = True, timeout: float = 900) -> Path:
    """The cached graph for `bundle`, exported (in a child process) if missing."""
    path = graph_path(bundle, quantized=quantized)
    if path.is_file():
        return path
    if not available():
        raise OnnxError("onnxruntime is not installed (pip install onnxruntime onnx onnxscript)")
    cmd = [sys.executable, "-m", "nlp.model.onnx_export", str(bundle), str(path.parent)]
    if not quantized:
        cmd.append("--no-quantize")
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (root, os.environ.get("PYTHONPATH", "")) if p)}
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env,
                              check=False)
    except subprocess.TimeoutExpired:
        raise OnnxError(f"{bundle}: ONNX export took over {timeout:.0f} s") from None
    if done.returncode != 0 or not path.is_file():
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise OnnxError(f"{bundle}: ONNX export failed: {tail[0]}")
    return path


class OnnxForward:
    """Callable like the torch forward: tensors in, (hidden, ner_logits) torch tensors out."""

    def __init__(self, path: Path, threads: int | None = None) -> None:
        import onnxruntime as ort
        import torch

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or torch.get_num_threads()
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.path = path
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self._names = {i.name for i in self.session.get_inputs()}

    def __call__(self, t: Mapping[str, Any]) -> tuple[Any, Any]:
        import torch

        feed = {k: t[k].cpu().numpy() for k in INPUTS if k in self._names}
        hidden, logits = self.session.run(list(OUTPUTS), feed)
        return torch.from_numpy(hidden), torch.from_numpy(logits)

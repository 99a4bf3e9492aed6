"""The one place that knows about threads: run long `Work` off the GUI thread.

A `Job` drives a work generator (``make(cancel) -> Work[T]``: yields `Progress`, returns a
result) in a `QThread` and reports back on the GUI thread through signals:

* ``progress(Progress)`` for every step (with its named metrics, e.g. a training loss),
* then exactly one of ``finished(result)``, ``failed(message)``, ``cancelled(result|None)``,
* then ``done()``.

`cancel()` sets the `CancelToken`; it takes effect at the work's next yield (the driver
throws `Cancelled` into the generator there, so the work can record a clean stop) or at
the work's own next `CancelToken.check()`, whichever comes first. Failures arrive as a
readable one-line message; the traceback goes to the log, never to a dialog.
Every started job is kept in a registry until its thread has ended (`running_jobs`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from desktop.state.text import error_message
from nlp.progress import Cancelled, CancelToken, Progress, Work

log = logging.getLogger(__name__)

MakeWork = Callable[[CancelToken], Work[Any]]

_JOBS: set[Job] = set()


def drive(work: Work[Any], token: CancelToken,
          on_step: Callable[[Progress], None]) -> tuple[str, Any]:
    """Run `work` to its end; return (``finished``|``cancelled``|``failed``, payload)."""
    thrown = False
    try:
        while True:
            if token.cancelled and thrown:
                work.close()  # it ignored the Cancelled we threw: stop it here
                return "cancelled", None
            if token.cancelled:
                thrown = True
                step = work.throw(Cancelled())
            else:
                step = next(work)
            on_step(step)
    except StopIteration as stop:
        return ("cancelled" if token.cancelled else "finished"), stop.value
    except Cancelled:
        return "cancelled", None
    except Exception as e:
        log.exception("background work failed")
        return "failed", error_message(e)


class _Runner(QThread):
    step = Signal(int, int, str, str, object)  # plain values (metrics: a tuple) as copies
    outcome = Signal(str, object)

    def __init__(self, make: MakeWork, token: CancelToken) -> None:
        super().__init__()
        self._make = make
        self._token = token

    def run(self) -> None:
        try:
            work = self._make(self._token)
        except Exception as e:  # the work could not even start (e.g. bad arguments)
            log.exception("background work could not start")
            self.outcome.emit("failed", error_message(e))
            return
        kind, payload = drive(work, self._token, self._emit_step)
        self.outcome.emit(kind, payload)

    def _emit_step(self, step: Progress) -> None:
        self.step.emit(step.done, step.total, step.message, step.stage, tuple(step.metrics))


class Job(QObject):
    """One run of long work on a worker thread (see the module docstring)."""

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal(object)
    done = Signal()

    def __init__(self, make: MakeWork, name: str = "job", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.token = CancelToken()
        self.outcome: str | None = None
        """``finished``, ``failed`` or ``cancelled`` once known."""
        self.result: Any = None
        self._runner = _Runner(make, self.token)
        self._runner.step.connect(self._on_step)
        self._runner.outcome.connect(self._on_outcome)
        self._runner.finished.connect(self._on_thread_end)

    def start(self) -> None:
        _JOBS.add(self)
        self._runner.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next yield (or check)."""
        self.token.cancel()

    def is_running(self) -> bool:
        return self._runner.isRunning()

    def wait(self, msecs: int | None = None) -> bool:
        """Block until the thread has ended (True) or `msecs` passed (False; None: no limit)."""
        return bool(self._runner.wait() if msecs is None else self._runner.wait(msecs))

    def _on_step(self, done: int, total: int, message: str, stage: str,
                 metrics: tuple[tuple[str, float], ...]) -> None:
        self.progress.emit(Progress(done, total, message, stage, metrics))

    def _on_outcome(self, kind: str, payload: Any) -> None:
        self.outcome, self.result = kind, payload
        if kind == "finished":
            self.finished.emit(payload)
        elif kind == "cancelled":
            self.cancelled.emit(payload)
        else:
            self.failed.emit(str(payload))

    def _on_thread_end(self) -> None:
        _JOBS.discard(self)
        self.done.emit()


def running_jobs() -> list[Job]:
    """Jobs whose thread is still running."""
    return [job for job in list(_JOBS) if job.is_running()]


def stop_all(msecs: int = 30_000) -> bool:
    """Cancel every running job and wait for their threads; True if all ended in time."""
    jobs = running_jobs()
    for job in jobs:
        job.cancel()
    return all(job.wait(msecs) for job in jobs)

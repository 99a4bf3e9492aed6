"""The worker: progress, results, one-line failures, cancel at the next yield, registry."""

from __future__ import annotations

import contextlib
import threading

from pytestqt.qtbot import QtBot

from desktop.qt import worker
from desktop.qt.worker import Job
from nlp.progress import Cancelled, CancelToken, Progress, Work


def counting(n: int, cancel: CancelToken) -> Work[int]:
    for i in range(n):
        cancel.check()
        yield Progress(i, n, f"step {i}")
    return n * 10


def test_progress_then_finished_with_the_result(qtbot: QtBot) -> None:
    job = Job(lambda cancel: counting(3, cancel), name="count")
    steps: list[Progress] = []
    job.progress.connect(steps.append)
    with qtbot.waitSignal(job.finished, timeout=5000) as blocker:
        job.start()
    assert job.wait(5000)
    assert blocker.args == [30]
    assert [s.done for s in steps] == [0, 1, 2]
    assert job.outcome == "finished" and job.result == 30


def test_a_failure_arrives_as_one_readable_line(qtbot: QtBot) -> None:
    def broken(cancel: CancelToken) -> Work[None]:
        yield Progress(0, 1)
        raise ValueError("the file is odd\nTraceback (most recent call last): ...")

    job = Job(broken, name="broken")
    with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
        job.start()
    assert blocker.args == ["ValueError: the file is odd"]
    assert job.wait(5000)


def test_a_job_that_cannot_start_fails_cleanly(qtbot: QtBot) -> None:
    def bad(cancel: CancelToken) -> Work[None]:
        raise OSError(2, "No such file or directory", "/nowhere")

    job = Job(bad, name="bad")
    with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
        job.start()
    assert blocker.args == ["/nowhere: No such file or directory"]
    assert job.wait(5000)


def test_cancel_takes_effect_at_the_next_yield(qtbot: QtBot) -> None:
    gate = threading.Event()
    finished_steps: list[int] = []

    def gated(cancel: CancelToken) -> Work[str]:
        try:
            for i in range(100):
                yield Progress(i, 100)
                if i == 1:
                    gate.wait(5)  # hold here until the test has pressed Cancel
                finished_steps.append(i)
        except Cancelled:
            return f"stopped after {len(finished_steps)}"
        return "ran to the end"

    job = Job(gated, name="gated")
    steps: list[Progress] = []
    job.progress.connect(steps.append)
    job.start()
    qtbot.waitUntil(lambda: len(steps) >= 2, timeout=5000)
    with qtbot.waitSignal(job.cancelled, timeout=5000) as blocker:
        job.cancel()
        gate.set()
    assert blocker.args == ["stopped after 2"]  # step 1 finished, step 2 never began
    assert job.outcome == "cancelled"
    assert job.wait(5000)


def test_work_that_ignores_cancel_is_closed(qtbot: QtBot) -> None:
    closed = threading.Event()

    def stubborn(cancel: CancelToken) -> Work[None]:
        try:
            while True:
                with contextlib.suppress(Cancelled):
                    yield Progress(0, 0)
        finally:
            closed.set()

    job = Job(stubborn, name="stubborn")
    with qtbot.waitSignal(job.progress, timeout=5000):
        job.start()
    with qtbot.waitSignal(job.cancelled, timeout=5000) as blocker:
        job.cancel()
    assert blocker.args == [None] and closed.is_set()
    assert job.wait(5000)


def test_registry_knows_running_jobs_and_stops_them(qtbot: QtBot) -> None:
    gate = threading.Event()

    def slow(cancel: CancelToken) -> Work[None]:
        while not gate.wait(0.01):
            yield Progress(0, 0)

    job = Job(slow, name="slow")
    job.start()
    assert job in worker.running_jobs()
    assert worker.stop_all(5000)
    assert job not in worker.running_jobs()
    gate.set()


def test_cancel_before_start(qtbot: QtBot) -> None:
    job = Job(lambda cancel: counting(5, cancel), name="early")
    job.cancel()
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        job.start()
    assert job.wait(5000)

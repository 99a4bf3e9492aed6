"""Parse untrusted files in a child process with a memory cap and a per-file timeout.

One persistent worker (`nlp.documents.worker`) serves a batch. Requests and replies are
JSON lines: nothing is unpickled, so a compromised child cannot run code here. A worker
that times out, crashes or runs out of memory is killed (with anything it started) and a
fresh one serves the next file.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from nlp.documents.loading import MAX_FILE_BYTES, check_file
from nlp.documents.model import Document, DocumentError, PasswordRequired

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 2048
_START_TIMEOUT = 60.0
_EOF = b""


def _reader(stream: IO[bytes], lines: queue.Queue[bytes]) -> None:
    try:
        for line in stream:
            lines.put(line)
    except (OSError, ValueError):
        pass
    lines.put(_EOF)


class _StartFailed(Exception):
    pass


class Sandbox:
    """A worker process that loads documents one at a time. Use as a context manager."""

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        memory_mb: int = DEFAULT_MEMORY_MB,
        max_bytes: int = MAX_FILE_BYTES,
        command: Sequence[str] | None = None,
    ) -> None:
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.max_bytes = max_bytes
        self.command = (
            list(command)
            if command is not None
            else [sys.executable, "-m", "nlp.documents.worker", "--memory-mb", str(memory_mb)]
        )
        self._proc: subprocess.Popen[bytes] | None = None
        self._lines: queue.Queue[bytes] = queue.Queue()
        self._thread: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        """The worker's process id, None when none is running."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _start(self) -> subprocess.Popen[bytes]:
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        env.setdefault("OMP_THREAD_LIMIT", "1")
        proc = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=os.name == "posix",
        )
        self._proc, self._lines = proc, queue.Queue()
        assert proc.stdout is not None
        self._thread = threading.Thread(
            target=_reader, args=(proc.stdout, self._lines), daemon=True
        )
        self._thread.start()
        ready = self._reply(time.monotonic() + max(_START_TIMEOUT, self.timeout))
        if not (isinstance(ready, dict) and ready.get("ready")):
            self._kill()
            why = f"exit code {ready[1]}" if isinstance(ready, tuple) else "no answer"
            raise _StartFailed(f"the document worker did not start ({why})")
        return proc

    def _reply(self, deadline: float) -> Any:
        """The next JSON line from the worker; "timeout" or ("exit", code) when none comes."""
        try:
            line = self._lines.get(timeout=max(deadline - time.monotonic(), 0.001))
        except queue.Empty:
            return "timeout"
        if line == _EOF:
            assert self._proc is not None
            try:
                return ("exit", self._proc.wait(timeout=5))
            except subprocess.TimeoutExpired:
                return ("exit", None)
        try:
            return json.loads(line)
        except ValueError:
            return "garbled"

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if os.name == "posix":
                os.killpg(proc.pid, signal.SIGKILL)  # the worker and any tesseract it started
            else:
                proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def close(self) -> None:
        """Stop the worker: ask politely (close its stdin), then kill."""
        proc = self._proc
        if proc is None:
            return
        with contextlib.suppress(OSError):
            if proc.stdin is not None:
                proc.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=3)
        self._kill()

    def load(self, path: str, password: str | None = None) -> Document:
        """Load `path` in the worker; raises DocumentError (PasswordRequired) on failure."""
        check_file(path, self.max_bytes)
        proc = self._proc if self._proc is not None and self._proc.poll() is None else None
        if proc is None:
            self._kill()
            try:
                proc = self._start()
            except (OSError, _StartFailed) as exc:
                raise DocumentError(path, str(exc)) from None
        request = {"path": path, "password": password, "max_bytes": self.max_bytes}
        try:
            assert proc.stdin is not None
            proc.stdin.write((json.dumps(request) + "\n").encode("utf-8"))
            proc.stdin.flush()
        except OSError:
            self._kill()
            raise DocumentError(path, "the document worker stopped unexpectedly") from None
        reply = self._reply(time.monotonic() + self.timeout)
        return self._outcome(path, reply)

    def _outcome(self, path: str, reply: Any) -> Document:
        if reply == "timeout":
            self._kill()
            raise DocumentError(path, f"timed out after {self.timeout:g} s")
        if isinstance(reply, tuple):
            self._kill()
            code = reply[1]
            if code is not None and code < 0:
                raise DocumentError(path, f"parser crashed (signal {-code})")
            raise DocumentError(path, f"parser crashed (exit code {code})")
        if not isinstance(reply, dict) or "ok" not in reply:
            self._kill()
            raise DocumentError(path, "the document worker sent an invalid reply")
        if reply.get("restart"):
            self._kill()
        if not reply["ok"]:
            error = PasswordRequired if reply.get("password") else DocumentError
            raise error(path, str(reply.get("reason", "unknown error")))
        try:
            return Document.from_json(reply["document"])
        except (KeyError, TypeError, ValueError):
            self._kill()
            raise DocumentError(path, "the document worker sent an invalid reply") from None

"""HTTP for pushes, with the standard library only (`urllib.request`).

One `Call` at a time, as long work: the request runs in a helper thread while the generator
yields how much of the body has gone; a cancel stops the upload at its next block (once the
whole body is sent, the request is left to finish: the endpoint may already be applying it).
Connection errors, timeouts and 5xx answers are retried with exponential backoff (a
``Retry-After`` in seconds is honoured, up to a limit); 4xx answers are not, and neither is a
timeout after the whole body was sent (the endpoint is likely still at work on it: a resend
would only queue the same work behind it). Redirects are not
followed: urllib would turn a redirected POST into a GET that "succeeds" without sending
anything. Proxies come from the usual environment variables. Every failure is one `PushError`
line naming what was sent where, the HTTP status and what the endpoint said; credentials never
appear in it.
"""

from __future__ import annotations

import base64
import functools
import http.client
import re
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from io import BytesIO
from typing import Any, BinaryIO

from nlp.progress import NEVER, Cancelled, CancelToken, Progress, Work

POLL_SECONDS = 0.1
MAX_BACKOFF = 30.0
MAX_RETRY_AFTER = 60.0
MAX_ANSWER = 64 * 1024
MESSAGE_CHARS = 300
USER_AGENT = "skein/0.1 (+SPARQL 1.1 Graph Store Protocol)"
NO_ANSWER = "no answer in time"


class PushError(Exception):
    """A push failed; the message says what, where and why. `status` is the HTTP status of the
    endpoint's answer, or None when there was none (connection error, timeout, bad URL)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Policy:
    retries: int = 3
    """Attempts after the first one."""
    timeout: float = 30.0
    """Seconds to connect, and between two reads of the answer."""
    backoff: float = 0.5
    """Seconds before the first retry; doubled before each next one."""
    auth: tuple[str, str] | None = None
    """(user, password) for HTTP basic authentication."""


@dataclass(frozen=True, slots=True)
class Call:
    method: str
    url: str
    content_type: str
    body: bytes | BinaryIO
    """The body; a seekable binary file is re-read from its start on each attempt."""
    what: str
    """What is sent, for messages (``upload of the project graph``)."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    text: str
    attempts: int


@dataclass(frozen=True, slots=True)
class _Failure:
    message: str
    retryable: bool
    status: int | None = None
    retry_after: float | None = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx reaches the caller as an HTTPError


@functools.cache
def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirect())


def check_url(url: str, what: str) -> str:
    """`url` if it is an http(s) URL with a host and no credentials in it; PushError otherwise."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as e:
        raise PushError(f"{what} {url!r} is not a URL ({e})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"{what} must be an http:// or https:// URL with a host, got {url!r}")
    if parts.username is not None or parts.password is not None:
        raise PushError(f"{what} must not hold credentials; give a user and a password instead")
    return url


def _size(body: bytes | BinaryIO) -> int:
    if isinstance(body, bytes):
        return len(body)
    return body.seek(0, 2)


class _Body:
    """The request body as http.client reads it: counts what is sent, stops on cancel."""

    def __init__(self, stream: BinaryIO, cancel: CancelToken) -> None:
        self.stream = stream
        self.cancel = cancel
        self.sent = 0

    def read(self, n: int = -1) -> bytes:
        self.cancel.check()
        block = self.stream.read(n)
        self.sent += len(block)
        return block


def _short(text: str) -> str:
    if text.lstrip().startswith("<"):
        text = re.sub(r"<[^>]*>", " ", text)  # an HTML error page: its words only
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1] + "…"


def _retry_after(value: str | None) -> float | None:
    if value is None or not value.strip().isdigit():
        return None
    return min(float(value.strip()), MAX_RETRY_AFTER)


def _http_failure(e: urllib.error.HTTPError) -> _Failure:
    try:
        said = _short(e.read(MAX_ANSWER).decode("utf-8", "replace"))
    except (OSError, http.client.HTTPException):
        said = ""
    finally:
        e.close()
    status = f"HTTP {e.code} {e.reason}".rstrip()
    if 300 <= e.code < 400:
        where = e.headers.get("Location") if e.headers else None
        return _Failure(f"{status}: redirected to {where}; use that URL", False, e.code)
    return _Failure(f"{status}: {said}" if said else status, e.code >= 500, e.code,
                    _retry_after(e.headers.get("Retry-After") if e.headers else None))


def _connection_failure(e: BaseException) -> _Failure:
    reason = e.reason if isinstance(e, urllib.error.URLError) else e
    if isinstance(reason, ssl.SSLCertVerificationError):
        return _Failure(f"TLS certificate not trusted ({reason.verify_message})", False)
    if isinstance(reason, ConnectionRefusedError):
        return _Failure("connection refused (is the endpoint running?)", True)
    if isinstance(reason, TimeoutError):
        return _Failure(NO_ANSWER, True)
    if isinstance(reason, str):
        return _Failure(reason, False)  # e.g. urllib's "unknown url type"
    return _Failure(f"cannot connect ({reason})", True)


class _Exchange:
    """One attempt of a call, run in a helper thread."""

    def __init__(self, call: Call, policy: Policy, cancel: CancelToken) -> None:
        self.call, self.policy, self.cancel = call, policy, cancel
        stream = BytesIO(call.body) if isinstance(call.body, bytes) else call.body
        stream.seek(0)
        self.body = _Body(stream, cancel)
        self.size = _size(call.body)
        stream.seek(0)
        self.answer: tuple[int, str] | None = None
        self.failure: _Failure | None = None
        self.cancelled = False

    def run(self) -> None:
        headers = {"Content-Type": self.call.content_type, "Content-Length": str(self.size),
                   "Accept": "*/*", "User-Agent": USER_AGENT}
        if self.policy.auth is not None:
            token = base64.b64encode(":".join(self.policy.auth).encode("utf-8")).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
        request = urllib.request.Request(  # noqa: S310 - `send` allowed only http(s) URLs
            self.call.url, data=self.body, headers=headers, method=self.call.method)
        try:
            with _opener().open(request, timeout=self.policy.timeout) as response:
                text = response.read(MAX_ANSWER).decode("utf-8", "replace")
                self.answer = (int(response.status), text)
        except Cancelled:
            self.cancelled = True
        except urllib.error.HTTPError as e:
            self.failure = _http_failure(e)
        except (urllib.error.URLError, http.client.HTTPException, OSError) as e:
            self.failure = _connection_failure(e)
            if self.failure.message == NO_ANSWER and self.body.sent >= self.size > 0:
                # all sent, no answer: the endpoint may still be applying it; sending it again
                # would only queue the same work behind it
                self.failure = _Failure(
                    f"no answer within {self.policy.timeout:g} s of sending everything (the "
                    "endpoint may still be applying it; allow more time with a longer timeout)",
                    False)
        except Exception as e:  # e.g. a URL urllib cannot use: a message, not a traceback
            self.failure = _Failure(f"{type(e).__name__}: {e}", False)


def _attempt(call: Call, policy: Policy, cancel: CancelToken) -> Work[_Exchange]:
    exchange = _Exchange(call, policy, cancel)
    thread = threading.Thread(target=exchange.run, name="skein-push-http", daemon=True)
    thread.start()
    while True:
        thread.join(POLL_SECONDS)
        if not thread.is_alive():
            break
        sent = exchange.body.sent
        if sent < exchange.size:
            yield Progress(sent, exchange.size, "sending", "push")
        else:  # total unknown: the endpoint is working on it
            yield Progress(0, 0, "waiting for the endpoint", "push")
    if exchange.cancelled:
        raise Cancelled()
    return exchange


def _wait(seconds: float, message: str, cancel: CancelToken) -> Work[None]:
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        cancel.check()
        yield Progress(0, 0, f"retrying in {left:.0f} s: {message}", "push")
        time.sleep(min(POLL_SECONDS, left))
    cancel.check()


def send(call: Call, policy: Policy, cancel: CancelToken = NEVER) -> Work[Answer]:
    """Send `call`, retrying as `policy` says; the endpoint's 2xx answer, else PushError."""
    check_url(call.url, "the endpoint")
    attempts = 0
    while True:
        cancel.check()
        attempts += 1
        exchange = yield from _attempt(call, policy, cancel)
        if exchange.answer is not None:
            status, text = exchange.answer
            if 200 <= status < 300:
                return Answer(status, text, attempts)
            failure = _Failure(f"unexpected HTTP {status}: {_short(text)}", False, status)
        else:
            failure = exchange.failure or _Failure("no answer", True)
        if not failure.retryable or attempts > policy.retries:
            tries = f" (after {attempts} attempts)" if attempts > 1 else ""
            raise PushError(f"{call.what} to {call.url} failed{tries}: {failure.message}",
                            failure.status)
        delay = min(policy.backoff * 2 ** (attempts - 1), MAX_BACKOFF)
        if failure.retry_after is not None:
            delay = max(delay, failure.retry_after)
        yield from _wait(delay, failure.message, cancel)

"""A tiny observer: views connect callbacks, state objects emit. Plain Python, no Qt."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, ParamSpec

P = ParamSpec("P")


class Event(Generic[P]):
    """A list of callbacks called in order by `emit` (like a Qt signal, but synchronous)."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[P, object]] = []

    def connect(self, callback: Callable[P, object]) -> None:
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callable[P, object]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def clear(self) -> None:
        self._callbacks.clear()

    def emit(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for callback in list(self._callbacks):
            callback(*args, **kwargs)

    def __len__(self) -> int:
        return len(self._callbacks)


class Subscriptions:
    """The callbacks one view connected, so it can drop them all when it shows other state."""

    def __init__(self) -> None:
        self._pairs: list[tuple[Event[Any], Callable[..., object]]] = []

    def connect(self, event: Event[P], callback: Callable[P, object]) -> None:
        event.connect(callback)
        self._pairs.append((event, callback))

    def clear(self) -> None:
        for event, callback in self._pairs:
            event.disconnect(callback)
        self._pairs.clear()

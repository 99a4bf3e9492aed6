"""Extraction backends by name, resolved lazily from ``"module:factory"`` strings.

Like rdflib's plugin registry: registering a backend imports nothing; the module is
imported the first time `get_extractor` asks for it, so heavy backends (torch) cost
nothing until used. The factory is called with the options given to `get_extractor`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import cast

from nlp.extract.types import Extractor

Factory = Callable[..., Extractor]

_BACKENDS: dict[str, str | Factory] = {}


class UnknownExtractorError(KeyError, ValueError):
    """No backend is registered under the requested name."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def register(name: str, target: str | Factory, *, replace: bool = False) -> None:
    """Register `target` (``"package.module:factory"`` or a callable) as backend `name`.

    Registering a name twice is an error unless `replace` is true.
    """
    if not name:
        raise ValueError("a backend needs a name")
    if isinstance(target, str):
        module, sep, attr = target.partition(":")
        if not (module and sep and attr):
            raise ValueError(f"backend target {target!r} is not of the form 'module:factory'")
    elif not callable(target):
        raise TypeError(f"backend target for {name!r} must be a string or a callable")
    if name in _BACKENDS and not replace and _BACKENDS[name] != target:
        raise ValueError(f"extraction backend {name!r} is already registered")
    _BACKENDS[name] = target


def names() -> tuple[str, ...]:
    """Registered backend names, sorted."""
    return tuple(sorted(_BACKENDS))


def get_extractor(name: str, **options: object) -> Extractor:
    """A new instance of backend `name`, built with `options` (``default``: the trained
    default model when installed, else the rule-based baseline)."""
    if name == "default":
        name = default_backend()
    try:
        target = _BACKENDS[name]
    except KeyError:
        known = ", ".join(names()) or "none"
        raise UnknownExtractorError(
            f"unknown extraction backend {name!r}; known backends: {known}"
        ) from None
    if isinstance(target, str):
        module, _, attr = target.partition(":")
        target = cast("Factory", getattr(importlib.import_module(module), attr))
    return target(**options)


register("rules", "nlp.extract.rules:RuleBaseline")
register("transformer", "nlp.model.extractor:TransformerExtractor")


def default_backend() -> str:
    """``transformer`` when the shipped default model is installed, else ``rules``."""
    from nlp.model.extractor import DEFAULT_BUNDLE

    return "transformer" if (DEFAULT_BUNDLE / "bundle.json").is_file() else "rules"

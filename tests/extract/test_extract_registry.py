"""The backend registry: lookup by name, lazy import, errors that list known names."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence

import pytest

from nlp.extract import Extraction, ModelInfo, UnknownExtractorError, registry
from nlp.extract.rules import RuleBaseline
from nlp.text import Sentence, split_sentences


@pytest.fixture
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_BACKENDS", dict(registry._BACKENDS))


def test_rules_is_registered_and_honestly_described() -> None:
    assert "rules" in registry.names()
    ex = registry.get_extractor("rules")
    assert isinstance(ex, RuleBaseline)
    assert ex.info == ModelInfo(
        id="rule-baseline@0.1",
        kind="rules",
        description="Rule-based baseline (capitalisation + gazetteers + cue words); "
        "not a trained model",
    )


def test_options_reach_the_factory() -> None:
    ex = registry.get_extractor("rules", relations=False)
    text = "Boston, Massachusetts."
    result = ex.extract(text, split_sentences(text))
    assert result.mentions and not result.relations


def test_unknown_name_lists_known_backends() -> None:
    with pytest.raises(KeyError) as info:
        registry.get_extractor("no-such-backend")
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, UnknownExtractorError)
    assert "no-such-backend" in str(info.value) and "rules" in str(info.value)


class _Dummy:
    def __init__(self, tag: str = "x") -> None:
        self.tag = tag

    @property
    def info(self) -> ModelInfo:
        return ModelInfo(id=f"dummy-{self.tag}", kind="rules", description="test double")

    def extract(self, text: str, sentences: Sequence[Sentence]) -> Extraction:
        return Extraction((), ())


@pytest.mark.usefixtures("clean_registry")
def test_register_string_target_is_imported_lazily() -> None:
    registry.register("dummy", f"{__name__}:_Dummy")
    assert "dummy" in registry.names()
    ex = registry.get_extractor("dummy", tag="y")
    assert ex.info.id == "dummy-y"


@pytest.mark.usefixtures("clean_registry")
def test_register_callable_and_duplicates() -> None:
    registry.register("dummy", _Dummy)
    registry.register("dummy", _Dummy)  # same target again: fine
    with pytest.raises(ValueError, match="already registered"):
        registry.register("dummy", "somewhere:else")
    registry.register("dummy", f"{__name__}:_Dummy", replace=True)
    assert registry.get_extractor("dummy").info.id == "dummy-x"


@pytest.mark.parametrize("target", ["no_colon", ":attr", "module:", ""])
@pytest.mark.usefixtures("clean_registry")
def test_register_rejects_malformed_targets(target: str) -> None:
    with pytest.raises(ValueError):
        registry.register("bad", target)


def test_package_import_is_light() -> None:
    code = (
        "import sys, nlp.extract\n"
        "heavy = {'spacy', 'torch', 'transformers', 'PySide6', 'nlp.extract.rules'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

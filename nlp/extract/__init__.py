"""Entity and relation extraction behind one interface (`Extractor`).

Backends are looked up by name in `nlp.extract.registry`; ``rules`` is the rule-based
baseline (`nlp.extract.rules.RuleBaseline`), not a trained model. Importing this
package is cheap: backends are imported when `get_extractor` first asks for them.
"""

from nlp.extract.registry import UnknownExtractorError, get_extractor, names, register
from nlp.extract.types import (
    ENTITY_TYPES,
    Extraction,
    Extractor,
    Mention,
    ModelInfo,
    RelationMention,
)

__all__ = [
    "ENTITY_TYPES",
    "Extraction",
    "Extractor",
    "Mention",
    "ModelInfo",
    "RelationMention",
    "UnknownExtractorError",
    "get_extractor",
    "names",
    "register",
]

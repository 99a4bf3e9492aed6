"""Training data and evaluation: corpus readers, IOB conversion and NER/RE metrics.

Pure standard library -- no torch or transformers -- so ``skein evaluate`` and the tests
can import it cheaply. The model code that trains on these examples lives elsewhere.
"""

from nlp.training.bio import from_bio, resolve_overlaps, spans_to_bio, to_bio
from nlp.training.examples import (
    Example,
    RelLabel,
    RelTriple,
    SpanLabel,
    data_hash,
    documents,
    entity_counts,
    relation_counts,
)
from nlp.training.metrics import (
    EvalReport,
    NerScores,
    ReScores,
    evaluate,
    format_table,
    ner_scores,
    ner_scores_from_tags,
    re_scores,
    token_accuracy,
)
from nlp.training.readers import (
    CONLL04_TO_DEFAULT,
    formats,
    normalise_labels,
    read_conll,
    read_examples,
    read_spert,
    register_format,
)

__all__ = [
    "CONLL04_TO_DEFAULT",
    "EvalReport",
    "Example",
    "NerScores",
    "ReScores",
    "RelLabel",
    "RelTriple",
    "SpanLabel",
    "data_hash",
    "documents",
    "entity_counts",
    "evaluate",
    "format_table",
    "formats",
    "from_bio",
    "ner_scores",
    "ner_scores_from_tags",
    "normalise_labels",
    "re_scores",
    "read_conll",
    "read_examples",
    "read_spert",
    "register_format",
    "relation_counts",
    "resolve_overlaps",
    "spans_to_bio",
    "to_bio",
    "token_accuracy",
]

"""The literals every RDF writer of a snapshot shares: text, times, confidences and scores."""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal

from rdflib import Literal
from rdflib.namespace import XSD

from kg.rdf.facts import clean


def text(value: str) -> Literal:
    """A plain string literal holding `value`, made representable in every format."""
    return Literal(clean(value))


def time(value: str) -> Literal:
    """``xsd:dateTime`` when `value` is ISO 8601, else a plain string literal."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return text(value)
    return Literal(parsed.isoformat(), datatype=XSD.dateTime)


def confidence(value: float) -> Literal | None:
    """An exact ``xsd:decimal`` of a float, or None where it is NaN or infinite."""
    number = float(value)
    if not math.isfinite(number):
        return None
    lexical = format(Decimal(repr(number)), "f")  # never an exponent: xsd:decimal has none
    return Literal(lexical if "." in lexical else lexical + ".0", datatype=XSD.decimal)

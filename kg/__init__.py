"""Skein's knowledge layer: the project store, the graph, RDF, queries and embeddings.

Importing this package is cheap: no Qt, no torch, no transformers.
"""

__version__ = "0.1.0"

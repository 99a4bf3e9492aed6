"""Skein's language layer: documents, sentences, extraction and training.

Importing this package is cheap: it pulls in neither Qt nor torch nor transformers.
Heavy libraries are imported inside the functions that need them.
"""

__version__ = "0.1.0"

"""The transformer NER + relation model: encoder, features, training, bundles, inference.

Nothing here imports torch or transformers at package import; the modules that need them
(`network`, `train`, `infer`) are imported by the functions that use a model.
"""

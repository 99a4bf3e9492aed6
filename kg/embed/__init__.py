"""Knowledge-graph embeddings (PyKEEN) and what they are used for: predicted links with their
evidence, similar entities, duplicate candidates.

* `kg.embed.triples` - the training triples of a project (facts + optional structure).
* `kg.embed.train` - `fit` (long work, one `Progress` per epoch) and `evaluate` (MRR, Hits@k).
* `kg.embed.project` - `train_project`: read, split, train, evaluate, save.
* `kg.embed.storage` - the model folder: safetensors + JSON, never pickle.
* `kg.embed.predict` - `link_predictions` with `kg.embed.evidence`.
* `kg.embed.similar` - `nearest`, `duplicate_candidates`.
* `kg.embed.decisions` - accept/reject a predicted link; `accepted_links`.

Importing `kg.embed` loads neither torch nor PyKEEN: they are imported by the functions
that train or use a model.
"""

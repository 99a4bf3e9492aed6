"""The query layer: SPARQL over a project's RDF, text search and graph queries.

* `kg.query.store` - `QueryStore`, the project's dataset in an Oxigraph store; `open_index`
  keeps a cached on-disk index next to the project, rebuilt whenever its content changes.
* `kg.query.sparql` - `run_query`: refuses what may reach outside the index (see
  `kg.query.safety`), runs with a time limit and a cancel token; `QueryResult`.
* `kg.query.output` - the result as an aligned table, JSON or CSV.
* `kg.query.lookups` - ready-made queries whose user values are bound, never pasted.
* `kg.query.search` - full-text search over entity names and aliases.
* `kg.query.paths` - neighbourhoods and shortest paths, with their evidence.

Import the submodules you need; this package imports nothing.
"""

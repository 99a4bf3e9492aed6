"""RDF and graph exports of a project snapshot.

`mapping` turns a `kg.records.Snapshot` into an rdflib dataset (facts per document in named
graphs, PROV-O provenance in the default graph), `formats` is the registry of export formats and
`export()`, `gephi` writes GraphML/GEXF networks and `parse` reads RDF back without touching the
network. The ontology is ``assets/ontology/skein.ttl``. Import the submodules you need; this
package imports nothing so that ``import kg`` stays light.
"""

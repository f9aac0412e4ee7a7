"""`make test` fails on any integrity violation in data/ (shapes/integrity.ttl)."""

from __future__ import annotations

from openness.graph.dataset import Dataset
from openness.claims.catalogue import INTEGRITY_PREFIX, shapes_graph
from openness.claims.closure import data_graph
from openness.claims.pyshacl_engine import run_shacl


def test_bundled_data_has_no_integrity_violation() -> None:
    import rdflib

    dataset = Dataset.load(include_shapes=False)
    shapes = sorted(str(s) for s in shapes_graph().subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape"))
                    if str(s).startswith(INTEGRITY_PREFIX))
    assert len(shapes) >= 5
    results = [r for r in run_shacl(data_graph(dataset, dataset.triples()), shapes) if r.severity == "Violation"]
    assert not results, f"{len(results)} integrity violations, first ones:\n" + "\n".join(
        f"{r.focus} {r.path or ''}: {r.message}" for r in results[:30])

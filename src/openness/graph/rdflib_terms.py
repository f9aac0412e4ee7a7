"""Oxigraph terms as rdflib terms, without a round trip through text (pySHACL and the JSON-LD writer
work on rdflib graphs; parsing N-Triples back costs far more than building the terms).

A plain literal becomes an rdflib literal with no datatype, as rdflib's own parsers give it."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Terms:
    """Converts terms, building each IRI once (the same IRI recurs thousands of times in a graph)."""

    def __init__(self) -> None:
        import rdflib

        self._rdflib = rdflib
        self._iris: dict[str, object] = {}

    def __call__(self, node):
        rdflib = self._rdflib
        if isinstance(node, ox.NamedNode):
            found = self._iris.get(node.value)
            if found is None:
                found = self._iris[node.value] = rdflib.URIRef(node.value)
            return found
        if isinstance(node, ox.BlankNode):
            return rdflib.BNode(node.value)
        if node.language:
            return rdflib.Literal(node.value, lang=node.language)
        datatype = node.datatype.value
        return rdflib.Literal(node.value, datatype=None if datatype == XSD_STRING else rdflib.URIRef(datatype))


def rdflib_graph(triples: Iterable[ox.Triple], graph=None):
    """The triples added to `graph` (a new rdflib Graph when None); returns the graph."""
    import rdflib

    graph = rdflib.Graph() if graph is None else graph
    term = Terms()
    for t in triples:
        graph.add((term(t.subject), term(t.predicate), term(t.object)))
    return graph

"""The closure of a project: the triples its verdicts depend on (step 2 of the verdict flow).

A project is validated over its closure (its own triples, its releases and components, their licences
with the ODRL rule nodes, its owner and the claims recorded about it) plus the ontology, which is
small and quick; pySHACL over an rdflib graph backed by an Oxigraph store did not finish in 10
minutes on 1,000 projects, so the closure crosses over as N-Triples into a plain rdflib Graph
(Dataset.to_rdflib).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from .catalogue import OO, ontology_graph

CLOSURE_QUERY = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX odrl: <http://www.w3.org/ns/odrl/2/>
SELECT DISTINCT ?project ?s ?p ?o WHERE {
  { ?project ?p ?o . BIND(?project AS ?s) }
  UNION { ?project oo:hasRelease|oo:currentRelease ?s . ?s ?p ?o }
  UNION { ?project oo:hasRelease|oo:currentRelease ?r . ?r oo:hasComponent ?s . ?s ?p ?o }
  UNION { ?project oo:hasRelease|oo:currentRelease ?r . ?r (oo:hasComponent/dct:license)|dct:license ?s . ?s ?p ?o }
  UNION { ?project oo:hasRelease|oo:currentRelease ?r . ?r (oo:hasComponent/dct:license)|dct:license ?l .
          ?l odrl:permission|odrl:duty|odrl:prohibition ?s . ?s ?p ?o }
  UNION { ?project oo:hasRelease|oo:currentRelease ?r . ?r (oo:hasComponent/dct:license)|dct:license ?l .
          ?l odrl:permission|odrl:duty|odrl:prohibition ?rule . ?rule odrl:constraint ?s . ?s ?p ?o }
  UNION { ?project oo:owner ?s . ?s ?p ?o }
  UNION { ?s oo:claimAbout ?project . ?s ?p ?o }
  UNION { ?project oo:hasRelease|oo:currentRelease ?r . ?s oo:claimAbout ?r . ?s ?p ?o }
  UNION { { ?c oo:claimAbout ?project } UNION { ?project oo:hasRelease ?r2 . ?c oo:claimAbout ?r2 }
          ?c oo:claimedBy ?s . ?s ?p ?o }
}
"""

FOCUS_QUERY = """
PREFIX oo: <https://w3id.org/openness/ontology#>
SELECT ?project ?current ?release WHERE {
  OPTIONAL { ?project oo:currentRelease ?current }
  OPTIONAL { ?project oo:hasRelease ?release }
}
"""


def closure_triples(dataset, project_iri: str) -> list[ox.Triple]:
    """The triples a project's verdicts depend on, read from the store with one CONSTRUCT.

    A project that names no current release but has exactly one release gets that release as its
    current one (docs/design.md: the focus is the current release, or the only one).
    """
    project = ox.NamedNode(project_iri)
    # A SELECT, not a CONSTRUCT: pyoxigraph applies substitutions only to projected variables.
    _, found = dataset.select(CLOSURE_QUERY, {"project": project})
    triples = [ox.Triple(s, p, o) for _, s, p, o in found]
    _, rows = dataset.select(FOCUS_QUERY, {"project": project})
    currents = {r[1] for r in rows if r[1] is not None}
    releases = {r[2] for r in rows if r[2] is not None}
    if not currents and len(releases) == 1:
        triples.append(ox.Triple(project, ox.NamedNode(OO + "currentRelease"), next(iter(releases))))
    return triples


def data_graph(dataset, triples: Iterable[ox.Triple]):
    """A plain in-memory rdflib graph: the ontology plus the given triples."""
    graph = dataset.to_rdflib(triples=triples)
    graph += ontology_graph()
    return graph



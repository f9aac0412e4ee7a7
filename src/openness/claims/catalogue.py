"""The claims catalogue: the claim types of shapes/claims.ttl, and the shapes and ontology graphs they are read from.

The shapes (shapes/*.ttl) and the ontology are parsed once per process into plain rdflib graphs; a
claim is resolved by id or IRI. Step 1 of the verdict flow (catalogue -> closure -> engine -> results
-> verdicts): which shapes make up a claim's verdict.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import resources
from ..errors import OpennessError, suggest

if TYPE_CHECKING:
    import rdflib

OO = "https://w3id.org/openness/ontology#"
SH = "http://www.w3.org/ns/shacl#"
SHAPES = "https://w3id.org/openness/shapes#"
CLAIM_BASE = "https://w3id.org/openness/id/claim/"
DCT = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
FOAF = "http://xmlns.com/foaf/0.1/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OPEN_WASHING_SHAPE = SHAPES + "OpenWashing"
DUE_DILIGENCE_SHAPE = SHAPES + "DueDiligence"
INTEGRITY_PREFIX = SHAPES + "Integrity"


@dataclass(frozen=True)
class Claim:
    """A claim type as shapes/claims.ttl describes it."""

    id: str
    iri: str
    title: str
    definition: str
    source: str
    source_label: str
    shape: str
    findings: tuple[str, ...] = ()
    unknowns: str | None = None
    implies: tuple[str, ...] = ()
    interpretations: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "source": self.source, "shape": self.shape}


def _parse_turtle(paths) -> "rdflib.Graph":
    """Turtle files in one rdflib graph, parsed by Oxigraph (several times faster than rdflib's own
    Turtle parser, which cost every cold command about half a second); the same triples as
    rdflib.Graph.parse gives (a plain literal has no datatype, as rdflib parses it)."""
    import pyoxigraph as ox
    import rdflib

    from ..graph.rdflib_terms import rdflib_graph

    graph = rdflib.Graph()
    for path in sorted(paths):
        # Blank node labels are scoped to their file, as rdflib's parser scopes them.
        rdflib_graph(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=Path(path).resolve().as_uri(),
                              rename_blank_nodes=True), graph)
    return graph


@functools.lru_cache(maxsize=1)
def shapes_graph():
    """Every shapes/*.ttl file in one rdflib graph, parsed once per process."""
    return _parse_turtle(resources.shapes_dir().glob("*.ttl"))


@functools.lru_cache(maxsize=1)
def ontology_graph():
    """The ontology in one rdflib graph (labels, freedoms' actions, file formats), parsed once per process."""
    return _parse_turtle(resources.ontology_dir().rglob("*.ttl"))


def _text(graph, subject, predicate) -> str | None:
    import rdflib

    values = sorted(str(o) for o in graph.objects(rdflib.URIRef(subject), rdflib.URIRef(predicate)))
    return values[0] if values else None


def _index(paths) -> dict[tuple[str, str], list[str]]:
    """(subject, predicate) -> the objects' values, of Turtle files parsed by Oxigraph: what claims() reads,
    without parsing the files into rdflib graphs (a command that only names a claim needs no rdflib)."""
    import pyoxigraph as ox

    out: dict[tuple[str, str], list[str]] = {}
    for path in sorted(paths):
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=Path(path).resolve().as_uri(),
                               rename_blank_nodes=True):
            out.setdefault((triple.subject.value, triple.predicate.value), []).append(triple.object.value)
    return out


@functools.lru_cache(maxsize=1)
def claims() -> dict[str, Claim]:
    """Every claim type of shapes/claims.ttl by id, in id order."""
    sg = _index(resources.shapes_dir().glob("*.ttl"))
    onto = _index(resources.ontology_dir().rglob("*.ttl"))

    def text(index, subject: str, predicate: str) -> str | None:
        values = sorted(index.get((subject, predicate), ()))
        return values[0] if values else None

    types = {s for (s, p), objects in sg.items() if p == RDF_TYPE and OO + "ClaimType" in objects}
    out: dict[str, Claim] = {}
    for iri in types:
        cid = text(sg, iri, OO + "claimId")
        shape = text(sg, iri, OO + "checkedBy")
        if not cid or not shape:
            continue
        source = text(sg, iri, DCT + "source") or ""
        comment = text(sg, shape, RDFS + "comment")
        out[cid] = Claim(
            id=cid, iri=iri, title=text(sg, iri, DCT + "title") or cid,
            definition=text(sg, iri, SKOS + "definition") or "",
            source=source, source_label=text(onto, source, RDFS + "label") or source, shape=shape,
            unknowns=text(sg, iri, OO + "unknownsBy"),
            findings=tuple(sorted(set(sg.get((iri, OO + "findingsBy"), ())))),
            implies=tuple(sorted(set(sg.get((iri, OO + "impliesClaim"), ())))),
            interpretations=(comment,) if comment else ())
    return dict(sorted(out.items()))


def resolve_claim(given: str) -> Claim:
    """The claim type `given` names: its id or its IRI; an unknown one suggests close ids."""
    known = claims()
    text = given.strip()
    if text in known:
        return known[text]
    for claim in known.values():
        if claim.iri == text:
            return claim
    raise OpennessError(f"unknown claim {given!r}{suggest(text, known)}; `openness claims` lists them")


def claim_shapes(claim: Claim) -> list[str]:
    """The shapes a claim's verdict is made of: its own (what refutes it), its unknowns (what leaves it
    undetermined), its findings, and the open-washing rules."""
    return [claim.shape, *([claim.unknowns] if claim.unknowns else []), *claim.findings, OPEN_WASHING_SHAPE]



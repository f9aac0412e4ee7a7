"""The claims catalogue: the claim types of shapes/claims.ttl, and the shapes and ontology graphs they are read from.

The shapes (shapes/*.ttl) and the ontology are parsed once per process into plain rdflib graphs; a
claim is resolved by id or IRI. Step 1 of the verdict flow (catalogue -> closure -> engine -> results
-> verdicts): which shapes make up a claim's verdict.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from .. import resources
from ..errors import OpennessError, suggest

OO = "https://w3id.org/openness/ontology#"
SH = "http://www.w3.org/ns/shacl#"
SHAPES = "https://w3id.org/openness/shapes#"
CLAIM_BASE = "https://w3id.org/openness/id/claim/"
DCT = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
FOAF = "http://xmlns.com/foaf/0.1/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
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
    import rdflib

    graph = rdflib.Graph()
    for path in sorted(paths):
        graph.parse(path, format="turtle")
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


@functools.lru_cache(maxsize=1)
def claims() -> dict[str, Claim]:
    """Every claim type of shapes/claims.ttl by id, in id order."""
    import rdflib

    sg, onto = shapes_graph(), ontology_graph()
    out: dict[str, Claim] = {}
    for iri in sg.subjects(rdflib.RDF.type, rdflib.URIRef(OO + "ClaimType")):
        cid = _text(sg, iri, OO + "claimId")
        shape = _text(sg, iri, OO + "checkedBy")
        if not cid or not shape:
            continue
        source = _text(sg, iri, DCT + "source") or ""
        comment = _text(sg, shape, RDFS + "comment")
        out[cid] = Claim(
            id=cid, iri=str(iri), title=_text(sg, iri, DCT + "title") or cid,
            definition=_text(sg, iri, SKOS + "definition") or "",
            source=source, source_label=_text(onto, source, RDFS + "label") or source, shape=shape,
            unknowns=_text(sg, iri, OO + "unknownsBy"),
            findings=tuple(sorted(str(o) for o in sg.objects(iri, rdflib.URIRef(OO + "findingsBy")))),
            implies=tuple(sorted(str(o) for o in sg.objects(iri, rdflib.URIRef(OO + "impliesClaim")))),
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



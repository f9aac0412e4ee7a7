"""Validation engine: claims as SHACL shapes, checked by pySHACL over a plain in-memory rdflib graph.

The shapes (shapes/*.ttl) are parsed once per process. A project is validated over its closure (its
own triples, its releases and components, their licences with the ODRL rule nodes, its owner and the
claims recorded about it) plus the ontology, which is small and quick; pySHACL over an rdflib graph
backed by an Oxigraph store did not finish in 10 minutes on 1,000 projects, so the closure crosses
over as N-Triples into a plain rdflib Graph (Dataset.to_rdflib).

Timings (bundled data, 2 cores): pySHACL takes 0.7-1.3 s for one project and one claim, 240 s for
58 projects and all claims; the default engine (shacl_sparql.py on Oxigraph) takes 10-12 s for the
same; see verdicts.py.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import resources
from .errors import OpennessError, suggest

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
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


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
    """The shapes a claim's verdict is made of: its own, its findings, and the open-washing rules."""
    return [claim.shape, *claim.findings, OPEN_WASHING_SHAPE]


# ------------------------------------------------------------------------------------ closures
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
    current one (DESIGN: the focus is the current release, or the only one).
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


# ------------------------------------------------------------------------------------ running pySHACL
@dataclass
class Result:
    """One SHACL validation result, in terms a person and a script can use."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str
    rule: str | None
    constraint: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"severity": self.severity, "focus": self.focus, "path": self.path, "value": self.value,
                "message": self.message, "shape": self.shape, "rule": self.rule}

    def sort_key(self) -> tuple:
        return (SEVERITY_ORDER.get(self.severity, 9), self.rule or "", self.focus, self.value or "", self.message)


@functools.lru_cache(maxsize=None)
def _constraint_info(node: str) -> tuple[str | None, str | None]:
    """A constraint's (or shape's) rule id and its '(source: ...)' suffix."""
    sg, onto = shapes_graph(), ontology_graph()
    rule = _text(sg, node, OO + "ruleId")
    source = _text(sg, node, DCT + "source")
    if not source:
        return rule, None
    label = _text(onto, source, RDFS + "label") or source
    page = _text(onto, source, FOAF + "page")
    return rule, f"(source: {label}{', ' + page if page else ''})"


def _term(value) -> str | None:
    if value is None:
        return None
    return str(value)


def make_result(severity: str, focus: str, path: str | None, value: str | None, message: str, shape: str,
                constraint: str | None) -> Result:
    """A Result with the constraint's rule id, and its source appended to the message (both engines)."""
    rule, suffix = _constraint_info(constraint) if constraint is not None else (None, None)
    if rule is None and suffix is None:
        rule, suffix = _constraint_info(shape)
    message = message.strip()
    if suffix and suffix not in message:
        message = f"{message} {suffix}"
    return Result(severity, focus, path, value, message, shape, rule, constraint)


def run_shacl(graph, shape_iris: Sequence[str] | None = None) -> list[Result]:
    """Validate `graph` against the bundled shapes (or only `shape_iris`) and return typed results."""
    import pyshacl
    import rdflib

    kwargs = {}
    if shape_iris is not None:
        kwargs["use_shapes"] = [rdflib.URIRef(s) for s in shape_iris]
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph(), inference=None, advanced=False,
                                    allow_warnings=True, allow_infos=True, **kwargs)
    sh = rdflib.Namespace(SH)
    out = []
    for node in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        def one(predicate, node=node):
            return report.value(node, predicate)

        constraint = one(sh.sourceConstraint)
        path = one(sh.resultPath)
        out.append(make_result(str(one(sh.resultSeverity)).removeprefix(SH), str(one(sh.focusNode)),
                               _term(path) if isinstance(path, rdflib.URIRef) else None, _term(one(sh.value)),
                               str(one(sh.resultMessage) or ""), str(one(sh.sourceShape)),
                               None if constraint is None else str(constraint)))
    return sorted(out, key=Result.sort_key)

"""HTML pages of the graph: one per resource, the ontology documentation and the index pages.

Shared by `publish` (static files, relative links ending in .html) and `serve` (paths on the server's
own host). Templates are Jinja2 with autoescaping on, so every string that comes from data is
HTML-escaped; no template marks data as safe.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..graph.iris import ONTOLOGY, ONTOLOGY_IRI
from .documents import RDF_MEDIA, RDF_TYPE, GraphView

_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_FORMAT_LABELS = {"text/turtle": "Turtle", "application/ld+json": "JSON-LD",
                     "application/n-triples": "N-Triples", "application/rdf+xml": "RDF/XML"}


STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_TYPES = {".css": "text/css", ".js": "text/javascript"}


def static_files() -> dict[str, bytes]:
    """The site's style sheet and scripts by site path ("static/site.css"): files, never inline, so the
    server's Content-Security-Policy can allow scripts and styles from the site itself only."""
    return {f"static/{p.name}": p.read_bytes() for p in sorted(STATIC_DIR.iterdir())
            if p.suffix in STATIC_TYPES and p.is_file()}


@lru_cache(maxsize=1)
def environment():
    """The Jinja2 environment over src/openness/templates, autoescaping everything."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from ..resources import templates_dir

    return Environment(loader=FileSystemLoader(str(templates_dir())), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


@dataclass(frozen=True)
class Linker:
    """Where links point: `root` leads from the current page to the site root, `suffix` ends page names.

    Static site: root "../../" and suffix ".html" (works from any folder or file://); server: "/" and "".
    """

    root: str
    suffix: str
    base: str

    def path_of(self, iri: str) -> str | None:
        """The site path (without suffix) of a resource under the instance base, or None."""
        if not iri.startswith(self.base):
            return None
        segments = iri[len(self.base):].split("/")
        if len(segments) < 2 or not all(_SAFE_SEGMENT.match(s) for s in segments):
            return None
        return "id/" + "/".join(segments)

    def href(self, iri: str) -> str | None:
        """A link to the page documenting `iri`, if the site has one."""
        if iri == ONTOLOGY_IRI:
            return self.page("ontology")
        if iri.startswith(ONTOLOGY):
            return self.page("ontology") + "#" + iri[len(ONTOLOGY):]
        path = self.path_of(iri)
        return self.root + path + self.suffix if path else None

    def page(self, name: str) -> str:
        if name == "index":
            return self.root + ("index.html" if self.suffix else "")
        return self.root + name + self.suffix

    def file(self, name: str) -> str:
        return self.root + name

    def formats(self, iri: str) -> list[dict[str, str]]:
        """Links to the resource's RDF documents (static files, or the server's extensions)."""
        if iri == ONTOLOGY_IRI:
            stem = self.root + "ontology"
        else:
            path = self.path_of(iri)
            if path is None:
                return []
            stem = self.root + path
        return [{"href": f"{stem}.{ext}", "label": RDF_FORMAT_LABELS[media], "type": media}
                for media, (ext, _) in RDF_MEDIA.items()]


def _literal_note(literal: ox.Literal) -> str:
    if literal.language:
        return literal.language
    if literal.datatype and literal.datatype.value not in (XSD + "string",):
        return literal.datatype.value.replace(XSD, "xsd:")
    return ""


class Pages:
    """Renders every page from one GraphView; labels and verdicts are looked up once."""

    def __init__(self, view: GraphView, verdicts: Sequence[Mapping] | None = None,
                 verdicts_note: str | None = None, sparql: bool = False) -> None:
        self.view = view
        self.verdicts = list(verdicts or [])
        self.verdicts_note = verdicts_note
        self.sparql = sparql

    # -- values ---------------------------------------------------------------------------------------
    def value(self, term, linker: Linker, depth: int = 0) -> dict[str, object]:
        """One object of a triple as the template shows it."""
        if isinstance(term, ox.Literal):
            return {"kind": "literal", "text": term.value, "note": _literal_note(term)}
        if isinstance(term, ox.BlankNode):
            rows = self.rows(term, linker, depth + 1) if depth < 4 else []
            return {"kind": "nested", "rows": rows}
        iri = term.value
        href = linker.href(iri)
        text = self.view.label(term) if self.view.has_label(iri) or href else iri
        if href:
            return {"kind": "link", "href": href, "text": text, "iri": iri}
        return {"kind": "external", "href": iri if iri.startswith(("http://", "https://")) else None,
                "text": text, "iri": iri}

    def predicate(self, term: ox.NamedNode, linker: Linker) -> dict[str, object]:
        href = linker.href(term.value)
        return {"text": self.view.label(term), "href": href or term.value, "iri": term.value}

    def rows(self, subject, linker: Linker, depth: int = 0) -> list[dict[str, object]]:
        """The subject's properties, one row per predicate with all its values."""
        grouped: dict[ox.NamedNode, list] = {}
        for triple in self.view.outgoing(subject):
            grouped.setdefault(triple.predicate, []).append(triple.object)
        out = []
        for predicate in sorted(grouped, key=lambda p: (p != RDF_TYPE, self.view.label(p).casefold(), p.value)):
            values = sorted(grouped[predicate], key=lambda o: (self.view.label(o).casefold(), str(o)))
            out.append({"predicate": self.predicate(predicate, linker),
                        "values": [self.value(o, linker, depth) for o in values]})
        return out

    def render(self, template: str, linker: Linker, **context) -> str:
        return environment().get_template(template).render(link=linker, sparql=self.sparql, **context)

    # -- pages ----------------------------------------------------------------------------------------
    def resource(self, iri: str, linker: Linker) -> str:
        """The page of one resource: its properties, what links to it, and (for projects) claim verdicts."""
        node = ox.NamedNode(iri)
        kind = (linker.path_of(iri) or "id/resource").split("/")[1]
        incoming = [{"subject": self.value(t.subject, linker), "predicate": self.predicate(t.predicate, linker)}
                    for t in self.view.incoming(node) if isinstance(t.subject, ox.NamedNode)]
        verdicts = [v for v in self.verdicts if str(v.get("project")) == iri]
        return self.render("resource.html", linker, title=self.view.label(node), iri=iri, kind=kind,
                           rows=self.rows(node, linker), incoming=incoming[:500], formats=linker.formats(iri),
                           components=self.components(node, linker) if kind == "project" else [],
                           verdicts=[self._verdict(v) for v in verdicts],
                           verdicts_note=self.verdicts_note if kind == "project" else None)

    def components(self, project: ox.NamedNode, linker: Linker) -> list[dict[str, object]]:
        """The project's releases and components, with availability and licences, for its page."""
        view, out = self.view, []
        has_release, has_component = ox.NamedNode(ONTOLOGY + "hasRelease"), ox.NamedNode(ONTOLOGY + "hasComponent")
        kind_p, avail_p = ox.NamedNode(ONTOLOGY + "componentKind"), ox.NamedNode(ONTOLOGY + "availability")
        licence_p = ox.NamedNode("http://purl.org/dc/terms/license")
        for rel in (t.object for t in view.outgoing(project) if t.predicate == has_release):
            for comp in (t.object for t in view.outgoing(rel) if t.predicate == has_component):
                facts = view.outgoing(comp)
                kinds = [self.value(t.object, linker) for t in facts if t.predicate == kind_p]
                avail = [self.value(t.object, linker) for t in facts if t.predicate == avail_p]
                licences = [self.value(t.object, linker) for t in facts if t.predicate == licence_p]
                out.append({"release": self.value(rel, linker), "component": self.value(comp, linker),
                            "kinds": kinds, "availability": avail, "licences": licences,
                            "sort": (view.label(rel).casefold(), " ".join(str(k["text"]) for k in kinds).casefold())})
        return sorted(out, key=lambda c: c["sort"])

    @staticmethod
    def _verdict(v: Mapping) -> dict[str, object]:
        results = []
        for r in v.get("results") or []:
            if isinstance(r, Mapping):
                results.append(str(r.get("message") or r.get("explanation") or r))
            else:
                results.append(str(r))
        interpretations = [str(i.get("text") if isinstance(i, Mapping) and "text" in i else i)
                           for i in (v.get("interpretations") or [])]
        return {"claim": str(v.get("claim")), "conforms": v.get("conforms"), "results": results,
                "interpretations": interpretations}

    def ontology(self, linker: Linker) -> str:
        """The ontology documentation: one section per kind of term, one anchor per term."""
        view = self.view
        groups: dict[str, list] = {}
        order = {"owl:Ontology": 0, "owl:Class": 1, "owl:ObjectProperty": 2, "owl:DatatypeProperty": 3,
                 "owl:AnnotationProperty": 4, "skos:ConceptScheme": 5}
        names = {"http://www.w3.org/2002/07/owl#Ontology": "owl:Ontology",
                 "http://www.w3.org/2002/07/owl#Class": "owl:Class",
                 "http://www.w3.org/2002/07/owl#ObjectProperty": "owl:ObjectProperty",
                 "http://www.w3.org/2002/07/owl#DatatypeProperty": "owl:DatatypeProperty",
                 "http://www.w3.org/2002/07/owl#AnnotationProperty": "owl:AnnotationProperty",
                 "http://www.w3.org/2004/02/skos/core#ConceptScheme": "skos:ConceptScheme"}
        titles = {"owl:Ontology": "Ontology", "owl:Class": "Classes", "owl:ObjectProperty": "Object properties",
                  "owl:DatatypeProperty": "Datatype properties", "owl:AnnotationProperty": "Annotation properties",
                  "skos:ConceptScheme": "Concept schemes", "other": "Concepts and other terms"}
        for term in view.ontology_terms():
            types = {names.get(t.object.value) for t in view.outgoing(term) if t.predicate == RDF_TYPE}
            known = sorted((t for t in types if t), key=lambda t: order[t])
            key = known[0] if known else "other"
            anchor = term.value[len(ONTOLOGY):] if term.value.startswith(ONTOLOGY) else "ontology"
            groups.setdefault(key, []).append({"anchor": anchor, "iri": term.value, "label": view.label(term),
                                               "rows": self.rows(term, linker)})
        sections = [{"title": titles[k], "id": k.replace(":", "-").lower(),
                     "terms": sorted(groups[k], key=lambda t: t["anchor"].casefold())}
                    for k in sorted(groups, key=lambda k: order.get(k, 9))]
        return self.render("ontology.html", linker, title="Openness ontology", sections=sections,
                           formats=linker.formats(ONTOLOGY_IRI), iri=ONTOLOGY_IRI)

    def index(self, linker: Linker, counts: Mapping[str, int]) -> str:
        return self.render("index.html", linker, title="Openness", counts=counts)

    def projects(self, linker: Linker, projects: Sequence[Mapping[str, object]]) -> str:
        """The projects index with each project's claim verdicts (one column per claim)."""
        claims = sorted({str(v.get("claim")) for v in self.verdicts})
        table = {(str(v.get("project")), str(v.get("claim"))): v.get("conforms") for v in self.verdicts}
        rows = [{"href": linker.href(str(p["iri"])), "label": p["label"], "kind": p["kind"],
                 "verdicts": [table.get((str(p["iri"]), c), "unknown") for c in claims]} for p in projects]
        return self.render("projects.html", linker, title="Projects", rows=rows, claims=claims,
                           verdicts_note=self.verdicts_note)

    def licences(self, linker: Linker, licences: Sequence[Mapping[str, object]]) -> str:
        rows = [{**lic, "href": linker.href(str(lic["licence"]))} for lic in licences]
        return self.render("licences.html", linker, title="Licences", rows=rows)

    def compare(self, linker: Linker, projects: Sequence[Mapping[str, object]],
                cells: Mapping[tuple[str, str], str], kinds: Sequence[str]) -> str:
        """Projects side by side: one column per project, one row per component kind."""
        columns = [{"iri": str(p["iri"]), "label": p["label"], "href": linker.href(str(p["iri"])),
                    "id": str(p["id"])} for p in projects]
        rows = [{"kind": kind, "cells": [cells.get((c["iri"], kind), "") for c in columns]} for kind in kinds]
        return self.render("compare.html", linker, title="Compare projects", columns=columns, rows=rows)


COMPARE_QUERY = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?project ?kind (SAMPLE(?avail) AS ?availability)
       (GROUP_CONCAT(DISTINCT ?lic; separator=" AND ") AS ?licence)
WHERE {
  ?project oo:hasRelease ?release .
  OPTIONAL { ?project oo:currentRelease ?current . }
  FILTER(!BOUND(?current) || ?current = ?release)
  ?release oo:hasComponent ?c .
  ?c oo:componentKind ?k . ?k rdfs:label ?kind .
  OPTIONAL { ?c oo:availability/rdfs:label ?avail . }
  OPTIONAL { ?c dct:license ?l . OPTIONAL { ?l oo:spdxId ?sid . } OPTIONAL { ?l rdfs:label ?ll . }
             BIND(COALESCE(?sid, ?ll, STR(?l)) AS ?lic) }
}
GROUP BY ?project ?kind
"""


def compare_cells(dataset) -> tuple[dict[tuple[str, str], str], list[str]]:
    """(project IRI, component kind label) -> "availability (licence)" for each project's current release."""
    names, rows = dataset.select(COMPARE_QUERY)
    cells: dict[tuple[str, str], str] = {}
    kinds: set[str] = set()
    for project, kind, availability, licence in rows:
        text = availability.value if availability is not None else "availability not stated"
        if licence is not None and licence.value:
            text += f" ({licence.value})"
        cells[(project.value, kind.value)] = text
        kinds.add(kind.value)
    return cells, sorted(kinds, key=str.casefold)

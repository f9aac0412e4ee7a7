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
        from .site_pages import licence_context, project_context

        extra = {"project": project_context(self, iri, linker) if kind == "project" else None,
                 "licence": licence_context(self, iri, linker) if kind == "licence" else None}
        return self.render("resource.html", linker, title=self.view.label(node), iri=iri, kind=kind,
                           rows=self.rows(node, linker), incoming=incoming[:500], formats=linker.formats(iri),
                           verdicts_note=self.verdicts_note if kind == "project" else None, **extra)

    def claim_title(self, claim_id: str) -> str:
        from ..claims.catalogue import claims

        known = claims()
        return known[claim_id].title if claim_id in known else claim_id

    def site(self):
        """The matrix data (projects, claims, component kinds), built once per set of verdicts."""
        from ..claims.report import KEY_CLAIMS
        from .site_data import build
        from .site_pages import ViewQueries, project_list

        key = (id(self.verdicts), len(self.verdicts))
        if getattr(self, "_site_key", None) != key:
            queries = ViewQueries(self.view)
            ids = list(dict.fromkeys([*KEY_CLAIMS, *sorted({str(v.get("claim")) for v in self.verdicts})]))
            self._site = build(queries, self.view, project_list(queries), self.verdicts,
                               [c for c in ids if c in KEY_CLAIMS])
            self._site_key = key
        return self._site

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

    def index(self, linker: Linker, counts: Mapping[str, int], catalogue: bool = False) -> str:
        """The openness matrix: curated projects (or, with `catalogue`, the imported records)."""
        from markupsafe import Markup

        from .site_data import OUTCOME_LABELS, outcome_chart

        site = self.site()
        rows = [{**p, "href": linker.href(p["iri"])} for p in site.projects if p["curated"] != catalogue]
        options = {"kinds": sorted({r["kind"] for r in rows}), "owners": sorted({r["owner"] for r in rows}, key=str.casefold),
                   "licences": sorted({name for r in rows for name in r["licences"]}, key=str.casefold),
                   "outcomes": [*OUTCOME_LABELS.items(), ("public", "public"), ("gated", "gated"), ("closed", "closed"),
                                ("unknown", "unknown")]}
        wanted = {r["iri"] for r in rows}
        subset = type(site)(rows, site.kinds, site.claims, {k: v for k, v in site.verdicts.items() if k[0] in wanted})
        chart = Markup(outcome_chart(subset.counts())) if site.claims and rows else None
        return self.render("index.html", linker, title="Catalogue records" if catalogue else "Openness matrix",
                           counts=counts, rows=rows, claims=site.claims, kinds=site.kinds, options=options,
                           labels=OUTCOME_LABELS, chart=chart, catalogue=catalogue, verdicts_note=self.verdicts_note,
                           catalogue_count=sum(1 for p in site.projects if not p["curated"]))

    def catalogue(self, linker: Linker, counts: Mapping[str, int]) -> str:
        return self.index(linker, counts, catalogue=True)

    def compare_json(self, linker: Linker) -> str:
        """compare.json: what compare.js renders (links relative to the compare page)."""
        import json

        text = json.dumps(self.site().compare_json(lambda iri: linker.href(iri)), ensure_ascii=False, sort_keys=True)
        # Markup characters as JSON escapes: the same data, and never HTML if a browser sniffs the file.
        return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")

    def projects(self, linker: Linker, projects: Sequence[Mapping[str, object]]) -> str:
        """The projects index with each project's claim verdicts (one column per claim)."""
        from .site_data import adapt

        claims = sorted({str(v.get("claim")) for v in self.verdicts})
        table = {(str(v.get("project")), str(v.get("claim"))): adapt(v)["verdict"] for v in self.verdicts}
        rows = [{"href": linker.href(str(p["iri"])), "label": p["label"], "kind": p["kind"],
                 "verdicts": [table.get((str(p["iri"]), c), "unknown") for c in claims]} for p in projects]
        return self.render("projects.html", linker, title="Projects", rows=rows, claims=claims,
                           verdicts_note=self.verdicts_note)

    def licences(self, linker: Linker, licences: Sequence[Mapping[str, object]]) -> str:
        rows = [{**lic, "href": linker.href(str(lic["licence"]))} for lic in licences]
        return self.render("licences.html", linker, title="Licences", rows=rows)

    def compare(self, linker: Linker, projects: Sequence[Mapping[str, object]] = (),
                cells: Mapping[tuple[str, str], str] | None = None, kinds: Sequence[str] = ()) -> str:
        """Projects side by side (claims and component kinds); without script, a default pair.

        `projects`, `cells` and `kinds` are accepted for callers of the former signature and unused:
        the page reads the matrix data (`site()`)."""
        from .site_data import OUTCOME_LABELS

        site = self.site()
        by_id = {p["id"]: p for p in site.projects}
        curated = [p for p in site.projects if p["curated"]]
        defaults = [i for i in ("olmo", "llama-2") if i in by_id] or [p["id"] for p in curated[:2]]
        defaults = (defaults + [p["id"] for p in curated if p["id"] not in defaults])[:2] + [""]
        shown = [by_id[i] for i in defaults if i]
        rows = []
        for c in site.claims:
            cells_ = [{"text": OUTCOME_LABELS.get(p["outcomes"].get(c["id"], ""), "not checked"),
                       "css": "o-" + p["outcomes"].get(c["id"], "undetermined")} for p in shown]
            rows.append({"label": f"{c['title']} ({c['id']})", "cells": cells_})
        for k in site.kinds:
            cells_ = []
            for p in shown:
                cell = p["cells"].get(k["id"])
                text = (cell["availability"] + (f" ({' AND '.join(cell['licences'])})" if cell["licences"] else "")
                        if cell else "not stated")
                cells_.append({"text": text, "css": "a-" + (cell["class"] if cell else "unknown")})
            rows.append({"label": k["label"], "cells": cells_})
        for r in rows:
            r["differs"] = len({c["text"] for c in r["cells"]}) > 1
        columns = [{"label": p["label"], "href": linker.href(p["iri"]), "owner": p["owner"]} for p in shown]
        choices = curated + [p for p in site.projects if not p["curated"]]
        return self.render("compare.html", linker, title="Compare projects", columns=columns, rows=rows,
                           choices=choices, defaults=defaults)

    def methodology(self, linker: Linker) -> str:
        """How each claim is judged (shapes/claims.ttl), what undetermined means, how to correct a fact."""
        from ..claims.catalogue import claims

        items = [{"id": c.id, "title": c.title, "definition": c.definition, "source": c.source_label or c.source,
                  "source_href": linker.href(c.source) or c.source, "interpretations": list(c.interpretations),
                  "implies": list(c.implies)} for c in claims().values()]
        return self.render("methodology.html", linker, title="Methodology and corrections", claims=items)

    def figure2(self, linker: Linker) -> str:
        """The seed article's Figure 2 (figure-2-spectrum) beside what the licences grant
        (freedoms-vs-licence, laid out on the same grid), and the outcomes per claim over every project."""
        from markupsafe import Markup

        from ..graph.query import saved_queries
        from .site_data import outcome_chart
        from .site_pages import ViewQueries

        queries, saved = ViewQueries(self.view), saved_queries()

        def plain(term):
            if term is None:
                return None
            if isinstance(term, ox.Literal) and term.datatype is not None and term.datatype.value == XSD + "boolean":
                return term.value == "true"
            return term.value

        names, rows = queries.select(saved["figure-2-spectrum"].text)
        figure = [dict(zip(names, (plain(t) for t in row))) for row in rows]
        freedoms = [n for n in names if n not in ("example", "notes")]
        names, rows = queries.select(saved["freedoms-vs-licence"].text)
        grants: dict[tuple[str, str], dict] = {}
        for row in rows:
            r = dict(zip(names, (plain(t) for t in row)))
            key = (str(r["example"]), str(r["freedom"]).lower().replace("/", "_"))
            grants[key] = {"grants": r["licence_grants"], "article": r["article_grants"],
                           "why": f"{r['licences'] or ''}: {r['licence_evidence'] or 'no licence action grants it'}"}
        licensed = [f for f in freedoms if any(k[1] == f for k in grants)]
        with_terms = {row[0].value for row in queries.select(FIGURE_2_LICENSED)[1]}
        site = self.site()
        chart = Markup(outcome_chart(site.counts())) if site.claims and site.verdicts else None
        return self.render("figure2.html", linker, title="Figure 2: the spectrum of openness", figure=figure,
                           freedoms=freedoms, licensed=licensed, grants=grants, chart=chart, with_terms=with_terms,
                           projects=len({k[0] for k in site.verdicts}))


FIGURE_2_LICENSED = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?example WHERE {
  ?a a oo:Assessment ; prov:wasAttributedTo oo:UnravelingOpenSourceAI ; oo:assessedProject ?p .
  ?p rdfs:label ?example ; oo:currentRelease/oo:hasComponent/dct:license ?lic .
}"""

"""What the project, licence, methodology and Figure 2 pages show, read from a GraphView.

Queries about one project or licence bind it as an RDF term (never formatted into the text) and
touch only that resource's neighbourhood.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from ..graph.iris import ONTOLOGY, slug_of, slugify
from .site_data import OUTCOME_LABELS, adapt, availability_class

DCT = "http://purl.org/dc/terms/"
RECORDED_STATUS = {"holds": "supported", "does-not-hold": "refuted", "undetermined": "unverified"}


class ViewQueries:
    """SELECT over the union of a GraphView's data graphs (the same default graph as Dataset.select)."""

    def __init__(self, view) -> None:
        self.view = view

    def select(self, text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None):
        graphs = list(self.view.graphs)
        result = self.view.store.query(text, default_graph=graphs or None, named_graphs=graphs or None,
                                       substitutions={ox.Variable(k): v for k, v in (bindings or {}).items()} or None)
        # A bound variable must be in the projection (Oxigraph); it is left out of the rows.
        names = [v.value for v in result.variables if v.value not in (bindings or {})]
        return names, [[solution[n] for n in names] for solution in result]


def project_list(queries: ViewQueries) -> list[dict]:
    """Every project (id, iri, label, kind, identifier), as graph.projects.list_projects gives them."""
    from ..graph.query import saved_queries

    out = []
    for project, label, kind, identifier in queries.select(saved_queries()["projects"].text)[1]:
        iri = project.value
        out.append({"id": slug_of(iri), "iri": iri, "label": label.value if label is not None else slug_of(iri),
                     "kind": slugify(kind.value if kind is not None else "project"),
                     "identifier": identifier.value if identifier is not None else None})
    return sorted(out, key=lambda p: (p["id"], p["iri"]))


RELEASES = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT $project ?release ?issued ?version ?current WHERE {
  $project oo:hasRelease ?release .
  OPTIONAL { ?release dct:issued ?issued . }
  OPTIONAL { ?release oo:version ?version . }
  BIND(EXISTS { $project oo:currentRelease ?release } AS ?current)
}"""
COMPONENTS = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT $release ?component ?kind ?avail ?lic ?string WHERE {
  $release oo:hasComponent ?component .
  OPTIONAL { ?component oo:componentKind ?kind . }
  OPTIONAL { ?component oo:availability ?avail . }
  OPTIONAL { ?component dct:license ?lic . OPTIONAL { ?lic oo:stringAttached ?string . } }
}"""
RECORDED = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT $project ?claim ?type ?tid ?by ?date ?quote ?source WHERE {
  { ?claim oo:claimAbout $project . } UNION { $project oo:hasRelease ?r . ?claim oo:claimAbout ?r . }
  ?claim oo:claimType ?type .
  OPTIONAL { ?type oo:claimId ?tid . }
  OPTIONAL { ?claim oo:claimedBy ?by . }
  OPTIONAL { ?claim dct:date ?date . }
  OPTIONAL { ?claim oo:quote ?quote . }
  OPTIONAL { ?claim dct:source ?source . }
}"""
SOURCES = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT $project ?source ?checked WHERE {
  { $project dct:source ?source . OPTIONAL { $project oo:checkedOn ?checked . } }
  UNION { $project oo:hasRelease ?s . ?s dct:source ?source . OPTIONAL { ?s oo:checkedOn ?checked . } }
  UNION { $project oo:hasRelease ?r . ?r oo:hasComponent ?s . ?s dct:source ?source .
          OPTIONAL { ?s oo:checkedOn ?checked . } }
}"""
# Each branch starts from $project: `{ BIND($project AS ?s) } UNION ...` left ?s unbound in Oxigraph (the
# substitution does not reach into BIND), so that branch joined every source of the graph: each project
# page listed the whole catalogue's sources (about 1,100) and its query took 0.2 s.


def _text(term) -> str | None:
    return None if term is None else term.value


def project_context(pages, iri: str, linker) -> dict:
    """Verdict badges and reasons, components by release, recorded claims, sources, the data file."""
    view, q = pages.view, ViewQueries(pages.view)
    node = ox.NamedNode(iri)
    verdicts = [adapt(v) for v in pages.verdicts if str(v.get("project")) == iri]
    outcome_of = {v["claim"]: v["verdict"] for v in verdicts}
    for v in verdicts:
        v["label_text"] = OUTCOME_LABELS.get(v["verdict"], v["verdict"])
        v["title"] = pages.claim_title(v["claim"])
        for r in v["results"]:
            fact = r.get("fact") or {}
            r["fact_text"] = " ".join(str(view.label(ox.NamedNode(x)) if isinstance(x, str) and x.startswith("http") else x)
                                      for x in (fact.get("subject"), fact.get("property"), fact.get("value")) if x)
    releases = []
    for release, issued, version, current in q.select(RELEASES, {"project": node})[1]:
        components = {}
        for comp, kind, avail, lic, string in q.select(COMPONENTS, {"release": release})[1]:
            c = components.setdefault(comp.value, {
                "href": linker.href(comp.value), "kind": view.label(kind) if kind is not None else view.label(comp),
                "kind_id": kind.value[len(ONTOLOGY):] if kind is not None and kind.value.startswith(ONTOLOGY) else "",
                "availability": view.label(avail) if avail is not None else "not stated",
                "class": availability_class(_text(avail)), "licences": {}, "strings": set()})
            if lic is not None:
                c["licences"][lic.value] = {"text": view.label(lic), "href": linker.href(lic.value)}
            if string is not None:
                c["strings"].add(view.label(string))
        from .site_data import KIND_ORDER
        order = {k: i for i, k in enumerate(KIND_ORDER)}
        comps = sorted(({**c, "licences": list(c["licences"].values()), "strings": sorted(c["strings"])}
                        for c in components.values()), key=lambda c: (order.get(c["kind_id"], 99), c["kind"]))
        history = [{"text": view.label(lic), "href": linker.href(lic.value) if isinstance(lic, ox.NamedNode) else None,
                    "dates": " to ".join(x for x in (_text(since) or "", _text(until) or "") if x), "source": _text(src) or ""}
                   for lic, since, until, src in q.select(RELEASE_LICENCE_HISTORY, {"release": release})[1]]
        releases.append({"label": view.label(release), "href": linker.href(release.value), "issued": _text(issued) or "",
                         "licence_history": sorted(history, key=lambda h: h["dates"]),
                         "version": _text(version) or "", "current": current is not None and current.value == "true",
                         "components": comps})
    releases.sort(key=lambda r: (not r["current"], r["issued"] == "", [-ord(ch) for ch in r["issued"]]))
    recorded = []
    for claim, ctype, tid, by, date, quote, source in q.select(RECORDED, {"project": node})[1]:
        cid = _text(tid) or ctype.value.rsplit("/", 1)[-1]
        status = RECORDED_STATUS.get(outcome_of.get(cid, ""), "unverified")
        recorded.append({"claim": cid, "title": pages.claim_title(cid), "by": view.label(by) if by is not None else "",
                         "date": _text(date) or "", "quote": _text(quote) or "", "source": _text(source) or "",
                         "status": status, "checked": cid in outcome_of})
    recorded.sort(key=lambda r: (r["date"], r["claim"]))
    sources: dict[str, str] = {}
    for source, checked in q.select(SOURCES, {"project": node})[1]:
        if isinstance(source, ox.NamedNode):
            sources[source.value] = max(sources.get(source.value, ""), _text(checked) or "")
    row = next((p for p in pages.site().projects if p["iri"] == iri), None)
    other = "llama-2" if slug_of(iri) != "llama-2" else "olmo"
    return {"verdicts": verdicts, "releases": releases, "recorded": recorded, "row": row,
            "compare": f"{linker.page('compare')}?a={slug_of(iri)}&b={other}",
            "sources": [{"iri": s, "text": view.label(ox.NamedNode(s)) if s.startswith(ONTOLOGY) else s,
                         "href": linker.href(s) or s, "checked": d} for s, d in sorted(sources.items())],
            "data_file": f"data/projects/{slug_of(iri)}.ttl", "labels": OUTCOME_LABELS}


LICENCE_RULES = """
PREFIX odrl: <http://www.w3.org/ns/odrl/2/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT $licence ?kind ?action ?comment WHERE {
  VALUES (?p ?kind) { (odrl:permission "permission") (odrl:duty "duty") (odrl:prohibition "prohibition")
                      (odrl:obligation "duty") }
  $licence ?p ?rule . ?rule odrl:action ?action .
  OPTIONAL { ?rule rdfs:comment ?comment . }
}"""
LICENCE_USERS = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT $licence ?project ?kind WHERE {
  ?component dct:license $licence . ?release oo:hasComponent ?component . ?project oo:hasRelease ?release .
  OPTIONAL { ?component oo:componentKind ?kind . }
}"""
LICENCE_HISTORY = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT $licence ?p ?other ?from ?until WHERE {
  { $licence oo:supersededBy ?other . BIND("superseded by" AS ?p) }
  UNION { ?other oo:supersededBy $licence . BIND("supersedes" AS ?p) }
  UNION { ?other oo:licenceHistory ?h . ?h dct:license $licence . BIND("the licence of" AS ?p)
          OPTIONAL { ?h oo:validFrom ?from . } OPTIONAL { ?h oo:validUntil ?until . } }
}"""
RELEASE_LICENCE_HISTORY = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT $release ?lic ?from ?until ?source WHERE {
  $release oo:licenceHistory ?h . ?h dct:license ?lic .
  OPTIONAL { ?h oo:validFrom ?from . } OPTIONAL { ?h oo:validUntil ?until . } OPTIONAL { ?h dct:source ?source . }
}"""
STRING_DETAILS = """
PREFIX oo: <https://w3id.org/openness/ontology#>
SELECT $licence ?cap ?region WHERE {
  OPTIONAL { $licence oo:userCapMAU ?cap . } OPTIONAL { $licence oo:excludedRegion ?region . }
}"""


def humane(view, term) -> str:
    """A label, or the local name made readable (odrl:DerivativeWorks -> "Derivative works")."""
    import re

    if view.has_label(term.value):
        return view.label(term)
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", view.label(term)).split()
    return " ".join([words[0]] + [w.lower() for w in words[1:]]) if words else view.label(term)


def licence_context(pages, iri: str, linker) -> dict:
    """Permissions, duties, prohibitions, strings attached, the projects using it and its history."""
    view, q = pages.view, ViewQueries(pages.view)
    node = ox.NamedNode(iri)
    rules: dict[str, list[dict]] = {"permission": [], "duty": [], "prohibition": []}
    for kind, action, comment in q.select(LICENCE_RULES, {"licence": node})[1]:
        item = {"text": humane(view, action), "detail": _text(comment) or ""}
        if item not in rules[kind.value]:
            rules[kind.value].append(item)
    strings = sorted({view.label(t.object) for t in view.outgoing(node) if t.predicate.value == ONTOLOGY + "stringAttached"})
    users: dict[str, dict] = {}
    for project, kind in q.select(LICENCE_USERS, {"licence": node})[1]:
        entry = users.setdefault(project.value, {"text": view.label(project), "href": linker.href(project.value), "kinds": set()})
        if kind is not None:
            entry["kinds"].add(view.label(kind))
    history = [{"relation": p.value, "text": view.label(other), "href": linker.href(other.value) if isinstance(other, ox.NamedNode) else None,
                "date": " to ".join(x for x in (_text(since) or "", _text(until) or "") if x)}
               for p, other, since, until in q.select(LICENCE_HISTORY, {"licence": node})[1]]
    details: dict[str, str] = {}
    for cap, region in q.select(STRING_DETAILS, {"licence": node})[1]:
        if cap is not None:
            details["User cap"] = f"above {int(float(cap.value)):,} monthly active users"
        if region is not None:
            details.setdefault("Geographic exclusion", region.value)
    strings = [{"text": s, "detail": details.get(s, "")} for s in strings]
    return {"rules": {k: sorted(v, key=lambda r: r["text"].casefold()) for k, v in rules.items()}, "strings": strings,
            "users": sorted(({**u, "kinds": sorted(u["kinds"])} for u in users.values()), key=lambda u: u["text"].casefold()),
            "history": history}

"""A publisher's bill of materials (SPDX 3.0 AI/Dataset, CycloneDX 1.6 ML-BOM) as a release description.

`BomRelease` is what both readers fill in: one project, its release and components, with minted IRIs
(`sbom-<name>`), never the IRIs of curated nodes, so a release checked from its SBOM is judged on what
the SBOM says and nothing else. Every node cites the SBOM file (dct:source) and the date it was read.
What the SBOM does not state stays unstated: a component whose availability it does not give is
oo:AvailabilityUnknown, a licence it gives as NOASSERTION is oo:LicenceUndisclosed.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ..errors import OpennessError
from ..graph.iris import licence_iri, slugify
from .common import IRI, Graph, Lit, inst, q, url_iri, xsd_date

OO = "https://w3id.org/openness/ontology#"


def licence_terms(expression: str, custom: dict[str, str] | None = None) -> list[IRI]:
    """The licences of an SPDX licence expression as IRIs (a LicenseRef through its customIdToUri entry)."""
    text = (expression or "").strip()
    if not text or text == "NOASSERTION":
        return [IRI(OO + "LicenceUndisclosed")]
    if text == "NONE":
        return [IRI(OO + "Unlicensed")]
    from license_expression import ExpressionError, get_spdx_licensing

    licensing = get_spdx_licensing()
    try:
        keys = licensing.license_keys(licensing.parse(text, validate=False, strict=False))
    except ExpressionError as exc:
        raise OpennessError(f"bad licence expression {text!r}: {exc}") from None
    custom = {**(custom or {}), "NOASSERTION": OO + "LicenceUndisclosed", "NONE": OO + "Unlicensed"}
    return sorted({IRI(custom[k]) if k in custom else IRI(licence_iri(k)) for k in keys})


def rdf_term(text: str) -> IRI | Lit:
    """An RDF term from its N-Triples form (how the SPDX export's extension writes values)."""
    try:
        (triple,) = list(ox.parse(f"<urn:x:s> <urn:x:p> {text} .".encode(), format=ox.RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError):
        raise OpennessError(f"bad extension value {text!r}: expected an RDF term in N-Triples form") from None
    o = triple.object
    if isinstance(o, ox.NamedNode):
        return IRI(o.value)
    if isinstance(o, ox.Literal):
        if o.language:
            return Lit(o.value, None, o.language)
        return Lit(o.value, o.datatype.value if o.datatype else None)
    raise OpennessError(f"bad extension value {text!r}: blank nodes are not carried")


class BomRelease:
    """One release described from a bill of materials, written as a Graph."""

    def __init__(self, name: str, source: IRI, identifier: str | None = None) -> None:
        self.name = name
        self.slug = "sbom-" + slugify(name)
        self.project, self.release = inst("project", self.slug), inst("release", self.slug)
        self.source = source
        self.stamped: list[IRI] = []
        self.graph = Graph()
        self.components: dict[str, IRI] = {}
        g = self.graph
        g.add(self.project, q("rdf:type"), q("oo:AIModel"))
        g.add(self.project, q("rdfs:label"), name)
        g.add(self.project, q("dct:identifier"), identifier or name)
        g.add(self.project, q("oo:hasRelease"), self.release)
        g.add(self.project, q("oo:currentRelease"), self.release)
        g.add(self.release, q("rdf:type"), q("oo:Release"))
        g.add(self.release, q("rdfs:label"), f"{name} (bill of materials)")
        g.add(self.release, q("oo:releaseOf"), self.project)
        self.stamp(self.project)
        self.stamp(self.release)

    def stamp(self, node: IRI) -> None:
        """Cite the BOM as the node's source (oo:checkedOn, the date it was read, is added by finish)."""
        self.graph.add(node, q("dct:source"), self.source)
        self.stamped.append(node)

    def add(self, node: IRI, predicate: str, value) -> None:
        self.graph.add(node, IRI(predicate) if predicate.startswith("http") else q(predicate), value)

    def component(self, key: str, kind: str | None, label: str) -> IRI:
        """The component the BOM element `key` describes (one node per element, in order of first mention)."""
        if key in self.components:
            return self.components[key]
        base = f"{self.slug}-{slugify(kind.rsplit('#', 1)[-1].rsplit(':', 1)[-1]) if kind else 'component'}"
        slug, n = base, 2
        while inst("component", slug) in self.components.values():
            slug, n = f"{base}-{n}", n + 1
        node = inst("component", slug)
        self.components[key] = node
        self.graph.add(self.release, q("oo:hasComponent"), node)
        self.graph.add(node, q("rdf:type"), q("oo:Component"))
        self.graph.add(node, q("rdfs:label"), label if label.startswith(self.name) else f"{self.name}: {label}")
        if kind:
            self.graph.add(node, q("oo:componentKind"), IRI(kind) if kind.startswith("http") else q(kind))
        self.stamp(node)
        return node

    def finish(self, retrieved: str) -> Graph:
        """Date every node; components with no availability stated get oo:AvailabilityUnknown (never assumed)."""
        for node in self.stamped:
            self.graph.add(node, q("oo:checkedOn"), xsd_date(retrieved))
        stated = {s for s, p, _ in self.graph.triples() if p == q("oo:availability")}
        for node in self.components.values():
            if node not in stated:
                self.graph.add(node, q("oo:availability"), q("oo:AvailabilityUnknown"))
                self.graph.add(node, q("oo:note"), "The bill of materials does not say whether or how this is released.")
        return self.graph


def scoped_facts(entries, nodes: dict[str, IRI], name_key: str, value_key: str) -> list[tuple[IRI, str, IRI | Lit]]:
    """Facts carried as name/value properties named `<scope> <predicate IRI>` (the SPDX export's extension,
    or CycloneDX properties written the same way), for the scopes present in `nodes`; others are ignored."""
    out = []
    for entry in entries or []:
        if not isinstance(entry, dict):
            continue
        scope, _, predicate = str(entry.get(name_key, "")).partition(" ")
        if scope in nodes and predicate.startswith("http"):
            out.append((nodes[scope], predicate, rdf_term(str(entry.get(value_key, "")))))
    return out


def source_iri(path: Path, given: str | None) -> IRI:
    """Where the BOM was read: the URL given with --source, else the file."""
    if given:
        iri = url_iri(given)
        if iri is None:
            raise OpennessError(f"bad --source {given!r}: expected an http(s) URL")
        return iri
    return IRI(Path(path).resolve().as_uri())

"""What a term may be: the vocabularies the ontology uses, the licences the graph describes, and the
closest known names to an unknown one (for "did you mean ...").

Known terms of a vocabulary are the ones it defines (rdflib's bundled term lists for DCMI terms,
DCAT, FOAF, PROV, ODRL, SKOS, RDF, RDFS, OWL, XSD, DOAP, VoID) together with every term of that
namespace the bundled ontology, shapes and data use; terms of `oo:` are the ones the ontology defines.
Nothing is downloaded.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass

import pyoxigraph as ox

from .dataset import GRAPH_BASE
from .iris import DEFAULT_BASE as INSTANCE_BASE

OO = "https://w3id.org/openness/ontology#"
LICENCE_BASE = INSTANCE_BASE + "licence/"
CLAIM_BASE = INSTANCE_BASE + "claim/"
PREFIXES = {
    "oo": OO,
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "odrl": "http://www.w3.org/ns/odrl/2/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "doap": "http://usefulinc.com/ns/doap#",
    "void": "http://rdfs.org/ns/void#",
    "cc": "http://creativecommons.org/ns#",
    "sh": "http://www.w3.org/ns/shacl#",
    "licence": LICENCE_BASE,
    "claim": CLAIM_BASE,
}

_USED = """
SELECT DISTINCT ?t ?base WHERE {
  { GRAPH ?g { ?s ?t ?o } } UNION { GRAPH ?g { ?s a ?t } } UNION { GRAPH ?g { ?s ?p ?t FILTER(isIRI(?t)) } }
  FILTER(STRSTARTS(STR(?g), ?base))
}"""
_DEFINED = "SELECT DISTINCT ?t ?g WHERE { GRAPH ?g { ?t ?p ?o } FILTER(isIRI(?t)) }"
_LICENCES = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX odrl: <http://www.w3.org/ns/odrl/2/>
SELECT ?l (SAMPLE(?id) AS ?spdx) (SAMPLE(?name) AS ?label) WHERE {
  { ?l a oo:Licence } UNION { ?l a odrl:Policy }
  OPTIONAL { ?l oo:spdxId ?id } OPTIONAL { ?l rdfs:label ?name }
} GROUP BY ?l"""
_RANGES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?p ?i ?g WHERE { GRAPH ?g { ?p rdfs:range ?c . ?i a ?c } }"""
_OBJECT_PROPERTIES = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?p ?g WHERE { GRAPH ?g { ?p a owl:ObjectProperty } }"""


@dataclass(frozen=True)
class LicenceName:
    iri: str
    spdx_id: str | None
    label: str | None


@dataclass
class Vocabulary:
    """The known terms, by namespace; the described licences; the properties whose values are resources."""

    terms: dict[str, set[str]]
    licences: dict[str, LicenceName]
    object_properties: set[str]
    values: dict[str, set[str]]  # property -> the ontology's individuals of its range

    def expected(self, prop: str, given: str, limit: int = 8) -> str:
        """' (did you mean ...?)' for a value of `prop`: the closest of its range's individuals, or all of them."""
        allowed = sorted(self.values.get(prop, ()))
        if allowed:
            local = {a.rsplit("#", 1)[-1].rsplit("/", 1)[-1]: a for a in allowed}
            close = difflib.get_close_matches(given.rsplit("#", 1)[-1].rsplit("/", 1)[-1], list(local), n=3, cutoff=0.6)
            if close:
                return f" (did you mean {' or '.join(prefixed(local[c]) for c in close)}?)"
            if len(allowed) <= limit:
                return f" (expected one of {', '.join(prefixed(a) for a in allowed)})"
        options = self.suggest(given)
        return f" (did you mean {' or '.join(options)}?)" if options else ""

    def namespace_of(self, iri: str) -> str | None:
        """The checked namespace an IRI belongs to (longest match), or None when it is someone else's."""
        best = None
        for namespace in self.terms:
            if iri.startswith(namespace) and (best is None or len(namespace) > len(best)):
                best = namespace
        return best

    def knows(self, iri: str) -> bool:
        namespace = self.namespace_of(iri)
        return namespace is None or iri in self.terms[namespace]

    def suggest(self, iri: str, limit: int = 3) -> list[str]:
        """The closest known terms of the same namespace, as prefixed names."""
        namespace = self.namespace_of(iri)
        if namespace is None:
            return []
        local = {t[len(namespace):]: t for t in self.terms[namespace]}
        given = iri[len(namespace):]
        close = difflib.get_close_matches(given, list(local), n=limit, cutoff=0.6)
        folded = {k.casefold().replace("-", "").replace("_", ""): k for k in local}
        exact = folded.get(given.casefold().replace("-", "").replace("_", "").replace(".", ""))
        if exact and exact not in close:
            close.insert(0, exact)
        return [prefixed(local[c]) for c in close[:limit]]

    def licence_for_text(self, text: str) -> LicenceName | None:
        """The licence a string names exactly: its SPDX id or its label (case-insensitive)."""
        wanted = text.strip().casefold()
        for licence in sorted(self.licences.values(), key=lambda x: x.iri):
            if wanted and wanted in {(licence.spdx_id or "").casefold(), (licence.label or "").casefold()}:
                return licence
        return None

    def closest_licences(self, text: str, limit: int = 3) -> list[str]:
        names: dict[str, str] = {}
        for licence in self.licences.values():
            for name in (licence.spdx_id, licence.label, licence.iri.removeprefix(LICENCE_BASE)):
                if name:
                    names.setdefault(name.casefold(), licence.spdx_id or prefixed(licence.iri))
        close = difflib.get_close_matches(text.strip().casefold(), list(names), n=limit * 3, cutoff=0.5)
        out: list[str] = []
        for c in close:
            if names[c] not in out:
                out.append(names[c])
        return out[:limit]


def prefixed(iri: str) -> str:
    """A prefixed name for an IRI of a known namespace, else the IRI in angle brackets."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


@functools.lru_cache(maxsize=1)
def _defined_terms() -> dict[str, frozenset[str]]:
    """The terms rdflib's bundled vocabularies define, by namespace."""
    from rdflib import namespace as ns

    out: dict[str, frozenset[str]] = {}
    for vocab in (ns.DCTERMS, ns.DCAT, ns.FOAF, ns.PROV, ns.ODRL2, ns.SKOS, ns.RDF, ns.RDFS, ns.OWL, ns.XSD,
                  ns.DOAP, ns.VOID):
        base = str(vocab._NS)
        names = set(getattr(vocab, "__annotations__", {})) | set(getattr(vocab, "_extras", []))
        out[base] = frozenset(base + n for n in names)
    return out


def vocabulary(dataset) -> Vocabulary:
    """The vocabulary of the bundled graph in `dataset` (ontology, shapes, curated and generated data)."""
    terms: dict[str, set[str]] = {ns: set() for ns in PREFIXES.values()}
    for base, known in _defined_terms().items():
        terms.setdefault(base, set()).update(known)
    ontology = ox.NamedNode(GRAPH_BASE + "ontology")
    _, rows = dataset.select(_DEFINED, {"g": ontology})
    defined_oo = {r[0].value for r in rows if r[0].value.startswith(OO)}
    _, rows = dataset.select(_USED, {"base": ox.Literal(GRAPH_BASE)})
    for term, _ in rows:
        if not isinstance(term, ox.NamedNode):
            continue
        namespace = next((n for n in sorted(terms, key=len, reverse=True) if term.value.startswith(n)), None)
        if namespace is not None and namespace != OO:
            terms[namespace].add(term.value)
    terms[OO] = defined_oo
    _, rows = dataset.select(_LICENCES)
    licences = {r[0].value: LicenceName(r[0].value, r[1].value if r[1] else None, r[2].value if r[2] else None)
                for r in rows if isinstance(r[0], ox.NamedNode)}
    terms[LICENCE_BASE] = set(licences)
    _, rows = dataset.select(_OBJECT_PROPERTIES, {"g": ontology})
    object_properties = {r[0].value for r in rows} | {PREFIXES["dct"] + "license"}
    _, rows = dataset.select(_RANGES, {"g": ontology})
    values: dict[str, set[str]] = {}
    for prop, individual, _ in rows:
        if isinstance(individual, ox.NamedNode):
            values.setdefault(prop.value, set()).add(individual.value)
    return Vocabulary(terms, licences, object_properties, values)

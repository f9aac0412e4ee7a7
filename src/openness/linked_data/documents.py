"""Linked data documents: what one resource's document holds, in which RDF formats, and the VoID.

Shared by `publish` (a static site) and `serve` (content negotiation), so a resource's document is
the same whichever way it is reached. A resource's document is its concise bounded description (its
own triples, following blank nodes such as ODRL rules) plus the labels of the things it links to, so
a reader of one document can name every link without fetching another.
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ..graph.iris import DEFAULT_BASE, ONTOLOGY, ONTOLOGY_IRI
from ..graph.rdflib_terms import rdflib_graph

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_LABEL_PREDICATES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
)

PREFIXES: dict[str, str] = {
    "oo": ONTOLOGY,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "odrl": "http://www.w3.org/ns/odrl/2/",
    "cc": "http://creativecommons.org/ns#",
    "doap": "http://usefulinc.com/ns/doap#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "vann": "http://purl.org/vocab/vann/",
}
KIND_PREFIXES = {"project": "project", "release": "release", "component": "component", "licence": "licence",
                 "organisation": "org", "claim": "claim", "assessment": "assessment"}

# Media type -> (file extension, pyoxigraph format; None for JSON-LD, which is compacted with our context).
RDF_MEDIA: dict[str, tuple[str, ox.RdfFormat | None]] = {
    "text/turtle": ("ttl", ox.RdfFormat.TURTLE),
    "application/ld+json": ("jsonld", None),
    "application/n-triples": ("nt", ox.RdfFormat.N_TRIPLES),
    "application/rdf+xml": ("rdf", ox.RdfFormat.RDF_XML),
}


def site_root(base: str = DEFAULT_BASE) -> str:
    """The IRI the site's root stands for: the instance base without its trailing `id/`."""
    return base[: -len("id/")] if base.endswith("/id/") else base


def prefixes_for(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The prefix map of every document: vocabularies plus one prefix per instance kind."""
    out = dict(PREFIXES)
    for kind, prefix in KIND_PREFIXES.items():
        out[prefix] = f"{base}{kind}/"
    return out


def jsonld_context(base: str = DEFAULT_BASE) -> dict[str, object]:
    """The JSON-LD context `publish` writes (context.jsonld) and every JSON-LD document embeds."""
    return {"@context": {**prefixes_for(base), "label": "rdfs:label", "description": "dct:description"}}


def rebase(store: ox.Store, graphs: Sequence[ox.NamedNode], base: str) -> ox.Store:
    """A copy of the data graphs with every instance IRI moved from the default base to `base`."""
    def move(term):
        if isinstance(term, ox.NamedNode) and term.value.startswith(DEFAULT_BASE):
            return ox.NamedNode(base + term.value[len(DEFAULT_BASE):])
        return term

    out = ox.Store()
    out.extend(ox.Quad(move(q.subject), move(q.predicate), move(q.object), q.graph_name)
               for g in graphs for q in store.quads_for_pattern(None, None, None, g))
    return out


def _label_rank(literal: ox.Literal) -> int:
    return {"en": 0, "": 1}.get(literal.language or "", 2)


@dataclass
class GraphView:
    """The union of a dataset's data graphs, read for documents (triples deduplicated across graphs)."""

    store: ox.Store
    graphs: Sequence[ox.NamedNode]
    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        self._graphs = set(self.graphs)
        self._subjects: list[ox.NamedNode] | None = None
        self._all: list[ox.Triple] | None = None
        self._labels: dict[str, str] = {}
        best: dict[str, tuple[int, int, str]] = {}
        for rank_p, predicate in enumerate(_LABEL_PREDICATES):
            for quad in self.store.quads_for_pattern(None, ox.NamedNode(predicate), None):
                if quad.graph_name not in self._graphs or not isinstance(quad.object, ox.Literal):
                    continue
                key = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else None
                if key is None:
                    continue
                rank = (rank_p, _label_rank(quad.object), quad.object.value)
                if key not in best or rank < best[key]:
                    best[key] = rank
        self._labels = {k: v[2] for k, v in best.items()}

    def outgoing(self, subject: ox.NamedNode | ox.BlankNode) -> list[ox.Triple]:
        """The subject's triples, once each, in a stable order."""
        seen = {q.triple for q in self.store.quads_for_pattern(subject, None, None) if q.graph_name in self._graphs}
        return sorted(seen, key=lambda t: (t.predicate.value, str(t.object)))

    def incoming(self, obj: ox.NamedNode) -> list[ox.Triple]:
        """The triples pointing at `obj`, once each, in a stable order."""
        seen = {q.triple for q in self.store.quads_for_pattern(None, None, obj) if q.graph_name in self._graphs}
        return sorted(seen, key=lambda t: (t.predicate.value, str(t.subject)))

    def label(self, term: object) -> str:
        """A readable name: the term's label, else its local name (fragment or last path segment)."""
        if isinstance(term, ox.Literal):
            return term.value
        if isinstance(term, ox.BlankNode):
            return "(unnamed node)"
        iri = getattr(term, "value", str(term))
        if iri in self._labels:
            return self._labels[iri]
        local = iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        return local or iri

    def has_label(self, iri: str) -> bool:
        return iri in self._labels

    def subjects(self) -> list[ox.NamedNode]:
        """Every named subject of the data graphs, sorted (read once per view: the view's graphs are not
        written while it is in use)."""
        if self._subjects is None:
            found = {q.subject for g in self.graphs for q in self.store.quads_for_pattern(None, None, None, g)
                     if isinstance(q.subject, ox.NamedNode)}
            self._subjects = sorted(found, key=lambda n: n.value)
        return list(self._subjects)

    def instances(self) -> list[ox.NamedNode]:
        """Every resource under the instance base (one document each)."""
        return [s for s in self.subjects() if s.value.startswith(self.base) and "/" in s.value[len(self.base):]]

    def ontology_terms(self) -> list[ox.NamedNode]:
        """Every term of the ontology namespace described in the graph (the ontology itself first)."""
        terms = [s for s in self.subjects() if s.value.startswith(ONTOLOGY)]
        head = [ox.NamedNode(ONTOLOGY_IRI)] if self.outgoing(ox.NamedNode(ONTOLOGY_IRI)) else []
        return head + terms

    def describe(self, subject: ox.NamedNode) -> list[ox.Triple]:
        """The resource's concise bounded description plus the labels of what it links to."""
        out: list[ox.Triple] = []
        todo: list[ox.NamedNode | ox.BlankNode] = [subject]
        done: set = set()
        linked: set[str] = set()
        while todo:
            node = todo.pop()
            if node in done:
                continue
            done.add(node)
            for triple in self.outgoing(node):
                out.append(triple)
                if isinstance(triple.object, ox.BlankNode):
                    todo.append(triple.object)
                elif isinstance(triple.object, ox.NamedNode):
                    linked.add(triple.object.value)
        for iri in sorted(linked - {subject.value}):
            if iri in self._labels:
                out.append(ox.Triple(ox.NamedNode(iri), RDFS_LABEL, ox.Literal(self._labels[iri])))
        return out

    def describe_ontology(self) -> list[ox.Triple]:
        """The ontology document: every ontology-namespace term's description."""
        out: list[ox.Triple] = []
        for term in self.ontology_terms():
            out.extend(self.describe(term))
        return list(dict.fromkeys(out))

    def all_triples(self) -> list[ox.Triple]:
        """Every triple of the data graphs once (the full dump), sorted once per view."""
        if self._all is None:
            seen = {q.triple for g in self.graphs for q in self.store.quads_for_pattern(None, None, None, g)}
            self._all = sorted(seen, key=lambda t: (str(t.subject), t.predicate.value, str(t.object)))
        return list(self._all)


def serialize(triples: Iterable[ox.Triple], media_type: str, base: str = DEFAULT_BASE) -> bytes:
    """Triples in one of RDF_MEDIA's formats (JSON-LD compacted with the embedded context)."""
    _, fmt = RDF_MEDIA[media_type]
    triples = list(triples)
    if fmt is None:
        return to_jsonld(triples, base)
    if fmt == ox.RdfFormat.N_TRIPLES:
        return ox.serialize(triples, format=fmt) or b""
    return ox.serialize(triples, format=fmt, prefixes=prefixes_for(base)) or b""




@functools.lru_cache(maxsize=8)
def _rdflib_context(base: str):
    """rdflib's processed form of our JSON-LD context (built once per base, not once per document)."""
    from rdflib.plugins.shared.jsonld.context import Context

    return Context(jsonld_context(base)["@context"])


def to_jsonld(triples: Sequence[ox.Triple], base: str = DEFAULT_BASE) -> bytes:
    """A JSON-LD document with the context inline (never fetched), through rdflib's compaction.

    The same document as `Graph.serialize(format="json-ld", context=..., auto_compact=True, indent=2,
    sort_keys=True)` writes (its from_rdf steps, with the context processed once)."""
    context = jsonld_context(base)["@context"]
    if not triples:
        return json.dumps({"@context": context, "@graph": []}, indent=2).encode("utf-8")
    try:
        from rdflib.plugins.serializers.jsonld import Converter
        from rdflib.plugins.shared.jsonld.keys import CONTEXT, GRAPH
    except ImportError:  # another rdflib: its public serializer gives the same document, more slowly
        text = rdflib_graph(triples).serialize(format="json-ld", context=context, auto_compact=True, indent=2,
                                                sort_keys=True)
        return text.encode("utf-8")
    processed = _rdflib_context(base)
    converter = Converter(processed, True, False)
    result = converter.convert(rdflib_graph(triples))
    if converter.context.active:
        if isinstance(result, list):
            result = {processed.get_key(GRAPH): result}
        result[CONTEXT] = context
    return json.dumps(result, indent=2, separators=(",", ": "), sort_keys=True, ensure_ascii=False).encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with a fixed timestamp, so the same graph gives the same file."""
    return gzip.compress(data, mtime=0)


VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"

DUMPS: Mapping[str, str] = {"dumps/openness.ttl": "text/turtle", "dumps/openness.nt.gz": "application/n-triples"}


def void_triples(view: GraphView, sources: Sequence[tuple[str, str]], sparql_endpoint: str | None = None
                 ) -> list[ox.Triple]:
    """A VoID + DCAT description of the dataset: size, subsets per source graph, dumps, vocabularies.

    `sources` are (name, graph IRI) pairs; the description is deterministic (no build date).
    """
    root = site_root(view.base)
    ds = ox.NamedNode(root + "void#dataset")
    n = ox.NamedNode

    def lit(value, datatype: str | None = None):
        return ox.Literal(str(value), datatype=n(XSD + datatype)) if datatype else ox.Literal(str(value))

    out = [
        ox.Triple(ds, RDF_TYPE, n(VOID + "Dataset")),
        ox.Triple(ds, RDF_TYPE, n(DCAT + "Dataset")),
        ox.Triple(ds, n(DCT + "title"), ox.Literal("Openness: a knowledge graph of open source AI", language="en")),
        ox.Triple(ds, n(DCT + "description"), ox.Literal(
            "Projects, releases, components, licences, claims and assessments of open source AI, described with "
            "the Openness ontology (the framework of Unraveling Open Source AI).", language="en")),
        ox.Triple(ds, n(VOID + "uriSpace"), lit(view.base)),
        ox.Triple(ds, n(VOID + "triples"), lit(len(view.all_triples()), "integer")),
        ox.Triple(ds, n(VOID + "entities"), lit(len(view.instances()), "integer")),
        ox.Triple(ds, n(VOID + "vocabulary"), n(ONTOLOGY_IRI)),
    ]
    for prefix in ("dct", "dcat", "odrl", "prov", "skos", "foaf"):
        out.append(ox.Triple(ds, n(VOID + "vocabulary"), n(PREFIXES[prefix])))
    for example in ("project/olmo", "licence/apache-2-0"):
        iri = n(view.base + example)
        if view.outgoing(iri):
            out.append(ox.Triple(ds, n(VOID + "exampleResource"), iri))
    for path, media in DUMPS.items():
        dist = n(root + path)
        out += [ox.Triple(ds, n(VOID + "dataDump"), dist), ox.Triple(ds, n(DCAT + "distribution"), dist),
                ox.Triple(dist, RDF_TYPE, n(DCAT + "Distribution")),
                ox.Triple(dist, n(DCAT + "downloadURL"), dist),
                ox.Triple(dist, n(DCAT + "mediaType"), n("https://www.iana.org/assignments/media-types/" + media))]
        if path.endswith(".gz"):
            out.append(ox.Triple(dist, n(DCAT + "compressFormat"),
                                 n("https://www.iana.org/assignments/media-types/application/gzip")))
    if sparql_endpoint:
        service = n(sparql_endpoint)
        out += [ox.Triple(ds, n(VOID + "sparqlEndpoint"), service),
                ox.Triple(service, RDF_TYPE, n(DCAT + "DataService")),
                ox.Triple(service, n(DCAT + "endpointURL"), service),
                ox.Triple(service, n(DCAT + "servesDataset"), ds)]
    for name, graph in sources:
        subset = n(graph)
        count = sum(1 for _ in view.store.quads_for_pattern(None, None, None, subset))
        out += [ox.Triple(ds, n(VOID + "subset"), subset), ox.Triple(subset, RDF_TYPE, n(VOID + "Dataset")),
                ox.Triple(subset, n(DCT + "title"), lit(name)), ox.Triple(subset, n(VOID + "triples"), lit(count, "integer"))]
    counts: dict[str, int] = {}
    for triple in view.all_triples():
        if triple.predicate == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            counts[triple.object.value] = counts.get(triple.object.value, 0) + 1
    for cls in sorted(c for c in counts if c.startswith(ONTOLOGY)):
        part = ox.BlankNode("class-" + cls[len(ONTOLOGY):])
        out += [ox.Triple(ds, n(VOID + "classPartition"), part), ox.Triple(part, n(VOID + "class"), n(cls)),
                ox.Triple(part, n(VOID + "entities"), lit(counts[cls], "integer"))]
    return out

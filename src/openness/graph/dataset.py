"""The graph engine: bundled RDF plus user files in an Oxigraph store, one named graph per source.

Everything that reads the graph goes through `Dataset`, so the engine can change in one place
(docs/design.md, "Stores and scale"): SPARQL runs on pyoxigraph (in memory, or on disk with a store
folder); rdflib is used only where it is the right tool (pySHACL, owlready2 hand-off, serialising).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .. import resources
from ..errors import OpennessError, StoreError
from .guards import broken_links, check_rdf_file

GRAPH_BASE = "https://w3id.org/openness/graph/"
# The store's own bookkeeping (content hashes of loaded sources); never part of a query's dataset.
META_GRAPH = ox.NamedNode(GRAPH_BASE + "meta")
_HASH = ox.NamedNode("https://w3id.org/openness/ontology#contentHash")
_PASSED = ox.NamedNode("https://w3id.org/openness/ontology#passedChecks")

FORMATS: Mapping[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
_QUAD_FORMATS = {ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG}
_HASH_CHUNK = 1 << 22


@dataclass(frozen=True)
class Source:
    """A set of RDF files loaded into one named graph (for .nq/.trig, into the graphs they name)."""

    name: str
    graph: str
    files: tuple[Path, ...]

    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for path in self.files:
            digest.update(str(path.name).encode())
            # Read in chunks: the same digest as hashing the whole file, without holding a 1 GB catalogue
            # in memory next to the bulk loader's own buffers.
            with path.open("rb") as handle:
                while chunk := handle.read(_HASH_CHUNK):
                    digest.update(chunk)
        return digest.hexdigest()


def rdf_files(path: Path) -> list[Path]:
    """The RDF files at `path`: the file itself, or a folder's files by extension, recursively."""
    if not path.exists():
        raise OpennessError(f"{path}: no such file or folder")
    if not path.is_file() and not path.is_dir():
        raise OpennessError(f"{path}: not a regular file or folder")
    if path.is_file():
        if path.suffix.lower() not in FORMATS:
            known = ", ".join(sorted(FORMATS))
            raise OpennessError(f"{path}: unknown RDF file extension {path.suffix!r} (expected one of {known})")
        return [path]
    broken = broken_links(path)
    if broken:
        shown = ", ".join(str(p) for p in broken[:3]) + (f" and {len(broken) - 3} more" if len(broken) > 3 else "")
        raise OpennessError(f"{path}: broken symbolic link{'s' if len(broken) > 1 else ''} (dangling or looping): "
                            f"{shown}; fix or remove {'them' if len(broken) > 1 else 'it'}")
    return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS)


def bundled_sources(include_generated: bool = True, include_shapes: bool = True) -> list[Source]:
    """The bundled sources: ontology, shapes, and each data folder (each generated file on its own)."""
    sources = [Source("ontology", GRAPH_BASE + "ontology", tuple(rdf_files(resources.ontology_dir())))]
    if include_shapes and resources.shapes_dir().is_dir():
        sources.append(Source("shapes", GRAPH_BASE + "shapes", tuple(rdf_files(resources.shapes_dir()))))
    data = resources.data_dir()
    for folder in sorted(p for p in data.iterdir() if p.is_dir()):
        if folder.name == "generated":
            if include_generated:
                for path in rdf_files(folder):
                    stem = path.name.split(".")[0]
                    sources.append(Source(f"generated/{stem}", f"{GRAPH_BASE}generated/{stem}", (path,)))
            continue
        files = tuple(rdf_files(folder))
        if files:
            sources.append(Source(folder.name, GRAPH_BASE + folder.name, files))
    return [s for s in sources if s.files]


def user_sources(paths: Iterable[Path | str]) -> list[Source]:
    """One source per user file given with --data (a folder contributes each of its files)."""
    out: list[Source] = []
    for given in paths:
        for path in rdf_files(Path(given)):
            resolved = path.resolve()
            out.append(Source(f"data:{path}", resolved.as_uri(), (resolved,)))
    return out


# Files at least this large (bytes) in a line or Turtle format go through Store.bulk_load: measured on a
# synthetic catalogue of 10,000 projects (85 MB of Turtle, 1.7M triples) into an on-disk store, 77 s
# against 425 s with the transactional Store.load (a loaded machine; the ratio is what counts).
BULK_BYTES = 4_000_000
_BULK_FORMATS = {ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES}


def _is_bulk(path: Path) -> bool:
    """Whether `path` is loaded through Store.bulk_load (a large line or Turtle file)."""
    return FORMATS[path.suffix.lower()] in _BULK_FORMATS and path.stat().st_size >= BULK_BYTES


def _load_file(store: ox.Store, path: Path, graph: ox.NamedNode) -> None:
    fmt = FORMATS[path.suffix.lower()]
    check_rdf_file(path, fmt.name)
    bulk = _is_bulk(path)
    try:
        if fmt in _QUAD_FORMATS:
            store.load(path=str(path), format=fmt)
        elif bulk:
            # Not transactional: on bad input part of the file may be written, so the graph (this
            # file's own: a large file is a source of its own, or the rest of its source is reloaded
            # with it) is removed before the error is reported, and nothing half-written stays.
            store.bulk_load(path=str(path), format=fmt, to_graph=graph)
        else:
            store.load(path=str(path), format=fmt, to_graph=graph)
    except SyntaxError as exc:
        if bulk:
            store.remove_graph(graph)
        where = f"{path}:{exc.lineno}" if exc.lineno else str(path)
        message = str(exc).split(": ", 1)[-1] if exc.lineno else str(exc)
        raise OpennessError(f"{where}: not valid {fmt.name}: {message}") from None
    except (OSError, ValueError) as exc:
        if bulk:
            store.remove_graph(graph)
        raise OpennessError(f"{path}: cannot be read as {fmt.name}: {exc}") from None


class Dataset:
    """The graph a command works on: named graphs in an Oxigraph store, queried as their union."""

    def __init__(self, store: ox.Store, sources: Sequence[Source]) -> None:
        self.store = store
        self.sources = list(sources)
        self.allow_federation: tuple[str, ...] = ()  # hosts a query's SERVICE may call (none by default)

    @classmethod
    def load(
        cls,
        data: Iterable[Path | str] = (),
        store_dir: Path | str | None = None,
        *,
        bundled: bool = True,
        include_generated: bool = True,
        include_shapes: bool = True,
    ) -> Dataset:
        """Load the bundled graph (unless `bundled` is false) and the --data files.

        With `store_dir`, the store lives on disk and a source is re-parsed only when its files
        changed since they were loaded (content hash), so large catalogues load once.
        """
        sources = bundled_sources(include_generated, include_shapes) if bundled else []
        sources += user_sources(data)
        if store_dir is None:
            store = ox.Store()
            for source in sources:
                graph = ox.NamedNode(source.graph)
                for path in source.files:
                    _load_file(store, path, graph)
            return cls(store, sources)
        if Path(store_dir).exists() and not Path(store_dir).is_dir():
            raise OpennessError(f"{store_dir}: --store names a file; give a folder (a new one is created)")
        try:
            Path(store_dir).mkdir(parents=True, exist_ok=True)
            store = ox.Store(str(store_dir))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"{store_dir}: cannot open the store: {str(exc).splitlines()[0]}") from None
        try:
            for source in sources:
                cls._refresh(store, source)
            # After a bulk load this flush waits for RocksDB to compact the loader's files (one set per
            # million triples, all in level 0 on top of the bundled sources): at 100,000 projects 49 s
            # CPU of a 255 s CPU load (bench/load_stages.py). Loading bulk sources first avoids the wait
            # but leaves more compaction (62 s CPU, measured) to the next commands that open the store.
            store.flush()
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"{store_dir}: the store failed: {str(exc).splitlines()[0]}") from None
        return cls(store, sources)

    @staticmethod
    def _refresh(store: ox.Store, source: Source) -> None:
        graph = ox.NamedNode(source.graph)
        digest = source.content_hash()
        known = [q.object.value for q in store.quads_for_pattern(graph, _HASH, None, META_GRAPH)]
        if known == [digest]:
            return
        if store.contains_named_graph(graph):
            store.remove_graph(graph)
        for path in source.files:
            _load_file(store, path, graph)
        for quad in list(store.quads_for_pattern(graph, _HASH, None, META_GRAPH)):
            store.remove(quad)
        store.add(ox.Quad(graph, _HASH, ox.Literal(digest), META_GRAPH))

    def content_hashes(self) -> dict[str, str]:
        """Each source graph's content hash as the on-disk store recorded it (empty in memory)."""
        return {q.subject.value: q.object.value for q in self.store.quads_for_pattern(None, _HASH, None, META_GRAPH)
                if isinstance(q.subject, ox.NamedNode)}

    def passed(self, graph: str, key: str) -> bool:
        """Whether `graph` passed the checks identified by `key` (see `remember_passed`)."""
        return any(True for _ in self.store.quads_for_pattern(ox.NamedNode(graph), _PASSED, ox.Literal(key), META_GRAPH))

    def remember_passed(self, graph: str, key: str) -> None:
        """Record in the store's bookkeeping that `graph` passed the checks `key` names (replacing older keys)."""
        node = ox.NamedNode(graph)
        for quad in list(self.store.quads_for_pattern(node, _PASSED, None, META_GRAPH)):
            self.store.remove(quad)
        self.store.add(ox.Quad(node, _PASSED, ox.Literal(key), META_GRAPH))
        self.store.flush()

    def graphs(self) -> list[ox.NamedNode]:
        """The named graphs holding data (the store's bookkeeping graph excluded)."""
        return sorted(
            (g for g in self.store.named_graphs() if isinstance(g, ox.NamedNode) and g != META_GRAPH),
            key=lambda g: g.value,
        )

    def query(self, text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
              prefixes: Mapping[str, str] | None = None):
        """Run SPARQL over the union of the data graphs, with `bindings` substituted as RDF terms.

        A query with its own FROM / FROM NAMED gets the dataset it names (as `openness serve` does);
        one nested too deep or calling SERVICE is refused first (guard.check_query, exit 2).
        """
        from .guard import check_query, has_dataset_clause

        words = check_query(text, self.allow_federation)
        substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        graphs = [] if has_dataset_clause(words) else self.graphs()
        try:
            return self.store.query(
                text,
                default_graph=graphs or None,
                named_graphs=graphs or None,
                substitutions=substitutions or None,
                prefixes=dict(prefixes) if prefixes else None,
            )
        except SyntaxError as exc:
            raise OpennessError(f"SPARQL syntax error: {exc}") from None

    def select(self, text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
               prefixes: Mapping[str, str] | None = None
               ) -> tuple[list[str], list[list[ox.NamedNode | ox.Literal | ox.BlankNode | None]]]:
        """A SELECT's variable names and rows of terms (None where unbound)."""
        result = self.query(text, bindings, prefixes)
        names = [v.value for v in result.variables]
        rows = [[solution[name] for name in names] for solution in result]
        return names, rows

    def triples(self, graph: str | None = None) -> Iterator[ox.Triple]:
        """Every triple of one graph, or of all data graphs."""
        graphs = [ox.NamedNode(graph)] if graph else self.graphs()
        for g in graphs:
            for quad in self.store.quads_for_pattern(None, None, None, g):
                yield quad.triple

    def to_rdflib(self, graph: str | None = None, triples: Iterable[ox.Triple] | None = None):
        """An in-memory rdflib Graph of one graph, all data graphs, or the given triples.

        pySHACL needs a plain in-memory rdflib graph (over an Oxigraph-backed rdflib store it did
        not finish in 10 minutes on 1,000 projects); terms cross over one by one (rdflib_terms.py).
        """
        from .rdflib_terms import rdflib_graph

        source = self.triples(graph) if triples is None else triples
        # rdflib logs a traceback for each ill-typed literal ("yesterday"^^xsd:date); the commands
        # that care (reason) report such a literal as one line themselves.
        term_log = logging.getLogger("rdflib.term")
        level = term_log.level
        term_log.setLevel(logging.ERROR)
        try:
            return rdflib_graph(source)
        finally:
            term_log.setLevel(level)

    def dump(self, fmt: ox.RdfFormat, graph: str | None = None) -> bytes:
        """Serialise one graph, or all data graphs (as one graph; N-Quads/TriG keep graph names)."""
        if fmt in _QUAD_FORMATS:
            quads = (q for g in ([ox.NamedNode(graph)] if graph else self.graphs())
                     for q in self.store.quads_for_pattern(None, None, None, g))
            return ox.serialize(quads, format=fmt) or b""
        return ox.serialize(self.triples(graph), format=fmt) or b""

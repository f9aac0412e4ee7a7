"""`openness push`: load the graph into a SPARQL 1.1 Graph Store Protocol endpoint.

One named graph per source (ontology, shapes, licences, projects, assessments, each generated file,
each --data file), each sent with HTTP PUT, which replaces the graph: pushing twice leaves one copy.
Each graph is streamed: Oxigraph serialises it out of the store as N-Triples straight into the PUT's
chunked body, so the client holds a few kilobytes of it at a time, whatever the graph's size.
The graph IRIs are the ones the embedded store uses (https://w3id.org/openness/graph/<source>), so
`openness query run NAME --endpoint QUERY-URL` finds them under its --graph-prefix and names them as
the protocol's default-graph-uri: the remote answers equal the embedded ones even on a store whose
default graph does not include its named graphs (Oxigraph without --union-default-graph).
"""

from __future__ import annotations

import http.client
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from ..graph.dataset import GRAPH_BASE, Dataset, Source
from ..errors import EndpointError, OpennessError
from ..graph.iris import slugify


@dataclass
class Pushed:
    source: str
    graph: str
    triples: int
    status: str  # "loaded", "failed" or "not sent"


@dataclass
class PushReport:
    endpoint: str
    graphs: list[Pushed] = field(default_factory=list)

    def as_rows(self) -> list[dict[str, object]]:
        return [{"source": p.source, "graph": p.graph, "triples": p.triples, "status": p.status} for p in self.graphs]


def graph_iri(source: Source, prefix: str = GRAPH_BASE) -> str:
    """The named graph a source is pushed to: its own graph under `prefix` (a --data file by its name)."""
    if source.graph.startswith(GRAPH_BASE):
        return prefix + source.graph[len(GRAPH_BASE):]
    name = slugify(Path(source.files[0]).stem) if source.files else slugify(source.name)
    return f"{prefix}data/{name or 'file'}"


def _request_url(endpoint: str, graph: str) -> str:
    joiner = "&" if urlsplit(endpoint).query else "?"
    return f"{endpoint}{joiner}graph={quote(graph, safe='')}"


class _StoreAnswered(Exception):
    """The store answered a PUT with an error status."""

    def __init__(self, status: int, reason: str, body: bytes) -> None:
        super().__init__(status)
        lines = body.decode("utf-8", "replace").strip().splitlines()
        self.reason = f"HTTP {status} {reason}" + (f": {lines[0]}" if lines else "")


class _ChunkedBody:
    """What Store.dump writes into (8 kB at a time): sent as HTTP/1.1 chunks of about CHUNK bytes, so no
    more than one chunk of the graph is ever held, whatever its size."""

    CHUNK = 1 << 20

    def __init__(self, connection: http.client.HTTPConnection) -> None:
        self.connection = connection
        self.buffer = bytearray()
        self.error: BaseException | None = None

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= self.CHUNK:
            self.send_chunk()
        return len(data)

    def flush(self) -> None:
        pass

    def send_chunk(self) -> None:
        if not self.buffer:
            return
        try:
            self.connection.send(b"%X\r\n%s\r\n" % (len(self.buffer), self.buffer))
        except BaseException as exc:  # kept: pyoxigraph reports it as its own OSError
            self.error = exc
            raise
        self.buffer.clear()

    def close(self) -> None:
        """Send what is left and the last (empty) chunk."""
        self.send_chunk()
        try:
            self.connection.send(b"0\r\n\r\n")
        except BaseException as exc:
            self.error = exc
            raise


def _put(endpoint: str, graph: str, dump: Callable[[_ChunkedBody], None], timeout: float) -> None:
    """PUT one graph, its N-Triples streamed by `dump` as the request's chunked body."""
    url = urlsplit(_request_url(endpoint, graph))
    kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    connection = kind(url.hostname or "", url.port, timeout=timeout)
    try:
        connection.putrequest("PUT", (url.path or "/") + (f"?{url.query}" if url.query else ""))
        connection.putheader("Content-Type", "application/n-triples")
        connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()
        body = _ChunkedBody(connection)
        try:
            dump(body)
            body.close()
        except Exception as exc:
            if body.error is None:
                raise _LocalStoreFailed(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
            # The store may have answered (an error) and closed before reading the whole body: say what it said.
            try:
                response = connection.getresponse()
            except (OSError, http.client.HTTPException):
                raise body.error from None
            raise _StoreAnswered(response.status, response.reason, response.read(4096)) from None
        response = connection.getresponse()
        answer = response.read()
        if not 200 <= response.status < 300:
            raise _StoreAnswered(response.status, response.reason, answer)
    finally:
        connection.close()


class _LocalStoreFailed(Exception):
    """Reading the graph out of the local store failed."""


def _count(store: ox.Store, graph: ox.NamedNode) -> int:
    """The triples in one graph, counted inside the store (nothing is materialised in Python)."""
    result = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                         substitutions={ox.Variable("g"): graph})
    return sum(int(row["n"].value) for row in result)


def push(endpoint: str, data: Iterable[Path | str] = (), store: Path | str | None = None,
         graph_prefix: str = GRAPH_BASE, *, dataset: Dataset | None = None, timeout: float = 60.0) -> PushReport:
    """PUT every source's graph to the Graph Store Protocol `endpoint`; raise on the first store error,
    saying which graphs were loaded and which were not (PushError, exit 4). Each graph is streamed out
    of the dataset's store as it is sent (from an on-disk --store nothing is loaded into memory); the
    store must answer each send and each PUT within `timeout` seconds."""
    if not endpoint.startswith(("http://", "https://")):
        raise OpennessError(f"bad --endpoint {endpoint!r}: expected an http(s) URL of a Graph Store Protocol endpoint")
    if not graph_prefix.startswith(("http://", "https://", "urn:")):
        raise OpennessError(f"bad --graph-prefix {graph_prefix!r}: expected an absolute IRI")
    dataset = dataset or Dataset.load(data, store)
    report = PushReport(endpoint)
    plan = []
    seen: set[str] = set()
    for source in dataset.sources:
        iri = graph_iri(source, graph_prefix)
        while iri in seen:
            iri += "-2"
        seen.add(iri)
        node = ox.NamedNode(source.graph)
        plan.append(node)
        report.graphs.append(Pushed(source.name, iri, _count(dataset.store, node), "not sent"))
    for index, node in enumerate(plan):
        def dump(body: _ChunkedBody, node: ox.NamedNode = node) -> None:
            dataset.store.dump(body, ox.RdfFormat.N_TRIPLES, from_graph=node)

        try:
            _put(endpoint, report.graphs[index].graph, dump, timeout)
        except _StoreAnswered as exc:
            raise _failure(report, index, exc.reason) from None
        except _LocalStoreFailed as exc:
            raise _failure(report, index, f"reading it from the local store failed: {exc}") from None
        except TimeoutError:
            raise _failure(report, index, f"the store did not answer within {timeout:g} seconds") from None
        except (OSError, http.client.HTTPException) as exc:
            raise _failure(report, index, f"cannot reach the store: {exc or type(exc).__name__}") from None
        report.graphs[index].status = "loaded"
    return report


class PushError(EndpointError):
    """A store error part-way through (exit 4): carries the report of what was and was not loaded."""

    def __init__(self, message: str, report: PushReport) -> None:
        super().__init__(message)
        self.report = report


def _failure(report: PushReport, index: int, reason: str) -> PushError:
    report.graphs[index].status = "failed"
    loaded = [p.graph for p in report.graphs if p.status == "loaded"]
    missing = [p.graph for p in report.graphs if p.status != "loaded"]
    message = (f"{report.endpoint}: pushing <{report.graphs[index].graph}> failed ({reason}); "
               f"loaded {len(loaded)} of {len(report.graphs)} graphs"
               + (f" ({', '.join(loaded)})" if loaded else "")
               + f"; not loaded: {', '.join(missing)}")
    return PushError(message, report)

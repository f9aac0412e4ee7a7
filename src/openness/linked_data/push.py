"""`openness push`: load the graph into a SPARQL 1.1 Graph Store Protocol endpoint.

One named graph per source (ontology, shapes, licences, projects, assessments, each generated file,
each --data file), each sent with HTTP PUT, which replaces the graph: pushing twice leaves one copy.
Each graph is streamed: Oxigraph serialises it out of the store as N-Triples straight into the PUT's
chunked body, so the client holds about a megabyte of it at a time, whatever the graph's size. A graph
of more than PIECE triples (and no blank nodes) is sent as a PUT of its first PIECE triples and POSTs
(which add) of the rest, so the store is never asked for one transaction of millions of triples.
The graph IRIs are the ones the embedded store uses (https://w3id.org/openness/graph/<source>), so
`openness query run NAME --endpoint QUERY-URL` finds them under its --graph-prefix and names them as
the protocol's default-graph-uri: the remote answers equal the embedded ones even on a store whose
default graph does not include its named graphs (Oxigraph without --union-default-graph).
"""

from __future__ import annotations

import http.client
from collections.abc import Iterable
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


# A graph of more triples than this goes to the store in pieces of this many (PUT, then POSTs): a stock
# Oxigraph server loads each request in one transaction held in memory. A synthetic catalogue of 10,000
# projects (one graph, 1.77M triples) in one PUT took the server to 3.7 GB; in pieces, 1.6 GB.
PIECE = 500_000


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


class _LocalStoreFailed(Exception):
    """Reading the graph out of the local store failed."""


class _GraphSender:
    """One graph's N-Triples, written into it by Store.dump (8 kB at a time), sent as the chunked body of
    a PUT (replacing the graph) in chunks of about CHUNK bytes: the client never holds more than one.
    With `piece`, the PUT ends at the first line end past `piece` triples and POSTs (which add to the
    graph) carry the rest, `piece` triples each, so that no request asks the store for one huge
    transaction; but from the request where a blank node first appears ("_:", even inside a literal)
    to the end, one request: a blank node's triples must reach the store in one document."""

    CHUNK = 1 << 20

    def __init__(self, endpoint: str, graph: str, timeout: float, piece: int | None) -> None:
        url = urlsplit(_request_url(endpoint, graph))
        self.kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        self.host, self.port, self.timeout, self.piece = url.hostname or "", url.port, timeout, piece
        self.target = (url.path or "/") + (f"?{url.query}" if url.query else "")
        self.buffer = bytearray()
        self.lines = self.pending = self.added = 0  # triples: sent in this request, buffered, answered
        self.blank = False  # a blank node in this request
        self.tail = b""  # the last byte written ("_" and ":" may come in two writes)
        self.error: BaseException | None = None
        self.connection: http.client.HTTPConnection | None = None
        self._start("PUT")

    def _start(self, method: str) -> None:
        self.connection = self.kind(self.host, self.port, timeout=self.timeout)
        self.connection.putrequest(method, self.target)
        self.connection.putheader("Content-Type", "application/n-triples")
        self.connection.putheader("Transfer-Encoding", "chunked")
        self.connection.endheaders()
        self.lines = 0

    def write(self, data: bytes) -> int:
        if self.error is not None:  # pyoxigraph may write its buffer out again after an error: keep the first
            raise OSError("this graph's push already failed")
        try:
            self.buffer += data
            self.pending += data.count(b"\n")
            self.blank = self.blank or b"_:" in self.tail + data
            self.tail = data[-1:]
            if self.piece and not self.blank and self.lines + self.pending >= self.piece:
                cut = self.buffer.rfind(b"\n") + 1  # nothing after it is a whole line
                self._send(self.buffer[:cut])
                del self.buffer[:cut]
                self._finish()
                self._start("POST")
            elif len(self.buffer) >= self.CHUNK:
                self._send(self.buffer)
                self.buffer.clear()
        except BaseException as exc:  # kept: pyoxigraph reports it as an OSError of its own
            self.error = exc
            raise
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        """Send what is left; wait for the store's answer."""
        self._send(self.buffer)
        self.buffer.clear()
        self._finish()

    def shutdown(self) -> None:
        if self.connection is not None:
            self.connection.close()

    def _send(self, data: bytes | bytearray) -> None:
        assert self.connection is not None
        try:
            if data:
                self.connection.send(b"%X\r\n%s\r\n" % (len(data), data))
        except OSError:
            self._answer_instead()
            raise
        self.lines += self.pending
        self.pending = 0

    def _answer_instead(self) -> None:
        """The store may have answered (an error) and closed before reading the whole body: raise what it said."""
        assert self.connection is not None
        try:
            response = self.connection.getresponse()
            answer = response.read(4096)
        except (OSError, http.client.HTTPException):
            return
        raise _StoreAnswered(response.status, response.reason, answer) from None

    def _finish(self) -> None:
        assert self.connection is not None
        try:
            self.connection.send(b"0\r\n\r\n")
        except OSError:
            self._answer_instead()
            raise
        response = self.connection.getresponse()
        answer = response.read()
        self.connection.close()
        if not 200 <= response.status < 300:
            raise _StoreAnswered(response.status, response.reason, answer)
        self.added += self.lines


def _send_graph(store: ox.Store, graph: ox.NamedNode, sender: _GraphSender) -> None:
    try:
        store.dump(sender, ox.RdfFormat.N_TRIPLES, from_graph=graph)
    except Exception as exc:
        if sender.error is None:
            raise _LocalStoreFailed(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
        raise sender.error from None
    sender.close()


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
        sender = None
        try:
            sender = _GraphSender(endpoint, report.graphs[index].graph, timeout, PIECE)
            _send_graph(dataset.store, node, sender)
        except (_StoreAnswered, _LocalStoreFailed, OSError, http.client.HTTPException) as exc:
            if isinstance(exc, _StoreAnswered):
                reason = exc.reason
            elif isinstance(exc, _LocalStoreFailed):
                reason = f"reading it from the local store failed: {exc}"
            elif isinstance(exc, TimeoutError):
                reason = f"the store did not answer within {timeout:g} seconds"
            else:
                reason = f"cannot reach the store: {exc or type(exc).__name__}"
            if sender is not None and sender.added:
                reason += f"; it holds the first {sender.added} of its {report.graphs[index].triples} triples"
            raise _failure(report, index, reason) from None
        finally:
            if sender is not None:
                sender.shutdown()
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

"""The SPARQL 1.1 Protocol endpoint of `openness serve`: request parsing, limits, result formats.

Queries run in worker processes, each holding its own copy of the graph, so the time limit is a hard
one: a query still running when it expires has its worker killed (and replaced) and the client gets
503. Oxigraph cannot interrupt a query from another thread, and a thread that is never stopped would
keep a core busy; a process can be stopped. The result-size limit refuses (400) a result with more
rows or triples than the limit rather than truncating it silently. The endpoint is read-only: SPARQL
Update is refused with 403 Forbidden (the method is allowed, the operation is not). The worker
processes, their limits and their scheduling are in workers.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import pyoxigraph as ox

from .conneg import negotiate

RESULT_TYPES = {  # media type -> pyoxigraph results format (None: HTML)
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/html": None,
}
BOOLEAN_TYPES = ["application/sparql-results+json", "application/sparql-results+xml", "application/json",
                 "application/xml", "text/html"]
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json", "text/html"]
MAX_BODY = 1_000_000


class ProtocolError(Exception):
    """A request the protocol says to refuse, with its HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class ProtocolRequest:
    query: str | None
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    params: dict[str, list[str]] = field(default_factory=dict)


def parse_request(method: str, query_string: str, content_type: str | None, body: bytes) -> ProtocolRequest:
    """The query and dataset of a protocol request, or a ProtocolError (400, 403, 405, 415)."""
    params = parse_qs(query_string, keep_blank_values=True)
    media = (content_type or "").split(";")[0].strip().lower()
    query: list[str] = []
    if method == "POST":
        if media == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                raise ProtocolError(400, "the form is not UTF-8") from None
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif media == "application/sparql-query":
            if "query" in params:
                raise ProtocolError(400, "a query in the body and a query parameter: give one")
            try:
                query = [body.decode("utf-8")]
            except UnicodeDecodeError:
                raise ProtocolError(400, "the query is not UTF-8") from None
        elif media == "application/sparql-update":
            raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is refused")
        else:
            raise ProtocolError(415, f"unsupported request content type {media or '(none)'}: use "
                                     "application/x-www-form-urlencoded or application/sparql-query")
    elif method not in ("GET", "HEAD"):
        raise ProtocolError(405, f"method {method} is not allowed: use GET or POST")
    query = query or params.get("query", [])
    update = params.get("update", [])
    if query and update:
        raise ProtocolError(400, "both 'query' and 'update' given: a request carries one operation")
    if update:
        raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is refused")
    if len(query) > 1:
        raise ProtocolError(400, "more than one 'query' parameter")
    defaults = params.get("default-graph-uri")
    named = params.get("named-graph-uri")
    if defaults is not None or named is not None:
        defaults, named = list(defaults or []), list(named or [])
    return ProtocolRequest(query[0] if query else None, defaults, named, params)


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes
    form: str = ""
    rows: list[list[str]] | None = None  # for the HTML page: variable names first, then cells
    text: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    retire: bool = False  # the worker that gave it must be replaced (it ran out of memory)


def _graph_answer(triples: list[ox.Triple], media: str) -> tuple[str, bytes]:
    from .documents import serialize

    if media == "text/html":
        return media, ox.serialize(triples, format=ox.RdfFormat.TURTLE) or b""
    return media, serialize(triples, media)


def execute(store: ox.Store, request: ProtocolRequest, accept: str | None, max_rows: int) -> Answer:
    """Run one query on `store` (whose default graph is the union) and serialise the negotiated format."""
    kwargs: dict[str, object] = {}
    if request.default_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs or []]

    def run():
        return store.query(request.query or "", **kwargs)

    try:
        result = run()
    except SyntaxError as exc:
        return Answer(400, "text/plain", f"malformed query: {exc}\n".encode())
    except (ValueError, OSError) as exc:
        return Answer(400, "text/plain", f"cannot run the query: {exc}\n".encode())
    if isinstance(result, ox.QueryBoolean):
        media = negotiate(accept, BOOLEAN_TYPES)
        if media is None:
            return _not_acceptable(BOOLEAN_TYPES)
        if media == "text/html":
            return Answer(200, media, b"", "ASK", text="yes" if bool(result) else "no")
        return Answer(200, media, result.serialize(format=RESULT_TYPES[media]) or b"", "ASK")
    if isinstance(result, ox.QuerySolutions):
        offered = list(RESULT_TYPES)
        media = negotiate(accept, offered)
        if media is None:
            return _not_acceptable(offered)
        count = 0
        for _ in result:
            count += 1
            if count > max_rows:
                return _too_large(max_rows, "rows")
        if media == "text/html":
            again = run()
            names = [v.value for v in again.variables]
            rows = [names] + [[_cell(s[n]) for n in names] for s in again]
            return Answer(200, media, b"", "SELECT", rows=rows)
        return Answer(200, media, run().serialize(format=RESULT_TYPES[media]) or b"", "SELECT")
    media = negotiate(accept, GRAPH_TYPES)
    if media is None:
        return _not_acceptable(GRAPH_TYPES)
    triples = []
    for triple in result:
        triples.append(triple)
        if len(triples) > max_rows:
            return _too_large(max_rows, "triples")
    media, body = _graph_answer(triples, media)
    if media == "text/html":
        return Answer(200, media, b"", "CONSTRUCT", text=body.decode("utf-8"))
    return Answer(200, media, body, "CONSTRUCT")


def _cell(term) -> str:
    return "" if term is None else term.value if not isinstance(term, ox.BlankNode) else f"_:{term.value}"


def _not_acceptable(offered: Sequence[str]) -> Answer:
    return Answer(406, "text/plain", ("not acceptable: this result can be given as " + ", ".join(offered) + "\n").encode())


def _too_large(limit: int, what: str) -> Answer:
    return Answer(400, "text/plain", f"the result has more than {limit} {what} (this endpoint's limit): "
                                     f"add a LIMIT or narrow the query\n".encode())


def serving_store(data: Sequence[str]) -> ox.Store:
    """The bundled graph plus --data, each source in its named graph and all of them in the default graph.

    Copying the union into the default graph lets a query's own FROM / FROM NAMED and the protocol's
    default-graph-uri / named-graph-uri work as the standards say, with no per-query options.
    """
    from ..graph.dataset import Dataset

    dataset = Dataset.load(data)
    store = dataset.store
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in dataset.triples())
    return store


def request_summary(params: Mapping[str, list[str]]) -> str:
    """The query text the HTML page shows back in its form."""
    return (params.get("query") or [""])[0]

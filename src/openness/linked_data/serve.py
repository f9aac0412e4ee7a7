"""`openness serve`: the graph as linked data over HTTP, with a SPARQL 1.1 Protocol endpoint.

Every instance IRI is served at its own path on the server's host (https://w3id.org/openness/id/
project/olmo at http://HOST:PORT/id/project/olmo), the ontology at /ontology (one page, an anchor per
term), with content negotiation between HTML, Turtle, JSON-LD, N-Triples and RDF/XML (`Vary:
Accept`, 406 when none is acceptable); a file extension (.ttl, .jsonld, .nt, .rdf, .html) asks
for one format. /sparql is the query endpoint (sparql_endpoint.py), /.well-known/void the VoID.

The stack is the standard library's ThreadingHTTPServer in front of Oxigraph (pyoxigraph): the
SPARQL engine and its result serialisers are Oxigraph's, the same engine the embedded store uses, so
served answers equal `openness query run` answers; the HTTP layer is small enough to read whole.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox

from .conneg import negotiate
from ..graph.iris import DEFAULT_BASE, ONTOLOGY_IRI
from .documents import RDF_MEDIA, GraphView, gzip_bytes, jsonld_context, prefixes_for, serialize, void_triples
from .pages import Linker, Pages, compare_cells
from .endpoint import ProtocolError, QueryPool, parse_request

HTML = "text/html"
DOC_TYPES = [HTML, *RDF_MEDIA]
EXTENSIONS = {"html": HTML, **{ext: media for media, (ext, _) in RDF_MEDIA.items()}}
TEXT_TYPES = {HTML, "text/turtle", "application/n-triples", "text/csv", "text/tab-separated-values", "text/plain"}


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class LinkedDataApp:
    """Answers requests from one loaded graph; the HTTP handler only moves bytes."""

    def __init__(self, data: Sequence[Path | str] = (), *, time_limit: float = 10.0, max_rows: int = 10_000,
                 workers: int = 2, verdicts: bool = True) -> None:
        from ..graph.dataset import Dataset
        from ..claims.service import compute_verdicts

        self.data = [str(d) for d in data]
        self.dataset = Dataset.load(self.data)
        self.view = GraphView(self.dataset.store, self.dataset.graphs(), DEFAULT_BASE)
        found, note = compute_verdicts(self.dataset) if verdicts else ([], None)
        self.pages = Pages(self.view, found, note, sparql=True)
        self.linker = Linker("/", "", DEFAULT_BASE)
        self.pool = QueryPool(self.data, workers=workers, time_limit=time_limit, max_rows=max_rows)
        self._cache: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.pool.close()

    # -- helpers --------------------------------------------------------------------------------------
    def _cached(self, key: str, build) -> bytes:
        with self._lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]

    @staticmethod
    def _error(status: int, message: str, accept: str | None = None) -> Response:
        return Response(status, "text/plain", (message + "\n").encode("utf-8"))

    def _document(self, triples_fn, html_fn, accept: str | None, forced: str | None, key: str) -> Response:
        media = forced or negotiate(accept, DOC_TYPES)
        headers = {"Vary": "Accept"}
        if media is None:
            return Response(406, "text/plain", ("not acceptable: this resource is available as "
                                                + ", ".join(DOC_TYPES) + "\n").encode(), headers)
        if media == HTML:
            body = self._cached(key + " html", lambda: html_fn().encode("utf-8"))
        else:
            body = self._cached(f"{key} {media}", lambda: serialize(triples_fn(), media, DEFAULT_BASE))
        return Response(200, media, body, headers)

    # -- routes ---------------------------------------------------------------------------------------
    def handle(self, method: str, target: str, headers, body: bytes = b"") -> Response:
        parts = urlsplit(target)
        path = unquote(parts.path)
        accept = headers.get("Accept")
        if path == "/sparql":
            return self.sparql(method, parts.query, headers, body)
        if method not in ("GET", "HEAD"):
            return Response(405, "text/plain", b"method not allowed: this path is read-only\n", {"Allow": "GET, HEAD"})
        stem, forced = path, None
        last = path.rsplit("/", 1)[-1]
        if "." in last and last.rsplit(".", 1)[1] in EXTENSIONS and not path.startswith("/dumps/"):
            stem, forced = path.rsplit(".", 1)[0], EXTENSIONS[last.rsplit(".", 1)[1]]
        if stem in ("/", "/index"):
            return self._html_page("index", accept, forced, lambda: self.pages.index(self.linker, self._counts()))
        if stem == "/projects":
            return self._html_page("projects", accept, forced, lambda: self.pages.projects(self.linker, self._projects()))
        if stem == "/licences":
            return self._html_page("licences", accept, forced, lambda: self.pages.licences(self.linker, self._licences()))
        if stem == "/compare":
            return self._html_page("compare", accept, forced, self._compare)
        if stem == "/ontology":
            return self._document(self.view.describe_ontology, lambda: self.pages.ontology(self.linker),
                                  accept, forced, ONTOLOGY_IRI)
        if path in ("/.well-known/void", "/void.ttl") or stem == "/.well-known/void":
            return self.void(headers, accept, forced if path != "/void.ttl" else "text/turtle")
        if path == "/context.jsonld":
            import json
            return Response(200, "application/ld+json", json.dumps(jsonld_context(), indent=2).encode())
        if path == "/dumps/openness.ttl":
            return Response(200, "text/turtle", self._cached("dump ttl", lambda: ox.serialize(
                self.view.all_triples(), format=ox.RdfFormat.TURTLE, prefixes=prefixes_for()) or b""))
        if path == "/dumps/openness.nt.gz":
            return Response(200, "application/gzip", self._cached("dump nt", lambda: gzip_bytes(ox.serialize(
                self.view.all_triples(), format=ox.RdfFormat.N_TRIPLES) or b"")))
        if stem.startswith("/id/"):
            iri = DEFAULT_BASE + stem[len("/id/"):]
            node = ox.NamedNode(iri) if self.linker.path_of(iri) else None
            if node is None or not self.view.outgoing(node):
                return self._error(404, f"not found: the graph says nothing about <{iri}>")
            return self._document(lambda: self.view.describe(node), lambda: self.pages.resource(iri, self.linker),
                                  accept, forced, iri)
        return self._error(404, f"not found: {path}")

    def _html_page(self, key: str, accept, forced, build) -> Response:
        media = forced or negotiate(accept, [HTML])
        if media != HTML:
            return Response(406, "text/plain", b"not acceptable: this page is available as text/html only\n",
                            {"Vary": "Accept"})
        return Response(200, HTML, self._cached("page " + key, lambda: build().encode("utf-8")), {"Vary": "Accept"})

    def _counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for iri in self.view.instances():
            path = self.linker.path_of(iri.value)
            if path:
                kind = path.split("/")[1]
                counts[kind] = counts.get(kind, 0) + 1
        return counts

    def _projects(self) -> list[dict]:
        from ..graph.projects import list_projects
        from ..graph.query import LocalBackend

        return [p.as_dict() for p in list_projects(LocalBackend(self.dataset))]

    def _licences(self) -> list[dict]:
        from ..graph.query import rows_as_dicts
        from ..graph.query import run_local, saved_queries

        return rows_as_dicts(run_local(self.dataset, saved_queries()["licences"].text))

    def _compare(self) -> str:
        cells, kinds = compare_cells(self.dataset)
        return self.pages.compare(self.linker, self._projects(), cells, kinds)

    def void(self, headers, accept, forced) -> Response:
        host = headers.get("Host") or "127.0.0.1"
        endpoint = f"http://{host}/sparql"
        offered = list(RDF_MEDIA)
        media = forced or negotiate(accept, offered)
        if media is None or media not in RDF_MEDIA:
            return Response(406, "text/plain", ("not acceptable: the VoID is available as " + ", ".join(offered)
                                                + "\n").encode(), {"Vary": "Accept"})
        sources = [(s.name, s.graph) for s in self.dataset.sources]
        body = self._cached(f"void {host} {media}", lambda: serialize(void_triples(self.view, sources, endpoint), media))
        return Response(200, media, body, {"Vary": "Accept"})

    def sparql(self, method: str, query_string: str, headers, body: bytes) -> Response:
        """The SPARQL 1.1 Protocol: GET and POST queries; updates refused; an HTML page for people."""
        accept = headers.get("Accept")
        vary = {"Vary": "Accept"}
        try:
            request = parse_request(method, query_string, headers.get("Content-Type"), body)
        except ProtocolError as exc:
            extra = {"Allow": "GET, POST"} if exc.status == 405 else {}
            return Response(exc.status, "text/plain", (exc.message + "\n").encode(), {**vary, **extra})
        if request.query is None:
            if method in ("GET", "HEAD") and negotiate(accept, [HTML, "application/sparql-results+json"]) == HTML:
                return Response(200, HTML, self._sparql_page("", None).encode(), vary)
            return Response(400, "text/plain", b"missing query: give a 'query' parameter "
                                               b"(GET or form POST) or an application/sparql-query body\n", vary)
        answer = self.pool.run(request, accept)
        if answer.status == 200 and answer.content_type == HTML:
            return Response(200, HTML, self._sparql_page(request.query, answer).encode(), vary)
        return Response(answer.status, answer.content_type, answer.body, vary)

    def _sparql_page(self, query: str, answer) -> str:
        example = query or ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                            "PREFIX oo: <https://w3id.org/openness/ontology#>\n"
                            "SELECT ?project ?label WHERE {\n  ?project oo:hasRelease ?release ; rdfs:label ?label .\n}\n"
                            "ORDER BY ?label")
        return self.pages.render("sparql.html", self.linker, title="SPARQL", query=example, answer=answer)


class _Handler(BaseHTTPRequestHandler):
    server_version = "openness"
    protocol_version = "HTTP/1.1"
    app: LinkedDataApp
    quiet = False

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > 1_000_000:
            self._send(Response(413, "text/plain", b"request body too large\n"), method)
            return
        body = self.rfile.read(length) if length else b""
        try:
            response = self.app.handle(method, self.path, self.headers, body)
        except Exception as exc:  # noqa: BLE001 - one line for the client, never a traceback page
            response = Response(500, "text/plain", f"internal error: {type(exc).__name__}: {exc}\n".encode())
        self._send(response, method)

    def _send(self, response: Response, method: str) -> None:
        self.send_response(response.status)
        ctype = response.content_type
        if ctype in TEXT_TYPES or ctype.startswith("application/sparql-results") or ctype in (
                "application/ld+json", "application/json", "application/rdf+xml", "application/xml"):
            ctype += "; charset=utf-8"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(response.body)

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's names
        self._serve("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._serve("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._serve("DELETE")

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if not self.quiet:
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, app: LinkedDataApp, quiet: bool = False) -> None:
        handler = type("Handler", (_Handler,), {"app": app, "quiet": quiet})
        super().__init__(address, handler)
        self.app = app

    def server_close(self) -> None:
        super().server_close()
        self.app.close()


def make_server(host: str = "127.0.0.1", port: int = 8080, data: Sequence[Path | str] = (), *,
                quiet: bool = False, **options) -> Server:
    """A server bound to host:port (port 0 picks a free one), ready for serve_forever()."""
    app = LinkedDataApp(data, **options)
    try:
        return Server((host, port), app, quiet)
    except OSError:
        app.close()
        raise

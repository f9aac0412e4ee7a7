"""`openness serve`: the graph as linked data over HTTP, with a SPARQL 1.1 Protocol endpoint.

Every instance IRI is served at its own path on the server's host (https://w3id.org/openness/id/
project/olmo at http://HOST:PORT/id/project/olmo), the ontology at /ontology (one page, an anchor per
term), with content negotiation between HTML, Turtle, JSON-LD, N-Triples and RDF/XML (`Vary:
Accept`, 406 when none is acceptable); a file extension (.ttl, .jsonld, .nt, .rdf, .html) asks
for one format. /sparql is the query endpoint (endpoint.py), /.well-known/void the VoID.

The HTTP stack is Waitress (a production WSGI server: its own connection handling, request parsing
and limits, a thread pool) in front of Oxigraph (pyoxigraph) in worker processes: the SPARQL engine
and its result serialisers are Oxigraph's, the same engine the embedded store uses, so served answers
equal `openness query run` answers. The port is bound before anything is loaded (a busy port or a
bad host is reported at once), and claim verdicts are computed in a background thread: pages that
show them say they are being computed until they are ready.

Every response carries the security headers in SECURITY_HEADERS: the pages' script and style are
files of the site (static/), never inline, so the Content-Security-Policy allows only the site's own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pyoxigraph as ox

from ..graph.iris import DEFAULT_BASE, ONTOLOGY_IRI
from .conneg import negotiate
from .documents import RDF_MEDIA, GraphView, gzip_bytes, jsonld_context, prefixes_for, serialize, void_triples
from .endpoint import MAX_BODY, ProtocolError, parse_request
from .pages import STATIC_TYPES, Linker, Pages, static_files
from .http_server import SECURITY_HEADERS, Server, WsgiHeaders, listen_socket, log_line, status_phrase
from .workers import QueryPool, VerdictsProcess

HTML = "text/html"
DOC_TYPES = [HTML, *RDF_MEDIA]
EXTENSIONS = {"html": HTML, **{ext: media for media, (ext, _) in RDF_MEDIA.items()}}
TEXT_TYPES = {HTML, "text/turtle", "application/n-triples", "text/csv", "text/tab-separated-values", "text/plain",
              "text/css", "text/javascript"}
VERDICTS_PENDING = ("Claim verdicts are being computed (it takes some minutes after the server starts): "
                    "reload this page later to see them.")


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class LinkedDataApp:
    """Answers requests from one loaded graph; the HTTP handler only moves bytes."""

    def __init__(self, data: Sequence[Path | str] = (), *, time_limit: float = 10.0, max_rows: int = 10_000,
                 workers: int = 2, verdicts: bool | Callable = True, memory_mb: int = 1024,
                 light_limit: float = 1.0, allow_federation: Sequence[str] = (), quiet: bool = False) -> None:
        from ..graph.dataset import Dataset

        self.data = [str(d) for d in data]
        self.quiet = quiet
        self.allow_federation = tuple(allow_federation)
        self.dataset = Dataset.load(self.data)
        self.view = GraphView(self.dataset.store, self.dataset.graphs(), DEFAULT_BASE)
        self.pages = Pages(self.view, [], VERDICTS_PENDING if verdicts else None, sparql=True)
        self.linker = Linker("/", "", DEFAULT_BASE)
        self.static = {"/" + path: body for path, body in static_files().items()}
        self._cache: dict[str, bytes] = {}
        self._building: dict[str, threading.Event] = {}
        self._generation = 0
        self._lock = threading.Lock()
        # The query workers each load their own copy of the graph: started once the home page is built,
        # so on a small machine they do not compete with the first answer (a query arriving before
        # waits for them, as it waits for a worker being loaded).
        self._pool: QueryPool | None = None
        self._pool_error: BaseException | None = None
        self._pool_started = threading.Event()
        self._closed = False
        pool_options = dict(workers=workers, time_limit=time_limit, max_rows=max_rows, memory_mb=memory_mb,
                            light_limit=light_limit, allow_federation=self.allow_federation)
        threading.Thread(target=self._warm_up, args=(pool_options,), name="warm-up", daemon=True).start()
        self.verdicts_ready = threading.Event()
        self._verdicts_process: VerdictsProcess | None = None
        if verdicts:
            if not callable(verdicts):
                self._verdicts_process = verdicts = VerdictsProcess(self.data)
            threading.Thread(target=self._compute_verdicts, args=(verdicts,), name="verdicts", daemon=True).start()
        else:
            self.verdicts_ready.set()

    def _compute_verdicts(self, compute: Callable) -> None:
        """Wait for claim verdicts off the request path (by default computed in a child process, see
        workers.VerdictsProcess); pages show them once they are ready."""
        log_line("openness: computing claim verdicts in the background (pages say so until they are ready)")
        started = time.monotonic()
        try:
            found, note = compute(self.dataset)
        except Exception as exc:  # noqa: BLE001 - the server goes on without verdicts, and says why
            found, note = [], f"Claim verdicts could not be computed: {type(exc).__name__}: {exc}"
            log_line(f"openness: claim verdicts could not be computed: {type(exc).__name__}: {exc}")
        else:
            log_line(f"openness: claim verdicts ready ({len(found)} in {time.monotonic() - started:.0f} s)")
        with self._lock:
            self.pages.verdicts = list(found)
            self.pages.verdicts_note = note
            self._generation += 1
            self._cache.clear()
        self.verdicts_ready.set()

    def _warm_up(self, pool_options: dict) -> None:
        """Build the home page, then start the query workers."""
        try:
            self._html_page("index", None, None, lambda: self.pages.index(self.linker, self._counts()))
        except Exception:  # noqa: BLE001 - the request for the page builds it again and reports the failure
            pass
        try:
            pool = QueryPool(self.data, **pool_options)
        except BaseException as exc:  # noqa: BLE001 - reported by each query (500), as one line
            self._pool_error = exc
        else:
            with self._lock:
                closed = self._closed
                if not closed:
                    self._pool = pool
            if closed:
                pool.close()
        self._pool_started.set()

    @property
    def pool(self) -> QueryPool:
        """The query workers (waiting for them to be started)."""
        self._pool_started.wait()
        if self._pool is None:
            raise RuntimeError(f"the query workers could not be started: {self._pool_error}")
        return self._pool

    def close(self) -> None:
        if self._verdicts_process is not None:
            self._verdicts_process.stop()
        with self._lock:
            self._closed = True
            pool = self._pool
        if pool is not None:
            pool.close()

    # -- helpers --------------------------------------------------------------------------------------
    def _cached(self, key: str, build) -> bytes:
        """A built page or document, built once (outside the lock, so one slow build blocks no one but
        the requests for the same page, which wait for it rather than build it again)."""
        with self._lock:
            if key in self._cache:
                return self._cache[key]
            generation = self._generation
            pending = self._building.get(key)
            if pending is None:
                pending = self._building[key] = threading.Event()
                mine = True
            else:
                mine = False
        if not mine:
            pending.wait()
            with self._lock:
                if key in self._cache:
                    return self._cache[key]
            return build()  # that build failed, or its data was replaced meanwhile
        try:
            body = build()
            with self._lock:
                if generation == self._generation:  # not built from data replaced in the meantime
                    self._cache.setdefault(key, body)
            return body
        finally:
            with self._lock:
                if self._building.get(key) is pending:
                    del self._building[key]
            pending.set()

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
        if path in self.static:
            media = STATIC_TYPES[path[path.rindex("."):]]
            return Response(200, media, self.static[path], {"Cache-Control": "public, max-age=3600"})
        if path == "/compare.json":
            return Response(200, "application/json", self._cached("compare json", lambda: self.pages.compare_json(
                self.linker).encode("utf-8")))
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
            return self._html_page("compare", accept, forced, lambda: self.pages.compare(self.linker))
        if stem == "/catalogue":
            return self._html_page("catalogue", accept, forced, lambda: self.pages.catalogue(self.linker, self._counts()))
        if stem == "/methodology":
            return self._html_page("methodology", accept, forced, lambda: self.pages.methodology(self.linker))
        if stem == "/figure-2":
            return self._html_page("figure-2", accept, forced, lambda: self.pages.figure2(self.linker))
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
        # guard.check_query (SERVICE, nesting) runs in the worker, before Oxigraph parses the query: a
        # megabyte of query text is lexed there, under the time limit, not in this process.
        answer = self.pool.run(request, accept)
        if answer.status == 200 and answer.content_type == HTML:
            return Response(200, HTML, self._sparql_page(request.query, answer).encode(), vary)
        return Response(answer.status, answer.content_type, answer.body, {**vary, **answer.headers})

    def _sparql_page(self, query: str, answer) -> str:
        example = query or ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                            "PREFIX oo: <https://w3id.org/openness/ontology#>\n"
                            "SELECT ?project ?label WHERE {\n  ?project oo:hasRelease ?release ; rdfs:label ?label .\n}\n"
                            "ORDER BY ?label")
        return self.pages.render("sparql.html", self.linker, title="SPARQL", query=example, answer=answer)


    # -- WSGI ---------------------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        """The WSGI application: one request in, one Response out, the security headers on every one."""
        started = time.monotonic()
        method = environ.get("REQUEST_METHOD", "GET")
        target = environ.get("REQUEST_URI") or (quote(environ.get("PATH_INFO", ""))
                                                 + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""))
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            response = Response(400, "text/plain", b"bad Content-Length\n")
        elif length > MAX_BODY:
            response = Response(413, "text/plain", b"request body too large\n")
        else:
            try:
                body = environ["wsgi.input"].read(length) if length else b""
                response = self.handle(method, target, WsgiHeaders(environ), body)
            except Exception as exc:  # noqa: BLE001 - one line for the client, never a traceback page
                response = Response(500, "text/plain", f"internal error: {type(exc).__name__}: {exc}\n".encode())
        ctype = response.content_type
        if ctype in TEXT_TYPES or ctype.startswith("application/sparql-results") or ctype in (
                "application/ld+json", "application/json", "application/rdf+xml", "application/xml"):
            ctype += "; charset=utf-8"
        headers = [("Content-Type", ctype), ("Content-Length", str(len(response.body))),
                   *response.headers.items(), *SECURITY_HEADERS.items()]
        start_response(f"{response.status} {status_phrase(response.status)}", headers)
        if not self.quiet:
            log_line(f"{environ.get('REMOTE_ADDR', '-')} - \"{method} {target[:200]}\" {response.status} "
                 f"{len(response.body)} {1000 * (time.monotonic() - started):.0f}ms")
        return [b"" if method == "HEAD" else response.body]


def make_server(host: str = "127.0.0.1", port: int = 8080, data: Sequence[Path | str] = (), *,
                quiet: bool = False, threads: int = 32, on_listening: Callable[[str, int], None] | None = None,
                **options) -> Server:
    """A server bound to host:port (port 0 picks a free one), ready for serve_forever().

    The port is taken before the graph is loaded: a busy port or a bad host is an OpennessError at
    once, and `on_listening(host, port)` is told as soon as the socket listens.
    """
    sock = listen_socket(host, port)
    if on_listening:
        on_listening(*sock.getsockname()[:2])
    try:
        app = LinkedDataApp(data, quiet=quiet, **options)
    except BaseException:
        sock.close()
        raise
    try:
        return Server(sock, app, threads)
    except BaseException:
        app.close()
        sock.close()
        raise

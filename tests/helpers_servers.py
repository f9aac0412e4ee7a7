"""Servers for tests: free ports on 127.0.0.1, readiness polling with a deadline, clean stops."""

from __future__ import annotations

import subprocess
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from openness.net import free_port, wait_until_up  # noqa: F401 - the tests import them from here

ROOT = Path(__file__).resolve().parents[1]
OXIGRAPH = ROOT / ".venv" / "bin" / "oxigraph"

HOSTILE_TTL = """\
@prefix oo: <https://w3id.org/openness/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix project: <https://w3id.org/openness/id/project/> .
@prefix release: <https://w3id.org/openness/id/release/> .
@prefix component: <https://w3id.org/openness/id/component/> .
@prefix licence: <https://w3id.org/openness/id/licence/> .

project:hostile a oo:AIModel ; rdfs:label "<script>alert(1)</script>" ;
    dct:description "<img src=x onerror=alert(1)> & \\"quotes\\"" ;
    oo:hasRelease release:hostile-v1 ; oo:currentRelease release:hostile-v1 .
release:hostile-v1 a oo:Release ; rdfs:label "Hostile <b>v1</b>" ; oo:hasComponent component:hostile-v1-final-parameters .
component:hostile-v1-final-parameters a oo:Component ; oo:componentKind oo:FinalParameters ;
    oo:availability oo:Public ; dct:license licence:hostile-licence .
licence:hostile-licence a oo:Licence ; rdfs:label "<img src=x onerror=alert(1)>" .
"""
HOSTILE_STRINGS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>v1</b>")


def write_hostile(folder: Path) -> Path:
    path = folder / "hostile.ttl"
    path.write_text(HOSTILE_TTL, encoding="utf-8")
    return path


@contextmanager
def oxigraph_server(location: Path):
    """A stock Oxigraph server (no --union-default-graph) on a free port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/query?query=ASK%7B%7D")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        if process.stderr:
            process.stderr.close()


@contextmanager
def openness_server(data=(), **options):
    """`openness serve` in a thread on a free port; yields its base URL."""
    from openness.linked_data.serve import make_server

    server = make_server("127.0.0.1", 0, data, quiet=True, **options)
    server.app.pool.wait_ready()
    with _in_thread(server) as base:
        yield base


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def static_server(folder: Path):
    """A plain HTTP server over a folder (the published site), on a free port; yields its base URL."""
    handler = partial(_QuietFiles, directory=str(folder))
    with _in_thread(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as base:
        yield base


@contextmanager
def _in_thread(server):
    """Serve an HTTPServer on a daemon thread; yield its base URL; shut it down and join afterwards."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def http(url: str, *, method: str = "GET", data: bytes | None = None, headers: dict | None = None,
         timeout: float = 30.0):
    """(status, headers, body) of one request, HTTP errors included."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()

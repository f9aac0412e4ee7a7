"""`openness serve` against the hostile pass of issue 11: SSRF, deep nesting, memory, headers, bad
requests, busy ports, background verdicts. (Load and fairness: test_serve_load.py.)"""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
import urllib.parse

import pytest
from click.testing import CliRunner

from helpers_servers import free_port, http, openness_server
from openness.cli import cli

pytestmark = pytest.mark.server
JSON = "application/sparql-results+json"
ASK = "ASK { <https://w3id.org/openness/id/project/olmo> ?p ?o }"


@pytest.fixture(scope="module")
def base():
    with openness_server([], time_limit=5, max_rows=5000, workers=1, verdicts=False, memory_mb=100,
                         allow_federation=("federation.example",)) as url:
        yield url


def sparql(base, query, accept=JSON):
    body = urllib.parse.urlencode({"query": query}).encode()
    return http(base + "/sparql", method="POST", data=body,
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})


def raw(base, request: bytes, read: bool = True) -> bytes:
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        if not read:
            return b""
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


# -- 1. SSRF ----------------------------------------------------------------------------------------
def test_service_is_refused_with_400_and_nothing_is_called(base):
    hits = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]

    def accept():
        try:
            hits.append(listener.accept())
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        for query in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ BIND(<http://127.0.0.1:{port}/> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/> "
                      f"{{ ?s ?p ?o }} }} }} }}"):
            status, _, body = sparql(base, query)
            assert status == 400 and b"SERVICE" in body, body
        status, _, _ = http(base + "/sparql?" + urllib.parse.urlencode(
            {"query": f"ASK {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"}), headers={"Accept": JSON})
        assert status == 400
        # an allowed host passes the check; a host that is not allowed is still refused
        status, _, body = sparql(base, f"ASK {{ SERVICE <http://federation.example:{port}/> {{ ?s ?p ?o }} "
                                       f"SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}")
        assert status == 400 and b"127.0.0.1" in body
    finally:
        thread.join()
        listener.close()
    assert hits == []


# -- 4. deep nesting --------------------------------------------------------------------------------
def test_a_filter_nested_20000_deep_is_400_and_the_workers_live_on(base):
    query = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 20_000 + "?o" + ")" * 20_000 + ") }"
    status, _, body = sparql(base, query)
    assert status == 400 and b"deep" in body
    assert sparql(base, ASK)[0] == 200


# -- 7. memory --------------------------------------------------------------------------------------
def test_a_query_past_the_memory_cap_is_stopped_with_503_and_its_worker_replaced(base):
    heavy = "SELECT ?a ?o ?e WHERE { ?a ?b ?o . ?c ?d ?e } ORDER BY ?e ?o LIMIT 5"
    status, _, body = sparql(base, heavy)
    assert status == 503 and b"memory" in body, body
    status, _, body = sparql(base, ASK)
    assert status == 200 and json.loads(body)["boolean"] is True


# -- 8. headers -------------------------------------------------------------------------------------
HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}


def check_security_headers(headers):
    for name, value in HEADERS.items():
        assert headers.get(name) == value, name
    csp = headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert not re.search(r"python|waitress|\d+\.\d+", headers.get("Server", ""), re.I), headers.get("Server")


@pytest.mark.parametrize("path,accept", [("/", "text/html"), ("/projects", "text/html"), ("/compare", "text/html"),
                                         ("/id/project/olmo", "text/turtle"), ("/no/such/page", None),
                                         ("/static/compare.js", None), ("/sparql?query=ASK%7B%7D", JSON),
                                         ("/sparql?query=ASK%7B", JSON), ("/id/project/olmo", "image/png")])
def test_every_response_has_the_security_headers(base, path, accept):
    status, headers, _ = http(base + path, headers={"Accept": accept} if accept else {})
    assert status in (200, 400, 404, 406)
    check_security_headers(headers)


def test_pages_have_no_inline_script_or_style_and_their_files_are_served(base):
    for path in ("/", "/projects", "/compare", "/licences", "/ontology", "/sparql", "/id/project/olmo"):
        status, _, body = http(base + path, headers={"Accept": "text/html"})
        page = body.decode()
        assert status == 200
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
        assert "<style" not in page and " style=" not in page and not re.search(r"\son[a-z]+=", page), path
        for src in re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', page):
            status, headers, _ = http(base + src)
            assert status == 200 and headers["Content-Type"].split(";")[0] in ("text/javascript", "text/css")
    assert b'<script src="/static/compare.js">' in http(base + "/compare")[2]


# -- 16. malformed requests and disconnects -----------------------------------------------------------
@pytest.mark.parametrize("length", [b"abc", b"-5", b"1e3", b"99999999999999999999999"])
def test_a_bad_content_length_gets_a_400_answer(base, length):
    answer = raw(base, b"POST /sparql HTTP/1.1\r\nHost: t\r\nContent-Type: application/sparql-query\r\n"
                       b"Content-Length: " + length + b"\r\nConnection: close\r\n\r\nASK {}")
    status = answer.split(b"\r\n", 1)[0]
    assert status.startswith(b"HTTP/1.1 4"), answer[:200]
    assert b"X-Content-Type-Options: nosniff" in answer


def test_client_disconnects_log_no_traceback(base, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    # a client that sends half a body and goes away, and one that goes away before the answer
    raw(base, b"POST /sparql HTTP/1.1\r\nHost: t\r\nContent-Type: application/sparql-query\r\n"
              b"Content-Length: 1000\r\n\r\nASK {", read=False)
    raw(base, b"GET /sparql?query=" + urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } LIMIT 4000").encode()
        + b" HTTP/1.1\r\nHost: t\r\nAccept: text/csv\r\n\r\n", read=False)
    time.sleep(1.5)
    assert sparql(base, ASK)[0] == 200
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records]
    assert "Traceback" not in capfd.readouterr().err


# -- 14. a busy port or a bad host --------------------------------------------------------------------
def test_busy_port_and_bad_host_fail_at_once_with_one_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
        assert result.exit_code == 2 and "in use" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert time.monotonic() - started < 10  # before: ~150 s, then an AttributeError
    result = CliRunner().invoke(cli, ["serve", "--host", "no-such-host.invalid", "--port", str(free_port())])
    assert result.exit_code == 2 and "unknown host" in result.stderr and "Traceback" not in result.output


# -- background verdicts ------------------------------------------------------------------------------
def test_pages_say_verdicts_are_being_computed_until_they_are_ready():
    release = threading.Event()
    project = "https://w3id.org/openness/id/project/olmo"

    def slow_verdicts(dataset):
        release.wait(60)
        return [{"project": project, "claim": "test-claim", "conforms": True, "results": []}], None

    with openness_server([], workers=1, light_limit=0, verdicts=slow_verdicts) as url:
        for path in ("/projects", "/id/project/olmo"):
            status, _, body = http(url + path, headers={"Accept": "text/html"})
            assert status == 200 and b"being computed" in body, path
        release.set()
        deadline = time.monotonic() + 30
        while b"being computed" in http(url + "/projects")[2] and time.monotonic() < deadline:
            time.sleep(0.1)
        body = http(url + "/projects")[2]
        assert b"being computed" not in body and b"test-claim" in body


def test_the_verdicts_process_reports_its_failure_in_one_line():
    from openness.linked_data.workers import VerdictsProcess

    compute = VerdictsProcess(["/no/such/file.ttl"])  # the child cannot load the graph
    with pytest.raises(RuntimeError, match="no such file"):
        compute()
    assert compute.process.poll() is not None  # and it is gone


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_stopping_the_server_leaves_no_worker_behind(how):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    def children(pid: int) -> set[int]:
        found = set()
        for status in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = status.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(status.parent.name))
        return found

    def alive(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        return state != "Z"

    server = subprocess.Popen([sys.executable, "-m", "openness", "serve", "--port", "0", "--quiet", "--workers", "1"],
                              stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            lines.append(server.stderr.readline())
            if "serving on" in lines[-1] or server.poll() is not None:
                break
        assert "serving on" in lines[-1], lines
        workers = children(server.pid)
        deadline = time.monotonic() + 60  # the query workers start once the home page is built
        while len(workers) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
            workers = children(server.pid)
        assert len(workers) >= 3, workers  # a query worker, the express worker, the verdicts process
        server.send_signal(getattr(signal, how))
        server.wait(30)
        deadline = time.monotonic() + 15
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [w for w in workers if alive(w)]
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        for pid in children(server.pid):
            os.kill(pid, signal.SIGKILL)


def test_federation_with_an_allowed_host_is_answered():
    from http.server import BaseHTTPRequestHandler

    from helpers_servers import _in_thread

    asked = []

    class FakeEndpoint(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            asked.append(self.rfile.read(length) if length else self.path.encode())
            body = json.dumps({"head": {"vars": ["x"]},
                               "results": {"bindings": [{"x": {"type": "literal", "value": "from-remote"}}]}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args) -> None:
            pass

    from http.server import ThreadingHTTPServer

    with _in_thread(ThreadingHTTPServer(("127.0.0.1", 0), FakeEndpoint)) as remote:
        with openness_server([], workers=1, light_limit=0, verdicts=False, allow_federation=("127.0.0.1",)) as url:
            status, _, body = sparql(url, f"SELECT ?x WHERE {{ SERVICE <{remote}/sparql> {{ ?s ?p ?x }} }}")
            assert status == 200 and b"from-remote" in body, body
            status, _, _ = sparql(url, "SELECT ?x WHERE { SERVICE <http://localhost:9/sparql> { ?s ?p ?x } }")
            assert status == 400  # localhost is not 127.0.0.1 by name: only the hosts named are allowed
    assert asked

"""`openness push` into a real Oxigraph server (no --union-default-graph), then the same answers remotely."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from helpers_servers import OXIGRAPH, free_port, http, oxigraph_server
from openness.cli import cli
from openness.linked_data.push import PushError, push

pytestmark = [pytest.mark.server,
              pytest.mark.skipif(not OXIGRAPH.exists(), reason="the oxigraph server (test extras) is not installed")]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        yield base


def run_json(*args):
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def total_triples(base):
    status, _, body = http(base + "/query", method="POST",
                           data=b"SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                           headers={"Content-Type": "application/sparql-query",
                                    "Accept": "application/sparql-results+json"})
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_push_then_remote_answers_equal_local(oxigraph):
    rows = run_json("push", "--endpoint", oxigraph + "/store")
    assert {r["graph"] for r in rows} >= {"https://w3id.org/openness/graph/ontology",
                                         "https://w3id.org/openness/graph/licences",
                                         "https://w3id.org/openness/graph/projects"}
    assert all(r["status"] == "loaded" for r in rows)
    for args in (["projects"], ["licences"], ["project-components", "--param", "project=olmo"],
                 ["licence-terms", "--param", "licence=Apache-2.0"], ["project-facts", "--param", "project=olmo"],
                 ["compare-projects", "--param", "a=olmo", "--param", "b=llama-2"]):
        local = run_json("query", "run", *args)
        remote = run_json("query", "run", *args, "--endpoint", oxigraph + "/query")
        assert local, args
        assert [deterministic(r) for r in remote] == [deterministic(r) for r in local], args
        assert len({json.dumps(r, sort_keys=True) for r in remote}) == len(remote), f"duplicate rows: {args}"
    # Queries whose comments hold words SPARQLWrapper took for their form (COPY, ADD, DROP, LOAD,
    # DESCRIBE): they were sent as updates or asked for RDF, and refused.
    for name in ("data-quality", "flow-down-restrictions", "mislabelled-derivatives", "unsafe-weight-formats",
                 "weights-access"):
        local = run_json("query", "run", name)
        remote = run_json("query", "run", name, "--endpoint", oxigraph + "/query")
        assert local and len(remote) == len(local), name
        if name != "weights-access":  # its licence column joins names in no set order (either engine's is right)
            assert sorted(map(without_blank_labels, remote)) == sorted(map(without_blank_labels, local)), name


def without_blank_labels(row):
    # a blank node's label is the store's own: two stores name one node differently
    return json.dumps({k: "_:" if str(v).startswith("_:") else v for k, v in deterministic(row).items()}, sort_keys=True)


def deterministic(row):
    # project-components reports one SAMPLE() of a component's download URLs and sources: any of them
    # is a right answer, and two engines may pick different ones, so those columns are left out.
    return {k: v for k, v in row.items() if k not in ("location", "source")}


def test_re_push_replaces_and_never_duplicates(oxigraph):
    push(oxigraph + "/store")
    first = total_triples(oxigraph)
    report = push(oxigraph + "/store")
    assert total_triples(oxigraph) == first
    assert first == sum(g.triples for g in report.graphs)


def test_a_store_that_is_down_is_reported_with_what_was_not_loaded():
    endpoint = f"http://127.0.0.1:{free_port()}/store"
    with pytest.raises(PushError) as caught:
        push(endpoint)
    message = caught.value.message
    assert "cannot reach the store" in message and "loaded 0 of" in message and "not loaded:" in message
    assert all(g.status in ("failed", "not sent") for g in caught.value.report.graphs)
    result = CliRunner().invoke(cli, ["push", "--endpoint", endpoint, "--timeout", "5"])
    assert result.exit_code == 4  # a store that cannot be reached (the exit-code contract)
    assert "not loaded" in result.stderr


def test_a_store_error_part_way_names_loaded_and_missing_graphs(oxigraph):
    # Oxigraph answers 4xx to a PUT whose graph parameter is not an IRI: force one with a bad prefix.
    with pytest.raises(PushError) as caught:
        push(oxigraph + "/store", graph_prefix="urn:bad prefix/")
    assert "HTTP 4" in caught.value.message


def test_push_waits_no_longer_than_its_timeout():
    import socket
    import time

    # a "store" that accepts the connection and never answers
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}/store"
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["push", "--endpoint", endpoint, "--timeout", "1"])
        assert result.exit_code == 4 and "did not answer within 1 seconds" in result.stderr
        assert time.monotonic() - started < 60  # before: a fixed 120 s per graph


def test_query_run_against_an_unreachable_or_silent_endpoint_exits_4():
    import socket

    result = CliRunner().invoke(cli, ["query", "run", "projects", "--endpoint", f"http://127.0.0.1:{free_port()}/query"])
    assert result.exit_code == 4 and "Traceback" not in result.output
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        result = CliRunner().invoke(cli, ["query", "run", "projects", "--endpoint", endpoint, "--endpoint-timeout", "1"])
        assert result.exit_code == 4, result.output


class Relay:
    """A TCP relay in front of the store that keeps a copy of the bytes the client sends on each connection."""

    def __init__(self, target_port: int) -> None:
        import socket
        import threading

        self.target_port, self.sent = target_port, []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def _accept(self) -> None:
        import socket
        import threading

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            self.sent.append(bytearray())
            for source, sink, keep in ((client, server, self.sent[-1]), (server, client, None)):
                thread = threading.Thread(target=self._pipe, args=(source, sink, keep), daemon=True)
                thread.start()
                self.threads.append(thread)

    @staticmethod
    def _pipe(source, sink, keep) -> None:
        import socket

        while data := source.recv(65536):
            if keep is not None:
                keep += data
            sink.sendall(data)
        try:
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def close(self) -> None:
        self.listener.close()
        for thread in self.threads:
            thread.join(10)

    def requests(self) -> list[tuple[str, list[str], list[int]]]:
        """Each request: its request line, its header lines (lower case) and the sizes of its body's chunks."""
        out = []
        for sent in self.sent:
            head, _, body = bytes(sent).partition(b"\r\n\r\n")
            line, *headers = head.decode().splitlines()
            out.append((line, [h.lower() for h in headers], chunks(body)))
        return out


def chunks(body: bytes) -> list[int]:
    """The sizes of the chunks of a chunked HTTP/1.1 body (the last, empty, one included)."""
    sizes, at = [], 0
    while True:
        line_end = body.index(b"\r\n", at)
        size = int(body[at:line_end], 16)
        sizes.append(size)
        at = line_end + 2 + size + 2
        if size == 0:
            return sizes


def write_big(path, n=50_000, blank=False):
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            subject = f"_:b{i // 2}" if blank else f"<https://example.org/big/{i}>"
            fh.write(f"{subject} <https://example.org/p> \"a literal long enough to count {i:08d}\" .\n")
    return path


def graph_size(base, graph):
    status, _, answer = http(base + "/query", method="POST",
                             data=f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}".encode(),
                             headers={"Content-Type": "application/sparql-query",
                                      "Accept": "application/sparql-results+json"})
    assert status == 200
    return int(json.loads(answer)["results"]["bindings"][0]["n"]["value"])


def push_through_relay(base, dataset):
    from urllib.parse import urlsplit

    relay = Relay(urlsplit(base).port)
    try:
        report = push(f"http://127.0.0.1:{relay.port}/store", dataset=dataset, graph_prefix="urn:streamed/")
    finally:
        relay.close()
    return report, relay.requests()


def test_a_large_graph_is_streamed_in_bounded_chunks_from_an_on_disk_store(oxigraph, tmp_path):
    from openness.graph.dataset import Dataset

    # About 5 MB of N-Triples in one graph: more than the client may hold at once (chunks of ~1 MiB).
    dataset = Dataset.load([write_big(tmp_path / "big.nt")], tmp_path / "store", bundled=False)
    report, requests = push_through_relay(oxigraph, dataset)
    assert [(g.triples, g.status) for g in report.graphs] == [(50_000, "loaded")]
    [(line, headers, sizes)] = requests
    assert line.startswith("PUT /store?graph=urn%3Astreamed%2Fdata%2Fbig ")
    assert "transfer-encoding: chunked" in headers and not any(h.startswith("content-length") for h in headers)
    assert sum(sizes) > 4_500_000 and len(sizes) > 4 and max(sizes) <= 2 * 1024 * 1024, sizes
    assert graph_size(oxigraph, "urn:streamed/data/big") == 50_000


def test_a_graph_past_the_piece_size_goes_as_a_put_then_posts_and_still_replaces(oxigraph, tmp_path, monkeypatch):
    from openness.graph.dataset import Dataset
    from openness.linked_data import push as module

    monkeypatch.setattr(module, "PIECE", 12_000)
    dataset = Dataset.load([write_big(tmp_path / "big.nt")], bundled=False)
    for _ in range(2):  # the second push replaces the first: the PUT clears the graph
        report, requests = push_through_relay(oxigraph, dataset)
        assert [(g.triples, g.status) for g in report.graphs] == [(50_000, "loaded")]
        assert [line.split()[0] for line, _, _ in requests] == ["PUT", "POST", "POST", "POST", "POST"]
        assert graph_size(oxigraph, "urn:streamed/data/big") == 50_000
    # A graph with blank nodes goes whole: a blank node's triples stay in one document.
    dataset = Dataset.load([write_big(tmp_path / "blank.nt", blank=True)], bundled=False)
    report, requests = push_through_relay(oxigraph, dataset)
    assert [line.split()[0] for line, _, _ in requests] == ["PUT"]
    assert graph_size(oxigraph, "urn:streamed/data/blank") == 50_000


def test_a_store_failing_part_way_through_a_graph_in_pieces_says_how_much_of_it_it_holds(tmp_path, monkeypatch):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from openness.graph.dataset import Dataset
    from openness.linked_data import push as module

    class FailsOnSecondRequest(BaseHTTPRequestHandler):
        seen: list[str] = []

        def _answer(self) -> None:
            while size := int(self.rfile.readline(), 16):  # read the whole chunked body
                self.rfile.read(size + 2)
            self.rfile.readline()
            self.seen.append(self.command)
            self.send_response(201 if len(self.seen) == 1 else 500)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_PUT = do_POST = _answer

        def log_message(self, *args) -> None:
            pass

    monkeypatch.setattr(module, "PIECE", 12_000)
    dataset = Dataset.load([write_big(tmp_path / "big.nt")], bundled=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), FailsOnSecondRequest)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(PushError) as caught:
            push(f"http://127.0.0.1:{server.server_address[1]}/store", dataset=dataset)
    finally:
        server.shutdown()
        server.server_close()
    assert FailsOnSecondRequest.seen == ["PUT", "POST"]
    message = caught.value.message
    assert "HTTP 500" in message and "of its 50000 triples" in message and "loaded 0 of 1 graphs" in message
    held = int(message.split("it holds the first ")[1].split()[0])
    assert 12_000 <= held < 13_000
    assert [g.status for g in caught.value.report.graphs] == ["failed"]


def test_parameters_reach_the_sub_selects_that_project_them_at_an_endpoint():
    import pyoxigraph as ox

    from openness.graph.query import bound_for_endpoint

    text = """SELECT ?a ?n WHERE {
      { SELECT ?a (COUNT(*) AS ?n) WHERE { ?a <https://e.org/p> ?o } GROUP BY ?a }
      { SELECT ?x WHERE { ?a <https://e.org/q> ?x } }
      { SELECT (?y AS ?a) WHERE { ?y <https://e.org/r> ?z } }
    }"""
    sent = bound_for_endpoint(text, {"a": ox.NamedNode("https://e.org/one")})
    one = "VALUES (?a) { (<https://e.org/one>) }"
    # the outer WHERE, the sub-SELECT projecting ?a, and the trailing clause; not the sub-SELECT where
    # ?a is its own variable, nor the one that binds ?a with AS
    assert sent.count(one) == 3
    assert "WHERE { " + one in sent and sent.rstrip().endswith(one)
    assert "{ SELECT ?x WHERE { ?a" in sent and "{ SELECT (?y AS ?a) WHERE { ?y" in sent
    store = ox.Store()
    for s, o in (("one", "1"), ("two", "2")):
        store.add(ox.Quad(ox.NamedNode("https://e.org/" + s), ox.NamedNode("https://e.org/p"), ox.Literal(o)))
        store.add(ox.Quad(ox.NamedNode("https://e.org/" + s), ox.NamedNode("https://e.org/q"), ox.Literal(o)))
    plain = text.replace("{ SELECT (?y AS ?a) WHERE { ?y <https://e.org/r> ?z } }", "")
    rows = lambda q: sorted(str(r["a"]) + str(r["n"]) for r in store.query(q))  # noqa: E731
    assert rows(bound_for_endpoint(plain, {"a": ox.NamedNode("https://e.org/one")})) == \
        rows(plain + "\nVALUES (?a) { (<https://e.org/one>) }") != []

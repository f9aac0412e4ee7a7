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
                 ["licence-terms", "--param", "licence=Apache-2.0"]):
        local = run_json("query", "run", *args)
        remote = run_json("query", "run", *args, "--endpoint", oxigraph + "/query")
        assert local, args
        assert [deterministic(r) for r in remote] == [deterministic(r) for r in local], args
        assert len({json.dumps(r, sort_keys=True) for r in remote}) == len(remote), f"duplicate rows: {args}"


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
    result = CliRunner().invoke(cli, ["push", "--endpoint", endpoint])
    assert result.exit_code == 2
    assert "not loaded" in result.stderr


def test_a_store_error_part_way_names_loaded_and_missing_graphs(oxigraph):
    # Oxigraph answers 4xx to a PUT whose graph parameter is not an IRI: force one with a bad prefix.
    with pytest.raises(PushError) as caught:
        push(oxigraph + "/store", graph_prefix="urn:bad prefix/")
    assert "HTTP 4" in caught.value.message

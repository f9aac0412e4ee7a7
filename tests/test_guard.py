"""graph/guard.py: queries refused before any engine parses them (SERVICE, deep nesting), CLI side.

The server side (HTTP 400) is in test_serve_hardening.py; both go through guard.check_query.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from openness.cli import cli
from openness.graph.guard import MAX_DEPTH, QueryRefused, check_query, keywords

SERVICE_QUERIES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y ?z . SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } }",
    "SELECT * WHERE { OPTIONAL { { ?a ?b ?c } UNION { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } }",
    "ASK { FILTER EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "PREFIX ex: <http://127.0.0.1:9/> CONSTRUCT { ?s ?p ?o } WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p true.SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",  # \u escapes apply before parsing
    'SELECT * WHERE { ?s ?p "x" # a comment "\n SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }',
    "SELECT * WHERE { FILTER(?a <?b) SERVICE<http://127.0.0.1:9/> { ?s ?p ?o } }",
]
HARMLESS = [
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" }',
    "SELECT * WHERE { ?s ?p '''long\nSERVICE <http://x/> {}''' }",
    "# SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }\nSELECT * WHERE { ?s ?p ?o }",
    "SELECT ?service WHERE { <http://example.org/SERVICE> ?p ?service }",
    "PREFIX service: <http://example.org/> SELECT * WHERE { service:a service:SERVICE ?o }",
]


def deep(n: int) -> str:
    return "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * n + "?o" + ")" * n + ") }"


@pytest.mark.parametrize("query", SERVICE_QUERIES)
def test_service_is_refused_wherever_it_hides(query):
    with pytest.raises(QueryRefused):
        check_query(query)


@pytest.mark.parametrize("query", HARMLESS)
def test_the_word_in_strings_comments_iris_and_names_is_not_service(query):
    assert "SERVICE" not in keywords(query)
    check_query(query)


def test_federation_only_with_the_named_hosts():
    allowed = ("query.wikidata.org",)
    check_query("SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }", allowed)
    with pytest.raises(QueryRefused, match="127.0.0.1"):
        check_query("SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } "
                    "SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", allowed)
    with pytest.raises(QueryRefused, match="variable"):
        check_query("SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }", allowed)
    with pytest.raises(QueryRefused):
        check_query("SELECT * WHERE { { SELECT * WHERE { SERVICE <http://evil.example/> { ?s ?p ?o } } } }", allowed)


def test_nesting_is_bounded_before_parsing():
    check_query(deep(MAX_DEPTH - 2))
    with pytest.raises(QueryRefused, match="deep"):
        check_query(deep(20_000))
    with pytest.raises(QueryRefused, match="deep"):
        check_query("ASK " + "{" * 20_000 + "}" * 20_000)
    check_query('ASK { ?s ?p "' + "(" * 20_000 + '" }')  # brackets in a string are not nesting


def run_cli(*args):
    return CliRunner().invoke(cli, list(args))


def test_cli_refuses_service_with_exit_2(tmp_path):
    result = run_cli("sparql", SERVICE_QUERIES[0])
    assert result.exit_code == 2 and "SERVICE" in result.stderr and "Traceback" not in result.output
    query = tmp_path / "q.rq"
    query.write_text(SERVICE_QUERIES[2], encoding="utf-8")
    assert run_cli("sparql", str(query)).exit_code == 2


def test_cli_deep_filter_exits_2_and_does_not_crash(tmp_path):
    query = tmp_path / "deep.rq"
    query.write_text(deep(20_000), encoding="utf-8")
    # a separate process: before the guard, this one died with SIGSEGV (exit 139)
    done = subprocess.run([sys.executable, "-m", "openness", "sparql", str(query)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "deep" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_cli_sparql_honours_from_and_from_named():
    licences = "https://w3id.org/openness/graph/licences"
    every = run_cli("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    only = run_cli("sparql", f"SELECT (COUNT(*) AS ?n) FROM <{licences}> WHERE {{ ?s ?p ?o }}", "--format", "csv")
    assert every.exit_code == 0 and only.exit_code == 0, only.output
    n_every, n_only = int(every.stdout.split()[-1]), int(only.stdout.split()[-1])
    assert 0 < n_only < n_every
    named = run_cli("sparql", f"SELECT DISTINCT ?g FROM NAMED <{licences}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                    "--format", "csv")
    assert named.exit_code == 0 and named.stdout.split()[1:] == [licences]

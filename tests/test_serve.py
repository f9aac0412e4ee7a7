"""`openness serve`: content negotiation and the SPARQL 1.1 Protocol (cases after the W3C protocol suite)."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from helpers_servers import HOSTILE_STRINGS, http, openness_server, write_hostile

pytestmark = pytest.mark.server
SELECT = "SELECT ?label WHERE { <https://w3id.org/openness/id/project/olmo> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
ASK = "ASK { <https://w3id.org/openness/id/project/olmo> ?p ?o }"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { BIND(<https://w3id.org/openness/id/project/olmo> AS ?s) ?s ?p ?o }"
SPARQL_NS = "{http://www.w3.org/2005/sparql-results#}"
LICENCES = "https://w3id.org/openness/graph/licences"
PROJECTS = "https://w3id.org/openness/graph/projects"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    hostile = write_hostile(tmp_path_factory.mktemp("serve"))
    with openness_server([hostile], time_limit=3, max_rows=5000, workers=2, verdicts=False) as url:
        yield url


def get(base, path, accept=None, **params):
    query = ("?" + urllib.parse.urlencode(params, doseq=True)) if params else ""
    return http(base + path + query, headers={"Accept": accept} if accept else {})


def sparql_get(base, query, accept, **extra):
    return get(base, "/sparql", accept, query=query, **extra)


def sparql_form(base, accept, **fields):
    body = urllib.parse.urlencode(fields, doseq=True).encode()
    return http(base + "/sparql", method="POST", data=body,
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})


# -- content negotiation ----------------------------------------------------------------------------
@pytest.mark.parametrize("accept,media,fmt", [
    ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("text/html;q=0.5, text/turtle;q=0.9", "text/turtle", ox.RdfFormat.TURTLE),
])
def test_resource_in_each_rdf_type(base, accept, media, fmt):
    status, headers, body = get(base, "/id/project/olmo", accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media
    assert "Accept" in headers["Vary"]
    triples = [q.triple for q in ox.parse(body, format=fmt)]
    assert ox.Triple(ox.NamedNode("https://w3id.org/openness/id/project/olmo"),
                     ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("OLMo")) in triples


def test_browser_gets_html(base):
    status, headers, body = get(base, "/id/project/olmo", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"<h1>OLMo</h1>" in body
    assert b'href="/id/licence/apache-2-0"' in body


def test_unmet_accept_is_406_and_unknown_iri_404(base):
    assert get(base, "/id/project/olmo", "image/png")[0] == 406
    assert get(base, "/id/project/olmo", "text/turtle;q=0, */*;q=0")[0] == 406
    assert get(base, "/id/project/no-such-project", "text/turtle")[0] == 404


def test_extension_picks_the_format(base):
    status, headers, _ = get(base, "/id/licence/apache-2-0.nt")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")


def test_ontology_and_void(base):
    status, headers, body = get(base, "/ontology", "text/html")
    assert status == 200 and b'id="AIModel"' in body
    status, headers, body = get(base, "/ontology", "text/turtle")
    assert status == 200 and b"owl:Ontology" in body or b"Ontology" in body
    status, headers, body = get(base, "/.well-known/void", "text/turtle")
    assert status == 200
    void = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    assert any(t.predicate.value == "http://rdfs.org/ns/void#sparqlEndpoint" and t.object.value.endswith("/sparql")
               for t in void)


def test_served_html_escapes_hostile_labels(base):
    for path in ("/id/project/hostile", "/id/licence/hostile-licence", "/projects", "/licences", "/compare"):
        status, _, body = get(base, path, "text/html")
        assert status == 200
        text = body.decode()
        for hostile in HOSTILE_STRINGS:
            assert hostile not in text, path
    assert "&lt;script&gt;" in get(base, "/id/project/hostile", "text/html")[2].decode()
    status, _, body = sparql_get(base, 'SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(CONTAINS(?l, "<")) }',
                                "text/html")
    assert status == 200 and "<script>alert(1)</script>" not in body.decode()


# -- SPARQL 1.1 Protocol ------------------------------------------------------------------------------
def test_select_get_json(base):
    status, headers, body = sparql_get(base, SELECT, "application/sparql-results+json")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    data = json.loads(body)
    assert data["head"]["vars"] == ["label"]
    assert data["results"]["bindings"][0]["label"]["value"] == "OLMo"


def test_select_post_form_xml(base):
    status, headers, body = sparql_form(base, "application/sparql-results+xml", query=SELECT)
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml")
    root = ET.fromstring(body)
    assert [b.find(f"{SPARQL_NS}literal").text for b in root.iter(f"{SPARQL_NS}binding")] == ["OLMo"]


def test_select_post_direct_csv_and_tsv(base):
    for accept, delimiter in (("text/csv", ","), ("text/tab-separated-values", "\t")):
        status, headers, body = http(base + "/sparql", method="POST", data=SELECT.encode(),
                                     headers={"Accept": accept, "Content-Type": "application/sparql-query"})
        assert status == 200 and headers["Content-Type"].startswith(accept)
        rows = list(csv.reader(io.StringIO(body.decode()), delimiter=delimiter))
        assert rows[0][0].lstrip("?") == "label"
        assert rows[1][0].strip('"') == "OLMo"


def test_ask_json_and_xml(base):
    status, _, body = sparql_get(base, ASK, "application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = sparql_form(base, "application/sparql-results+xml", query=ASK)
    assert status == 200 and ET.fromstring(body).find(f"{SPARQL_NS}boolean").text == "true"


def test_construct_turtle_and_ntriples(base):
    for accept, fmt in (("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES)):
        status, headers, body = sparql_get(base, CONSTRUCT, accept)
        assert status == 200 and headers["Content-Type"].startswith(accept)
        assert len(list(ox.parse(body, format=fmt))) > 5


def test_bad_requests_are_400(base):
    assert sparql_get(base, "SELECT ?x WHERE { ?x", "application/sparql-results+json")[0] == 400
    assert get(base, "/sparql", "application/sparql-results+json")[0] == 400
    assert sparql_form(base, "application/sparql-results+json")[0] == 400
    assert sparql_form(base, "application/sparql-results+json", query=ASK,
                       update="INSERT DATA { <a:b> <a:b> <a:b> }")[0] == 400


def test_updates_are_refused(base):
    assert sparql_form(base, "*/*", update="INSERT DATA { <a:b> <a:b> <a:b> }")[0] == 403
    status, _, _ = http(base + "/sparql", method="POST", data=b"DROP ALL",
                        headers={"Content-Type": "application/sparql-update"})
    assert status == 403
    assert sparql_get(base, "INSERT DATA { <a:b> <a:b> <a:b> }", "*/*")[0] == 400
    assert sparql_get(base, ASK, "application/sparql-results+json")[0] == 200  # still there


def test_unmet_accept_is_406(base):
    assert sparql_get(base, SELECT, "image/png")[0] == 406
    assert sparql_get(base, CONSTRUCT, "application/sparql-results+json")[0] == 406


def test_default_graph_uri_and_named_graph_uri(base):
    count = "SELECT (COUNT(*) AS ?n) WHERE { <https://w3id.org/openness/id/project/olmo> ?p ?o }"

    def n(status_body):
        status, _, body = status_body
        assert status == 200, body
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    accept = "application/sparql-results+json"
    assert n(sparql_get(base, count, accept)) > 5
    assert n(sparql_get(base, count, accept, **{"default-graph-uri": LICENCES})) == 0
    assert n(sparql_get(base, count, accept, **{"default-graph-uri": [LICENCES, PROJECTS]})) > 5
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    status, _, body = sparql_form(base, accept, query=graphs, **{"named-graph-uri": LICENCES})
    assert [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]] == [LICENCES]
    status, _, body = sparql_get(base, graphs, accept)
    assert {LICENCES, PROJECTS} <= {b["g"]["value"] for b in json.loads(body)["results"]["bindings"]}


def test_result_size_limit(base):
    status, _, body = sparql_get(base, "SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert status == 400 and b"5000" in body


def test_time_limit_stops_a_runaway_query_and_the_endpoint_recovers(base):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    status, _, body = sparql_get(base, runaway, "application/sparql-results+json")
    assert status == 503 and b"time limit" in body
    assert sparql_get(base, ASK, "application/sparql-results+json")[0] == 200


def test_query_page_for_people(base):
    status, headers, body = get(base, "/sparql", "text/html")
    assert status == 200 and b"<textarea" in body


def test_sparqlwrapper_client(base):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(base + "/sparql")
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    data = client.query().convert()
    assert data["results"]["bindings"][0]["label"]["value"] == "OLMo"
    client.setMethod("POST")
    client.setQuery(ASK)
    assert client.query().convert()["boolean"] is True


def test_site_pages_and_compare_data_are_served(base):
    for path in ("/", "/catalogue", "/methodology", "/figure-2", "/compare", "/static/site.css", "/static/matrix.js"):
        status, headers, _ = get(base, path)
        assert status == 200, path
        assert "script-src 'self'" in headers.get("Content-Security-Policy", ""), path
    status, headers, body = get(base, "/compare.json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert json.loads(body)


def test_served_licence_terms_equal_local_and_are_distinct(base):
    """The same question gets the same answer locally and served, each row once (issue 8)."""
    from click.testing import CliRunner

    from openness.cli import cli

    def rows(*extra):
        result = CliRunner().invoke(cli, ["query", "run", "licence-terms", "--param", "licence=Apache-2.0",
                                          "--format", "json", *extra])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    local = rows()
    served = rows("--endpoint", base + "/sparql", "--graph-prefix", "")
    key = lambda r: json.dumps(r, sort_keys=True)  # noqa: E731
    assert sorted(map(key, served)) == sorted(map(key, local))
    assert len(set(map(key, served))) == len(served) > 0


def test_concurrent_requests_for_one_page_build_it_once():
    """Requests for a page being built wait for that build instead of building it again."""
    import threading
    import time

    from openness.linked_data.serve import LinkedDataApp

    app = LinkedDataApp.__new__(LinkedDataApp)
    app._cache, app._building, app._generation, app._lock = {}, {}, 0, threading.Lock()
    calls, results, gate = [], [], threading.Event()

    def build() -> bytes:
        calls.append(1)
        gate.wait(10)
        return b"page"

    threads = [threading.Thread(target=lambda: results.append(app._cached("page index", build))) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    gate.set()
    for thread in threads:
        thread.join(10)
    assert calls == [1] and results == [b"page"] * 4
    assert app._cached("page index", build) == b"page" and calls == [1]

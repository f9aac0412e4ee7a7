"""The integrity shapes on Oxigraph (core_sparql, set-based) give exactly pySHACL's results: the same
(severity, focus, path, value, message) multiset on the input cases and on a generated catalogue with
one breakage of every constraint, and a compiler off by one (or missing subclasses, or ill-typed
literals) is caught by the same comparison."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from openness.claims import core_sparql
from openness.claims.catalogue import INTEGRITY_PREFIX, shapes_graph
from openness.claims.closure import data_graph
from openness.claims.pyshacl_engine import run_shacl
from openness.graph.dataset import Dataset

ROOT = Path(__file__).parents[1]
CASES = sorted((ROOT / "tests" / "cases" / "inputs").glob("*.ttl")) + [ROOT / "examples" / "my-release.ttl"]
OO = "https://w3id.org/openness/ontology#"
DCT = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
P, R, C, CL = ("https://w3id.org/openness/id/" + k for k in ("project/", "release/", "component/", "claim/"))

# Each breakage of the generated catalogue (N=20): Turtle added to it, triples removed from it.
ADDED = """
@prefix oo: <https://w3id.org/openness/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/broken/> .
<https://w3id.org/openness/id/project/synthetic-00002> oo:currentRelease ex:other-release .
ex:other-release a oo:Release ; dct:source ex:src .
<https://w3id.org/openness/id/project/synthetic-00003> oo:currentRelease ex:not-a-release .
<https://w3id.org/openness/id/component/synthetic-00004-v1-tokenizer> oo:componentKind oo:Tokenizer, oo:ModelCard ;
    oo:availability oo:Public, oo:Closed .
<https://w3id.org/openness/id/component/synthetic-00005-v1-tokenizer> oo:componentKind "Tokenizer" ; dct:license "MIT" .
<https://w3id.org/openness/id/component/synthetic-00006-v1-tokenizer> dct:license [ rdfs:label "a licence" ] .
<https://w3id.org/openness/id/release/synthetic-00007-v1> oo:hasComponent ex:not-a-component, "text" .
ex:lic-yes a oo:Licence ; oo:osiApproved "yes"^^xsd:boolean ; oo:mofOpen "TRUE"^^xsd:boolean .
ex:lic-two a oo:Licence ; oo:osiApproved true, false ; oo:mofOpen "1"^^xsd:integer .
ex:lic-ok a oo:Licence ; oo:osiApproved "1"^^xsd:boolean ; oo:mofOpen "false"^^xsd:boolean ;
    oo:stringAttached oo:Public, "naming" .
[] a oo:Licence ; oo:osiApproved "maybe" .
ex:claim-literal a oo:Claim ; oo:claimAbout ex:x ; oo:claimType "osaid-1.0" ; dct:source ex:src .
ex:claim-iri a oo:Claim ; oo:claimAbout ex:x ; oo:claimType <https://example.org/claim/osaid-1.0> ; dct:source ex:src .
ex:claim-blank a oo:Claim ; oo:claimType [] , <https://w3id.org/openness/id/claim/osaid-1.0> .
ex:system a oo:AISystem ; rdfs:label "No source" .
ex:org a oo:Organisation .
ex:SpecialComponent rdfs:subClassOf oo:Component .
<https://w3id.org/openness/id/release/synthetic-00014-v1> oo:hasComponent ex:special .
ex:special a ex:SpecialComponent ; oo:componentKind oo:Tokenizer ; oo:availability oo:Public ; dct:source ex:src .
"""
REMOVED = [
    (P + "synthetic-00001", RDFS + "label"),
    (P + "synthetic-00001", DCT + "source"),
    (R + "synthetic-00008-v1", DCT + "source"),
    (C + "synthetic-00009-v1-tokenizer", OO + "componentKind"),
    (C + "synthetic-00009-v1-tokenizer", OO + "availability"),
    (C + "synthetic-00010-v1-tokenizer", DCT + "source"),
    (CL + "synthetic-00011-claim-1", OO + "claimAbout"),
    (CL + "synthetic-00012-claim-1", OO + "claimType"),
    (CL + "synthetic-00013-claim-1", DCT + "source"),
]
# (focus, path) each constraint component must report in the broken catalogue (the test's own check
# that every component is exercised, not only that both engines agree).
EXPECTED = {
    (P + "synthetic-00001", RDFS + "label"), (P + "synthetic-00001", DCT + "source"),  # minCount
    (P + "synthetic-00002", OO + "currentRelease"),  # maxCount
    (P + "synthetic-00003", OO + "currentRelease"),  # class
    (C + "synthetic-00004-v1-tokenizer", OO + "componentKind"),
    (C + "synthetic-00005-v1-tokenizer", OO + "componentKind"),
    (C + "synthetic-00005-v1-tokenizer", DCT + "license"),  # nodeKind
    (C + "synthetic-00006-v1-tokenizer", DCT + "license"),
    ("https://example.org/broken/lic-yes", OO + "osiApproved"),  # datatype
    ("https://example.org/broken/lic-two", OO + "mofOpen"),
    ("https://example.org/broken/claim-iri", OO + "claimType"),  # pattern
    ("https://example.org/broken/system", DCT + "source"),  # a subclass instance is a target
    ("https://example.org/broken/org", RDFS + "label"),
}


def integrity_shapes() -> tuple[str, ...]:
    return tuple(sorted({str(s) for s in shapes_graph().subjects() if str(s).startswith(INTEGRITY_PREFIX)}))


def key(result) -> tuple:
    return (result.severity, result.focus, result.path, result.value, result.message)


def both(dataset: Dataset, graph: str, checks=None) -> tuple[Counter, Counter]:
    """(Oxigraph results, pySHACL results) of the integrity shapes over `graph` plus the ontology."""
    shapes = integrity_shapes()
    if checks is None:
        checks, left = core_sparql.compile_shapes(shapes)
        assert left == []
    ontology = next(s.graph for s in dataset.sources if s.name == "ontology")
    ours = core_sparql.run(dataset.store, [ox.NamedNode(graph), ox.NamedNode(ontology)], checks)
    reference = run_shacl(data_graph(dataset, dataset.triples(graph)), shapes)
    return Counter(map(key, ours)), Counter(map(key, reference))


def load(path: Path) -> tuple[Dataset, str]:
    dataset = Dataset.load([path])
    return dataset, next(s.graph for s in dataset.sources if s.name.startswith("data:"))


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> tuple[Dataset, str]:
    folder = tmp_path_factory.mktemp("broken")
    out = folder / "catalogue.ttl"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "20", "--out", str(out)], check=True,
                   cwd=ROOT)
    out.write_text(out.read_text() + ADDED)
    dataset, graph = load(out)
    for subject, predicate in REMOVED:
        quads = list(dataset.store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None,
                                                     ox.NamedNode(graph)))
        assert quads, (subject, predicate)
        for quad in quads:
            dataset.store.remove(quad)
    return dataset, graph


def test_every_integrity_shape_compiles() -> None:
    checks, left = core_sparql.compile_shapes(integrity_shapes())
    assert left == []
    assert {c.component for c in checks} == {"minCount", "maxCount", "class", "nodeKind", "datatype", "pattern"}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_the_input_cases_give_pyshacls_results(case: Path) -> None:
    ours, reference = both(*load(case))
    assert ours == reference


def test_a_broken_catalogue_gives_pyshacls_results(broken) -> None:
    ours, reference = both(*broken)
    assert ours == reference
    reported = {(focus, path) for _, focus, path, _, _ in reference}
    assert EXPECTED <= reported, EXPECTED - reported
    # An ill-typed boolean fails ("yes"; rdflib shows it as "false"), "1" is a boolean.
    licences = {focus.rsplit("/", 1)[-1] for _, focus, path, _, _ in reference if path == OO + "osiApproved"}
    assert "lic-yes" in licences and "lic-ok" not in licences
    assert any(path is None and "A licence must be an IRI" in message for _, _, path, _, message in reference)


MUTANTS = {  # a wrong query text, or a wrong subclass closure
    "minCount off by one": ("minCount", "MINUS { ?this ?_path ?value }",
                            "MINUS { ?this ?_path ?value . ?this ?_path ?other FILTER(?other != ?value) }"),
    "maxCount counts duplicates": ("maxCount", "COUNT(DISTINCT ?value) > ?_n", "COUNT(?value) > ?_n + 1"),
    "ill-typed literals accepted": ("datatype", '|| STR(?value) IN ("true", "false", "1", "0")', "|| true"),
    "nodeKind lets blank nodes pass": ("nodeKind", "(isBlank(?value) && ?_blank)", "isBlank(?value)"),
    "pattern ignores blank nodes": ("pattern", "isBlank(?value) || ", ""),
    "no subclasses": (None, lambda store, graphs, cls: [cls], None),
    "subclasses without the class itself": (None, lambda store, graphs, cls: [c for c in SUBCLASSES(store, graphs, cls)
                                                                               if c != cls], None),
}
SUBCLASSES = core_sparql.subclasses


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_the_comparison_catches_a_wrong_compiler(broken, mutant: str, monkeypatch) -> None:
    component, old, new = MUTANTS[mutant]
    checks, _ = core_sparql.compile_shapes(integrity_shapes())
    if component is None:
        monkeypatch.setattr(core_sparql, "subclasses", old)
    changed = []
    for check in checks:
        if check.component == component:
            assert old in check.query, (mutant, check.query)
            check = type(check)(**{**check.__dict__, "query": check.query.replace(old, new)})
        changed.append(check)
    ours, reference = both(*broken, checks=changed)
    assert ours != reference, mutant


def test_a_shape_it_cannot_compile_is_left_to_pyshacl(monkeypatch) -> None:
    import rdflib

    graph = rdflib.Graph()
    for triple in shapes_graph():
        graph.add(triple)
    graph.parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix oo: <https://w3id.org/openness/ontology#> .
        @prefix shape: <https://w3id.org/openness/shapes#> .
        shape:IntegrityX a sh:NodeShape ; sh:targetClass oo:Project ;
            sh:property [ sh:path ( oo:currentRelease oo:hasComponent ) ; sh:minCount 1 ; sh:message "m" ] .
        shape:IntegrityY a sh:NodeShape ; sh:targetClass oo:Project ;
            sh:property [ sh:path oo:availability ; sh:in ( oo:Public ) ; sh:message "m" ] .
        shape:IntegrityZ a sh:NodeShape ; sh:targetClass oo:Project ;
            sh:property [ sh:path oo:version ; sh:pattern "(?=a)" ] .""")
    monkeypatch.setattr(core_sparql, "shapes_graph", lambda: graph)
    checks, left = core_sparql.compile_shapes([*integrity_shapes(), *(INTEGRITY_PREFIX + n for n in "XYZ")])
    assert left == [INTEGRITY_PREFIX + n for n in "XYZ"]
    assert {c.shape for c in checks if c.path is None} == {INTEGRITY_PREFIX + "Licence"}


def test_the_command_reports_the_same_lines_as_pyshacl(broken) -> None:
    from openness.claims import inputs

    dataset, graph = broken
    lines = inputs._integrity(dataset, ox.NamedNode(graph), "catalogue.ttl")
    reference = inputs.integrity_lines(inputs._integrity_pyshacl(dataset, ox.NamedNode(graph), integrity_shapes()),
                                       "catalogue.ttl")
    assert len(lines) > len(EXPECTED)
    assert lines == reference


EXTRA_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix oo: <https://w3id.org/openness/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix shape: <https://w3id.org/openness/shapes#> .
shape:IntegrityExtraA a sh:NodeShape ; sh:targetClass oo:Release, oo:Project ;
    sh:property [ sh:path oo:hasComponent ; sh:minCount 19 ; sh:message "fewer than 19 components" ] ,
                [ sh:path oo:currentRelease ; sh:maxCount 0 ; sh:message "no current release" ] ,
                [ sh:path rdfs:label ; sh:nodeKind sh:BlankNodeOrIRI ] ,
                [ sh:path rdfs:label ; sh:datatype xsd:string ] ,
                [ sh:path rdfs:label ; sh:pattern "MODEL [0-9]+$" ; sh:flags "i" ] ,
                [ sh:path oo:hasComponent ; sh:class oo:Release ] .
shape:IntegrityExtraB a sh:NodeShape ; sh:targetClass oo:Claim ; sh:nodeKind sh:Literal ;
    sh:property [ sh:path oo:claimType ; sh:pattern "osaid" ] .
"""


def test_other_parameters_and_default_messages_give_pyshacls_results(broken, monkeypatch) -> None:
    """Counts other than 1 and 0, the other node kinds, xsd:string, pattern flags, several targets, and
    pySHACL's default messages, on shapes written for this test."""
    import rdflib

    from openness.claims import pyshacl_engine

    graph = rdflib.Graph()
    for triple in shapes_graph():
        graph.add(triple)
    graph.parse(format="turtle", data=EXTRA_SHAPES)
    monkeypatch.setattr(core_sparql, "shapes_graph", lambda: graph)
    monkeypatch.setattr(pyshacl_engine, "shapes_graph", lambda: graph)
    shapes = [INTEGRITY_PREFIX + "ExtraA", INTEGRITY_PREFIX + "ExtraB"]
    checks, left = core_sparql.compile_shapes(shapes)
    assert left == [] and len(checks) == 8
    dataset, data = broken
    ontology = next(s.graph for s in dataset.sources if s.name == "ontology")
    ours = Counter(map(key, core_sparql.run(dataset.store, [ox.NamedNode(data), ox.NamedNode(ontology)], checks)))
    reference = Counter(map(key, run_shacl(data_graph(dataset, dataset.triples(data)), shapes)))
    assert ours == reference
    messages = {message for _, _, _, _, message in reference}
    assert {"fewer than 19 components", "no current release", "Value does not have class oo:Release",
            "Value is not of Node Kind sh:BlankNodeOrIRI", "Value does not match pattern 'osaid'",
            "Value is not of Node Kind sh:Literal"} <= messages, messages

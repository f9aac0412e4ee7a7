"""Curated data you can cite (issue 9): every fact node is sourced and dated, mirrors are marked
secondary, licences resolve, and releases without a stated date are listed by `data-quality`.

Each curated Turtle file is checked on its own, so a failure names the file. Files another curator
is still fixing are listed in PENDING_ELSEWHERE and expected to fail there (xfail, not strict): once
fixed they pass, and the entry is removed at merge.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
OO = Namespace("https://w3id.org/openness/ontology#")
ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
TODAY = date(2026, 11, 27)

CURATED_FILES = sorted(p for folder in ("projects", "assessments", "licences")
                       for p in (DATA / folder).glob("*.ttl"))
PROJECT_CLASSES = (OO.Project, OO.AIModel, OO.AISystem, OO.SoftwareProject, OO.HardwareProject,
                   OO.DatasetProject, OO.Platform, OO.Service)
FACT_CLASSES = PROJECT_CLASSES + (OO.Release, OO.Component, OO.Organisation, OO.Claim, OO.Assessment, OO.Licence)
LICENCE_CLASSES = (OO.Licence, ODRL.Policy, ODRL.Set, ODRL.Offer, ODRL.Agreement, ODRL.Privacy)

# Mirror, proxy, aggregator and news domains (tests/fixtures/mirror-domains.txt, one a line).
MIRROR_DOMAINS = tuple(
    line.strip().lower() for line in (ROOT / "tests" / "fixtures" / "mirror-domains.txt").read_text().splitlines()
    if line.strip() and not line.lstrip().startswith("#"))

# Files owned by the other issue-9 curator (licences and the other project files) that still cite mirrors
# without marking them secondary when this branch was made; remove an entry when it passes.
PENDING_ELSEWHERE: set[str] = set()


def _rel(path: Path) -> str:
    return path.relative_to(DATA).as_posix()


def _param(path: Path, pending: set[str] = frozenset()):
    marks = [pytest.mark.xfail(reason="owned by the other issue-9 curator; fixed on their branch", strict=False)] \
        if _rel(path) in pending else []
    return pytest.param(path, id=_rel(path), marks=marks)


def _graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


ONTOLOGY_SOURCES = frozenset(
    Graph().parse(ROOT / "ontology" / "openness.ttl", format="turtle").subjects(RDF.type, OO.Source))


def is_mirror(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in MIRROR_DOMAINS)


def fact_nodes(g: Graph) -> set:
    nodes = {s for cls in FACT_CLASSES for s in g.subjects(RDF.type, cls)}
    nodes |= set(g.objects(None, OO.licenceHistory))
    nodes |= set(g.subjects(OO.supersededBy, None)) | set(g.objects(None, OO.supersededBy))
    return nodes


def test_mirror_list_matches_hosts():
    assert "hf-mirror.com" in MIRROR_DOMAINS and "wikiwand.com" in MIRROR_DOMAINS
    assert is_mirror("https://www.selectdataset.com/dataset/x") and is_mirror("https://hf-mirror.com/x")
    assert not is_mirror("https://huggingface.co/EleutherAI/pythia-1.4b")
    assert not is_mirror("https://huggingface.co./LLM360/K2")  # the same host, written as an absolute name
    assert not is_mirror("https://github.com/LLM360/amber-train")


@pytest.mark.parametrize("path", [_param(p) for p in CURATED_FILES])
def test_every_fact_node_has_source_and_check_date(path):
    g = _graph(path)
    problems = []
    for node in sorted(fact_nodes(g), key=str):
        if g.value(node, DCTERMS.source) is None:
            problems.append(f"{node}: no dct:source")
        for src in g.objects(node, DCTERMS.source):
            # A source is a web page, or one of the ontology's named sources (the seed article, a framework).
            if str(src).startswith(str(OO)) and src not in ONTOLOGY_SOURCES:
                problems.append(f"{node}: dct:source {src} is an ontology term, not a source")
        dates = list(g.objects(node, OO.checkedOn))
        if not dates:
            problems.append(f"{node}: no oo:checkedOn")
        for d in dates:
            value = d.toPython()
            if not isinstance(value, date) or value > TODAY:
                problems.append(f"{node}: oo:checkedOn {d!s} is not a date on or before {TODAY}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", [_param(p, PENDING_ELSEWHERE) for p in CURATED_FILES])
def test_mirror_sources_are_marked_secondary(path):
    g = _graph(path)
    problems = []
    for node, src in g.subject_objects(DCTERMS.source):
        if isinstance(src, URIRef) and is_mirror(str(src)):
            if (node, OO.secondarySource, src) not in g:
                problems.append(f"{node}: {src} is a mirror or aggregator not cited as oo:secondarySource")
            elif g.value(node, OO.secondaryReason) is None:
                problems.append(f"{node}: cites {src} as secondary without oo:secondaryReason")
    for node, src in g.subject_objects(OO.secondarySource):
        if (node, DCTERMS.source, src) not in g:
            problems.append(f"{node}: secondary source {src} is not also its dct:source")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(sorted(problems))


def test_every_licence_iri_used_in_data_is_described():
    g = Graph().parse(ROOT / "ontology" / "openness.ttl", format="turtle")  # oo:Unlicensed, oo:LicenceUndisclosed
    used = Graph()
    for path in sorted(DATA.rglob("*.ttl")):
        used.parse(path, format="turtle")
    g += used
    undescribed = set()
    for lic in set(used.objects(None, DCTERMS.license)):
        typed = any((lic, RDF.type, cls) in g for cls in LICENCE_CLASSES)
        if not typed or g.value(lic, RDFS.label) is None:
            undescribed.add(str(lic))
    assert not undescribed, "licence IRIs without rdfs:label and a licence type:\n" + "\n".join(sorted(undescribed))


def test_secondary_and_unlisted_mirror_detection_fails_on_bad_data(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("""
@prefix oo: <https://w3id.org/openness/ontology#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/openness/id/component/x> a oo:Component ;
    dct:source <https://hf-mirror.com/x/y> ; oo:checkedOn "2030-01-01"^^xsd:date .
<https://w3id.org/openness/id/release/y> a oo:Release .
<https://w3id.org/openness/id/component/z> a oo:Component ;
    dct:source <https://example.org/z>, oo:secondarySource ; oo:checkedOn "2026-11-27"^^xsd:date .
""")
    with pytest.raises(AssertionError, match="not cited as oo:secondarySource"):
        test_mirror_sources_are_marked_secondary(bad)
    with pytest.raises(AssertionError, match="release/y: no dct:source"):
        test_every_fact_node_has_source_and_check_date(bad)
    with pytest.raises(AssertionError, match="is not a date on or before"):
        test_every_fact_node_has_source_and_check_date(bad)
    with pytest.raises(AssertionError, match="secondarySource is an ontology term"):
        test_every_fact_node_has_source_and_check_date(bad)


def test_curated_releases_have_issued_or_are_listed_by_data_quality(backend):
    from openness.graph.query import rows_as_dicts
    from openness.graph.query import saved_queries

    g = Graph()
    for path in sorted((DATA / "projects").glob("*.ttl")):
        g.parse(path, format="turtle")
    undated = {str(r) for r in g.subjects(RDF.type, OO.Release) if g.value(r, DCTERMS.issued) is None}
    rows = rows_as_dicts(backend.run(saved_queries()["data-quality"].text))
    listed = {r["node"] for r in rows if r["problem"] == "release without dct:issued"}
    assert undated == listed
    for r in g.subjects(RDF.type, OO.Release):
        issued = g.value(r, DCTERMS.issued)
        if issued is not None:
            assert isinstance(issued.toPython(), date) and issued.toPython() <= TODAY, r


def test_data_quality_query_lists_each_kind_of_gap(tmp_path):
    """Run the saved query on a small graph with one gap of each kind, and one clean imported record."""
    from openness.graph.dataset import Dataset
    from openness.graph.query import rows_as_dicts
    from openness.graph.query import LocalBackend, saved_queries

    ttl = tmp_path / "gaps.ttl"
    ttl.write_text("""
@prefix oo: <https://w3id.org/openness/ontology#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix p: <https://w3id.org/openness/id/project/> . @prefix r: <https://w3id.org/openness/id/release/> .
@prefix c: <https://w3id.org/openness/id/component/> .
p:x a oo:AIModel ; rdfs:label "X" ; oo:hasRelease r:x-1 ; dct:source <https://example.org/x> .
r:x-1 a oo:Release ; rdfs:label "X 1" ; oo:hasComponent c:x-1-card, c:x-1-data ;
    oo:licenceHistory [ dct:license oo:Unlicensed ; oo:validUntil "2024-01-01"^^xsd:date ;
                        dct:source <https://example.org/old> ; oo:checkedOn "2026-11-27"^^xsd:date ] ;
    dct:source <https://example.org/x> ; oo:checkedOn "2026-11-27"^^xsd:date .
c:x-1-card a oo:Component ; oo:componentKind oo:ModelCard ; oo:availability oo:Public ;
    dct:source <https://hf-mirror.com/x> ; oo:secondarySource <https://hf-mirror.com/x> ;
    oo:secondaryReason "no stored copy of the card" ; oo:checkedOn "2026-11-27"^^xsd:date .
[] oo:supersededBy r:x-1 ; dct:issued "2020-01-01"^^xsd:date ; dct:source <https://example.org/old-date> .
c:x-1-data a oo:Component ; oo:componentKind oo:Datasets ; oo:availability oo:AvailabilityUnknown ;
    oo:note "the card names no data" ; oo:checkedOn "2026-11-27"^^xsd:date .
p:y a oo:AIModel ; rdfs:label "Y" ; oo:hasRelease r:y-1 ; prov:wasDerivedFrom <https://example.org/catalogue> .
r:y-1 a oo:Release .
""")
    dataset = Dataset.load([ttl], bundled=False)
    rows = rows_as_dicts(LocalBackend(dataset).run(saved_queries()["data-quality"].text))
    got = {(r["project_label"], r["problem"], r["node"].rsplit("/", 1)[-1]) for r in rows if not r["node"].startswith("_:")}
    blank = {(r["project_label"], r["problem"]) for r in rows if r["node"].startswith("_:")}
    assert blank == {("X", "missing oo:checkedOn")}, "the superseded date (a blank node) has no check date"
    assert got == {
        ("X", "missing oo:checkedOn", "x"),
        ("X", "release without dct:issued", "x-1"),
        ("X", "missing dct:source", "x-1-data"),
        ("X", "availability unknown", "x-1-data"),
        ("X", "secondary source", "x-1-card"),
    }
    details = {r["problem"]: r["detail"] for r in rows}
    assert "the card names no data" in details["availability unknown"]
    assert "no stored copy of the card" in details["secondary source"]
    assert all(r["project_label"] != "Y" for r in rows), "imported catalogue records are not curated data"

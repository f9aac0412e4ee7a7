"""The report: open-washing only where a recorded claim is refuted, recorded claims judged against the
release current at their date, the three outcomes in every format, HTML escaped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openness.graph.dataset import Dataset
from openness.claims.report import open_washing, recorded_claims, render
from openness.claims.verdicts import compute, verdict_for_release

CASES = Path(__file__).parent / "cases"
CASE = CASES / "open-weights" / "open-washing-ow5" / "data.ttl"
PROJECT = "https://example.org/case/project"
P = "https://w3id.org/openness/id/project/"

OLDER_RELEASE = """
@prefix oo: <https://w3id.org/openness/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/case/> .
ex:project oo:hasRelease ex:v0 .
ex:v1 dct:issued "2024-01-01"^^xsd:date .
ex:v0 a oo:Release ; rdfs:label "Case Model 0" ; dct:issued "2020-01-01"^^xsd:date ; oo:componentListComplete true ;
    oo:hasComponent ex:old-weights ; dct:source <https://example.org/case/v0> .
ex:old-weights a oo:Component ; oo:componentKind oo:FinalParameters ; oo:availability oo:Closed ;
    dct:source <https://example.org/case/v0> .
ex:claim-2021 a oo:Claim ; oo:claimAbout ex:project ; oo:claimType <https://w3id.org/openness/id/claim/osaid-1.0> ;
    oo:claimedBy ex:lab ; dct:date "2021-06-01"^^xsd:date ; dct:source <https://example.org/case/claim> .
ex:claim-2019 a oo:Claim ; oo:claimAbout ex:project ; oo:claimType <https://w3id.org/openness/id/claim/osaid-1.0> ;
    oo:claimedBy ex:lab ; dct:date "2019-06-01"^^xsd:date ; dct:source <https://example.org/case/claim> .
ex:claim-2025 a oo:Claim ; oo:claimAbout ex:project ; oo:claimType <https://w3id.org/openness/id/claim/osaid-1.0> ;
    oo:claimedBy ex:lab ; dct:date "2025-06-01"^^xsd:date ; dct:source <https://example.org/case/claim> .
"""


def test_open_washing_flagged_for_the_refuted_claim_only() -> None:
    dataset = Dataset.load([CASE])
    verdicts = compute(dataset, [PROJECT], ["open-weights", "weights-available", "osaid-1.0"])
    washed = open_washing(dataset, verdicts)
    assert list(washed) == [(PROJECT, "open-weights")] and washed[(PROJECT, "open-weights")] == ["Case Lab"]
    html = render(dataset, verdicts, "html")
    assert "refuted, open-washing: claimed by Case Lab" in html and "<script" not in html
    assert "| Case Model |" in render(dataset, verdicts, "markdown")


def test_recorded_claim_is_judged_against_the_release_current_at_its_date(tmp_path: Path) -> None:
    older = tmp_path / "older.ttl"
    older.write_text(OLDER_RELEASE)
    dataset = Dataset.load([CASES / "osaid-1.0" / "complete-apache-release" / "data.ttl", older])
    verdicts = compute(dataset, [PROJECT], ["osaid-1.0"])
    assert verdicts[0]["verdict"] == "holds"
    items = {i["claim_node"].rsplit("/", 1)[-1]: i for i in recorded_claims(
        dataset, verdicts, lambda p, r, c: verdict_for_release(dataset, p, r, c))}
    # 2021: the release then current (v0, weights closed) refutes it, although the newest release holds.
    assert items["claim-2021"]["release"].endswith("/v0") and items["claim-2021"]["outcome"] == "refuted"
    assert items["claim-2025"]["release"].endswith("/v1") and items["claim-2025"]["outcome"] == "supported"
    # 2019: no release described in the graph was current then.
    assert items["claim-2019"]["release"] is None and items["claim-2019"]["outcome"] == "unverified"


def _open_washing_rule(rule: str | None) -> bool:
    return bool(rule) and rule[:2] == "OW" and rule[2:].isdigit()


@pytest.fixture(scope="module")
def curated() -> tuple[Dataset, list[dict]]:
    dataset = Dataset.load()
    ids = ["olmo", "llama-2", "amber", "whisper", "pythia"]
    return dataset, compute(dataset, [P + i for i in ids], ["osaid-1.0", "fully-open", "open-weights"])


def test_no_open_washing_flag_on_a_claim_that_is_not_refuted(curated) -> None:
    dataset, verdicts = curated
    by_key = {(v["project"], v["claim"]): v for v in verdicts}
    items = recorded_claims(dataset, verdicts)
    assert items
    for item in items:
        v = by_key.get((item["project"], item["claim"]))
        if item["outcome"] == "refuted":
            assert v is not None and v["verdict"] == "does-not-hold"
        elif v is not None and item["release"] is not None:
            # An open-washing rule result (OW1-OW6) only ever sits on a verdict a condition already refutes.
            assert item["outcome"] == {"holds": "supported", "undetermined": "unverified"}[v["verdict"]]
    for v in verdicts:
        if any(_open_washing_rule(r["rule"]) for r in v["results"]):
            assert any(r["outcome"] == "refutes" and not _open_washing_rule(r["rule"]) for r in v["results"]), v
    washed = open_washing(dataset, verdicts)
    assert (P + "llama-2", "osaid-1.0") in washed            # its licence's stated terms refute OSAID
    assert not any(project == P + "olmo" for project, _ in washed)


def test_the_three_outcomes_in_every_format(curated) -> None:
    dataset, verdicts = curated
    table = render(dataset, verdicts, "table")
    assert "undetermined" in table and "refuted, open-washing" in table and "unverified" in table
    markdown = render(dataset, verdicts, "markdown")
    assert "undetermined" in markdown and "refuted, open-washing" in markdown
    html = render(dataset, verdicts, "html")
    assert 'class="undetermined' in html and 'class="no refuted"' in html
    data = json.loads(render(dataset, verdicts, "json"))
    assert {i["outcome"] for i in data["recorded_claims"]} >= {"refuted", "unverified"}
    assert {v["verdict"] for v in data["verdicts"]} >= {"holds", "does-not-hold", "undetermined"} - {"holds"}


def test_one_project_is_looked_up_alone_with_the_same_answers(bundled):
    """Judging one project reads that project, not the catalogue: the releases its recorded claims are
    judged against, and its label and kind, are the same looked up alone as over every project."""
    from openness.claims.report import judged_releases
    from openness.graph.projects import list_projects, resolve_project
    from openness.graph.query import LocalBackend

    backend = LocalBackend(bundled)
    every = list_projects(backend)
    assert list_projects(backend, [p.iri for p in every]) == every
    assert judged_releases(bundled, [p.iri for p in every]) == judged_releases(bundled)
    llama = resolve_project(backend, "llama-2")
    alone = judged_releases(bundled, [llama.iri])
    assert alone and alone.items() <= judged_releases(bundled).items()
    assert all("llama-2" in c for c in alone)
    assert resolve_project(backend, llama.iri) == llama == resolve_project(backend, llama.label)

"""EOSAI importer on small fixtures in the index's real format (three records, CC BY 4.0)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "eosai"
ROOT = Path(__file__).resolve().parents[1]
ARGS = ("--retrieved", "2026-06-12", "--commit", "5a388e871b88735e7ab7e6fb230b76c9d460d99a")


def _dataset(*files: Path):
    from openness.graph.dataset import Dataset

    return Dataset.load([ROOT / "ontology" / "openness.ttl", *files], bundled=False)


@pytest.fixture()
def imported(tmp_path, run_cli):
    out = tmp_path / "eosai.ttl"
    code, _, err = run_cli("import", "eosai", str(FIXTURES), "--out", str(out), *ARGS)
    assert code == 0, err
    return out, err


def test_counts_and_header(imported):
    out, err = imported
    assert "3 read, 3 imported, 0 skipped" in err
    head = out.read_text(encoding="utf-8").splitlines()[:4]
    assert any(line.startswith("# Made by: openness import eosai") for line in head)
    assert any("5a388e871b88735e7ab7e6fb230b76c9d460d99a" in line for line in head)


def test_score_matches_hand_computation(imported):
    from openness.graph.query import get_query

    out, _ = imported
    names, rows = _dataset(out).select(get_query("eosai-openness-score").text)
    by_id = {r[names.index("identifier")].value: r for r in rows}
    assert set(by_id) == {"AMD OLMo", "bloomz", "llama-2-chat"}
    amd = {n: float(by_id["AMD OLMo"][names.index(n)].value) for n in ("score", "availability", "documentation", "access")}
    # AMD OLMo: availability 5 open of 5; documentation open, open, closed, closed, open, open; licences open.
    assert amd == {"score": round(10 / 12, 3), "availability": 1.0, "documentation": round(4 / 6, 3), "access": 1.0}


def test_organisation_tags_and_provenance(imported):
    out, _ = imported
    ds = _dataset(out)
    names, rows = ds.select("""
        PREFIX oo: <https://w3id.org/openness/ontology#> PREFIX dct: <http://purl.org/dc/terms/>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?origin ?type ?lic ?retrieved WHERE {
          ?p dct:identifier "AMD OLMo" ; oo:owner ?org ; prov:wasDerivedFrom ?src .
          ?org oo:nationalOrigin ?origin ; oo:organisationType ?type .
          ?src dct:license ?lic ; oo:retrievedOn ?retrieved ; oo:attribution ?a }""")
    assert [[t.value for t in r] for r in rows] == [[
        "United States", "https://w3id.org/openness/ontology#Company",
        "https://w3id.org/openness/id/licence/cc-by-4-0", "2026-06-12"]]


def test_notes_only_with_flag(imported, tmp_path, run_cli):
    out, _ = imported
    assert "oo:note" not in out.read_text(encoding="utf-8")
    with_notes = tmp_path / "notes.ttl"
    assert run_cli("import", "eosai", str(FIXTURES), "--out", str(with_notes), "--with-notes", *ARGS)[0] == 0
    assert "oo:note" in with_notes.read_text(encoding="utf-8")


def test_deterministic(imported, tmp_path, run_cli):
    out, _ = imported
    again = tmp_path / "again.ttl"
    assert run_cli("import", "eosai", str(FIXTURES), "--out", str(again), *ARGS)[0] == 0
    assert again.read_bytes() == out.read_bytes()
    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.TURTLE)
    assert not any(isinstance(q.subject, ox.BlankNode) for q in store)


def test_malformed_yaml_exits_2_naming_file_and_line(tmp_path, run_cli):
    src = tmp_path / "db"
    shutil.copytree(FIXTURES, src)
    (src / "broken.yaml").write_text("system:\n    name: Broken\n  org: [unclosed\n", encoding="utf-8")
    out = tmp_path / "out.ttl"
    code, _, err = run_cli("import", "eosai", str(src), "--out", str(out), *ARGS)
    assert code == 2
    assert "broken.yaml:3" in err
    assert not out.exists() and not list(tmp_path.glob(".out.ttl.*"))


def test_bad_record_skipped_with_warning(tmp_path, run_cli):
    src = tmp_path / "db"
    shutil.copytree(FIXTURES, src)
    (src / "odd.yaml").write_text("system:\n    name: Odd\ntrainingcode:\n    class: maybe\n", encoding="utf-8")
    code, _, err = run_cli("import", "eosai", str(src), "--out", str(tmp_path / "o.ttl"), *ARGS)
    assert code == 0
    assert "odd.yaml" in err and "4 read, 3 imported, 1 skipped" in err


def test_needs_a_date_outside_git(tmp_path, run_cli):
    src = tmp_path / "db"
    shutil.copytree(FIXTURES, src)
    code, _, err = run_cli("import", "eosai", str(src), "--out", str(tmp_path / "o.ttl"))
    assert code == 2 and "--retrieved" in err

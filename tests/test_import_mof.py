"""MOF importer on small fixtures in the tool's real format (MIT), and the tool's licence rule."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "mof"
ROOT = Path(__file__).resolve().parents[1]
ARGS = ("--retrieved", "2026-05-11", "--commit", "8b5d30e90a7c62d7d6ece48b91e69ff495920a4d")


@pytest.fixture()
def imported(tmp_path, run_cli):
    out, lic = tmp_path / "mof.ttl", tmp_path / "mof-licences.ttl"
    code, _, err = run_cli("import", "mof", str(FIXTURES), "--out", str(out), *ARGS)
    assert code == 0, err
    assert run_cli("import", "mof-licences", str(FIXTURES), "--out", str(lic), *ARGS)[0] == 0
    from openness.graph.dataset import Dataset

    return Dataset.load([ROOT / "ontology" / "openness.ttl", out, lic], bundled=False), out, err


def test_literal_rule_and_normalisation(imported):
    ds, _, err = imported
    assert "4 read, 4 imported, 0 skipped" in err
    assert "'Apache 2.0' -> Apache-2.0" in err
    names, rows = ds.select("""
        PREFIX oo: <https://w3id.org/openness/ontology#> PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?declared ?lic ?norm ?inherited WHERE {
          ?c oo:componentKind oo:FinalParameters ; oo:declaredLicence ?declared .
          <https://w3id.org/openness/id/release/mof-normalised-example> oo:hasComponent ?c .
          OPTIONAL { ?c dct:license ?lic } OPTIONAL { ?c oo:normalisedLicence ?norm }
          OPTIONAL { ?c oo:licenceInherited ?inherited } }""")
    row = dict(zip(names, rows[0]))
    assert row["declared"].value == "Apache 2.0"
    assert row["lic"] is None   # the tool matches ids exactly: "Apache 2.0" is not open
    assert row["norm"].value == "https://w3id.org/openness/id/licence/apache-2-0"
    assert row["inherited"].value == "true"


def test_placeholders(imported):
    ds, _, _ = imported
    names, rows = ds.select("""
        PREFIX oo: <https://w3id.org/openness/ontology#> PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?kind ?avail ?lic WHERE {
          <https://w3id.org/openness/id/release/mof-normalised-example> oo:hasComponent ?c .
          ?c oo:componentKind ?kind ; oo:availability ?avail . OPTIONAL { ?c dct:license ?lic }
          FILTER(?kind IN (oo:TrainingCode, oo:Datasets)) } ORDER BY ?kind""")
    got = [[None if t is None else t.value.rsplit("#", 1)[-1] for t in r] for r in rows]
    assert got == [["Datasets", "Closed", None], ["TrainingCode", "Public", "Unlicensed"]]


def test_normalisation_differences_query(imported):
    from openness.graph.query import get_query

    ds, _, _ = imported
    names, rows = ds.select(get_query("mof-normalisation-differences").text)
    got = {r[names.index("identifier")].value: (int(r[names.index("literal_class")].value),
                                               int(r[names.index("normalised_class")].value),
                                               r[names.index("why")].value) for r in rows}
    assert set(got) == {"Normalised-Example"}
    literal, normalised, why = got["Normalised-Example"]
    assert (literal, normalised) == (0, 3)
    assert "'Apache 2.0' -> Apache-2.0" in why


def test_schema_breaking_record_skipped(tmp_path, run_cli):
    src = tmp_path / "mof"
    shutil.copytree(FIXTURES, src)
    (src / "models" / "No-Producer.yml").write_text(
        "framework: {name: Model Openness Framework, version: '1.0', date: '2024-12-15'}\n"
        "release: {name: No-Producer, license: {}, components: []}\n", encoding="utf-8")
    out = tmp_path / "o.ttl"
    code, _, err = run_cli("import", "mof", str(src), "--out", str(out), *ARGS)
    assert code == 0
    assert "No-Producer.yml" in err and "producer" in err
    assert "5 read, 4 imported, 1 skipped" in err
    assert "mof-no-producer" not in out.read_text(encoding="utf-8")


def test_malformed_yaml(tmp_path, run_cli):
    src = tmp_path / "mof"
    shutil.copytree(FIXTURES, src)
    (src / "models" / "Bad.yml").write_text("release:\n  name: 'unterminated\n", encoding="utf-8")
    out = tmp_path / "o.ttl"
    code, _, err = run_cli("import", "mof", str(src), "--out", str(out), *ARGS)
    assert code == 2 and "Bad.yml:" in err and not out.exists()


def test_tool_licence_lists_replace_whole_entries(tmp_path):
    from openness.importers.mof import load_tool_licences

    (tmp_path / "licenses").mkdir()
    (tmp_path / "licenses" / "licenses.json").write_text(json.dumps({"licenses": [
        {"licenseId": "A-1.0", "isOsiApproved": False, "isFsfLibre": True},
        {"licenseId": "B-1.0", "isOsiApproved": True}]}))
    (tmp_path / "licenses" / "mof-licenses.json").write_text(json.dumps({"licenses": [
        {"licenseId": "A-1.0", "isOsiApproved": False}]}))
    tool = load_tool_licences(tmp_path)
    assert not tool.is_open("A-1.0")   # the overlay's entry dropped the FSF flag
    assert tool.is_open("B-1.0") and tool.is_open("CC-BY-4.0") and tool.is_open("OpenMDW-1.0")
    assert not tool.is_open("PDDL-1.0")


def test_deterministic(imported, tmp_path, run_cli):
    _, out, _ = imported
    again = tmp_path / "again.ttl"
    assert run_cli("import", "mof", str(FIXTURES), "--out", str(again), *ARGS)[0] == 0
    assert again.read_bytes() == out.read_bytes()

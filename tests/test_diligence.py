"""`openness assess` and `openness derive`: the cases in tests/cases/{assess,derive}, the saved due-diligence
queries on fixture data, and the tables that tie finding ids and lineage to the ontology."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"
DERIVE = sorted(p for p in (CASES / "derive").iterdir() if p.is_dir())
ASSESS = sorted(p for p in (CASES / "assess").iterdir() if p.is_dir())


def _case(folder: Path) -> dict:
    return json.loads((folder / "case.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("folder", DERIVE, ids=[p.name for p in DERIVE])
def test_derive_case(folder, run_cli):
    case = _case(folder)
    code, out, err = run_cli("derive", *case["args"], "--data", str(folder / "data.ttl"), "--format", "json")
    assert code == case["exit"], err
    result = json.loads(out)
    assert result["verdict"] == case["verdict"]
    assert "Not legal advice" in result["notice"]
    decisions = {d["licence"]: d for d in result["decisions"]}
    assert set(decisions) == set(case["decisions"])
    for licence, expected in case["decisions"].items():
        got = decisions[licence]
        assert got["decision"] == expected["decision"]
        cited = [[c["rule"], c["action"], c["constraint"]] for c in got["clauses"]]
        rule, action, constraint = expected["clause"]
        assert any(c[:2] == [rule, action] and (c[2] is not None if constraint == "*" else c[2] == constraint)
                   for c in cited), cited
        assert all(c["sources"] for c in got["clauses"] if c["rule"]), "every rule clause cites its licence's source"
    edges = sorted([e["child"], e["relation"], e["parent"]] for e in result["lineage"])
    assert edges == sorted(case["lineage"])
    strings = {t["term"] for t in result["inherited"] if t["kind"] == "string attached"}
    assert set(case["inherits"]) <= strings
    for node in case.get("unknown_nodes", []):
        assert node in [u["node"] for u in result["unknowns"]]


def test_derive_text_names_both_clauses(run_cli):
    folder = CASES / "derive" / "llama-nc-commercial"
    code, out, _ = run_cli("derive", *_case(folder)["args"], "--data", str(folder / "data.ttl"))
    assert code == 1
    assert "NOT ALLOWED" in out and "Not legal advice" in out
    assert "odrl:prohibition cc:CommercialUse" in out
    assert "odrl:permission cc:CommercialUse if " in out


def test_derive_without_use_lists_terms_and_exits_0(run_cli):
    folder = CASES / "derive" / "three-step-lineage"
    code, out, _ = run_cli("derive", "--base", "fixture-step-c", "--data", str(folder / "data.ttl"), "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert result["verdict"] is None
    via = {lic["licence"].rsplit("/", 1)[-1]: lic["via"] for lic in result["licences"]}
    assert via["licenseref-scancode-gemma-tou-2024-04-01"] == ["https://w3id.org/openness/id/release/fixture-step-a-v1"]


@pytest.mark.parametrize("folder", ASSESS, ids=[p.name for p in ASSESS])
def test_assess_case(folder, run_cli):
    case = _case(folder)
    code, out, err = run_cli("assess", *case["args"], "--data", str(folder / "data.ttl"), "--format", "json")
    assert code == case["exit"], err
    report = json.loads(out)
    assert [s["id"] for s in report["sections"]] == ["owner", "community", "proprietary", "strings", "security",
                                                     "commercial"]
    status: dict[str, set[str]] = {}
    for section in report["sections"]:
        for f in section["findings"]:
            status.setdefault(f["id"], set()).add(f["status"])
            if f["status"] == "found":
                assert f["evidence"], f"{f['id']} is found without evidence"
    for fid, expected in case["status"].items():
        assert status.get(fid) == {expected}, (fid, status.get(fid))
    assert sorted(set(report["blockers"])) == sorted(case["blockers"])
    assert "Not legal advice" in report["notice"]


def test_assess_lists_every_unknown_rather_than_skipping(run_cli):
    folder = CASES / "assess" / "safe-apache"
    _, out, _ = run_cli("assess", "fixture-plain", "--data", str(folder / "data.ttl"), "--format", "json")
    from openness.claims.assess import FINDINGS

    reported = {f["id"] for s in json.loads(out)["sections"] for f in s["findings"]}
    # every finding id that is not about a string the licence could attach is always reported
    always = {fid for fid, (section, _) in FINDINGS.items() if section not in ("strings",)} - {
        "licence-undisclosed", "gated-weights"}
    assert always <= reported, always - reported


def test_assess_fail_on_unknown_id_is_bad_input(run_cli):
    code, _, err = run_cli("assess", "olmo", "--fail-on", "pickle-olny")
    assert code == 2 and "pickle-olny" in err


def test_assess_help_lists_finding_ids(run_cli):
    code, out, _ = run_cli("assess", "--help")
    assert code == 0
    for fid in ("pickle-only", "user-cap", "acceptable-use-policy", "unilateral-change", "closed-training-data",
                "no-security-contact", "licence-restricted-over-time"):
        assert fid in out


def test_assess_markdown(run_cli):
    code, out, _ = run_cli("assess", "llama-2", "--format", "markdown")
    assert code == 0
    assert out.startswith("# Due diligence: Llama 2")
    assert "## Strings attached" in out and "`user-cap`" in out and "Not legal advice" in out


def test_string_ids_cover_the_ontology(backend):
    from openness.claims.assess import STRING_IDS

    result = backend.run("PREFIX oo: <https://w3id.org/openness/ontology#>\n"
                         "SELECT DISTINCT ?s WHERE { ?s a oo:StringAttached }")
    names = {row[0].value.rsplit("#", 1)[-1] for row in result.rows}
    assert names and names == set(STRING_IDS)


def test_lineage_path_lists_every_derivation_property(backend):
    from openness.claims.diligence_sparql import LINEAGE_PROPERTIES

    result = backend.run("PREFIX oo: <https://w3id.org/openness/ontology#>\n"
                         "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                         "SELECT DISTINCT ?p WHERE { ?p rdfs:subPropertyOf* oo:derivedFrom }")
    assert {row[0].value.rsplit("#", 1)[-1] for row in result.rows} == set(LINEAGE_PROPERTIES)


def test_mislabelled_derivatives_on_a_three_step_lineage(run_cli):
    folder = CASES / "derive" / "three-step-lineage"
    code, out, _ = run_cli("query", "run", "mislabelled-derivatives", "--data", str(folder / "data.ttl"),
                           "--format", "json")
    assert code == 0
    rows = [r for r in json.loads(out) if "/fixture-" in r["project"]]
    dropped = {(r["project"].rsplit("/", 1)[-1], r["dropped"].rsplit("#", 1)[-1]) for r in rows}
    assert ("fixture-step-b", "AcceptableUsePolicy") in dropped
    assert ("fixture-step-c", "AcceptableUsePolicy") in dropped
    assert all(r["ancestor"].endswith("fixture-step-a-v1") for r in rows)


def test_licence_changes_and_hidden_costs(run_cli):
    folder = CASES / "assess" / "pickle-user-cap"
    code, out, _ = run_cli("query", "run", "licence-changes", "--data", str(folder / "data.ttl"), "--format", "json")
    assert code == 0
    rows = [r for r in json.loads(out) if r["project"].endswith("fixture-turncoat")]
    assert {r["term"].rsplit("#", 1)[-1] for r in rows} >= {"UserCap", "AcceptableUsePolicy"}
    assert all(r["change"] == "restricted terms" and r["from_reviewed"] for r in rows)
    code, out, _ = run_cli("query", "run", "hidden-costs", "--format", "json")
    costs = json.loads(out)
    assert any(r["label"] == "GPT-4" for r in costs)
    assert not any(r["label"] == "OLMo" for r in costs)


def test_assess_and_derive_answer_for_every_curated_ai_model(backend):
    from openness.claims.assess import assess
    from openness.claims.derive import derive
    from openness.graph.projects import list_projects

    result = backend.run("PREFIX oo: <https://w3id.org/openness/ontology#>\n"
                         "SELECT ?p WHERE { GRAPH <https://w3id.org/openness/graph/projects> { ?p a oo:AIModel } }")
    models = {row[0].value for row in result.rows}
    refs = [p for p in list_projects(backend) if p.iri in models]
    assert len(refs) > 40
    for ref in refs:
        report = assess(backend, ref)
        findings = [f for s in report["sections"] for f in s["findings"]]
        assert {f["id"] for f in findings} >= {"pickle-only", "copyleft", "closed-training-data"}, ref.id
        d = derive(backend, ref, [], "commercial")
        assert d.verdict in ("allowed", "not allowed", "undetermined"), ref.id
        assert all(dec["clauses"] for dec in d.decisions), ref.id


def _hf(run_cli, tmp_path, card: str, repo: str, *extra: str) -> Path:
    out = tmp_path / "card.ttl"
    code, _, err = run_cli("import", "hf-card", str(Path(__file__).parent / "fixtures" / "hf" / card), "--id", repo,
                           "--retrieved", "2026-11-27", "--out", str(out), *extra)
    assert code == 0, err
    return out


def test_hf_card_base_model_resolves_to_the_curated_release(run_cli, tmp_path):
    """A fine-tune of Tülu 3 (itself fine-tuned from Llama 3.1) labelled MIT inherits Llama's terms."""
    out = _hf(run_cli, tmp_path, "tulu-finetune.md", "example-org/tulu-mit")
    code, text, _ = run_cli("derive", "--base", "hf-example-org-tulu-mit", "--data", str(out), "--format", "json")
    result = json.loads(text)
    edges = {(e["relation"], e["parent"].rsplit("/", 1)[-1]) for e in result["lineage"]}
    assert ("oo:fineTunedFrom", "tulu-3-8b") in edges and ("oo:fineTunedFrom", "llama-3-1-v1") in edges
    inherited = {t["term"] for t in result["inherited"]}
    assert {"oo:AcceptableUsePolicy", "oo:NamingDuty"} <= inherited
    code, text, _ = run_cli("query", "run", "mislabelled-derivatives", "--data", str(out), "--format", "json")
    dropped = {r["dropped"].rsplit("#", 1)[-1] for r in json.loads(text) if r["project"].endswith("tulu-mit")}
    assert {"AcceptableUsePolicy", "NamingDuty"} <= dropped


def test_hf_card_relation_and_unknown_base(run_cli, tmp_path):
    fixture = CASES / "derive" / "llama-nc-commercial" / "data.ttl"
    out = _hf(run_cli, tmp_path, "fixture-merge.md", "example-org/merge", "--data", str(fixture))
    assert "oo:mergedFrom release:fixture-llama-base-v1" in out.read_text(encoding="utf-8")
    out = _hf(run_cli, tmp_path, "quantised-unknown.md", "example-org/quant")
    text = out.read_text(encoding="utf-8")
    assert "oo:quantisedFrom release:hf-nobody-curated-unknown-base-7b" in text
    code, _, _ = run_cli("derive", "--base", "hf-example-org-quant", "--data", str(out), "--use", "commercial")
    assert code == 3

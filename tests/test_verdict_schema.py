"""Real `validate --format json` output is valid against the shipped JSON Schema, and exit codes follow the verdict."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
from click.testing import CliRunner

from openness.cli import cli

SCHEMA = json.loads(resources.files("openness.claims").joinpath("verdict.schema.json").read_text())


def test_validate_json_matches_the_schema_and_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["validate", "olmo", "--all-claims", "--format", "json"])
    verdicts = json.loads(result.output)
    for v in verdicts:
        jsonschema.validate(v, SCHEMA)
        assert v["conforms"] is (v["verdict"] == "holds")
    outcomes = {v["verdict"] for v in verdicts}
    expected = 1 if "does-not-hold" in outcomes else 3 if "undetermined" in outcomes else 0
    assert result.exit_code == expected
    osaid = next(v for v in verdicts if v["claim"] == "osaid-1.0")
    # OLMo's release does not state two data-information items and an evaluation-code licence: unknown, not false.
    assert osaid["verdict"] == "undetermined" and osaid["summary"]["not_met"] == 0
    for r in osaid["results"]:
        if r["outcome"] in ("refutes", "unknown"):
            assert r["fact"]["subject"] and r["evidence"], r


def test_a_refuted_verdict_names_its_fact_and_exits_1() -> None:
    result = CliRunner().invoke(cli, ["validate", "llama-2", "--claim", "osaid-1.0"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].strip().startswith("does not hold: ")
    assert "fact: " in result.output


def test_another_source_that_states_a_missing_fact_is_named() -> None:
    result = CliRunner().invoke(cli, ["validate", "amber", "--claim", "mof-class-3", "--format", "json"])
    verdict = json.loads(result.output)
    jsonschema.validate(verdict, SCHEMA)
    others = [o for r in verdict["results"] for o in r.get("elsewhere", [])]
    assert any(o["label"] == "Amber (MOF)" and o["evidence"] for o in others), verdict["results"]
    text = CliRunner().invoke(cli, ["validate", "amber", "--claim", "mof-class-3"]).output
    assert "another source: Amber (MOF)" in text


def test_text_states_each_requirement_once_and_ends_with_the_summary() -> None:
    result = CliRunner().invoke(cli, ["validate", "olmo", "--claim", "osaid-1.0"])
    assert result.exit_code == 3
    lines = result.output.strip().splitlines()
    assert lines[-1].strip().startswith("undetermined: 0 conditions not met, ")
    requirement = "OSAID 1.0 requires the data information to include a complete description"
    assert sum(requirement in line for line in lines) == 1
    assert "not stated" in result.output


def test_turtle_is_a_shacl_report_with_the_unknown_severity() -> None:
    result = CliRunner().invoke(cli, ["validate", "olmo", "--claim", "osaid-1.0", "--format", "turtle"])
    import rdflib

    graph = rdflib.Graph().parse(data=result.output, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    severities = set(graph.objects(None, sh.resultSeverity))
    assert rdflib.URIRef("https://w3id.org/openness/ontology#Unknown") in severities
    assert set(graph.objects(None, sh.conforms)) == {rdflib.Literal(False)}

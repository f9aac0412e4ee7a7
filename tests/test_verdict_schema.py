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

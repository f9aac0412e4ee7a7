"""The validate/claims/report command line as users rely on it: exit codes, JSON shape, messages."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from openness.cli import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "my-release.ttl"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_claims_json() -> None:
    result = run("claims", "--format", "json")
    assert result.exit_code == 0
    items = json.loads(result.output)
    assert len(items) == 13 and all(set(i) == {"id", "title", "source", "shape"} for i in items)


def test_example_release_holds_and_variant_fails(tmp_path: Path) -> None:
    ok = run("validate", "--file", str(EXAMPLE), "--claim", "osaid-1.0", "--format", "json")
    assert ok.exit_code == 0, ok.output
    verdict = json.loads(ok.output)
    assert list(verdict) == ["project", "label", "claim", "verdict", "conforms", "summary", "interpretations", "results"]
    assert verdict["conforms"] is True
    variant = tmp_path / "missing-training-code.ttl"
    variant.write_text(EXAMPLE.read_text().replace("oo:componentKind oo:TrainingCode ; oo:availability oo:Public",
                                                   "oo:componentKind oo:TrainingCode ; oo:availability oo:Closed"))
    bad = run("validate", "--file", str(variant), "--claim", "osaid-1.0", "--format", "json")
    assert bad.exit_code == 1
    messages = [r["message"] for r in json.loads(bad.output)["results"] if r["severity"] == "Violation"]
    assert any(m.startswith("Training code is not public (Closed): OSAID 1.0 requires") for m in messages), messages


def test_malformed_file_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix oo: <https://w3id.org/openness/ontology#> .\n\noo:x oo:y oo:z .\nthis is not turtle\n")
    result = run("validate", "--file", str(broken), "--claim", "osaid-1.0")
    assert result.exit_code == 2
    assert f"{broken}:4" in result.output and "Traceback" not in result.output


def test_unknown_project_and_claim_suggest() -> None:
    result = run("validate", "lama-2", "--claim", "osaid-1.0")
    assert result.exit_code == 2 and "'lama-2'" in result.output and "llama-2" in result.output
    result = run("validate", "llama-2", "--claim", "osaid")
    assert result.exit_code == 2 and "'osaid'" in result.output and "osaid-1.0" in result.output


def test_project_by_label_and_exit_1() -> None:
    result = run("validate", "LLAMA 2", "--claim", "open-weights", "--format", "json")
    assert result.exit_code == 1
    verdict = json.loads(result.output)
    assert verdict["project"] == "https://w3id.org/openness/id/project/llama-2" and verdict["conforms"] is False
    assert any(r["rule"] == "OWD-access" for r in verdict["results"])


def test_all_claims_is_a_list_and_seed_freedoms_name_each_freedom() -> None:
    result = run("validate", "olmo", "--all-claims", "--format", "json")
    assert result.exit_code in (1, 3)
    verdicts = json.loads(result.output)
    assert [v["claim"] for v in verdicts] == sorted(v["claim"] for v in verdicts) and len(verdicts) == 13
    seed = next(v for v in verdicts if v["claim"] == "seed-freedoms")
    text = " ".join(r["message"] for r in seed["results"])
    for freedom in ("Study", "Use", "Access", "Copy/Make", "Modify", "Distribute", "Collaborate"):
        assert freedom in text


def test_warnings_never_flip_a_verdict() -> None:
    result = run("validate", "--file", str(EXAMPLE), "--claim", "eu-ai-act-gpai-exemption", "--format", "json")
    verdict = json.loads(result.output)
    assert result.exit_code == 0 and verdict["conforms"] is True
    assert any(r["severity"] == "Warning" for r in verdict["results"])


def test_turtle_output() -> None:
    result = run("validate", "--file", str(EXAMPLE), "--claim", "osaid-1.0", "--format", "turtle")
    assert result.exit_code == 0 and "sh:ValidationReport" in result.output


def test_bad_combinations() -> None:
    assert run("validate", "--claim", "osaid-1.0").exit_code == 2
    assert run("validate", "olmo").exit_code == 2

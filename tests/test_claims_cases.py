"""Every claim case under tests/cases/<claim>/<case>/{data.ttl, expected.json}, found by glob.

expected.json: {"project": IRI, "conforms": bool, "verdict": "holds" | "does-not-hold" | "undetermined"
(optional), "rules": [rule ids that must appear among the results], "absent_rules": [rule ids that must
not]}. Adding a case needs no Python.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openness.graph.dataset import Dataset
from openness.claims.catalogue import claims
from openness.claims.verdicts import compute

CASES = Path(__file__).parent / "cases"
# Folders holding case.json are due-diligence cases (assess, derive), read by tests/test_diligence.py.
FOUND = sorted(
    p for p in CASES.glob("*/*") if (p / "data.ttl").is_file() and not (p / "case.json").is_file()
)


def test_every_case_folder_has_its_expectation() -> None:
    missing = [str(p) for p in FOUND if not (p / "expected.json").is_file()]
    assert not missing, f"claim cases without expected.json: {missing}"


@pytest.mark.parametrize("case", FOUND, ids=[f"{p.parent.name}/{p.name}" for p in FOUND])
def test_case(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text())
    dataset = Dataset.load([case / "data.ttl"])
    [verdict] = compute(dataset, [expected["project"]], [case.parent.name])
    rules = {r["rule"] for r in verdict["results"]}
    messages = "\n".join(f"{r['severity']} {r['rule']}: {r['message']}" for r in verdict["results"])
    assert verdict["conforms"] is expected["conforms"], messages
    if "verdict" in expected:
        assert verdict["verdict"] == expected["verdict"], messages
    for rule in expected.get("rules", []):
        assert rule in rules, f"expected rule {rule} among:\n{messages}"
    for rule in expected.get("absent_rules", []):
        assert rule not in rules, messages
    for r in verdict["results"]:
        assert "(source: " in r["message"] and "{?" not in r["message"], r["message"]


def test_every_claim_has_a_passing_and_a_failing_case() -> None:
    for claim_id in claims():
        outcomes = {json.loads((p / "expected.json").read_text())["conforms"]
                    for p in FOUND if p.parent.name == claim_id}
        assert outcomes == {True, False}, f"{claim_id}: cases for {outcomes or 'nothing'}"


def test_thirteen_claims_each_with_a_shape() -> None:
    assert sorted(claims()) == sorted([
        "osaid-1.0", "open-source-weights", "open-weights", "weights-available", "restricted-weights",
        "fully-open", "mof-class-1", "mof-class-2", "mof-class-3", "eu-ai-act-gpai-exemption",
        "commercial-use", "no-strings-attached", "seed-freedoms"])

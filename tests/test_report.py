"""The report flags open-washing only where a recorded claim is refuted, and escapes HTML."""

from __future__ import annotations

from pathlib import Path

from openness.graph.dataset import Dataset
from openness.claims.report import open_washing, render
from openness.claims.verdicts import compute

CASE = Path(__file__).parent / "cases" / "open-weights" / "open-washing-ow5" / "data.ttl"
PROJECT = "https://example.org/case/project"


def test_open_washing_flagged_for_the_refuted_claim_only() -> None:
    dataset = Dataset.load([CASE])
    verdicts = compute(dataset, [PROJECT], ["open-weights", "weights-available", "osaid-1.0"])
    washed = open_washing(dataset, verdicts)
    assert list(washed) == [(PROJECT, "open-weights")] and washed[(PROJECT, "open-weights")] == ["Case Lab"]
    html = render(dataset, verdicts, "html")
    assert "open-washing: claimed by Case Lab" in html and "<script" not in html
    assert "| Case Model |" in render(dataset, verdicts, "markdown")

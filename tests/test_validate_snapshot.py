"""Reviewed snapshot of the verdict of every curated project for every claim (tests/snapshots/verdicts.json).

A change to a shape or to data that flips a verdict fails here with the flips listed; after review,
regenerate with `OPENNESS_UPDATE_SNAPSHOTS=1 pytest tests/test_validate_snapshot.py`.
Imported catalogue records (data/generated) are left out to keep the suite fast.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from openness.graph.dataset import Dataset
from openness.claims.verdicts import compute

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "snapshots" / "verdicts.json"
PROJECT = "https://w3id.org/openness/id/project/"


@pytest.fixture(scope="session")
def curated_verdicts() -> list[dict]:
    """Every curated project against every claim, computed once per test session."""
    dataset = Dataset.load()
    ids = sorted(p.stem for p in (ROOT / "data" / "projects").glob("*.ttl"))
    return compute(dataset, [PROJECT + i for i in ids])


def test_verdicts_match_snapshot(curated_verdicts: list[dict]) -> None:
    actual: dict[str, dict[str, str]] = {}
    for v in curated_verdicts:
        actual.setdefault(v["project"].removeprefix(PROJECT), {})[v["claim"]] = v["verdict"]
    if os.environ.get("OPENNESS_UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(actual, indent=2, sort_keys=True) + "\n")
        return
    expected = json.loads(SNAPSHOT.read_text())
    flips = [f"{p} {c}: snapshot {expected.get(p, {}).get(c)} -> now {ok}"
             for p, claims in sorted(actual.items()) for c, ok in sorted(claims.items())
             if expected.get(p, {}).get(c) != ok]
    gone = sorted(set(expected) - set(actual))
    assert not flips and not gone, "verdicts changed (review, then OPENNESS_UPDATE_SNAPSHOTS=1):\n" + "\n".join(
        flips + [f"{p}: no longer validated" for p in gone])


def test_every_verdict_explains_itself(curated_verdicts: list[dict]) -> None:
    for v in curated_verdicts:
        if v["verdict"] == "does-not-hold":
            assert any(r["outcome"] == "refutes" for r in v["results"])
        elif v["verdict"] == "undetermined":
            assert any(r["outcome"] == "unknown" for r in v["results"])
            assert not any(r["outcome"] == "refutes" for r in v["results"])
        for r in v["results"]:
            assert r["message"] and "{?" not in r["message"] and "(source: " in r["message"], r

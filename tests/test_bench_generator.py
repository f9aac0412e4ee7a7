"""The benchmark's synthetic catalogue is well-formed data of the curated shape (no timing here:
speed is measured by `openness bench`, bench/measure.py, against an rdflib + pySHACL baseline)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from generate import generate  # noqa: E402


def test_generator_is_deterministic_and_loads(tmp_path, run_cli):
    assert generate(5) == generate(5)
    path = tmp_path / "catalogue.ttl"
    path.write_text(generate(5))
    code, out, err = run_cli("query", "run", "mof-component-coverage", "--data", str(path), "--format", "csv")
    assert code == 0, err
    assert sum(1 for line in out.splitlines() if "synthetic-0000" in line) == 5


def test_a_generated_catalogue_passes_the_integrity_check(tmp_path, run_cli):
    """The benchmark's cold start validates a project of the catalogue: its data must be accepted."""
    path = tmp_path / "catalogue.ttl"
    path.write_text(generate(40))
    assert "oo:AvailabilityUnknown" in path.read_text()
    code, out, err = run_cli("validate", "synthetic-00001", "--claim", "osaid-1.0", "--data", str(path))
    assert code in (0, 1, 3), err

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


def test_the_baseline_is_not_started_where_it_cannot_finish_and_speedups_are_shown():
    import measure  # noqa: PLC0415 - bench/measure.py

    entry = {"projects": 1000, "triples": 1, "baseline": None, "baseline_note": None,
             "openness": {"load_s": 1.0, "query_s": 1.0, "validate_s": 2.0, "peak_rss_mb": 1.0,
                          "max_per_project_query_ms": 1.0, "first_command_s": 1.0, "cold_validate_s": 0.5,
                          "serve_first_answer_s": 1.0, "publish_s": 20.0}}
    # 100 projects took 200 s, so 1,000 would take about 2,000 s: above a 300 s limit, not started.
    failed, previous = measure._baseline(entry, {}, Path("unused.ttl"), "compare-projects", 300.0, None,
                                         (100, 200.0), lambda message: None)
    assert previous == (100, 200.0) and "about 2000 s" in failed and entry["baseline_note"].startswith("not run")
    small = dict(entry, projects=3, baseline={"load_s": 2.0, "query_s": 40.0, "validate_s": 900.0},
                 speedup={"validate": 450.0, "query": 20.0}, baseline_note=None)
    text = measure.table({"runs": [small, entry]})
    assert "3: 450.0x faster than rdflib + pySHACL for validation, 20.0x for the saved queries" in text
    assert "1000: not run: at 100 projects it took 200 s" in text

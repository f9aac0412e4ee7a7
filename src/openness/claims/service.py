"""The verdict service: the one place `report`, `publish` and `serve` take verdicts from.

The verdict flow, step by step (each a function with typed inputs and outputs):
catalogue (catalogue.claims: which shapes make a claim) -> closure (closure.closure_triples: the
triples a project's verdicts depend on) -> engine (shacl_sparql.run on Oxigraph, or
pyshacl_engine.run_shacl, the reference) -> results (results.Result) -> verdicts (verdicts.verdict,
one dict per project and claim, documented in verdicts.py).
"""

from __future__ import annotations

from . import verdicts


def compute_verdicts(dataset) -> tuple[list[dict], str | None]:
    """Every project's claim verdicts, once per build or server start, and a note for the pages (None)."""
    return list(verdicts.compute(dataset)), None

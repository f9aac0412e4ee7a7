"""The Oxigraph SHACL-SPARQL engine (the default) gives exactly what pySHACL, the reference, gives."""

from __future__ import annotations

import multiprocessing

import pytest
import rdflib
from rdflib.plugins.sparql.processor import SPARQLProcessor

from openness.claims import shacl_sparql
from openness.claims.verdicts import compute

P = "https://w3id.org/openness/id/project/"
# Diverse on purpose: fully open, open weights with strings, closed API, seed software, hardware.
SAMPLE = ["olmo", "llama-2", "gpt-4", "bloom", "smollm"]


def _results(verdicts):
    return {(v["project"], v["claim"], v["conforms"], r["severity"], r["focus"], r["path"], r["value"], r["rule"],
             r["message"]) for v in verdicts for r in v["results"]} | {
        (v["project"], v["claim"], v["conforms"]) for v in verdicts}


_FORKED: dict = {}


def _reference_one(iri: str) -> list:
    return compute(_FORKED["dataset"], [iri], engine="pyshacl")


def test_both_engines_give_identical_results(bundled):
    native = compute(bundled, [P + s for s in SAMPLE], engine="oxigraph")
    # pySHACL takes 10-50 s per project here: the reference runs on both cores, a project per process.
    _FORKED["dataset"] = bundled
    with multiprocessing.get_context("fork").Pool(2) as pool:
        reference = [v for part in pool.map(_reference_one, [P + s for s in SAMPLE], chunksize=1) for v in part]
    only_native, only_reference = _results(native) - _results(reference), _results(reference) - _results(native)
    assert not only_native and not only_reference, (sorted(only_native)[:5], sorted(only_reference)[:5])


def test_the_reference_engine_leaves_rdflib_as_shipped(bundled):
    """pySHACL's runs reuse parsed queries; rdflib itself, for everything else in the process, is unpatched."""
    shipped = SPARQLProcessor.query
    compute(bundled, [P + "gpt-4"], ["open-weights"], engine="pyshacl")
    assert SPARQLProcessor.query is shipped


def test_unsupported_shape_features_are_refused_not_misread():
    graph = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .
    """, format="turtle")
    with pytest.raises(NotImplementedError, match="property"):
        shacl_sparql.compile_shape(graph, "https://example.org/S")


def test_messages_fill_placeholders_and_value_defaults_to_focus(bundled):
    verdict = compute(bundled, [P + "gpt-4"], ["open-weights"])[0]
    assert not verdict["conforms"]
    for result in verdict["results"]:
        assert "{?" not in result["message"] and "{$" not in result["message"]
        assert result["value"] is not None

"""The Oxigraph SHACL-SPARQL engine (the default) gives exactly what pySHACL, the reference, gives."""

from __future__ import annotations

import pytest
import rdflib

from openness.claims import shacl_sparql
from openness.claims.verdicts import compute

P = "https://w3id.org/openness/id/project/"
# Diverse on purpose: fully open, open weights with strings, closed API, seed software, hardware.
SAMPLE = ["olmo", "llama-2", "gpt-4", "bloom", "smollm"]


def _results(verdicts):
    return {(v["project"], v["claim"], v["conforms"], r["severity"], r["focus"], r["path"], r["value"], r["rule"],
             r["message"]) for v in verdicts for r in v["results"]} | {
        (v["project"], v["claim"], v["conforms"]) for v in verdicts}


def test_both_engines_give_identical_results(bundled):
    native = compute(bundled, [P + s for s in SAMPLE], engine="oxigraph")
    reference = compute(bundled, [P + s for s in SAMPLE], engine="pyshacl")
    only_native, only_reference = _results(native) - _results(reference), _results(reference) - _results(native)
    assert not only_native and not only_reference, (sorted(only_native)[:5], sorted(only_reference)[:5])


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

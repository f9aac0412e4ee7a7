"""Set-based validation (claims/batch.py, claims/setbased.py) gives exactly what the reference gives.

Differential tests: the verdicts, reasons and outcomes of the set-based engine against pySHACL on a
small generated catalogue (bench/generate.py: gated and closed components, strings attached, unknown
facts, projects without a stated current release), and against the per-project closure path on a
diverse sample of the bundled projects. tests/test_shacl_engines.py compares it with pySHACL on the
bundled sample (compute() dispatches several projects to batch.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from openness.claims import batch, setbased
from openness.claims.catalogue import claims
from openness.claims.verdicts import NativeRun, compute
from openness.graph.dataset import Dataset

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from generate import generate  # noqa: E402

P = "https://w3id.org/openness/id/project/"
# Diverse: fully open, strings attached, closed API, seed software and hardware, catalogue records.
BUNDLED = ["olmo", "llama-2", "gpt-4", "bloom", "smollm", "pythia", "gemma-2", "mistral-7b", "falcon-180b",
           "linux", "raspberry-pi", "stable-diffusion-1-5", "github", "deepseek-r1"]


def _flat(verdicts):
    return sorted((v["project"], v["claim"], v["conforms"], tuple(tuple(r.items()) for r in v["results"]))
                  for v in verdicts)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("catalogue") / "catalogue.ttl"
    path.write_text(generate(8, seed=7), encoding="utf-8")
    return Dataset.load([path], include_generated=False)


def test_generated_catalogue_matches_pyshacl(generated):
    # 0: two claims (one about the release); 3: an older second release; 7: no stated current release.
    iris = [P + f"synthetic-{i:05d}" for i in (0, 3, 7)]
    chosen = ["osaid-1.0", "open-weights", "eu-ai-act-gpai-exemption", "seed-freedoms"]  # pySHACL: ~10 s each
    wanted = [claims()[c] for c in chosen]
    fast = batch.validate(generated, [(i, i) for i in iris], wanted, workers=2, chunk=2)
    reference = compute(generated, iris, chosen, engine="pyshacl")
    for v in reference:
        v["label"] = v["project"]
    assert _flat(fast) == _flat(reference)
    assert any(v["conforms"] for v in fast) or any(r["severity"] != "Violation" for v in fast for r in v["results"])


def test_generated_catalogue_all_claims_match_the_closure_path(generated):
    iris = [P + f"synthetic-{i:05d}" for i in range(8)]
    wanted = list(claims().values())
    fast = batch.validate(generated, [(i, i) for i in iris], wanted, workers=2, chunk=3)
    run = NativeRun(generated, wanted)
    assert _flat(fast) == _flat([v for i in iris for v in run.project(i, i, wanted)])


def test_bundled_sample_matches_the_closure_path(bundled):
    from openness.graph.projects import list_projects
    from openness.graph.query import LocalBackend

    labels = {p.iri: p.label for p in list_projects(LocalBackend(bundled))}
    chosen = [P + s for s in BUNDLED if P + s in labels]
    chosen += sorted(i for i in labels if i not in chosen)[::120]  # a spread of the imported records
    assert len(chosen) >= 10
    wanted = list(claims().values())
    selected = [(i, labels[i]) for i in chosen]
    fast = batch.validate(bundled, selected, wanted, chunk=5)
    run = NativeRun(bundled, wanted)
    slow = [v for iri, label in selected for v in run.project(iri, label, wanted)]
    assert _flat(fast) == _flat(slow)
    assert [(v["project"], v["claim"]) for v in fast] == [(v["project"], v["claim"]) for v in slow]


def test_closures_by_lookup_equal_the_closure_query(bundled):
    from openness.claims.closure import closure_triples

    closures = batch.Closures(bundled)
    for name in BUNDLED[:6]:
        assert set(closures.triples(P + name)) == set(closure_triples(bundled, P + name)), name


def test_this_is_joined_with_the_targets_in_every_group_that_needs_it():
    query = """SELECT $this ?x WHERE {
      { FILTER NOT EXISTS { $this <p> ?a . ?a <q> ?b } BIND("}" AS ?x) }   # a brace in a string: { }
      UNION { $this <r> ?x OPTIONAL { $this <s> ?y } FILTER(EXISTS { $this <t> <u#v> }) }
    }"""
    joined = setbased.join_with_targets(query, [("targetObjectsOf", "https://e.org/cur")])
    target = "[] ?_target0 $this ."
    # The outer group and both UNION branches; not the OPTIONAL or EXISTS inside a joined group.
    assert joined.count(target) == 3
    # The target's property is bound as an RDF term when the query runs, never written into its text.
    assert "e.org/cur" not in joined
    assert setbased.target_bindings([("targetObjectsOf", "https://e.org/cur")]) == {
        ox.Variable("_target0"): ox.NamedNode("https://e.org/cur")}
    assert setbased.join_with_targets("SELECT $this WHERE { $this <p> ?o MINUS { $this <q> ?o } }",
                                      [("targetClass", "https://e.org/C")]) is None


def test_projection_gains_this_and_the_bound_targets_when_missing():
    query = "SELECT ?problem WHERE { $this <https://e.org/p> ?problem }"
    targets = [("targetSubjectsOf", "https://e.org/p")]
    joined = setbased.join_with_targets(query, targets)
    assert joined.split("WHERE")[0].split() == ["SELECT", "$this", "?_target0", "?problem"]
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://e.org/n"), ox.NamedNode("https://e.org/p"), ox.Literal("x")))
    store.add(ox.Quad(ox.NamedNode("https://e.org/m"), ox.NamedNode("https://e.org/q"), ox.Literal("y")))
    _, rows = batch.select(store, joined, setbased.target_bindings(targets))
    assert [(r[0].value, r[2].value) for r in rows] == [("https://e.org/n", "x")]
    # A target node is left to per-focus substitution.
    assert setbased.join_with_targets(query, [("targetNode", "https://e.org/n")]) is None

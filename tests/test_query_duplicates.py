"""One answer per question: a fact stated in several graphs (a licence described by the curated data,
the SPDX snapshot and the MOF licence list; a user's --data repeating bundled files) is counted once.
Every saved query, run over the bundled graph with the ontology and every curated licence loaded a
second time into other named graphs, gives exactly the rows it gives over the bundled graph alone,
and no saved query returns a row twice."""

from __future__ import annotations

import shutil

import pytest

from openness import resources
from openness.graph.dataset import Dataset
from openness.graph.projects import resolve_licence, resolve_project
from openness.graph.query import LocalBackend, bind, run_local, saved_queries

SAMPLES = [{"a": "olmo", "b": "llama-2", "project": "olmo", "licence": "Apache-2.0"},
           {"a": "llama-2", "b": "pythia", "project": "llama-2", "licence": "MIT"},
           {"a": "bloom", "b": "gemma", "project": "grok-1", "licence": "CC-BY-4.0"}]


def _answers(dataset: Dataset) -> dict[str, list[tuple[str, ...]]]:
    backend = LocalBackend(dataset)
    out = {}
    for name, query in saved_queries().items():
        for number, sample in enumerate(SAMPLES):
            given = {p.name: sample[p.name] for p in query.params}
            if number and not given:
                continue
            bindings = bind(query, given, lambda v: resolve_project(backend, v).iri,
                            lambda v: resolve_licence(backend, v))
            result = run_local(dataset, query.text, bindings)
            out[f"{name} {given}"] = [tuple("" if c is None else str(c) for c in row) for row in result.rows]
    return out


@pytest.fixture(scope="module")
def once():
    return _answers(Dataset.load([]))


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    copy = tmp_path_factory.mktemp("again")
    # The ontology and every curated licence again, in other named graphs: the licences are the facts
    # the bundled graph already states more than once (curated, SPDX snapshot, MOF licence list).
    for folder in ("ontology", "data/licences"):
        shutil.copytree(resources.bundled_root() / folder, copy / folder)
    return _answers(Dataset.load([copy]))


def test_no_saved_query_returns_a_row_twice(once):
    repeated = {name: len(rows) - len(set(rows)) for name, rows in once.items() if len(rows) != len(set(rows))}
    assert not repeated, f"saved queries returning duplicate rows: {repeated}"


def _unlabelled(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Rows sorted, a blank node written "_:": its label is made at load time and differs between two loads
    of the same file (data-quality lists blank fact nodes), so it is no part of the answer."""
    return sorted(tuple("_:" if cell.startswith("_:") else cell for cell in row) for row in rows)


def test_a_fact_stated_in_two_graphs_is_counted_once(once, twice):
    differ = {name for name in twice if _unlabelled(once[name]) != _unlabelled(twice[name])}
    assert not differ, f"answers change when facts are stated in two graphs: {sorted(differ)}"


def test_licence_terms_of_apache_are_distinct(once):
    rows = once["licence-terms {'licence': 'Apache-2.0'}"]
    assert rows and len(rows) == len(set(rows))

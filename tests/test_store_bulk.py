"""Large files go into an on-disk store through pyoxigraph's bulk loader (graph/dataset.py): they land
in their own named graph next to the bundled ones, are not parsed again while unchanged,
and bad input in them is one line naming file and line with nothing half-written. BULK_BYTES is
lowered here to just above the largest bundled file, so that the test files take the bulk path."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from openness.errors import OpennessError
from openness.graph import dataset
from openness.graph.dataset import META_GRAPH, Dataset

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from generate import generate  # noqa: E402


@pytest.fixture()
def loads(monkeypatch):
    """Every file parsed, in order, with whether it took the bulk path (any file larger than every bundled one)."""
    largest = max(p.stat().st_size for s in dataset.bundled_sources(include_generated=False) for p in s.files)
    monkeypatch.setattr(dataset, "BULK_BYTES", largest + 1)
    seen: list[tuple[str, bool]] = []
    original = dataset._load_file

    def recording(store, path, graph):
        seen.append((Path(path).name, dataset._is_bulk(Path(path))))
        return original(store, path, graph)

    monkeypatch.setattr(dataset, "_load_file", recording)
    return seen


def test_a_large_catalogue_is_bulk_loaded_into_its_own_graph_once(tmp_path, loads):
    catalogue = tmp_path / "catalogue.ttl"
    catalogue.write_text(generate(40), encoding="utf-8")
    assert catalogue.stat().st_size >= dataset.BULK_BYTES
    expected = sum(1 for _ in ox.parse(path=str(catalogue), format=ox.RdfFormat.TURTLE))
    store = tmp_path / "store"

    first = Dataset.load([catalogue], store, include_generated=False)
    assert ("catalogue.ttl", True) in loads and all(not bulk for name, bulk in loads if name != "catalogue.ttl")
    graph = catalogue.resolve().as_uri()
    assert sum(1 for _ in first.triples(graph)) == expected
    assert {g.value for g in first.graphs()} >= {graph, dataset.GRAPH_BASE + "ontology"}
    total = sum(1 for _ in first.triples())
    del first
    gc.collect()

    loads.clear()
    again = Dataset.load([catalogue], store, include_generated=False)
    assert loads == []  # nothing changed: nothing parsed
    assert sum(1 for _ in again.triples()) == total


def test_bad_input_in_a_bulk_loaded_file_names_the_line_and_leaves_nothing(tmp_path, loads):
    bad = tmp_path / "bad.ttl"
    good = "\n".join(f"<https://example.org/s{i}> <https://example.org/p> \"{i}\" ." for i in range(5000))
    bad.write_text(good + "\n<https://example.org/s> <https://example.org/p> \"unterminated .\n", encoding="utf-8")
    store = tmp_path / "store"

    with pytest.raises(OpennessError) as caught:
        Dataset.load([bad], store, include_generated=False)
    message = str(caught.value)
    assert message.startswith(f"{bad.resolve()}:5001:") and "\n" not in message
    assert ("bad.ttl", True) in loads
    del caught  # its traceback holds the store open
    gc.collect()

    after = Dataset.load([], store, include_generated=False)
    graph = ox.NamedNode(bad.resolve().as_uri())
    assert not after.store.contains_named_graph(graph)
    assert not list(after.store.quads_for_pattern(None, None, None, graph))
    assert not list(after.store.quads_for_pattern(graph, None, None, META_GRAPH))


def test_a_bad_bulk_file_is_exit_2_on_the_command_line(tmp_path, loads, run_cli):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <https://example.org/> .\n" + "ex:a ex:b ex:c .\n" * 10_000 + "ex:a ex:b .\n",
                   encoding="utf-8")
    code, _, err = run_cli("sparql", "ASK { ?s ?p ?o }", "--data", str(bad), "--store", str(tmp_path / "store"))
    assert code == 2 and "bad.ttl:10002" in err and len(err.strip().splitlines()) == 1

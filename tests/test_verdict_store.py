"""claims/service.py stores verdicts as they come (batches of WRITE_BATCH) and the PROV-O activity last,
so a catalogue's verdicts need not be held in memory, and an interrupted run is never read as cached."""

from __future__ import annotations

import pyoxigraph as ox

from openness.claims import service, verdicts
from openness.graph.dataset import Dataset

P = "https://w3id.org/openness/id/project/"


def _fake_compute(made: list[dict]):
    def compute(dataset, progress=False, on_verdict=None, keep=True, **_):
        for v in made:
            on_verdict(v)
        return list(made) if keep else []
    return compute


def _made(n: int) -> list[dict]:
    return [{"project": f"{P}p{i}", "label": f"p{i}", "claim": "osaid-1.0", "verdict": "undetermined",
             "conforms": False, "summary": {"not_met": 0, "unknown": 1, "warnings": 0}, "interpretations": [],
             "results": []} for i in range(n)]


def test_verdicts_are_stored_in_batches_and_read_back_in_order(monkeypatch):
    made = _made(7)
    monkeypatch.setattr(verdicts, "compute", _fake_compute(made))
    monkeypatch.setattr(service, "WRITE_BATCH", 3)
    dataset = Dataset(ox.Store(), [])
    assert service.compute_and_store(dataset, keep=False) == []
    service._session.clear()
    assert service.cached_verdicts(dataset) == made
    assert service.compute_and_store(dataset) == made


def test_a_verdicts_graph_without_its_finished_activity_is_not_cached(monkeypatch):
    made = _made(4)
    monkeypatch.setattr(verdicts, "compute", _fake_compute(made))
    dataset = Dataset(ox.Store(), [])
    service.compute_and_store(dataset)
    key, _, _ = service.inputs_key(dataset)
    graph = service.verdicts_graph(key)
    ended = ox.NamedNode(service.PROV + "endedAtTime")
    for quad in list(dataset.store.quads_for_pattern(None, ended, None, graph)):
        dataset.store.remove(quad)
    service._session.clear()
    assert service.cached_verdicts(dataset) is None
    # The next run replaces the partial graph rather than adding to it.
    assert service.compute_and_store(dataset) == made
    service._session.clear()
    assert service.cached_verdicts(dataset) == made

"""Verdicts: every (project, claim) pair checked once, as plain dicts the CLI, the report and the site share.

`compute(dataset, project_iris=None, claim_ids=None)` is the one entry point; its verdict dict is a
stable interface (the publishing engineer renders it on the static site):

    {"project": IRI, "label": str, "claim": claim id, "conforms": bool,
     "interpretations": [text], "results": [{"severity": "Violation"|"Warning"|"Info", "focus": IRI,
      "path": IRI|None, "value": str|None, "message": str, "shape": IRI, "rule": str|None}]}

`conforms` is false only when a result has severity Violation: warnings and infos never flip it.
Results about a recorded claim (open-washing, rules OW1-OW6) have the claim node as their focus.

How a catalogue is validated: measured on the bundled data (2 cores, pySHACL 0.40.1, all 13 claims):
  one project, one claim (llama-2, osaid-1.0):        0.7-1.3 s
  one project, all 13 claims (olmo):                  4.6 s
  8 projects, per-project closures / one pass:        41.8 s / 33.0 s (another test ran alongside)
  58 projects, per-project closures / one pass:       240 s / 249 s
The two are level at catalogue size (pySHACL's cost is per shape and focus node either way: it
parses each SPARQL constraint again for every focus node), so `compute` validates a closure per
project, which also gives a progress bar and keeps memory flat. A map over projects on every core
was not measured yet; with 2 cores it should roughly halve the per-project figure.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence

import pyoxigraph as ox

from .errors import OpennessError
from .validate import (OO, OPEN_WASHING_SHAPE, Claim, Result, claim_shapes, claims, closure_triples, data_graph,
                       resolve_claim, run_shacl)


def _claim_types_of(graph) -> dict[str, str]:
    """Recorded claim node -> claim type IRI, from a data graph."""
    import rdflib

    return {str(s): str(o) for s, o in graph.subject_objects(rdflib.URIRef(OO + "claimType"))}


def _project_of_focus(graph) -> dict[str, str]:
    """Focus node (current release, or recorded claim) -> project IRI, from a data graph."""
    import rdflib

    out = {str(r): str(p) for p, r in graph.subject_objects(rdflib.URIRef(OO + "currentRelease"))}
    releases = {str(r): str(p) for p, r in graph.subject_objects(rdflib.URIRef(OO + "hasRelease"))}
    for c, about in graph.subject_objects(rdflib.URIRef(OO + "claimAbout")):
        about = str(about)
        out[str(c)] = releases.get(about) or out.get(about) or about
    return out


def verdict(project_iri: str, label: str, claim: Claim, results: Iterable[Result]) -> dict[str, object]:
    """One verdict dict (the stable shape documented above)."""
    seen, rows = set(), []
    for r in sorted(results, key=Result.sort_key):
        d = r.as_dict()
        key = tuple(d.values())
        if key not in seen:
            seen.add(key)
            rows.append(d)
    return {"project": project_iri, "label": label, "claim": claim.id,
            "conforms": not any(r["severity"] == "Violation" for r in rows),
            "interpretations": list(claim.interpretations), "results": rows}


def _split(results: list[Result], wanted: Sequence[Claim], claim_type_of: dict[str, str]) -> dict[str, list[Result]]:
    """Results of one validation run, grouped by the claim each belongs to."""
    out: dict[str, list[Result]] = {c.id: [] for c in wanted}
    for claim in wanted:
        own = {claim.shape, *claim.findings}
        for r in results:
            if r.shape in own:
                out[claim.id].append(r)
            elif r.shape == OPEN_WASHING_SHAPE and claim_type_of.get(r.focus) == claim.iri:
                out[claim.id].append(r)
    return out


def _no_focus(project_iri: str, label: str, claim: Claim) -> dict[str, object]:
    missing = Result("Violation", project_iri, OO + "currentRelease", None,
                     f"No release of {label} is stated (oo:currentRelease or a single oo:hasRelease): "
                     "every claim is checked against the project's current release, so nothing can be shown to hold",
                     claim.shape, "NO-RELEASE")
    return verdict(project_iri, label, claim, [missing])


def validate_project(dataset, project_iri: str, label: str, wanted: Sequence[Claim]) -> list[dict[str, object]]:
    """Verdicts of one project for the wanted claims, over the project's closure (one pySHACL run)."""
    import rdflib

    graph = data_graph(dataset, closure_triples(dataset, project_iri))
    if graph.value(rdflib.URIRef(project_iri), rdflib.URIRef(OO + "currentRelease")) is None:
        return [_no_focus(project_iri, label, c) for c in wanted]
    shapes = sorted({s for c in wanted for s in claim_shapes(c)})
    grouped = _split(run_shacl(graph, shapes), wanted, _claim_types_of(graph))
    return [verdict(project_iri, label, c, grouped[c.id]) for c in wanted]


def validate_one_pass(dataset, projects: Sequence[tuple[str, str]], wanted: Sequence[Claim]) -> list[dict[str, object]]:
    """Verdicts of many projects from one pySHACL pass over the whole graph (kept for measurement)."""
    import rdflib

    triples: list[ox.Triple] = []
    for iri, _ in projects:
        triples.extend(closure_triples(dataset, iri))
    graph = data_graph(dataset, triples)
    shapes = sorted({s for c in wanted for s in claim_shapes(c)})
    results = run_shacl(graph, shapes)
    owner = _project_of_focus(graph)
    by_project: dict[str, list[Result]] = {}
    for r in results:
        by_project.setdefault(owner.get(r.focus, ""), []).append(r)
    types = _claim_types_of(graph)
    out = []
    for iri, label in projects:
        if graph.value(rdflib.URIRef(iri), rdflib.URIRef(OO + "currentRelease")) is None:
            out.extend(_no_focus(iri, label, c) for c in wanted)
            continue
        grouped = _split(by_project.get(iri, []), wanted, types)
        out.extend(verdict(iri, label, c, grouped[c.id]) for c in wanted)
    return out


def _progress(total: int, enabled: bool):
    """A rich progress bar on stderr (so JSON on stdout stays clean), or a no-op."""
    from contextlib import nullcontext

    if not enabled:
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("validating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=True)


def compute(dataset, project_iris: Sequence[str] | None = None, claim_ids: Sequence[str] | None = None,
            progress: bool = False, mode: str = "per-project",
            on_verdict: Callable[[dict[str, object]], None] | None = None) -> list[dict[str, object]]:
    """The verdict matrix: one dict per (project, claim), projects in id order then claims in id order.

    `project_iris` None means every project in the graph; `claim_ids` None means every claim.
    `mode` "per-project" (the default) validates each project over its closure; "one-pass" runs one
    pySHACL pass over the union of the closures (level with it on measurement, kept for benchmarks). Computed once, reused by the report
    and the site: callers keep the list rather than recomputing per page.
    """
    from .projects import list_projects
    from .query import LocalBackend

    refs = list_projects(LocalBackend(dataset))
    labels = {p.iri: p.label for p in refs}
    if project_iris is None:
        selected = [(p.iri, p.label) for p in refs]
    else:
        unknown = [i for i in project_iris if i not in labels]
        if unknown:
            raise OpennessError(f"not a project in the graph: {', '.join(unknown)}")
        selected = [(i, labels[i]) for i in project_iris]
    wanted = [resolve_claim(c) for c in claim_ids] if claim_ids is not None else list(claims().values())
    if mode == "one-pass":
        if progress:
            from rich.console import Console

            with Console(stderr=True).status(f"validating {len(selected)} projects in one pass"):
                verdicts = validate_one_pass(dataset, selected, wanted)
        else:
            verdicts = validate_one_pass(dataset, selected, wanted)
        for v in verdicts:
            if on_verdict:
                on_verdict(v)
        return verdicts
    out: list[dict[str, object]] = []
    with _progress(len(selected), progress and len(selected) > 1) as bar:
        task = bar.add_task("validate", total=len(selected)) if bar is not None else None
        for iri, label in selected:
            for v in validate_project(dataset, iri, label, wanted):
                out.append(v)
                if on_verdict:
                    on_verdict(v)
            if bar is not None:
                bar.advance(task)
    return out


def timed(func, *args, **kwargs) -> tuple[float, object]:
    """(seconds, result) of one call; used by the measurement notes and tests."""
    start = time.perf_counter()
    value = func(*args, **kwargs)
    return time.perf_counter() - start, value


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty() and not os.environ.get("OPENNESS_NO_PROGRESS")

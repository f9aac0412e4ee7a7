"""Verdicts: every (project, claim) pair checked once, as plain dicts the CLI, the report and the site share.

`compute(dataset, project_iris=None, claim_ids=None)` is the one entry point; its verdict dict is a
stable interface (the JSON Schema is verdict.schema.json, shipped with the package):

    {"project": IRI, "label": str, "claim": claim id,
     "verdict": "holds" | "does-not-hold" | "undetermined", "conforms": bool (true only for "holds"),
     "summary": {"not_met": n, "unknown": n, "warnings": n}, "interpretations": [text],
     "results": [{"outcome": "refutes"|"unknown"|"warning"|"info", "rule": str|None, "message": str,
                  "requirement": str|None, "fact": {"subject", "property", "value"}, "evidence": [{"source",
                  "checked_on"}], "elsewhere": [...] (only when another record states the fact),
                  "severity": "Violation"|"Unknown"|"Warning"|"Info", "focus", "path", "value", "shape"}]}

A claim does not hold when a result refutes it (severity sh:Violation), is undetermined when none
refutes it but one is unknown (severity oo:Unknown: a deciding fact is not stated), and holds otherwise;
warnings and infos never change it. "not_met" counts the conditions (rules) refuted, "unknown" the
conditions left unknown. Results about a recorded claim (open-washing, rules OW1-OW6) have the claim
node as their focus.

How a catalogue is validated. Measured on the bundled data (2 cores, all 13 claims):
  pySHACL 0.40.1 over each project's closure:        58 projects 240 s (one pass over all: 249 s)
  Oxigraph (shacl_sparql) over the whole store:      58 projects 71 s (constraints scan every catalogue licence)
  Oxigraph (shacl_sparql) over each project closure: 58 projects 10-12 s  <- the default
pySHACL parses each SPARQL constraint again for every focus node; so the default engine runs the same
SHACL-SPARQL shapes on a small Oxigraph store per project (its closure plus the ontology), and
pySHACL remains the reference (`engine="pyshacl"`): tests/test_shacl_engines.py checks both give
identical results. A map over cores was not needed at this speed.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence

import pyoxigraph as ox

from ..errors import OpennessError
from . import shacl_sparql
from .catalogue import OO, OPEN_WASHING_SHAPE, Claim, claim_shapes, claims, resolve_claim
from .results import Result
from .closure import closure_triples, data_graph
from .pyshacl_engine import run_shacl
from .evidence import Evidence
from .report import judged_releases
from .results import OUTCOME

ENGINES = ("oxigraph", "pyshacl")
FOCUS_QUERY = """
PREFIX oo: <https://w3id.org/openness/ontology#>
SELECT ?project ?focus ?claimType WHERE {
  { ?project oo:currentRelease ?focus . }
  UNION { ?focus oo:claimAbout ?project . ?focus oo:claimType ?claimType . }
  UNION { ?project oo:hasRelease ?r . ?focus oo:claimAbout ?r . ?focus oo:claimType ?claimType . }
}"""


class NativeRun:
    """Validation on Oxigraph (shacl_sparql), one small store per project: the project's closure plus
    the ontology. On the whole bundled graph the same SPARQL constraints scanned every licence triple
    of every catalogue record (1.2 s per project); over a closure each query touches a few hundred
    triples."""

    def __init__(self, dataset, wanted: Sequence[Claim], projects: Sequence[str] | None = None) -> None:
        from ..graph.dataset import GRAPH_BASE

        self.dataset = dataset
        self.evidence = Evidence(dataset)
        self.judged = judged_releases(dataset, projects)
        self.shapes = sorted({s for c in wanted for s in claim_shapes(c)})
        ontology = ox.NamedNode(GRAPH_BASE + "ontology")
        self.ontology = [q.triple for q in dataset.store.quads_for_pattern(None, None, None, ontology)]

    def project(self, project_iri: str, label: str, wanted: Sequence[Claim],
                release: str | None = None) -> list[dict[str, object]]:
        from ..graph.dataset import Dataset

        store = ox.Store()
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in self.ontology)
        # The closure by index lookups (batch.Closures: the same triples as closure_triples, 1 s faster).
        from .batch import Closures

        store.extend(ox.Quad(t.subject, t.predicate, t.object)
                     for t in _as_current(Closures(self.dataset).triples(project_iri), project_iri, release))
        closure = Dataset(store, [])
        _, rows = closure.select(FOCUS_QUERY)
        if not any(claim_type is None for _, _, claim_type in rows):
            return [_no_focus(project_iri, label, c) for c in wanted]
        current = next(focus.value for _, focus, t in rows if t is None)
        # Open-washing results count only for recorded claims judged against this release.
        claim_type_of = {focus.value: t.value for _, focus, t in rows
                         if t is not None and self.judged.get(focus.value, current) == current}
        grouped = _split(shacl_sparql.run(closure, self.shapes), wanted, claim_type_of)
        return [verdict(project_iri, label, c, grouped[c.id], self.evidence) for c in wanted]


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


def verdict(project_iri: str, label: str, claim: Claim, results: Iterable[Result],
            evidence: Evidence | None = None) -> dict[str, object]:
    """One verdict dict (the stable shape documented above)."""
    seen, rows = set(), []
    for r in sorted(results, key=Result.sort_key):
        base = r.as_dict()
        key = tuple(base.values())
        if key in seen:
            continue
        seen.add(key)
        fact = evidence.fact(r) if evidence is not None else {"subject": r.subject or r.focus, "property": r.path,
                                                              "value": r.value}
        row: dict[str, object] = {"outcome": OUTCOME.get(r.severity, "info"), "rule": r.rule, "message": r.message,
                                  "requirement": r.requirement, "fact": fact,
                                  "evidence": evidence.sources(str(fact["subject"])) if evidence is not None else []}
        if evidence is not None and row["outcome"] in ("refutes", "unknown"):
            elsewhere = evidence.elsewhere(project_iri, fact)
            if elsewhere:
                row["elsewhere"] = elsewhere
        row.update(base)
        rows.append(row)
    # Conditions (rule ids) refuted and left unknown; open-washing results explain a refutation and are
    # not conditions of their own.
    refuting = [r for r in rows if r["outcome"] == "refutes"]
    not_met = {r["rule"] or r["message"] for r in refuting if r["shape"] != OPEN_WASHING_SHAPE}
    unknown = {r["rule"] or r["message"] for r in rows if r["outcome"] == "unknown"} - not_met
    outcome = "does-not-hold" if refuting else "undetermined" if unknown else "holds"
    return {"project": project_iri, "label": label, "claim": claim.id, "verdict": outcome,
            "conforms": outcome == "holds",
            "summary": {"not_met": len(not_met), "unknown": len(unknown),
                        "warnings": sum(1 for r in rows if r["outcome"] == "warning")},
            "interpretations": list(claim.interpretations), "results": rows}


def _split(results: list[Result], wanted: Sequence[Claim], claim_type_of: dict[str, str]) -> dict[str, list[Result]]:
    """Results of one validation run, grouped by the claim each belongs to."""
    out: dict[str, list[Result]] = {c.id: [] for c in wanted}
    for claim in wanted:
        own = {claim.shape, *([claim.unknowns] if claim.unknowns else []), *claim.findings}
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


def _as_current(triples: list[ox.Triple], project_iri: str, release: str | None) -> list[ox.Triple]:
    """The closure with `release` as the project's current release (to judge a recorded claim against the
    release current at its date); unchanged when `release` is None."""
    if release is None:
        return triples
    current = ox.NamedNode(OO + "currentRelease")
    project = ox.NamedNode(project_iri)
    kept = [t for t in triples if not (t.subject == project and t.predicate == current)]
    return [*kept, ox.Triple(project, current, ox.NamedNode(release))]


def verdict_for_release(dataset, project_iri: str, release_iri: str, claim_id: str,
                        engine: str = "oxigraph") -> dict[str, object]:
    """The verdict of one claim for a release of the project that need not be its current one."""
    from ..graph.projects import list_projects
    from ..graph.query import LocalBackend

    labels = {p.iri: p.label for p in list_projects(LocalBackend(dataset))}
    claim = resolve_claim(claim_id)
    label = labels.get(project_iri, project_iri)
    if engine == "oxigraph" and shacl_sparql.supports(claim_shapes(claim)):
        return NativeRun(dataset, [claim]).project(project_iri, label, [claim], release_iri)[0]
    return validate_project(dataset, project_iri, label, [claim], release_iri)[0]


def validate_project(dataset, project_iri: str, label: str, wanted: Sequence[Claim],
                     release: str | None = None) -> list[dict[str, object]]:
    """Verdicts of one project for the wanted claims, over the project's closure (one pySHACL run)."""
    import rdflib

    graph = data_graph(dataset, _as_current(closure_triples(dataset, project_iri), project_iri, release))
    if graph.value(rdflib.URIRef(project_iri), rdflib.URIRef(OO + "currentRelease")) is None:
        return [_no_focus(project_iri, label, c) for c in wanted]
    shapes = sorted({s for c in wanted for s in claim_shapes(c)})
    current = str(graph.value(rdflib.URIRef(project_iri), rdflib.URIRef(OO + "currentRelease")))
    judged = judged_releases(dataset)
    claim_type_of = {c: t for c, t in _claim_types_of(graph).items() if judged.get(c, current) == current}
    grouped = _split(run_shacl(graph, shapes), wanted, claim_type_of)
    evidence = Evidence(dataset)
    return [verdict(project_iri, label, c, grouped[c.id], evidence) for c in wanted]


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
        out.extend(verdict(iri, label, c, grouped[c.id], Evidence(dataset)) for c in wanted)
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
            progress: bool = False, mode: str = "per-project", engine: str = "oxigraph",
            on_verdict: Callable[[dict[str, object]], None] | None = None, keep: bool = True) -> list[dict[str, object]]:
    """The verdict matrix: one dict per (project, claim), projects in id order then claims in id order.

    `project_iris` None means every project in the graph; `claim_ids` None means every claim.
    `engine` "oxigraph" (the default) runs the SHACL-SPARQL shapes on the store (shacl_sparql.py);
    "pyshacl" is the reference: each project over its closure (`mode` "per-project"), or one pySHACL
    pass over the union of the closures (`mode` "one-pass"). Computed once, reused by the report and
    the site: callers keep the list rather than recomputing per page. With `keep` false the verdicts
    only go to `on_verdict` and the list returned is empty (a catalogue too large to hold in memory).
    """
    from ..graph.projects import list_projects
    from ..graph.query import LocalBackend

    try:  # named projects are looked up one by one; only "every project" lists the catalogue
        refs = list_projects(LocalBackend(dataset), None if project_iris is None else list(project_iris))
    except ValueError:
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
    if engine not in ENGINES:
        raise OpennessError(f"unknown validation engine {engine!r}: expected one of {', '.join(ENGINES)}")
    if engine == "oxigraph" and shacl_sparql.supports(sorted({s for c in wanted for s in claim_shapes(c)})):
        if len(selected) > 1:
            # Many projects: each constraint once per chunk of projects, on both cores (batch.py).
            from . import batch

            with _progress(len(selected), progress) as bar:
                task = bar.add_task("validate", total=len(selected)) if bar is not None else None
                return batch.validate(dataset, selected, wanted, on_verdict=on_verdict, keep=keep,
                                      on_chunk=(lambda n: bar.advance(task, n)) if bar is not None else None)
        run = NativeRun(dataset, wanted, [iri for iri, _ in selected])
        return _per_project(selected, lambda iri, label: run.project(iri, label, wanted), progress, on_verdict, keep)
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
    return _per_project(selected, lambda iri, label: validate_project(dataset, iri, label, wanted), progress,
                        on_verdict, keep)


def _per_project(selected, validate_one, progress, on_verdict, keep: bool = True) -> list[dict[str, object]]:
    """Validate project by project (a progress bar on stderr), handing each verdict on as it comes."""
    out: list[dict[str, object]] = []
    with _progress(len(selected), progress and len(selected) > 1) as bar:
        task = bar.add_task("validate", total=len(selected)) if bar is not None else None
        for iri, label in selected:
            for v in validate_one(iri, label):
                if keep:
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

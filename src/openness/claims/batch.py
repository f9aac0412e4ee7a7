"""Catalogue validation: every claim for every project, each constraint run once per chunk of projects.

The flow (verdicts.compute dispatches here whenever more than one project is validated):
1. chunks of CHUNK projects; each chunk is one small Oxigraph store holding the ontology and the
   closures of its projects (Closures: the triples closure.closure_triples gives, with the derived
   current release of a project that has a single release, read by index lookups);
2. the jobs: each distinct (constraint, targets) of the wanted shapes, run ONCE per chunk with $this
   joined with the targets (setbased.set_based_query); a constraint shared by several claim shapes
   (OSAID's conditions serve three claims) is one job; one that is not join-safe runs per focus node;
3. chunks go to worker processes forked after the load (both cores; they share the loaded store
   copy-on-write, and read an on-disk store through the inherited handle only for lookups);
4. results are grouped by the project whose closure holds their focus node (its current release, or a
   claim recorded about it or one of its releases) and made into verdicts by verdicts.verdict.

Why chunks and not one query over the whole store: the shapes' top-level patterns are planned without
knowing that $this ranges over the targets, and on the whole store several constraints still cost far
more than their answer (all 72 on a 1,000-project --store: 504 s; SeedLicenceGranted alone 162 s).
Inside EXISTS, Oxigraph evaluated every joined pattern in full for each outer solution, which made a
constraint cost focus nodes x store (EuPublic on the whole bundled graph: 248 s); lateral.py chains
those patterns as lookups, so each constraint now costs about the same per project whatever the chunk
size, and larger chunks only save the per-query and per-store overhead.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence

import pyoxigraph as ox

from ..graph.dataset import GRAPH_BASE
from . import setbased, shacl_sparql
from .catalogue import OO, Claim, claim_shapes
from .lateral import exists_as_lateral

VERDICTS_PREFIX = GRAPH_BASE + "verdicts/"
# Projects per small store. With EXISTS chained by LATERAL (lateral.py), measured on 200 synthetic projects,
# all 13 claims, one process (CPU seconds): 5 per store 8.7 s, 25: 6.8 s, 100: 7.3 s. Before, each
# constraint's cost grew with chunk x store (5: 11.9 s, 25: 15.2 s).
CHUNK = 25

# Which focus nodes belong to which project's closure (closure.CLOSURE_QUERY / verdicts.FOCUS_QUERY):
# its current releases (with the derived ones), and the claims recorded about it or its releases.
_CURRENT = """
PREFIX oo: <https://w3id.org/openness/ontology#>
SELECT ?project ?focus WHERE { ?project oo:currentRelease ?focus }"""
_CLAIMS = """
PREFIX oo: <https://w3id.org/openness/ontology#>
SELECT ?project ?focus ?claimType WHERE {
  { ?focus oo:claimAbout ?project . }
  UNION { ?project oo:hasRelease|oo:currentRelease ?r . ?focus oo:claimAbout ?r . }
  OPTIONAL { ?focus oo:claimType ?claimType }
}"""


def select(store: ox.Store, text: str, substitutions=None, prefixes=None):
    """A SELECT on a chunk store (its default graph): variable names and rows of terms."""
    result = store.query(text, substitutions=substitutions or None, prefixes=prefixes or None)
    names = [v.value for v in result.variables]
    return names, [[solution[n] for n in names] for solution in result]


def _jobs(shape_iris: Sequence[str]) -> list[tuple[str, tuple, tuple[str, ...], str | None]]:
    """(constraint node, targets, shapes using it, set-based query or None for per-focus)."""
    grouped: dict[tuple[str, tuple], list[str]] = {}
    for iri in shape_iris:
        shape = shacl_sparql._compiled(iri)
        for c in shape.constraints:
            grouped.setdefault((c.node, shape.targets), []).append(iri)
    out = []
    for (node, targets), shapes in sorted(grouped.items()):
        shape = shacl_sparql._compiled(shapes[0])
        constraint = next(c for c in shape.constraints if c.node == node)
        out.append((node, targets, tuple(shapes), setbased.set_based_query(shape, constraint)))
    return out


# Worker state, set before the fork: the dataset, the ontology triples, the jobs and the claims.
_STATE: dict[str, object] = {}


_N = {name: ox.NamedNode(iri) for name, iri in {
    "hasRelease": OO + "hasRelease", "currentRelease": OO + "currentRelease", "hasComponent": OO + "hasComponent",
    "owner": OO + "owner", "claimAbout": OO + "claimAbout", "claimedBy": OO + "claimedBy",
    "license": "http://purl.org/dc/terms/license", "constraint": "http://www.w3.org/ns/odrl/2/constraint",
    "permission": "http://www.w3.org/ns/odrl/2/permission", "duty": "http://www.w3.org/ns/odrl/2/duty",
    "prohibition": "http://www.w3.org/ns/odrl/2/prohibition"}.items()}


class Closures:
    """closure.closure_triples for many projects, read with index lookups instead of one SPARQL query
    per project (which cost about 1 s per project on the bundled graph: its property-path UNION is
    planned over the whole store). The same triples, from the same graphs: tests/test_setbased.py."""

    def __init__(self, dataset) -> None:
        self.store: ox.Store = dataset.store
        self.graphs = {g for g in dataset.graphs() if not g.value.startswith(VERDICTS_PREFIX)}
        self._licences: dict[ox.NamedNode, list[ox.Triple]] = {}

    def _subjects(self, predicate, obj) -> list:
        return list(dict.fromkeys(q.subject for q in self.store.quads_for_pattern(None, predicate, obj)
                                  if q.graph_name in self.graphs))

    def _about(self, subject, seen: set, out: list) -> None:
        if subject in seen:
            return
        seen.add(subject)
        out.extend(self._of(subject))

    def _of(self, subject) -> list[ox.Triple]:
        """Every triple about `subject`, in one index lookup (its objects are then read from these)."""
        return [q.triple for q in self.store.quads_for_pattern(subject, None, None) if q.graph_name in self.graphs]

    @staticmethod
    def _values(triples: list[ox.Triple], predicate) -> list:
        return list(dict.fromkeys(t.object for t in triples if t.predicate == predicate))

    def _add(self, subject, seen: set, out: list) -> list[ox.Triple]:
        """The triples about `subject`, added to `out` unless it is already in `seen`."""
        found = self._of(subject)
        if subject not in seen:
            seen.add(subject)
            out.extend(found)
        return found

    def _licence(self, licence) -> list[ox.Triple]:
        """A licence with its rules and their constraints, read once per process: licences are shared
        across the catalogue (a 1,000-project closure run read them again for each project: 8 ms a project)."""
        found = self._licences.get(licence)
        if found is None:
            n, seen, found = _N, set(), []
            of_licence = self._add(licence, seen, found)
            for kind in ("permission", "duty", "prohibition"):
                for rule in self._values(of_licence, n[kind]):
                    for c in self._values(self._add(rule, seen, found), n["constraint"]):
                        self._about(c, seen, found)
            self._licences[licence] = found
        return found

    def triples(self, project_iri: str, seen: set | None = None) -> list[ox.Triple]:
        """The project's closure (subjects already in `seen` are skipped: a chunk copies them once)."""
        n, out = _N, []
        seen = set() if seen is None else seen
        project = ox.NamedNode(project_iri)
        about = self._of(project)
        out.extend(about)
        current = self._values(about, n["currentRelease"])
        has = self._values(about, n["hasRelease"])
        releases = list(dict.fromkeys(has + current))
        licences = []
        for r in releases:
            of_release = self._add(r, seen, out)
            licences += self._values(of_release, n["license"])
            for c in self._values(of_release, n["hasComponent"]):
                licences += self._values(self._add(c, seen, out), n["license"])
        for lic in dict.fromkeys(licences):
            if lic in seen:
                continue
            seen.add(lic)
            out.extend(self._licence(lic))
        for owner in self._values(about, n["owner"]):
            self._about(owner, seen, out)
        claims_direct = self._subjects(n["claimAbout"], project)
        claims_has = [c for r in has for c in self._subjects(n["claimAbout"], r)]
        of_claim = {c: self._add(c, seen, out)
                    for c in dict.fromkeys(claims_direct + [c for r in releases for c in self._subjects(n["claimAbout"], r)])}
        for c in dict.fromkeys(claims_direct + claims_has):  # has is part of releases: of_claim holds them
            for by in self._values(of_claim[c], n["claimedBy"]):
                self._about(by, seen, out)
        if not current and len(has) == 1:
            out.append(ox.Triple(project, n["currentRelease"], has[0]))
        return out


def chunk_store(ontology: Sequence[ox.Triple], closures: Closures, projects: Sequence[str]) -> ox.Store:
    """One small store: the ontology plus the closures of the given projects (each with the derived
    current release of a project that has a single release, as closure.closure_triples states it)."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ontology)
    seen: set = set()
    for iri in projects:
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in closures.triples(iri, seen))
    return store


def run_job(store: ox.Store, job) -> list[tuple[str, str | None, str | None, str]]:
    """One constraint over all its focus nodes in `store`: (focus, path, value, message) per solution."""
    node, targets, shapes, query = job
    shape = shacl_sparql._compiled(shapes[0])
    constraint = next(c for c in shape.constraints if c.node == node)
    prefixes = dict(constraint.prefixes)
    rows: list[tuple[str, list[str], list]] = []
    if query is not None:
        names, found = select(store, query, setbased.target_bindings(targets), prefixes)
        at = names.index("this")
        rows = [(r[at].value, names, r) for r in found if isinstance(r[at], ox.NamedNode)]
    else:
        text = exists_as_lateral(setbased.sequence_paths_as_joins(constraint.select))
        for f in sorted(_focus_nodes(store, targets)):
            names, found = select(store, text, {ox.Variable("this"): ox.NamedNode(f)}, prefixes)
            rows.extend((f, names, r) for r in found)
    out = []
    for focus, names, row in rows:
        cells = dict(zip(names, row))
        value, path = cells.get("value"), cells.get("path")
        # Every message, filled (a constraint may also name its deciding fact's subject): as shacl_sparql.run.
        message = "\n".join(shacl_sparql._fill(m, names, row) for m in constraint.messages) if constraint.messages else (
            f"Constraint {constraint.node} is not met")
        out.append((focus, path.value if isinstance(path, ox.NamedNode) else None,
                    focus if value is None else value.value, message))
    return out


def _focus_nodes(store, targets) -> set[str]:
    out: set[str] = set()
    for kind, target in targets:
        if kind == "targetNode":
            out.add(target)
            continue
        _, rows = select(store, shacl_sparql._TARGET_QUERIES[kind], {ox.Variable("t"): ox.NamedNode(target)})
        out.update(r[0].value for r in rows if isinstance(r[0], ox.NamedNode))
    return out


def validate_chunk(selected: Sequence[tuple[str, str]]) -> list[dict[str, object]]:
    """The verdicts of a few projects: their closures in one small store, each constraint run once."""
    from .results import Result, make_result
    from .verdicts import _no_focus, _split, verdict

    closures, ontology, jobs, wanted = _STATE["closures"], _STATE["ontology"], _STATE["jobs"], _STATE["wanted"]
    store = chunk_store(ontology, closures, [iri for iri, _ in selected])
    _, current = select(store, _CURRENT)
    _, recorded = select(store, _CLAIMS)
    owners: dict[str, set[str]] = {}
    has_release: set[str] = set()
    claim_type_of: dict[str, str] = {}
    current_of: dict[str, str] = {}
    for project, focus in current:
        if isinstance(project, ox.NamedNode) and isinstance(focus, ox.NamedNode):
            owners.setdefault(focus.value, set()).add(project.value)
            has_release.add(project.value)
            current_of.setdefault(project.value, focus.value)
    judged = _STATE["judged"]
    for project, focus, claim_type in recorded:
        if isinstance(project, ox.NamedNode) and isinstance(focus, ox.NamedNode):
            owners.setdefault(focus.value, set()).add(project.value)
            claim_type_of[focus.value] = claim_type.value if claim_type is not None else ""
    wanted_projects = {iri for iri, _ in selected}
    by_project: dict[str, list[Result]] = {}
    for job in jobs:
        rows = run_job(store, job)
        node, _, shape_iris, _ = job
        for shape_iri in shape_iris:
            severity = shacl_sparql._compiled(shape_iri).severity
            for focus, path, value, message in rows:
                for project in owners.get(focus, ()):
                    if project in wanted_projects:
                        by_project.setdefault(project, []).append(
                            make_result(severity, focus, path, value, message, shape_iri, node))
    out: list[dict[str, object]] = []
    evidence = _STATE["evidence"]
    for iri, label in selected:
        if iri not in has_release:
            out.extend(_no_focus(iri, label, c) for c in wanted)
            continue
        now = current_of[iri]
        # Open-washing results count only for recorded claims judged against this release (NativeRun).
        types = {c: t for c, t in claim_type_of.items() if t and iri in owners.get(c, ()) and judged.get(c, now) == now}
        grouped = _split(by_project.get(iri, []), wanted, types)
        out.extend(verdict(iri, label, c, grouped[c.id], evidence) for c in wanted)
    return out


def validate(dataset, selected: Sequence[tuple[str, str]], wanted: Sequence[Claim], workers: int | None = None,
             chunk: int = CHUNK, on_verdict: Callable[[dict[str, object]], None] | None = None,
             on_chunk: Callable[[int], None] | None = None, keep: bool = True) -> list[dict[str, object]]:
    """The verdicts of the selected (project IRI, label) pairs for the wanted claims, in `selected`
    order then claim order, chunk by chunk on `workers` forked processes (default: every core, at most 2).
    Each chunk's verdicts go to `on_verdict` as the chunk is done; with `keep` false they are not also
    collected (the list returned is empty), so memory stays that of a few chunks."""
    shapes = sorted({s for c in wanted for s in claim_shapes(c)})
    if not shacl_sparql.supports(shapes):
        raise NotImplementedError("a shape needs pySHACL")
    ontology = ox.NamedNode(GRAPH_BASE + "ontology")
    from .results import _constraint_info

    jobs = _jobs(shapes)
    for node, _, shape_iris, _ in jobs:  # warm the caches the forked workers inherit
        _constraint_info(node)
        for s in shape_iris:
            _constraint_info(s)
    from .evidence import Evidence
    from .report import judged_releases

    _STATE.update(evidence=Evidence(dataset), judged=judged_releases(dataset))
    _STATE.update(closures=Closures(dataset), jobs=jobs, wanted=list(wanted),
                  ontology=[q.triple for q in dataset.store.quads_for_pattern(None, None, None, ontology)])
    chunks = [list(selected[i:i + chunk]) for i in range(0, len(selected), chunk)]
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    out: list[dict[str, object]] = []

    def take(made: list[dict[str, object]]) -> None:
        for v in made:
            if keep:
                out.append(v)
            if on_verdict:
                on_verdict(v)
        if on_chunk:
            on_chunk(len(made) // max(1, len(wanted)))

    if workers <= 1 or len(chunks) < 2:
        for part in chunks:
            take(validate_chunk(part))
        return out
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        for made in pool.imap(validate_chunk, chunks):
            take(made)
    return out

"""`openness publish`: the graph as a static linked-data site.

For every resource under the instance base an HTML page beside its Turtle, JSON-LD, N-Triples and
RDF/XML documents (id/<kind>/<slug>.<ext>); the ontology's terms on one page with an anchor each;
index pages (projects with claim verdicts, licences, a side-by-side comparison); void.ttl (VoID +
DCAT); full dumps; the JSON-LD context. Everything is written into a temporary folder beside OUT
and moved into place at the end, so a failed run leaves the previous site as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..graph.dataset import Dataset
from ..errors import OpennessError
from ..graph.iris import DEFAULT_BASE
from .documents import (DUMPS, RDF_MEDIA, GraphView, gzip_bytes, jsonld_context, prefixes_for, rebase,
                        serialize, void_triples)
from ..claims.service import compute_verdicts
from .pages import Linker, Pages, environment, static_files

MARKER = ".openness-site"
# In a build folder while `publish` writes it: who writes it (host, process), so a later run can tell
# a killed run's leftovers (removed once STALE_AFTER seconds old) from a run still going on.
BUILDING = ".openness-publish-building"
STALE_AFTER = 300
_MARKER_TEXT = "Built by `openness publish`; this folder is replaced as a whole on the next run.\n"


@dataclass
class Report:
    """What a publish run wrote."""

    out: Path
    resources: int = 0
    files: int = 0
    verdicts: int = 0
    notes: list[str] = field(default_factory=list)


def _check_out(out: Path, force: bool = False) -> None:
    if out.is_symlink():
        raise OpennessError(f"{out}: is a symbolic link; give the site folder itself")
    if out.exists() and not out.is_dir():
        raise OpennessError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OpennessError(f"{out}: a folder that is not an Openness site; publish into a new or empty folder")
    added = added_files(out)
    if added and not force:
        shown = ", ".join(added[:5]) + (f" and {len(added) - 5} more" if len(added) > 5 else "")
        raise OpennessError(f"{out}: holds files publish did not write ({shown}); publishing replaces the whole "
                            "folder: move them elsewhere, or give --force to delete them")


def _site_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if (p.is_file() or p.is_symlink()) and p.name != MARKER)


def added_files(out: Path) -> list[str]:
    """Files in a published site that its last build did not write (the marker lists what it wrote).

    A site built before the marker listed its files has no list: nothing can be told apart there."""
    marker = out / MARKER
    if not out.is_dir() or not marker.is_file():
        return []
    lines = marker.read_text(encoding="utf-8", errors="replace").splitlines()
    if "files:" not in lines:
        return []
    written = set(lines[lines.index("files:") + 1:])
    return [f for f in _site_files(out) if f not in written]


def clean_stale_builds(out: Path, now: float | None = None) -> list[Path]:
    """Remove what killed runs of `publish` left beside `out` (.OUT.*.tmp, .OUT.*.old folders).

    Only folders carrying publish's own marker, older than STALE_AFTER seconds, and not being written
    by a live process on this host are removed."""
    now = time.time() if now is None else now
    removed = []
    if not out.parent.is_dir():
        return removed
    for folder in sorted(out.parent.glob(f".{out.name}.*")):
        if folder.is_symlink() or not folder.is_dir() or folder.suffix not in (".tmp", ".old"):
            continue
        building, marker = folder / BUILDING, folder / MARKER
        if not (building.is_file() or marker.is_file()):
            continue
        try:
            age = now - max(folder.stat().st_mtime, (building if building.is_file() else marker).stat().st_mtime)
        except OSError:
            continue
        if age < STALE_AFTER or _still_building(building):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _still_building(building: Path) -> bool:
    try:
        host, pid = building.read_text(encoding="utf-8").split()[:2]
        if host != socket.gethostname():
            return False
        os.kill(int(pid), 0)
    except (OSError, ValueError):
        return False
    return True


def _rebase_iri(value: object, base: str) -> object:
    if isinstance(value, str) and value.startswith(DEFAULT_BASE):
        return base + value[len(DEFAULT_BASE):]
    return value


def publish(out: Path | str, data: Iterable[Path | str] = (), base: str = DEFAULT_BASE, *,
            dataset: Dataset | None = None, with_verdicts: bool = True,
            progress: Callable[[int, int], None] | None = None, force: bool = False) -> Report:
    """Build the static site into `out` (replacing a previous site there only once all is written).

    A previous site holding files this command did not write is refused unless `force`; what killed
    runs left beside `out` is cleaned up first (clean_stale_builds)."""
    from ..graph.query import rows_as_dicts
    from ..graph.projects import list_projects
    from ..graph.query import LocalBackend, run_local, saved_queries

    out = Path(out)
    if not base.startswith(("http://", "https://")) or not base.endswith("/"):
        raise OpennessError(f"bad --base-iri {base!r}: expected an http(s) IRI ending with '/'")
    _check_out(out, force)
    stale = clean_stale_builds(out)
    dataset = dataset or Dataset.load(data)
    verdicts, note = compute_verdicts(dataset) if with_verdicts else ([], "Claim verdicts were not computed for this build.")
    if base != DEFAULT_BASE:
        dataset = Dataset(rebase(dataset.store, dataset.graphs(), base), dataset.sources)
        verdicts = [{**v, "project": _rebase_iri(v.get("project"), base)} for v in verdicts]
    view = GraphView(dataset.store, dataset.graphs(), base)
    pages = Pages(view, verdicts, note)
    report = Report(out, verdicts=len(verdicts), notes=[note] if note else [])
    if stale:
        report.notes.append(f"removed {len(stale)} folder(s) left by an interrupted run: "
                            + ", ".join(p.name for p in stale))

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        (tmp / BUILDING).write_text(f"{socket.gethostname()} {os.getpid()}\n", encoding="utf-8")
        def write(rel: str, content: bytes | str) -> None:
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
            report.files += 1

        top = Linker("", ".html", base)
        instances = [i for i in view.instances() if top.path_of(i.value)]
        total = len(instances) + 1
        counts = _write_resources(instances, view, pages, base, write, report, progress, total)
        report.resources = len(instances)

        ontology = view.describe_ontology()
        write("ontology.html", pages.ontology(top))
        for media, (ext, _) in RDF_MEDIA.items():
            write(f"ontology.{ext}", serialize(ontology, media, base))

        projects = [{**p.as_dict()} for p in list_projects(LocalBackend(dataset))]
        licences = rows_as_dicts(run_local(dataset, saved_queries()["licences"].text))
        write("index.html", pages.index(top, counts))
        write("catalogue.html", pages.catalogue(top, counts))
        write("projects.html", pages.projects(top, projects))
        write("licences.html", pages.licences(top, licences))
        write("compare.html", pages.compare(top))
        write("compare.json", pages.compare_json(top))
        write("methodology.html", pages.methodology(top))
        write("figure-2.html", pages.figure2(top))
        for rel, content in static_files().items():
            write(rel, content)

        sources = [(s.name, s.graph) for s in dataset.sources]
        write("void.ttl", ox.serialize(void_triples(view, sources), format=ox.RdfFormat.TURTLE,
                                       prefixes=prefixes_for(base)) or b"")
        everything = view.all_triples()
        dumps = {"dumps/openness.ttl": ox.serialize(everything, format=ox.RdfFormat.TURTLE, prefixes=prefixes_for(base)),
                 "dumps/openness.nt.gz": gzip_bytes(ox.serialize(everything, format=ox.RdfFormat.N_TRIPLES) or b"")}
        assert set(dumps) == set(DUMPS)
        for rel, content in dumps.items():
            write(rel, content or b"")
        write("context.jsonld", json.dumps(jsonld_context(base), indent=2, sort_keys=True) + "\n")
        (tmp / BUILDING).unlink()
        listed = "\n".join(_site_files(tmp))
        write(MARKER, f"{_MARKER_TEXT}files:\n{listed}\n")
        if progress:
            progress(total, total)
        _check_out(out, force)   # nothing was added to the old site while this one was built
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report


def _resource_files(instances, view: GraphView, pages: Pages, base: str, write,
                    progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Each resource's page and RDF documents; the number of resources of each kind."""
    top = Linker("", ".html", base)
    counts: dict[str, int] = {}
    for number, iri in enumerate(instances, start=1):
        path = top.path_of(iri.value)
        linker = Linker("../" * path.count("/"), ".html", base)
        triples = view.describe(iri)
        write(path + ".html", pages.resource(iri.value, linker))
        for media, (ext, _) in RDF_MEDIA.items():
            write(f"{path}.{ext}", serialize(triples, media, base))
        kind = path.split("/")[1]
        counts[kind] = counts.get(kind, 0) + 1
        if progress:
            progress(number)
    return counts


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _write_resources(instances, view: GraphView, pages: Pages, base: str, write, report: Report,
                     progress: Callable[[int, int], None] | None, total: int) -> dict[str, int]:
    """The resources' files, on two cores where there are two: a forked child writes every second
    resource (the graph, verdicts and pages are read-only by then) and sends back what it wrote."""
    shown = (lambda done: progress(done, total)) if progress else None
    if len(instances) < 200 or _cores() < 2 or not hasattr(os, "fork"):
        return _resource_files(instances, view, pages, base, write, shown)
    import pickle

    pages.site()  # built once here, not once in each process
    environment().get_template("resource.html")
    mine, theirs = instances[0::2], instances[1::2]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: write its share, report, and leave without running the parent's cleanup
        status = 1
        try:
            os.close(read_end)
            before = report.files
            found = _resource_files(theirs, view, pages, base, write)
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump((found, report.files - before), pipe)
            status = 0
        except BaseException as exc:  # noqa: BLE001 - told to the parent through the exit status and stderr
            try:
                os.write(2, f"openness: publish: {type(exc).__name__}: {exc}\n".encode())
            except OSError:
                pass
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        counts = _resource_files(mine, view, pages, base, write,
                                 (lambda done: shown(min(2 * done, total - 1))) if shown else None)
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
        pid = 0
    except BaseException:
        if pid:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        raise
    if status != 0 or not payload:
        raise OpennessError("publish: the process writing half of the resources failed (its message is above)")
    found, files = pickle.loads(payload)  # noqa: S301 - our own forked child, over its private pipe
    for kind, n in found.items():
        counts[kind] = counts.get(kind, 0) + n
    report.files += files
    return {kind: counts[kind] for kind in sorted(counts)}


def _swap(tmp: Path, out: Path) -> None:
    """Move the new site into place; the old one is removed only after the new one is there."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
        old.rmdir()
        out.rename(old)
    try:
        tmp.rename(out)
    except OSError:
        if old is not None:
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

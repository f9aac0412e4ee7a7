"""`openness bench`: Openness at catalogue sizes against a baseline of rdflib + pySHACL.

For each size N: a synthetic catalogue (bench/generate.py) beside the bundled curated data (the imported
catalogue records left out), then, each phase in a child process whose process tree (workers included)
is sampled for resident memory:
  openness  load into an on-disk --store; every saved query (parameters: two synthetic projects, one
            licence); every claim for every project (set-based, both cores); one project and one claim
            from a cold start (a new `openness validate` process on the store, after the first command
            over the catalogue has checked it: "first_command_s");
  baseline  rdflib parse; the same queries on rdflib's SPARQL engine; pySHACL (the reference) over the
            projects' closures, stopped at the time limit ("baseline": null, the reason in
            "baseline_note").
Measured once on the bundled graph and repeated in each run: `serve`'s first answer and `publish`.
With --push, the largest catalogue is PUT into a stock Oxigraph server (`oxigraph serve`) and the saved
queries run against it over HTTP. Figures are what this machine did; targets are in the README.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from openness.net import free_port

HERE = Path(__file__).resolve().parent
P = "https://w3id.org/openness/id/project/"
LICENCE = "https://w3id.org/openness/id/licence/apache-2-0"
# Queries about one or two projects or one licence: max_per_project_query_ms is their slowest.
SCOPED = ("compare-projects", "licence-terms", "project-assessments", "project-claims", "project-components",
          "project-facts")


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (kB), from /proc."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def child(code: str, *args: str, timeout: float | None = None) -> tuple[dict | None, float, str]:
    """Run Python `code` in a child; (its last JSON line or None on timeout/error, peak tree RSS MB, stderr)."""
    env = {**os.environ, "OPENNESS_NO_PROGRESS": "1"}
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, start_new_session=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        out, err = proc.communicate()
        done.set()
        return _last_json(out), peak[0] / 1024, "timeout"
    done.set()
    sampler.join()
    if proc.returncode != 0:
        return None, peak[0] / 1024, (err.strip().splitlines() or ["failed"])[-1]
    return _last_json(out), peak[0] / 1024, err


def _last_json(out: str) -> dict | None:
    for line in reversed((out or "").strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return None


OPENNESS = r"""
import json, sys, time
import pyoxigraph as ox
from openness.graph.dataset import Dataset
from openness.graph.query import saved_queries, run_local
from openness.claims.verdicts import compute
catalogue, store, scoped = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
P, L = "https://w3id.org/openness/id/project/", "https://w3id.org/openness/id/licence/apache-2-0"
out = {}
t = time.perf_counter(); d = Dataset.load([catalogue], store, include_generated=False); out["load_s"] = time.perf_counter() - t
out["triples"] = sum(1 for g in d.graphs() for _ in d.store.quads_for_pattern(None, None, None, g))
params = {"a": ox.NamedNode(P + "synthetic-00001"), "b": ox.NamedNode(P + "synthetic-00002"),
          "project": ox.NamedNode(P + "synthetic-00001"), "licence": ox.NamedNode(L)}
per = {}
for name, q in saved_queries().items():
    t = time.perf_counter(); run_local(d, q.text, {p.name: params[p.name] for p in q.params}); per[name] = time.perf_counter() - t
out["query_s"] = sum(per.values()); out["per_query_s"] = per
out["max_per_project_query_ms"] = 1000 * max(per[n] for n in scoped)
print(json.dumps(out), flush=True)
count = [0]
def counted(_verdict):
    count[0] += 1
# Verdicts are handed on chunk by chunk and not held (keep=False): at 100,000 projects they would not fit.
t = time.perf_counter(); compute(d, on_verdict=counted, keep=False); out["validate_s"] = time.perf_counter() - t
out["verdicts"] = count[0]
print(json.dumps(out), flush=True)
"""

BASELINE = r"""
import json, sys, time
import rdflib
from openness import resources
from openness.graph.dataset import bundled_sources
from openness.graph.query import saved_queries
catalogue, scoped, limit = sys.argv[1], sys.argv[2].split(","), float(sys.argv[3])
P, L = "https://w3id.org/openness/id/project/", "https://w3id.org/openness/id/licence/apache-2-0"
out = {}
t = time.perf_counter(); g = rdflib.Graph()
for source in bundled_sources(include_generated=False):
    for path in source.files:
        g.parse(path)
g.parse(catalogue, format="turtle"); out["load_s"] = time.perf_counter() - t
params = {"a": rdflib.URIRef(P + "synthetic-00001"), "b": rdflib.URIRef(P + "synthetic-00002"),
          "project": rdflib.URIRef(P + "synthetic-00001"), "licence": rdflib.URIRef(L)}
per, failed = {}, {}
for name, q in saved_queries().items():
    t = time.perf_counter()
    try:
        list(g.query(q.text, initBindings={p.name: params[p.name] for p in q.params}))
        per[name] = time.perf_counter() - t
    except Exception as e:  # an rdflib limitation, e.g. GROUP_CONCAT(DISTINCT) over an unbound value
        failed[name] = f"{type(e).__name__}: {e}"[:160]
out["query_s"] = sum(per.values()); out["per_query_s"] = per; out["query_failed"] = failed
print(json.dumps(out), flush=True)
from openness.graph.dataset import Dataset
from openness.claims.verdicts import compute
from openness.claims import pyshacl_engine
pyshacl_engine.REUSE_PARSED_QUERIES = False  # the baseline is pySHACL as shipped
d = Dataset.load([catalogue], include_generated=False)
t = time.perf_counter(); compute(d, engine="pyshacl", mode="one-pass"); out["validate_s"] = time.perf_counter() - t
print(json.dumps(out), flush=True)
"""

COLD = r"""
import json, subprocess, sys, time
out = {}
# The first command over a new catalogue checks it (terms, licences, integrity shapes) and the store
# remembers that it passed; every later command, in a new process, starts from there.
for key in ("first_command_s", "cold_validate_s"):
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "openness", "validate", "synthetic-00001", "--claim", "osaid-1.0",
                        "--data", sys.argv[1], "--store", sys.argv[2]], capture_output=True)
    assert r.returncode in (0, 1, 3), r.stderr.decode()[-300:]
    out[key] = time.perf_counter() - t
print(json.dumps(out))
"""

PUBLISH = r"""
import json, sys, time
from openness.linked_data.publish import publish
t = time.perf_counter(); publish(sys.argv[1]); print(json.dumps({"publish_s": time.perf_counter() - t}))
"""


def _wait_http(url: str, limit: float, proc: subprocess.Popen | None = None) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if proc is not None and proc.poll() is not None:
            return None
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.1)
    return None


def serve_first_answer(limit: float = 300) -> float | None:
    """Seconds from starting `openness serve` on the bundled graph to its first full answer (home page)."""
    port = free_port()
    env = {**os.environ, "OPENNESS_NO_PROGRESS": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "openness", "serve", "--port", str(port), "--quiet"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        waited = _wait_http(f"http://127.0.0.1:{port}/", limit, proc)
        return None if waited is None else time.perf_counter() - start
    finally:
        os.killpg(proc.pid, 15)
        proc.wait()


def push_and_query(catalogue: Path, work: Path, **options) -> dict[str, object]:
    """Push the catalogue into a stock Oxigraph server and run the saved queries there (bench/push_bench.py)."""
    sys.path.insert(0, str(HERE))
    from push_bench import push_and_query as measure_push  # noqa: PLC0415

    return measure_push(catalogue, work, **options)


def _baseline(entry: dict[str, object], found: dict, catalogue: Path, scoped: str, limit: float,
              failed: str | None, previous: tuple[int, float] | None, log) -> tuple[str | None, tuple[int, float] | None]:
    """Run rdflib + pySHACL on the run's catalogue unless it already failed at a smaller size or would, by
    proportion with the last size it finished, take longer than `limit`; fill entry's baseline, note and
    speed-up (over the saved queries both answered). Returns (why it stopped, (projects, seconds) done)."""
    n = entry["projects"]
    if failed:
        entry["baseline_note"] = f"not run: {failed}"
        return failed, previous
    if previous is not None and previous[1] * n / previous[0] > limit:
        failed = (f"at {previous[0]} projects it took {previous[1]:.0f} s, so {n} projects would take about "
                  f"{previous[1] * n / previous[0]:.0f} s, above the {limit:.0f} s limit")
        entry["baseline_note"] = f"not run: {failed}"
        return failed, previous
    log(f"{n} projects: baseline (rdflib + pySHACL, limit {limit:.0f} s)")
    base, _, err = child(BASELINE, str(catalogue), scoped, str(limit), timeout=limit)
    if not base or "validate_s" not in base:
        partial = ", ".join(f"{k} {v:.1f} s" for k, v in (base or {}).items() if isinstance(v, float))
        failed = (f"rdflib + pySHACL did not finish {n} projects within {limit:.0f} s"
                  + (f" ({partial} before it was stopped)" if partial else ""))
        entry["baseline_note"] = failed
        return failed, previous
    entry["baseline"] = {k: base[k] for k in ("load_s", "query_s", "validate_s")}
    answered = base.get("per_query_s", {})
    ours = sum(found["per_query_s"][k] for k in answered if k in found["per_query_s"])
    entry["speedup"] = {"validate": round(base["validate_s"] / found["validate_s"], 1),
                        "query": round(base["query_s"] / ours, 1) if ours else None}
    if base.get("query_failed"):
        entry["baseline_note"] = "rdflib could not answer " + "; ".join(
            f"{k} ({v})" for k, v in base["query_failed"].items()) + ": query times compare the other queries"
    total = base["load_s"] + base["query_s"] + base["validate_s"]
    return None, (n, total)


def run(sizes: list[int], baseline_limit: float = 300, push: bool = False, work: Path | None = None,
        log=lambda message: None) -> dict[str, object]:
    """Every measurement, as the JSON document `openness bench --format json` prints."""
    sys.path.insert(0, str(HERE))
    from generate import generate  # noqa: PLC0415

    own = work is None
    work = Path(tempfile.mkdtemp(prefix="openness-bench-")) if own else work
    scoped = ",".join(SCOPED)
    runs: list[dict[str, object]] = []
    try:
        log("bundled graph: serve's first answer, publish")
        serve_s = serve_first_answer()
        published, _, err = child(PUBLISH, str(work / "site"), timeout=1800)
        publish_s = published["publish_s"] if published else None
        baseline_failed: str | None = None
        previous: tuple[int, float] | None = None
        for n in sizes:
            catalogue = work / f"catalogue-{n}.ttl"
            catalogue.write_text(generate(n), encoding="utf-8")
            log(f"{n} projects: openness")
            store = work / f"store-{n}"
            found, peak, err = child(OPENNESS, str(catalogue), str(store), scoped)
            if not found or "validate_s" not in found:
                raise RuntimeError(f"{n} projects: openness failed: {err}")
            cold, _, err = child(COLD, str(catalogue), str(store), timeout=600)
            openness = {"load_s": found["load_s"], "query_s": found["query_s"], "validate_s": found["validate_s"],
                        "peak_rss_mb": round(peak, 1), "max_per_project_query_ms": found["max_per_project_query_ms"],
                        "cold_validate_s": cold["cold_validate_s"] if cold else None,
                        "first_command_s": cold["first_command_s"] if cold else None,
                        "serve_first_answer_s": serve_s, "publish_s": publish_s}
            entry: dict[str, object] = {"projects": n, "triples": found["triples"], "openness": openness,
                                        "baseline": None, "baseline_note": None}
            baseline_failed, previous = _baseline(entry, found, catalogue, scoped, baseline_limit, baseline_failed,
                                                  previous, log)
            log(f"{n} projects: " + json.dumps(entry) + "; per query s: "
                + json.dumps({k: round(v, 3) for k, v in found["per_query_s"].items()}))
            runs.append(entry)
            shutil.rmtree(store, ignore_errors=True)
        result: dict[str, object] = {"runs": runs}
        if push and sizes:
            log(f"push {max(sizes)} projects into a stock Oxigraph server")
            pushed = {"projects": max(sizes), **push_and_query(work / f"catalogue-{max(sizes)}.ttl", work)}
            shutil.rmtree(work / "push-store", ignore_errors=True)
            log("push: " + json.dumps(pushed))
            result["push"] = pushed  # shown in the table; not part of the JSON document
        return result
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)


def table(result: dict[str, object]) -> str:
    """The figures for people."""
    head = ["projects", "triples", "load s", "queries s", "validate s", "peak MB", "max 1-project query ms",
            "first command s", "cold validate s", "baseline load/queries/validate s"]
    rows = []
    for r in result["runs"]:
        o, b = r["openness"], r.get("baseline")
        base = f"{b['load_s']:.1f} / {b['query_s']:.1f} / {b['validate_s']:.1f}" if b else "stopped (see note)"
        rows.append([str(r["projects"]), str(r["triples"]), f"{o['load_s']:.1f}", f"{o['query_s']:.2f}",
                     f"{o['validate_s']:.1f}", f"{o['peak_rss_mb']:.0f}", f"{o['max_per_project_query_ms']:.0f}",
                     "-" if o.get("first_command_s") is None else f"{o['first_command_s']:.2f}",
                     "-" if o["cold_validate_s"] is None else f"{o['cold_validate_s']:.2f}", base])
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)] if rows else [len(h) for h in head]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in rows]
    first = result["runs"][0]["openness"] if result["runs"] else {}
    lines.append(f"bundled graph: serve first answer {first.get('serve_first_answer_s')} s, "
                 f"publish {first.get('publish_s')} s")
    for r in result["runs"]:
        if r.get("speedup"):
            lines.append(f"{r['projects']}: {r['speedup']['validate']}x faster than rdflib + pySHACL for validation, "
                         f"{r['speedup']['query']}x for the saved queries")
        if r.get("baseline_note"):
            lines.append(f"{r['projects']}: {r['baseline_note']}")
    if "push" in result:
        p = result["push"]
        lines.append(f"push {p['projects']} projects into Oxigraph server: " + (
            f"{p['push_s']:.1f} s (peak MB: client {p['push_client_peak_rss_mb']:.0f}, server "
            f"{p['push_server_peak_rss_mb']:.0f}), saved queries there {p.get('query_s', 0):.2f} s"
            + (f" ({len(p['stopped_queries'])} stopped at the limit)" if p.get("stopped_queries") else "")
            if "push_s" in p else "") + (f" {p['error']}" if p.get("error") else ""))
    return "\n".join(lines) + "\n"

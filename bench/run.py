"""The benchmark: Openness's engine choices measured as ratios against a baseline in the same run.

Each measurement runs in its own Python process (so peak memory is that process's own), on a
synthetic catalogue from bench/generate.py. Targets are ratios (candidate / baseline), never absolute
seconds, so they hold on any machine:

  parse      load N projects: pyoxigraph (the Dataset)     vs rdflib Graph.parse      time <= 0.35, memory <= 0.9
  query      compare-projects on M projects: Oxigraph       vs rdflib's SPARQL engine  time <= 0.05
  store      reopen an unchanged --store                    vs parse again in memory   time <= 0.5
  validate   validate --all for one claim: Oxigraph engine  vs pySHACL (reference)     time <= 0.2

    python bench/run.py                 # defaults: N=2000, M=150
    python bench/run.py --n 10000 --m 300 --json bench/out/results.json
Exit 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PROBE = """
import json, resource, sys, time
start = time.perf_counter()
{body}
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed, "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

CASES = {
    "parse": {
        "baseline": "import rdflib\ng = rdflib.Graph()\ng.parse(sys.argv[1], format='turtle')\nassert len(g)",
        "candidate": "from openness.graph.dataset import Dataset\nd = Dataset.load([sys.argv[1]], bundled=False)\n"
                     "assert len(d.store)",
        "targets": {"seconds": 0.35, "max_rss_mb": 0.9},
    },
    "query": {
        "baseline": textwrap.dedent("""
            import rdflib
            from openness.graph.query import saved_queries
            from openness.resources import ontology_dir
            g = rdflib.Graph()
            for p in sorted(ontology_dir().glob('*.ttl')): g.parse(p)
            g.parse(sys.argv[1], format='turtle')
            start = time.perf_counter()
            q = saved_queries()['compare-projects'].text
            P = 'https://w3id.org/openness/id/project/'
            rows = list(g.query(q, initBindings={'a': rdflib.URIRef(P + 'synthetic-00001'), 'b': rdflib.URIRef(P + 'synthetic-00002')}))
            assert rows
            """),
        "candidate": textwrap.dedent("""
            import pyoxigraph as ox
            from openness.graph.dataset import Dataset
            from openness.graph.query import saved_queries, run_local
            d = Dataset.load([sys.argv[1]], include_generated=False)
            start = time.perf_counter()
            q = saved_queries()['compare-projects'].text
            P = 'https://w3id.org/openness/id/project/'
            r = run_local(d, q, {'a': ox.NamedNode(P + 'synthetic-00001'), 'b': ox.NamedNode(P + 'synthetic-00002')})
            assert r.rows
            """),
        "targets": {"seconds": 0.05},
        "small": True,
    },
    "store": {
        "setup": "from openness.graph.dataset import Dataset\nDataset.load([sys.argv[1]], sys.argv[2], bundled=False)",
        "baseline": "from openness.graph.dataset import Dataset\nd = Dataset.load([sys.argv[1]], bundled=False)",
        "candidate": "from openness.graph.dataset import Dataset\nd = Dataset.load([sys.argv[1]], sys.argv[2], bundled=False)",
        "targets": {"seconds": 0.5},
    },
}


def probe(body: str, *args: str, timeout: float = 900) -> dict[str, float]:
    """Run one measurement in a fresh interpreter; seconds and peak RSS of that process."""
    code = PROBE.format(body=textwrap.indent(textwrap.dedent(body), ""))
    # Timing a query starts after loading: the body may reset `start` itself.
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "probe failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def validation_case(catalogue: Path, projects: int) -> dict[str, object] | None:
    """validate --all for one claim: the default engine (SHACL-SPARQL on Oxigraph) versus pySHACL."""
    body = textwrap.dedent("""
        from openness.graph.dataset import Dataset
        from openness.claims.verdicts import compute
        d = Dataset.load([sys.argv[1]], include_generated=False)
        iris = [f"https://w3id.org/openness/id/project/synthetic-{i:05d}" for i in range(int(sys.argv[4]))]
        start = time.perf_counter()
        compute(d, iris, [sys.argv[2]], engine=sys.argv[3])
        """)
    out: dict[str, object] = {}
    try:
        out["baseline"] = probe(body, str(catalogue), "open-weights", "pyshacl", str(projects))
        out["candidate"] = probe(body, str(catalogue), "open-weights", "oxigraph", str(projects))
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        return {"error": str(exc)}
    out["targets"] = {"seconds": 0.2}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description="Openness benchmark (ratios against baselines).")
    parser.add_argument("--n", type=int, default=2000, help="projects for parse/store")
    parser.add_argument("--m", type=int, default=150, help="projects for the query and validation cases")
    parser.add_argument("--json", type=Path, default=HERE / "out" / "results.json")
    args = parser.parse_args()

    results: dict[str, dict] = {}
    failed = []
    with tempfile.TemporaryDirectory(prefix="openness-bench-") as tmp:
        big, small = Path(tmp) / f"catalogue-{args.n}.ttl", Path(tmp) / f"catalogue-{args.m}.ttl"
        big.write_text(generate(args.n), encoding="utf-8")
        small.write_text(generate(args.m), encoding="utf-8")
        for name, case in CASES.items():
            catalogue = small if case.get("small") else big
            extra = [str(Path(tmp) / f"store-{name}")]
            if "setup" in case:
                probe(case["setup"], str(catalogue), *extra)
            print(f"{name}: measuring ...", file=sys.stderr)
            results[name] = {"baseline": probe(case["baseline"], str(catalogue), *extra),
                             "candidate": probe(case["candidate"], str(catalogue), *extra),
                             "targets": case["targets"], "projects": args.m if case.get("small") else args.n}
        validation = validation_case(small, args.m)
        if validation:
            results["validate"] = {**validation, "projects": args.m}

    print(f"{'case':<10} {'metric':<11} {'baseline':>10} {'candidate':>10} {'ratio':>7} {'target':>7}  verdict")
    for name, result in results.items():
        if "error" in result:
            print(f"{name:<10} error: {result['error']}")
            failed.append(name)
            continue
        for metric, target in result["targets"].items():
            base, cand = result["baseline"][metric], result["candidate"][metric]
            ratio = cand / base if base else float("inf")
            result.setdefault("ratios", {})[metric] = ratio
            ok = ratio <= target
            failed += [] if ok else [f"{name}.{metric}"]
            print(f"{name:<10} {metric:<11} {base:>10.2f} {cand:>10.2f} {ratio:>7.3f} {target:>7.2f}  {'ok' if ok else 'MISSED'}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"results: {args.json}" + (f"; missed: {', '.join(failed)}" if failed else "; all targets met"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

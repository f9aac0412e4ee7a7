"""`make bench`'s differential check: set-based validation (claims/batch.py) against the per-project
closure path (verdicts.NativeRun) on the whole bundled graph, every project and every claim.

    python bench/differential.py        # exit 1, listing the first differences, when any verdict differs
"""

from __future__ import annotations

import sys
import time

from openness.claims import batch
from openness.claims.catalogue import claims
from openness.claims.verdicts import NativeRun
from openness.graph.dataset import Dataset
from openness.graph.projects import list_projects
from openness.graph.query import LocalBackend


def main() -> int:
    dataset = Dataset.load()
    selected = [(p.iri, p.label) for p in list_projects(LocalBackend(dataset))]
    wanted = list(claims().values())
    start = time.perf_counter()
    fast = batch.validate(dataset, selected, wanted)
    fast_s = time.perf_counter() - start
    start = time.perf_counter()
    run = NativeRun(dataset, wanted)
    slow = [v for iri, label in selected for v in run.project(iri, label, wanted)]
    slow_s = time.perf_counter() - start
    differ = [(a["project"], a["claim"]) for a, b in zip(fast, slow) if a != b]
    if len(fast) != len(slow):
        differ.append(("count", f"{len(fast)} != {len(slow)}"))
    print(f"bundled graph, {len(selected)} projects x {len(wanted)} claims: set-based {fast_s:.1f} s, "
          f"per-project closures {slow_s:.1f} s; {len(differ)} verdicts differ")
    for item in differ[:10]:
        print("  differs:", *item)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

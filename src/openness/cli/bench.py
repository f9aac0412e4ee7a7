"""`openness bench`: measure Openness at catalogue sizes (bench/measure.py) and print a table or JSON."""

from __future__ import annotations

import importlib.util
import json
import sys

import click

from .common import emit, guarded, note
from .. import resources
from ..errors import OpennessError


def _measure_module():
    path = resources.bundled_root() / "bench" / "measure.py"
    if not path.is_file():
        raise OpennessError(f"{path}: the benchmark needs a source checkout (bench/ is not installed)")
    spec = importlib.util.spec_from_file_location("openness_bench_measure", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def register(cli: click.Group) -> None:
    @cli.command(epilog="""\b
Examples:
  openness bench --projects 100 --projects 1000
  openness bench --projects 100 --projects 1000 --projects 10000 --projects 100000 --push --format json""")
    @click.option("--projects", "sizes", multiple=True, type=click.IntRange(3), default=(100, 1000), show_default=True,
                  help="Catalogue size (synthetic projects beside the bundled data). Repeatable.")
    @click.option("--baseline-limit", default=300.0, show_default=True, type=click.FloatRange(1),
                  help="Seconds before the rdflib + pySHACL baseline is stopped (then not run at larger sizes).")
    @click.option("--push", is_flag=True, help="Also PUT the largest catalogue into a stock Oxigraph server and query it there.")
    @click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
    @guarded
    def bench(sizes, baseline_limit, push, fmt) -> None:
        """Measure load, saved queries, validation of every claim for every project, memory, cold start,
        serve's first answer and publish, against rdflib + pySHACL (progress on stderr)."""
        measure = _measure_module()
        result = measure.run(sorted(set(sizes)), baseline_limit=baseline_limit, push=push, log=note)
        if fmt == "json":
            emit(json.dumps({"runs": result["runs"]}, indent=2))
        else:
            emit(measure.table(result))

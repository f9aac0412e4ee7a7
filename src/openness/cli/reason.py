"""`openness reason`: OWL consistency and inferred classifications."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import emit, format_option, guarded, note
from .output import dict_table, to_json


def register(cli: click.Group) -> None:
    cli.add_command(reason_command)


@click.command("reason", epilog="""\b
Reasoners:
  hermit  OWL 2 DL through owlready2 + HermiT (complete; needs Java). Used for the ontology and
          the curated data (a few seconds).
  owl-rl  OWL 2 RL forward chaining with owlrl (incomplete for DL, scales to large catalogues).
  auto    hermit up to 5,000 individuals, owl-rl above (the default).
The imported catalogue snapshots (data/generated/) are not reasoned over.
\b
Examples:
  openness reason
  openness reason --reasoner owl-rl --format json
  openness reason --data my-release.ttl""")
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
              help="Extra RDF file or folder to reason over with the ontology and curated data. Repeatable.")
@click.option("--reasoner", type=click.Choice(("auto", "hermit", "owl-rl")), default="auto", show_default=True,
              help="Which reasoner to run.")
@format_option(("table", "json"), "table")
@guarded
def reason_command(data, reasoner, fmt) -> None:
    """Check that the ontology and curated data are consistent and print what the reasoner infers.

    Exit 0 when consistent, 1 when not.
    """
    from ..graph.reason import reason

    result = reason(tuple(data), reasoner)
    for notice in result.notices:
        note(f"openness: note: {notice}")
    if fmt == "json":
        emit(to_json(result.as_dict()))
    else:
        verdict = "consistent" if result.consistent else "INCONSISTENT"
        emit(f"{result.reasoner}: {result.individuals} individuals, {verdict}"
             + (f" ({result.explanation})" if result.explanation else ""))
        if result.inferred:
            emit(dict_table(result.inferred, ["class", "individual"], title="Inferred classifications")
                 + f"{len(result.inferred)} inferred")
    if not result.consistent:
        note("openness: the graph is inconsistent")
        sys.exit(1)

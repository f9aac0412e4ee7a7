"""Commands that publish the graph: `publish`, `serve`, `push` and `export spdx` (a thin layer)."""

from __future__ import annotations

from pathlib import Path

import click

from .common import DEFAULT_GRAPH_PREFIX, emit, format_option, graph_options, guarded, load_dataset, note
from ..graph.iris import DEFAULT_BASE

DATA_OPTION = click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
                           help="RDF file or folder added to the bundled graph. Repeatable.")


@click.command(epilog="""\b
Examples:
  openness publish site
  openness publish site --base-iri https://example.org/openness/id/ --data my-release.ttl
  openness publish site --no-catalogues      # curated projects only (no EOSAI/MOF snapshots)""")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--base-iri", default=DEFAULT_BASE, show_default=True, metavar="IRI",
              help="Instance base of the published IRIs (the data's https://w3id.org/openness/id/ is moved to it).")
@DATA_OPTION
@click.option("--no-verdicts", is_flag=True, help="Skip computing claim verdicts (faster).")
@click.option("--no-catalogues", is_flag=True,
              help="Leave out the bundled catalogue snapshots (EOSAI, MOF): the curated graph only, much faster.")
@guarded
def publish(out, base_iri, data, no_verdicts, no_catalogues) -> None:
    """Write the graph as a static linked-data site into OUT (replaced only when the build succeeds)."""
    from rich.progress import Progress

    from ..linked_data.publish import publish as build

    dataset = load_dataset(data, include_generated=not no_catalogues)
    with Progress(transient=True, console=_stderr_console()) as bar:
        task = bar.add_task("publishing", total=None)
        report = build(out, data, base_iri, dataset=dataset, with_verdicts=not no_verdicts,
                       progress=lambda done, total: bar.update(task, completed=done, total=total))
    for line in report.notes:
        note(f"openness: note: {line}")
    emit(f"published {report.resources} resources ({report.files} files) to {report.out}")


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


@click.command(epilog="""\b
Examples:
  openness serve --port 8080
  curl -H 'Accept: text/turtle' http://127.0.0.1:8080/id/project/olmo
  curl http://127.0.0.1:8080/sparql --data-urlencode 'query=ASK { ?s ?p ?o }'""")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@DATA_OPTION
@click.option("--time-limit", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds a SPARQL query may run before it is stopped (503).")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(1),
              help="Largest SPARQL result (rows or triples) the endpoint returns; larger ones are refused (400).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes (queries that run at once).")
@click.option("--quiet", is_flag=True, help="Do not log requests on stderr.")
@guarded
def serve(host, port, data, time_limit, max_rows, workers, quiet) -> None:
    """Serve the graph as linked data (content negotiation) with a SPARQL 1.1 endpoint at /sparql."""
    from ..linked_data.serve import make_server

    try:
        server = make_server(host, port, data, quiet=quiet, time_limit=time_limit, max_rows=max_rows,
                             workers=workers)
    except OSError as exc:
        from ..errors import OpennessError

        raise OpennessError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    bound_host, bound_port = server.server_address[:2]
    note(f"openness: serving on http://{bound_host}:{bound_port}/ (SPARQL at /sparql); Ctrl-C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        note("openness: stopped")
    finally:
        server.server_close()


@click.command(epilog="""\b
Examples:
  openness push --endpoint http://127.0.0.1:7878/store
  openness query run projects --endpoint http://127.0.0.1:7878/query""")
@click.option("--endpoint", required=True, metavar="URL", help="Graph Store Protocol endpoint (Oxigraph: http://HOST:PORT/store).")
@click.option("--graph-prefix", default=DEFAULT_GRAPH_PREFIX, show_default=True, metavar="IRI",
              help="Prefix of the named graphs written (one per source).")
@graph_options(remote=False)
@format_option(("table", "json"), "table")
@guarded
def push(endpoint, graph_prefix, data, store, fmt) -> None:
    """Load the graph into a SPARQL 1.1 Graph Store, one named graph per source (PUT: re-pushing replaces)."""
    from .output import dict_table, to_json
    from ..linked_data.push import PushError
    from ..linked_data.push import push as run

    try:
        report = run(endpoint, data, store, graph_prefix)
    except PushError as exc:
        emit(dict_table(exc.report.as_rows(), ["source", "graph", "triples", "status"]) if fmt == "table"
             else to_json(exc.report.as_rows()))
        raise
    rows = report.as_rows()
    if fmt == "json":
        emit(to_json(rows))
    else:
        emit(dict_table(rows, ["source", "graph", "triples", "status"])
             + f"{len(rows)} graphs loaded into {endpoint}")


@click.group()
def export() -> None:
    """Export the graph in other formats (SPDX 3.0 AI bill of materials)."""


@export.command("spdx", epilog="""\b
Examples:
  openness export spdx olmo --out olmo.spdx.json
  openness export spdx llama-2 --release llama-2-v1 --out llama-2.spdx.json""")
@click.argument("project")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="The JSON-LD file to write.")
@click.option("--release", default=None, help="Release slug or IRI (default: the project's current release).")
@graph_options(remote=False)
@guarded
def export_spdx(project, out, release, data, store) -> None:
    """Write an SPDX 3.0.1 JSON-LD document (AI and Dataset profiles) for PROJECT's release."""
    from ..linked_data.export_spdx import build, write
    from ..graph.projects import resolve_project
    from ..graph.query import LocalBackend

    dataset = load_dataset(data, store)
    ref = resolve_project(LocalBackend(dataset), project)
    document = build(dataset, ref.iri, release)
    write(document, out)
    emit(f"wrote {out} ({len(document['@graph'])} SPDX elements for {ref.label})")


def register(cli: click.Group) -> None:
    """Add the publishing commands to the `openness` group."""
    for command in (publish, serve, push, export):
        cli.add_command(command)

"""The `openness` command line: a thin layer over the library modules (docs/conventions.md)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import __version__
from .common import emit, format_option, graph_options, guarded, open_backend
from ..errors import OpennessError
from .output import dict_table, render_result, rows_as_dicts, table, to_json

EPILOG_PROJECTS = """\b
Examples:
  openness projects
  openness projects --format json --data my-release.ttl"""


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="openness", message="%(prog)s %(version)s")
def cli() -> None:
    """Openness: a knowledge graph of open source AI.

    Run saved SPARQL queries, validate openness claims ("fully open", "open weights", OSAID 1.0, MOF
    classes, the EU AI Act exemption) with SHACL shapes, import catalogues, publish linked data.

    \b
    Start with:
      openness projects                      what the graph describes
      openness query run figure-2-spectrum   the seed article's Figure 2
      openness validate llama-2 --claim osaid-1.0
    """


@cli.command(epilog=EPILOG_PROJECTS)
@graph_options()
@format_option(("table", "json"), "table")
@guarded
def projects(data, store, endpoint, graph_prefix, fmt) -> None:
    """List the projects in the graph (id, IRI, label, kind, source record id)."""
    from ..graph.projects import list_projects

    items = [p.as_dict() for p in list_projects(open_backend(data, store, endpoint, graph_prefix))]
    if fmt == "json":
        emit(to_json(items))
    else:
        emit(dict_table(items, ["id", "label", "kind", "identifier"]) + f"{len(items)} projects")


@cli.command(epilog="\b\nExamples:\n  openness show olmo\n  openness show \"Llama 2\" --format json")
@click.argument("project")
@graph_options()
@format_option(("text", "json"), "text")
@guarded
def show(project, data, store, endpoint, graph_prefix, fmt) -> None:
    """Show what the graph says about PROJECT (id, label or IRI), with sources."""
    from ..graph.projects import describe, resolve_project

    backend = open_backend(data, store, endpoint, graph_prefix)
    ref = resolve_project(backend, project)
    sections = describe(backend, ref)
    if fmt == "json":
        emit(to_json({"project": ref.as_dict(), **sections}))
        return
    out = [f"{ref.label}  <{ref.iri}>  ({ref.kind})"]
    titles = {"facts": "Facts", "components": "Releases and components", "claims": "Recorded claims",
              "assessments": "Assessments"}
    for key, rows in sections.items():
        if not rows:
            out.append(f"{titles[key]}: none stated")
            continue
        columns = list(rows[0].keys())
        out.append(dict_table(rows, columns, title=titles[key]).rstrip())
    emit("\n".join(out))


@cli.group()
def query() -> None:
    """List, show and run the saved SPARQL queries (queries/*.rq)."""


@query.command("list", epilog="\b\nExample:\n  openness query list --format json")
@format_option(("table", "json"), "table")
@guarded
def query_list(fmt) -> None:
    """List the saved queries with their titles and parameters."""
    from ..graph.query import saved_queries

    items = [{"name": q.name, "title": q.title, "description": q.description,
              "params": [{"name": p.name, "type": p.type, "description": p.description, "default": p.default}
                         for p in q.params]}
             for q in saved_queries().values()]
    if fmt == "json":
        emit(to_json(items))
        return
    rows = [[i["name"], i["title"], ", ".join(f"{p['name']} ({p['type']})" for p in i["params"])] for i in items]
    emit(table(["name", "title", "parameters"], rows))


@query.command("show", epilog="\b\nExample:\n  openness query show compare-projects")
@click.argument("name")
@guarded
def query_show(name) -> None:
    """Print the saved query NAME (its header says what it answers and which parameters it takes)."""
    from ..graph.query import get_query

    emit(get_query(name).text)


@query.command("run", epilog="""\b
Examples:
  openness query run figure-2-spectrum
  openness query run compare-projects --param a=olmo --param b="Llama 2"
  openness query run licence-terms --param licence=Apache-2.0 --format json
  openness query run strings-attached --endpoint http://127.0.0.1:7878/query""")
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter value (projects by id, label or IRI; licences by SPDX id, slug or IRI). Repeatable.")
@graph_options()
@format_option(("table", "csv", "json", "turtle", "ntriples"), "table")
@guarded
def query_run(name, params, data, store, endpoint, graph_prefix, fmt) -> None:
    """Run the saved query NAME, binding --param values as typed RDF terms."""
    from ..graph.projects import resolve_licence, resolve_project
    from ..graph.query import bind, get_query, parse_param_args

    saved = get_query(name)
    given = parse_param_args(params)
    backend = open_backend(data, store, endpoint, graph_prefix)
    bindings = bind(saved, given,
                    resolve_project=lambda v: resolve_project(backend, v).iri,
                    resolve_licence=lambda v: resolve_licence(backend, v))
    emit(render_result(backend.run(saved.text, bindings), fmt, hide=tuple(p.name for p in saved.params)))


@cli.command(epilog="""\b
Examples:
  openness sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
  openness sparql my-query.rq --format csv""")
@click.argument("query_or_file")
@graph_options()
@format_option(("table", "csv", "json", "turtle", "ntriples"), "table")
@guarded
def sparql(query_or_file, data, store, endpoint, graph_prefix, fmt) -> None:
    """Run an ad-hoc SPARQL query, given as text or as a file path."""
    path = Path(query_or_file)
    try:
        text = path.read_text(encoding="utf-8") if path.suffix in (".rq", ".sparql") or path.is_file() else query_or_file
    except OSError as exc:
        raise OpennessError(f"{path}: cannot read: {exc.strerror}") from None
    emit(render_result(open_backend(data, store, endpoint, graph_prefix).run(text), fmt))


def _register_commands() -> None:
    """The commands of the other jobs, each defined in its own thin module."""
    from . import claims as cli_claims
    from . import diligence as cli_diligence
    from . import imports as cli_import
    from . import publish as cli_publish
    from . import reason as cli_reason

    for module in (cli_reason, cli_claims, cli_diligence, cli_import, cli_publish):
        module.register(cli)


_register_commands()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="openness")


if __name__ == "__main__":
    main()

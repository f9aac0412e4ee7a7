"""The `openness` command line: a thin layer over the library modules (docs/conventions.md)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import __version__
from .common import add_exit_codes, emit, format_option, graph_options, guarded, open_backend, timeout_option
from ..errors import OpennessError
from .output import dict_table, render_result, rows_as_dicts, table, to_json
from ..text import paragraphs

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
    references: dict[str, int] = {}

    def cite(value: object) -> object:
        """A URL as a numbered reference listed after the tables, so tables fit a narrow terminal."""
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return f"[{references.setdefault(value, len(references) + 1)}]"
        return value

    for key, rows in sections.items():
        if not rows:
            out.append(f"{titles[key]}: none stated")
            continue
        columns = list(rows[0].keys())
        cited = [{c: cite(r[c]) if c in ("location", "source") else r[c] for c in columns} for r in rows]
        out.append(dict_table(cited, columns, title=titles[key]).rstrip())
    if references:
        out.append(paragraphs(["Sources:", *(f"[{n}] {url}" for url, n in references.items())]).rstrip())
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
@timeout_option
@guarded
def query_run(name, params, data, store, endpoint, graph_prefix, fmt, timeout) -> None:
    """Run the saved query NAME, binding --param values as typed RDF terms."""
    from ..graph.projects import resolve_licence, resolve_project
    from ..graph.query import bind, get_query, parse_param_args
    from ..graph.worker import run_limited

    saved = get_query(name)
    given = parse_param_args(params)
    check_format(saved.form, fmt)
    backend = open_backend(data, store, endpoint, graph_prefix)
    bindings = bind(saved, given,
                    resolve_project=lambda v: resolve_project(backend, v).iri,
                    resolve_licence=lambda v: resolve_licence(backend, v))
    result = run_limited(backend, saved.text, bindings, timeout)
    emit(render_result(result, fmt, hide=tuple(p.name for p in saved.params)))


@cli.command(epilog="""\b
Examples:
  openness sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
  openness sparql my-query.rq --format csv""")
@click.argument("query_or_file")
@graph_options()
@click.option("--allow-federation", "federation", multiple=True, metavar="HOST",
              help="Let SERVICE call endpoints on this host (refused by default). Repeatable.")
@format_option(("table", "csv", "json", "turtle", "ntriples"), "table")
@timeout_option
@guarded
def sparql(query_or_file, data, store, endpoint, graph_prefix, federation, fmt, timeout) -> None:
    """Run an ad-hoc SPARQL query (read-only), given as text or as a file path."""
    from ..graph.guards import check_query_depth, refuse_update
    from ..graph.worker import run_limited

    path = Path(query_or_file)
    try:
        if _names_a_file(query_or_file):
            if path.is_dir():
                raise OpennessError(f"{path}: is a folder, not a query file")
            text = path.read_text(encoding="utf-8")
            if "\x00" in text:
                raise UnicodeDecodeError("utf-8", b"", 0, 1, "a NUL byte")
        else:
            text = query_or_file
    except OSError as exc:
        raise OpennessError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise OpennessError(f"{path}: not a SPARQL query file (not UTF-8 text)") from None
    refuse_update(text)
    check_query_depth(text)
    result = run_limited(open_backend(data, store, endpoint, graph_prefix, federation), text, None, timeout)
    check_format(result.form, fmt)
    emit(render_result(result, fmt))


def _names_a_file(given: str) -> bool:
    """Whether the sparql argument is a query file's path (else it is the query text itself)."""
    if "\n" in given or len(given) > 1024 or "{" in given:
        return False
    try:
        return Path(given).suffix in (".rq", ".sparql") or Path(given).is_file()
    except (OSError, ValueError):
        return False


def check_format(form: str, fmt: str) -> None:
    """Refuse an output format that does not fit the query's result (a table is not a graph)."""
    fits = {"SELECT": ("table", "csv", "json"), "ASK": ("table", "json"),
            "CONSTRUCT": ("turtle", "ntriples"), "DESCRIBE": ("turtle", "ntriples")}[form]
    if fmt not in fits and not (fmt == "table" and form in ("CONSTRUCT", "DESCRIBE")):  # the default: Turtle
        kind = "a graph" if form in ("CONSTRUCT", "DESCRIBE") else ("true or false" if form == "ASK" else "a table")
        raise OpennessError(f"--format {fmt} does not fit a {form} query, whose result is {kind}: "
                            f"use --format {' or '.join(fits)}")


def _register_commands() -> None:
    """The commands of the other jobs, each defined in its own thin module."""
    from . import bench as cli_bench
    from . import claims as cli_claims
    from . import diligence as cli_diligence
    from . import imports as cli_import
    from . import publish as cli_publish
    from . import reason as cli_reason

    for module in (cli_reason, cli_claims, cli_diligence, cli_import, cli_publish, cli_bench):
        module.register(cli)
    add_exit_codes(cli)


_register_commands()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="openness")


if __name__ == "__main__":
    main()

"""What every command shares: graph options, output formats, errors on stderr (docs/design.md contract)."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from ..errors import OpennessError
from ..text import clean

DEFAULT_GRAPH_PREFIX = "https://w3id.org/openness/graph/"
DEFAULT_ENDPOINT_TIMEOUT = 60.0  # the same as graph.query's (not imported here, to keep --help fast)

# The contract of every command (docs/design.md, "Errors"), shown at the end of each --help.
EXIT_CODES = """\b
Exit codes:
  0    success (the claim holds, the graph is consistent)
  1    does not hold (a claim fails, the graph is inconsistent)
  2    bad input (a file, option or value; one line on stderr naming it)
  3    undetermined (no stated fact refutes the claim, but one that would decide it
       is not stated; or a query stopped at --timeout)
  4    a server, store or endpoint could not be reached or failed
  130  interrupted (Ctrl-C)"""


def add_exit_codes(command: click.Command) -> None:
    """Append EXIT_CODES to the help of `command` and of every command under it."""
    if EXIT_CODES not in (command.epilog or ""):
        command.epilog = f"{command.epilog}\n\n{EXIT_CODES}" if command.epilog else EXIT_CODES
    for sub in getattr(command, "commands", {}).values():
        add_exit_codes(sub)


timeout_option = click.option(
    "--timeout", type=click.FloatRange(0), default=300.0, show_default=True, metavar="SECONDS",
    help="Stop a local query after this many seconds (exit 3); 0: no limit.")


engine_option = click.option(
    "--engine", type=click.Choice(("oxigraph", "pyshacl")), default="oxigraph", show_default=True,
    help="oxigraph runs the SHACL-SPARQL shapes on the store (fast); pyshacl is the reference validator.")


def graph_options(remote: bool = True) -> Callable:
    """--data, --store and (for commands that can work remotely) --endpoint and --graph-prefix."""

    def decorate(func: Callable) -> Callable:
        func = click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
                            help="RDF file or folder (read recursively: .ttl .nt .nq .trig .jsonld .rdf .owl .xml) "
                                 "added to the bundled graph; a broken symbolic link in a folder is an error "
                                 "(exit 2). Repeatable.")(func)
        func = click.option("--store", "store", type=click.Path(path_type=Path), default=None,
                            help="Persistent Oxigraph store folder; sources are re-parsed only when they change.")(func)
        if remote:
            func = click.option("--endpoint", default=None, metavar="URL",
                                help="Ask this SPARQL 1.1 query endpoint instead of the embedded store.")(func)
            func = click.option("--graph-prefix", default=DEFAULT_GRAPH_PREFIX, show_default=True, metavar="IRI",
                                help="With --endpoint: query the named graphs under this prefix (those `openness push` "
                                     "made) as the default graph; '' to use the endpoint's own default graph.")(func)
            func = click.option("--endpoint-timeout", type=click.FloatRange(0.1, 86400), default=DEFAULT_ENDPOINT_TIMEOUT,
                                show_default=True, metavar="SECONDS", expose_value=False, callback=_remember,
                                help="With --endpoint: seconds to wait for the endpoint's answer (exit 4 past it, "
                                     "or when it cannot be reached).")(func)
        return func

    return decorate


def _remember(ctx: click.Context, param: click.Parameter, value) -> None:
    """Keep an option's value in the context (for options every remote command shares)."""
    ctx.meta[f"openness.{param.name}"] = value


def open_backend(data=(), store=None, endpoint=None, graph_prefix=DEFAULT_GRAPH_PREFIX, allow_federation=()):
    """The backend the options ask for: a remote endpoint, or the bundled graph plus --data.

    SERVICE is refused in either unless `allow_federation` names the hosts it may call.
    """
    from ..graph.query import LocalBackend, RemoteBackend, discover_graphs

    if endpoint:
        if data or store:
            raise OpennessError("--endpoint cannot be combined with --data or --store: the endpoint holds the graph")
        ctx = click.get_current_context(silent=True)
        timeout = ctx.meta.get("openness.endpoint_timeout", DEFAULT_ENDPOINT_TIMEOUT) if ctx else DEFAULT_ENDPOINT_TIMEOUT
        graphs = discover_graphs(endpoint, graph_prefix, timeout) if graph_prefix else []
        if graph_prefix and not graphs:
            raise OpennessError(f"endpoint {endpoint} has no named graph under --graph-prefix {graph_prefix} "
                                "(`openness push` makes them); give --graph-prefix '' to query its default graph")
        return RemoteBackend(endpoint, graphs, timeout, allow_federation)
    dataset = load_dataset(data, store)
    dataset.allow_federation = tuple(allow_federation)
    return LocalBackend(dataset)


def load_dataset(data=(), store=None, *, judged: bool = False, **kwargs):
    """The bundled graph plus the user's --data files, which are checked first (bad input is exit 2).

    `judged`: the files' claims are about to be checked, so the integrity shapes must hold too."""
    from ..claims.inputs import check_user_data
    from ..graph.dataset import Dataset

    dataset = Dataset.load(data, store, **kwargs)
    check_user_data(dataset, judged=judged, notice=note)
    return dataset


def format_option(choices: tuple[str, ...], default: str) -> Callable:
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format: tables for people, json/csv for scripts.")


def emit(text: str) -> None:
    """Write a result to stdout, ending with one newline (control characters neutralised: text.clean)."""
    click.echo(clean(text.rstrip("\n")))


def note(text: str) -> None:
    """A message for a person on stderr, so stdout stays machine-readable (control characters neutralised)."""
    click.echo(clean(text), err=True)


def guarded(func: Callable) -> Callable:
    """Turn bad input into a one-line message and exit 2, and any other failure into one line, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except OpennessError as exc:
            note(f"openness: error: {exc.message}")
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:
            # The reader (e.g. `| head`) closed stdout: stop quietly, as Unix tools do.
            sys.stdout = open(os.devnull, "w")
            sys.exit(0)
        except KeyboardInterrupt:
            note("openness: interrupted")
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the contract is: no traceback reaches a user
            if os.environ.get("OPENNESS_DEBUG"):
                raise
            first = str(exc).splitlines()[0] if str(exc) else ""
            note(f"openness: internal error: {type(exc).__name__}: {first} (OPENNESS_DEBUG=1 shows the traceback)")
            sys.exit(70)

    return wrapper

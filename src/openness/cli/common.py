"""What every command shares: graph options, output formats, errors on stderr (docs/design.md contract)."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from ..errors import OpennessError

DEFAULT_GRAPH_PREFIX = "https://w3id.org/openness/graph/"


def graph_options(remote: bool = True) -> Callable:
    """--data, --store and (for commands that can work remotely) --endpoint and --graph-prefix."""

    def decorate(func: Callable) -> Callable:
        func = click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
                            help="RDF file or folder (read recursively: .ttl .nt .nq .trig .jsonld .rdf .owl .xml) "
                                 "added to the bundled graph. Repeatable.")(func)
        func = click.option("--store", "store", type=click.Path(path_type=Path), default=None,
                            help="Persistent Oxigraph store folder; sources are re-parsed only when they change.")(func)
        if remote:
            func = click.option("--endpoint", default=None, metavar="URL",
                                help="Ask this SPARQL 1.1 query endpoint instead of the embedded store.")(func)
            func = click.option("--graph-prefix", default=DEFAULT_GRAPH_PREFIX, show_default=True, metavar="IRI",
                                help="With --endpoint: query the named graphs under this prefix (those `openness push` "
                                     "made) as the default graph; '' to use the endpoint's own default graph.")(func)
        return func

    return decorate


def open_backend(data=(), store=None, endpoint=None, graph_prefix=DEFAULT_GRAPH_PREFIX):
    """The backend the options ask for: a remote endpoint, or the bundled graph plus --data."""
    from ..graph.query import LocalBackend, RemoteBackend, discover_graphs

    if endpoint:
        if data or store:
            raise OpennessError("--endpoint cannot be combined with --data or --store: the endpoint holds the graph")
        graphs = discover_graphs(endpoint, graph_prefix) if graph_prefix else []
        return RemoteBackend(endpoint, graphs)
    return LocalBackend(load_dataset(data, store))


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
    """Write a result to stdout, ending with one newline."""
    click.echo(text.rstrip("\n"))


def note(text: str) -> None:
    """A message for a person on stderr, so stdout stays machine-readable."""
    click.echo(text, err=True)


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

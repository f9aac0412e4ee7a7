"""Rendering for people and scripts: tables on stdout, JSON/CSV for scripts (DESIGN.md contract)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.table import Table

from .query import QueryResult, plain


def to_json(value: object) -> str:
    """Stable JSON: keys in the order given, two-space indent, UTF-8 text."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def rows_as_dicts(result: QueryResult) -> list[dict[str, object]]:
    """A SELECT result as a list of objects from variable name to plain value."""
    return [{name: plain(cell) for name, cell in zip(result.variables, row)} for row in result.rows]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def table(columns: Sequence[str], rows: Sequence[Sequence[object]], title: str | None = None) -> str:
    """A table for a terminal, as text (no colour when not a terminal)."""
    t = Table(title=title, show_lines=False, header_style="bold", title_justify="left")
    for column in columns:
        t.add_column(column, overflow="fold")
    for row in rows:
        t.add_row(*(_cell(v) for v in row))
    # The terminal's width; piped or captured output (no terminal) gets 160 columns.
    width = shutil.get_terminal_size((160, 24)).columns
    console = Console(file=io.StringIO(), width=max(100, min(220, width)), record=True)
    console.print(t)
    return console.export_text()


def dict_table(items: Sequence[Mapping[str, object]], columns: Sequence[str], title: str | None = None) -> str:
    return table(columns, [[item.get(c) for c in columns] for item in items], title)


def csv_text(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else ("true" if v is True else "false" if v is False else v) for v in row])
    return buffer.getvalue()


def render_result(result: QueryResult, fmt: str, hide: tuple[str, ...] = ()) -> str:
    """A query result in one of the formats table, csv, json (CONSTRUCT results: turtle/ntriples).

    `hide` names columns left out of the table (a saved query's parameters: the reader gave them)."""
    import pyoxigraph as ox

    if result.form == "ASK":
        return to_json(result.boolean) if fmt == "json" else ("true" if result.boolean else "false")
    if result.form == "CONSTRUCT":
        rdf_format = ox.RdfFormat.N_TRIPLES if fmt in ("nt", "ntriples") else ox.RdfFormat.TURTLE
        return (ox.serialize(result.triples, format=rdf_format) or b"").decode("utf-8")
    dicts = rows_as_dicts(result)
    if fmt == "json":
        return to_json(dicts)
    values = [[d[c] for c in result.variables] for d in dicts]
    if fmt == "csv":
        return csv_text(result.variables, values)
    shown = [c for c in result.variables if c not in hide]
    rows = [[d[c] for c in shown] for d in dicts]
    return table(shown, rows) + f"{len(rows)} row{'s' if len(rows) != 1 else ''}\n"

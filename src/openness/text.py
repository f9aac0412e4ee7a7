"""Text for people and scripts, shared by the command line, the report and the site: stable JSON, CSV,
and terminal tables. Below every other package: it knows no graph, claim or page."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.table import Table


def to_json(value: object) -> str:
    """Stable JSON: keys in the order given, two-space indent, UTF-8 text."""
    return json.dumps(value, indent=2, ensure_ascii=False)


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

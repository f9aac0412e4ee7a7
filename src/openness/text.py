"""Text for people and scripts, shared by the command line, the report and the site: stable JSON, CSV,
and terminal tables. Below every other package: it knows no graph, claim or page."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.table import Table


# C0 controls but tab and newline, DEL, and the C1 controls: what a terminal may act on (ESC starts a
# sequence that can clear the screen or set the window title; CSI, OSC, DCS are single C1 bytes).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MARKDOWN = re.compile(r"([\\`*_\[\]|])")


def clean(text: str) -> str:
    """`text` with every control character a terminal could act on written as a visible `\\uXXXX`.

    Tab and newline stay. The escape is the one JSON, Turtle and SPARQL use, so JSON output stays
    valid JSON (its strings never hold a raw C0 character; a raw C1 one becomes an escape of itself)."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def markdown_cell(value: object) -> str:
    """A value as the text of one Markdown table cell: no raw HTML, no links, no emphasis, one line.

    `<`, `>` and `&` become HTML entities (so `<script>` or `<javascript:...>` is shown, never run or
    linked) and Markdown's punctuation is backslash-escaped (so `[x](javascript:...)` is not a link)."""
    text = clean(" ".join(str("" if value is None else value).splitlines()))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\1", text)


def to_json(value: object) -> str:
    """Stable JSON: keys in the order given, two-space indent, UTF-8 text."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return clean(str(value))


def table(columns: Sequence[str], rows: Sequence[Sequence[object]], title: str | None = None) -> str:
    """A table for a terminal, as text (no colour when not a terminal)."""
    t = Table(title=clean(title) if title else title, show_lines=False, header_style="bold", title_justify="left")
    for column in columns:
        t.add_column(clean(str(column)), overflow="fold")
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

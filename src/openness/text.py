"""Text for people and scripts, shared by the command line, the report and the site: stable JSON, CSV,
and terminal tables. Below every other package: it knows no graph, claim or page.

Terminal tables fit the terminal: cells wrap between words (after a hyphen, or a slash in a URL),
never inside a word;
IRIs are shortened by the caller (`shorten_iri` with a prefix map). Where the output goes decides the
rest: on a terminal the table fits its width and outcomes are coloured; piped, rows are never wrapped
and no colour is written, unless COLUMNS is set explicitly (then the table fits COLUMNS). NO_COLOR
turns colour off and FORCE_COLOR on.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import re
import textwrap
from collections.abc import Mapping, Sequence

GAP = "  "
# Outcome words, coloured on a terminal (the word is always there: colour is never the only signal).
_GREEN, _RED, _YELLOW, _BOLD, _RESET = "\x1b[32m", "\x1b[31m", "\x1b[33m", "\x1b[1m", "\x1b[0m"
OUTCOME_COLOURS = {"yes": _GREEN, "holds": _GREEN, "true": _GREEN, "public": _GREEN, "supported": _GREEN,
                   "no": _RED, "does not hold": _RED, "false": _RED, "closed": _RED, "refuted": _RED,
                   "unknown": _YELLOW, "undetermined": _YELLOW, "not stated": _YELLOW, "gated": _YELLOW,
                   "unverified": _YELLOW}


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


def shorten_iri(value: object, prefixes: Mapping[str, str]) -> object:
    """An IRI as a prefixed name (`oo:OSAID10`) when a prefix covers it; anything else unchanged."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return value
    best = max((ns for ns in prefixes.values() if value.startswith(ns)), key=len, default=None)
    if best is None:
        return value
    local = value[len(best):]
    if not local or any(c in local for c in "/#?"):
        return value
    name = next(p for p, ns in prefixes.items() if ns == best)
    return f"{name}:{local}"


def output_width() -> int | None:
    """The width tables fit: the terminal's, or COLUMNS when set; None (no wrapping) when piped."""
    if sys.stdout is not None and sys.stdout.isatty():
        return max(20, shutil.get_terminal_size((80, 24)).columns)
    given = os.environ.get("COLUMNS", "")
    return max(20, int(given)) if given.isdigit() else None


def use_colour() -> bool:
    """Colour only on a terminal (NO_COLOR turns it off, FORCE_COLOR on)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout is not None and sys.stdout.isatty()


def _pieces(word: str) -> list[str]:
    """A word's parts a line may end after: cut only after its hyphens (and, in a URL, after a slash)."""
    if "://" in word:
        return re.findall(r"[^-/]*[-/]+|[^-/]+", word) or [word]
    return re.findall(r"[^-]*-+|[^-]+", word) or [word]


def _wrap(text: str, width: int | None) -> list[str]:
    """Lines of `text` at most `width` wide, broken between words or after hyphens, never inside a word
    (a part longer than `width` gets a line of its own, overflowing rather than split)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if width is None:
            lines.append(paragraph)
            continue
        line = ""
        for word in paragraph.split():
            for n, piece in enumerate(_pieces(word)):
                joined = line + (" " if n == 0 and line else "") + piece
                if len(joined) <= width or not line:
                    line = joined
                else:
                    lines.append(line)
                    line = piece
        lines.append(line)
    return lines or [""]


def _min_width(text: str) -> int:
    """The narrowest a cell can be without splitting a word: its longest word part."""
    return max((len(p) for w in text.split() for p in _pieces(w)), default=0)


def _widths(cells: Sequence[Sequence[str]], width: int | None, gap: int = len(GAP)) -> list[int]:
    columns = len(cells[0])
    most = [max(len(line) for row in cells for line in row[i].split("\n")) for i in range(columns)]
    if width is None:
        return most
    room = width - gap * (columns - 1)
    if sum(most) <= room:
        return most
    least = [max(_min_width(row[i]) for row in cells) for i in range(columns)]
    widths = list(least)
    spare = room - sum(least)
    # Columns that need less than a fair share of what is spare get it all (ids, yes/no stay whole);
    # then the spare columns go one at a time to the column cut the most (notes, titles wrap).
    settled = False
    while spare > 0 and not settled:
        wanting = [i for i in range(columns) if widths[i] < most[i]]
        fair = spare // max(1, len(wanting))
        settled = True
        for i in sorted(wanting, key=lambda k: most[k] - widths[k]):
            need = most[i] - widths[i]
            if need <= fair and need <= spare:
                widths[i], spare, settled = most[i], spare - need, False
                break
    while spare > 0:
        wanting = [i for i in range(columns) if widths[i] < most[i]]
        if not wanting:
            break
        i = max(wanting, key=lambda k: (most[k] - widths[k], -k))
        widths[i] += 1
        spare -= 1
    return widths


def _paint(text: str, padded: str, colour: bool) -> str:
    code = OUTCOME_COLOURS.get(text.strip().casefold()) or OUTCOME_COLOURS.get(text.split(" ")[0].casefold())
    return f"{code}{padded}{_RESET}" if colour and code and text else padded


def table(columns: Sequence[str], rows: Sequence[Sequence[object]], title: str | None = None, *,
          width: int | None | bool = True, colour: bool | None = None) -> str:
    """A table for a terminal, as text: a header, a rule, one block of lines per row.

    `width` True (default) fits `output_width()`; None never wraps; a number fits that many columns.
    `colour` None colours outcome words when `use_colour()`."""
    if width is True:
        width = output_width()
    colour = use_colour() if colour is None else colour
    cells = [[clean(str(c)) for c in columns]] + [[_cell(v) for v in row] for row in rows]
    fit = width if isinstance(width, int) and width is not True else None
    widths = _widths(cells, fit)
    gap = GAP
    if fit and sum(widths) + len(GAP) * (len(widths) - 1) > fit:
        gap = " "  # narrow terminal: one space between columns rather than splitting words
        widths = _widths(cells, fit, 1)
    out: list[str] = []
    if title:
        title = clean(title)
        out.append(f"{_BOLD}{title}{_RESET}" if colour else title)
    for number, row in enumerate(cells):
        wrapped = [_wrap(text, widths[i] if width else None) for i, text in enumerate(row)]
        for line in range(max(len(w) for w in wrapped)):
            parts = []
            for i, lines in enumerate(wrapped):
                text = lines[line] if line < len(lines) else ""
                padded = text.ljust(widths[i]) if i < len(row) - 1 else text
                if number == 0:
                    parts.append(f"{_BOLD}{padded}{_RESET}" if colour and text else padded)
                else:
                    parts.append(_paint(row[i], padded, colour) if line == 0 else padded)
            out.append(gap.join(parts).rstrip())
        if number == 0:
            out.append(gap.join("─" * w for w in widths))
    return "\n".join(out) + "\n"


def paragraphs(lines: Sequence[str]) -> str:
    """Lines of prose fitted to `output_width()` (continuations indented), never splitting a word."""
    width = output_width()
    out = []
    for line in lines:
        if not width:
            out.append(line)
            continue
        first, *rest = _wrap(line, width)
        # continuations are indented: wrap them again two columns narrower
        out.extend([first, *("  " + part for part in _wrap(" ".join(rest), width - 2) if part)] if rest else [first])
    return "\n".join(out) + "\n"


def dict_table(items: Sequence[Mapping[str, object]], columns: Sequence[str], title: str | None = None) -> str:
    return table(columns, [[item.get(c) for c in columns] for item in items], title)


def csv_text(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else ("true" if v is True else "false" if v is False else v) for v in row])
    return buffer.getvalue()

"""The one SPARQL lexer: tokens of a query with strings, IRIs, comments, variables and prefixed names as
whole tokens, so a keyword or bracket inside them is never taken for one.

Used by guard.py (keywords, nesting depth: the checks a query passes before any engine parses it) and by
claims/setbased.py (the group structure of a SHACL-SPARQL constraint, and its keywords outside strings
and comments). Positions are offsets into the text given: callers that unescape \\uXXXX first (as SPARQL
does) lex the unescaped text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
WORD = re.compile(r"[^\W\d][\w.\-]*(?::(?:[\w.\-:%]|\\.)*)?|:(?:[\w.\-:%]|\\.)*", re.UNICODE)
VAR = re.compile(r"[?$]\w*", re.UNICODE)
OPEN, CLOSE = "({[", ")}]"
_PLAIN = re.compile(r"[\s0-9.,;=!&|*/+\-^@]+")  # runs of what is never a keyword, bracket, string or IRI
_STRINGS = {  # SPARQL's four string forms; a short one cannot span lines
    '"""': re.compile(r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""', re.S),
    "'''": re.compile(r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''", re.S),
    '"': re.compile(r'"(?:[^"\\\n\r]|\\.)*"'),
    "'": re.compile(r"'(?:[^'\\\n\r]|\\.)*'"),
}


class Token(NamedTuple):
    """kind: "comment", "string", "iri", "var", "open", "close", "bnode", "word" (a bare word or a
    prefixed name) or "other" (one character of anything else); text[start:end] is the token."""

    kind: str
    start: int
    end: int


def tokens(text: str) -> Iterator[Token]:
    """The tokens of a SPARQL query, in order (whitespace, numbers and operators are skipped)."""
    i, n = 0, len(text)
    while i < n:
        plain = _PLAIN.match(text, i)
        if plain:
            i = plain.end()
            continue
        c, start = text[i], i
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            yield Token("comment", start, i)
        elif c in "\"'":
            i = skip_string(text, i)
            yield Token("string", start, i)
        elif c == "<":
            match = IRI.match(text, i)
            i = match.end() if match else i + 1
            yield Token("iri" if match else "other", start, i)
        elif c in "?$":
            i = VAR.match(text, i).end()
            yield Token("var", start, i)
        elif c in OPEN:
            i += 1
            yield Token("open", start, i)
        elif c in CLOSE:
            i += 1
            yield Token("close", start, i)
        elif c == "_" and text.startswith("_:", i):
            match = WORD.match(text, i + 1)
            i = match.end() if match else i + 2
            yield Token("bnode", start, i)
        else:
            match = WORD.match(text, i)
            i = match.end() if match else i + 1
            yield Token("word" if match else "other", start, i)


def skip_string(text: str, i: int) -> int:
    """The index after the string literal starting at i; if none is there (an unterminated one), i + 1,
    so what follows is lexed too (stricter, never laxer)."""
    quote = text[i] * 3 if text.startswith(text[i] * 3, i) else text[i]
    match = _STRINGS[quote].match(text, i)
    if match is None and len(quote) == 3:
        match = _STRINGS[quote[0]].match(text, i)  # '""' is an empty short string
    return match.end() if match else i + 1


def braces(text: str) -> list[tuple[int, str]]:
    """The curly braces of a query outside strings, IRIs and comments: (position, '{' or '}')."""
    return [(t.start, text[t.start]) for t in tokens(text) if t.kind in ("open", "close") and text[t.start] in "{}"]


def without_strings(text: str) -> str:
    """The query with its string literals and comments blanked out (a keyword inside them does not count);
    every other character keeps its position."""
    out = list(text)
    for t in tokens(text):
        if t.kind in ("string", "comment"):
            out[t.start:t.end] = " " * (t.end - t.start)
    return "".join(out)

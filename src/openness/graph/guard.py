"""Checks a SPARQL query must pass before any engine parses it: nesting depth and federation (SERVICE).

Used by `openness sparql`, `openness query run` (through Dataset.query) and by `openness serve`'s
endpoint, so the command line and the server refuse the same queries.

Two findings of the hostile pass (issue 11) are answered here:

- Oxigraph's parser is recursive: a FILTER nested some thousands deep overflows its native stack and
  the process dies with SIGSEGV. The depth of brackets is counted first, by the lexer (lexer.py) that skips
  strings, IRIs and comments, and anything deeper than MAX_DEPTH is refused.
- A SERVICE clause makes the engine call any URL the query names (server-side request forgery).
  SERVICE is refused unless the operator allowed federation with named hosts. The lexer finds the
  SERVICE keyword token (a keyword cannot hide in a comment, string, IRI, variable or prefixed name:
  those are tokens of their own); when hosts are allowed, rdflib's SPARQL parser builds the query
  algebra and every SERVICE target in it (subqueries and nested patterns included) must be an IRI
  on one of those hosts: `SERVICE ?var` is always refused, as its target is not known in advance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from ..errors import OpennessError
from .lexer import tokens

MAX_DEPTH = 200  # brackets ( { [ open at once; saved queries use under 10, Oxigraph dies in the thousands

_LETTERS = re.compile(r"[A-Za-z_]+")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class QueryRefused(OpennessError):
    """A query this tool will not run: bad input (exit 2, HTTP 400)."""


def keywords(text: str, max_depth: int = MAX_DEPTH) -> set[str]:
    """The bare words of a SPARQL query (keywords, upper-cased), refusing nesting deeper than max_depth.

    Strings (all four quote styles, with escapes), IRIs, comments, variables and prefixed names are
    skipped as whole tokens, so a word inside them is never taken for a keyword.
    """
    text = unescape_codepoints(text)
    found: set[str] = set()
    depth = deepest = 0
    for token in tokens(text):
        if token.kind == "open":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > max_depth:
                    raise QueryRefused(f"the query nests brackets more than {max_depth} deep: refused "
                                       f"(flatten the expression)")
        elif token.kind == "close":
            depth = max(0, depth - 1)
        elif token.kind == "word":
            word = text[token.start:token.end]
            if ":" not in word:  # a keyword; SPARQL has no bare word with '.' or '-', so split there
                found.update(part.upper() for part in _LETTERS.findall(word))
    return found


def unescape_codepoints(text: str) -> str:
    """Replace \\uXXXX and \\UXXXXXXXX escapes, as SPARQL does to the whole query before parsing it."""
    if "\\u" not in text and "\\U" not in text:
        return text

    def char(match: re.Match) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except (ValueError, OverflowError):
            return match.group()

    return _CODEPOINT.sub(char, text)


def service_targets(text: str) -> list[str | None]:
    """The SERVICE targets in the query's algebra: IRIs, or None for a variable."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    algebra = translateQuery(parseQuery(text)).algebra
    out: list[str | None] = []
    stack: list[object] = [algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                out.append(str(term) if isinstance(term, URIRef) else None)
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return out


def check_query(text: str, allow_federation: Iterable[str] = (), max_depth: int = MAX_DEPTH) -> set[str]:
    """Refuse (QueryRefused) a query nested too deep or calling SERVICE on a host not allowed.

    Returns the query's keywords (upper-cased), e.g. to see whether it has a FROM clause.
    """
    words = keywords(text, max_depth)
    if "SERVICE" not in words:
        return words
    hosts = {h.lower() for h in allow_federation}
    if not hosts:
        raise QueryRefused("SERVICE (federated query) is not allowed: this tool does not call other endpoints "
                           "(an operator can allow named hosts with --allow-federation HOST)")
    try:
        targets = service_targets(text)
    except Exception as exc:  # noqa: BLE001 - any parser failure means the targets cannot be checked
        raise QueryRefused(f"SERVICE is only allowed in a query whose targets can be checked, and this one "
                           f"could not be parsed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    for target in targets:
        if target is None:
            raise QueryRefused("SERVICE with a variable target is not allowed: name the endpoint's IRI")
        parts = urlsplit(target)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or (host not in hosts and f"{host}:{parts.port}" not in hosts):
            raise QueryRefused(f"SERVICE <{target}> is not allowed: federation is allowed only with "
                               f"{', '.join(sorted(hosts))}")
    if not targets:
        raise QueryRefused("SERVICE could not be located in the query's algebra: refused")
    return words


def has_dataset_clause(words: Iterable[str]) -> bool:
    """Whether a query's keywords include FROM (FROM or FROM NAMED: the query names its own dataset)."""
    return "FROM" in set(words)

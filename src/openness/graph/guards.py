"""Checks on a user's RDF file made before a parser sees it (issue 11: no blow-ups, no crashes).

- RDF/XML: entity declarations are expanded by the parser, so a kilobyte "billion laughs" file grows
  to gigabytes. External and parameter entities and entities referring to other entities are refused;
  plain ones (Protégé writes `<!ENTITY owl "http://www.w3.org/2002/07/owl#">`) are allowed while
  their expansion stays within ENTITY_GROWTH times the file's size.
- JSON-LD: the parser recurses per nesting level and overflows its stack (a segfault) near 1,000
  levels of objects, so documents nested deeper than MAX_JSON_DEPTH are refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import OpennessError

MAX_JSON_DEPTH = 256
ENTITY_GROWTH = 10
ENTITY_SLACK = 1024 * 1024

_DOCTYPE = re.compile(rb"<!DOCTYPE\b")
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s*)?([^\s%\"'>]+)\s+(?:(SYSTEM|PUBLIC)\b|([\"'])(.*?)\4)", re.S)
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


def check_rdf_xml(path: Path, data: bytes) -> None:
    """Refuse an RDF/XML document whose DTD entities are dangerous or expand beyond the cap."""
    doctype = _DOCTYPE.search(data)
    if not doctype:
        return
    subset_end = data.find(b"]>", doctype.end())
    head = data[doctype.start(): subset_end if subset_end >= 0 else len(data)]
    line = data[:doctype.start()].count(b"\n") + 1
    values: dict[bytes, bytes] = {}
    for match in _ENTITY.finditer(head):
        parameter, name, external, _, value = match.groups()
        if parameter or external:
            kind = "a parameter entity" if parameter else "an external entity"
            raise OpennessError(f"{path}:{line}: RDF/XML declares {kind} ({name.decode(errors='replace')}); refused")
        if b"&" in value or b"%" in value:
            raise OpennessError(f"{path}:{line}: RDF/XML entity {name.decode(errors='replace')} refers to other "
                                "entities (an entity-expansion bomb?); refused")
        values[name] = value
    if b"<!ENTITY" in head and not values:
        raise OpennessError(f"{path}:{line}: RDF/XML entity declaration not understood; refused")
    if not values:
        return
    body = data[subset_end:] if subset_end >= 0 else b""
    grown = sum(body.count(b"&" + name + b";") * len(value) for name, value in values.items())
    if grown > ENTITY_GROWTH * len(data) + ENTITY_SLACK:
        raise OpennessError(f"{path}:{line}: RDF/XML entities would expand the file {grown // max(1, len(data))} "
                            "times over (an entity-expansion bomb?); refused")


def check_json_depth(path: Path, data: bytes, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse JSON nested deeper than `limit` arrays and objects (strings are skipped over)."""
    depth = 0
    for match in _JSON_TOKEN.finditer(data):
        token = match.group()
        if token in (b"{", b"["):
            depth += 1
            if depth > limit:
                line = data[:match.start()].count(b"\n") + 1
                raise OpennessError(f"{path}:{line}: JSON nested more than {limit} levels deep; refused")
        elif token in (b"}", b"]"):
            depth -= 1


def check_rdf_file(path: Path, format_name: str) -> None:
    """The checks a file of this format (pyoxigraph's RdfFormat.name) needs before it is parsed (none for the line and Turtle formats)."""
    if format_name not in ("RDF/XML", "JSON-LD"):
        return
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise OpennessError(f"{path}: cannot read: {exc.strerror}") from None
    if format_name == "RDF/XML":
        check_rdf_xml(path, data)
    else:
        check_json_depth(path, data)


_UPDATE = re.compile(r"^(?:\s|#[^\n]*\n|(?:PREFIX|BASE)\b[^\n]*\n)*\s*"
                     r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


def refuse_update(text: str) -> None:
    """A SPARQL update (DROP ALL, INSERT DATA, ...) is refused with a message saying so, not "syntax error"."""
    match = _UPDATE.match(text)
    if match:
        raise OpennessError(f"SPARQL updates are not allowed ({match.group(1).upper()}): openness only reads the "
                            "graph; change the data files instead")


MAX_QUERY_DEPTH = 256
_QUERY_TOKEN = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"'
                          r"|'(?:[^'\\\n]|\\.)*'|#[^\n]*|[(){}\[\]]")


def check_query_depth(text: str, limit: int = MAX_QUERY_DEPTH) -> None:
    """Refuse a SPARQL query nested deeper than `limit` brackets: the parser recurses and overflows its
    stack (a segfault) a few thousand levels down. Strings and comments are skipped over."""
    depth = 0
    for match in _QUERY_TOKEN.finditer(text):
        token = match.group()
        if token in ("(", "{", "["):
            depth += 1
            if depth > limit:
                raise OpennessError(f"the query is nested more than {limit} brackets deep; refused")
        elif token in (")", "}", "]"):
            depth -= 1


def broken_links(folder: Path) -> list[Path]:
    """Symbolic links under `folder` that lead nowhere (dangling, or looping back on themselves)."""
    return sorted(p for p in folder.rglob("*") if p.is_symlink() and not p.exists())

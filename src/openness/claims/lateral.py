"""Triple patterns inside (NOT) EXISTS as a chain of LATERAL joins, for Oxigraph.

Why: Oxigraph's optimizer does not reorder the joins inside an EXISTS pattern, and joins them as hash
joins whose every side is evaluated in full for each outer solution (only the outer solution's own
bindings are substituted). So in `EXISTS { $this oo:hasComponent ?c . ?c oo:componentKind ?k }` the
second pattern, which shares no variable with the outer solution, scans every component of the store
once per focus node: the constraint costs focus nodes x store, and a chunk of 50 projects cost 30-200
times one of 5 (e.g. `FILTER NOT EXISTS` over a release's components: 0.2 ms at 5 projects, 19.7 ms at
50). Written as `$this oo:hasComponent ?c LATERAL { ?c oo:componentKind ?k }` (SEP-0006, which
pyoxigraph implements), each pattern is evaluated with the solutions of the ones before it bound, as
index lookups: 0.2 ms at 50 projects.

Only single triple patterns are wrapped, never a group, an OPTIONAL or a FILTER: for a triple pattern
`t`, LATERAL(P, t) and Join(P, t) have the same solutions (substituting P's bindings into t and then
joining is joining), so the answers cannot change; a group's own FILTERs and BINDs stay where they are.
A group this module cannot read with certainty (blank-node property lists, numbers, VALUES, GRAPH,
SERVICE, sub-SELECT, collection paths) is left as written. The text is for Oxigraph only: the shapes
stay standard SPARQL 1.1, and pySHACL, the reference, runs them as written (tests/test_setbased.py).
"""

from __future__ import annotations

import re

from ..graph.lexer import Token, tokens

_KEYWORDS = {"filter", "bind", "optional", "minus", "graph", "service", "values", "union", "lateral", "not",
             "exists", "select"}
_ABORT = {"minus", "graph", "service", "values", "select"}
_EXISTS_BEFORE = re.compile(r"\bEXISTS\s*$", re.IGNORECASE)


class _Unreadable(Exception):
    """A group this module does not rewrite."""


def _toks(text: str) -> list[Token]:
    """The tokens without comments, an empty `[]` as one blank-node token; a labelled blank node, which
    SPARQL scopes to one basic graph pattern, makes the group unreadable here."""
    out: list[Token] = []
    for t in tokens(text):
        if t.kind == "comment":
            continue
        if t.kind == "bnode":
            raise _Unreadable("labelled blank node")
        if t.kind == "close" and text[t.start] == "]" and out and out[-1].kind == "open" and text[out[-1].start] == "[" \
                and not text[out[-1].end:t.start].strip():
            out[-1] = Token("anon", out[-1].start, t.end)
            continue
        out.append(t)
    return out


def _word(text: str, t: Token) -> str:
    return text[t.start:t.end].lower() if t.kind == "word" else ""


def _matching(toks: list[Token], text: str, i: int) -> int:
    """The index of the bracket closing the one opened at toks[i]."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j].kind == "open":
            depth += 1
        elif toks[j].kind == "close":
            depth -= 1
            if depth == 0:
                return j
    raise _Unreadable("unbalanced")


def _gap(text: str, toks: list[Token], i: int, end: int) -> str:
    """The text between toks[i] and the next token (or `end`)."""
    stop = toks[i + 1].start if i + 1 < len(toks) else end
    return text[toks[i].end:stop]


def _triples(text: str, toks: list[Token], end: int) -> list[str]:
    """The triple patterns of one statement (`s p o ; p2 o2 , o3`), each as text."""
    if len(toks) < 3:
        raise _Unreadable("not a whole triple")
    for i in range(len(toks)):
        gap = _gap(text, toks, i, end)
        if re.search(r"\d", gap) or toks[i].kind in ("open", "close", "comment") or text[toks[i].start:toks[i].end] in "?$":
            raise _Unreadable("number, bracket or bare variable marker in a triple")
    subject = text[toks[0].start:toks[0].end]
    out: list[str] = []
    if toks[0].kind == "anon" and any(_gap(text, toks, i, end).strip() in (";", ",") for i in range(len(toks))):
        raise _Unreadable("[] shared by several triples")
    i = 1
    while i < len(toks):
        # the verb: tokens joined by path operators (/ | ^) in their gaps
        start = i
        while i < len(toks) - 1 and re.fullmatch(r"\s*[/|^]\s*", _gap(text, toks, i, end)):
            i += 1
        if re.search(r"[*+]", _gap(text, toks, i, end)):
            raise _Unreadable("repeated path")
        verb = text[toks[start].start:toks[i].end]
        i += 1
        while True:  # the objects, separated by commas; a literal may carry ^^datatype or @lang
            if i >= len(toks):
                raise _Unreadable("no object")
            o_start = i
            while i < len(toks) - 1 and re.fullmatch(r"\s*(\^\^|@)\s*", _gap(text, toks, i, end)):
                i += 1
            obj = text[toks[o_start].start:toks[i].end]
            out.append(f"{subject} {verb} {obj}")
            sep = _gap(text, toks, i, end).strip()
            i += 1
            if sep == ",":
                continue
            if sep == ";":
                break
            if sep in ("", ".") and i >= len(toks):
                return out
            raise _Unreadable(f"unexpected {sep!r} in a triple")
    return out


def _rewrite_group(body: str) -> str:
    """A group's inside with its triple patterns chained by LATERAL (nested groups rewritten too)."""
    toks = _toks(body)
    pieces: list[str] = []
    first_triple = True
    i = 0
    while i < len(toks):
        t = toks[i]
        word = _word(body, t)
        if word in _ABORT or (t.kind == "open" and body[t.start] == "["):
            raise _Unreadable(word or "blank-node property list")
        if t.kind == "open" and body[t.start] == "{":
            close = _matching(toks, body, i)
            pieces.append("{" + _rewrite_group(body[t.end:toks[close].start]) + "}")
            i = close + 1
            continue
        if word in _KEYWORDS:
            # FILTER (...), FILTER [NOT] EXISTS {...}, FILTER fn(...), BIND (...), OPTIONAL {...}, UNION,
            # LATERAL {...}: kept as written up to its first bracket's match (groups inside rewritten).
            j = i
            while j < len(toks) and toks[j].kind != "open":
                j += 1
            if word == "union":
                pieces.append(body[t.start:t.end])
                i += 1
                continue
            if j >= len(toks):
                raise _Unreadable("keyword without brackets")
            close = _matching(toks, body, j)
            head = body[t.start:toks[j].start]
            inner = body[toks[j].end:toks[close].start]
            if body[toks[j].start] == "{":
                pieces.append(head + "{" + _rewrite_group(inner) + "}")
            else:
                pieces.append(head + "(" + exists_as_lateral(inner) + ")")
            i = close + 1
            continue
        # a statement: term tokens up to a '.' at this level, a keyword or a group
        j = i
        while j < len(toks):
            nxt = toks[j]
            if j > i and ((nxt.kind == "open" and body[nxt.start] in "{[") or _word(body, nxt) in _KEYWORDS):
                break
            gap = _gap(body, toks, j, len(body))
            j += 1
            if "." in gap:
                if gap.strip() != ".":
                    raise _Unreadable("statement end")
                break
        for triple in _triples(body, toks[i:j], toks[j].start if j < len(toks) else len(body)):
            pieces.append(triple + " ." if first_triple else "LATERAL { " + triple + " }")
            first_triple = False
        i = j
    return "\n".join(pieces)


def exists_as_lateral(select: str) -> str:
    """The query with the triple patterns of every (NOT) EXISTS group chained by LATERAL (see module
    docstring); a group that cannot be read with certainty is left as written."""
    try:
        toks = _toks(select)
    except _Unreadable:
        return select
    out: list[str] = []
    last = 0
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "open" and select[t.start] == "{" and _EXISTS_BEFORE.search(select[:t.start]):
            try:
                close = _matching(toks, select, i)
            except _Unreadable:
                return select
            body = select[t.end:toks[close].start]
            try:
                rewritten = _rewrite_group(body)
            except _Unreadable:
                rewritten = body
            out.append(select[last:t.end] + rewritten)
            last = toks[close].start
            i = close
        i += 1
    out.append(select[last:])
    return "".join(out)

"""Set-based SHACL-SPARQL: each constraint runs once over all its focus nodes (the SHACL pre-binding of
$this as a join with the shape's targets), not once per focus node.

SHACL pre-binding substitutes the focus node for $this everywhere in the query, including inside
UNION branches, OPTIONAL and FILTER (NOT) EXISTS groups. Under SPARQL's bottom-up semantics a group
sees only the variables it binds itself, so a join with the targets placed once at the top would not
reach a `FILTER NOT EXISTS { $this ... }` inside a UNION branch. `join_with_targets` therefore puts the
target pattern (`[] ?_target0 $this`, `$this a/rdfs:subClassOf* ?_target0`, ..., with the shape's
property or class bound as an RDF term when the query runs) at the start of EVERY
group graph pattern that mentions $this: within each group $this then ranges over the focus nodes, a
group nested in another one joins on $this (compatible bindings only), and an EXISTS group receives
the outer $this by substitution, where the target pattern is a satisfied lookup. The result, grouped
by $this, is what pre-binding gives for each focus node, provided the query has no MINUS, VALUES,
SERVICE or sub-SELECT (SHACL 5.3.1.1 forbids the first three with pre-binding; a sub-SELECT would
need its own projection of $this). Constraints using them, or listed in PER_FOCUS after a failed
differential test, fall back to per-focus substitution (shacl_sparql.run), that constraint only.
tests/test_setbased.py compares both with pySHACL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pyoxigraph as ox

from ..graph.lexer import braces, without_strings
from .lateral import exists_as_lateral
from .shacl_sparql import RDF_TYPE, Constraint, NodeShape

# Constraints run per focus node (substitution) instead, should a differential test show one not join-safe:
# none is.
PER_FOCUS: frozenset[str] = frozenset()
_UNSAFE = re.compile(r"\b(MINUS|VALUES|SERVICE)\b|\{\s*SELECT\b", re.IGNORECASE)
_THIS = re.compile(r"[?$]this\b")
_SELECT_HEAD = re.compile(r"\bSELECT\s+(DISTINCT\s+|REDUCED\s+)?", re.IGNORECASE)
_KEYWORD_BEFORE = re.compile(r"\b(OPTIONAL|EXISTS)\s*$", re.IGNORECASE)
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


def target_pattern(targets: Sequence[tuple[str, str]]) -> str:
    """A graph pattern binding $this to the focus nodes of the shape's targets. Each target's class or
    property is a variable (?_target0, ...) bound as an RDF term when the query runs (target_bindings),
    never formatted into the query text."""
    parts = []
    for number, (kind, _) in enumerate(targets):
        term = f"?_target{number}"
        if kind == "targetObjectsOf":
            parts.append(f"[] {term} $this .")
        elif kind == "targetSubjectsOf":
            parts.append(f"$this {term} [] .")
        elif kind == "targetClass":
            parts.append(f"$this <{RDF_TYPE}>/{_SUBCLASS}* {term} .")
        else:  # pragma: no cover - compile_shape admits four kinds, join_with_targets passes three
            raise NotImplementedError(kind)
    if len(parts) == 1:
        return parts[0]
    return " UNION ".join("{ " + p + " }" for p in parts)


def target_bindings(targets: Sequence[tuple[str, str]]) -> dict[ox.Variable, ox.NamedNode]:
    """The substitutions of target_pattern's variables: each target's IRI as an RDF term."""
    return {ox.Variable(f"_target{number}"): ox.NamedNode(iri) for number, (_, iri) in enumerate(targets)}


def join_with_targets(select: str, targets: Sequence[tuple[str, str]]) -> str | None:
    """The constraint's SELECT with $this joined with the targets in every group that mentions it,
    and $this projected; None when the query is not join-safe (see the module docstring)."""
    if _UNSAFE.search(without_strings(select)):
        return None
    if any(kind == "targetNode" for kind, _ in targets):
        # pyoxigraph's substitutions reach a variable in a triple pattern, not one in an expression such
        # as BIND(?_target0 AS $this): a target node is left to per-focus substitution (no shape uses one).
        return None
    pattern = target_pattern(targets)
    # Each group: (start, end, parent start); a group is injected when it mentions $this, unless it is an
    # OPTIONAL or (NOT) EXISTS group directly inside an injected group (there $this is already bound:
    # by the left side of the left join, or by EXISTS's substitution), which keeps Oxigraph's plans flat.
    stack: list[int] = []
    spans: dict[int, tuple[int, int | None]] = {}
    for pos, brace in braces(select):
        if brace == "{":
            spans[pos] = (-1, stack[-1] if stack else None)
            stack.append(pos)
        else:
            if not stack:
                return None
            start = stack.pop()
            spans[start] = (pos, spans[start][1])
    if stack or not spans:
        return None
    injected: set[int] = set()
    for start in sorted(spans):
        end, parent = spans[start]
        if not _THIS.search(select, start, end):
            continue
        if parent in injected and _KEYWORD_BEFORE.search(select[:start]):
            continue
        injected.add(start)
    if not injected:
        return None
    out = select
    for start in sorted(injected, reverse=True):
        out = out[:start + 1] + " " + pattern + " " + out[start + 1:]
    head = _SELECT_HEAD.search(out)
    if head is None:
        return None
    projection = out[head.end():out.find("{")]
    if "*" not in projection:
        # pyoxigraph substitutes only projected variables: the target variables are projected too.
        bound = " ".join(f"?_target{number}" for number in range(len(targets)))
        this = "" if _THIS.search(projection) else "$this "
        out = out[:head.end()] + this + bound + " " + out[head.end():]
    if re.search(r"\bGROUP\s+BY\b", out, re.IGNORECASE):
        return None
    return out


_TERM = r"(?:[A-Za-z][\w-]*)?:[\w-]+|<[^<>\s]*>"
_SEQUENCE = re.compile(rf"([?$]\w+)\s+((?:{_TERM})(?:/(?:{_TERM}))+)\s+([?$]\w+|{_TERM})(?=\s*[.}}])")


def sequence_paths_as_joins(select: str) -> str:
    """`?s p1/p2 ?o` (a triple on its own, plain IRIs) as `?s p1 ?_sN . ?_sN p2 ?o`.

    SPARQL 1.1 (18.2.2.4) defines a sequence path as exactly that join with a fresh variable, so the
    solutions are the same. Why: inside EXISTS, Oxigraph evaluated `$this oo:hasComponent/
    oo:componentKind oo:FinalParameters` from its object end, over every component of the store, for
    each solution (SeedLicenceGranted on 5 synthetic projects: 2.07 s -> 0.15 s as a join)."""
    count = [0]

    def expand(m: re.Match) -> str:
        steps = m.group(2).split("/")
        terms = [m.group(1)]
        for _ in steps[:-1]:
            count[0] += 1
            terms.append(f"?_s{count[0]}")
        terms.append(m.group(3))
        return " . ".join(f"{terms[i]} {step} {terms[i + 1]}" for i, step in enumerate(steps))

    return _SEQUENCE.sub(expand, select)


def set_based_query(shape: NodeShape, constraint: Constraint) -> str | None:
    """The set-based form of one constraint of one shape, or None: per-focus substitution for it."""
    if constraint.node in PER_FOCUS:
        return None
    joined = join_with_targets(constraint.select, shape.targets)
    return None if joined is None else exists_as_lateral(sequence_paths_as_joins(joined))


def cell(term) -> tuple[bool, str] | None:
    """A solution cell as plain data (picklable): (is an IRI, lexical value), or None."""
    if term is None:
        return None
    return isinstance(term, ox.NamedNode), term.value

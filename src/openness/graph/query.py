"""Saved SPARQL queries: read their headers, bind parameters as RDF terms, run locally or remotely.

A saved query is `queries/<name>.rq`, valid SPARQL that opens with comment lines (docs/conventions.md):
    #+ title: One line
    #+ description: What it answers (may repeat to continue)
    #+ param: ?name (type) what it is [default: value]
Types: iri, project, licence, string, integer, decimal, date, boolean. Values from the command line
become RDF terms of that type and are bound, never pasted into the text (docs/conventions.md): locally through
pyoxigraph's substitutions, remotely through a trailing VALUES clause written from the terms'
N-Triples forms (so the query text itself is never edited).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .. import resources
from ..errors import OpennessError, suggest

XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = ("iri", "project", "licence", "string", "integer", "decimal", "date", "boolean")
_PARAM_LINE = re.compile(r"^\?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+\((?P<type>[a-z]+)\)\s*(?P<desc>.*?)"
                         r"(?:\s*\[default:\s*(?P<default>[^\]]*)\])?$")
_FORM = re.compile(r"^\s*(?:(?:PREFIX|BASE)\b[^\n]*\n|\s|#[^\n]*\n)*\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
                   re.IGNORECASE)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    default: str | None = None


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    form: str = "SELECT"


@dataclass
class QueryResult:
    """What a query returned: a SELECT's variables and rows, an ASK's boolean, or graph triples."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[list[object]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)


def parse_header(text: str, path: Path) -> tuple[str, str, tuple[Param, ...]]:
    """Title, description and parameters from a query's `#+` header lines."""
    title, description, params = "", [], []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        if not stripped.startswith("#+"):
            continue
        key, _, value = stripped[2:].partition(":")
        key, value = key.strip(), value.strip()
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        elif key == "param":
            match = _PARAM_LINE.match(value)
            if not match or match["type"] not in PARAM_TYPES:
                raise OpennessError(f"{path}:{number}: bad '#+ param:' line (expected '?name (type) text', "
                                    f"type one of {', '.join(PARAM_TYPES)})")
            params.append(Param(match["name"], match["type"], match["desc"].strip(), match["default"]))
    if not title:
        raise OpennessError(f"{path}: no '#+ title:' header line")
    return title, " ".join(description), tuple(params)


def read_query(path: Path) -> SavedQuery:
    """Read one saved query file."""
    text = path.read_text(encoding="utf-8")
    title, description, params = parse_header(text, path)
    form = _FORM.match(text)
    return SavedQuery(path.stem, path, title, description, params, text,
                      form.group(1).upper() if form else "SELECT")


def saved_queries(folder: Path | None = None) -> dict[str, SavedQuery]:
    """Every saved query by name, in name order."""
    folder = folder or resources.queries_dir()
    return {p.stem: read_query(p) for p in sorted(folder.glob("*.rq"))}


def get_query(name: str) -> SavedQuery:
    """The saved query called `name`, or an error suggesting close names."""
    queries = saved_queries()
    if name not in queries:
        raise OpennessError(f"unknown query {name!r}{suggest(name, queries)}; `openness query list` shows them all")
    return queries[name]


def parse_param_args(given: Sequence[str]) -> dict[str, str]:
    """NAME=VALUE strings from the command line, as a dict."""
    out: dict[str, str] = {}
    for item in given:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise OpennessError(f"bad --param {item!r}: expected NAME=VALUE")
        if name.strip().lstrip("?") in out:
            raise OpennessError(f"--param {name.strip().lstrip('?')} given twice; give each parameter once")
        out[name.strip().lstrip("?")] = value
    return out


Resolver = Callable[[str], str]


def to_term(param: Param, value: str, resolve_project: Resolver | None = None,
            resolve_licence: Resolver | None = None) -> ox.NamedNode | ox.Literal:
    """The RDF term a command-line value stands for, checked against the parameter's type."""
    bad = f"bad value {value!r} for parameter {param.name} ({param.type})"
    try:
        if param.type == "iri":
            if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
                raise ValueError("not an absolute IRI")
            return ox.NamedNode(value)
        if param.type == "project":
            return ox.NamedNode(resolve_project(value) if resolve_project else value)
        if param.type == "licence":
            return ox.NamedNode(resolve_licence(value) if resolve_licence else value)
        if param.type == "string":
            return ox.Literal(value)
        if param.type == "integer":
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
        if param.type == "decimal":
            float(value)
            return ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal"))
        if param.type == "date":
            return ox.Literal(dt.date.fromisoformat(value).isoformat(), datatype=ox.NamedNode(XSD + "date"))
        if param.type == "boolean":
            if value.lower() not in ("true", "false"):
                raise ValueError("expected true or false")
            return ox.Literal(value.lower(), datatype=ox.NamedNode(XSD + "boolean"))
    except OpennessError:
        raise
    except ValueError as exc:
        raise OpennessError(f"{bad}: {exc}") from None
    raise OpennessError(bad)


def bind(query: SavedQuery, given: Mapping[str, str], resolve_project: Resolver | None = None,
         resolve_licence: Resolver | None = None) -> dict[str, ox.NamedNode | ox.Literal]:
    """Check the given values against the query's parameters and turn them into RDF terms."""
    declared = {p.name: p for p in query.params}
    for name in given:
        if name not in declared:
            hint = f"; it takes {', '.join(declared)}" if declared else "; it takes no parameters"
            raise OpennessError(f"query {query.name} has no parameter {name!r}{hint}")
    for param in query.params:
        if given.get(param.name, param.default) is None:
            raise OpennessError(f"query {query.name} needs --param {param.name}=VALUE ({param.type}: {param.description})")
    return {param.name: to_term(param, given.get(param.name, param.default) or "", resolve_project, resolve_licence)
            for param in query.params}


def plain(term: object) -> object:
    """A term as a plain JSON value: booleans and numbers by datatype, everything else a string."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype else ""
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        if datatype in (XSD + "integer", XSD + "int", XSD + "long", XSD + "nonNegativeInteger"):
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
            try:
                return float(term.value)
            except ValueError:
                return term.value
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return getattr(term, "value", str(term))


def run_local(dataset, text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> QueryResult:
    """Run a query over a Dataset."""
    result = dataset.query(text, bindings)
    if isinstance(result, (bool, ox.QueryBoolean)):
        return QueryResult("ASK", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return QueryResult("SELECT", names, [[s[n] for n in names] for s in result])
    return QueryResult("CONSTRUCT", triples=list(result))


def values_clause(bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """A trailing SPARQL VALUES clause binding each variable to a term in N-Triples form."""
    if not bindings:
        return ""
    names = " ".join("?" + name for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())  # str() of a pyoxigraph term is its N-Triples form
    return "\nVALUES (" + names + ") { (" + terms + ") }\n"


def bound_for_endpoint(text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """The query as sent to an endpoint: the trailing VALUES clause, plus the same one-row VALUES at the start
    of the WHERE group of every sub-SELECT that projects the variable as it is (SELECT * included).

    Why: the embedded store substitutes a parameter wherever it is in scope, sub-SELECTs that project it
    included (SEP-0007), so a query about two projects starts from them. A trailing VALUES is joined after
    the sub-SELECTs are evaluated, so at an endpoint compare-projects paired every project of a 100,000-project
    catalogue with every other (the stock Oxigraph server passed 8 GB in 7 s). Joining the one-row VALUES
    inside a sub-SELECT whose solutions bind the variable keeps the same solutions of it, and the trailing
    VALUES still joins the whole. A variable bound by `AS` in a projection is left to the trailing VALUES."""
    from .lexer import tokens

    if not bindings:
        return text
    toks = [t for t in tokens(text) if t.kind not in ("comment", "string")]
    inserts: list[tuple[int, str]] = []
    for i, t in enumerate(toks):
        if t.kind != "word" or text[t.start:t.end].upper() != "SELECT":
            continue
        j = i + 1  # the projection runs to the WHERE keyword or the group's brace
        while j < len(toks) and not (toks[j].kind == "open" and text[toks[j].start] == "{") \
                and text[toks[j].start:toks[j].end].upper() != "WHERE":
            j += 1
        while j < len(toks) and not (toks[j].kind == "open" and text[toks[j].start] == "{"):
            j += 1
        if j >= len(toks):
            continue
        projection = text[t.end:toks[j].start]
        star = "*" in projection
        names = [n for n in bindings
                 if star or (re.search(rf"[?$]{n}\b", projection) and not re.search(rf"\bAS\s+[?$]{n}\b", projection, re.I))]
        if names:
            inserts.append((toks[j].end, " " + values_clause({n: bindings[n] for n in names}).strip() + " "))
    for at, clause in sorted(inserts, reverse=True):
        text = text[:at] + clause + text[at:]
    return text + values_clause(bindings)


def _remote_term(cell: Mapping[str, str]) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    kind = cell.get("type")
    if kind == "uri":
        return ox.NamedNode(cell["value"])
    if kind == "bnode":
        return ox.BlankNode(cell["value"])
    if "xml:lang" in cell:
        return ox.Literal(cell["value"], language=cell["xml:lang"])
    if "datatype" in cell:
        return ox.Literal(cell["value"], datatype=ox.NamedNode(cell["datatype"]))
    return ox.Literal(cell["value"])


DEFAULT_ENDPOINT_TIMEOUT = 60.0


def discover_graphs(endpoint: str, prefix: str, timeout: float = DEFAULT_ENDPOINT_TIMEOUT) -> list[str]:
    """The endpoint's named graphs whose IRI starts with `prefix` (what `push` created)."""
    result = run_remote(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {}, (), timeout=timeout)
    return sorted(str(plain(row[0])) for row in result.rows if str(plain(row[0])).startswith(prefix))


def run_remote(endpoint: str, text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
               default_graphs: Sequence[str] = (), *, timeout: float = DEFAULT_ENDPOINT_TIMEOUT,
               allow_federation: Sequence[str] = ()) -> QueryResult:
    """Run a query on a SPARQL 1.1 endpoint through SPARQLWrapper, binding parameters with VALUES.

    The query passes the same checks as a local one (guard.check_query) before it is sent. An endpoint
    that cannot be reached, fails, or does not answer within `timeout` seconds is an EndpointError
    (exit 4); a query the endpoint refuses as malformed (HTTP 400) stays bad input (exit 2).

    `default_graphs` become the protocol's default-graph-uri parameters: against a store whose
    default graph does not include its named graphs (Oxigraph without --union-default-graph),
    naming the pushed graphs makes the remote answer equal the embedded one.
    """
    from urllib.error import URLError

    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

    from ..errors import EndpointError
    from .guard import check_query

    words = check_query(text, allow_federation)
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setTimeout(max(1, round(timeout)))
    for graph in default_graphs:
        client.addDefaultGraph(graph)
    client.setQuery(bound_for_endpoint(text, bindings or {}))
    # SPARQLWrapper guesses the form from the text and takes a word in a comment ("copy", "describe") for
    # it, then sends the query as an update or asks for RDF (HTTP 400 / 406): read it from the keywords.
    form = next((f for f in ("CONSTRUCT", "DESCRIBE", "ASK") if f in words), "SELECT")
    client.queryType = form
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            client.setReturnFormat("nt")
            client.addCustomHttpHeader("Accept", "application/n-triples")
            raw = client.query().response.read()
            return QueryResult("CONSTRUCT", triples=list(ox.parse(raw, format=ox.RdfFormat.N_TRIPLES)))
        client.setReturnFormat(JSON)
        data = client.query().convert()
    except QueryBadFormed as exc:
        raise OpennessError(f"endpoint {endpoint} refused the query: {_first_line(exc)}") from None
    except TimeoutError:
        raise EndpointError(f"endpoint {endpoint}: no answer within {timeout:g} seconds") from None
    except (URLError, SPARQLWrapperException, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise EndpointError(f"endpoint {endpoint}: {_first_line(reason)}") from None
    if not isinstance(data, dict):
        raise EndpointError(f"endpoint {endpoint}: did not answer with SPARQL JSON results")
    if "boolean" in data:
        return QueryResult("ASK", boolean=bool(data["boolean"]))
    names = data.get("head", {}).get("vars", [])
    rows = [[_remote_term(b[n]) if n in b else None for n in names] for b in data["results"]["bindings"]]
    return QueryResult("SELECT", names, rows)


def _first_line(exc: object) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


class LocalBackend:
    """Queries answered by an embedded Dataset."""

    def __init__(self, dataset) -> None:
        self.dataset = dataset

    def run(self, text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> QueryResult:
        return run_local(self.dataset, text, bindings)


class RemoteBackend:
    """Queries answered by a SPARQL 1.1 endpoint, over the graphs `push` created there."""

    def __init__(self, endpoint: str, default_graphs: Sequence[str] = (), timeout: float = DEFAULT_ENDPOINT_TIMEOUT,
                 allow_federation: Sequence[str] = ()) -> None:
        self.endpoint = endpoint
        self.default_graphs = list(default_graphs)
        self.timeout = timeout
        self.allow_federation = tuple(allow_federation)

    def run(self, text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> QueryResult:
        return run_remote(self.endpoint, text, bindings, self.default_graphs, timeout=self.timeout,
                          allow_federation=self.allow_federation)


def rows_as_dicts(result: QueryResult) -> list[dict[str, object]]:
    """A SELECT result as a list of objects from variable name to plain value."""
    return [{name: plain(cell) for name, cell in zip(result.variables, row)} for row in result.rows]

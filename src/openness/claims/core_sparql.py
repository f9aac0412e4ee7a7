"""SHACL Core shapes as set-based SPARQL on Oxigraph: one SELECT per constraint over all focus nodes.

The integrity shapes (shapes/integrity.ttl) use a handful of SHACL Core constraint components; each is
compiled here to a fixed SELECT whose solutions are the validation results (focus node, value) of that
constraint for every focus node at once, following the definitions of SHACL section 4:
- targets: sh:targetClass, the instances of the class or of a subclass (rdf:type/rdfs:subClassOf*);
- value nodes: the focus node itself (a node shape's own constraints) or the objects of a predicate
  path (a property shape's sh:path, an IRI);
- sh:minCount / sh:maxCount: the number of distinct value nodes, one result per focus node, no value;
- sh:class: each value node that is not an instance of the class (rdf:type/rdfs:subClassOf*), a
  literal never is;
- sh:nodeKind: each value node not of the kind (IRI, blank node, literal and their pairs);
- sh:datatype: each value node that is not a literal of the datatype, or is an ill-typed one
  ("yes"^^xsd:boolean); only xsd:string, rdf:langString and xsd:boolean, whose lexical spaces are
  checked here exactly as rdflib (pySHACL's reference) checks them;
- sh:pattern (with sh:flags i and m, as pySHACL reads them): each value node that is a blank node or
  whose string does not match; rows the SPARQL REGEX rejects are checked again with Python's re on the
  string pySHACL matches (a typed literal's canonical form). A string the REGEX accepts is not checked
  again: where the two dialects differ on a string (Python's `$` also matches before a final newline)
  pySHACL could report what this does not; a pattern REGEX cannot read at all runs on pySHACL.
The message is the shape's sh:message, or pySHACL's own default text where the shape gives none
(sh:class, sh:nodeKind, sh:datatype, sh:pattern; a count constraint's default names the focus node in
the data graph's prefixes, so a count without sh:message is left to pySHACL).

Every IRI, number, pattern and flag from a shape is bound as an RDF term (pyoxigraph substitutions,
projected, as pyoxigraph requires); a query's text depends only on the component and on how many
(sub)classes it names (?_target0, ?_target1, ..., see `expand`). A node shape using anything else
(another target, component, path, severity, parameter or message template) is not compiled:
`compile_shapes` returns it to run on pySHACL as before, so nothing is skipped silently.
tests/test_core_sparql.py compares both engines on broken catalogues.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from .catalogue import SH, shapes_graph
from .results import Result, make_result

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
# The focus nodes of a class target: pyoxigraph 0.5 evaluates a property path whose end is a substituted
# variable over every node of the store (rdf:type/rdfs:subClassOf* ?_target: 1.9 s for the 2 licences
# of a 1,000-project catalogue, against 1 ms with the class in the text), so the subclass closure
# (rdfs:subClassOf*, reflexive) is read from the store first (`subclasses`) and each class is bound to a
# variable: {targets} is `?this rdf:type ?_target0` or a UNION of one such pattern per class, {target_vars}
# those variables (`expand`); {classes} and {class_vars} likewise for sh:class (?_class0, ...).
_TARGET = "{targets}"
_TYPE = f"<{RDF}type>"
# Plans (on-disk store, 1,000 projects, 19,050 components, one constraint on oo:componentKind): the
# values are read first, filtered, and only the violations joined with the focus nodes; an absence is a
# MINUS (a hash anti-join over two index scans), not a NOT EXISTS or an OPTIONAL with GROUP BY (a lookup
# per focus node): minCount 1.66 s -> 0.24 s, maxCount 1.40 s -> 0.44 s, sh:class 2.31 s -> 0.17 s;
# all 27 integrity constraints: 17.1 s -> 3.9 s (a loaded machine; the ratios are what count).
_PROPERTY_VALUE = "?this ?_path ?value ."
_NODE_VALUE = "{targets} BIND(?this AS ?value)"

# Value-node components: the group keeping the values that violate, and the variables it binds. The
# texts are fixed: vocabulary IRIs written out, every term from a shape bound as a variable, and only the
# engine's own variable lists ({targets}, {classes}, ...) filled in by `expand`.
_VIOLATING = {
    "class": ("MINUS { ?value <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?_type . "
              "FILTER(?_type IN ({classes})) }", ("{class_vars}",)),
    "nodeKind": ("FILTER(!((isIRI(?value) && ?_iri) || (isBlank(?value) && ?_blank) "
                 "|| (isLiteral(?value) && ?_literal)))", ("?_iri", "?_blank", "?_literal")),
    # rdflib's lexical check of xsd:boolean (rdflib.term._well_formed_boolean): exactly these four forms.
    "datatype": ("FILTER(!(isLiteral(?value) && datatype(?value) = ?_datatype "
                 "&& (?_datatype != <http://www.w3.org/2001/XMLSchema#boolean> "
                 '|| STR(?value) IN ("true", "false", "1", "0"))))', ("?_datatype",)),
    "pattern": ("FILTER(isBlank(?value) || (isLiteral(?value) && datatype(?value) != <http://www.w3.org/2001/XMLSchema#string> "
                "&& datatype(?value) != <http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>) "
                "|| !REGEX(STR(?value), ?_pattern, ?_flags))", ("?_pattern", "?_flags")),
}
_QUERIES = {
    # sh:minCount 1: the focus nodes with no value (the usual case); any other count groups them.
    "minCount": "SELECT ?this {target_vars} ?_path ?_n WHERE { {targets} MINUS { ?this ?_path ?value } }",
    "minCount n": """SELECT ?this {target_vars} ?_path ?_n WHERE { {targets} OPTIONAL { ?this ?_path ?value } }
GROUP BY ?this {target_vars} ?_path ?_n HAVING (COUNT(DISTINCT ?value) < ?_n)""",
    "maxCount": """SELECT ?this {target_vars} ?_path ?_n WHERE {
  { SELECT ?this ?_path ?_n WHERE { ?this ?_path ?value } GROUP BY ?this ?_path ?_n
     HAVING (COUNT(DISTINCT ?value) > ?_n) }
  {targets} }""",
}
_DATATYPES = {XSD + "string", RDF + "langString", XSD + "boolean"}
_KINDS = {  # sh:nodeKind -> (IRI, blank node, literal) allowed
    SH + "IRI": (True, False, False), SH + "BlankNode": (False, True, False), SH + "Literal": (False, False, True),
    SH + "BlankNodeOrIRI": (True, True, False), SH + "BlankNodeOrLiteral": (False, True, True),
    SH + "IRIOrLiteral": (True, False, True),
}
# What a shape may say besides its constraints: annotations, which change no result.
_ANNOTATIONS = {RDF + "type", RDFS + "label", RDFS + "comment", SH + "name", SH + "description", SH + "message",
                "https://w3id.org/openness/ontology#ruleId", "http://purl.org/dc/terms/source"}
_NODE_ONLY = {SH + "targetClass", SH + "property"}
_PARAMETERS = {SH + "minCount": "minCount", SH + "maxCount": "maxCount", SH + "class": "class",
               SH + "nodeKind": "nodeKind", SH + "datatype": "datatype", SH + "pattern": "pattern"}


def value_query(component: str, of_property: bool) -> str:
    """The SELECT of a value-node component: focus nodes and the values that violate it."""
    group, names = _VIOLATING[component]
    inner = " ".join(("?_path", *names) if of_property else ("{target_vars}", *names))
    values = _PROPERTY_VALUE if of_property else _NODE_VALUE
    # A sub-SELECT keeps the plan: with a plain group, Oxigraph joined the focus nodes first (sh:nodeKind
    # on dct:license, 1,000 projects: 1.38 s as a group, 0.37 s as a sub-SELECT).
    return (f"SELECT DISTINCT ?this ?value {{target_vars}} {inner if of_property else ' '.join(names)} WHERE {{ "
            f"{{ SELECT ?this ?value {inner} WHERE {{ {values} {group} }} }} {_TARGET} }}")


@dataclass(frozen=True)
class Check:
    """One compiled constraint: its query, the RDF terms bound in it, and what its results report."""

    shape: str  # the shape holding the constraint (pySHACL's sh:sourceShape)
    component: str
    query: str
    bindings: dict = field(hash=False)
    targets: tuple[str, ...]
    path: str | None
    message: str
    pattern: re.Pattern | None = None


class Unsupported(Exception):
    """A shape uses something this compiler does not: it runs on pySHACL."""


def _one(sg, node, predicate: str):
    import rdflib

    values = list(sg.objects(node, rdflib.URIRef(predicate)))
    if len(values) != 1:
        raise Unsupported(f"{node} has {len(values)} {predicate}")
    return values[0]


def _message(sg, node) -> str | None:
    import rdflib

    texts = sorted(str(m) for m in sg.objects(node, rdflib.URIRef(SH + "message")))
    if any("{" in t for t in texts):
        raise Unsupported("message template")  # {$this}, {?value}: pySHACL fills these in
    return "\n".join(texts) or None


def _default_message(sg, component: str, parameter) -> str:
    """pySHACL's generic message of a value-node component (constraints/core/*.py make_generic_messages)."""
    from pyshacl.rdfutil import stringify_node

    if component == "class":
        return f"Value does not have class {stringify_node(sg, parameter)}"
    if component == "nodeKind":
        return f"Value is not of Node Kind {stringify_node(sg, parameter)}"
    if component == "datatype":
        return f"Value is not Literal with datatype {stringify_node(sg, parameter)}"
    if component == "pattern":
        return f"Value does not match pattern '{parameter}'"
    raise Unsupported(f"no default message for {component}")


def _checks_of(sg, node, targets: tuple[str, ...], path: str | None) -> list[Check]:
    """The checks of one shape's own constraints (a node shape's, or a property shape's on its path)."""
    import rdflib

    allowed = _ANNOTATIONS | set(_PARAMETERS) | {SH + "flags"}
    allowed |= {SH + "path"} if path is not None else _NODE_ONLY
    for predicate in set(sg.predicates(node)):
        if str(predicate) not in allowed:
            raise Unsupported(f"{node} uses {predicate}")
    if not isinstance(node, (rdflib.URIRef, rdflib.BNode)):
        raise Unsupported(f"{node} is not a shape")
    message = _message(sg, node)
    checks = []
    for predicate, component in _PARAMETERS.items():
        if (node, rdflib.URIRef(predicate), None) not in sg:
            continue
        parameter = _one(sg, node, predicate)
        bindings: dict[str, ox.NamedNode | ox.Literal] = {}
        if path is not None:
            bindings["_path"] = ox.NamedNode(path)
        compiled = None
        if component in ("minCount", "maxCount"):
            if path is None or message is None:
                raise Unsupported(f"{component} on a node shape, or without sh:message")
            if not (isinstance(parameter, rdflib.Literal) and isinstance(parameter.value, int)
                    and not isinstance(parameter.value, bool) and parameter.value >= 0):
                raise Unsupported(f"{component} {parameter!r}")
            bindings["_n"] = ox.Literal(str(parameter.value), datatype=ox.NamedNode(XSD + "integer"))
            query = _QUERIES["minCount n" if component == "minCount" and parameter.value != 1 else component]
        else:
            if component in ("class", "datatype", "nodeKind") and not isinstance(parameter, rdflib.URIRef):
                raise Unsupported(f"{component} {parameter!r}")
            if component == "class":
                bindings["_class"] = ox.NamedNode(str(parameter))
            elif component == "datatype":
                if str(parameter) not in _DATATYPES:
                    raise Unsupported(f"datatype {parameter}")
                bindings["_datatype"] = ox.NamedNode(str(parameter))
            elif component == "nodeKind":
                if str(parameter) not in _KINDS:
                    raise Unsupported(f"nodeKind {parameter}")
                boolean = ox.NamedNode(XSD + "boolean")
                for name, allowed_kind in zip(("_iri", "_blank", "_literal"), _KINDS[str(parameter)]):
                    bindings[name] = ox.Literal("true" if allowed_kind else "false", datatype=boolean)
            else:
                compiled, bindings = _pattern(sg, node, parameter, bindings)
            query = value_query(component, path is not None)
        text = message if message is not None else _default_message(sg, component, parameter)
        checks.append(Check(str(node), component, query, bindings, targets, path, text, compiled))
    return checks


def _pattern(sg, node, parameter, bindings: dict) -> tuple[re.Pattern, dict]:
    """The pattern as pySHACL compiles it (flags i and m only), and its SPARQL bindings."""
    import rdflib

    if not isinstance(parameter, rdflib.Literal):
        raise Unsupported(f"pattern {parameter!r}")
    flag_values = list(sg.objects(node, rdflib.URIRef(SH + "flags")))
    if len(flag_values) > 1:
        raise Unsupported("several sh:flags")
    flags = str(flag_values[0]) if flag_values else ""
    if set(flags) - {"i", "m"}:
        raise Unsupported(f"sh:flags {flags!r}")  # pySHACL ignores s and x, SPARQL's REGEX does not
    text = str(parameter)
    compiled = re.compile(text, (re.I if "i" in flags else 0) | (re.M if "m" in flags else 0))
    terms = {"_pattern": ox.Literal(text), "_flags": ox.Literal(flags)}
    # A pattern SPARQL's REGEX cannot read (a look-ahead, a back-reference) is an error inside the
    # FILTER, which would drop every row: such a shape runs on pySHACL.
    probe = ox.Store().query('SELECT ?_pattern ?_flags WHERE { FILTER(REGEX("", ?_pattern, ?_flags) '
                             '|| !REGEX("", ?_pattern, ?_flags)) }',
                             substitutions={ox.Variable(k): v for k, v in terms.items()})
    if not list(probe):
        raise Unsupported(f"pattern {text!r} in SPARQL")
    return compiled, {**bindings, **terms}


def compile_shapes(shape_iris: Iterable[str]) -> tuple[list[Check], list[str]]:
    """The checks of the node shapes that compile, and the node shapes left to pySHACL."""
    import rdflib

    sg = shapes_graph()
    checks: list[Check] = []
    left: list[str] = []
    for iri in shape_iris:
        node = rdflib.URIRef(iri)
        try:
            if (node, rdflib.RDF.type, rdflib.URIRef(SH + "NodeShape")) not in sg:
                raise Unsupported("not a node shape")
            if (node, rdflib.RDF.type, rdflib.RDFS.Class) in sg or (node, rdflib.RDF.type, rdflib.OWL.Class) in sg:
                raise Unsupported("implicit class target")
            classes = list(sg.objects(node, rdflib.URIRef(SH + "targetClass")))
            if not classes or not all(isinstance(t, rdflib.URIRef) for t in classes):
                raise Unsupported("no class target, or one that is not an IRI")
            targets = tuple(str(t) for t in classes)
            found = _checks_of(sg, node, targets, None)
            for prop in sg.objects(node, rdflib.URIRef(SH + "property")):
                if len(set(sg.subjects(rdflib.URIRef(SH + "property"), prop))) != 1:
                    raise Unsupported(f"{prop} is shared")  # results de-duplicated per shape would differ
                path = _one(sg, prop, SH + "path")
                if not isinstance(path, rdflib.URIRef):
                    raise Unsupported(f"path {path!r}")  # sequence, inverse, alternative, ... paths
                found += _checks_of(sg, prop, targets, str(path))
        except Unsupported:
            left.append(iri)
            continue
        checks.extend(found)
    return checks, left


def _pattern_string(term) -> str:
    """The string pySHACL matches a pattern against (StringBasedConstraintBase.value_node_to_string),
    from the rdflib form of the value node."""
    import rdflib

    if (isinstance(term, rdflib.Literal) and term.value is not None
            and term.datatype in (None, rdflib.URIRef(RDF + "langString"), rdflib.URIRef(XSD + "string"))):
        return str(term.value)
    return str(term)


def subclasses(store: ox.Store, graphs: Sequence[ox.NamedNode], cls: ox.NamedNode) -> list:
    """`cls` and every class that is rdfs:subClassOf* it in the union of `graphs`."""
    predicate = ox.NamedNode(RDFS + "subClassOf")
    found, todo = {cls}, [cls]
    while todo:
        current = todo.pop()
        for graph in graphs:
            for quad in store.quads_for_pattern(None, predicate, current, graph):
                if quad.subject not in found:
                    found.add(quad.subject)
                    todo.append(quad.subject)
    return sorted(found, key=str)


def _variables(prefix: str, terms: Sequence) -> tuple[list[str], dict]:
    names = [f"?{prefix}{number}" for number in range(len(terms))]
    return names, {name[1:]: term for name, term in zip(names, terms)}


def expand(check: Check, closure) -> tuple[str, dict]:
    """The check's query and bindings, its target classes and sh:class expanded to their subclasses."""
    bindings = dict(check.bindings)
    focus_classes = sorted({c for target in check.targets for c in closure(ox.NamedNode(target))}, key=str)
    targets, bound = _variables("_target", focus_classes)
    bindings.update(bound)
    pattern = " UNION ".join(f"{{ ?this {_TYPE} {name} }}" for name in targets)
    query = check.query.replace("{targets}", pattern).replace("{target_vars}", " ".join(targets))
    if check.component == "class":
        classes, bound = _variables("_class", closure(bindings.pop("_class")))
        bindings.update(bound)
        query = query.replace("{classes}", ", ".join(classes)).replace("{class_vars}", " ".join(classes))
    return query, bindings


def run(store: ox.Store, graphs: Sequence[ox.NamedNode], checks: Sequence[Check]) -> list[Result]:
    """The results of `checks` over the union of `graphs`, as pySHACL reports them (one per focus node
    and value node of each constraint), sorted as run_shacl sorts them."""
    from ..graph.rdflib_terms import Terms

    term = Terms()
    closure = functools.cache(lambda cls: subclasses(store, graphs, cls))
    seen: set[tuple] = set()
    out: list[Result] = []
    for check in checks:
        query, bindings = expand(check, closure)
        substitutions = {ox.Variable(k): v for k, v in bindings.items()}
        for row in store.query(query, default_graph=list(graphs), substitutions=substitutions):
            focus, value = row["this"], None if check.component in _QUERIES else row["value"]
            shown = None if value is None else term(value)
            if check.pattern is not None and not isinstance(value, ox.BlankNode):
                if check.pattern.search(_pattern_string(shown)):
                    continue
            key = (check.shape, check.component, focus, value)  # a focus node of two target classes: once
            if key in seen:
                continue
            seen.add(key)
            out.append(make_result("Violation", str(term(focus)), check.path,
                                   None if shown is None else str(shown), check.message, check.shape, None))
    return sorted(out, key=Result.sort_key)


@functools.lru_cache(maxsize=8)
def compiled(shape_iris: tuple[str, ...]) -> tuple[list[Check], list[str]]:
    """compile_shapes, once per process for the same shapes."""
    return compile_shapes(shape_iris)

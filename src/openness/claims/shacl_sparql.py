"""A SHACL-SPARQL executor on Oxigraph: the fast path for the claim shapes; pySHACL stays the reference.

Why: pySHACL took about 4 s per project for the 13 claims (it parses each SPARQL constraint again for
every focus node), so a report over the bundled catalogues took tens of minutes. Every claim,
open-washing and due-diligence condition is a SHACL-SPARQL constraint (sh:sparql with sh:select) on
a node shape with sh:targetObjectsOf / sh:targetClass / sh:targetSubjectsOf / sh:targetNode, so this
module runs exactly that subset of SHACL directly on the Oxigraph store: $this is pre-bound by
pyoxigraph's substitution (SEP-0007, the same pre-binding SHACL asks for), messages get their {?var}
and {$this} placeholders filled from the solution, and severity comes from the shape. A shape using
anything else (property shapes, sh:ask, core constraints) is refused with NotImplementedError, so
the caller knows to use pySHACL for it. tests/test_shacl_engines.py checks both engines give the same
verdicts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

SH = "http://www.w3.org/ns/shacl#"
OO = "https://w3id.org/openness/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SUPPORTED = {RDF_TYPE, SH + "targetClass", SH + "targetNode", SH + "targetObjectsOf", SH + "targetSubjectsOf",
              SH + "sparql", SH + "severity", SH + "deactivated", SH + "message", SH + "name", SH + "description"}
_PLACEHOLDER = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Constraint:
    node: str
    select: str
    messages: tuple[str, ...]
    prefixes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class NodeShape:
    iri: str
    targets: tuple[tuple[str, str], ...]
    constraints: tuple[Constraint, ...]
    severity: str


def _prefixes(graph, node) -> tuple[tuple[str, str], ...]:
    """The sh:declare'd prefixes of the ontologies a constraint's sh:prefixes names."""
    import rdflib

    sh = rdflib.Namespace(SH)
    out = {}
    for owner in graph.objects(node, sh.prefixes):
        for declaration in graph.objects(owner, sh.declare):
            prefix, namespace = graph.value(declaration, sh.prefix), graph.value(declaration, sh.namespace)
            if prefix is not None and namespace is not None:
                out[str(prefix)] = str(namespace)
    return tuple(sorted(out.items()))


def compile_shape(graph, iri: str) -> NodeShape:
    """A node shape of the shapes graph, or NotImplementedError when it uses more than this engine runs."""
    import rdflib

    sh = rdflib.Namespace(SH)
    node = rdflib.URIRef(iri)
    unsupported = sorted({str(p) for p in graph.predicates(node) if str(p).startswith(SH) and str(p) not in _SUPPORTED})
    if unsupported:
        raise NotImplementedError(f"{iri} uses {', '.join(unsupported)}")
    targets = tuple(sorted((str(p).removeprefix(SH), str(o)) for p, o in graph.predicate_objects(node)
                           if str(p) in {SH + "targetClass", SH + "targetNode", SH + "targetObjectsOf", SH + "targetSubjectsOf"}))
    constraints = []
    for c in sorted(graph.objects(node, sh.sparql), key=str):
        if graph.value(c, sh.deactivated) == rdflib.Literal(True):
            continue
        select = graph.value(c, sh.select)
        if select is None:
            raise NotImplementedError(f"{c} has no sh:select")
        messages = tuple(sorted(str(m) for m in graph.objects(c, sh.message))) or tuple(
            sorted(str(m) for m in graph.objects(node, sh.message)))
        constraints.append(Constraint(str(c), str(select), messages, _prefixes(graph, c)))
    severity = graph.value(node, sh.severity)
    # sh:Violation, sh:Warning, sh:Info, or the project's oo:Unknown (a condition neither met nor refuted).
    return NodeShape(iri, targets, tuple(constraints),
                     str(severity).removeprefix(SH).removeprefix(OO) if severity else "Violation")


@functools.lru_cache(maxsize=None)
def _compiled(iri: str) -> NodeShape:
    from .catalogue import shapes_graph

    return compile_shape(shapes_graph(), iri)


def supports(shape_iris: Iterable[str]) -> bool:
    """Whether every shape can run here (else use pySHACL)."""
    try:
        for iri in shape_iris:
            _compiled(iri)
    except NotImplementedError:
        return False
    return True


# Target declarations as queries; ?t is bound (substituted) to the shape's class or property.
_TARGET_QUERIES = {
    "targetClass":
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT DISTINCT ?focus ?t WHERE { ?focus a/rdfs:subClassOf* ?t }",
    "targetObjectsOf":
        "SELECT DISTINCT ?focus ?t WHERE { ?s ?t ?focus }",
    "targetSubjectsOf":
        "SELECT DISTINCT ?focus ?t WHERE { ?focus ?t ?o }",
}


def focus_nodes(dataset, shape: NodeShape) -> set[str]:
    """The shape's focus nodes in the dataset (IRIs only: our focus nodes are named resources)."""
    out: set[str] = set()
    for kind, target in shape.targets:
        if kind == "targetNode":
            out.add(target)
            continue
        _, rows = dataset.select(_TARGET_QUERIES[kind], {"t": ox.NamedNode(target)})
        out.update(r[0].value for r in rows if isinstance(r[0], ox.NamedNode))
    return out


def _fill(message: str, names: Sequence[str], row: Sequence[object]) -> str:
    values = {n: ("" if v is None else v.value) for n, v in zip(names, row)}
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), message)


def run(dataset, shape_iris: Sequence[str], only: set[str] | None = None,
        targets: dict[str, set[str]] | None = None) -> list:
    """Validate the dataset against the shapes, restricted to the focus nodes in `only` if given.

    `targets` caches each shape's focus nodes across calls (validating project by project).
    Returns validate.Result objects, as the pySHACL path does."""
    from .results import make_result

    out = []
    for iri in shape_iris:
        shape = _compiled(iri)
        if targets is None or iri not in targets:
            found = focus_nodes(dataset, shape)
            if targets is not None:
                targets[iri] = found
        else:
            found = targets[iri]
        nodes = set(found)
        if only is not None:
            nodes &= only
        for constraint in shape.constraints:
            prefixes = dict(constraint.prefixes)
            for node in sorted(nodes):
                names, rows = dataset.select(constraint.select, {"this": ox.NamedNode(node)}, prefixes=prefixes)
                for row in rows:
                    cells = dict(zip(names, row))
                    value, path = cells.get("value"), cells.get("path")
                    # Every message, filled (a constraint may also name its deciding fact's subject).
                    message = "\n".join(_fill(m, names, row) for m in constraint.messages) if constraint.messages else (
                        f"Constraint {constraint.node} is not met")
                    # SHACL 5.3.2: sh:value is ?value when bound, otherwise the focus node.
                    out.append(make_result(shape.severity, node, path.value if isinstance(path, ox.NamedNode) else None,
                                           node if value is None else value.value, message, shape.iri, constraint.node))
    return out

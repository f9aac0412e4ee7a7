"""The reference engine: pySHACL over a plain in-memory rdflib graph.

Timings (bundled data, 2 cores): pySHACL takes 0.7-1.3 s for one project and one claim, 240 s for
58 projects and all claims; the default engine (shacl_sparql.py on Oxigraph) takes 10-12 s for the
same; see verdicts.py.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Sequence

from .catalogue import OO, SH, shapes_graph
from .results import Result, _term, make_result


# pySHACL hands rdflib each constraint's SPARQL text once per focus node, and rdflib parses it every time
# (pyparsing: most of a run). The parsed, translated query is the same each time; rdflib's own
# prepareQuery exists to reuse it with other initial bindings. Off: pySHACL exactly as shipped (the
# benchmark's baseline).
REUSE_PARSED_QUERIES = True


@functools.lru_cache(maxsize=2048)
def _translated(text: str, base: str | None, namespaces: tuple):
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    return translateQuery(parseQuery(text), base, dict(namespaces) or None)


@contextlib.contextmanager
def _parsed_once() -> Iterator[None]:
    from rdflib.plugins.sparql.processor import SPARQLProcessor

    shipped = SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(strOrQuery, str):
            strOrQuery = _translated(strOrQuery, base, tuple(sorted((initNs or {}).items())))
        return shipped(self, strOrQuery, initBindings, initNs, base, DEBUG)

    SPARQLProcessor.query = query
    try:
        yield
    finally:
        SPARQLProcessor.query = shipped


def run_shacl(graph, shape_iris: Sequence[str] | None = None) -> list[Result]:
    """Validate `graph` against the bundled shapes (or only `shape_iris`) and return typed results."""
    import pyshacl
    import rdflib

    kwargs = {}
    if shape_iris is not None:
        kwargs["use_shapes"] = [rdflib.URIRef(s) for s in shape_iris]
    with _parsed_once() if REUSE_PARSED_QUERIES else contextlib.nullcontext():
        _, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph(), inference=None, advanced=False,
                                        allow_warnings=True, allow_infos=True, **kwargs)
    sh = rdflib.Namespace(SH)
    out = []
    for node in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        def one(predicate, node=node):
            return report.value(node, predicate)

        constraint = one(sh.sourceConstraint)
        path = one(sh.resultPath)
        # pySHACL accepts the custom severity oo:Unknown as it is (it only counts it against sh:conforms);
        # every message is kept: a constraint's second message names its deciding fact's subject.
        messages = "\n".join(sorted(str(m) for m in report.objects(node, sh.resultMessage)))
        out.append(make_result(str(one(sh.resultSeverity)).removeprefix(SH).removeprefix(OO), str(one(sh.focusNode)),
                               _term(path) if isinstance(path, rdflib.URIRef) else None, _term(one(sh.value)),
                               messages, str(one(sh.sourceShape)),
                               None if constraint is None else str(constraint)))
    return sorted(out, key=Result.sort_key)

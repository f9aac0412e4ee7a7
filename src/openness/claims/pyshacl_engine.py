"""The reference engine: pySHACL over a plain in-memory rdflib graph.

Timings (bundled data, 2 cores): pySHACL takes 0.7-1.3 s for one project and one claim, 240 s for
58 projects and all claims; the default engine (shacl_sparql.py on Oxigraph) takes 10-12 s for the
same; see verdicts.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from .catalogue import SH, shapes_graph
from .results import Result, _term, make_result


def run_shacl(graph, shape_iris: Sequence[str] | None = None) -> list[Result]:
    """Validate `graph` against the bundled shapes (or only `shape_iris`) and return typed results."""
    import pyshacl
    import rdflib

    kwargs = {}
    if shape_iris is not None:
        kwargs["use_shapes"] = [rdflib.URIRef(s) for s in shape_iris]
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph(), inference=None, advanced=False,
                                    allow_warnings=True, allow_infos=True, **kwargs)
    sh = rdflib.Namespace(SH)
    out = []
    for node in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        def one(predicate, node=node):
            return report.value(node, predicate)

        constraint = one(sh.sourceConstraint)
        path = one(sh.resultPath)
        out.append(make_result(str(one(sh.resultSeverity)).removeprefix(SH), str(one(sh.focusNode)),
                               _term(path) if isinstance(path, rdflib.URIRef) else None, _term(one(sh.value)),
                               str(one(sh.resultMessage) or ""), str(one(sh.sourceShape)),
                               None if constraint is None else str(constraint)))
    return sorted(out, key=Result.sort_key)

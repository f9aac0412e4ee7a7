"""`openness push`: load the graph into a SPARQL 1.1 Graph Store Protocol endpoint.

One named graph per source (ontology, shapes, licences, projects, assessments, each generated file,
each --data file), each sent with HTTP PUT, which replaces the graph: pushing twice leaves one copy.
The graph IRIs are the ones the embedded store uses (https://w3id.org/openness/graph/<source>), so
`openness query run NAME --endpoint QUERY-URL` finds them under its --graph-prefix and names them as
the protocol's default-graph-uri: the remote answers equal the embedded ones even on a store whose
default graph does not include its named graphs (Oxigraph without --union-default-graph).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from ..graph.dataset import GRAPH_BASE, Dataset, Source
from ..errors import EndpointError, OpennessError
from ..graph.iris import slugify


@dataclass
class Pushed:
    source: str
    graph: str
    triples: int
    status: str  # "loaded", "failed" or "not sent"


@dataclass
class PushReport:
    endpoint: str
    graphs: list[Pushed] = field(default_factory=list)

    def as_rows(self) -> list[dict[str, object]]:
        return [{"source": p.source, "graph": p.graph, "triples": p.triples, "status": p.status} for p in self.graphs]


def graph_iri(source: Source, prefix: str = GRAPH_BASE) -> str:
    """The named graph a source is pushed to: its own graph under `prefix` (a --data file by its name)."""
    if source.graph.startswith(GRAPH_BASE):
        return prefix + source.graph[len(GRAPH_BASE):]
    name = slugify(Path(source.files[0]).stem) if source.files else slugify(source.name)
    return f"{prefix}data/{name or 'file'}"


def _request_url(endpoint: str, graph: str) -> str:
    joiner = "&" if urlsplit(endpoint).query else "?"
    return f"{endpoint}{joiner}graph={quote(graph, safe='')}"


def _put(endpoint: str, graph: str, payload: bytes, timeout: float) -> None:
    request = urllib.request.Request(_request_url(endpoint, graph), data=payload, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the user's endpoint
        response.read()


def push(endpoint: str, data: Iterable[Path | str] = (), store: Path | str | None = None,
         graph_prefix: str = GRAPH_BASE, *, dataset: Dataset | None = None, timeout: float = 60.0) -> PushReport:
    """PUT every source's graph to the Graph Store Protocol `endpoint`; raise on the first store error,
    saying which graphs were loaded and which were not (PushError, exit 4). Each PUT waits at most
    `timeout` seconds for the store."""
    if not endpoint.startswith(("http://", "https://")):
        raise OpennessError(f"bad --endpoint {endpoint!r}: expected an http(s) URL of a Graph Store Protocol endpoint")
    if not graph_prefix.startswith(("http://", "https://", "urn:")):
        raise OpennessError(f"bad --graph-prefix {graph_prefix!r}: expected an absolute IRI")
    dataset = dataset or Dataset.load(data, store)
    report = PushReport(endpoint)
    plan = []
    seen: set[str] = set()
    for source in dataset.sources:
        iri = graph_iri(source, graph_prefix)
        while iri in seen:
            iri += "-2"
        seen.add(iri)
        triples = list(dataset.triples(source.graph))
        plan.append((source, iri, triples))
        report.graphs.append(Pushed(source.name, iri, len(triples), "not sent"))
    for index, (source, iri, triples) in enumerate(plan):
        payload = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        try:
            _put(endpoint, iri, payload, timeout)
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip().splitlines()
            reason = f"HTTP {exc.code} {exc.reason}" + (f": {body[0]}" if body else "")
            raise _failure(report, index, reason) from None
        except TimeoutError:
            raise _failure(report, index, f"the store did not answer within {timeout:g} seconds") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", None) or exc
            if isinstance(reason, TimeoutError):
                raise _failure(report, index, f"the store did not answer within {timeout:g} seconds") from None
            raise _failure(report, index, f"cannot reach the store: {reason}") from None
        report.graphs[index].status = "loaded"
    return report


class PushError(EndpointError):
    """A store error part-way through (exit 4): carries the report of what was and was not loaded."""

    def __init__(self, message: str, report: PushReport) -> None:
        super().__init__(message)
        self.report = report


def _failure(report: PushReport, index: int, reason: str) -> PushError:
    report.graphs[index].status = "failed"
    loaded = [p.graph for p in report.graphs if p.status == "loaded"]
    missing = [p.graph for p in report.graphs if p.status != "loaded"]
    message = (f"{report.endpoint}: pushing <{report.graphs[index].graph}> failed ({reason}); "
               f"loaded {len(loaded)} of {len(report.graphs)} graphs"
               + (f" ({', '.join(loaded)})" if loaded else "")
               + f"; not loaded: {', '.join(missing)}")
    return PushError(message, report)

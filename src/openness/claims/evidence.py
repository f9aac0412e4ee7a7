"""Evidence for each result: the deciding fact, where it was read (its node's dct:source and oo:checkedOn),
and what other sources in the graph (EOSAI and MOF records linked by owl:sameAs) state about it.

A constraint names its deciding fact as ?subject (the node that states it, or would state it), ?path (the
property) and ?value (unbound when the fact is not stated; for oo:hasComponent, the component kind the
release does not list). Sources are read from the subject node itself, so a reason cites where its fact
came from, not where the rule came from.
"""

from __future__ import annotations

import functools

import pyoxigraph as ox

from .catalogue import DCT, OO
from .results import Result

NOT_STATED = "not stated"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

OTHER_RECORDS = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?project ?record ?label ?kind ?component ?availability ?licence WHERE {
  ?record owl:sameAs ?project ; oo:currentRelease ?r . OPTIONAL { ?record rdfs:label ?label }
  ?r oo:hasComponent ?component . ?component oo:componentKind ?kind .
  OPTIONAL { ?component oo:availability ?availability }
  OPTIONAL { ?component dct:license ?licence }
}"""


class Evidence:
    """Facts and their sources, read from the dataset the verdicts were computed on."""

    def __init__(self, dataset) -> None:
        self.dataset = dataset
        self._sources: dict[str, list[dict[str, str | None]]] = {}
        self._others: dict[str, list[tuple]] = {}
        self._graphs: set | None = None

    def _objects(self, subject: str, predicate: str) -> list[str]:
        if subject.startswith("_:") or not subject:
            return []
        try:
            node = ox.NamedNode(subject)
        except ValueError:
            return []
        return sorted({q.object.value for q in self.dataset.store.quads_for_pattern(node, ox.NamedNode(predicate), None, None)})

    def sources(self, subject: str) -> list[dict[str, str | None]]:
        """[{"source", "checked_on"}] of the node that states (or would state) a fact."""
        if subject not in self._sources:
            checked = self._objects(subject, OO + "checkedOn")
            self._sources[subject] = [{"source": s, "checked_on": checked[-1] if checked else None}
                                      for s in self._objects(subject, DCT + "source")]
        return self._sources[subject]

    def fact(self, r: Result) -> dict[str, str | None]:
        """{"subject", "property", "value"} of the result's deciding fact; value "not stated" when it is not."""
        subject = r.subject or r.focus
        fact: dict[str, str | None] = {"subject": subject, "property": r.path, "value": r.value}
        if r.path == OO + "hasComponent" and r.value != r.focus:
            fact["value"], fact["kind"] = NOT_STATED, r.value
        elif r.value is None or (r.value == r.focus and r.subject is not None and r.path is not None):
            fact["value"] = NOT_STATED
        return fact

    def _records(self, project: str) -> list[tuple]:
        """(record, label, kind, component, availability, licence) of the other records about the project:
        OTHER_RECORDS's rows, read by index lookups (as a query with ?project substituted, Oxigraph
        planned it over every component of the store: 0.16 s per project at 1,000 synthetic projects)."""
        if project not in self._others:
            self._others[project] = sorted(self._record_rows(project),
                                           key=lambda row: tuple("" if x is None else x for x in row))
        return self._others[project]

    def _record_rows(self, project: str) -> set[tuple]:
        if self._graphs is None:
            self._graphs = set(self.dataset.graphs())
        graphs, store = self._graphs, self.dataset.store

        def objects(subject, predicate: str) -> list:
            if isinstance(subject, ox.Literal):
                return []
            return list(dict.fromkeys(q.object for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None)
                                      if q.graph_name in graphs))

        def value(term) -> str | None:
            return None if term is None else term.value

        rows: set[tuple] = set()
        records = dict.fromkeys(q.subject for q in store.quads_for_pattern(None, ox.NamedNode(OWL_SAME_AS),
                                                                           ox.NamedNode(project))
                                if q.graph_name in graphs)
        for record in records:
            labels = objects(record, RDFS_LABEL) or [None]
            for release in objects(record, OO + "currentRelease"):
                for component in objects(release, OO + "hasComponent"):
                    kinds = objects(component, OO + "componentKind")
                    availabilities = objects(component, OO + "availability") or [None]
                    licences = objects(component, DCT + "license") or [None]
                    rows.update((value(record), value(label), value(kind), value(component), value(a), value(lic))
                                for label in labels for kind in kinds for a in availabilities for lic in licences)
        return rows

    def elsewhere(self, project: str, fact: dict) -> list[dict[str, object]]:
        """What another record about the same model states where the curated fact is missing or differs."""
        records = self._records(project)
        if not records:  # most projects have no other record: no lookup of the fact's kind then
            return []
        kind = fact.get("kind")
        subject, prop = fact["subject"], fact["property"]
        if kind is None and prop in (OO + "availability", DCT + "license"):
            kinds = self._objects(subject, OO + "componentKind")
            kind = kinds[0] if kinds else None
        if kind is None or prop not in (OO + "hasComponent", OO + "availability", DCT + "license"):
            return []
        out = []
        for record, label, k, component, availability, licence in records:
            if k != kind:
                continue
            name = label or record
            if prop == OO + "hasComponent":
                stated = availability or licence
                what = f"{name} lists this component" + (f" ({_short(availability)}" if availability else " (") + (
                    f", under {self._label(licence)})" if licence else ")")
            elif prop == OO + "availability" and availability and availability != fact["value"]:
                stated, what = availability, f"{name} states its availability as {_short(availability)}"
            elif prop == DCT + "license" and licence and licence != fact["value"]:
                stated, what = licence, f"{name} states its licence as {self._label(licence)}"
            else:
                continue
            if stated is None and prop != OO + "hasComponent":
                continue
            out.append({"record": record, "label": name, "says": what,
                        "fact": {"subject": component, "property": prop if prop != OO + "hasComponent" else OO + "componentKind",
                                 "value": stated or kind},
                        "evidence": self.sources(component) or self.sources(record)})
        return out

    def _label(self, iri: str) -> str:
        labels = self._objects(iri, RDFS_LABEL)
        return labels[0] if labels else _short(iri)


@functools.lru_cache(maxsize=None)
def _short(iri: str | None) -> str:
    if iri is None:
        return NOT_STATED
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

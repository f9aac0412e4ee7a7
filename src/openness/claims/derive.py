"""`openness derive`: what a model derived from a project inherits, and whether an intended use is allowed.

The lineage is followed transitively through oo:derivedFrom and its sub-properties (a fine-tune of a
fine-tune of Llama reaches Llama), and each licence met on the way (plus the training data's licences
the user names) is asked, in SPARQL (diligence_sparql), which of its ODRL rules bear on the use.
Every conclusion carries the clause that causes it: the licence, the rule (permission, duty or
prohibition), its action and constraint, the licence text's comment, and the licence's source.
Not legal advice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..graph.iris import ONTOLOGY
from ..graph.query import plain
from . import diligence_sparql as q

NOT_LEGAL_ADVICE = ("Not legal advice: this reads the licence terms recorded in the Openness graph, "
                    "which may be incomplete or out of date; ask a lawyer before relying on it.")
USES = ("commercial", "research", "redistribute")
EXIT = {"allowed": 0, "not allowed": 1, "undetermined": 3}

_CURIES = {
    "https://w3id.org/openness/ontology#": "oo:", "http://www.w3.org/ns/odrl/2/": "odrl:",
    "http://creativecommons.org/ns#": "cc:", "https://dalicc.net/ns#": "dalicc:",
    "https://w3id.org/openness/id/licence/": "licence:", "https://w3id.org/openness/id/release/": "release:",
    "https://w3id.org/openness/id/project/": "project:",
    "http://purl.org/dc/terms/": "dct:", "http://www.w3.org/ns/dcat#": "dcat:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:", "http://xmlns.com/foaf/0.1/": "foaf:",
}


def curie(value: object) -> str:
    """An IRI in the prefixed form a reader knows (oo:UserCap, cc:CommercialUse); other values as text."""
    text = "" if value is None else str(value)
    for ns, prefix in _CURIES.items():
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text


def _rows(backend, text: str, bindings: dict) -> list[dict[str, object]]:
    result = backend.run(text, bindings)
    return [{v: plain(c) for v, c in zip(result.variables, row)} for row in result.rows]


def clause(licence: str, label: str, row: dict, info: dict) -> dict[str, object]:
    """The clause a conclusion rests on, as evidence: licence, rule, action, constraint, comment, source."""
    constraint = None
    if row.get("operand"):
        constraint = f"{curie(row['operand'])} {curie(row.get('operator'))} {curie(row.get('right'))}".strip()
    elif row.get("constrained"):
        constraint = "a constraint the graph does not describe (unknown condition)"
    return {"licence": licence, "licence_label": label, "rule": curie(row.get("ruleProperty")) or None,
            "action": curie(row.get("action")) or None, "constraint": constraint,
            "string": curie(row.get("string")) or None, "comment": row.get("comment"),
            "source": info.get("source"), "checked_on": info.get("checked")}


def merged(items: list[dict[str, object]], source_key: str = "source") -> list[dict[str, object]]:
    """Items equal but for their source (a licence described in two files) merged, their sources listed."""
    out: dict[tuple, dict[str, object]] = {}
    for item in items:
        key = tuple((k, str(v)) for k, v in sorted(item.items()) if k not in (source_key, "checked_on", "sources"))
        entry = out.setdefault(key, {**item, "sources": []})
        src = item.get(source_key)
        if src and src not in entry["sources"]:
            entry["sources"].append(src)
    return list(out.values())


def licence_info(backend, licence: str) -> dict[str, object]:
    rows = _rows(backend, q.LICENCE_INFO, {"licence": ox.NamedNode(licence)})
    return rows[0] if rows else {}


def use_decision(backend, licence: str, use: str) -> dict[str, object]:
    """One licence's answer for one use: forbidden, allowed (with conditions), not granted, or unknown."""
    info = licence_info(backend, licence)
    label = str(info.get("label") or curie(licence))
    rows = _rows(backend, q.USE_RULES, {"licence": ox.NamedNode(licence), "use": ox.Literal(use)})
    clauses = {effect: merged([clause(licence, label, r, info) for r in rows if r["effect"] == effect])
               for effect in ("forbidden", "forbidden-if", "allowed", "allowed-if")}
    if clauses["forbidden"]:
        return {"licence": licence, "licence_label": label, "decision": "forbidden", "clauses": clauses["forbidden"]}
    granted = clauses["allowed"] + clauses["allowed-if"]
    if granted:
        return {"licence": licence, "licence_label": label,
                "decision": "allowed with conditions" if clauses["allowed-if"] or clauses["forbidden-if"] else "allowed",
                "clauses": granted + clauses["forbidden-if"]}
    if info.get("hasRules") and info.get("reviewed"):
        return {"licence": licence, "licence_label": label, "decision": "not granted",
                "clauses": [clause(licence, label, {"comment": f"the licence (terms reviewed {info['reviewed']}) "
                                                               f"grants no permission for {use} use"}, info)]}
    why = ("the licence's rules are not recorded" if not info.get("hasRules")
           else "no rule on this use is recorded and the terms were not reviewed in full")
    return {"licence": licence, "licence_label": label, "decision": "unknown",
            "clauses": [clause(licence, label, {"comment": why}, info)]}


def inherited_terms(backend, licence: str) -> list[dict[str, object]]:
    """The duties, prohibitions and strings attached a licence passes to a derived model, each with its clause."""
    info = licence_info(backend, licence)
    label = str(info.get("label") or curie(licence))
    out = [{"kind": curie(r["ruleProperty"]).removeprefix("odrl:"), "term": curie(r["action"]),
            "clause": clause(licence, label, r, info)}
           for r in _rows(backend, q.LICENCE_TERMS, {"licence": ox.NamedNode(licence)})]
    seen: set[str] = set()
    for r in _rows(backend, q.LICENCE_STRINGS, {"licence": ox.NamedNode(licence)}):
        term = curie(r["string"])
        if term in seen and not r.get("ruleProperty"):
            continue
        seen.add(term)
        out.append({"kind": "string attached", "term": term, "label": r["stringLabel"],
                    "clause": clause(licence, label, {**r, "string": r["string"]}, info)})
    unique: dict[str, dict[str, object]] = {}
    for item in out:
        unique.setdefault(repr(sorted((k, str(v)) for k, v in item.items())), item)
    return list(unique.values())


@dataclass
class Derivation:
    base: dict[str, object]
    use: str | None
    lineage: list[dict[str, object]] = field(default_factory=list)
    licences: list[dict[str, object]] = field(default_factory=list)
    unknowns: list[dict[str, object]] = field(default_factory=list)
    inherited: list[dict[str, object]] = field(default_factory=list)
    decisions: list[dict[str, object]] = field(default_factory=list)
    verdict: str | None = None

    @property
    def exit_code(self) -> int:
        if self.verdict:
            return EXIT[self.verdict]
        return 3 if self.unknowns else 0

    def as_dict(self) -> dict[str, object]:
        return {"base": self.base, "use": self.use, "verdict": self.verdict, "lineage": self.lineage,
                "licences": self.licences, "decisions": self.decisions, "inherited": self.inherited,
                "unknowns": self.unknowns, "notice": NOT_LEGAL_ADVICE}


def derive(backend, project, data_licences: list[str] = (), use: str | None = None) -> Derivation:
    """What a model derived from `project` (a ProjectRef) inherits, and whether `use` is allowed."""
    result = Derivation(base=project.as_dict(), use=use)
    binding = {"project": ox.NamedNode(project.iri)}
    edges: dict[tuple, dict[str, object]] = {}
    for r in _rows(backend, q.LINEAGE_EDGES, binding):
        edge = edges.setdefault((r["child"], r["relation"], r["parent"]), {
            "child": r["child"], "child_label": r["childLabel"], "relation": curie(r["relation"]),
            "parent": r["parent"], "parent_label": r["parentLabel"], "sources": [], "checked_on": r.get("checked")})
        if r.get("source") and r["source"] not in edge["sources"]:
            edge["sources"].append(r["source"])
    result.lineage = list(edges.values())
    nodes = _rows(backend, q.LINEAGE_LICENCES, binding)
    if not nodes:
        result.unknowns.append({"node": project.iri, "what": "the project has no current release in the graph"})
    licences: dict[str, dict[str, object]] = {}
    for r in nodes:
        lic = r.get("licence")
        if r.get("component") is None:
            result.unknowns.append({"node": r["node"], "what": f"{r['nodeLabel']}: no final parameters stated, "
                                                               "so the licence of its weights is unknown"})
        elif lic is None or lic == ONTOLOGY + "LicenceUndisclosed":
            result.unknowns.append({"node": r["component"], "what": f"{r['nodeLabel']}: the weights' licence is "
                                                                    "not stated or undisclosed"})
        else:
            licences.setdefault(lic, {"licence": lic, "label": r.get("licLabel"), "via": [], "source": r.get("source"),
                                      "checked_on": r.get("checked")})["via"].append(r["node"])
            licences[lic]["via"] = sorted(set(licences[lic]["via"]))
    for lic in data_licences:
        info = licence_info(backend, lic)
        licences.setdefault(lic, {"licence": lic, "label": info.get("label") or curie(lic), "via": [],
                                  "source": info.get("source"), "checked_on": info.get("checked")})["via"].append(
            "training data (--data-licence)")
    for lic, entry in sorted(licences.items()):
        info = licence_info(backend, lic)
        entry["terms_recorded"] = bool(info.get("hasRules"))
        entry["terms_reviewed"] = info.get("reviewed")
        result.licences.append(entry)
        if not info.get("hasRules") and lic != ONTOLOGY + "Unlicensed":
            result.unknowns.append({"node": lic, "what": f"{entry['label']}: the licence's terms (ODRL rules) are "
                                                         "not recorded"})
        for term in inherited_terms(backend, lic):
            result.inherited.append({"via": entry["via"], **term})
    if use:
        result.decisions = [{"via": licences[lic]["via"], **use_decision(backend, lic, use)} for lic in sorted(licences)]
        decided = {d["decision"] for d in result.decisions}
        if decided & {"forbidden", "not granted"}:
            result.verdict = "not allowed"
        elif result.unknowns or "unknown" in decided or not result.decisions:
            result.verdict = "undetermined"
        else:
            result.verdict = "allowed"
    return result

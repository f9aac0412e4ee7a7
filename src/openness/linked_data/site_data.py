"""What the site's matrix, project, compare and licence pages show, read from the graph once per build.

Verdicts arrive as `claims.service.compute_verdicts` gives them. Three-valued verdict dicts (with
"verdict", "summary" and per-result "outcome", "fact", "evidence") are used as they are; older dicts
(only "conforms" and result "severity") are adapted by `adapt`, so the pages work with both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..graph.iris import ONTOLOGY

OUTCOME_LABELS = {"holds": "holds", "does-not-hold": "does not hold", "undetermined": "undetermined"}
AVAILABILITY_CLASS = {"Public": "public", "Gated": "gated", "GatedAutomatic": "gated", "GatedDiscretionary": "gated",
                      "Partial": "gated", "Closed": "closed"}
KIND_ORDER = ["FinalParameters", "IntermediateParameters", "ModelArchitecture", "TrainingCode", "InferenceCode",
              "EvaluationCode", "DataPreprocessingCode", "SupportingLibraries", "Datasets", "EvaluationData",
              "DataInformation", "ModelCard", "DataCard", "ModelMetadata", "TechnicalReport", "ResearchPaper",
              "EvaluationResults", "SampleModelOutputs", "Tokenizer", "API", "SourceCode", "Documentation",
              "HardwareDesign"]
SEVERITY_OUTCOME = {"Violation": "refutes", "Unknown": "unknown", "Warning": "warning", "Info": "info"}

COMPONENTS = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?project ?kind ?avail ?lic WHERE {
  ?project oo:hasRelease ?release .
  OPTIONAL { ?project oo:currentRelease ?current . }
  FILTER(!BOUND(?current) || ?current = ?release)
  ?release oo:hasComponent ?c .
  ?c oo:componentKind ?kind .
  OPTIONAL { ?c oo:availability ?avail . }
  OPTIONAL { ?c dct:license ?lic . }
}"""
OWNERS = """
PREFIX oo: <https://w3id.org/openness/ontology#>
SELECT ?project ?owner WHERE { ?project oo:owner ?owner . }"""
LICENCE_FACTS = """
PREFIX oo: <https://w3id.org/openness/ontology#>
SELECT ?lic ?spdx ?string WHERE {
  ?lic a oo:Licence .
  OPTIONAL { ?lic oo:spdxId ?spdx . }
  OPTIONAL { ?lic oo:stringAttached ?string . }
}"""


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def availability_class(iri: str | None) -> str:
    """public, gated, closed or unknown (no availability stated, or oo:AvailabilityUnknown)."""
    return AVAILABILITY_CLASS.get(_local(iri), "unknown") if iri and iri.startswith(ONTOLOGY) else "unknown"


def adapt(v: Mapping) -> dict:
    """A verdict dict in the three-valued form, whichever form it came in."""
    out = dict(v)
    results = []
    for r in v.get("results") or []:
        r = dict(r) if isinstance(r, Mapping) else {"message": str(r)}
        r.setdefault("outcome", SEVERITY_OUTCOME.get(str(r.get("severity")), "info"))
        r.setdefault("fact", {"subject": r.get("focus"), "property": r.get("path"), "value": r.get("value")})
        r.setdefault("evidence", [])
        results.append(r)
    out["results"] = results
    if "verdict" not in out:
        out["verdict"] = "holds" if v.get("conforms") else "does-not-hold"
    if "summary" not in out:
        out["summary"] = {"not_met": len({r.get("rule") or r.get("message") for r in results if r["outcome"] == "refutes"}),
                          "unknown": len({r.get("rule") or r.get("message") for r in results if r["outcome"] == "unknown"}),
                          "warnings": sum(1 for r in results if r["outcome"] == "warning")}
    return out


@dataclass
class SiteData:
    """Projects with owners, licences and components (current release) by kind; licence facts."""

    projects: list[dict]
    kinds: list[dict]
    claims: list[dict]
    verdicts: dict[tuple[str, str], dict] = field(default_factory=dict)
    licences: dict[str, dict] = field(default_factory=dict)

    def verdicts_of(self, iri: str) -> list[dict]:
        return [self.verdicts[(iri, c["id"])] for c in self.claims if (iri, c["id"]) in self.verdicts]

    def counts(self) -> list[dict]:
        """Per claim: how many projects it holds for, does not hold for, is undetermined for."""
        out = []
        for c in self.claims:
            tally = {"holds": 0, "does-not-hold": 0, "undetermined": 0}
            for (_, claim), v in self.verdicts.items():
                if claim == c["id"]:
                    tally[v["verdict"]] = tally.get(v["verdict"], 0) + 1
            out.append({**c, **tally})
        return out

    def compare_json(self, href) -> dict:
        """The data compare.js renders: every project's outcomes by claim and components by kind."""
        return {"claims": [{"id": c["id"], "title": c["title"]} for c in self.claims],
                "kinds": [{"id": k["id"], "label": k["label"]} for k in self.kinds],
                "projects": {p["id"]: {"label": p["label"], "href": href(p["iri"]), "kind": p["kind"],
                                       "owner": p["owner"], "curated": p["curated"],
                                       "verdicts": {c: o for c, o in p["outcomes"].items()},
                                       "components": p["cells"]} for p in self.projects}}


def build(dataset, view, projects: Sequence[Mapping], verdicts: Sequence[Mapping], claim_ids: Sequence[str]) -> SiteData:
    """Everything the index, compare and project pages need, in three queries over the graph."""
    from ..claims.catalogue import claims as catalogue

    known = catalogue()
    adapted = [adapt(v) for v in verdicts]
    shown = [c for c in claim_ids if any(v["claim"] == c for v in adapted)]
    claims = [{"id": c, "title": known[c].title if c in known else c} for c in shown]
    by_pair = {(str(v["project"]), str(v["claim"])): v for v in adapted}

    licences: dict[str, dict] = {}
    for lic, spdx, string in dataset.select(LICENCE_FACTS)[1]:
        entry = licences.setdefault(lic.value, {"iri": lic.value, "label": view.label(lic), "spdx": None, "strings": []})
        if spdx is not None:
            entry["spdx"] = spdx.value
        if string is not None and view.label(string) not in entry["strings"]:
            entry["strings"].append(view.label(string))
    owners: dict[str, list[str]] = {}
    for project, owner in dataset.select(OWNERS)[1]:
        owners.setdefault(project.value, []).append(view.label(owner))
    cells: dict[str, dict[str, dict]] = {}
    kinds_seen: set[str] = set()
    for project, kind, avail, lic in dataset.select(COMPONENTS)[1]:
        kid = _local(kind.value)
        kinds_seen.add(kind.value)
        cell = cells.setdefault(project.value, {}).setdefault(kid, {
            "availability": view.label(avail) if avail is not None else "not stated",
            "class": availability_class(avail.value if isinstance(avail, ox.NamedNode) else None), "licences": []})
        if isinstance(lic, ox.NamedNode):
            info = licences.get(lic.value, {"label": view.label(lic), "spdx": None})
            name = info["spdx"] or info["label"]
            if name not in cell["licences"]:
                cell["licences"].append(name)
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    kinds = sorted(({"id": _local(k), "iri": k, "label": view.label(ox.NamedNode(k))} for k in kinds_seen),
                   key=lambda k: (order.get(k["id"], 99), k["label"].casefold()))
    rows = []
    for p in projects:
        iri = str(p["iri"])
        own = cells.get(iri, {})
        weights = own.get("FinalParameters", {}).get("licences", [])
        all_licences = sorted({name for c in own.values() for name in c["licences"]}, key=str.casefold)
        rows.append({"id": str(p["id"]), "iri": iri, "label": str(p["label"]), "kind": str(p["kind"]),
                     "curated": p.get("identifier") is None, "owner": ", ".join(sorted(owners.get(iri, []))) or "not stated",
                     "weights_licence": " AND ".join(weights) or "not stated", "licences": all_licences,
                     "outcomes": {c["id"]: by_pair[(iri, c["id"])]["verdict"] for c in claims if (iri, c["id"]) in by_pair},
                     "cells": own})
    rows.sort(key=lambda r: (r["label"].casefold(), r["id"]))
    return SiteData(rows, kinds, claims, by_pair, licences)


def outcome_chart(counts: Sequence[Mapping], total_width: int = 820) -> str:
    """Outcomes per claim as an inline SVG (stacked bars, counts written on them), made at publish time.

    Only numbers and claim ids go into the SVG; they are escaped, so it is safe inline."""
    from html import escape

    bar_left, bar_width, row = 190, total_width - 190 - 230, 28
    height = row * len(counts) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_width} {height}" width="{total_width}" '
             f'height="{height}" role="img" aria-labelledby="chart-title" class="chart">',
             '<title id="chart-title">Outcomes per claim across the projects</title>']
    for i, c in enumerate(counts):
        y = 10 + i * row
        total = c["holds"] + c["does-not-hold"] + c["undetermined"] or 1
        parts.append(f'<text x="{bar_left - 8}" y="{y + 16}" text-anchor="end" class="chart-label">{escape(c["id"])}</text>')
        x = float(bar_left)
        for key, css in (("holds", "o-holds"), ("does-not-hold", "o-does-not-hold"), ("undetermined", "o-undetermined")):
            n = c[key]
            if not n:
                continue
            w = bar_width * n / total
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="22" class="{css}">'
                         f'<title>{escape(c["id"])}: {n} {OUTCOME_LABELS[key]}</title></rect>')
            if w >= 22:
                parts.append(f'<text x="{x + w / 2:.1f}" y="{y + 16}" text-anchor="middle" class="chart-n {css}-text">{n}</text>')
            x += w
        summary = ", ".join(f"{c[k]} {OUTCOME_LABELS[k]}" for k in ("holds", "does-not-hold", "undetermined") if c[k])
        parts.append(f'<text x="{bar_left + bar_width + 10}" y="{y + 16}" class="chart-label">{escape(summary)}</text>')
    legend_y = height - 12
    parts.append(f'<text x="{bar_left}" y="{legend_y}" class="chart-legend">Green: holds; red: does not hold; '
                 'grey: undetermined. Numbers are projects.</text>')
    parts.append("</svg>")
    return "\n".join(parts)

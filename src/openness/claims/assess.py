"""`openness assess`: the seed article's due-diligence advice as checks, one report per project.

Sections follow the seed's safety section: owner and track record, community activity, proprietary
parts, strings attached, security, commercialisation risk. Each finding has a stable id (FINDINGS), a
status (found, unknown, clear or info) and its evidence (node, property, value, source, checked on).
A fact the graph does not state is listed as unknown, never skipped. The facts come from per-project
SPARQL (assess_queries, the saved queries licence-changes, hidden-costs, flow-down-restrictions and
the licence clauses of diligence_sparql), each with ?project bound. Not legal advice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..graph.iris import ONTOLOGY, slug_of
from ..graph.query import saved_queries
from . import assess_queries as aq
from . import diligence_sparql as dq
from .derive import NOT_LEGAL_ADVICE, _rows, clause, curie, merged

SECTIONS = (
    ("owner", "Owner and track record"),
    ("community", "Community activity"),
    ("proprietary", "Proprietary or closed parts"),
    ("strings", "Strings attached"),
    ("security", "Security"),
    ("commercial", "Commercialisation risk"),
)

# oo:StringAttached concept -> finding id (a test checks every concept of the ontology is here).
STRING_IDS = {
    "LicenceFee": "licence-fee", "SupportFee": "support-fee", "HiddenFee": "hidden-fee",
    "CopyrightDistributionTerms": "copyright-distribution-terms", "NoticeDuty": "notice-duty",
    "AttributionDuty": "attribution-duty", "ShareAlikeDuty": "share-alike-duty",
    "SourceDisclosureDuty": "source-disclosure-duty", "UserCap": "user-cap",
    "GeographicExclusion": "geographic-exclusion", "AcceptableUsePolicy": "acceptable-use-policy",
    "NonCommercial": "non-commercial", "ResearchOnly": "research-only", "NamingDuty": "naming-duty",
    "RemoteRestriction": "remote-restriction", "UnilateralChange": "unilateral-change",
    "OutputUseRestriction": "output-use-restriction", "ExtraAgreement": "extra-agreement",
    "UseRestrictionFlowDown": "use-restriction-flow-down",
    "DerivativeIncludesDistillation": "derivative-includes-distillation",
}
# Change clauses are a commercialisation risk (the owner can change or withdraw what you build on).
CHANGE_STRINGS = {"UnilateralChange", "RemoteRestriction"}

# Component kinds needed to use, study or rebuild a model, and the id of the finding when one is closed.
NEEDED = {
    "FinalParameters": ("use", "closed-weights"), "InferenceCode": ("use", "closed-inference-code"),
    "Tokenizer": ("use", "closed-tokenizer"), "ModelArchitecture": ("study", "closed-model-architecture"),
    "DataInformation": ("study", "closed-data-information"), "ModelCard": ("study", "closed-model-card"),
    "TechnicalReport": ("study", "closed-technical-report"), "Datasets": ("rebuild", "closed-training-data"),
    "TrainingCode": ("rebuild", "closed-training-code"),
    "DataPreprocessingCode": ("rebuild", "closed-data-preprocessing-code"),
}

FINDINGS: dict[str, tuple[str, str]] = {
    "owner-unknown": ("owner", "no owner is stated"),
    "licence-restricted-over-time": ("owner", "a later licence attaches strings the earlier one did not"),
    "licence-fee-added": ("owner", "a later licence adds a fee"),
    "rights-withdrawn": ("owner", "a later licence no longer grants a right the earlier one did"),
    "community-activity": ("community", "contributors, commits, last release (with the date observed)"),
    **{fid: ("proprietary", f"{kind} not released (needed to {need})") for kind, (need, fid) in NEEDED.items()},
    "gated-weights": ("proprietary", "the weights are behind a gate"),
    **{fid: ("strings", f"the licence attaches: {name}") for name, fid in STRING_IDS.items() if name not in CHANGE_STRINGS},
    "terms-not-reviewed": ("strings", "a licence's terms were not read in full: missing strings are unknown"),
    "licence-undisclosed": ("strings", "a component's licence is not stated or undisclosed"),
    "pickle-only": ("security", "weights only in formats that run code on load"),
    "no-checksums": ("security", "no checksums of the released files"),
    "unsigned-release": ("security", "the released files are not signed"),
    "no-security-contact": ("security", "no security contact"),
    "no-support-channel": ("security", "no support channel"),
    "copyleft": ("commercial", "derivatives must use the same licence (work or file level)"),
    "flow-down": ("commercial", "use restrictions must be passed on to derivatives"),
    "unilateral-change": ("commercial", "the owner may change the terms unilaterally"),
    "remote-restriction": ("commercial", "the owner may restrict use remotely"),
    "hidden-costs": ("commercial", "fees, paid support or data for a fee"),
}
STATUSES = ("found", "unknown", "clear", "info")


@dataclass
class Finding:
    id: str
    status: str
    detail: str
    evidence: list[dict[str, object]] = field(default_factory=list)

    @property
    def section(self) -> str:
        return FINDINGS[self.id][0]

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "section": self.section, "status": self.status, "title": FINDINGS[self.id][1],
                "detail": self.detail, "evidence": self.evidence}


def evidence(node, prop, value, source=None, checked=None, **extra) -> dict[str, object]:
    return {"node": node, "property": curie(prop), "value": curie(value) if isinstance(value, str) else value,
            "source": source, "checked_on": checked, **extra}


def _local(iri: object) -> str:
    return slug_of(str(iri)) if iri else ""


class Assessment:
    def __init__(self, backend, project) -> None:
        self.backend, self.project = backend, project
        self.binding = {"project": ox.NamedNode(project.iri)}
        self.findings: list[Finding] = []

    def rows(self, text: str) -> list[dict[str, object]]:
        return _rows(self.backend, text, self.binding)

    def add(self, fid: str, status: str, detail: str, ev: list[dict[str, object]] | None = None) -> None:
        items = merged([{k: v for k, v in e.items() if k != "components"} | (
            {"components": " ".join(sorted(e["components"]))} if e.get("components") else {}) for e in ev or []])
        self.findings.append(Finding(fid, status, detail, sorted(items, key=lambda e: repr(sorted(map(str, e.items()))))))

    # -- owner and track record ---------------------------------------------------------------
    def owner(self) -> None:
        owners = self.rows(aq.OWNER)
        if not owners:
            self.add("owner-unknown", "unknown", "The graph does not state who owns the project.")
        else:
            o = owners[0]
            what = ", ".join(str(x) for x in (curie(o.get("type")), o.get("origin")) if x)
            self.add("owner-unknown", "clear", f"Owned by {o.get('label') or o['owner']}" + (f" ({what})" if what else ""),
                     [evidence(self.project.iri, ONTOLOGY + "owner", o["owner"], r.get("source"), r.get("checked"))
                      for r in owners])
        changes = self.rows(saved_queries()["licence-changes"].text)
        basis = self.rows(aq.HISTORY_BASIS)
        dated = basis[0]["datedReleases"] if basis else 0
        histories = basis[0]["histories"] if basis else 0
        kinds = {"restricted terms": "licence-restricted-over-time", "added a fee": "licence-fee-added",
                 "withdrew a right": "rights-withdrawn"}
        for kind, fid in kinds.items():
            hits = [r for r in changes if r["change"] == kind]
            for r in hits:
                known = r["from_reviewed"] if kind != "withdrew a right" else r["to_reviewed"]
                self.add(fid, "found" if known else "unknown",
                         f"{curie(r['from_licence'])} -> {curie(r['to_licence'])}: {kind} ({curie(r['term'])})"
                         + ("" if known else "; the licence compared was not reviewed in full, so this may be a gap"),
                         [evidence(r["to"], "dct:license", r["to_licence"], r.get("source"), r.get("checked"),
                                   previous=r["from"], previous_licence=r["from_licence"])])
            if hits:
                continue
            if dated >= 2 or histories:
                self.add(fid, "clear", f"No such change among {dated} dated releases and {histories} licence "
                                       "histories described.")
            else:
                self.add(fid, "unknown", "Fewer than two dated releases and no licence history are described: "
                                         "licence changes over time are unknown.")

    # -- community ----------------------------------------------------------------------------
    def community(self) -> None:
        rows = self.rows(aq.COMMUNITY)
        figures = {curie(r["property"]): r for r in rows}
        if not rows:
            self.add("community-activity", "unknown", "No contributor, commit or release figures are stated.")
            return
        parts = [f"{name.removeprefix('oo:').removeprefix('dct:')}={figures[name]['value']}"
                 for name in ("oo:contributorsLast12Months", "oo:commitsLast12Months", "dct:issued") if name in figures]
        missing = [name for name in ("oo:contributorsLast12Months", "oo:commitsLast12Months") if name not in figures]
        detail = ("Observed: " + ", ".join(parts) if parts else "No activity figures.") + (
            f" Not stated (unknown): {', '.join(missing)}." if missing else "")
        self.add("community-activity", "info", detail,
                 [evidence(r["node"], r["property"], r["value"], r.get("source"), r.get("checked")) for r in rows])

    # -- proprietary parts --------------------------------------------------------------------
    def proprietary(self) -> list[dict[str, object]]:
        rows = self.rows(aq.COMPONENTS)
        seen: dict[str, list[dict]] = {}
        for r in rows:
            if r.get("kind"):
                seen.setdefault(_local(r["kind"]), []).append(r)
        complete = bool(rows and rows[0].get("complete"))
        for kind, (need, fid) in NEEDED.items():
            comps = seen.get(kind, [])
            if not comps:
                status = "found" if complete else "unknown"
                self.add(fid, status, f"No {kind} component is listed" + (
                    " and the release's component list is complete." if complete else
                    "; whether it is released is unknown."),
                    [evidence(rows[0]["release"], "oo:componentListComplete", True)] if complete else [])
                continue
            av = {_local(r.get("availability")) for r in comps}
            ev = [evidence(r["component"], "oo:availability", r.get("availability"), r.get("source"), r.get("checked"),
                           note=r.get("note")) for r in comps if r.get("availability")]
            if av & {"Closed", "Partial"}:
                self.add(fid, "found", f"{kind}: {', '.join(sorted(av & {'Closed', 'Partial'}))}", ev)
            elif av <= {"", "AvailabilityUnknown"}:
                self.add(fid, "unknown", f"{kind}: availability not established", ev)
            else:
                self.add(fid, "clear", f"{kind}: {', '.join(sorted(a for a in av if a))}", ev)
                if kind == "FinalParameters" and any(a.startswith("Gated") for a in av):
                    self.add("gated-weights", "found", f"Weights: {', '.join(sorted(av))}", ev)
        if "FinalParameters" in seen and not any(a.startswith("Gated") for a in
                                                {_local(r.get("availability")) for r in seen["FinalParameters"]}):
            self.add("gated-weights", "clear", "The weights are not behind a gate.")
        return rows

    # -- strings attached and licences ---------------------------------------------------------
    def strings(self, components: list[dict[str, object]]) -> list[dict[str, object]]:
        licences = self.rows(aq.LICENCES)
        attached: dict[str, list[dict]] = {}
        for lic in licences:
            for r in _rows(self.backend, dq.LICENCE_STRINGS, {"licence": ox.NamedNode(lic["licence"])}):
                info = {"source": r.get("source"), "checked": r.get("checked")}
                attached.setdefault(_local(r["string"]), []).append(
                    {**clause(lic["licence"], str(lic.get("label") or curie(lic["licence"])), r, info),
                     "components": lic["components"].split()})
            if not lic.get("reviewed"):
                self.add("terms-not-reviewed", "unknown",
                         f"{lic.get('label') or curie(lic['licence'])}: terms not reviewed in full; strings it "
                         "attaches beyond those listed are unknown",
                         [evidence(lic["licence"], "oo:termsReviewed", None)])
        all_reviewed = bool(licences) and all(lic.get("reviewed") for lic in licences)
        for name, fid in STRING_IDS.items():
            hits = attached.get(name, [])
            if hits:
                what = sorted({h["licence_label"] for h in hits})
                self.add(fid, "found", f"Attached by {', '.join(what)}",
                         [{"node": h["licence"], "property": h["rule"] or "oo:stringAttached",
                           "value": h["action"] or h["constraint"] or f"oo:{name}", **h} for h in hits])
            elif name in CHANGE_STRINGS or name in ("UserCap", "AcceptableUsePolicy", "NonCommercial", "ResearchOnly",
                                                    "LicenceFee", "OutputUseRestriction", "NamingDuty", "ExtraAgreement"):
                self.add(fid, "clear" if all_reviewed else "unknown",
                         "Not attached by any licence of the release (all reviewed in full)." if all_reviewed else
                         "Not recorded, but not every licence of the release was reviewed in full: unknown.")
        undisclosed = sorted({r["component"] for r in components if r.get("component") and
                              (r.get("licence") in (None, ONTOLOGY + "LicenceUndisclosed"))
                              and _local(r.get("availability")) not in ("Closed",)})
        if undisclosed:
            self.add("licence-undisclosed", "unknown", f"{len(undisclosed)} released component(s) with no licence stated",
                     [evidence(c, "dct:license", None) for c in undisclosed])
        return licences

    # -- security -----------------------------------------------------------------------------
    def security(self, components: list[dict[str, object]]) -> None:
        weights = [r for r in components if _local(r.get("kind")) == "FinalParameters"]
        formats = {r["format"]: r.get("executes") for r in weights if r.get("format")}
        ev = [evidence(r["component"], "oo:fileFormat", r["format"], r.get("source"), r.get("checked"),
                       executes_code_on_load=r.get("executes")) for r in weights if r.get("format")]
        if not formats:
            self.add("pickle-only", "unknown", "The weights' file formats are not stated.")
        elif all(v is True for v in formats.values()):
            self.add("pickle-only", "found", "Every stated format runs code on load; no safe format is offered: "
                     + ", ".join(sorted(curie(f) for f in formats)), ev)
        elif any(v is False for v in formats.values()):
            safe = sorted(curie(f) for f, v in formats.items() if v is False)
            self.add("pickle-only", "clear", f"A safe format is offered: {', '.join(safe)}", ev)
        else:
            self.add("pickle-only", "unknown", "Whether the stated formats run code on load is not stated.", ev)
        facts: dict[str, list[dict]] = {}
        for r in self.rows(aq.SECURITY):
            facts.setdefault(_local(r["property"]), []).append(r)
        for prop, fid, what in (("checksumPublished", "no-checksums", "checksums"),
                                ("signedRelease", "unsigned-release", "signatures")):
            rows = facts.get(prop, [])
            ev = [evidence(r["node"], r["property"], r["value"], r.get("source"), r.get("checked")) for r in rows]
            if any(r["value"] is True for r in rows):
                self.add(fid, "clear", f"The publisher gives {what}.", ev)
            elif rows:
                self.add(fid, "found", f"The publisher gives no {what}.", ev)
            else:
                self.add(fid, "unknown", f"Whether the released files come with {what} is not stated.")
        for prop, fid, what in (("securityContact", "no-security-contact", "security contact"),
                                ("supportChannel", "no-support-channel", "support channel")):
            rows = facts.get(prop, [])
            if rows:
                self.add(fid, "clear", f"A {what} is stated.",
                         [evidence(r["node"], r["property"], r["value"], r.get("source"), r.get("checked")) for r in rows])
            else:
                self.add(fid, "unknown", f"No {what} is stated in the graph (unknown, not known absent).")

    # -- commercialisation risk -----------------------------------------------------------------
    def commercial(self, licences: list[dict[str, object]]) -> None:
        scopes = {lic["licence"]: _local(lic.get("scope")) for lic in licences}
        ev = [evidence(lic, "oo:copyleftScope", ONTOLOGY + s if s else None) for lic, s in sorted(scopes.items())]
        copyleft = [lic for lic, s in scopes.items() if s in ("ScopeWork", "ScopeFile")]
        unknown = [lic for lic, s in scopes.items() if not s]
        self.add("copyleft", "found" if copyleft else "unknown" if unknown or not licences else "clear",
                 (f"Copyleft: {', '.join(curie(x) for x in copyleft)}" if copyleft else
                  f"Copyleft scope not stated for {', '.join(curie(x) for x in unknown)}" if unknown else
                  "No licence stated" if not licences else "No copyleft licence"), ev)
        flow = self.rows(saved_queries()["flow-down-restrictions"].text)
        if flow:
            self.add("flow-down", "found", "Passed on to derivatives: " + ", ".join(sorted({curie(r["restriction"])
                                                                                            for r in flow})),
                     [evidence(r["licence"], "oo:stringAttached", r["restriction"], r.get("source")) for r in flow])
        else:
            self.add("flow-down", "unknown" if unknown or not licences else "clear",
                     "No restriction recorded as flowing down to derivatives" + (
                         "; some licences' scope is not stated" if unknown else "."))
        costs = self.rows(saved_queries()["hidden-costs"].text)
        if costs:
            self.add("hidden-costs", "found", ", ".join(sorted({str(r["cost"]) for r in costs})),
                     [evidence(r["node"], r["property"], r["value"], r.get("source"), r.get("checked")) for r in costs])
        else:
            self.add("hidden-costs", "unknown", "No fee, paid support or data fee is recorded (absence not established).")

    def run(self) -> list[Finding]:
        self.owner()
        self.community()
        components = self.proprietary()
        licences = self.strings(components)
        self.security(components)
        self.commercial(licences)
        order = {key: i for i, (key, _) in enumerate(SECTIONS)}
        ids = list(FINDINGS)
        self.findings.sort(key=lambda f: (order[f.section], ids.index(f.id)))
        return self.findings


def assess(backend, project) -> dict[str, object]:
    findings = Assessment(backend, project).run()
    return {"project": project.as_dict(), "notice": NOT_LEGAL_ADVICE,
            "sections": [{"id": key, "title": title, "findings": [f.as_dict() for f in findings if f.section == key]}
                         for key, title in SECTIONS]}


def blockers(report: dict[str, object], fail_on: set[str], unknown_blocks: bool = False) -> list[dict[str, object]]:
    """The findings the user named as blockers that hold (or, with unknown_blocks, are unknown)."""
    hit = {"found", "unknown"} if unknown_blocks else {"found"}
    return [f for s in report["sections"] for f in s["findings"] if f["id"] in fail_on and f["status"] in hit]

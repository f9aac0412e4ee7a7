"""The report: every project against the key claims, and every recorded claim judged, from verdicts computed once.

A recorded claim ("X is open source", oo:Claim) is judged against the release it names, or else the
release current at the claim's date (dct:date: the latest release issued on or before it), never simply
the newest; a claim without a date is judged against the current release. Its outcome:
  supported  the claim's verdict for that release holds;
  refuted    it does not hold: open-washing, with the refuting reasons;
  unverified it is undetermined (with the facts that would decide it), or no release described in the
             graph was current at the claim's date.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pyoxigraph as ox

from ..text import markdown_cell, paragraphs, table, to_json

KEY_CLAIMS = ["osaid-1.0", "open-weights", "weights-available", "fully-open", "mof-class-3",
              "eu-ai-act-gpai-exemption", "commercial-use"]
CELL = {"holds": "yes", "does-not-hold": "no", "undetermined": "undetermined"}

RECORDED_CLAIMS = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?c ?project ?type ?by ?date ?named ?current WHERE {
  # Each pattern its own sub-SELECT, read whole once and hash-joined: written flat, Oxigraph looked each
  # claim's facts up one by one in every graph (as queries/recorded-claims.rq).
  { SELECT ?c WHERE { ?c a oo:Claim } }
  { SELECT ?c ?type WHERE { ?c oo:claimType ?type } }
  { SELECT ?c ?about WHERE { ?c oo:claimAbout ?about } }
  OPTIONAL { SELECT ?owner ?about WHERE { ?owner oo:hasRelease ?about } }
  BIND(COALESCE(?owner, ?about) AS ?project)
  BIND(IF(BOUND(?owner), ?about, ?none) AS ?named)
  OPTIONAL { SELECT ?project ?current WHERE { ?project oo:currentRelease ?current } }
  OPTIONAL { SELECT ?c ?date WHERE { ?c dct:date ?date } }
  OPTIONAL { SELECT ?c ?by WHERE { ?c oo:claimedBy ?o . ?o rdfs:label ?by } }
}
"""
RELEASES = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?project ?release ?issued WHERE { ?project oo:hasRelease ?release . OPTIONAL { ?release dct:issued ?issued } }
"""
# The same two questions about one project (?project bound, so projected: pyoxigraph substitutes
# projected variables): its releases; the claims about it or about one of its releases.
RELEASES_OF = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?project ?release ?issued WHERE { ?project oo:hasRelease ?release . OPTIONAL { ?release dct:issued ?issued } }
"""
RECORDED_CLAIMS_OF = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?c ?project ?type ?by ?date ?named ?current WHERE {
  { ?c oo:claimAbout ?project ; oo:claimType ?type }
  UNION { ?project oo:hasRelease ?named . ?c oo:claimAbout ?named ; oo:claimType ?type }
  FILTER EXISTS { ?c a oo:Claim }  # as a join, Oxigraph read every claim of the catalogue first (2.5 s at 10k)
  OPTIONAL { ?project oo:currentRelease ?current }
  OPTIONAL { ?c dct:date ?date }
  OPTIONAL { ?c oo:claimedBy ?o . ?o rdfs:label ?by }
}
"""


def judged_release(named: str | None, current: str | None, date: str | None,
                   releases: list[tuple[str, str | None]]) -> tuple[str | None, str | None]:
    """(release, why not) the recorded claim is judged against: the named one, else the one current at its date."""
    if named:
        return named, None
    if not date:
        return current or (releases[0][0] if len(releases) == 1 else None), None
    dated = sorted((issued, r) for r, issued in releases if issued)
    if not dated:
        # No release states its date, so none can be shown to be newer than the claim.
        return current or (releases[0][0] if len(releases) == 1 else None), None
    before = [r for issued, r in dated if issued <= date]
    if before:
        return before[-1], None
    return None, f"no release described in the graph was current on {date} (the earliest was issued {dated[0][0]})"


def judged_releases(dataset, projects: Sequence[str] | None = None) -> dict[str, str | None]:
    """Recorded claim node -> the release it is judged against (None: no release was current at its date).

    With `projects`, only the claims about those projects (and their releases), looked up project by
    project rather than over the catalogue."""
    if projects is None:
        _, rows = dataset.select(RELEASES)
        _, claims_rows = dataset.select(RECORDED_CLAIMS)
    else:
        rows, claims_rows = [], []
        for iri in dict.fromkeys(projects):
            node = ox.NamedNode(iri)
            rows += dataset.select(RELEASES_OF, {"project": node})[1]
            claims_rows += dataset.select(RECORDED_CLAIMS_OF, {"project": node})[1]
    releases: dict[str, list[tuple[str, str | None]]] = {}
    for project, release, issued in rows:
        releases.setdefault(project.value, []).append((release.value, None if issued is None else issued.value))
    rows = claims_rows
    out: dict[str, str | None] = {}
    for c, project, _, _, date, named, current in rows:
        out[c.value] = judged_release(None if named is None else named.value, None if current is None else current.value,
                                      None if date is None else date.value, releases.get(project.value, []))[0]
    return out


def recorded_claims(dataset, verdicts: list[dict], verdict_for=None) -> list[dict]:
    """Every recorded claim about a project in `verdicts`, with its outcome and the reasons for it.

    `verdict_for(project, release, claim_id)` computes a verdict for a release that is not the current one.
    """
    by_key = {(v["project"], v["claim"]): v for v in verdicts}
    projects = {v["project"] for v in verdicts}
    _, rows = dataset.select(RELEASES)
    releases: dict[str, list[tuple[str, str | None]]] = {}
    for project, release, issued in rows:
        releases.setdefault(project.value, []).append((release.value, None if issued is None else issued.value))
    _, rows = dataset.select(RECORDED_CLAIMS)
    found: dict[str, dict] = {}
    for c, project, ctype, by, date, named, current in rows:
        if project.value not in projects:
            continue
        item = found.setdefault(c.value, {
            "claim_node": c.value, "project": project.value, "claim": ctype.value.rsplit("/", 1)[-1], "by": [],
            "date": None if date is None else date.value,
            "named": None if named is None else named.value, "current": None if current is None else current.value})
        if by is not None and by.value not in item["by"]:
            item["by"].append(by.value)
    out = []
    for item in found.values():
        release, why = judged_release(item.pop("named"), item["current"], item["date"], releases.get(item["project"], []))
        current = item.pop("current")
        v = None
        if release is not None and release == current:
            v = by_key.get((item["project"], item["claim"]))
        elif release is not None and verdict_for is not None:
            v = verdict_for(item["project"], release, item["claim"])
        item["release"] = release
        item["by"] = sorted(item["by"]) or ["someone"]
        if v is None:
            item.update(outcome="unverified", verdict=None,
                        reasons=[why or "the release the claim is about has no verdict"])
        else:
            outcome = {"holds": "supported", "does-not-hold": "refuted", "undetermined": "unverified"}[v["verdict"]]
            wanted = "refutes" if outcome == "refuted" else "unknown"
            item.update(outcome=outcome, verdict=v["verdict"],
                        reasons=[r["message"] for r in v["results"] if r["outcome"] == wanted])
        out.append(item)
    return sorted(out, key=lambda i: (i["project"], i["claim"], i["claim_node"]))


def open_washing(dataset, verdicts: list[dict]) -> dict[tuple[str, str], list[str]]:
    """(project, claim id) -> who made a recorded claim that its verdict refutes (open-washing)."""
    out: dict[tuple[str, str], list[str]] = {}
    for item in recorded_claims(dataset, verdicts):
        if item["outcome"] == "refuted":
            out.setdefault((item["project"], item["claim"]), [])
            out[(item["project"], item["claim"])] = sorted(set(out[(item["project"], item["claim"])]) | set(item["by"]))
    return out


def matrix(dataset, verdicts: list[dict], recorded: list[dict] | None = None) -> list[dict]:
    """One row per project: per claim 'yes', 'no' or 'undetermined', and what its recorded claims came to."""
    recorded = recorded_claims(dataset, verdicts) if recorded is None else recorded
    notes: dict[tuple[str, str], list[str]] = {}
    for item in recorded:
        word = {"refuted": "refuted, open-washing", "unverified": "unverified", "supported": "supported"}[item["outcome"]]
        notes.setdefault((item["project"], item["claim"]), []).append(f"{word}: claimed by {', '.join(item['by'])}")
    rows: dict[str, dict] = {}
    for v in verdicts:
        row = rows.setdefault(v["project"], {"project": v["project"], "label": v["label"]})
        cell = CELL[outcome(v)]
        for note in notes.get((v["project"], v["claim"]), []):
            cell += f" ({note})"
        row[v["claim"]] = cell
    return sorted(rows.values(), key=lambda r: (r["label"].casefold(), r["project"]))


TERMINAL_WORDS = {"holds": "yes", "does-not-hold": "no", "undetermined": "unknown"}


def outcome(v: dict) -> str:
    """holds, does-not-hold or undetermined (verdict dicts before three-valued verdicts: from conforms)."""
    return str(v.get("verdict") or ("holds" if v.get("conforms") else "does-not-hold"))


MARKS = {"refuted": "OW", "unverified": "UV", "supported": "S"}


def terminal_table(dataset, verdicts: list[dict], claims: list[str], recorded: list[dict] | None = None) -> str:
    """The matrix for a terminal: short cells (yes / no / unknown; a recorded claim marked OW when refuted,
    i.e. open-washing, UV when unverified, S when supported) that fit 80 columns, with the recorded
    claims spelt out below the table."""
    recorded = recorded_claims(dataset, verdicts) if recorded is None else recorded
    marks: dict[tuple[str, str], set[str]] = {}
    notes: list[str] = []
    labels = {v["project"]: v["label"] for v in verdicts}
    for item in recorded:
        marks.setdefault((item["project"], item["claim"]), set()).add(MARKS[item["outcome"]])
        notes.append(f"{MARKS[item['outcome']]} {labels.get(item['project'], item['project'])}: {item['claim']} "
                     f"claimed by {', '.join(item['by'])}")
    rows: dict[str, dict] = {}
    for v in verdicts:
        row = rows.setdefault(v["project"], {"label": v["label"]})
        cell = TERMINAL_WORDS.get(outcome(v), outcome(v))
        found = marks.get((v["project"], v["claim"]))
        if found:
            cell += " (" + ",".join(sorted(found)) + ")"
        row[v["claim"]] = cell
    ordered = sorted(rows.values(), key=lambda r: r["label"].casefold())
    text = table(["project", *claims], [[r["label"], *(r.get(c) for c in claims)] for r in ordered])
    if notes:
        text += paragraphs(["Recorded claims: OW refuted, open-washing (the verdict does not hold); UV unverified "
                            "(undetermined); S supported. unknown = undetermined (a deciding fact is not stated):", *sorted(set(notes), key=str.casefold)])
    return text


def render(dataset, verdicts: list[dict], fmt: str, verdict_for=None) -> str:
    """The report as table, markdown, html or json (json: the rows, the recorded claims and the full verdicts)."""
    claims = sorted({v["claim"] for v in verdicts}, key=lambda c: KEY_CLAIMS.index(c) if c in KEY_CLAIMS else 99)
    recorded = recorded_claims(dataset, verdicts, verdict_for)
    rows = matrix(dataset, verdicts, recorded)
    if fmt == "json":
        return to_json({"claims": claims, "rows": rows, "recorded_claims": recorded, "verdicts": verdicts})
    columns = ["label", *claims]
    legend = ("yes = holds, no = does not hold, undetermined = a deciding fact is not stated; recorded claims: "
              "supported, refuted (open-washing) or unverified")
    if fmt == "table":
        return terminal_table(dataset, verdicts, claims, recorded)
    if fmt == "markdown":
        md = markdown_cell
        out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        out += ["| " + " | ".join(md(r.get(c)) for c in columns) + " |" for r in rows]
        return "\n".join(out) + f"\n\n{legend}\n"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)

    def css(text: str) -> str:
        word = text.split(" ")[0] if text else ""
        extra = " refuted" if "open-washing" in text else " unverified" if "unverified" in text else ""
        return html.escape(word + extra)
    body = "".join(
        "<tr>" + "".join(f'<td class="{css(str(r.get(c) or ""))}">{html.escape(str(r.get(c) or ""))}</td>'
                         for c in columns) + "</tr>\n" for r in rows)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Openness report</title></head>\n"
            f"<body><h1>Projects against the key claims</h1>\n<p>{html.escape(legend)}</p>\n<table>\n<thead><tr>{head}</tr></thead>\n"
            f"<tbody>\n{body}</tbody></table></body></html>\n")

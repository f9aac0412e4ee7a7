"""The report: every project against the key claims, open-washing flagged, from verdicts computed once."""

from __future__ import annotations

import html

from ..text import paragraphs, table, to_json

KEY_CLAIMS = ["osaid-1.0", "open-weights", "weights-available", "fully-open", "mof-class-3",
              "eu-ai-act-gpai-exemption", "commercial-use"]

RECORDED_CLAIMS = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?project ?type ?by WHERE {
  ?c a oo:Claim ; oo:claimType ?type ; oo:claimAbout ?about .
  OPTIONAL { ?owner oo:hasRelease ?about }
  BIND(COALESCE(?owner, ?about) AS ?project)
  OPTIONAL { ?c oo:claimedBy ?o . ?o rdfs:label ?by }
}
"""


def open_washing(dataset, verdicts: list[dict]) -> dict[tuple[str, str], list[str]]:
    """(project, claim id) -> who made a recorded claim that the claim's own verdict refutes."""
    _, rows = dataset.select(RECORDED_CLAIMS)
    recorded: dict[tuple[str, str], list[str]] = {}
    for project, ctype, by in rows:
        key = (project.value, ctype.value.rsplit("/", 1)[-1])
        recorded.setdefault(key, []).append(by.value if by is not None else "someone")
    return {(v["project"], v["claim"]): sorted(set(recorded[(v["project"], v["claim"])]))
            for v in verdicts if not v["conforms"] and (v["project"], v["claim"]) in recorded}


def matrix(dataset, verdicts: list[dict]) -> list[dict]:
    """One row per project: label, id, and per claim 'yes', 'no' or 'no (open-washing: ...)'."""
    washed = open_washing(dataset, verdicts)
    rows: dict[str, dict] = {}
    for v in verdicts:
        row = rows.setdefault(v["project"], {"project": v["project"], "label": v["label"]})
        cell = "yes" if v["conforms"] else "no"
        who = washed.get((v["project"], v["claim"]))
        if who:
            cell += f" (open-washing: claimed by {', '.join(who)})"
        row[v["claim"]] = cell
    return sorted(rows.values(), key=lambda r: (r["label"].casefold(), r["project"]))


TERMINAL_WORDS = {"holds": "yes", "does-not-hold": "no", "undetermined": "unknown"}


def outcome(v: dict) -> str:
    """holds, does-not-hold or undetermined (verdict dicts before three-valued verdicts: from conforms)."""
    return str(v.get("verdict") or ("holds" if v.get("conforms") else "does-not-hold"))


def terminal_table(dataset, verdicts: list[dict], claims: list[str]) -> str:
    """The matrix for a terminal: short cells (yes / no / unknown, "OW" marking open-washing) that fit
    80 columns, and the open-washing spelt out below the table."""
    washed = open_washing(dataset, verdicts)
    rows: dict[str, dict] = {}
    notes: list[str] = []
    for v in verdicts:
        row = rows.setdefault(v["project"], {"label": v["label"]})
        cell = TERMINAL_WORDS.get(outcome(v), outcome(v))
        who = washed.get((v["project"], v["claim"]))
        if who:
            cell += " (OW)"
            notes.append(f"{v['label']}: {v['claim']} claimed by {', '.join(who)}")
        row[v["claim"]] = cell
    ordered = sorted(rows.values(), key=lambda r: r["label"].casefold())
    text = table(["project", *claims], [[r["label"], *(r.get(c) for c in claims)] for r in ordered])
    if notes:
        text += paragraphs(["OW: open-washing, a recorded claim the verdict refutes:",
                            *sorted(notes, key=str.casefold)])
    return text


def render(dataset, verdicts: list[dict], fmt: str) -> str:
    """The report as table, markdown, html or json (json: the rows plus the full verdicts)."""
    claims = sorted({v["claim"] for v in verdicts}, key=lambda c: KEY_CLAIMS.index(c) if c in KEY_CLAIMS else 99)
    rows = matrix(dataset, verdicts)
    if fmt == "json":
        return to_json({"claims": claims, "rows": rows, "verdicts": verdicts})
    columns = ["label", *claims]
    if fmt == "table":
        return terminal_table(dataset, verdicts, claims)
    if fmt == "markdown":
        def md(text: object) -> str:
            return str(text or "").replace("|", "\\|").replace("\n", " ")
        out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        out += ["| " + " | ".join(md(r.get(c)) for c in columns) + " |" for r in rows]
        return "\n".join(out) + "\n"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f'<td class="{html.escape(str(r.get(c) or "")).split(" ")[0]}">{html.escape(str(r.get(c) or ""))}</td>'
                         for c in columns) + "</tr>\n" for r in rows)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Openness report</title></head>\n"
            f"<body><h1>Projects against the key claims</h1>\n<table>\n<thead><tr>{head}</tr></thead>\n"
            f"<tbody>\n{body}</tbody></table></body></html>\n")

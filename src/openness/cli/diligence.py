"""`openness assess` and `openness derive`: the CLI over claims/assess.py and claims/derive.py."""

from __future__ import annotations

import sys

import click

from .common import emit, format_option, graph_options, guarded, open_backend
from ..errors import OpennessError
from .output import to_json

MARK = {"found": "FOUND", "unknown": "UNKNOWN", "clear": "clear", "info": "info"}


def _finding_ids() -> str:
    from ..claims.assess import FINDINGS, SECTIONS

    lines = []
    for key, title in SECTIONS:
        ids = [fid for fid, (section, _) in FINDINGS.items() if section == key]
        lines.append(f"  {title}: {', '.join(ids)}")
    return "\n".join(lines)


def _described(parts: list[str], item: dict) -> str:
    """The parts, then the item's constraint, comment and cited sources (a piece of evidence or a clause)."""
    if item.get("constraint"):
        parts = [*parts, f"if {item['constraint']}"]
    text = " ".join(p for p in parts if p)
    if item.get("comment"):
        text += f' -- "{item["comment"]}"'
    sources = item.get("sources") or ([item["source"]] if item.get("source") else [])
    if sources:
        text += f" [source: {', '.join(sources)}" + (f"; checked {item['checked_on']}" if item.get("checked_on") else "") + "]"
    return text


def _evidence_line(e: dict) -> str:
    return _described([f"<{e['node']}>" if e.get("node") else "", str(e.get("property") or ""),
                       str(e.get("value")) if e.get("value") not in (None, "") else "(not stated)"], e)


def render_assessment(report: dict, markdown: bool) -> str:
    p = report["project"]
    out = [f"# Due diligence: {p['label']}" if markdown else f"Due diligence: {p['label']} <{p['iri']}>", ""]
    for section in report["sections"]:
        out.append(f"## {section['title']}" if markdown else section["title"])
        for f in section["findings"]:
            head = f"[{MARK[f['status']]}] {f['id']}: {f['detail']}"
            out.append(f"- **{MARK[f['status']]}** `{f['id']}`: {f['detail']}" if markdown else f"  {head}")
            for e in f["evidence"]:
                out.append(("  - " if markdown else "      ") + _evidence_line(e))
        out.append("")
    counts = {s: sum(f["status"] == s for sec in report["sections"] for f in sec["findings"]) for s in MARK}
    out.append(f"{counts['found']} found, {counts['unknown']} unknown, {counts['clear']} clear, {counts['info']} info.")
    out.append(("_" + report["notice"] + "_") if markdown else report["notice"])
    return "\n".join(out)


def _clause_line(c: dict) -> str:
    return _described([c["licence_label"] + ":", c.get("rule") or "", c.get("action") or "", c.get("string") or ""], c)


def render_derivation(d: dict) -> str:
    from ..claims.derive import curie

    out = [f"A model derived from {d['base']['label']} <{d['base']['iri']}>"]
    if d["lineage"]:
        out.append("Lineage (followed transitively):")
        out += [f"  {e['child_label']} {e['relation']} {e['parent_label']}" for e in d["lineage"]]
    out.append("Licences it inherits:")
    for lic in d["licences"]:
        via = ", ".join(curie(v) for v in lic["via"])
        out.append(f"  {lic['label']} <{lic['licence']}> (via {via}; terms reviewed: {lic['terms_reviewed'] or 'no'})")
    out.append("Inherited terms (each with the clause that imposes it):")
    for t in d["inherited"]:
        out.append(f"  {t['kind']}: {t.get('label') or t['term']}  <- {_clause_line(t['clause'])}")
    if d["use"]:
        out.append(f"Intended use: {d['use']}: {d['verdict'].upper()}")
        for dec in d["decisions"]:
            out.append(f"  {dec['licence_label']}: {dec['decision']}")
            out += [f"      because {_clause_line(c)}" for c in dec["clauses"]]
    if d["unknowns"]:
        out.append("Unknown:")
        out += [f"  {u['what']} <{u['node']}>" for u in d["unknowns"]]
    out.append(d["notice"])
    return "\n".join(out)


def register(cli: click.Group) -> None:
    """Add `assess` and `derive`."""

    @cli.command(epilog="\b\nFinding ids (for --fail-on):\n" + _finding_ids() + """

\b
Examples:
  openness assess llama-2
  openness assess olmo --format markdown
  openness assess gemma-2 --format json --fail-on pickle-only,user-cap

Not legal advice.""")
    @click.argument("project")
    @click.option("--fail-on", "fail_on", default="", metavar="IDS",
                  help="Comma-separated finding ids that block adoption: exit 1 when one is found.")
    @click.option("--fail-on-unknown", is_flag=True, help="With --fail-on: a named finding that is unknown blocks too.")
    @graph_options()
    @format_option(("text", "markdown", "json"), "text")
    @guarded
    def assess(project, fail_on, fail_on_unknown, data, store, endpoint, graph_prefix, fmt) -> None:
        """Due diligence on PROJECT, in the order of the seed article's advice: owner and track record,
        community, closed parts, strings attached (with the clause that attaches each), security,
        commercialisation risk. Every finding cites its evidence; unknowns are listed as unknown."""
        from ..claims.assess import FINDINGS, assess as run_assess, blockers
        from ..graph.projects import resolve_project

        named = {x.strip() for x in fail_on.split(",") if x.strip()}
        bad = sorted(named - set(FINDINGS))
        if bad:
            raise OpennessError(f"unknown finding id {bad[0]!r} in --fail-on; `openness assess --help` lists them")
        backend = open_backend(data, store, endpoint, graph_prefix)
        report = run_assess(backend, resolve_project(backend, project))
        hits = blockers(report, named, fail_on_unknown)
        report["blockers"] = [f["id"] for f in hits]
        if fmt == "json":
            emit(to_json(report))
        else:
            text = render_assessment(report, fmt == "markdown")
            if hits:
                text += f"\nBlockers (--fail-on): {', '.join(sorted({f['id'] for f in hits}))}"
            emit(text)
        sys.exit(1 if hits else 0)

    @cli.command(epilog="""\b
Examples:
  openness derive --base llama-2
  openness derive --base tulu-3 --data-licence CC-BY-NC-4.0 --use commercial
  openness derive --base olmo --use redistribute --format json

Exit codes: 0 allowed (or, without --use, every inherited term known), 1 not allowed,
3 undetermined (e.g. the base's licence or its terms are unknown). Not legal advice.""")
    @click.option("--base", "base", required=True, metavar="PROJECT", help="The model you derive from (id, label or IRI).")
    @click.option("--data-licence", "data_licences", multiple=True, metavar="ID",
                  help="Licence of data you train on (SPDX id, slug or IRI). Repeatable.")
    @click.option("--use", "use", type=click.Choice(("commercial", "research", "redistribute")), default=None,
                  help="The intended use of the derived model.")
    @graph_options()
    @format_option(("text", "json"), "text")
    @guarded
    def derive(base, data_licences, use, data, store, endpoint, graph_prefix, fmt) -> None:
        """What a model fine-tuned, distilled, merged or quantised from --base inherits (following its
        lineage transitively), and whether --use is allowed, each conclusion traced to its clause."""
        from ..claims.derive import derive as run_derive
        from ..graph.projects import resolve_licence, resolve_project

        backend = open_backend(data, store, endpoint, graph_prefix)
        ref = resolve_project(backend, base)
        licences = [resolve_licence(backend, x) for x in data_licences]
        result = run_derive(backend, ref, licences, use)
        emit(to_json(result.as_dict()) if fmt == "json" else render_derivation(result.as_dict()))
        sys.exit(result.exit_code)

"""`openness claims`, `openness validate` and `openness report`: the CLI over validate.py, verdicts.py, report.py."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import emit, engine_option, format_option, graph_options, guarded, load_dataset, note
from ..errors import OpennessError
from .output import dict_table, short, to_json


EXIT_CODES = {"holds": 0, "does-not-hold": 1, "undetermined": 3}
WORDS = {"holds": "holds", "does-not-hold": "does not hold", "undetermined": "undetermined"}
HEADINGS = {"refutes": "not met", "unknown": "unknown", "warning": "warning", "info": "granted"}


def exit_code(verdicts: list[dict]) -> int:
    """1 if any verdict does not hold, else 3 if any is undetermined, else 0 (a CI gate fails on 1 and 3)."""
    outcomes = {v["verdict"] for v in verdicts}
    return 1 if "does-not-hold" in outcomes else 3 if "undetermined" in outcomes else 0


def _exit_for(verdicts: list[dict]) -> None:
    sys.exit(exit_code(verdicts))


def summary_line(v: dict) -> str:
    """'does not hold: 2 conditions not met, 3 unknown; 4 warnings'."""
    s = v["summary"]
    def n(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"
    return (f"{WORDS[v['verdict']]}: {n(s['not_met'], 'condition not met', 'conditions not met')}, "
            f"{s['unknown']} unknown; {n(s['warnings'], 'warning', 'warnings')}")


def _fact_text(r: dict) -> str:
    fact = r.get("fact") or {}
    prop = str(fact.get("property") or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    value = str(fact.get("value") or "").rsplit("#", 1)[-1] if str(fact.get("value", "")).startswith("http") else fact.get("value")
    kind = fact.get("kind")
    what = f"{fact.get('subject')} {prop or '-'}" + (f" [{str(kind).rsplit('#', 1)[-1]}]" if kind else "") + f" = {value}"
    sources = "; ".join(f"{e['source']}" + (f", checked {e['checked_on']}" if e.get("checked_on") else "")
                        for e in r.get("evidence") or [])
    return f"fact: {what}" + (f" (source: {sources})" if sources else " (no source stated for it)")


def _text(v: dict) -> str:
    """One verdict for a person: each requirement once, its reasons under it, one summary line at the end."""
    lines = [f"{v['label']} <{v['project']}>: {v['claim']} {WORDS[v['verdict']].upper()}"]
    for text in v["interpretations"]:
        lines.append(f"  interpretation: {text}")
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in v["results"]:
        key = (r["outcome"], r.get("requirement") or "")
        groups.setdefault(key, []).append(r)
    for (outcome, requirement), rows in groups.items():
        rule = rows[0]["rule"]
        head = f"  {HEADINGS.get(outcome, outcome)}" + (f" [{rule}]" if rule else "")
        lines.append(f"{head}: {requirement}" if requirement else head + ":")
        for r in rows:
            reason = r["message"]
            if requirement and reason.endswith(requirement):
                reason = reason[: -len(requirement)].rstrip().removesuffix(":")
            lines.append(f"    - {reason}")
            if outcome in ("refutes", "unknown"):
                lines.append(f"      {_fact_text(r)}")
                for other in r.get("elsewhere") or []:
                    lines.append(f"      another source: {other['says']}")
    lines.append(f"  {summary_line(v)}")
    return "\n".join(lines)


def _turtle(verdicts: list[dict]) -> str:
    """The verdicts as a SHACL validation report graph (one sh:ValidationReport per verdict)."""
    import rdflib
    from rdflib.namespace import RDF, XSD

    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    oo = rdflib.Namespace("https://w3id.org/openness/ontology#")
    g = rdflib.Graph()
    g.bind("sh", sh)
    g.bind("oo", oo)
    for i, v in enumerate(verdicts):
        report = rdflib.BNode(f"report{i}")
        g.add((report, RDF.type, sh.ValidationReport))
        # SHACL: conforms is false whenever there is any result; the three-valued verdict is our reading of it.
        g.add((report, sh.conforms, rdflib.Literal(not v["results"], datatype=XSD.boolean)))
        g.add((report, oo.claimAbout, rdflib.URIRef(v["project"])))
        g.add((report, oo.claimType, rdflib.URIRef("https://w3id.org/openness/id/claim/" + v["claim"])))
        for j, r in enumerate(v["results"]):
            node = rdflib.BNode(f"report{i}r{j}")
            g.add((report, sh.result, node))
            g.add((node, RDF.type, sh.ValidationResult))
            g.add((node, sh.resultSeverity, oo.Unknown if r["severity"] == "Unknown" else sh[r["severity"]]))
            g.add((node, sh.focusNode, rdflib.URIRef(r["focus"])))
            g.add((node, sh.resultMessage, rdflib.Literal(r["message"])))
            g.add((node, sh.sourceShape, rdflib.URIRef(r["shape"])))
            if r["path"]:
                g.add((node, sh.resultPath, rdflib.URIRef(r["path"])))
            if r["value"] is not None:
                value = r["value"]
                g.add((node, sh.value, rdflib.URIRef(value) if value.startswith(("http://", "https://", "urn:", "mailto:"))
                       else rdflib.Literal(value)))
            if r["rule"]:
                g.add((node, oo.ruleId, rdflib.Literal(r["rule"])))
    return g.serialize(format="turtle")


def _file_project(dataset, path: Path):
    """The one project a user's release file describes."""
    from ..graph.projects import list_projects
    from ..graph.query import LocalBackend

    graph_iri = path.resolve().as_uri()
    _, rows = dataset.select(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX oo: <https://w3id.org/openness/ontology#>\n"
        "SELECT DISTINCT ?g ?p WHERE { GRAPH ?g { ?p a ?c } ?c rdfs:subClassOf* oo:Project }",
        {"g": __import__("pyoxigraph").NamedNode(graph_iri)})
    iris = sorted({str(r[1].value) for r in rows})
    if not iris:
        raise OpennessError(f"{path}: describes no project (expected a node typed oo:AIModel, oo:Project or another "
                            "project class; see the README's section Validate your own release)")
    if len(iris) > 1:
        raise OpennessError(f"{path}: describes several projects ({', '.join(iris)}); give one per file")
    refs = {p.iri: p for p in list_projects(LocalBackend(dataset))}
    return refs[iris[0]]


def register(cli: click.Group) -> None:
    @cli.command(epilog="\b\nExamples:\n  openness claims\n  openness claims --format json")
    @format_option(("table", "json"), "table")
    @guarded
    def claims(fmt) -> None:
        """List the claims that can be validated (id, title, source, shape)."""
        from ..claims.catalogue import claims as all_claims

        items = [c.as_dict() for c in all_claims().values()]
        if fmt == "json":
            emit(to_json(items))
        else:
            shown = [{k: short(v) for k, v in item.items()} for item in items]
            emit(dict_table(shown, ["id", "title", "source", "shape"]) + f"{len(items)} claims")

    @cli.command(epilog="""\b
Examples:
  openness validate llama-2 --claim osaid-1.0
  openness validate "Llama 2" --all-claims --format json
  openness validate --all --claim open-weights --format json
  openness validate --file examples/my-release.ttl --claim osaid-1.0
  openness validate --file sbom.spdx.json --claim mof-class-3
Exit codes: 0 the claim holds, 1 it does not hold (a stated fact refutes it), 3 undetermined (none
refutes it, but a fact that would decide it is not stated), 2 bad input. With --all or --all-claims:
1 if any verdict does not hold, else 3 if any is undetermined, else 0. A CI gate fails on 1 and 3 alike.""")
    @click.argument("project", required=False)
    @click.option("--claim", "claim_id", metavar="ID", help="The claim to check (`openness claims` lists them).")
    @click.option("--all", "all_projects", is_flag=True, help="Check every project in the graph.")
    @click.option("--all-claims", is_flag=True, help="Check every claim for PROJECT.")
    @click.option("--file", "file", type=click.Path(path_type=Path), default=None,
                  help="Your own release description (Turtle or JSON-LD), or its SPDX 3 or CycloneDX 1.6 bill "
                   "of materials (JSON), checked with the bundled licences.")
    @engine_option
    @graph_options(remote=False)
    @format_option(("text", "json", "turtle"), "text")
    @guarded
    def validate(project, claim_id, all_projects, all_claims, file, engine, data, store, fmt) -> None:
        """Check whether PROJECT (id, label or IRI) meets a claim: holds, does not hold or undetermined,
        with each reason's deciding fact and where it was read."""
        from ..graph.projects import resolve_project
        from ..graph.query import LocalBackend
        from ..claims.catalogue import claims as known_claims
        from ..claims.catalogue import resolve_claim
        from ..claims.verdicts import compute, stderr_is_terminal

        chosen = [x for x in (project is not None, all_projects, file is not None) if x]
        if len(chosen) != 1:
            raise OpennessError("name exactly one of: PROJECT, --all, --file FILE")
        if all_claims == bool(claim_id):
            raise OpennessError("give --claim ID or --all-claims (`openness claims` lists the ids)")
        claim_ids = list(known_claims()) if all_claims else [resolve_claim(claim_id).id]
        if file is not None:
            if file.is_dir():
                raise OpennessError(f"{file}: is a folder; --file takes one release description file "
                                    "(use --data for a folder)")
            if not file.exists():
                raise OpennessError(f"{file}: no such file")
            if not file.is_file():
                raise OpennessError(f"{file}: not a regular file")
            from ..importers.sbom import as_release_file

            with as_release_file(file, data) as rdf_file:  # an SPDX 3 or CycloneDX SBOM is converted first
                dataset = load_dataset([*data, rdf_file], store, judged=True)
                iris = [_file_project(dataset, rdf_file).iri]
        else:
            dataset = load_dataset(data, store, judged=True)
            iris = None if all_projects else [resolve_project(LocalBackend(dataset), project).iri]
        verdicts = compute(dataset, iris, claim_ids, progress=all_projects and stderr_is_terminal(), engine=engine)
        many = all_projects or all_claims
        if fmt == "json":
            emit(to_json(verdicts if many else verdicts[0]))
        elif fmt == "turtle":
            emit(_turtle(verdicts))
        else:
            emit("\n\n".join(_text(v) for v in verdicts))
        _exit_for(verdicts)

    @cli.command(epilog="""\b
Examples:
  openness report
  openness report --format markdown > report.md
  openness report --format html > report.html""")
    @click.option("--include-imported", is_flag=True,
                  help="Also check the imported catalogue records (EOSAI, MOF: several hundred, about a minute).")
    @engine_option
    @graph_options(remote=False)
    @format_option(("table", "markdown", "html", "json"), "table")
    @guarded
    def report(include_imported, engine, data, store, fmt) -> None:
        """Every project against the key claims (holds, does not hold, undetermined) and every recorded claim:
        supported, refuted (open-washing) or unverified, judged against the release current at its date."""
        from ..graph.projects import list_projects
        from ..graph.query import LocalBackend
        from ..claims.report import KEY_CLAIMS, render
        from ..claims.verdicts import compute, stderr_is_terminal, verdict_for_release

        dataset = load_dataset(data, store, judged=True)
        # Imported records carry their source's record id (dct:identifier); curated projects do not.
        iris = [p.iri for p in list_projects(LocalBackend(dataset)) if include_imported or p.identifier is None]
        if engine == "oxigraph":  # stored verdicts are reused (and, with --store, stored for the next run)
            from ..claims.service import select_verdicts

            verdicts = select_verdicts(dataset, iris, KEY_CLAIMS, persistent=store is not None,
                                       progress=stderr_is_terminal())
        else:
            verdicts = compute(dataset, iris, KEY_CLAIMS, progress=stderr_is_terminal(), engine=engine)
        emit(render(dataset, verdicts, fmt,
                    lambda project, release, claim: verdict_for_release(dataset, project, release, claim, engine)))
        note(f"{len({v['project'] for v in verdicts})} projects, {len(KEY_CLAIMS)} claims")

"""Model Openness Tool records (lfai/model_openness_tool) to RDF, following the tool's own rules.

docs/claims.md, "MOF licence rules": a component counts when it is listed and its licence is open; a
component without its own licence takes the release's global licence for its content type (code,
data, document), else the global distribution licence; none means unlicensed. The tool matches ids
exactly, so `dct:license` is set only from an exact id in the tool's lists; the normalised name
("Apache 2.0" -> Apache-2.0) is kept apart in `oo:normalisedLicence`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import OpennessError
from ..graph.iris import licence_iri, slugify
from .common import IRI, Graph, Provenance, Report, inst, name_key, progress, q, read_yaml, url_iri
from .records import CatalogueImporter
from .sources import read_json

REPOSITORY = "https://github.com/lfai/model_openness_tool"
ATTRIBUTION = ("Model Openness Tool data, Copyright (c) The Linux Foundation (LF AI & Data), MIT licence; "
               "https://github.com/lfai/model_openness_tool and https://isitopen.ai")

# The MOF's 17 components (reference mof.settings.yml) as ontology component kinds.
KINDS = {
    "Model architecture": "oo:ModelArchitecture",
    "Data preprocessing code": "oo:DataPreprocessingCode",
    "Training code": "oo:TrainingCode",
    "Inference code": "oo:InferenceCode",
    "Evaluation code": "oo:EvaluationCode",
    "Supporting libraries and tools": "oo:SupportingLibraries",
    "Model parameters (Final)": "oo:FinalParameters",
    "Model parameters (Intermediate)": "oo:IntermediateParameters",
    "Datasets": "oo:Datasets",
    "Evaluation data": "oo:EvaluationData",
    "Model metadata": "oo:ModelMetadata",
    "Model card": "oo:ModelCard",
    "Data card": "oo:DataCard",
    "Technical report": "oo:TechnicalReport",
    "Research paper": "oo:ResearchPaper",
    "Evaluation results": "oo:EvaluationResults",
    "Sample model outputs": "oo:SampleModelOutputs",
}

# docs/claims.md's open data licences, exactly as the tool lists them (ODC-PDDL-1.0, not PDDL-1.0).
OPEN_DATA = frozenset("""CC0-1.0 CC-BY-1.0 CC-BY-2.0 CC-BY-2.5 CC-BY-2.5-AU CC-BY-3.0 CC-BY-3.0-AT CC-BY-3.0-AU
CC-BY-3.0-DE CC-BY-3.0-IGO CC-BY-3.0-NL CC-BY-3.0-US CC-BY-4.0 CC-BY-SA-1.0 CC-BY-SA-2.0 CC-BY-SA-2.0-UK
CC-BY-SA-2.1-JP CC-BY-SA-2.5 CC-BY-SA-3.0 CC-BY-SA-3.0-AT CC-BY-SA-4.0 CDLA-Permissive-1.0 CDLA-Permissive-2.0
CDLA-Sharing-1.0 ODC-PDDL-1.0 ODC-By-1.0 ODbL-1.0 GFDL-1.3 OGL-Canada-2.0 OGL-UK-2.0 OGL-UK-3.0""".split())
OPEN_EXTRA = frozenset({"OpenMDW-1.0"})

_NOT_INCLUDED = re.compile(r"not\s+includ", re.IGNORECASE)


@dataclass(frozen=True)
class ToolLicences:
    """The tool's merged licence list: id -> entry (licenses.json, then mof-licenses.json replacing by id)."""

    entries: dict[str, dict]

    def is_open(self, lid: str) -> bool:
        entry = self.entries.get(lid)
        listed = bool(entry) and bool(entry.get("isOsiApproved") or entry.get("isFsfLibre"))
        return listed or lid in OPEN_DATA or lid in OPEN_EXTRA


def load_tool_licences(root: Path) -> ToolLicences:
    """Read licenses/licenses.json then licenses/mof-licenses.json, each entry replacing the whole entry."""
    folder = root / "licenses"
    merged: dict[str, dict] = {}
    for name in ("licenses.json", "mof-licenses.json"):
        path = folder / name
        data = read_json(path, "the tool's licence list")
        entries = data.get("licenses") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise OpennessError(f"{path}: not a licence list (expected an object with a \"licenses\" array)")
        for number, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict) or not isinstance(entry.get("licenseId"), str):
                raise OpennessError(f"{path}: licence entry {number} has no \"licenseId\" string")
            merged[entry["licenseId"]] = entry
    if not merged:
        raise OpennessError(f"{folder}: the tool's licence lists hold no licence; nothing was written")
    return ToolLicences(merged)


def build_mof_licences(root: Path, g: Graph, prov: Provenance) -> dict[str, int]:
    """oo:mofOpen for every licence of the tool's lists (and the open data licences), by the tool's rule."""
    tool = load_tool_licences(root)
    prov.describe(g)
    counts = {"licences": 0, "open": 0}
    for lid in sorted(set(tool.entries) | OPEN_DATA | OPEN_EXTRA):
        node = IRI(licence_iri(lid))
        is_open = tool.is_open(lid)
        g.add(node, q("rdf:type"), q("oo:Licence"))
        g.add(node, q("oo:spdxId"), lid)
        g.add(node, q("oo:mofOpen"), is_open)
        g.add(node, q("prov:wasDerivedFrom"), prov.iri)
        counts["licences"] += 1
        counts["open"] += is_open
    return counts


def _schema_validator(root: Path):
    import jsonschema

    path = root / "schema" / "mof_schema.json"
    schema = read_json(path, "the records' JSON Schema")
    try:
        jsonschema.Draft7Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise OpennessError(f"{path}: not a valid JSON Schema: {exc.message}") from None
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def record_files(path: Path) -> tuple[Path, list[Path]]:
    """The tool checkout's root and the record files: a folder of .yml/.yaml, or single files."""
    path = Path(path)
    if not path.exists():
        raise OpennessError(f"{path}: no such file or folder")
    if path.is_file():
        root = path.parent.parent if path.parent.name == "models" else path.parent
        return root, [path]
    models = path / "models" if (path / "models").is_dir() else path
    root = path if (path / "models").is_dir() else path.parent
    files = sorted(p for p in models.iterdir() if p.is_file() and p.suffix in (".yml", ".yaml"))
    return root, files


class MofImporter(CatalogueImporter):
    """Turns MOF records into projects, releases and components; one instance per import."""

    def __init__(self, root: Path, prov: Provenance, report: Report, *, with_notes: bool = False) -> None:
        super().__init__(root, prov, report, with_notes=with_notes)
        self.tool = load_tool_licences(root)
        self.validator = _schema_validator(root)
        self.settings = self._content_types()

    def _content_types(self) -> dict[str, str]:
        path = self.root / "licenses" / "mof.settings.yml"
        if not path.is_file():
            return {}
        settings = read_yaml(path) or {}
        components = settings.get("components", []) if isinstance(settings, dict) else None
        if not isinstance(components, list) or not all(isinstance(c, dict) and "name" in c for c in components):
            raise OpennessError(f"{path}: expected a mapping with a list of components, each with a name")
        return {c["name"]: c.get("content_type", "") for c in components}

    def import_files(self, files: list[Path], g: Graph, show_progress: bool = True) -> None:
        self.prov.describe(g)
        with progress(len(files), "MOF records", show_progress) as advance:
            for path in files:
                self.report.read += 1
                record = read_yaml(path)  # malformed YAML stops the import: nothing is written
                errors = sorted(self.validator.iter_errors(record), key=lambda e: list(map(str, e.path)))
                if errors:
                    first = errors[0]
                    where = "/".join(map(str, first.absolute_path)) or "(record)"
                    why = f"breaks the MOF schema at {where}: {first.message}"
                    self.report.skip(path.name, why)
                    self.report.warnings.append(f"{path}: {why}; skipped")
                else:
                    self.record(path, record, g)
                    self.report.imported += 1
                advance()

    def _licence_string(self, name: str, own: object, globals_: dict) -> tuple[str | None, bool]:
        """The licence a component has by the tool's rule, and whether it was inherited."""
        if isinstance(own, str) and own.strip():
            return own, False
        ctype = self.settings.get(name) or ""
        for key in (ctype, "distribution"):
            entry = globals_.get(key) if key else None
            if isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"].strip():
                return entry["name"], True
        return None, False

    def record(self, path: Path, rec: dict, g: Graph) -> None:
        rid = path.name.rsplit(".", 1)[0]
        slug = "mof-" + slugify(rid)
        rel = rec["release"]
        project, release = inst("project", slug), inst("release", slug)
        page = IRI(f"{REPOSITORY}/blob/{self.prov.commit}/models/{path.name}".replace(" ", "%20")) \
            if self.prov.commit else self.prov.iri
        g.add(project, q("rdf:type"), q("oo:AIModel"))
        # The source's tag keeps curated labels unique (`openness show "BLOOM"` means the curated project).
        g.add(project, q("rdfs:label"), f"{rel['name']} (MOF)")
        g.add(project, q("skos:altLabel"), rel["name"])
        g.add(project, q("dct:identifier"), rid)
        g.add(project, q("oo:hasRelease"), release)
        g.add(project, q("oo:currentRelease"), release)
        g.add(project, q("oo:sourceRepository"), url_iri(rel.get("repository")))
        g.add(project, q("rdfs:seeAlso"), url_iri(rel.get("huggingface")))
        self.prov.stamp(g, project, page)
        same = self.curated["project"].get(name_key(rel["name"]))
        producer = (rel.get("producer") or "").strip()
        if producer:
            org = inst("organisation", "mof-" + slugify(producer))
            g.add(project, q("oo:owner"), org)
            g.add(org, q("rdf:type"), q("oo:Organisation"))
            g.add(org, q("rdfs:label"), producer)
            g.add(org, q("owl:sameAs"), self.curated["organisation"].get(name_key(producer)))
            self.prov.stamp(g, org, page)
        g.add(project, q("owl:sameAs"), same)

        label = f"{rel['name']} {rel.get('version') or ''}".strip()
        g.add(release, q("rdf:type"), q("oo:Release"))
        g.add(release, q("rdfs:label"), label)
        g.add(release, q("oo:releaseOf"), project)
        g.add(release, q("oo:version"), str(rel.get("version") or "") or None)
        g.add(release, q("oo:mofFrameworkVersion"), str((rec.get("framework") or {}).get("version") or "") or None)
        self.prov.stamp(g, release, page)
        globals_ = rel.get("license") if isinstance(rel.get("license"), dict) else {}

        seen: dict[str, int] = {}
        for comp in rel.get("components") or []:
            name = comp.get("name")
            kind = KINDS.get(name)
            if kind is None:
                self.report.warnings.append(f"{path}: unknown component {name!r}; left out")
                continue
            cslug = f"{slug}-{slugify(name)}"
            seen[cslug] = seen.get(cslug, 0) + 1
            if seen[cslug] > 1:
                cslug += f"-{seen[cslug]}"
            node = inst("component", cslug)
            g.add(release, q("oo:hasComponent"), node)
            g.add(node, q("rdf:type"), q("oo:Component"))
            g.add(node, q("rdfs:label"), f"{label}: {name}")
            g.add(node, q("oo:componentKind"), q(kind))
            g.add(node, q("dcat:downloadURL"), url_iri(comp.get("component_path")))
            self.prov.stamp(g, node, page)
            self._licence(node, name, comp, globals_, g)

    def _licence(self, node: IRI, name: str, comp: dict, globals_: dict, g: Graph) -> None:
        text, inherited = self._licence_string(name, comp.get("license"), globals_)
        if text is None:
            g.add(node, q("oo:availability"), q("oo:Public"))
            g.add(node, q("dct:license"), q("oo:Unlicensed"))
            return
        stripped = text.strip()
        g.add(node, q("oo:declaredLicence"), stripped)
        if inherited:
            g.add(node, q("oo:licenceInherited"), True)
        g.add(node, q("foaf:page"), url_iri(comp.get("license_path")))
        if _NOT_INCLUDED.search(stripped):
            # The record lists the component only to say it is not released.
            g.add(node, q("oo:availability"), q("oo:Closed"))
            return
        g.add(node, q("oo:availability"), q("oo:Public"))
        if stripped.lower() == "unlicensed":
            g.add(node, q("dct:license"), q("oo:Unlicensed"))
            return
        if stripped.lower() in ("undisclosed", "unknown"):
            g.add(node, q("dct:license"), q("oo:LicenceUndisclosed"))
            return
        if stripped in self.tool.entries or stripped in OPEN_DATA or stripped in OPEN_EXTRA:
            g.add(node, q("dct:license"), IRI(licence_iri(stripped)))   # the tool's literal, exact match
        found = self.normalise(stripped)
        if found is None:
            return
        for iri in found.iris:
            g.add(node, q("oo:normalisedLicence"), iri)
        if found.expression:
            g.add(node, q("oo:licenceExpression"), found.expression)


def mof_provenance(root: Path, commit: str | None, retrieved: str) -> Provenance:
    iri = IRI(f"{REPOSITORY}/tree/{commit}") if commit else IRI(REPOSITORY)
    return Provenance(iri=iri, label="Model Openness Tool model records (lfai/model_openness_tool)",
                      identifier=commit or REPOSITORY, licence=IRI(licence_iri("MIT")), attribution=ATTRIBUTION,
                      retrieved=retrieved, commit=commit, page=IRI("https://isitopen.ai"))


def mof_header(command: str, prov: Provenance, what: str) -> list[str]:
    return [
        f"Generated file: do not edit (docs/conventions.md). {what}",
        f"Made by: {command}",
        f"Source: {REPOSITORY} at commit {prov.commit or '(not given)'}, retrieved {prov.retrieved}.",
        f"Licence of the source data: MIT. Attribution: {ATTRIBUTION}",
    ]

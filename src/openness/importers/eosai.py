"""European Open Source AI Index records (main-database) to RDF.

Each record judges a model on the 12 dimensions of `_parameters.yml` (open, partial, closed). The
index's judgements become oo:Assessment nodes (one per dimension, with the evidence links), from
which the saved query `eosai-openness-score` computes the index's score; the 11 dimensions that are
parts of a release also become components (kind and availability), which the claims read. The
licences dimension judges the whole project, so it is an assessment only. Free-text notes are kept
only with `--with-notes` (the bundled snapshot carries facts, not the index's prose).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import OpennessError
from ..graph.iris import slugify
from .common import (IRI, Graph, Provenance, Report, date_literal, inst, name_key, progress, q,
                     read_text, read_yaml, url_iri)
from .records import CatalogueImporter

DOI = "10.5281/zenodo.15386042"
REPOSITORY = "https://github.com/Language-Technology-Assessment/main-database"
ATTRIBUTION = ("European Open Source AI Index, https://osai-index.eu/ ; Liesenfeld, A. and Dingemanse, M., 2024. "
               "Rethinking open source generative AI: open-washing and the EU AI Act. In Proceedings of the 2024 "
               "ACM Conference on Fairness, Accountability, and Transparency (pp. 1774-1787). CC BY 4.0.")

# The index's dimensions (ref in _parameters.yml) -> (ontology dimension, component kind or None, label).
# code is "code documentation" and hardware_architecture documents the training hardware, so both are
# documentation, not code or the model's architecture; preprint and paper are both research papers.
DIMENSIONS = {
    "datasources_basemodel": ("oo:EOSAIBaseModelData", "oo:Datasets", "base model training data"),
    "datasources_endmodel": ("oo:EOSAIEndModelData", "oo:Datasets", "end model training data"),
    "weights_basemodel": ("oo:EOSAIBaseModelWeights", "oo:FinalParameters", "base model weights"),
    "weights_endmodel": ("oo:EOSAIEndModelWeights", "oo:FinalParameters", "end model weights"),
    "trainingcode": ("oo:EOSAITrainingCode", "oo:TrainingCode", "training code"),
    "code": ("oo:EOSAICodeDocumentation", "oo:Documentation", "code documentation"),
    "hardware_architecture": ("oo:EOSAIHardwareArchitecture", "oo:Documentation", "hardware architecture documentation"),
    "preprint": ("oo:EOSAIPreprint", "oo:ResearchPaper", "preprint"),
    "paper": ("oo:EOSAIPaper", "oo:ResearchPaper", "peer-reviewed paper"),
    "modelcard": ("oo:EOSAIModelCard", "oo:ModelCard", "model card"),
    "datasheet": ("oo:EOSAIDatasheet", "oo:DataCard", "datasheet"),
    "licenses": ("oo:EOSAILicenses", None, "licences"),
}
CLASSES = {"open": "oo:Public", "partial": "oo:Partial", "closed": "oo:Closed"}

# The index's contributor types -> organisation types, where the mapping is unambiguous; the
# index's own wording is always kept in oo:contributorType.
CONTRIBUTOR_TYPES = [
    (re.compile(r"^Academic\b", re.I), "oo:Academic"),
    (re.compile(r"Company|Big Tech|AI Tiger", re.I), "oo:Company"),
    (re.compile(r"^Non-academic \(Research community\)", re.I), "oo:Community"),
]
_TAG = re.compile(r"^#\s*-\s*(National origin|Contributor type):\s*(.+?)\s*$", re.M)


def read_parameters(root: Path) -> list[tuple[str, str]]:
    """(dimension ref, category ref) pairs from `_parameters.yml`, checked against the known dimensions."""
    path = root / "_parameters.yml"
    if not path.is_file():
        raise OpennessError(f"{root}: no _parameters.yml: is this a checkout of the index's main-database?")
    pairs = []
    categories = read_yaml(path) or []
    if not isinstance(categories, list) or not all(isinstance(c, dict) and "ref" in c for c in categories):
        raise OpennessError(f"{path}: expected a list of categories, each with a ref")
    for category in categories:
        for param in category.get("params") or []:
            if not isinstance(param, dict) or "ref" not in param:
                raise OpennessError(f"{path}: category {category['ref']!r}: a parameter without a ref")
            ref = param["ref"]
            if ref not in DIMENSIONS:
                raise OpennessError(f"{path}: dimension {ref!r} is new to the importer; update DIMENSIONS in eosai.py")
            pairs.append((ref, category["ref"]))
    return pairs


def record_files(root: Path) -> list[Path]:
    """The model records: every .yaml except the submission template and the _parameters files."""
    return sorted(p for p in root.iterdir()
                  if p.is_file() and p.suffix in (".yaml", ".yml") and not p.name.startswith(("_", "a_submission")))


def organisation_tags(text: str) -> dict[str, str]:
    """National origin and contributor type, kept by the index in YAML comments."""
    return {m.group(1): m.group(2) for m in _TAG.finditer(text)}


def eosai_provenance(commit: str | None, retrieved: str) -> Provenance:
    return Provenance(iri=IRI(f"https://doi.org/{DOI}"), label="European Open Source AI Index (main-database)",
                      identifier=DOI, licence=IRI("https://w3id.org/openness/id/licence/cc-by-4-0"),
                      attribution=ATTRIBUTION, retrieved=retrieved, commit=commit, page=IRI("https://osai-index.eu/"))


class EosaiImporter(CatalogueImporter):
    """Turns index records into projects, releases, components and the index's assessments."""

    def __init__(self, root: Path, prov: Provenance, report: Report, *, with_notes: bool = False) -> None:
        super().__init__(root, prov, report, with_notes=with_notes)
        self.parameters = read_parameters(root)

    def describe_dimensions(self, g: Graph) -> None:
        """Each dimension's category, as the index groups them (the score query reads it)."""
        for ref, category in self.parameters:
            dim = q(DIMENSIONS[ref][0])
            g.add(dim, q("skos:broader"), q("oo:EOSAI" + category.capitalize()))

    def import_files(self, files: list[Path], g: Graph, show_progress: bool = True) -> None:
        self.prov.describe(g)
        self.describe_dimensions(g)
        slugs: dict[str, str] = {}
        with progress(len(files), "EOSAI records", show_progress) as advance:
            for path in files:
                self.report.read += 1
                text = read_text(path)
                record = read_yaml(path, text)  # malformed YAML stops the import: nothing is written
                rid = path.name.rsplit(".", 1)[0]
                why = self._problem(record)
                slug = "eosai-" + slugify(rid)
                if why is None and slug in slugs:
                    why = f"its slug {slug} is already taken by {slugs[slug]}"
                if why:
                    self.report.skip(path.name, why)
                    self.report.warnings.append(f"{path}: {why}; skipped")
                else:
                    slugs[slug] = path.name
                    self.record(path, rid, slug, record, text, g)
                    self.report.imported += 1
                advance()

    @staticmethod
    def _problem(record: object) -> str | None:
        if not isinstance(record, dict):
            return "not a mapping of fields"
        system = record.get("system")
        if not isinstance(system, dict) or not str(system.get("name") or "").strip():
            return "no system.name"
        for ref in DIMENSIONS:
            value = record.get(ref)
            if value is not None and not isinstance(value, dict):
                return f"{ref} is not a mapping with class, link and notes"
            cls = (value or {}).get("class")
            if cls is not None and cls not in CLASSES:
                return f"{ref}.class is {cls!r}, not one of open, partial, closed"
        return None

    def record(self, path: Path, rid: str, slug: str, rec: dict, text: str, g: Graph) -> None:
        system, org_rec = rec["system"], rec.get("org") or {}
        project, release = inst("project", slug), inst("release", slug)
        page = (IRI(f"{REPOSITORY}/blob/{self.prov.commit}/{path.name}".replace(" ", "%20"))
                if self.prov.commit else self.prov.iri)
        name = str(system["name"]).strip()
        g.add(project, q("rdf:type"), q("oo:AIModel"))
        # The source's tag keeps curated labels unique (`openness show "Llama 2"` means the curated project).
        g.add(project, q("rdfs:label"), f"{name} (EOSAI)")
        g.add(project, q("skos:altLabel"), name)
        g.add(project, q("dct:identifier"), rid)
        g.add(project, q("foaf:homepage"), url_iri(system.get("link")))
        g.add(project, q("oo:hasRelease"), release)
        g.add(project, q("oo:currentRelease"), release)
        g.add(project, q("owl:sameAs"), self.curated["project"].get(name_key(name)))
        self.prov.stamp(g, project, page)
        if self.with_notes:
            g.add(project, q("oo:note"), str(system.get("notes") or "").strip() or None)

        org_name = str(org_rec.get("name") or "").strip()
        if org_name:
            org = inst("organisation", "eosai-" + slugify(org_name))
            g.add(project, q("oo:owner"), org)
            g.add(org, q("rdf:type"), q("oo:Organisation"))
            g.add(org, q("rdfs:label"), org_name)
            g.add(org, q("foaf:homepage"), url_iri(org_rec.get("link")))
            g.add(org, q("owl:sameAs"), self.curated["organisation"].get(name_key(org_name)))
            tags = organisation_tags(text)
            origin = tags.get("National origin")
            if origin and origin.lower() not in ("undisclosed", "unknown"):
                g.add(org, q("oo:nationalOrigin"), origin)
            ctype = tags.get("Contributor type")
            if ctype:
                g.add(org, q("oo:contributorType"), ctype)
                for pattern, concept in CONTRIBUTOR_TYPES:
                    if pattern.search(ctype):
                        g.add(org, q("oo:organisationType"), q(concept))
                        break
            self.prov.stamp(g, org, page)

        g.add(release, q("rdf:type"), q("oo:Release"))
        g.add(release, q("rdfs:label"), str(system.get("endmodelname") or name).strip())
        g.add(release, q("oo:releaseOf"), project)
        g.add(release, q("dct:issued"), date_literal(system.get("releasedate")))
        self.prov.stamp(g, release, page)

        for ref, _category in self.parameters:
            self.dimension(rec, ref, slug, project, release, system, page, g)

    def dimension(self, rec: dict, ref: str, slug: str, project: IRI, release: IRI, system: dict,
                  page: IRI, g: Graph) -> None:
        dim_term, kind, label = DIMENSIONS[ref]
        entry = rec.get(ref) or {}
        cls = entry.get("class")
        links = entry.get("link")
        links = links if isinstance(links, list) else [links]
        iris = [i for i in (url_iri(x) for x in links) if i]
        notes = str(entry.get("notes") or "").strip()
        node = inst("assessment", f"{slug}-{slugify(ref)}")
        g.add(node, q("rdf:type"), q("oo:Assessment"))
        g.add(node, q("rdfs:label"), f"{system['name']}: {label} ({cls or 'not judged'})")
        g.add(node, q("oo:assessedProject"), project)
        g.add(node, q("oo:eosaiDimension"), q(dim_term))
        g.add(node, q("prov:wasAttributedTo"), q("oo:EuropeanOpenSourceAIIndex"))
        if cls:
            g.add(node, q("oo:eosaiClass"), q(CLASSES[cls]))
        for iri in iris:
            g.add(node, q("rdfs:seeAlso"), iri)
        if self.with_notes and notes:
            g.add(node, q("oo:note"), notes)
        self.prov.stamp(g, node, page)
        if kind is None or cls is None:
            return
        comp = inst("component", f"{slug}-{slugify(ref)}")
        g.add(release, q("oo:hasComponent"), comp)
        g.add(comp, q("rdf:type"), q("oo:Component"))
        g.add(comp, q("rdfs:label"), f"{system['name']}: {label}")
        g.add(comp, q("oo:componentKind"), q(kind))
        g.add(comp, q("oo:availability"), q(CLASSES[cls]))
        g.add(comp, q("oo:eosaiDimension"), q(dim_term))
        for iri in iris:
            g.add(comp, q("rdfs:seeAlso"), iri)
        self.prov.stamp(g, comp, page)
        if ref == "weights_endmodel":
            self.licence(comp, system.get("endmodellicense"), g)

    def licence(self, comp: IRI, declared: object, g: Graph) -> None:
        """The end model's licence as the index writes it, and what it normalises to."""
        text = str(declared or "").strip()
        if not text or text.lower() in ("none", "unknown"):
            return
        g.add(comp, q("oo:declaredLicence"), text)
        found = self.normalise(text)
        if found is None:
            return
        for iri in found.iris:
            g.add(comp, q("dct:license"), iri)
            g.add(comp, q("oo:normalisedLicence"), iri)
        if found.expression:
            g.add(comp, q("oo:licenceExpression"), found.expression)


def eosai_header(command: str, prov: Provenance) -> list[str]:
    return [
        "Generated file: do not edit (docs/conventions.md). European Open Source AI Index, as a snapshot of its facts.",
        f"Made by: {command}",
        f"Source: {REPOSITORY} at commit {prov.commit or '(not given)'} ({prov.retrieved}); dataset DOI {DOI}.",
        f"Licence of the source data: CC BY 4.0. Attribution: {ATTRIBUTION}",
    ]

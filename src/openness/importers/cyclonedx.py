"""`openness import cyclonedx`: a CycloneDX 1.6 ML-BOM (JSON) to a release description.

The machine-learning-model component (metadata.component, else the first one) becomes the release
and its final parameters: licences (SPDX ids, expressions or names), hashes (oo:checksumPublished),
a signature (oo:signedRelease), external references (distribution, security-contact, support,
website, vcs, model-card). Its model card's datasets (by bom-ref to a `data` component, or inline)
become Datasets components; its pedigree's ancestors that name a Hugging Face repository
(pkg:huggingface purl) are resolved to the curated release stating it (oo:huggingFaceRepo) and
linked with oo:derivedFrom. Properties named `<scope> <predicate IRI>` (as the SPDX export writes its
extension) are read as facts. What the BOM does not state stays unknown.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import OpennessError
from .bom import BomRelease, licence_terms, scoped_facts, source_iri
from .sources import read_json
from ..graph.iris import slugify
from .common import IRI, inst, q, url_iri

REFERENCES = {"distribution": ("weights", "dcat:downloadURL"), "security-contact": ("project", "oo:securityContact"),
              "support": ("project", "oo:supportChannel"), "website": ("project", "foaf:homepage"),
              "vcs": ("project", "oo:sourceRepository")}
_HF_PURL = re.compile(r"^pkg:huggingface/(?P<repo>[^@?#]+)")


def is_cyclonedx(data: object) -> bool:
    return isinstance(data, dict) and data.get("bomFormat") == "CycloneDX"


def _licences(component: dict) -> list[IRI]:
    from .spdx import Normaliser

    out: list[IRI] = []
    for entry in component.get("licenses") or []:
        if not isinstance(entry, dict):
            continue
        if entry.get("expression"):
            out += licence_terms(str(entry["expression"]))
            continue
        lic = entry.get("license") or {}
        if lic.get("id"):
            out += licence_terms(str(lic["id"]))
        elif lic.get("name"):
            found = Normaliser().normalise(str(lic["name"]))
            out += [IRI(i) for i in found.iris] if found else [IRI(inst("licence", str(lic["name"])))]
    return out


def read(path: Path, source: str | None = None, resolve_base=None) -> tuple[BomRelease, dict]:
    """The release a CycloneDX ML-BOM describes, and a summary."""
    data = read_json(path)
    if not is_cyclonedx(data):
        raise OpennessError(f"{path}: not a CycloneDX BOM (expected \"bomFormat\": \"CycloneDX\")")
    version = str(data.get("specVersion", ""))
    if version not in ("1.5", "1.6", "1.7"):
        raise OpennessError(f"{path}: CycloneDX specVersion {version!r}: ML-BOMs need 1.5 or later (1.6 is read)")
    components = [c for c in data.get("components") or [] if isinstance(c, dict)]
    meta = (data.get("metadata") or {}).get("component")
    candidates = ([meta] if isinstance(meta, dict) else []) + components
    models = [c for c in candidates if c.get("type") == "machine-learning-model"]
    if not models:
        raise OpennessError(f"{path}: no component of type machine-learning-model: this BOM describes no model")
    model = models[0]
    by_ref = {str(c.get("bom-ref")): c for c in candidates if c.get("bom-ref")}
    name = str(model.get("name") or model.get("bom-ref") or "model")
    bom = BomRelease(name, source_iri(path, source), identifier=str(model.get("bom-ref") or name))
    weights = bom.component(str(model.get("bom-ref") or name), "oo:FinalParameters", "final parameters")
    nodes = {"project": bom.project, "release": bom.release, "weights": weights}
    bom.add(bom.release, "oo:version", model.get("version"))
    bom.add(bom.release, "dct:description", model.get("description"))
    publisher = (model.get("supplier") or model.get("manufacturer") or {}).get("name")
    bom.add(bom.release, "dct:publisher", publisher)
    for lic in _licences(model):
        bom.add(weights, "dct:license", lic)
    if model.get("hashes"):
        bom.add(weights, "oo:checksumPublished", True)
    if model.get("signature"):
        bom.add(weights, "oo:signedRelease", True)
    for ref in model.get("externalReferences") or []:
        kind, url = ref.get("type"), ref.get("url")
        if kind in REFERENCES:
            scope, prop = REFERENCES[kind]
            bom.add(nodes[scope], prop, url_iri(url) or (IRI(url) if url and ":" in url else None))
        elif kind == "model-card":
            card = bom.component(f"{url}#model-card", "oo:ModelCard", "model card")
            bom.add(card, "dcat:downloadURL", url_iri(url))
            bom.add(card, "oo:availability", q("oo:Public") if url_iri(url) else None)
    for node, predicate, value in scoped_facts(model.get("properties"), nodes, "name", "value"):
        bom.add(node, predicate, value)

    card = model.get("modelCard") or {}
    datasets = ((card.get("modelParameters") or {}).get("datasets")) or []
    for i, entry in enumerate(datasets):
        ref = entry.get("ref") if isinstance(entry, dict) else None
        element = by_ref.get(str(ref)) if ref else entry
        if not isinstance(element, dict):
            raise OpennessError(f"{path}: modelCard dataset {ref!r} is not a component of the BOM")
        inline = (element.get("data") or [element])[0] if element.get("type") == "data" else element
        label = str(element.get("name") or inline.get("name") or f"dataset {i + 1}")
        node = bom.component(str(ref or f"dataset-{i}"), "oo:Datasets", label)
        for lic in _licences(element) or _licences(inline):
            bom.add(node, "dct:license", lic)
        url = ((inline.get("contents") or {}).get("url")) or next(
            (r.get("url") for r in element.get("externalReferences") or [] if r.get("type") == "distribution"), None)
        bom.add(node, "dcat:downloadURL", url_iri(url))
        if element.get("hashes"):
            bom.add(node, "oo:checksumPublished", True)
        for n, predicate, value in scoped_facts(element.get("properties"), {"component": node}, "name", "value"):
            bom.add(n, predicate, value)
    lineage = {}
    for ancestor in (model.get("pedigree") or {}).get("ancestors") or []:
        match = _HF_PURL.match(str(ancestor.get("purl") or ""))
        if not match:
            continue
        repo = match["repo"]
        found = resolve_base(repo) if resolve_base else []
        lineage[repo] = found
        if not found:  # an ancestor no curated release states: its terms are unknown
            placeholder = inst("release", "hf-" + slugify(repo))
            bom.add(placeholder, "rdf:type", q("oo:Release"))
            bom.add(placeholder, "rdfs:label", f"{repo} (ancestor named by a BOM; not described)")
            bom.add(placeholder, "oo:huggingFaceRepo", repo)
            bom.stamp(placeholder)
            found = [placeholder]
        for target in found:
            bom.add(bom.release, "oo:derivedFrom", IRI(target))
    return bom, {"model": name, "components": len(bom.components), "ancestors": lineage, "specVersion": version}

"""`openness import spdx-ai`: an SPDX 3.0 JSON-LD document (AI and Dataset profiles) to a release.

Read as compact JSON-LD against the bundled SPDX 3.0.1 context (every element type must be one of its
terms; nothing is fetched). The root ai_AIPackage becomes the release and its final parameters
(download location, declared licence, verifiedUsing hashes as oo:checksumPublished); datasets it is
trainedOn / testedOn become Datasets / EvaluationData components (dataset_datasetAvailability as
availability); packages it contains become components. Facts SPDX has no field for come back from
the extension `openness export spdx` writes (CdxPropertiesExtension entries `<scope> <predicate>`);
without it they stay unknown.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import OpennessError
from ..graph.spdx_context import EXTENSION_SCOPES, SPDX_CONTEXT, context_terms
from .bom import OO, BomRelease, licence_terms, rdf_term, source_iri
from .sources import read_json
from .common import IRI, date_literal, q, url_iri

# dataset_datasetAvailability -> oo:availability (registration and click-through are automatic gates).
DATASET_AVAILABILITY = {"directDownload": "oo:Public", "registration": "oo:GatedAutomatic",
                        "clickthrough": "oo:GatedAutomatic"}
# software_primaryPurpose of a contained package -> component kind, where the purpose names one kind.
PURPOSE_KINDS = {"library": "oo:SupportingLibraries", "documentation": "oo:Documentation", "data": "oo:Datasets",
                 "source": "oo:SourceCode"}
RELATION_KINDS = {"trainedOn": "oo:Datasets", "testedOn": "oo:EvaluationData"}


def is_spdx3(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get("@graph"), list) and (
        data.get("@context") == SPDX_CONTEXT or str(data.get("@context", "")).startswith("https://spdx.org/rdf/3."))


def _list(value) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def read(path: Path, source: str | None = None) -> tuple[BomRelease, dict[str, object]]:
    """The release an SPDX 3 document describes, and a summary (what came from the extension, what is unknown)."""
    data = read_json(path)
    if not is_spdx3(data):
        raise OpennessError(f"{path}: not an SPDX 3 JSON-LD document (expected \"@context\": \"{SPDX_CONTEXT}\" "
                            "and an \"@graph\" list)")
    terms = context_terms()
    elements: dict[str, dict] = {}
    for i, element in enumerate(data["@graph"]):
        if not isinstance(element, dict) or not isinstance(element.get("type"), str):
            raise OpennessError(f"{path}: @graph[{i}] has no \"type\"")
        if element["type"] not in terms:
            raise OpennessError(f"{path}: @graph[{i}]: {element['type']!r} is not an SPDX 3.0.1 type")
        key = element.get("spdxId") or element.get("@id")
        if key:
            elements[str(key)] = element
    documents = [e for e in elements.values() if e["type"] == "SpdxDocument"]
    roots = [elements.get(r) for d in documents for r in _list(d.get("rootElement"))]
    models = [e for e in roots if e and e["type"] == "ai_AIPackage"] or \
             [e for e in elements.values() if e["type"] == "ai_AIPackage"]
    if not models:
        raise OpennessError(f"{path}: no ai_AIPackage element: this SPDX document describes no AI model")
    model = models[0]
    model_id = str(model.get("spdxId"))
    bom = BomRelease(str(model.get("name") or model_id), source_iri(path, source), identifier=model_id)
    relations: dict[tuple[str, str], list[str]] = {}
    for e in elements.values():
        if e["type"] == "Relationship":
            for target in _list(e.get("to")):
                relations.setdefault((str(e.get("from")), str(e.get("relationshipType"))), []).append(str(target))

    def licences(element_id: str) -> list[IRI]:
        out: list[IRI] = []
        for target in relations.get((element_id, "hasDeclaredLicense"), []):
            expr = elements.get(target, {})
            custom = {d.get("key"): d.get("value") for d in _list(expr.get("simplelicensing_customIdToUri"))
                      if isinstance(d, dict)}
            if expr.get("type") == "simplelicensing_LicenseExpression":
                out += licence_terms(str(expr.get("simplelicensing_licenseExpression", "")), custom)
            elif expr.get("type") in ("expandedlicensing_ListedLicense", "expandedlicensing_CustomLicense"):
                out += licence_terms(target.rsplit("/", 1)[-1])
            elif target.endswith("NoAssertionLicense") or target.endswith("NoneLicense"):
                out += licence_terms("NONE" if target.endswith("NoneLicense") else "NOASSERTION")
        return out

    extension_facts = 0

    def extension(element: dict, nodes: dict[str, IRI]) -> None:
        nonlocal extension_facts
        for ext in _list(element.get("extension")):
            for entry in _list(ext.get("extension_cdxProperty") if isinstance(ext, dict) else None):
                scope, _, predicate = str(entry.get("extension_cdxPropName", "")).partition(" ")
                if scope not in EXTENSION_SCOPES or not predicate.startswith("http"):
                    continue  # another tool's property: not ours to read
                if scope in nodes:
                    bom.add(nodes[scope], predicate, rdf_term(str(entry.get("extension_cdxPropValue", ""))))
                    extension_facts += 1

    def stated(element: dict, scope: str, predicate: str) -> str | None:
        """The value the extension gives for (scope, predicate), as written (N-Triples), if any."""
        for ext in _list(element.get("extension")):
            for entry in _list(ext.get("extension_cdxProperty") if isinstance(ext, dict) else None):
                if entry.get("extension_cdxPropName") == f"{scope} {predicate}":
                    return str(entry.get("extension_cdxPropValue"))
        return None

    # The model: the release and its final parameters.
    weights = bom.component(model_id, "oo:FinalParameters", "final parameters")
    bom.add(bom.release, "oo:version", model.get("software_packageVersion"))
    bom.add(bom.release, "dct:issued", date_literal(str(model.get("releaseTime") or "")[:10]))
    bom.add(bom.release, "dct:description", model.get("description"))
    bom.add(bom.project, "foaf:homepage", url_iri(model.get("software_homePage")))
    location = model.get("software_downloadLocation")
    bom.add(weights, "dcat:downloadURL", url_iri(location))
    if location == "NONE" and stated(model, "weights", OO + "availability") is None:
        bom.add(weights, "oo:availability", q("oo:Closed"))
    for lic in licences(model_id):
        bom.add(weights, "dct:license", lic)
    if _list(model.get("verifiedUsing")):
        bom.add(weights, "oo:checksumPublished", True)
    supplier = elements.get(str(model.get("suppliedBy")))
    if supplier and supplier.get("name"):
        bom.add(bom.release, "dct:publisher", str(supplier["name"]))
    for ref in _list(model.get("externalRef")):
        if isinstance(ref, dict) and ref.get("externalRefType") == "securityPolicy":
            for locator in _list(ref.get("locator")):
                bom.add(bom.project, "oo:securityContact", url_iri(locator) or IRI(locator) if ":" in locator else None)
    extension(model, {"project": bom.project, "release": bom.release, "weights": weights})

    # Datasets it was trained or tested on, and the packages it contains.
    for relation, kind in (*RELATION_KINDS.items(), ("contains", None)):
        for target in relations.get((model_id, relation), []):
            element = elements.get(target)
            if element is None:
                raise OpennessError(f"{path}: relationship {relation} names {target!r}, which is not in the document")
            exported_kind = stated(element, "component", OO + "componentKind")
            kind = str(rdf_term(exported_kind)) if exported_kind else (
                kind or PURPOSE_KINDS.get(str(element.get("software_primaryPurpose"))))
            node = bom.component(target, kind, str(element.get("name") or target))
            bom.add(node, "dcat:downloadURL", url_iri(element.get("software_downloadLocation")))
            if stated(element, "component", OO + "availability") is None:
                if element.get("software_downloadLocation") == "NONE":
                    bom.add(node, "oo:availability", q("oo:Closed"))
                for availability in _list(element.get("dataset_datasetAvailability")):
                    bom.add(node, "oo:availability", q(DATASET_AVAILABILITY[availability])
                            if availability in DATASET_AVAILABILITY else None)
            for lic in licences(target):
                bom.add(node, "dct:license", lic)
            if _list(element.get("verifiedUsing")):
                bom.add(node, "oo:checksumPublished", True)
            extension(element, {"component": node})
    return bom, {"model": model_id, "components": len(bom.components), "extension_facts": extension_facts}

"""`openness export spdx`: a release as an SPDX 3.0.1 JSON-LD document (AI and Dataset profiles).

The AI bill of materials a model publisher is asked for: an ai_AIPackage for the release (the model:
its final parameters' download location and declared licences), a dataset_DatasetPackage per dataset
component (linked with trainedOn / testedOn), a software_Package per other component (contains), each
with its declared licence as a simplelicensing_LicenseExpression (hasDeclaredLicense). Only what the
graph states is exported; a field the AI or Dataset profile requires but the graph does not state is
named in the element's `comment` instead of being invented. The output is deterministic: the
CreationInfo's date is the latest date the exported facts were checked (oo:checkedOn).

Facts SPDX has no field for (a component's kind and availability, file formats, EU AI Act facts,
lineage, the project's contribution process or security contact, ...) travel in SPDX 3's own
extension mechanism, a CdxPropertiesExtension on the element: one entry per triple, named
`<scope> <predicate IRI>` (scope: project, release, weights or component) with the object in its
N-Triples form, so `openness import spdx-ai` reads them back exactly (graph/spdx_context.py: EXTENSION_SCOPES).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from .. import __version__
from ..errors import OpennessError
from ..files import write_atomically
from ..graph.iris import ONTOLOGY, slug_of
from ..graph.spdx_context import SPDX_CONTEXT

CREATION = "_:creationinfo"
AGENT = "https://w3id.org/openness/agent/openness"

# componentKind -> (SPDX type, software_primaryPurpose, relationship from the AI package)
DATASET_KINDS = {"Datasets": "trainedOn", "EvaluationData": "testedOn"}
PURPOSES = {
    "ModelArchitecture": "source", "DataPreprocessingCode": "source", "TrainingCode": "source",
    "InferenceCode": "source", "EvaluationCode": "source", "SupportingLibraries": "library",
    "IntermediateParameters": "model", "FinalParameters": "model", "ModelMetadata": "documentation",
    "ModelCard": "documentation", "DataCard": "documentation", "TechnicalReport": "documentation",
    "ResearchPaper": "documentation", "EvaluationResults": "evidence", "SampleModelOutputs": "evidence",
    "DataInformation": "documentation", "Documentation": "documentation", "Tokenizer": "configuration",
}

PREFIXES = """
PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""
RELEASE_QUERY = PREFIXES + """
SELECT ?project ?release (SAMPLE(?l) AS ?label) (SAMPLE(?v) AS ?version) (SAMPLE(?d) AS ?issued)
       (SAMPLE(?desc) AS ?description) (SAMPLE(?checked) AS ?checkedOn) (SAMPLE(?cur) AS ?current)
WHERE {
  ?project oo:hasRelease ?release .
  OPTIONAL { ?release rdfs:label ?l . } OPTIONAL { ?release oo:version ?v . } OPTIONAL { ?release dct:issued ?d . }
  OPTIONAL { ?release dct:description ?desc . } OPTIONAL { ?release oo:checkedOn ?checked . }
  BIND(EXISTS { ?project oo:currentRelease ?release } AS ?cur)
}
GROUP BY ?project ?release ORDER BY ?release
"""
PROJECT_QUERY = PREFIXES + """
SELECT ?project (SAMPLE(?l) AS ?label) (SAMPLE(?o) AS ?owner) (SAMPLE(?ol) AS ?ownerLabel) (SAMPLE(?h) AS ?homepage)
WHERE {
  OPTIONAL { ?project rdfs:label ?l . } OPTIONAL { ?project oo:owner ?o . OPTIONAL { ?o rdfs:label ?ol . } }
  OPTIONAL { ?project foaf:homepage ?h . }
}
GROUP BY ?project
"""
COMPONENT_QUERY = PREFIXES + """
SELECT ?release ?component ?kind (SAMPLE(?kl) AS ?kindLabel) (SAMPLE(?url) AS ?location) (SAMPLE(?checked) AS ?checkedOn)
WHERE {
  ?release oo:hasComponent ?component .
  OPTIONAL { ?component oo:componentKind ?kind . OPTIONAL { ?kind rdfs:label ?kl . } }
  OPTIONAL { ?component dcat:downloadURL ?url . } OPTIONAL { ?component oo:checkedOn ?checked . }
}
GROUP BY ?release ?component ?kind ORDER BY ?component
"""
# The facts of one node the extension carries: its oo: properties with an IRI or literal value, except
# those SPDX expresses itself or that only structure the graph.
FACTS_QUERY = PREFIXES + """
SELECT DISTINCT ?node ?p ?o WHERE {
  ?node ?p ?o .
  FILTER(STRSTARTS(STR(?p), "https://w3id.org/openness/ontology#"))
  FILTER(?p NOT IN (oo:hasComponent, oo:hasRelease, oo:currentRelease, oo:releaseOf, oo:licenceHistory, oo:variant,
                    oo:checkedOn, oo:notStated))
  FILTER(!isBlank(?o))
} ORDER BY ?p ?o
"""
LICENCE_QUERY = PREFIXES + """
SELECT DISTINCT ?component ?licence ?spdx WHERE {
  ?component dct:license ?licence .
  OPTIONAL { ?licence oo:spdxId ?spdx . }
} ORDER BY ?licence
"""


def _text(term) -> str | None:
    return None if term is None else term.value


def _datetime(date: str | None) -> str | None:
    """An xsd:date (or dateTime) as SPDX's DateTime, YYYY-MM-DDThh:mm:ssZ."""
    if not date:
        return None
    return date if "T" in date else f"{date[:10]}T00:00:00Z"


def _facts(dataset, node: str, scope: str) -> list[dict[str, str]]:
    _, rows = dataset.select(FACTS_QUERY, {"node": ox.NamedNode(node)})
    return [{"type": "extension_CdxPropertyEntry", "extension_cdxPropName": f"{scope} {r[1].value}",
             "extension_cdxPropValue": str(r[2])} for r in rows]


def _extend(element: dict[str, object], entries: list[dict[str, str]]) -> None:
    if entries:
        element["extension"] = [{"type": "extension_CdxPropertiesExtension", "extension_cdxProperty": entries}]


def licence_id(iri: str, spdx: str | None) -> str:
    """The licence's id in an SPDX licence expression: its SPDX id or ScanCode key, else a LicenseRef."""
    if spdx:
        return spdx
    return "LicenseRef-openness-" + slug_of(iri)


def _release(dataset, project_iri: str, release: str | None) -> dict[str, object]:
    _, rows = dataset.select(RELEASE_QUERY, {"project": ox.NamedNode(project_iri)})
    releases = [dict(zip(("project", "release", "label", "version", "issued", "description", "checkedOn", "current"), r))
                for r in rows]
    bad = [r["release"] for r in releases if not isinstance(r["release"], ox.NamedNode)]
    if bad:
        raise OpennessError(f"<{project_iri}>: its release {str(bad[0])} is not an IRI (a literal or a blank node); "
                            "a release must be a resource with an IRI, e.g. <https://example.org/my-model/v1>")
    if not releases:
        raise OpennessError(f"<{project_iri}> has no release in the graph: nothing to export")
    if release:
        hits = [r for r in releases if release in (r["release"].value, slug_of(r["release"].value))]
        if not hits:
            names = ", ".join(slug_of(r["release"].value) for r in releases)
            raise OpennessError(f"unknown release {release!r} of this project; it has {names}")
        return hits[0]
    current = [r for r in releases if r["current"] is not None and r["current"].value == "true"]
    return current[0] if current else releases[-1]


def _licences(dataset, component: ox.NamedNode) -> list[tuple[str, str]]:
    _, rows = dataset.select(LICENCE_QUERY, {"component": component})
    # SPDX's own words for "the source does not say" and "no licence" (oo:LicenceUndisclosed, oo:Unlicensed).
    special = {ONTOLOGY + "LicenceUndisclosed": "NOASSERTION", ONTOLOGY + "Unlicensed": "NONE"}
    return [(r[1].value, special.get(r[1].value) or licence_id(r[1].value, _text(r[2]))) for r in rows
            if isinstance(r[1], ox.NamedNode) and r[1].value.startswith("http")
            and (not r[1].value.startswith(ONTOLOGY) or r[1].value in special)]


def build(dataset, project_iri: str, release: str | None = None) -> dict[str, object]:
    """The SPDX 3.0.1 JSON-LD document of the project's release (its current one unless `release`)."""
    rel = _release(dataset, project_iri, release)
    rel_iri = rel["release"].value
    _, prows = dataset.select(PROJECT_QUERY, {"project": ox.NamedNode(project_iri)})
    project = dict(zip(("project", "label", "owner", "ownerLabel", "homepage"), prows[0])) if prows else {}
    _, crows = dataset.select(COMPONENT_QUERY, {"release": ox.NamedNode(rel_iri)})
    components = [dict(zip(("release", "component", "kind", "kindLabel", "location", "checkedOn"), r)) for r in crows]

    elements: list[dict[str, object]] = []
    checked = [_text(rel["checkedOn"])] + [_text(c["checkedOn"]) for c in components]
    created = _datetime(max((c for c in checked if c), default="1970-01-01"))

    def declare(subject: str, licences: list[tuple[str, str]]) -> None:
        if not licences:
            return
        expression = " AND ".join(sorted({lid for _, lid in licences}))
        custom = {lid: iri for iri, lid in licences if lid.startswith("LicenseRef-")}
        expr_id = f"{subject}#declared-licence"
        element: dict[str, object] = {"type": "simplelicensing_LicenseExpression", "spdxId": expr_id,
                                      "creationInfo": CREATION, "simplelicensing_licenseExpression": expression}
        if custom:  # where each LicenseRef's terms are described: the licence's IRI in the Openness graph
            element["simplelicensing_customIdToUri"] = [{"type": "DictionaryEntry", "key": k, "value": v}
                                                        for k, v in sorted(custom.items())]
        elements.append(element)
        elements.append({"type": "Relationship", "spdxId": f"{subject}#hasDeclaredLicense", "creationInfo": CREATION,
                         "from": subject, "relationshipType": "hasDeclaredLicense", "to": [expr_id]})

    supplier = None
    if project.get("owner") is not None:
        supplier = project["owner"].value
        elements.append({"type": "Organization", "spdxId": supplier, "creationInfo": CREATION,
                         "name": _text(project.get("ownerLabel")) or slug_of(supplier)})

    weights = [c for c in components if c["kind"] is not None and c["kind"].value == ONTOLOGY + "FinalParameters"]
    model: dict[str, object] = {"type": "ai_AIPackage", "spdxId": rel_iri, "creationInfo": CREATION,
                                "name": _text(rel["label"]) or slug_of(rel_iri),
                                "software_primaryPurpose": "model"}
    optional = {"software_packageVersion": _text(rel["version"]), "releaseTime": _datetime(_text(rel["issued"])),
                "description": _text(rel["description"]),
                "software_downloadLocation": _text(weights[0]["location"]) if weights else None,
                "software_homePage": _text(project.get("homepage")),
                "suppliedBy": supplier}
    model.update({k: v for k, v in optional.items() if v})
    missing = [k for k in ("software_packageVersion", "releaseTime", "software_downloadLocation", "suppliedBy")
               if k not in model]
    if missing:
        model["comment"] = "Not stated in the Openness graph (required by the AI profile): " + ", ".join(missing)
    _extend(model, _facts(dataset, project_iri, "project") + _facts(dataset, rel_iri, "release")
            + [e for w in weights for e in _facts(dataset, w["component"].value, "weights")])
    elements.append(model)
    weight_licences = [lic for c in weights for lic in _licences(dataset, c["component"])]
    declare(rel_iri, weight_licences)

    links: dict[str, list[str]] = {}
    for c in components:
        iri = c["component"].value
        if c["component"] in [w["component"] for w in weights]:
            continue
        kind = slug_of(c["kind"].value) if c["kind"] is not None else ""
        name = f"{_text(rel['label']) or slug_of(rel_iri)}: {_text(c['kindLabel']) or kind or 'component'}"
        element: dict[str, object] = {"creationInfo": CREATION, "spdxId": iri, "name": name}
        if kind in DATASET_KINDS:
            element.update({"type": "dataset_DatasetPackage", "software_primaryPurpose": "data",
                            "dataset_datasetType": ["noAssertion"]})
            links.setdefault(DATASET_KINDS[kind], []).append(iri)
            required = ("software_downloadLocation", "releaseTime", "builtTime", "originatedBy")
        else:
            element.update({"type": "software_Package", "software_primaryPurpose": PURPOSES.get(kind, "other")})
            links.setdefault("contains", []).append(iri)
            required = ()
        if c["location"] is not None:
            element["software_downloadLocation"] = c["location"].value
        _extend(element, _facts(dataset, iri, "component"))
        missing = [k for k in required if k not in element]
        if missing:
            element["comment"] = "Not stated in the Openness graph (required by the Dataset profile): " + ", ".join(missing)
        elements.append(element)
        declare(iri, _licences(dataset, c["component"]))
    for relation, targets in sorted(links.items()):
        elements.append({"type": "Relationship", "spdxId": f"{rel_iri}#{relation}", "creationInfo": CREATION,
                         "from": rel_iri, "relationshipType": relation, "to": sorted(targets)})

    creation = {"type": "CreationInfo", "@id": CREATION, "specVersion": "3.0.1", "created": created,
                "createdBy": [AGENT], "comment": f"Exported by openness {__version__} from the Openness graph."}
    agent = {"type": "SoftwareAgent", "spdxId": AGENT, "creationInfo": CREATION, "name": "Openness"}
    elements.sort(key=lambda e: (str(e["type"]), str(e["spdxId"])))
    document = {"type": "SpdxDocument", "spdxId": f"{rel_iri}#spdx-document", "creationInfo": CREATION,
                "name": f"AI bill of materials: {_text(rel['label']) or slug_of(rel_iri)}",
                "profileConformance": ["core", "software", "simpleLicensing", "ai", "dataset"],
                "rootElement": [rel_iri],
                "element": sorted([AGENT] + [str(e["spdxId"]) for e in elements])}
    return {"@context": SPDX_CONTEXT, "@graph": [creation, agent, document, *elements]}


def write(document: Mapping[str, object], out: Path | str) -> None:
    """Write the document as JSON through a temporary file moved into place (files.write_atomically)."""
    write_atomically(out, json.dumps(document, indent=2, ensure_ascii=False) + "\n")

"""`openness export spdx`: an SPDX 3.0.1 JSON-LD AI bill of materials for a project's release."""

from __future__ import annotations

import json

from click.testing import CliRunner

from openness.cli import cli
from openness.graph.dataset import Dataset
from openness.linked_data.export_spdx import SPDX_CONTEXT, build


def export(tmp_path, project, name="out.spdx.json", *extra):
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["export", "spdx", project, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def by_type(document, kind):
    return [e for e in document["@graph"] if e["type"] == kind]


def test_olmo_bom_has_the_ai_package_and_declared_licences(tmp_path):
    document = json.loads(export(tmp_path, "olmo", "out.spdx.json", "--release", "olmo-2-1124-7b").read_text())
    assert document["@context"] == SPDX_CONTEXT
    (model,) = by_type(document, "ai_AIPackage")
    assert model["name"] == "OLMo 2 7B (OLMo-2-1124-7B)"  # the release asked for
    assert model["spdxId"] == "https://w3id.org/openness/id/release/olmo-2-1124-7b"
    assert model["software_primaryPurpose"] == "model"
    expressions = {e["spdxId"]: e["simplelicensing_licenseExpression"]
                   for e in by_type(document, "simplelicensing_LicenseExpression")}
    declared = [r for r in by_type(document, "Relationship") if r["relationshipType"] == "hasDeclaredLicense"]
    model_licences = [expressions[t] for r in declared if r["from"] == model["spdxId"] for t in r["to"]]
    assert model_licences == ["Apache-2.0"]
    assert "ODC-By-1.0" in expressions.values()
    datasets = by_type(document, "dataset_DatasetPackage")
    assert datasets and all(d["dataset_datasetType"] for d in datasets)
    trained = [r for r in by_type(document, "Relationship") if r["relationshipType"] == "trainedOn"]
    assert trained and set(trained[0]["to"]) <= {d["spdxId"] for d in datasets}
    (doc,) = by_type(document, "SpdxDocument")
    assert doc["rootElement"] == [model["spdxId"]]
    assert {"ai", "dataset"} <= set(doc["profileConformance"])
    ids = {e.get("spdxId") for e in document["@graph"]}
    assert set(doc["element"]) <= ids
    (creation,) = by_type(document, "CreationInfo")
    assert creation["specVersion"] == "3.0.1"


def test_licence_refs_point_at_the_licence_iri(tmp_path):
    document = json.loads(export(tmp_path, "llama-2").read_text())
    expressions = by_type(document, "simplelicensing_LicenseExpression")
    assert any(e["simplelicensing_licenseExpression"] == "LicenseRef-scancode-llama-2-license-2023" for e in expressions)
    refs = [d for e in expressions for d in e.get("simplelicensing_customIdToUri", [])]
    assert {"type": "DictionaryEntry", "key": "LicenseRef-scancode-llama-2-license-2023",
            "value": "https://w3id.org/openness/id/licence/licenseref-scancode-llama-2-license-2023"} in refs


def test_export_is_deterministic(tmp_path):
    first = export(tmp_path, "olmo", "a.json").read_bytes()
    second = export(tmp_path, "olmo", "b.json").read_bytes()
    assert first == second
    dataset = Dataset.load()
    assert build(dataset, "https://w3id.org/openness/id/project/olmo") == json.loads(first)


def test_unknown_project_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(cli, ["export", "spdx", "no-such-project", "--out", str(tmp_path / "x.json")])
    assert result.exit_code == 2
    assert "unknown project" in result.stderr
    assert not (tmp_path / "x.json").exists()


def test_default_is_the_current_release(tmp_path):
    """Without --release the project's oo:currentRelease is exported (OLMo's is Olmo 3, not the older OLMo 2)."""
    document = json.loads(export(tmp_path, "olmo").read_text())
    (model,) = by_type(document, "ai_AIPackage")
    assert model["spdxId"] == "https://w3id.org/openness/id/release/olmo-3-1025-7b"


def test_facts_without_an_spdx_field_travel_in_the_extension(tmp_path):
    document = json.loads(export(tmp_path, "llama-2").read_text())
    (model,) = by_type(document, "ai_AIPackage")
    (ext,) = model["extension"]
    assert ext["type"] == "extension_CdxPropertiesExtension"
    entries = {(e["extension_cdxPropName"], e["extension_cdxPropValue"]) for e in ext["extension_cdxProperty"]}
    assert ("weights https://w3id.org/openness/ontology#fileFormat", "<https://w3id.org/openness/ontology#Pickle>") in entries
    assert ("project https://w3id.org/openness/ontology#owner", "<https://w3id.org/openness/id/organisation/meta>") in entries

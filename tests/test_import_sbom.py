"""`openness import spdx-ai` / `import cyclonedx` on hand-written SBOMs, `validate --file` straight from an
SBOM, and the round trip `export spdx` -> `import spdx-ai` (same verdicts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "sbom"
CASES = Path(__file__).parent / "cases"
OO = "https://w3id.org/openness/ontology#"


def _facts(ttl: Path, subject_suffix: str) -> dict[str, set[str]]:
    from openness.graph.dataset import Dataset

    _, rows = Dataset.load([ttl], bundled=False).select(
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    out: dict[str, set[str]] = {}
    for s, p, o in rows:
        if s.value.endswith(subject_suffix):
            out.setdefault(p.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1], set()).add(o.value)
    return out


def test_spdx_ai_fixture(tmp_path, run_cli):
    out = tmp_path / "vision.ttl"
    code, _, err = run_cli("import", "spdx-ai", str(FIXTURES / "example-vision.spdx.json"), "--out", str(out))
    assert code == 0, err
    weights = _facts(out, "sbom-example-vision-2b-finalparameters")
    assert weights["license"] == {"https://w3id.org/openness/id/licence/mit"}
    assert weights["checksumPublished"] == {"true"}
    # SPDX has no availability for a model package: unknown, never assumed public
    assert weights["availability"] == {OO + "AvailabilityUnknown"}
    data = _facts(out, "sbom-example-vision-2b-datasets")
    assert data["availability"] == {OO + "Public"} and data["componentKind"] == {OO + "Datasets"}
    assert data["license"] == {"https://w3id.org/openness/id/licence/cc-by-4-0"}
    code_ = _facts(out, "sbom-example-vision-2b-sourcecode")
    assert code_["availability"] == {OO + "Closed"}  # downloadLocation NONE
    project = _facts(out, "project/sbom-example-vision-2b")
    assert project["securityContact"] == {"https://example.org/security"}
    release = _facts(out, "release/sbom-example-vision-2b")
    assert release["issued"] == {"2026-10-01"} and release["checkedOn"] == {"2026-11-21"}


def test_cyclonedx_fixture_resolves_its_ancestor(tmp_path, run_cli):
    out = tmp_path / "chat.ttl"
    fixture = CASES / "derive" / "llama-nc-commercial" / "data.ttl"
    code, _, err = run_cli("import", "cyclonedx", str(FIXTURES / "example-chat.cdx.json"), "--out", str(out),
                           "--data", str(fixture))
    assert code == 0, err
    weights = _facts(out, "sbom-example-chat-7b-finalparameters")
    assert weights["license"] == {"https://w3id.org/openness/id/licence/apache-2-0"}
    assert weights["availability"] == {OO + "Public"} and weights["fileFormat"] == {OO + "Safetensors"}
    release = _facts(out, "release/sbom-example-chat-7b")
    assert release["derivedFrom"] == {"https://w3id.org/openness/id/release/fixture-llama-base-v1"}
    assert _facts(out, "sbom-example-chat-7b-datasets")["license"] == {
        "https://w3id.org/openness/id/licence/cc-by-nc-4-0"}
    # the BOM's lineage reaches the Llama base: commercial use is refused with both clauses
    code, text, _ = run_cli("derive", "--base", "sbom-example-chat-7b", "--data", str(out), "--data", str(fixture),
                            "--data-licence", "CC-BY-NC-4.0", "--use", "commercial", "--format", "json")
    assert code == 1
    decisions = {d["licence"].rsplit("/", 1)[-1]: d["decision"] for d in json.loads(text)["decisions"]}
    assert decisions["cc-by-nc-4-0"] == "forbidden"
    assert decisions["licenseref-scancode-llama-2-license-2023"] == "allowed with conditions"


@pytest.mark.parametrize("name", ["example-vision.spdx.json", "example-chat.cdx.json"])
def test_validate_file_reads_an_sbom(name, run_cli):
    code, out, err = run_cli("validate", "--file", str(FIXTURES / name), "--claim", "mof-class-3", "--format", "json")
    verdict = json.loads(out)
    # a BOM states little: the claim is refuted (1) or, where a deciding fact is missing, undetermined (3)
    assert code == {"does-not-hold": 1, "undetermined": 3}[verdict["verdict"]], err
    assert verdict["project"].startswith("https://w3id.org/openness/id/project/sbom-")
    assert verdict["results"]


def test_validate_file_from_exported_sbom_holds(tmp_path, run_cli):
    sbom = tmp_path / "olmo.spdx.json"
    assert run_cli("export", "spdx", "olmo", "--out", str(sbom))[0] == 0
    code, out, err = run_cli("validate", "--file", str(sbom), "--claim", "mof-class-3", "--format", "json")
    original = json.loads(run_cli("validate", "olmo", "--claim", "mof-class-3", "--format", "json")[1])
    assert json.loads(out)["verdict"] == original["verdict"]
    assert code == {"holds": 0, "does-not-hold": 1, "undetermined": 3}[original["verdict"]], err


def test_bad_sboms_are_bad_input(tmp_path, run_cli):
    broken = tmp_path / "broken.spdx.json"
    broken.write_text('{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",\n "@graph": [\n}', encoding="utf-8")
    code, _, err = run_cli("import", "spdx-ai", str(broken), "--out", str(tmp_path / "x.ttl"))
    assert code == 2 and "broken.spdx.json:3" in err and not (tmp_path / "x.ttl").exists()
    bogus = tmp_path / "bogus.spdx.json"
    bogus.write_text(json.dumps({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
                                 "@graph": [{"type": "ai_NotAType", "spdxId": "x"}]}), encoding="utf-8")
    code, _, err = run_cli("import", "spdx-ai", str(bogus), "--out", str(tmp_path / "x.ttl"))
    assert code == 2 and "ai_NotAType" in err
    code, _, err = run_cli("import", "cyclonedx", str(FIXTURES / "example-vision.spdx.json"), "--out",
                           str(tmp_path / "x.ttl"))
    assert code == 2 and "not a CycloneDX BOM" in err


def test_bundled_context_is_spdx_3_0_1():
    from openness.graph.spdx_context import BUNDLED_CONTEXT

    context = json.loads(BUNDLED_CONTEXT.read_text(encoding="utf-8"))["@context"]
    assert context["ai_AIPackage"] == "https://spdx.org/rdf/3.0.1/terms/AI/AIPackage"
    assert context["dataset_DatasetPackage"] == "https://spdx.org/rdf/3.0.1/terms/Dataset/DatasetPackage"
    assert context["extension_cdxPropName"]["@id"] == "https://spdx.org/rdf/3.0.1/terms/Extension/cdxPropName"
    assert context["spdxId"] == "@id" and context["type"] == "@type"


def test_exported_sbom_parses_as_rdf_with_the_bundled_context(tmp_path, run_cli):
    """With the bundled context inlined, the export is JSON-LD an RDF parser reads (nothing fetched)."""
    import pyoxigraph as ox
    from openness.graph.spdx_context import BUNDLED_CONTEXT

    sbom = tmp_path / "llama.spdx.json"
    assert run_cli("export", "spdx", "llama-2", "--out", str(sbom))[0] == 0
    document = json.loads(sbom.read_text(encoding="utf-8"))
    document["@context"] = json.loads(BUNDLED_CONTEXT.read_text(encoding="utf-8"))["@context"]
    triples = list(ox.parse(json.dumps(document).encode(), format=ox.RdfFormat.JSON_LD))
    types = {t.object.value for t in triples if t.predicate.value.endswith("#type")}
    assert "https://spdx.org/rdf/3.0.1/terms/AI/AIPackage" in types


# The round trip on releases that exercise its parts: undisclosed licences (pythia), variants (teuken-7b),
# LicenseRef licences and pickle weights (llama-2), datasets under their own licences (olmo), lineage (tulu-3).
ROUND_TRIP = ["olmo", "llama-2", "pythia", "teuken-7b", "tulu-3", "gemma-2"]


def test_round_trip_gives_the_same_verdicts(tmp_path):
    from openness.claims.catalogue import claims
    from openness.claims.verdicts import compute
    from openness.graph.dataset import Dataset
    from openness.importers.sbom import convert
    from openness.linked_data.export_spdx import build, write

    bundled = Dataset.load()
    files, pairs = [], {}
    for slug in ROUND_TRIP:
        iri = "https://w3id.org/openness/id/project/" + slug
        sbom = tmp_path / f"{slug}.spdx.json"
        write(build(bundled, iri), sbom)
        graph, info = convert(sbom, "spdx-ai")
        ttl = tmp_path / f"{slug}.ttl"
        ttl.write_text(graph.turtle(["round trip"]), encoding="utf-8")
        files.append(ttl)
        pairs[iri] = info["project"]
    dataset = Dataset.load(files)
    ids = list(claims())
    before = {(v["project"], v["claim"]): v["conforms"] for v in compute(dataset, sorted(pairs), ids)}
    after = {(v["project"], v["claim"]): v["conforms"] for v in compute(dataset, sorted(pairs.values()), ids)}
    differ = [(p, c) for p in pairs for c in ids if before[(p, c)] != after[(pairs[p], c)]]
    assert not differ

"""The ontology holds every concept of the seed article, each labelled, defined and sourced."""

from __future__ import annotations

import shutil

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, URIRef
from rdflib.namespace import DCTERMS

from openness import resources

OO = rdflib.Namespace("https://w3id.org/openness/ontology#")
ARTICLE = OO.UnravelingOpenSourceAI

# Every concept of the seed (Stephens et al., 2024), by the article's own words.
SEED_CONCEPTS = {
    "dimensions (Figure 1)": ["HardwareDimension", "SoftwareDimension", "DataDimension", "KnowledgeDimension"],
    "resources": ["Resource", "APIResource", "CodeResource", "DataResource", "HardwareResource", "IPResource"],
    "processes": ["Process", "DevelopmentProcess", "TestingProcess", "FeedbackProcess", "PatchingProcess"],
    "effects": ["Effect", "KnowledgeEffect", "EducationEffect", "ProductsEffect"],
    "freedoms (Figure 2)": ["Study", "Use", "Access", "CopyMake", "Modify", "Distribute", "Collaborate"],
    "strings attached": ["LicenceFee", "CopyrightDistributionTerms", "SupportFee", "HiddenFee", "UserCap",
                         "AcceptableUsePolicy", "NonCommercial", "ResearchOnly", "NamingDuty", "UnilateralChange"],
    "due diligence (using open source AI safely)": ["OwnerTrackRecord", "CommunityActivity", "ProprietaryParts",
                                                    "MaliciousCode", "SecuritySupport", "CopyleftOnDerivatives"],
    "availability": ["Public", "Gated", "GatedAutomatic", "GatedDiscretionary", "Closed"],
}
MOF_COMPONENTS = ["ModelArchitecture", "DataPreprocessingCode", "TrainingCode", "InferenceCode", "EvaluationCode",
                  "SupportingLibraries", "FinalParameters", "IntermediateParameters", "Datasets", "EvaluationData",
                  "ModelMetadata", "ModelCard", "DataCard", "TechnicalReport", "ResearchPaper", "EvaluationResults",
                  "SampleModelOutputs"]
OTHER_COMPONENTS = ["DataInformation", "Tokenizer", "API", "HardwareDesign", "Documentation"]
CLASSES = ["Project", "Release", "Component", "Organisation", "Licence", "Assessment", "Claim", "ClaimType"]


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted(resources.ontology_dir().glob("*.ttl")):
        graph.parse(path)
    return graph


@pytest.mark.parametrize("group", sorted(SEED_CONCEPTS))
def test_every_seed_concept_is_labelled_defined_and_cites_the_article(onto, group):
    for name in SEED_CONCEPTS[group]:
        term = OO[name]
        assert (term, RDFS.label, None) in onto, f"{name} has no rdfs:label"
        assert (term, SKOS.definition, None) in onto, f"{name} has no skos:definition"
        sources = set(onto.objects(term, DCTERMS.source))
        assert sources, f"{name} cites no source"
    freedoms_and_dimensions = SEED_CONCEPTS["freedoms (Figure 2)"] + SEED_CONCEPTS["dimensions (Figure 1)"]
    for name in freedoms_and_dimensions:
        assert (OO[name], DCTERMS.source, ARTICLE) in onto, f"{name} must cite the seed article"


def test_component_kinds_cover_the_mof_and_osaid(onto):
    for name in MOF_COMPONENTS:
        assert (OO[name], RDF.type, OO.ComponentKind) in onto, name
        assert (OO[name], OO.mofComponent, rdflib.Literal(True)) in onto, name
    for name in OTHER_COMPONENTS:
        assert (OO[name], RDF.type, OO.ComponentKind) in onto, name
    assert len(MOF_COMPONENTS) == 17


def test_freedoms_decided_by_licences_link_to_odrl_or_cc_actions(onto):
    for name in ["Study", "Use", "CopyMake", "Modify", "Distribute"]:
        actions = {str(a) for a in onto.objects(OO[name], OO.grantedByAction)}
        assert actions, f"{name} is linked to no action"
        assert all(a.startswith(("http://www.w3.org/ns/odrl/2/", "http://creativecommons.org/ns#")) for a in actions)


def test_every_ontology_term_is_labelled_defined_and_sourced(onto):
    missing = []
    for term in set(onto.subjects(RDF.type, None)):
        if not isinstance(term, URIRef) or not str(term).startswith(str(OO)):
            continue
        for prop in (RDFS.label, SKOS.definition, DCTERMS.source):
            if (term, prop, None) not in onto:
                missing.append(f"{term} lacks {prop}")
    assert not missing, "\n".join(sorted(missing)[:20])


def test_core_classes_exist(onto):
    for name in CLASSES:
        assert (OO[name], RDF.type, OWL.Class) in onto, name


def test_no_owl_imports_that_would_fetch(onto):
    assert not list(onto.objects(None, OWL.imports))


@pytest.mark.parametrize("reasoner", ["owl-rl", "hermit"])
def test_ontology_and_curated_data_are_consistent(reasoner):
    from openness.graph.reason import reason

    if reasoner == "hermit" and not shutil.which("java"):
        pytest.skip("Java is not installed: HermiT cannot run")
    result = reason((), reasoner)
    assert result.consistent, result.explanation
    inferred = {(r["iri"], r["class"]) for r in result.inferred}
    # Llama 2's licence has a user cap: the reasoner must classify it from its strings attached.
    assert ("https://w3id.org/openness/id/licence/licenseref-scancode-llama-2-license-2023",
            "User-capped licence") in inferred


def test_a_contradiction_makes_reason_exit_1(tmp_path, run_cli):
    bad = tmp_path / "contradiction.ttl"
    bad.write_text("""@prefix oo: <https://w3id.org/openness/ontology#> .
<https://example.org/c> a oo:Component ; oo:availability oo:Public, oo:Closed .
""")
    code, out, err = run_cli("reason", "--reasoner", "owl-rl", "--data", str(bad))
    assert code == 1, out + err
    assert "INCONSISTENT" in out

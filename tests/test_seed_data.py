"""The seed's own systems and its Figure 1 and Figure 2 verdicts, as curated in data/.

The expected tables below are copied from the article (seed/unraveling-open-source-ai.txt), not
from the data, so the test checks the data against the article.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

ROOT = Path(__file__).resolve().parents[1]
OO = Namespace("https://w3id.org/openness/ontology#")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
ID = "https://w3id.org/openness/id/"
PROJECT = Namespace(ID + "project/")
ASSESSMENT = Namespace(ID + "assessment/")
CHECKED_ON = Literal("2026-11-26", datatype=XSD_DATE)
LAST_CHECK = date(2026, 11, 27)  # the latest re-verification (issue 9)
ARTICLE = OO.UnravelingOpenSourceAI

SEED_PROJECTS = (
    "firefox", "git", "linux", "h2o-ai", "openai-api", "tensorflow", "signal", "raspberry-pi",
    "alphafold", "kaggle", "sigma-ai", "waze", "github", "red-hat-enterprise-linux",
)

FREEDOMS = (  # (column of Figure 2, ontology term, notation with _ replaced by -)
    ("Study", OO.Study, "study"),
    ("Use", OO.Use, "use"),
    ("Access", OO.Access, "access"),
    ("Copy/Make", OO.CopyMake, "copy-make"),
    ("Modify", OO.Modify, "modify"),
    ("Distribute", OO.Distribute, "distribute"),
    ("Collaborate", OO.Collaborate, "collaborate"),
)

# Figure 2, The Open Source Spectrum, cell by cell as the article prints it (tab-separated).
FIGURE_2 = {
    "firefox": ("Firefox (The Mozilla Public License)", ("", "X", "", "X", "", "X", "")),
    "git": ("Git (GPL-2.0-only)", ("X", "X", "X", "X (verbatim)", "", "X", "X")),
    "linux": ("Linux (GNU General Public License - GPL)", ("", "X", "X", "X", "X", "X", "X")),
    "h2o-ai": ("H2O.ai (own legal document)", ("", "", "X", "", "", "", "")),
    "openai-api": ("Open AI (own legal document)",
                   ("X List of upgrades, but no codes)", "X", "X", "", "X (via API or fine-tuning some models)", "", "")),
    "tensorflow": ("Tensor Flow (Apache 2.0 License)", ("X", "X", "X", "X", "X", "X", "X")),
    "signal": ("Signal (GPLv3)", ("", "X", "X", "", "", "", "X")),
    "raspberry-pi": ("Raspberry Pi (code- GPL; documentation Creative Commons Attribution-ShareAlike 4.0 "
                     "International (CC BY-SA) license)", ("X", "X", "", "(not hardware)", "X", "X", "X")),
}

# The words of a cell that must be kept as the assessment's oo:note.
CELL_NOTES = {
    ("git", "copy-make"): "verbatim",
    ("openai-api", "study"): "List of upgrades, but no codes",
    ("openai-api", "modify"): "via API or fine-tuning some models",
    ("raspberry-pi", "copy-make"): "(not hardware)",
}

# Figure 1: (project, dimension) -> the qualifier the figure gives (None where it gives none).
FIGURE_1 = {
    ("raspberry-pi", OO.HardwareDimension): "except GPU",
    ("linux", OO.SoftwareDimension): None,
    ("alphafold", OO.SoftwareDimension): "just the source code and public interface",
    ("raspberry-pi", OO.DataDimension): "Documentation",
    ("signal", OO.DataDimension): "Documentation",
    ("kaggle", OO.DataDimension): "Training Data",
    ("sigma-ai", OO.DataDimension): "Training Data",
    ("waze", OO.DataDimension): "Crowd Sourced Data",
    ("github", OO.KnowledgeDimension): None,
    ("waze", OO.KnowledgeDimension): "Waze v3",
    ("kaggle", OO.KnowledgeDimension): None,
}


def _parse(paths) -> Graph:
    g = Graph()
    for path in paths:
        g.parse(path)
    return g


@pytest.fixture(scope="module")
def project_graphs() -> dict[str, Graph]:
    return {slug: _parse([ROOT / "data" / "projects" / f"{slug}.ttl"]) for slug in SEED_PROJECTS}


@pytest.fixture(scope="module")
def graph(project_graphs) -> Graph:
    g = _parse([ROOT / "ontology" / "openness.ttl", *sorted((ROOT / "data" / "assessments").glob("*.ttl"))])
    for pg in project_graphs.values():
        g += pg
    return g


def _figure_2_assessments(g: Graph):
    """(project, freedom) -> assessment nodes the article is credited with."""
    found: dict[tuple, list] = {}
    for a in g.subjects(RDF.type, OO.Assessment):
        freedom = g.value(a, OO.aboutFreedom)
        if freedom is None or (a, PROV.wasAttributedTo, ARTICLE) not in g:
            continue
        found.setdefault((g.value(a, OO.assessedProject), freedom), []).append(a)
    return found


def test_56_figure_2_assessments_each_cell_once(graph):
    found = _figure_2_assessments(graph)
    expected = {(PROJECT[slug], term) for slug in FIGURE_2 for _, term, _ in FREEDOMS}
    assert len(expected) == 56
    assert set(found) == expected
    duplicates = {k: v for k, v in found.items() if len(v) != 1}
    assert not duplicates


def test_figure_2_assessment_iris(graph):
    for slug in FIGURE_2:
        for _, term, notation in FREEDOMS:
            a = ASSESSMENT[f"seed-figure-2-{slug}-{notation}"]
            assert (a, RDF.type, OO.Assessment) in graph, a
            assert graph.value(a, OO.assessedProject) == PROJECT[slug]
            assert graph.value(a, OO.aboutFreedom) == term


def test_granted_matrix_equals_figure_2(graph):
    found = _figure_2_assessments(graph)
    actual = {
        slug: tuple(graph.value(found[(PROJECT[slug], term)][0], OO.granted).toPython() for _, term, _ in FREEDOMS)
        for slug in FIGURE_2
    }
    expected = {slug: tuple(cell.startswith("X") for cell in cells) for slug, (_, cells) in FIGURE_2.items()}
    assert actual == expected


def test_cell_notes_on_the_right_cells(graph):
    for slug in FIGURE_2:
        for _, term, notation in FREEDOMS:
            a = ASSESSMENT[f"seed-figure-2-{slug}-{notation}"]
            notes = {str(n) for n in graph.objects(a, OO.note)}
            if (slug, notation) in CELL_NOTES:
                assert notes == {CELL_NOTES[(slug, notation)]}, a
            else:
                assert not notes, a
    # The note does not make the freedom granted: Raspberry Pi's Copy/Make cell has no X.
    assert graph.value(ASSESSMENT["seed-figure-2-raspberry-pi-copy-make"], OO.granted).toPython() is False
    assert graph.value(ASSESSMENT["seed-figure-2-git-copy-make"], OO.granted).toPython() is True


def test_figure_2_row_labels_kept(graph, project_graphs):
    for slug, (label, cells) in FIGURE_2.items():
        project_text = " ".join(str(o) for o in project_graphs[slug].objects(PROJECT[slug], None))
        assert label in project_text, slug
        for (column, _, notation), cell in zip(FREEDOMS, cells):
            a = ASSESSMENT[f"seed-figure-2-{slug}-{notation}"]
            text = " ".join(str(o) for o in graph.objects(a, None))
            assert label in text and column in text and cell in text, a


def test_figure_2_attribution(graph):
    for nodes in _figure_2_assessments(graph).values():
        for a in nodes:
            assert (a, DCTERMS.source, ARTICLE) in graph
            assert (a, DCTERMS.date, Literal("2024-06-17", datatype=XSD_DATE)) in graph
            assert (a, OO.checkedOn, CHECKED_ON) in graph


def test_figure_1_dimensions(graph, project_graphs):
    found = {}
    for a in graph.subjects(RDF.type, OO.Assessment):
        dim = graph.value(a, OO.aboutDimension)
        if dim is not None and (a, PROV.wasAttributedTo, ARTICLE) in graph:
            found.setdefault((graph.value(a, OO.assessedProject), dim), []).append(a)
    assert set(found) == {(PROJECT[s], d) for s, d in FIGURE_1}
    for (slug, dim), qualifier in FIGURE_1.items():
        (a,) = found[(PROJECT[slug], dim)]
        assert graph.value(a, OO.granted).toPython() is True
        assert (a, DCTERMS.source, ARTICLE) in graph and (a, OO.checkedOn, CHECKED_ON) in graph
        if qualifier:
            assert any(qualifier in str(n) for n in graph.objects(a, OO.note)), a
        # The project file places the project in the same dimension.
        assert (PROJECT[slug], OO.dimension, dim) in project_graphs[slug], (slug, dim)


def test_project_files_cite_sources(project_graphs):
    kinds = (OO.Release, OO.Component, OO.Organisation)
    project_classes = {OO.Project, OO.AIModel, OO.AISystem, OO.SoftwareProject, OO.HardwareProject,
                       OO.DatasetProject, OO.Platform, OO.Service}
    for slug, g in project_graphs.items():
        assert set(g.objects(PROJECT[slug], RDF.type)) & project_classes, slug
        nodes = {PROJECT[slug]} | {s for k in kinds for s in g.subjects(RDF.type, k)}
        assert len(nodes) >= 4, slug  # project, release, component(s), organisation
        for node in nodes:
            assert g.value(node, DCTERMS.source) is not None, node
            # Checked when curated (2026-11-26) or when re-verified against its source since (issue 9).
            checked = [d.toPython() for d in g.objects(node, OO.checkedOn)]
            assert checked and all(CHECKED_ON.toPython() <= d <= LAST_CHECK for d in checked), node
        current = g.value(PROJECT[slug], OO.currentRelease)
        assert current is not None and (current, RDF.type, OO.Release) in g, slug
        assert list(g.objects(current, OO.hasComponent)), slug
        owner = g.value(PROJECT[slug], OO.owner)
        assert (owner, RDF.type, OO.Organisation) in g and g.value(owner, OO.organisationType) is not None, slug


def test_licence_iris_follow_the_slug_rule(project_graphs):
    import re

    for slug, g in project_graphs.items():
        for lic in g.objects(None, DCTERMS.license):
            if str(lic).startswith(str(OO)):
                assert lic in (OO.Unlicensed, OO.LicenceUndisclosed), lic
                continue
            assert re.fullmatch(re.escape(ID) + r"licence/[a-z0-9]+(-[a-z0-9]+)*", str(lic)), lic


def test_organisations_described_identically(project_graphs):
    seen: dict = {}
    for g in project_graphs.values():
        for org in g.subjects(RDF.type, OO.Organisation):
            facts = (str(g.value(org, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))),
                     g.value(org, OO.organisationType))
            assert seen.setdefault(org, facts) == facts, org

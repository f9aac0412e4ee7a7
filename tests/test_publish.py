"""`openness publish`: the static site, its RDF documents, escaping, and the all-or-nothing swap."""

from __future__ import annotations

import gzip
import json

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare
from click.testing import CliRunner

from helpers_servers import HOSTILE_STRINGS, write_hostile
from openness.cli import cli
from openness.errors import OpennessError
from openness.linked_data.publish import MARKER, publish

OLMO = "https://w3id.org/openness/id/project/olmo"


def curated():
    """The bundled graph without the catalogue snapshots (8,000 more resources of the same kinds)."""
    from openness.graph.dataset import Dataset

    return Dataset.load(include_generated=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("publish")
    hostile = write_hostile(folder)
    out = folder / "site"
    # The curated graph keeps the suite fast; the catalogue snapshots add 8,000 resources of the same kinds.
    result = CliRunner().invoke(cli, ["publish", str(out), "--data", str(hostile), "--no-catalogues"])
    assert result.exit_code == 0, result.output
    return out


def test_every_resource_has_html_and_rdf_documents(site):
    for ext in ("html", "ttl", "jsonld", "nt", "rdf"):
        assert (site / "id" / "project" / f"olmo.{ext}").is_file()
        assert (site / "id" / "licence" / f"apache-2-0.{ext}").is_file()
    for name in ("index.html", "projects.html", "licences.html", "compare.html", "ontology.html", "void.ttl",
                 "context.jsonld", "dumps/openness.ttl", "dumps/openness.nt.gz", MARKER):
        assert (site / name).is_file(), name
    html_pages = list((site / "id").rglob("*.html"))
    assert len(html_pages) > 500
    assert all(p.with_suffix(".ttl").is_file() for p in html_pages)


def test_resource_documents_agree_across_formats(site):
    base = site / "id" / "project" / "olmo"
    turtle = rdflib.Graph().parse(base.with_suffix(".ttl"), format="turtle")
    ntriples = rdflib.Graph().parse(base.with_suffix(".nt"), format="nt")
    jsonld = rdflib.Graph().parse(data=base.with_suffix(".jsonld").read_text(), format="json-ld")
    rdfxml = rdflib.Graph().parse(base.with_suffix(".rdf"), format="xml")
    assert len(turtle) > 10
    assert rdflib.compare.isomorphic(turtle, ntriples)
    assert rdflib.compare.isomorphic(turtle, jsonld)
    assert rdflib.compare.isomorphic(turtle, rdfxml)
    label = rdflib.URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert (rdflib.URIRef(OLMO), label, rdflib.Literal("OLMo")) in turtle
    # labels of linked things travel with the document
    assert any(str(o) == "Allen Institute for AI" or "Allen" in str(o) for o in turtle.objects(None, label))


def test_jsonld_embeds_its_context_and_the_context_file_matches(site):
    document = json.loads((site / "id" / "project" / "olmo.jsonld").read_text())
    assert isinstance(document["@context"], dict)
    context = json.loads((site / "context.jsonld").read_text())["@context"]
    assert context["oo"] == "https://w3id.org/openness/ontology#"
    assert document["@context"] == context


def test_void_and_dumps(site):
    void = rdflib.Graph().parse(site / "void.ttl", format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    datasets = set(void.subjects(rdflib.RDF.type, VOID.Dataset))
    assert rdflib.URIRef("https://w3id.org/openness/void#dataset") in datasets
    triples = int(void.value(rdflib.URIRef("https://w3id.org/openness/void#dataset"), VOID.triples))
    dump = ox.parse(gzip.decompress((site / "dumps" / "openness.nt.gz").read_bytes()), format=ox.RdfFormat.N_TRIPLES)
    assert len(list(dump)) == triples
    assert len(rdflib.Graph().parse(site / "dumps" / "openness.ttl", format="turtle")) == triples


def test_ontology_page_has_an_anchor_per_term(site):
    html = (site / "ontology.html").read_text()
    for term in ("AIModel", "Licence", "hasRelease", "FinalParameters"):
        assert f'id="{term}"' in html
    assert 'href="../../ontology.html#AIModel"' in (site / "id" / "project" / "olmo.html").read_text()


def test_index_pages_link_resources(site):
    projects = (site / "projects.html").read_text()
    assert 'href="id/project/olmo.html"' in projects
    licences = (site / "licences.html").read_text()
    assert 'href="id/licence/apache-2-0.html"' in licences
    compare = (site / "compare.html").read_text()
    assert "OLMo" in compare and "Llama 2" in compare
    page = (site / "id" / "project" / "olmo.html").read_text()
    assert 'href="../../id/licence/apache-2-0.html"' in page


def test_hostile_labels_are_escaped_everywhere(site):
    pages = [site / "id" / "project" / "hostile.html", site / "id" / "licence" / "hostile-licence.html",
             site / "id" / "release" / "hostile-v1.html", site / "projects.html", site / "licences.html",
             site / "compare.html", site / "id" / "component" / "hostile-v1-final-parameters.html"]
    for page in pages:
        html = page.read_text()
        for hostile in HOSTILE_STRINGS:
            assert hostile not in html, f"{page.name} has raw {hostile}"
    project = (site / "id" / "project" / "hostile.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in project
    assert "&lt;img src=x onerror=alert(1)&gt;" in project


def test_a_failed_run_leaves_the_previous_site(site, tmp_path, monkeypatch):
    out = tmp_path / "site"
    publish(out, dataset=curated(), with_verdicts=False)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    import openness.linked_data.publish as module

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "void_triples", broken)
    with pytest.raises(RuntimeError):
        publish(out, dataset=curated(), with_verdicts=False)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OpennessError, match="not an Openness site"):
        publish(tmp_path, with_verdicts=False)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_base_iri_moves_instance_iris(tmp_path):
    out = tmp_path / "site"
    publish(out, base="https://example.org/oa/id/", dataset=curated(), with_verdicts=False)
    turtle = (out / "id" / "project" / "olmo.ttl").read_text()
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    subjects = {str(s) for s in graph.subjects()}
    assert "https://example.org/oa/id/project/olmo" in subjects
    assert not any(s.startswith("https://w3id.org/openness/id/") for s in subjects)
    assert "https://example.org/oa/void#dataset" in (out / "void.ttl").read_text()


def test_verdicts_are_shown_when_the_checker_exists(tmp_path):
    pytest.importorskip("openness.claims.verdicts")
    out = tmp_path / "site"
    from openness.graph.dataset import Dataset

    report = publish(out, dataset=Dataset.load(include_generated=False))
    assert report.verdicts > 0
    html = (out / "projects.html").read_text()
    assert "holds" in html


def test_stale_build_folders_of_killed_runs_are_cleaned(tmp_path):
    """A killed run leaves .OUT.*.tmp behind: old ones carrying publish's marker go, nothing else does."""
    import os
    import time

    from openness.linked_data.publish import BUILDING, STALE_AFTER, clean_stale_builds

    out = tmp_path / "site"
    killed, fresh, foreign, alive = (tmp_path / f".site.{n}.tmp" for n in ("killed", "fresh", "foreign", "alive"))
    for folder in (killed, fresh, foreign, alive):
        (folder / "id").mkdir(parents=True)
    (killed / BUILDING).write_text("some-other-host 1\n")
    (fresh / BUILDING).write_text("some-other-host 1\n")
    import socket
    (alive / BUILDING).write_text(f"{socket.gethostname()} {os.getpid()}\n")
    old = time.time() - STALE_AFTER - 60
    for folder in (killed, foreign, alive):
        for path in (folder, *folder.iterdir()):
            os.utime(path, (old, old))
    removed = clean_stale_builds(out)
    assert removed == [killed]
    assert not killed.exists() and fresh.exists() and foreign.exists() and alive.exists()


def test_republishing_refuses_files_a_user_added_unless_forced(tmp_path):
    out = tmp_path / "site"
    dataset = curated()
    publish(out, dataset=dataset, with_verdicts=False)
    (out / "my-notes.txt").write_text("mine")
    (out / "id" / "extra.html").write_text("mine too")
    with pytest.raises(OpennessError, match="my-notes.txt") as caught:
        publish(out, dataset=dataset, with_verdicts=False)
    assert "id/extra.html" in caught.value.message and (out / "my-notes.txt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    publish(out, dataset=dataset, with_verdicts=False, force=True)
    assert not (out / "my-notes.txt").exists() and (out / MARKER).exists()
    publish(out, dataset=dataset, with_verdicts=False)   # its own files are never "added"


def test_publish_refuses_a_symlink_as_the_site(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "site"
    link.symlink_to(real)
    with pytest.raises(OpennessError, match="symbolic link"):
        publish(link, dataset=curated(), with_verdicts=False)
    assert link.is_symlink() and not any(real.iterdir())

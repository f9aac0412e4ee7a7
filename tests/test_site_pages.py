"""The site's matrix, project, compare, licence, methodology and Figure 2 pages, from the HTML `publish`
writes; verdict dicts in both forms (before and after three-valued verdicts) render the same way."""

from __future__ import annotations

import json
import re

import pytest

from openness.linked_data.publish import publish
from openness.linked_data.site_data import adapt, outcome_chart

OLMO = "https://w3id.org/openness/id/project/olmo"
LLAMA = "https://w3id.org/openness/id/project/llama-2"


def old_verdict(project, claim, conforms, severity="Violation"):
    results = [] if conforms else [{"severity": severity, "focus": project, "path": "https://w3id.org/openness/ontology#availability",
                                    "value": None, "message": f"{claim} is not met here", "shape": "s", "rule": "R1"}]
    return {"project": project, "label": project.rsplit("/", 1)[-1], "claim": claim, "conforms": conforms,
            "interpretations": ["an interpretation"], "results": results}


def new_verdict(project, claim, verdict):
    results = {"holds": [], "does-not-hold": [{"outcome": "refutes", "rule": "R1", "message": f"{claim}: a licence forbids it",
                                                "requirement": "r", "severity": "Violation", "focus": project, "path": None,
                                                "value": None, "shape": "s",
                                                "fact": {"subject": project, "property": "p", "value": "v"},
                                                "evidence": [{"source": "https://example.org/licence-page", "checked_on": "2026-11-20"}]}],
               "undetermined": [{"outcome": "unknown", "rule": "R2", "message": f"{claim}: the data licence is not stated",
                                 "requirement": "r", "severity": "Unknown", "focus": project, "path": None, "value": None,
                                 "shape": "s", "fact": {"subject": project, "property": "p", "value": None}, "evidence": []}]}[verdict]
    return {"project": project, "label": "x", "claim": claim, "verdict": verdict, "conforms": verdict == "holds",
            "summary": {"not_met": int(verdict == "does-not-hold"), "unknown": int(verdict == "undetermined"), "warnings": 0},
            "interpretations": [], "results": results}


def test_adapter_derives_the_three_valued_form_only_when_missing():
    old = adapt(old_verdict(OLMO, "osaid-1.0", False))
    assert old["verdict"] == "does-not-hold" and old["results"][0]["outcome"] == "refutes"
    assert old["summary"] == {"not_met": 1, "unknown": 0, "warnings": 0}
    assert old["results"][0]["fact"]["property"].endswith("#availability")
    assert adapt(old_verdict(OLMO, "osaid-1.0", True))["verdict"] == "holds"
    assert adapt(old_verdict(OLMO, "x", False, "Warning"))["results"][0]["outcome"] == "warning"
    new = new_verdict(OLMO, "osaid-1.0", "undetermined")
    assert adapt(new) == new


def test_chart_counts_and_escapes():
    svg = outcome_chart([{"id": "<b>", "title": "t", "holds": 3, "does-not-hold": 1, "undetermined": 2}])
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "3 holds, 1 does not hold, 2 undetermined" in svg
    assert svg.count("<rect") == 3


@pytest.fixture(scope="module")
def site(tmp_path_factory, monkeypatch_module):
    """The curated graph published with three-valued verdicts (as claims.service will give them)."""
    from openness.graph.dataset import Dataset
    import openness.linked_data.publish as module

    verdicts = [new_verdict(OLMO, "osaid-1.0", "undetermined"), new_verdict(OLMO, "open-weights", "holds"),
                new_verdict(LLAMA, "osaid-1.0", "does-not-hold"), new_verdict(LLAMA, "open-weights", "does-not-hold")]
    monkeypatch_module.setattr(module, "compute_verdicts", lambda dataset: (verdicts, None))
    out = tmp_path_factory.mktemp("site-pages") / "site"
    publish(out, dataset=Dataset.load(include_generated=False))
    return out


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_matrix_cells_carry_outcome_text_and_class(site):
    html = (site / "index.html").read_text()
    assert 'src="static/matrix.js"' in html and (site / "static" / "matrix.js").is_file()
    olmo = re.search(r'<tr data-kind="ai-model"[^>]*>\s*<th scope="row"><a href="id/project/olmo.html">OLMo</a>.*?</tr>', html, re.S).group(0)
    assert 'class="cell o-undetermined" data-column="osaid-1.0" data-outcome="undetermined"' in olmo
    assert '>undetermined</a>' in olmo and '>holds</a>' in olmo
    assert 'href="id/project/olmo.html#claim-osaid-1.0"' in olmo
    assert 'data-column="FinalParameters" data-outcome="public"' in olmo
    assert "<svg" in html and "1 does not hold" in html  # the chart: osaid-1.0 over OLMo and Llama 2


def test_project_page_badges_reasons_evidence_and_sources(site):
    html = (site / "id" / "project" / "llama-2.html").read_text()
    assert 'class="badge o-does-not-hold" href="#claim-osaid-1.0"' in html
    assert 'id="claim-osaid-1.0"' in html and "osaid-1.0: a licence forbids it" in html
    assert "https://example.org/licence-page" in html and "read 2026-11-20" in html
    assert 'href="../../methodology.html#claim-osaid-1.0"' in html
    assert "Recorded claims" in html and "data/projects/llama-2.ttl" in html
    assert re.search(r"<li><a href=\"https://[^\"]+\" rel=\"nofollow\">[^<]+</a>, read 20\d\d-\d\d-\d\d</li>", html)
    olmo = (site / "id" / "project" / "olmo.html").read_text()
    assert "osaid-1.0: the data licence is not stated" in olmo and "badge o-undetermined" in olmo


def test_project_page_lists_only_its_own_sources(site):
    """The Sources section names what the project, its releases and their components cite, not the
    sources of every other project in the graph."""
    html = (site / "id" / "project" / "llama-2.html").read_text()
    listed = re.findall(r'<li><a href="([^"]+)" rel="nofollow">', html.split('<h2 id="sources">')[1].split("</ul>")[0])
    assert any("github.com/meta-llama/llama" in href for href in listed)
    assert not [href for href in listed if "allenai" in href or "olmo" in href.lower()]


def test_recorded_claims_are_marked_by_their_verdict(site):
    html = (site / "id" / "project" / "llama-2.html").read_text()
    table = html.split('id="recorded"')[1].split("</table>")[0]
    statuses = re.findall(r'<span class="badge [^"]+">(supported|refuted|unverified)', table)
    assert statuses, "Llama 2 has recorded claims"
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table, re.S)
    for row in rows:
        if "Open Source AI (OSAID 1.0)" in row:
            assert "refuted (open-washing)" in row
        elif "osaid" not in row and "Open weights (strict)" not in row:
            assert "unverified" in row  # claims this build did not check


def test_compare_json_and_default_pair(site):
    data = json.loads((site / "compare.json").read_text())
    assert data["projects"]["olmo"]["verdicts"] == {"osaid-1.0": "undetermined", "open-weights": "holds"}
    assert data["projects"]["llama-2"]["components"]["FinalParameters"]["class"] == "gated"
    assert [c["id"] for c in data["claims"]] == ["osaid-1.0", "open-weights"]
    html = (site / "compare.html").read_text()
    assert 'src="static/compare.js"' in html
    assert re.search(r'<tr class="diff"><th scope="row">Open Source AI \(OSAID 1\.0\) \(osaid-1\.0\)</th>'
                     r'<td class="o-undetermined">undetermined</td><td class="o-does-not-hold">does not hold</td>', html)


def test_licence_page_terms_strings_and_users(site):
    html = (site / "id" / "licence" / "licenseref-scancode-llama-2-license-2023.html").read_text()
    main = html.split("<h2>What the graph states</h2>")[0]
    for heading in ("Permissions", "Duties", "Prohibitions", "Strings attached", "Projects using it"):
        assert f"<h3>{heading}</h3>" in main
    assert '<span class="label">User cap: above 700,000,000 monthly active users</span>' in main
    assert 'href="../../id/project/llama-2.html">Llama 2</a>' in main


def test_methodology_and_figure_2(site):
    html = (site / "methodology.html").read_text()
    for claim in ("osaid-1.0", "open-weights", "mof-class-3"):
        assert f'id="claim-{claim}"' in html
    assert "not legal advice" in html and 'id="corrections"' in html and "undetermined" in html
    assert "oo:checkedOn" in html
    figure = (site / "figure-2.html").read_text()
    assert figure.count("<tr><th scope=\"row\">") == 16  # eight examples, in both grids
    assert "≠ article" in figure

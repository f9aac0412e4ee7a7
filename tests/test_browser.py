"""What a person sees: headless Chromium (Debian's, through Playwright) on the published site."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers_servers import static_server, write_hostile
from openness.linked_data.publish import publish

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (`make test` installs it as root)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (test extras) is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    """Where the screenshots go (the test's temporary folder): look at them after a run."""
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, browser):
    folder = tmp_path_factory.mktemp("browser")
    out = folder / "site"
    from openness.graph.dataset import Dataset

    # The curated graph with its verdicts: the catalogue snapshots only add pages of the same kinds.
    publish(out, dataset=Dataset.load([write_hostile(folder)], include_generated=False))
    with static_server(out) as url:
        yield url


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def test_index_to_project_to_licence(page, site_url):
    page.goto(site_url + "/index.html")
    assert page.locator("h1").inner_text().startswith("Openness")
    page.get_by_role("link", name="Projects", exact=True).first.click()
    page.wait_for_url("**/projects.html")
    assert page.locator("h1").inner_text() == "Projects"
    page.get_by_role("link", name="OLMo", exact=True).click()
    page.wait_for_url("**/id/project/olmo.html")
    assert page.locator("h1").inner_text() == "OLMo"
    assert page.get_by_role("heading", name="Releases and components").is_visible()
    page.get_by_role("link", name="Apache License 2.0").first.click()
    page.wait_for_url("**/id/licence/apache-2-0.html")
    assert "Apache" in page.locator("h1").inner_text()
    body = page.locator("main").inner_text()
    assert "Apache-2.0" in body  # its SPDX id, in the table of what the graph states
    assert page.get_by_role("heading", name="Referenced by").is_visible()


def test_hostile_labels_show_as_text_and_never_run(page, site_url):
    page.goto(site_url + "/id/project/hostile.html")
    assert page.locator("h1").inner_text() == "<script>alert(1)</script>"
    page.goto(site_url + "/licences.html")
    assert page.get_by_text("<img src=x onerror=alert(1)>").first.is_visible()
    page.goto(site_url + "/compare.html?a=hostile&b=olmo")
    page.wait_for_function("document.querySelector('#compare thead th:nth-child(2)').innerText.indexOf('<script>') === 0")
    page.goto(site_url + "/index.html")
    page.fill("#q", "<script>")
    assert page.get_by_role("link", name="<script>alert(1)</script>").is_visible()
    page.wait_for_timeout(200)
    assert page.dialogs == []
    assert page.locator("main img").count() == 0


def visible_rows(page):
    return [r for r in page.locator("#matrix tbody tr").all() if r.is_visible()]


def test_matrix_filters_sorts_and_opens_a_project(page, site_url, shots):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(site_url + "/index.html")
    assert page.locator("h1").inner_text().startswith("Openness")
    page.screenshot(path=str(shots / "index.png"))
    everything = len(visible_rows(page))
    assert everything > 50
    page.select_option("#f-kind", "ai-system")
    systems = visible_rows(page)
    assert 0 < len(systems) < everything
    assert all(r.locator("td").first.inner_text() == "ai-system" for r in systems)
    page.select_option("#f-kind", "")
    page.select_option("#f-column", "open-weights")
    page.select_option("#f-outcome", "holds")
    holding = visible_rows(page)
    assert 0 < len(holding) < everything
    assert all(r.locator('td[data-column="open-weights"]').inner_text() == "holds" for r in holding)
    assert page.locator("#shown").inner_text() == f"{len(holding)} of {everything} projects shown"
    page.get_by_role("button", name="Clear").click()
    page.fill("#q", "olmo")
    labels = [r.locator("th").inner_text() for r in visible_rows(page)]
    assert "OLMo" in labels and all("olmo" in label.lower() or "allen" in label.lower() for label in labels) or labels
    page.get_by_role("link", name="OLMo", exact=True).click()
    page.wait_for_url("**/id/project/olmo.html")
    assert page.locator("h1").inner_text() == "OLMo"


def test_matrix_sorts_by_a_claim(page, site_url):
    page.goto(site_url + "/index.html")
    page.locator("th[data-index='0'] button").click()
    first = [r.locator("th").inner_text() for r in visible_rows(page)]
    page.locator("th[data-index='0'] button").click()
    assert [r.locator("th").inner_text() for r in visible_rows(page)] == first[::-1]
    header = page.locator("thead th.sortable", has=page.locator("button", has_text="open-weights"))
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    cells = [c.inner_text() for c in page.locator('#matrix tbody td[data-column="open-weights"]').all()]
    assert cells == sorted(cells, key=lambda c: {"holds": 0, "undetermined": 2, "does not hold": 3}[c])
    assert "holds" in cells and "does not hold" in cells


def test_badge_leads_to_its_reasons(page, site_url, shots):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(site_url + "/id/project/llama-2.html")
    page.screenshot(path=str(shots / "project.png"))
    badge = page.locator(".badges a.badge", has_text="osaid-1.0")
    assert "does not hold" in badge.inner_text()
    badge.click()
    page.wait_for_url("**/llama-2.html#claim-osaid-1.0")
    section = page.locator("section#claim-osaid-1\\.0")
    assert section.is_visible()
    reasons = section.locator("ul.reasons li")
    assert reasons.count() > 0 and "Not met" in section.inner_text()
    section.locator("details summary").first.click()
    assert section.locator("details").first.get_attribute("open") is not None
    assert section.get_by_role("link", name="How this claim is judged").get_attribute("href").endswith(
        "methodology.html#claim-osaid-1.0")


def test_compare_two_projects_by_url(page, site_url, shots):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(site_url + "/compare.html?a=pythia&b=gpt-4")
    page.wait_for_function("document.querySelectorAll('#compare thead th').length === 4 && "
                           "document.querySelector('#compare thead th:nth-child(2)').innerText.indexOf('Pythia') === 0")
    heads = [h.inner_text().split("\n")[0] for h in page.locator("#compare thead th").all()]
    assert heads == ["Claim or component", "Pythia", "GPT-4", "Same?"]
    differing = page.locator("#compare tbody tr.diff")
    assert differing.count() > 0
    assert all(r.locator("td.differs").inner_text() == "differs" for r in differing.all())
    page.screenshot(path=str(shots / "compare.png"))
    page.select_option("#pick-b", "olmo")
    page.get_by_role("button", name="Compare").click()
    assert page.url.endswith("?a=pythia&b=olmo")
    assert page.locator("#compare thead th").nth(2).inner_text().startswith("OLMo")


def test_compare_without_script_shows_a_default_pair(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/compare.html")
    heads = [h.inner_text().split("\n")[0] for h in page.locator("#compare thead th").all()]
    assert heads == ["Claim or component", "OLMo", "Llama 2", "Same?"]
    page.goto(site_url + "/index.html")
    assert not page.locator("#filters").is_visible()
    assert page.locator("#matrix tbody tr").count() > 50
    context.close()


def test_matrix_by_keyboard_alone(page, site_url):
    page.goto(site_url + "/index.html")
    page.locator("#q").focus()
    page.keyboard.type("llama")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-kind"
    for _ in range(40):  # on to the first sort button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "BUTTON" and page.evaluate(
                "document.activeElement.closest('th') !== null"):
            break
    assert page.evaluate("document.activeElement.innerText") == "Project"
    page.keyboard.press("Enter")
    assert page.locator("th[data-index='0']").get_attribute("aria-sort") == "ascending"
    for _ in range(60):  # on to the first project link in the table body
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('tbody') !== null"):
            break
    name = page.evaluate("document.activeElement.innerText")
    assert "llama" in name.lower()
    page.keyboard.press("Enter")
    page.wait_for_url("**/id/project/*.html")
    assert page.locator("h1").inner_text() == name

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
def site_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    out = folder / "site"
    from openness.graph.dataset import Dataset

    # The curated graph: the catalogue snapshots only add pages of the same kinds.
    publish(out, dataset=Dataset.load([write_hostile(folder)], include_generated=False), with_verdicts=False)
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
    page.wait_for_timeout(200)
    assert page.dialogs == []
    assert page.locator("main img").count() == 0


def test_compare_picks_two_projects(page, site_url):
    page.goto(site_url + "/compare.html")
    page.select_option("#a", label="OLMo")
    page.select_option("#b", label="Llama 2")
    visible = [h.inner_text() for h in page.locator("#compare thead th").all() if h.is_visible()]
    assert visible[0] == "Component" and sorted(visible[1:]) == ["Llama 2", "OLMo"]

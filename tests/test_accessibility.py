"""Accessibility of the site without a browser: contrast of the outcome colours computed from the
style sheet (WCAG AA, 4.5:1 for text), and a label for every form control of the published pages.
Keyboard-only use of the matrix is in test_browser.py (test_matrix_by_keyboard_alone)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from openness.linked_data.pages import STATIC_DIR

OUTCOME_CLASSES = ["o-holds", "o-does-not-hold", "o-undetermined", "a-public", "a-gated", "a-closed", "a-unknown"]


def rules(css: str) -> dict[str, dict[str, str]]:
    """Selector -> declarations, for every plain rule (selectors split on commas)."""
    out: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)):
        declarations = dict((k.strip(), v.strip()) for k, v in
                            (d.split(":", 1) for d in body.split(";") if ":" in d))
        for selector in selectors.split(","):
            out.setdefault(selector.strip(), {}).update(declarations)
    return out


def luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_of_the_known_pairs():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # the classic just-fails grey


@pytest.mark.parametrize("css_class", OUTCOME_CLASSES)
def test_outcome_colours_meet_wcag_aa(css_class):
    found = rules((STATIC_DIR / "site.css").read_text())
    declared = found.get("." + css_class)
    assert declared, f".{css_class} has no rule in site.css"
    ratio = contrast(declared["color"], declared["background"])
    assert ratio >= 4.5, f".{css_class}: {declared['color']} on {declared['background']} is {ratio:.2f}:1"


def test_chart_numbers_are_readable_on_their_bars():
    found = rules((STATIC_DIR / "site.css").read_text())
    text = found["svg.chart .chart-n"]["fill"]
    for bar in ("svg.chart rect.o-holds", "svg.chart rect.o-does-not-hold", "svg.chart rect.o-undetermined"):
        assert contrast(text, found[bar]["fill"]) >= 4.5, bar


class Controls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict] = []
        self.labels: set[str] = set()
        self.open_labels = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.labels.add(attrs["for"])
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit", "reset", "button"):
            self.controls.append({**attrs, "_tag": tag, "_wrapped": self.open_labels > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from openness.graph.dataset import Dataset
    from openness.linked_data.publish import publish

    out = tmp_path_factory.mktemp("a11y") / "site"
    publish(out, dataset=Dataset.load(include_generated=False), with_verdicts=False)
    return out


@pytest.mark.parametrize("page", ["index.html", "compare.html", "catalogue.html"])
def test_every_form_control_has_a_label(site, page):
    parser = Controls()
    parser.feed((site / page).read_text())
    if page != "catalogue.html":
        assert parser.controls, f"{page} has no form controls"
    for control in parser.controls:
        assert control.get("id") in parser.labels or control.get("aria-label") or control["_wrapped"], control


def test_no_inline_script_or_handler(site):
    for page in ["index.html", "compare.html", "methodology.html", "figure-2.html", "id/project/olmo.html"]:
        html = (site / page).read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page
        assert not re.search(r"\son[a-z]+=", html), page
        assert "http://" not in re.sub(r'(href|content)="[^"]*"', "", html).split("<main>")[0], page

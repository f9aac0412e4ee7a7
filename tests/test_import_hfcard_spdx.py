"""hf-card importer on written cards (nothing downloaded), and the SPDX/ScanCode licence snapshot."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "hf"
ROOT = Path(__file__).resolve().parents[1]
OO = "https://w3id.org/openness/ontology#"


def _select(out: Path, text: str):
    from openness.graph.dataset import Dataset

    return Dataset.load([ROOT / "ontology" / "openness.ttl", out], bundled=False).select(text)


def test_card_states_licence_and_lists_what_it_does_not_say(tmp_path, run_cli):
    out = tmp_path / "card.ttl"
    code, _, err = run_cli("import", "hf-card", str(FIXTURES / "README.md"), "--id", "example-org/example-chat-1b",
                           "--retrieved", "2026-06-01", "--out", str(out))
    assert code == 0, err
    names, rows = _select(out, """PREFIX oo: <https://w3id.org/openness/ontology#> PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?lic WHERE { ?p oo:currentRelease ?r . ?r oo:hasComponent ?c .
                            ?c oo:componentKind oo:FinalParameters ; dct:license ?lic }""")
    assert [r[0].value for r in rows] == ["https://w3id.org/openness/id/licence/apache-2-0"]
    names, rows = _select(out, """PREFIX oo: <https://w3id.org/openness/ontology#>
        SELECT ?k WHERE { ?r oo:notStated ?k } ORDER BY ?k""")
    unstated = {r[0].value.removeprefix(OO) for r in rows}
    assert {"TrainingCode", "DataPreprocessingCode", "TechnicalReport"} <= unstated
    assert "EvaluationResults" not in unstated and "Datasets" not in unstated
    # Availability of the weights is not in the front matter: left unknown, never assumed public.
    names, rows = _select(out, """PREFIX oo: <https://w3id.org/openness/ontology#>
        SELECT ?a WHERE { ?c oo:componentKind oo:FinalParameters . OPTIONAL { ?c oo:availability ?a } }""")
    assert rows == [[None]]


def test_card_without_licence(tmp_path, run_cli):
    out = tmp_path / "card.ttl"
    code, _, err = run_cli("import", "hf-card", str(FIXTURES / "no-licence.md"), "--id", "x/y",
                           "--retrieved", "2026-06-01", "--out", str(out))
    assert code == 0 and "licence" in err
    assert "dct:license" not in out.read_text(encoding="utf-8")


def test_card_malformed_front_matter(tmp_path, run_cli):
    card = tmp_path / "README.md"
    card.write_text("---\nlicense: mit\ndatasets: [a\n---\n", encoding="utf-8")
    out = tmp_path / "o.ttl"
    code, _, err = run_cli("import", "hf-card", str(card), "--retrieved", "2026-06-01", "--out", str(out))
    assert code == 2 and "README.md:" in err and not out.exists()


def test_normaliser():
    from openness.importers.spdx import Normaliser

    n = Normaliser()
    assert n.normalise("Apache 2.0").ids == ("Apache-2.0",)
    assert n.normalise("MIT License").ids == ("MIT",)
    assert n.normalise("BSD-3").ids == ("BSD-3-Clause",)
    assert n.normalise("Modified MIT License") is None           # not MIT
    assert n.normalise("CreativeML Open RAIL++-M License") is None  # not OpenRAIL-M
    both = n.normalise("Apache-2.0 AND CC-BY-4.0")
    assert both.ids == ("Apache-2.0", "CC-BY-4.0") and both.expression == "Apache-2.0 AND CC-BY-4.0"
    gpl = n.normalise("GPL-2.0-or-later WITH Classpath-exception-2.0")
    assert gpl.ids == ("GPL-2.0-or-later", "Classpath-exception-2.0")


def test_spdx_snapshot(tmp_path, run_cli):
    out = tmp_path / "spdx.ttl"
    code, _, err = run_cli("import", "spdx", "--out", str(out))
    assert code == 0, err
    names, rows = _select(out, """PREFIX oo: <https://w3id.org/openness/ontology#>
        SELECT ?osi ?fsf ?key WHERE { <https://w3id.org/openness/id/licence/apache-2-0> oo:osiApproved ?osi ;
            oo:fsfLibre ?fsf ; oo:scancodeKey ?key }""")
    assert [[t.value for t in r] for r in rows] == [["true", "true", "apache-2.0"]]
    text = out.read_text(encoding="utf-8")
    assert "licenseref-scancode-llama-2-license-2023" in text and "openmdw" in text
    assert text.splitlines()[1] == f"# Made by: openness import spdx --out {out}"


def test_bundled_snapshot_is_current():
    """data/generated/spdx-licences.ttl is what `openness import spdx` makes now (never hand-edited)."""
    from openness.importers.spdx import build_spdx, spdx_header

    g, _ = build_spdx()
    committed = (ROOT / "data" / "generated" / "spdx-licences.ttl").read_text(encoding="utf-8")
    assert g.turtle(spdx_header("openness import spdx --update-bundled")) == committed

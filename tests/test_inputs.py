"""A publisher's typo is bad input, never a verdict: `validate --file` checks the file's terms,
licences and value kinds before judging it (exit 2 with the closest known names), and a string that
is exactly a known licence's SPDX id is read as that licence with a notice. Cases are files in
tests/cases/inputs/, each examples/my-release.ttl with one mistake."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from click.testing import CliRunner

from openness.cli import cli

CASES = Path(__file__).parent / "cases" / "inputs"
MISTAKES = {
    "unknown-licence-iri.ttl": ["licence:apache-2.0", "did you mean licence:apache-2-0"],
    "licence-as-free-text.ttl": ['"Apache 2" is a string, not a licence', "Apache-2.0"],
    "unknown-component-kind.ttl": ["oo:TrainingCod", "did you mean oo:TrainingCode?"],
    "unknown-availability.ttl": ["oo:Open", "oo:Public"],
    "dct-licence-misspelt.ttl": ["unknown property dct:licence", "did you mean dct:license"],
    "blank-node-project.ttl": ["blank node"],
    # The integrity shapes (shapes/integrity.ttl, run set-based on the store by core_sparql):
    "integrity-missing-label.ttl": ["<https://example.org/my-model/project>: A project needs an rdfs:label"],
    "integrity-two-current-releases.ttl": ["<https://example.org/my-model/project>: A project has at most one "
                                           "current release, an oo:Release"],
}


def run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_publisher_mistake_is_bad_input_with_a_suggestion(name):
    code, out, err = run("validate", "--file", str(CASES / name), "--claim", "osaid-1.0")
    assert code == 2, (out, err)
    assert out == ""
    line = err.strip()
    assert "\n" not in line and "Traceback" not in line
    assert str(CASES / name) in line
    for expected in MISTAKES[name]:
        assert expected in line, line


def test_a_licence_string_that_is_an_spdx_id_is_read_as_that_licence():
    code, out, err = run("validate", "--file", str(CASES / "licence-as-spdx-string.ttl"), "--claim", "osaid-1.0",
                         "--format", "json")
    assert 'dct:license "MIT" is read as licence:mit' in err
    assert code == 0, err  # MIT is OSI-approved: the claim is judged with the licence, and holds


def test_the_same_mistake_in_a_data_file_is_caught_by_every_command():
    code, out, err = run("projects", "--data", str(CASES / "unknown-component-kind.ttl"))
    assert code == 2 and "oo:TrainingCod" in err


def test_the_complete_example_passes_the_checks():
    code, _, err = run("validate", "--file", "examples/my-release.ttl", "--claim", "osaid-1.0")
    assert code == 0, err


def test_a_store_remembers_a_clean_catalogue_and_rechecks_it_once_changed(tmp_path, monkeypatch):
    """With --store, a catalogue that passed the checks is not checked again on every command (the
    check over a large catalogue costs far more than one verdict); a changed file is checked again."""
    from openness.claims import inputs

    data = tmp_path / "mine.ttl"
    data.write_text((Path(__file__).parents[1] / "examples" / "my-release.ttl").read_text())
    store = str(tmp_path / "store")
    args = ["validate", "https://example.org/my-model/project", "--claim", "osaid-1.0", "--data", str(data), "--store", store]
    checked = []
    original = inputs._integrity
    monkeypatch.setattr(inputs, "_integrity", lambda *a: checked.append(a[2]) or original(*a))
    first = run(*args)
    assert first[0] in (0, 1, 3), first
    gc.collect()  # the first command's store, closed as a process ending would close it
    second = run(*args)
    assert second == first and len(checked) == 1
    mistake = (CASES / "unknown-availability.ttl").read_text()
    data.write_text(mistake)
    gc.collect()
    code, out, err = run(*args)
    assert code == 2 and "oo:Open" in err

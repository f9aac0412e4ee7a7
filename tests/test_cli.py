"""The command-line contract: help, versions, JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from openness.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def all_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


COMMANDS = list(all_commands())


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p))
def test_every_command_has_help_with_a_summary_and_an_example(path, run_cli):
    code, out, err = run_cli(*path, "--help")
    assert code == 0, err
    command = dict(COMMANDS)[path]
    assert command.get_short_help_str().strip(), "a one-line summary"
    if not isinstance(command, click.Group):
        assert "Example" in out, f"`openness {' '.join(path)} --help` shows an example"


def test_readme_documents_every_command():
    readme = (ROOT / "README.md").read_text()
    for path, command in COMMANDS:
        if isinstance(command, click.Group):
            continue
        assert f"openness {' '.join(path)}" in readme, f"README's usage lacks `openness {' '.join(path)}`"


def test_version(run_cli):
    from openness import __version__

    code, out, _ = run_cli("--version")
    assert code == 0 and out.strip() == f"openness {__version__}"


def test_projects_json_shape(run_cli):
    code, out, _ = run_cli("projects", "--format", "json")
    assert code == 0
    items = json.loads(out)
    assert len(items) >= 40
    assert all(list(item) == ["id", "iri", "label", "kind", "identifier"] for item in items)
    olmo = next(i for i in items if i["id"] == "olmo")
    assert olmo == {"id": "olmo", "iri": "https://w3id.org/openness/id/project/olmo", "label": "OLMo",
                    "kind": "ai-model", "identifier": None}
    assert [i["id"] for i in items] == sorted(i["id"] for i in items)


def test_query_run_json_is_plain_values(run_cli):
    code, out, _ = run_cli("query", "run", "figure-2-spectrum", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows[0]["example"] == "Firefox" and rows[0]["use"] is True and rows[0]["study"] is False


def test_query_run_csv_and_table(run_cli):
    code, out, _ = run_cli("query", "run", "figure-2-spectrum", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "example,study,use,access,copy_make,modify,distribute,collaborate,notes"
    code, out, _ = run_cli("query", "run", "figure-2-spectrum")
    assert code == 0 and "Raspberry" in out and "8 rows" in out


def test_query_list_and_show(run_cli):
    code, out, _ = run_cli("query", "list", "--format", "json")
    names = [q["name"] for q in json.loads(out)]
    assert code == 0 and "compare-projects" in names
    code, out, _ = run_cli("query", "show", "compare-projects")
    assert code == 0 and out.startswith("#+ title:")


def test_show_by_label_and_json(run_cli):
    code, out, _ = run_cli("show", "llama 2", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["project"]["id"] == "llama-2"
    assert any(c["component"] == "Final parameters" for c in data["components"])
    code, out, _ = run_cli("show", "olmo")
    assert code == 0 and "Releases and components" in out


def test_sparql_ad_hoc_and_from_file(run_cli, tmp_path):
    code, out, _ = run_cli("sparql", "ASK { ?s ?p ?o }", "--format", "json")
    assert code == 0 and json.loads(out) is True
    query = tmp_path / "q.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/openness/ontology#Freedom> }")
    code, out, _ = run_cli("sparql", str(query), "--format", "json")
    assert code == 0 and json.loads(out) == [{"n": 7}]


# --- bad input: one line on stderr, exit 2, no traceback ---------------------------------------

def _one_line_error(code, out, err):
    assert code == 2, (out, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("openness: error:"), err
    assert "Traceback" not in err + out


def test_malformed_rdf_names_file_and_line(run_cli, tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated .\n')
    code, out, err = run_cli("projects", "--data", str(bad))
    _one_line_error(code, out, err)
    assert f"{bad}:3" in err


def test_unknown_file_extension_and_missing_path(run_cli, tmp_path):
    odd = tmp_path / "notes.txt"
    odd.write_text("hello")
    _one_line_error(*run_cli("projects", "--data", str(odd)))
    _one_line_error(*run_cli("projects", "--data", str(tmp_path / "missing.ttl")))


def test_unknown_query_suggests_close_names(run_cli):
    code, out, err = run_cli("query", "run", "figure-2-spectrm")
    _one_line_error(code, out, err)
    assert "figure-2-spectrum" in err


def test_bad_param(run_cli):
    code, out, err = run_cli("query", "run", "compare-projects", "--param", "a")
    _one_line_error(code, out, err)
    assert "NAME=VALUE" in err
    code, out, err = run_cli("query", "run", "compare-projects", "--param", "a=olmo")
    _one_line_error(code, out, err)
    assert "needs --param b" in err
    code, out, err = run_cli("query", "run", "compare-projects", "--param", "a=olmo", "--param", "b=llama-22")
    _one_line_error(code, out, err)
    assert "unknown project 'llama-22'" in err and "llama-2" in err


def test_ambiguous_label_lists_the_projects(run_cli, tmp_path):
    twin = tmp_path / "twin.ttl"
    twin.write_text('@prefix oo: <https://w3id.org/openness/ontology#> .\n'
                    '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                    '<https://example.org/another-olmo> a oo:AIModel ; rdfs:label "OLMo" .\n')
    code, out, err = run_cli("show", "OLMo", "--data", str(twin))
    _one_line_error(code, out, err)
    assert "https://example.org/another-olmo" in err and "https://w3id.org/openness/id/project/olmo" in err


def test_sparql_syntax_error(run_cli):
    _one_line_error(*run_cli("sparql", "SELECT WHERE {"))


def test_console_script_runs_without_traceback(tmp_path):
    exe = Path(sys.executable).with_name("openness")
    bad = tmp_path / "broken.nt"
    bad.write_text("<a> <b> .\n")
    proc = subprocess.run([str(exe), "projects", "--data", str(bad)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and str(bad) in proc.stderr


def test_readme_carries_the_release_example_verbatim():
    example = (ROOT / "examples" / "my-release.ttl").read_text().rstrip("\n")
    assert example in (ROOT / "README.md").read_text(), "README's copy of examples/my-release.ttl has drifted"

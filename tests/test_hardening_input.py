"""Issue 11, the input and command-line side: each test fails on the code before the fix it covers."""

from __future__ import annotations

import json
import os
import re
import stat
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from openness.errors import OpennessError
from openness.files import write_atomically
from openness.text import clean, markdown_cell, table

ROOT = Path(__file__).resolve().parents[1]
OO = "@prefix oo: <https://w3id.org/openness/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"


# --- 5, 6: control characters and markdown ----------------------------------------------------

def test_control_characters_are_neutralised_keeping_newlines_and_tabs():
    text = "a\x1b[2J\x1b]0;pwned\x07b\tc\nd\x9b31m\x7f\r"
    out = clean(text)
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\x7f" not in out and "\r" not in out
    assert "\\u001b[2J" in out and "\tc\nd" in out
    # JSON stays JSON: a raw C1 character becomes an escape of itself.
    assert json.loads(clean(json.dumps({"k": "x\x85y"}, ensure_ascii=False))) == {"k": "x\x85y"}


def test_tables_neutralise_control_characters():
    rendered = table(["col\x1b[31m"], [["evil\x1b]0;title\x07"]], title="t\x1b[2J")
    assert "\x1b" not in rendered and "\x07" not in rendered


def test_show_and_errors_neutralise_escape_sequences(tmp_path, run_cli):
    data = tmp_path / "esc.ttl"
    data.write_text(OO + '<https://example.org/p/esc> a oo:AIModel ; rdfs:label "Evil\\u001b[2J\\u001b]0;pwned\\u0007 x" .\n',
                    encoding="utf-8")
    code, out, err = run_cli("show", "https://example.org/p/esc", "--data", str(data))
    assert code == 0 and "\x1b" not in out and "\x07" not in out and "Evil\\u001b[2J" in out
    code, out, err = run_cli("projects", "--data", str(data))
    assert code == 0 and "\x1b" not in out
    code, out, err = run_cli("show", "no\x1b[2Jsuch", "--data", str(data))
    assert code == 2 and "\x1b" not in err


def test_markdown_cells_carry_no_html_and_no_links():
    cell = markdown_cell('<script>alert(1)</script> [click](javascript:alert(1)) <javascript:x> a|b\nc')
    assert "<script" not in cell and "<javascript" not in cell and not re.search(r"(?<!\\)\]\(", cell)
    assert "&lt;script&gt;" in cell and "\\|" in cell and "\n" not in cell


def test_report_markdown_escapes_labels(tmp_path, bundled):
    from openness.claims.report import render

    verdicts = [{"project": "https://example.org/p/x", "label": '<img src=x onerror=alert(1)> [a](javascript:alert(1))',
                 "claim": "open-weights", "conforms": True}]
    text = render(bundled, verdicts, "markdown")
    assert "<img" not in text and not re.search(r"(?<!\\)\]\(javascript", text)


# --- 9: --out writes only regular files -------------------------------------------------------

def test_out_keeps_mode_and_replaces_a_regular_file(tmp_path):
    out = tmp_path / "o.ttl"
    out.write_text("old")
    out.chmod(0o640)
    write_atomically(out, "new")
    assert out.read_text() == "new" and stat.S_IMODE(out.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.ttl"]


@pytest.mark.parametrize("kind", ["fifo", "symlink", "dangling", "folder"])
def test_out_refuses_anything_but_a_regular_file(tmp_path, kind):
    target = tmp_path / "real.ttl"
    target.write_text("keep")
    out = tmp_path / "out"
    if kind == "fifo":
        os.mkfifo(out)
    elif kind == "symlink":
        out.symlink_to(target)
    elif kind == "dangling":
        out.symlink_to(tmp_path / "nowhere")
    else:
        out.mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(OpennessError, match="out"):
        write_atomically(out, "new")
    assert target.read_text() == "keep" and sorted(p.name for p in tmp_path.iterdir()) == before
    assert out.is_symlink() == (kind in ("symlink", "dangling"))
    if kind == "fifo":
        assert stat.S_ISFIFO(os.lstat(out).st_mode)


def test_export_and_import_refuse_a_fifo_out(tmp_path, run_cli):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    code, _, err = run_cli("export", "spdx", "olmo", "--out", str(fifo))
    assert code == 2 and "FIFO" in err and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    code, _, err = run_cli("import", "spdx", "--out", str(fifo))
    assert code == 2 and "FIFO" in err and stat.S_ISFIFO(os.lstat(fifo).st_mode)


# --- 10: zero records, bundled data ----------------------------------------------------------

def test_import_without_out_never_touches_the_bundled_snapshot(run_cli):
    bundled = ROOT / "data" / "generated" / "spdx-licences.ttl"
    before = bundled.stat().st_mtime_ns
    code, _, err = run_cli("import", "spdx")
    assert code == 2 and "--update-bundled" in err
    code, _, err = run_cli("import", "mof-licences", str(ROOT / "tests" / "fixtures" / "mof"), "--retrieved", "2026-05-11")
    assert code == 2 and "--out" in err
    assert bundled.stat().st_mtime_ns == before


def test_an_import_of_zero_records_is_an_error_and_out_is_untouched(tmp_path, run_cli):
    import shutil

    root = tmp_path / "mof"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mof", root)
    for record in (root / "models").iterdir():
        record.unlink()
    out = tmp_path / "out.ttl"
    out.write_text("previous catalogue")
    code, _, err = run_cli("import", "mof", str(root), "--retrieved", "2026-05-11", "--out", str(out))
    assert code == 2 and "no records" in err
    assert out.read_text() == "previous catalogue"


def test_mof_licences_names_the_path_given(tmp_path, run_cli):
    code, _, err = run_cli("import", "mof-licences", "/nope", "--retrieved", "2026-05-11",
                           "--out", str(tmp_path / "l.ttl"))
    assert code == 2 and err.startswith("openness: error: /nope:")


# --- 3, 16, 21: YAML ------------------------------------------------------------------------

def test_yaml_alias_bomb_is_refused(tmp_path):
    from openness.importers.common import read_yaml

    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    assert path.stat().st_size < 1000
    with pytest.raises(OpennessError, match="alias"):
        read_yaml(path)


def test_yaml_duplicate_keys_name_file_and_key(tmp_path):
    from openness.importers.common import read_yaml

    path = tmp_path / "dup.yaml"
    path.write_text("name: a\nlicense: MIT\nname: b\n")
    with pytest.raises(OpennessError, match=r"dup.yaml:3: duplicate key 'name' \(first on line 1\)"):
        read_yaml(path)
    merged = tmp_path / "merge.yaml"
    merged.write_text("base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  x: 3\n")
    assert read_yaml(merged)["thing"] == {"x": 3, "y": 2}


def test_yaml_non_utf8_deep_and_huge_are_errors(tmp_path):
    from openness.importers.common import YAML_MAX_BYTES, read_yaml

    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(OpennessError, match="latin.yaml:1: not UTF-8"):
        read_yaml(latin)
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 5000 + "]" * 5000)
    with pytest.raises(OpennessError, match="deep.yaml"):
        read_yaml(deep)
    huge = tmp_path / "huge.yaml"
    huge.write_text("a: " + "x" * (YAML_MAX_BYTES + 1))
    with pytest.raises(OpennessError, match="larger than"):
        read_yaml(huge)


def test_eosai_non_utf8_record_is_bad_input(tmp_path, run_cli):
    import shutil

    src = ROOT / "tests" / "fixtures" / "eosai"

    copy = tmp_path / "eosai"
    shutil.copytree(src, copy)
    record = next(p for p in sorted(copy.glob("*.yaml")) if not p.name.startswith(("_", "a_submission")))
    record.write_bytes(record.read_bytes() + b"\nnote: caf\xe9\n")
    code, _, err = run_cli("import", "eosai", str(copy), "--retrieved", "2026-06-12", "--out", str(tmp_path / "o.ttl"))
    assert code == 2 and record.name in err and "UTF-8" in err


def test_model_card_with_a_byte_order_mark_is_read(tmp_path, run_cli):
    card = tmp_path / "README.md"
    card.write_bytes("\ufeff---\nlicense: apache-2.0\nlibrary_name: transformers\n---\n# Model\n".encode("utf-8"))
    out = tmp_path / "m.ttl"
    code, _, err = run_cli("import", "hf-card", str(card), "--id", "org/model", "--retrieved", "2026-06-01",
                           "--out", str(out))
    assert code == 0, err
    assert "apache" in out.read_text().lower()


def test_malformed_mof_schema_is_bad_input(tmp_path, run_cli):
    import shutil

    root = tmp_path / "mof"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mof", root)
    (root / "schema" / "mof_schema.json").write_text("{not json")
    code, _, err = run_cli("import", "mof", str(root), "--retrieved", "2026-05-11", "--out", str(tmp_path / "o.ttl"))
    assert code == 2 and "mof_schema.json" in err


# --- 2, 4, 15, 20: RDF input ----------------------------------------------------------------

LOL = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e.org/">
 <rdf:Description rdf:about="http://e.org/s"><ex:p>&b;</ex:p></rdf:Description>
</rdf:RDF>
"""


def test_rdf_xml_entity_bombs_are_refused_but_plain_entities_read(tmp_path, run_cli):
    from openness.graph.dataset import Dataset

    bomb = tmp_path / "lol.rdf"
    bomb.write_text(LOL)
    code, _, err = run_cli("validate", "--file", str(bomb), "--claim", "osaid-1.0")
    assert code == 2 and "lol.rdf" in err and "entit" in err
    wide = tmp_path / "wide.rdf"
    wide.write_text(LOL.replace('<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">', f'<!ENTITY b "{"x" * 5000}">')
                    .replace("<ex:p>&b;</ex:p>", "<ex:p>" + "&b;" * 1000 + "</ex:p>"))
    with pytest.raises(OpennessError, match="expand"):
        Dataset.load([wide], bundled=False)
    external = tmp_path / "xxe.rdf"
    external.write_text(LOL.replace('<!ENTITY a "aaaaaaaaaa">', '<!ENTITY a SYSTEM "file:///etc/passwd">')
                        .replace(' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n', ""))
    with pytest.raises(OpennessError, match="external entity"):
        Dataset.load([external], bundled=False)
    protege = tmp_path / "protege.owl"
    protege.write_text(LOL.replace(' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n', "")
                       .replace('<!ENTITY a "aaaaaaaaaa">', '<!ENTITY ex "http://e.org/">')
                       .replace('rdf:about="http://e.org/s"><ex:p>&b;', 'rdf:about="&ex;s"><ex:p>x'))
    dataset = Dataset.load([protege], bundled=False)
    assert len(list(dataset.triples())) == 1 and next(dataset.triples()).subject.value == "http://e.org/s"


def test_deep_json_ld_is_refused_before_parsing(tmp_path, run_cli):
    deep = tmp_path / "deep.jsonld"
    n = 20_000
    deep.write_text('{"@context": {"@vocab": "http://e.org/"}, ' + '"a": {' * n + '"b": 1' + "}" * n + "}")
    code, _, err = run_cli("validate", "--file", str(deep), "--claim", "osaid-1.0")
    assert code == 2 and "deep.jsonld" in err and "nested" in err
    code, _, err = run_cli("projects", "--data", str(deep))
    assert code == 2 and "nested" in err
    # Brackets inside strings do not count.
    fine = tmp_path / "fine.jsonld"
    fine.write_text(json.dumps({"@context": {"@vocab": "http://e.org/"}, "@id": "http://e.org/s", "p": "[" * 5000}))
    code, _, err = run_cli("projects", "--data", str(fine))
    assert code == 0, err


def test_blank_node_project_in_user_input_is_bad_input(tmp_path, run_cli):
    data = tmp_path / "anon.ttl"
    data.write_text(OO + '[] a oo:AIModel ; rdfs:label "Anon" .\n')
    for args in (["show", "olmo", "--data", str(data)], ["validate", "--file", str(data), "--claim", "osaid-1.0"],
                 ["report", "--data", str(data)], ["export", "spdx", "olmo", "--data", str(data),
                                                   "--out", str(tmp_path / "x.json")]):
        code, _, err = run_cli(*args)
        assert code == 2 and "anon.ttl" in err and "blank node" in err, (args, err)
    assert not (tmp_path / "x.json").exists()


def test_blank_node_project_in_a_stored_graph_is_skipped_with_a_warning(tmp_path, capsys):
    from openness.graph.dataset import Dataset, Source, _load_file
    from openness.graph.projects import list_projects
    from openness.graph.query import LocalBackend

    data = tmp_path / "anon.ttl"
    data.write_text(OO + '[] a oo:AIModel ; rdfs:label "Anon" .\n<https://example.org/p/named> a oo:AIModel .\n')
    dataset = Dataset.load(include_generated=False)
    graph = "https://w3id.org/openness/graph/stored"
    _load_file(dataset.store, data, ox.NamedNode(graph))
    dataset.sources.append(Source("stored", graph, (data,)))
    ids = [p.iri for p in list_projects(LocalBackend(dataset))]
    assert "https://example.org/p/named" in ids and not any(i.startswith("_:") for i in ids)
    assert "blank node" in capsys.readouterr().err


def test_broken_symlinks_in_a_data_folder_are_named(tmp_path, run_cli):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "ok.ttl").write_text(OO)
    (folder / "dangling.ttl").symlink_to(tmp_path / "missing.ttl")
    (folder / "loop.ttl").symlink_to(folder / "loop.ttl")
    code, _, err = run_cli("projects", "--data", str(folder))
    assert code == 2 and "dangling.ttl" in err and "loop.ttl" in err


def test_corrupted_store_exits_4_and_a_file_as_store_exits_2(tmp_path, run_cli):
    store = tmp_path / "store"
    store.mkdir()
    (store / "CURRENT").write_text("garbage without newline")
    code, _, err = run_cli("sparql", "ASK { ?s ?p ?o }", "--store", str(store))
    assert code == 4 and "store" in err
    afile = tmp_path / "afile"
    afile.write_text("x")
    code, _, err = run_cli("sparql", "ASK { ?s ?p ?o }", "--store", str(afile))
    assert code == 2 and "afile" in err


def test_validate_file_folder_says_folder(tmp_path, run_cli):
    code, _, err = run_cli("validate", "--file", str(tmp_path), "--claim", "osaid-1.0")
    assert code == 2 and "is a folder" in err


# --- 13, 19, 21: queries --------------------------------------------------------------------

def test_updates_binary_files_repeated_params_and_formats(tmp_path, run_cli):
    code, _, err = run_cli("sparql", "PREFIX ex: <http://e.org/>\nDROP ALL")
    assert code == 2 and "updates are not allowed" in err
    binary = tmp_path / "q.rq"
    binary.write_bytes(bytes(range(256)))
    code, _, err = run_cli("sparql", str(binary))
    assert code == 2 and "q.rq" in err
    code, _, err = run_cli("query", "run", "compare-projects", "--param", "a=olmo", "--param", "a=bloom",
                           "--param", "b=llama-2")
    assert code == 2 and "given twice" in err
    code, _, err = run_cli("sparql", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "--format", "turtle")
    assert code == 2 and "table or csv or json" in err
    code, _, err = run_cli("sparql", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1", "--format", "csv")
    assert code == 2 and "turtle or ntriples" in err
    code, out, _ = run_cli("sparql", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1")
    assert code == 0 and out.strip().endswith(".")


def test_query_time_limit_and_outcomes(bundled):
    from openness.graph.query import LocalBackend, RemoteBackend
    from openness.graph.worker import QueryTimeout, run_limited

    backend = LocalBackend(bundled)
    assert run_limited(backend, "ASK { ?s ?p ?o }", None, 30).boolean is True
    rows = run_limited(backend, "SELECT ?x WHERE { VALUES ?x { <http://e.org/a> 'b'@en } }", None, 30).rows
    assert [r[0] for r in rows] == [ox.NamedNode("http://e.org/a"), ox.Literal("b", language="en")]
    with pytest.raises(OpennessError, match="syntax"):
        run_limited(backend, "SELECT WHERE", None, 30)
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as caught:
        run_limited(backend, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", None, 1)
    assert caught.value.exit_code == 3 and time.monotonic() - started < 20
    assert isinstance(RemoteBackend("http://127.0.0.1:9/"), RemoteBackend)  # remote: the endpoint's own limit


def test_ctrl_c_during_a_query_exits_130_promptly(tmp_path):
    import signal
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "openness", "sparql",
                             "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            # a suite started in the background inherits SIGINT ignored; a user's shell does not
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _has_child(proc.pid):
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    try:
        code = proc.wait(timeout=15)
    finally:
        proc.kill()
    assert code == 130 and "interrupted" in proc.stderr.read()


def test_a_killed_command_leaves_no_query_running(tmp_path):
    """SIGKILL (the OOM killer, `kill -9`) runs no clean-up: the forked query child must still end."""
    import signal
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "openness", "sparql",
                             "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    children: list[str] = []
    while time.monotonic() < deadline and not children:
        children = _children(proc.pid)
        time.sleep(0.2)
    proc.kill()
    proc.wait(timeout=15)
    assert children, "the query never started in a child"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{c}").exists() for c in children):
        time.sleep(0.2)
    left = [c for c in children if Path(f"/proc/{c}").exists()]
    for c in left:
        os.kill(int(c), signal.SIGKILL)
    assert not left, f"query child {left} outlived its killed parent"


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def _has_child(pid: int) -> bool:
    return bool(_children(pid))


def test_graph_prefix_matching_nothing_is_an_error(monkeypatch):
    from openness.cli import common
    from openness.graph import query

    monkeypatch.setattr(query, "discover_graphs", lambda endpoint, prefix, *timeout: [])
    with pytest.raises(OpennessError, match="no named graph under --graph-prefix"):
        common.open_backend(endpoint="http://127.0.0.1:9/sparql", graph_prefix="https://nothing.example/")


def test_every_help_lists_the_exit_codes(run_cli):
    for args in (["sparql"], ["validate"], ["import", "spdx"], ["publish"], ["reason"]):
        code, out, _ = run_cli(*args, "--help")
        assert code == 0 and "Exit codes:" in out and "130" in out


# --- 16, 17: reasoner input -------------------------------------------------------------------

def test_reasoner_refuses_ill_typed_and_cuts_huge_literals():
    import rdflib

    from openness.graph.reason import MAX_LITERAL, reasonable_literals

    g = rdflib.Graph()
    s, p = rdflib.URIRef("https://example.org/s"), rdflib.URIRef("https://example.org/p")
    g.add((s, p, rdflib.Literal("a" * 1_000_000)))
    notices = reasonable_literals(g)
    assert len(notices) == 1 and max(len(o) for o in g.objects(s, p)) == MAX_LITERAL
    g.add((s, p, rdflib.Literal("yesterday", datatype=rdflib.XSD.date)))
    with pytest.raises(OpennessError, match="ill-typed literal 'yesterday'"):
        reasonable_literals(g)


def test_export_spdx_with_a_literal_release_is_bad_input(tmp_path, run_cli):
    data = tmp_path / "lit.ttl"
    data.write_text(OO + '<https://example.org/p/lit> a oo:AIModel ; rdfs:label "Lit" ; oo:hasRelease "v1" ; '
                         'oo:currentRelease "v1" .\n')
    code, _, err = run_cli("export", "spdx", "https://example.org/p/lit", "--data", str(data),
                           "--out", str(tmp_path / "o.json"))
    assert code == 2 and '"v1"' in err and not (tmp_path / "o.json").exists()


def test_export_spdx_with_a_literal_release_in_a_stored_graph_is_bad_input(tmp_path):
    """Past the --data checks (a stored or bundled graph), the export itself names the literal release."""
    from openness.graph.dataset import Dataset, _load_file
    from openness.linked_data.export_spdx import build

    data = tmp_path / "lit.ttl"
    data.write_text(OO + '<https://example.org/p/lit> a oo:AIModel ; rdfs:label "Lit" ; oo:hasRelease "v1" ; '
                         'oo:currentRelease "v1" .\n')
    dataset = Dataset.load(include_generated=False)
    _load_file(dataset.store, data, ox.NamedNode("https://w3id.org/openness/graph/stored"))
    with pytest.raises(OpennessError, match="not an IRI"):
        build(dataset, "https://example.org/p/lit")


def test_update_bundled_is_the_only_way_into_data_generated(tmp_path, monkeypatch, run_cli):
    from openness import resources

    (tmp_path / "generated").mkdir()
    monkeypatch.setattr(resources, "data_dir", lambda: tmp_path)
    code, _, err = run_cli("import", "spdx", "--update-bundled", "--out", str(tmp_path / "x.ttl"))
    assert code == 2 and "not both" in err
    code, _, err = run_cli("import", "spdx", "--update-bundled")
    assert code == 0, err
    text = (tmp_path / "generated" / "spdx-licences.ttl").read_text(encoding="utf-8")
    assert text.splitlines()[1] == "# Made by: openness import spdx --update-bundled"

"""The hostile corpus (issue 11): every input gets a clean exit code and one line, never a traceback,
a signal, unbounded memory, or a file touched outside the output it names.

Each case runs `python -m openness` in a subprocess whose address space is capped at 2 GB
(RLIMIT_AS), in a working folder holding a copy of this corpus; the folder is listed before and
after, and only the case's named output may differ. The bundled data/ must not change at all.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MEMORY_LIMIT = 2 * 1024 ** 3
CLEAN_EXITS = {0, 1, 2, 3}
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _generate(work: Path) -> None:
    """The large inputs, made here rather than stored; and folders shaped like the importers' sources."""
    n = 20_000
    (work / "deep.jsonld").write_text('{"@context": {"@vocab": "http://e.org/"}, ' + '"a": {' * n + '"b": 1'
                                      + "}" * n + "}", encoding="utf-8")
    (work / "deep-filter.rq").write_text("ASK { FILTER(" + "(" * n + "1" + ")" * n + ") }", encoding="utf-8")
    (work / "big-literal.ttl").write_text('@prefix oo: <https://w3id.org/openness/ontology#> .\n'
                                          '<https://example.org/p/big> a oo:AIModel ; '
                                          '<http://purl.org/dc/terms/source> <https://example.org/p/big/card> ; '
                                          'oo:checkedOn "2026-11-27"^^<http://www.w3.org/2001/XMLSchema#date> ; '
                                          '<http://www.w3.org/2000/01/rdf-schema#label> "' + "a" * 1_000_000 + '" .\n',
                                          encoding="utf-8")
    eosai = work / "eosai"
    eosai.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "eosai" / "_parameters.yml", eosai)
    shutil.copy(HERE / "eosai-bomb.yaml", eosai / "bomb.yaml")
    latin = work / "eosai-latin1"
    shutil.copytree(ROOT / "tests" / "fixtures" / "eosai", latin)
    (latin / "bloomz.yaml").write_bytes((latin / "bloomz.yaml").read_bytes() + b"\nnotes: caf\xe9\n")
    mof = work / "mof-bad-schema"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mof", mof)
    (mof / "schema" / "mof_schema.json").write_text('{"type": 12, ', encoding="utf-8")
    empty = work / "mof-empty"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mof", empty)
    for record in (empty / "models").iterdir():
        record.unlink()
    links = work / "links"
    links.mkdir()
    (links / "dangling.ttl").symlink_to(work / "missing.ttl")
    (links / "loop.ttl").symlink_to(links / "loop.ttl")
    store = work / "broken-store"
    store.mkdir()
    (store / "CURRENT").write_text("not a rocksdb file")


CASES: list[tuple[str, list[str], set[int], str | None]] = [
    # (id, arguments, exit codes allowed, the output it may write)
    ("rdfxml-billion-laughs", ["validate", "--file", "lol.rdf", "--claim", "osaid-1.0"], {2}, None),
    ("rdfxml-external-entity", ["projects", "--data", "xxe.rdf"], {2}, None),
    ("jsonld-20000-deep", ["validate", "--file", "deep.jsonld", "--claim", "osaid-1.0"], {2}, None),
    ("sparql-filter-20000-deep", ["sparql", "deep-filter.rq"], {2}, None),
    ("sparql-filter-20000-deep-no-limit", ["sparql", "deep-filter.rq", "--timeout", "0"], {2}, None),
    ("sparql-update", ["sparql", "DROP ALL"], {2}, None),
    ("sparql-binary-file", ["sparql", "binary.rq"], {2}, None),
    ("sparql-timeout", ["sparql", CROSS_JOIN, "--timeout", "1"], {3}, None),
    ("select-as-turtle", ["sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--format", "turtle"], {2}, None),
    ("repeated-param", ["query", "run", "compare-projects", "--param", "a=olmo", "--param", "a=bloom",
                        "--param", "b=llama-2"], {2}, None),
    ("escape-sequences-in-label", ["show", "https://example.org/p/esc", "--data", "esc.ttl"], {0}, None),
    # (`report --format markdown` over these labels takes minutes: tests/test_hardening_input.py renders it.)
    ("html-and-escapes-in-validate", ["validate", "--file", "html-label.ttl", "--claim", "open-weights"], {0, 1}, None),
    ("blank-node-project", ["show", "olmo", "--data", "blank-node-project.ttl"], {2}, None),
    ("blank-node-project-spdx", ["export", "spdx", "olmo", "--data", "blank-node-project.ttl",
                                 "--out", "out.json"], {2}, "out.json"),
    ("literal-release-spdx", ["export", "spdx", "https://example.org/p/litrel", "--data", "literal-release.ttl",
                              "--out", "out.json"], {2}, "out.json"),
    ("ill-typed-literal-reason", ["reason", "--data", "ill-typed-date.ttl"], {2}, None),
    ("one-megabyte-literal", ["validate", "--file", "big-literal.ttl", "--claim", "open-weights"], {0, 1, 3}, None),
    ("dangling-and-looping-symlinks", ["projects", "--data", "links"], {2}, None),
    ("validate-a-folder", ["validate", "--file", "links", "--claim", "osaid-1.0"], {2}, None),
    ("out-is-a-fifo", ["export", "spdx", "olmo", "--out", "fifo.json"], {2}, None),
    ("out-is-a-symlink", ["import", "hf-card", "bom-card.md", "--retrieved", "2026-06-01", "--out", "link.ttl"],
     {2}, None),
    ("yaml-alias-bomb-card", ["import", "hf-card", "bomb-card.md", "--retrieved", "2026-06-01",
                              "--out", "out.ttl"], {2}, "out.ttl"),
    ("yaml-alias-bomb-eosai", ["import", "eosai", "eosai", "--retrieved", "2026-06-12", "--out", "out.ttl"],
     {2}, "out.ttl"),
    ("yaml-duplicate-keys", ["import", "hf-card", "duplicate-keys-card.md", "--retrieved", "2026-06-01",
                             "--out", "out.ttl"], {2}, "out.ttl"),
    ("yaml-latin1-card", ["import", "hf-card", "latin1-card.md", "--retrieved", "2026-06-01", "--out", "out.ttl"],
     {2}, "out.ttl"),
    ("yaml-latin1-eosai", ["import", "eosai", "eosai-latin1", "--retrieved", "2026-06-12", "--out", "out.ttl"],
     {2}, "out.ttl"),
    ("card-with-byte-order-mark", ["import", "hf-card", "bom-card.md", "--id", "org/model",
                                   "--retrieved", "2026-06-01", "--out", "out.ttl"], {0}, "out.ttl"),
    ("mof-malformed-schema", ["import", "mof", "mof-bad-schema", "--retrieved", "2026-05-11", "--out", "out.ttl"],
     {2}, "out.ttl"),
    ("mof-zero-records", ["import", "mof", "mof-empty", "--retrieved", "2026-05-11", "--out", "out.ttl"],
     {2}, "out.ttl"),
    ("mof-licences-missing-path", ["import", "mof-licences", "/nope", "--retrieved", "2026-05-11",
                                   "--out", "out.ttl"], {2}, "out.ttl"),
    ("import-into-bundled-data", ["import", "spdx"], {2}, None),
    ("corrupted-store", ["sparql", "ASK { ?s ?p ?o }", "--store", "broken-store"], {4}, "broken-store"),
]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _listing(folder: Path) -> dict[str, tuple]:
    out = {}
    for path in [folder, *folder.rglob("*")]:
        info = os.lstat(path)
        out[str(path.relative_to(folder))] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return out


def _run(work: Path, case) -> tuple:
    name, args, allowed, output = case
    folder = work / name
    shutil.copytree(work / "_corpus", folder, symlinks=True)
    os.mkfifo(folder / "fifo.json")                  # a FIFO and a link cannot be copied: made per case
    (folder / "link.ttl").symlink_to(folder / "esc.ttl")
    before = _listing(folder)
    started = time.monotonic()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="120")
    env.pop("OPENNESS_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "openness", *args], cwd=folder, env=env, capture_output=True,
                          text=True, errors="replace", timeout=240, preexec_fn=_limit_memory)
    after = _listing(folder)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k) and k != "."
                     and not (output and (k == output or k.startswith(output + "/"))))
    return name, allowed, proc.returncode, proc.stdout, proc.stderr, changed, round(time.monotonic() - started, 1)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    work = tmp_path_factory.mktemp("hostile")
    corpus = work / "_corpus"
    shutil.copytree(HERE, corpus, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    _generate(corpus)
    data_before = _listing(ROOT / "data")
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = {r[0]: r for r in pool.map(lambda case: _run(work, case), CASES)}
    assert _listing(ROOT / "data") == data_before, "the bundled data/ changed"
    return results


@pytest.mark.parametrize("case", [c[0] for c in CASES])
def test_hostile_input_is_handled_cleanly(outcomes, case):
    name, allowed, code, out, err, changed, _ = outcomes[case]
    assert code >= 0, f"{name}: killed by signal {-code}: {err[-500:]}"
    assert code in allowed, f"{name}: exit {code}, expected {sorted(allowed)}: {err[-500:]}"
    assert code in CLEAN_EXITS or name == "corrupted-store"
    assert "Traceback" not in err and "internal error" not in err, f"{name}: {err[-800:]}"
    errors = [line for line in err.splitlines() if line.startswith("openness: error:")]
    if code not in (0, 1):
        assert len(errors) == 1, f"{name}: expected one error line, got: {err[-800:]}"
    assert not changed, f"{name}: touched {changed}"
    assert "\x1b" not in out and "\x1b" not in err, f"{name}: a raw escape sequence reached the terminal"


def test_hostile_outputs_say_what_happened(outcomes):
    assert "\\u001b[2J" in outcomes["html-and-escapes-in-validate"][3]
    assert "2J" in outcomes["escape-sequences-in-label"][3]
    for name, needle in (("rdfxml-billion-laughs", "lol.rdf"), ("jsonld-20000-deep", "deep.jsonld"),
                         ("blank-node-project", "blank-node-project.ttl"), ("yaml-duplicate-keys", "duplicate key"),
                         ("yaml-alias-bomb-eosai", "bomb.yaml"), ("mof-licences-missing-path", "/nope"),
                         ("sparql-update", "updates are not allowed"), ("validate-a-folder", "is a folder"),
                         ("dangling-and-looping-symlinks", "loop.ttl")):
        assert needle in outcomes[name][4], (name, outcomes[name][4])

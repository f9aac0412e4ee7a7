"""Every `openness ...` line in the README's code blocks runs as written, from a folder holding the
files the examples name (my-release.ttl, my-query.rq, an SBOM, a model card): exit 0, 1 or 3, never
bad input (2), a failure (4) or a traceback. `serve` is started and must answer; `push` and the
endpoint query run against a stock Oxigraph server on the port the README names, when both are free."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from openness.net import wait_until_up

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


def _examples() -> list[str]:
    lines, inside = [], False
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = not inside
        elif inside and line.startswith("openness "):
            lines.append(line)
    return lines


def _free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    # A folder beside which ../shared is the checkout's own, as the examples assume.
    outer = tmp_path_factory.mktemp("readme")
    work = outer / "checkout"
    work.mkdir()
    if (ROOT.parent / "shared").is_dir():
        (outer / "shared").symlink_to(ROOT.parent / "shared")
    shutil.copy(ROOT / "examples" / "my-release.ttl", work / "my-release.ttl")
    shutil.copytree(ROOT / "examples", work / "examples")
    (work / "my-query.rq").write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n")
    shutil.copy(FIXTURES / "sbom" / "example-vision.spdx.json", work / "sbom.spdx.json")
    shutil.copy(FIXTURES / "sbom" / "example-chat.cdx.json", work / "bom.cdx.json")
    shutil.copy(FIXTURES / "hf" / "README.md", work / "README.md")
    return work


@pytest.fixture(scope="module")
def oxigraph_7878():
    binary = ROOT / ".venv" / "bin" / "oxigraph"
    if not binary.exists() or not _free(7878):
        yield None
        return
    store = Path(os.environ.get("TMPDIR", "/tmp")) / f"openness-readme-oxigraph-{os.getpid()}"
    proc = subprocess.Popen([str(binary), "serve", "--location", str(store), "--bind", "127.0.0.1:7878"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_until_up("http://127.0.0.1:7878/query?query=ASK%7B%7D", timeout=60)
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        shutil.rmtree(store, ignore_errors=True)


def _run(args: list[str], cwd: Path, timeout: float = 600):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([sys.executable, "-m", "openness", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.parametrize("line", _examples())
def test_readme_example_runs_as_written(line, folder, oxigraph_7878):
    args = shlex.split(line, comments=True)[1:]
    if any(a.startswith("../shared/reference") for a in args) and not (ROOT.parent / "shared" / "reference").is_dir():
        pytest.skip("needs ../shared/reference beside the checkout")
    if "--data" in args and not (folder / args[args.index("--data") + 1]).exists():
        pytest.skip("needs the import example before it")
    if "--endpoint" in args and oxigraph_7878 is None:
        pytest.skip("no Oxigraph server binary, or port 7878 is taken")
    if args[0] == "serve":
        port = int(args[args.index("--port") + 1])
        if not _free(port):
            pytest.skip(f"port {port} is taken")
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        proc = subprocess.Popen([sys.executable, "-m", "openness", *args], cwd=folder, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/", timeout=120)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
        return
    if args[0] == "query" and "--endpoint" in args:
        pushed = _run(["push", "--endpoint", "http://127.0.0.1:7878/store"], folder)
        assert pushed.returncode == 0, pushed.stderr
    started = time.monotonic()
    result = _run(args, folder)
    assert result.returncode in (0, 1, 3), f"{line}\nexit {result.returncode}: {result.stderr[-800:]}"
    assert "Traceback" not in result.stderr, result.stderr[-800:]
    assert time.monotonic() - started < 600

"""Shared fixtures. Each test module may add its own; keep session-wide state here small."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def bundled():
    """The bundled graph, loaded once per test session."""
    from openness.graph.dataset import Dataset

    return Dataset.load()


@pytest.fixture(scope="session")
def backend(bundled):
    from openness.graph.query import LocalBackend

    return LocalBackend(bundled)


@pytest.fixture()
def run_cli():
    """Invoke the CLI in-process: returns (exit code, stdout, stderr)."""
    from openness.cli import cli

    def invoke(*args: str):
        runner = CliRunner()
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return invoke

"""Terminal tables at 80 columns: every line fits, no word is split (a break may only fall between
words or after a hyphen), IRIs are shortened; piped output without COLUMNS is never wrapped."""

from __future__ import annotations

import re

import pytest

from openness.text import table

WORD = re.compile(r"[A-Za-z0-9]+")


def words(text: str) -> set[str]:
    return set(WORD.findall(text))


def assert_fits_without_split(wrapped: str, whole: str, width: int = 80) -> None:
    for line in wrapped.splitlines():
        assert len(line) <= width, f"{len(line)} columns: {line!r}"
    split = words(wrapped) - words(whole)
    assert not split, f"words split across lines: {sorted(split)[:10]}"


@pytest.fixture()
def columns80(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def unwrapped(run_cli, monkeypatch, *args):
    monkeypatch.delenv("COLUMNS", raising=False)
    code, out, _ = run_cli(*args)
    assert code == 0
    return out


@pytest.mark.parametrize("args", [("claims",), ("query", "run", "figure-2-spectrum"),
                                  ("query", "run", "freedoms-vs-licence"), ("projects",), ("show", "olmo")])
def test_tables_fit_80_columns_without_splitting_words(run_cli, monkeypatch, args):
    whole = unwrapped(run_cli, monkeypatch, *args)
    monkeypatch.setenv("COLUMNS", "80")
    code, wrapped, _ = run_cli(*args)
    assert code == 0
    assert_fits_without_split(wrapped, whole)
    assert "\x1b[" not in wrapped  # not a terminal: no colour


def test_claims_shows_prefixed_names_not_iris(run_cli, columns80):
    code, out, _ = run_cli("claims")
    assert code == 0 and "https://" not in out
    assert "oo:OSAID10" in out and "shape:Osaid10" in out


def test_report_table_at_80_columns(bundled, monkeypatch):
    from openness.claims.report import KEY_CLAIMS, terminal_table
    from openness.claims.verdicts import compute

    iris = ["https://w3id.org/openness/id/project/" + p for p in ("apertus", "olmo", "llama-2")]
    verdicts = compute(bundled, iris, KEY_CLAIMS)
    monkeypatch.delenv("COLUMNS", raising=False)
    whole = terminal_table(bundled, verdicts, KEY_CLAIMS)
    monkeypatch.setenv("COLUMNS", "80")
    wrapped = terminal_table(bundled, verdicts, KEY_CLAIMS)
    assert_fits_without_split(wrapped, whole)
    assert "OW Llama 2: osaid-1.0 claimed by" in whole and "(OW)" in wrapped  # refuted: open-washing
    assert "eu-ai-act-" in wrapped and "exemption" in wrapped
    assert len(wrapped.splitlines()) < 20


def test_piped_rows_are_not_wrapped(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    long = "a fairly long note " * 10
    out = table(["name", "note"], [["x", long.strip()]])
    assert out.splitlines()[2].endswith(long.strip())


def test_wrapping_breaks_between_words_only():
    out = table(["claim"], [["eu-ai-act-gpai-exemption and an unbreakableverylongword"]], width=12, colour=False)
    lines = [line.strip() for line in out.splitlines()[2:]]
    # The column is as wide as its longest word (23), which overflows 12 rather than being split.
    assert lines == ["eu-ai-act-gpai-", "exemption and an", "unbreakableverylongword"]
    out = table(["claim"], [["eu-ai-act-gpai-exemption and more"]], width=10, colour=False)
    assert [line.strip() for line in out.splitlines()[2:]] == ["eu-ai-act-", "gpai-", "exemption", "and more"]


def test_colour_only_when_asked():
    plain = table(["claim", "verdict"], [["x", "yes"], ["y", "no"]], width=None, colour=False)
    coloured = table(["claim", "verdict"], [["x", "yes"], ["y", "no"]], width=None, colour=True)
    assert "\x1b[" not in plain
    assert "\x1b[32myes" in coloured and "\x1b[31mno" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain

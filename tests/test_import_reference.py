"""The full reference catalogues import (all 193 EOSAI and 273 MOF records) when ../shared/reference exists."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not REFERENCE.is_dir(), reason="no ../shared/reference beside the checkout")]


def test_full_catalogues(tmp_path, run_cli):
    eosai, mof = tmp_path / "eosai.ttl", tmp_path / "mof.ttl"
    code, _, err = run_cli("import", "eosai", str(REFERENCE / "eosai"), "--retrieved", "2026-06-12",
                           "--commit", "5a388e871b88735e7ab7e6fb230b76c9d460d99a", "--out", str(eosai))
    assert code == 0 and "193 read, 193 imported, 0 skipped" in err, err
    code, _, err = run_cli("import", "mof", str(REFERENCE / "mof"), "--retrieved", "2026-05-11",
                           "--commit", "8b5d30e90a7c62d7d6ece48b91e69ff495920a4d", "--out", str(mof))
    assert code == 0 and "273 read, 273 imported, 0 skipped" in err, err
    # The committed snapshots are what the importers make from the reference data.
    assert eosai.read_text(encoding="utf-8").split("\n", 2)[2] == \
        (ROOT / "data" / "generated" / "eosai.ttl").read_text(encoding="utf-8").split("\n", 2)[2]

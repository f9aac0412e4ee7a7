"""What the catalogue importers (EOSAI, MOF) share: provenance, curated-name links, licence normalisation."""

from __future__ import annotations

from pathlib import Path

from .common import Provenance, Report, curated_names
from .spdx import Normaliser


class CatalogueImporter:
    """Base of one import run: keeps the licence-name mapping and the names it could not map."""

    def __init__(self, root: Path, prov: Provenance, report: Report, *, with_notes: bool = False) -> None:
        self.root = root
        self.prov = prov
        self.report = report
        self.with_notes = with_notes
        self.normaliser = Normaliser()
        self.curated = curated_names()
        self.mapping: dict[str, str] = {}
        self.unmapped: dict[str, int] = {}

    def normalise(self, text: str):
        """The normalised licence(s) for a free-text name, recording the mapping (or the miss) for the summary."""
        found = self.normaliser.normalise(text)
        if found is None:
            self.unmapped[text] = self.unmapped.get(text, 0) + 1
        elif found.ids != (text,):
            self.mapping[text] = " + ".join(found.ids) + f" ({found.how})"
        return found

"""The SPDX 3.0.1 JSON-LD context: its IRI, the bundled copy of it, and the extension's scopes.

Shared by `openness export spdx` (linked_data/export_spdx.py), which writes documents against it, and
`openness import spdx-ai` (importers/spdx3.py), which reads them back: one copy of each value.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

SPDX_CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
# A copy of that context, bundled (nothing is fetched at run time): tools/make_spdx_context.py.
BUNDLED_CONTEXT = Path(__file__).with_name("spdx-context-3.0.1.jsonld")
# Facts SPDX has no field for travel in a CdxPropertiesExtension, one entry per triple named
# `<scope> <predicate IRI>`, scope being one of these.
EXTENSION_SCOPES = ("project", "release", "weights", "component")


@lru_cache(maxsize=1)
def context_terms() -> frozenset[str]:
    """The terms of the bundled SPDX 3.0.1 JSON-LD context."""
    return frozenset(json.loads(BUNDLED_CONTEXT.read_text(encoding="utf-8"))["@context"])

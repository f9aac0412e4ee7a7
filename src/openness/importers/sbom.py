"""Bills of materials as release descriptions: which format a file is, and its conversion to Turtle.

Shared by `openness import spdx-ai|cyclonedx` and `openness validate --file`, which converts an SBOM
first so a release can be gated straight from the SBOM its publisher already writes.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import OpennessError
from . import cyclonedx, spdx3
from .sources import read_json
from .common import Graph

FORMATS = ("spdx-ai", "cyclonedx")


def sniff(path: Path) -> str | None:
    """'spdx-ai' or 'cyclonedx' for a JSON bill of materials, None for anything else (e.g. a Turtle file)."""
    if Path(path).suffix.lower() not in (".json", ".jsonld"):
        return None
    data = read_json(path)
    if spdx3.is_spdx3(data):
        return "spdx-ai"
    if cyclonedx.is_cyclonedx(data):
        return "cyclonedx"
    return None


def document_date(path: Path, kind: str) -> str | None:
    """When the BOM was made, as it states (SPDX CreationInfo.created, CycloneDX metadata.timestamp)."""
    data = read_json(path)
    if kind == "spdx-ai":
        stamps = [e.get("created") for e in data.get("@graph", []) if isinstance(e, dict) and e.get("type") == "CreationInfo"]
    else:
        stamps = [(data.get("metadata") or {}).get("timestamp")]
    for stamp in stamps:
        if isinstance(stamp, str) and re.match(r"^\d{4}-\d{2}-\d{2}", stamp):
            return stamp[:10]
    return None


def convert(path: Path, kind: str, retrieved: str | None = None, source: str | None = None,
            data: Sequence[Path] = ()) -> tuple[Graph, dict[str, object]]:
    """The release description of the BOM at `path` (read as `kind`) and a summary."""
    from ..graph.dataset import Dataset
    from .hfcard import base_resolver

    if kind == "spdx-ai":
        bom, info = spdx3.read(path, source)
    elif kind == "cyclonedx":
        resolver = base_resolver(Dataset.load(data, include_generated=False))
        bom, info = cyclonedx.read(path, source, resolver)
    else:
        raise OpennessError(f"unknown bill-of-materials format {kind!r}; expected one of {', '.join(FORMATS)}")
    retrieved = retrieved or document_date(path, kind)
    if not retrieved:
        raise OpennessError(f"{path}: the document states no creation date: give --retrieved YYYY-MM-DD")
    try:
        dt.date.fromisoformat(retrieved)
    except ValueError:
        raise OpennessError(f"bad --retrieved {retrieved!r}: expected YYYY-MM-DD") from None
    info = {**info, "project": str(bom.project), "format": kind, "retrieved": retrieved}
    return bom.finish(retrieved), info


def header(command: str, path: Path, info: dict[str, object]) -> list[str]:
    return ["Generated file: do not edit (docs/conventions.md). A release described from a bill of materials.",
            f"Made by: {command}",
            f"Source: {Path(path).name} ({info['format']}); facts it does not state are unknown."]


@contextmanager
def as_release_file(path: Path, data: Sequence[Path] = ()) -> Iterator[Path]:
    """The file itself when it is RDF, else its conversion to Turtle in a temporary folder."""
    kind = sniff(path)
    if kind is None:
        yield Path(path)
        return
    graph, info = convert(Path(path), kind, data=data)
    with tempfile.TemporaryDirectory(prefix="openness-sbom-") as folder:
        out = Path(folder) / (Path(path).name + ".ttl")
        out.write_text(graph.turtle(header(f"validate --file {path}", path, info)), encoding="utf-8")
        yield out

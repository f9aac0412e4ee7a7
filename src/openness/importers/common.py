"""What every importer shares: a deterministic Turtle writer, YAML reading with file:line errors,
provenance of the source dataset, curated names to link to, and writing output atomically.

Imports are deterministic (docs/design.md, "Names and IRIs"): every node has a stable IRI (no blank
nodes), triples are written sorted, and the retrieved date comes from the source or the command
line, never from the clock.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .. import files, resources
from ..errors import OpennessError
from ..graph.iris import DEFAULT_BASE, ONTOLOGY, instance_iri, slugify
# Reading sources (text with file:line errors, YAML with limits) lives in sources.py; re-exported here.
from .sources import YAML_MAX_BYTES, YAML_MAX_NODES, read_text, read_yaml  # noqa: F401

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

PREFIXES: dict[str, str] = {
    "oo": ONTOLOGY,
    "project": DEFAULT_BASE + "project/",
    "release": DEFAULT_BASE + "release/",
    "component": DEFAULT_BASE + "component/",
    "licence": DEFAULT_BASE + "licence/",
    "org": DEFAULT_BASE + "organisation/",
    "assessment": DEFAULT_BASE + "assessment/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
}


class IRI(str):
    """An IRI term (a plain str is a string literal)."""


@dataclass(frozen=True, order=True)
class Lit:
    """A literal with a datatype IRI (or a language tag)."""

    value: str
    datatype: str | None = None
    lang: str | None = None


def q(curie: str) -> IRI:
    """An IRI from a prefixed name of PREFIXES (`oo:Public`, `dct:license`)."""
    prefix, _, local = curie.partition(":")
    return IRI(PREFIXES[prefix] + local)


def inst(kind: str, slug: str) -> IRI:
    return IRI(instance_iri(kind, slug))


def url_iri(text: object) -> IRI | None:
    """A link from a source as an IRI, or None when it is not an http(s) URL."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not re.match(r"^https?://[^\s]+$", text.replace(" ", "%20")):
        return None
    return IRI(quote(text, safe=":/?#[]@!$&'()*+,;=%~-._"))


def date_literal(value: object) -> Lit | None:
    """A date from a source as xsd:date, xsd:gYearMonth or xsd:gYear (by its precision), else None."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Lit(value.isoformat(), XSD + "date")
    text = str(value or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return None
        return Lit(text, XSD + "date")
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        return Lit(text, XSD + "gYearMonth")
    if re.fullmatch(r"\d{4}", text):
        return Lit(text, XSD + "gYear")
    return None


def xsd_date(text: str) -> Lit:
    return Lit(text, XSD + "date")


Term = IRI | Lit | str | bool | int | float


def _as_term(value: Term) -> IRI | Lit:
    if isinstance(value, (IRI, Lit)):
        return value
    if isinstance(value, bool):
        return Lit("true" if value else "false", XSD + "boolean")
    if isinstance(value, int):
        return Lit(str(value), XSD + "integer")
    if isinstance(value, float):
        return Lit(repr(value), XSD + "decimal")
    return Lit(str(value))


class Graph:
    """A set of triples written as sorted, stable Turtle."""

    def __init__(self) -> None:
        self._triples: set[tuple[IRI, IRI, IRI | Lit]] = set()

    def add(self, s: IRI, p: IRI, o: Term | None) -> None:
        if o is None or o == "":
            return
        self._triples.add((IRI(s), IRI(p), _as_term(o)))

    def update(self, other: Graph) -> None:
        self._triples |= other._triples

    def __len__(self) -> int:
        return len(self._triples)

    def triples(self) -> Iterator[tuple[IRI, IRI, IRI | Lit]]:
        return iter(sorted(self._triples, key=_sort_key))

    def subjects(self) -> set[IRI]:
        return {s for s, _, _ in self._triples}

    def turtle(self, header: Iterable[str]) -> str:
        """The graph as Turtle: the header comment lines, prefixes, then one block per subject."""
        lines = [f"# {h}".rstrip() for h in header]
        lines.append("")
        lines += [f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())]
        by_subject: dict[IRI, list[tuple[IRI, IRI | Lit]]] = {}
        for s, p, o in self.triples():
            by_subject.setdefault(s, []).append((p, o))
        for s, pos in by_subject.items():
            lines.append("")
            parts: list[str] = []
            for p, o in pos:
                pred = "a" if p == RDF_TYPE else _term(p)
                parts.append(f"{pred} {_term(o)}")
            lines.append(f"{_term(s)} " + " ;\n    ".join(parts) + " .")
        return "\n".join(lines) + "\n"


def _sort_key(t: tuple[IRI, IRI, IRI | Lit]) -> tuple:
    s, p, o = t
    o_key = (0, str(o), "", "") if isinstance(o, IRI) else (1, o.value, o.datatype or "", o.lang or "")
    return (str(s), 0 if p == RDF_TYPE else 1, str(p), o_key)


_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?$")


def _term(t: IRI | Lit) -> str:
    if isinstance(t, IRI):
        for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if t.startswith(ns) and _LOCAL.match(t[len(ns):]):
                return f"{prefix}:{t[len(ns):]}"
        return f"<{t}>"
    text = (t.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))
    if t.lang:
        return f'"{text}"@{t.lang}'
    if t.datatype == XSD + "boolean":
        return t.value
    if t.datatype and t.datatype != XSD + "string":
        return f'"{text}"^^{_term(IRI(t.datatype))}'
    return f'"{text}"'


@dataclass
class Provenance:
    """The source dataset an import derives from (an oo:CatalogueRecord)."""

    iri: IRI
    label: str
    identifier: str
    licence: IRI
    attribution: str
    retrieved: str
    commit: str | None = None
    page: IRI | None = None

    def describe(self, g: Graph) -> None:
        g.add(self.iri, q("rdf:type"), q("oo:CatalogueRecord"))
        g.add(self.iri, q("rdfs:label"), self.label)
        g.add(self.iri, q("dct:identifier"), self.identifier)
        g.add(self.iri, q("dct:license"), self.licence)
        g.add(self.iri, q("oo:attribution"), self.attribution)
        g.add(self.iri, q("oo:retrievedOn"), xsd_date(self.retrieved))
        g.add(self.iri, q("foaf:page"), self.page)
        if self.commit:
            g.add(self.iri, q("dct:hasVersion"), self.commit)

    def stamp(self, g: Graph, node: IRI, source: IRI | None = None) -> None:
        """Provenance on one imported node: derived from the dataset, its source page, checked on."""
        g.add(node, q("prov:wasDerivedFrom"), self.iri)
        g.add(node, q("dct:source"), source or self.page or self.iri)
        g.add(node, q("oo:checkedOn"), xsd_date(self.retrieved))


def source_version(path: Path, commit: str | None, retrieved: str | None) -> tuple[str | None, str]:
    """The commit and retrieved date of a source checkout: given on the command line, else from git."""
    if commit is None or retrieved is None:
        root = path if path.is_dir() else path.parent
        try:
            out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%H %cs"],
                                 capture_output=True, text=True, timeout=10, check=True).stdout.split()
        except (OSError, subprocess.SubprocessError):
            out = []
        if len(out) == 2:
            commit = commit or out[0]
            retrieved = retrieved or out[1]
    if retrieved is None:
        raise OpennessError(f"{path}: not a git checkout, so give the source's date with --retrieved YYYY-MM-DD "
                            "(and its commit with --commit)")
    try:
        dt.date.fromisoformat(retrieved)
    except ValueError:
        raise OpennessError(f"--retrieved {retrieved!r}: expected a date YYYY-MM-DD") from None
    return commit, retrieved


def curated_names() -> dict[str, dict[str, IRI]]:
    """Curated projects and organisations by normalised label (data/, generated files excluded)."""
    import pyoxigraph as ox

    out: dict[str, dict[str, IRI]] = {"project": {}, "organisation": {}}
    data = resources.data_dir()
    files = sorted(p for p in data.rglob("*.ttl") if "generated" not in p.relative_to(data).parts)
    store = ox.Store()
    for path in files:
        try:
            store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        except (SyntaxError, OSError, ValueError):
            continue  # a broken curated file is the integrity checks' business, not the importer's
    rows = store.query(
        "PREFIX oo: <https://w3id.org/openness/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?s ?l ?kind WHERE { { ?s a oo:Organisation BIND('organisation' AS ?kind) } UNION "
        "{ ?s a ?c . VALUES ?c { oo:AIModel oo:AISystem oo:SoftwareProject oo:HardwareProject oo:DatasetProject "
        "oo:Platform oo:Service } BIND('project' AS ?kind) } ?s rdfs:label ?l }")
    for row in rows:
        out[row["kind"].value].setdefault(name_key(row["l"].value), IRI(row["s"].value))
    return out


def name_key(name: str) -> str:
    """A label normalised for matching across sources ('Llama-2 ' and 'llama 2' alike)."""
    return slugify(name).replace("-", "")


# --- writing ----------------------------------------------------------------------------------

def write_atomically(out: Path, text: str) -> None:
    """Write `text` to a temporary file beside `out`, then move it into place (nothing half written).

    Only a regular file is replaced, keeping its mode; a FIFO, device, folder or symlink is refused."""
    files.write_atomically(out, text)


@dataclass
class Report:
    """Counts and warnings of one import, shown at the end (stderr, or JSON)."""

    source: str
    read: int = 0
    imported: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)

    def skip(self, record: str, why: str) -> None:
        self.skipped.append((record, why))

    def as_dict(self) -> dict[str, object]:
        return {"source": self.source, "read": self.read, "imported": self.imported,
                "skipped": [{"record": r, "why": w} for r, w in self.skipped],
                "warnings": list(self.warnings), **self.extra}


@contextmanager
def progress(total: int, label: str, enabled: bool = True):
    """A progress bar on stderr for imports of more than a few records; yields an `advance()`."""
    if not enabled or total <= 5:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)

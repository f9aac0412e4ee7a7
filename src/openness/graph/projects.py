"""Projects: list them, resolve what a user typed (slug, IRI or label) to one IRI, describe one."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import OpennessError, suggest
from .iris import DEFAULT_BASE, slug_of, slugify
from .query import QueryResult, plain, saved_queries


@dataclass(frozen=True)
class ProjectRef:
    id: str
    iri: str
    label: str
    kind: str
    identifier: str | None

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "iri": self.iri, "label": self.label, "kind": self.kind, "identifier": self.identifier}


def list_projects(backend, iris: list[str] | None = None) -> list[ProjectRef]:
    """Every project in the graph, sorted by id; with `iris`, only those of them that are projects
    (looked up one by one: the catalogue is not scanned)."""
    text = saved_queries()["projects"].text
    if iris is None:
        rows = backend.run(text)
        variables, found = rows.variables, rows.rows
    else:
        variables, found = ["project", "label", "kind", "identifier"], []
        for iri in dict.fromkeys(iris):
            result = backend.run(text, {"project": ox.NamedNode(iri)})
            variables = result.variables
            found.extend(result.rows)
    out = []
    for row in found:
        if not isinstance(row[variables.index("project")], ox.NamedNode):
            _skipped_once(row[variables.index("project")])
            continue
        values = dict(zip(variables, (plain(c) for c in row)))
        iri = str(values["project"])
        out.append(ProjectRef(slug_of(iri), iri, str(values.get("label") or slug_of(iri)),
                              slugify(str(values.get("kind") or "project")),
                              None if values.get("identifier") is None else str(values["identifier"])))
    return sorted(out, key=lambda p: (p.id, p.iri))


_REPORTED: set[str] = set()


def _skipped_once(node: object) -> None:
    """A project without an IRI in a stored or bundled graph: reported once on stderr, then left out."""
    import sys

    from ..text import clean

    key = str(node)
    if key not in _REPORTED:
        _REPORTED.add(key)
        print(clean(f"openness: warning: skipped a project without an IRI ({key}, a blank node): "
                    "fix its record so it has one"), file=sys.stderr)


def resolve_project(backend, given: str, projects: list[ProjectRef] | None = None) -> ProjectRef:
    """The one project `given` names: its IRI, its id (slug), or its label (case-insensitive).

    An IRI, or an id that names a project in the project namespace, is looked up directly, so naming
    one project does not list the catalogue; labels and suggestions need the whole list."""
    text = given.strip()
    if projects is None and text:
        direct = text if "://" in text else DEFAULT_BASE + "project/" + text
        if "://" in text or slugify(text) == text:
            try:
                hits = list_projects(backend, [direct])
            except ValueError:  # not an IRI pyoxigraph accepts: the full list says what is close
                hits = []
            if hits:
                return hits[0]
    projects = projects if projects is not None else list_projects(backend)
    by_iri = [p for p in projects if p.iri == text]
    if by_iri:
        return by_iri[0]
    by_id = [p for p in projects if p.id == text]
    if len(by_id) == 1:
        return by_id[0]
    by_label = [p for p in projects if p.label.casefold() == text.casefold()]
    if len(by_label) == 1:
        return by_label[0]
    fits = by_id or by_label
    if len(fits) > 1:
        listed = "; ".join(f"{p.id} ({p.iri})" for p in fits)
        raise OpennessError(f"{given!r} fits several projects: {listed}; name one by its id or IRI")
    names = [p.id for p in projects] + [p.label for p in projects]
    raise OpennessError(f"unknown project {given!r}{suggest(text, names)}; `openness projects` lists them")


def resolve_licence(backend, given: str) -> str:
    """The IRI of the licence `given` names: its IRI, slug, SPDX id or label (case-insensitive)."""
    result = backend.run(saved_queries()["licences"].text)
    rows = [dict(zip(result.variables, (plain(c) for c in row))) for row in result.rows]
    text, folded, slug = given.strip(), given.strip().casefold(), slugify(given)
    matchers = (
        lambda r: str(r["licence"]) == text,
        lambda r: slug_of(str(r["licence"])) == slug,
        lambda r: str(r.get("spdx_id") or "").casefold() == folded,
        lambda r: str(r.get("label") or "").casefold() == folded,
    )
    for matches in matchers:
        hits = sorted({str(r["licence"]) for r in rows if matches(r)})
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise OpennessError(f"{given!r} fits several licences: {', '.join(hits)}")
    names = [str(r["spdx_id"]) for r in rows if r.get("spdx_id")] + [slug_of(str(r["licence"])) for r in rows]
    raise OpennessError(f"unknown licence {given!r}{suggest(text, names)}; `openness query run licences` lists them")


def describe(backend, project: ProjectRef) -> dict[str, list[dict[str, object]]]:
    """What the graph says about a project, section by section, from the project-* saved queries."""
    queries = saved_queries()
    binding = {"project": ox.NamedNode(project.iri)}
    sections: dict[str, list[dict[str, object]]] = {}
    for name in ("project-facts", "project-components", "project-claims", "project-assessments"):
        result: QueryResult = backend.run(queries[name].text, binding)
        sections[name.removeprefix("project-")] = [
            {v: plain(c) for v, c in zip(result.variables, row) if v != "project"} for row in result.rows]
    return sections

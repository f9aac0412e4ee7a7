"""A Hugging Face model card's YAML front matter to a release description the claims can validate.

Only what the card states becomes a fact; what it does not state is listed with oo:notStated on the
release (unknown, never assumed), so a claim's explanation can say which fact would decide it.
Nothing is downloaded: the card is a local file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..errors import OpennessError
from ..graph.iris import slugify
from .common import IRI, Graph, inst, q, read_text, read_yaml, url_iri, xsd_date
from .spdx import Normaliser

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(\r?\n|\Z)", re.S)

# Component kinds the claims ask about that a card's metadata never covers: always not stated.
# The card's base_model_relation (Hugging Face's values) -> the ontology's derivation property. A card
# that names a base_model without a relation is read as a fine-tune (Hugging Face's own default reading).
BASE_RELATIONS = {"finetune": "oo:fineTunedFrom", "adapter": "oo:fineTunedFrom", "merge": "oo:mergedFrom",
                  "quantized": "oo:quantisedFrom"}

# The curated releases that state a Hugging Face repository id (oo:huggingFaceRepo), bound as a literal.
RESOLVE_BASE = """PREFIX oo: <https://w3id.org/openness/ontology#>
SELECT ?repo ?release WHERE { ?release oo:huggingFaceRepo ?repo . } ORDER BY ?release"""

Resolver = Callable[[str], list[str]]


def base_resolver(dataset) -> Resolver:
    """A function from a repo id to the IRIs of the releases in `dataset` that state it as oo:huggingFaceRepo."""
    import pyoxigraph as ox

    def resolve(repo_id: str) -> list[str]:
        _, rows = dataset.select(RESOLVE_BASE, {"repo": ox.Literal(repo_id)})
        return sorted({row[1].value for row in rows})

    return resolve


NEVER_IN_FRONT_MATTER = ("oo:TrainingCode", "oo:DataPreprocessingCode", "oo:EvaluationCode", "oo:InferenceCode",
                         "oo:IntermediateParameters", "oo:DataCard", "oo:TechnicalReport", "oo:ResearchPaper")


def front_matter(path: Path) -> dict:
    """The card's YAML front matter; a card without one, or malformed YAML, is an error naming the file."""
    # A byte-order mark is dropped; non-UTF-8 is an error naming the file. A card's body may be large
    # (embedded images), its front matter is held to read_yaml's limit.
    text = read_text(path, limit=64 * 1024 * 1024)
    match = _FRONT.match(text)
    if not match:
        raise OpennessError(f"{path}:1: no YAML front matter (a model card starts with a '---' block)")
    # Line numbers of the block are those of the file: the block starts on line 2.
    data = read_yaml(path, "\n" + match.group(1))
    if not isinstance(data, dict):
        raise OpennessError(f"{path}:2: the front matter is not a mapping of fields")
    return data


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if str(v or "").strip()]


def card_to_graph(path: Path, repo_id: str | None, retrieved: str,
                  resolve_base: Resolver | None = None) -> tuple[Graph, dict]:
    """The project, release and components the card describes, and the list of what it does not state.

    Each base_model is resolved with `resolve_base` to the curated release stating that repository id
    (oo:huggingFaceRepo) and linked with the derivation property of base_model_relation; a base no
    release states is linked to a placeholder release carrying only its repository id, whose licence
    is therefore unknown (so `derive` answers undetermined rather than trusting the card's own label)."""
    meta = front_matter(Path(path))
    index = meta.get("model-index") if isinstance(meta.get("model-index"), list) else []
    name = repo_id or (index[0].get("name") if index and isinstance(index[0], dict) else None) \
        or Path(path).resolve().parent.name
    slug = "hf-" + slugify(name)
    page = IRI(f"https://huggingface.co/{repo_id}") if repo_id and "/" in repo_id else None
    g = Graph()
    project, release = inst("project", slug), inst("release", slug)
    checked = xsd_date(retrieved)

    def stamp(node: IRI) -> None:
        g.add(node, q("dct:source"), page or IRI(Path(path).resolve().as_uri()))
        g.add(node, q("oo:checkedOn"), checked)

    g.add(project, q("rdf:type"), q("oo:AIModel"))
    g.add(project, q("rdfs:label"), name)
    g.add(project, q("dct:identifier"), name)
    g.add(project, q("oo:hasRelease"), release)
    g.add(project, q("oo:currentRelease"), release)
    g.add(project, q("foaf:homepage"), page)
    stamp(project)
    g.add(release, q("rdf:type"), q("oo:Release"))
    g.add(release, q("rdfs:label"), f"{name} (model card)")
    g.add(release, q("oo:releaseOf"), project)
    for tag in _as_list(meta.get("pipeline_tag")) + _as_list(meta.get("library_name")):
        g.add(release, q("dct:subject"), tag)
    relation_name = str(meta.get("base_model_relation") or "finetune").strip().lower()
    if relation_name not in BASE_RELATIONS:
        raise OpennessError(f"{path}: base_model_relation {relation_name!r} is not one of "
                            f"{', '.join(sorted(BASE_RELATIONS))}")
    bases: dict[str, list[str]] = {}
    for base in _as_list(meta.get("base_model")):
        g.add(release, q("prov:wasDerivedFrom"), inst("project", "hf-" + slugify(base)))
        found = resolve_base(base) if resolve_base else []
        bases[base] = found
        targets = [IRI(iri) for iri in found]
        if not targets:
            placeholder = inst("release", "hf-" + slugify(base))
            g.add(placeholder, q("rdf:type"), q("oo:Release"))
            g.add(placeholder, q("rdfs:label"), f"{base} (base model named by a card; not described)")
            g.add(placeholder, q("oo:huggingFaceRepo"), base)
            stamp(placeholder)
            targets = [placeholder]
        for target in targets:
            g.add(release, q(BASE_RELATIONS[relation_name]), target)
    stamp(release)

    not_stated: list[str] = []
    licences, declared = _licence(meta, g)

    def component(kind: str, suffix: str, label: str) -> IRI:
        node = inst("component", f"{slug}-{suffix}")
        g.add(release, q("oo:hasComponent"), node)
        g.add(node, q("rdf:type"), q("oo:Component"))
        g.add(node, q("rdfs:label"), f"{name}: {label}")
        g.add(node, q("oo:componentKind"), q(kind))
        stamp(node)
        return node

    # The card itself is published with the model, under the repository's licence.
    for kind, suffix, label in (("oo:ModelCard", "model-card", "model card"),
                                ("oo:FinalParameters", "final-parameters", "final parameters")):
        node = component(kind, suffix, label)
        if kind == "oo:ModelCard":
            g.add(node, q("oo:availability"), q("oo:Public"))
        g.add(node, q("dcat:downloadURL"), page)
        if declared:
            g.add(node, q("oo:declaredLicence"), declared)
        for lic in licences:
            g.add(node, q("dct:license"), lic)
    if not declared:
        not_stated.append("licence")
    # Whether the weights are public or gated is not in the front matter (gating is a repository setting).
    not_stated.append("availability of the final parameters")

    datasets = _as_list(meta.get("datasets"))
    if datasets:
        node = component("oo:DataInformation", "data-information", "training data listed on the card")
        g.add(node, q("oo:availability"), q("oo:Public"))
        g.add(node, q("oo:coversItem"), q("oo:PublicDataListing"))
        for ds in datasets:
            g.add(node, q("rdfs:seeAlso"), url_iri(f"https://huggingface.co/datasets/{ds}"))
    else:
        not_stated.append("training datasets")
    if index:
        node = component("oo:EvaluationResults", "evaluation-results", "evaluation results (model-index)")
        g.add(node, q("oo:availability"), q("oo:Public"))
        for lic in licences:
            g.add(node, q("dct:license"), lic)
    else:
        not_stated.append("evaluation results")
    for kind in NEVER_IN_FRONT_MATTER:
        g.add(release, q("oo:notStated"), q(kind))
        not_stated.append(kind.removeprefix("oo:"))
    if not datasets:
        g.add(release, q("oo:notStated"), q("oo:Datasets"))
    if not index:
        g.add(release, q("oo:notStated"), q("oo:EvaluationResults"))
    return g, {"project": str(project), "not_stated": not_stated, "licence": declared, "base_models": bases,
               "base_relation": BASE_RELATIONS[relation_name] if bases else None}


def _licence(meta: dict, g: Graph) -> tuple[list[IRI], str | None]:
    """The card's licence: an SPDX-style id (`license`), or `other` with `license_name` and `license_link`."""
    raw = _as_list(meta.get("license"))
    if not raw:
        return [], None
    declared = " AND ".join(raw)
    if raw == ["other"]:
        lname = str(meta.get("license_name") or "").strip()
        if not lname:
            return [IRI(q("oo:LicenceUndisclosed"))], "other"
        found = Normaliser().normalise(lname)
        node = found.iris[0] if found and len(found.iris) == 1 else inst("licence", lname)
        g.add(node, q("rdf:type"), q("oo:Licence"))
        g.add(node, q("rdfs:label"), lname)
        g.add(node, q("foaf:page"), url_iri(meta.get("license_link")))
        return [node], lname
    normaliser = Normaliser()
    out: list[IRI] = []
    for item in raw:
        found = normaliser.normalise(item)
        if found:
            out += list(found.iris)
    return out, declared


def hf_header(command: str, path: Path, info: dict) -> list[str]:
    return [
        "Generated file: do not edit (docs/conventions.md). A release described from a Hugging Face model card.",
        f"Made by: {command}",
        f"Source: the card's YAML front matter ({Path(path).name}); not stated by it: {', '.join(info['not_stated'])}.",
    ]

"""User input checked before it is judged: a publisher's typo is bad input (exit 2), never a verdict.

Every `--data` file and `validate --file` is checked after loading and before anything is computed:
- every term of a vocabulary the ontology uses (oo:, dct:, dcat:, foaf:, prov:, odrl:, skos:, rdf:,
  rdfs:, owl:, xsd:, doap:, void:, cc:) must be a known term of it, as predicate, class or value
  (`dct:licence` for `dct:license`, `oo:TrainingCod`, `oo:Open` are caught with the closest terms);
- a licence IRI must be one the graph describes (`licence:apache-2.0` -> did you mean licence:apache-2-0?);
- a value of an object property (oo:availability, dct:license, ...) must be a resource, not a string,
  except that a string that is exactly an SPDX id or a known licence's name (`dct:license "MIT"`) is
  accepted as that licence, with a notice on stderr, and judged as such;
- a project must have an IRI (a blank-node project cannot be named, linked or reported);
- for files that are judged (`validate --file`, `validate`/`report` with `--data`), the integrity
  shapes (shapes/integrity.ttl) must hold.
The message names the file, the subject and the value. Only the user's own graphs are checked; the
bundled graph is checked by the test suite.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import pyoxigraph as ox

from ..errors import OpennessError
from ..graph.vocabulary import LICENCE_BASE, Vocabulary, prefixed, vocabulary

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
MAX_LISTED = 5

_TERMS = """
SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"""
_BLANK_PROJECTS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oo: <https://w3id.org/openness/ontology#>
SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s a ?c } ?c rdfs:subClassOf* oo:Project . FILTER(isBlank(?s)) }"""


def _show(term) -> str:
    if isinstance(term, ox.NamedNode):
        return prefixed(term.value)
    if isinstance(term, ox.BlankNode):
        return "a blank node"
    return f'"{term.value}"'


def _did_you_mean(options: list[str]) -> str:
    return f" (did you mean {' or '.join(options)}?)" if options else ""


def _check_graph(dataset, graph: ox.NamedNode, path: str, vocab: Vocabulary,
                 notice: Callable[[str], None]) -> list[str]:
    """Problems of one user graph; fixes `"MIT"`-style licence strings in place (with a notice)."""
    problems: list[str] = []
    _, blanks = dataset.select(_BLANK_PROJECTS, {"g": graph})
    if blanks:
        problems.append(f"{path}: a project is a blank node ([] a oo:AIModel): give it an IRI so it can be named")
    rewrites: list[tuple[ox.Quad, ox.Quad]] = []
    seen: set[tuple[str, str]] = set()
    known: dict[str, bool] = {}  # the same IRIs recur on every line of a catalogue

    def knows(iri: str) -> bool:
        found = known.get(iri)
        if found is None:
            found = known[iri] = vocab.knows(iri)
        return found

    for quad in dataset.store.quads_for_pattern(None, None, None, graph):
        s, p, o = quad.subject, quad.predicate, quad.object
        if not knows(p.value) and ("p", p.value) not in seen:
            seen.add(("p", p.value))
            problems.append(f"{path}: {_show(s)} uses the unknown property {prefixed(p.value)}"
                            f"{_did_you_mean(vocab.suggest(p.value))}")
        if isinstance(o, ox.NamedNode):
            if not knows(o.value) and ("o", o.value) not in seen:
                seen.add(("o", o.value))
                if o.value.startswith(LICENCE_BASE):
                    hint = _did_you_mean(vocab.suggest(o.value))
                    problems.append(f"{path}: {_show(s)} {prefixed(p.value)} names the unknown licence "
                                    f"{prefixed(o.value)}{hint}; `openness query run licences` lists them")
                else:
                    what = "class" if p.value == RDF_TYPE else "term"
                    problems.append(f"{path}: {_show(s)} {prefixed(p.value)} uses the unknown {what} "
                                    f"{prefixed(o.value)}{vocab.expected(p.value, o.value)}")
        elif isinstance(o, ox.Literal) and p.value in vocab.object_properties:
            if p.value.endswith("/license"):
                licence = vocab.licence_for_text(o.value)
                if licence is not None:
                    notice(f"openness: notice: {path}: {_show(s)} dct:license \"{o.value}\" is read as "
                           f"{prefixed(licence.iri)}; write the IRI to silence this notice")
                    rewrites.append((quad, ox.Quad(s, p, ox.NamedNode(licence.iri), graph)))
                    continue
                close = vocab.closest_licences(o.value)
                problems.append(f"{path}: {_show(s)} dct:license \"{o.value}\" is a string, not a licence"
                                f"{_did_you_mean(close)}; use a licence IRI such as licence:apache-2-0")
            else:
                problems.append(f"{path}: {_show(s)} {prefixed(p.value)} \"{o.value}\" is a string where a "
                                "resource (an IRI) is expected")
    for old, new in rewrites:
        dataset.store.remove(old)
        dataset.store.add(new)
    return problems


def _integrity(dataset, graph: ox.NamedNode, path: str) -> list[str]:
    """Integrity shape violations of one user graph (with the ontology, so classes are known).

    The shapes run set-based on the store (core_sparql: one query per constraint over the user's graph
    and the ontology graph); a shape it cannot compile, or every shape when the store holds no
    ontology graph, runs on pySHACL over the same triples, as all of them once did."""
    from . import core_sparql
    from .catalogue import INTEGRITY_PREFIX, shapes_graph
    from .results import Result

    shapes = tuple(sorted({str(s) for s in shapes_graph().subjects() if str(s).startswith(INTEGRITY_PREFIX)}))
    ontology = next((s.graph for s in dataset.sources if s.name == "ontology"), None)
    checks, left = core_sparql.compiled(shapes) if ontology is not None else ([], list(shapes))
    results = core_sparql.run(dataset.store, [graph, ox.NamedNode(ontology)], checks) if checks else []
    if left:
        results = sorted(results + _integrity_pyshacl(dataset, graph, left), key=Result.sort_key)
    return integrity_lines(results, path)


def integrity_lines(results, path: str) -> list[str]:
    """One line per violation, naming the file and the subject, in the results' order."""
    return [f"{path}: {prefixed(r.focus) if not r.focus.startswith('_:') else 'a blank node'}: {r.message}"
            for r in results if r.severity == "Violation"]


def _integrity_pyshacl(dataset, graph: ox.NamedNode, shapes: Sequence[str]) -> list:
    """The results of `shapes` by pySHACL over the user's graph plus the ontology (the reference)."""
    from .closure import data_graph
    from .pyshacl_engine import run_shacl

    triples = [q.triple for q in dataset.store.quads_for_pattern(None, None, None, graph)]
    return run_shacl(data_graph(dataset, triples), shapes)


def _check_key(hashes: dict[str, str], graph: str, judged: bool) -> str | None:
    """What a clean check of `graph` depended on: every loaded source (the vocabulary and the licences
    known come from all of them), the checks run, this version. None without an on-disk store, where
    nothing is remembered and every run checks."""
    if graph not in hashes:
        return None
    from .. import __version__

    basis = "\n".join([__version__, "judged" if judged else "read", *sorted(f"{g} {h}" for g, h in hashes.items())])
    return hashlib.sha256(basis.encode()).hexdigest()


def check_user_data(dataset, judged: bool = False, notice: Callable[[str], None] | None = None,
                    only: Sequence[str] | None = None) -> None:
    """Raise OpennessError (exit 2) listing what is wrong in the user's graphs of `dataset`.

    `judged` adds the integrity shapes (for files whose claims are about to be checked); `only`
    restricts the check to the sources with these graph IRIs. With an on-disk store, a graph that passed
    the same checks over the same sources is not checked again (the store remembers it), so a catalogue
    is checked once, not on every command."""
    users = [s for s in dataset.sources if s.name.startswith("data:") and (only is None or s.graph in only)]
    if not users:
        return
    hashes = dataset.content_hashes()
    vocab = None
    problems: list[str] = []
    for source in users:
        key = _check_key(hashes, source.graph, judged)
        if key is not None and dataset.passed(source.graph, key):
            continue
        vocab = vocab or vocabulary(dataset)
        graph = ox.NamedNode(source.graph)
        path = str(source.files[0]) if len(source.files) == 1 else source.name.removeprefix("data:")
        found = _check_graph(dataset, graph, path, vocab, notice or (lambda text: None))
        if judged and not found:
            found = _integrity(dataset, graph, path)
        if key is not None and not found:
            dataset.remember_passed(source.graph, key)
        problems.extend(found)
    if problems:
        more = f" (and {len(problems) - MAX_LISTED} more)" if len(problems) > MAX_LISTED else ""
        raise OpennessError("; ".join(problems[:MAX_LISTED]) + more)

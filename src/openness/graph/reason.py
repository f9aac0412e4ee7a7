"""OWL reasoning over the ontology and curated data: consistency and inferred classifications.

Two engines, because measured here HermiT (through owlready2) did not finish in 300 s on a synthetic
catalogue of 1,000 projects (about 9,700 individuals) while the bundled curated graph takes seconds:
- HermiT (OWL 2 DL, complete; needs Java) for the ontology plus curated data;
- OWL 2 RL by forward chaining (owlrl, on rdflib) for large data: incomplete for DL, but linear enough.
`auto` picks HermiT up to AUTO_HERMIT_LIMIT individuals, OWL 2 RL above.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import OpennessError

OO = "https://w3id.org/openness/ontology#"
AUTO_HERMIT_LIMIT = 5000
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL = "http://www.w3.org/2002/07/owl#"


@dataclass
class ReasonResult:
    reasoner: str
    consistent: bool
    individuals: int
    inferred: list[dict[str, str]] = field(default_factory=list)
    explanation: str = ""
    notices: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"reasoner": self.reasoner, "consistent": self.consistent, "individuals": self.individuals,
                "explanation": self.explanation, "inferred": self.inferred}


def curated_graph(extra: tuple[Path, ...] = ()):
    """The ontology and the hand-curated data (not the generated catalogue snapshots, not the shapes)."""
    from .dataset import Dataset

    dataset = Dataset.load(extra, include_generated=False, include_shapes=False)
    return dataset.to_rdflib()


def _labels(graph) -> dict[str, str]:
    from rdflib import RDFS

    return {str(s): str(o) for s, o in graph.subject_objects(RDFS.label)}


def _count_individuals(graph) -> int:
    from rdflib import OWL as ROWL
    from rdflib import RDF

    classes = set(graph.subjects(RDF.type, ROWL.Class))
    return len({s for s, o in graph.subject_objects(RDF.type) if o not in (ROWL.Class, ROWL.Ontology)
                and s not in classes and str(o).startswith(OO)})


def _oo_types(graph) -> set[tuple[str, str]]:
    from rdflib import RDF, URIRef

    return {(str(s), str(o)) for s, o in graph.subject_objects(RDF.type)
            if isinstance(s, URIRef) and str(o).startswith(OO)}


def _describe(pairs: set[tuple[str, str]], labels: dict[str, str]) -> list[dict[str, str]]:
    rows = [{"individual": labels.get(s, s), "iri": s, "class": labels.get(c, c.removeprefix(OO))} for s, c in pairs]
    return sorted(rows, key=lambda r: (r["class"], r["individual"], r["iri"]))


def _all_different_violations(graph) -> list[str]:
    """owl:AllDifferent members stated or inferred owl:sameAs (rule eq-diff2), checked over every pair:
    owlrl 7.6.2 skips the last member of each list (an off-by-one in its own eq-diff2)."""
    from rdflib import RDF, URIRef
    from rdflib.collection import Collection

    out = []
    for group in graph.subjects(RDF.type, URIRef(OWL + "AllDifferent")):
        for listed in list(graph.objects(group, URIRef(OWL + "distinctMembers"))) + list(
                graph.objects(group, URIRef(OWL + "members"))):
            members = list(Collection(graph, listed))
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    if (a, URIRef(OWL + "sameAs"), b) in graph or (b, URIRef(OWL + "sameAs"), a) in graph:
                        out.append(f"{a} and {b} are declared different but inferred the same")
    return sorted(set(out))


def reason_owlrl(graph) -> ReasonResult:
    """OWL 2 RL closure with owlrl: new oo: types are the inferred classifications."""
    import owlrl
    from rdflib import RDF, URIRef

    before = _oo_types(graph)
    individuals = _count_individuals(graph)
    closure = owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False,
                                     datatype_axioms=False)
    closure.expand(graph)
    nothing = [str(s) for s in graph.subjects(RDF.type, URIRef(OWL + "Nothing"))]
    # owlrl records inconsistencies as err:ErrorMessage nodes in the graph itself.
    error_ns = "http://www.daml.org/2002/03/agents/agent-ont#"
    errors = sorted(str(m) for m in graph.objects(None, URIRef(error_ns + "error")))
    errors += _all_different_violations(graph)
    consistent = not nothing and not errors
    explanation = "; ".join(errors[:5] + [f"{s} is an instance of owl:Nothing" for s in nothing[:5]])
    inferred = _oo_types(graph) - before
    return ReasonResult("owl-rl (owlrl)", consistent, individuals, _describe(inferred, _labels(graph)), explanation)


_XSD = "http://www.w3.org/2001/XMLSchema#"
# The OWL 2 datatype map (https://www.w3.org/TR/owl2-syntax/#Datatype_Maps): HermiT accepts only these.
_OWL2_DATATYPES = {_XSD + n for n in (
    "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int short byte "
    "unsignedLong unsignedInt unsignedShort unsignedByte double float string normalizedString token language "
    "Name NCName NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp").split()} | {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#PlainLiteral", "http://www.w3.org/1999/02/22-rdf-syntax-ns#XMLLiteral",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", "http://www.w3.org/2000/01/rdf-schema#Literal",
    OWL + "real", OWL + "rational"}


def owl2_datatypes_only(graph):
    """A copy of the graph HermiT can read: xsd:date becomes xsd:dateTime (midnight UTC), any other
    datatype outside the OWL 2 map becomes a plain string, and range axioms to such datatypes go."""
    from rdflib import RDFS, Graph, Literal, URIRef

    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None and str(o.datatype) not in _OWL2_DATATYPES:
            if str(o.datatype) == _XSD + "date":
                o = Literal(f"{o}T00:00:00Z", datatype=URIRef(_XSD + "dateTime"))
            else:
                o = Literal(str(o))
        elif p == RDFS.range and str(o).startswith(_XSD) and str(o) not in _OWL2_DATATYPES:
            if str(o) != _XSD + "date":
                continue
            o = URIRef(_XSD + "dateTime")
        out.add((s, p, o))
    return out


def reason_hermit(graph) -> ReasonResult:
    """HermiT through owlready2 (which reads N-Triples, not Turtle: the graph crosses as a temp file)."""
    if not shutil.which("java"):
        raise OpennessError("Java is not installed, and HermiT needs it: install a JRE (Debian: "
                            "apt-get install default-jre-headless) or use --reasoner owl-rl")
    import owlready2

    labels = _labels(graph)
    individuals = _count_individuals(graph)
    before = _oo_types(graph)
    with tempfile.TemporaryDirectory(prefix="openness-reason-") as tmp:
        path = Path(tmp) / "graph.nt"
        owl2_datatypes_only(graph).serialize(destination=str(path), format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load(format="ntriples")
        except Exception as exc:  # owlready2 raises bare exceptions on input it cannot read
            raise OpennessError(f"owlready2 could not read the graph: {exc}") from None
        try:
            # owlready2 prints the Java command line on stdout; keep stdout for results.
            with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasonResult("hermit (owlready2)", False, individuals, [],
                                "HermiT found the ontology and data inconsistent")
        except (subprocess.CalledProcessError, OSError) as exc:
            raise OpennessError(f"HermiT failed to run: {exc}") from None
        # world.individuals() lists nothing for a graph loaded from N-Triples, so ask for each
        # subject the input typed with an oo: class.
        after = set()
        for subject in {s for s, _ in before}:
            entity = world[subject]
            for cls in getattr(entity, "INDIRECT_is_a", ()):
                iri = getattr(cls, "iri", None)
                if iri and iri.startswith(OO):
                    after.add((subject, iri))
    return ReasonResult("hermit (owlready2)", True, individuals, _describe(after - before, labels))


# Longest literal given to a reasoner: its text never decides a classification, but one of 1 MB took
# HermiT 20 s and 800 MB. Longer ones are cut to this length (a notice says which).
MAX_LITERAL = 10_000


def reasonable_literals(graph) -> list[str]:
    """Refuse ill-typed literals ("yesterday"^^xsd:date: bad input, exit 2) and cut long ones in place;
    the notices say what was cut."""
    from rdflib import Literal

    notices, long = [], []
    for s, p, o in graph:
        if not isinstance(o, Literal):
            continue
        if getattr(o, "ill_typed", False):
            datatype = str(o.datatype).replace(_XSD, "xsd:")
            raise OpennessError(f"ill-typed literal {str(o)[:60]!r}^^{datatype} on <{s}> <{p}>: not a valid "
                                f"{datatype} value; fix the data")
        if len(o) > MAX_LITERAL:
            long.append((s, p, o))
    for s, p, o in long:
        graph.remove((s, p, o))
        graph.add((s, p, Literal(str(o)[:MAX_LITERAL], lang=o.language, datatype=o.datatype)))
        notices.append(f"a literal of {len(o):,} characters on <{s}> <{p}> was cut to {MAX_LITERAL:,} for the reasoner")
    return notices


def reason(extra: tuple[Path, ...] = (), reasoner: str = "auto") -> ReasonResult:
    """Check the ontology + curated data (+ extra files) for consistency and list inferred classes."""
    graph = curated_graph(extra)
    notices = reasonable_literals(graph)
    if reasoner == "auto":
        reasoner = "hermit" if _count_individuals(graph) <= AUTO_HERMIT_LIMIT else "owl-rl"
    if reasoner == "hermit":
        result = reason_hermit(graph)
    elif reasoner == "owl-rl":
        result = reason_owlrl(graph)
    else:
        raise OpennessError(f"unknown reasoner {reasoner!r}: expected auto, hermit or owl-rl")
    result.notices = notices
    return result

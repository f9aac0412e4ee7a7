"""claims/lateral.py: the triple patterns inside (NOT) EXISTS chained by LATERAL give the same answers,
and a group it cannot read with certainty is left exactly as written."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from openness.claims import batch, setbased
from openness.claims.catalogue import claim_shapes, claims
from openness.claims.lateral import exists_as_lateral

E = "https://e.org/"


def _store() -> ox.Store:
    store = ox.Store()
    for r in range(6):
        release = ox.NamedNode(f"{E}r{r}")
        store.add(ox.Quad(ox.NamedNode(f"{E}p{r}"), ox.NamedNode(E + "current"), release))
        for c in range(r):  # release r has r components; kinds and licences vary
            comp = ox.NamedNode(f"{E}r{r}c{c}")
            store.add(ox.Quad(release, ox.NamedNode(E + "has"), comp))
            store.add(ox.Quad(comp, ox.NamedNode(E + "kind"), ox.NamedNode(E + ("weights" if c % 2 else "code"))))
            if c % 3:
                store.add(ox.Quad(comp, ox.NamedNode(E + "licence"), ox.NamedNode(f"{E}l{c % 3}")))
    store.add(ox.Quad(ox.NamedNode(E + "l1"), ox.NamedNode(E + "open"), ox.Literal(True)))
    return store


QUERIES = [
    # a chain inside NOT EXISTS, with ; and , abbreviations and a FILTER on a variable bound outside
    """SELECT ?r WHERE { ?p <https://e.org/current> ?r .
         FILTER NOT EXISTS { ?r <https://e.org/has> ?c . ?c <https://e.org/kind> ?k ; <https://e.org/licence> ?l .
                             ?l <https://e.org/open> true , true . FILTER(?k = <https://e.org/weights>) } }""",
    # EXISTS inside an expression, a nested NOT EXISTS and a UNION inside it
    """SELECT ?r ?x WHERE { ?p <https://e.org/current> ?r .
         BIND(IF(EXISTS { ?r <https://e.org/has> ?c . ?c <https://e.org/kind> <https://e.org/code> .
                          FILTER NOT EXISTS { ?c <https://e.org/licence> ?l . ?l <https://e.org/open> true } }, "a", "b") AS ?x)
         FILTER(!EXISTS { { ?r <https://e.org/has> ?d . ?d <https://e.org/licence> <https://e.org/l2> }
                          UNION { ?r <https://e.org/has> ?d . ?d <https://e.org/kind> ?dk . ?dk a <https://e.org/Nothing> } }) }""",
]


@pytest.mark.parametrize("query", QUERIES)
def test_same_answers_with_lateral_chains(query):
    store = _store()
    rewritten = exists_as_lateral(query)
    assert "LATERAL" in rewritten
    def rows(text):
        result = store.query(text)
        return sorted(tuple(str(s[v.value]) for v in result.variables) for s in result)
    assert rows(rewritten) == rows(query) != []


def test_unreadable_groups_are_left_as_written():
    for query in (
        "SELECT ?s WHERE { ?s ?p ?o FILTER EXISTS { ?o <https://e.org/n> 5 . ?o ?q ?r } }",  # a number
        "SELECT ?s WHERE { ?s ?p ?o FILTER EXISTS { ?o <https://e.org/n> [ ?a ?b ] . ?o ?q ?r } }",  # [ ... ]
        "SELECT ?s WHERE { ?s ?p ?o FILTER EXISTS { ?o <https://e.org/n> _:b . _:b ?q ?r } }",  # labelled bnode
        "SELECT ?s WHERE { ?s ?p ?o FILTER EXISTS { ?o <https://e.org/n>* ?x . ?x ?q ?r } }",  # repeated path
        "SELECT ?s WHERE { ?s ?p ?o FILTER EXISTS { ?o ?q ?r VALUES ?r { 1 } } }",
    ):
        assert exists_as_lateral(query) == query


def test_every_exists_group_of_the_shapes_is_read(monkeypatch):
    # A shape edit that the rewriting cannot read would silently bring back focus x store costs.
    from openness.claims import lateral

    unread: list[str] = []
    original = lateral._rewrite_group

    def recording(body):
        try:
            return original(body)
        except lateral._Unreadable:
            unread.append(" ".join(body.split())[:120])
            raise

    monkeypatch.setattr(lateral, "_rewrite_group", recording)
    shapes = sorted({s for c in claims().values() for s in claim_shapes(c)})
    jobs = batch._jobs(shapes)
    assert all(query is not None for _, _, _, query in jobs)
    assert sum("LATERAL" in query for _, _, _, query in jobs) >= 40
    assert unread == []
    assert setbased.PER_FOCUS == frozenset()

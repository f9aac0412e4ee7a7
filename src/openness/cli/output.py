"""Rendering of query results for the command line (tables, CSV, JSON; CONSTRUCT as Turtle or N-Triples)."""

from __future__ import annotations

from ..graph.query import QueryResult, plain, rows_as_dicts
from ..text import csv_text, dict_table, shorten_iri, table, to_json

__all__ = ["csv_text", "dict_table", "render_result", "rows_as_dicts", "short", "table", "to_json", "plain"]


def short(value: object) -> object:
    """An IRI as a prefixed name for a terminal table (oo:OSAID10, project:olmo, shape:Osaid10)."""
    from ..linked_data.documents import prefixes_for

    return shorten_iri(value, {**prefixes_for(), "shape": "https://w3id.org/openness/shapes#"})


def render_result(result: QueryResult, fmt: str, hide: tuple[str, ...] = ()) -> str:
    """A query result in one of the formats table, csv, json (CONSTRUCT results: turtle/ntriples).

    `hide` names columns left out of the table (a saved query's parameters: the reader gave them)."""
    import pyoxigraph as ox

    if result.form == "ASK":
        return to_json(result.boolean) if fmt == "json" else ("true" if result.boolean else "false")
    if result.form == "CONSTRUCT":
        rdf_format = ox.RdfFormat.N_TRIPLES if fmt in ("nt", "ntriples") else ox.RdfFormat.TURTLE
        return (ox.serialize(result.triples, format=rdf_format) or b"").decode("utf-8")
    dicts = rows_as_dicts(result)
    if fmt == "json":
        return to_json(dicts)
    values = [[d[c] for c in result.variables] for d in dicts]
    if fmt == "csv":
        return csv_text(result.variables, values)
    shown = [c for c in result.variables if c not in hide]
    rows = [[short(d[c]) for c in shown] for d in dicts]
    # Headers read as words on a terminal (copy_make -> "copy make") so they can wrap; csv/json keep the names.
    return table([c.replace("_", " ") for c in shown], rows) + f"{len(rows)} row{'s' if len(rows) != 1 else ''}\n"

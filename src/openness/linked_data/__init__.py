"""Linked data: resource documents in every RDF syntax, site pages, the static publisher, the server
with content negotiation and the SPARQL 1.1 endpoint, push to a triple store, the SPDX 3.0 export.

May import: `openness.claims` (verdicts via `claims.service`), `openness.graph` and the base
modules. Never imports the command line.
"""

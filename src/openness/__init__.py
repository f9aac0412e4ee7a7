"""Openness: a knowledge graph and query tool for open source AI.

Packages, each importing only the ones below it (tests/test_layers.py checks this):

    cli          the command line, one thin module per command group
    linked_data  documents, site pages, publish, serve, SPARQL endpoint, push, SPDX export
    claims       claims catalogue, project closure, validation engines, verdicts, report
    importers    catalogues and cards to RDF (beside claims: imports only graph)
    graph        dataset and store, saved queries, IRIs, projects, reasoning
    base         errors, resources (where the bundled files are), text (JSON, CSV, tables)
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("openness")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

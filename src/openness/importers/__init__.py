"""Importers: catalogues and cards to RDF (EOSAI, MOF, MOF licences, SPDX licence list, Hugging Face
model cards), each with provenance. May import `openness.graph` and the base modules only.
"""

"""The graph engine: the dataset and its store, saved queries and parameter binding, IRIs, projects
and licences as named things, and OWL reasoning.

Owns: `dataset` (bundled files + `--data` + `--store` in Oxigraph, one named graph per source),
`query` (saved .rq files, parameters bound as RDF terms, local and remote backends), `projects`
(resolving a project or licence by id, IRI or label), `iris` (minting and slugs), `reason` (HermiT /
OWL 2 RL), `spdx_context` (the SPDX 3.0.1 JSON-LD context the SPDX export and import share). May
import: `openness.errors`, `openness.resources`, `openness.text`. Knows no claim, no HTTP and no page.
"""

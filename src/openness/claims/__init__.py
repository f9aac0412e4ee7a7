"""Claims and their verdicts: the claims catalogue, the closure of a project, the validation engines
(SHACL-SPARQL on Oxigraph, pySHACL as the reference), results, verdicts, the report.

The verdict flow is catalogue -> closure -> engine -> results -> verdicts (see `service`), and
`service.compute_verdicts` is the one entry point `report`, `publish` and `serve` use. May import:
`openness.graph` and the base modules (`errors`, `resources`, `text`). Knows no HTTP and no page.
"""

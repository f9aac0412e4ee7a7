"""The per-project SPARQL of `openness assess` (each binds ?project, so none scans the catalogue)."""

from __future__ import annotations

from .diligence_sparql import PREFIXES

OWNER = PREFIXES + """
SELECT ?project ?owner ?label ?type ?origin ?source ?checked WHERE {
  ?project oo:owner ?owner .
  OPTIONAL { ?owner rdfs:label ?label . } OPTIONAL { ?owner oo:organisationType ?type . }
  OPTIONAL { ?owner oo:nationalOrigin ?origin . }
  OPTIONAL { ?owner dct:source ?source . } OPTIONAL { ?owner oo:checkedOn ?checked . }
} ORDER BY ?owner ?source
"""

# Whether the graph has what a licence change could be read from: dated releases, licence histories.
HISTORY_BASIS = PREFIXES + """
SELECT ?project (COUNT(DISTINCT ?dated) AS ?datedReleases) (COUNT(DISTINCT ?hist) AS ?histories) WHERE {
  ?project oo:hasRelease ?r .
  OPTIONAL { ?r dct:issued ?d . ?r oo:hasComponent/oo:componentKind oo:FinalParameters . BIND(?r AS ?dated) }
  OPTIONAL { ?r oo:licenceHistory ?hist . }
} GROUP BY ?project
"""

COMMUNITY = PREFIXES + """
SELECT ?project ?node ?property ?value ?source ?checked WHERE {
  {
    VALUES ?property { oo:contributorsLast12Months oo:commitsLast12Months oo:sourceRepository oo:contributionProcess }
    ?project ?property ?value .
    BIND(?project AS ?node)
    OPTIONAL { ?project dct:source ?source . } OPTIONAL { ?project oo:checkedOn ?checked . }
  } UNION {
    { SELECT ?project (MAX(?d) AS ?value) WHERE { ?project oo:hasRelease/dct:issued ?d . } GROUP BY ?project }
    FILTER(BOUND(?value))
    BIND(dct:issued AS ?property)
    ?project oo:hasRelease ?node . ?node dct:issued ?value .
    OPTIONAL { ?node dct:source ?source . } OPTIONAL { ?node oo:checkedOn ?checked . }
  }
} ORDER BY ?property ?value ?source
"""

COMPONENTS = PREFIXES + """
SELECT ?project ?release ?complete ?component ?kind ?availability ?licence ?format ?executes ?note ?source ?checked WHERE {
  ?project oo:currentRelease ?release .
  OPTIONAL { ?release oo:componentListComplete ?complete . }
  OPTIONAL {
    ?release oo:hasComponent ?component .
    OPTIONAL { ?component oo:componentKind ?kind . }
    OPTIONAL { ?component oo:availability ?availability . }
    OPTIONAL { ?component dct:license ?licence . }
    OPTIONAL { ?component oo:fileFormat ?format . OPTIONAL { ?format oo:executesCodeOnLoad ?executes . } }
    OPTIONAL { ?component oo:note ?note . }
    OPTIONAL { ?component dct:source ?source . } OPTIONAL { ?component oo:checkedOn ?checked . }
  }
} ORDER BY ?component ?licence ?format ?source
"""

# Integrity and security facts, on the project, its current release or the release's final parameters.
SECURITY = PREFIXES + """
SELECT ?project ?node ?property ?value ?source ?checked WHERE {
  ?project oo:currentRelease ?release .
  {
    VALUES ?property { oo:securityContact oo:supportChannel }
    ?project ?property ?value . BIND(?project AS ?node)
  } UNION {
    VALUES ?property { oo:checksumPublished oo:signedRelease }
    ?release oo:hasComponent? ?node .
    ?node ?property ?value .
    FILTER(?node = ?release || EXISTS { ?node oo:componentKind oo:FinalParameters })
  }
  OPTIONAL { ?node dct:source ?source . } OPTIONAL { ?node oo:checkedOn ?checked . }
} ORDER BY ?property ?node ?value ?source
"""

# The licences of the current release's components, with what `assess` needs to know about each.
LICENCES = PREFIXES + """
SELECT ?project ?licence ?label ?reviewed ?scope ?hasRules (GROUP_CONCAT(DISTINCT STR(?component); separator=" ") AS ?components)
WHERE {
  ?project oo:currentRelease/oo:hasComponent ?component .
  ?component dct:license ?licence .
  FILTER(?licence NOT IN (oo:LicenceUndisclosed, oo:Unlicensed))
  OPTIONAL { ?licence rdfs:label ?label . }
  OPTIONAL { ?licence oo:termsReviewed ?reviewed . }
  OPTIONAL { ?licence oo:copyleftScope ?scope . }
  BIND(EXISTS { ?licence odrl:permission|odrl:prohibition|odrl:duty ?anyRule . } AS ?hasRules)
} GROUP BY ?project ?licence ?label ?reviewed ?scope ?hasRules ORDER BY ?licence
"""

"""SPARQL shared by `assess` and `derive`: every query is about one project (or one licence), bound as
an RDF term, so none scans the catalogue. Python only groups the rows these queries return.

The link from a string attached (oo:stringAttached, a licence-level statement) to the ODRL rule that
attaches it is the STRING_CLAUSES table below: a string is attached by a rule of that kind whose
action (or constraint left operand) is the one listed. Strings with no rule of their own (unilateral
change, remote restriction, ...) are cited by the licence's own statement of the string.
"""

from __future__ import annotations

# pyoxigraph binds (substitutes) only variables the SELECT projects, so each query projects its parameters.
PREFIXES = """PREFIX oo: <https://w3id.org/openness/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX odrl: <http://www.w3.org/ns/odrl/2/>
PREFIX cc: <http://creativecommons.org/ns#>
PREFIX dalicc: <https://dalicc.net/ns#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""

# oo:derivedFrom and its sub-properties (ontology/openness.ttl, last section), followed through a
# project node to its current release. A test checks this lists every sub-property the ontology has.
LINEAGE_PATH = "((oo:derivedFrom|oo:fineTunedFrom|oo:distilledFrom|oo:mergedFrom|oo:quantisedFrom)/oo:currentRelease?)"
LINEAGE_PROPERTIES = ("derivedFrom", "fineTunedFrom", "distilledFrom", "mergedFrom", "quantisedFrom")

STRING_CLAUSES = """
  VALUES (?string ?ruleProperty ?clauseAction ?clauseOperand) {
    (oo:UserCap odrl:permission UNDEF oo:monthlyActiveUsers) (oo:UserCap odrl:prohibition UNDEF oo:monthlyActiveUsers)
    (oo:AcceptableUsePolicy odrl:prohibition UNDEF odrl:purpose)
    (oo:NonCommercial odrl:prohibition cc:CommercialUse UNDEF) (oo:ResearchOnly odrl:prohibition cc:CommercialUse UNDEF)
    (oo:AttributionDuty odrl:duty cc:Attribution UNDEF) (oo:NamingDuty odrl:duty cc:Attribution UNDEF)
    (oo:NoticeDuty odrl:duty cc:Notice UNDEF) (oo:ShareAlikeDuty odrl:duty cc:ShareAlike UNDEF)
    (oo:SourceDisclosureDuty odrl:duty cc:SourceCode UNDEF)
    (oo:OutputUseRestriction odrl:prohibition dalicc:useForModelTraining UNDEF)
    (oo:GeographicExclusion odrl:prohibition UNDEF oo:licenseeDomicile)
    (oo:GeographicExclusion odrl:permission UNDEF oo:licenseeDomicile)
    (oo:LicenceFee odrl:duty odrl:compensate UNDEF)
    (oo:UseRestrictionFlowDown odrl:obligation odrl:inform UNDEF)
  }
"""

# Each string attached by a licence, with the rule(s) that attach it (none: the licence's statement).
LICENCE_STRINGS = PREFIXES + """
SELECT DISTINCT ?licence ?string ?stringLabel ?ruleProperty ?action ?operand ?operator ?right ?comment ?licLabel ?source ?checked ?reviewed
WHERE {
  ?licence oo:stringAttached ?string .
  OPTIONAL { ?string rdfs:label ?sl . }
  BIND(COALESCE(STR(?sl), STR(?string)) AS ?stringLabel)
  OPTIONAL { ?licence rdfs:label ?ll . }
  BIND(COALESCE(STR(?ll), STR(?licence)) AS ?licLabel)
  OPTIONAL { ?licence dct:source ?source . }
  OPTIONAL { ?licence oo:checkedOn ?checked . }
  OPTIONAL { ?licence oo:termsReviewed ?reviewed . }
  OPTIONAL {
    """ + STRING_CLAUSES + """
    ?licence ?ruleProperty ?rule .
    OPTIONAL { ?rule odrl:action ?action . }
    OPTIONAL { ?rule odrl:constraint ?k .
               OPTIONAL { ?k odrl:leftOperand ?operand ; odrl:operator ?operator .
                          OPTIONAL { ?k odrl:rightOperand ?r1 . } OPTIONAL { ?k odrl:rightOperandReference ?r2 . } }
               BIND(COALESCE(?r1, ?r2) AS ?right) }
    FILTER(!BOUND(?clauseAction) || ?action = ?clauseAction)
    FILTER(!BOUND(?clauseOperand) || ?operand = ?clauseOperand)
    OPTIONAL { ?rule rdfs:comment ?comment . }
  }
}
ORDER BY ?string ?ruleProperty ?action
"""

# The lineage of a project's current release: each derivation edge reachable from it.
LINEAGE_EDGES = PREFIXES + """
SELECT DISTINCT ?project ?child ?childLabel ?relation ?parent ?parentLabel ?source ?checked
WHERE {
  ?project oo:currentRelease ?base .
  ?base """ + LINEAGE_PATH + """* ?child .
  FILTER NOT EXISTS { ?child oo:currentRelease ?projectNode . }
  VALUES ?relation { oo:derivedFrom oo:fineTunedFrom oo:distilledFrom oo:mergedFrom oo:quantisedFrom }
  ?child ?relation ?target .
  OPTIONAL { ?target oo:currentRelease ?targetRelease . }
  BIND(COALESCE(?targetRelease, ?target) AS ?parent)
  OPTIONAL { ?child rdfs:label ?cl . } OPTIONAL { ?parent rdfs:label ?pl . }
  BIND(COALESCE(STR(?cl), STR(?child)) AS ?childLabel) BIND(COALESCE(STR(?pl), STR(?parent)) AS ?parentLabel)
  OPTIONAL { ?child dct:source ?source . } OPTIONAL { ?child oo:checkedOn ?checked . }
}
ORDER BY ?child ?relation ?parent
"""

# The releases of the lineage (the base's current release included) and their weights' licences.
LINEAGE_LICENCES = PREFIXES + """
SELECT DISTINCT ?project ?node ?nodeLabel ?component ?licence ?licLabel ?hasRules ?reviewed ?source ?checked
WHERE {
  ?project oo:currentRelease ?base .
  ?base """ + LINEAGE_PATH + """* ?node .
  FILTER NOT EXISTS { ?node oo:currentRelease ?projectNode . }
  OPTIONAL { ?node rdfs:label ?nl . }
  BIND(COALESCE(STR(?nl), STR(?node)) AS ?nodeLabel)
  OPTIONAL {
    ?node oo:hasComponent ?component .
    ?component oo:componentKind oo:FinalParameters .
    OPTIONAL { ?component dct:license ?licence .
               OPTIONAL { ?licence rdfs:label ?ll . }
               OPTIONAL { ?licence oo:termsReviewed ?reviewed . } }
    OPTIONAL { ?component dct:source ?source . } OPTIONAL { ?component oo:checkedOn ?checked . }
  }
  BIND(COALESCE(STR(?ll), STR(?licence)) AS ?licLabel)
  BIND(EXISTS { ?licence odrl:permission|odrl:prohibition|odrl:duty ?anyRule . } AS ?hasRules)
}
ORDER BY ?node ?licence
"""

# A rule's constraint (left operand, operator, right operand or its reference), comment, and whether it is
# constrained at all: ?rule bound to an ODRL rule; read alike by USE_RULES and LICENCE_TERMS.
RULE_DETAIL = """
OPTIONAL { ?rule odrl:constraint ?k .
           OPTIONAL { ?k odrl:leftOperand ?operand ; odrl:operator ?operator .
                      OPTIONAL { ?k odrl:rightOperand ?r1 . } OPTIONAL { ?k odrl:rightOperandReference ?r2 . } }
           BIND(COALESCE(?r1, ?r2) AS ?right) }
OPTIONAL { ?rule rdfs:comment ?comment . }
BIND(BOUND(?k) AS ?constrained)
"""

# What a licence's rules say about one intended use (?use: "commercial", "research", "redistribute"):
# each rule whose action is the use's action, with its effect; plus strings that forbid the use outright.
USE_RULES = PREFIXES + """
SELECT DISTINCT ?licence ?use ?effect ?ruleProperty ?action ?operand ?operator ?right ?comment ?string ?constrained
WHERE {
  VALUES (?use ?action) {
    ("commercial" cc:CommercialUse) ("research" odrl:use) ("research" cc:DerivativeWorks)
    ("redistribute" cc:Distribution) ("redistribute" cc:DerivativeWorks)
  }
  {
    VALUES ?ruleProperty { odrl:permission odrl:prohibition }
    ?licence ?ruleProperty ?rule .
    ?rule odrl:action ?action .
""" + RULE_DETAIL + """    BIND(IF(?ruleProperty = odrl:prohibition,
            IF(BOUND(?k), "forbidden-if", "forbidden"),
            IF(BOUND(?k), "allowed-if", "allowed")) AS ?effect)
  } UNION {
    VALUES (?use ?string) { ("commercial" oo:NonCommercial) ("commercial" oo:ResearchOnly) }
    ?licence oo:stringAttached ?string .
    BIND("forbidden" AS ?effect)
  }
}
ORDER BY ?effect ?action ?operand
"""

# The duties and prohibitions a licence passes to whoever builds on it (inherited terms).
LICENCE_TERMS = PREFIXES + """
SELECT DISTINCT ?licence ?ruleProperty ?action ?operand ?operator ?right ?comment ?constrained
WHERE {
  VALUES ?ruleProperty { odrl:duty odrl:obligation odrl:prohibition }
  ?licence ?ruleProperty ?rule .
  ?rule odrl:action ?action .
""" + RULE_DETAIL + """}
ORDER BY ?ruleProperty ?action ?operand
"""

LICENCE_INFO = PREFIXES + """
SELECT ?licence ?label ?source ?checked ?reviewed ?scope ?hasRules
WHERE {
  OPTIONAL { ?licence rdfs:label ?label . }
  OPTIONAL { ?licence dct:source ?source . }
  OPTIONAL { ?licence oo:checkedOn ?checked . }
  OPTIONAL { ?licence oo:termsReviewed ?reviewed . }
  OPTIONAL { ?licence oo:copyleftScope ?scope . }
  BIND(EXISTS { ?licence odrl:permission|odrl:prohibition|odrl:duty ?anyRule . } AS ?hasRules)
}
LIMIT 1
"""

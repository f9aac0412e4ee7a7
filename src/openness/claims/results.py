"""One validation result, in terms a person and a script can use: the type both engines produce.

A result carries the constraint's rule id, and the constraint's source appended to its message, so
the pySHACL reference engine and the Oxigraph engine (shacl_sparql) give identical results.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .catalogue import DCT, FOAF, OO, RDFS, SH, _text, ontology_graph, shapes_graph

SEVERITY_ORDER = {"Violation": 0, "Unknown": 1, "Warning": 2, "Info": 3}
# What a result means for its claim: a Violation refutes it, an Unknown (oo:Unknown) leaves it undetermined,
# a Warning or an Info never changes it.
OUTCOME = {"Violation": "refutes", "Unknown": "unknown", "Warning": "warning", "Info": "info"}
_FACT_LINE = re.compile(r"^The deciding fact is about (\S+)$")


@dataclass
class Result:
    """One SHACL validation result, in terms a person and a script can use."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str
    rule: str | None
    constraint: str | None = None
    subject: str | None = None
    requirement: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"severity": self.severity, "focus": self.focus, "path": self.path, "value": self.value,
                "message": self.message, "shape": self.shape, "rule": self.rule}

    def sort_key(self) -> tuple:
        return (SEVERITY_ORDER.get(self.severity, 9), self.rule or "", self.focus, self.value or "", self.message)


@functools.lru_cache(maxsize=None)
def _constraint_info(node: str) -> tuple[str | None, str | None]:
    """A constraint's (or shape's) rule id and its '(source: ...)' suffix."""
    sg, onto = shapes_graph(), ontology_graph()
    rule = _text(sg, node, OO + "ruleId")
    source = _text(sg, node, DCT + "source")
    if not source:
        return rule, None
    label = _text(onto, source, RDFS + "label") or source
    page = _text(onto, source, FOAF + "page")
    return rule, f"(source: {label}{', ' + page if page else ''})"


def _term(value) -> str | None:
    if value is None:
        return None
    return str(value)


def make_result(severity: str, focus: str, path: str | None, value: str | None, message: str, shape: str,
                constraint: str | None) -> Result:
    """A Result with the constraint's rule id, and its source appended to the message (both engines)."""
    rule, suffix = _constraint_info(constraint) if constraint is not None else (None, None)
    if rule is None and suffix is None:
        rule, suffix = _constraint_info(shape)
    subject, texts = None, []
    for line in message.strip().splitlines():
        found = _FACT_LINE.match(line.strip())
        if found:
            subject = found.group(1)
        elif line.strip():
            texts.append(line.strip())
    message = " ".join(texts)
    requirement = _requirement(constraint, message) if constraint is not None else None
    if suffix and suffix not in message:
        message = f"{message} {suffix}"
    if suffix and requirement:
        requirement = f"{requirement} {suffix}"
    return Result(severity, focus, path, value, message, shape, rule, constraint, subject, requirement)


@functools.lru_cache(maxsize=None)
def _requirement_pattern(node: str) -> re.Pattern | None:
    """The constraint's "{?problem}: requirement" message as a pattern that splits a filled message."""
    import rdflib

    for template in shapes_graph().objects(rdflib.URIRef(node), rdflib.URIRef(SH + "message")):
        text = str(template)
        if text.startswith("{?problem}: "):
            parts = re.split(r"\{[?$][A-Za-z_][A-Za-z0-9_]*\}", text.removeprefix("{?problem}: "))
            return re.compile(r"^(?P<problem>.*): (?P<requirement>" + ".+?".join(re.escape(p) for p in parts) + r")$", re.S)
    return None


def _requirement(constraint: str, message: str) -> str | None:
    """What the source requires (the message after its problem), stated once per group in text output."""
    pattern = _requirement_pattern(constraint)
    found = pattern.match(message) if pattern is not None else None
    return found.group("requirement") if found else None



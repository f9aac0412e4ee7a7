"""Synthetic catalogue generator for the benchmark: N projects shaped like the curated data.

Each project has an owner, a release with the 17 MOF components plus data information and a
tokenizer, and one or two recorded claims, shaped like the curated data and as uneven as a real
catalogue:
- licences from a pool of the bundled licences, permissive, copyleft and with strings attached
  (Llama 2 and 3.1, Gemma, RAIL, CC BY-NC, Falcon, Tongyi Qianwen: user caps, acceptable-use
  policies, non-commercial, naming duties);
- availability public, gated (automatic or discretionary), partial or closed (a closed component has
  no licence or download);
- unknown facts: about one project in ten names no current release (its only release counts), one
  component in twenty has its availability not established (oo:AvailabilityUnknown, as the
  integrity shapes ask), training compute, monetisation and obfuscation are
  left out for some projects, and some releases state no licence for a public component;
- an older second release for one project in twenty, and claims of six types (osaid-1.0,
  open-source-weights, open-weights, weights-available, fully-open, the EU AI Act exemption).
Deterministic for a given N and seed, so runs compare like with like.

    python bench/generate.py 1000 --out bench/out/catalogue-1000.ttl
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

PREFIXES = """@prefix oo: <https://w3id.org/openness/ontology#> .
@prefix project: <https://w3id.org/openness/id/project/> .
@prefix release: <https://w3id.org/openness/id/release/> .
@prefix component: <https://w3id.org/openness/id/component/> .
@prefix licence: <https://w3id.org/openness/id/licence/> .
@prefix org: <https://w3id.org/openness/id/organisation/> .
@prefix claim: <https://w3id.org/openness/id/claim/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
"""
KINDS = ["ModelArchitecture", "DataPreprocessingCode", "TrainingCode", "InferenceCode", "EvaluationCode",
         "SupportingLibraries", "FinalParameters", "IntermediateParameters", "Datasets", "EvaluationData",
         "ModelMetadata", "ModelCard", "DataCard", "TechnicalReport", "ResearchPaper", "EvaluationResults",
         "SampleModelOutputs", "DataInformation", "Tokenizer"]
AVAILABILITY = ["Public", "Public", "Public", "Public", "GatedAutomatic", "GatedDiscretionary", "Partial", "Closed"]
LICENCES = ["apache-2-0", "apache-2-0", "mit", "cc-by-4-0", "odc-by-1-0", "gpl-3-0-only", "cc-by-nc-4-0",
            "licenseref-scancode-llama-2-license-2023", "licenseref-scancode-llama-3-1-license-2024",
            "licenseref-scancode-gemma-tou-2024-04-01", "licenseref-scancode-bigscience-rail-1-0",
            "licenseref-scancode-bigscience-open-rail-m", "falcon-180b-tii-licence-1-0",
            "licenseref-scancode-tongyi-qianwen-2023"]
CLAIMS = ["osaid-1.0", "open-source-weights", "open-weights", "fully-open", "weights-available",
          "eu-ai-act-gpai-exemption"]
ITEMS = ["AllTrainingDataDescribed", "DataProvenance", "DataScopeCharacteristics", "DataObtainedSelected",
         "LabellingProcedures", "DataProcessingMethods", "PublicDataListing", "ThirdPartyDataListing"]


def project_turtle(i: int, rng: random.Random) -> str:
    """The Turtle for synthetic project number i."""
    slug = f"synthetic-{i:05d}"
    src = f"<https://example.org/model-cards/{slug}>"
    meta = f'dct:source {src} ; oo:checkedOn "2026-11-26"^^xsd:date'
    # One project in ten names no current release: its only release is the one checked (unknown made explicit).
    current = "" if i % 10 == 7 else f"oo:currentRelease release:{slug}-v1 ; "
    older = i % 20 == 3
    releases = f"release:{slug}-v1" + (f", release:{slug}-v0" if older else "")
    facts = []
    if rng.random() < 0.8:
        facts.append(f'oo:trainingComputeFLOP {rng.choice(["1.0e22", "5.0e23", "3.8e25"])}')
    if rng.random() < 0.9:
        facts.append(f'oo:monetised {rng.choice(["true", "false"])}')
    lines = [
        f'project:{slug} a oo:AIModel ; rdfs:label "Synthetic model {i}" ; oo:owner org:synthetic-org-{i % 50} ;',
        f'    oo:hasRelease {releases} ; {current}{meta} .',
        f'org:synthetic-org-{i % 50} a oo:Organisation ; rdfs:label "Synthetic organisation {i % 50}" ; '
        f'oo:organisationType oo:Company ; dct:source <https://example.org/orgs> ; oo:checkedOn "2026-11-26"^^xsd:date .',
        f'release:{slug}-v1 a oo:Release ; rdfs:label "Synthetic model {i} v1" ; oo:version "1" ; '
        f'oo:generalPurpose true ; ' + "".join(f + " ; " for f in facts),
        "    oo:hasComponent " + ", ".join(f"component:{slug}-v1-{k.lower()}" for k in KINDS) + f" ; {meta} .",
    ]
    if older:
        lines.append(f'release:{slug}-v0 a oo:Release ; rdfs:label "Synthetic model {i} v0" ; oo:version "0" ; '
                     f'oo:hasComponent component:{slug}-v0-finalparameters ; {meta} .')
        lines.append(f"component:{slug}-v0-finalparameters a oo:Component ; oo:componentKind oo:FinalParameters ; "
                     f"oo:availability oo:Closed ; {meta} .")
    for kind in KINDS:
        availability = rng.choice(AVAILABILITY)
        extra = f" oo:availability oo:{availability if rng.random() >= 0.05 else 'AvailabilityUnknown'} ;"
        if availability != "Closed":
            if rng.random() >= 0.05:
                extra += f" dct:license licence:{rng.choice(LICENCES)} ;"
            extra += f" dcat:downloadURL <https://example.org/{slug}/{kind}> ;"
        if kind == "FinalParameters" and rng.random() < 0.7:
            extra += f" oo:obfuscated {rng.choice(['false', 'false', 'false', 'true'])} ;"
        if kind == "DataInformation":
            items = rng.sample(ITEMS, rng.randint(2, len(ITEMS)))
            extra += " oo:coversItem " + ", ".join(f"oo:{item}" for item in items) + " ;"
        lines.append(f"component:{slug}-v1-{kind.lower()} a oo:Component ; oo:componentKind oo:{kind} ;"
                     f"{extra} {meta} .")
    for n in range(1 + (i % 4 == 0)):
        about = f"project:{slug}" if n == 0 else f"release:{slug}-v1"
        lines.append(f"claim:{slug}-claim-{n + 1} a oo:Claim ; oo:claimAbout {about} ; "
                     f"oo:claimType <https://w3id.org/openness/id/claim/{rng.choice(CLAIMS)}> ; "
                     f"oo:claimedBy org:synthetic-org-{i % 50} ; {meta} .")
    return "\n".join(lines) + "\n"


def generate(n: int, seed: int = 42) -> str:
    """A catalogue of n synthetic projects as Turtle."""
    rng = random.Random(seed)
    return PREFIXES + "\n".join(project_turtle(i, rng) for i in range(n))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of projects")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(generate(args.n, args.seed), encoding="utf-8")


if __name__ == "__main__":
    main()

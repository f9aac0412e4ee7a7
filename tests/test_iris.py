"""Slugs are unique within their kind: distinct record ids and licence ids keep distinct IRIs."""

from openness.graph.iris import licence_iri, slugify


def test_plus_keeps_names_apart():
    assert slugify("Command-R+") != slugify("Command-R")
    assert licence_iri("GPL-2.0+") != licence_iri("GPL-2.0")
    assert licence_iri("Apache-2.0") == "https://w3id.org/openness/id/licence/apache-2-0"


def test_slugs_are_lower_case_letters_digits_and_dashes():
    for name in ["Llama 2 (EOSAI)", "  BLOOMZ-7b1 ", "C++ coder", "Ünïcode model"]:
        slug = slugify(name)
        assert slug and all(c.isascii() and (c.islower() or c.isdigit() or c == "-") for c in slug)
        assert not slug.startswith("-") and not slug.endswith("-")

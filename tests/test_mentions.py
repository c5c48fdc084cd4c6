from __future__ import annotations

from build_tools.link import EntityMatcher
from build_tools.model import Entity
from build_tools.problems import Source


def entity(entity_id: str, name: str, *aliases: str) -> Entity:
    return Entity(entity_id, "place", name, aliases, "d", Source("x"))


MATCHER = EntityMatcher(
    [
        entity("russia", "Russia"),
        entity("russia-1", "Russia-1", "Russia TV"),
        entity("moscow", "Moscow"),
        entity("ukraine", "Ukraine"),
        entity("un", "United Nations", "UN", "U.N."),
        entity("peskov", "Dmitry Peskov", "Peskov"),
        entity("kyiv", "Kyiv", "Kiev"),
        entity("kyiv-oblast", "Kyiv Oblast", "Kyiv region"),
    ]
)


def found(text: str) -> list[tuple[str, str]]:
    return [(m.entity_id, m.text) for m in MATCHER.find(text)]


def test_mentions_prefer_the_longest_match():
    assert found("Medinsky said on Russia TV that Russia agreed") == [
        ("russia-1", "Russia TV"),
        ("russia", "Russia"),
    ]
    assert found("shelling in the Kyiv region and in Kyiv") == [
        ("kyiv-oblast", "Kyiv region"),
        ("kyiv", "Kyiv"),
    ]


def test_mentions_match_possessives_with_either_apostrophe():
    assert found("Ukraine’s proposals and Peskov's call") == [("ukraine", "Ukraine"), ("peskov", "Peskov")]


def test_mentions_match_hyphenated_compounds_but_not_longer_words():
    assert found("Moscow-backed rebels; Russian forces; Ukrainians") == [("moscow", "Moscow")]


def test_mentions_are_case_sensitive_for_acronyms():
    assert found("the UN and the U.N. told us, unlike UNICEF") == [("un", "UN"), ("un", "U.N.")]


def test_mentions_carry_positions_of_the_words_as_written():
    text = "In Kiev, Dmitry Peskov spoke."
    (kiev, peskov) = MATCHER.find(text)
    assert text[kiev.start : kiev.end] == "Kiev" and kiev.entity_id == "kyiv"
    assert (peskov.start, peskov.end, peskov.text) == (9, 22, "Dmitry Peskov")


def test_mentions_handle_many_aliases_in_one_pass():
    many = EntityMatcher([entity(f"e{i}", f"Name{i} Surname") for i in range(5000)])
    assert [m.entity_id for m in many.find("Name4999 Surname met Name12 Surname.")] == ["e4999", "e12"]

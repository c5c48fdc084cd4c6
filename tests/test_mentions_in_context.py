"""Entity mentions read in context (issue 16): each class of error found on real news has a
test named after it. A registry name inside a longer name is no mention unless the longer name
is the entity; a surname two registry people share counts after the full name; names in
capitals and with accents are matched; not_entities still overrides."""

from __future__ import annotations

from build_tools.check import check_archive
from build_tools.link import EntityMatcher, link
from build_tools.model import Entity
from build_tools.problems import Source
from tests.conftest import article


def entity(entity_id: str, name: str, *aliases: str, kind: str = "place") -> Entity:
    return Entity(entity_id, kind, name, aliases, "d", Source("x"))


MATCHER = EntityMatcher(
    [
        entity("kyiv", "Kyiv", "Kiev"),
        entity("kyiv-oblast", "Kyiv Oblast"),
        entity("france", "France"),
        entity("china", "China"),
        entity("moscow", "Moscow"),
        entity("minsk", "Minsk"),
        entity("russia", "Russia"),
        entity("ukraine", "Ukraine"),
        entity("nato", "NATO"),
        entity("covid", "COVID-19"),
        entity("un-security-council", "UN Security Council"),
        entity("security-council-of-russia", "Security Council of Russia", "Russia's Security Council"),
        entity("dmytro-kuleba", "Dmytro Kuleba", "Kuleba", kind="person"),
        entity("zelenskyy", "Volodymyr Zelenskyy", "Zelensky", "Zelenskyy", kind="person"),
        entity("erdogan", "Recep Tayyip Erdoğan", "Erdoğan", kind="person"),
    ]
)


def found(text: str, matcher: EntityMatcher = MATCHER) -> list[tuple[str, str]]:
    return [(m.entity_id, m.text) for m in matcher.find(text)]


def test_name_inside_a_longer_name_is_not_a_mention() -> None:
    assert found("He wrote for the Kyiv Post on Monday.") == []
    assert found("Agence France-Presse reported it.") == []
    assert found("Ships sailed into the South China Sea.") == []
    assert found("The Moscow Metro opened a new line.") == []


def test_longer_name_that_is_itself_an_entity_is_its_mention() -> None:
    assert found("Shelling hit Kyiv Oblast overnight.") == [("kyiv-oblast", "Kyiv Oblast")]


def test_name_beside_a_title_a_sentence_start_or_another_name_is_a_mention() -> None:
    assert found("In Kyiv, President Zelenskyy met the envoy.") == [
        ("kyiv", "Kyiv"),
        ("zelenskyy", "Zelenskyy"),
    ]
    assert found("Russia-Ukraine talks resumed.") == [("russia", "Russia"), ("ukraine", "Ukraine")]
    assert found("Has Russia paid compensation?") == [("russia", "Russia")]
    assert found("They travelled to Western Ukraine.") == [("ukraine", "Ukraine")]


def test_russias_security_council_is_not_the_un_security_council() -> None:
    assert found("Russia's Security Council met; the UN Security Council did not.") == [
        ("security-council-of-russia", "Russia's Security Council"),
        ("un-security-council", "UN Security Council"),
    ]


def test_another_person_with_a_registry_persons_surname_is_not_a_mention() -> None:
    assert found("Mykola Kuleba, the children's ombudsman, spoke.") == []
    assert found("Foreign Minister Kuleba spoke.") == [("dmytro-kuleba", "Kuleba")]


def test_surname_two_registry_people_share_counts_only_after_the_full_name() -> None:
    matcher = EntityMatcher(
        [
            entity("dmytro-kuleba", "Dmytro Kuleba", "Kuleba", kind="person"),
            entity("mykola-kuleba", "Mykola Kuleba", kind="person"),
        ]
    )
    assert found("Kuleba said the talks failed.", matcher) == []
    assert found("Dmytro Kuleba arrived. Kuleba said the talks failed.", matcher) == [
        ("dmytro-kuleba", "Dmytro Kuleba"),
        ("dmytro-kuleba", "Kuleba"),
    ]


def test_surname_after_the_full_name_in_the_title_counts_in_the_body(make_archive) -> None:
    make_archive(
        {
            "entities/dmytro-kuleba.yml": "type: person\nname: Dmytro Kuleba\naliases: [Kuleba]\ndescription: d.\n",
            "entities/mykola-kuleba.yml": "type: person\nname: Mykola Kuleba\ndescription: d.\n",
            "articles/2022/03/a.md": article(
                title="Dmytro Kuleba in Warsaw", body="Kuleba met his counterpart."
            ),
        }
    )
    linked = link(check_archive(make_archive({})).archive)
    (links,) = linked.links
    assert [(m.field, m.text) for m in links.mentions] == [("title", "Dmytro Kuleba"), ("body", "Kuleba")]


def test_names_in_a_list_of_regions_are_the_regions() -> None:
    matcher = EntityMatcher(
        [
            entity("kherson", "Kherson"),
            entity("kherson-oblast", "Kherson Oblast", "Kherson region"),
            entity("zaporizhzhia", "Zaporizhzhia"),
            entity("zaporizhzhia-oblast", "Zaporizhzhia Oblast", "Zaporizhzhia region"),
        ]
    )
    assert found("People fled Kherson and Zaporizhzhia regions.", matcher) == [
        ("kherson-oblast", "Kherson"),
        ("zaporizhzhia-oblast", "Zaporizhzhia"),
    ]
    assert found("People fled Kherson and Zaporizhzhia.", matcher) == [
        ("kherson", "Kherson"),
        ("zaporizhzhia", "Zaporizhzhia"),
    ]


def test_names_written_in_capitals_are_mentions() -> None:
    assert found("MINSK, 21 July (BelTA) - ZELENSKY was not invited.") == [
        ("minsk", "MINSK"),
        ("zelenskyy", "ZELENSKY"),
    ]


def test_registry_names_in_capitals_still_match_as_written() -> None:
    assert found("NATO and COVID-19 were discussed.") == [("nato", "NATO"), ("covid", "COVID-19")]


def test_names_with_or_without_accents_are_one_name() -> None:
    assert found("ZEŁENSKY and Erdogan met; Erdoğan spoke.") == [
        ("zelenskyy", "ZEŁENSKY"),
        ("erdogan", "Erdogan"),
        ("erdogan", "Erdoğan"),
    ]


def test_transliterations_with_w_and_j_are_one_name() -> None:
    matcher = EntityMatcher([entity("zelenskyy", "Volodymyr Zelenskyy", "Zelensky", kind="person")])
    assert found("Wołodymyr Zełenskyj and ZEŁENSKI spoke.", matcher) == [
        ("zelenskyy", "Wołodymyr Zełenskyj"),
        ("zelenskyy", "ZEŁENSKI"),
    ]


def test_transliterated_surname_with_other_vowels_is_the_person_after_the_given_name() -> None:
    assert found("Dmytro Kułyba said on Monday. Kułyba added that Mykola Kulyba agreed.") == [
        ("dmytro-kuleba", "Dmytro Kułyba"),
        ("dmytro-kuleba", "Kułyba"),
    ]
    # Without the registry's given name before it, another spelling is nobody: "Kalyba".
    assert found("Kułyba spoke. Petro Kalyba spoke.") == []


def test_place_before_an_arrangements_noun_is_the_arrangement_not_the_place() -> None:
    assert found("Talks within the Minsk framework and the Minsk process stalled.") == []
    assert found("Envoys met in Minsk.") == [("minsk", "Minsk")]
    # A dashed list of parties still names each party.
    assert found("the France - Ukraine - Russia format") == [
        ("france", "France"),
        ("ukraine", "Ukraine"),
        ("russia", "Russia"),
    ]


def test_place_inside_an_embassys_or_a_bodys_longer_name_is_not_a_mention() -> None:
    assert found("A briefing at the Embassy of Ukraine in France followed.") == []
    assert found("the Russian Embassy in Kyiv reopened") == []
    assert found("the Research Centre under the President of Russia marked it") == []
    assert found("the President of Russia met envoys in Kyiv") == [("russia", "Russia"), ("kyiv", "Kyiv")]


def test_not_entities_still_overrides_a_mention(make_archive) -> None:
    archive = make_archive(
        {
            "entities/minsk.yml": "type: place\nname: Minsk\ndescription: d.\n",
            "articles/2022/03/a.md": article(body="MINSK talks resumed.", not_entities=["minsk"]),
        }
    )
    (links,) = link(check_archive(archive).archive).links
    assert links.mentions == ()


def test_entity_quality_on_archive_passages_holds_what_issue_16_reached() -> None:
    # benchmarks/entity_passages.yaml: 343 mentions annotated by hand in randomly drawn
    # passages of the bundled archive. Issue 16 asks precision 0.99 and recall 0.98 (make
    # entity-quality prints how far off); this guards what the rules reach now.
    from benchmarks.entity_quality import ARCHIVE, evaluate, format_report, load

    report = evaluate(EntityMatcher(check_archive(ARCHIVE).archive.entities), load())
    assert report.expected >= 300
    assert report.precision >= 0.99, format_report(report)
    assert report.recall >= 0.99, format_report(report)

"""The content model is configuration (issue 14): the `archive` plugin's options in mkdocs.yml
give the archive's title, description and entity kinds, and the check, the pages, the search
page, the database, the stylesheet and the nav follow from them."""

from __future__ import annotations

import colorsys
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_tools.cli import main
from build_tools.pipeline import build_pages
from build_tools.publish.browse import browse_nav
from build_tools.render.styles import (
    DARK_PAGE,
    LIGHT_PAGE,
    TEXT_CONTRAST,
    chip_contrast,
    kind_colours,
    kinds_css,
)
from build_tools.search import write_search_index
from build_tools.settings import DEFAULT, PALETTE, SettingsError, read_settings, settings_from_options
from tests.conftest import article

CONFIG = """\
site_name: Court records
plugins:
  - archive:
      title: The Smith v. Jones case file
      description: Filings and reports on one court case.
      entity_kinds:
        person:
        court: {name: Court, plural: Courts, chip: court, colour: "#884400"}
        filing: {name: Filing, plural: Filings}
"""
JUDGE = "type: person\nname: Ann Judge\ndescription: The presiding judge.\n"
COURT = "type: court\nname: High Court\ndescription: Where the case is heard.\n"
MOTION = "type: filing\nname: Motion 12\ndescription: The motion to dismiss.\n"
BODY = "Ann Judge of the High Court heard Motion 12."


@pytest.fixture
def court_archive(make_archive, tmp_path: Path) -> Path:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return make_archive(
        {
            "entities/ann-judge.yml": JUDGE,
            "entities/high-court.yml": COURT,
            "entities/motion-12.yml": MOTION,
            "articles/2022/03/hearing.md": article(title="Hearing", body=BODY),
        },
        with_defaults=False,
    )


def test_settings_default_to_the_five_kinds_and_no_subject() -> None:
    assert DEFAULT.kind_ids == ("person", "organization", "place", "event", "other")
    assert DEFAULT.title == "A research archive"
    assert "Ukraine" not in DEFAULT.title + DEFAULT.description


def test_settings_read_kinds_and_keep_known_ones() -> None:
    settings = settings_from_options(
        {"entity_kinds": {"person": None, "unit": {"name": "Military unit", "plural": "Military units"}}}
    )
    assert settings.kind_ids == ("person", "unit")
    assert settings.kind("person") == DEFAULT.kind("person")
    unit = settings.kind("unit")
    assert (unit.page, unit.chip, unit.title, unit.singular_word) == (
        "unit-entities.md",
        "military unit",
        "Military units",
        "military unit",
    )


@pytest.mark.parametrize(
    "options, message",
    [
        (
            {"entity_kinds": {"Unit": {"name": "U", "plural": "Us"}}},
            "entity_kinds: 'Unit' is not a kind id: use lower-case letters, digits and hyphens, as in "
            "'military-unit'",
        ),
        ({"entity_kinds": {"unit": {"name": "U"}}}, "entity_kinds: unit: plural is missing"),
        (
            {"entity_kinds": {"unit": {"name": "U", "plural": "Us", "page": "tags.md"}}},
            "entity_kinds: unit: page 'tags.md' is taken; give the kind a page of its own",
        ),
        (
            {"entity_kinds": {"unit": {"name": "U", "plural": "Us", "colour": "red;}"}}},
            "entity_kinds: unit: colour 'red;}' must be '#rrggbb' or a CSS colour name",
        ),
        (
            {"entity_kinds": {"unit": {"name": "U", "plural": "Us", "size": 3}}},
            "entity_kinds: unit: unknown option 'size' (name, plural, page, chip, colour, heading)",
        ),
        ({"title": ""}, "title must be a text of at most 500 characters"),
    ],
)
def test_settings_name_the_option_that_is_wrong(options: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        settings_from_options(options)
    assert str(caught.value) == message


def test_check_takes_the_kinds_from_mkdocs_yml(court_archive: Path) -> None:
    result = CliRunner().invoke(main, ["check"])
    assert (result.exit_code, result.stdout) == (0, "")


def test_check_refuses_a_kind_the_configuration_does_not_list(court_archive: Path) -> None:
    Path("archive/entities/kyiv.yml").write_text("type: place\nname: Kyiv\ndescription: A city.\n")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert result.stdout.startswith("archive/entities/kyiv.yml:1: error: ")
    assert "use one of person, court, filing" in result.stdout


def test_check_says_which_option_of_mkdocs_yml_is_wrong(court_archive: Path) -> None:
    Path("mkdocs.yml").write_text(CONFIG.replace("court: {", "Court: {"))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert "mkdocs.yml: archive: entity_kinds: 'Court' is not a kind id" in result.output


def test_pages_follow_the_configured_kinds_and_title(court_archive: Path) -> None:
    settings = read_settings(Path("mkdocs.yml"))
    site = build_pages(court_archive, settings=settings)
    assert site.report.problems == ()
    home = site.pages["index.md"]
    assert home.startswith("# The Smith v. Jones case file\n\nFilings and reports on one court case.\n")
    assert (
        '<a href="people.md">people</a>, <a href="court-entities.md">courts</a>, '
        '<a href="filing-entities.md">filings</a>, <a href="sources.md">source</a>'
    ) in home
    assert "places.md" not in home
    courts = site.pages["court-entities.md"]
    assert courts.startswith("# Courts\n\n1 court in the registry.\n")
    assert '<a href="entities/high-court.md">High Court</a>' in courts
    assert "places.md" not in site.pages and "events.md" not in site.pages
    hearing = site.pages["articles/2022/03/hearing.md"]
    assert "<strong>Courts:</strong>" in hearing and "ra-chip--court" in hearing
    assert 'title="court: Where the case is heard."' in hearing
    entity = site.pages["entities/high-court.md"]
    assert '<dt>Type</dt><dd><a href="../court-entities.md">court</a></dd>' in entity
    assert 'placeholder="A name (people, courts, filings)"' in site.pages["search.md"]
    assert "Ukraine" not in "".join(site.pages.values())


def test_database_and_stylesheet_follow_the_configured_kinds(court_archive: Path, tmp_path: Path) -> None:
    settings = read_settings(Path("mkdocs.yml"))
    site = build_pages(court_archive, settings=settings)
    assert site.linked is not None
    stats = write_search_index(site.linked, tmp_path / "search", lambda p: p[:-3] + ".html", settings)
    with sqlite3.connect(stats.sqlite_path) as db:
        assert db.execute("SELECT id, name, plural FROM entity_kinds").fetchall() == [
            ("person", "Person", "People"),
            ("court", "Court", "Courts"),
            ("filing", "Filing", "Filings"),
        ]
        assert db.execute("SELECT type FROM entities ORDER BY id").fetchall() == [
            ("person",),
            ("court",),
            ("filing",),
        ]
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO entities VALUES ('x', 'place', 'X', 'X.', NULL)")
    css = kinds_css(settings)
    assert "--ra-kind-court: #884400;" in css
    assert '.md-typeset a.ra-chip--court::before { content: "court"; }' in css
    assert ".md-typeset a.ra-chip--filing { --ra-type: var(--ra-kind-filing); }" in css


def test_kinds_css_escapes_a_chip_label() -> None:
    settings = settings_from_options(
        {"entity_kinds": {"unit": {"name": "U", "plural": "Us", "chip": 'a"} body { display: none'}}}
    )
    assert 'content: "a\\22 } body { display: none"; }' in kinds_css(settings)


def _rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _scheme_colours(css: str) -> tuple[dict[str, str], dict[str, str]]:
    """{kind: colour} in the stylesheet's light block and in its dark (slate) block."""
    light, dark = css.split('[data-md-color-scheme="slate"]')
    pattern = re.compile(r"--ra-kind-([a-z0-9-]+): (#[0-9a-f]{6});")
    return dict(pattern.findall(light)), dict(pattern.findall(dark.split("}")[0]))


def test_kinds_css_gives_every_chip_label_readable_contrast_in_both_schemes() -> None:
    """A chip's label is in its kind's colour on a tint of it: 4.5:1 at least (WCAG AA), for the
    default kinds and for every colour a kind without one is given (issue 17)."""
    palette = {f"k{i}": {"name": f"K{i}", "plural": f"K{i}s"} for i in range(len(PALETTE))}
    for settings in (DEFAULT, settings_from_options({"entity_kinds": palette})):
        light, dark = _scheme_colours(kinds_css(settings))
        assert set(light) == set(dark) == {kind.id for kind in settings.entity_kinds}
        for kind_id, colour in light.items():
            assert chip_contrast(_rgb(colour), LIGHT_PAGE) >= TEXT_CONTRAST, (kind_id, colour)
        for kind_id, colour in dark.items():
            assert chip_contrast(_rgb(colour), DARK_PAGE) >= TEXT_CONTRAST, (kind_id, colour)


def test_kind_colours_keep_a_readable_colour_and_a_kinds_hue() -> None:
    assert kind_colours("#884400")[0] == "#884400"  # readable already: as given
    assert kind_colours("#7b3fa8", "#c9a0e8") == ("#7b3fa8", "#c9a0e8")
    darker, lighter = kind_colours("#b85c00", "#f2b166")  # the default event orange: 4.0:1
    hue = colorsys.rgb_to_hls(*(c / 255 for c in _rgb("#b85c00")))[0]
    assert darker != "#b85c00" and abs(colorsys.rgb_to_hls(*(c / 255 for c in _rgb(darker)))[0] - hue) < 0.01
    assert lighter == "#f2b166"
    # A colour name's value is the browser's to know: as given, its dark shade mixed by CSS.
    assert kind_colours("teal") == ("teal", "color-mix(in srgb, teal 55%, white)")


def test_browse_nav_lists_dates_kinds_sources_and_tags() -> None:
    settings = settings_from_options(
        {"entity_kinds": {"person": None, "court": {"name": "Court", "plural": "Courts"}}}
    )
    nav = [{"Home": "index.md"}, {"Browse": []}, {"About": "about.md"}]
    assert browse_nav(nav, "Browse", settings) == [
        {"Home": "index.md"},
        {
            "Browse": [
                {"Dates": "dates.md"},
                {"Timeline": "timeline.md"},
                {"Quotes": "quotes.md"},
                {"People": "people.md"},
                {"Courts": "court-entities.md"},
                {"Sources": "sources.md"},
                {"Tags": "tags.md"},
            ]
        },
        {"About": "about.md"},
    ]
    assert browse_nav([{"Home": "index.md"}], "Browse", settings)[1]["Browse"][3] == {"People": "people.md"}


def test_default_kinds_keep_the_bundled_sites_pages(make_archive) -> None:
    """The bundled mkdocs.yml names only the title and description: its pages are as before."""
    settings = read_settings(Path(__file__).parents[1] / "mkdocs.yml")
    assert settings.entity_kinds == DEFAULT.entity_kinds
    assert settings.title == "A research archive of the 2022 Russian invasion of Ukraine"
    site = build_pages(make_archive({"articles/2022/03/a.md": article()}), settings=settings)
    assert site.linked is not None
    assert set(site.pages) >= {"people.md", "organizations.md", "places.md", "events.md", "other-entities.md"}


@pytest.mark.parametrize(
    "groupings, message",
    [
        (
            {"title": {"name": "T", "plural": "Ts"}},
            "groupings: 'title' is a field every article has, or a word the search page's address uses; "
            "choose another key",
        ),
        ({"region": {"name": "Region"}}, "groupings: region: plural is missing"),
        (
            {"region": {"name": "R", "plural": "Rs", "folder": "tags"}},
            "groupings: region: folder 'tags' is taken or not a folder name; give it a folder of its "
            "own, such as 'regions'",
        ),
        (
            {"places": {"name": "P", "plural": "Ps"}},
            "entity_kinds and groupings both use the page 'places.md'",
        ),
    ],
)
def test_settings_name_the_grouping_that_is_wrong(groupings: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        settings_from_options({"groupings": groupings})
    assert str(caught.value) == message


def test_check_takes_a_configured_grouping_and_caps_its_terms(make_archive, tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  - archive:\n      groupings:\n        region: {name: Region, plural: Regions}\n"
    )
    terms = "\n".join(f"  - R{n}" for n in range(101))
    make_archive(
        {
            "articles/2022/03/one.md": article(region="Donbas"),
            "articles/2022/03/many.md": article(title="Many", body="Other text.").replace(
                "---\nOther", f"region:\n{terms}\n---\nOther"
            ),
        }
    )
    result = CliRunner().invoke(main, ["check"])
    assert result.stdout == (
        "archive/articles/2022/03/many.md:106: error: 'region' lists 101 different terms; the "
        "limit is 100; keep the terms that say what the article is about [too-many-terms]\n"
    )
    Path("mkdocs.yml").unlink()  # without the grouping, `region` is a field no article has
    result = CliRunner().invoke(main, ["check", "archive/articles/2022/03/one.md"])
    assert "archive/articles/2022/03/one.md:5: warning: " in result.stdout
    assert "unknown field 'region'" in result.stdout and "[unknown-key]" in result.stdout

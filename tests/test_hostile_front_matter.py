"""Hostile and broken front matter (issue 21): YAML that expands without bound, control
characters, values that look filled in but are not, and limits on one file.

Problems are asserted as a contributor sees them, the lines `archive check` prints.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from build_tools.check.content import MAX_NAMED_DAYS
from build_tools.check.fields import MAX_FIELDS
from build_tools.check.validate import MAX_LISTED_ENTITIES, MAX_SLUG_LENGTH, MAX_TAGS
from build_tools.cli import main
from build_tools.read.yaml_lines import MAX_LIST_ITEMS, MAX_YAML_ALIAS_VALUES, MAX_YAML_ALIASES

A = "archive/articles/2022/03"
E = "archive/entities"
NO_ALIASES = "write the values out instead of repeating them with '*' aliases [yaml-too-complex]"
CONTROL_HINT = (
    "remove it: control characters are invisible, and some change what a terminal shows [control-character]"
)
BLANK = "is blank (only spaces or invisible characters); it needs a value"
IMAGE_HINT = "the site leaves it out; link the image at its https:// address, or remove it [bad-image]"

# Nine levels of nine aliases: about 300 bytes of YAML that stand for 387,420,489 'lol's.
LAUGHS = "\n".join(
    ["a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    + [f"{b}: &{b} [{','.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)]
    + ["title: *i"]
)


def check(*paths: str) -> Result:
    return CliRunner().invoke(main, ["check", *(paths or ("archive",))])


def lines(result: Result) -> list[str]:
    assert "Traceback" not in result.output
    return result.stdout.splitlines()


def front(fields: str, body: str = "Talks ended.") -> str:
    """An article whose front matter is `fields` (YAML lines) after date and source."""
    return f"---\ndate: 2022-03-30\nsource: Example News\n{fields}\n---\n{body}\n"


# --- YAML aliases --------------------------------------------------------------------------


def test_load_refuses_billion_laughs_before_expanding_it(make_archive) -> None:
    assert len(LAUGHS.encode()) < 350
    make_archive({"articles/2022/03/laughs.md": front(LAUGHS)})
    result = check()
    assert lines(result) == [
        f"{A}/laughs.md:8: error: YAML aliases repeat too much: with '*d' they repeat 15,670 "
        f"values; the limit is {MAX_YAML_ALIAS_VALUES:,}; {NO_ALIASES}"
    ]
    assert result.exit_code == 1


def test_load_refuses_billion_laughs_in_seconds_and_little_memory(make_archive) -> None:
    """The real command, in a process of its own that may not take more than 1 GB of address
    space or 60 s: before the fix it took 13.7 GB and more than 300 s."""
    make_archive(
        {
            "articles/2022/03/laughs.md": front(LAUGHS),
            "entities/laughs.yml": LAUGHS.replace("title:", "name:"),
        }
    )

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run(
        [sys.executable, "-m", "build_tools", "check", "archive"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit_memory,
        env=env,
    )
    assert done.stdout.splitlines() == [
        f"{A}/laughs.md:8: error: YAML aliases repeat too much: with '*d' they repeat 15,670 "
        f"values; the limit is {MAX_YAML_ALIAS_VALUES:,}; {NO_ALIASES}",
        f"{E}/laughs.yml:5: error: YAML aliases repeat too much: with '*d' they repeat 15,670 "
        f"values; the limit is {MAX_YAML_ALIAS_VALUES:,}; {NO_ALIASES}",
    ]
    assert done.returncode == 1


def test_load_refuses_too_many_aliases(make_archive) -> None:
    aliases = "\n".join("  - *t" for _ in range(MAX_YAML_ALIASES + 1))
    make_archive({"articles/2022/03/a.md": front(f"title: &t Talks end\ntags:\n{aliases}")})
    assert lines(check()) == [
        f"{A}/a.md:{5 + MAX_YAML_ALIASES + 1}: error: too many YAML aliases: '*t' is alias "
        f"{MAX_YAML_ALIASES + 1}; the limit is {MAX_YAML_ALIASES}; {NO_ALIASES}"
    ]


def test_load_refuses_an_alias_inside_the_value_it_names(make_archive) -> None:
    make_archive({"articles/2022/03/a.md": front("title: Talks end\ntags: &loop\n  - a\n  - *loop")})
    assert lines(check()) == [
        f"{A}/a.md:7: error: YAML alias '*loop' names a value it is inside (a loop); {NO_ALIASES}"
    ]


def test_load_accepts_aliases_within_the_limits(make_archive) -> None:
    make_archive(
        {
            "articles/2022/03/a.md": front(
                "title: Talks end\nauthors: &people [Ann Lee, Bo Chen]\ncredits: *people"
            )
        }
    )
    result = check()
    assert lines(result) == []
    assert result.exit_code == 0


# --- quoting values ------------------------------------------------------------------------


def test_validate_quotes_at_most_80_characters_of_a_value(make_archive) -> None:
    long_url = "ftp://" + "x" * 5_000
    long_key = "k" * 1_000  # YAML allows a plain key of up to 1,024 characters
    make_archive({"articles/2022/03/a.md": front(f"title: T\nurl: {long_url}\n{long_key}: 1")})
    assert lines(check()) == [
        f"{A}/a.md:5: error: 'url' has an invalid value '{long_url[:79]}…'; use the full address "
        "starting with https:// [bad-value]",
        f"{A}/a.md:6: warning: unknown field '{long_key[:79]}…'; known fields: title, date, "
        "source, url, authors, language, summary, tags, entities, not_entities, retrieved, "
        "archive_url, rights, dateline, credits, paragraphs [unknown-key]",
    ]


# --- control characters --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("escape", "shown"),
    [
        ("\\e", "\\x1b (escape)"),
        ("\\a", "\\x07 (bell)"),
        ("\\x7f", "\\x7f (delete)"),
        ("\\x9b", "\\x9b (control sequence introducer)"),
        ("\\x01", "\\x01"),
        ("\\r", "\\x0d (carriage return)"),
    ],
    ids=["esc", "bel", "del", "csi", "soh", "cr"],
)
def test_validate_refuses_control_characters_in_article_fields(escape: str, shown: str, make_archive) -> None:
    value = f'"a{escape}b"'
    make_archive(
        {
            "articles/2022/03/a.md": front(
                f"title: {value}\nauthors: [Jane, {value}]\nsummary: {value}\ntags: [{value}]\n"
                f"rights: {value}\ncredits: {value}"
            ).replace("source: Example News", f"source: {value}")
        }
    )
    assert lines(check()) == [
        f"{A}/a.md:3: error: 'source' holds the control character {shown}; {CONTROL_HINT}",
        f"{A}/a.md:4: error: 'title' holds the control character {shown}; {CONTROL_HINT}",
        f"{A}/a.md:5: error: item 2 of 'authors' holds the control character {shown}; {CONTROL_HINT}",
        f"{A}/a.md:6: error: 'summary' holds the control character {shown}; {CONTROL_HINT}",
        f"{A}/a.md:7: error: item 1 of 'tags' holds the control character {shown}; {CONTROL_HINT}",
        f"{A}/a.md:8: error: 'rights' holds the control character {shown}; {CONTROL_HINT}",
        f"{A}/a.md:9: error: 'credits' holds the control character {shown}; {CONTROL_HINT}",
    ]


def test_validate_refuses_control_characters_in_entity_fields(make_archive) -> None:
    make_archive(
        {
            "entities/evil.yml": 'type: person\nname: "Ev\\eil"\naliases: [Fine, "A\\x9b"]\n'
            'description: "Rings\\a."\n'
        }
    )
    assert lines(check()) == [
        f"{E}/evil.yml:2: error: 'name' holds the control character \\x1b (escape); {CONTROL_HINT}",
        f"{E}/evil.yml:3: error: item 2 of 'aliases' holds the control character \\x9b (control "
        f"sequence introducer); {CONTROL_HINT}",
        f"{E}/evil.yml:4: error: 'description' holds the control character \\x07 (bell); {CONTROL_HINT}",
    ]


def test_validate_accepts_tabs_and_line_breaks_in_a_summary(make_archive) -> None:
    make_archive({"articles/2022/03/a.md": front('title: T\nsummary: "One\\tthing.\\nAnother."')})
    assert lines(check()) == []


# --- messages that said the wrong thing ----------------------------------------------------


def test_validate_names_binary_and_timestamp_values_for_what_they_are(make_archive) -> None:
    make_archive(
        {
            "articles/2022/03/a.md": "---\ntitle: !!binary aGVsbG8=\ndate: 2022-03-30\n"
            "source: !!timestamp 2022-03-30 10:00:00\n---\nText.\n"
        }
    )
    assert lines(check()) == [
        f"{A}/a.md:2: error: 'title' must be text, not binary data (a '!!binary' value); write it "
        "without a '!!' tag [wrong-type]",
        f"{A}/a.md:4: error: 'source' must be text, not a timestamp (a '!!timestamp' value); write "
        "it without a '!!' tag [wrong-type]",
    ]


def test_load_reports_a_key_that_is_not_text_as_written_on_its_line(make_archive) -> None:
    make_archive({"articles/2022/03/a.md": front("title: T\nnull: x\n~: y\n[a, b]: z")})
    known = (
        "known fields: title, date, source, url, authors, language, summary, tags, "
        "entities, not_entities, retrieved, archive_url, rights, dateline, credits, paragraphs [unknown-key]"
    )
    assert lines(check()) == [
        f"{A}/a.md:5: warning: unknown field 'null'; {known}",
        f"{A}/a.md:6: warning: unknown field '~'; {known}",
        f"{A}/a.md:7: warning: unknown field '[a, b]'; {known}",
    ]


def test_validate_refuses_blank_and_invisible_text(make_archive) -> None:
    make_archive(
        {
            "articles/2022/03/a.md": front('title: "   "\ntags: [ok, "\\u200b\\u2060"]').replace(
                "source: Example News", 'source: "\\u200b \\u200d\\ufeff"'
            ),
            "entities/blank.yml": 'type: person\nname: "\\u3164"\naliases: ["\\u00a0"]\ndescription: "\\t"\n',
        }
    )
    assert lines(check()) == [
        f"{A}/a.md:3: error: 'source' {BLANK} [bad-value]",
        f"{A}/a.md:4: error: 'title' {BLANK} [bad-value]",
        f"{A}/a.md:5: error: item 2 of 'tags' {BLANK} [bad-value]",
        f"{E}/blank.yml:2: error: 'name' {BLANK} [bad-value]",
        f"{E}/blank.yml:3: error: item 1 of 'aliases' {BLANK} [bad-value]",
        f"{E}/blank.yml:4: error: 'description' {BLANK} [bad-value]",
    ]


def test_validate_refuses_coordinates_that_are_not_finite(make_archive) -> None:
    make_archive(
        {
            "entities/nowhere.yml": "type: place\nname: Nowhere\ndescription: N.\n"
            "coordinates: [.nan, -.inf]\n",
            "entities/far.yml": "type: place\nname: Far\ndescription: F.\ncoordinates:\n  - 10\n  - .inf\n",
        }
    )
    hint = "write [latitude, longitude], e.g. [50.45, 30.52] [bad-value]"
    assert lines(check()) == [
        f"{E}/far.yml:6: error: item 2 of 'coordinates' is infinite (.inf); {hint}",
        f"{E}/nowhere.yml:4: error: item 1 of 'coordinates' is not a number (.nan); {hint}",
        f"{E}/nowhere.yml:4: error: item 2 of 'coordinates' is infinite (-.inf); {hint}",
    ]


def test_validate_reports_images_that_are_not_web_addresses(make_archive) -> None:
    body = "\n".join(
        [
            "Text ![a photo](pic.jpg) and ![web](https://example.org/a.png).",  # line 6
            "",
            '<p><img alt="x" src="pic2.jpg"> and <img src=//cdn.example.org/b.png></p>',  # 8
            "",
            "![by reference][photo] and ![map]",  # 10
            "",
            "`![in code](code.png)` is shown as written, as is <!-- <img src=c.png> -->.",  # 12
            "",
            "```",
            "![fenced](fenced.png)",
            "```",
            "",
            '<abbr title="<img src=attribute.png>">text</abbr>',  # 18
            "",
            "[photo]: images/photo.jpg",  # 20
            "[map]: https://example.org/map.png",
            "[link]: page.html",
        ]
    )
    make_archive({"articles/2022/03/a.md": front("title: T", body)})
    result = check()
    assert lines(result) == [
        f"{A}/a.md:6: warning: image 'pic.jpg' is not a web address (http:// or https://); {IMAGE_HINT}",
        f"{A}/a.md:8: warning: image '//cdn.example.org/b.png' is not a web address (http:// or "
        f"https://); {IMAGE_HINT}",
        f"{A}/a.md:8: warning: image 'pic2.jpg' is not a web address (http:// or https://); {IMAGE_HINT}",
        f"{A}/a.md:20: warning: image 'images/photo.jpg' is not a web address (http:// or https://); "
        f"{IMAGE_HINT}",
    ]
    assert result.exit_code == 0


def test_validate_reports_a_shared_alias_on_every_file_that_claims_it(make_archive) -> None:
    person = "type: person\nname: {name}\naliases: [Shared]\ndescription: D.\n"
    make_archive({f"entities/{n}.yml": person.format(name=n.title()) for n in ("ann", "bob", "cy")})
    hint = "an alias may belong to one entity only; keep it on the right one [duplicate-alias]"
    assert lines(check()) == [
        f"{E}/ann.yml:3: error: 'Shared' is also a name of 'bob' ({E}/bob.yml, and 1 more); {hint}",
        f"{E}/bob.yml:3: error: 'Shared' is also a name of 'ann' ({E}/ann.yml); {hint}",
        f"{E}/cy.yml:3: error: 'Shared' is also a name of 'ann' ({E}/ann.yml); {hint}",
    ]


# --- limits on one file --------------------------------------------------------------------


def items(key: str, values: list[str]) -> str:
    return f"{key}:\n" + "\n".join(f"  - {v}" for v in values)


def test_validate_refuses_more_distinct_tags_than_the_limit(make_archive) -> None:
    tags = [f"tag {i}" for i in range(MAX_TAGS)]
    make_archive(
        {
            "articles/2022/03/a.md": front("title: T\n" + items("tags", tags + tags[:5])),
            "articles/2022/03/b.md": front("title: T\n" + items("tags", [*tags, "one more"]), body="Other."),
        }
    )
    assert lines(check()) == [
        f"{A}/b.md:{6 + MAX_TAGS}: error: the article has {MAX_TAGS + 1} different tags; the "
        f"limit is {MAX_TAGS}; keep the tags that say what the article is about [too-many-tags]"
    ]


def test_validate_refuses_more_listed_entities_than_the_limit(make_archive) -> None:
    ids = ["kremlin"] * (MAX_LISTED_ENTITIES + 1)
    make_archive({"articles/2022/03/a.md": front("title: T\n" + items("not_entities", ids))})
    assert lines(check()) == [
        f"{A}/a.md:{6 + MAX_LISTED_ENTITIES}: error: 'not_entities' lists "
        f"{MAX_LISTED_ENTITIES + 1} entities; the limit is {MAX_LISTED_ENTITIES}; list only the "
        "entities the article is about [too-many-entities]"
    ]


def test_validate_refuses_a_text_that_names_more_days_than_the_limit(make_archive) -> None:
    days = [dt.date(2020, 1, 1) + dt.timedelta(i) for i in range(MAX_NAMED_DAYS + 1)]
    many = "\n".join(f"It rained on {day:%B} {day.day}, {day.year}." for day in days)
    numbers = "\n".join(f"Item {i} cost {i * 3} dollars in 2020." for i in range(2 * MAX_NAMED_DAYS))
    make_archive(
        {
            "articles/2022/03/a.md": front("title: T", many),
            "articles/2022/03/b.md": front("title: T", numbers),
        }
    )
    last = days[-1]
    assert lines(check()) == [
        f"{A}/a.md:{5 + MAX_NAMED_DAYS + 1}: error: the text names {MAX_NAMED_DAYS + 1:,} "
        f"different days; the limit is {MAX_NAMED_DAYS:,}, as each day named gets a page (day "
        f"{MAX_NAMED_DAYS + 1:,} is '{last:%B} {last.day}, {last.year}', here); keep only the "
        "article's own text, not a table of dates [too-many-dates]"
    ]


def test_validate_refuses_a_slug_and_an_entity_id_over_the_length_limit(make_archive) -> None:
    fits = "a" * MAX_SLUG_LENGTH
    long = "-".join(["talks"] * 20) + "-x"
    make_archive(
        {
            f"articles/2022/03/{fits}.md": front("title: T"),
            f"articles/2022/03/{long}.md": front("title: T", body="Other."),
            f"entities/{long}.yml": "type: other\nname: Long\ndescription: L.\n",
        }
    )
    short = "-".join(["talks"] * 16)
    assert lines(check()) == [
        f"{A}/{long}.md:1: error: file name '{long[:79]}…' is {len(long)} characters long without "
        f".md; the limit is {MAX_SLUG_LENGTH}; rename it to {short}.md [slug-too-long]",
        f"{E}/{long}.yml:1: error: entity id '{long[:79]}…' (the file name) is {len(long)} "
        f"characters long; the limit is {MAX_SLUG_LENGTH}; rename the file to {short}.yml "
        "[id-too-long]",
    ]


def test_load_refuses_a_list_over_the_item_limit_reading_only_its_start(make_archive) -> None:
    make_archive(
        {"articles/2022/03/a.md": front("title: T\ntags: [" + ",".join(["1"] * (MAX_LIST_ITEMS + 5)) + "]")}
    )
    result = lines(check())
    assert result[0] == (
        f"{A}/a.md:5: error: 'tags' lists {MAX_LIST_ITEMS + 5:,} items; the "
        f"limit is {MAX_LIST_ITEMS:,}; keep the items that matter [too-many-items]"
    )
    assert len(result) == 1 + MAX_LIST_ITEMS  # and a wrong-type for each item read, no more
    assert result[-1].endswith("must be text, not a number [wrong-type]")


def test_validate_refuses_more_fields_than_the_limit_once(make_archive) -> None:
    extra = "\n".join(f"k{i}: 1" for i in range(MAX_FIELDS))
    make_archive({"articles/2022/03/a.md": front(f"title: T\n{extra}")})
    assert lines(check()) == [
        f"{A}/a.md:{2 + MAX_FIELDS}: error: the file has {MAX_FIELDS + 3} fields; the limit is "
        f"{MAX_FIELDS}; keep only the fields the format knows [too-many-fields]"
    ]


@pytest.mark.slow
def test_check_of_a_hostile_megabyte_takes_seconds(make_archive) -> None:
    """A megabyte of front matter and one of text, each the most work per byte found: under
    60 s and 500 MB together, in a process of its own (each takes a few seconds)."""
    make_archive(
        {
            "articles/2022/03/a.md": front("title: T\ntags: [" + ",".join(["1"] * 500_000) + "]"),
            "articles/2022/03/b.md": front(
                "title: T",
                " ".join(f"{dt.date(1900, 1, 1) + dt.timedelta(i):%Y-%m-%d}" for i in range(90_000)),
            ),
            "entities/many.yml": "type: other\nname: M\ndescription: M.\n"
            + "".join(f"k{i}: 1\n" for i in range(100_000)),
        }
    )

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit_memory,
        env=env,
    )
    assert "Traceback" not in done.stderr, done.stderr
    codes, peak = done.stdout.split("\n", 1)
    assert codes.split() == ["too-many-items"] + ["wrong-type"] * MAX_LIST_ITEMS + [
        "too-many-dates",
        "too-many-fields",
    ]
    assert int(peak) < 500 * 1024  # kilobytes


CHILD = """
import resource
from pathlib import Path
from build_tools.check import check_archive
report = check_archive(Path("archive"))
print(" ".join(p.code for p in report.problems))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

from __future__ import annotations

import datetime as dt
import pickle

from build_tools.check import check_archive
from tests.conftest import article


def formatted(root, **kwargs):
    return [p.format() for p in check_archive(root, **kwargs).problems]


def test_validate_accepts_a_complete_article(make_archive):
    root = make_archive(
        {
            "articles/2022/03/a.md": article(
                url="https://example.com/a",
                authors=["Jane Doe"],
                language="uk",
                summary="S.",
                tags=["talks"],
                entities=["kremlin"],
                retrieved="2022-04-01",
                archive_url="https://web.archive.org/x",
                rights="(c) Example",
                credits=["Reuters"],
            )
        }
    )
    report = check_archive(root)
    assert report.problems == ()
    (a,) = report.archive.articles
    assert a.date == dt.date(2022, 3, 30) and a.language == "uk" and a.credits == ("Reuters",)
    assert a.retrieved == dt.date(2022, 4, 1)


def test_validate_reads_a_timestamp_with_offset(make_archive):
    root = make_archive({"articles/2022/03/a.md": article(date="2022-03-30T23:30:00+03:00")})
    (a,) = check_archive(root).archive.articles
    assert a.date == dt.date(2022, 3, 30)
    assert a.published.utcoffset() == dt.timedelta(hours=3)


def test_validate_rejects_a_timestamp_without_offset(make_archive):
    root = make_archive({"articles/2022/03/a.md": article(date="2022-03-30T10:00:00")})
    assert formatted(root) == [
        "archive/articles/2022/03/a.md:3: error: 'date' has an invalid value '2022-03-30T10:00:00'; "
        "write it as YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS+HH:MM [bad-value]"
    ]


def test_validate_rejects_impossible_date(make_archive):
    root = make_archive({"articles/2022/02/a.md": article(date="2022-02-30")})
    assert formatted(root) == [
        "archive/articles/2022/02/a.md:3: error: '2022-02-30' is not a calendar date; "
        "use a real calendar date, YYYY-MM-DD [bad-date]"
    ]


def test_validate_rejects_future_date(make_archive):
    root = make_archive({"articles/2022/04/a.md": article(date="2022-04-02")})
    assert formatted(root, today=dt.date(2022, 4, 1)) == [
        "archive/articles/2022/04/a.md:3: error: date 2022-04-02 is in the future; check the year and month [future-date]"
    ]


def test_validate_rejects_script_in_url(make_archive):
    root = make_archive({"articles/2022/03/a.md": article(url="javascript:alert(1)")})
    assert [p.code for p in check_archive(root).problems] == ["bad-value"]


def test_validate_rejects_bad_file_names(make_archive):
    root = make_archive({"articles/2022/03/Peace_Talks.md": article()})
    assert formatted(root) == [
        "archive/articles/2022/03/Peace_Talks.md:1: error: file name 'Peace_Talks.md' must be lower-case "
        "words joined by hyphens; rename it to peace-talks.md [bad-slug]"
    ]


def test_validate_rejects_an_entity_both_added_and_excluded(make_archive):
    root = make_archive({"articles/2022/03/a.md": article(entities=["kremlin"], not_entities=["kremlin"])})
    assert [p.code for p in check_archive(root).problems] == ["contradictory-entity"]


def test_validate_treats_nfc_and_nfd_aliases_as_the_same(make_archive):
    composed = "type: person\nname: Zelenskyy\naliases:\n  - Zelenskyĭ\ndescription: President.\n"
    decomposed = "type: person\nname: Other\naliases:\n  - Zelenskyi\u0306\ndescription: Someone else.\n"
    root = make_archive({"entities/zelenskyy.yml": composed, "entities/other.yml": decomposed})
    assert [p.code for p in check_archive(root).problems] == ["duplicate-alias"] * 2


def test_validate_reports_entity_schema_problems_with_lines(make_archive):
    root = make_archive(
        {
            "entities/kyiv.yml": "type: city\nname: Kyiv\ndescription: Capital.\n"
            "wikidata: 1899\ncoordinates: [50.45]\n"
        }
    )
    assert formatted(root) == [
        "archive/entities/kyiv.yml:1: error: 'type' cannot be 'city'; use one of person, organization, "
        "place, event, other [bad-value]",
        "archive/entities/kyiv.yml:4: error: 'wikidata' must be text, not a number; use the Q-id, e.g. Q3345 [wrong-type]",
        "archive/entities/kyiv.yml:5: error: 'coordinates' has an invalid value; write [latitude, longitude], "
        "e.g. [50.45, 30.52] [bad-value]",
    ]


def test_validate_names_the_coordinate_that_is_not_a_number(make_archive):
    root = make_archive(
        {"entities/kyiv.yml": "type: place\nname: Kyiv\ndescription: Capital.\ncoordinates: [50.45, east]\n"}
    )
    assert formatted(root) == [
        "archive/entities/kyiv.yml:4: error: item 2 of 'coordinates' must be a number, not text; "
        "write [latitude, longitude], e.g. [50.45, 30.52] [wrong-type]",
    ]


def test_validate_ignores_url_noise_when_finding_duplicates(make_archive):
    root = make_archive(
        {
            "articles/2022/03/a.md": article(url="https://example.com/story", body="One."),
            "articles/2022/03/b.md": article(
                url="http://www.example.com/story/?utm_medium=x&fbclid=y#top", body="Two."
            ),
            "articles/2022/03/c.md": article(url="https://example.com/story?page=2", body="Three."),
        }
    )
    assert [(p.source.path, p.code) for p in check_archive(root).problems] == [
        ("archive/articles/2022/03/b.md", "duplicate-url")
    ]


def test_validate_keeps_articles_in_time_order(make_archive):
    root = make_archive(
        {
            "articles/2022/03/late.md": article(date="2022-03-30T20:00:00+00:00", body="Late."),
            "articles/2022/03/early.md": article(date="2022-03-30T08:00:00+00:00", body="Early."),
            "articles/2022/02/first.md": article(date="2022-02-24", body="First."),
        }
    )
    assert [a.slug for a in check_archive(root).archive.articles] == ["first", "early", "late"]


def test_a_first_check_of_a_large_archive_finds_the_same_problems_on_two_cores(make_archive, monkeypatch):
    """Beyond content.PARALLEL_FROM articles a first check works out the markup problems in two
    processes: the same problems, in the same order, as in one."""
    from build_tools.check import content

    files = {
        f"articles/2022/03/a{n:02d}.md": article(title=f"A {n}", date="2022-03-01", body=f"Text {n}.")
        for n in range(40)
    }
    files["articles/2022/03/a07.md"] = article(title="A 7", date="2022-03-01", body="![map](maps/local.png)")
    files["articles/2022/03/a31.md"] = article(title="A 31", date="2022-03-01", body="> " * 200 + "Deep.")
    root = make_archive(files)
    monkeypatch.setattr(content, "PARALLEL_FROM", 10**9)
    alone = check_archive(root)
    monkeypatch.setattr(content, "PARALLEL_FROM", 10)
    both = check_archive(root)
    assert [p.format() for p in both.problems] == [p.format() for p in alone.problems]
    assert [p.source.path.rsplit("/", 1)[-1] for p in alone.problems] == ["a07.md", "a31.md"]
    kept = [a.slug for a in both.archive.articles]  # an article with an error is left out
    assert kept == [a.slug for a in alone.archive.articles] and len(kept) == 39 and "a31" not in kept


def test_a_first_read_of_a_large_archive_gives_the_same_documents_and_problems_from_two_processes(
    make_archive, monkeypatch, tmp_path
):
    """Beyond load.PARALLEL_FROM files a first read reads and parses them in two processes:
    the same documents, lines and problems, in the same order, as in one; with a memo, what
    it keeps is what one process keeps."""
    from build_tools.memo import Memo
    from build_tools.read import load

    files: dict[str, str | bytes] = {
        f"articles/2022/03/a{n:02d}.md": article(title=f"A {n}", date="2022-03-01", body=f"Text {n}.")
        for n in range(40)
    }
    files["articles/2022/03/a05.md"] = b"---\ntitle: \xff\n---\nNot UTF-8.\n"
    files["articles/2022/03/a17.md"] = "---\ntitle: [unclosed\n---\nBad YAML.\n"
    files["articles/2022/03/a29.md"] = "No front matter at all.\n"
    root = make_archive(files)

    def read(parallel_from: int, memo: Memo | None = None) -> tuple[list[tuple[object, ...]], list[str]]:
        monkeypatch.setattr(load, "PARALLEL_FROM", parallel_from)
        raw, problems = load.load_archive(root, memo)
        docs = [
            (d.source, d.rel_path, d.data, d.key_lines, d.item_lines, d.body, d.body_line, d.digest)
            for d in raw.articles + raw.entities
        ]
        return docs, [p.format() for p in problems]

    alone, both = read(10**9), read(10)
    assert both == alone
    assert [line.split(":", 1)[0].rsplit("/", 1)[-1] for line in alone[1]] == ["a05.md", "a17.md", "a29.md"]
    assert len(alone[0]) == 37 + 2  # the readable articles and the two entities
    kept_alone, kept_both = Memo(tmp_path / "alone.pickle"), Memo(tmp_path / "both.pickle")
    assert read(10**9, kept_alone) == alone and read(10, kept_both) == alone
    kept_alone.save(), kept_both.save()
    tables = [
        pickle.loads((tmp_path / f"{name}.pickle").read_bytes())["tables"] for name in ("alone", "both")
    ]
    assert tables[0] == tables[1] and len(tables[0]["parsed"]) == 42

from __future__ import annotations

from pathlib import Path

from build_tools.read import load_archive
from tests.conftest import article


def test_load_records_the_line_of_every_key_and_list_item(make_archive):
    root = make_archive({"articles/2022/03/a.md": article(authors=["Jane Doe", "John Roe"])})
    raw, problems = load_archive(root)
    assert problems == []
    doc = raw.articles[0]
    assert doc.key_lines == {"title": 2, "date": 3, "source": 4, "authors": 5}
    assert doc.line_of("authors", 1) == 7
    assert doc.body_line == 9
    assert doc.body.startswith("Kremlin spokesman")


def test_load_reads_bom_and_crlf_files_like_plain_ones(make_archive):
    text = article().replace("\n", "\r\n")
    root = make_archive({"articles/2022/03/a.md": b"\xef\xbb\xbf" + text.encode()})
    raw, problems = load_archive(root)
    assert problems == []
    assert raw.articles[0].data["title"] == "Talks end"
    assert "\r" not in raw.articles[0].body


def test_load_reports_missing_and_unclosed_front_matter(make_archive):
    root = make_archive({"articles/2022/03/a.md": "Just text\n", "articles/2022/03/b.md": "---\ntitle: x\n"})
    _, problems = load_archive(root)
    assert [(p.source.path, p.code) for p in problems] == [
        ("archive/articles/2022/03/a.md", "no-front-matter"),
        ("archive/articles/2022/03/b.md", "unclosed-front-matter"),
    ]


def test_load_reports_a_key_given_twice(make_archive):
    root = make_archive({"articles/2022/03/a.md": article().replace("source:", "title: Again\nsource:")})
    _, problems = load_archive(root)
    assert [p.format() for p in problems] == [
        "archive/articles/2022/03/a.md:4: error: 'title' is given twice (first on line 2); keep one of them [duplicate-key]"
    ]


def test_load_refuses_a_symlink_that_leaves_the_archive(make_archive, tmp_path: Path):
    outside = tmp_path / "secret.md"
    outside.write_text(article())
    root = make_archive({})
    (root / "articles/2022/03").mkdir(parents=True)
    (root / "articles/2022/03/link.md").symlink_to(outside)
    raw, problems = load_archive(root)
    assert raw.articles == ()
    assert [p.code for p in problems] == ["outside-archive"]


def test_load_reports_the_line_of_a_bad_byte(make_archive):
    root = make_archive(
        {"articles/2022/03/a.md": article(body="line one\nline two caf\xe9").encode("latin-1")}
    )
    _, problems = load_archive(root)
    assert [str(p.source) for p in problems] == ["archive/articles/2022/03/a.md:7"]
    assert problems[0].code == "not-utf8"

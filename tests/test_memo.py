from __future__ import annotations

from pathlib import Path

import pytest

from build_tools import memo as memo_module
from build_tools.check import check_archive
from build_tools.link import link
from build_tools.memo import Memo
from build_tools.pipeline import build_pages
from tests.conftest import article

FILES = {
    f"articles/2022/03/a{i}.md": article(date=f"2022-03-0{i + 1}", body=f"Peskov spoke on Monday, {i}.")
    for i in range(4)
}


def test_memo_gives_the_same_pages_and_reuses_every_unchanged_file(make_archive, tmp_path: Path):
    root = make_archive(FILES)
    plain = build_pages(root).pages
    memo_file = tmp_path / "memo.pickle"
    assert build_pages(root, memo_file).pages == plain
    again = Memo(memo_file)
    report = check_archive(root, memo=again)
    link(report.archive, memo=again)
    # 4 articles + 2 entities parsed, 4 articles' texts validated, 4 linked, the related articles
    assert (again.hits, again.misses) == (6 + 4 + 4 + 1, 0)
    assert build_pages(root, memo_file).pages == plain


def test_memo_misses_only_the_edited_article(make_archive, tmp_path: Path):
    root = make_archive(FILES)
    memo_file = tmp_path / "memo.pickle"
    build_pages(root, memo_file)
    (root / "articles/2022/03/a2.md").write_text(article(date="2022-03-03", body="The Kremlin on Tuesday."))
    again = Memo(memo_file)
    report = check_archive(root, memo=again)
    linked = link(report.archive, memo=again)
    assert again.misses == 4  # its parse, its text's problems, its mentions; it names others now
    edited = linked.links[linked.index_of("a2")]
    assert edited.entity_ids == ("kremlin",) and edited.date_refs[0].text == "Tuesday"


def test_memo_keeps_the_related_articles_when_an_edit_names_the_same_entities(make_archive, tmp_path: Path):
    root = make_archive(FILES)
    memo_file = tmp_path / "memo.pickle"
    build_pages(root, memo_file)
    (root / "articles/2022/03/a2.md").write_text(article(date="2022-03-03", body="Peskov spoke again."))
    again = Memo(memo_file)
    linked = link(check_archive(root, memo=again).archive, memo=again)
    assert again.misses == 3  # its parse, its text's problems and its mentions: not the related
    fresh = link(check_archive(root).archive)
    assert [x.related for x in linked.links] == [x.related for x in fresh.links]
    assert linked.links[linked.index_of("a2")].related  # the others name Peskov too


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_memo_ignores_a_damaged_file(make_archive, tmp_path: Path, damage: bytes):
    root = make_archive(FILES)
    memo_file = tmp_path / "memo.pickle"
    memo_file.write_bytes(damage)
    assert build_pages(root, memo_file).pages == build_pages(root).pages
    assert Memo(memo_file).get("parsed", "anything") is None


def test_memo_from_other_code_is_not_used(make_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = make_archive(FILES)
    memo_file = tmp_path / "memo.pickle"
    build_pages(root, memo_file)
    monkeypatch.setattr(memo_module, "_code_version", lambda *code: "another version")
    fresh = Memo(memo_file)
    check_archive(root, memo=fresh)
    assert fresh.hits == 0


def test_memo_keeps_no_article_body_and_reads_it_again_from_the_file(make_archive, tmp_path: Path):
    """The memo holds an article's fields, not its body (the file has it): a later build reads
    the same body, byte for byte, also from a file with a BOM and CRLF line ends."""
    files = dict(FILES)
    files["articles/2022/03/crlf.md"] = (
        ("\ufeff" + article(date="2022-03-09", body="Marker-of-the-body said:\n\n---\n\nMore."))
        .replace("\n", "\r\n")
        .encode("utf-8")
    )
    root = make_archive(files)
    plain = check_archive(root).archive.articles
    memo_file = tmp_path / "memo.pickle"
    build_pages(root, memo_file)
    assert b"Marker-of-the-body" not in memo_file.read_bytes()
    again = Memo(memo_file)
    kept = check_archive(root, memo=again).archive.articles
    assert again.misses == 0
    assert [a.body for a in kept] == [a.body for a in plain]
    assert "Marker-of-the-body said:\n\n---\n\nMore." in [a.body.strip() for a in kept]


def _memo_with(path: Path, keys: range, new: range = range(0)) -> Memo:
    """A memo read from `path` that is given the results of `keys` (found there or put) and
    puts those of `new`, then saved."""
    memo = Memo(path, ("text",))
    for key in (*keys, *new):
        if memo.get("text", str(key)) is None:
            memo.put("text", str(key), ("result", key))
    memo.save()
    return memo


def test_memo_file_is_left_as_it_is_when_a_rebuild_adds_one_result_in_a_hundred(tmp_path: Path):
    memo_file = tmp_path / "memo.pickle"
    _memo_with(memo_file, range(300))
    written = memo_file.read_bytes()
    _memo_with(memo_file, range(1, 300), new=range(300, 302))  # 2 new in 301, one unused
    assert memo_file.read_bytes() == written
    later = _memo_with(memo_file, range(300))
    assert (later.hits, later.misses) == (300, 0)  # the file still holds every earlier result


@pytest.mark.parametrize(
    ("keys", "new"),
    [
        (range(300), range(300, 304)),  # 4 new results in 304: more than one in a hundred
        (range(250), range(0)),  # 50 of 300 results unused: the file holds too many
    ],
    ids=["many-new", "many-unused"],
)
def test_memo_file_is_written_again_when_it_misses_or_holds_too_much(tmp_path: Path, keys: range, new: range):
    memo_file = tmp_path / "memo.pickle"
    _memo_with(memo_file, range(300))
    _memo_with(memo_file, keys, new)
    again = Memo(memo_file, ("text",))
    held = {key for key in range(310) if again.get("text", str(key)) is not None}
    assert held == {*keys, *new}  # what the second build used, and nothing else


def test_memo_finds_a_copy_of_a_text_it_checked_in_an_earlier_build(make_archive, tmp_path: Path):
    root = make_archive(FILES)
    memo_file = tmp_path / "memo.pickle"
    build_pages(root, memo_file)
    # The same words as a1, spaced and wrapped otherwise: a copy, found though a1's text
    # problems and fingerprint come from the memo.
    copy = article(date="2022-03-02", body="Peskov   spoke on\nMonday, 1.")
    (root / "articles/2022/03/copy.md").write_text(copy)
    again = Memo(memo_file)
    report = check_archive(root, memo=again)
    assert again.hits >= 4
    [found] = [p for p in report.problems if p.code == "duplicate-body"]
    assert found.source.path.endswith("articles/2022/03/copy.md")
    assert found.message.startswith("has the same text as ") and found.message.endswith(
        "articles/2022/03/a1.md"
    )

"""Hostile and broken input (issue 7): a catalogue, one class per section.

1. path tricks: names and ids with '..', slashes, backslashes; links out of the archive; loops
2. huge input: over the size limit, 100,000 lines, pathological Markdown
3. encodings: BOM, CRLF, not UTF-8, NFC and NFD, zero-width characters
4. URL duplicates that differ only by tracking noise, and URLs that truly differ

Problems are asserted as a contributor sees them (`path:line: severity: message; hint [code]`
from `archive check`). Where the input is accepted the real build runs too, in a subprocess
with a generous timeout, so that a hang fails the test instead of blocking CI.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from build_tools.check import Changes, check_archive, check_changed
from build_tools.cli import main
from build_tools.link import link
from build_tools.read.load import MAX_FILE_BYTES
from build_tools.read.markdown_cost import MAX_BRACKET_READ, MAX_MARKUP_WORK, MAX_NESTING
from tests.conftest import article

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 120  # seconds; a hang fails the test, a slow machine does not

A = "archive/articles/2022/03"
ZELENSKYY = "type: person\nname: Volodymyr Zelenskyy\naliases:\n  - {alias}\ndescription: President.\n"


def check(*paths: str) -> Result:
    return CliRunner().invoke(main, ["check", *(paths or ("archive",))])


def lines(result: Result) -> list[str]:
    assert "Traceback" not in result.output
    return result.stdout.splitlines()


def run_archive(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`archive ARGS` in a subprocess in `folder`; the test fails if it runs past TIMEOUT."""
    env = {**os.environ, "ARCHIVE_CACHE_DIR": str(folder / "cache")}
    try:
        return subprocess.run(
            [sys.executable, "-m", "build_tools", *args],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"archive {' '.join(args)} did not finish within {TIMEOUT} s")


def build(folder: Path) -> subprocess.CompletedProcess[str]:
    """The real build of ./archive with the site's own configuration, into ./out/site."""
    return run_archive(
        folder,
        "build",
        "--config",
        str(REPO / "mkdocs.yml"),
        "--archive",
        "archive",
        "--site-dir",
        "out/site",
    )


def snapshot(folder: Path, leave_out: tuple[str, ...]) -> dict[str, str | bytes]:
    """Every file (its bytes) and link (its target) under `folder`, except under `leave_out`."""
    found: dict[str, str | bytes] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if (here / d).relative_to(folder).as_posix() not in leave_out]
        for name in filenames + [d for d in dirnames if (here / d).is_symlink()]:
            path = here / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[rel] = os.readlink(path)
            elif path.is_file():
                found[rel] = path.read_bytes()
            else:  # a pipe: reading it would wait for a writer
                found[rel] = "not a regular file"
    return found


# --- 1. path tricks ------------------------------------------------------------------------


def test_path_tricks_in_names_and_ids_are_reported_with_file_and_line(make_archive) -> None:
    """Class 1: '..', slashes and backslashes in file names, `entities` ids and would-be
    `slug`/`id` fields. Names come from file names only, so none of them can become a path."""
    make_archive(
        {
            "articles/2022/03/a\\..\\b.md": article(body="Backslashes."),
            "articles/2022/03/tricks.md": article(
                slug="../../../etc/passwd",
                entities=["../../etc/passwd", "/tmp/x"],
                not_entities=["..\\..\\windows"],
                body="Tricks.",
            ),
            "entities/p.yml": "id: ../../etc/passwd\ntype: person\nname: P\ndescription: P.\n",
            "entities/x\\..\\..\\y.yml": "type: person\nname: X\ndescription: X.\n",
            "entities/sub/kremlin.yml": "type: place\nname: Kremlin Palace\ndescription: A palace.\n",
        }
    )
    hint = "an entity id is the name of a file in archive/entities/ without .yml, such as dmitry-peskov"
    result = check()
    assert lines(result) == [
        f"{A}/a\\..\\b.md:1: error: file name 'a\\..\\b.md' must be lower-case words joined by "
        "hyphens; rename it to a-b.md [bad-slug]",
        f"{A}/tricks.md:5: warning: unknown field 'slug'; known fields: title, date, source, url, "
        "authors, language, summary, tags, entities, not_entities, retrieved, archive_url, rights, "
        "dateline, credits, paragraphs [unknown-key]",
        f"{A}/tricks.md:7: error: item 1 of 'entities' has an invalid value '../../etc/passwd'; "
        f"{hint} [bad-value]",
        f"{A}/tricks.md:8: error: item 2 of 'entities' has an invalid value '/tmp/x'; {hint} [bad-value]",
        f"{A}/tricks.md:10: error: item 1 of 'not_entities' has an invalid value '..\\..\\windows'; "
        f"{hint} [bad-value]",
        "archive/entities/p.yml:1: warning: unknown field 'id'; known fields: type, name, aliases, "
        "description, wikidata, coordinates, start, end [unknown-key]",
        "archive/entities/sub/kremlin.yml:1: error: entity id 'kremlin' (the file name) is also "
        "used by archive/entities/kremlin.yml; give one of the files another name [duplicate-id]",
        "archive/entities/x\\..\\..\\y.yml:1: error: entity id 'x\\..\\..\\y' (the file name) "
        "must be lower-case words joined by hyphens; rename the file to x-y.yml [bad-id]",
    ]
    assert result.exit_code == 1


def _hostile_links(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.md").write_text(article(body="Secret."), "utf-8")
    (outside / "folder" / "inner.md").write_text(article(body="Inner."), "utf-8")
    (outside / "secret.yml").write_text("type: person\nname: Secret\ndescription: S.\n", "utf-8")
    here = tmp_path / A
    here.mkdir(parents=True, exist_ok=True)
    (here / "to-file.md").symlink_to("../../../../outside/secret.md")
    (here / "to-folder").symlink_to("../../../../outside/folder")
    (here / "absolute.md").symlink_to(outside / "secret.md")
    (here / "loop-a.md").symlink_to("loop-b.md")
    (here / "loop-b.md").symlink_to("loop-a.md")
    (here / "itself").symlink_to(".")
    (here / "missing.md").symlink_to("nowhere.md")
    (tmp_path / "archive/entities/secret.yml").symlink_to(outside / "secret.yml")
    os.mkfifo(here / "pipe.md")


LINK_PROBLEMS = [
    f"{A}/absolute.md:1: error: is a link to a file outside the archive; refusing to read it; "
    "replace the link with the file itself [outside-archive]",
    f"{A}/itself:1: error: is a link to a folder that contains it (a loop); refusing to follow it; "
    "remove the link [link-loop]",
    f"{A}/loop-a.md:1: error: is a link that leads back to itself (a loop of links); refusing to "
    "read it; replace the link with the file itself [link-loop]",
    f"{A}/loop-b.md:1: error: is a link that leads back to itself (a loop of links); refusing to "
    "read it; replace the link with the file itself [link-loop]",
    f"{A}/missing.md:1: error: is a link to a file that does not exist; replace the link with the "
    "file itself [unreadable]",
    f"{A}/pipe.md:1: error: is not a regular file (a device, pipe or socket); refusing to read it; "
    "replace it with a text file [unreadable]",
    f"{A}/to-file.md:1: error: is a link to a file outside the archive; refusing to read it; "
    "replace the link with the file itself [outside-archive]",
    f"{A}/to-folder:1: error: is a link to a folder outside the archive; refusing to read it; "
    "replace the link with the folder itself [outside-archive]",
    "archive/entities/secret.yml:1: error: is a link to a file outside the archive; refusing to "
    "read it; replace the link with the file itself [outside-archive]",
]


def test_path_tricks_links_out_of_the_archive_and_loops_are_refused(make_archive, tmp_path: Path) -> None:
    """Class 1: file and folder links leaving the archive (relative and absolute), a loop of
    links, a folder linked to itself, a dangling link and a pipe: each refused by name, with no
    traceback and no wait; the build refuses too and writes nothing anywhere."""
    make_archive({"articles/2022/03/fine.md": article()})
    _hostile_links(tmp_path)
    result = check()
    assert lines(result) == LINK_PROBLEMS
    assert result.stderr == "9 errors, 0 warnings in 10 files\n"

    (tmp_path / "out" / "canary").mkdir(parents=True)
    before = snapshot(tmp_path, leave_out=("cache",))
    built = build(tmp_path)
    assert built.returncode == 1
    assert built.stderr.splitlines() == LINK_PROBLEMS + ["9 errors, 0 warnings in 10 files"]
    assert snapshot(tmp_path, leave_out=("cache",)) == before  # no site, nothing outside it


def test_path_tricks_the_articles_folder_linked_out_of_the_archive_is_refused(
    make_archive, tmp_path: Path
) -> None:
    """Class 1: archive/articles itself a link to a folder elsewhere: not read at all."""
    root = make_archive({})
    (tmp_path / "elsewhere" / "2022" / "03").mkdir(parents=True)
    (tmp_path / "elsewhere" / "2022" / "03" / "a.md").write_text(article(), "utf-8")
    (root / "articles").rmdir()
    (root / "articles").symlink_to(tmp_path / "elsewhere")
    assert lines(check()) == [
        "archive/articles:1: error: is a link to a folder outside the archive; refusing to read it; "
        "replace the link with the folder itself [outside-archive]"
    ]


def test_path_tricks_a_loop_of_links_in_check_changed_is_no_traceback(make_archive) -> None:
    """Class 1: `archive check --changed` compares changed articles with unchanged ones, which
    may be links; a loop among them is skipped (the full check reports it)."""
    root = make_archive({"articles/2022/03/new.md": article()})
    (root / "articles/2022/03/loop.md").symlink_to("loop.md")
    changes = Changes(
        base="main",
        present=frozenset({"articles/2022/03/new.md"}),
        removed=frozenset(),
        unchanged=(("articles/2022/03/loop.md", True),),
    )
    assert check_changed(root, changes).problems == ()


def test_path_tricks_accepted_input_builds_only_inside_the_site_folder(make_archive, tmp_path: Path) -> None:
    """Class 1: hostile names that are valid input (tags, source, authors, title full of '..'
    and slashes; a link to a file elsewhere in the archive; a folder linked inside the
    archive): the build succeeds and writes nothing outside its site folder and cache."""
    root = make_archive(
        {
            "articles/2022/03/dots.md": article(
                title="../../../../canary/title",
                source="../../../canary/source",
                tags=["../../../../canary/tag", "/tmp/x"],
                authors=["../../canary/author"],
                body="Dots and slashes.",
            ),
            "drafts/linked.md": article(body="Reached through a link inside the archive."),
        }
    )
    (root / "articles/2022/03/linked.md").symlink_to("../../../drafts/linked.md")
    (root / "articles/2022/04").symlink_to("03")
    result = check()
    assert lines(result) == [
        "archive/articles/2022/04:1: warning: is a link to another folder of the archive; the "
        "files there are read where they are, not through the link; remove the link [linked-folder]"
    ]
    assert result.exit_code == 0

    (tmp_path / "out" / "canary").mkdir(parents=True)
    before = snapshot(tmp_path, leave_out=("cache", "out/site"))
    built = build(tmp_path)
    assert built.returncode == 0, built.stderr
    assert snapshot(tmp_path, leave_out=("cache", "out/site")) == before
    assert list((tmp_path / "out" / "canary").iterdir()) == []
    site = tmp_path / "out" / "site"
    assert (site / "articles/2022/03/linked.html").is_file()
    assert "Dots and slashes." in (site / "articles/2022/03/dots.html").read_text("utf-8")
    tags = sorted(p.name for p in (site / "tags").iterdir())
    # Tags holding punctuation get a digest after '--' (docs/schema.md, Source and tag pages).
    assert [re.sub(r"--[0-9a-f]{8}(?=\.html$)", "", name) for name in tags] == [
        "canary-tag.html",
        "tmp-x.html",
    ]
    assert all(not p.is_symlink() for p in site.rglob("*"))


# --- 2. huge input ---------------------------------------------------------------------------


def test_huge_file_over_the_size_limit_is_refused_with_its_size(make_archive) -> None:
    """Class 2: a 20 MB body: one line naming the size and the limit, nothing read."""
    root = make_archive({"articles/2022/03/huge.md": article(body="word " * 4_000_000)})
    size = (root / "articles/2022/03/huge.md").stat().st_size
    assert size > 20_000_000
    assert lines(check()) == [
        f"{A}/huge.md:1: error: is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes (5 MB); "
        "split the text or keep only the article itself [too-large]"
    ]


def test_huge_limits_are_documented() -> None:
    """Class 2: every limit the checker enforces is stated in docs/schema.md."""
    page = (REPO / "docs/schema.md").read_text("utf-8")
    limits = page.split("## Limits\n", 1)[1].split("\n## ", 1)[0]
    assert f"at most {MAX_FILE_BYTES >> 20} MB ({MAX_FILE_BYTES:,} bytes)" in limits
    assert f"at most {MAX_NESTING} levels deep" in limits
    assert f"at most {MAX_BRACKET_READ:,} characters" in limits
    assert f"at most {MAX_MARKUP_WORK:,}" in limits
    for code in ("too-large", "too-deep", "too-many-brackets", "too-much-markup"):
        assert f"| `{code}` |" in page and f"(`{code}`)" in limits


@pytest.mark.slow
def test_huge_100000_line_file_is_checked_and_built(make_archive, tmp_path: Path) -> None:
    """Class 2: 100,000 lines (50,000 paragraphs, under the size limit): checked and built."""
    body = "".join(f"Paragraph {n} of a very long article.\n\n" for n in range(50_000))
    root = make_archive({"articles/2022/03/long.md": article(body=body)})
    assert (root / "articles/2022/03/long.md").read_text("utf-8").count("\n") >= 100_000
    checked = run_archive(tmp_path, "check", "archive")
    assert (checked.returncode, checked.stdout, checked.stderr) == (
        0,
        "",
        "0 errors, 0 warnings in 3 files\n",
    )
    built = build(tmp_path)
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "out/site/articles/2022/03/long.html").read_text("utf-8")
    assert "<p>Paragraph 49999 of a very long article.</p>" in page


PATHOLOGICAL = {
    # name: (body, the problem's line in the file, or None when the page is built)
    "10,000 nested blockquotes": ("> " * 10_000 + "deep\n", 6),
    "10,000 nested lists": ("- " * 10_000 + "deep\n", 6),
    "an indented list 1,000 deep": ("".join("    " * i + "- item\n" for i in range(1_000)), 6 + 100),
    "50,000 [ on one line": ("[" * 50_000 + "\n", 6),
    "50,000 [ on 50,000 lines": ("Text.\n\n" + "[\n" * 50_000, 8),
    "25,000 nested [ ]": ("[" * 25_000 + "x" + "]" * 25_000 + "\n", 6),
    "50,000 *": ("*" * 50_000 + "\n", None),
    "25,000 *emphasis*": ("*a* " * 25_000 + "\n", 6),
    "50,000 <b> tags": ("<b>" * 50_000 + "x\n", 6),
    "a single 4 MB line": (("word " * 800_000)[:4_000_000] + "\n", None),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_huge_pathological_markdown_builds_or_is_refused_in_time(
    name: str, make_archive, tmp_path: Path
) -> None:
    """Class 2: deep nesting, runs of '[' and '*', thousands of tags, a 4 MB line: the check
    and the build finish, with a built page or one clear problem on the right line."""
    body, line = PATHOLOGICAL[name]
    make_archive({"articles/2022/03/odd.md": article(body=body)})
    checked = run_archive(tmp_path, "check", "archive")
    assert "Traceback" not in checked.stderr
    if line is None:
        assert (checked.returncode, checked.stdout) == (0, "")
        built = build(tmp_path)
        assert built.returncode == 0, built.stderr
        assert (tmp_path / "out/site/articles/2022/03/odd.html").is_file()
    else:
        assert checked.returncode == 1
        (problem,) = checked.stdout.splitlines()
        assert problem.startswith(f"{A}/odd.md:{line}: error: ")
        assert problem.endswith(("[too-deep]", "[too-many-brackets]", "[too-much-markup]"))
        built = build(tmp_path)
        assert (built.returncode, built.stderr.splitlines()[0]) == (1, problem)


def test_huge_markdown_limits_name_the_numbers(make_archive) -> None:
    """Class 2: what the three Markdown limits say, in full."""
    stray, tags = 2_000, 30_000
    make_archive(
        {
            "articles/2022/03/deep.md": article(body="Fine.\n\n" + "> " * 150 + "deep\n"),
            "articles/2022/03/brackets.md": article(body="[" * stray),
            "articles/2022/03/tags.md": article(body="<b>" * tags + "x"),
        }
    )
    read = sum(stray + 1 - at for at in range(stray))  # from each "[" to the line's end
    length = len("<b>" * tags + "x\n")  # the paragraph ends with its line
    assert lines(check()) == [
        f"{A}/brackets.md:6: error: converting this paragraph would read {read:,} characters, "
        f"from each of its {stray:,} '[' to the ']' that closes it ({stray:,} have none); the "
        "limit is 1,000,000; remove the stray '[', or write each as '\\[' [too-many-brackets]",
        f"{A}/deep.md:8: error: blockquotes and lists are nested 150 levels deep here; the limit "
        "is 100; remove the extra '>' or list markers [too-deep]",
        f"{A}/tags.md:6: error: this paragraph of {length:,} characters holds {tags:,} that may "
        "start markup (< & * _ ` [ ! \\): converting it would take too long (the limit is "
        "2,000,000,000 for the two counts multiplied); split it into paragraphs with blank "
        "lines, or remove the stray characters [too-much-markup]",
    ]


# --- 3. encodings ----------------------------------------------------------------------------

BROKEN = "---\ntitle: T\ndate: 2022-02-30\nsource: [S\ntitel: x\n---\nBody.\n"
BROKEN_ENTITY = "type: person\nname: N\ndescription: D.\nwikidata: 1899\nnme: x\n"


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode(),
        lambda text: b"\xef\xbb\xbf" + text.encode(),
        lambda text: text.replace("\n", "\r\n").encode(),
        lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
        lambda text: text.replace("\n", "\r").encode(),
    ],
    ids=["plain", "bom", "crlf", "bom-crlf", "cr"],
)
def test_encoding_bom_and_line_endings_keep_line_numbers(encode, make_archive) -> None:
    """Class 3: a UTF-8 BOM and CRLF (or old Mac CR) line endings: front matter still parsed,
    every problem on the line an editor shows."""
    make_archive(
        {
            "articles/2022/02/dates.md": encode(BROKEN.replace("source: [S", "source: S")),
            "articles/2022/03/yaml.md": encode(BROKEN),
            "entities/n.yml": encode(BROKEN_ENTITY),
        }
    )
    assert lines(check()) == [
        "archive/articles/2022/02/dates.md:3: error: '2022-02-30' is not a calendar date; use a "
        "real calendar date, YYYY-MM-DD [bad-date]",
        "archive/articles/2022/02/dates.md:5: warning: unknown field 'titel'; did you mean "
        "'title'? [unknown-key]",
        f"{A}/yaml.md:4: error: YAML does not parse: did not find expected ',' or ']' (while "
        "parsing a flow sequence that starts on line 4); check indentation, and quote values "
        "that contain ': ' or start with a special character [yaml-syntax]",
        "archive/entities/n.yml:4: error: 'wikidata' must be text, not a number; use the Q-id, "
        "e.g. Q3345 [wrong-type]",
        "archive/entities/n.yml:5: warning: unknown field 'nme'; did you mean 'name'? [unknown-key]",
    ]


def test_encoding_a_bom_left_inside_a_joined_file_is_ignored(make_archive) -> None:
    """Class 3: a BOM at the start of a later line (two files joined) is invisible: no
    'did not find expected key' on a line that looks right."""
    make_archive({"articles/2022/03/a.md": article().replace("date:", "\ufeffdate:")})
    assert lines(check()) == []


@pytest.mark.parametrize(
    "codec, line, message",
    [
        ("latin-1", 7, "is not UTF-8: byte 0xe9 cannot be decoded"),
        ("cp1252", 7, "is not UTF-8: byte 0xe9 cannot be decoded"),
        ("utf-16", 1, "is not UTF-8: it is saved as UTF-16"),
        ("utf-32", 1, "is not UTF-8: it is saved as UTF-32"),
        ("utf-16-le", 1, "is not UTF-8 text: it holds a NUL byte (UTF-16, or not a text file?)"),
        ("utf-16-be", 1, "is not UTF-8 text: it holds a NUL byte (UTF-16, or not a text file?)"),
    ],
)
def test_encoding_not_utf8_is_one_clear_line(codec: str, line: int, message: str, make_archive) -> None:
    """Class 3: Latin-1, Windows-1252, UTF-16 and UTF-32, with and without a BOM."""
    make_archive({"articles/2022/03/a.md": article(body="Line one.\nCafé.").encode(codec)})
    assert lines(check()) == [f"{A}/a.md:{line}: error: {message}; save the file as UTF-8 [not-utf8]"]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "type: place\nname: Kyiv\n\x17\n",
            "3: error: YAML does not parse: unacceptable character #x0017: control characters are not "
            "allowed; remove the invisible control character [yaml-syntax]",
        ),
        (
            "type: place\nname: Kyiv\u2028City\ndescription: [D.\nwikidata: Q1\n",
            "4: error: YAML does not parse: did not find expected ',' or ']' (while parsing a flow "
            "sequence that starts on line 3); check indentation, and quote values that contain ': ' or "
            "start with a special character [yaml-syntax]",
        ),
        (
            "type: place\nname: !!int Kyiv\ndescription: D.\n",
            "2: error: YAML does not parse: 'Kyiv' cannot be read as !!int; check indentation, and "
            "quote values that contain ': ' or start with a special character [yaml-syntax]",
        ),
        (
            'type: place\nname: Kyiv\ndescription: D.\n"a\\nb": x\n',
            "4: warning: unknown field 'a\\nb'; known fields: type, name, aliases, description, "
            "wikidata, coordinates, start, end [unknown-key]",
        ),
    ],
    ids=["control-character", "unicode-line-separator", "explicit-tag", "key-with-a-line-break"],
)
def test_encoding_odd_characters_in_yaml_are_one_line_on_the_right_line(
    text: str, expected: str, make_archive
) -> None:
    """Class 3: a control character, a Unicode line separator (a line break to YAML, not to an
    editor), an explicit tag the value does not fit, a key holding a line break: one problem
    on one line, at the line an editor shows, never a traceback."""
    make_archive({"entities/kyiv.yml": text.encode()})
    assert lines(check()) == [f"archive/entities/kyiv.yml:{expected}"]


NFC = unicodedata.normalize("NFC", "Зеленський")
NFD = unicodedata.normalize("NFD", NFC)


@pytest.mark.parametrize("alias, text", [(NFD, NFC), (NFC, NFD)], ids=["nfd-alias", "nfd-text"])
def test_encoding_nfc_and_nfd_forms_of_a_name_match(alias: str, text: str, make_archive) -> None:
    """Class 3: an alias typed with 'й' as 'и' + combining breve matches the composed letter in
    the text, and the other way round."""
    assert alias != text and len(NFD) == len(NFC) + 1
    root = make_archive(
        {
            "entities/volodymyr-zelenskyy.yml": ZELENSKYY.format(alias=alias),
            "articles/2022/03/a.md": article(body=f"{text} spoke on Tuesday."),
        }
    )
    report = check_archive(root)
    assert report.problems == ()
    (links,) = link(report.archive).links
    assert [m.entity_id for m in links.mentions] == ["volodymyr-zelenskyy"]


def test_encoding_aliases_differing_only_by_form_or_zero_width_are_one_alias(make_archive) -> None:
    """Class 3: 'Zelenskýy' composed, decomposed, and with each zero-width character inside:
    the same alias claimed by several entities: each reported against the first owner, and
    the first against the second."""
    composed = unicodedata.normalize("NFC", "Zelenskýy")
    variants = {
        "a-nfc": composed,
        "b-nfd": unicodedata.normalize("NFD", composed),
        **{f"c-{ord(z):04x}": composed[:3] + z + composed[3:] for z in "\u200b\u200c\u200d\u2060\ufeff"},
    }
    make_archive(
        {f"entities/{name}.yml": ZELENSKYY.format(alias=alias) for name, alias in variants.items()},
        with_defaults=False,
    )
    names = sorted(variants)
    more = f"archive/entities/b-nfd.yml, and {len(names) - 2} more"
    assert lines(check()) == [
        "archive/entities/a-nfc.yml:2: error: 'Volodymyr Zelenskyy' is also a name of 'b-nfd' "
        f"({more}); an alias may belong to one entity only; keep it on the right one "
        "[duplicate-alias]",
        f"archive/entities/a-nfc.yml:4: error: '{composed}' is also a name of 'b-nfd' ({more}); "
        "an alias may belong to one entity only; keep it on the right one [duplicate-alias]",
    ] + [
        line
        for name in names[1:]
        for line in (
            f"archive/entities/{name}.yml:2: error: 'Volodymyr Zelenskyy' is also a name of "
            "'a-nfc' (archive/entities/a-nfc.yml); an alias may belong to one entity only; "
            "keep it on the right one [duplicate-alias]",
            f"archive/entities/{name}.yml:4: error: '{composed}' is also a name of 'a-nfc' "
            "(archive/entities/a-nfc.yml); an alias may belong to one entity only; keep it on "
            "the right one [duplicate-alias]",
        )
    ]


@pytest.mark.parametrize(
    "zero_width",
    ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"],
    ids=["zwsp", "zwnj", "zwj", "word-joiner", "bom"],
)
def test_encoding_zero_width_inside_a_name_in_the_text_still_matches(zero_width: str, make_archive) -> None:
    """Class 3: an invisible character inside a name in the article text (pasted from a web
    page) does not hide the mention."""
    root = make_archive(
        {
            "entities/volodymyr-zelenskyy.yml": ZELENSKYY.format(alias="Zelenskyy"),
            "articles/2022/03/a.md": article(body=f"President Zelen{zero_width}skyy spoke."),
        }
    )
    report = check_archive(root)
    assert report.problems == ()
    (links,) = link(report.archive).links
    assert [(m.entity_id, m.text.replace(zero_width, "")) for m in links.mentions] == [
        ("volodymyr-zelenskyy", "Zelenskyy")
    ]


# --- 4. URL duplicates ---------------------------------------------------------------------

BASE_URL = "https://example.com/news/2022/03/story?id=7"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/news/2022/03/story?id=7&utm_source=twitter&utm_medium=social",
        "https://example.com/news/2022/03/story?utm_campaign=x&id=7",
        "https://example.com/news/2022/03/story?id=7#comments",
        "https://example.com/news/2022/03/story/?id=7",
        "http://example.com/news/2022/03/story?id=7",
        "https://www.example.com/news/2022/03/story?id=7",
        "http://WWW.Example.COM:80/news/2022/03/story/?utm_content=a&id=7&fbclid=b#top",
        "https://example.com:443/news/2022/03/story?id=7",
    ],
    ids=["utm", "utm-first", "fragment", "trailing-slash", "http", "www", "all-at-once", "default-port"],
)
def test_url_duplicates_differing_only_by_noise_name_both_files(url: str, make_archive) -> None:
    """Class 4: tracking parameters, fragment, trailing slash, scheme, www., case of the host,
    default port: the same article, reported on the later file naming the earlier one."""
    make_archive(
        {
            "articles/2022/03/a.md": article(url=BASE_URL, body="One."),
            "articles/2022/03/b.md": article(url=url, body="Two."),
        }
    )
    assert lines(check()) == [
        f"{A}/b.md:5: error: has the same url as {A}/a.md; keep one copy [duplicate-url]"
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/news/2022/03/story?id=8",
        "https://example.com/news/2022/03/story",
        "https://example.com/news/2022/03/story?id=7&page=2",
        "https://example.com/news/2022/03/other?id=7",
        "https://example.com/News/2022/03/story?id=7",
        "https://example.org/news/2022/03/story?id=7",
        "https://example.com:8443/news/2022/03/story?id=7",
    ],
    ids=["query-value", "no-query", "more-query", "path", "path-case", "host", "port"],
)
def test_url_that_truly_differs_is_not_a_duplicate(url: str, make_archive) -> None:
    """Class 4: another query value, path, host or port is another article."""
    make_archive(
        {
            "articles/2022/03/a.md": article(url=BASE_URL, body="One."),
            "articles/2022/03/b.md": article(url=url, body="Two."),
        }
    )
    result = check()
    assert (lines(result), result.exit_code) == ([], 0)


def test_url_with_a_port_out_of_range_is_compared_as_written(make_archive) -> None:
    """Class 4: a port that is no number from 0 to 65535 made URL comparison raise."""
    url = "https://example.com:99999/story"
    make_archive(
        {
            "articles/2022/03/a.md": article(url=url, body="One."),
            "articles/2022/03/b.md": article(url=url, body="Two."),
            "articles/2022/03/c.md": article(url="https://example.com:x/story", body="3."),
        }
    )
    assert lines(check()) == [
        f"{A}/b.md:5: error: has the same url as {A}/a.md; keep one copy [duplicate-url]"
    ]

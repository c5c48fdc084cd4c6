"""Properties that hold for any archive a contributor could write, found by hypothesis: `archive
check` reports every mistake as a problem with its file and line and never crashes, and a build
never changes a file under archive/. EXAMPLES holds how many archives each property tries."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from build_tools.check import check_archive, load_schema
from build_tools.cli import main
from build_tools.problems import Problem
from tests.conftest import KREMLIN, PESKOV

# How many generated archives each property is tried on (quoted in docs and reports).
EXAMPLES = {"check": 250, "check_cli": 40, "build": 20}

TODAY = dt.date(2031, 7, 1)  # a fixed "today": the same archive always gets the same problems
ARTICLE_FIELDS = tuple(load_schema("article")["properties"])
PROBLEM_LINE = re.compile(r"archive/\S.*:\d+: (error|warning): .+ \[[a-z0-9]+(-[a-z0-9]+)*\]")
SUMMARY_LINE = re.compile(r"[\d,]+ errors?, [\d,]+ warnings? in [\d,]+ files?")
SMALL_SITE = "site_name: Properties\nplugins:\n  - archive\nvalidation:\n  nav:\n    omitted_files: info\n"
HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
# derandomize: every run tries the same archives, so a run passes or fails on the code alone
PROPERTY = settings(deadline=None, suppress_health_check=HEALTH, derandomize=True)

# --- what a contributor might write -------------------------------------------------------

TEXT = st.text(max_size=30)  # any code point but a surrogate: control characters, NUL, RTL
WEIRD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\t",
        "\r",
        "\x1b[31m",
        "\u2028",
        "\u2029",
        "\x85",
        "\ufeff",
        "\u200b",
        "\u202e",
        "𝔘𝔨𝔯𝔞𝔦𝔫𝔢",
        "Київ",
        "ا",
        "---",
        "...",
        "null",
        "~",
        "yes",
        "no",
        "0x1F",
        "1e400",
        ".nan",
        "2022-02-30",
        "2022-03-30T25:61:00Z",
        "9999-12-31",
        "0001-01-01",
        "-1",
        "'",
        '"',
        "https://",
        "javascript:alert(1)",
        "//cdn.example.com/x.js",
        "dmitry-peskov",
        "kremlin",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**100, -(2**63), 2**64]),
    st.floats(),
    st.dates(),
    st.datetimes(),
    TEXT,
    WEIRD_TEXT,
    st.binary(max_size=8),
)
KEYS = st.one_of(
    st.sampled_from(ARTICLE_FIELDS), TEXT, WEIRD_TEXT, st.integers(), st.none(), st.booleans(), st.dates()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
MAPPINGS = st.dictionaries(KEYS, VALUES, max_size=8)


@st.composite
def dumped(draw: st.DrawFn, mapping: st.SearchStrategy[dict[Any, Any]]) -> str:
    """A mapping as YAML, in the block or flow style."""
    return yaml.safe_dump(
        draw(mapping),
        allow_unicode=draw(st.booleans()),
        sort_keys=False,
        default_flow_style=draw(st.sampled_from([False, True, None])),
    )


YAML_PIECES = st.sampled_from(
    [
        "\n",
        "\n",
        "\n",
        "title: ",
        "date: ",
        "source: ",
        "entities:",
        "aliases:",
        "type: ",
        "- ",
        "  ",
        "    ",
        ": ",
        ":",
        "\t",
        "---",
        "...",
        "#",
        "? ",
        "&a ",
        "*a",
        "&a [*a]",
        "<<: *a",
        "!!python/object:os.system",
        "!!binary ",
        "!!str",
        "!!timestamp ",
        "!custom ",
        "%YAML 1.1",
        "{",
        "}",
        "[",
        "]",
        ",",
        "'",
        '"',
        "|",
        ">-",
        "\\",
        "@",
        "`",
        "%",
        "2022-03-30",
        "[[[[[[[[",
        "\x00",
        "\x07",
        "\ufeff",
        "\u2028",
        "\x85",
        "\r",
    ]
)
YAML_TEXT = st.lists(st.one_of(YAML_PIECES, TEXT), max_size=30).map("".join)
FRONT = st.one_of(
    dumped(MAPPINGS),
    YAML_TEXT,
    dumped(
        st.fixed_dictionaries(
            {"title": TEXT, "date": st.dates().map(str), "source": TEXT},
            optional={k: VALUES for k in ARTICLE_FIELDS if k not in ("title", "date", "source")},
        )
    ),
)

BODY_PIECES = st.sampled_from(
    [
        "\n",
        "\n\n",
        "# ",
        "## ",
        "- ",
        "1. ",
        "> ",
        "    ",
        "```",
        "~~~",
        "*",
        "_",
        "`",
        "[",
        "]",
        "(",
        ")",
        "![",
        "](",
        "[x](y.md)",
        "[x](#nowhere)",
        "[^1]",
        "[^1]: note",
        "*[HTML]: x",
        "{: .ra-caption }",
        "{: #id onclick=x }",
        "| a | b |\n|---|---|",
        "---",
        "***",
        "<",
        ">",
        "&",
        "&amp;",
        "&#0;",
        "&#x110000;",
        "<script>alert(1)</script>",
        "<div>",
        "</div>",
        "<p",
        '<a href="javascript:alert(1)">',
        "<img src=x onerror=alert(1)>",
        "<svg onload=x>",
        "<!--",
        "-->",
        "<![CDATA[",
        "<style>",
        "<iframe src=//x>",
        "<details markdown>",
        "\x00",
        "\x1b",
        "\u2028",
        "\ufeff",
        "Dmitry Peskov",
        "Kremlin",
        "30 March 2022",
        "2022-03-30",
        "yesterday",
    ]
)
BODY = st.lists(st.one_of(BODY_PIECES, TEXT), max_size=30).map("".join)


@st.composite
def article_bytes(draw: st.DrawFn, front: st.SearchStrategy[str] = FRONT) -> bytes:
    """An article file: usually front matter between '---' lines and a body, sometimes not."""
    if draw(st.integers(0, 15)) == 0:
        return draw(st.binary(max_size=200))  # anything at all, UTF-8 or not
    opening = draw(st.sampled_from(["---\n", "---\n", "---\n", "--- \n", "", "\ufeff---\n"]))
    closing = draw(st.sampled_from(["---\n", "---\n", "---\n", "...\n", "---", ""]))
    text = opening + draw(front).rstrip("\n") + "\n" + closing + draw(BODY)
    ending = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    return text.replace("\n", ending).encode("utf-8", "surrogatepass")


ENTITY = st.one_of(
    st.just(PESKOV),
    st.just(KREMLIN),
    YAML_TEXT,
    dumped(MAPPINGS),
    dumped(
        st.fixed_dictionaries(
            {"type": st.sampled_from(["person", "place", "organization", "event", "thing"]), "name": TEXT},
            optional={"aliases": VALUES, "wikidata": VALUES, "description": VALUES},
        )
    ),
).map(lambda text: text.encode("utf-8", "surrogatepass")) | st.binary(max_size=100)

SLUG = st.one_of(
    st.sampled_from(
        ["talks-end", "a", "shelling", "Talks End", "talks_end", "-", "κίεβο", "a b", ".hidden", "x" * 200]
    ),
    # any character a file name can hold, but line breaks and other controls,
    # which no line-based tool shows as one line (git quotes such names)
    st.text(
        st.characters(blacklist_characters="/", blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=12,
    ).filter(lambda s: s not in (".", "..") and len(s.encode()) < 200),
)
FOLDER = st.sampled_from(["2022/03", "2022/03", "2022/04", "2021/12", "2022/13", "1999/1", "x/y", "2022", ""])
ARTICLE_PATH = st.builds(
    lambda folder, slug, suffix: "/".join(part for part in ("articles", folder, slug + suffix) if part),
    FOLDER,
    SLUG,
    st.sampled_from([".md", ".md", ".md", ".MD", ".markdown", ".txt"]),
)
ENTITY_PATH = st.builds(
    lambda slug, suffix: f"entities/{slug}{suffix}",
    st.one_of(st.sampled_from(["dmitry-peskov", "kremlin", "kyiv"]), SLUG),
    st.sampled_from([".yml", ".yml", ".yaml", ".YML", ".json"]),
)

ARCHIVES = st.builds(
    lambda articles, entities: {**entities, **articles},
    st.dictionaries(ARTICLE_PATH, article_bytes(), max_size=4),
    st.dictionaries(ENTITY_PATH, ENTITY, max_size=3),
)


# --- helpers ------------------------------------------------------------------------------


@contextlib.contextmanager
def archive_on_disk(files: dict[str, bytes]) -> Iterator[Path]:
    """Write the files under a fresh ./archive and work in its parent; yield the archive."""
    previous = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="props-") as folder:
        root = Path(folder) / "archive"
        for rel, data in {
            "entities/dmitry-peskov.yml": PESKOV.encode(),
            "entities/kremlin.yml": KREMLIN.encode(),
            **files,
        }.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        (root / "articles").mkdir(exist_ok=True)
        os.chdir(folder)
        try:
            yield Path("archive")
        finally:
            os.chdir(previous)


def lines_in(data: bytes) -> int:
    """Lines as an editor counts them (after the loader's CRLF and CR to LF)."""
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


def assert_well_formed(problems: tuple[Problem, ...], root: Path) -> None:
    """Each problem names a file of the archive, a line inside it, and fits on one line."""
    assert list(problems) == sorted(problems, key=lambda p: p.sort_key)
    for problem in problems:
        path = Path(problem.source.path)
        assert path.is_file() and root.resolve() in path.resolve().parents, problem.format()
        assert 1 <= problem.source.line <= lines_in(path.read_bytes()), problem.format()
        assert problem.severity in ("error", "warning")
        assert problem.message.strip(), problem.format()
        assert problem.format().splitlines() == [problem.format()], problem.format()
        assert PROBLEM_LINE.fullmatch(problem.format()), problem.format()


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file and folder under `root`: its bytes, modification time and mode."""
    return {
        p.relative_to(root).as_posix(): (
            p.read_bytes() if p.is_file() else b"",
            p.stat().st_mtime_ns,
            p.stat().st_mode,
        )
        for p in sorted(root.rglob("*"))
    }


# --- the properties -----------------------------------------------------------------------


# Archives hypothesis found once, kept so that every run tries them.
FOUND = [
    {"articles/2022/03/a.md": b"---\ndate: !!timestamp x\n---\nText.\n"},  # crashed
    {"articles/2022/03/a.md": b"---\ntitle: !!int x\n---\nText.\n"},  # crashed
    {"articles/2022/03/a.md": b"---\n{}\n---"},  # line past the end of the file
    {"entities/kyiv.yml": b"{"},  # line past the end of the file
    {"entities/kyiv.yml": b"#\xe2\x80\xa8---"},  # a YAML line break no editor shows
    {"entities/kyiv.yml": b"type: place\n\x17\n"},  # message on two lines
    {"entities/kyiv.yml": b'type: place\n"a\\nb": x\n'},  # key with a line break, printed raw
]


@pytest.mark.slow
@settings(PROPERTY, max_examples=EXAMPLES["check"])
@given(files=ARCHIVES)
@example(files=FOUND[0]).via("discovered failure")
@example(files=FOUND[1]).via("discovered failure")
@example(files=FOUND[2]).via("discovered failure")
@example(files=FOUND[3]).via("discovered failure")
@example(files=FOUND[4]).via("discovered failure")
@example(files=FOUND[5]).via("discovered failure")
@example(files=FOUND[6]).via("discovered failure")
def test_check_reports_any_archive_as_problems_with_file_and_line(files: dict[str, bytes]) -> None:
    with archive_on_disk(files) as root:
        report = check_archive(root, today=TODAY)
        assert_well_formed(report.problems, root)


@pytest.mark.slow
@settings(PROPERTY, max_examples=EXAMPLES["check_cli"])
@given(files=ARCHIVES)
@example(files=FOUND[0]).via("discovered failure")
@example(files=FOUND[5]).via("discovered failure")
def test_check_cli_prints_problems_and_a_summary_never_a_traceback(files: dict[str, bytes]) -> None:
    with archive_on_disk(files):
        result = CliRunner().invoke(main, ["check"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    problems = result.stdout.splitlines()
    assert all(PROBLEM_LINE.fullmatch(line) for line in problems), result.stdout
    assert SUMMARY_LINE.fullmatch(result.stderr.rstrip("\n")), result.stderr
    errors = sum(": error: " in line for line in problems)
    assert result.exit_code == (1 if errors else 0)


# For the build, most archives should pass the check, or the build stops before MkDocs runs.
WORDS = st.text(
    st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=20
).filter(str.strip)
VALID_FRONT = dumped(
    st.fixed_dictionaries(
        {
            "title": TEXT.filter(str.strip),
            "date": st.dates(dt.date(2022, 3, 1), dt.date(2022, 3, 31)).map(str),
            "source": st.sampled_from(["Reuters", "Example News", "Київ Post"]),
        },
        optional={
            "tags": st.lists(WORDS, max_size=3),
            "entities": st.lists(st.sampled_from(["dmitry-peskov", "kremlin"]), max_size=2, unique=True),
            "summary": WORDS,
            "authors": st.lists(WORDS, max_size=2),
            "language": st.just("en"),
        },
    )
)
VALID_ARTICLE = st.builds(
    "---\n{}---\n{}\n\nKremlin spokesman Dmitry Peskov spoke.\n".format, VALID_FRONT, BODY
).map(lambda text: text.encode("utf-8"))
BUILD_ARCHIVES = st.dictionaries(
    st.builds("articles/2022/03/{}.md".format, st.sampled_from(["a", "b", "talks-end", "c-2"])),
    # one article in eight is anything at all: the build must stop without touching the archive
    st.integers(0, 7).flatmap(lambda n: article_bytes() if n == 0 else VALID_ARTICLE),
    min_size=1,
    max_size=3,
)


@pytest.mark.slow
@settings(PROPERTY, max_examples=EXAMPLES["build"])
@given(files=BUILD_ARCHIVES)
@example(files={"articles/2022/03/a.md": b"---\n!!timestamp \n---\n"}).via("discovered failure")
def test_build_never_changes_the_archive(files: dict[str, bytes]) -> None:
    with archive_on_disk(files) as root, pytest.MonkeyPatch.context() as patch:
        patch.delenv("ARCHIVE_CACHE_DIR", raising=False)  # the cache goes beside mkdocs.yml
        Path("mkdocs.yml").write_text(SMALL_SITE, "utf-8")
        Path("docs").mkdir()
        before = snapshot(root)
        result = CliRunner().invoke(main, ["build", "--site-dir", "site"])
        after = snapshot(root)
        errors = check_archive(root).errors
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert after == before
    # An archive the check passes is built; one it fails is not.
    assert result.exit_code == (1 if errors else 0), result.output

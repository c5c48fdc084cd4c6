"""Markdown that made the build crash or run for minutes (issue 21, point 3 and 4): each is now
one problem on the right line, found in time linear in the text, or a page built in seconds.

Where the check runs as a command, it runs in a process of its own with 1 GB of address space
and a generous timeout, so that a hang or a runaway fails the test instead of blocking CI.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.problems import Source
from build_tools.read.limits import markdown_problems
from build_tools.read.markdown_cost import (
    MAX_BRACE_READ,
    MAX_COPY_WORK,
    MAX_ELEMENTS,
    MAX_NESTING,
    code_spans,
    inline_nesting,
    paren_read,
)
from tests.conftest import article
from tests.test_hostile_input import A, build, check, lines

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 60  # seconds: each case takes one or two


def check_bounded(folder: Path) -> subprocess.CompletedProcess[str]:
    """`archive check archive` in `folder`, in a process that may use 1 GB and TIMEOUT s."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = {**os.environ, "PYTHONPATH": str(REPO), "ARCHIVE_CACHE_DIR": str(folder / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "build_tools", "check", "archive"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=limit_memory,
        env=env,
    )


def test_limits_refuse_emphasis_nested_2000_deep_instead_of_crashing_the_build(
    make_archive, tmp_path: Path
) -> None:
    """`*`x2000 x `*`x2000 passed the check and crashed the build with a RecursionError."""
    make_archive({"articles/2022/03/stars.md": article(body="Fine.\n\n" + "*" * 2000 + "x" + "*" * 2000)})
    problem = (
        f"{A}/stars.md:8: error: emphasis and links are nested 2,000 levels deep here "
        "(each '*' or '_' of a run and each '[' counts); the limit is "
        f"{MAX_NESTING}; close the emphasis and links sooner, or write a literal '*', '_' "
        "or '[' with a '\\' before it [too-deep]"
    )
    assert lines(check()) == [problem]
    built = build(tmp_path)
    assert "Traceback" not in built.stderr
    assert (built.returncode, built.stderr.splitlines()[0]) == (1, problem)


def test_limits_refuse_300000_short_paragraphs_in_seconds(make_archive, tmp_path: Path) -> None:
    """300,000 paragraphs took 60 s in the line counting, and Python-Markdown's time grows as
    the square of the number of blocks (183 s): refused at once, within 1 GB."""
    make_archive({"articles/2022/03/many.md": article(body="a.\n\n" * 300_000)})
    done = check_bounded(tmp_path)
    assert done.stdout.splitlines() == [
        f"{A}/many.md:6: error: the text has 300,000 lines and 0 characters that may start "
        f"markup: converting it would take too long (the limit is {MAX_ELEMENTS:,} for the two "
        "together, not counting the blank line between two paragraphs); split the article into "
        "several files, or remove what is not its text [too-much-markup]"
    ]
    assert done.returncode == 1


def test_limits_refuse_a_5_mb_line_of_braces_in_seconds(make_archive, tmp_path: Path) -> None:
    """A line of ' {' and words took 266 s in attr_list: refused, naming what it would read."""
    make_archive({"articles/2022/03/braces.md": article(body=("{ word " * 700_000)[:4_900_000])})
    done = check_bounded(tmp_path)
    (problem,) = done.stdout.splitlines()
    assert problem.startswith(f"{A}/braces.md:6: error: converting this text would read ")
    assert problem.endswith(
        f"' {{' (which may start attributes, as in '{{: .note}}') to the end "
        f"of its line; the limit is {MAX_BRACE_READ:,}; remove the stray "
        "'{', or write each as '\\{' [too-many-brackets]"
    )
    assert done.returncode == 1


def test_limits_refuse_end_tags_that_would_each_copy_the_rest_of_the_text(
    make_archive, tmp_path: Path
) -> None:
    """Python-Markdown copies the rest of the text at each HTML end tag, comment and tag that
    starts a line: 8,001 of them in 4 MB are refused, from the first (a tag after two spaces)."""
    paragraph = "word " * 100 + "</b>\n\n"
    make_archive({"articles/2022/03/tags.md": article(body="Fine.\n\n  <p>\n\n" + paragraph * 8_000)})
    done = check_bounded(tmp_path)
    (problem,) = done.stdout.splitlines()
    assert problem.startswith(
        f"{A}/tags.md:8: error: converting this text would copy the rest of it for each of its "
        "8,001 HTML end tags, comments and tags that start a line, "
    )
    assert problem.endswith(
        f"characters in all; the limit is {MAX_COPY_WORK:,}; remove the HTML the article does "
        "not need [too-much-markup]"
    )
    assert done.returncode == 1


def test_limits_100_kb_of_link_openers_is_built(make_archive, tmp_path: Path) -> None:
    """100 KB of '](' cost 64 s in the old sanitiser; now the check passes and the page is built
    (the build runs under the hostile-input timeout)."""
    make_archive({"articles/2022/03/openers.md": article(body="](" * 50_000)})
    assert lines(check()) == []
    built = build(tmp_path)
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "out/site/articles/2022/03/openers.html").read_text("utf-8")
    assert "](" * 100 in page


def test_limits_refuse_html_blocks_nested_past_the_limit(make_archive) -> None:
    make_archive({"articles/2022/03/divs.md": article(body="<div markdown>" * 101 + "x")})
    assert lines(check()) == [
        f"{A}/divs.md:6: error: HTML elements with a markdown attribute are nested 101 levels "
        f"deep here; the limit is {MAX_NESTING}; remove the extra elements, or their markdown "
        "attribute [too-deep]"
    ]


def test_limits_accept_real_emphasis_links_and_code() -> None:
    body = (
        'A *light* **bold** _word_ and [a link](https://example.org/a_(b) "T") with '
        "`code * [` and ``a ` b``.\n\n> quoted *text*\n\n- one\n- two\n"
    )
    assert markdown_problems(body, Source(Path("a.md"), 1)) == []


@pytest.mark.parametrize(
    "text, depth",
    [
        ("*" * 90 + "x" + "*" * 90, 90),
        ("*" * 150 + "x", 0),  # never closed: nests nothing
        ("[" * 90 + "x" + "]" * 90, 90),
        ("[" * 500 + "x" + "]" * 500, MAX_NESTING + 1),  # measuring stops past the limit
        ("*a* " * 5_000, 1),
        ("**a *b* c**", 3),
    ],
)
def test_inline_nesting_counts_only_what_is_closed(text: str, depth: int) -> None:
    assert inline_nesting(text)[0] == depth


def test_code_spans_pair_runs_of_equal_length() -> None:
    text = "a `x` b ``y ` z`` c ```"
    spans, _read, runs = code_spans(text)
    assert [text[begin:end] for begin, end in spans] == ["`x`", "``y ` z``"]
    assert runs == 3


def test_paren_read_stops_at_each_links_closing_paren() -> None:
    masked = "[a](x) [b](y (z)) [c](open"
    links = [masked.index("](", at) + 1 for at in (0, 7, 18)]
    assert paren_read(masked, links) == (3, 1, (5 - 3) + (16 - 10) + (len(masked) - 21))

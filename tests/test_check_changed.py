"""`archive check --changed [BASE]`: the articles changed against a git base, checked in full,
and the archive-wide rules between them and the unchanged rest."""

from __future__ import annotations

import os
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_tools.check import fingerprints
from build_tools.check.fingerprints import Fingerprint, find_matches, scan_article
from build_tools.cli import main
from build_tools.read import load_archive
from tests.conftest import ArchiveFactory, article

A = "articles/2022/03/a.md"
B = "articles/2022/03/b.md"
C = "articles/2022/03/c.md"
Git = Callable[..., str]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", *args])


def write(files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = Path("archive", rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Git:
    """git(*args) in the test's folder, with no configuration from the machine it runs on."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=tmp_path, capture_output=True, text=True, check=True)
        return done.stdout

    return git


@pytest.fixture
def repo(make_archive: ArchiveFactory, git: Git) -> Callable[[dict[str, str]], None]:
    """repo(files): an archive with these files committed on `main` of a new repository."""

    def make(files: dict[str, str]) -> None:
        make_archive(files)
        git("init", "-q", "-b", "main")
        git("config", "user.name", "Test")
        git("config", "user.email", "test@example.org")
        git("config", "commit.gpgsign", "false")
        git("add", "-A")
        git("commit", "-q", "-m", "archive")
        git("switch", "-q", "-c", "change")

    return make


def commit(git: Git, files: dict[str, str]) -> None:
    write(files)
    git("add", "-A")
    git("commit", "-q", "-m", "change")


def test_check_changed_reports_a_broken_changed_article_with_file_and_line(repo, git):
    repo({A: article()})
    commit(git, {B: article(date="2022-02-30", body="Other.")})
    result = run("--changed")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "archive/articles/2022/03/b.md:3: error: '2022-02-30' is not a calendar date; "
        "use a real calendar date, YYYY-MM-DD [bad-date]",
        "1 error, 0 warnings in 1 file",
    ]


def test_check_changed_leaves_out_unchanged_broken_articles(repo, git):
    repo({A: article(date="2022-02-30")})
    commit(git, {B: article(body="Other.")})
    result = run("--changed", "main")
    assert result.exit_code == 0
    assert result.output == "0 errors, 0 warnings in 1 file\n"
    assert run().exit_code == 1  # the full check still sees it


def test_check_changed_with_nothing_changed_checks_no_file(repo):
    repo({A: article()})
    result = run("--changed")
    assert (result.exit_code, result.output) == (0, "0 errors, 0 warnings in 0 files\n")


def test_check_changed_names_the_unchanged_article_whose_url_it_repeats(repo, git):
    repo({A: article(url="https://example.com/talks", body="One.")})
    commit(git, {B: article(url="http://www.example.com/talks/?utm_source=x", body="Two.")})
    result = run("--changed")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "archive/articles/2022/03/b.md:5: error: has the same url as archive/articles/2022/03/a.md; "
        "keep one copy [duplicate-url]",
        "1 error, 0 warnings in 1 file",
    ]


def test_check_changed_reports_a_duplicate_on_the_changed_file_even_when_it_sorts_first(repo, git):
    """The full check reports the later file of the two; here that one is unchanged, so the
    problem goes on the changed file instead of going unreported."""
    repo({B: article(url="https://example.com/talks", body="One.")})
    commit(git, {A: article(url="https://example.com/talks", body="Two.")})
    result = run("--changed")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "archive/articles/2022/03/a.md:5: error: has the same url as archive/articles/2022/03/b.md; "
        "keep one copy [duplicate-url]"
    )


def test_check_changed_finds_repeated_text_and_file_names_in_unchanged_articles(repo, git):
    repo(
        {
            A: article(body="The same\ntext, as  written."),
            "articles/2021/05/talks.md": article(date="2021-05-01", body="Unrelated."),
        }
    )
    commit(
        git,
        {
            B: article(body="The same text,\n\nas written."),
            "articles/2022/03/talks.md": article(body="Talks."),
        },
    )
    result = run("--changed")
    assert result.output.splitlines() == [
        "archive/articles/2022/03/b.md:6: error: has the same text as archive/articles/2022/03/a.md; "
        "keep one copy [duplicate-body]",
        "archive/articles/2022/03/talks.md:1: error: slug 'talks' is also used by "
        "archive/articles/2021/05/talks.md; give one of the files another name [duplicate-slug]",
        "2 errors, 0 warnings in 2 files",
    ]


def test_check_changed_reports_an_unknown_entity_id(repo, git):
    repo({A: article(entities=["kremlin"])})
    commit(git, {B: article(body="Other.", entities=["dmitri-peskov"])})
    result = run("--changed", "--format", "github")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "::error file=archive/articles/2022/03/b.md,line=6,title=unknown-entity::"
        "'dmitri-peskov' is not in the registry; did you mean 'dmitry-peskov'?"
    )


def test_check_changed_checks_every_article_when_an_entity_file_is_removed(repo, git):
    repo({A: article(entities=["kremlin"]), B: article(date="2022-02-30", body="Other.")})
    git("rm", "-q", "archive/entities/kremlin.yml")
    git("commit", "-q", "-m", "remove")
    result = run("--changed")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "archive/articles/2022/03/a.md:6: error: 'kremlin' is not in the registry; "
        "add it under archive/entities/ first [unknown-entity]",
        "1 error, 0 warnings in 3 files",
    ]  # b.md's bad date was there before: not reported


def test_check_changed_checks_the_whole_registry_when_an_entity_file_changes(repo, git):
    repo({A: article()})
    commit(
        git,
        {
            "entities/peskov-aide.yml": """\
        type: person
        name: Peskov
        description: Not the spokesman.
        """
        },
    )
    result = run("--changed")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        # Reported on the unchanged file too: the clash is in both, and either may be the one
        # a reviewer sees.
        "archive/entities/dmitry-peskov.yml:4: error: 'Peskov' is also a name of 'peskov-aide' "
        "(archive/entities/peskov-aide.yml); an alias may belong to one entity only; "
        "keep it on the right one [duplicate-alias]",
        "archive/entities/peskov-aide.yml:2: error: 'Peskov' is also a name of 'dmitry-peskov' "
        "(archive/entities/dmitry-peskov.yml); an alias may belong to one entity only; "
        "keep it on the right one [duplicate-alias]",
        "2 errors, 0 warnings in 4 files",
    ]


def test_check_changed_includes_uncommitted_and_untracked_files(repo, git):
    repo({A: article(), B: article(body="Other.")})
    write({A: article(date="2022-02-30")})  # modified, not staged
    write({B: article(date="2022-02-31", body="Other.")})
    git("add", "archive/articles/2022/03/b.md")  # staged
    write({C: article(date="2022-02-32", body="Third.")})  # untracked
    result = run("--changed")
    assert [line.split(": error")[0] for line in result.output.splitlines()] == [
        "archive/articles/2022/03/a.md:3",
        "archive/articles/2022/03/b.md:3",
        "archive/articles/2022/03/c.md:3",
        "3 errors, 0 warnings in 3 files",
    ]


def test_check_changed_leaves_out_what_the_base_branch_changed_since(repo, git):
    """BASE...HEAD: the changes since this branch left the base, not the base's newer ones."""
    repo({A: article()})
    commit(git, {B: article(date="2022-02-30", body="Mine.")})
    git("switch", "-q", "main")
    commit(git, {C: article(date="2022-02-31", body="Theirs.")})
    git("switch", "-q", "change")
    result = run("--changed", "main")
    assert [line.split(":")[0] for line in result.output.splitlines()] == [
        "archive/articles/2022/03/b.md",
        "1 error, 0 warnings in 1 file",
    ]


def test_check_changed_prefers_origin_main_as_the_base(repo, git):
    repo({A: article()})
    commit(git, {B: article(date="2022-02-30", body="Pushed.")})
    git("update-ref", "refs/remotes/origin/main", "HEAD")  # as if pushed
    commit(git, {C: article(date="2022-02-31", body="Not pushed.")})
    result = run("--changed")
    assert [line.split(":")[0] for line in result.output.splitlines()] == [
        "archive/articles/2022/03/c.md",
        "1 error, 0 warnings in 1 file",
    ]


def test_check_changed_with_an_unknown_base_is_a_one_line_error(repo):
    repo({A: article()})
    result = run("--changed", "no-such-branch")
    assert result.exit_code == 2
    assert result.output == (
        "error: unknown git base 'no-such-branch'; fetch it or name another: --changed BASE\n"
    )


def test_check_changed_outside_a_git_repository_is_a_one_line_error(make_archive, git):
    make_archive({A: article()})
    result = run("--changed")
    assert result.exit_code == 2
    assert result.output == "error: archive is not in a git repository; --changed needs one\n"


def test_check_changed_with_paths_is_a_usage_error(repo):
    repo({A: article()})
    result = run("--changed", "main", "archive/articles/2022/03/a.md")
    assert result.exit_code == 2
    assert "give PATHs or --changed, not both" in result.output


@pytest.mark.parametrize("registry_changed", [False, True], ids=["articles", "and-an-entity"])
def test_check_changed_reports_what_the_full_check_reports_for_the_changed_files(repo, git, registry_changed):
    """Same problems, messages and lines, whether unchanged articles are scanned or (after an
    entity change) validated: here the changed files sort after the unchanged ones they repeat,
    so the full check reports them too."""
    repo(
        {
            A: article(url="https://example.com/1", body="First."),
            "articles/2022/03/b-talks.md": article(body="Kept text."),
            "articles/2021/01/z.md": article(date="2021-01-05", body="Old."),
        }
    )
    commit(
        git,
        {
            "articles/2022/03/m.md": article(url="'https://example.com/1'", body="Middle.", titel="x"),
            "articles/2022/03/n.md": article(body="Next.", entities=["kremlin", "dmitri-peskov"]),
            "articles/2022/03/y.md": article(body="Kept  text."),
            "articles/2022/04/z.md": article(date="2022-03-02", body="New."),
        },
    )
    changed = [
        "archive/articles/2022/03/m.md",
        "archive/articles/2022/03/n.md",
        "archive/articles/2022/03/y.md",
        "archive/articles/2022/04/z.md",
    ]
    if registry_changed:
        commit(git, {"entities/kyiv.yml": "type: place\nname: Kyiv\ndescription: A city.\n"})
        changed.append("archive/entities/kyiv.yml")
    full, quick = run(*changed), run("--changed")
    assert full.exit_code == quick.exit_code == 1
    *problems, summary = quick.output.splitlines()
    assert problems == full.output.splitlines()[:-1]
    assert [line.rsplit("[", 1)[-1] for line in problems] == [
        "duplicate-url]",
        "unknown-key]",
        "unknown-entity]",
        "duplicate-body]",
        "wrong-folder]",
    ]
    # Every file was validated after the entity change; only the changed ones otherwise.
    assert summary == f"4 errors, 1 warning in {10 if registry_changed else 4} files"


# --- reading unchanged articles without validating them -----------------------------------


@pytest.mark.parametrize(
    "front",
    [
        "url: https://example.com/a#part",
        "url: 'https://example.com/a'",
        'url: "https://example.com/a"  # the original',
        "url : https://example.com/a",
        "url:\n  https://example.com/a",
        "url: https://example.com/a\n\n  /more",
        "url: https://example.com/a\nurl: https://example.com/b",
        "{title: T, url: https://example.com/a}",
        'title: "two\nurl: https://example.com/x\nlines"',
        "title: [one,\nurl: two]",
        "tags:\n- a\n- b\nurl: https://example.com/a",
        "url: &u https://example.com/a",
        "summary: |\n  url: https://example.com/x",
        "title: T",
    ],
    ids=[
        "plain",
        "single-quoted",
        "double-quoted-comment",
        "space-before-colon",
        "next-line",
        "continued-after-a-blank-line",
        "twice",
        "flow",
        "inside-a-quoted-title",
        "inside-a-list",
        "after-a-list",
        "anchor",
        "inside-a-block",
        "none",
    ],
)
def test_check_changed_scan_reads_the_url_yaml_reads(make_archive, front):
    text = f"---\n{front}\n---\nBody.\n"
    root = make_archive({A: text})
    raw, _ = load_archive(root)
    yaml_url = next(iter(raw.articles)).data.get("url") if raw.articles else None
    scanned = scan_article(str(root / A), A, "archive/" + A)
    assert scanned is not None
    assert scanned.url == (yaml_url if isinstance(yaml_url, str) else None)


@pytest.mark.parametrize(
    "text",
    [
        "no front matter\n",
        "---\ntitle: T\n",
        "---\ntitle: T\n---\n  \n",
        "---\ntitle: [\n---\nBody.\n",
    ],
    ids=["no-front-matter", "unclosed", "empty-body", "bad-yaml"],
)
def test_check_changed_scan_skips_files_that_cannot_be_valid_articles(make_archive, text):
    root = make_archive({A: text})
    assert scan_article(str(root / A), A, "archive/" + A) is None


def test_check_changed_scan_compares_bodies_as_validate_does(repo, git):
    """Bodies that differ only by white space and line breaks are the same text."""
    repo({A: article(body="Talks\n\n   ended.")})
    commit(git, {B: article(body="Talks ended.")})
    full = run("archive/articles/2022/03/b.md")
    quick = run("--changed")
    assert quick.output == full.output
    assert "[duplicate-body]" in quick.output


def test_check_changed_counts_a_renamed_entity_as_a_registry_change(repo, git):
    repo({A: article(entities=["kremlin"])})
    git("mv", "archive/entities/kremlin.yml", "archive/entities/the-kremlin.yml")
    result = run("--changed")
    assert "'kremlin' is not in the registry; did you mean 'the-kremlin'?" in result.output


def test_check_changed_scan_in_processes_finds_what_one_process_finds(make_archive, monkeypatch):
    files = {
        f"articles/2022/03/a{i}.md": article(body=f"Text {i % 3}.", url=f"https://example.com/{i % 5}")
        for i in range(30)
    }
    root = make_archive(files)
    changed = [Fingerprint("archive/articles/2022/03/new.md", "a7", "https://example.com/2", "Text 1.")]
    jobs = [(str(root / rel), rel, f"archive/{rel}", False) for rel in files]
    monkeypatch.setattr(fingerprints, "PARALLEL_FROM", 1)
    alone = find_matches(changed, jobs, root.resolve(), workers=1)
    together = find_matches(changed, jobs, root.resolve(), workers=2)
    assert sorted(together) == sorted(alone)
    assert sorted({(rule, path) for rule, _, path in alone}) == sorted(
        [("slug", "archive/articles/2022/03/a7.md")]
        + [("url", f"archive/articles/2022/03/a{i}.md") for i in range(2, 30, 5)]
        + [("body", f"archive/articles/2022/03/a{i}.md") for i in range(1, 30, 3)]
    )


_KEYS = ["url", "title", "tags", "summary", '"url"', "url ", "- url", "? url", "&a url", "  url"]
_VALUES = [
    "https://example.com/a",
    "https://example.com/b#x",
    "'https://example.com/c'",
    '"https://example.com/d',
    'e"',
    "[one,",
    "two]",
    "{a: 1,",
    "|",
    ">",
    "*a",
    "",
    "https://example.com/e # note",
    "https://example.com/f:",
    "x: y",
    "!!str https://g.h/i",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(
        st.one_of(
            st.builds(
                lambda k, v: f"{k}: {v}".rstrip() if v else f"{k}:",
                st.sampled_from(_KEYS),
                st.sampled_from(_VALUES),
            ),
            st.sampled_from(["", "  continued", "- item", "# comment", "  - item"]),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_check_changed_scan_reads_the_url_yaml_reads_in_any_front_matter(make_archive, lines):
    """Wherever the front matter is a YAML mapping, the line scan agrees with YAML on the url."""
    root = make_archive({A: "---\n" + "\n".join(lines) + "\n---\nBody.\n"})
    raw, problems = load_archive(root)
    if not raw.articles or any(p.code == "duplicate-key" for p in problems):
        return  # not a mapping: the file is broken and the full check says so
    yaml_url = raw.articles[0].data.get("url")
    scanned = scan_article(str(root / A), A, "archive/" + A)
    assert scanned is not None
    assert scanned.url == (yaml_url if isinstance(yaml_url, str) else None)

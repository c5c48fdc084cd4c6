from __future__ import annotations

from click.testing import CliRunner

from build_tools.cli import main
from tests.conftest import article


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_check_cli_is_quiet_and_exits_0_on_a_clean_archive(make_archive):
    make_archive({"articles/2022/03/a.md": article()})
    result = run("check")
    assert result.exit_code == 0
    assert result.output == "0 errors, 0 warnings in 3 files\n"


def test_check_cli_exits_0_on_warnings_only(make_archive):
    make_archive({"articles/2022/03/a.md": article(titel="x")})
    result = run("check")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "archive/articles/2022/03/a.md:5: warning: unknown field 'titel'; did you mean 'title'? [unknown-key]",
        "0 errors, 1 warning in 3 files",
    ]


def test_check_cli_reports_only_the_given_files(make_archive):
    make_archive(
        {
            "articles/2022/03/a.md": article(date="2022-02-30"),
            "articles/2022/03/b.md": article(date="2022-02-31", body="Other."),
        }
    )
    result = run("check", "archive/articles/2022/03/b.md")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "archive/articles/2022/03/b.md:3: error: '2022-02-31' is not a calendar date; use a real calendar date, YYYY-MM-DD [bad-date]",
        "1 error, 0 warnings in 1 file",
    ]


def test_check_cli_still_applies_archive_wide_rules_to_given_files(make_archive):
    make_archive(
        {"articles/2022/03/a.md": article(body="Same."), "articles/2022/03/b.md": article(body="Same.")}
    )
    result = run("check", "archive/articles/2022/03/b.md")
    assert result.exit_code == 1
    assert "[duplicate-body]" in result.output.splitlines()[0]


def test_check_cli_prints_github_annotations(make_archive):
    make_archive({"articles/2022/03/a.md": article(entities=["dmitri-peskov"])})
    result = run("check", "--format", "github")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "::error file=archive/articles/2022/03/a.md,line=6,title=unknown-entity::"
        "'dmitri-peskov' is not in the registry; did you mean 'dmitry-peskov'?"
    )


def test_check_cli_without_an_archive_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 2
    assert "no archive at archive" in result.output
    assert "Traceback" not in result.output


def test_check_cli_runs_as_python_module(make_archive):
    import subprocess
    import sys

    make_archive({"articles/2022/03/a.md": article()})
    done = subprocess.run([sys.executable, "-m", "build_tools", "check"], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "0 errors, 0 warnings in 3 files\n")

"""`archive new`: a blank article for a contributor to fill in."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from click.testing import CliRunner

from build_tools.check import check_archive, load_schema
from build_tools.cli import main
from build_tools.importing import FIELD_ORDER
from tests.conftest import article

PATH = "archive/articles/2022/03/new-article.md"
TALKS = "archive/articles/2022/03/talks-end.md"
PLACEHOLDER_BODY = (
    "the text is still the paragraph that `archive new` wrote; replace it with the "
    "article's text [placeholder]"
)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_new_writes_the_template_in_the_folder_of_its_date(make_archive):
    make_archive({})
    result = run("new", "--date", "2022-03-30")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{PATH}\n"
    assert result.stderr == f"edit it, then run `archive check {PATH}`\n"
    assert Path(PATH).is_file()


def test_new_defaults_to_today(make_archive):
    make_archive({})
    today = dt.date.today()
    result = run("new")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"archive/articles/{today:%Y/%m}/new-article.md\n"
    assert f'date: "{today.isoformat()}"\n' in Path(result.stdout.strip()).read_text("utf-8")


def test_new_template_names_every_schema_field_with_its_meaning(make_archive):
    make_archive({})
    run("new", "--date", "2022-03-30")
    text = Path(PATH).read_text("utf-8")
    props = load_schema("article")["properties"]
    assert set(FIELD_ORDER) == set(props)
    for key, spec in props.items():
        required = key in ("title", "date", "source")
        field_line = f"{key}: " if required else f"# {key}: "
        line = next(line for line in text.splitlines() if line.startswith(field_line))
        meaning = text.splitlines()[text.splitlines().index(line) - 1]
        assert meaning == f"# {'Required' if required else 'Optional'}. {spec['description']}"
    keys = re.findall(r"^(?:# )?([a-z_]+): ", text, re.M)
    assert keys == list(FIELD_ORDER)


def test_new_template_uncommented_examples_are_valid_but_placeholders(make_archive):
    """Every example passes the schema; those that are only the template's text (an example.com
    address, made-up names, the summary, the rights line) and the paragraph are refused."""
    root = make_archive({})
    run("new", "--date", "2022-03-30", "--title", "Talks end", "--source", "Example News")
    path = Path("archive/articles/2022/03/talks-end.md")
    text = re.sub(r"^# ([a-z_]+: )", r"\1", path.read_text("utf-8"), flags=re.M)
    # the examples name registry ids; this test archive has dmitry-peskov and kremlin
    text = text.replace("entities: [kremlin]", "entities: [dmitry-peskov]")
    path.write_text(text.replace("not_entities: [turkey]", "not_entities: [kremlin]"), "utf-8")
    hint = "write the article's own, or delete the line [placeholder]"
    assert [p.format() for p in check_archive(root).problems] == [
        f"{TALKS}:9: error: 'url' is still the example that `archive new` wrote; {hint}",
        f"{TALKS}:11: error: 'authors' is still the example that `archive new` wrote; {hint}",
        f"{TALKS}:15: error: 'summary' is still the example that `archive new` wrote; {hint}",
        f"{TALKS}:25: error: 'archive_url' is still the example that `archive new` wrote; {hint}",
        f"{TALKS}:27: error: 'rights' is still the example that `archive new` wrote; {hint}",
        f"{TALKS}:36: error: {PLACEHOLDER_BODY}",
    ]


def test_new_template_with_title_and_source_fails_check_only_on_its_placeholder_text(make_archive):
    root = make_archive({})
    result = run("new", "--date", "2022-03-30", "--title", "Talks end", "--source", "Example News")
    assert result.stdout == f"{TALKS}\n"
    front = yaml.safe_load(Path(TALKS).read_text("utf-8").split("---\n")[1])
    assert front == {"title": "Talks end", "date": "2022-03-30", "source": "Example News"}
    assert [p.format() for p in check_archive(root).problems] == [f"{TALKS}:36: error: {PLACEHOLDER_BODY}"]
    body = Path(TALKS).read_text("utf-8").split("---\n")[2]
    Path(TALKS).write_text(Path(TALKS).read_text("utf-8").replace(body, "\nTalks ended.\n"), "utf-8")
    assert check_archive(root).problems == ()


def test_new_template_without_title_and_source_fails_check_until_filled_in(make_archive):
    root = make_archive({})
    run("new", "--date", "2022-03-30")
    assert [(p.source.line, p.code, p.message) for p in check_archive(root).problems] == [
        (3, "bad-value", "'title' is empty; it needs a value"),
        (7, "bad-value", "'source' is empty; it needs a value"),
        (36, "placeholder", "the text is still the paragraph that `archive new` wrote"),
    ]


def test_new_placeholder_paragraph_is_found_however_it_was_wrapped(make_archive):
    root = make_archive({})
    run("new", "--date", "2022-03-30", "--title", "Talks end", "--source", "Example News")
    text = Path(TALKS).read_text("utf-8")
    rewrapped = text.replace("the text of the article", "the text\nof the article")
    Path(TALKS).write_text(rewrapped.replace("(talks-end)", "(talks)\n\nTalks ended."), "utf-8")
    assert [p.format() for p in check_archive(root).problems] == [f"{TALKS}:36: error: {PLACEHOLDER_BODY}"]


def test_new_numbers_the_default_slug_when_it_is_taken(make_archive):
    make_archive({"articles/2021/12/new-article.md": article()})
    result = run("new", "--date", "2022-03-30")
    assert result.stdout == "archive/articles/2022/03/new-article-2.md\n"
    result = run("new", "--date", "2022-03-30")
    assert result.stdout == "archive/articles/2022/03/new-article-3.md\n"


def test_new_never_overwrites_an_explicit_slug(make_archive):
    make_archive({"articles/2022/03/talks.md": article()})
    before = Path("archive/articles/2022/03/talks.md").read_bytes()
    result = run("new", "--date", "2022-03-30", "--slug", "talks")
    assert result.exit_code == 1
    assert result.stderr == ("error: the slug 'talks' is already used by an article; pass another --slug\n")
    assert Path("archive/articles/2022/03/talks.md").read_bytes() == before


def test_new_rejects_a_slug_that_is_not_a_slug(make_archive):
    make_archive({})
    result = run("new", "--slug", "Peace Talks")
    assert result.exit_code == 2
    assert (
        "Invalid value for '--slug': 'Peace Talks' is not a slug; use lower-case words "
        "joined by hyphens, e.g. peace-talks"
    ) in " ".join(result.stderr.split())


def test_new_without_an_archive_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("new")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: no archive at archive; pass --archive DIR"


def test_new_rejects_a_slug_over_the_length_limit(make_archive):
    make_archive({})
    result = run("new", "--slug", "-".join(["talks"] * 20) + "-x")
    assert result.exit_code == 2
    assert (
        "Invalid value for '--slug': the slug is 121 characters long; the limit is 100, "
        "e.g. " + "-".join(["talks"] * 16)
    ) in " ".join(result.stderr.split())

"""`archive import --csv/--jsonl` (issue 15): a data set's rows into articles, columns mapped
to fields, rows already archived skipped, bad rows reported by number while the others are
imported, and never a file that makes `archive check` fail."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner, Result

from build_tools.cli import main
from tests.conftest import article

COLUMNS = "title=headline,date=date,url=link,body=text,summary=summary"
ROWS = [
    {
        "link": "https://example.org/1",
        "headline": "Talks in Istanbul",
        "date": "2022-03-29T10:00:00Z",
        "summary": "Delegations met.",
        "text": "The delegations met in Istanbul on Tuesday.",
    },
    {
        "link": "https://example.org/2",
        "headline": "Shelling of Kharkiv",
        "date": "2022-03-30",
        "summary": "NA",
        "text": "Kharkiv was shelled overnight, officials said.",
    },
]


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["import", *args])


def check() -> Result:
    return CliRunner().invoke(main, ["check"])


def test_bulk_import_csv_maps_columns_and_writes_articles_that_pass_the_check(
    make_archive, tmp_path: Path
) -> None:
    make_archive({})
    data = write_csv(tmp_path / "rows.csv", ROWS)
    result = run(
        "--csv",
        str(data),
        "--columns",
        COLUMNS,
        "--source",
        "Example News",
        "--rights",
        "CC BY 4.0",
        "--missing",
        "NA",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "archive/articles/2022/03/talks-in-istanbul.md",
        "archive/articles/2022/03/shelling-of-kharkiv.md",
    ]
    assert result.stderr.endswith(
        "Imported 2 articles from rows.csv; skipped 0 already archived; refused 0 rows\n"
    )
    text = Path("archive/articles/2022/03/talks-in-istanbul.md").read_text("utf-8")
    assert text == (
        "---\ntitle: Talks in Istanbul\ndate: '2022-03-29T10:00:00+00:00'\nsource: Example News\n"
        "url: https://example.org/1\nsummary: Delegations met.\nrights: CC BY 4.0\n---\n\n"
        "The delegations met in Istanbul on Tuesday.\n"
    )
    assert "summary" not in Path("archive/articles/2022/03/shelling-of-kharkiv.md").read_text("utf-8")
    assert (check().exit_code, check().stdout) == (0, "")


def test_bulk_import_jsonl_with_a_constant_field(make_archive, tmp_path: Path) -> None:
    make_archive({})
    data = tmp_path / "rows.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
    result = run(
        "--jsonl",
        str(data),
        "--columns",
        COLUMNS,
        "--source",
        "Example News",
        "--set",
        "language=en",
        "--set",
        "rights=CC BY 4.0, with attribution",
    )
    assert result.exit_code == 0, result.output
    text = Path("archive/articles/2022/03/shelling-of-kharkiv.md").read_text("utf-8")
    assert "language: en\n" in text and "rights: CC BY 4.0, with attribution\n" in text
    assert "summary: NA\n" in text  # NA is a value unless --missing says otherwise


def test_bulk_import_again_imports_nothing_and_exits_0(make_archive, tmp_path: Path) -> None:
    make_archive({"articles/2022/03/old.md": article(url="https://example.org/2", body="An older copy.")})
    data = write_csv(tmp_path / "rows.csv", ROWS)
    first = run("--csv", str(data), "--columns", COLUMNS, "--source", "Example News")
    assert first.exit_code == 0, first.output
    assert first.stderr.endswith(
        "Imported 1 articles from rows.csv; skipped 1 already archived; refused 0 rows\n"
    )  # row 2 has the old article's address
    again = run("--csv", str(data), "--columns", COLUMNS, "--source", "Example News")
    assert (again.exit_code, again.stdout) == (0, "")
    assert again.stderr.endswith(
        "Imported 0 articles from rows.csv; skipped 2 already archived; refused 0 rows\n"
    )


def test_bulk_import_reports_a_bad_row_by_number_and_imports_the_others(make_archive, tmp_path: Path) -> None:
    make_archive({})
    rows = [
        ROWS[0],
        {**ROWS[1], "date": "30/03/2022"},
        {**ROWS[1], "link": "https://example.org/3", "headline": "", "text": "Another text."},
        {**ROWS[1], "link": "https://example.org/4", "headline": "Four", "text": "Text <b>four"},
    ]
    data = write_csv(tmp_path / "rows.csv", rows)
    result = run("--csv", str(data), "--columns", COLUMNS, "--source", "Example News")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "archive/articles/2022/03/talks-in-istanbul.md",
        "archive/articles/2022/03/four.md",
    ]
    assert result.stderr.splitlines() == [
        "rows.csv:3: error: row 3 'date' is \"30/03/2022\", not a date (YYYY-MM-DD)",
        "rows.csv:4: error: row 4 has no title",
        "Imported 2 articles from rows.csv; skipped 0 already archived; refused 2 rows",
    ]
    assert check().exit_code == 0


def test_bulk_import_gives_a_taken_slug_a_number_instead_of_a_conflicting_file(
    make_archive, tmp_path: Path
) -> None:
    make_archive(
        {"articles/2022/02/talks-in-istanbul.md": article(date="2022-02-10", body="An older story.")}
    )
    rows = [
        ROWS[0],
        {
            **ROWS[0],
            "link": "https://example.org/5",
            "date": "2022-04-01",
            "text": "A second story with the same headline.",
        },
    ]
    data = write_csv(tmp_path / "rows.csv", rows)
    result = run("--csv", str(data), "--columns", COLUMNS, "--source", "Example News")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "archive/articles/2022/03/talks-in-istanbul-2.md",
        "archive/articles/2022/04/talks-in-istanbul-3.md",
    ]
    assert (check().exit_code, check().stdout) == (0, "")


def test_bulk_import_transliterates_slugs(make_archive, tmp_path: Path) -> None:
    make_archive({})
    rows = [
        {**ROWS[0], "headline": "Ołena Zełenska w Kijowie"},
        {**ROWS[1], "headline": "Зеленський у Харкові"},
    ]
    result = run(
        "--csv", str(write_csv(tmp_path / "rows.csv", rows)), "--columns", COLUMNS, "--source", "Example News"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "archive/articles/2022/03/olena-zelenska-w-kijowie.md",
        "archive/articles/2022/03/zelenskyi-u-kharkovi.md",
    ]


def test_bulk_import_names_a_column_or_field_that_does_not_exist(make_archive, tmp_path: Path) -> None:
    make_archive({})
    data = write_csv(tmp_path / "rows.csv", ROWS)
    result = run("--csv", str(data), "--columns", "title=heading,date=date,body=text")
    assert result.exit_code == 2
    assert "rows.csv has no column 'heading'; it has link, headline, date, summary, text" in result.stderr
    result = run("--csv", str(data), "--columns", "headline=headline,date=date,body=text")
    assert result.exit_code == 2
    assert "'headline' is not a field of an article; the fields are title, date, source" in result.stderr

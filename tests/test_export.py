"""`archive export`: the seed archive's citations in each format, all or filtered as `archive
search` filters, read back with real parsers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from click.testing import CliRunner, Result

from build_tools.cli import main
from tests.seed import REPO, SEED_TITLE, SITE_URL, build_seed_sites
from tests.test_cite import csl_schema

SUMMIT = "Kremlin rules out a summit"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with_address, _ = build_seed_sites(tmp_path_factory.mktemp("export"))
    return with_address / "archive.sqlite"


def export(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["export", "--db", str(db), "--config", str(REPO / "mkdocs.yml"), *args])


def test_export_bibtex_with_entity_and_period_filters(db: Path) -> None:
    result = export(
        db, "--format", "bibtex", "--entity", "dmitry-peskov", "--from", "2022-03", "--to", "2022-03"
    )
    assert result.exit_code == 0, result.output
    entries = bibtexparser.loads(result.stdout).entries
    assert [e["title"] for e in entries] == [
        "{Peskov on sanctions}",
        '{Peskov "quoted" <b>bold</b> \\& \\textbraceleft{}braces\\textbraceright{} \\%}',
        "{" + SEED_TITLE + "}",
    ]
    assert result.stderr == "3 articles exported\n"


def test_export_ris_of_a_query_names_the_permalink(db: Path) -> None:
    result = export(db, "summit", "--format", "ris", "--site-url", SITE_URL)
    assert result.exit_code == 0, result.output
    (record,) = rispy.loads(result.stdout)
    assert (record["title"], record["date"], record["publisher"]) == (SUMMIT, "2022/04/02", "Example News")
    assert record["authors"] == ["Olena Kovalenko", "Mark Brennan"]
    assert record["access_date"] == "2022/04/03"
    assert (
        f"In Ukraine 2022: a research archive: {SITE_URL}articles/2022/04/kremlin-rules-out-a-summit.html"
        in record["notes"]
    )


def test_export_csl_json_of_the_whole_archive_is_valid(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.json"
    result = export(db, "--format", "csl-json", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    data = json.loads(out.read_text("utf-8"))
    jsonschema.Draft3Validator(csl_schema()).validate(data)
    assert [item["issued"]["date-parts"][0] for item in data] == [
        [2022, 3, 10],
        [2022, 3, 12],
        [2022, 3, 30],
        [2022, 4, 2],
    ]


def test_export_csv_with_source_filter_reads_back(db: Path) -> None:
    result = export(db, "--format", "csv", "--source", "daily wire service", "--tag", "x")
    assert result.exit_code == 2
    assert "no tag 'x' in the archive" in result.stderr
    result = export(db, "--format", "csv", "--source", "daily wire service")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["title"] for row in rows] == [
        "Peskov on sanctions",
        'Peskov "quoted" <b>bold</b> & {braces} %',
    ]
    assert rows[0]["page"] == "articles/2022/03/peskov-on-sanctions.html"


def test_export_without_a_database_is_a_usage_error(tmp_path: Path) -> None:
    result = export(tmp_path / "none.sqlite")
    assert result.exit_code == 2
    assert "no search database at" in result.stderr

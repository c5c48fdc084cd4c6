"""A small archive around the seed article (Peskov on the Istanbul talks, "Ukrainians are not
naive people"), built into a site with the repository's mkdocs.yml: for the tests of citations,
feeds and the site's address."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from build_tools.cli import main
from tests.conftest import KREMLIN, PESKOV, article

REPO = Path(__file__).resolve().parents[1]
SEED = "articles/2022/03/russia-says-no-breakthrough-at-istanbul-peace-talks.md"
SEED_TITLE = "Russia says no breakthrough at Istanbul peace talks with Ukraine"
SITE_URL = "https://example.org/archive/"

# One article with every field a citation uses, and one from another source naming Peskov.
CITED = article(
    title="Kremlin rules out a summit",
    date="'2022-04-02T09:15:00+03:00'",
    source="Example News",
    body="Dmitry Peskov said no meeting was planned. The Kremlin repeated it.",
    url="https://example.com/news/summit",
    archive_url="https://web.archive.org/web/2022/https://example.com/news/summit",
    retrieved="2022-04-03",
    authors=["Olena Kovalenko", "Mark Brennan"],
    summary="Peskov says no summit is planned.",
    language="en",
)
HOSTILE = article(
    title="'Peskov \"quoted\" <b>bold</b> & {braces} %'",
    date="2022-03-12",
    source="Daily Wire Service",
    body="Peskov spoke.",
    summary="'\"><script>alert(1)</script>'",
)
OTHER = article(
    title="Peskov on sanctions",
    date="2022-03-10",
    source="Daily Wire Service",
    body="Peskov spoke about sanctions.",
)


def seed_files() -> dict[str, str]:
    """The archive's files: the seed article as the bundled archive has it, its entities, and
    two more articles."""
    files = {
        SEED: (REPO / "archive" / SEED).read_text("utf-8"),
        "articles/2022/04/kremlin-rules-out-a-summit.md": CITED,
        "articles/2022/03/peskov-on-sanctions.md": OTHER,
        "articles/2022/03/peskov-quoted.md": HOSTILE,
        "entities/dmitry-peskov.yml": PESKOV,
        "entities/kremlin.yml": KREMLIN,
    }
    for entity in ("united-kingdom", "united-states"):
        files[f"entities/{entity}.yml"] = (REPO / "archive" / "entities" / f"{entity}.yml").read_text("utf-8")
    return files


def write_archive(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


def build_site(archive: Path, site: Path, *options: str) -> Result:
    """`archive build` of `archive` with the repository's mkdocs.yml into `site`."""
    return CliRunner().invoke(
        main,
        ["build", "--config", str(REPO / "mkdocs.yml"), "--archive", str(archive), "--site-dir", str(site)]
        + list(options),
    )


def build_seed_sites(folder: Path) -> tuple[Path, Path]:
    """The seed archive built into folder/with (with SITE_URL) and folder/without."""
    archive = write_archive(folder / "archive", seed_files())
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        for name, options in (("with", ["--site-url", SITE_URL.rstrip("/")]), ("without", [])):
            result = build_site(archive, folder / name, *options)
            assert result.exit_code == 0, result.output
    return folder / "with", folder / "without"

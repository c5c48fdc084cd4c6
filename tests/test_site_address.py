"""The site's address (`archive build --site-url`, `site_url` in mkdocs.yml): canonical links and
a sitemap listing every page with it; relative links and no canonical link without it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_tools.cli import main
from tests.seed import SEED, SITE_URL, build_seed_sites

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seed archive built with an address and without one."""
    return build_seed_sites(tmp_path_factory.mktemp("address"))


def test_site_address_sitemap_lists_every_page(sites: tuple[Path, Path]) -> None:
    site, _ = sites
    listed = {loc.text for loc in ET.parse(site / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")}
    pages = {
        SITE_URL + page.relative_to(site).as_posix()
        for page in site.rglob("*.html")
        if page.name != "404.html"
    }
    assert SITE_URL + SEED.replace(".md", ".html") in pages
    assert listed == pages


def test_site_address_gives_every_page_its_canonical_link(sites: tuple[Path, Path]) -> None:
    site, bare = sites
    page = SEED.replace(".md", ".html")
    assert f'<link rel="canonical" href="{SITE_URL}{page}">' in (site / page).read_text("utf-8")
    assert 'rel="canonical"' not in (bare / page).read_text("utf-8")
    assert "<loc>" not in (bare / "sitemap.xml").read_text("utf-8")


@pytest.mark.parametrize(
    "url", ["example.org", "ftp://example.org/", "https://example.org/?a=1", 'https://x/"']
)
def test_site_address_option_refuses_what_is_no_web_address(url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--site-url", url, "--config", str(tmp_path / "none.yml")])
    assert result.exit_code == 2
    assert "is not a web address" in result.stderr or "does not exist" in result.stderr

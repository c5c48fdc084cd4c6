"""Publishing with MkDocs: strict builds, reproducible output, no outside references, CLI exits."""

from __future__ import annotations

import calendar
import datetime as dt
import gzip
import html.parser
import os
import re
import struct
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import mkdocs.utils
import pytest
from click.testing import CliRunner, Result

from build_tools.check import check_archive
from build_tools.cli import main
from tests.conftest import article

REPO = Path(__file__).resolve().parents[1]
WIKIDATA = "https://www.wikidata.org/wiki/Q"
# Tags whose address the browser fetches by itself; <a href> is only followed when clicked.
FETCHING = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "image": ("href",),
    "use": ("href",),
}


def build(*args: str) -> Result:
    return CliRunner().invoke(main, ["build", *args])


def build_bundled(site_dir: Path) -> Result:
    return build(
        "--config", str(REPO / "mkdocs.yml"), "--archive", str(REPO / "archive"), "--site-dir", str(site_dir)
    )


class _LaterClock(dt.datetime):
    """A clock a few years on: a build that read the real time would come out different."""

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> _LaterClock:
        return cls(2031, 7, 1, 12, 0, tzinfo=tz)


@pytest.fixture(scope="module")
def bundled_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, Result]]:
    """The bundled archive built twice, the second time with the clock moved on."""
    folder = tmp_path_factory.mktemp("site-build")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        first = build_bundled(folder / "one")
        patch.setattr(mkdocs.utils, "datetime", _LaterClock)
        second = build_bundled(folder / "two")
    for result in (first, second):
        assert result.exit_code == 0, result.output
    yield folder / "one", folder / "two", first


def test_site_build_strict_passes_on_the_bundled_archive(bundled_sites: tuple[Path, Path, Result]) -> None:
    site, _, result = bundled_sites
    assert "WARNING" not in result.output
    summary = r"Built .+/: [\d,]+ pages in \d+\.\d s, [\d,.]+ (kB|MB|GB)\n"
    assert re.fullmatch(summary, result.stdout)
    assert (site / "index.html").is_file()
    assert (site / "search" / "manifest.js").is_file()  # the search index
    assert (site / "archive.sqlite").is_file()  # the database for `archive search`


def test_site_build_of_the_bundled_archive_keeps_every_page_under_1_mb(
    bundled_sites: tuple[Path, Path, Result],
) -> None:
    """The 1,795 articles and the pages that list them: every page paginated, none over 1 MB."""
    site, _, _ = bundled_sites
    pages = list(site.rglob("*.html"))
    assert len(pages) > 2_000
    assert [p.relative_to(site).as_posix() for p in pages if p.stat().st_size > 1_000_000] == []
    zelenskyy = (site / "entities/volodymyr-zelenskyy.html").read_text("utf-8")
    assert "page-2.html" in zelenskyy  # hundreds of articles: the list goes on


def test_site_build_twice_is_byte_identical(bundled_sites: tuple[Path, Path, Result]) -> None:
    one, two, _ = bundled_sites
    files_one = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    files_two = sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert files_one == files_two
    differing = [str(p) for p in files_one if (one / p).read_bytes() != (two / p).read_bytes()]
    assert differing == []


def test_site_build_dates_the_sitemap_by_the_newest_article(bundled_sites: tuple[Path, Path, Result]) -> None:
    site, _, _ = bundled_sites
    newest = max(a.date for a in check_archive(REPO / "archive").archive.articles)
    header = (site / "sitemap.xml.gz").read_bytes()[:10]
    assert struct.unpack("<I", header[4:8])[0] == calendar.timegm(newest.timetuple())
    gzip.decompress((site / "sitemap.xml.gz").read_bytes())  # and it is a whole gzip file
    assert "SOURCE_DATE_EPOCH" not in os.environ  # pinned for the build only


class _References(html.parser.HTMLParser):
    """Collects (tag, attribute, value) for fetched addresses and <a href> links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fetched: list[tuple[str, str, str]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link" and dict(attrs).get("rel") in ("canonical", "alternate"):
            return  # names the page's public address (with site_url); never fetched
        for name, value in attrs:
            if value is None:
                continue
            if tag == "a" and name == "href":
                self.links.append(value)
            elif name in FETCHING.get(tag, ()) or name == "xlink:href":
                urls = (
                    [part.split()[0] for part in value.split(",") if part.strip()]
                    if name == "srcset"
                    else [value]
                )
                self.fetched += [(tag, name, url) for url in urls]


def _is_outside(url: str) -> bool:
    return url.startswith("//") or urlsplit(url).scheme not in ("", "data", "blob")


def test_site_build_references_no_other_host(bundled_sites: tuple[Path, Path, Result]) -> None:
    site, _, _ = bundled_sites
    archive = check_archive(REPO / "archive").archive
    allowed_links = {u for a in archive.articles for u in (a.url, a.archive_url) if u}
    hand_written = {
        p.relative_to(REPO / "docs").with_suffix(".html").as_posix() for p in (REPO / "docs").rglob("*.md")
    }
    fetched, linked = [], []
    for page in sorted(site.rglob("*.html")):
        parser = _References()
        parser.feed(page.read_text("utf-8"))
        where = page.relative_to(site).as_posix()
        fetched += [f"{where}: <{t} {n}={u!r}>" for t, n, u in parser.fetched if _is_outside(u)]
        if where not in hand_written:  # docs/ pages may cite any reference they like
            linked += [
                f"{where}: {u}"
                for u in parser.links
                if _is_outside(u) and u not in allowed_links and not u.startswith(WIKIDATA)
            ]
    assert fetched == []
    # A generated page links out only to its articles' own addresses and to Wikidata.
    assert linked == []
    css = (site / "assets" / "archive.css").read_text("utf-8")
    assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", css)


# --- the command on small archives -------------------------------------------------------


def test_site_build_cli_stops_on_a_broken_archive(make_archive, tmp_path: Path) -> None:
    make_archive({"articles/2022/03/a.md": article(date="2022-02-30")})
    result = build(
        "--config", str(REPO / "mkdocs.yml"), "--archive", "archive", "--site-dir", str(tmp_path / "site")
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "archive/articles/2022/03/a.md:3: error: '2022-02-30' is not a calendar date; "
        "use a real calendar date, YYYY-MM-DD [bad-date]",
        "1 error, 0 warnings in 3 files",
    ]
    assert "Traceback" not in result.output
    assert not (tmp_path / "site").exists()


def _small_site(tmp_path: Path, docs: dict[str, str]) -> None:
    """mkdocs.yml (default theme, the archive plugin) and docs/ beside ./archive."""
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test\nplugins:\n  - archive\nvalidation:\n  nav:\n    omitted_files: info\n", "utf-8"
    )
    for name, text in docs.items():
        (tmp_path / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / name).write_text(text, "utf-8")


def test_site_build_cli_fails_on_a_broken_link_in_strict_mode(make_archive, tmp_path: Path) -> None:
    make_archive({"articles/2022/03/a.md": article()})
    _small_site(tmp_path, {"notes.md": "# Notes\n\nSee [the map](map.md).\n"})
    result = build()
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        "WARNING -  Doc file 'notes.md' contains a link 'map.md', but the target is not found "
        "among documentation files.",
        "error: the site was not built: Aborted with 1 warnings in strict mode!",
    ]
    assert "Traceback" not in result.output

    relaxed = build("--no-strict")
    assert relaxed.exit_code == 0, relaxed.output
    assert (tmp_path / "site" / "notes" / "index.html").is_file()


def test_site_build_refuses_a_docs_page_the_archive_generates(make_archive, tmp_path: Path) -> None:
    make_archive({"articles/2022/03/a.md": article()})
    _small_site(tmp_path, {"index.md": "# Home\n"})
    result = build()
    assert result.exit_code == 1
    assert "the generated page 'index.md' would replace" in result.stderr
    assert result.stderr.endswith("error: the site was not built: Aborted with a BuildError!\n")
    assert "Traceback" not in result.output


def test_site_build_search_page_shows_no_front_matter(bundled_sites: tuple[Path, Path, Result]) -> None:
    site, _, _ = bundled_sites
    page = (site / "search.html").read_text("utf-8")
    main = page[page.index('<article class="md-content__inner') :]
    assert "title: Search" not in main
    assert "<hr" not in main.split('id="ra-search"')[0]
    assert re.search(r'<h1 id="search-the-archive">Search the archive', main)


def test_site_filled_in_one_process_is_byte_identical_to_the_parallel_build(
    bundled_sites: tuple[Path, Path, Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages are read, converted and filled in two forked workers (publish.parallel); in one
    process the site comes out the same, byte for byte."""
    import build_tools.publish.pages as publish_pages
    import build_tools.publish.parallel as parallel

    one, _, _ = bundled_sites
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    monkeypatch.setattr(publish_pages, "PARALLEL_FROM", 10**9)
    result = build_bundled(tmp_path / "serial")
    assert result.exit_code == 0, result.output
    serial = tmp_path / "serial"
    files_one = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files_one == sorted(p.relative_to(serial) for p in serial.rglob("*") if p.is_file())
    assert [str(p) for p in files_one if (one / p).read_bytes() != (serial / p).read_bytes()] == []

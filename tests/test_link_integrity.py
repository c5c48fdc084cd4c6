"""Every link in a built site goes somewhere: each internal href/src names a file of the site, each
#fragment an element of its page, and no script, style sheet, font or image comes from another
host. Checked on the bundled archive and on the golden-site case, built as `archive build` does
(the latter also as deployed on GitHub Pages, under a project path)."""

from __future__ import annotations

import html.parser
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from click.testing import CliRunner

from build_tools.cli import main

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "cases" / "golden-site" / "archive"
# The archive each site is built from, and its site_url: none locally, Pages' address deployed.
SITES = {
    "bundled": (REPO / "archive", None),
    "golden-site": (GOLDEN, None),
    "golden-site-on-pages": (GOLDEN, "https://owner.github.io/repo/"),
}
# Attributes that hold an address, by tag; srcset holds several.
ADDRESSES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "form": ("action",),
    "use": ("href",),
    "image": ("href",),
}
# What a browser fetches by itself (an <a> is only followed when clicked).
FETCHED = {"script", "img", "source", "iframe", "video", "audio", "track", "embed", "object", "use", "image"}
NOT_FETCHED_LINKS = {"canonical", "alternate"}  # <link rel=…> naming a page, not loading it
CSS_URL = re.compile(r"url\(\s*(['\"]?)(?P<url>[^'\")]*)\1\s*\)|@import\s+(['\"])(?P<imp>[^'\"]+)")


@dataclass
class Page:
    """What a built HTML page offers (ids, names) and refers to (tag, attribute, address)."""

    anchors: set[str] = field(default_factory=set)
    references: list[tuple[str, str, str]] = field(default_factory=list)


class _PageParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        for name in ("id", "name") if tag in ("a", "map") else ("id",):
            if name in values:
                self.page.anchors.add(values[name])
        for name in ADDRESSES.get(tag, ()):
            if name not in values:
                continue
            role = "fetch" if tag in FETCHED else "link"
            if tag == "link":
                rels = set(values.get("rel", "").lower().split())
                role = "link" if rels & NOT_FETCHED_LINKS else "fetch"
            for address in _addresses(name, values[name]):
                self.page.references.append((role, f"<{tag} {name}>", address))

    handle_startendtag = handle_starttag


def _addresses(attribute: str, value: str) -> list[str]:
    if attribute == "srcset":
        return [part.split()[0] for part in value.split(",") if part.strip()]
    return [value.strip()]


def parse_page(path: Path) -> Page:
    parser = _PageParser()
    parser.feed(path.read_text("utf-8"))
    parser.close()
    return parser.page


def is_outside(address: str) -> bool:
    """Another host: any scheme but the page's own (data: and blob: stay in the page)."""
    return address.startswith("//") or urlsplit(address).scheme not in ("", "data", "blob")


def resolve(site: Path, page: str, address: str, base: str = "/") -> tuple[str, str]:
    """(site-relative file, fragment) an internal address from `page` points at; an address
    from the root names a file under `base`, the path the site is served at."""
    parts = urlsplit(address)
    target = unquote(parts.path)
    if not target:
        return page, unquote(parts.fragment)
    if target.startswith("/"):
        if not target.startswith(base):
            return "../" + target, ""  # outside the site
        page, target = "index.html", target[len(base) :]
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
    if target.endswith("/") or (site / joined).is_dir():
        joined = posixpath.join(joined, "index.html")
    return joined, unquote(parts.fragment)


@dataclass(frozen=True)
class Walk:
    pages: int
    links: int
    broken: tuple[str, ...]  # "page -> href: why"
    outside_assets: tuple[str, ...]  # "page -> address"


# MkDocs serves 404.html at any missing address, so only that page links from the site's root
# (the path of site_url); any other page links relative to itself, or breaks under file://.
ROOT_LINKS_ALLOWED = {"404.html"}


def walk_site(site: Path, base: str = "/") -> Walk:
    pages = {p.relative_to(site).as_posix(): parse_page(p) for p in sorted(site.rglob("*.html"))}
    broken: list[str] = []
    outside: list[str] = []
    links = 0
    for where, page in pages.items():
        for role, what, address in page.references:
            links += 1
            if address.startswith(("data:", "blob:")) or address == "#":
                continue
            if is_outside(address):
                if role == "fetch":
                    outside.append(f"{where} -> {what} {address}")
                elif urlsplit(address).scheme.lower() not in ("http", "https", "mailto"):
                    broken.append(f"{where} -> {address}: not a web address")
                continue
            if address.startswith("/") and where not in ROOT_LINKS_ALLOWED:
                broken.append(f"{where} -> {address}: from the root, which breaks under file://")
                continue
            target, fragment = resolve(site, where, address, base)
            if target.startswith("../") or not (site / target).is_file():
                broken.append(f"{where} -> {address}: no file {target}")
            elif fragment and target in pages and fragment not in pages[target].anchors:
                broken.append(f"{where} -> {address}: no id '{fragment}' in {target}")
    for sheet in sorted(site.rglob("*.css")):
        where = sheet.relative_to(site).as_posix()
        for match in CSS_URL.finditer(sheet.read_text("utf-8")):
            address = match["url"] or match["imp"] or ""
            links += 1
            if not address or address.startswith(("data:", "#")):
                continue
            if is_outside(address):
                outside.append(f"{where} -> {address}")
                continue
            target, _ = resolve(site, where, address, base)
            if target.startswith("../") or not (site / target).is_file():
                broken.append(f"{where} -> {address}: no file {target}")
    return Walk(len(pages), links, tuple(broken), tuple(outside))


@pytest.fixture(scope="module", params=sorted(SITES))
def built_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walk]:
    """The archive built with the repository's mkdocs.yml, strict, as `archive build` does."""
    archive, site_url = SITES[request.param]
    folder = tmp_path_factory.mktemp("links")
    config = REPO / "mkdocs.yml"
    if site_url:  # as the deploy workflow sets it
        settings = yaml.safe_load(config.read_text("utf-8"))
        settings.update(site_url=site_url, docs_dir=str(REPO / "docs"))
        config = folder / "mkdocs.yml"
        config.write_text(yaml.safe_dump(settings), "utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARCHIVE_CACHE_DIR", str(folder / "cache"))
        result = CliRunner().invoke(
            main,
            ["build", "--config", str(config), "--archive", str(archive), "--site-dir", str(folder / "site")],
        )
    assert result.exit_code == 0, result.output
    walk = walk_site(folder / "site", urlsplit(site_url or "/").path)
    built = re.search(r": ([\d,]+) pages in ", result.stdout)
    assert built and walk.pages == int(built[1].replace(",", ""))  # the walk saw every page
    yield walk


def test_link_integrity_every_internal_link_and_fragment_resolves(built_site: Walk) -> None:
    assert "\n".join(built_site.broken) == ""


def test_link_integrity_scripts_styles_and_fonts_are_local(built_site: Walk) -> None:
    assert "\n".join(built_site.outside_assets) == ""


# --- the walker itself, on a site small enough to read -----------------------------------


def test_link_integrity_walk_reports_broken_links_as_page_and_href(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">x</h2><a name="old"></a>', "utf-8")
    (tmp_path / "style.css").write_text("@font-face{src:url(fonts/gone.woff2)}", "utf-8")
    (tmp_path / "page.html").write_text(
        '<link rel="stylesheet" href="style.css"><link rel="canonical" href="https://x.org/p">'
        '<script src="https://cdn.example.com/x.js"></script>'
        '<a href="a/">ok</a> <a href="a/index.html#here">ok</a> <a href="a/#old">ok</a>'
        '<a href="#top">top</a> <a id="top" href="mailto:x@example.org">ok</a>'
        '<a href="a/#nowhere">bad</a> <a href="missing.html">bad</a> <a href="../up.html">bad</a>'
        '<a href="javascript:alert(1)">bad</a> <img srcset="a/index.html 1x, gone.png 2x">',
        "utf-8",
    )
    walk = walk_site(tmp_path)
    assert walk.pages == 2
    assert walk.broken == (
        "page.html -> a/#nowhere: no id 'nowhere' in a/index.html",
        "page.html -> missing.html: no file missing.html",
        "page.html -> ../up.html: no file ../up.html",
        "page.html -> javascript:alert(1): not a web address",
        "page.html -> gone.png: no file gone.png",
        "style.css -> fonts/gone.woff2: no file fonts/gone.woff2",
    )
    assert walk.outside_assets == ("page.html -> <script src> https://cdn.example.com/x.js",)

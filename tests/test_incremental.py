"""Incremental `archive build`: only what changed is rebuilt, and the result is the same site a
clean build makes."""

from __future__ import annotations

import filecmp
import gc
import pickle
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from build_tools.cli import main
from build_tools.files import record_folder
from build_tools.link.links import ArticleLinks, LinkedArchive
from build_tools.publish import parallel
from tests.conftest import article

REPO = Path(__file__).resolve().parents[1]


def site_config(tmp_path: Path, nav: str = "") -> Path:
    """The project's mkdocs.yml, in a folder of its own (its docs stay); `nav` "none" drops its
    nav, and "dot" adds an article's page to it as './articles/2022/03/c.md'."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))
    config["docs_dir"] = str(REPO / "docs")
    if nav == "none":
        del config["nav"]
    elif nav == "dot":
        config["nav"].append({"Gamma": "./articles/2022/03/c.md"})
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def build(config: Path, site: Path, *extra: str) -> str:
    result = CliRunner().invoke(
        main, ["build", "--config", str(config), "--archive", "archive", "--site-dir", str(site), *extra]
    )
    assert result.exit_code == 0, result.output
    return result.output


def same_tree(a: Path, b: Path) -> bool:
    compared = filecmp.dircmp(a, b)
    stack = [compared]
    while stack:
        node = stack.pop()
        if node.left_only or node.right_only or node.diff_files or node.funny_files:
            return False
        stack.extend(node.subdirs.values())
    return True


@pytest.mark.parametrize(
    ("address", "nav"),
    [((), ""), (("--site-url", "https://archive.example.org/"), ""), ((), "none"), ((), "dot")],
    ids=["plain", "address", "no-nav", "nav-names-an-article"],
)
def test_incremental_build_rebuilds_only_changed_pages_and_matches_a_clean_build(
    make_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, address: tuple[str, ...], nav: str
) -> None:
    """Also with a site address, where the sitemap lists every page, and without a nav, where the
    nav lists every page (MkDocs is then shown every page, not only the changed ones:
    publish/unchanged.py); and with a nav that names an unchanged article's page its own way."""
    monkeypatch.setenv("ARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    root = make_archive(
        {
            "articles/2022/03/a.md": article(title="Alpha", date="2022-03-01", body="The Kremlin said A."),
            "articles/2022/03/b.md": article(title="Beta", date="2022-03-02", body="Peskov said B."),
            "articles/2022/03/c.md": article(title="Gamma", date="2022-03-03", body="Nothing named."),
        }
    )
    config = site_config(tmp_path, nav)
    site = tmp_path / "site"
    build(config, site, *address)
    untouched = site / "articles/2022/03/c.html"
    before = untouched.stat().st_mtime_ns

    (root / "articles/2022/03/b.md").write_text(
        article(title="Beta", date="2022-03-02", body="Peskov said B again.")
    )
    (root / "articles/2022/03/a.md").unlink()
    (root / "articles/2022/02").mkdir()
    (root / "articles/2022/02/d.md").write_text(article(title="Delta", date="2022-02-01", body="Kyiv."))
    build(config, site, *address)

    assert "said B again." in (site / "articles/2022/03/b.html").read_text()
    assert not (site / "articles/2022/03/a.html").exists()
    assert "Delta" in (site / "articles/2022/02/d.html").read_text()
    if nav == "none":  # a site without a nav is built whole (publish/build.build_fingerprint)
        assert untouched.stat().st_mtime_ns != before
    else:
        assert untouched.stat().st_mtime_ns == before
    sitemap = (site / "sitemap.xml").read_text()
    if address:
        assert "https://archive.example.org/articles/2022/03/c.html" in sitemap
        assert "https://archive.example.org/articles/2022/02/d.html" in sitemap
        assert "articles/2022/03/a.html" not in sitemap
    if nav:  # the nav of the page written now lists the unchanged article
        assert '<a href="c.html" class="md-nav__link">' in (site / "articles/2022/03/b.html").read_text()
    clean = tmp_path / "clean"
    build(config, clean, "--clean", *address)
    assert same_tree(site, clean)


def test_incremental_build_is_clean_when_the_configuration_changes(
    make_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    make_archive({"articles/2022/03/a.md": article()})
    config = site_config(tmp_path)
    site = tmp_path / "site"
    build(config, site)
    page = site / "articles/2022/03/a.html"
    before = page.stat().st_mtime_ns
    settings = yaml.safe_load(config.read_text("utf-8"))
    settings["site_name"] = "Renamed archive"
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    build(config, site)
    assert page.stat().st_mtime_ns != before
    assert "Renamed" in page.read_text()


def test_incremental_build_leaves_the_search_files_of_unchanged_articles_as_they_were(
    make_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Search files whose bytes are the same are kept, not written again (so a deploy that
    copies changed files uploads a few); a link put in their place is never kept."""
    monkeypatch.setenv("ARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    root = make_archive(
        {
            f"articles/2022/03/s{i}.md": article(title=f"Story {i}", date=f"2022-03-1{i}", body=f"Text {i}.")
            for i in range(8)
        }
    )
    config = site_config(tmp_path)
    site = tmp_path / "site"
    build(config, site)
    first, second, facets = (site / "search/d/0.js", site / "search/d/1.js", site / "search/f/0.js")
    before = {path: path.stat().st_mtime_ns for path in (first, second, facets)}
    # A link to a file with the very bytes of a search file takes that file's place.
    (tmp_path / "copy.js").write_bytes(facets.read_bytes())
    facets.unlink()
    facets.symlink_to(tmp_path / "copy.js")

    (root / "articles/2022/03/s6.md").write_text(article(title="Story 6", date="2022-03-16", body="Edited."))
    build(config, site)

    assert first.stat().st_mtime_ns == before[first]  # stories 0 to 3: the same bytes, kept
    assert second.stat().st_mtime_ns != before[second] and "Edited." in second.read_text("utf-8")
    assert not facets.is_symlink() and facets.is_file()
    clean = tmp_path / "clean"
    build(config, clean, "--clean")
    assert same_tree(site, clean)


def test_build_leaves_nothing_frozen_for_the_collector(
    make_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build keeps the linked archive out of the cycle collector's walks while it runs
    (gc.freeze); a process that builds again and again (a preview) gets it all back after each."""
    monkeypatch.setenv("ARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    make_archive({"articles/2022/03/a.md": article()})
    frozen: list[int] = []
    real_freeze = gc.freeze

    def freeze() -> None:
        real_freeze()
        frozen.append(gc.get_freeze_count())

    monkeypatch.setattr(gc, "freeze", freeze)
    build(site_config(tmp_path), tmp_path / "site")
    assert frozen and frozen[0] > 0  # frozen while it ran
    assert gc.get_freeze_count() == 0


def test_build_holds_nothing_of_the_archive_once_it_ends(
    make_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A preview builds again and again in one process: no build's linked archive outlives it
    (held, it would be walked by the collector again as the process exits)."""
    monkeypatch.setenv("ARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    make_archive(
        {"articles/2022/03/a.md": article(), "articles/2022/03/b.md": article(title="B", body="Other words.")}
    )

    def held() -> list[str]:
        gc.collect()
        return [type(o).__name__ for o in gc.get_objects() if isinstance(o, (LinkedArchive, ArticleLinks))]

    before = held()  # whatever earlier tests in this process left
    build(site_config(tmp_path), tmp_path / "site")
    assert held() == before


def test_incremental_build_after_an_entity_gains_an_alias_matches_a_clean_build(
    make_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name added to the registry changes what the search index marks as an entity's name in
    the articles that name it (kept between builds by the registry's names)."""
    monkeypatch.setenv("ARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    root = make_archive(
        {
            "articles/2022/03/a.md": article(
                title="Alpha", date="2022-03-01", body="Peskov, the press secretary."
            ),
            "articles/2022/03/b.md": article(
                title="Beta", date="2022-03-02", body="A press secretary spoke."
            ),
        }
    )
    config = site_config(tmp_path)
    site = tmp_path / "site"
    build(config, site)
    peskov = root / "entities/dmitry-peskov.yml"
    peskov.write_text(
        peskov.read_text("utf-8").replace("  - Peskov\n", "  - Peskov\n  - Press secretary Peskov\n")
    )
    build(config, site)
    clean = tmp_path / "clean"
    build(config, clean, "--clean")
    assert same_tree(site / "search", clean / "search")
    assert same_tree(site, clean)


@pytest.mark.parametrize("in_workers", [False, True], ids=["one-process", "page-workers"])
def test_incremental_build_records_the_site_folder_as_a_look_at_every_file_would(
    make_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_workers: bool
) -> None:
    """What a build records of the site folder, for the next build's check for damage, is
    what a fresh look at every file finds, also when an edit looked again only at the files
    it could have written or deleted, and when the pages were written (and recorded as they
    were written) in worker processes; the next build finds nothing damaged."""
    monkeypatch.setenv("ARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    if in_workers:  # a site this small is filled in one process otherwise
        monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    root = make_archive(
        {
            "articles/2022/03/a.md": article(title="Alpha", date="2022-03-01", body="The Kremlin said A."),
            "articles/2022/03/b.md": article(title="Beta", date="2022-03-02", body="Peskov said B."),
        }
    )
    config = site_config(tmp_path)
    site = tmp_path / "site"
    build(config, site)
    [stamp] = (tmp_path / "cache").glob("site-*/build.pickle")
    # A clean build records the generated files it linked from the pages folder unread.
    assert pickle.loads(stamp.read_bytes())["files"] == record_folder(site)
    (root / "articles/2022/03/b.md").write_text(
        article(title="Beta", date="2022-03-02", body="Peskov again.")
    )
    (root / "articles/2022/03/a.md").unlink()
    (root / "articles/2022/03/c.md").write_text(article(title="Gamma", date="2022-03-03", body="Kyiv."))
    build(config, site)
    recorded = pickle.loads(stamp.read_bytes())["files"]
    assert "articles/2022/03/a.html" not in recorded and "articles/2022/03/c.html" in recorded
    assert recorded == record_folder(site)
    assert "damaged" not in build(config, site)


def test_incremental_build_replaces_a_changed_file_leaving_the_old_one_to_its_readers(
    make_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A citation download or a feed that changes is replaced by a new file, never written
    over: a reader who opened the old one (a web server sending it) reads it whole."""
    monkeypatch.setenv("ARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    root = make_archive(
        {"articles/2022/03/b.md": article(title="Beta", date="2022-03-02", body="Peskov said B.")}
    )
    config = site_config(tmp_path)
    site = tmp_path / "site"
    build(config, site)
    bib, feed = site / "articles/2022/03/b.bib", site / "feeds/entities/dmitry-peskov.xml"
    old_bib, old_feed = bib.read_bytes(), feed.read_bytes()
    with bib.open("rb") as bib_reader, feed.open("rb") as feed_reader:
        (root / "articles/2022/03/b.md").write_text(
            article(title="Beta, revised", date="2022-03-02", body="Peskov said B again.")
        )
        build(config, site)
        assert bib_reader.read() == old_bib
        assert feed_reader.read() == old_feed
    assert b"Beta, revised" in bib.read_bytes() and b"Beta, revised" in feed.read_bytes()
    clean = tmp_path / "clean"
    build(config, clean, "--clean")
    assert same_tree(site, clean)


def test_build_copies_the_theme_files_it_does_not_own(
    make_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The theme's scripts in the site are copies: editing the site never edits the theme as
    installed (the files the archive generates may be one file with their copy in the cache)."""
    import material

    monkeypatch.setenv("ARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    make_archive({"articles/2022/03/b.md": article(title="Beta", date="2022-03-02", body="Peskov.")})
    site = tmp_path / "site"
    build(site_config(tmp_path), site)
    installed = Path(material.__file__).parent / "templates/assets/javascripts"
    [bundle] = installed.glob("bundle.*.min.js")
    copied = site / "assets/javascripts" / bundle.name
    assert copied.read_bytes() == bundle.read_bytes()
    assert not copied.samefile(bundle)


def test_build_compiles_the_templates_once_and_sees_an_edited_one(
    make_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The theme's templates are kept compiled in the site's cache; a template edited between
    builds shows in the next one, and the site is the one a build with nothing kept makes."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("ARCHIVE_CACHE_DIR", str(cache))
    make_archive({"articles/2022/03/a.md": article(title="Alpha", date="2022-03-01", body="Kyiv.")})
    config = site_config(tmp_path)
    settings = yaml.safe_load(config.read_text("utf-8"))
    settings["theme"]["custom_dir"] = str(tmp_path / "overrides")
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    copyright = tmp_path / "overrides/partials/copyright.html"
    copyright.parent.mkdir(parents=True)
    copyright.write_text("<div>Kept by MARK-ONE</div>", encoding="utf-8")
    site = tmp_path / "site"
    build(config, site)
    [kept] = cache.glob("site-*/templates-*")
    compiled = {path.name: path.read_bytes() for path in kept.iterdir()}
    assert len(compiled) > 10  # Material's and the archive's templates
    assert "MARK-ONE" in (site / "articles/2022/03/a.html").read_text()

    copyright.write_text("<div>Kept by MARK-TWO</div>", encoding="utf-8")
    build(config, site)
    page = (site / "articles/2022/03/a.html").read_text()
    assert "MARK-TWO" in page and "MARK-ONE" not in page
    # Compiled again: the edited template alone.
    changed = [path.name for path in kept.iterdir() if compiled.get(path.name) != path.read_bytes()]
    assert len(changed) == 1
    clean = tmp_path / "clean"
    build(config, clean, "--clean")
    assert same_tree(site, clean)

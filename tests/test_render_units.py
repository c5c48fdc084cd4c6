"""A build given the previous build's state renders only the units whose inputs changed, and the
folder of pages and files it leaves is the one a clean build leaves: for every kind of edit."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools.pipeline import SitePages, build_pages
from build_tools.publish.sync import MANIFEST, read_state, sync_pages
from build_tools.render import feeds, markup
from tests.conftest import article

REPO = Path(__file__).resolve().parents[1]
REGISTRY = (
    "mariupol",
    "kyiv",
    "volodymyr-zelenskyy",
    "russian-invasion-of-ukraine",
    "istanbul-peace-talks-2022",
)


def archive_files() -> dict[str, str]:
    files = {
        f"entities/{name}.yml": (REPO / "archive" / "entities" / f"{name}.yml").read_text("utf-8")
        for name in REGISTRY
    }
    bodies = [
        'Zelenskyy spoke in Kyiv on Monday. "We will hold," said Zelenskyy.',
        "Shelling in Mariupol went on since 24 February. Kremlin spokesman Dmitry Peskov denied it.",
        "The Istanbul peace talks opened on 29 March, Peskov said.",
        "Nothing is named here but the day before yesterday.",
        "Kyiv and Mariupol were shelled. Zelenskyy asked for help.",
        "The Russian invasion of Ukraine entered its second month, said Peskov.",
    ]
    for number in range(12):
        day = f"2022-0{2 + number % 3}-{10 + number:02d}"
        files[f"articles/{day[:4]}/{day[5:7]}/story-{number}.md"] = article(
            title=f"Story {number} of the war",
            date=day,
            source=("Alpha Wire", "Beta Post", "Gamma News")[number % 3],
            body=bodies[number % len(bodies)] + f"\n\nParagraph {number} ends the story.",
            tags=["war", f"tag-{number % 4}"],
        )
    files["articles/2021/06/last-year.md"] = article(
        title="A year before", date="2021-06-01", source="Alpha Wire", body="Kyiv was calm."
    )
    return files


def build_into(root: Path, folder: Path, previous: bool) -> SitePages:
    """build_pages, then the pages and files synced into `folder`, as `archive build` does."""
    site = build_pages(root, None, previous=(lambda: read_state(folder)) if previous else None)
    assert site.report.errors == 0, [p.format() for p in site.report.problems]
    sync_pages(
        {**site.files, **site.pages}, folder, kept=[*site.kept_files, *site.kept_pages], state=site.state
    )
    return site


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def edit_body(root: Path) -> None:
    path = root / "articles/2022/03/story-1.md"
    path.write_text(
        path.read_text("utf-8").replace("Paragraph 1 ends", "Zelenskyy visited Kyiv. Paragraph 1 ends")
    )


def name_other_periods(root: Path) -> None:
    """The article names a month and a year other than its own, which have pages already: their
    pages list it now."""
    path = root / "articles/2022/03/story-1.md"
    path.write_text(
        path.read_text("utf-8").replace(
            "Paragraph 1 ends", "As in June 2021, and in 2021 as a whole, paragraph 1 ends"
        )
    )


def edit_title(root: Path) -> None:
    path = root / "articles/2022/02/story-3.md"
    path.write_text(path.read_text("utf-8").replace("title: Story 3 of the war", "title: Story three"))


def edit_date(root: Path) -> None:
    path = root / "articles/2022/04/story-2.md"
    path.write_text(path.read_text("utf-8").replace("date: 2022-04-12", "date: 2022-04-30"))


def edit_source(root: Path) -> None:
    path = root / "articles/2022/02/story-0.md"
    path.write_text(path.read_text("utf-8").replace("source: Alpha Wire", "source: Delta Daily"))


def add_article(root: Path) -> None:
    text = article(
        title="A new story", date="2022-05-01", source="Beta Post", body="Mariupol fell, Peskov said."
    )
    (root / "articles/2022/05").mkdir(parents=True, exist_ok=True)
    (root / "articles/2022/05/new-story.md").write_text(text, "utf-8")


def delete_article(root: Path) -> None:
    (root / "articles/2022/03/story-4.md").unlink()


def rename_article(root: Path) -> None:
    (root / "articles/2022/03/story-7.md").rename(root / "articles/2022/03/story-seven.md")


def edit_entity(root: Path) -> None:
    path = root / "entities/kyiv.yml"
    path.write_text(path.read_text("utf-8").replace("description:", "description: The capital.", 1), "utf-8")


def add_entity(root: Path) -> None:
    (root / "entities/alpha-wire.yml").write_text(
        "type: organization\nname: Alpha Wire Agency\naliases:\n  - Beta Post\ndescription: A news agency.\n",
        "utf-8",
    )


def delete_entity(root: Path) -> None:
    (root / "entities/istanbul-peace-talks-2022.yml").unlink()


EDITS: dict[str, Callable[[Path], None]] = {
    "body": edit_body,
    "periods named": name_other_periods,
    "title": edit_title,
    "date": edit_date,
    "source": edit_source,
    "add article": add_article,
    "delete article": delete_article,
    "rename article": rename_article,
    "edit entity": edit_entity,
    "add entity": add_entity,
    "delete entity": delete_entity,
}


@pytest.mark.parametrize("edit", EDITS)
def test_build_after_an_edit_leaves_the_pages_a_clean_build_leaves(
    make_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str
):
    monkeypatch.setattr(markup, "PAGE_SIZE", 3)  # entities of several pages, each a unit
    monkeypatch.setattr(feeds, "NEWEST", 3)  # feeds that show some articles, not all
    monkeypatch.setattr(feeds, "PER_FEED", 3)
    root = make_archive(archive_files())
    folder = tmp_path / "pages"
    build_into(root, folder, previous=False)
    EDITS[edit](root)
    again = build_into(root, folder, previous=True)
    clean = tmp_path / "clean"
    build_into(root, clean, previous=False)
    assert tree(folder) == tree(clean)
    assert again.kept_pages or edit in ("edit entity", "add entity", "delete entity")


def test_an_edited_article_renders_its_page_and_the_pages_that_show_it_not_the_others(
    make_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(feeds, "NEWEST", 3)  # the newest are of April; Beta Post's 3 newest
    monkeypatch.setattr(feeds, "PER_FEED", 3)  # are stories 10, 7 and 4: story 1 is in no feed
    root = make_archive(archive_files())
    folder = tmp_path / "pages"
    first = build_into(root, folder, previous=False)
    edit_body(root)
    again = build_into(root, folder, previous=True)
    rendered = set(again.pages)
    assert "articles/2022/03/story-1.md" in rendered
    assert {"entities/volodymyr-zelenskyy.md", "entities/kyiv.md"} <= rendered  # it names them now
    assert "articles/2022/02/story-3.md" not in rendered  # shows nothing of story 1
    assert "entities/istanbul-peace-talks-2022.md" not in rendered
    assert {"dates/2022/03/11.md", "dates/2022/03.md"} <= rendered  # the day and month it was published
    assert {"dates/2022/04/12.md", "dates/2022/04.md"} <= again.kept_pages  # another month's
    assert {"dates/2022.md", "dates/2021/06/01.md", "dates/2021.md"} <= again.kept_pages  # its year's
    # Its source's and tags' pages, not the others' (a tag like "tag-1" gets a page "tag-1--<hash>")
    assert {"sources/beta-post.md", "tags/war.md"} <= rendered
    assert {page for page in rendered if page.startswith("tags/tag-")} == {
        page for page in first.pages if page.startswith("tags/tag-1--")
    }
    assert "sources/alpha-wire.md" in again.kept_pages
    assert {"feeds/articles.xml", "feeds/articles.json"} <= again.kept_files  # the site's feeds
    assert {page for page in again.kept_pages if page.startswith("articles/")}  # some articles not rendered
    assert again.kept_pages | rendered == set(first.pages)


def test_an_article_naming_a_month_and_a_year_renders_their_pages_again(make_archive, tmp_path: Path):
    root = make_archive(archive_files())
    folder = tmp_path / "pages"
    build_into(root, folder, previous=False)
    name_other_periods(root)
    again = build_into(root, folder, previous=True)
    assert {"dates/2021/06.md", "dates/2021.md", "dates/2022/03/11.md"} <= set(again.pages)
    assert "Story 1 of the war" in again.pages["dates/2021/06.md"]
    assert "Story 1 of the war" in again.pages["dates/2021.md"]
    assert {"dates/2022/04.md", "dates/2022/04/12.md", "dates/2022.md"} <= again.kept_pages


def test_a_damaged_pages_folder_makes_the_next_build_render_everything(make_archive, tmp_path: Path):
    root = make_archive(archive_files())
    folder = tmp_path / "pages"
    first = build_into(root, folder, previous=False)
    (folder / "entities/kyiv.md").write_text("tampered", "utf-8")
    assert read_state(folder) is None
    again = build_into(root, folder, previous=True)
    assert set(again.pages) == set(first.pages) and not again.kept_pages
    assert (folder / "entities/kyiv.md").read_text("utf-8") == first.pages["entities/kyiv.md"]
    shutil.rmtree(folder / "entities")
    assert read_state(folder) is None

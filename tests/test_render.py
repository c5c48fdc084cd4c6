from __future__ import annotations

import html as htmllib
import re
import time
from pathlib import Path

import markdown

from build_tools.folding import MAX_SLUG
from build_tools.pipeline import build_pages
from build_tools.publish import convert_page
from build_tools.render.markup import PAGE_SIZE, snippet
from tests.conftest import article

BODY = (
    "Kremlin spokesman Dmitry Peskov said the Kremlin saw no breakthrough.\n\n"
    "## Later\n\nPeskov spoke again; see [the Kremlin site](https://kremlin.example/Kremlin).\n"
)


def html_of(markdown_text: str) -> str:
    """A page's HTML as the build publishes it (an article's body is converted on its own)."""
    md = markdown.Markdown(extensions=["attr_list", "md_in_html", "def_list", "tables", "toc"])
    return convert_page(md, markdown_text).html


def pages(make_archive, files):
    site = build_pages(make_archive(files))
    assert site.report.problems == ()
    return site.pages


def talks_html(make_archive, body):
    """The HTML of the page of one article, articles/2022/03/talks.md, with this body."""
    return html_of(
        pages(make_archive, {"articles/2022/03/talks.md": article(body=body)})["articles/2022/03/talks.md"]
    )


def test_render_article_links_the_first_mention_of_each_entity(make_archive):
    html = talks_html(make_archive, BODY)
    assert html.count('href="../../../entities/kremlin.md"') == 2  # first body mention + chip
    assert (
        '<a href="../../../entities/dmitry-peskov.md" class="ra-entity" title="Dmitry Peskov">Dmitry Peskov</a>'
        in html
    )
    assert 'href="https://kremlin.example/Kremlin"' in html  # an existing link is left alone


def test_render_article_leaves_a_name_in_a_link_definition_unlinked(make_archive):
    body = (
        '  [kremlin]: https://kremlin.example/ "Dmitry Peskov"\n\n'
        "Dmitry Peskov spoke; see [the Kremlin site][kremlin].\n"
    )
    html = talks_html(make_archive, body)
    assert (
        '<a href="https://kremlin.example/" title="Dmitry Peskov" rel="noopener noreferrer">the Kremlin site</a>'
        in html
    )
    assert (
        '<p><a href="../../../entities/dmitry-peskov.md" class="ra-entity" title="Dmitry Peskov">'
        "Dmitry Peskov</a> spoke;" in html
    )


def test_render_article_shows_metadata_panel(make_archive):
    page = pages(
        make_archive,
        {
            "articles/2022/03/talks.md": article(
                body=BODY,
                url="https://example.com/talks",
                authors=["Jane Doe"],
                credits=["Reuters"],
                rights="(c) Example News",
            )
        },
    )["articles/2022/03/talks.md"]
    html = html_of(page)
    assert '<a href="../../../dates/2022/03/30.md">30 March 2022</a>' in html
    assert '<a href="../../../sources/example-news.md">Example News</a>' in html
    assert '<a href="https://example.com/talks" rel="nofollow noopener">' in html
    for shown in ["Jane Doe", "Reuters", "(c) Example News"]:
        assert shown in html


def test_render_escapes_script_in_titles_and_fields(make_archive):
    hostile = '"<script>window.pwned=1</script>[x](javascript:alert(1))"'
    site = pages(
        make_archive, {"articles/2022/03/talks.md": article(title=hostile, body=BODY, authors=[hostile])}
    )
    for path, text in site.items():
        html = html_of(text)
        assert "<script>" not in html, path
        assert 'href="javascript:' not in html, path
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html_of(site["articles/2022/03/talks.md"])


def test_a_snippet_quotes_text_without_its_markup():
    """Each kind of markup a body may hold is left out of the snippet's text, and text
    without any keeps its words, spaces folded."""
    cases = {
        "a  plain\n text,   with 'quotes' (and) - dashes": "a plain text, with 'quotes' (and) - dashes",
        "text\n## Heading more": "text Heading more",
        "**bold** and *it*": "bold and it",
        "__bold__ and _it_": "bold and it",
        "<b>tag</b> <br/>": "tag",
        "[link](https://example.org/a) and [b]": "link and b",
        "an open [ bracket": "an open bracket",
        "a closing ] bracket": "a closing bracket",
        "AT&amp;T, &eacute;t&eacute;": "AT&amp;T, été",
        "&#8212; done": "— done",
    }
    for text, quoted in cases.items():
        body = f"{text} hit"
        found = snippet(body, len(body) - 3, len(body))
        assert found == f'<span class="ra-snippet">{quoted} <mark class="ra-hit">hit</mark></span>', text


def test_render_entity_page_lists_articles_with_snippets(make_archive):
    site = pages(make_archive, {"articles/2022/03/talks.md": article(body=BODY)})
    html = html_of(site["entities/dmitry-peskov.md"])
    assert '<a href="../articles/2022/03/talks.md">Talks end</a>' in html
    assert '<mark class="ra-hit">Dmitry Peskov</mark>' in html
    assert "1 article, 30 March 2022" in html
    # Often mentioned with: the articles that name both; searching within them: this one's.
    assert 'href="../search.md?entity=dmitry-peskov&amp;entity=kremlin"' in html
    assert '<a href="../search.md?entity=dmitry-peskov" class="ra-search-within">' in html
    assert ">Search within this article</a>" in html


def test_render_paginates_long_lists(make_archive):
    count = 2 * PAGE_SIZE + 20
    files = {f"articles/2022/03/a{i:03d}.md": article(body=f"Peskov, item {i}.") for i in range(count)}
    site = pages(make_archive, files)
    assert {
        "entities/dmitry-peskov.md",
        "entities/dmitry-peskov/page-2.md",
        "entities/dmitry-peskov/page-3.md",
    } <= set(site)
    assert "entities/dmitry-peskov/page-4.md" not in site
    first = html_of(site["entities/dmitry-peskov.md"])
    assert first.count('class="ra-snippet"') == PAGE_SIZE
    assert "page 1 of 3" in first and 'href="dmitry-peskov/page-2.md"' in first
    last = html_of(site["entities/dmitry-peskov/page-3.md"])
    assert last.count('class="ra-snippet"') == 20 and "page 3 of 3" in last


def test_render_date_pages_for_each_year_month_and_day(make_archive):
    site = pages(make_archive, {"articles/2022/03/talks.md": article(body=BODY)})
    assert {"dates.md", "dates/2022.md", "dates/2022/03.md", "dates/2022/03/30.md"} <= set(site)
    assert '<a href="../../../articles/2022/03/talks.md">Talks end</a>' in html_of(
        site["dates/2022/03/30.md"]
    )


def test_render_source_tag_home_and_type_pages(make_archive):
    site = pages(make_archive, {"articles/2022/03/talks.md": article(body=BODY, tags=["Peace talks"])})
    assert '<a href="../articles/2022/03/talks.md">Talks end</a>' in html_of(site["sources/example-news.md"])
    assert '<a href="../articles/2022/03/talks.md">Talks end</a>' in html_of(site["tags/peace-talks.md"])
    assert '<a href="articles/2022/03/talks.md">Talks end</a>' in html_of(site["index.md"])
    assert '<a href="entities/dmitry-peskov.md">Dmitry Peskov</a>' in html_of(site["people.md"])


def test_render_is_deterministic(make_archive):
    root = make_archive({"articles/2022/03/talks.md": article(body=BODY)})
    assert build_pages(root).pages == build_pages(root).pages


def test_render_article_summary_keeps_apostrophes_and_escapes_html(make_archive):
    page = pages(
        make_archive,
        {"articles/2022/03/talks.md": article(body=BODY, summary='"Tuesday\'s talks <b>ended</b> & more"')},
    )["articles/2022/03/talks.md"]
    html = html_of(page)
    assert '<p class="ra-summary">Tuesday\'s talks &lt;b&gt;ended&lt;/b&gt; &amp; more</p>' in html


def test_render_in_two_processes_gives_the_same_pages(make_archive, monkeypatch):
    import build_tools.render as rendering
    from build_tools.check import check_archive
    from build_tools.link import link

    files = {
        f"articles/2022/03/a{i:02d}.md": article(
            date=f"2022-03-{i % 28 + 1:02d}", body=f"Peskov and the Kremlin, {i}."
        )
        for i in range(40)
    }
    linked = link(check_archive(make_archive(files)).archive)
    monkeypatch.setattr(rendering, "PARALLEL_FROM", 1)
    monkeypatch.setattr(rendering, "ARTICLES_PER_JOB", 7)
    two, one = rendering.render_site(linked, workers=2), rendering.render_site(linked, workers=1)
    assert two.pages == one.pages and two.files == one.files and two.state == one.state
    streamed: dict[str, str] = {}
    rendering.render_site(linked, workers=2, sink=lambda pages, files: streamed.update({**pages, **files}))
    assert streamed == {**one.pages, **one.files}


_STARTED: list[Path] = []  # where the workers note each job they start (test below)
_REAL_RUN: list = []


def _noting_run(job):
    """build_tools.render._run, noting the job's start in the file _STARTED names (the workers
    are forked: a module-level function is what the pool can hand them)."""
    with _STARTED[0].open("a") as notes:
        notes.write("started\n")
    return _REAL_RUN[0](job)


def test_render_in_two_processes_renders_no_further_ahead_than_it_writes(make_archive, monkeypatch, tmp_path):
    """The workers render faster than the build writes: their results must not pile up in the
    build's memory. With a slow writer, no worker starts a job more than JOBS_AHEAD ahead."""
    import build_tools.render as rendering
    from build_tools.check import check_archive
    from build_tools.link import link

    files = {
        f"articles/2022/03/a{i:02d}.md": article(date="2022-03-01", body=f"Peskov, {i}.") for i in range(40)
    }
    linked = link(check_archive(make_archive(files)).archive)
    monkeypatch.setattr(rendering, "PARALLEL_FROM", 1)
    monkeypatch.setattr(rendering, "ARTICLES_PER_JOB", 1)
    monkeypatch.setattr(rendering, "JOBS_AHEAD", 3)
    notes = tmp_path / "started"
    notes.write_text("")
    _STARTED[:] = [notes]
    _REAL_RUN[:] = [rendering._run]
    monkeypatch.setattr(rendering, "_run", _noting_run)
    taken, ahead = [0], []
    real_units_of = rendering._units_of

    def slow_take(job, by_item):
        time.sleep(0.02)  # a slow disk
        ahead.append(len(notes.read_text().splitlines()) - taken[0])
        taken[0] += 1
        return real_units_of(job, by_item)

    monkeypatch.setattr(rendering, "_units_of", slow_take)
    streamed: dict[str, str] = {}
    rendering.render_site(linked, workers=2, sink=lambda pages, files: streamed.update({**pages, **files}))
    one = rendering.render_site(linked, workers=1)
    assert streamed == {**one.pages, **one.files}
    assert len(ahead) > 40 and max(ahead) <= 3


def test_render_keeps_safe_html_in_bodies_and_removes_the_rest(make_archive):
    body = (
        "Peskov said <em>no</em>.<script>window.pwned = 1</script>\n\n"
        '<p onclick="window.pwned = 1">Kremlin <a href="javascript:alert(1)">link</a></p>\n'
    )
    html = talks_html(make_archive, body)
    assert "<em>no</em>" in html
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html
    assert "window.pwned" not in html


def test_render_keeps_markdown_in_a_name_inside_the_mention_tooltip(make_archive):
    """Markdown reads links inside an inline tag's attributes: a name holding `[x](y)` must
    not become a link whose quotes end the title (and start an event handler)."""
    name = "Evil [x](onmouseover=alert(1)//) `a` \\_b_ {: c } | d"
    entity = f"type: organization\nname: '{name}'\naliases: [Evil Corp]\ndescription: Evil.\n"
    page = pages(
        make_archive, {"entities/evil.yml": entity, "articles/2022/03/a.md": article(body="Evil Corp spoke.")}
    )
    html = html_of(page["articles/2022/03/a.md"])
    mention = re.search(r'<a href="[^"]*evil.md" class="ra-entity" title="([^"]*)">Evil Corp</a>', html)
    assert mention is not None, html
    assert htmllib.unescape(mention[1]) == name


def test_render_gives_a_long_source_a_short_distinct_page_name(make_archive):
    long_a, long_b = "Wire " * 60 + "A", "Wire " * 60 + "B"
    paths = pages(
        make_archive,
        {
            "articles/2022/03/a.md": article(source=long_a),
            "articles/2022/03/b.md": article(source=long_b, body="Other text."),
        },
    )
    sources = sorted(p for p in paths if p.startswith("sources/"))
    assert len(sources) == 2
    assert all(len(p.rsplit("/", 1)[1]) <= MAX_SLUG + len(".md") for p in sources)

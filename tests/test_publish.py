from __future__ import annotations

import pickle
import random
from pathlib import Path

import markdown

from build_tools.publish.pages import PAGE_LINK, convert, page_links, page_markdown, rewrite_links, to_html
from build_tools.publish.sync import MANIFEST, sync_pages

GOLDEN_PAGES = Path(__file__).parent / "cases" / "golden-site" / "expected"
EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc", "admonition", "footnotes", "abbr", "def_list"]


def test_publish_sync_writes_only_changed_pages_and_removes_gone_ones(tmp_path: Path):
    folder = tmp_path / "pages"
    first = sync_pages({"a.md": "# A\n", "b/c.md": "# C\n"}, folder)
    assert first.changed == {"a.md", "b/c.md"} and first.removed == set()
    second = sync_pages({"a.md": "# A\n", "d.md": "# D\n"}, folder)
    assert second.changed == {"d.md"} and second.removed == {"b/c.md"}
    assert not (folder / "b/c.md").exists()
    assert pickle.loads((folder / MANIFEST).read_bytes())["files"].keys() == {"a.md", "d.md"}


def test_publish_sync_repairs_a_damaged_page_file(tmp_path: Path):
    folder = tmp_path / "pages"
    sync_pages({"a.md": "# A\n"}, folder)
    (folder / "a.md").write_text("tampered")
    assert sync_pages({"a.md": "# A\n"}, folder).changed == {"a.md"}
    assert (folder / "a.md").read_text() == "# A\n"
    (folder / MANIFEST).write_text("{not a pickle")
    assert sync_pages({"a.md": "# A\n"}, folder).changed == {"a.md"}


def test_publish_rewrites_md_links_for_both_url_styles():
    html = '<a href="../articles/2022/03/x.md#top">x</a> <a href="https://example.com/a.md">e</a>'
    assert rewrite_links("entities/kyiv.md", html, False) == (
        '<a href="../articles/2022/03/x.html#top">x</a> <a href="https://example.com/a.md">e</a>'
    )
    assert rewrite_links("entities/kyiv.md", html, True) == (
        '<a href="../../articles/2022/03/x/#top">x</a> <a href="https://example.com/a.md">e</a>'
    )
    assert rewrite_links("index.md", '<a href="index.md">h</a>', True) == '<a href="./">h</a>'


def test_publish_finds_the_links_the_page_link_pattern_matches():
    # Fragments that make and break links: attributes, quotes, paths with a query, a
    # fragment, a scheme's colon, ".md" twice or in the middle of a word.
    parts = [
        'href="',
        'src="',
        'data-src="',
        '"',
        ".md",
        ".md",
        "md",
        "#",
        "?",
        ":",
        "a",
        "/",
        ".",
        " ",
        "<a ",
        ">",
        "=",
    ]
    rng = random.Random(20)
    texts = ['<a href="a.md#x.md">', '<a href="a.md?q=b.md">', 'href="x.md.md"', 'href="a.md"href="b.md"']
    texts += ["".join(rng.choice(parts) for _ in range(rng.randrange(1, 40))) for _ in range(20_000)]
    for text in texts:
        expected = [(m.start(2), m.end(2) + 2) for m in PAGE_LINK.finditer(text)]
        assert page_links(text) == expected, text
        assert rewrite_links("p/q.md", text, False) == PAGE_LINK.sub(r'\1="\2html\3"', text), text


def test_publish_converts_in_parallel_the_same_as_in_process():
    pages = {f"p{i}.md": f"# Page {i}\n\n[next](p{i + 1}.md){{ .ra-x }}\n" for i in range(300)}
    parallel = to_html(pages, pages, ["attr_list", "toc"], {}, False, workers=2)
    serial = to_html(pages, pages, ["attr_list", "toc"], {}, False, workers=1)
    assert parallel == serial
    assert (
        parallel["p7.md"].html
        == '<h1 id="page-7">Page 7</h1>\n<p><a class="ra-x" href="p8.html">next</a></p>'
    )


# Raw blocks where Markdown reads a paragraph otherwise: after a tight list's item, in a
# quotation, before a definition, after a heading with an id, between indented code.
EDGES = (
    "- one\n- two\n" + '<div class="ra-list">\n<p>a</p>\n</div>\n'
    "\n> quoted\n>\n" + '<div class="ra-x">\n<p>b</p>\n</div>\n'
    "\n" + '<div class="ra-y">\n<p>c</p>\n</div>\n' + ":   a definition\n"
    "\n## Heading {#ra-h}\n\n" + '<div class="ra-z" id="ra-z">\n<p>d</p>\n</div>\n'
    "\n    code\n" + '<div class="ra-w">\n<p>e</p>\n</div>\n    more code\n'
)


def test_publish_passes_raw_blocks_through_with_the_html_markdown_would_make():
    md = page_markdown(EXTENSIONS, {"toc": {"permalink": True}})
    plain = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True}})
    pages = sorted(GOLDEN_PAGES.rglob("*.md"))
    assert len(pages) > 20
    shortcut_taken = 0
    for page, text in [*((page, page.read_text("utf-8")) for page in pages), (Path("edges"), EDGES)]:
        fast = convert(md, text)
        full = plain.reset().convert(text)
        # Markdown writes <br />, the blocks <br>; whitespace between tags is not shown.
        assert " ".join(fast.replace("<br />", "<br>").split()) == " ".join(
            full.replace("<br />", "<br>").split()
        ), page
        shortcut_taken += '<div class="ra-list">' in text
    assert shortcut_taken > 10


def test_publish_never_lets_a_page_forge_a_raw_block_placeholder():
    md = markdown.Markdown(extensions=EXTENSIONS)
    text = 'RAWHTMLBLOCK0RAWHTMLBLOCK\n\n<div class="ra-list">\n<ul>\n<li>x</li>\n</ul>\n</div>\n'
    html = convert(md, text)
    assert "<p>RAWHTMLBLOCK0RAWHTMLBLOCK</p>" in html
    assert html.count("<li>x</li>") == 1
    # A tight list's item is no paragraph, also when it looks like a placeholder.
    listed = "- RAWHTMLBLOCK0RAWHTMLBLOCK\n- two\n"
    assert convert(page_markdown(EXTENSIONS, {}), listed) == markdown.Markdown(extensions=EXTENSIONS).convert(
        listed
    )
    assert "<li>RAWHTMLBLOCK0RAWHTMLBLOCK</li>" in convert(page_markdown(EXTENSIONS, {}), listed)

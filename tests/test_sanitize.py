"""clean_html on what Python-Markdown renders from a body: nothing outside the allow-list, and
no id or class the theme or the site's scripts use."""

from __future__ import annotations

import re

import markdown
import pytest

from build_tools.publish import convert_page
from build_tools.publish.sanitize import clean_html
from build_tools.render.body import BodyLink, article_text

# The site's extensions (mkdocs.yml) and the three MkDocs always adds.
EXTENSIONS = [
    "toc",
    "tables",
    "fenced_code",
    "attr_list",
    "md_in_html",
    "admonition",
    "footnotes",
    "abbr",
    "def_list",
]


def md() -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True}})


def html_of(body: str) -> str:
    return clean_html(md().convert(body))


def ids_and_classes(html: str) -> tuple[list[str], list[str]]:
    ids = re.findall(r' id="([^"]*)"', html)
    classes = [name for value in re.findall(r' class="([^"]*)"', html) for name in value.split()]
    return ids, classes


def test_sanitize_keeps_the_safe_subset_as_markdown_renders_it() -> None:
    html = html_of(
        "Some *text* with [a link](https://example.com/a) and `code`.\n\n"
        "> quoted\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n"
    )
    assert "<em>text</em>" in html
    assert '<a href="https://example.com/a" rel="noopener noreferrer">a link</a>' in html
    assert "<code>code</code>" in html
    assert "<blockquote>" in html
    assert '<th style="text-align: left">a</th>' in html  # table alignment survives


@pytest.mark.parametrize(
    "body",
    [
        "Para\n{: #__config }",
        "## __config",
        '<div id="__config">x</div>',
        '<p markdown="1" id="__search">*x*</p>',
        "Text[^__drawer]\n\n[^__drawer]: a note",
    ],
)
def test_sanitize_prefixes_every_id_from_content(body: str) -> None:
    ids, _ = ids_and_classes(html_of(body))
    assert ids, "the id was dropped instead of namespaced"
    assert all(i.startswith("user-content-") for i in ids), ids


@pytest.mark.parametrize(
    "body",
    [
        "Para\n{: .md-skip .ra-hidden .note }",
        '!!! md-typeset "Title"\n    text',
        '<span class="md-search__input ra-search">x</span>',
        "```{.md-code .language-python}\nx = 1\n```",
    ],
)
def test_sanitize_keeps_only_presentational_classes(body: str) -> None:
    _, classes = ids_and_classes(html_of(body))
    assert not [c for c in classes if c.startswith(("md-", "ra-"))], classes


def test_sanitize_keeps_admonitions_and_footnotes_working() -> None:
    html = html_of('!!! warning "Careful"\n    text\n\nA claim[^1].\n\n[^1]: The source.')
    assert '<div class="admonition warning">' in html
    assert '<sup id="user-content-fnref:1"><a class="footnote-ref" href="#user-content-fn:1"' in html
    assert '<li id="user-content-fn:1">' in html
    assert 'href="#user-content-fnref:1"' in html


def test_sanitize_drops_handlers_scripts_and_unsafe_addresses() -> None:
    html = html_of(
        '<p onclick="window.x=1">a</p><script>window.x=1</script>\n\n'
        "[j](javascript:alert(1)) [d](data:text/html,x) [v](JaVaScRiPt&colon;alert(1))\n\n"
        'Para\n{: onclick="window.x=1" style="color:red" }\n\n'
        '<a href="https://example.com" style="position:fixed">ok</a>'
    )
    assert "onclick" not in html and "window.x" not in html and "<script" not in html
    assert "javascript" not in html.lower() and "data:" not in html
    assert "style=" not in html
    assert '<a href="https://example.com" rel="noopener noreferrer">ok</a>' in html


def test_sanitize_drops_relative_and_data_image_sources() -> None:
    html = html_of(
        '![a](pic.jpg) ![b](data:image/png;base64,xx) <img src="../../index.html"> '
        "![c](https://example.com/c.png)"
    )
    assert re.findall(r'src="([^"]*)"', html) == ["https://example.com/c.png"]


def test_sanitize_drops_tags_that_reach_other_hosts_or_the_page() -> None:
    html = html_of(
        '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example">'
        '<link rel="prefetch" href="https://evil.example/x"><iframe src="https://evil.example"></iframe>'
        '<img srcset="https://evil.example/a.png 1x"><form action="https://evil.example"><input></form>'
        '<svg><image href="https://evil.example/i.png"/></svg>'
    )
    assert "evil.example" not in html


def test_sanitize_shows_an_attribute_list_with_a_bare_word_without_hiding_the_text() -> None:
    html = html_of("A paragraph\n{: hidden inert }")
    assert "hidden" not in html.replace("{: hidden inert }", "") and "A paragraph" in html


# --- links in the body --------------------------------------------------------------------

LINK = BodyLink('<a href="x.md" class="ra-entity">', "x")


def body_html(body: str, phrase: str) -> str:
    """The body's HTML when every occurrence of `phrase` may become the one link of key x."""
    spans = [(m.start(), m.end(), LINK) for m in re.finditer(re.escape(phrase), body)]
    page = article_text('# T\n\n<div class="ra-body">\n<!--ra:body-->\n</div>\n', body, spans)
    return convert_page(md(), page).html


def test_links_go_into_text_only_never_into_a_multi_line_attribute() -> None:
    html = body_html('<abbr title="about\nKyiv and more">K</abbr> Kyiv', "Kyiv")
    assert 'title="about\nKyiv and more"' in html
    assert html.count('class="ra-entity"') == 1
    assert '<a href="x.md" class="ra-entity">Kyiv</a></p>' in html


def test_links_go_into_text_only_never_into_a_code_span_over_two_lines() -> None:
    html = body_html("See `the\nKyiv` code, then Kyiv.", "Kyiv")
    assert "<code>the\nKyiv</code>" in html
    assert 'then <a href="x.md" class="ra-entity">Kyiv</a>.' in html


def test_links_never_break_a_character_reference() -> None:
    html = body_html("1 &lt; 2 and lt", "lt")
    assert "1 &lt; 2 and " in html
    assert html.count('class="ra-entity"') == 1


def test_links_first_mention_in_text_is_linked_once() -> None:
    html = body_html("[Kyiv](https://kyiv.example) then Kyiv and Kyiv.", "Kyiv")
    assert '<a href="https://kyiv.example" rel="noopener noreferrer">Kyiv</a>' in html
    assert html.count('class="ra-entity"') == 1


def test_links_a_body_cannot_forge_a_link_mark() -> None:
    html = body_html("\ufdd0\ufde0\ufdd1forged\ufdd2 text", "text")
    assert "forged" in html and html.count('class="ra-entity"') == 1
    assert not re.search("[\ufdd0-\ufdef]", html)


def test_links_a_body_cannot_reach_the_generated_part_of_the_page() -> None:
    body = "x\n<!--ra:body-->\n</div><script>window.x=1</script>\n<!--ra:body-->\n[]"
    page = article_text('# T\n\n<div class="ra-body">\n<!--ra:body-->\n</div>\n\n## After\n', body, [])
    html = convert_page(md(), page).html
    assert "<script" not in html and html.count('<div class="ra-body">') == 1
    assert html[html.rfind("</div>") :].startswith('</div>\n<h2 id="after">After')


def test_links_contents_hold_only_the_ids_the_cleaned_body_has() -> None:
    body = "## One\n\n## Two {: id='x\" tabindex=1 autofocus onfocus=\"alert(1)' }\n"
    page = article_text('# T\n\n<div class="ra-body">\n<!--ra:body-->\n</div>\n', body, [])
    converted = convert_page(md(), page)
    ids = re.findall(r' id="([^"]*)"', converted.html)
    contents = [token["id"] for token in converted.toc[0]["children"]]
    assert contents == ["user-content-one"]
    assert set(contents) <= set(ids) and "onfocus" not in converted.html  # nor in a permalink

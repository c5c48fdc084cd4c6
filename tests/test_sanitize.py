"""sanitize_html on Markdown attribute lists: what Markdown would make an attribute of."""
from __future__ import annotations

import markdown

from build_tools.sanitize import sanitize_html


def html_of(body: str) -> str:
    return markdown.markdown(sanitize_html(body), extensions=["attr_list", "md_in_html"])


def test_sanitize_shows_an_attribute_list_with_a_bare_word_as_text() -> None:
    # `{: hidden }` would hide the paragraph from readers.
    assert html_of("A paragraph\n{: hidden }") == "<p>A paragraph\n&#123;: hidden }</p>"


def test_sanitize_keeps_class_and_id_and_drops_handlers_in_attribute_lists() -> None:
    assert html_of('A paragraph\n{: .note #here onclick="alert(1)" }') == (
        '<p class="note" id="here">A paragraph</p>')


def test_sanitize_leaves_braces_in_prose_readable() -> None:
    assert html_of("The set {a b c} is small.") == "<p>The set &#123;a b c} is small.</p>"

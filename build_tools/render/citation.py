"""What an article page offers for citing it: the formatted reference with a copy button,
downloads in BibTeX, RIS and CSL-JSON (files beside the page), the citation_* tags and the
page's description for its head, and the line a printed copy carries. The formats themselves
are build_tools.cite's."""

from __future__ import annotations

from ..cite import Cited, bibtex, csl_json, meta_tags, reference, ris
from ..link.links import LinkedArchive
from ..model import Article
from ..settings import Settings
from .markup import article_page, attr, esc, front_matter, html_block

# The downloads, beside the page: articles/2022/03/<slug>.bib and so on.
DOWNLOADS = (("bib", "BibTeX", "application/x-bibtex"), ("ris", "RIS", "application/x-research-info-systems"))
CSL_SUFFIX = ".csl.json"
DESCRIPTION_LENGTH = 300


def cited(article: Article, settings: Settings) -> Cited:
    page = article_page(article)
    return Cited(
        article,
        settings.site.name,
        settings.site.page_url(page),
        settings.site.absolute(page),
    )


def download_path(article: Article, suffix: str) -> str:
    return article_page(article)[: -len(".md")] + suffix


def citation_files(linked: LinkedArchive, settings: Settings) -> dict[str, str]:
    """Every article's citation downloads: {path under the site's root: text}."""
    files: dict[str, str] = {}
    for links in linked.links:
        files.update(article_citations(links.article, settings))
    return files


def article_citations(article: Article, settings: Settings) -> dict[str, str]:
    """One article's citation downloads (BibTeX, RIS, CSL JSON): {path under the site's root: text}."""
    item = cited(article, settings)
    return {
        download_path(article, ".bib"): bibtex(item),
        download_path(article, ".ris"): ris(item),
        download_path(article, CSL_SUFFIX): csl_json([item]),
    }


def shortened(text: str, width: int = DESCRIPTION_LENGTH) -> str:
    """`text` on one line, cut at a word to about `width` characters."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text[: cut if cut > 0 else width].rstrip(" ,;:") + "…"


def article_head(article: Article, settings: Settings, description: str) -> str:
    """The page's front matter: its description and citation_* tags, for the template."""
    return front_matter(
        description=shortened(description),
        citation=[list(pair) for pair in meta_tags(cited(article, settings))],
    )


def citation_block(here: str, article: Article, settings: Settings) -> str:
    """'Cite this article': the reference, a copy button (cite.js shows it), the downloads."""
    item = cited(article, settings)
    downloads = [
        f'<a href="{attr(settings.site.link(here, download_path(article, "." + suffix)))}" '
        f'download type="{kind}">{label}</a>'
        for suffix, label, kind in DOWNLOADS
    ]
    downloads.append(
        f'<a href="{attr(settings.site.link(here, download_path(article, CSL_SUFFIX)))}" '
        'download type="application/vnd.citationstyles.csl+json">CSL-JSON</a>'
    )
    return "## Cite this article\n\n" + html_block(
        "ra-cite",
        [
            f'<p class="ra-cite__reference" id="ra-cite-reference">{esc(reference(item))}</p>',
            '<p class="ra-cite__actions"><button type="button" class="md-button ra-cite__copy" '
            'data-ra-copy="ra-cite-reference" hidden>Copy the reference</button> '
            "Download: " + " · ".join(downloads) + "</p>",
        ],
    )


def print_line(article: Article, settings: Settings) -> str:
    """Shown only on paper (archive.css): the archive's name and the page's address."""
    item = cited(article, settings)
    name = settings.site.name or settings.title
    return html_block("ra-print", [f"<p>{esc(name)} · {esc(item.archived_at)}</p>"])

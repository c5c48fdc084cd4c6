"""The search page in headless Chromium, over http and from file://: what a reader types and sees.

The site here is a small archive of its own (an article in Ukrainian among them), built into a
search-only site (benchmarks.search_bench.write_search_site: the search page in a bare HTML
shell, its scripts, the index). Also: the page's stemmer and tokenizer agree with Python's.
"""

from __future__ import annotations

import itertools
import random
import re
import textwrap
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import snowballstemmer
from playwright.sync_api import Page, expect

from benchmarks.search_bench import ASSETS, serve, write_search_site
from build_tools.check import check_archive
from build_tools.link import link
from build_tools.search.text import STOP_WORDS, terms, words
from tests.browser.conftest import REPO, Site

SCHEMES = ["http", "file"]
WAIT_DONE = """q => window.__raSearch && window.__raSearch.last && window.__raSearch.last.query === q
    && document.getElementById('ra-search').dataset.state === 'done'"""

ENTITIES = {
    "dmitry-peskov": "type: person\nname: Dmitry Peskov\naliases:\n  - Peskov\ndescription: Kremlin spokesman.\n",
    "kremlin": "type: organization\nname: Kremlin\ndescription: The Russian presidency.\n",
    "mariupol": "type: place\nname: Mariupol\ndescription: A port city.\n",
    "volodymyr-zelenskyy": (
        "type: person\nname: Volodymyr Zelenskyy\naliases:\n  - Zelenskyy\n"
        "  - Зеленський\ndescription: President of Ukraine.\n"
    ),
}
ARTICLES = {
    "2022/03/talks-open": (
        "Peace talks open in Istanbul",
        "2022-03-01",
        "Example News",
        "en",
        ["diplomacy"],
        "Kremlin spokesman Dmitry Peskov said the peace talks in Istanbul would go on. "
        "Negotiators met for three hours.",
    ),
    "2022/03/shelling": (
        "Shelling resumes in Mariupol",
        "2022-03-15",
        "Other Wire",
        "en",
        ["war"],
        "Residents of Mariupol said shelling resumed overnight. There was no sign of "
        "peace, and the talks were far away.",
    ),
    "2022/04/zvernennia": (
        "Зеленський звернувся до нації",
        "2022-04-02",
        "Українська правда",
        "uk",
        [],
        "Президент Зеленський заявив, що переговори з Росією тривають. Маріуполь залишається в облозі.",
    ),
    "2022/04/ceasefire": (
        "Peskov rejects ceasefire call",
        "2022-04-20",
        "Example News",
        "en",
        [],
        "Dmitry Peskov rejected the call for a ceasefire around Mariupol.",
    ),
    "2022/05/progress": (
        "Kremlin sees no progress",
        "2022-05-10",
        "Example News",
        "en",
        ["diplomacy"],
        "Peskov said the Kremlin saw no progress in the talks.",
    ),
}


@pytest.fixture(scope="session")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The archive above as a search site, on disk and over http on 127.0.0.1."""
    root = tmp_path_factory.mktemp("search") / "archive"
    for entity_id, text in ENTITIES.items():
        path = root / "entities" / f"{entity_id}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for slug, (title, date, source, language, tags, body) in ARTICLES.items():
        path = root / "articles" / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        tag_lines = "".join(f"  - {t}\n" for t in tags)
        path.write_text(
            textwrap.dedent(f"""\
            ---
            title: {title}
            date: '{date}'
            source: {source}
            language: {language}
            """)
            + (f"tags:\n{tag_lines}" if tags else "")
            + f"---\n\n{body}\n",
            encoding="utf-8",
        )
    report = check_archive(root)
    assert not report.errors, [p.format() for p in report.problems]
    folder = root.parent / "site"
    write_search_site(link(report.archive), folder)
    with serve(folder) as url:
        yield Site(folder, url)


def open_search(page: Page, site: Site, scheme: str, query: str = "") -> None:
    page.goto(site.url(scheme, "search.html") + query)
    page.wait_for_function(WAIT_DONE, arg=parse_qs(query.lstrip("?")).get("q", [""])[0])


def type_query(page: Page, text: str) -> None:
    box = page.locator("#ra-search-q")
    box.click()
    box.press_sequentially(text, delay=15)
    page.wait_for_function(WAIT_DONE, arg=box.input_value())


def titles(page: Page) -> list[str]:
    return page.locator(".ra-search__result .ra-search__title").all_inner_texts()


def status(page: Page) -> str:
    return page.locator(".ra-search__status").inner_text()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_text_query_ranks_title_first_and_marks_words(
    page: Page, search_site: Site, scheme: str
) -> None:
    open_search(page, search_site, scheme)
    type_query(page, "mariupol")
    assert titles(page) == ["Shelling resumes in Mariupol", "Peskov rejects ceasefire call"]
    assert status(page) == "2 results"
    first = page.locator(".ra-search__result").first
    expect(first.locator(".ra-search__title mark")).to_have_text("Mariupol")
    expect(first.locator(".ra-search__snippet mark").first).to_have_text("Mariupol")
    expect(first.locator(".ra-search__meta")).to_have_text("15 Mar 2022 · Other Wire")
    href = first.locator("a").get_attribute("href") or ""
    # The query's words go with it, for the article page to mark (test_search_ux_browser.py).
    assert href == search_site.url(scheme, "articles/2022/03/shelling.html") + "?h=mariupol"
    first.locator("a").click()
    page.wait_for_url("**/articles/2022/03/shelling.html?h=mariupol")
    expect(page.locator("h1")).to_have_text("Shelling resumes in Mariupol")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_stems_and_prefixes_while_typing(page: Page, search_site: Site, scheme: str) -> None:
    open_search(page, search_site, scheme)
    type_query(page, "negotiator")  # "Negotiators" in the text
    assert titles(page) == ["Peace talks open in Istanbul"]
    page.locator("#ra-search-q").fill("")
    type_query(page, "progre")  # still typing: a prefix of "progress"
    assert titles(page) == ["Kremlin sees no progress"]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_phrase_matches_only_the_exact_words_in_order(
    page: Page, search_site: Site, scheme: str
) -> None:
    open_search(page, search_site, scheme)
    type_query(page, '"peace talks"')
    # The Mariupol report has both words, apart: a candidate, dropped by the phrase check.
    assert titles(page) == ["Peace talks open in Istanbul"]
    assert status(page) == "1 result"
    expect(page.locator(".ra-search__snippet mark").first).to_have_text("peace")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_entity_filter_alone_lists_articles_newest_first(
    page: Page, search_site: Site, scheme: str
) -> None:
    open_search(page, search_site, scheme)
    entity = page.locator("#ra-search-entity")
    entity.click()
    entity.press_sequentially("pesk", delay=15)
    suggestion = page.locator(".ra-search__suggestion").first
    expect(suggestion).to_contain_text("Dmitry Peskov")
    expect(suggestion).to_contain_text("person, 3 articles")
    suggestion.click()
    page.wait_for_function(WAIT_DONE, arg="")
    assert titles(page) == [
        "Kremlin sees no progress",
        "Peskov rejects ceasefire call",
        "Peace talks open in Istanbul",
    ]
    expect(page.locator(".ra-search__chip")).to_contain_text("Dmitry Peskov")
    expect(page.locator(".ra-search__result").first.locator(".ra-search__snippet mark")).to_have_text(
        "Peskov"
    )
    assert parse_qs(urlsplit(page.url).query) == {"entity": ["dmitry-peskov"]}


def test_search_ignores_zero_width_characters_pasted_into_a_name_or_a_word(
    page: Page, search_site: Site
) -> None:
    open_search(page, search_site, "http")
    entity = page.locator("#ra-search-entity")
    entity.click()
    entity.press_sequentially("pes\u200bkov", delay=15)
    expect(page.locator(".ra-search__suggestion").first).to_contain_text("Dmitry Peskov")
    type_query(page, "mari\u2060upol")
    assert titles(page) == ["Shelling resumes in Mariupol", "Peskov rejects ceasefire call"]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_entity_filter_with_a_date_range(page: Page, search_site: Site, scheme: str) -> None:
    open_search(page, search_site, scheme, "?entity=dmitry-peskov")
    assert len(titles(page)) == 3
    page.locator(".ra-search__options summary").click()  # the filters fold into one line
    page.locator("#ra-search-from").fill("2022-04-01")
    page.wait_for_function(WAIT_DONE, arg="")
    page.locator("#ra-search-to").fill("2022-04-30")
    page.wait_for_function(WAIT_DONE, arg="")
    assert titles(page) == ["Peskov rejects ceasefire call"]
    assert parse_qs(urlsplit(page.url).query) == {
        "entity": ["dmitry-peskov"],
        "from": ["2022-04-01"],
        "to": ["2022-04-30"],
    }


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_cyrillic_query_finds_the_ukrainian_article(
    page: Page, search_site: Site, scheme: str
) -> None:
    open_search(page, search_site, scheme)
    type_query(page, "Зеленський")
    assert titles(page) == ["Зеленський звернувся до нації"]
    result = page.locator(".ra-search__result").first
    expect(result).to_have_attribute("lang", "uk")
    expect(result.locator(".ra-search__title mark")).to_have_text("Зеленський")
    expect(result.locator(".ra-search__meta")).to_have_text("2 Apr 2022 · Українська правда")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_shared_address_reopens_the_same_filtered_results(
    page: Page, search_site: Site, scheme: str
) -> None:
    open_search(page, search_site, scheme)
    type_query(page, "talks ")
    page.locator(".ra-search__options summary").click()  # the filters fold into one line
    page.locator("#ra-search-source").select_option("Example News")
    page.wait_for_function(WAIT_DONE, arg="talks ")
    page.locator("#ra-search-tag").select_option("diplomacy")
    page.wait_for_function(WAIT_DONE, arg="talks ")
    shown = titles(page)
    assert shown == ["Peace talks open in Istanbul", "Kremlin sees no progress"]
    shared = page.url
    assert parse_qs(urlsplit(shared).query) == {
        "q": ["talks "],
        "source": ["Example News"],
        "tag": ["diplomacy"],
    }

    other = page.context.new_page()
    other.goto(shared)
    other.wait_for_function(WAIT_DONE, arg="talks ")
    assert titles(other) == shown
    expect(other.locator("#ra-search-q")).to_have_value("talks ")
    expect(other.locator("#ra-search-source")).to_have_value("Example News")
    expect(other.locator("#ra-search-tag")).to_have_value("diplomacy")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_asks_no_other_host(
    page: Page, requests_seen: list[str], search_site: Site, scheme: str
) -> None:
    open_search(page, search_site, scheme, "?q=peskov&entity=kremlin&lang=en")
    assert titles(page) == ["Kremlin sees no progress", "Peace talks open in Istanbul"]
    type_query(page, " mariupol")
    page.locator("#ra-search-entity").press_sequentially("zel", delay=15)
    expect(page.locator(".ra-search__suggestion").first).to_contain_text("Volodymyr Zelenskyy")
    local = ("file",) if scheme == "file" else ()
    outside = [
        url
        for url in requests_seen
        if urlsplit(url).scheme not in (*local, "data", "blob") and not url.startswith(search_site.http_url)
    ]
    assert requests_seen and outside == []


# --- the same words in Python and in the page ----------------------------------------------------


def word_list() -> list[str]:
    """The words of the bundled archive and the docs, suffixes on stems the algorithm treats
    specially, and random strings of letters (fixed seed)."""
    text = " ".join(
        p.read_text("utf-8") for folder in ("archive", "docs") for p in sorted((REPO / folder).rglob("*.md"))
    )
    found = set(re.findall(r"[a-z]+(?:'[a-z]+)*", text.lower()))
    roots = [
        "gener",
        "commun",
        "organ",
        "past",
        "univers",
        "arsen",
        "emerg",
        "inter",
        "later",
        "hop",
        "fly",
        "cry",
        "play",
        "succ",
        "proc",
        "exc",
        "even",
        "cann",
        "inn",
        "earr",
        "herr",
        "out",
        "sky",
        "news",
        "say",
        "boy",
        "dy",
    ]
    suffixes = [
        "",
        "s",
        "es",
        "ies",
        "ied",
        "ed",
        "eed",
        "ing",
        "edly",
        "eedly",
        "ingly",
        "ly",
        "ness",
        "ful",
        "fulness",
        "ational",
        "tional",
        "ation",
        "ization",
        "izer",
        "ator",
        "alism",
        "iveness",
        "ousness",
        "ogist",
        "ogi",
        "li",
        "bli",
        "abli",
        "alli",
        "fulli",
        "lessli",
        "ousli",
        "entli",
        "aliti",
        "biliti",
        "iviti",
        "icate",
        "ative",
        "alize",
        "iciti",
        "ical",
        "ance",
        "ence",
        "able",
        "ible",
        "ate",
        "ize",
        "iti",
        "al",
        "ion",
        "sion",
        "tion",
        "er",
        "ous",
        "ant",
        "ent",
        "ment",
        "ement",
        "e",
        "ll",
        "'s",
        "'s'",
        "'",
        "y",
        "ying",
    ]
    found |= {prefix + r + s for r, s in itertools.product(roots, suffixes) for prefix in ("", "'", "y")}
    rng = random.Random(2022)
    letters = "aeiouybcdfghklmnprstvwxz'"
    found |= {"".join(rng.choice(letters) for _ in range(rng.randint(1, 11))) for _ in range(20_000)}
    return sorted(found)


def test_search_stemmer_matches_python(page: Page) -> None:
    page.set_content("<!doctype html><title>stemmer</title>")
    page.add_script_tag(path=str(ASSETS / "stemmer.js"))
    every = word_list()
    assert len(every) > 20_000
    stems = page.evaluate("words => words.map(w => window.raStem(w))", every)
    python = snowballstemmer.stemmer("english")
    differ = [
        (w, python.stemWord(w), s) for w, s in zip(every, stems, strict=True) if python.stemWord(w) != s
    ]
    assert differ == []


TEXTS = [
    "Zelénskyy’s talks were TALKING about negotiations in 2022, on Feb. 24",
    "Зеленський заявив у Києві, що переговори тривають; п’ять Маріуполь ЇЖАК",
    "Straße ﬁnance İstanbul ½ Ⅻ naïve café São Paulo Łódź Ærø",
    "Moscow-backed separatists’ don’t 'quoted' ‘single’ rock’n’roll ʼapostrophe",
    "Ελληνικά ΟΔΥΣΣΕΥΣ 東京 عربي עברית हिन्दी ภาษาไทย 한국어 emoji 😀 done",
    "under_score x" + "y" * 45 + " a1b2 3.14 10,000 #tag @handle e-mail@example.org",
    "Zelen\u200bskyy Пес\u2060ков\ufeff Kre\u200cml\u200din \u200b",
]


def test_search_tokenizer_matches_python(page: Page) -> None:
    page.set_content("<!doctype html><meta charset='utf-8'><title>words</title>")
    page.add_script_tag(path=str(ASSETS / "stemmer.js"))
    page.add_script_tag(path=str(ASSETS / "search.js"))
    got = page.evaluate(
        "texts => texts.map(t => [window.__raSearch.words(t), window.__raSearch.terms(t)])", TEXTS
    )
    assert got == [[words(t), terms(t)] for t in TEXTS]
    assert sorted(page.evaluate("window.__raSearch.stopWords()")) == sorted(STOP_WORDS)

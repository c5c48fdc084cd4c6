"""The search page, search.md at the site root: a form, a results list and the scripts behind them.

Everything sits in one raw HTML block (markdown="0"), so Markdown leaves it alone; the scripts
are build_tools/publish/assets/search/stemmer.js and search.js, and the index is under search/ (index.py).
"""

from __future__ import annotations

import html

from ..settings import DEFAULT, Settings

PAGE = "search.md"

_FORM = """\
<div id="ra-search" class="ra-search" data-index="search/" data-root="./" markdown="0">
<form class="ra-search__form" action="search.html" method="get" role="search"
  aria-label="Search with filters">
<div class="ra-search__line">
<label class="ra-search__hidden" for="ra-search-q">Words or an exact phrase</label>
<input id="ra-search-q" class="ra-search__input" type="search" name="q" autocomplete="off"
  spellcheck="false" placeholder="Words, or &quot;an exact phrase&quot;" autofocus>
<button class="md-button md-button--primary ra-search__go" type="submit">Search</button>
</div>
<div class="ra-search__field ra-search__field--entity">
<label for="ra-search-entity">Names</label>
<div class="ra-search__entity">
<span class="ra-search__chips"></span>
<input id="ra-search-entity" class="ra-search__entity-input" type="text" autocomplete="off"
  spellcheck="false" role="combobox" aria-autocomplete="list" aria-expanded="false"
  aria-controls="ra-search-suggestions" placeholder="{placeholder}">
<ul id="ra-search-suggestions" class="ra-search__suggestions" role="listbox" hidden></ul>
</div>
</div>
<details class="ra-search__options">
<summary>Filters<span class="ra-search__active"></span></summary>
<fieldset class="ra-search__filters">
<legend class="ra-search__hidden">Filters</legend>
<div class="ra-search__field" data-facet="source"><label for="ra-search-source">Source</label>
<select id="ra-search-source" name="source"><option value="">Any source</option></select></div>
<div class="ra-search__field" data-facet="tag"><label for="ra-search-tag">Tag</label>
<select id="ra-search-tag" name="tag"><option value="">Any tag</option></select></div>
{groupings}<div class="ra-search__field" data-facet="lang"><label for="ra-search-lang">Language</label>
<select id="ra-search-lang" name="lang"><option value="">Any language</option></select></div>
<div class="ra-search__field"><label for="ra-search-from">From</label>
<input id="ra-search-from" type="date" name="from"></div>
<div class="ra-search__field"><label for="ra-search-to">To</label>
<input id="ra-search-to" type="date" name="to"></div>
<div class="ra-search__field"><label for="ra-search-sort">Order</label>
<select id="ra-search-sort" name="sort"><option value="">Best match</option>
<option value="newest">Newest first</option><option value="oldest">Oldest first</option></select></div>
</fieldset>
</details>
</form>
<p class="ra-search__status" role="status" aria-live="polite">Loading the search index…</p>
<ol class="ra-search__results"></ol>
<button class="md-button ra-search__more" type="button" hidden>More results</button>
<noscript><p>Search needs JavaScript. Every article is also listed by day, {listed},
source and tag: see Browse.</p></noscript>
<h2 id="how-to-search">How to search</h2>
<table class="ra-search__syntax">
<thead><tr><th>Type</th><th>to find articles with</th></tr></thead>
<tbody>
<tr><td><code>grain wheat</code></td>
<td>both words, in any form (<em>talks</em> finds <em>talk</em>); accents do not count</td></tr>
<tr><td><code>"peace talks"</code></td><td>the words as a phrase, in that order</td></tr>
<tr><td><code>grain OR wheat</code></td><td>either (<code>OR</code> in capitals)</td></tr>
<tr><td><code>azovstal -mariupol</code>, <code>talks -"peace talks"</code></td>
<td>the first, and not the word or phrase after <code>-</code></td></tr>
<tr><td><code>negotiat*</code></td><td>a word that starts so</td></tr>
</tbody>
</table>
<p>Names ({kinds}) narrow the results to the articles that name them, also without any
words; a misspelt name is answered with the registry's spelling. A result opens its article
at the passage with your words marked. The address of this page keeps the search, so it can
be bookmarked or shared; <kbd>/</kbd> on any page puts you in the search box at the top.</p>
<p class="ra-search__download">For research: the whole archive as one SQLite database with
full-text search, <a href="archive.sqlite" download>archive.sqlite</a>; the
<a href="commands.html">archive search</a> command queries it.</p>
<script src="assets/search/stemmer.js"></script>
<script src="assets/search/search.js"></script>
</div>
"""


def search_page(settings: Settings = DEFAULT) -> str:
    """The Markdown of search.md (front matter, a heading, then raw HTML); the names of the
    archive's entity kinds in its texts."""
    kinds = ", ".join(kind.plural_word for kind in settings.entity_kinds)
    listed = ", ".join(kind.singular_word for kind in settings.entity_kinds)
    groupings = "".join(
        f'<div class="ra-search__field" data-facet="{g.key}">'
        f'<label for="ra-search-{g.key}">{html.escape(g.name)}</label>\n'
        f'<select id="ra-search-{g.key}" name="{g.key}" data-grouping>'
        f'<option value="">Any {html.escape(g.name.lower())}</option></select></div>\n'
        for g in settings.extra_groupings
    )
    form = _FORM.format(
        placeholder=html.escape(f"A name ({kinds})"),
        listed=html.escape(listed),
        groupings=groupings,
        kinds=html.escape(kinds),
    )
    # Results first: the form is one line and a closed "Filters"; how to search comes after
    # the results, so that on a phone the first result shows without scrolling.
    return "---\ntitle: Search\nhide:\n  - toc\n---\n\n# Search the archive\n\n" + form

"""Search at scale: the index's size, what a first query downloads, time to first results and per
keystroke in headless Chromium, and the time of an `archive search` query.

`make bench` calls measure_search(site_dir, sqlite_path, queries) on a built site. Standalone,
it can also build a search-only site (the search page, its scripts and the index; no MkDocs):
  python -m benchmarks.search_bench --synth 10000 /tmp/search10k
  python -m benchmarks.search_bench --site SITE_DIR [--db SITE_DIR/archive.sqlite]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import shutil
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parents[1]
ASSETS = REPO / "build_tools" / "publish" / "assets" / "search"
# Words of benchmarks/synth.py's vocabulary: common, rare, a phrase, and a prefix being typed.
CLI_RUNS = 5  # in-process runs of each query; their median is the query's figure
DEFAULT_QUERIES = [
    "humanitarian corridor",
    "grain exports port",
    '"power station"',
    "negotiators sanctions",
    "evacuation",
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
PAGE_SHELL = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Search</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="assets/search/search.css"></head>
<body><main class="md-typeset">
{body}
</main></body></html>
"""


def write_search_site(linked: object, site_dir: Path) -> object:
    """A site of only the search page (in a bare HTML shell instead of Material's), its scripts,
    the index, a one-heading page per article, and archive.sqlite at the root."""
    import markdown

    from build_tools.link import LinkedArchive
    from build_tools.search import search_page, write_search_index

    assert isinstance(linked, LinkedArchive)
    site_dir.mkdir(parents=True, exist_ok=True)
    body = search_page().split("\n---\n", 1)[1]
    html = markdown.markdown(body, extensions=["md_in_html", "attr_list"])
    (site_dir / "search.html").write_text(PAGE_SHELL.format(body=html), encoding="utf-8")
    shutil.copytree(ASSETS, site_dir / "assets" / "search", dirs_exist_ok=True)
    for link in linked.links:
        page = site_dir / (link.article.path[:-3] + ".html")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f'<!doctype html><meta charset="utf-8"><h1>{link.article.title}</h1>', encoding="utf-8"
        )
    stats = write_search_index(linked, site_dir / "search", lambda path: path[:-3] + ".html")
    stats.sqlite_path.replace(site_dir / "archive.sqlite")
    return stats


# --- measuring -----------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """`folder` over http on 127.0.0.1 (a free port) while the block runs; yields its URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@functools.cache
def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def index_size(site_dir: Path) -> dict[str, int]:
    """Files, bytes and gzip bytes of the search files under site_dir/search/."""
    files = [p for p in sorted((site_dir / "search").rglob("*")) if p.is_file() and p.suffix == ".js"]
    return {
        "index_files": len(files),
        "index_bytes": sum(p.stat().st_size for p in files),
        "index_gzip_bytes": sum(_gzip_size(p) for p in files),
    }


_WAIT_DONE = """q => window.__raSearch && window.__raSearch.last && window.__raSearch.last.query === q
    && document.getElementById('ra-search').dataset.state === 'done'"""

_TYPE = """async text => {
  const box = document.querySelector('#ra-search [name=q]');
  const root = document.getElementById('ra-search');
  const times = [];
  for (let i = 1; i <= text.length; i++) {
    const value = text.slice(0, i);
    const finished = new Promise(resolve => {
      const listen = () => {
        if (window.__raSearch.last.query !== value) return;
        root.removeEventListener('ra-search-done', listen);
        resolve();
      };
      root.addEventListener('ra-search-done', listen);
    });
    const started = performance.now();
    box.value = value;
    box.dispatchEvent(new Event('input', {bubbles: true}));
    await finished;
    times.push(performance.now() - started);
  }
  return times;
}"""


def measure_search(site_dir: Path, sqlite_path: Path, queries: list[str]) -> dict[str, object]:
    """Sizes, first-query bytes and times in Chromium over http, and CLI query time.

    - first_query_gzip_bytes: every file the search page loaded for its first query (page,
      theme, scripts, index), gzip-compressed as a web server would send them; median over the
      queries, each in a fresh browser context; first_query_search_gzip_bytes counts only the
      search scripts and index files.
    - first_results_ms: from navigation start to the first results on screen (median).
    - keystroke_ms: typing the next query one character at a time, from the input event to its
      results on screen, debounce included (median, p90 and max over all keystrokes).
    - cli_query_ms: build_tools.search.query.search_archive, 20 results (median of every run);
      cli_per_query_ms: each query's median of CLI_RUNS runs; cli_query_max_ms: the slowest of
      those, the figure to hold to a per-query target.
    """
    from playwright.sync_api import sync_playwright

    from build_tools.search.query import search_archive

    site_dir = Path(site_dir)
    result: dict[str, object] = dict(index_size(site_dir))
    result["sqlite_bytes"] = Path(sqlite_path).stat().st_size
    per_query: list[dict[str, object]] = []
    keystrokes: list[float] = []
    firsts: list[float] = []
    totals: list[int] = []
    search_totals: list[int] = []
    with serve(site_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            for number, query in enumerate(queries):
                context = browser.new_context()
                page = context.new_page()
                loaded: list[str] = []
                page.on("requestfinished", functools.partial(_record, loaded))
                page.goto(f"{base}search.html?q={quote(query)}")
                page.wait_for_function(_WAIT_DONE, arg=query, timeout=60_000)
                first_ms = page.evaluate("window.__raSearch.last.at")
                shown = page.evaluate("window.__raSearch.last.results")
                files = [site_dir / urlsplit(url).path.lstrip("/") for url in loaded if url.startswith(base)]
                total = sum(_gzip_size(p) for p in files if p.is_file())
                search_only = sum(
                    _gzip_size(p)
                    for p in files
                    if p.is_file()
                    and (
                        "search" in p.relative_to(site_dir).parts[:1]
                        or p.relative_to(site_dir).as_posix().startswith("assets/search/")
                    )
                )
                following = queries[(number + 1) % len(queries)]
                times = page.evaluate(_TYPE, following)
                keystrokes += times
                firsts.append(first_ms)
                totals.append(total)
                search_totals.append(search_only)
                per_query.append(
                    {
                        "query": query,
                        "results": shown,
                        "first_results_ms": first_ms,
                        "files": len(files),
                        "gzip_bytes": total,
                        "search_gzip_bytes": search_only,
                        "typed": following,
                        "keystroke_ms": times,
                    }
                )
                context.close()
        finally:
            browser.close()
    cli: list[float] = []
    cli_per_query: dict[str, float] = {}
    for query in queries:
        runs = []
        for _ in range(CLI_RUNS):
            started = time.perf_counter()
            search_archive(Path(sqlite_path), query, limit=20)
            runs.append((time.perf_counter() - started) * 1000)
        cli += runs
        cli_per_query[query] = statistics.median(runs)
    ordered = sorted(keystrokes)
    result.update(
        {
            "first_query_gzip_bytes": statistics.median(totals),
            "first_query_gzip_bytes_max": max(totals),
            "first_query_search_gzip_bytes": statistics.median(search_totals),
            "first_results_ms": statistics.median(firsts),
            "keystroke_ms": statistics.median(ordered) if ordered else 0.0,
            "keystroke_p90_ms": ordered[int(len(ordered) * 0.9)] if ordered else 0.0,
            "keystroke_max_ms": ordered[-1] if ordered else 0.0,
            "cli_query_ms": statistics.median(cli),
            "cli_query_max_ms": max(cli_per_query.values()),
            "cli_per_query_ms": cli_per_query,
            "per_query": per_query,
        }
    )
    return result


def _record(urls: list[str], request: object) -> None:
    urls.append(getattr(request, "url", ""))


def _chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        raise SystemExit("Chromium is not installed (Debian's `chromium` package)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--synth", type=int, metavar="N", help="write a synthetic archive of N articles")
    parser.add_argument("--site", type=Path, help="a built site to measure")
    parser.add_argument("--db", type=Path, help="its SQLite database (default: SITE/archive.sqlite)")
    parser.add_argument("work", type=Path, nargs="?", help="with --synth: a folder to work in")
    parser.add_argument("--queries", nargs="*", default=DEFAULT_QUERIES)
    args = parser.parse_args(argv)
    if args.synth:
        from benchmarks.synth import write_archive
        from build_tools.check import check_archive
        from build_tools.link import link

        work = args.work or Path(f"/tmp/search-bench-{args.synth}")
        archive = work / "archive"
        if not archive.is_dir():
            write_archive(archive, args.synth)
        started = time.perf_counter()
        linked = link(check_archive(archive).archive)
        linked_s = time.perf_counter() - started
        shutil.rmtree(work / "site", ignore_errors=True)
        stats = write_search_site(linked, work / "site")
        print(
            f"linked in {linked_s:.1f} s; index written in "
            f"{time.perf_counter() - started - linked_s:.1f} s: {stats}",
            flush=True,
        )
        site, db = work / "site", work / "site" / "archive.sqlite"
    elif args.site:
        site, db = args.site, args.db or args.site / "archive.sqlite"
    else:
        parser.error("give --synth N or --site DIR")
    figures = measure_search(site, db, args.queries)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

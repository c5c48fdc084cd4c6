"""`make bench`: build time, memory and size of the archive site against plain MkDocs.

For each N it writes a synthetic archive (benchmarks/synth.py), then measures in fresh processes:
  (a) the linking core alone: load, check, link and render every page, nothing written;
  (b) the full `archive build` from a clean site folder and an empty cache;
  (c) the baseline: plain `mkdocs build` with Material over the same article Markdown, one nav
      entry, no cross-linking;
  (d) `archive build` again after one article changed (the incremental rebuild).
It prints a table, and the ratios (b)/(c) and (d)/(b). Nothing here asserts a timing.
Then, on the site of (b), the search figures (benchmarks/search_bench.py): the index's size,
what a first query downloads, time to first results and per keystroke in headless Chromium,
and an `archive search` query; beside them, the size of Material's index in the baseline (c).

Usage: python -m benchmarks.bench [--sizes 1000,10000] [--large] [--corpus] [--work DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from benchmarks.search_bench import DEFAULT_QUERIES, measure_search
from benchmarks.synth import write_archive

REPO = Path(__file__).resolve().parents[1]
# For the real articles: a word, a name, a phrase, a Cyrillic-free mix of both.
CORPUS_QUERIES = ["ceasefire", "Zelensky", '"peace talks"', "grain exports Odesa", "Mariupol theatre"]
PY = sys.executable


@dataclass
class Row:
    label: str
    articles: int
    figures: dict[str, float] = field(default_factory=dict)


def measure(*command: str, env: dict[str, str] | None = None) -> dict[str, float]:
    out = subprocess.run(
        [PY, "-m", "benchmarks.measure", "--", *command],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        check=True,
    )
    result = json.loads(out.stdout)
    if result["returncode"] != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result['stderr_tail']}")
    return result


def tree_size(folder: Path) -> tuple[int, int, str]:
    """Total bytes, the largest HTML page's bytes and its path."""
    total, largest, largest_path = 0, 0, ""
    for path in folder.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            total += size
            if path.suffix == ".html" and size > largest:
                largest, largest_path = size, path.relative_to(folder).as_posix()
    return total, largest, largest_path


def search_index_bytes(site: Path) -> tuple[int, int]:
    """Bytes of the search index files (ours or Material's), raw and gzip-compressed."""
    raw = packed = 0
    folder = site / "search"
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file() and path.suffix in (".js", ".json"):
            data = path.read_bytes()
            raw += len(data)
            packed += len(gzip.compress(data, 6))
    return raw, packed


def baseline_docs(archive: Path, docs: Path) -> None:
    """The same article Markdown as plain MkDocs pages: a title heading and the body."""
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Baseline\n", encoding="utf-8")
    for path in sorted((archive / "articles").rglob("*.md")):
        text = path.read_text("utf-8")
        front, _, body = text[4:].partition("\n---\n")
        titles = [line[7:].strip() for line in front.splitlines() if line.startswith("title: ")]
        title = titles[0] if titles else path.stem
        target = docs / path.relative_to(archive)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {title}\n\n{body}", encoding="utf-8")
    (docs.parent / "mkdocs.yml").write_text(
        "site_name: Baseline\ndocs_dir: docs\ntheme:\n  name: material\nnav:\n  - Home: index.md\n",
        encoding="utf-8",
    )


def touch_one_article(archive: Path) -> None:
    articles = sorted((archive / "articles").rglob("*.md"))
    path = articles[len(articles) // 2]
    path.write_text(path.read_text("utf-8") + "\nA sentence added for the incremental rebuild.\n", "utf-8")


def run_size(label: str, archive: Path, work: Path, articles: int, queries: list[str]) -> Row:
    row = Row(label, articles)
    site = work / "site"
    cache = work / "cache"
    env = {"ARCHIVE_CACHE_DIR": str(cache)}
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    a = measure(PY, "-m", "benchmarks.core", str(archive))
    b = measure(
        PY,
        "-m",
        "build_tools",
        "build",
        "--archive",
        str(archive),
        "--site-dir",
        str(site),
        "--config",
        str(REPO / "mkdocs.yml"),
        env=env,
    )
    total, largest, largest_path = tree_size(site)
    index_raw, index_gz = search_index_bytes(site)
    search = measure_search(site, site / "archive.sqlite", queries)
    touch_one_article(archive)
    d = measure(
        PY,
        "-m",
        "build_tools",
        "build",
        "--archive",
        str(archive),
        "--site-dir",
        str(site),
        "--config",
        str(REPO / "mkdocs.yml"),
        env=env,
    )
    base = work / "baseline"
    baseline_docs(archive, base / "docs")
    c = measure(PY, "-m", "mkdocs", "build", "-q", "-f", str(base / "mkdocs.yml"), "-d", str(base / "site"))
    base_total, base_largest, _ = tree_size(base / "site")
    base_index_raw, base_index_gz = search_index_bytes(base / "site")
    row.figures = {
        "a_core_s": a["seconds"],
        "b_build_s": b["seconds"],
        "c_baseline_s": c["seconds"],
        "d_incremental_s": d["seconds"],
        "b_peak_rss_mb": b["peak_rss_mb"],
        "c_peak_rss_mb": c["peak_rss_mb"],
        "a_peak_rss_mb": a["peak_rss_mb"],
        "site_mb": total / 1e6,
        "site_kb_per_article": total / 1e3 / articles,
        "largest_page_kb": largest / 1e3,
        "search_index_mb": index_raw / 1e6,
        "search_index_gz_mb": index_gz / 1e6,
        "baseline_site_mb": base_total / 1e6,
        "baseline_largest_page_kb": base_largest / 1e3,
        "baseline_search_index_gz_mb": base_index_gz / 1e6,
        "baseline_search_index_mb": base_index_raw / 1e6,
        "b_over_c": b["seconds"] / c["seconds"],
        "d_over_b": d["seconds"] / b["seconds"],
        "sqlite_mb": float(search["sqlite_bytes"]) / 1e6,  # type: ignore[arg-type]
        "first_query_kb": float(search["first_query_gzip_bytes"]) / 1e3,  # type: ignore[arg-type]
        "first_query_max_kb": float(search["first_query_gzip_bytes_max"]) / 1e3,  # type: ignore[arg-type]
        "first_results_ms": float(search["first_results_ms"]),  # type: ignore[arg-type]
        "keystroke_ms": float(search["keystroke_ms"]),  # type: ignore[arg-type]
        "keystroke_p90_ms": float(search["keystroke_p90_ms"]),  # type: ignore[arg-type]
        "keystroke_max_ms": float(search["keystroke_max_ms"]),  # type: ignore[arg-type]
        "cli_query_ms": float(search["cli_query_ms"]),  # type: ignore[arg-type]
        "cli_query_max_ms": float(search["cli_query_max_ms"]),  # type: ignore[arg-type]
    }
    per_query = cast(dict[str, float], search["cli_per_query_ms"])
    print(
        "  archive search, median ms per query: "
        + ", ".join(f"{query} {ms:.1f}" for query, ms in per_query.items()),
        flush=True,
    )
    print(f"  largest page: {largest_path} ({largest / 1e3:.0f} kB)", flush=True)
    return row


COLUMNS = [
    ("a_core_s", "(a) core s", "{:.1f}"),
    ("b_build_s", "(b) build s", "{:.1f}"),
    ("c_baseline_s", "(c) mkdocs s", "{:.1f}"),
    ("d_incremental_s", "(d) incr. s", "{:.1f}"),
    ("b_over_c", "(b)/(c)", "{:.2f}"),
    ("d_over_b", "(d)/(b)", "{:.2f}"),
    ("b_peak_rss_mb", "(b) RSS MB", "{:.0f}"),
    ("c_peak_rss_mb", "(c) RSS MB", "{:.0f}"),
    ("site_mb", "site MB", "{:.0f}"),
    ("site_kb_per_article", "kB/article", "{:.0f}"),
    ("largest_page_kb", "max page kB", "{:.0f}"),
]
SEARCH_COLUMNS = [
    ("search_index_mb", "index MB", "{:.1f}"),
    ("search_index_gz_mb", "index gz MB", "{:.1f}"),
    ("sqlite_mb", "sqlite MB", "{:.1f}"),
    ("first_query_kb", "1st query gz kB", "{:.0f}"),
    ("first_query_max_kb", "(max)", "{:.0f}"),
    ("first_results_ms", "1st results ms", "{:.0f}"),
    ("keystroke_ms", "key ms", "{:.0f}"),
    ("keystroke_p90_ms", "key p90", "{:.0f}"),
    ("keystroke_max_ms", "key max", "{:.0f}"),
    ("cli_query_ms", "CLI ms", "{:.1f}"),
    ("cli_query_max_ms", "CLI max", "{:.1f}"),
    ("baseline_search_index_mb", "Material index MB", "{:.1f}"),
    ("baseline_search_index_gz_mb", "Material gz MB", "{:.1f}"),
]


def print_table(rows: list[Row], columns: list[tuple[str, str, str]]) -> None:
    header = ["archive", "N"] + [title for _, title, _ in columns]
    lines = [header] + [
        [r.label, f"{r.articles:,}"] + [fmt.format(r.figures[key]) for key, _, fmt in columns] for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    parser.add_argument("--large", action="store_true", help="also N = 100,000")
    parser.add_argument(
        "--corpus", action="store_true", help="also the 222 real articles of ../shared/corpus"
    )
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "archive-bench")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([100_000] if args.large else [])
    rows = []
    for n in sizes:
        work = args.work / f"n{n}"
        archive = work / "archive"
        print(f"N = {n:,}: writing a synthetic archive to {archive}", flush=True)
        shutil.rmtree(work, ignore_errors=True)
        write_archive(archive, n)
        rows.append(run_size("synthetic", archive, work, n, DEFAULT_QUERIES))
    if args.corpus:
        from benchmarks.corpus import write_corpus_archive

        work = args.work / "corpus"
        shutil.rmtree(work, ignore_errors=True)
        count = write_corpus_archive(work / "archive")
        print(f"corpus: {count} real articles in {work / 'archive'}", flush=True)
        rows.append(run_size("real", work / "archive", work, count, CORPUS_QUERIES))
    print()
    print_table(rows, COLUMNS)
    print(
        "\nSearch (first query: median over the queries, gzip as a server sends it; keystrokes "
        "include the debounce):"
    )
    print_table(rows, SEARCH_COLUMNS)
    for row in rows:
        print(
            f"{row.label} N={row.articles:,}: (b)/(c) = {row.figures['b_over_c']:.2f}, "
            f"(d)/(b) = {row.figures['d_over_b']:.2f}"
        )


if __name__ == "__main__":
    main()

"""The linking core alone (load, check, link, render pages; no MkDocs, nothing written).

Usage: python -m benchmarks.core ARCHIVE_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from build_tools.pipeline import build_pages

if __name__ == "__main__":
    site = build_pages(Path(sys.argv[1]))
    if site.report.errors:
        raise SystemExit(f"{site.report.errors} errors in the archive")
    print(len(site.pages))

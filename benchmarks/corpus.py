"""Import the real articles of ../shared/corpus/articles.jsonl into a scratch archive.

The corpus is CC BY-NC-SA and for measurement only: it is read at run time from ../shared and
written to a folder outside the project; nothing of it is committed. The bundled registry is
copied along, so mentions are those a reader of this archive would see.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from build_tools.check import body_fingerprint
from build_tools.folding import slugify
from build_tools.importing import extract_text

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "articles.jsonl"


def write_corpus_archive(
    root: Path, corpus: Path = CORPUS, registry: Path = REPO / "archive" / "entities"
) -> int:
    """Write one article file per record with text; return how many were written."""
    if not corpus.is_file():
        raise SystemExit(f"no corpus at {corpus}: it lives in ../shared/corpus next to the project")
    shutil.copytree(registry, root / "entities", dirs_exist_ok=True)
    seen_slugs: set[str] = set()
    seen_bodies: set[str] = set()
    written = 0
    for line in corpus.read_text("utf-8").splitlines():
        record = json.loads(line)
        if not record.get("text"):
            continue
        body = extract_text(record["text"]).markdown()
        fingerprint = body_fingerprint(body)
        if fingerprint in seen_bodies:
            continue
        seen_bodies.add(fingerprint)
        date = record["date"].replace("Z", "+00:00")
        day = date[:10]
        slug = slugify(record["title"]) or record["id"]
        if slug in seen_slugs:
            slug = f"{slug[:50]}-{record['id'][-6:]}"
        seen_slugs.add(slug)
        folder = root / "articles" / day[:4] / day[5:7]
        folder.mkdir(parents=True, exist_ok=True)
        front = {
            "title": record["title"],
            "date": date,
            "source": record["source"],
            "language": record.get("language") or "en",
            "rights": f"{record['source']}; {record.get('license', '')}, from {record.get('dataset', '')}",
        }
        header = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in front.items())
        (folder / f"{slug}.md").write_text(f"---\n{header}---\n\n{body}", encoding="utf-8")
        written += 1
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/corpus-archive")
    if target.exists():
        shutil.rmtree(target)
    print(f"{write_corpus_archive(target)} articles written to {target}")

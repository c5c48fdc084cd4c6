"""How well quotations are attributed: `make quote-quality`.

benchmarks/quote_labels.yaml holds quotations annotated by hand in randomly drawn lines of the
bundled archive and of ../shared/corpus/articles.jsonl (CC BY-NC-SA: the file keeps line
numbers, offsets and hashes only, and the text is read from ../shared at run time; without it
only the archive's part is measured). For each drawn line, every quotation of three words or
more is labelled with its speaker (a registry id, or none). Figures:

- precision: of the quotations the tool gives a speaker in those lines, how many have that
  speaker (a speaker given to words the annotators did not take for a quotation counts wrong);
- recall: of the labelled quotations whose speaker is a registry person, how many the tool
  gives to that person.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml

from build_tools.check import check_archive
from build_tools.link import EntityMatcher
from build_tools.link.quotes import find_quotes

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "quote_labels.yaml"
CORPUS = ROOT.parent / "shared" / "corpus" / "articles.jsonl"
FLOOR = 0.95  # precision of attributed quotations (issue 18)


@dataclass
class Report:
    documents: int = 0
    labelled: int = 0  # quotations labelled in the drawn lines
    with_speaker: int = 0  # of which the speaker is a registry person
    attributed: int = 0  # quotations the tool gives a speaker, in the drawn lines
    right: int = 0  # of which the speaker is the labelled one
    found: int = 0  # labelled registry-speaker quotations the tool gives to that speaker
    skipped_corpus: bool = False
    errors: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.attributed if self.attributed else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.with_speaker if self.with_speaker else 1.0


def _body(path: Path) -> str:
    """An archive file's body, as the annotators split it (python-frontmatter's content)."""
    return frontmatter.loads(path.read_text(encoding="utf-8")).content


def _texts(labels: list[dict]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for entry in labels:
        if entry["source"] == "archive":
            texts[entry["file"]] = _body(ROOT / entry["file"])
    if CORPUS.is_file():
        wanted = {entry["id"] for entry in labels if entry["source"] == "corpus"}
        with CORPUS.open(encoding="utf-8") as rows:
            for line in rows:
                row = json.loads(line)
                if row["id"] in wanted:
                    texts[row["id"]] = row["text"]
    return texts


def evaluate(labels: list[dict]) -> Report:
    archive = check_archive(ROOT / "archive").archive
    matcher = EntityMatcher(archive.entities)
    people = frozenset(e.id for e in archive.entities if e.type == "person")
    report = Report()
    texts = _texts(labels)
    for entry in labels:
        key = entry["file"] if entry["source"] == "archive" else entry["id"]
        text = texts.get(key)
        if text is None:
            report.skipped_corpus = True
            continue
        report.documents += 1
        lines = text.split("\n")
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line) + 1)
        mentions = matcher.find(text)
        quotes = find_quotes(text, mentions, people)
        for drawn in entry["lines"]:
            n = drawn["n"]
            lo, hi = starts[n], starts[n] + len(lines[n])
            gold = []
            for item in drawn.get("quotes") or []:
                at = lo + item["at"]
                sha = hashlib.sha1(lines[n][item["at"] : item["at"] + 20].encode("utf-8")).hexdigest()[:10]
                if sha != item["sha"]:
                    report.errors.append(f"{key} line {n}: the text at {item['at']} is not the labelled one")
                    continue
                gold.append((at, item.get("speaker"), item))
            report.labelled += len(gold)
            mine = [q for q in quotes if lo <= q.start < hi or q.start < lo < q.end]
            for at, speaker, item in gold:
                match = next(
                    (q for q in mine if q.start - 2 <= at <= q.start + 2 or q.start <= at < q.end), None
                )
                if speaker:
                    report.with_speaker += 1
                    if match is not None and match.speaker == speaker:
                        report.found += 1
                    else:
                        got = "nothing" if match is None else (match.speaker or "no speaker")
                        report.misses.append(
                            f"{key} line {n}: {speaker} ({item.get('how')}) -> {got}"
                            + (f" [{item['text']}]" if item.get("text") else "")
                        )
            for q in mine:
                if q.speaker is None:
                    continue
                report.attributed += 1
                labelled = next(
                    (g for g in gold if q.start - 2 <= g[0] <= q.start + 2 or q.start <= g[0] < q.end), None
                )
                if labelled is not None and labelled[1] == q.speaker:
                    report.right += 1
                else:
                    wanted = "not a quotation" if labelled is None else (labelled[1] or "no registry speaker")
                    excerpt = f" [{q.text[:60]}]" if entry["source"] == "archive" else ""
                    report.errors.append(f"{key} line {n}: gave {q.speaker}, labelled {wanted}{excerpt}")
    return report


def format_report(report: Report) -> str:
    lines = [
        f"quote attribution: {report.documents} documents, {report.labelled} quotations labelled, "
        f"{report.with_speaker} by a registry person",
        f"  precision  {report.precision:.3f}  ({report.right}/{report.attributed} attributed)",
        f"  recall     {report.recall:.3f}  ({report.found}/{report.with_speaker})",
    ]
    if report.skipped_corpus:
        lines.append(f"  (the corpus part was skipped: no {CORPUS})")
    lines.append(f"wrong attributions ({len(report.errors)}):")
    lines += [f"  {e}" for e in report.errors]
    lines.append(f"missed ({len(report.misses)}):")
    lines += [f"  {m}" for m in report.misses]
    verdict = "met" if report.precision >= FLOOR else f"FAILED: precision {report.precision:.3f} < {FLOOR}"
    lines.append(f"floor (precision >= {FLOOR}): {verdict}")
    return "\n".join(lines)


def main() -> int:
    report = evaluate(yaml.safe_load(LABELS.read_text(encoding="utf-8")))
    print(format_report(report))
    return 0 if report.precision >= FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())

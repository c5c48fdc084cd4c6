"""How well `archive import` treats real saved texts: the 40 rows of ../shared/corpus/articles.jsonl
drawn and labelled by hand line by line in import_labels.yaml (story, heading, caption, credit,
byline, dateline, furniture). The corpus is CC BY-NC-SA, so the labels hold only line numbers
and hashes; the text is read from ../shared at run time.

Run from the repository root: `python -m benchmarks.import_quality` (`make import-quality`).
Exits 1 when a floor fails, 2 when the corpus is not there.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from build_tools.importing import Extracted, extract_text
from build_tools.importing.extracted import clean_text

from .corpus import CORPUS

LABELS = Path(__file__).with_name("import_labels.yaml")
FLOORS = {"furniture left": 0.10, "heading precision": 0.90}  # at most / at least (issue 16)


@dataclass
class Report:
    rows: int = 0
    lines: Counter[str] = field(default_factory=Counter)  # label -> lines
    fates: Counter[tuple[str, str]] = field(default_factory=Counter)  # (label, what import made)
    datelines: int = 0  # first paragraphs labelled as opening with a dateline
    datelines_taken: int = 0  # … whose dateline reached the front matter
    wrong: list[str] = field(default_factory=list)

    def rate(self, label: str, fates: set[str]) -> float:
        total = self.lines[label]
        return (
            sum(n for (lab, fate), n in self.fates.items() if lab == label and fate in fates) / total
            if total
            else 0.0
        )

    @property
    def furniture_left(self) -> float:
        return 1 - self.rate("furniture", {"dropped"})

    @property
    def heading_precision(self) -> float:
        made = sum(n for (_, fate), n in self.fates.items() if fate == "heading")
        right = self.fates[("heading", "heading")]
        return right / made if made else 1.0

    def failed_floors(self) -> list[str]:
        failed = []
        if self.furniture_left > FLOORS["furniture left"]:
            failed.append(f"furniture left {self.furniture_left:.3f} > {FLOORS['furniture left']}")
        if self.heading_precision < FLOORS["heading precision"]:
            failed.append(f"heading precision {self.heading_precision:.3f} < {FLOORS['heading precision']}")
        return failed


def fate_of_lines(text: str, extracted: Extracted) -> list[str]:
    """What the import made of each line of `text`: dropped, heading, caption, paragraph, moved
    (to front matter), or blank."""
    dropped = Counter(extracted.dropped)
    kinds: dict[str, list[str]] = {}
    for block in extracted.blocks:
        kinds.setdefault(block.text, []).append(block.kind)
    moved = {clean_text(name) for name in (*extracted.authors, *extracted.credits)}
    fates = []
    for line in text.split("\n"):
        cleaned = clean_text(line)
        if not cleaned:
            fates.append("blank")
        elif dropped[cleaned]:
            dropped[cleaned] -= 1
            fates.append("dropped")
        elif kinds.get(cleaned):
            kind = kinds[cleaned].pop(0)
            fate = {"h2": "heading", "h3": "heading", "caption": "caption"}.get(kind, "paragraph")
            if fate == "paragraph" and any(name and name in cleaned for name in moved):
                fate = "credited"  # the line stays, its names are in `credits` too
            fates.append(fate)
        elif any(cleaned in block.text and block.kind == "caption" for block in extracted.blocks):
            fates.append("caption")
        elif any(name and name in cleaned for name in moved) and not any(
            cleaned in block.text for block in extracted.blocks
        ):
            fates.append("moved")
        else:
            fates.append("paragraph")  # part of a longer paragraph
    return fates


def evaluate(corpus: Path = CORPUS, labels: Path = LABELS) -> Report:
    rows = {row["id"]: row for row in map(json.loads, corpus.read_text(encoding="utf-8").splitlines())}
    report = Report()
    for item in yaml.safe_load(labels.read_text(encoding="utf-8")):
        text = rows[item["id"]]["text"]
        lines = text.split("\n")
        extracted = extract_text(text)
        fates = fate_of_lines(text, extracted)
        report.rows += 1
        first = next((n for n, line in enumerate(lines) if line.strip()), None)
        for entry in item["lines"]:
            line = lines[entry["n"]]
            if hashlib.sha1(line.encode("utf-8")).hexdigest()[:10] != str(entry["sha"]):
                raise SystemExit(f"{item['id']} line {entry['n']}: the corpus changed since it was labelled")
            label, fate = entry["label"], fates[entry["n"]]
            if entry.get("prefix") == "dateline" and entry["n"] == first:
                report.datelines += 1
                report.datelines_taken += bool(
                    extracted.dateline and line.strip().startswith(extracted.dateline)
                )
            report.lines[label] += 1
            report.fates[(label, fate)] += 1
            if (label, fate) in {
                ("story", "dropped"),
                ("furniture", "paragraph"),
                ("furniture", "heading"),
            } or (fate == "heading" and label != "heading"):
                report.wrong.append(f"{item['id']} line {entry['n']}: {label} made {fate}: {line[:90]!r}")
    return report


def format_report(report: Report) -> str:
    made_headings = sum(n for (_, fate), n in report.fates.items() if fate == "heading")
    lines = [
        f"import quality: {report.rows} texts, {sum(report.lines.values())} labelled lines "
        + "("
        + ", ".join(f"{label} {n}" for label, n in report.lines.most_common())
        + ")",
        f"  furniture left       {report.furniture_left:.3f}  "
        f"({report.lines['furniture'] - report.fates[('furniture', 'dropped')]}/{report.lines['furniture']})",
        f"  heading precision    {report.heading_precision:.3f}  "
        f"({report.fates[('heading', 'heading')]}/{made_headings})",
        f"  heading recall       {report.rate('heading', {'heading'}):.3f}",
        f"  captions marked      {report.rate('caption', {'caption'}):.3f}  "
        f"({report.lines['caption']} captions)",
        f"  story lines dropped  {report.fates[('story', 'dropped')]}",
        f"  bylines moved or credited  "
        f"{sum(report.fates[('byline', fate)] for fate in ('moved', 'credited'))}/{report.lines['byline']}",
        f"  datelines opening a text taken to front matter  {report.datelines_taken}/{report.datelines}",
        "fates by label: "
        + "; ".join(f"{label}->{fate} {n}" for (label, fate), n in sorted(report.fates.items())),
        f"errors ({len(report.wrong)}):",
        *(f"  {w}" for w in report.wrong),
    ]
    failed = report.failed_floors()
    lines.append(
        "floors (furniture left <= 0.10, heading precision >= 0.90): "
        + ("FAILED: " + "; ".join(failed) if failed else "all met")
    )
    return "\n".join(lines)


def main() -> int:
    if not CORPUS.exists():
        print(f"no corpus at {CORPUS}: it lives in ../shared/corpus next to the project", file=sys.stderr)
        return 2
    report = evaluate()
    print(format_report(report))
    return 1 if report.failed_floors() else 0


if __name__ == "__main__":
    sys.exit(main())

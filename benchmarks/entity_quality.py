"""How well the linker finds registry entities in real text: entity_passages.yaml holds passages
of the bundled archive drawn at random, every mention of a registry entity annotated by hand,
and the longer names that only look like one ("Kyiv Post") listed as not_mentions (issue 16).

Run from the repository root: `python -m benchmarks.entity_quality` (`make entity-quality`).
Precision: found mentions that are annotated with the same entity. Recall: annotated mentions
found with the right entity, over the forms the registry lists (those it lacks, `unlisted`,
are counted apart). Exits 1 when a floor fails.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from build_tools.check import check_archive
from build_tools.link import EntityMatcher

PASSAGES = Path(__file__).with_name("entity_passages.yaml")
ARCHIVE = Path(__file__).resolve().parents[1] / "archive"
FLOORS = {"precision": 0.99, "recall": 0.98}  # issue 16


@dataclass(frozen=True)
class Expected:
    start: int
    end: int
    entity: str
    unlisted: bool


@dataclass
class Report:
    passages: int = 0
    expected: int = 0  # listed forms
    unlisted: int = 0
    found: int = 0
    right: int = 0  # found mentions annotated with the same entity
    detected: int = 0  # listed expected mentions found with the right entity
    detected_unlisted: int = 0
    not_mentions: int = 0
    not_mentions_linked: int = 0
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.detected / self.expected if self.expected else 1.0

    def failed_floors(self) -> list[str]:
        scores = {"precision": self.precision, "recall": self.recall}
        return [
            f"{name} {scores[name]:.3f} < {floor}" for name, floor in FLOORS.items() if scores[name] < floor
        ]


def load(path: Path = PASSAGES) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def expected_of(passage: dict) -> list[Expected]:
    out = []
    seen: dict[str, int] = {}
    text = passage["text"]
    for item in passage.get("mentions") or []:
        words = str(item["text"])
        start = item.get("start")
        if start is None:
            start = text.find(words, seen.get(words, 0))
        if text[start : start + len(words)] != words:
            raise ValueError(f"{passage['article']}: {words!r} is not at {start}")
        seen[words] = start + len(words)
        out.append(Expected(start, start + len(words), item["entity"], bool(item.get("unlisted"))))
    return out


def evaluate(matcher: EntityMatcher, passages: list[dict]) -> Report:
    report = Report(passages=len(passages))
    for passage in passages:
        text = passage["text"]
        expected = expected_of(passage)
        found = matcher.find(text)
        report.expected += sum(not e.unlisted for e in expected)
        report.unlisted += sum(e.unlisted for e in expected)
        report.found += len(found)
        for mention in found:
            if any(
                _overlap(mention.start, mention.end, e) and e.entity == mention.entity_id for e in expected
            ):
                report.right += 1
            else:
                report.false_positives.append(
                    f"{passage['article']}: {mention.text!r} -> {mention.entity_id}: "
                    f"…{text[max(0, mention.start - 40) : mention.end + 40]}…"
                )
        for e in expected:
            hit = any(_overlap(m.start, m.end, e) and m.entity_id == e.entity for m in found)
            if e.unlisted:
                report.detected_unlisted += hit
            elif hit:
                report.detected += 1
            else:
                report.misses.append(
                    f"{passage['article']}: {text[e.start : e.end]!r} ({e.entity}): "
                    f"…{text[max(0, e.start - 40) : e.end + 40]}…"
                )
        for item in passage.get("not_mentions") or []:
            report.not_mentions += 1
            at = text.find(str(item["text"]))
            if any(at <= m.start < at + len(str(item["text"])) for m in found):
                report.not_mentions_linked += 1
    return report


def _overlap(start: int, end: int, e: Expected) -> bool:
    return start < e.end and e.start < end


def format_report(report: Report) -> str:
    lines = [
        f"entity quality: {report.passages} passages, {report.expected} mentions in forms the registry "
        f"lists (+{report.unlisted} in forms it lacks), {report.found} found",
        f"  precision  {report.precision:.3f}  ({report.right}/{report.found})",
        f"  recall     {report.recall:.3f}  ({report.detected}/{report.expected})",
        f"  unlisted forms found  {report.detected_unlisted}/{report.unlisted}",
        f"  longer names linked   {report.not_mentions_linked}/{report.not_mentions} (not_mentions)",
        f"false positives ({len(report.false_positives)}):",
        *(f"  {line}" for line in report.false_positives),
        f"misses ({len(report.misses)}):",
        *(f"  {line}" for line in report.misses),
    ]
    failed = report.failed_floors()
    wanted = ", ".join(f"{name} >= {floor}" for name, floor in FLOORS.items())
    lines.append(f"floors ({wanted}): " + ("FAILED: " + "; ".join(failed) if failed else "all met"))
    return "\n".join(lines)


def main() -> int:
    archive = check_archive(ARCHIVE).archive
    report = evaluate(EntityMatcher(archive.entities), load())
    print(format_report(report))
    return 1 if report.failed_floors() else 0


if __name__ == "__main__":
    sys.exit(main())

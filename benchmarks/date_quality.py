"""How well find_dates finds and resolves dates on two hand-annotated sets: date_cases.yaml
(sentences written for the set, one per error class met so far) and date_passages.yaml
(paragraphs of the bundled archive drawn at random and annotated by hand, issue 16).

Run from the repository root: `python -m benchmarks.date_quality`. Exits 1 when a floor fails.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from build_tools.link import DateRef, find_dates

CASES = Path(__file__).with_name("date_cases.yaml")
PASSAGES = Path(__file__).with_name("date_passages.yaml")
FLOORS = {"precision": 0.95, "recall": 0.90, "resolution": 0.95}
# Real text is held to issue 16's targets.
PASSAGE_FLOORS = {"precision": 0.98, "recall": 0.95, "resolution": 0.95}


@dataclass(frozen=True)
class Expected:
    start: int
    end: int
    text: str
    granularity: str
    value: dt.date


@dataclass(frozen=True)
class Case:
    number: int  # 1-based position in the file
    sentence: str
    published: dt.date
    expected: tuple[Expected, ...]


@dataclass
class Report:
    cases: int = 0
    expected: int = 0
    found: int = 0
    true_found: int = 0  # found spans that overlap an expected expression
    detected: int = 0  # expected expressions overlapped by a found span
    resolved: int = 0  # detected ones with the right granularity and value
    exact_spans: int = 0  # detected ones whose found text is exactly the expected text
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    span_differences: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_found / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.detected / self.expected if self.expected else 1.0

    @property
    def resolution(self) -> float:
        return self.resolved / self.detected if self.detected else 1.0

    def failed_floors(self, floors: dict[str, float] = FLOORS) -> list[str]:
        scores = {"precision": self.precision, "recall": self.recall, "resolution": self.resolution}
        return [
            f"{name} {scores[name]:.3f} < {floor}" for name, floor in floors.items() if scores[name] < floor
        ]


def load_cases(path: Path = CASES) -> list[Case]:
    """The cases in `path`, each expected text located in its sentence (n-th listing, n-th occurrence)."""
    cases = []
    for number, raw in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")), 1):
        sentence = raw["sentence"] if "sentence" in raw else raw["text"]  # a passage
        seen: dict[str, int] = {}
        expected = []
        for item in raw["expected"] or []:
            text = str(item["text"])
            start = sentence.find(text, seen.get(text, 0))
            if start < 0:
                raise ValueError(f"case {number}: {text!r} is not in {sentence!r}")
            seen[text] = start + len(text)
            expected.append(
                Expected(start, start + len(text), text, item["granularity"], _date(item["value"]))
            )
        cases.append(Case(number, sentence, _date(raw["published"]), tuple(expected)))
    return cases


def evaluate(cases: list[Case]) -> Report:
    report = Report(cases=len(cases))
    for case in cases:
        found = find_dates(case.sentence, case.published)
        report.expected += len(case.expected)
        report.found += len(found)
        where = f"case {case.number} (published {case.published})"
        for ref in found:
            if any(_overlap(ref, e) for e in case.expected):
                report.true_found += 1
            else:
                report.false_positives.append(
                    f"{where}: {ref.text!r} -> {ref.granularity} {ref.value} in {case.sentence!r}"
                )
        for exp in case.expected:
            match = next((ref for ref in found if _overlap(ref, exp)), None)
            if match is None:
                report.misses.append(f"{where}: {exp.text!r} in {case.sentence!r}")
                continue
            report.detected += 1
            if (match.granularity, match.value) == (exp.granularity, exp.value):
                report.resolved += 1
            else:
                report.wrong.append(
                    f"{where}: {exp.text!r} -> {match.granularity} {match.value}, "
                    f"expected {exp.granularity} {exp.value}"
                )
            if match.text == exp.text:
                report.exact_spans += 1
            else:
                report.span_differences.append(f"{where}: found {match.text!r}, expected {exp.text!r}")
    return report


def format_report(report: Report, floors: dict[str, float] = FLOORS, title: str = "date quality") -> str:
    lines = [
        (f"{title}: {report.cases} cases, {report.expected} expected expressions, {report.found} found"),
        f"  detection precision  {report.precision:.3f}  ({report.true_found}/{report.found})",
        f"  detection recall     {report.recall:.3f}  ({report.detected}/{report.expected})",
        f"  resolution accuracy  {report.resolution:.3f}  ({report.resolved}/{report.detected})",
        (
            f"  exact spans          {report.exact_spans / report.detected if report.detected else 1:.3f}"
            f"  ({report.exact_spans}/{report.detected})"
        ),
    ]
    for title, items in (
        ("misses", report.misses),
        ("false positives", report.false_positives),
        ("wrong resolutions", report.wrong),
        ("span differences", report.span_differences),
    ):
        lines.append(f"{title} ({len(items)}):")
        lines.extend(f"  {item}" for item in items)
    failed = report.failed_floors(floors)
    wanted = ", ".join(f"{name} >= {floor}" for name, floor in floors.items())
    lines.append(f"floors ({wanted}): " + ("FAILED: " + "; ".join(failed) if failed else "all met"))
    return "\n".join(lines)


def main() -> int:
    written = evaluate(load_cases())
    real = evaluate(load_cases(PASSAGES))
    print(format_report(written, FLOORS, "written cases (date_cases.yaml)"))
    print()
    print(format_report(real, PASSAGE_FLOORS, "archive passages (date_passages.yaml)"))
    return 1 if written.failed_floors() or real.failed_floors(PASSAGE_FLOORS) else 0


def _overlap(ref: DateRef, exp: Expected) -> bool:
    return ref.start < exp.end and exp.start < ref.end


def _date(value: Any) -> dt.date:
    # YAML reads an unquoted 2022-03-30 as a date already; a quoted one stays a string.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


if __name__ == "__main__":
    sys.exit(main())

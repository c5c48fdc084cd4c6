"""The date finder's quality on the hand-written cases in benchmarks/date_cases.yaml."""

from __future__ import annotations

from benchmarks.date_quality import FLOORS, evaluate, format_report, load_cases


def test_date_quality_meets_its_floors():
    report = evaluate(load_cases())
    assert report.cases >= 70
    assert report.precision >= FLOORS["precision"], format_report(report)
    assert report.recall >= FLOORS["recall"], format_report(report)
    assert report.resolution >= FLOORS["resolution"], format_report(report)


def test_date_quality_cases_include_negatives():
    assert sum(1 for case in load_cases() if not case.expected) >= 20

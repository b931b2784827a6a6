"""Every date a sentence states, and nothing more: one figure per date expression.

``tests/cases/dates.csv`` lists, per sentence of our own writing, all its date figures as
``span=ISO`` pairs separated by ``;`` (empty: none). A longer date (今年上半年, 去年四季度,
今年1至6月, 上个月25日) is one figure; its year is not a date of its own (issue 10, F1).
"""

from __future__ import annotations

import csv

import pytest

from xining_data.extract.figures import extract
from xining_data.read.report import ReportMeta

from conftest import CASES_DIR


def _cases() -> list:
    with open(CASES_DIR / "dates.csv", encoding="utf-8", newline="") as f:
        return [pytest.param(r, id=r["id"]) for r in csv.DictReader(f)]


@pytest.mark.parametrize("case", _cases())
def test_dates_of_a_sentence(case):
    meta = ReportMeta(published=case["published"])
    figures = extract(
        case["text"], meta.reference_date, reference_precision=meta.published_precision
    )
    got = [f"{f.text}={f.date}" for f in figures if f.kind == "date"]
    assert got == [pair for pair in case["dates"].split(";") if pair]

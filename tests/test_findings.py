"""Facts, disagreements, series and the lede, on small tables written for the tests."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from xining_data.stories.findings import (
    bounds,
    compatible,
    disagreements,
    facts,
    largest_change,
    lede,
    series,
    silences,
)

COLUMNS = ["report", "indicator", "place_adcode", "ref_date", "ref_precision", "unit", "value",
           "qualifier", "value_max"]  # fmt: skip


def table(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(COLUMNS, row, strict=True)) for row in rows], columns=COLUMNS)


JOBS = "urban_new_jobs"
CITY = "630100"

# value a, qualifier a, value b, qualifier b, compatible?
COMPATIBLE_CASES = [
    ("13971", "exact", "13971", "exact", True),
    ("13971", "exact", "14500", "exact", False),
    ("10000", "nearly", "9800", "exact", True),
    ("10000", "nearly", "10200", "exact", False),
    ("1000", "more_than", "1500", "exact", True),
    ("1000", "more_than", "800", "exact", False),
    ("50", "about", "54", "exact", True),
    ("50", "about", "60", "exact", False),
    ("100", "at_most", "99", "exact", True),
    ("100", "at_most", "101", "exact", False),
    ("-3", "about", "-3.2", "exact", True),
]


# printed a, printed b, compatible? (a number printed shorter may be the other one rounded)
PRINTED_CASES = [
    (("2.36", "2.36%"), ("2.4", "2.4%"), True),
    (("2.36", "2.36%"), ("2.5", "2.5%"), False),
    (("33500", "3.35万人"), ("33540", "33540人"), True),
    (("33500", "3.35万人"), ("32800", "3.28万人"), False),
    (("13971", "13971人"), ("13972", "13972人"), False),
    (("30000", "三万人"), ("31000", "31000人"), False),  # no Arabic digits: read exactly
]


@pytest.mark.parametrize(("a", "b", "expected"), PRINTED_CASES)
def test_a_number_printed_shorter_may_be_the_other_rounded(a, b, expected):
    row_a = {"value": a[0], "qualifier": "exact", "text": a[1]}
    row_b = {"value": b[0], "qualifier": "exact", "text": b[1]}
    assert compatible(row_a, row_b) is expected
    assert compatible(row_b, row_a) is expected


@pytest.mark.parametrize(("a", "qa", "b", "qb", "expected"), COMPATIBLE_CASES)
def test_compatible(a, qa, b, qb, expected):
    assert compatible({"value": a, "qualifier": qa}, {"value": b, "qualifier": qb}) is expected
    assert compatible({"value": b, "qualifier": qb}, {"value": a, "qualifier": qa}) is expected


def test_a_range_bounds_both_ends():
    assert bounds("3", "range", "5") == (Decimal(3), Decimal(5))
    assert bounds("not a number", "exact") == (Decimal("-Infinity"), Decimal("Infinity"))


def test_a_repeated_fact_counts_once_and_copies_are_one_source():
    figs = table(
        ("a", JOBS, CITY, "2023", "year", "人", "13971", "exact", ""),
        ("a", JOBS, CITY, "2023", "year", "人", "13971", "exact", ""),
        ("b", JOBS, CITY, "2023", "year", "人", "13971", "exact", ""),
        ("c", JOBS, CITY, "2023", "year", "人", "13971", "exact", ""),
        ("c", "", CITY, "2023", "year", "人", "5", "exact", ""),  # no indicator: not a fact
    )
    result = facts(figs, original={"c": "b"})
    assert len(result) == 1
    row = result.iloc[0]
    assert (row["mentions"], row["sources"], row["reports"]) == (4, 2, "a;b;c")


def test_disagreement_needs_two_sources_and_values_that_cannot_both_hold():
    figs = table(
        ("a", JOBS, CITY, "2023", "year", "人", "13971", "exact", ""),
        ("b", JOBS, CITY, "2023", "year", "人", "14500", "exact", ""),
        ("a", JOBS, CITY, "2022", "year", "人", "12000", "about", ""),
        ("b", JOBS, CITY, "2022", "year", "人", "12100", "exact", ""),  # about: compatible
        ("a", JOBS, "630102", "2023", "year", "人", "900", "exact", ""),  # another place
    )
    found = disagreements(facts(figs))
    assert sorted(found["value"]) == ["13971", "14500"]
    assert set(found["dispute"]) == {1}
    # the same clash inside one source (a copy) is not a disagreement between reports
    assert disagreements(facts(figs, original={"b": "a"})).empty


def test_series_and_largest_change():
    figs = table(
        ("a", JOBS, CITY, "2021", "year", "人", "10000", "exact", ""),
        ("b", JOBS, CITY, "2023", "year", "人", "15000", "exact", ""),
        ("c", JOBS, CITY, "2022", "year", "人", "12000", "exact", ""),
        ("c", "water_villages", CITY, "2022", "year", "个", "40", "exact", ""),
        ("d", "water_villages", CITY, "2024", "year", "个", "20", "exact", ""),
        ("d", "lonely", CITY, "2024", "year", "个", "3", "exact", ""),
    )
    all_series = series(facts(figs))
    assert set(all_series) == {(JOBS, CITY, "人", "year"), ("water_villages", CITY, "个", "year")}
    assert list(all_series[(JOBS, CITY, "人", "year")]["ref_date"]) == ["2021", "2022", "2023"]
    change = largest_change(all_series)
    assert (change.before["value"], change.after["value"]) == ("40", "20")  # halved > +50%


LEDE_CASES = [
    (
        "disagreement first",
        [("a", JOBS, CITY, "2023", "year", "人", "1", "exact", ""),
         ("b", JOBS, CITY, "2023", "year", "人", "2", "exact", ""),
         ("b", JOBS, CITY, "2021", "year", "人", "9", "exact", "")],
        "disagreement",
    ),
    (
        "then a change",
        [("a", JOBS, CITY, "2021", "year", "人", "1", "exact", ""),
         ("b", JOBS, CITY, "2023", "year", "人", "2", "exact", "")],
        "change",
    ),
    (
        "then the latest main value",
        [("a", JOBS, CITY, "2021", "year", "人", "1", "exact", ""),
         ("b", "other", CITY, "", "", "个", "2", "exact", "")],
        "latest",
    ),
    ("then the best attested", [("b", "other", CITY, "", "", "个", "2", "exact", "")], "attested"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "rows", "kind"), LEDE_CASES, ids=[c[0] for c in LEDE_CASES])
def test_lede_follows_the_editors_order(case, rows, kind):
    found = lede(facts(table(*rows)), main_indicators=(JOBS,))
    assert found.kind == kind
    assert all(row["indicator"] for row in found.rows)


def test_no_fact_no_lede_and_silences():
    empty = facts(table())
    assert lede(empty) is None
    catalogue = pd.DataFrame({"id": [JOBS, "unemployment_rate", "gdp"],
                              "theme": ["employment", "employment", "overview"]})  # fmt: skip
    assert list(silences(empty, catalogue, "employment")["id"]) == [JOBS, "unemployment_rate"]
    some = facts(table(("a", JOBS, CITY, "2021", "year", "人", "1", "exact", "")))
    assert list(silences(some, catalogue, "employment")["id"]) == ["unemployment_rate"]

"""Many reports -> one table (issue 14): ``figures_tables`` and ``places_tables`` give the rows
of the per-report tables, in order, with the same types, the schema checked once; a bad row
still fails, naming its report."""

from __future__ import annotations

import pandas as pd
import pandera.errors
import pytest

import xining_data as xd
from xining_data.base.frames import frame_of_columns
from xining_data.base.tablecheck import TableCheckError, checked, checked_by_report
from xining_data.extract import figures as figures_module
from xining_data.extract.figures import FIGURES_SCHEMA, figures_table, figures_tables
from xining_data.geo.places import places_table, places_tables
from xining_data.read.report import parse_report

# Own-written reports of several kinds (a city page, a county brief, one without numbers).
TEXTS = {
    "city": "2024年西宁市新增城镇就业1.2万人，增长3.5%，城东区建成3座水厂。",
    "county": "大通县今年完成植树造林12万亩，约有40个村参与。",
    "none": "全市上下齐心协力，推进各项工作。",
    "brief": "湟中区第七小学新增学位500个。",
}


def _reports() -> list:
    return [parse_report(t.encode(), f"{n}.txt", published="2025") for n, t in TEXTS.items()]


def test_the_batch_table_is_the_per_report_tables_one_after_another():
    reports = _reports()
    for batch, single in ((figures_tables, figures_table), (places_tables, places_table)):
        expected = pd.concat([single(r) for r in reports], ignore_index=True)
        got = batch(reports)
        pd.testing.assert_frame_equal(got, expected)
        assert list(dict.fromkeys(got["report"])) == [r for r in TEXTS if r in set(got["report"])]


def test_the_batch_calls_are_public_and_take_paths(tmp_path):
    paths = []
    for name, text in TEXTS.items():
        (path := tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
        paths.append(path)
    got = xd.figures_tables(paths, published="2025")
    pd.testing.assert_frame_equal(got, figures_tables(_reports()))
    assert xd.places_tables(paths).equals(places_tables(paths))


def test_no_reports_give_an_empty_table_with_the_columns():
    assert list(figures_tables([]).columns) == figures_module.COLUMNS
    assert figures_tables([]).empty and places_tables([]).empty


# how one report's rows are broken (each a rule of FIGURES_SCHEMA)
BREAKS = [
    ("kind with a capital", "kind", "Quantity"),
    ("value not a decimal", "value", "1.2万"),
    ("negative start", "start", -1),
    ("unknown qualifier", "qualifier", "roughly"),
    ("empty text", "text", ""),
]


@pytest.mark.parametrize(("name", "column", "value"), BREAKS, ids=[b[0] for b in BREAKS])
@pytest.mark.parametrize("bad", ["county", "brief"])
def test_a_bad_row_in_a_batch_fails_naming_its_report(monkeypatch, name, column, value, bad):
    real = figures_module.figure_rows

    def broken(report):
        rows = real(report)
        if report.id == bad:
            rows[0][column] = value
        return rows

    monkeypatch.setattr(figures_module, "figure_rows", broken)
    with pytest.raises(TableCheckError, match=f"report {bad}:") as caught:
        figures_tables(_reports())
    assert caught.value.reports == [bad]
    assert isinstance(
        caught.value.__cause__, pandera.errors.SchemaError | pandera.errors.SchemaErrors
    )
    with pytest.raises(TableCheckError, match=f"report {bad}:"):  # alone, too
        figures_table(next(r for r in _reports() if r.id == bad))


def test_the_quick_check_reads_the_lists_the_table_was_built_from():
    """Given the lists, the rules read them; the table's dtypes are still checked."""
    good = figures_tables(_reports())
    values = {c: good[c].tolist() for c in good.columns}
    assert checked(FIGURES_SCHEMA, good, values) is good
    as_floats = good.assign(start=good["start"].astype(float))
    with pytest.raises(pandera.errors.SchemaError):
        checked(FIGURES_SCHEMA, as_floats, values)


def test_two_reports_breaking_the_schema_are_both_named():
    rows = figures_tables(_reports())
    bad = rows.copy()
    for report in ("city", "county"):
        first = bad.index[bad["report"] == report][0]
        bad.loc[first, "kind"] = "Bad"
    with pytest.raises(TableCheckError) as caught:
        checked_by_report(FIGURES_SCHEMA, bad)
    assert caught.value.reports == ["city", "county"]
    assert "report city, county:" in str(caught.value)


def test_a_frame_of_columns_keeps_each_kind():
    df = frame_of_columns(
        {"n": [1, 2], "flag": [True, False], "x": [1.5, None], "s": ["a", 3]},
        {"n": "int64", "flag": "bool", "x": "float64"},
    )
    assert [str(t) for t in df.dtypes] == ["int64", "bool", "float64", "str"]
    assert df["s"].tolist() == ["a", "3"] and pd.isna(df["x"][1])

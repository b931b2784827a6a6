"""The quick schema check (issue 14) agrees with pandera: a table pandera accepts passes, and
every bad row it rejects still fails, with pandera's own error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.errors
import pytest

from xining_data.base.tablecheck import checked
from xining_data.extract.figures import FIGURES_SCHEMA, figures_table
from xining_data.read.report import parse_report

TEXT = "2024年全市新增就业1.2万人，增长3.5%，约有40个村。"


SCHEMA_ERRORS = (pandera.errors.SchemaError, pandera.errors.SchemaErrors)


def good() -> pd.DataFrame:
    return figures_table(parse_report(TEXT.encode(), "t.txt", published="2025"), validate=False)


def _set(column, value, row=1):
    def change(df):
        df = df.copy()
        values = df[column].tolist()
        values[row] = value
        df[column] = pd.array(values, dtype=df[column].dtype)
        return df

    return change


# name, how the good table is broken (each one pandera rejects too)
BROKEN = [
    ("negative start", _set("start", -1)),
    ("end before start", _set("end", 0)),
    ("empty text", _set("text", "")),
    ("kind with a capital", _set("kind", "Quantity")),
    ("value not a decimal", _set("value", "1.2万")),
    ("unknown qualifier", _set("qualifier", "roughly")),
    ("impossible date shape", _set("date", "2025-1")),
    ("date kind without a date", _set("date", "", row=0)),
    ("unknown modality", _set("modality", "hope")),
    ("measure too long", _set("measure", "长" * 500)),
    ("missing column", lambda df: df.drop(columns=["unit"])),
    ("columns out of order", lambda df: df[[df.columns[1], df.columns[0], *df.columns[2:]]]),
    ("float offsets", lambda df: df.assign(start=df["start"].astype(float))),
    ("null text", lambda df: df.assign(text=df["text"].where(df.index != 1, np.nan))),
]


def test_a_good_table_passes_unchanged():
    df = good()
    assert len(df) >= 3
    assert checked(FIGURES_SCHEMA, df) is df
    FIGURES_SCHEMA.validate(df)  # pandera agrees


def test_an_empty_table_passes():
    df = good().iloc[0:0]
    checked(FIGURES_SCHEMA, df)


@pytest.mark.parametrize(("name", "breaking"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_bad_row_fails_as_loudly_as_pandera(name, breaking):
    bad = breaking(good())
    with pytest.raises(SCHEMA_ERRORS):
        FIGURES_SCHEMA.validate(bad)
    with pytest.raises(SCHEMA_ERRORS):
        checked(FIGURES_SCHEMA, bad)


def test_extra_columns_after_the_schema_are_allowed():
    df = good().assign(page=1)
    assert checked(FIGURES_SCHEMA, df) is df


def test_the_recorded_schema_is_the_pandera_schema_it_builds():
    """The quick check reads the recorded calls; pandera judges with the schema built from them."""
    real = FIGURES_SCHEMA.pandera
    assert list(real.columns) == list(FIGURES_SCHEMA.columns)
    assert (real.ordered, real.strict) == (FIGURES_SCHEMA.ordered, FIGURES_SCHEMA.strict)
    for name, col in FIGURES_SCHEMA.columns.items():
        assert str(real.columns[name].dtype) == col.dtype, name
        made = [(c.name, c.statistics) for c in real.columns[name].checks]
        assert made == [(c.name, c.statistics) for c in col.checks], name
    assert [c.error for c in real.checks] == [c.error for c in FIGURES_SCHEMA.checks]


def _columns_of_good() -> dict[str, list]:
    df = good()
    return {name: df[name].tolist() for name in df.columns}


@pytest.mark.parametrize("bad", [None, float("nan"), 3, b"x"], ids=["None", "nan", "int", "bytes"])
def test_a_list_value_the_rules_cannot_vouch_for_goes_to_pandera(bad):
    """The rules read the lists a table was built from (issue 14): a value of another type
    in them leaves the verdict to pandera, on the table itself."""
    df, values = good(), _columns_of_good()
    values["measure"][1] = bad
    assert checked(FIGURES_SCHEMA, df, values) is not None  # the table itself is good
    broken = _set("kind", "Quantity")(df)
    values["kind"] = broken["kind"].tolist()
    with pytest.raises(SCHEMA_ERRORS):
        checked(FIGURES_SCHEMA, broken, values)


def test_the_rules_read_each_distinct_value():
    """Many rows of a few values (the batch table's kind, qualifier, report) still fail on
    the one bad value among them."""
    df = pd.concat([good()] * 50, ignore_index=True)
    values = {name: df[name].tolist() for name in df.columns}
    assert checked(FIGURES_SCHEMA, df, values) is df
    bad = _set("value", "1.2万", row=77)(df)
    values["value"] = bad["value"].tolist()
    with pytest.raises(SCHEMA_ERRORS):
        checked(FIGURES_SCHEMA, bad, values)

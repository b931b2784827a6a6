"""CSV formula injection: free-text cells neutralised in every CSV the project writes."""

from __future__ import annotations

import base64
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from xining_data.base.spreadsheet import (  # noqa: E402
    ESCAPE,
    FORMULA_STARTS,
    escape_cell,
    for_spreadsheet,
    reads_as_formula,
    verbatim_columns,
)
from xining_data.publish import kit  # noqa: E402
from xining_data.read.report import read_report  # noqa: E402
from xining_data.stories.story import Story  # noqa: E402

# a cell, what the CSV holds (OWASP: a leading = + - @ tab or CR is a formula; numbers are not)
CELLS = [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    ("+1+1", "'+1+1"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("-3", "-3"),  # a plain number stays a number
    ("+5.1", "+5.1"),
    ("-1e3", "-1e3"),
    ("-3℃", "'-3℃"),  # in a free-text column: text, escaped
    ("西宁=1", "西宁=1"),  # not at the start
    ("'=already", "'=already"),
    ("", ""),
    (None, None),
    (67, 67),
]


@pytest.mark.parametrize(("cell", "expected"), CELLS)
def test_a_cell_a_spreadsheet_would_run_gets_a_quote(cell, expected):
    assert escape_cell(cell) == expected


def test_the_verbatim_columns_are_the_figures_contract():
    assert {"text", "value", "value_min", "value_max", "start", "end"} <= verbatim_columns()
    assert {"sentence", "article_title", "title", "subject", "reporter"}.isdisjoint(
        verbatim_columns()
    )


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# Cells without line breaks inside (a bare CR is not quoted by the CSV writer: another matter).
_text = st.text(
    st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=12
)
cells = st.one_of(
    _text,
    st.builds(lambda s, t: s + t, st.sampled_from([c for c in FORMULA_STARTS if c != "\r"]), _text),
    st.from_regex(r"[+-]?\d{1,4}(\.\d{1,2})?", fullmatch=True),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(cells, cells, cells), min_size=1, max_size=6))
def test_no_free_text_cell_reads_as_a_formula_and_verbatim_cells_are_unchanged(rows):
    df = pd.DataFrame(rows, columns=["sentence", "text", "value"])
    escaped = for_spreadsheet(df)
    assert df.equals(pd.DataFrame(rows, columns=["sentence", "text", "value"]))  # a copy
    for (sentence, text, value), row in zip(rows, escaped.itertuples(), strict=True):
        assert not reads_as_formula(row.sentence)
        assert row.sentence == (ESCAPE + sentence if reads_as_formula(sentence) else sentence)
        assert (row.text, row.value) == (text, value)
    written = [tuple(r.values()) for r in _rows(escaped.to_csv(index=False, lineterminator="\n"))]
    assert written == list(escaped.itertuples(index=False, name=None))


HOSTILE = "=cmd|' /C calc'!A0\n\n@SUM(1+1)全市共有67家社区，气温-3℃。\n\n(记者 张三)\n"


@pytest.fixture
def hostile(tmp_path) -> Path:
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, "utf-8")
    return path


def _cli(*args: str) -> str:
    command = [sys.executable, "-m", "xining_data", *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(("command", "free_text"), [
    ("figures", ["article_title", "sentence", "subject", "measure"]),
    ("articles", ["title", "reporter"]),
    ("places", ["name"]),
])  # fmt: skip
def test_cli_csv_escapes_titles_and_sentences_and_keeps_the_contract(hostile, command, free_text):
    rows = _rows(_cli(command, str(hostile), "--format", "csv"))
    raw = read_report(hostile).text
    for row in rows:
        assert not any(reads_as_formula(row.get(c) or "") for c in free_text), row
        if "text" in row and row.get("start") and command != "articles":
            assert raw[int(row["start"]) : int(row["end"])] == row["text"]
    if command == "figures":
        assert rows[0]["article_title"] == "'=cmd|' /C calc'!A0"
        [cold] = [r for r in rows if r["kind"] == "temperature"]
        assert (cold["text"], cold["value"]) == ("-3℃", "-3")  # still a number
    json_rows = _cli(command, str(hostile), "--format", "json")
    assert "'=cmd" not in json_rows  # JSON is not a spreadsheet format: nothing escaped


def test_the_ledger_csv_escapes_its_free_text(hostile):
    from xining_data.corpus.tables import figures_with_places

    figures = figures_with_places(read_report(hostile))
    story = Story(figures, language="en")
    for _, row in figures[figures["value"].fillna("") != ""].iterrows():
        story.num(row)
    html = story.ledger_html()
    data = re.search(r'href="data:text/csv;base64,([^"]+)"', html).group(1)
    rows = _rows(base64.b64decode(data).decode("utf-8-sig"))
    assert rows and all(r["article_title"] == "'=cmd|' /C calc'!A0" for r in rows)
    assert all(not reads_as_formula(r["sentence"]) for r in rows)
    assert {"-3℃"} <= {r["text"] for r in rows} and {"-3"} <= {r["value"] for r in rows}


def test_the_kit_csv_escapes_labels_and_keeps_numbers(tmp_path):
    data = pd.DataFrame({"label": ['=HYPERLINK("x")', "Xining"], "change": [-3, 5]})
    fig, ax = plt.subplots()
    ax.bar(data["label"], data["change"])
    chart = kit.ChartSpec(theme="community", slug="evil", title="t", source="s", credit="c",
                          alt="a")  # fmt: skip
    sources = [{"report": "r", "start": 1, "end": 3}, {"report": "r", "start": 7, "end": 9}]
    kit.save_chart(fig, data, chart, tmp_path, sources=sources)
    plt.close(fig)
    rows = _rows((tmp_path / "community" / "evil.csv").read_text("utf-8"))
    source = {"unit": "", "report": "r", "end": "3"}
    assert rows == [
        {"label": '\'=HYPERLINK("x")', "change": "-3", **source, "start": "1"},
        {"label": "Xining", "change": "5", **source, "start": "7", "end": "9"},
    ]
    assert kit.check_kit(tmp_path) == []

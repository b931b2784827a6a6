"""Corrections: a reporter's cited fix of a misread figure in ``corrections.csv``, applied by
the CLI and the build, accepted by ``verify`` and shown in a story's ledger."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from xining_data.base.errors import ReportError
from xining_data.cli import main
from xining_data.corpus.build import ERRORS, BuildOptions, build
from xining_data.corpus.corrections import CORRECTION_COLUMNS, read_corrections
from xining_data.stories.story import Story
from xining_data.verify import ledger_rows, verify

FIXTURE = Path(__file__).parent / "fixtures" / "corpus"
BRIEF = "04_news_brief_2024.txt"  # 全市城镇新增就业3.28万人 at 54-60 (the disagreeing report)
OTHER = "03_press_conference_2024.txt"
FIELDS = ["report", "start", "end", "text", "value", "unit", "qualifier", "reason", "source",
          "who", "date"]  # fmt: skip
FIX = {"report": BRIEF, "start": "54", "end": "60", "text": "3.28万人", "value": "33500",
       "unit": "", "qualifier": "", "reason": "the brief misprints the total",
       "source": "西宁市2023年国民经济和社会发展统计公报", "who": "Li Hua",
       "date": "2026-11-30"}  # fmt: skip


def _write(folder: Path, *rows: dict[str, str]) -> None:
    with open(folder / "corrections.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, FIELDS)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def reports(tmp_path) -> Path:
    """Two reports of the test corpus, copied (the fixture files are never edited)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in (BRIEF, OTHER):
        shutil.copy(FIXTURE / name, folder / name)
    return folder


def _cli_figures(path: Path, out: Path) -> pd.DataFrame:
    assert main(["figures", str(path), "--format", "csv", "--output", str(out)]) == 0
    return pd.read_csv(out, dtype=str, keep_default_na=False)


def _at(df: pd.DataFrame, start: int) -> pd.Series:
    return df[df["start"].astype(int) == start].iloc[0]


# --- the table ------------------------------------------------------------------------------

# a row changed from FIX, words of the refusal
BAD_ROWS = [
    pytest.param({"value": "三万"}, "row 2: value '三万' is not a number", id="value"),
    pytest.param({"start": "x"}, "row 2: start and end must be whole numbers", id="offsets"),
    pytest.param({"end": "54"}, "row 2: offsets 54-54 are not a span", id="empty-span"),
    pytest.param({"reason": ""}, "row 2: empty reason", id="no-reason"),
    pytest.param({"source": "", "who": ""}, "row 2: empty source, who", id="uncited"),
    pytest.param({"qualifier": "roughly"}, "qualifier 'roughly' is not one of", id="qualifier"),
    pytest.param({"date": "30.11.2026"}, "date '30.11.2026' is not YYYY-MM-DD", id="date"),
    pytest.param({"report": "nope.txt"}, "no report file 'nope.txt'", id="no-file"),
]


@pytest.mark.parametrize(("change", "words"), BAD_ROWS)
def test_a_malformed_row_is_refused_naming_the_row(reports, change, words):
    _write(reports, {**FIX, **change})
    with pytest.raises(ReportError, match="corrections.csv") as caught:
        read_corrections(reports)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_two_rows_for_one_figure_are_refused(reports):
    _write(reports, FIX, {**FIX, "value": "33600"})
    with pytest.raises(ReportError, match="row 3 .*same figure as row 2"):
        read_corrections(reports)


def test_no_table_no_corrections(reports):
    assert read_corrections(reports) == {}


# --- the CLI --------------------------------------------------------------------------------


def test_the_cli_applies_the_folders_corrections(reports, tmp_path):
    before = _cli_figures(reports / BRIEF, tmp_path / "before.csv")
    _write(reports, FIX)
    after = _cli_figures(reports / BRIEF, tmp_path / "after.csv")
    # columns are only added at the end; every other figure is unchanged
    assert list(after.columns[-len(CORRECTION_COLUMNS) :]) == CORRECTION_COLUMNS
    assert list(after.columns) == list(before.columns)
    row = _at(after, 54)
    assert (row["text"], row["end"], row["value"], row["value_min"], row["value_max"]) == (
        "3.28万人", "60", "33500", "33500", "33500"
    )  # fmt: skip
    assert (row["corrected"], row["value_as_read"], row["correction_by"]) == (
        "True",
        "32800",
        "Li Hua",
    )
    assert row["correction_source"] == FIX["source"]
    others = after["start"].astype(int) != 54
    assert (after.loc[others, "corrected"] == "False").all()
    shared = list(before.columns[: -len(CORRECTION_COLUMNS)])
    assert after.loc[others, shared].equals(before.loc[others, shared])
    # a folder argument reads the same table
    folder = _cli_figures(reports, tmp_path / "folder.csv")
    assert _at(folder[folder["report"] == "04_news_brief_2024"], 54)["value"] == "33500"


def test_a_qualifier_and_unit_can_be_corrected(reports, tmp_path):
    _write(reports, {**FIX, "value": "3.3", "unit": "万人", "qualifier": "more_than"})
    row = _at(_cli_figures(reports / BRIEF, tmp_path / "f.csv"), 54)
    assert (row["value"], row["unit"], row["qualifier"]) == ("3.3", "万人", "more_than")
    assert (row["value_min"], row["value_max"]) == ("3.3", "")  # 3.3万人以上: a lower bound


# a row changed from FIX, words of the one-line error
STALE = [
    pytest.param({"text": "3.29万人"}, "stale correction: the report reads '3.28万人'", id="stale"),
    pytest.param(
        {"start": "55", "text": ".28万人"}, "no figure '.28万人' at these offsets", id="no-figure"
    ),  # fmt: skip
    pytest.param({"start": "40", "end": "45", "text": "2023年"}, "is a date", id="date"),
]


@pytest.mark.parametrize(("change", "words"), STALE)
def test_the_cli_refuses_a_row_that_fixes_no_figure(reports, tmp_path, capsys, change, words):
    _write(reports, {**FIX, **change})
    out = tmp_path / "f.csv"
    assert main(["figures", str(reports / BRIEF), "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "corrections.csv: row 2" in err and words in err
    assert not out.exists()


# --- the build, verify and the ledger -------------------------------------------------------


def _build(reports: Path, out: Path):
    return build(reports, out, BuildOptions(scheduler="sync", progress=False))


def test_the_build_applies_a_correction_and_a_changed_row_rebuilds(reports, tmp_path):
    out = tmp_path / "data"
    first = _build(reports, out)
    assert first.processed == 2 and not first.failed
    as_read = pd.read_parquet(out / "figures.parquet")
    assert not as_read["corrected"].any()
    _write(reports, FIX)
    second = _build(reports, out)
    assert second.processed == 1 and not second.failed  # only the corrected report
    row = _at(pd.read_parquet(out / "figures.parquet").query("report == '04_news_brief_2024'"), 54)
    assert bool(row["corrected"]) and (row["value"], row["value_as_read"]) == ("33500", "32800")
    assert verify(out, tmp_path / "no-site").ok
    _write(reports, {**FIX, "value": "33600"})
    third = _build(reports, out)
    assert third.processed == 1
    assert _at(pd.read_parquet(out / "figures.parquet"), 54)["value"] == "33600"
    assert _build(reports, out).up_to_date
    result = verify(out, tmp_path / "no-site")
    assert result.ok, result.failures


@pytest.mark.parametrize(("change", "words"), STALE[:2])
def test_a_row_that_fixes_no_figure_goes_to_the_errors_table(reports, tmp_path, change, words):
    _write(reports, {**FIX, **change})
    result = _build(reports, tmp_path / "data")
    assert result.failed == 1
    errors = pd.read_parquet(tmp_path / "data" / ERRORS)
    assert list(errors["path"].map(lambda p: Path(p).name)) == [BRIEF]
    assert (
        "corrections.csv: row 2" in errors["reason"].iloc[0] and words in errors["reason"].iloc[0]
    )


def test_a_malformed_table_stops_the_build(reports, tmp_path):
    _write(reports, {**FIX, "value": "n/a"})
    assert main(["build", str(reports), "--out", str(tmp_path / "data")]) == 2


def test_verify_catches_a_correction_changed_after_the_build(reports, tmp_path):
    _write(reports, FIX)
    _build(reports, tmp_path / "data")
    _write(reports, {**FIX, "reason": "another reason"})
    result = verify(tmp_path / "data", tmp_path / "no-site")
    assert any("changed since the build" in f for f in result.failures)


# words a corrected figure's ledger entry says, per edition
LEDGER_NOTES = {
    "zh": "已更正（原读作 32800）：the brief misprints the total（西宁市2023年国民经济和社会发展统计公报，Li Hua）",
    "en": "corrected (read as 32800): the brief misprints the total (西宁市2023年国民经济和社会发展统计公报, Li Hua)",
}  # fmt: skip


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_ledger_shows_a_corrected_figure_and_verify_passes(reports, tmp_path, language):
    _write(reports, FIX)
    out = tmp_path / "data"
    _build(reports, out)
    figures = pd.read_parquet(out / "figures.parquet")
    articles = pd.read_parquet(out / "articles.parquet")
    s = Story(figures, articles, language=language)
    brief = figures[figures["report"] == "04_news_brief_2024"]
    s.cite(_at(brief, 54))
    s.cite(_at(brief, 68))  # 2.4%: not corrected
    assert list(s.ledger_table()["reliability"]) == [LEDGER_NOTES[language], ""]
    site = tmp_path / "site"
    site.mkdir()
    html = f"<html><body><p>story</p>{s.ledger_html()}</body></html>"
    (site / f"story.{language}.html").write_text(html, encoding="utf-8")
    entry = ledger_rows(html)[0]
    assert entry["value"] == "33500" and entry["reliability"] == LEDGER_NOTES[language]
    result = verify(out, site)
    assert result.ok, result.failures
    assert result.checked["ledger entries"] == 2

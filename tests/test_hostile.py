"""Hostile input (issue 15): numerals of any length, impossible dates, foreign encodings,
odd file names and links. Whatever comes in, the library raises ReportError or nothing, and
every offset still indexes the raw text."""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_numerals import written

from xining_data.base.errors import ReportError
from xining_data.cli import main
from xining_data.corpus.build import ERRORS, BuildOptions, build, build_parser, report_tables
from xining_data.corpus.limits import ReportLimits
from xining_data.extract.figures import figures_table, unclassified
from xining_data.read.report import decode, parse_report, read_report

SYNC = BuildOptions(scheduler="sync", progress=False)


def report_of(text: str, published: str | None = "2025"):
    return parse_report(text.encode("utf-8"), "hostile.txt", published=published)


# --- numerals in running text ---------------------------------------------------------------

# text, the figure's text and value ("" when no figure), the unclassified reason ("" when none)
NUMERAL_TEXTS = [
    ("共有" + "万" * 1000 + "人。", "", "",
     "malformed numeral: numeral too long: 1000 characters (at most 100)"),
    ("共有" + "一" * 5000 + "点五万人。", "", "",
     "malformed numeral: numeral too long: 5003 characters (at most 100)"),
    ("共有一万一万人。", "", "",
     "malformed numeral: abbreviated digit before another unit in '一万一万'"),
    ("共有一亿一亿人。", "", "",
     "malformed numeral: abbreviated digit before another unit in '一亿一亿'"),
    ("共有1234567890123456789012345678901人。", "", "",
     "malformed numeral: numeral too long: more than 28 significant digits"),
    ("共有1234567890123456789012345678人。", "1234567890123456789012345678人",
     "1234567890123456789012345678", ""),
    ("全市共有一家。", "一家", "1", ""),
    ("全市共有一人。", "一人", "1", ""),
    ("这是一个好办法。", "", "", ""),  # the article stays no figure
]  # fmt: skip


@pytest.mark.parametrize(("text", "figure", "value", "reason"), NUMERAL_TEXTS)
def test_numerals_in_text(text, figure, value, reason):
    report = report_of(text)
    figs, skipped = figures_table(report), unclassified(report)
    assert list(figs["text"]) == ([figure] if figure else [])
    assert list(figs["value"]) == ([value] if value else [])
    reasons = list(skipped.loc[skipped["status"] == "unclassified", "reason"])
    assert reasons == ([reason] if reason else [])


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=10**40))
def test_written_numeral_in_a_sentence_is_exact_or_unclassified(n):
    numeral = written(n)
    report = report_of(f"全市共有{numeral}人。")
    figs = figures_table(report)
    if len(str(n).rstrip("0")) <= 28:
        assert list(figs["value"]) == [str(n)]
    else:
        assert figs.empty
        assert list(unclassified(report)["text"]) == [numeral]


HOSTILE_ALPHABET = st.sampled_from(
    list("一二两三四五六七八九十百千万亿零〇点廿.,-%0123456789０１２年月日共有人家元亿万，。、")
    + ["\n", "增长", "同比", "2025年", "第", "《", "》", "西宁市", "城东区", "—", "约", "余"]
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HOSTILE_ALPHABET, min_size=1, max_size=60).map("".join))
def test_any_text_gives_tables_whose_offsets_index_it(text):
    try:
        report = report_of(text)
        figs, skipped = figures_table(report), unclassified(report)
    except ReportError:
        return
    for frame in (figs, skipped):
        for start, end, piece in zip(frame["start"], frame["end"], frame["text"], strict=True):
            assert report.text[start:end] == piece


# --- dates ----------------------------------------------------------------------------------

IMPOSSIBLE_DATES = ["9999-99-99", "0000", "2025-02-30", "2025-13-45", "2025-00", "２０２５", "٢٠٢٥"]


@pytest.mark.parametrize("date", IMPOSSIBLE_DATES)
def test_impossible_header_date_is_a_report_error(date):
    data = f"---\npublished: {date}\n---\n全市共有一家。\n".encode()
    with pytest.raises(ReportError, match="header date"):
        parse_report(data, "a.txt")


@pytest.mark.parametrize("date", IMPOSSIBLE_DATES)
def test_impossible_published_argument_is_one_line_exit_2(date, tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("全市共有一家。\n", encoding="utf-8")
    assert main(["figures", str(path), "--published", date, "--format", "csv"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and "--published" in err


@pytest.mark.parametrize("date", ["2024-02-29", "2025", "2025-12", "0001-01-01"])
def test_real_dates_are_read(date):
    assert report_of("全市共有一家。", published=date).meta.published == date


# --- encodings, names, links, headers --------------------------------------------------------

JAPANESE = "東京都の人口は約千四百万人です。新しい計画では、住宅を三千戸建設する予定です。"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (JAPANESE.encode("shift_jis"), "Japanese"),
        (("西宁市共有一家医院。" * 5 + "\ue000\ue001").encode("gb18030"), "private-use"),
    ],
    ids=["shift_jis", "private_use"],
)
def test_text_that_is_not_chinese_is_refused(data, words):
    with pytest.raises(ReportError, match=words):
        decode(data, "a.txt")


def test_chinese_in_gb18030_is_still_read():
    assert decode("西宁市共有一家医院，城东区两家。".encode("gb18030")) == (
        "西宁市共有一家医院，城东区两家。",
        "gb18030",
    )


@pytest.mark.parametrize("name", ["a\x00b.txt", "a\nb.txt", "a\rb\tc.txt"])
def test_odd_file_names_give_a_one_line_report_error(name):
    with pytest.raises(ReportError) as info:
        read_report(name)
    assert len(str(info.value).splitlines()) == 1


def test_header_that_never_closes_is_warned_about():
    with pytest.warns(UserWarning, match="never closes"):
        report = parse_report("---\npublished: 2025\n全市共有一家。\n".encode(), "a.txt")
    assert report.text.startswith("---")


def test_closed_header_gives_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parse_report("---\npublished: 2025\n---\n全市共有一家。\n".encode(), "a.txt")


@pytest.fixture
def linked_corpus(tmp_path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "good.txt").write_text("全市共有一家医院。\n", encoding="utf-8")
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    return folder


def test_broken_links_are_build_errors(linked_corpus, tmp_path):
    result = build(linked_corpus, tmp_path / "out", SYNC)
    errors = pd.read_parquet(tmp_path / "out" / ERRORS)
    assert sorted(Path(p).name for p in errors["path"]) == ["dangling.txt", "loop.txt"]
    assert all(reason.startswith("cannot read") for reason in errors["reason"])
    assert result.failed == 2


def test_broken_link_fails_the_cli(linked_corpus, capsys):
    assert main(["figures", str(linked_corpus), "--format", "csv"]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1


# --- per-report limits in the build ----------------------------------------------------------

ONE_LINE = "城东区人民医院新建西宁市第一水厂该区共有三家医院该县大堡子镇"  # no sentence end


def _long_reports(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "good.txt").write_text("全市共有一家医院。\n", encoding="utf-8")
    (folder / "long.txt").write_text(text, encoding="utf-8")
    return folder


def _only_long_failed(out: Path, reason: str, kind: str) -> None:
    errors = pd.read_parquet(out / ERRORS)
    assert [Path(p).name for p in errors["path"]] == ["long.txt"]
    assert reason in errors["reason"].iloc[0] and errors["error"].iloc[0] == kind
    assert list(pd.read_parquet(out / "reports.parquet")["report"]) == ["good"]


def test_overlong_report_is_an_error_row(tmp_path):
    """A report past the time limit is an error row; the others are built. The long report
    takes many times the limit (the alarm ends it, so its length costs nothing), and memory is
    not limited here: on a loaded machine only the limit under test may fire."""
    report_tables(report_of("全市共有一家医院。"))  # vocabularies and gazetteer loaded first
    folder = _long_reports(tmp_path, ONE_LINE * 30_000)
    limits = ReportLimits(seconds=0.5, memory=0)
    result = build(folder, tmp_path / "out", replace(SYNC, limits=limits))
    assert result.failed == 1
    _only_long_failed(tmp_path / "out", "time limit of 0.5 s", "LimitExceeded")


def test_a_swallowed_time_alarm_rings_again():
    """An alarm raised where Python only prints it (a weakref or ``__del__`` callback) must
    not let the report run on: the alarm repeats until its exception reaches the body."""
    import signal
    import time

    from xining_data.corpus.limits import LimitExceeded, limited

    swallowed = []
    with pytest.raises(LimitExceeded), limited(ReportLimits(seconds=0.05, memory=0)):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                time.sleep(0.005)
            except LimitExceeded as exc:
                if swallowed:
                    raise
                swallowed.append(exc)  # as a callback would: printed, not raised
    assert len(swallowed) == 1
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # nothing rings afterwards


def test_a_report_past_the_memory_limit_is_an_error_row(tmp_path):
    """The memory limit caps the whole process that builds, so the test builds in a process of
    its own (capped inside pytest, pytest's own threads would meet the cap too)."""
    import subprocess
    import sys

    folder = _long_reports(tmp_path, "全市共有一家医院。" * 300_000)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "xining_data", "build", str(folder), "--out", str(out),
               "--scheduler", "sync", "--report-memory", "20"]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert run.returncode == 1, run.stderr
    _only_long_failed(out, "memory limit of 20 MB", "MemoryError")


def test_limits_are_build_flags():
    args = build_parser().parse_args(["--report-seconds", "5", "--report-memory", "256"])
    assert (args.report_seconds, args.report_memory) == (5, 256)
    assert BuildOptions().limits == ReportLimits(60, 2**30)

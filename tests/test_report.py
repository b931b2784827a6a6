"""Reading reports: encodings, the metadata header, and bad input."""

from __future__ import annotations

import codecs
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xining_data import ReportError, decode, normalize, read_report
from xining_data.base.paths import RAW_DIR

SEED = RAW_DIR / "000_4f7dffbbf6220809.txt"
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk"]
chinese_text = st.text(
    alphabet=st.sampled_from(list("西宁市记者年月日万元，。！“”（）0123456789 \nabc、")),
    min_size=1,
    max_size=200,
).filter(lambda s: s.strip())


def test_seed_body_is_unchanged_after_header(shared_seed_text):
    report = read_report(SEED)
    assert report.text == shared_seed_text
    assert report.meta.published == "2025" and report.meta.published_inferred
    assert report.meta.reference_date == dt.date(2025, 1, 1)
    assert report.meta.published_precision == "year"


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_reencoded_seed_reads_identically(tmp_path, encoding, shared_seed_text):
    path = tmp_path / f"seed-{encoding}.txt"
    path.write_bytes(shared_seed_text.encode(encoding))
    assert read_report(path).text == shared_seed_text


@given(text=chinese_text, encoding=st.sampled_from(ENCODINGS))
def test_decode_round_trips(text, encoding):
    if encoding in ("utf-16-le", "utf-16-be"):
        text += "\n"  # without a BOM, UTF-16 is recognised by the zero bytes of ASCII
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert decode(text.encode(encoding))[0] == expected


def test_crlf_is_read_as_text_mode_reads_it(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("标题\r\n\r\n正文。\r\n".encode())
    assert read_report(path).text == "标题\n\n正文。\n"


def test_published_option_overrides_header():
    report = read_report(SEED, published="2025-01-02")
    assert report.meta.published == "2025-01-02" and not report.meta.published_inferred
    assert report.meta.published_precision == "day"


def test_plain_file_without_header_has_unknown_metadata(tmp_path, shared_seed_text):
    path = tmp_path / "plain.txt"
    path.write_text(shared_seed_text, encoding="utf-8")
    report = read_report(path)
    assert report.meta.published == "" and report.meta.reference_date is None


@given(st.text(max_size=50))
def test_normalize_keeps_length(text):
    assert len(normalize(text)) == len(text)


def test_normalize_fullwidth():
    assert normalize("１０．８５万元，ＡＩ") == "10.85万元,AI"


BAD_INPUT = [
    pytest.param(b"", "empty", id="empty"),
    pytest.param(b"  \n\t\n", "empty", id="whitespace"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", id="png"),
    pytest.param(bytes([0x80, 0xFF, 0x81]) * 5, "undecodable", id="bad-bytes"),
    pytest.param(b"---\nsource: x\n---\n\n", "empty", id="header-only"),
    pytest.param("---\npublished: 去年\n---\n正文。".encode(), "date", id="bad-header-date"),
]


@pytest.mark.parametrize(("data", "problem"), BAD_INPUT)
def test_bad_input_names_file_and_problem(tmp_path, data, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(ReportError) as err:
        read_report(path)
    message = str(err.value)
    assert str(path) in message and problem in message and "\n" not in message


def test_missing_file(tmp_path):
    with pytest.raises(ReportError, match="no such file"):
        read_report(tmp_path / "nope.txt")


def test_bom_is_not_text():
    assert decode(codecs.BOM_UTF8 + "西宁".encode())[0] == "西宁"


@pytest.fixture
def load_calls():
    """Count every call of ``read.report.load``, under whatever name a module imported it."""
    import sys
    from contextlib import ExitStack
    from unittest import mock

    import xining_data.corpus.tables  # noqa: F401  (import every module that may call load)
    import xining_data.extract.figures  # noqa: F401
    import xining_data.geo.places  # noqa: F401
    from xining_data.read import report as report_module

    spy = mock.Mock(wraps=report_module.load)
    importers = [
        m
        for name, m in list(sys.modules.items())
        if name.startswith("xining_data") and getattr(m, "load", None) is report_module.load
    ]
    with ExitStack() as stack:
        for module in importers:
            stack.enter_context(mock.patch.object(module, "load", spy))
        yield spy


@pytest.mark.parametrize(
    "entry",
    ["figures_with_places", "figures_table", "places_table", "articles_table", "articles"],
)
@pytest.mark.parametrize("source", ["path", "report"])
def test_public_entry_loads_the_report_once(load_calls, entry, source):
    """Each public table function normalises ``Report | str`` once; the steps take a Report
    (figures_with_places used to run ``load`` nine times: once per table function)."""
    import xining_data

    report = SEED if source == "path" else read_report(SEED)
    getattr(xining_data, entry)(report)
    assert load_calls.call_count == 1

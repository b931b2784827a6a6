"""Numeral tokens to exact decimals: a case table, and round trips through a well-kept writer."""

from __future__ import annotations

import csv
import re
from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xining_data.extract.numerals import NumeralError, ascii_digits, parse, parse_range, plain

from conftest import CASES_DIR


def _cases(kind: str) -> list:
    with open(CASES_DIR / "numerals.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    pick = {
        "value": lambda r: r["value"] not in ("error",) and ".." not in r["value"],
        "error": lambda r: r["value"] == "error",
        "range": lambda r: ".." in r["value"],
    }[kind]
    return [pytest.param(r, id=r["id"]) for r in rows if pick(r)]


@pytest.mark.parametrize("case", _cases("value"))
def test_numeral_value(case):
    assert parse(case["token"]) == Decimal(case["value"])


@pytest.mark.parametrize("case", _cases("error"))
def test_malformed_numeral_is_an_error(case):
    """The error says what is wrong (the unclassified table carries it as the reason)."""
    with pytest.raises(NumeralError, match=re.escape(case["reason"])):
        parse(case["token"])


@pytest.mark.parametrize("case", _cases("range"))
def test_approximate_pair(case):
    lo, hi = case["value"].split("..")
    assert parse_range(case["token"]) == (Decimal(lo), Decimal(hi))


def test_numeral_error_is_a_value_error():
    assert issubclass(NumeralError, ValueError)


def test_exact_not_float():
    assert parse("16.4亿") == Decimal("1640000000")
    assert plain(parse("16.4亿")) == "1640000000"


@pytest.mark.parametrize(
    ("value", "text"),
    [("108500.00", "108500"), ("76.580", "76.58"), ("1.2E+12", "1200000000000"), ("0.0", "0")],
)
def test_plain_has_no_exponent_or_trailing_zeros(value, text):
    assert plain(Decimal(value)) == text


def test_ascii_digits_keeps_length():
    text = "新增就业１２５００人，增长５．２％"
    assert len(ascii_digits(text)) == len(text)
    assert "12500" in ascii_digits(text) and "5.2" in ascii_digits(text)


# ------------------------------------------------------------------ properties

CN_DIGIT = "零一二三四五六七八九"


def colloquial(n: int) -> tuple[str, int]:
    """Our own writer for abbreviated forms: 两千六 (2600), 三万五 (35000), 一百二 (120)."""
    units = [(100, "百"), (1000, "千"), (10**4, "万"), (10**8, "亿")]
    big, name = units[n % len(units)]
    a, b = n % 9 + 1, (n // 9) % 9 + 1
    lead = "两" if a == 2 else CN_DIGIT[a]
    return f"{lead}{name}{CN_DIGIT[b]}", a * big + b * big // 10


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=10**13), st.sampled_from(["low", "up"]))
def test_integers_written_by_cn2an_parse_back(n, mode):
    assert parse(cn2an.an2cn(str(n), mode)) == n


@settings(max_examples=150, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10**8, places=3, allow_nan=False, allow_infinity=False),
    st.sampled_from(["low", "up"]),
)
def test_decimals_written_by_cn2an_parse_back(d, mode):
    assert parse(cn2an.an2cn(format(d, "f"), mode)) == d


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_colloquial_abbreviations_parse_back(n):
    text, value = colloquial(n)
    assert parse(text) == value


@settings(max_examples=100, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([("万", 10**4), ("亿", 10**8), ("万亿", 10**12), ("千万", 10**7)]),
)
def test_arabic_with_multiplier_is_exact(d, unit):
    word, scale = unit
    assert parse(format(d, "f") + word) == d * scale


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_fullwidth_and_grouped_digits(n):
    fullwidth = str(n).translate({0x30 + i: 0xFF10 + i for i in range(10)})
    assert parse(fullwidth) == n
    assert parse(f"{n:,}") == n


# ------------------------------------------------------------------ any length (issue 15)

SECTION_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def section(n: int) -> str:
    """Below 10000, in full: 一千零五, 三百二十."""
    out, zero = "", False
    for unit, name in SECTION_UNITS:
        digit, n = divmod(n, unit)
        if digit:
            out += ("零" if zero else "") + CN_DIGIT[digit] + name
            zero = False
        elif out:
            zero = True
    return out + ("零" if zero and n else "") + (CN_DIGIT[n] if n else "")


def written(n: int) -> str:
    """Any integer in full, 亿 multiplying what precedes it (一万二千亿, 一亿亿零五)."""
    if n < 10**4:
        return section(n) or "零"
    big, name = (10**8, "亿") if n >= 10**8 else (10**4, "万")
    high, low = divmod(n, big)
    gap = "零" if 0 < low < big // 10 else ""
    return written(high) + name + gap + (written(low) if low else "")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**40))
def test_integers_of_any_length_are_exact_or_refused(n):
    """Read exactly up to 28 significant digits; beyond, refused with a reason, never rounded."""
    text = written(n)
    if len(str(n).rstrip("0")) <= 28:
        assert parse(text) == n
    else:
        with pytest.raises(NumeralError, match="too long"):
            parse(text)


@pytest.mark.parametrize(
    "token",
    ["万" * 1000, "一" * 5000 + "点五万", "9" * 5000, "一亿" * 300, "1" * 29],
    ids=["wan_run", "yi_digits_point", "arabic_5000", "yi_repeated", "29_digits"],
)
def test_long_numerals_are_refused_not_crashed(token):
    with pytest.raises(NumeralError):
        parse(token)


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=10**20, places=6, allow_nan=False, allow_infinity=False))
def test_arabic_decimals_up_to_28_digits_are_exact(d):
    assert parse(format(d, "f")) == d

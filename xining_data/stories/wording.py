"""How a figure reads: numbers, units and dates in each edition, and numbers computed from them.

Reported values are exact Decimals and print exactly, in the edition's style
(5.1万 / 51,000; 16.4亿 / 1.64 billion) with the report's qualifier in words
(逾/近/约 / over/nearly/about). A number computed from qualified ones keeps a
qualifier that stays true, and rounding keeps a bound true: "over 4.05" prints
"over 4", "nearly 27.4" prints "nearly 28". Dates print as precisely as the
text gave them, and an inferred date says so.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any

import pandas as pd

from xining_data.extract.vocab import QUALIFIERS
from xining_data.stories.editions import UNIT_WORDS, check_language, silent_in_english

DAYS_PER_YEAR = 365
PER_10K = 10_000
PER_100K = 100_000

_QUALIFIER_WORDS = {
    "zh": {"exact": "{n}", "more_than": "逾{n}", "nearly": "近{n}", "about": "约{n}",
           "at_most": "至多{n}", "range": "{n}至{m}"},
    "en": {"exact": "{n}", "more_than": "over {n}", "nearly": "nearly {n}", "about": "about {n}",
           "at_most": "at most {n}", "range": "{n} to {m}"},
}  # fmt: skip
# Rounding keeps a bound true: "over 4.05" prints "over 4", "nearly 27.4" prints "nearly 28".
_ROUNDING = {"exact": ROUND_HALF_UP, "about": ROUND_HALF_UP, "range": ROUND_HALF_UP,
             "more_than": ROUND_DOWN, "nearly": ROUND_UP, "at_most": ROUND_UP}  # fmt: skip
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")  # fmt: skip
_INFERRED = {"zh": "（推算日期）", "en": " (inferred date)"}


def blank_if_na(value: Any) -> Any:
    """A table cell's value, or '' when the cell is empty (None, NA, NaN)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value


# --- numbers -------------------------------------------------------------------------------


def to_decimal(value: Any) -> Decimal:
    """An exact Decimal from a table cell (str, int, Decimal, float via its shortest repr)."""
    if isinstance(value, Decimal):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("no number: the value is empty")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _plain(d: Decimal) -> str:
    """Decimal without exponent or trailing zeros: 1.50 -> '1.5', 1E+4 -> '10000'."""
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scaled(d: Decimal, unit: int, max_places: int = 2) -> str | None:
    """d / unit written with at most ``max_places`` decimals if that is exact, else None."""
    q = d / unit
    return _plain(q) if q == q.quantize(Decimal(1).scaleb(-max_places)) else None


def _number(d: Decimal, language: str) -> str:
    """A bare number in the edition's style: 5.1万 / 51,000; 16.4亿 / 1.64 billion."""
    sign, d = ("-" if d < 0 else ""), abs(d)
    if language == "zh":
        for unit, word in ((100_000_000, "亿"), (10_000, "万")):
            if d >= unit and (scaled := _scaled(d, unit)) is not None:
                return f"{sign}{scaled}{word}"
        return sign + _plain(d)
    for unit, word in ((1_000_000_000, " billion"), (1_000_000, " million")):
        if d >= unit and (scaled := _scaled(d, unit, max_places=3)) is not None:
            return f"{sign}{scaled}{word}"
    whole, _, frac = _plain(d).partition(".")
    return sign + f"{int(whole):,}" + (f".{frac}" if frac else "")


def qualifier_of(qualifier: Any) -> str:
    """A qualifier cell as one of ``QUALIFIERS`` ('exact' when empty)."""
    if qualifier is None or (isinstance(qualifier, float) and math.isnan(qualifier)):
        return "exact"
    if qualifier == "" or qualifier is pd.NA:
        return "exact"
    if qualifier not in QUALIFIERS:
        raise ValueError(f"qualifier must be one of {QUALIFIERS}, not {qualifier!r}")
    return str(qualifier)


def fmt_number(
    value: Any,
    qualifier: Any = "exact",
    language: str = "zh",
    *,
    value_max: Any = None,
    digits: int | None = None,
) -> str:
    """A number as a reader reads it: 'over 1,000' / '逾1000', 'nearly 10,000' / '近1万'.

    ``digits`` rounds a computed value before formatting (negative: to tens,
    thousands…): half up, except that bounds round away from the value so they
    stay true (over: down; nearly, at most: up). Reported values print exactly.
    """
    check_language(language)
    qualifier = qualifier_of(qualifier)
    d = to_decimal(value)
    if digits is not None:
        d = d.quantize(Decimal(1).scaleb(-digits), rounding=_ROUNDING[qualifier])
    n = _number(d, language)
    m = ""
    if qualifier == "range":
        if value_max is None or (isinstance(value_max, float) and math.isnan(value_max)):
            raise ValueError("a range needs value_max")
        m = _number(to_decimal(value_max), language)
    return _QUALIFIER_WORDS[language][qualifier].format(n=n, m=m)


def fmt_unit(unit: Any, language: str) -> str:
    """A normalised unit in the edition's words ('CNY' -> '元' / 'yuan')."""
    unit = blank_if_na(unit)
    if not unit or (language == "en" and unit in silent_in_english()):
        return ""
    word = UNIT_WORDS.get(unit, {}).get(language)
    if word is None and language == "zh":
        word = chinese_units().get(str(unit))  # 个百分点, 立方米: as the reports write it
    return word or str(unit)


@cache
def chinese_units() -> dict[str, str]:
    """Each normalised unit's first Chinese spelling in ``data/vocab/units.csv``."""
    import csv

    from xining_data.base.paths import VOCAB_DIR

    words: dict[str, str] = {}
    with open(VOCAB_DIR / "units.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if re.search(r"[\u4e00-\u9fff]", row["word"]):
                words.setdefault(row["unit"], row["word"])
    return words


def fmt_figure(row: Mapping[str, Any], language: str = "zh", *, unit: bool = False) -> str:
    """A figure row's number with its qualifier; ``unit`` appends the row's unit in words."""
    value_max = blank_if_na(row.get("value_max")) or None
    qualifier = qualifier_of(row.get("qualifier"))
    text = fmt_number(row["value"], qualifier, language,
                      value_max=value_max if qualifier == "range" else None)  # fmt: skip
    word = fmt_unit(row.get("unit"), language) if unit else ""
    if word:
        text += word if language == "zh" or word == "%" else " " + word
    return text


def fmt_percent(fraction: float, language: str = "zh", *, digits: int = 1) -> str:
    """A share as a percentage: 0.02066 -> '2.1%' (the same in both editions)."""
    check_language(language)
    return fmt_number(Decimal(repr(fraction)) * 100, "exact", language, digits=digits) + "%"


# --- numbers computed from reported ones ---------------------------------------------------


def derived_qualifier(qualifier: Any, *, decreasing: bool = False, rounded: bool = True) -> str:
    """The qualifier of a number computed from a qualified one.

    An increasing computation keeps 'over'/'nearly'; a decreasing one turns
    'over' into 'at most' and 'nearly' into 'over'. A rounded exact value is 'about'.
    """
    qualifier = qualifier_of(qualifier)
    if qualifier in ("exact", "about", "range"):
        return "about" if rounded else "exact"
    if not decreasing:
        return qualifier
    return {"more_than": "at_most", "nearly": "more_than", "at_most": "more_than"}[qualifier]


def significant_digits(value: Any) -> int:
    """How many digits of a reported value are meaningful: 近万 (10000) has one, 3.35万
    (33500) three, 27.4 three. Trailing zeros of a whole number are taken as not meaningful."""
    d = abs(to_decimal(value))
    if d == 0:
        return 1
    digits = _plain(d).replace(".", "").lstrip("0")
    return max(len(digits.rstrip("0")) if "." not in _plain(d) else len(digits), 1)


def digits_for(computed: Any, *reported: Any) -> int:
    """The ``digits`` that round a number computed from reported values to the precision the
    least precise of them allows: nearly 10,000 a year is nearly 30 a day, not nearly 27.4."""
    keep = min(significant_digits(v) for v in reported) if reported else 2
    d = abs(to_decimal(computed))
    if d == 0:
        return 0
    return keep - 1 - math.floor(math.log10(d))


def total(rows: Iterable[Mapping[str, Any]]) -> tuple[Decimal, str]:
    """The sum of several figures and the qualifier the sum keeps: exact only if all are,
    'over' if every part is exact or 'over', 'nearly' likewise, else 'about'."""
    rows = list(rows)
    if not rows:
        raise ValueError("total of no figures")
    value = sum((to_decimal(r["value"]) for r in rows), Decimal(0))
    kinds = {qualifier_of(r.get("qualifier")) for r in rows} - {"exact"}
    if not kinds:
        return value, "exact"
    if len(kinds) == 1 and kinds <= {"more_than", "nearly", "at_most"}:
        return value, kinds.pop()
    return value, "about"


def per_capita(value: Any, population: Any, base: int) -> float:
    """value per ``base`` residents."""
    population = float(to_decimal(population))
    if population <= 0:
        raise ValueError(f"population must be positive, not {population}")
    return float(to_decimal(value)) * base / population


def per_10k(value: Any, population: Any) -> float:
    """value per 10,000 residents."""
    return per_capita(value, population, PER_10K)


def per_100k(value: Any, population: Any) -> float:
    """value per 100,000 residents."""
    return per_capita(value, population, PER_100K)


def share(part: Any, whole: Any) -> float:
    """part / whole as a fraction."""
    whole = float(to_decimal(whole))
    if whole == 0:
        raise ValueError("share of a whole of zero")
    return float(to_decimal(part)) / whole


# --- dates of any precision ----------------------------------------------------------------


ISO_DATE = re.compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$")


def is_iso_date(value: Any) -> bool:
    """A date of any precision a story can print: 2024, 2024-06 or 2024-06-30."""
    return isinstance(value, str) and bool(ISO_DATE.match(value))


def iso_parts(iso: str) -> list[int]:
    """[year], [year, month] or [year, month, day] of an ISO date of any precision."""
    parts = [int(p) for p in str(iso).split("-")]
    if not 1 <= len(parts) <= 3:
        raise ValueError(f"not an ISO date: {iso!r}")
    return parts


def fmt_date(
    iso: str, precision: str | None = None, language: str = "zh", *, inferred: bool = False
) -> str:
    """'2024-09-25' -> '2024年9月25日' / '25 September 2024', as precise as the text; an
    inferred date (resolved from an inferred publication date) is flagged."""
    check_language(language)
    parts = iso_parts(iso)
    keep = {"year": 1, "month": 2, "day": 3}.get(precision or "", len(parts))
    parts = parts[:keep]
    if language == "zh":
        text = "".join(f"{p}{u}" for p, u in zip(parts, "年月日", strict=False))
    else:
        pieces = [str(parts[0])]
        if len(parts) > 1:
            pieces.insert(0, _MONTHS_EN[parts[1] - 1])
        if len(parts) > 2:
            pieces.insert(0, str(parts[2]))
        text = " ".join(pieces)
    return text + (_INFERRED[language] if inferred else "")


def months_between(start_iso: str, end_iso: str) -> int:
    """Whole calendar months from one date to another (day ignored): 2024-04-01 -> 2024-11 = 7."""
    a, b = iso_parts(start_iso), iso_parts(end_iso)
    if len(a) < 2 or len(b) < 2:
        raise ValueError(f"months between needs month precision: {start_iso!r}, {end_iso!r}")
    return (b[0] - a[0]) * 12 + b[1] - a[1]


def as_date(iso: str) -> dt.date:
    """The first day an ISO date of any precision can mean."""
    parts = iso_parts(iso)
    return dt.date(parts[0], *(parts[1:] + [1, 1])[:2])


def period_bounds(iso: str) -> tuple[dt.date, dt.date]:
    """First and last day of the period an ISO date names."""
    parts = iso_parts(iso)
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return dt.date(parts[0], parts[1], 1), following - dt.timedelta(days=1)
    day = dt.date(*parts)
    return day, day


def period_middle(iso: str) -> dt.date:
    """The middle of the period an ISO date names (a year: 2 July; a month: the 15th): where a
    timeline places it, so '2024' does not appear to come before '2024-03'."""
    parts = iso_parts(iso)
    if len(parts) == 1:
        return dt.date(parts[0], 7, 2)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 15)
    return dt.date(*parts)


def fact_date(fact: Mapping[str, Any]) -> dict[str, Any]:
    """A dated context fact (value '2024-03') shaped like a date figure, still citable as a fact."""
    iso = str(fact["value"]).strip()
    precision = {1: "year", 2: "month", 3: "day"}[len(iso_parts(iso))]
    return {**dict(fact), "date": iso, "date_precision": precision, "date_inferred": False}

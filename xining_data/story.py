"""The story-text layer: reader-facing numbers come from tables, each one cited.

A story notebook never types a number into its prose. It looks a figure up in
the figures table (``find``), formats it for the reader (``fmt_number``,
``fmt_date``), fills a template in the edition's language (``Story.say``) and
cites the source row (``Story.cite``), which numbers the figure in a ledger
printed at the end of the story with its sentence, article, reporter and
offsets. Templates that contain a literal digit are refused, so a number can
only reach the page through a value.

The same notebook renders a Chinese and an English edition: ``language`` picks
the template, the number style (万/亿 vs thousands separators) and the words for
approximations (逾/近/约 vs over/nearly/about).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import math
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from typing import Any

import pandas as pd

LANGUAGES = ("zh", "en")
QUALIFIERS = ("exact", "more_than", "nearly", "about", "at_most", "range")
DAYS_PER_YEAR = 365
PER_10K = 10_000
PER_100K = 100_000

_QUALIFIER_WORDS = {
    "zh": {"exact": "{n}", "more_than": "逾{n}", "nearly": "近{n}", "about": "约{n}",
           "at_most": "至多{n}", "range": "{n}至{m}"},
    "en": {"exact": "{n}", "more_than": "over {n}", "nearly": "nearly {n}", "about": "about {n}",
           "at_most": "at most {n}", "range": "{n} to {m}"},
}  # fmt: skip
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")  # fmt: skip
_INFERRED = {"zh": "（推算日期）", "en": " (inferred date)"}
# A digit is a literal number unless it ends a Latin-letter name (WGS84, CO2, G7).
_DIGIT = re.compile(r"(?<![A-Za-z0-9])[0-9０-９]")
_WORDS = {
    "ledger": {"zh": "数字账本", "en": "Ledger of figures"},
    "ledger_note": {
        "zh": "正文中每个数字的出处：原文、所在文章、记者及其在报道原文中的字符位置。",
        "en": "Where every number in this story comes from: the source sentence, its article, "
        "reporter and character offsets in the raw report.",
    },
    "download": {"zh": "下载账本（CSV）", "en": "Download the ledger (CSV)"},
    "caveat": {"zh": "说明", "en": "Caveat"},
    "single_source": {"zh": "（单一来源）", "en": " (single source)"},
    "source": {"zh": "来源", "en": "Source"},
    "report": {"zh": "报道", "en": "report"},
    "context": {"zh": "背景资料", "en": "context"},
}
_COLON = {"zh": "：", "en": ": "}
# The ledger's columns and their headers in each edition, one for one (xining_data.verify reads
# the published ledger back through these headers; keep the lists aligned).
LEDGER_COLUMNS = [
    "number", "text", "value", "qualifier", "date", "subject", "article_title", "reporter",
    "sentence", "report", "start", "end", "source", "reliability",
]  # fmt: skip
LEDGER_HEADERS = {
    "zh": ["编号", "原文", "数值", "限定", "日期", "所指", "文章", "记者", "原句", "报道", "起",
           "止", "来源", "可靠性"],
    "en": ["No.", "Text", "Value", "Qualifier", "Date", "Counts", "Article", "Reporter",
           "Sentence", "Report", "Start", "End", "Source", "Reliability"],
}  # fmt: skip
# Column widths of the published ledger (em): the sentence gets room, offsets stay narrow.
_LEDGER_WIDTHS = {"sentence": 22, "article_title": 9, "subject": 8, "source": 12, "text": 5}
_LEDGER_COLGROUP = (
    "<colgroup>"
    + "".join(
        f'<col style="width:{_LEDGER_WIDTHS[c]}em">' if c in _LEDGER_WIDTHS else "<col>"
        for c in LEDGER_COLUMNS
    )
    + "</colgroup>"
)
# Reliability labels of the context table that rest on one source; stories mark them.
SINGLE_SOURCE = ("news outlet", "secondary copy", "mirror")


class StoryDataError(LookupError):
    """A story's query matched no row or several: the report changed shape; fail loudly."""


class LiteralNumberError(ValueError):
    """A template carries a digit: numbers must come from the tables as values."""


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
        if d >= unit and (scaled := _scaled(d, unit)) is not None:
            return f"{sign}{scaled}{word}"
    whole, _, frac = _plain(d).partition(".")
    return sign + f"{int(whole):,}" + (f".{frac}" if frac else "")


def check_language(language: str) -> str:
    """The language code, or a clear error naming the accepted ones."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    return language


def _qualifier(qualifier: Any) -> str:
    if qualifier is None or (isinstance(qualifier, float) and math.isnan(qualifier)):
        return "exact"
    if qualifier == "" or qualifier is pd.NA:
        return "exact"
    if qualifier not in QUALIFIERS:
        raise ValueError(f"qualifier must be one of {QUALIFIERS}, not {qualifier!r}")
    return str(qualifier)


# Rounding keeps a bound true: "over 4.05" prints "over 4", "nearly 27.4" prints "nearly 28".
_ROUNDING = {"exact": ROUND_HALF_UP, "about": ROUND_HALF_UP, "range": ROUND_HALF_UP,
             "more_than": ROUND_DOWN, "nearly": ROUND_UP, "at_most": ROUND_UP}  # fmt: skip


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
    qualifier = _qualifier(qualifier)
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


# Normalised units of the figures table as a reader reads them; measure words print as they are.
UNIT_WORDS = {
    "CNY": {"zh": "元", "en": "yuan"},
    "day": {"zh": "天", "en": "days"},
    "year": {"zh": "年", "en": "years"},
    "month": {"zh": "个月", "en": "months"},
    "%": {"zh": "%", "en": "%"},
    "km2": {"zh": "平方公里", "en": "km²"},
    "km": {"zh": "公里", "en": "km"},
    "mu": {"zh": "亩", "en": "mu"},
}


def fmt_unit(unit: Any, language: str) -> str:
    """A normalised unit in the edition's words ('CNY' -> '元' / 'yuan')."""
    unit = _cell(unit)
    return UNIT_WORDS.get(unit, {}).get(language, str(unit)) if unit else ""


def fmt_figure(row: Mapping[str, Any], language: str = "zh", *, unit: bool = False) -> str:
    """A figure row's number with its qualifier; ``unit`` appends the row's unit in words."""
    value_max = _cell(row.get("value_max")) or None
    qualifier = _qualifier(row.get("qualifier"))
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


def derived_qualifier(qualifier: Any, *, decreasing: bool = False, rounded: bool = True) -> str:
    """The qualifier of a number computed from a qualified one.

    An increasing computation keeps 'over'/'nearly'; a decreasing one turns
    'over' into 'at most' and 'nearly' into 'over'. A rounded exact value is 'about'.
    """
    qualifier = _qualifier(qualifier)
    if qualifier in ("exact", "about", "range"):
        return "about" if rounded else "exact"
    if not decreasing:
        return qualifier
    return {"more_than": "at_most", "nearly": "more_than", "at_most": "more_than"}[qualifier]


def total(rows: Iterable[Mapping[str, Any]]) -> tuple[Decimal, str]:
    """The sum of several figures and the qualifier the sum keeps: exact only if all are,
    'over' if every part is exact or 'over', 'nearly' likewise, else 'about'."""
    rows = list(rows)
    if not rows:
        raise ValueError("total of no figures")
    value = sum((to_decimal(r["value"]) for r in rows), Decimal(0))
    kinds = {_qualifier(r.get("qualifier")) for r in rows} - {"exact"}
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


# --- dates ---------------------------------------------------------------------------------


def year_of(text: Any) -> str:
    """The first four-digit year in a context cell such as '2021 (10月22日)'."""
    match = re.search(r"(?<!\d)(\d{4})(?!\d)", str(text))
    if not match:
        raise ValueError(f"no year in {text!r}")
    return match.group(1)


def numbers_in(text: Any) -> list[str]:
    """The numbers of a context cell such as '62 -> 100' or '67 / 167', in order."""
    return re.findall(r"\d+(?:\.\d+)?", str(text))


def _date_parts(iso: str) -> list[int]:
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
    parts = _date_parts(iso)
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
    a, b = _date_parts(start_iso), _date_parts(end_iso)
    if len(a) < 2 or len(b) < 2:
        raise ValueError(f"months between needs month precision: {start_iso!r}, {end_iso!r}")
    return (b[0] - a[0]) * 12 + b[1] - a[1]


def as_date(iso: str) -> dt.date:
    """The first day an ISO date of any precision can mean."""
    parts = _date_parts(iso)
    return dt.date(parts[0], *(parts[1:] + [1, 1])[:2])


def period_middle(iso: str) -> dt.date:
    """The middle of the period an ISO date names (a year: 2 July; a month: the 15th): where a
    timeline places it, so '2024' does not appear to come before '2024-03'."""
    parts = _date_parts(iso)
    if len(parts) == 1:
        return dt.date(parts[0], 7, 2)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 15)
    return dt.date(*parts)


def fact_date(fact: Mapping[str, Any]) -> dict[str, Any]:
    """A dated context fact (value '2024-03') shaped like a date figure, still citable as a fact."""
    iso = str(fact["value"]).strip()
    precision = {1: "year", 2: "month", 3: "day"}[len(_date_parts(iso))]
    return {**dict(fact), "date": iso, "date_precision": precision, "date_inferred": False}


# --- queries -------------------------------------------------------------------------------


def _contains(series: pd.Series, needle: str) -> pd.Series:
    return series.fillna("").astype(str).str.contains(needle, regex=False)


def select(
    df: pd.DataFrame,
    *,
    kind: str | None = None,
    subject_contains: str | None = None,
    theme: str | None = None,
    text_contains: str | None = None,
    sentence_contains: str | None = None,
    article_contains: str | None = None,
    unit: str | None = None,
    **equals: Any,
) -> pd.DataFrame:
    """The rows matching every given condition (a figures table or any table with the columns)."""
    mask = pd.Series(True, index=df.index)
    for column, value in (("kind", kind), ("theme", theme), ("unit", unit), *equals.items()):
        if value is not None:
            mask &= df[column] == value
    for column, needle in (
        ("subject", subject_contains),
        ("text", text_contains),
        ("sentence", sentence_contains),
        ("article_title", article_contains),
    ):
        if needle is not None:
            mask &= _contains(df[column], needle)
    return df[mask]


def _describe(conditions: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in conditions.items() if v is not None)


def find(df: pd.DataFrame, **conditions: Any) -> pd.Series:
    """Exactly one row matching the conditions, or StoryDataError saying what was found.

    A story states each figure it uses this way, so a report that no longer
    says it (or says it twice differently) stops the story instead of
    printing a wrong number.
    """
    rows = select(df, **conditions)
    if len(rows) == 1:
        return rows.iloc[0]
    what = _describe(conditions)
    if rows.empty:
        raise StoryDataError(f"find({what}): no row matches among {len(df)} rows")
    shown = "; ".join(str(t) for t in rows.get("text", rows.index).head(5))
    raise StoryDataError(f"find({what}): {len(rows)} rows match, expected one: {shown}")


def find_fact(
    context: pd.DataFrame,
    fact_contains: str,
    *,
    division: str | None = None,
    adcode: str | None = None,
    year: str | None = None,
) -> pd.Series:
    """Exactly one row of the context table, by fact name and place."""
    mask = _contains(context["fact"], fact_contains)
    for column, value in (("division", division), ("adcode", adcode), ("year", year)):
        if value is not None:
            mask &= context[column].astype(str) == str(value)
    rows = context[mask]
    if len(rows) != 1:
        what = _describe({"fact_contains": fact_contains, "division": division,
                          "adcode": adcode, "year": year})  # fmt: skip
        raise StoryDataError(f"find_fact({what}): {len(rows)} rows match, expected one")
    return rows.iloc[0]


def census_row(context: pd.DataFrame, adcode: str) -> pd.Series:
    """The official 2020-census resident population of a division (a context row to cite)."""
    fact = context["fact"].astype(str)
    mask = (
        fact.str.startswith("常住人口")
        & fact.str.contains("第七次人口普查", regex=False)
        & context["reliability"].astype(str).str.startswith("official statistics")
        & (context["adcode"].astype(str) == str(adcode))
    )
    rows = context[mask]
    if len(rows) != 1:
        raise StoryDataError(f"census population of {adcode}: {len(rows)} rows, expected one")
    return rows.iloc[0]


def places_in(places: pd.DataFrame, report: str, start: int, end: int) -> pd.DataFrame:
    """The place mentions of a report that lie within [start, end) (a sentence, an article)."""
    inside = (places["report"] == report) & (places["start"] >= start) & (places["end"] <= end)
    return places[inside]


def lonlat(place: Any) -> tuple[float, float]:
    """(lon, lat) of a place row, a geocoding result (mapping or object) or a pair."""
    if isinstance(place, tuple | list) and len(place) == 2:
        lon, lat = place
    elif isinstance(place, Mapping | pd.Series):
        lon, lat = place["lon"], place["lat"]
    else:
        lon, lat = place.lon, place.lat
    if lon is None or lat is None or pd.isna(lon) or pd.isna(lat):
        raise StoryDataError(f"no coordinates for {place!r}")
    return float(lon), float(lat)


def find_fact_or_none(context: pd.DataFrame, fact_contains: str, **where: Any) -> pd.Series | None:
    """The context row, or None when the table has no such fact (several still raise)."""
    try:
        return find_fact(context, fact_contains, **where)
    except StoryDataError:
        if not _contains(context["fact"], fact_contains).any():
            return None
        raise


def is_single_source(fact: Mapping[str, Any]) -> bool:
    """A context fact that rests on one news copy or mirror page."""
    reliability = str(fact.get("reliability", ""))
    return any(label in reliability for label in SINGLE_SOURCE)


def is_publishable(fact: Mapping[str, Any]) -> bool:
    """The context table's verdict; a mirror-only fact is not publishable."""
    value = fact.get("publishable", True)
    return False if value is None or pd.isna(value) else bool(value)


# --- events and documents ------------------------------------------------------------------

_PRECISION_RANK = {"day": 3, "month": 2, "year": 1}


@dataclass(frozen=True)
class Event:
    """A dated event of a timeline: where it comes from and its label in each language."""

    keyword: str  # words of the sentence that dates it
    zh: str
    en: str


def event_dates(figures: pd.DataFrame, events: Iterable[Event], language: str) -> pd.DataFrame:
    """One row per event: the most precise date figure in a sentence containing its keyword.

    Raises StoryDataError when an event has no dated sentence (the report changed).
    """
    check_language(language)
    dates = figures[figures["kind"] == "date"]
    rows = []
    for event in events:
        found = select(dates, sentence_contains=event.keyword)
        if found.empty:
            raise StoryDataError(
                f"event {event.en!r}: no dated sentence contains {event.keyword!r}"
            )
        rank = found["date_precision"].map(_PRECISION_RANK).fillna(0)
        best = found[rank == rank.max()]
        if best["date"].nunique() != 1:
            raise StoryDataError(f"event {event.en!r}: several dates {sorted(best['date'])}")
        rows.append((getattr(event, language), best.iloc[0]))
    return events_table(rows, language)


def events_table(items: Iterable[tuple[str, Mapping[str, Any]]], language: str) -> pd.DataFrame:
    """A timeline from (label, date figure row) pairs, oldest first, with printed dates."""
    check_language(language)
    rows = []
    for label, row in items:
        inferred = bool(_cell(row.get("date_inferred")))
        precision = _cell(row.get("date_precision")) or None
        rows.append({"label": label, "date": row["date"], "precision": precision,
                     "inferred": inferred, "when": period_middle(row["date"]),
                     "printed": fmt_date(row["date"], precision, language, inferred=inferred),
                     "figure": row})  # fmt: skip
    columns = ["label", "date", "precision", "inferred", "when", "printed", "figure"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values("when", kind="stable").reset_index(drop=True)


_BOOK_TITLE = re.compile(r"《([^《》]+)》")


def documents(text: str) -> list[str]:
    """Titles in book-title marks (《…》) in order of first mention, without repeats."""
    seen: dict[str, None] = {}
    for m in _BOOK_TITLE.finditer(text):
        seen.setdefault(m.group(1), None)
    return list(seen)


# --- the ledger ----------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value


@dataclass
class Ledger:
    """Numbered citations: the first figure cited is [1]; citing it again reuses its number."""

    figures: pd.DataFrame
    articles: pd.DataFrame | None = None
    entries: list[dict[str, Any]] = field(default_factory=list)
    _numbers: dict[tuple, int] = field(default_factory=dict)

    def number(self, row: Mapping[str, Any]) -> int:
        """The citation number of a figure row or context fact, adding it on first use."""
        key = self._key(row)
        if key not in self._numbers:
            entry = self._entry(len(self.entries) + 1, row)
            self.entries.append(entry)
            self._numbers[key] = entry["number"]
        return self._numbers[key]

    def cite(self, row: Mapping[str, Any]) -> str:
        """A Markdown marker '[3]' linking to the ledger's anchor #ledger-3."""
        n = self.number(row)
        return rf"[\[{n}\]](#ledger-{n})"

    def table(self) -> pd.DataFrame:
        """The ledger as a table, one row per cited figure or fact, in citation order."""
        table = pd.DataFrame(self.entries, columns=LEDGER_COLUMNS)
        return table.astype({"number": "Int64", "start": "Int64", "end": "Int64"})

    @staticmethod
    def _key(row: Mapping[str, Any]) -> tuple:
        if "fact" in row:
            return ("context", row["fact"], str(row.get("division")), str(row.get("year")))
        return ("figure", row["report"], int(row["start"]), int(row["end"]))

    def _reporter(self, row: Mapping[str, Any]) -> str:
        arts = self.articles
        if arts is None or arts.empty:
            return ""
        match = arts[(arts["report"] == row.get("report")) & (arts["order"] == row.get("article"))]
        if match.empty and "article_title" in row:
            match = arts[arts["title"] == row["article_title"]]
        return "" if match.empty else str(match.iloc[0]["reporter"])

    def _entry(self, number: int, row: Mapping[str, Any]) -> dict[str, Any]:
        if "fact" in row:
            if not is_publishable(row):
                raise StoryDataError(
                    f"context fact {row['fact']!r} ({row.get('division')}) is not publishable: "
                    f"{row.get('reliability')}"
                )
            return {"number": number, "text": f"{row['value']} {_cell(row.get('unit'))}".strip(),
                    "value": _cell(row["value"]), "qualifier": "", "date": "",
                    "subject": row["fact"],
                    "article_title": "", "reporter": "", "sentence": _cell(row.get("quote")),
                    "report": "", "start": None, "end": None, "source": _cell(row.get("source")),
                    "reliability": _cell(row.get("reliability"))}  # fmt: skip
        is_date = row.get("kind") == "date"
        return {"number": number, "text": row["text"], "value": _cell(row.get("value")),
                "date": _cell(row.get("date")),
                "qualifier": "" if is_date else _cell(row.get("qualifier")),
                "subject": _cell(row.get("subject")),
                "article_title": _cell(row.get("article_title")), "reporter": self._reporter(row),
                "sentence": _cell(row.get("sentence")), "report": row["report"],
                "start": int(row["start"]), "end": int(row["end"]), "source": "report",
                "reliability": ""}  # fmt: skip


# --- the story -----------------------------------------------------------------------------


def check_template(template: str) -> str:
    """The template, unless its literal text holds a digit (numbers must be values)."""
    for literal, *_ in string.Formatter().parse(template):
        if literal and _DIGIT.search(literal):
            raise LiteralNumberError(f"template has a literal number: {template!r}")
    return template


def say(zh: str, en: str, language: str, **values: Any) -> str:
    """The template of the edition's language filled with values."""
    template = {"zh": zh, "en": en}[check_language(language)]
    return check_template(template).format(**values)


@dataclass
class Story:
    """One edition of a story: its language, its figures and the ledger of what it cites."""

    figures: pd.DataFrame
    articles: pd.DataFrame | None = None
    language: str = "zh"
    theme: str = "overview"
    credit: str = ""
    ledger: Ledger = field(init=False)

    def __post_init__(self) -> None:
        check_language(self.language)
        self.ledger = Ledger(self.figures, self.articles)

    @classmethod
    def from_corpus(cls, corpus: Corpus, language: str, theme: str, credit: str = "") -> Story:
        """The edition of a story over a loaded corpus (figures merged across mentions)."""
        return cls(corpus.merged, corpus.articles, language, theme, credit)

    # text
    def say(self, zh: str, en: str, **values: Any) -> str:
        """Fill the template of this edition's language."""
        return say(zh, en, self.language, **values)

    def word(self, zh: str, en: str) -> str:
        """A label in this edition's language (axis titles, legend entries)."""
        return self.say(zh, en)

    def cite(self, row: Mapping[str, Any]) -> str:
        """Cite a figure row or context fact; returns the Markdown marker."""
        marker = self.ledger.cite(row)
        if "fact" in row and is_single_source(row):
            marker = _WORDS["single_source"][self.language] + marker
        return marker

    def num(self, row: Mapping[str, Any], *, unit: bool = False, cite: bool = True) -> str:
        """A reported figure as printed, with its citation marker."""
        text = fmt_figure(row, self.language, unit=unit)
        return text + (self.cite(row) if cite else "")

    def fmt(self, value: Any, qualifier: Any = "exact", *, digits: int | None = None) -> str:
        """A computed number in this edition's style."""
        return fmt_number(value, qualifier, self.language, digits=digits)

    def date(self, row: Mapping[str, Any], *, cite: bool = True) -> str:
        """A date figure as printed (flagged when inferred), with its citation marker."""
        text = fmt_date(row["date"], row.get("date_precision"), self.language,
                        inferred=bool(_cell(row.get("date_inferred"))))  # fmt: skip
        return text + (self.cite(row) if cite else "")

    def percent(self, fraction: float, *, digits: int = 1) -> str:
        return fmt_percent(fraction, self.language, digits=digits)

    # display
    def show(self, zh: str, en: str, **values: Any):
        """Display a filled template as Markdown."""
        return _markdown(self.say(zh, en, **values))

    def heading(self, zh: str, en: str, level: int = 2, **values: Any):
        return _markdown("#" * level + " " + self.say(zh, en, **values))

    def caveat(self, zh: str, en: str, **values: Any):
        """A boxed caveat: what the report does not tell us."""
        label = _WORDS["caveat"][self.language]
        return _markdown(f"> **{label}**{_COLON[self.language]}" + self.say(zh, en, **values))

    def bullets(self, items: Iterable[str]):
        return _markdown("\n".join(f"- {item}" for item in items))

    def reports_note(self) -> str:
        """The source of a chart drawn from whole reports (every article), not single figures."""
        ids = ", ".join(str(r) for r in pd.unique(self.figures["report"]))
        return self.say("报道 {ids}（全部文章）", "report {ids} (all articles)", ids=ids)

    def source_line(self, rows: Iterable[Mapping[str, Any]], notes: Iterable[str] = ()) -> str:
        """The source line of a chart: report, article and reporter of each row; context
        sources; then ``notes`` (whole reports, boundary data)."""
        parts: list[str] = []
        for row in rows:
            entry = self.ledger.entries[self.ledger.number(row) - 1]
            if entry["source"] == "report":
                who = f" ({entry['reporter']})" if entry["reporter"] else ""
                part = f"{_WORDS['report'][self.language]} {entry['report']}, 《{entry['article_title']}》{who}"
            else:
                part = f"{_WORDS['context'][self.language]}{_COLON[self.language]}{entry['source']}"
            if part not in parts:
                parts.append(part)
        parts.extend(n for n in notes if n not in parts)
        separator = "；" if self.language == "zh" else "; "
        return _WORDS["source"][self.language] + _COLON[self.language] + separator.join(parts)

    def ledger_table(self) -> pd.DataFrame:
        return self.ledger.table()

    def ledger_html(self) -> str:
        """The ledger as an HTML table with one anchor per entry and an inline CSV download."""
        table = self.ledger_table()
        head = "".join(f"<th>{html.escape(c)}</th>" for c in LEDGER_HEADERS[self.language])
        body = "".join(
            f'<tr id="ledger-{r["number"]}">'
            + "".join(f"<td>{html.escape(str(_cell(r[c])))}</td>" for c in LEDGER_COLUMNS)
            + "</tr>"
            for r in table.to_dict("records")
        )
        csv = base64.b64encode(table.to_csv(index=False).encode("utf-8-sig")).decode("ascii")
        words = {k: v[self.language] for k, v in _WORDS.items()}
        return (
            f'<h2 id="ledger">{words["ledger"]}</h2><p>{words["ledger_note"]} '
            f'<a download="ledger.csv" href="data:text/csv;base64,{csv}">{words["download"]}</a></p>'
            f'<div style="overflow-x:auto"><table class="ledger" style="font-size:0.78em;'
            f'min-width:72em">{_LEDGER_COLGROUP}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
        )

    def save_chart(
        self,
        fig: Any,
        data: pd.DataFrame,
        *,
        slug: str,
        title: str,
        alt: str,
        sources: Iterable[Mapping[str, Any]] = (),
        subtitle: str = "",
        units: str = "",
        notes: Iterable[str] = (),
    ):
        """Write a chart into the figure kit in this edition's language, its source line built
        from the rows it draws (each also cited in the ledger) plus ``notes`` (other sources,
        such as the boundary data); returns the chart to display, with its alt text."""
        import matplotlib.pyplot as plt
        from IPython.display import HTML

        from . import kit

        entry = kit.save_chart(
            fig, data, theme=self.theme, slug=slug, title=title, subtitle=subtitle,
            source=self.source_line(sources, notes), credit=self.credit, alt=alt, units=units,
            language=self.language,
        )  # fmt: skip
        plt.close(fig)  # shown once, below, from the file the kit wrote
        png = next(f["path"] for f in entry["files"] if f["path"].endswith(".png"))
        image = (kit.figures_dir() / png).read_bytes()
        width = int.from_bytes(image[16:20], "big") // kit.PNG_SCALE  # PNG header: IHDR width
        data_uri = base64.b64encode(image).decode("ascii")
        return HTML(
            f'<figure class="chart"><img src="data:image/png;base64,{data_uri}" width="{width}" '
            f'alt="{html.escape(alt)}" style="max-width:100%;height:auto"></figure>'
        )

    def sources(self) -> list[dict[str, str]]:
        """The story's sources for the page footer: each report and context source cited."""
        out: list[dict[str, str]] = []
        for entry in self.ledger.entries:
            if entry["source"] == "report":
                item = {"text": f"{_WORDS['report'][self.language]} {entry['report']}", "url": ""}
            else:
                url, _, rest = str(entry["source"]).partition(" ")
                is_url = url.startswith(("http://", "https://"))
                text = rest.strip(" ()") if is_url and rest else str(entry["source"])
                item = {"text": text, "url": url if is_url else ""}
            if item not in out:
                out.append(item)
        return out

    def show_ledger(self):
        """Display the ledger (the last cell of every story)."""
        from IPython.display import HTML

        return HTML(self.ledger_html())


def _markdown(text: str):
    from IPython.display import Markdown

    return Markdown(text)


# --- the corpus ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """Everything a story reads: the reports and their tables, loaded once."""

    reports: tuple[Any, ...]
    figures: pd.DataFrame  # every mention
    merged: pd.DataFrame  # one row per fact, with its mention count
    articles: pd.DataFrame
    places: pd.DataFrame
    context: pd.DataFrame

    @property
    def as_of(self) -> str:
        """The newest publication date among the reports (ISO, as precise as known)."""
        dates = [r.meta.published for r in self.reports if r.meta.published]
        return max(dates) if dates else ""

    @property
    def as_of_inferred(self) -> bool:
        """Is the newest publication date inferred rather than printed?"""
        return any(
            r.meta.published_inferred for r in self.reports if r.meta.published == self.as_of
        )

    @property
    def city_adcode(self) -> str:
        """The place the corpus covers (the reports' own place code, most common first)."""
        codes = pd.Series([r.meta.place_adcode for r in self.reports if r.meta.place_adcode])
        if codes.empty:
            raise StoryDataError("no report names its place (place_adcode in the header)")
        return str(codes.mode().iloc[0])

    def article_text(self, report_id: str, order: int) -> str:
        """An article's repaired text (paragraphs joined), for reading titles and documents."""
        from .segment import articles

        report = next(r for r in self.reports if r.id == report_id)
        article = next(a for a in articles(report) if a.order == order)
        return "\n".join([article.title] + [p.text for p in article.paragraphs])


def load_corpus(reports_dir: str | None = None) -> Corpus:
    """Read every report in a folder (the bundled corpus by default) into the story tables."""
    from .context import context_table
    from .figures import figures_table, merged_figures
    from .places import attach_places, places_table
    from .report import read_reports
    from .tables import articles_table

    reports = tuple(read_reports(reports_dir))
    if not reports:
        raise StoryDataError(f"no reports in {reports_dir or 'the bundled corpus'}")
    figures = pd.concat([attach_places(figures_table(r), r) for r in reports], ignore_index=True)
    return Corpus(
        reports=reports,
        figures=figures,
        merged=merged_figures(figures),
        articles=pd.concat([articles_table(r) for r in reports], ignore_index=True),
        places=pd.concat([_with_report(places_table(r), r.id) for r in reports], ignore_index=True),
        context=context_table(),
    )


def _with_report(table: pd.DataFrame, report_id: str) -> pd.DataFrame:
    return table if "report" in table.columns else table.assign(report=report_id)


# --- charts --------------------------------------------------------------------------------


def bar_chart(labels: list[str], values: list[float], *, color: str | list[str],
              value_labels: list[str], xlabel: str = "", width: float = 7.0, log: bool = False):  # fmt: skip
    """Horizontal bars in the order given (top down), each labelled with its printed value."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, 0.55 * len(labels) + 1.2))
    bars = ax.barh(labels, values, color=color)
    ax.bar_label(bars, labels=value_labels, padding=4)
    ax.invert_yaxis()
    if log:
        from matplotlib.ticker import FuncFormatter

        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_xlabel(xlabel)
    ax.margins(x=0.15)
    ax.grid(axis="y", visible=False)
    return fig


def _period(iso: str) -> tuple[dt.date, dt.date]:
    """First and last day of the period an ISO date names."""
    parts = _date_parts(iso)
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return dt.date(parts[0], parts[1], 1), following - dt.timedelta(days=1)
    day = dt.date(*parts)
    return day, day


def timeline_chart(events: pd.DataFrame, *, color: str, width: float = 8.0):
    """Dated events on one time axis, one row each. A date known only to the month or year is
    drawn as a band over that period, not as a day; hollow markers flag inferred dates (whose
    printed date says so). Labels sit on the side with more room."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, 0.55 * len(events) + 1.2))
    periods = [tuple(mdates.date2num(d) for d in _period(iso)) for iso in events["date"]]
    low, high = min(p[0] for p in periods), max(p[1] for p in periods)
    for y, (period, row) in enumerate(zip(periods, events.itertuples(), strict=True)):
        x = mdates.date2num(row.when)
        if period[1] > period[0]:
            ax.hlines(y, *period, color=color, alpha=0.3, linewidth=7)
        ax.plot([x], [y], "o", ms=9, color=color, mfc="white" if row.inferred else color)
        right = x <= (low + high) / 2
        edge = period[1] if right else period[0]
        ax.annotate(f"{row.label}\n{row.printed}", (edge, y), xytext=(10 if right else -10, 0),
                    textcoords="offset points", va="center", ha="left" if right else "right",
                    fontsize=9)  # fmt: skip
    span = max(high - low, 60.0)
    ax.set_xlim(low - 0.15 * span, high + 0.15 * span)
    ax.set_yticks([])
    ax.set_ylim(len(events) - 0.4, -0.6)
    months = max(1, round(span / 30.4 / 5))
    if months >= 12:
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=months))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.grid(axis="y", visible=False)
    return fig

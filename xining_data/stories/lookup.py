"""Strict lookups: a story states each figure it uses as a query that must match one row.

A report that no longer says a figure (or says it twice differently) stops the
story with :class:`StoryDataError` instead of printing a wrong number. The same
goes for context facts, places inside an article or sentence, and the dated
events of a timeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from xining_data.stories.editions import check_language
from xining_data.stories.wording import blank_if_na, fmt_date, period_middle

_PRECISION_RANK = {"day": 3, "month": 2, "year": 1}
_BOOK_TITLE = re.compile(r"《([^《》]+)》")


class StoryDataError(LookupError):
    """A story's query matched no row or several: the report changed shape; fail loudly."""


def _contains(series: pd.Series, needle: str) -> pd.Series:
    return series.fillna("").astype(str).str.contains(needle, regex=False)


def _describe(conditions: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in conditions.items() if v is not None)


# --- figures -------------------------------------------------------------------------------


# ``<name>_contains=`` matches a substring of the column it names; any other condition, equality.
CONTAINS_COLUMNS = {
    "subject_contains": "subject",
    "text_contains": "text",
    "sentence_contains": "sentence",
    "article_contains": "article_title",
}


def select(df: pd.DataFrame, **conditions: Any) -> pd.DataFrame:
    """The rows matching every given condition (a figures table or any table with the columns):
    ``kind="count"`` compares a column, ``subject_contains="村"`` looks for a substring
    (:data:`CONTAINS_COLUMNS`); a condition given as None is ignored."""
    mask = pd.Series(True, index=df.index)
    for key, value in conditions.items():
        if value is None:
            continue
        if key in CONTAINS_COLUMNS:
            mask &= _contains(df[CONTAINS_COLUMNS[key]], value)
        else:
            mask &= df[key] == value
    return df[mask]


def find(df: pd.DataFrame, **conditions: Any) -> pd.Series:
    """Exactly one row matching the conditions (see :func:`select`), or StoryDataError saying
    what was found."""
    rows = select(df, **conditions)
    if len(rows) == 1:
        return rows.iloc[0]
    what = _describe(conditions)
    if rows.empty:
        raise StoryDataError(f"find({what}): no row matches among {len(df)} rows")
    shown = "; ".join(str(t) for t in rows.get("text", rows.index).head(5))
    raise StoryDataError(f"find({what}): {len(rows)} rows match, expected one: {shown}")


# --- context facts -------------------------------------------------------------------------


def find_or_none(df: pd.DataFrame, **conditions: Any) -> pd.Series | None:
    """The one row matching the conditions, or None when none or several match: a passage
    about a particular fact appears only when the corpus holds that fact unambiguously."""
    rows = select(df, **conditions)
    return rows.iloc[0] if len(rows) == 1 else None


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


def find_fact_or_none(context: pd.DataFrame, fact_contains: str, **where: Any) -> pd.Series | None:
    """The context row, or None when the table has no such fact (several still raise)."""
    try:
        return find_fact(context, fact_contains, **where)
    except StoryDataError:
        if not _contains(context["fact"], fact_contains).any():
            return None
        raise


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


def year_of(text: Any) -> str:
    """The first four-digit year in a context cell such as '2021 (10月22日)'."""
    match = re.search(r"(?<!\d)(\d{4})(?!\d)", str(text))
    if not match:
        raise ValueError(f"no year in {text!r}")
    return match.group(1)


def numbers_in(text: Any) -> list[str]:
    """The numbers of a context cell such as '62 -> 100' or '67 / 167', in order."""
    return re.findall(r"\d+(?:\.\d+)?", str(text))


# --- places --------------------------------------------------------------------------------


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


# --- events and documents ------------------------------------------------------------------


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
        inferred = bool(blank_if_na(row.get("date_inferred")))
        precision = blank_if_na(row.get("date_precision")) or None
        rows.append({"label": label, "date": row["date"], "precision": precision,
                     "inferred": inferred, "when": period_middle(row["date"]),
                     "printed": fmt_date(row["date"], precision, language, inferred=inferred),
                     "figure": row})  # fmt: skip
    columns = ["label", "date", "precision", "inferred", "when", "printed", "figure"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values("when", kind="stable").reset_index(drop=True)


def documents(text: str) -> list[str]:
    """Titles in book-title marks (《…》) in order of first mention, without repeats."""
    seen: dict[str, None] = {}
    for m in _BOOK_TITLE.finditer(text):
        seen.setdefault(m.group(1), None)
    return list(seen)

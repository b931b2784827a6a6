"""What an archive says about an indicator: facts, series, disagreements and the lede.

A figure row is one mention. A *fact* is one value of an indicator for a place and a
reference period; the same fact repeated (in one report or in many) counts once, and the
reports that give it are its sources, with copies of one report counted as one source
(:mod:`xining_data.corpus.copies`). Two facts *disagree* when they give the same indicator,
place, period and unit values that cannot both hold, qualifiers taken into account (近1万
and 9,800 can; 13,971 and 14,500 cannot). The *lede* is chosen by the editor's rule: a
disagreement, then the largest change between two periods, then the latest value of the
theme's main indicator, then the best-attested fact.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pandas as pd

FACT_KEY = ["indicator", "place_adcode", "ref_date", "unit", "value"]
PERIOD_KEY = ["indicator", "place_adcode", "ref_date", "unit"]
SERIES_KEY = ["indicator", "place_adcode", "unit", "ref_precision"]
# How far a qualified value may lie from its number: (low, high) as factors of it.
QUALIFIER_BOUNDS = {
    "exact": (Decimal(1), Decimal(1)),
    "about": (Decimal("0.9"), Decimal("1.1")),
    "nearly": (Decimal("0.9"), Decimal(1)),
    "more_than": (Decimal(1), Decimal("Infinity")),
    "at_most": (Decimal(0), Decimal(1)),
}
LEDE_ORDER = ("disagreement", "change", "latest", "attested")
GOALS = frozenset({"target", "forecast"})  # modalities of figures that are not outcomes


def _decimal(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


# A number as printed: digits, decimals, and the multiplier that scales them (3.35万).
PRINTED = re.compile(r"([0-9]+)(?:\.([0-9]+))?\s*(万|亿)?")
MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), None: Decimal(1)}


def printed_step(text: object) -> Decimal:
    """Half the last printed digit's unit: 2.4 may be 2.36 rounded (0.05), 3.35万 may be
    33,540 (50); 0 for a whole number without multiplier, or no Arabic number at all."""
    match = PRINTED.search(str(text or ""))
    if not match:
        return Decimal(0)
    places = len(match.group(2) or "")
    if not places and match.group(3) is None:
        return Decimal(0)  # a whole number as printed (13971人) is exact
    return MULTIPLIERS[match.group(3)] * Decimal(5).scaleb(-places - 1)


def bounds(
    value: object, qualifier: str, value_max: object = None, text: object = ""
) -> tuple[Decimal, Decimal]:
    """The interval a reported value allows: 近1万 is 9,000 to 10,000, 逾40 more than 40, and
    an exact 2.4 anything that prints as 2.4 (``text``: the figure as printed)."""
    number = _decimal(value)
    if number is None:
        return Decimal("-Infinity"), Decimal("Infinity")
    if qualifier == "range":
        top = _decimal(value_max)
        return number, top if top is not None else number
    low, high = QUALIFIER_BOUNDS.get(qualifier or "exact", QUALIFIER_BOUNDS["about"])
    ends = sorted((number * low, number * high))  # negative values turn the interval over
    step = printed_step(text)
    return ends[0] - step, ends[1] + step


def compatible(a: Mapping[str, object], b: Mapping[str, object]) -> bool:
    """Can both figure rows be true at once (their intervals overlap)?"""
    a_low, a_high = bounds(a["value"], str(a.get("qualifier") or ""), a.get("value_max"),
                           a.get("text"))  # fmt: skip
    b_low, b_high = bounds(b["value"], str(b.get("qualifier") or ""), b.get("value_max"),
                           b.get("text"))  # fmt: skip
    return a_low <= b_high and b_low <= a_high


def facts(figures: pd.DataFrame, original: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per fact (indicator, place, period, unit, value), the first mention kept for
    citation, with ``mentions``, ``sources`` (reports, copies counted once) and ``reports``.
    Targets and forecasts (``modality``) are goals, not facts: they are left out."""
    rows = figures[figures["indicator"].fillna("").astype(str) != ""]
    if "modality" in rows.columns:
        rows = rows[~rows["modality"].isin(GOALS)]
    rows = rows.copy()
    if rows.empty:
        return rows.assign(mentions=pd.Series(dtype=int), sources=pd.Series(dtype=int),
                           reports=pd.Series(dtype=str))  # fmt: skip
    for column in FACT_KEY:
        rows[column] = rows[column].fillna("").astype(str)
    rows["source"] = rows["report"].map(lambda r: (original or {}).get(r, r))
    grouped = rows.groupby(FACT_KEY, sort=False)
    first = grouped.head(1).set_index(FACT_KEY)
    first["mentions"] = grouped.size()
    first["sources"] = grouped["source"].nunique()
    first["reports"] = grouped["report"].agg(lambda s: ";".join(sorted(set(s))))
    return first.reset_index()


def disagreements(facts_table: pd.DataFrame) -> pd.DataFrame:
    """Facts of one indicator, place, period and unit that cannot all hold, side by side,
    each with the ``dispute`` it belongs to (numbered from 1)."""
    parts = []
    for number, (_, group) in enumerate(facts_table.groupby(PERIOD_KEY, sort=True), start=1):
        if len(group) < 2 or group["ref_date"].iloc[0] == "":
            continue
        records = group.to_dict("records")
        clash = any(
            not compatible(a, b) and a["source"] != b["source"]
            for i, a in enumerate(records)
            for b in records[i + 1 :]
        )
        if clash:
            parts.append(group.assign(dispute=number))
    if not parts:
        return facts_table.iloc[0:0].assign(dispute=pd.Series(dtype=int))
    out = pd.concat(parts, ignore_index=True)
    out["dispute"] = out.groupby("dispute", sort=True).ngroup() + 1
    return out


def series(facts_table: pd.DataFrame) -> dict[tuple[str, ...], pd.DataFrame]:
    """The facts of each indicator, place, unit and period precision in time order, for the
    series with two or more periods and one value per period (a disputed period is left out)."""
    out = {}
    dated = facts_table[facts_table["ref_date"] != ""]
    for key, group in dated.groupby(SERIES_KEY, sort=True):
        per_period = group.groupby("ref_date")["value"].nunique()
        clean = group[group["ref_date"].isin(per_period[per_period == 1].index)]
        clean = clean.drop_duplicates("ref_date").sort_values("ref_date")
        if len(clean) >= 2:
            out[key] = clean.reset_index(drop=True)
    return out


@dataclass(frozen=True)
class Change:
    """From one period's fact to a later one's of the same series."""

    before: pd.Series
    after: pd.Series

    @property
    def ratio(self) -> Decimal | None:
        a, b = _decimal(self.before["value"]), _decimal(self.after["value"])
        return None if a in (None, 0) or b is None else b / a


def largest_change(all_series: Mapping[tuple[str, ...], pd.DataFrame]) -> Change | None:
    """The change between a series' first and last period that is largest in proportion."""
    best, size = None, Decimal(-1)
    for key in sorted(all_series):
        frame = all_series[key]
        change = Change(frame.iloc[0], frame.iloc[-1])
        ratio = change.ratio
        if ratio is None or ratio <= 0 or ratio == 1:
            continue  # no number to compare, or no change to tell
        magnitude = abs(ratio.ln())
        if magnitude > size:
            best, size = change, magnitude
    return best


@dataclass(frozen=True)
class Lede:
    """The finding a story opens with: its kind (one of :data:`LEDE_ORDER`) and the fact rows
    it rests on, to be cited."""

    kind: str
    rows: tuple[pd.Series, ...]


def lede(facts_table: pd.DataFrame, main_indicators: tuple[str, ...] = ()) -> Lede | None:
    """The strongest finding by the editor's rule, or None when there is no fact at all."""
    if facts_table.empty:
        return None
    disputes = disagreements(facts_table)
    if not disputes.empty:
        first = disputes[disputes["dispute"] == 1]
        return Lede("disagreement", tuple(row for _, row in first.iterrows()))
    change = largest_change(series(facts_table))
    if change is not None:
        return Lede("change", (change.before, change.after))
    main = facts_table[facts_table["indicator"].isin(main_indicators)]
    dated = main[main["ref_date"] != ""]
    if not dated.empty:
        indicator = next(i for i in main_indicators if i in set(dated["indicator"]))
        latest = dated[dated["indicator"] == indicator].sort_values("ref_date").iloc[-1]
        return Lede("latest", (latest,))
    best = facts_table.sort_values(["sources", "mentions"], ascending=False, kind="stable")
    return Lede("attested", (best.iloc[0],))


def silences(facts_table: pd.DataFrame, indicators: pd.DataFrame, theme: str) -> pd.DataFrame:
    """The theme's catalogued indicators that no fact in the corpus gives."""
    of_theme = indicators[indicators["theme"] == theme]
    return of_theme[~of_theme["id"].isin(set(facts_table["indicator"]))].reset_index(drop=True)

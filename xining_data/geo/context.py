"""Cited context facts about Xining: census population for per-capita rates, codes, areas, themes.

The facts come from ``data/context/xining_context_facts.csv`` (one row a fact, with its source
and the exact quote). That file is read as it is; what the library adds is computed here:
the adcode of each fact's place, the number when the value is a plain number, and whether the
fact may be published. The shared README's rule: facts read only on a secondary copy or mirror
page are not published unless a second source carries the same number.
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from xining_data.base.paths import CONTEXT_DIR

FACTS_FILE = CONTEXT_DIR / "xining_context_facts.csv"
MIRROR = "secondary copy or mirror"
OFFICIAL = "official statistics"
CENSUS_2020 = "常住人口(第七次人口普查)"
CITY_ADCODE = "630100"
COLUMNS = [
    "fact",
    "value",
    "number",
    "unit",
    "year",
    "division",
    "adcode",
    "reliability",
    "source",
    "quote",
    "publishable",
    "corroborated_by",
]
_NUMBER = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")


def _adcode(division: str) -> str:
    from xining_data.geo.places import geocode

    place = geocode(division)
    return place.adcode if place and place.adcode else ""


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", text))


def _corroboration(facts: pd.DataFrame) -> pd.Series:
    """For each mirror fact, the first non-mirror source in the table that carries its number.

    A second source either states the same fact for the same place with the same value, or
    quotes the number itself (the census table row for Xining lists its minority population).
    """
    firm = facts[~facts["reliability"].str.startswith(MIRROR)]
    found = []
    for row in facts.itertuples():
        if not row.reliability.startswith(MIRROR) or not _NUMBER.match(row.value):
            found.append("")
            continue
        same_place = firm[firm["division"] == row.division]
        number = row.value.strip()
        quoted = same_place["quote"].map(lambda quote, n=number: n in _tokens(quote))
        same_fact = (same_place["fact"] == row.fact) & (same_place["value"] == row.value)
        hits = same_place[same_fact | quoted]
        found.append(hits["source"].iloc[0] if len(hits) else "")
    return pd.Series(found, index=facts.index, dtype="string")


@cache
def _table() -> pd.DataFrame:
    facts = pd.read_csv(FACTS_FILE, dtype=str, keep_default_na=False)
    facts["number"] = pd.to_numeric(facts["value"].where(facts["value"].str.match(_NUMBER)))
    facts["adcode"] = facts["division"].map(_adcode)
    facts["corroborated_by"] = _corroboration(facts)
    mirror = facts["reliability"].str.startswith(MIRROR)
    facts["publishable"] = ~mirror | (facts["corroborated_by"] != "")
    return facts[COLUMNS]


def context_table() -> pd.DataFrame:
    """Every context fact with its place code, number, source, quote and publishability."""
    return _table().copy()


@cache
def _census() -> dict[str, int]:
    facts = _table()
    rows = facts[
        (facts["fact"] == CENSUS_2020)
        & (facts["reliability"] == OFFICIAL)
        & (facts["year"] == "2020")
    ]
    return {r.adcode: int(r.number) for r in rows.itertuples() if r.adcode}


def population(adcode: str | None = None) -> dict[str, int] | int | None:
    """2020 census resident population (Qinghai Statistical Yearbook 2022, table 3-8).

    With an adcode, that place's population (None when unknown); without, all of them.
    """
    census = _census()
    return dict(census) if adcode is None else census.get(str(adcode))


def check_population_totals(tolerance: int = 0) -> tuple[int, int]:
    """The seven divisions' census populations add up to the city's; returns (sum, city).

    Raises ValueError when they do not (beyond ``tolerance`` people) or a division is missing.
    """
    census = _census()
    divisions = {a: n for a, n in census.items() if a.startswith("6301") and a != CITY_ADCODE}
    if len(divisions) != 7 or CITY_ADCODE not in census:
        raise ValueError(f"census rows for 7 divisions and the city expected, got {sorted(census)}")
    total, city = sum(divisions.values()), census[CITY_ADCODE]
    if abs(total - city) > tolerance:
        raise ValueError(f"divisions add up to {total}, the city total is {city}")
    return total, city

"""Which canonical indicator a figure reports: 城镇新增就业 13971人 -> ``urban_new_jobs``.

The catalogue is data, ``data/vocab/indicators.csv``: one indicator a line, with its theme,
Chinese and English names, the unit families it is given in, the measure phrases that name it
(regular expressions, ';'-separated, tried against the figure's measure), words that rule it
out when its clause says them (a job fair's 新增就业意向 is no 城镇新增就业), and the
publication that defines it (the statistics bureau's indicator explanations where one
exists). The first line that matches wins, so a narrower indicator stands before a wider
one. Adding an indicator is adding a line.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from xining_data.base.paths import VOCAB_DIR

CATALOGUE = VOCAB_DIR / "indicators.csv"
PERSON_UNITS = frozenset({"人", "名", "位"})


@dataclass(frozen=True)
class Indicator:
    """One line of the catalogue."""

    id: str
    theme: str
    name_zh: str
    name_en: str
    unit_families: frozenset[str]
    measures: re.Pattern
    exclude: tuple[str, ...]
    source: str


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


@cache
def catalogue() -> tuple[Indicator, ...]:
    """The indicators, in the catalogue's order."""
    with open(CATALOGUE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return tuple(
        Indicator(
            id=r["id"],
            theme=r["theme"],
            name_zh=r["name_zh"],
            name_en=r["name_en"],
            unit_families=frozenset(_split(r["unit_family"])),
            measures=re.compile("|".join(f"(?:{p})" for p in _split(r["measures"]))),
            exclude=tuple(_split(r["exclude"])),
            source=r["source"],
        )
        for r in rows
    )


@cache
def _by_family() -> dict[str, tuple[Indicator, ...]]:
    """Unit family -> the indicators given in it, in the catalogue's order (a figure tries
    only those)."""
    families = {family for ind in catalogue() for family in ind.unit_families}
    return {f: tuple(ind for ind in catalogue() if f in ind.unit_families) for f in families}


def unit_family(kind: str, unit: str) -> str:
    """The family a figure's unit belongs to: persons (人, 名), person_times (人次), count
    (any other classifier), or the kind itself (percent, money, power, area…)."""
    if kind != "count":
        return kind
    if unit in PERSON_UNITS:
        return "persons"
    return "person_times" if unit == "人次" else "count"


def indicator(measure: str, kind: str, unit: str, clause: str = "", rule: str = "") -> str:
    """The id of the indicator a figure with this measure and unit reports, or ''.

    ``clause`` is the figure's clause; an indicator's exclude words veto it there. ``rule``
    is how the measure was found (:mod:`.measures`): a ``change`` (…、增加8万千瓦) is no
    level of the indicator, unless it is a rate (增长5.6% reports a growth indicator)."""
    family = unit_family(kind, unit)
    if not measure or unit == "percentage point" or (rule == "change" and family != "percent"):
        return ""  # 提高1.5个百分点: a change of a rate is no rate
    for ind in _by_family().get(family, ()):
        if ind.measures.search(measure) and not any(
            word in clause or word in measure for word in ind.exclude
        ):
            return ind.id
    return ""

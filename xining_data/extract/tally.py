"""What a scan has found so far: figures in the making, and the numerals that are not figures.

Every numeral the scanner meets ends up in one of the two lists, so nothing is dropped
silently: a figure (:class:`Found`, still mutable because its subject and period are read
from the words around it after the scan) or an :class:`Unclassified` numeral with a status
(``not a figure`` for vocabulary and rule matches, ``unclassified`` when no rule applies)
and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xining_data.extract.dates import Dated

NOT_A_FIGURE = "not a figure"
UNCLASSIFIED = "unclassified"


@dataclass(slots=True)
class Found:
    """A figure while scanning, and how to find its subject."""

    start: int
    end: int
    kind: str
    rule: str  # after | self | after_self | before | measure | unit, or "" for none
    unit_text: str  # the measure word or unit as written (个月, 人)
    attrs: dict  # the remaining Figure fields


@dataclass(frozen=True)
class Unclassified:
    """A numeral that is not a figure (status ``not a figure``) or that no rule could type."""

    start: int
    end: int
    text: str
    status: str
    reason: str


class Tally:
    """The figures and the unclassified numerals of one text, in the order they were met."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[Found] = []
        self.skipped: list[Unclassified] = []

    def figure(
        self, start: int, end: int, kind: str, rule: str = "", unit_text: str = "", **attrs
    ) -> None:
        self.found.append(Found(start, end, kind, rule, unit_text, attrs))

    def ordinal(self, start: int, end: int, value: Decimal, unit: str = "") -> None:
        self.figure(start, end, "ordinal", value=value, value_min=value, value_max=value, unit=unit)

    def date(self, d: Dated) -> int:
        """Record a date; return its end (where scanning goes on)."""
        attrs = {"date": d.date, "date_precision": d.precision, "date_inferred": d.inferred,
                 "qualifier": d.qualifier}  # fmt: skip
        self.found.append(Found(d.start, d.end, "date", "", "", attrs))
        return d.end

    def skip(self, start: int, end: int, status: str, reason: str) -> int:
        """Record a numeral that is no figure; return its end (where scanning goes on)."""
        self.skipped.append(Unclassified(start, end, self.text[start:end], status, reason))
        return end

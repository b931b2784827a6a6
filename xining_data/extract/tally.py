"""What a scan has found so far: figures in the making, and the numerals that are not figures.

Every numeral the scanner meets ends up in one of the two lists, so nothing is dropped
silently: a figure (:class:`Found`, whose subject and period are read from the words
around it after the scan and set with ``_replace``) or an :class:`Unclassified` numeral with a status (``not a
figure`` for vocabulary and rule matches, ``unclassified`` when no rule applies) and the
reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from xining_data.extract.dates import Dated

NOT_A_FIGURE = "not a figure"
UNCLASSIFIED = "unclassified"


class Found(NamedTuple):
    """A figure while scanning, and how to find its subject; the fields after ``unit_text``
    are those of :class:`~xining_data.extract.figures.Figure`, so a wrong name fails here.

    A NamedTuple rather than a frozen dataclass: one is built per figure and replaced when
    its subject or period is found, and a tuple does both three times faster."""

    start: int
    end: int
    kind: str
    rule: str = ""  # after | self | after_self | before | measure | unit, or "" for none
    unit_text: str = ""  # the measure word or unit as written (个月, 人)
    value: Decimal | None = None
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    qualifier: str = "exact"
    unit: str = ""
    subject: str = ""
    date: str = ""
    date_precision: str = ""
    date_inferred: bool = False
    period: str = ""
    as_of: str = ""


_INDEX = {name: i for i, name in enumerate(Found._fields)}


def with_field(found: Found, name: str, value: object) -> Found:
    """``found._replace(name=value)`` for one field, without its keyword machinery (a scan
    sets a subject or period on most figures)."""
    i = _INDEX[name]
    return tuple.__new__(Found, (*found[:i], value, *found[i + 1 :]))


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

    def figure(self, found: Found) -> int:
        """Record a figure; return its end (where scanning goes on)."""
        self.found.append(found)
        return found.end

    def ordinal(self, start: int, end: int, value: Decimal, unit: str = "") -> int:
        """Record an ordinal (第七, 首个, 一季度); return its end."""
        return self.figure(Found(start, end, "ordinal", value=value, value_min=value,
                                 value_max=value, unit=unit))  # fmt: skip

    def date(self, d: Dated) -> int:
        """Record a date; return its end (where scanning goes on)."""
        return self.figure(Found(d.start, d.end, "date", date=d.date, date_precision=d.precision,
                                 date_inferred=d.inferred, qualifier=d.qualifier))  # fmt: skip

    def skip(self, start: int, end: int, status: str, reason: str) -> int:
        """Record a numeral that is no figure; return its end (where scanning goes on)."""
        self.skipped.append(Unclassified(start, end, self.text[start:end], status, reason))
        return end

"""One pass over a text: find every numeral-bearing token, type it, then read its context.

The master pattern (:mod:`xining_data.extract.vocab`) names the form of the token at hand, and a
handler per form types it: words and labels that only look like numbers (千家万户, “13131”,
《…》), ordinals (第七, 首个, (一), 一是), dates (:mod:`xining_data.extract.dates`) and quantities
(:mod:`xining_data.extract.quantities`). A date form that is no date (13月) is read as a quantity.
After the pass, subjects and periods are read from the words around each figure
(:mod:`xining_data.extract.subjects`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from xining_data.extract import numerals
from xining_data.extract.dates import Calendar
from xining_data.extract.numerals import NumeralError
from xining_data.extract.quantities import Quantities, compared_with_itself
from xining_data.extract.subjects import add_periods, add_subjects
from xining_data.extract.tally import NOT_A_FIGURE, UNCLASSIFIED, Found, Tally, Unclassified
from xining_data.extract.vocab import grammar, markers

RECURRING = tuple(sorted(markers()["recurring"]))  # 每月, 每年: the day after recurs
CONJUNCTIONS = markers()["conjunction"] | {"至", "到", "-", "和"}


class Scanner:
    """Scans one text; :meth:`run` returns its figures (in text order) and the rest."""

    def __init__(
        self, text: str, reference: dt.date | None, inferred: bool, precision: str
    ) -> None:
        self.view = numerals.ascii_digits(text)  # same length: offsets index ``text``
        self.g = grammar()
        self.tally = Tally(text)
        self.calendar = Calendar(self.view, reference, inferred, precision)
        self.quantities = Quantities(self.view, self.tally, self.calendar)
        self.recurring_end = 0  # where the last recurring day ended (每月5日、15日)

    def run(self) -> tuple[list[Found], list[Unclassified]]:
        view, patterns, q = self.view, self.g.patterns, self.quantities
        handlers: dict[str, Callable[[re.Match], int]] = {
            "frac": q.fraction, "pct": q.percent_words, "lex": self.on_lexicon,
            "quote": self.on_quote, "title": self.on_title, "enum": self.on_enumeration,
            "isodate": self.on_date, "yrange": self.on_date, "date": self.on_date,
            "md": self.on_date, "day": self.on_date, "rel": self.on_relative,
            "part": self.on_date, "relmonth": self.on_relative_month,
            "first": self.on_first, "ord": self.on_ordinal, "shi": self.on_enumeration_shi,
            "num": q.read,
        }  # fmt: skip
        search, pos = patterns["master"].search, 0
        while (m := search(view, pos)) is not None:
            end = handlers[m.lastgroup](m)
            pos = max(end, m.start() + 1)
        found = sorted(self.tally.found, key=lambda f: f.start)
        add_subjects(view, found, self.g)
        add_periods(view, found, self.g)
        return found, self.tally.skipped

    # -- words and labels
    def on_lexicon(self, m: re.Match) -> int:
        s, e = m.span()
        if self.g.lexicon.get(m.group()) == "identifier":
            return self.tally.figure(Found(s, e, "identifier"))
        return self.tally.skip(s, e, NOT_A_FIGURE, "lexicon")

    def on_quote(self, m: re.Match) -> int:
        s, e = m.start() + 1, m.end() - 1
        if self.g.patterns["numeral"].fullmatch(self.view[s:e].strip()):
            self.tally.figure(Found(s, e, "identifier"))  # “13131”: a name that is a number
        else:
            self.tally.skip(s, e, NOT_A_FIGURE, "label in quotes")
        return m.end()

    def on_title(self, m: re.Match) -> int:
        self.tally.skip(m.start() + 1, m.end() - 1, NOT_A_FIGURE, "inside a title 《》")
        return m.end()

    # -- ordinals
    def on_enumeration(self, m: re.Match) -> int:
        g = "enum_en1" if m.group("enum_en1") else "enum_en2"
        return self._ordinal(m.start(g), m.end(g), m.group(g), m.end())

    def on_enumeration_shi(self, m: re.Match) -> int:
        return self._ordinal(m.start("shi_sn"), m.end("shi_sn"), m.group("shi_sn"), m.end())

    def on_first(self, m: re.Match) -> int:
        self.tally.ordinal(m.start(), m.end(), Decimal(1), m.group("first_fc"))
        return m.end()

    def on_ordinal(self, m: re.Match) -> int:
        unit = m.group("ord_oc") or ""
        unit = "quarter" if unit == "季度" else unit
        return self._ordinal(m.start(), m.end(), m.group("ord_on"), m.end(), unit=unit)

    def _ordinal(self, s: int, e: int, token: str, resume: int, unit: str = "") -> int:
        try:
            value = numerals.parse(token)
        except NumeralError:
            self.tally.skip(s, e, UNCLASSIFIED, "malformed ordinal")
            return resume
        self.tally.ordinal(s, e, value, unit)
        return resume

    # -- dates
    def on_date(self, m: re.Match) -> int:
        if m.lastgroup in ("md", "day", "part") and self._recurs(m.start()):
            self.recurring_end = m.end()
            return self.tally.skip(m.start(), m.end(), NOT_A_FIGURE, "recurring calendar day")
        if m.lastgroup == "md" and compared_with_itself(self.view, m.start(), m.end()):
            return self.tally.skip(m.start(), m.end(), NOT_A_FIGURE, "一月比一月: an idiom")
        dated = self.calendar.read(m)
        return self.tally.date(dated) if dated else self.quantities.read(m)

    def _recurs(self, s: int) -> bool:
        """每月10日, 每年6月, 逢5日 (and 15日 in 每月5日、15日): a day that comes back is no
        one date."""
        before = self.view[max(0, s - 4) : s].removesuffix("的")
        if before.endswith(RECURRING):
            return True
        between = self.view[self.recurring_end : s]
        return self.recurring_end > 0 and 0 < len(between) <= 1 and between in CONJUNCTIONS

    def on_relative_month(self, m: re.Match) -> int:
        """上月, 下个月, 次月: a month counted from a known month, else no date."""
        dated = self.calendar.read(m)
        if dated is None:
            return self.tally.skip(
                m.start(), m.end(), UNCLASSIFIED, "relative month without a known month"
            )
        return self.tally.date(dated)

    def on_relative(self, m: re.Match) -> int:
        if self.calendar.reference is None:
            return self.tally.skip(
                m.start(), m.end(), UNCLASSIFIED, "relative date without a reference date"
            )
        dated = self.calendar.read(m)
        if dated is None:  # 上年同期 with no year written in its sentence
            return self.tally.skip(
                m.start(), m.end(), UNCLASSIFIED, "relative date without a year to count from"
            )
        return self.tally.date(dated)

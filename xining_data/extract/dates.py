"""Dates as reports write them, resolved to ISO 8601 as far as the text commits.

Reports state the year once and then leave it out: "2024年3月开工，5月完工", "11月", "25日";
they count from the publication date: 去年, 今年以来, 前年11月. A :class:`Calendar` follows a
text from left to right, remembering the year and month written last, and resolves each
date against that or against the report's reference (publication) date. It keeps the
precision the text commits to (2024 is a year, 2024-09 a month, a month range is
``2024-01/2024-10``) and flags a date resolved from an *inferred* publication date, so a
reader knows which dates rest on a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from xining_data.extract import numerals
from xining_data.extract.vocab import grammar, markers, trie

RELATIVE_YEARS = {"大前年": -3, "前年": -2, "去年": -1, "今年": 0, "明年": 1, "后年": 2}
_WRITTEN_YEAR = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-9][0-9])(?=年)")
SINCE = "以来"  # after 年: a period from that year to now
SENTENCE_ENDS = ("。", "！", "？", "!", "?", "\n")
# A date announced or set as a deadline lies ahead (定于25日, 5月底前, 自20日起).
_AHEAD_BEFORE = re.compile(f"(?:{trie(markers()['ahead_before'])})$")
_AHEAD_AFTER = re.compile(
    f"(?:{trie(markers()['month_part'])})?(?:{trie(markers()['ahead_after'])})"
)


def infer_reference_year(text: str) -> int | None:
    """The year a report without a publication date most likely counts 去年 and 今年 from.

    The year it writes most often (the latest on a tie) is the year it is about; a year that
    opens a period running to now (2023年以来) is not: it only says the report is later, since
    the current year's would be 今年以来. A report that looks back (:func:`looks_back`) speaks
    from the year after the one it is about (a year in review, a work report, a press
    conference on last year's results); otherwise it speaks from within it. Dates resolved
    this way are flagged as inferred. None when the text writes no year.
    """
    counts: dict[int, int] = {}
    since: list[int] = []
    for m in _WRITTEN_YEAR.finditer(text):
        year = int(m.group(1))
        if text.startswith(SINCE, m.end() + 1):
            since.append(year)
        else:
            counts[year] = counts.get(year, 0) + 1
    if not counts and not since:
        return None
    year = max(counts, key=lambda y: (counts[y], y)) if counts else max(since) + 1
    if counts and looks_back(text):
        year += 1
    return max(year, max(since, default=year - 1) + 1)


def looks_back(text: str) -> bool:
    """Does a report look back on the year it writes most? It says 去年 other than as the
    base of a comparison (比去年增加 is said from within the year), and 今年 never or only
    for goals and forecasts (去年…；今年将力争…: 今年 is the year after the figures')."""
    from xining_data.extract.modality import speaks_ahead
    from xining_data.extract.reference import is_base

    if not any(
        not is_base(text, {"start": m.start(), "end": m.end()}) for m in re.finditer("去年", text)
    ):
        return False
    return all(speaks_ahead(_sentence_at(text, m.start())) for m in re.finditer("今年", text))


def _sentence_at(text: str, index: int) -> str:
    """The sentence of the text that holds ``index`` (cut at 。！？ and line ends)."""
    start = max((text.rfind(mark, 0, index) for mark in SENTENCE_ENDS), default=-1) + 1
    ends = [e for mark in SENTENCE_ENDS if (e := text.find(mark, index)) >= 0]
    return text[start : min(ends, default=len(text))]


@dataclass(frozen=True, slots=True)
class Dated:
    """A date the text states: where it stands, its ISO value and how precise it is."""

    start: int
    end: int
    date: str
    precision: str  # year, month, day or decade
    inferred: bool = False  # resolved from an inferred publication date
    qualifier: str = "exact"  # "range" for 2020-2024年, 1-10月


def plausible_year(y: int) -> bool:
    return 1000 <= y <= 2199


def small_int(token: str) -> int:
    return int(numerals.parse(token))


def iso(y: int | None, mo: int | None = None, d: int | None = None) -> str | None:
    """2024, 2024-09, 2024-09-25; --09-25 or --09 without a year; None if no such date."""
    try:
        if d is not None:
            return dt.date(y or 2000, mo or 1, d).isoformat() if y else f"--{mo:02d}-{d:02d}"
        if mo is not None:
            if not 1 <= mo <= 12:
                return None
            return f"{y:04d}-{mo:02d}" if y else f"--{mo:02d}"
        return f"{y:04d}"
    except (ValueError, TypeError):
        return None


def decade(start: int, end: int, value: Decimal) -> Dated | None:
    """80年代, 2010年代: a decade, or None if the number is not one."""
    year = int(value) + (1900 if value < 100 else 0)
    if value != value.to_integral_value() or year % 10 or not plausible_year(year):
        return None
    return Dated(start, end, f"{year // 10:03d}", "decade")


class Calendar:
    """The dates of one text, read in order: each resolves against the year and month
    written last (in the same sentence) or the reference date."""

    def __init__(
        self, view: str, reference: dt.date | None, inferred: bool, precision: str
    ) -> None:
        self.view = view
        self.reference = reference
        self.reference_inferred = inferred
        self.reference_precision = precision
        self.year: int | None = None  # the year (and month) last written out, for 11月, 25日
        self.month: int | None = None
        self.year_inferred = False  # that year was counted from an inferred date (去年)
        self.year_relative = False  # that year was counted (去年), not written out
        self.first_month: int | None = None  # where that month's range began (1-5月: 1)
        self.context_at = 0  # where that date was written
        self._date_break = grammar().patterns["date_break"]

    def read(self, m: re.Match) -> Dated | None:
        """The date a master-pattern match states, or None if it is no date (a quantity)."""
        return _READERS[m.lastgroup](self, m)

    def year_number(self, start: int, end: int, year: int) -> Dated:
        """2024年 read as a number with the unit 年: a year, and the context from now on."""
        self._remember(year, None, end)
        return Dated(start, end, f"{year:04d}", "year")

    # -- context
    def _remember(
        self,
        y: int | None,
        mo: int | None,
        at: int,
        inferred: bool = False,
        first: int | None = None,
    ) -> None:
        self.year, self.month, self.context_at, self.year_inferred = y, mo, at, inferred
        self.year_relative = False
        self.first_month = mo if first is None else first

    def _near_context(self, s: int) -> bool:
        """Was the last written date in the same sentence (2024年3月开工，5月完工)?"""
        return not self._date_break.search(self.view, self.context_at, s)

    def _ahead(self, m: re.Match) -> bool:
        """Do the words around a date say it lies ahead (定于|25日, 5月|底前, 20日|起)?"""
        view = self.view
        return bool(
            _AHEAD_BEFORE.search(view, max(0, m.start() - 4), m.start())
            or _AHEAD_AFTER.match(view, m.end())
        )

    def _context_year(
        self, s: int, month: int | None = None, ahead: bool = False
    ) -> tuple[int | None, bool]:
        """The year of a date written without one (11月, 9月25日).

        The last year written in the same sentence; else, when the publication month is known,
        the publication year (the year before for a month well after publication, unless the
        words say the date lies ahead); else the last year written out in the text (a
        year-in-review; not one counted from 去年, which holds for its own sentence); else
        the publication year.
        """
        ref = self.reference
        known_month = ref is not None and self.reference_precision in ("month", "day")
        written = not (self.year_relative and ref is not None)
        if self.year is not None and (self._near_context(s) or (written and not known_month)):
            return self.year, self.year_inferred
        if ref is not None:
            y = ref.year
            if known_month and month is not None and month > ref.month + 1 and not ahead:
                y -= 1
            return y, self.reference_inferred
        return self.year, self.year_inferred

    # -- one reader per date form
    def _isodate(self, m: re.Match) -> Dated | None:
        y, mo, d = (int(m.group(f"isodate_{k}")) for k in ("iy", "im", "id"))
        return self._month_or_day(m, y, mo, d)

    def _year_range(self, m: re.Match) -> Dated | None:
        ya, yb = (int(numerals.parse(m.group(f"yrange_{k}"))) for k in ("ya", "yb"))
        if not (plausible_year(ya) and plausible_year(yb) and ya < yb):
            return None
        self._remember(yb, None, m.end())
        return Dated(m.start(), m.end(), f"{ya:04d}/{yb:04d}", "year", qualifier="range")

    def _date(self, m: re.Match) -> Dated | None:
        y = int(numerals.parse(m.group("date_y")))
        if not plausible_year(y):
            return None
        year_end = self.view.index("年", m.end("date_y")) + 1 + bool(m.group("date_ydu"))
        self._remember(y, None, year_end)
        if m.group("date_part"):
            return self._part(m.start(), m.end(), y, m.group("date_part"), False)
        months = self._months(m, "date", y, False) if m.group("date_mo") else None
        return months or Dated(m.start(), year_end, f"{y:04d}", "year")

    def _part(self, s: int, e: int, y: int | None, word: str, inferred: bool) -> Dated | None:
        """上半年, 三季度, 前三季度 of year ``y``: a month range (year_parts.csv)."""
        first, last = grammar().year_parts[word]
        if y is None:
            return None
        self._remember(y, last, e, inferred, first)
        return Dated(s, e, f"{y:04d}-{first:02d}/{y:04d}-{last:02d}", "month", inferred, "range")

    def _year_part(self, m: re.Match) -> Dated | None:
        """上半年, 一季度 without a year: of the year its sentence wrote, else the publication
        year."""
        y, inferred = self._context_year(m.start())
        return self._part(m.start(), m.end(), y, m.group("part_pw"), inferred)

    def _relative_month(self, m: re.Match) -> Dated | None:
        """上月, 下个月, 本月15日 from the publication month; 次月 from the month its sentence
        wrote (relative_months.csv). None when that month is not known."""
        offset, base = grammar().relative_months[m.group("relmonth_rmw")]
        ref, inferred = self.reference, self.reference_inferred
        if base == "context":
            if self.month is None or self.year is None or not self._near_context(m.start()):
                return None
            y, mo, inferred = self.year, self.month, False
        elif ref is not None and self.reference_precision in ("month", "day"):
            y, mo = ref.year, ref.month
        else:
            return None
        y, mo = y + (mo - 1 + offset) // 12, (mo - 1 + offset) % 12 + 1
        d = small_int(m.group("relmonth_rmd")) if m.group("relmonth_rmd") else None
        return self._month_or_day(m, y, mo, d, inferred)

    def _months(self, m: re.Match, alt: str, y: int | None, inferred: bool) -> Dated | None:
        """Month, month range or day after a year (or none), or None if there is no such date."""
        mo = small_int(m.group(f"{alt}_mo"))
        mo2 = small_int(m.group(f"{alt}_mo2")) if m.group(f"{alt}_mo2") else None
        d = small_int(m.group(f"{alt}_d")) if m.group(f"{alt}_d") else None
        if mo2 is not None:
            first, last = iso(y, mo), iso(y, mo2)
            if d is not None or mo2 <= mo or last is None or first is None:
                return None
            self._remember(y, mo2, m.end(), inferred, mo)
            return Dated(m.start(), m.end(), f"{first}/{last}", "month", inferred, "range")
        return self._month_or_day(m, y, mo, d, inferred)

    def _month_or_day(
        self, m: re.Match, y: int | None, mo: int, d: int | None, inferred: bool = False
    ) -> Dated | None:
        """The month (or day) ``m`` states, now the context; None if there is no such date."""
        date = iso(y, mo, d)
        if date is None:
            return None
        self._remember(y, mo, m.end(), inferred)
        return Dated(m.start(), m.end(), date, "day" if d is not None else "month", inferred)

    def _month_day(self, m: re.Match) -> Dated | None:
        y, inferred = self._context_year(m.start(), small_int(m.group("md_mo")), self._ahead(m))
        return self._months(m, "md", y, inferred)

    def _day(self, m: re.Match) -> Dated | None:
        """25日: the month written last in the sentence, else the publication month if known;
        a day after the publication day is in the month, this or the one before, that puts it
        nearer the publication date, unless the words say it lies ahead (定于25日, 25日起)."""
        d, s, ref = small_int(m.group("day_dd")), m.start(), self.reference
        y, mo, inferred = None, None, False
        if self.month is not None and (self._near_context(s) or self.reference_precision != "day"):
            mo = self.month
            y, inferred = self._context_year(s, mo)
        elif ref is not None and self.reference_precision == "day":
            y, mo, inferred = ref.year, ref.month, self.reference_inferred
            if d > ref.day and not self._ahead(m):
                y, mo = _nearest_month(ref, d)
        date = iso(y, mo, d) if mo is not None else f"---{d:02d}"
        if date is None:
            return None
        return Dated(m.start(), m.end(), date, "day", inferred)

    def _relative(self, m: re.Match) -> Dated | None:
        """去年, 今年以来, 前年11月: counted from the reference date (the caller checks one
        is known)."""
        assert self.reference is not None
        inferred = self.reference_inferred
        if m.group("rel_same"):
            return self._same_period(m)
        y = self.reference.year + RELATIVE_YEARS[m.group("rel_rw")]
        self._remember(y, None, m.end(), inferred)
        self.year_relative = True
        if m.group("rel_rpart"):
            return self._part(m.start(), m.end("rel_rpart"), y, m.group("rel_rpart"), inferred)
        if m.group("rel_mo"):  # 今年6月以来: the date is 今年6月
            end = m.start("rel_since") if m.group("rel_since") else m.end()
            dated = self._months(_Ended(m, end), "rel", y, inferred)
            if dated:
                return dated
        end = m.end() if m.group("rel_since") and not m.group("rel_mo") else m.end("rel_rw")
        return Dated(m.start(), end, f"{y:04d}", "year", inferred)

    def _same_period(self, m: re.Match) -> Dated | None:
        """去年同期, 上年同期: the year before, in the months its sentence wrote (截至8月底，…
        比去年同期: 8月 of the year before); the year alone without such months."""
        assert self.reference is not None
        word, inferred = m.group("rel_rw"), self.reference_inferred
        end = m.end("rel_same")
        near = self.year is not None and self._near_context(m.start())
        if (
            near
            and self.month is not None
            and self.first_month is not None
            and (word in ("去年", "上年"))
        ):  # the sentence's months, a year before
            y = self.year - 1
            first, last = iso(y, self.first_month), iso(y, self.month)
            if first == last:
                return Dated(m.start(), end, last, "month", inferred)
            return Dated(m.start(), end, f"{first}/{last}", "month", inferred, "range")
        if word == "上年":  # the year before the one its sentence speaks of, else unknown
            return Dated(m.start(), end, f"{self.year - 1:04d}", "year") if near else None
        y = self.reference.year + RELATIVE_YEARS[word]
        return Dated(m.start(), end, f"{y:04d}", "year", inferred)


class _Ended:
    """A match whose end is moved (今年6月以来: the date ends before 以来)."""

    def __init__(self, m: re.Match, end: int) -> None:
        self._m, self._end = m, end

    def group(self, name: str) -> str | None:
        return self._m.group(name)

    def start(self) -> int:
        return self._m.start()

    def end(self) -> int:
        return self._end


def _nearest_month(ref: dt.date, d: int) -> tuple[int, int]:
    """(year, month) of day ``d`` nearest ``ref``: its month, or the month before (a report
    of the 5th tells of the 28th before it; a warning of the 21st, of the 22nd after it)."""
    y, mo = ref.year, ref.month
    before = (y, mo - 1) if mo > 1 else (y - 1, 12)
    try:
        ahead, back = dt.date(y, mo, d) - ref, ref - dt.date(*before, d)
    except ValueError:  # no such day in one of the two months
        return y, mo
    return before if back < ahead else (y, mo)


# One reader per date alternative of the master pattern (see vocab.py).
_READERS: dict[str, Callable[[Calendar, re.Match], Dated | None]] = {
    "isodate": Calendar._isodate, "yrange": Calendar._year_range, "date": Calendar._date,
    "md": Calendar._month_day, "day": Calendar._day, "rel": Calendar._relative,
    "part": Calendar._year_part, "relmonth": Calendar._relative_month,
}  # fmt: skip

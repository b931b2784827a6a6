"""Figure extraction: every number in a report, typed, exact and traceable to its sentence.

The grammar of a Chinese quantity, as the scanner reads it::

    [qualifier] numeral [multiplier] [余/多] [–numeral [multiplier]] [个[多/半]] measure [/per] [tail]
    约 / 近 / 超过   5.1 / 一万二  万 / 亿       1万-5万 / 3至5   个 家 人 元 % 亩 天  以上 左右

next to dates (2024年9月25日, 1-10月, 去年11月, 今年以来), ordinals (第七, 首个, 一是),
percentages written out (百分之五), fractions (三分之一) and the things that only look like
numbers: idioms and lexicalised words (千家万户, 一对一, 零工, 百度), labels in quotes (“五停”,
“13131”), numbers inside titles (《…》) and names (2024世界智慧城市…大奖), and the indefinite
article 一 (一个费劲, 每一位). The words live in ``data/vocab/*.csv`` and are read once.

Every numeral the scanner meets ends up either as a :class:`Figure` or in the unclassified
list (:func:`unclassified`) with a status (``not a figure`` for vocabulary and rule matches,
``unclassified`` when no rule applies) and a reason; nothing is dropped silently. Values are
``Decimal``; the table stores them as plain strings ('108500', '76.58') so CSV output is exact.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext
from functools import cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import numerals
from .numerals import NumeralError, plain
from .paths import VOCAB_DIR
from .report import Report, load, read_reports
from .segment import Article, articles, sentences

QUALIFIERS = ("exact", "more_than", "nearly", "about", "at_most", "range")
NOT_QUANTITIES = frozenset({"date", "ordinal", "identifier"})
NOT_A_FIGURE = "not a figure"
UNCLASSIFIED = "unclassified"
COLUMNS = [
    "report", "article", "article_title", "theme", "start", "end", "text", "kind", "value",
    "value_min", "value_max", "qualifier", "unit", "subject", "date", "date_precision",
    "date_inferred", "period", "as_of", "sentence", "sentence_start", "sentence_end", "place",
    "place_adcode",
]  # fmt: skip
UNCLASSIFIED_COLUMNS = ["report", "article", "start", "end", "text", "status", "reason", "sentence"]
# A fact stated twice is the same fact when these agree (see merged_figures).
MERGE_KEY = ["report", "theme", "kind", "value", "value_min", "value_max", "qualifier", "unit",
             "subject", "date"]  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """One figure: where it stands in the text, what it is and how much."""

    start: int
    end: int
    text: str
    kind: str
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


@dataclass(frozen=True)
class Unclassified:
    """A numeral that is not a figure (status ``not a figure``) or that no rule could type."""

    start: int
    end: int
    text: str
    status: str
    reason: str


# ---------------------------------------------------------------- vocabulary and grammar


def _rows(name: str) -> list[dict[str, str]]:
    with open(VOCAB_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _trie(words: Iterable[str]) -> str:
    """A regular expression matching the longest of ``words``, factored as a trie (fast)."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root) or "(?!)"


@dataclass(frozen=True)
class _Grammar:
    lexicon: dict[str, str]
    measures: dict[str, tuple[str, str, bool]]  # word -> (unit, subject rule, 首X is an ordinal)
    units: dict[str, tuple[str, str]]  # word -> (kind, normalised unit)
    before: dict[str, str]  # qualifier words before the numeral
    after: dict[str, str]  # between numeral and measure word (余, 多)
    tail: dict[str, str]  # after the measure word (以上, 左右)
    periods: dict[str, tuple[str, str]]
    patterns: dict[str, re.Pattern] = field(repr=False)


CN_D = numerals.CN_DIGIT_CHARS
CN_U = numerals.CN_UNIT_CHARS
NUMERAL_CHARS = f"0-9{CN_D}{CN_U}"
ARABIC = r"(?<![0-9.])(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?"
CN_RUN = rf"(?![零〇](?!点))[{CN_D}{CN_U}]+(?:点[{CN_D}]+[{numerals.MULTIPLIER_CHARS}]*)?"
NUM = rf"(?:{ARABIC}|{CN_RUN})"
MULT = r"(?:[十万亿拾萬億]|[千仟](?![米克瓦伏])|[百佰](?!分))*"
SEP = r"[-~～—–－至到]"
YEAR = r"(?<![0-9])(?:[0-9]{4}|[〇零一二三四五六七八九]{4})(?![0-9])"
MON = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
DAY10 = r"(?:3[01]|[12][0-9]|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?)"
DAY = rf"(?:{DAY10}|[一二三四五六七八九])"
GE_TIME = "(?:月|小时|星期|钟头|季度|工作日)"
# The start of a line or sentence, allowing up to two spaces (fixed-width look-behinds).
LINE_START = r"(?:^|(?<=[\n。；：:])|(?<=[\n。；：:][ \t\u3000])|(?<=[\n。；：:][ \t\u3000]{2}))"
STOP_CHARS = frozenset("，。、；：！？,.;:!?…—\n\t \u3000《》【】[]()（）<>")
CONJUNCTIONS = frozenset("和与及或、")
ATTRIBUTIVE = frozenset("级級型式性")
NOMINAL_SUFFIXES = frozenset("率值额量费金款业者员数度物品")
CURRENCY_SIGNS = {"¥": "CNY", "￥": "CNY", "$": "USD", "€": "EUR"}
BARE_MULTIPLIERS = frozenset("百千万亿佰仟萬億")
NEGATIVE_AFTER = frozenset("为至到是达约:：(（ ,，、；")
DETERMINERS = frozenset("这那每哪某同任单统唯逐专划之该此")
TIME_PERIODS = {"年": "per year", "日": "per day", "天": "per day", "月": "per month",
                "周": "per week", "小时": "per hour", "秒": "per second"}  # fmt: skip
PERIOD_BLOCKERS = frozenset("全今去明每近当上本同整")


def _prefixed(name: str, body: str) -> str:
    """Inner group names repeat across alternatives (mo, d): prefix them with the alternative."""
    return re.sub(r"\(\?P([<=])(\w+)", lambda m: f"(?P{m.group(1)}{name}_{m.group(2)}", body)


@cache
def grammar() -> _Grammar:
    """The vocabularies and compiled patterns, built once."""
    lexicon = {r["word"]: r["kind"] for r in _rows("lexicon.csv")}
    measures = {
        r["word"]: (r["unit"], r["subject"], r["first"] == "1") for r in _rows("measure_words.csv")
    }
    units = {r["word"]: (r["kind"], r["unit"]) for r in _rows("units.csv")}
    quals = _rows("qualifiers.csv")
    before = {r["word"]: r["qualifier"] for r in quals if r["position"] == "before"}
    after = {r["word"]: r["qualifier"] for r in quals if r["position"] == "after"}
    tail = {r["word"]: r["qualifier"] for r in quals if r["position"] == "tail"}
    periods = {r["word"]: (r["column"], r["value"]) for r in _rows("periods.csv")}
    bounds = _rows("boundaries.csv")
    predicates = frozenset(r["word"] for r in bounds if r["role"] == "predicate")
    nouns = [r["word"] for r in _rows("nouns.csv")]
    # Inside a noun phrase only words of two or more characters (and 的, 和 …) end it:
    # single characters such as 约 or 共 also occur inside words (节约, 公共).
    stops = [
        w
        for w in [r["word"] for r in bounds] + list(periods)
        if len(w) > 1 or w in "的和与及或等并了"
    ]

    num_start = [w for w in lexicon if w[0] in CN_D + CN_U]
    other = [w for w in lexicon if w[0] not in CN_D + CN_U]
    guard = f"(?![0-9{CN_D}{CN_U}])"
    lex = rf"(?:(?<![{NUMERAL_CHARS}]){_trie(num_start)}|{_trie(other)}){guard}"
    unit_trie = _trie(list(measures) + list(units))
    first = _trie(w for w, (_, _, f) in measures.items() if f)
    enum_num = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
    quote_body = rf"(?=[^“”\n，。；]{{0,15}}[{NUMERAL_CHARS}])[^“”\n，。；]{{1,16}}"
    alternatives = {
        "pct": rf"百分之(?P<pn>{NUM})",
        "frac": rf"(?P<den>{NUM})分之(?P<numr>{NUM})",
        "lex": lex,
        "quote": rf"“{quote_body}”|「{quote_body}」|\"(?=[^\s\"])(?=[^\"\n，。；]{{0,15}}[{NUMERAL_CHARS}])[^\"\n，。；]{{1,16}}(?<=\S)\"",
        "title": rf"《(?=[^《》]{{0,79}}[{NUMERAL_CHARS}])[^《》]{{1,80}}》",
        "enum": rf"[（(][ ]?(?P<en1>{enum_num})[ ]?[）)]|{LINE_START}(?P<en2>{enum_num})(?:、|[.．](?![0-9]))",
        "isodate": r"(?<![0-9.])(?P<iy>(?:19|20)[0-9]{2})(?P<isep>[-./])(?P<im>[0-9]{1,2})(?P=isep)(?P<id>[0-9]{1,2})(?![0-9])",
        "yrange": rf"(?P<ya>{YEAR})年?[ ]?{SEP}[ ]?(?P<yb>{YEAR})年(?![代级])",
        "date": rf"(?P<y>{YEAR})[ ]?年(?![代级])(?P<ydu>度)?(?:(?P<mo>{MON})(?:{SEP}(?P<mo2>{MON}))?[ ]?月份?(?:(?P<d>{DAY})[ ]?[日号])?)?",
        "md": rf"(?<![0-9.{CN_D}{CN_U}])(?P<mo>{MON})(?:{SEP}(?P<mo2>{MON}))?月份?(?:(?P<d>{DAY})[ ]?[日号])?",
        "day": rf"(?<![0-9.{CN_D}{CN_U}])(?P<dd>{DAY10})日(?!内|以内|之内|均|[0-9])",
        "rel": rf"(?P<rw>大前年|(?<![提之以目])前年|去年|今年|明年|后年)(?:(?P<rmo>{MON})月份?(?:(?P<rd>{DAY})[日号])?)?(?P<since>以来)?",
        "first": rf"(?<![元自为])首(?P<fc>{first})",
        "ord": rf"第(?P<on>{NUM})(?P<oc>{_trie(list(measures) + ['季度'])})?",
        "shi": r"(?:(?<=[\n。；;，,：:])|^)(?P<sn>[一二三四五六七八九十]{1,2})是",
        "num": NUM,
    }
    master = "|".join(f"(?P<{name}>{_prefixed(name, body)})" for name, body in alternatives.items())
    head = rf"(?P<n1>{NUM})(?P<m1>{MULT})(?P<a1>[余多来几])?(?P<m1b>{MULT})(?P<p1>[ ]?[%％﹪‰])?"
    ranged = (
        rf"(?:[ ]?(?P<sep>{SEP})[ ]?(?P<n2>{NUM})(?P<m2>{MULT})(?P<a2>[余多])?(?P<m2b>{MULT}))?"
    )
    unranged = "(?:(?!)(?P<sep>)(?P<n2>)(?P<m2>)(?P<a2>)(?P<m2b>))?"  # same groups, never taken
    rest = (
        rf"(?:(?P<ge>个)(?P<a3>[多半])?(?={GE_TIME}))?"
        rf"(?:[ ]?(?P<unit>{unit_trie}))?(?P<half>半(?![载年]))?"
        rf"(?:[/／](?P<per>{unit_trie}))?"
    )
    # Every alternative starts with one of these characters: re scans for them in C, and the
    # master pattern is tried only there.
    firsts = set(NUMERAL_CHARS.replace("0-9", "0123456789")) | {w[0] for w in lexicon}
    firsts |= set('“「"《（(大前去今明后首第百')
    patterns = {
        "candidate": re.compile("[" + "".join(sorted(re.escape(c) for c in firsts)) + "]"),
        "master": re.compile(master),
        "qty": re.compile(head + ranged + rest),
        "qty_single": re.compile(head + unranged + rest),
        "before": re.compile(rf"(?:{_trie(list(before) + ['零下'])})$"),
        "tail": re.compile(_trie(tail)),
        "period": re.compile(_trie(periods)),
        "head": re.compile(_trie(nouns)),
        "bound_rev": re.compile(_trie(w[::-1] for w in stops)),
        "stop": re.compile(_trie(w for w in stops if len(w) > 1)),
        "pred_rev": re.compile(_trie(w[::-1] for w in list(predicates) + list(before))),
        "numeral": re.compile(rf"{NUM}"),
        "ascii_run": re.compile(r"[A-Za-z0-9.+\-]*"),
        "date_break": re.compile(r"[。！？!?\n]"),
        "range_tail": re.compile(
            rf"[ ]?{SEP}[ ]?(?P<neg>[-－])?(?P<n>{NUM})(?P<m>{MULT})(?P<u>{unit_trie})"
        ),
        "clause_end": re.compile(r"[，,。；;！？!?\n]"),
        "sentence_end": re.compile(r"[。；;！？!?\n]"),
    }
    return _Grammar(lexicon, measures, units, before, after, tail, periods, patterns)


# ---------------------------------------------------------------- the scanner


@dataclass(slots=True)
class _Found:
    """A figure while scanning (mutable: subject and period come later), and how to find
    its subject."""

    start: int
    end: int
    kind: str
    rule: str  # after | self | after_self | before | measure | unit, or "" for none
    unit_text: str
    attrs: dict


class _Scanner:
    """One pass over a text: the master pattern finds the next numeral-bearing token,
    a handler per alternative types it and says where scanning goes on."""

    def __init__(
        self,
        text: str,
        reference: dt.date | None,
        reference_inferred: bool,
        reference_precision: str,
    ) -> None:
        self.text = text
        self.view = numerals.ascii_digits(text)
        self.g = grammar()
        self.p = self.g.patterns
        self.reference = reference
        self.reference_inferred = reference_inferred
        self.reference_precision = reference_precision
        self.year: int | None = None  # the year (and month) last written out, for 11月, 25日
        self.month: int | None = None
        self.context_at = 0  # where that date was written
        self.found: list[_Found] = []
        self.skipped: list[Unclassified] = []

    # -- bookkeeping
    def figure(self, start: int, end: int, kind: str, rule: str = "", unit_text: str = "", **kw):
        self.found.append(_Found(start, end, kind, rule, unit_text, kw))

    def skip(self, start: int, end: int, status: str, reason: str) -> None:
        self.skipped.append(Unclassified(start, end, self.text[start:end], status, reason))

    def run(self) -> tuple[list[Figure], list[Unclassified]]:
        master, view, pos = self.p["master"], self.view, 0
        handlers = {
            "frac": self.on_fraction, "pct": self.on_percent_words, "lex": self.on_lexicon,
            "quote": self.on_quote, "title": self.on_title, "enum": self.on_enumeration,
            "isodate": self.on_isodate, "yrange": self.on_year_range, "date": self.on_date,
            "md": self.on_month_day, "day": self.on_day, "rel": self.on_relative,
            "first": self.on_first, "ord": self.on_ordinal, "shi": self.on_enumeration_shi,
            "num": self.on_quantity,
        }  # fmt: skip
        candidate = self.p["candidate"]
        while True:
            c = candidate.search(view, pos)
            if c is None:
                break
            m = master.match(view, c.start())
            if m is None:
                pos = c.start() + 1
                continue
            end = handlers[m.lastgroup](m)
            pos = max(end, m.start() + 1)
        found = sorted(self.found, key=lambda f: f.start)
        _add_subjects(view, found, self.p)
        _add_periods(view, found, self.g)
        text = self.text
        figures = [Figure(f.start, f.end, text[f.start : f.end], f.kind, **f.attrs) for f in found]
        return figures, self.skipped

    # -- words and labels
    def on_lexicon(self, m: re.Match) -> int:
        s, e = m.span()
        if self.g.lexicon.get(m.group()) == "identifier":
            self.figure(s, e, "identifier")
        else:
            self.skip(s, e, NOT_A_FIGURE, "lexicon")
        return e

    def on_quote(self, m: re.Match) -> int:
        s, e = m.start() + 1, m.end() - 1
        inner = self.view[s:e]
        if self.p["numeral"].fullmatch(inner.strip()):
            self.figure(s, e, "identifier")  # “13131”: a name that is a number
        else:
            self.skip(s, e, NOT_A_FIGURE, "label in quotes")
        return m.end()

    def on_title(self, m: re.Match) -> int:
        self.skip(m.start() + 1, m.end() - 1, NOT_A_FIGURE, "inside a title 《》")
        return m.end()

    # -- ordinals
    def on_enumeration(self, m: re.Match) -> int:
        g = "enum_en1" if m.group("enum_en1") else "enum_en2"
        return self._ordinal(m.start(g), m.end(g), m.group(g), m.end())

    def on_enumeration_shi(self, m: re.Match) -> int:
        return self._ordinal(m.start("shi_sn"), m.end("shi_sn"), m.group("shi_sn"), m.end())

    def _ordinal(self, s: int, e: int, token: str, resume: int, unit: str = "") -> int:
        try:
            value = numerals.parse(token)
        except NumeralError:
            self.skip(s, e, UNCLASSIFIED, "malformed ordinal")
            return resume
        self.figure(s, e, "ordinal", value=value, value_min=value, value_max=value, unit=unit)
        return resume

    def on_first(self, m: re.Match) -> int:
        one = Decimal(1)
        kw = {"value": one, "value_min": one, "value_max": one, "unit": m.group("first_fc")}
        self.figure(m.start(), m.end(), "ordinal", **kw)
        return m.end()

    def on_ordinal(self, m: re.Match) -> int:
        unit = m.group("ord_oc") or ""
        unit = "quarter" if unit == "季度" else unit
        return self._ordinal(m.start(), m.end(), m.group("ord_on"), m.end(), unit=unit)

    # -- dates
    def _iso(self, y: int | None, mo: int | None = None, d: int | None = None) -> str | None:
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

    def _date(self, s: int, e: int, iso: str, precision: str, inferred: bool = False, **kw):
        self.figure(s, e, "date", date=iso, date_precision=precision, date_inferred=inferred, **kw)

    def _context(self, y: int | None, mo: int | None, at: int) -> None:
        self.year, self.month, self.context_at = y, mo, at

    def _near_context(self, s: int) -> bool:
        """Was the last written date in the same sentence (2024年3月开工，5月完工)?"""
        return not self.p["date_break"].search(self.view, self.context_at, s)

    def _context_year(self, s: int, month: int | None = None) -> tuple[int | None, bool]:
        """The year of a date written without one (11月, 9月25日).

        The last year written in the same sentence; else, when the publication month is known,
        the publication year (the year before for a month well after publication); else the
        last year written in the text (a year-in-review); else the publication year.
        """
        known_month = self.reference is not None and self.reference_precision in ("month", "day")
        if self.year is not None and (self._near_context(s) or not known_month):
            return self.year, False
        if self.reference is not None:
            y = self.reference.year
            if known_month and month is not None and month > self.reference.month + 1:
                y -= 1
            return y, self.reference_inferred
        return self.year, False

    def on_isodate(self, m: re.Match) -> int:
        y, mo, d = (int(m.group(f"isodate_{k}")) for k in ("iy", "im", "id"))
        iso = self._iso(y, mo, d)
        if iso is None:
            return self.on_quantity(m)
        self._context(y, mo, m.end())
        self._date(m.start(), m.end(), iso, "day")
        return m.end()

    def on_year_range(self, m: re.Match) -> int:
        ya, yb = (int(numerals.parse(m.group(f"yrange_{k}"))) for k in ("ya", "yb"))
        if not (_plausible_year(ya) and _plausible_year(yb) and ya < yb):
            return self.on_quantity(m)
        self._context(yb, None, m.end())
        self._date(m.start(), m.end(), f"{ya:04d}/{yb:04d}", "year", qualifier="range")
        return m.end()

    def on_date(self, m: re.Match) -> int:
        y = int(numerals.parse(m.group("date_y")))
        if not _plausible_year(y):
            return self.on_quantity(m)
        year_end = self.view.index("年", m.end("date_y")) + 1 + bool(m.group("date_ydu"))
        self._context(y, None, year_end)
        if m.group("date_mo"):
            got = self._months(m, "date", y, False)
            if got:
                return got
        self._date(m.start(), year_end, f"{y:04d}", "year")
        return year_end

    def _months(self, m: re.Match, alt: str, y: int | None, inferred: bool) -> int:
        """Month, month range or day after a year (or none): the date figure, or 0 if invalid."""
        mo = _small_int(m.group(f"{alt}_mo"))
        mo2 = _small_int(m.group(f"{alt}_mo2")) if m.group(f"{alt}_mo2") else None
        d = _small_int(m.group(f"{alt}_d")) if m.group(f"{alt}_d") else None
        if mo2 is not None:
            if d is not None or mo2 <= mo or self._iso(y, mo2) is None or self._iso(y, mo) is None:
                return 0
            iso = f"{self._iso(y, mo)}/{self._iso(y, mo2)}"
            self._context(y, mo2, m.end())
            self._date(m.start(), m.end(), iso, "month", inferred, qualifier="range")
            return m.end()
        iso = self._iso(y, mo, d)
        if iso is None:
            return 0
        self._context(y, mo, m.end())
        self._date(m.start(), m.end(), iso, "day" if d is not None else "month", inferred)
        return m.end()

    def on_month_day(self, m: re.Match) -> int:
        y, inferred = self._context_year(m.start(), _small_int(m.group("md_mo")))
        return self._months(m, "md", y, inferred) or self.on_quantity(m)

    def on_day(self, m: re.Match) -> int:
        """25日: the month written last in the sentence, else the publication month if known."""
        d, s, ref = _small_int(m.group("day_dd")), m.start(), self.reference
        y, mo, inferred = None, None, False
        if self.month is not None and (self._near_context(s) or self.reference_precision != "day"):
            mo = self.month
            y, inferred = self._context_year(s, mo)
        elif ref is not None and self.reference_precision == "day":
            y, mo, inferred = ref.year, ref.month, self.reference_inferred
        iso = self._iso(y, mo, d) if mo is not None else f"---{d:02d}"
        if iso is None:
            return self.on_quantity(m)
        self._date(m.start(), m.end(), iso, "day", inferred)
        return m.end()

    def on_relative(self, m: re.Match) -> int:
        if self.reference is None:
            self.skip(m.start(), m.end(), UNCLASSIFIED, "relative date without a reference date")
            return m.end()
        offset = {"大前年": -3, "前年": -2, "去年": -1, "今年": 0, "明年": 1, "后年": 2}
        y = self.reference.year + offset[m.group("rel_rw")]
        self._context(y, None, m.end())
        if m.group("rel_rmo") and not m.group("rel_since"):
            mo = _small_int(m.group("rel_rmo"))
            d = _small_int(m.group("rel_rd")) if m.group("rel_rd") else None
            iso = self._iso(y, mo, d)
            if iso is not None:
                self._context(y, mo, m.end())
                precision = "day" if d is not None else "month"
                self._date(m.start(), m.end(), iso, precision, self.reference_inferred)
                return m.end()
        end = m.end() if m.group("rel_since") and not m.group("rel_rmo") else m.end("rel_rw")
        self._date(m.start(), end, f"{y:04d}", "year", self.reference_inferred)
        return end

    # -- quantities
    def on_fraction(self, m: re.Match) -> int:
        try:
            den, numr = numerals.parse(m.group("frac_den")), numerals.parse(m.group("frac_numr"))
            with localcontext() as ctx:
                ctx.prec = 12
                value = numr / den
        except (NumeralError, ArithmeticError):
            self.skip(m.start(), m.end(), UNCLASSIFIED, "malformed fraction")
            return m.end()
        return self._finish(m.start(), m.end(), value, None, "fraction", "fraction", "before")

    def on_percent_words(self, m: re.Match) -> int:
        try:
            value = numerals.parse(m.group("pct_pn"))
        except NumeralError:
            self.skip(m.start(), m.end(), UNCLASSIFIED, "malformed percentage")
            return m.end()
        return self._finish(m.start(), m.end(), value, None, "percent", "%", "before")

    def _prefix(self, s: int) -> tuple[int, str, str]:
        """A qualifier word right before the numeral: (its start, word, qualifier)."""
        m = self.p["before"].search(self.view, max(0, s - 4), s)
        if not m:
            return s, "", ""
        word = m.group()
        if word == "近" and m.start() > 0 and self.view[m.start() - 1] in "附最邻靠":
            return s, "", ""
        return m.start(), word, self.g.before.get(word, "")

    def _finish(
        self,
        s: int,
        e: int,
        value: Decimal,
        hi: Decimal | None,
        kind: str,
        unit: str,
        rule: str,
        qualifiers: tuple[str, ...] = (),
        unit_text: str = "",
        period: str = "",
        bare: bool = False,
    ) -> int:
        """Apply the qualifiers before and after, record the figure, return where to go on."""
        start, word, before = self._prefix(s)
        if word in ("上", "过", "破") and not bare:
            start, word, before = s, "", ""
        if word == "零下":
            value, before = -value, ""
        if word == "近" and kind == "duration" and unit in ("year", "month", "quarter", "day"):
            before = "exact"  # 近三年: the last three years, not "nearly three years"
        tail = self.p["tail"].match(self.view, e)
        after_q = ""
        if tail and self._tail_applies(tail.group(), kind, tail.end()):
            after_q, e = self.g.tail[tail.group()], tail.end()
        if bare and not (before or any(qualifiers) or after_q):
            self.skip(start, e, NOT_A_FIGURE, "bare multiplier inside a word")
            return e
        if hi is not None:
            qualifier = "range"
        else:
            qualifier = next((q for q in (before, *qualifiers, after_q) if q), "exact")
        lo_b, hi_b = _bounds(value, hi, qualifier)
        self.figure(
            start, e, kind, rule, unit_text, value=value, value_min=lo_b, value_max=hi_b,
            qualifier=qualifier, unit=unit, period=period,
        )  # fmt: skip
        return e

    def _tail_applies(self, word: str, kind: str, end: int) -> bool:
        if word == "多":
            return kind == "duration"  # 一年多
        if word == "内":
            return kind in ("duration", "length", "area")  # 30日内, 5公里内 (not 5个县内)
        if word == "上下":
            nxt = self.view[end : end + 1]
            return not nxt or nxt == "的" or not _is_cjk(nxt)
        return True

    def on_quantity(self, m: re.Match) -> int:
        s = m.start()
        p, view = self.p, self.view
        q = p["qty"].match(view, s)
        if q is None:  # cannot happen: the master found a numeral here
            self.skip(s, m.end(), UNCLASSIFIED, "not a numeral")
            return m.end()
        n1 = q.group("n1")
        try:
            lo = numerals.parse(n1)
            hi: Decimal | None = None
        except NumeralError:
            try:
                lo, hi = numerals.parse_range(n1)
            except NumeralError:
                self.skip(s, q.end("n1"), UNCLASSIFIED, "malformed numeral")
                return q.end("n1")
        # 降至-5℃: a minus sign, not a dash
        minus = (
            s > 0
            and view[s - 1] in "-－"
            and (s == 1 or view[s - 2] in NEGATIVE_AFTER or _is_cjk(view[s - 2]))
        )
        lo = -lo if minus else lo
        ranged = None
        if q.group("sep") and hi is None:
            ranged = self._range(q, lo)
            if ranged is None:
                q = p["qty_single"].match(view, s)
        s -= minus
        if ranged:
            lo, hi = ranged
        else:
            scale = _multiplier(q.group("m1") + q.group("m1b"))
            lo, hi = lo * scale, (hi * scale if hi is not None else None)
        return self._typed(q, s, lo, hi, n1)

    def _range(self, q: re.Match, lo: Decimal) -> tuple[Decimal, Decimal] | None:
        try:
            hi = numerals.parse(q.group("n2"))
        except NumeralError:
            return None
        m1 = _multiplier(q.group("m1") + q.group("m1b"))
        m2 = _multiplier(q.group("m2") + q.group("m2b"))
        lo, hi = lo * (m1 if q.group("m1") + q.group("m1b") else m2), hi * m2
        return (lo, hi) if lo < hi else None

    def _typed(self, q: re.Match, s: int, lo: Decimal, hi: Decimal | None, n1: str) -> int:
        """Type a numeral by what follows it: unit, measure word, percent sign, or nothing."""
        g, view = self.g, self.view
        if s > 0 and view[s - 1] in "数几" and not n1[0].isdigit():
            e = q.end("unit") if q.group("unit") else q.end("n1")
            self.skip(s - 1, e, NOT_A_FIGURE, "vague quantity (数百, 几十)")
            return e
        bare = n1 in BARE_MULTIPLIERS  # 百姓, 万家: a lone 百/千/万/亿 is a word part
        lone_one = n1 in ("一", "壹") and hi is None and not q.group("m1") + q.group("m1b")
        quals = tuple(g.after.get(q.group(k) or "", "") for k in ("a1", "a2", "a3"))
        unit_word = q.group("unit") or ""
        end_num = max(q.end("n1"), q.end("m1b"), q.end("p1"), q.end("m2b") if q.group("sep") else 0)
        if q.group("p1") or (unit_word and g.units.get(unit_word, ("",))[0] == "percent"):
            if unit_word and g.units.get(unit_word, ("",))[0] != "percent":
                unit_word = ""
            e = q.end("unit") if unit_word else end_num
            unit = g.units[unit_word][1] if unit_word else "%"
            if unit_word == "成":  # 九成: nine tenths
                if lo > 10 or (hi is not None and hi > 10):
                    self.skip(s, e, UNCLASSIFIED, "more than ten tenths (成)")
                    return e
                lo, hi = lo * 10, (hi * 10 if hi is not None else None)
            return self._finish(s, e, lo, hi, "percent", unit, "before", quals)
        if q.group("ge") and unit_word:
            unit_word = "个" + unit_word
        if not unit_word and s > 0 and view[s - 1] in CURRENCY_SIGNS:  # ¥1,644.35亿
            unit = CURRENCY_SIGNS[view[s - 1]]
            return self._finish(s - 1, end_num, lo, hi, "money", unit, "before", quals)
        if not unit_word:
            return self._no_unit(q, s, end_num, lo, hi, n1, lone_one)
        if unit_word == "度" and not (q.group("m1") + q.group("m1b") or set(n1) & set("万亿萬億")):
            self.skip(s, q.end("unit"), UNCLASSIFIED, "ambiguous unit 度 (degrees or kWh)")
            return q.end("unit")
        e = q.end("unit")
        if _is_ascii_letter(unit_word[-1]) and _is_ascii_letter(view[e : e + 1]):
            return self._no_unit(q, s, end_num, lo, hi, n1, lone_one)
        if lone_one and s > 0 and view[s - 1] in DETERMINERS:
            self.skip(s - 1, e, NOT_A_FIGURE, "determiner + 一 (这一, 每一)")
            return e
        if hi is None:  # 1万元至5万元, -5℃至2℃: the unit written on both ends
            hi, e = self._unit_range(lo, q.group("unit"), e)
        if unit_word in g.measures:
            unit, rule, _ = g.measures[unit_word]
            if lone_one and not self._emphasised(s):
                self.skip(s, e, NOT_A_FIGURE, "一 + measure word is the indefinite article")
                return e
            return self._finish(s, e, lo, hi, "count", unit, rule, quals, unit_word, bare=bare)
        kind, unit = g.units[unit_word]
        core = unit_word.removeprefix("个")
        if core == "月" and not q.group("ge"):
            self.skip(s, e, UNCLASSIFIED, "month number out of range")
            return e
        if core in ("年", "日", "季度") and not q.group("ge"):
            special = self._calendar_unit(q, s, e, core, lo, hi, n1)
            if special:
                return special
            kind = "duration"
            unit = {"年": "year", "日": "day", "季度": "quarter"}[core]
        if kind == "decade":
            return self._decade(s, e, lo)
        if kind in ("identifier", "ordinal"):
            kw = {} if kind == "identifier" else {"value": lo, "value_min": lo, "value_max": lo}
            self.figure(s, e, kind, unit=unit, **kw)
            return e
        half = q.group("a3") == "半" or (q.group("half") and kind == "duration")
        if half:
            lo += Decimal("0.5")
            e = max(e, q.end("half") if q.group("half") else e)
        period = ""
        if q.group("per"):
            per = q.group("per")
            per_unit = g.units[per][1] if per in g.units else per
            period = TIME_PERIODS.get(per, "")
            unit = f"{unit}/{per_unit}"
            kind = "money" if kind == "money" else "rate"
            e = q.end("per")
        rule = "unit" if kind in ("duration", "age") else "before" if kind in (
            "money", "percent", "ratio", "fraction") else "measure"  # fmt: skip
        return self._finish(s, e, lo, hi, kind, unit, rule, quals, unit_word, period, bare)

    def _unit_range(self, lo: Decimal, unit: str, e: int) -> tuple[Decimal | None, int]:
        r = self.p["range_tail"].match(self.view, e)
        if not r or r.group("u") != unit:
            return None, e
        try:
            top = numerals.parse(r.group("n")) * _multiplier(r.group("m"))
        except NumeralError:
            return None, e
        top = -top if r.group("neg") else top
        return (top, r.end()) if lo < top else (None, e)

    def _emphasised(self, s: int) -> bool:
        """仅一家, 只有一个: a real count of one, not the indefinite article."""
        before = self.view[max(0, s - 2) : s]
        return before.endswith(("仅", "只", "唯", "共", "仅有", "只有", "新增", "新建", "累计"))

    def _calendar_unit(self, q, s, e, core, lo, hi, n1) -> int:
        """年 after a year number, 季度 after 1-4, 日 in "15日内": dates, quarters, spans."""
        plain_int = hi is None and lo == lo.to_integral_value() and not q.group("a1")
        if core == "年" and plain_int and len(n1) == 4 and _plausible_year(int(lo)):
            self._context(int(lo), None, e)
            self._date(s, e, f"{int(lo):04d}", "year")
            return e
        first_quarters = s > 0 and self.view[s - 1] in "前近后每个"  # 前三季度: a span
        if core == "季度" and plain_int and 1 <= lo <= 4 and not first_quarters:
            kw = {"value": lo, "value_min": lo, "value_max": lo}
            self.figure(s, e, "ordinal", unit="quarter", **kw)
            return e
        return 0

    def _decade(self, s: int, e: int, lo: Decimal) -> int:
        year = int(lo) + (1900 if lo < 100 else 0)
        if lo != lo.to_integral_value() or year % 10 or not _plausible_year(year):
            self.skip(s, e, UNCLASSIFIED, "not a decade")
            return e
        self._date(s, e, f"{year // 10:03d}", "decade")
        return e

    def _no_unit(self, q, s, end_num, lo, hi, n1, lone_one) -> int:
        """A numeral with nothing after it that types it: a name, a code, or unclassified."""
        view = self.view
        prev, nxt = view[s - 1 : s], view[end_num : end_num + 1]
        if n1[0].isdigit() and (_is_ascii_letter(prev) or _is_ascii_letter(nxt)):
            a = s
            while a > 0 and (view[a - 1].isascii() and view[a - 1].isalnum()):
                a -= 1
            e = self.p["ascii_run"].match(view, s).end()
            self.figure(a, e, "identifier")  # 5G, PM2.5, G6
            return e
        plain_int = hi is None and lo == lo.to_integral_value()
        if (
            plain_int
            and len(n1) == 4
            and n1.isdigit()
            and _plausible_year(int(lo))
            and (_is_cjk(nxt))
        ):
            self.figure(s, end_num, "identifier")  # 2024世界智慧城市…大奖: a year inside a name
            return end_num
        if lone_one:
            reason = "determiner + 一 (这一, 每一)" if view[s - 1 : s] in DETERMINERS else (
                "lone 一 without a measure word (article or adverb)"
            )  # fmt: skip
            self.skip(s, end_num, NOT_A_FIGURE, reason)
            return end_num
        if n1 in BARE_MULTIPLIERS:
            self.skip(s, end_num, NOT_A_FIGURE, "bare multiplier inside a word")
            return end_num
        self.skip(s, end_num, UNCLASSIFIED, "no measure word or unit")
        return end_num


def _plausible_year(y: int) -> bool:
    return 1000 <= y <= 2199


def _small_int(token: str) -> int:
    return int(numerals.parse(token))


def _multiplier(chars: str) -> Decimal:
    value = Decimal(1)
    for c in chars:
        value *= numerals.SMALL_UNITS.get(c) or numerals.BIG_UNITS[c]
    return value


def _bounds(value: Decimal, hi: Decimal | None, qualifier: str):
    """value_min / value_max as far as the text commits to them."""
    if hi is not None:
        return value, hi
    return {
        "exact": (value, value),
        "more_than": (value, None),
        "nearly": (None, value),
        "at_most": (None, value),
    }.get(qualifier, (None, None))


def _is_ascii_letter(ch: str) -> bool:
    return len(ch) == 1 and ch.isascii() and ch.isalpha()


def _is_cjk(ch: str) -> bool:
    return len(ch) == 1 and "\u4e00" <= ch <= "\u9fff"


# ---------------------------------------------------------------- subjects and periods


def _np_after(text: str, pos: int, limit: int, p: dict) -> tuple[str, int]:
    """The noun phrase after a measure word, up to the end of its head noun(s).

    Modifiers before the first head noun are kept (零工|市场); adjacent heads join (县|城区);
    a head followed by 级/型 is a modifier (市级); a parenthesis or a quoted name right after a
    head belongs to it (县(区)级社区“石榴籽家园”). Returns the phrase and where scanning stopped.
    """
    end = min(limit, pos + 16, len(text))
    head, stop, i, head_end = p["head"], p["stop"], pos, -1
    while i < end:
        ch = text[i]
        if ch in "“「":
            j = text.find("”" if ch == "“" else "」", i + 1, min(len(text), i + 18))
            if j < 0:
                break
            i = head_end = j + 1
            continue
        if ch in "(（" and head_end == i:
            j = text.find(")" if ch == "(" else "）", i + 1, min(len(text), i + 8))
            if j < 0:
                break
            i = head_end = j + 1
        elif ch in STOP_CHARS or ch.isdigit():
            break
        else:
            h = head.match(text, i, end)
            if h:
                i = head_end = h.end()
            elif (
                head_end >= 0
                or ch in CONJUNCTIONS
                or ch in "的等是为在"
                or stop.match(text, i, end)
            ):
                break  # a non-noun after the head, or a verb before any noun
            else:
                i += 1
                continue
        if i < end and text[i] in ATTRIBUTIVE:  # 市级, 县(区)级: the noun was a modifier
            i, head_end = i + 1, -1
    return (text[pos:head_end] if head_end > pos else ""), i


def _np_before(text: str, start: int, limit: int, p: dict) -> str:
    """The noun phrase before a figure (工伤住院医疗费|10.85万元), skipping predicates (增长)."""
    lo = max(limit, start - 20, 0)
    rev = text[lo:start][::-1]
    k = 0
    while k < len(rev) and rev[k] == " ":
        k += 1
    while True:
        m = p["pred_rev"].match(rev, k)
        if not m:
            break
        k = m.end()
    first = k
    bound = p["bound_rev"]
    while k < len(rev):
        ch = rev[k]
        if ch in STOP_CHARS or ch.isdigit():
            break
        # A verb right before a nominal suffix is part of the noun: 覆盖|率, 增加|值, 就|业岗位.
        if bound.match(rev, k) and (k == first or rev[k - 1] not in NOMINAL_SUFFIXES):
            break
        k += 1
    return rev[first:k][::-1]


def _head_part(subject: str) -> str:
    """The head of a subject without its level modifier: 县(区)级社区… -> 社区…."""
    cut = max(subject.rfind(c) for c in ATTRIBUTIVE)
    return subject[cut + 1 :] if cut >= 0 else subject


def _add_subjects(view: str, found: list[_Found], p: dict) -> None:
    """Fill in what each figure counts; right to left, so a coordination (67家市级和167家
    县级社区) can borrow the head noun of the figure after it."""
    n = len(found)
    subjects: list[str] = [""] * n
    for i in range(n - 1, -1, -1):
        f = found[i]
        rule = f.rule
        if not rule or f.kind in NOT_QUANTITIES:
            continue
        limit = found[i + 1].start if i + 1 < n else len(view)
        back = found[i - 1].end if i > 0 else 0
        subject = ""
        if rule in ("after", "after_self", "measure"):
            subject, stop = _np_after(view, f.end, limit, p)
            if (
                not subject
                and stop < len(view)
                and view[stop] in CONJUNCTIONS
                and i + 1 < n
                and found[i + 1].start == stop + 1
                and found[i + 1].attrs.get("unit") == f.attrs.get("unit")
                and subjects[i + 1]
            ):
                subject = view[f.end : stop] + _head_part(subjects[i + 1])
        if not subject and rule in ("after", "after_self", "before", "measure"):
            subject = _np_before(view, f.start, back, p)
        if not subject and rule == "before":
            subject = _np_after(view, f.end, limit, p)[0]  # 给予1万元|奖励
        if not subject and rule in ("self", "after_self", "unit"):
            subject = f.unit_text.removeprefix("个")
        if subject:
            subjects[i] = f.attrs["subject"] = subject


def _add_periods(view: str, found: list[_Found], g: _Grammar) -> None:
    """每年 / 日均 qualify the quantities after them in their clause; 截至目前 / 截至2024年底
    set the as-of date of the quantities after them in their sentence."""
    p = g.patterns
    marks = list(p["period"].finditer(view)) if found else []
    if not marks:
        return
    starts = [f.start for f in found]
    clause_ends = [m.start() for m in p["clause_end"].finditer(view)]
    sentence_ends = [m.start() for m in p["sentence_end"].finditer(view)]
    for mark in marks:
        word = mark.group()
        compound = word[0] in "年日" and word not in ("年均", "年平均", "日均")
        if compound and view[mark.start() - 1 : mark.start()] in PERIOD_BLOCKERS:
            continue  # 全年产量 is not 年产 (per year)
        column, value = g.periods[word]
        ends = clause_ends if column == "period" else sentence_ends
        k = bisect_left(ends, mark.end())
        stop = ends[k] if k < len(ends) else len(view)
        first = bisect_left(starts, mark.end())
        if value == "date":
            nxt = found[first] if first < len(found) else None
            if nxt is None or nxt.kind != "date" or nxt.start > mark.end() + 1:
                continue
            value = nxt.attrs["date"]
        for j in range(first, bisect_left(starts, stop)):
            f = found[j]
            if f.kind not in NOT_QUANTITIES and not f.attrs.get(column):
                f.attrs[column] = value


# ---------------------------------------------------------------- public API


def scan(
    text: str,
    reference: dt.date | None = None,
    reference_inferred: bool = False,
    *,
    reference_precision: str = "day",
) -> tuple[list[Figure], list[Unclassified]]:
    """Figures and the unclassified numerals of a text (offsets index ``text``)."""
    return _Scanner(text, reference, reference_inferred, reference_precision).run()


def extract(
    text: str,
    reference: dt.date | None = None,
    reference_inferred: bool = False,
    *,
    reference_precision: str = "day",
) -> list[Figure]:
    """Every figure in ``text``, in order; relative dates resolve against ``reference``.

    ``reference_inferred`` marks dates resolved from an inferred publication date;
    ``reference_precision`` (year, month, day) says how much of ``reference`` is known.
    """
    return scan(text, reference, reference_inferred, reference_precision=reference_precision)[0]


@dataclass(frozen=True)
class _Piece:
    """A stretch of repaired text and where it came from in the raw text."""

    at: int  # offset in the repaired text
    raw: int  # offset in the raw text
    length: int


def _blocks(report: Report, arts: list[Article]) -> list[tuple[str, list[_Piece]]]:
    """Per article: title and paragraphs with print-column breaks removed, and the offset map;
    then every raw stretch outside them (bylines, loose lines) as is."""
    raw, out, covered = report.text, [], []
    for art in arts:
        spans: list[tuple[tuple[int, int], ...]] = []
        if art.title_start >= 0:
            spans.append(((art.title_start, art.title_end),))
        spans.extend(p.spans for p in art.paragraphs)
        parts, pieces, at = [], [], 0
        for para in spans:
            for s, e in para:
                pieces.append(_Piece(at, s, e - s))
                parts.append(raw[s:e])
                at += e - s
                covered.append((s, e))
            parts.append("\n")
            pieces.append(_Piece(at, para[-1][1], 0))
            at += 1
        out.append(("".join(parts), pieces))
    pos = 0
    for s, e in sorted(covered) + [(len(raw), len(raw))]:
        if s > pos and re.search(f"[{NUMERAL_CHARS}]", raw[pos:s]):
            out.append((raw[pos:s], [_Piece(0, pos, s - pos)]))
        pos = max(pos, e)
    return out


def _to_raw(pieces: list[_Piece], ats: list[int], index: int, end: bool = False) -> int:
    """Map an offset of the repaired text to the raw text (``end``: an exclusive end);
    ``ats`` are the pieces' offsets in the repaired text."""
    i = bisect_right(ats, index - 1 if end else index) - 1
    pc = pieces[max(i, 0)]
    return pc.raw + min(index - pc.at, pc.length)


def _scan_report(report: Report) -> tuple[list[Figure], list[Unclassified]]:
    meta = report.meta
    ref, inferred, precision = (
        meta.reference_date,
        meta.published_inferred,
        meta.published_precision,
    )
    figures: list[Figure] = []
    skipped: list[Unclassified] = []
    for text, pieces in _blocks(report, articles(report)):
        found, lost = scan(text, ref, inferred, reference_precision=precision)
        ats = [pc.at for pc in pieces]
        for item, bucket in [(f, figures) for f in found] + [(u, skipped) for u in lost]:
            s, e = _to_raw(pieces, ats, item.start), _to_raw(pieces, ats, item.end, end=True)
            bucket.append(replace(item, start=s, end=e, text=report.text[s:e]))
    figures.sort(key=lambda f: (f.start, f.end))
    skipped.sort(key=lambda u: (u.start, u.end))
    return figures, skipped


def _locator(report: Report):
    """Functions from a raw offset to its article and its sentence."""
    arts = articles(report)
    sents = sentences(report)
    art_starts = [a.start for a in arts]
    sent_starts = [s.start for s in sents]

    def article(offset: int) -> Article | None:
        i = bisect_right(art_starts, offset) - 1
        return arts[i] if i >= 0 and offset < arts[i].end else None

    def sentence(offset: int) -> tuple[str, int, int]:
        i = bisect_right(sent_starts, offset) - 1
        if i >= 0 and offset < sents[i].end:
            return sents[i].text, sents[i].start, sents[i].end
        a = report.text.rfind("\n", 0, offset) + 1
        b = report.text.find("\n", offset)
        b = len(report.text) if b < 0 else b
        return report.text[a:b].strip(), a, b

    return article, sentence


def _dec(value: Decimal | None) -> str:
    return "" if value is None else plain(value)


_DECIMAL = r"-?\d+(?:\.\d+)?"
_ISO = r"\d{4}(?:-\d{2}(?:-\d{2})?)?|--\d{2}(?:-\d{2})?|---\d{2}|\d{3}"
FIGURES_SCHEMA = pa.DataFrameSchema(
    {
        "report": pa.Column(str),
        "article": pa.Column(int, pa.Check.ge(0)),
        "article_title": pa.Column(str),
        "theme": pa.Column(str),
        "start": pa.Column(int, pa.Check.ge(0)),
        "end": pa.Column(int, pa.Check.ge(1)),
        "text": pa.Column(str, pa.Check.str_length(min_value=1)),
        "kind": pa.Column(str, pa.Check.str_matches(r"^[a-z_]+$")),
        "value": pa.Column(str, pa.Check.str_matches(rf"^(?:{_DECIMAL})?$")),
        "value_min": pa.Column(str, pa.Check.str_matches(rf"^(?:{_DECIMAL})?$")),
        "value_max": pa.Column(str, pa.Check.str_matches(rf"^(?:{_DECIMAL})?$")),
        "qualifier": pa.Column(str, pa.Check.isin(QUALIFIERS)),
        "unit": pa.Column(str),
        "subject": pa.Column(str),
        "date": pa.Column(str, pa.Check.str_matches(rf"^(?:(?:{_ISO})(?:/(?:{_ISO}))?)?$")),
        "date_precision": pa.Column(str, pa.Check.isin(["", "year", "month", "day", "decade"])),
        "date_inferred": pa.Column(bool),
        "period": pa.Column(str),
        "as_of": pa.Column(str),
        "sentence": pa.Column(str),
        "sentence_start": pa.Column(int),
        "sentence_end": pa.Column(int),
        "place": pa.Column(str),
        "place_adcode": pa.Column(str),
    },
    checks=[
        pa.Check(lambda df: df["start"] < df["end"], error="start < end"),
        pa.Check(
            lambda df: (df["kind"] == "date") == (df["date"] != ""), error="dates carry a date"
        ),
    ],
    strict=False,  # later steps may add columns (the geocoder's place rule); these stay first
    ordered=True,
)
_INT_COLUMNS = ("article", "start", "end", "sentence_start", "sentence_end")


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    for col in columns:
        if col in _INT_COLUMNS:
            df[col] = df[col].astype("int64")
        elif col == "date_inferred":
            df[col] = df[col].astype(bool)
        else:
            df[col] = df[col].astype(str)
    return df


def figures_table(report: Report | str | Path, published: str | None = None) -> pd.DataFrame:
    """One row per figure, in text order, with its provenance (what the CLI prints)."""
    report = load(report, published)
    figures, _ = _scan_report(report)
    article, sentence = _locator(report)
    rows = []
    for f in figures:
        if report.text[f.start : f.end] != f.text:  # provenance is the contract
            raise AssertionError(f"{report.id}: figure offsets {f.start}-{f.end} lost the text")
        art = article(f.start)
        sent, s_start, s_end = sentence(f.start)
        rows.append(
            {
                "report": report.id,
                "article": art.order if art else 0,
                "article_title": art.title if art else "",
                "theme": art.theme if art else "",
                "start": f.start,
                "end": f.end,
                "text": f.text,
                "kind": f.kind,
                "value": _dec(f.value),
                "value_min": _dec(f.value_min),
                "value_max": _dec(f.value_max),
                "qualifier": f.qualifier,
                "unit": f.unit,
                "subject": f.subject,
                "date": f.date,
                "date_precision": f.date_precision,
                "date_inferred": f.date_inferred,
                "period": f.period,
                "as_of": f.as_of,
                "sentence": sent,
                "sentence_start": s_start,
                "sentence_end": s_end,
                "place": "",
                "place_adcode": "",
            }
        )
    return FIGURES_SCHEMA.validate(_frame(rows, COLUMNS))


def unclassified(report: Report | str | Path, published: str | None = None) -> pd.DataFrame:
    """Every numeral that is not a figure, with its status and the reason."""
    report = load(report, published)
    _, skipped = _scan_report(report)
    article, sentence = _locator(report)
    rows = [
        {
            "report": report.id,
            "article": (art.order if (art := article(u.start)) else 0),
            "start": u.start,
            "end": u.end,
            "text": u.text,
            "status": u.status,
            "reason": u.reason,
            "sentence": sentence(u.start)[0],
        }
        for u in skipped
    ]
    df = pd.DataFrame(rows, columns=UNCLASSIFIED_COLUMNS)
    return df.astype({"article": "int64", "start": "int64", "end": "int64"})


def merged_figures(df: pd.DataFrame) -> pd.DataFrame:
    """One row per fact: mentions that agree on MERGE_KEY (report, article theme, kind, value
    and bounds, qualifier, unit, subject, date) are one fact, e.g. 40个村 5.1万人 stated twice.

    The first mention's row is kept, with ``mentions`` (how many) and ``starts`` (the offset of
    every mention, ';'-separated)."""
    if df.empty:
        return df.assign(mentions=pd.Series(dtype="int64"), starts=pd.Series(dtype=str))
    groups = df.groupby(MERGE_KEY, sort=False, dropna=False)
    first = groups.head(1).copy()
    first["mentions"] = groups["start"].transform("size")[first.index].astype("int64")
    starts = groups["start"].agg(lambda s: ";".join(str(v) for v in s))
    keys = pd.MultiIndex.from_frame(first[MERGE_KEY])
    first["starts"] = starts.reindex(keys).to_numpy()
    return first.reset_index(drop=True)


def corpus_figures(folder: str | Path | None = None) -> pd.DataFrame:
    """The figures of every report in a folder (the bundled corpus by default)."""
    frames = [figures_table(r) for r in read_reports(folder)]
    if not frames:
        return FIGURES_SCHEMA.validate(_frame([], COLUMNS))
    return pd.concat(frames, ignore_index=True)


def to_csv(df: pd.DataFrame) -> str:
    """The table as CSV text, exactly as the CLI prints it."""
    return df.to_csv(index=False, lineterminator="\n")

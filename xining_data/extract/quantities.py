"""Quantities: a numeral, typed and valued by the words around it.

The grammar of a Chinese quantity, as it is read here::

    [qualifier] numeral [multiplier] [余/多] [–numeral [multiplier]] [个[多/半]] measure [/per] [tail]
    约 / 近 / 超过   5.1 / 一万二  万 / 亿       1万-5万 / 3至5   个 家 人 元 % 亩 天  以上 左右

The measure word or unit after the numeral says what kind of figure it is (个 家 人: a count,
元: money, %: a percent, 公里: a length, 年 天: a duration) and where its subject stands
(see :mod:`xining_data.extract.subjects`). Qualifiers say how exact it is: 约 and 左右 are about,
近 nearly, 超过 余 多 以上 more than, 不足 以下 at most; two numerals joined by a dash or 至
are a range. Values are exact ``Decimal``\\ s with the multipliers applied (5.1万 -> 51000).

Many numerals are no quantity: the indefinite article 一 (一个费劲, 每一位), a lone 百/万
inside a word (百姓), vague amounts (数百, 几十), a year inside a name (2024世界智慧城市…大奖),
codes (5G, PM2.5), a numeral inside the name of a firm or brand (…光能科技有限公司, …牌),
a year as a whole (极不平凡的一年). Each is recorded as not a figure, with the reason. The
words around a unit may retype it: 7级阵风 is a level measured, 存储容量50T terabytes.
"""

from __future__ import annotations

import re
from decimal import Decimal, localcontext
from functools import lru_cache
from typing import NamedTuple

from xining_data.extract import numerals
from xining_data.extract.dates import Calendar, decade, plausible_year
from xining_data.extract.numerals import NumeralError
from xining_data.extract.tally import NOT_A_FIGURE, UNCLASSIFIED, Found, Tally
from xining_data.extract.vocab import EXACT, RANGE, SEP_CHARS, grammar, markers

RATIO_REACH = 24  # how far before a bare number its ratio's name may stand
SHARE_REACH = 24  # how far before a share its qualifier may stand (约占全市用电量的九成)
CURRENCY_SIGNS = {"¥": "CNY", "￥": "CNY", "$": "USD", "€": "EUR"}
BARE_MULTIPLIERS = frozenset("百千万亿佰仟萬億")
NEGATIVE_AFTER = frozenset("为至到是达约:：(（ ,，、；")
DETERMINERS = markers()["determiner"]  # 这一, 每一: no number
EMPHASIS = tuple(sorted(markers()["emphasis"]))  # 仅一家: one
CALENDAR_UNITS = {"年": "year", "日": "day", "季度": "quarter"}
WHOLE_PERIOD = markers()["whole_period"]  # 极不平凡的一年: a period as a whole
COPULAS = tuple(sorted(markers()["copula"]))  # 今年是关键一年。
NOT_COPULAS = tuple(sorted(markers()["not_copula"]))  # 但是
SPAN_BEFORE = tuple(sorted(markers()["span_before"]))  # 为期一年: a span
CONGRESS_BEFORE = tuple(sorted(markers()["congress_before"]))  # 党的二十大
CONGRESS_AFTER = tuple(sorted(markers()["congress_after"]))  # 二十大精神, 二十届三中全会
CONGRESS_WORDS = {"大": "congress", "届": "term"}
SCALE_BEFORE = tuple(sorted(markers()["scale_before"]))  # 风力5-6级
SCALE_AFTER = tuple(sorted(markers()["scale_after"]))  # 7级阵风
SCALE_LINKS = re.compile(
    "(?:" + "|".join(map(re.escape, sorted(markers()["scale_link"], key=len, reverse=True))) + ")$"
)
STORAGE = tuple(sorted(markers()["storage"]))  # 存储容量50T: bytes
NETWORK_GENERATIONS = range(2, 7)  # 2G to 6G name a generation of mobile network
NAME_ORDINALS = markers()["name_ordinal"]  # 市十二届人大, 三期工程: the Nth term or phase
NAME_NUMBERED = markers()["name_numbered"]  # 红旗三村: a numbered place
NAME_UNITS = NAME_ORDINALS | NAME_NUMBERED
RANGE_STARTS = frozenset(" " + SEP_CHARS)  # where a range's second end may begin (1万元至5万元)
COUNT_BEFORE = tuple(sorted(markers()["count_before"]))  # 举办三期, 每年三次: a count
SCOPES = markers()["scope"]  # 全镇四村: a count
NOT_A_NAME_NEXT = frozenset("的了和与及或等、")
SELF_LINKS = ("比", "又", "复")  # 一年比一年, 一年又一年, 一年复一年
# A bare data-size letter in a clause about storage is bytes: 50T, 20P (not Tbps, PFLOPS).
BYTES = {
    "bandwidth": ("storage", {"Gbps": "GB", "Tbps": "TB"}),
    "compute": ("storage", {"PFLOPS": "PB", "EFLOPS": "EB"}),
}
# A model number: a numeral after a word of Latin letters with a lower-case one and a space
# (Pro 15, Mate 40, WiFi 6) names a product; an abbreviation in capitals (GDP 5000) does not.
MODEL_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]*[a-z][A-Za-z]* $")


class Quantity(NamedTuple):
    """A quantity as read so far: where it stands, its value and what qualifies it."""

    start: int
    end: int
    value: Decimal  # the value, or the bottom of a range
    hi: Decimal | None = None  # the top of a range
    token: str = ""  # the first numeral as written (二十, 5.1)
    qualifiers: tuple[str, ...] = ()  # 余 / 多 after the numerals
    unit_text: str = ""  # the measure word or unit as written (个月, 人)
    bare: bool = False  # a lone 百/千/万/亿 (百姓): a figure only when qualified


class Quantities:
    """Reads the quantity that starts at a numeral and records it in the tally; each
    reader returns where scanning goes on."""

    def __init__(self, view: str, tally: Tally, calendar: Calendar) -> None:
        self.view = view
        self.g = grammar()
        self.p = self.g.patterns
        self.tally = tally
        self.calendar = calendar
        self.skip = tally.skip
        self.ends = frozenset(w[-1] for w in [*self.g.before, "零下"])  # see _prefix

    # -- written out: 三分之一, 百分之五
    def fraction(self, m: re.Match) -> int:
        try:
            den, numr = numerals.parse(m.group("frac_den")), numerals.parse(m.group("frac_numr"))
            with localcontext() as ctx:
                ctx.prec = 12
                value = numr / den
        except (NumeralError, ArithmeticError) as error:
            return self.skip(m.start(), m.end(), UNCLASSIFIED, f"malformed fraction: {error}")
        return self._finish(Quantity(m.start(), m.end(), value), "fraction", "fraction")

    def percent_words(self, m: re.Match) -> int:
        try:
            value = numerals.parse(m.group("pct_pn"))
        except NumeralError as error:
            return self.skip(m.start(), m.end(), UNCLASSIFIED, f"malformed percentage: {error}")
        return self._finish(Quantity(m.start(), m.end(), value), "percent", "%")

    # -- numeral, multiplier, range
    def read(self, m: re.Match) -> int:
        """The quantity at the start of ``m`` (a numeral, or a date form that was no date)."""
        s = m.start()
        p, view = self.p, self.view
        q = p["qty"].match(view, s)
        if q is None:  # cannot happen: the master found a numeral here
            return self.skip(s, m.end(), UNCLASSIFIED, "not a numeral")
        n1 = q.group("n1")
        try:
            lo = numerals.parse(n1)
            hi: Decimal | None = None
        except NumeralError as error:  # the reader's reason, not the pair reader's
            try:
                lo, hi = numerals.parse_range(n1)
            except NumeralError:
                return self.skip(s, q.end("n1"), UNCLASSIFIED, f"malformed numeral: {error}")
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
        """3至5, 1万-5万, 3-5万 (the multiplier written once applies to both ends)."""
        try:
            hi = numerals.parse(q.group("n2"))
        except NumeralError:
            return None
        m1 = _multiplier(q.group("m1") + q.group("m1b"))
        m2 = _multiplier(q.group("m2") + q.group("m2b"))
        lo, hi = lo * (m1 if q.group("m1") + q.group("m1b") else m2), hi * m2
        return (lo, hi) if lo < hi else None

    def _unit_range(self, lo: Decimal, unit: str, e: int) -> tuple[Decimal | None, int]:
        """1万元至5万元, -5℃至2℃: the unit written on both ends."""
        r = self.p["range_tail"].match(self.view, e)
        if not r or r.group("u") != unit:
            return None, e
        try:
            top = numerals.parse(r.group("n")) * _multiplier(r.group("m"))
        except NumeralError:
            return None, e
        top = -top if r.group("neg") else top
        return (top, r.end()) if lo < top else (None, e)

    # -- what follows the numeral
    def _typed(self, q: re.Match, s: int, lo: Decimal, hi: Decimal | None, n1: str) -> int:
        """Type a numeral by what follows it: unit, measure word, percent sign, or nothing."""
        g, view, arabic = self.g, self.view, n1[0].isdigit()
        if s > 0 and view[s - 1] in "数几" and not arabic:
            e = q.end("unit") if q.group("unit") else q.end("n1")
            return self.skip(s - 1, e, NOT_A_FIGURE, "vague quantity (数百, 几十)")
        if not arabic and self._inside_name(q, n1, hi):
            e = q.end("unit") if q.group("unit") else q.end("n1")
            return self.skip(s, e, NOT_A_FIGURE, "numeral inside a name (…公司, …牌)")
        model = (  # the pattern ends in a space: most numerals need no search
            MODEL_WORD.search(view, max(0, s - 16), s)
            if arabic and " " in view[max(0, s - 2) : s]
            else None
        )
        if model:  # 极光Pro 15|笔记本: the model number of a product
            return self.tally.figure(Found(model.start(), q.end("n1"), "identifier"))
        lone_one = n1 in ("一", "壹") and hi is None and not q.group("m1") + q.group("m1b")
        after, (a1, a2, a3) = g.after, q.group("a1", "a2", "a3")
        quals = (after.get(a1, "") if a1 else "", after.get(a2, "") if a2 else "",
                 after.get(a3, "") if a3 else "")  # fmt: skip
        end_num = max(q.end("n1"), q.end("m1b"), q.end("p1"), q.end("m2b") if q.group("sep") else 0)
        r = Quantity(s, end_num, lo, hi, n1, quals)
        unit_word = q.group("unit") or ""
        if q.group("p1") or (unit_word and g.units.get(unit_word, ("",))[0] == "percent"):
            return self._percent(q, r, unit_word)
        if q.group("ge") and unit_word:
            unit_word = "个" + unit_word
        if unit_word:
            return self._unit(q, r, unit_word, lone_one)
        if s > 0 and view[s - 1] in CURRENCY_SIGNS:  # ¥1,644.35亿
            return self._finish(r._replace(start=s - 1), "money", CURRENCY_SIGNS[view[s - 1]])
        return self._no_unit(r, lone_one)

    def _inside_name(self, q: re.Match, n1: str, hi: Decimal | None) -> bool:
        """九州光能科技有限公司, 八方物流, 三江源牌: a Chinese numeral that a run of characters
        closed by a name suffix (公司, 物流, 牌) follows is part of the name. A classifier that
        counts the noun after it (三家物流公司) makes it a count again."""
        if n1[0].isdigit() or hi is not None or q.group("m1") + q.group("m1b") or q.group("sep"):
            return False
        unit = q.group("unit") or ""
        if q.group("a1") or q.group("ge") or self.g.measures.get(unit, ("", ""))[1] == "after":
            return False
        gap_from = q.end("unit") if unit in self.g.measures else q.end("n1")
        return bool(self.p["in_name"].match(self.view, gap_from))

    def _unit(self, q: re.Match, r: Quantity, unit_word: str, lone_one: bool) -> int:
        """A numeral with a measure word or unit after it (67家, 5公里, 1万元至5万元)."""
        view, s, e = self.view, r.start, q.end("unit")
        numbered = self._numbers_a_name(q, r, unit_word, e)
        if numbered:
            return numbered
        if lone_one and self._whole_period(s, e, unit_word):
            return self.skip(s, e, NOT_A_FIGURE, "a period as a whole (的一年, 一年比一年)")
        if unit_word == "度" and not (
            q.group("m1") + q.group("m1b") or set(r.token) & set("万亿萬億")
        ):
            return self.skip(s, e, UNCLASSIFIED, "ambiguous unit 度 (degrees or kWh)")
        if _is_ascii_letter(unit_word[-1]) and (
            _is_ascii_letter(view[e : e + 1]) or _joins_code(view[e : e + 2])
        ):
            return self._no_unit(r, lone_one)  # 10G-PON, 5GB2: a code
        if unit_word == "G" and r.hi is None and r.value in NETWORK_GENERATIONS:
            return self._no_unit(r, lone_one)  # 5G: a network generation
        if lone_one and s > 0 and view[s - 1] in DETERMINERS:
            return self.skip(s - 1, e, NOT_A_FIGURE, "determiner + 一 (这一, 每一)")
        hi = r.hi
        if hi is None and view[e : e + 1] in RANGE_STARTS:
            hi, e = self._unit_range(r.value, q.group("unit"), e)
        # 百姓, 万家: a lone 百/千/万/亿 is a word part
        bare = r.token in BARE_MULTIPLIERS
        r = Quantity(
            s, e, r.value, hi, r.token, r.qualifiers, unit_word, bare
        )  # (not _replace: hot)
        if unit_word not in self.g.measures:
            return self._measured(q, r)
        unit, rule, _ = self.g.measures[unit_word]
        if lone_one and not view[max(0, s - 2) : s].endswith(EMPHASIS):  # 仅一家: one
            return self.skip(s, e, NOT_A_FIGURE, "一 + measure word is the indefinite article")
        return self._finish(r, "count", unit, rule)

    def _congress(self, s: int, e: int, r: Quantity) -> bool:
        """党的二十大, 十九大以来, 二十届三中全会: the Nth party congress or central committee."""
        if r.hi is not None or r.qualifiers != ("", "", "") or r.value < 10:
            return False
        view = self.view
        return view[max(0, s - 2) : s].endswith(CONGRESS_BEFORE) or (
            view[e : e + 4].lstrip("一二三四五六七八九").startswith(CONGRESS_AFTER)
        )

    def _numbers_a_name(self, q: re.Match, r: Quantity, unit_word: str, e: int) -> int:
        """党的二十大, 市十二届人大, 红旗三村: an ordinal or part of a name, recorded; else 0."""
        s = r.start
        if unit_word in CONGRESS_WORDS and self._congress(s, e, r):
            return self.tally.ordinal(s, e, r.value, CONGRESS_WORDS[unit_word])
        if unit_word in NAME_UNITS and self._named(q, r, unit_word, e):
            if unit_word in NAME_ORDINALS:
                return self.tally.ordinal(s, e, r.value, unit_word)
            return self.skip(s, e, NOT_A_FIGURE, "numeral inside a place name (…三村, …二组)")
        return 0

    def _named(self, q: re.Match, r: Quantity, unit_word: str, e: int) -> bool:
        """市十二届人大, 水厂三期工程, 红旗三村: a Chinese numeral that follows a name stem (a
        character that is no verb, scope or period word: 举办三期, 全镇四村, 每年三次 count)
        numbers the name. An ordinal also needs a noun after it; at a clause's start only 二
        (a count of two says 两) or a numeral of two characters (十四届) numbers."""
        view, s = self.view, r.start
        if r.token[0].isdigit() or r.hi is not None or any(r.qualifiers) or q.group("ge"):
            return False
        if set(r.token) & set("两几半") or q.group("m1") + q.group("m1b"):
            return False
        ordinal = unit_word in NAME_ORDINALS
        nxt = view[e : e + 1]
        if ordinal and (not _is_cjk(nxt) or nxt in NOT_A_NAME_NEXT):
            return False
        before = view[max(0, s - 4) : s]
        if not _is_cjk(before[-1:]):  # a clause's start: 二期 or 十四届, not 三期
            return ordinal and (r.token == "二" or len(r.token) > 1)
        if before.endswith(COUNT_BEFORE + EMPHASIS) or before[-2:-1] in SCOPES:
            return False
        if self.p["pred_rev"].match(before[::-1]) or self.p["before"].search(before):
            return False
        return before[-1] not in DETERMINERS

    def _whole_period(self, s: int, e: int, unit_word: str) -> bool:
        """极不平凡的一年, 一天比一天: a lone 一 + time unit that names a period as a whole."""
        if self.g.units.get(unit_word, ("",))[0] != "duration":
            return False
        view = self.view
        if view[s - 1 : s] in WHOLE_PERIOD or compared_with_itself(view, s, e):
            return True
        return self._predicated(s, e)

    def _predicated(self, s: int, e: int) -> bool:
        """今年是全面推进的关键一年。: 一年 ends its clause, a copula earlier in the clause and
        words between: the year is what the sentence calls it, not a span (工期是一年 is)."""
        view, clause = self.view, self.p["clause_end"]
        if e < len(view) and not clause.match(view, e):
            return False
        starts = [m.end() for m in clause.finditer(view, max(0, s - 40), s)]
        head = view[starts[-1] if starts else max(0, s - 40) : s]
        if head.endswith(SPAN_BEFORE):
            return False
        at = max((_copula_end(head, c) for c in COPULAS), default=-1)
        return 0 <= at < len(head) - 1

    def _scale(self, s: int, e: int) -> bool:
        """风力5-6级, 7级以上阵风: a level of wind or an earthquake is a measurement."""
        view, clause = self.view, self.p["clause_end"]
        before = SCALE_LINKS.sub("", view[max(0, s - 7) : s])  # 阵风可达|9级
        before = before[-4:]
        after = view[e : e + 6]
        tail = self.p["tail"].match(after)
        after = after[tail.end() :] if tail else after
        return (bool(before) and not clause.search(before) and before.endswith(SCALE_BEFORE)) or (
            after.startswith(SCALE_AFTER)
        )

    def _percent(self, q: re.Match, r: Quantity, unit_word: str) -> int:
        """5.2%, 3‰, and 九成 (nine tenths: 90%)."""
        units = self.g.units
        if unit_word and units.get(unit_word, ("",))[0] != "percent":
            unit_word = ""
        e = q.end("unit") if unit_word else r.end
        unit = units[unit_word][1] if unit_word else "%"
        lo, hi = r.value, r.hi
        if unit_word == "成":
            if lo > 10 or (hi is not None and hi > 10):
                return self.skip(r.start, e, UNCLASSIFIED, "more than ten tenths (成)")
            lo, hi = lo * 10, (hi * 10 if hi is not None else None)
        return self._finish(Quantity(r.start, e, lo, hi, r.token, r.qualifiers), "percent", unit)

    def _measured(self, q: re.Match, r: Quantity) -> int:
        """A unit of measure (公里, 个月, 元/吨): the kind it names and where its subject is."""
        s, e = r.start, r.end
        kind, unit = self._by_context(s, e, *self.g.units[r.unit_text])
        core = r.unit_text.removeprefix("个")
        if core == "月" and not q.group("ge"):
            return self.skip(s, e, UNCLASSIFIED, "month number out of range")
        if core in CALENDAR_UNITS and not q.group("ge"):
            special = self._calendar_unit(q, r, core)
            if special:
                return special
            kind, unit = "duration", CALENDAR_UNITS[core]
        if kind == "decade":
            dated = decade(s, e, r.value)
            if dated is None:
                return self.skip(s, e, UNCLASSIFIED, "not a decade")
            return self.tally.date(dated)
        if kind == "identifier":
            return self.tally.figure(Found(s, e, kind, unit=unit))
        if kind == "ordinal":
            return self.tally.ordinal(s, e, r.value, unit)
        r = self._half(q, r, kind)
        if q.group("per"):
            return self._rate(q, r, kind, unit)
        rule = "unit" if kind in ("duration", "age") else "before" if kind in (
            "money", "percent", "ratio", "fraction") else "measure"  # fmt: skip
        return self._finish(r, kind, unit, rule)

    def _by_context(self, s: int, e: int, kind: str, unit: str) -> tuple[str, str]:
        """Units whose kind the words around decide: 7级阵风 is a level measured, not a rank;
        存储容量50T is terabytes, not terabits per second."""
        if kind == "ordinal" and unit == "level" and self._scale(s, e):
            return "level", unit
        letter = _is_ascii_letter(self.view[e - 1 : e]) and not _is_ascii_letter(
            self.view[e - 2 : e - 1]
        )
        if kind in BYTES and letter and self._about_storage(s):
            return BYTES[kind][0], BYTES[kind][1].get(unit, unit)
        return kind, unit

    def _about_storage(self, s: int) -> bool:
        """存储容量达50T: the clause before the figure speaks of stored data."""
        clause = self.view[max(0, s - 20) : s]
        ends = list(self.p["clause_end"].finditer(clause))
        return any(w in clause[ends[-1].end() if ends else 0 :] for w in STORAGE)

    def _half(self, q: re.Match, r: Quantity, kind: str) -> Quantity:
        """个半月, 一年半: half a unit more."""
        if q.group("a3") == "半" or (q.group("half") and kind == "duration"):
            e = max(r.end, q.end("half") if q.group("half") else r.end)
            return r._replace(end=e, value=r.value + Decimal("0.5"))
        return r

    def _rate(self, q: re.Match, r: Quantity, kind: str, unit: str) -> int:
        """元/吨, 公里/小时: an amount per unit (money stays money; per year is a period)."""
        per = q.group("per")
        unit = f"{unit}/{self.g.units[per][1] if per in self.g.units else per}"
        kind = "money" if kind == "money" else "rate"
        rule = "before" if kind == "money" else "measure"
        return self._finish(
            r._replace(end=q.end("per")), kind, unit, rule, self.g.per_periods.get(per, "")
        )

    def _calendar_unit(self, q: re.Match, r: Quantity, core: str) -> int:
        """年 after a year number, 季度 after 1-4: a date or a quarter; else 0 (a span)."""
        s, lo = r.start, r.value
        plain_int = r.hi is None and lo == lo.to_integral_value() and not q.group("a1")
        if core == "年" and plain_int and len(r.token) == 4 and plausible_year(int(lo)):
            return self.tally.date(self.calendar.year_number(s, r.end, int(lo)))
        first_quarters = s > 0 and self.view[s - 1] in "前近后每个"  # 前三季度: a span
        if core == "季度" and plain_int and 1 <= lo <= 4 and not first_quarters:
            return self.tally.ordinal(s, r.end, lo, "quarter")
        return 0

    def _no_unit(self, r: Quantity, lone_one: bool) -> int:
        """A numeral with nothing after it that types it: a name, a code, or unclassified."""
        view, s, end_num, n1 = self.view, r.start, r.end, r.token
        prev, nxt = view[s - 1 : s], view[end_num : end_num + 1]
        if n1[0].isdigit() and (_is_ascii_letter(prev) or _is_ascii_letter(nxt)):
            a = s
            while a > 0 and (view[a - 1].isascii() and view[a - 1].isalnum()):
                a -= 1
            e = self.p["ascii_run"].match(view, s).end()
            return self.tally.figure(Found(a, e, "identifier"))  # 5G, PM2.5, G6
        plain_int = r.hi is None and r.value == r.value.to_integral_value()
        if (
            plain_int
            and len(n1) == 4
            and n1.isdigit()
            and plausible_year(int(r.value))
            and _is_cjk(nxt)
        ):
            # 2024世界智慧城市…大奖: a year inside a name
            return self.tally.figure(Found(s, end_num, "identifier"))
        if (
            not lone_one
            and not {prev, nxt} & set(":：∶")  # 1:3.5 is one ratio written as two numbers
            and self.p["ratio_named"].search(view, max(0, s - RATIO_REACH), s)
        ):
            return self._finish(r, "ratio", "", "before")  # 收入比由2.5缩小到2.4
        if lone_one:
            reason = "determiner + 一 (这一, 每一)" if prev in DETERMINERS else (
                "lone 一 without a measure word (article or adverb)"
            )  # fmt: skip
            return self.skip(s, end_num, NOT_A_FIGURE, reason)
        if n1 in BARE_MULTIPLIERS:
            return self.skip(s, end_num, NOT_A_FIGURE, "bare multiplier inside a word")
        return self.skip(s, end_num, UNCLASSIFIED, "no measure word or unit")

    # -- qualifiers, and the record
    def _prefix(self, s: int) -> tuple[int, str, str]:
        """A qualifier word right before the numeral, or before the 占 of a share (约占六成: the
        share's span stays 六成): (its start, word, qualifier). Never across a line break: a
        headline's last word does not qualify the paragraph's first number."""
        view = self.view
        reach = max(0, s - max(4, SHARE_REACH))  # the farthest a qualifier may stand
        line = view.rfind("\n", reach, s) + 1 or reach
        lo = max(line, s - 4)  # a qualifier ends in one of its last characters: most do not
        m = self.p["before"].search(view, lo, s) if s > lo and view[s - 1] in self.ends else None
        if not m:
            lo = max(line, s - SHARE_REACH)  # a share needs its 占: most numerals have none
            share = self.p["share"].search(view, lo, s) if view.find("占", lo, s) >= 0 else None
            word = share.group("w") if share else ""
            return s, word, self.g.before.get(word, "")
        word = m.group()
        if word == "近" and m.start() > 0 and self.view[m.start() - 1] in "附最邻靠":
            return s, "", ""
        return m.start(), word, self.g.before.get(word, "")

    def _finish(
        self, r: Quantity, kind: str, unit: str, rule: str = "before", period: str = ""
    ) -> int:
        """Apply the qualifiers before and after, record the figure, return where to go on."""
        start, word, before = self._prefix(r.start)
        value, e = r.value, r.end
        if word in ("上", "过", "破") and not r.bare:
            start, word, before = r.start, "", ""
        if word == "零下":
            value, before = -value, ""
        if word == "近" and kind == "duration" and unit in ("year", "month", "quarter", "day"):
            before = "exact"  # 近三年: the last three years, not "nearly three years"
        tail = self.p["tail"].match(self.view, e)
        after_q = ""
        if tail and self._tail_applies(tail.group(), kind, tail.end()):
            after_q, e = self.g.tail[tail.group()], tail.end()
        if r.bare and not (before or any(r.qualifiers) or after_q):
            return self.skip(start, e, NOT_A_FIGURE, "bare multiplier inside a word")
        if r.hi is not None:
            qualifier = RANGE
        else:
            qualifier = before or next(filter(None, r.qualifiers), "") or after_q or EXACT
        lo_b, hi_b = bounds(value, r.hi, qualifier)
        return self.tally.figure(Found(
            start, e, kind, rule, r.unit_text, value=value, value_min=lo_b, value_max=hi_b,
            qualifier=qualifier, unit=unit, period=period,
        ))  # fmt: skip

    def _tail_applies(self, word: str, kind: str, end: int) -> bool:
        if word == "多":
            return kind == "duration"  # 一年多
        if word == "内":
            return kind in ("duration", "length", "area")  # 30日内, 5公里内 (not 5个县内)
        if word == "上下":
            nxt = self.view[end : end + 1]
            return not nxt or nxt == "的" or not _is_cjk(nxt)
        return True


@lru_cache(maxsize=256)
def _multiplier(chars: str) -> Decimal:
    value = Decimal(1)
    for c in chars:
        value *= numerals.SMALL_UNITS.get(c) or numerals.BIG_UNITS[c]
    return value


# Is the value of a figure with this qualifier a lower bound, an upper bound, both or neither?
_BOUNDS = {EXACT: (True, True), "more_than": (True, False), "nearly": (False, True),
           "at_most": (False, True)}  # fmt: skip


def bounds(
    value: Decimal, hi: Decimal | None, qualifier: str
) -> tuple[Decimal | None, Decimal | None]:
    """value_min / value_max as far as the text commits to them (``hi``: a range's top)."""
    if hi is not None:
        return value, hi
    low, high = _BOUNDS.get(qualifier, (False, False))
    return (value if low else None), (value if high else None)


def compared_with_itself(view: str, s: int, e: int) -> bool:
    """一年比一年, 一天又一天: a word compared with itself or repeated is an idiom (ever more,
    again and again), not a figure."""
    word = view[s:e]
    after, before = view[e : e + 1 + len(word)], view[max(0, s - 1 - len(word)) : s]
    return any(after == link + word or before == word + link for link in SELF_LINKS)


def _copula_end(head: str, copula: str) -> int:
    """Where the last ``copula`` of ``head`` that is no part of a conjunction (但是) ends;
    -1 when there is none."""
    at = head.rfind(copula)
    while at >= 0 and any(head.startswith(w, at + len(copula) - len(w)) for w in NOT_COPULAS):
        at = head.rfind(copula, 0, at)
    return at + len(copula) if at >= 0 else -1


def _joins_code(two: str) -> bool:
    """-PON, +5: a hyphen or plus that joins the unit letter to more of a code."""
    return len(two) == 2 and two[0] in "-+" and two[1].isascii() and two[1].isalnum()


def _is_ascii_letter(ch: str) -> bool:
    return len(ch) == 1 and ch.isascii() and ch.isalpha()


def _is_cjk(ch: str) -> bool:
    return len(ch) == 1 and "\u4e00" <= ch <= "\u9fff"

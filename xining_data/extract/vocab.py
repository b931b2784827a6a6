"""The vocabularies of Chinese quantities and the patterns compiled from them, built once.

The words live in ``data/vocab/*.csv`` (measure words, units, qualifiers, period words,
head nouns, phrase boundaries, markers such as the determiners of 这一 and a lexicon of
number-bearing words that are not figures),
so the rules of the language can grow without touching code. This module reads them and
compiles one *master* pattern whose named alternatives are the token forms the scanner
knows, most specific first: percentages and fractions written out (百分之五, 三分之一),
lexicon words (千家万户), labels in quotes and titles, enumerations ((一), 1.), dates
(2024-09-25, 2020-2024年, 2024年9月, 11月, 25日, 去年), ordinals (首个, 第七, 一是), and last
any numeral. Word lists become tries (one regex branch per shared prefix), which keeps the
master pattern fast on megabytes of text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache

from xining_data.base.paths import VOCAB_DIR
from xining_data.extract import numerals

CN_D = numerals.CN_DIGIT_CHARS
CN_U = numerals.CN_UNIT_CHARS
NUMERAL_CHARS = f"0-9{CN_D}{CN_U}"
ARABIC = r"(?<![0-9.])(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?"
CN_RUN = rf"(?![零〇](?!点))[{CN_D}{CN_U}]+(?:点[{CN_D}]+[{numerals.MULTIPLIER_CHARS}]*)?"
NUM = rf"(?:{ARABIC}|{CN_RUN})"
MULT = r"(?:[十万亿拾萬億]|[千仟](?![米克瓦伏])|[百佰](?!分))*"
SEP_CHARS = "-~～—–－至到"  # between the two ends of a range
SEP = f"[{SEP_CHARS}]"
YEAR = r"(?<![0-9])(?:[0-9]{4}|[〇零一二三四五六七八九]{4})(?![0-9])"
MON = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
DAY10 = r"(?:3[01]|[12][0-9]|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?)"
DAY = rf"(?:{DAY10}|[一二三四五六七八九])"
GE_TIME = "(?:月|小时|星期|钟头|季度|工作日)"
# The one table of qualifiers: how exact the text says a figure is. Words set all but two
# (qualifiers.csv: 约 about, 近 nearly, 余 以上 more than, 不足 at most); a figure without one
# is exact, two numerals joined by a dash or 至 are a range. The order is the one the schema
# and error messages list them in.
EXACT = "exact"
RANGE = "range"
QUALIFIERS = (EXACT, "more_than", "nearly", "about", "at_most", RANGE)
WORD_QUALIFIERS = frozenset(QUALIFIERS) - {EXACT, RANGE}
# Where a qualifier word of position ``after`` may stand (qualifiers.csv, column slots):
# after the first numeral and its multiplier (千余, 20多), after the top of a range
# (1万-2万余), after the classifier 个 of a duration (3个多月).
AFTER_SLOTS = frozenset({"multiplier", "range_end", "ge"})
QUALIFIER_POSITIONS = frozenset({"before", "after", "tail"})
# The roles of the words in markers.csv (see there, column comment).
MARKER_ROLES = ("determiner", "emphasis", "attributive", "nominal_suffix", "period_blocker",
                "conjunction", "whole_period", "recurring", "congress_before", "congress_after",
                "name_suffix", "scale_before", "scale_after", "scale_link", "storage",
                "ahead_before", "ahead_after", "month_part", "name_ordinal",
                "name_numbered", "count_before", "scope", "copula", "not_copula",
                "span_before")  # fmt: skip
CJK = r"[\u4e00-\u9fff]"
# The start of a line or sentence, allowing up to two spaces (fixed-width look-behinds).
LINE_START = r"(?:^|(?<=[\n。；：:])|(?<=[\n。；：:][ \t\u3000])|(?<=[\n。；：:][ \t\u3000]{2}))"


@dataclass(frozen=True)
class Grammar:
    """The vocabularies by role, and the compiled patterns (see :func:`grammar`)."""

    lexicon: dict[str, str]
    measures: dict[str, tuple[str, str, bool]]  # word -> (unit, subject rule, 首X is an ordinal)
    units: dict[str, tuple[str, str]]  # word -> (kind, normalised unit)
    per_periods: dict[str, str]  # unit after a slash -> the rate's period (元/年: per year)
    before: dict[str, str]  # qualifier words before the numeral
    after: dict[str, str]  # between numeral and measure word (余, 多)
    slots: dict[str, frozenset[str]]  # after word -> where it may stand (see AFTER_SLOTS)
    tail: dict[str, str]  # after the measure word (以上, 左右)
    periods: dict[str, tuple[str, str]]  # word -> (column, value)
    year_parts: dict[str, tuple[int, int]]  # 上半年, 一季度 -> (first month, last month)
    relative_months: dict[str, tuple[int, str]]  # 上月 -> (offset, base: reference | context)
    predicates: frozenset[str] = field(repr=False)
    nouns: tuple[str, ...] = field(repr=False)
    stops: tuple[str, ...] = field(repr=False)  # words that end a noun phrase
    patterns: dict[str, re.Pattern] = field(repr=False, default_factory=dict)


def _rows(name: str) -> list[dict[str, str]]:
    with open(VOCAB_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def trie(words: Iterable[str]) -> str:
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


@cache
def markers() -> dict[str, frozenset[str]]:
    """The words of markers.csv by role: the words next to a numeral or a noun that decide
    how it reads (这一 is no number, 市级 is a modifier, 全年产量 is not 年产)."""
    words: dict[str, set[str]] = {role: set() for role in MARKER_ROLES}
    for r in _rows("markers.csv"):
        if r["role"] not in words:
            raise ValueError(f"markers.csv: unknown role in {r}")
        words[r["role"]].add(r["word"])
    return {role: frozenset(ws) for role, ws in words.items()}


def _qualifier_rows() -> list[dict[str, str]]:
    """qualifiers.csv, checked: known positions, qualifiers and slots."""
    rows = _rows("qualifiers.csv")
    for r in rows:
        slots = set(filter(None, r["slots"].split(";")))
        if (
            r["position"] not in QUALIFIER_POSITIONS
            or r["qualifier"] not in WORD_QUALIFIERS
            or not slots <= AFTER_SLOTS
            or bool(slots) != (r["position"] == "after")
        ):
            raise ValueError(f"qualifiers.csv: bad row {r}")
    return rows


def _read_vocabularies() -> Grammar:
    """The CSV tables, by role; no patterns yet."""
    quals = _qualifier_rows()
    periods = {r["word"]: (r["column"], r["value"]) for r in _rows("periods.csv")}
    bounds = _rows("boundaries.csv")
    # Inside a noun phrase only words of two or more characters (and those marked alone: 的,
    # 和 …) end it: single characters such as 约 or 共 also occur inside words (节约, 公共).
    alone = {r["word"] for r in bounds if r["alone"] == "1"}
    stops = [w for w in [r["word"] for r in bounds] + list(periods) if len(w) > 1 or w in alone]
    units = _rows("units.csv")
    return Grammar(
        lexicon={r["word"]: r["kind"] for r in _rows("lexicon.csv")},
        measures={
            r["word"]: (r["unit"], r["subject"], r["first"] == "1")
            for r in _rows("measure_words.csv")
        },
        units={r["word"]: (r["kind"], r["unit"]) for r in units},
        per_periods={r["word"]: r["period"] for r in units if r["period"]},
        before={r["word"]: r["qualifier"] for r in quals if r["position"] == "before"},
        after={r["word"]: r["qualifier"] for r in quals if r["position"] == "after"},
        slots={
            r["word"]: frozenset(r["slots"].split(";")) for r in quals if r["position"] == "after"
        },
        tail={r["word"]: r["qualifier"] for r in quals if r["position"] == "tail"},
        periods=periods,
        year_parts={r["word"]: (int(r["first"]), int(r["last"])) for r in _rows("year_parts.csv")},
        relative_months={
            r["word"]: (int(r["offset"]), r["base"]) for r in _rows("relative_months.csv")
        },
        predicates=frozenset(r["word"] for r in bounds if r["role"] == "predicate"),
        nouns=tuple(r["word"] for r in _rows("nouns.csv")),
        stops=tuple(stops),
    )


def _prefixed(name: str, body: str) -> str:
    """Inner group names repeat across alternatives (mo, d): prefix them with the alternative."""
    return re.sub(r"\(\?P([<=])(\w+)", lambda m: f"(?P{m.group(1)}{name}_{m.group(2)}", body)


def _alternatives(g: Grammar) -> dict[str, str]:
    """The token forms, most specific first; the scanner has one handler per name."""
    num_start = [w for w in g.lexicon if w[0] in CN_D + CN_U]
    other = [w for w in g.lexicon if w[0] not in CN_D + CN_U]
    guard = f"(?![0-9{CN_D}{CN_U}])"
    lex = rf"(?:(?<![{NUMERAL_CHARS}]){trie(num_start)}|{trie(other)}){guard}"
    first = trie(w for w, (_, _, f) in g.measures.items() if f)
    enum_num = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
    parts = trie(g.year_parts)
    alone_parts = trie(w for w in g.year_parts if not w.startswith("第"))
    quote_body = rf"(?=[^“”\n，。；]{{0,15}}[{NUMERAL_CHARS}])[^“”\n，。；]{{1,16}}"
    return {
        "pct": rf"百分之(?P<pn>{NUM})",
        "frac": rf"(?P<den>{NUM})分之(?P<numr>{NUM})",
        "lex": lex,
        "quote": rf"“{quote_body}”|「{quote_body}」|\"(?=[^\s\"])(?=[^\"\n，。；]{{0,15}}[{NUMERAL_CHARS}])[^\"\n，。；]{{1,16}}(?<=\S)\"",
        "title": rf"《(?=[^《》]{{0,79}}[{NUMERAL_CHARS}])[^《》]{{1,80}}》",
        "enum": rf"[（(][ ]?(?P<en1>{enum_num})[ ]?[）)]|{LINE_START}(?P<en2>{enum_num})(?:、|[.．](?![0-9]))",
        "isodate": r"(?<![0-9.])(?P<iy>(?:19|20)[0-9]{2})(?P<isep>[-./])(?P<im>[0-9]{1,2})(?P=isep)(?P<id>[0-9]{1,2})(?![0-9])",
        "yrange": rf"(?P<ya>{YEAR})年?[ ]?{SEP}[ ]?(?P<yb>{YEAR})年(?![代级])",
        "date": rf"(?P<y>{YEAR})[ ]?年(?![代级])(?P<ydu>度)?(?:(?P<part>{parts})|(?P<mo>{MON})(?:{SEP}(?P<mo2>{MON}))?[ ]?月份?(?:(?P<d>{DAY})[ ]?[日号])?)?",
        "part": rf"(?<![0-9{CN_D}{CN_U}近续每个后数几第])(?P<pw>{alone_parts})",
        "relmonth": rf"(?<![线网马晚早路地楼面桌身手墙山街会以向往之])(?P<rmw>{trie(g.relative_months)})份?(?![球光亮饼台色季牙嫂])(?:(?P<rmd>{DAY})[ ]?[日号])?",
        "md": rf"(?<![0-9.{CN_D}{CN_U}])(?P<mo>{MON})(?:{SEP}(?P<mo2>{MON}))?月份?(?:(?P<d>{DAY})[ ]?[日号])?",
        "day": rf"(?<![0-9.{CN_D}{CN_U}])(?P<dd>{DAY10})日(?!内|以内|之内|均|[0-9](?![0-9]?[时点]))",
        "rel": rf"(?P<rw>大前年|(?<![提之以目])前年|去年|今年|明年|后年|上年(?=同期))(?:(?P<same>同期)|的?(?P<rpart>{parts})|的?(?P<mo>{MON})(?:{SEP}(?P<mo2>{MON}))?月份?(?:(?P<d>{DAY})[日号])?)?(?P<since>以来)?",
        "first": rf"(?<![元自为])首(?P<fc>{first})",
        "ord": rf"第(?P<on>{NUM})(?P<oc>{trie(list(g.measures) + ['季度'])})?",
        "shi": r"(?:(?<=[\n。；;，,：:])|^)(?P<sn>[一二三四五六七八九十]{1,2})是",
        "num": NUM,
    }


def _after_words(g: Grammar, slot: str, *extra: str) -> str:
    """The qualifier words that may stand in ``slot`` (and ``extra`` words), as a pattern."""
    return trie([w for w, slots in g.slots.items() if slot in slots] + list(extra))


def _quantity(g: Grammar, unit_trie: str, ranged: bool) -> re.Pattern:
    """numeral multiplier [余/多] [–numeral multiplier [余/多]] [个[多/半]] [unit] [半] [/per]."""
    a1 = _after_words(g, "multiplier")
    head = rf"(?P<n1>{NUM})(?P<m1>{MULT})(?P<a1>{a1})?(?P<m1b>{MULT})(?P<p1>[ ]?[%％﹪‰])?"
    if ranged:
        a2 = _after_words(g, "range_end")
        second = (
            rf"(?:[ ]?(?P<sep>{SEP})[ ]?(?P<n2>{NUM})(?P<m2>{MULT})(?P<a2>{a2})?(?P<m2b>{MULT}))?"
        )
    else:  # the same groups, never taken
        second = "(?:(?!)(?P<sep>)(?P<n2>)(?P<m2>)(?P<a2>)(?P<m2b>))?"
    rest = (  # 个半月: 半 (a half) is no qualifier but stands where one does
        rf"(?:(?P<ge>个)(?P<a3>{_after_words(g, 'ge', '半')})?(?={GE_TIME}))?"
        rf"(?:[ ]?(?P<unit>{unit_trie}))?(?P<half>半(?![载年]))?"
        rf"(?:[/／](?P<per>{unit_trie}))?"
    )
    return re.compile(head + second + rest)


def _patterns(g: Grammar) -> dict[str, re.Pattern]:
    master = "|".join(
        f"(?P<{name}>{_prefixed(name, body)})" for name, body in _alternatives(g).items()
    )
    unit_trie = trie(list(g.measures) + list(g.units))
    # Every alternative starts with one of these characters: a look-ahead for them lets re
    # skip every other position in C before it tries the alternatives one by one.
    firsts = set(NUMERAL_CHARS.replace("0-9", "0123456789")) | {w[0] for w in g.lexicon}
    firsts |= set('“「"《（(大前去今明后首第百上下本次')
    guard = "[" + "".join(sorted(re.escape(c) for c in firsts)) + "]"
    return {
        "master": re.compile(f"(?={guard})(?:{master})"),
        "qty": _quantity(g, unit_trie, ranged=True),
        "qty_single": _quantity(g, unit_trie, ranged=False),
        "before": re.compile(rf"(?:{trie(list(g.before) + ['零下'])})$"),
        # 约占全省用电量的九成, 约占六成: a qualifier before 占 qualifies the share after it
        # (节约, 制约 …: 约 inside a word is none)
        "share": re.compile(
            rf"(?<![节制契预条公])(?P<w>{trie(g.before)})占(?:到)?(?:[^{NUMERAL_CHARS}，,。；;：:！？!?\n]{{0,16}}的)?$"
        ),
        "tail": re.compile(trie(g.tail)),
        "period": re.compile(trie(g.periods)),
        "head": re.compile(trie(g.nouns)),
        "bound_rev": re.compile(trie(w[::-1] for w in g.stops)),
        "stop": re.compile(trie(w for w in g.stops if len(w) > 1)),
        "pred_rev": re.compile(trie(w[::-1] for w in list(g.predicates) + list(g.before))),
        "numeral": re.compile(rf"{NUM}"),
        "ascii_run": re.compile(r"[A-Za-z0-9.+\-]*"),
        "date_break": re.compile(r"[。！？!?\n]"),
        "range_tail": re.compile(
            rf"[ ]?{SEP}[ ]?(?P<neg>[-－])?(?P<n>{NUM})(?P<m>{MULT})(?P<u>{unit_trie})"
        ),
        "clause_end": re.compile(r"[，,。；;！？!?\n]"),
        # 九州光能科技有限公司: one to six characters, then a name suffix (markers.csv)
        "in_name": re.compile(
            rf"(?:(?![的和与及或在为是将]){CJK}){{1,6}}?(?:{trie(markers()['name_suffix'])})"
        ),
        "sentence_end": re.compile(r"[。；;！？!?\n]"),
        # 城乡居民收入比由2.5缩小到2.4, 性别比为104.6: a noun ending in 比 (a ratio, not 相比 or
        # the comparative 比上年) before a bare number in its clause makes it that ratio
        "ratio_named": re.compile(
            r"(?<![相对无类好正反])比值?(?:为|是|由|从|达到?|降至|降到|降为|升至|升到|缩小到|缩小至"
            r"|缩小为|扩大到|扩大至|保持在|稳定在|[:：])[^，,。；;！？!?\n]*$"
        ),
    }


@cache
def grammar() -> Grammar:
    """The vocabularies and compiled patterns, built once."""
    g = _read_vocabularies()
    return replace(g, patterns=_patterns(g))

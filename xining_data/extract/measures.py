"""What each figure measures: the phrase a reader would write before a colon.

"城镇新增就业: 13971人", "饮水安全: 5.1万人", "登记失业率: 2.36%", "交通气象站: 3套". The phrase
is read from the figure's sentence, after the scan, by rules of Chinese word order:

1. after a classifier, the counted noun when it is specific (3套|交通气象站, 千余支|文化小分队);
   after a unit of measure, a noun right after it (50万亩|耕地, 20GW|光伏组件, 7级|阵风). A
   counted noun that a pivot verb governs (帮助|1.5万名|劳动力实现转移就业) or that a verb
   with an aspect follows (为11户|安装了加压设备) does what follows: that is the measure;
2. a figure coordinated with the next one (40个村、5.1万人…, 67家市级和167家县级…) shares its
   measure (without the level modifier, 市级/县级), unless both count their own nouns
   (8个社区、13个行政村);
3. otherwise the nominal phrase before the number in its clause (城镇新增就业|13971人,
   登记失业率为|2.36%), with function words stripped (全市, 累计, 为, 达到; at its end only 由,
   仍, and modals: 将|达到, 有望|突破) and starting after the clause's first verb
   (结算|工伤住院医疗费|10.85万元; later verbs are inside the object: 开展|…文艺展演活动); a verb
   before a nominal head is inside the noun (招聘|会, 巩固提升|工程, 受益|人口). The verb stays
   when it is done to the people counted (转移农村劳动力|18.6万人次); the verb and its subject
   when the noun alone is generic (补贴资金惠及企业|95家) or when a share follows 的
   (管网覆盖城镇人口的|76%). A frame keeps its modifier (城镇新增就业的预期目标|3万人); a phrase
   ending in a verb or in 了 is verbal (巩固提升了|40个村): the number is its object, unless a
   light verb makes the phrase a noun (完成…节能改造|86万平方米);
4. a clause of predicates, comparisons or function words only (…1847.6亿元、增长|5.2%,
   …，较2021年末增长|近八成, …，累计达到|59个, 由5万吨提高到|8万吨) or one that restates the
   subject (局地可达|60毫米, 总数达到|38家) shares the measure of the clause before, as a
   ``change`` when its predicate is one (增长, 提高) and a level otherwise; a level alone
   (…67家、县级|167家) shares the noun;
5. otherwise the phrase after it (5.1万人的|饮水安全, 三个|城市斩获该奖项: a generic counted
   noun keeps the predicate that says what the things did; after a relative clause,
   一座占地1.2公顷的|口袋公园); with nothing after, the subject of a verb of change or of an
   adverb (室内温度提高了|3至5摄氏度, 水质连续|24个月), a generic noun (居民|1.2万户), or the
   measure of a figure right before it (全村312户|1146人).

6. the special frames: predicates after 分别 pair in order with the figures of the clauses
   before (A 12万元，B 3万元，分别增长|4%和6%); parts after 其中 keep their level (其中|省级|
   4个); a clause saying where a subject is gives it to the predicate after (最大风速|出现在
   某县，为|21米/秒); a modal before a short verb ends the subject (这口井每天|能出水|300立方米);
   a duration framed by 在…内 measures what is done in it (在|10分钟内|到场); money after a
   spending verb is the verb's (拟投入|8000万元); a share a verb with 了 took is the agent's
   and the verb's (被批发商|收购了|六成); a generic counted noun, when nothing else names
   the figure (等全国|20多个省份的…).

The word lists (generic counted nouns, words to strip, verbs and adverbs that end a noun
phrase) are in ``data/vocab/measure_phrases.csv``; the verbs and predicates of
``boundaries.csv`` end phrases too. Dates, ordinals and identifiers measure nothing.
A measure is at most :data:`MAX_LENGTH` characters and carries raw offsets into the report.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from xining_data.base.paths import VOCAB_DIR
from xining_data.extract.vocab import trie

MAX_LENGTH = 24
NOT_QUANTITIES = frozenset({"date", "ordinal", "identifier"})
CLAUSE_MARKS = frozenset("，,；;：:。！？!?…\n")
CONJUNCTIONS = frozenset("和与及或、")
RESPECTIVELY = "分别"  # subjects listed before it pair with the figures after it in order
PASSIVE = "被"  # 被 A V了 N成: the agent and verb say who took the share
SUBSET = "其中"  # opens the parts of a total: each part keeps its own level (其中|省级|11个)
CLAUSE_JOINS = frozenset("、，,")
ATTRIBUTIVE = frozenset("级型")
# A verb right before one of these heads is inside the noun: 覆盖|率, 招聘|会, 服务|站.
NOMINAL_SUFFIXES = frozenset("率值额量费金款业者员数度物品会节站点队")
ASPECT = frozenset("了着过")  # after a verb: 群众|喝上了|安全水
CHANGE = re.compile("增|减|降|升|提高|扩大|缩")  # a predicate of change (增长5.6%, 提高1.5个百分点)
QUOTES = {"“": "”", "「": "」", "(": ")", "（": "）"}
PERSON_UNITS = frozenset({"人", "人次", "名", "户", "位"})
LINKS = frozenset(
    {"为", "是", "了", "的", "有", "和", "与", "及", "并", "以及"}
)  # license no modal
TEMPORAL = frozenset("后前时")  # after a verb, a time clause (改造后|室内温度): not the object
# Figures whose unit a noun may follow directly (50万亩|耕地, 20GW|光伏组件, 7级|阵风).
NOUN_AFTER_KINDS = frozenset(
    {"area", "length", "volume", "weight", "power", "energy", "compute", "bandwidth", "storage",
     "level", "voltage"}
)  # fmt: skip
LOCATIVE = frozenset("内外")  # 5公里范围内: a place, not a noun measured
DETERMINER_NUMERALS = frozenset("一两这那该每各")  # 一座|占地…的: opens a relative clause
SHARE_HEADS = ("比例", "比重", "占比")
NOUN_SPAN = 16  # how far a counted noun may run after its classifier


@dataclass(frozen=True)
class Lexicon:
    """A word list that finds its longest word starting or ending at a position (tries)."""

    words: frozenset[str]
    forward: re.Pattern = field(repr=False)
    backward: re.Pattern = field(repr=False)
    longest: int = 0  # no word is longer: a word ending at j starts after j - longest
    # The characters its words start and end with: most positions hold neither, and are
    # answered without a regular expression (the rules ask at nearly every character).
    firsts: frozenset[str] = field(default=frozenset(), repr=False)
    lasts: frozenset[str] = field(default=frozenset(), repr=False)

    @classmethod
    def of(cls, words) -> Lexicon:
        words = frozenset(words)
        return cls(
            words,
            re.compile(trie(words)),
            re.compile(trie(w[::-1] for w in words)),
            max(map(len, words), default=0),
            frozenset(w[0] for w in words),
            frozenset(w[-1] for w in words),
        )

    def __contains__(self, word: str) -> bool:
        return word in self.words

    def at(self, text: str, i: int, end: int | None = None) -> str:
        """The longest word starting at ``text[i]`` and ending by ``end``, or ''."""
        if 0 <= i < len(text) and text[i] not in self.firsts:
            return ""
        m = self.forward.match(text, i, len(text) if end is None else end)
        return m.group() if m else ""

    def ending(self, text: str, j: int, a: int = 0) -> str:
        """The longest word ending at ``text[j]`` (exclusive end) and starting at ``a`` or
        later, or ''. Only the last ``longest`` characters are reversed, not the whole text."""
        if max(a, 0) < j <= len(text) and text[j - 1] not in self.lasts:
            return ""
        lo = max(a, j - self.longest)  # (j < 0 never comes: text[0:j] is text[:j])
        m = self.backward.match(text[lo:j][::-1])
        return m.group()[::-1] if m else ""

    def next_at(self, text: str, i: int, end: int) -> int:
        """The first position from ``i`` where a word of the list starts and ends by ``end``
        (``end`` when none): one search in place of :meth:`at` at every position."""
        m = self.forward.search(text, i, end)
        return m.start() if m else end


@dataclass(frozen=True)
class Words:
    """The word lists the rules read, by role."""

    generic: Lexicon  # counted nouns too general to say what is measured (人, 村)
    strip: Lexicon  # function words trimmed off a phrase's edges
    cuts: Lexicon  # verbs and adverbs that end a noun phrase
    adverbs: Lexicon  # adverbs that end a phrase after a figure
    keeps: Lexicon  # words never cut, though they hold a verb (人均, 参与)
    verbs: frozenset[str]  # verbs whose object a figure may count (惠及|企业)
    people_verbs: frozenset[str]  # verbs done to the people a figure counts (转移|劳动力)
    predicates: Lexicon  # words that only predicate a figure (增长, 同比下降)
    classifiers: frozenset[str]  # measure words the counted noun follows (个, 套, 家)
    strip_end: Lexicon  # trimmed off a phrase's end only (由, 从, 仍, 将, 有望)
    modals: Lexicon  # before a verb of reaching, trimmed with it (局地可|达)
    restate: Lexicon  # words that restate the subject before (局地, 总数)
    heads: Lexicon  # nominal heads a verb may modify (巩固提升|工程, 受益|人口)
    light: Lexicon  # light verbs whose object may end in a verb (完成…节能改造)
    comparison: re.Pattern  # a clause that only compares (较上年末增长)
    comparison_marks: Lexicon  # the words that open a comparison (较, 比)
    pivots: Lexicon  # verbs whose object does the next verb (帮助|…劳动力实现转移就业)
    frames: frozenset[str]  # heads that name their modifier's measure (…就业的|预期目标)
    locating: Lexicon  # verbs saying where a subject is (最大风速|出现在…，为|28米/秒)
    auxiliaries: Lexicon  # modals before the verb taking the figure (工人|能|挣|三千元)


class Spot(NamedTuple):  # a tuple: one is made per figure, and a tuple is made 4x faster
    """A figure inside its sentence (offsets index the sentence text)."""

    start: int
    end: int
    kind: str
    unit: str


class Measure(NamedTuple):  # a tuple, as Spot
    """What a figure measures, where it stands (offsets as the caller's), and the rule used."""

    text: str
    start: int
    end: int
    rule: str


NO_MEASURE = Measure("", -1, -1, "")


def _rows(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def words() -> Words:
    """The word lists, read once."""
    own = _rows(VOCAB_DIR / "measure_phrases.csv")
    bounds = _rows(VOCAB_DIR / "boundaries.csv")
    by_role = lambda rows, role: [r["word"] for r in rows if r["role"] == role]  # noqa: E731
    classifiers = [
        r["word"]
        for r in _rows(VOCAB_DIR / "measure_words.csv")
        if r["subject"] in ("after", "after_self")
    ]
    verbs = by_role(own, "verb") + by_role(own, "people_verb")
    long_ends = [word for word in by_role(own, "strip_end") if len(word) > 1]
    comparison = rf"(?:同比|环比)?(?:{trie(by_role(own, 'comparison'))})[^，,；;、]{{1,10}}?"
    return Words(
        generic=Lexicon.of(by_role(own, "generic")),
        strip=Lexicon.of(by_role(own, "strip")),
        cuts=Lexicon.of(
            verbs
            + by_role(own, "adverb")
            + by_role(bounds, "stop")
            + long_ends
            + [word for word in by_role(own, "strip") if len(word) > 1]
        ),
        adverbs=Lexicon.of(by_role(own, "adverb")),
        keeps=Lexicon.of(by_role(own, "keep")),
        verbs=frozenset(verbs),
        people_verbs=frozenset(by_role(own, "people_verb")),
        predicates=Lexicon.of(by_role(bounds, "predicate")),
        classifiers=frozenset(classifiers),
        strip_end=Lexicon.of(by_role(own, "strip_end")),
        modals=Lexicon.of(by_role(own, "modal")),
        restate=Lexicon.of(by_role(own, "restate")),
        heads=Lexicon.of(by_role(own, "head")),
        light=Lexicon.of(by_role(own, "light_verb")),
        comparison=re.compile(
            rf"{comparison}(?:相比|同期)?(?:{CHANGE.pattern})[长加高升少低大小短]?了?"
        ),
        comparison_marks=Lexicon.of(by_role(own, "comparison")),
        pivots=Lexicon.of(by_role(own, "pivot")),
        frames=frozenset(by_role(own, "frame")),
        locating=Lexicon.of(by_role(own, "locating")),
        auxiliaries=Lexicon.of(by_role(own, "auxiliary")),
    )


def _strip(text: str, a: int, b: int, w: Words) -> tuple[int, int, bool]:
    """Trim function words and spaces off both edges of ``text[a:b]``; also say whether a
    perfective 了 stood at its end (the phrase was a verb's)."""
    verbal = False
    changed = True
    while changed and a < b:
        changed = False
        while a < b and (text[a].isspace() or text[a] in CONJUNCTIONS):
            a, changed = a + 1, True
        while a < b and text[b - 1].isspace():
            b, changed = b - 1, True
        if a < b and (word := w.strip.ending(text, b, a)):
            # 学位增加到|了: a change to a level, no verb's object
            verbal = (verbal or word == "了") and not word.endswith(("到", "至"))
            b, changed = b - len(word), True
            if word not in LINKS:  # 局地可|达: the modal goes with its verb
                b -= len(w.modals.ending(text, b, a))
        if a < b and (word := w.strip_end.ending(text, b, a)):
            b, changed = b - len(word), True
        if a < b and (word := w.strip.at(text, a, b)):
            a, changed = a + len(word), True
    return a, b, verbal


def _skip_bracket(text: str, i: int, limit: int) -> int:
    """The end of a quoted name or parenthesis opening at ``i`` (or ``i`` when unclosed)."""
    j = text.find(QUOTES[text[i]], i + 1, limit)
    return j + 1 if j >= 0 else i


def _noun_after(text: str, b: int, limit: int, w: Words) -> int:
    """The end of the noun phrase right after a classifier (3套|交通气象站|，)."""
    i, end = b, min(limit, b + NOUN_SPAN)
    while i < end:
        ch = text[i]
        if ch in QUOTES:
            j = _skip_bracket(text, i, min(len(text), i + 18))
            if j == i:
                break
            i = j
            continue
        if (
            ch in CLAUSE_MARKS
            or ch in CONJUNCTIONS
            or ch in "的《"
            or ch.isdigit()
            or (i > b and w.cuts.at(text, i))
            or (i > b and w.predicates.at(text, i))
        ):
            break
        i += 1
    return i


def _verb_at(text: str, i: int, end: int, w: Words, kept: set[int], e: int = -1) -> bool:
    """Does a word that ends a noun phrase start at ``text[i]`` (before ``end``), neither
    kept whole nor followed by a nominal head (招聘|会, 巩固提升|工程) before ``e``, nor a
    conjunction (参保人数|和|基金收入: it joins nouns)?"""
    word = w.cuts.at(text, i, end)
    j = i + len(word)
    e = end if e < 0 else e
    nominal = j < e and (text[j] in NOMINAL_SUFFIXES or w.heads.at(text, j, e))
    joins = word in CONJUNCTIONS
    return bool(word) and not kept & set(range(i, j)) and not nominal and not joins


def _after_main_verb(text: str, s: int, scan_end: int, e: int, w: Words) -> tuple[int, str]:
    """Where the object of the clause's first verb starts in ``text[s:e]`` (开展|各族群众…
    活动: later verbs are inside the object), and the verb; (s, '') when there is none.
    A verb before a nominal head is part of a noun (招聘|会), and words kept whole (人均,
    参与) hold no verb."""
    kept = set()
    i = w.keeps.next_at(text, s, e)
    while i < e:
        kept.update(range(i, i + len(w.keeps.at(text, i, e))))
        i = w.keeps.next_at(text, i + 1, e)
    i = s
    while (i := w.cuts.next_at(text, i, scan_end)) < scan_end:  # where a verb may start
        if not _verb_at(text, i, scan_end, w, kept, e):
            i += 1
            continue
        word = w.cuts.at(text, i, scan_end)
        j = i + len(word)
        while _verb_at(text, j, scan_end, w, kept, e):
            more = w.cuts.at(text, j, scan_end)  # 累计|建成|零工市场: adjacent verbs go together
            word, j = more, j + len(more)
        if j + 1 < e and text[j] in TEMPORAL:
            j += 1  # 改造后|冬季室内温度: a time clause, the subject follows
        return j, word
    return s, ""


def _phrase_before(text: str, lo: int, f: Spot, w: Words) -> tuple[int, int, str]:
    """The nominal phrase before a figure in its clause: (start, end, verdict), verdict
    being 'noun', 'verbal' (巩固提升了|40个: the figure is an object), 'predicate' (增长|5.2%,
    较上年增长|5%: nothing but a predicate or a comparison), 'level' (县级|167家) or ''
    (nothing). When the figure counts ``people``, the verb before their noun is part of the
    measure (转移农村劳动力|18.6万人次: what was done to them is what is counted). The object
    of a light verb may end in a verb and still be a noun (完成…节能改造|86万平方米). A share
    of what a verb's object names keeps the verb and its subject (供水工程覆盖农村人口的|80%)."""
    a, people = f.start, f.unit in PERSON_UNITS
    s, e, verbal = _strip(text, lo, _before_modal(text, lo, a, w), w)
    if (k := text.find(RESPECTIVELY, s, e)) > s:  # A和B|分别增长|5%、7%: the subjects end at 分别
        s, e, verbal = _strip(text, s, k, w)
    if w.comparison.fullmatch(text, s, e):
        return s, e, "predicate"
    final = w.cuts.ending(text, e) if s < e else ""
    nominal = final and not verbal and w.light.forward.search(text, lo, e - len(final))
    if (verbal or final) and not nominal:
        return s, e, "verbal"
    share_of = f.kind == "percent" and text[a - 1 : a] == "的"
    s, e = _object(text, s, s if share_of else e - len(final), e, w, people)
    return s, e, _verdict(text, (lo, a), s, e, w)


def _before_modal(text: str, s: int, e: int, w: Words) -> int:
    """Where the subject ends when a modal and a short verb stand right before the figure
    (工人每月|能挣|三千元): the modal's subject is measured; ``e`` when there is none.
    A modal inside a kept word (单位GDP能耗) is none."""
    if text[e - 1 : e] in NOMINAL_SUFFIXES:
        return e
    for p in range(max(s + 1, e - 4), e - 1):
        aux = w.auxiliaries.at(text, p, e)
        if not aux or not 1 <= e - p - len(aux) <= 2:
            continue
        if not any(w.keeps.at(text, q, e) for q in range(max(s, p - 1), p + 1)):
            return p
    return e


def _object(text: str, s: int, scan_end: int, e: int, w: Words, people: bool) -> tuple[int, int]:
    """The phrase in ``text[s:e]`` after the clause's main verb (found before ``scan_end``),
    with the verb when the figure counts people it was done to, and with the verb and its
    subject when the noun alone is generic (补贴资金|惠及|企业, 一期工程已|完成|投资)."""
    subject = s
    share = text.rfind("占", s, e)
    if share > s and text.endswith(SHARE_HEADS, s, e):  # A占B比例
        scan_end = min(scan_end, share)
    k, verb = _after_main_verb(text, s, scan_end, e, w)
    stripped = _strip(text, k, e, w)
    bare = text[stripped[0] : stripped[1]]
    if verb == "的" and bare in w.frames:  # 城镇新增就业的|预期目标: the frame keeps its modifier
        k, verb = _after_main_verb(text, s, k - 1, k - 1, w)
        stripped = _strip(text, k, e, w)
    keep = verb in w.verbs and (people and verb in w.people_verbs or bare in w.generic)
    s, e, _ = stripped
    if keep:  # 转移|农村劳动力|18.6万人次, 惠及|企业|95家, 完成|投资: the verb says which
        s = subject if bare in w.generic else k - len(verb)
    return s, e


def _verdict(text: str, clause: tuple[int, int], s: int, e: int, w: Words) -> str:
    """What the phrase ``text[s:e]`` before a figure is (see :func:`_phrase_before`);
    ``clause`` spans the words before the figure it was read from."""
    phrase, before = text[s:e], text[slice(*clause)]
    if not phrase:  # 全区累计达到|59个: function words only, a predicate
        return "predicate" if before.strip(" 、，,") else ""
    rest = phrase
    while rest and (p := w.predicates.at(rest, 0) or w.restate.at(rest, 0)):
        rest = rest[len(p) :]
    if not rest:  # 增长|5%, 局地可达|60毫米, 总数达到|38家: the clause before's measure
        return "predicate"
    if phrase[-1] in ATTRIBUTIVE and len(phrase) <= 6:
        return "level"  # 县(区)级|167家: the noun is the clause before's
    if phrase in w.generic or len(phrase) < 2 or before.rstrip().endswith("等"):
        return ""
    return "noun"


def _phrase_after(text: str, i: int, limit: int, w: Words) -> tuple[int, int]:
    """The phrase after a figure, up to its clause's end (5.1万人的|饮水安全|，); after a
    的 only the noun it modifies (40平方米的|“零工小站”|成了…: its verb is the clause's)."""
    start = i
    while i < limit and text[i] in "的 ":
        i += 1
    attributive = "的" in text[start:i]
    j, end = i, min(limit, i + MAX_LENGTH)
    while j < end:
        ch = text[j]
        if ch in QUOTES:
            k = _skip_bracket(text, j, end)
            if k == j:
                break
            j = k
            continue
        if ch in CLAUSE_MARKS or ch in "《" or ch.isdigit():
            break
        if j - i >= 2 and w.adverbs.at(text, j):
            break  # 饮水质量|再提升
        if attributive and j - i >= 2 and (text[j + 1 : j + 2] in ASPECT or w.cuts.at(text, j)):
            break
        j += 1
    s, e, _ = _strip(text, i, j, w)
    return s, e


def _clause_start(text: str, a: int) -> int:
    i = a
    while i > 0 and text[i - 1] not in CLAUSE_MARKS:
        i -= 1
    return i


def _clause_end(text: str, b: int) -> int:
    i = b
    while i < len(text) and text[i] not in CLAUSE_MARKS:
        i += 1
    return i


def _head(text: str, s: int, e: int) -> int:
    """Where the head of a shared noun phrase starts, after its level (县(区)级|社区…)."""
    cut = max(text.rfind(c, s, e) for c in ATTRIBUTIVE)
    return cut + 1 if cut >= 0 else s


def _fit(text: str, s: int, e: int) -> tuple[int, int]:
    """At most MAX_LENGTH characters, keeping the head (the end): cut after a 的 or a
    conjunction if one leaves a phrase short enough, else keep the last characters."""
    if e - s <= MAX_LENGTH:
        return s, e
    marks = (
        k for k in range(e - MAX_LENGTH - 1, e - 1) if text[k] == "的" or text[k] in CONJUNCTIONS
    )
    de = next(marks, -1)
    return (de + 1, e) if de >= 0 else (e - MAX_LENGTH, e)


def _measure(text: str, s: int, e: int, rule: str) -> Measure:
    s, e = _fit(text, s, e)
    return Measure(text[s:e], s, e, rule)


# Figures that stand inside a noun phrase rather than before it: 第一产业, 三季度, 5A级景区, 5G基站.
NAME_PARTS = ("ordinal", "identifier")


@dataclass
class _Reading:
    """One sentence being read: its figures, the noun each counts, and the measures so far."""

    text: str
    spots: Sequence[Spot]
    w: Words
    nouns: list[tuple[int, int]]  # the counted noun after each figure (empty: end, end)
    own_end: list[int]  # a figure's end with its counted noun
    acts: list[bool]  # the counted noun does what follows it (帮助|1.5万名劳动力实现…)
    out: list[Measure]

    @classmethod
    def of(cls, text: str, spots: Sequence[Spot]) -> _Reading:
        n = len(spots)
        reading = cls(text, spots, words(), [(s.end, s.end) for s in spots],
                      [s.end for s in spots], [False] * n, [NO_MEASURE] * n)  # fmt: skip
        for i in range(n):
            reading.read_noun(i)
        return reading

    def read_noun(self, i: int) -> None:
        """The noun right after figure ``i``: after a classifier, what is counted (3套|气象站);
        after a unit, what is measured (50万亩|耕地, 7级以上|阵风). A noun followed by a verb
        with an aspect (11户|安装了…, 2.6万名居民|用上了…) or after a pivot verb
        (帮助|1.5万名|农村劳动力|实现转移就业) does what follows: that is the measure."""
        text, f, w = self.text, self.spots[i], self.w
        limit = self.spots[i + 1].start if i + 1 < len(self.spots) else len(text)
        if w.adverbs.at(text, f.end):
            return  # 车辆12台|连夜抢修: an adverb starts the predicate, no noun
        if f.kind == "count" and f.unit in w.classifiers:
            e = _noun_after(text, f.end, limit, w)
        elif f.kind in NOUN_AFTER_KINDS and not (
            w.cuts.at(text, f.end) or w.predicates.at(text, f.end)
        ):
            e = _noun_after(text, f.end, limit, w)
            noun = text[f.end : e]
            if len(noun) < 2 or LOCATIVE & set(noun) or noun in w.generic:
                return
        else:
            return
        head = w.generic.at(text, f.end, e)
        acted = ASPECT & set(text[f.end + len(head) : e + 2])
        if acted and f.end + len(head) < e:
            e = f.end + len(head)  # 1.2万名|群众|喝上了…: the noun is the generic one
        pivot = w.pivots.ending(text, f.start)
        self.acts[i] = bool(acted or pivot) and text[e : e + 1] not in CLAUSE_MARKS and e < limit
        self.nouns[i] = (f.end, e)
        self.own_end[i] = e

    def previous(self, i: int) -> int:
        """The quantity before figure ``i`` in its sentence (-1 when none)."""
        k = i - 1
        while k >= 0 and self.spots[k].kind in NOT_QUANTITIES:
            k -= 1
        return k

    def shared_with_next(self, i: int) -> Measure | None:
        """The next figure's measure, when this one is joined to it (40个村、5.1万人…); but
        a figure counting its own noun beside another's counts it (8个社区、13个行政村)."""
        spots, n = self.spots, len(self.spots)
        nxt = i + 1 < n and spots[i + 1].kind not in NOT_QUANTITIES and self.out[i + 1].text
        gap = self.text[self.own_end[i] : spots[i + 1].start] if i + 1 < n else "x"
        if not (nxt and (gap == "" or (len(gap) == 1 and gap in CONJUNCTIONS))):
            return None
        m = self.out[i + 1]
        ns, ne = self.nouns[i]
        if m.rule == "noun" and ne - ns >= 1 and self.text[ne - 1] not in ATTRIBUTIVE:
            return _measure(self.text, ns, ne, "noun")
        s = _head(self.text, m.start, m.end) if m.rule == "noun" else m.start
        return Measure(self.text[s : m.end], s, m.end, "shared")

    def measure(self, i: int) -> Measure | str:
        """Figure ``i``'s measure, or the verdict of a clause that shares the one before."""
        text, f, w = self.text, self.spots[i], self.w
        ns, ne = self.nouns[i]
        noun = text[ns:ne]
        if self.acts[i] or self.time_limit(i):  # 在|5分钟内|到场: what is done in the time
            return _measure(text, *_phrase_after(text, ns, self.clause_limit(i), w), "after")
        if noun and noun not in w.generic and noun[-1] not in ATTRIBUTIVE:
            return _measure(text, ns, ne, "noun")
        shared = self.shared_with_next(i)
        if shared is not None:
            return shared
        lo = max(_clause_start(text, f.start), self.bound_before(i))
        s, e, verdict = _phrase_before(text, lo, f, w)
        if verdict == "noun" and not self.relative(i, s):
            return _measure(text, s, e, "before")
        if verdict == "level" and text.startswith(SUBSET, _clause_start(text, f.start)):
            return _measure(text, s, e, "before")  # 其中|省级|11个: a part, not the total
        k = self.previous(i)
        gap = text[self.own_end[k] : f.start] if k >= 0 else "。"
        joined = gap.lstrip()[:1] in CLAUSE_JOINS or not CLAUSE_MARKS & set(gap)
        if verdict in ("predicate", "level") and joined:
            return verdict
        return self.read_on(i, (s, e, verdict), gap.strip(" 、") == "" and k >= 0)

    def read_on(self, i: int, before: tuple[int, int, str], adjacent: bool) -> Measure | str:
        """Figure ``i``'s measure when the phrase ``before`` it (start, end, verdict) names
        nothing: the phrase after it, the subject of its verb, or its generic noun;
        ``adjacent``: it follows the figure before with nothing between (全村312户|1146人)."""
        text, f, w = self.text, self.spots[i], self.w
        s, e, verdict = before
        ns, ne = self.nouns[i]
        noun = text[ns:ne]
        a, b = _phrase_after(text, self.own_end[i], self.clause_limit(i), w)
        o = self.own_end[i]
        predicate = w.predicates.at(text, o) or w.cuts.at(text, o)  # 水质连续24个月|达到…
        if b - a >= 2 and not (verdict == "verbal" and w.adverbs.ending(text, e) and predicate):
            start = ns if noun in w.generic and ne == a else a  # 城市|斩获该奖项
            return _measure(text, start, b, "after")
        if verdict == "verbal":
            found = self.subject_before(s, e, f)
            if not found.text and f.kind == "percent":  # 被批发商|收购了|六成: what took it
                s = max(s, text.rfind(PASSIVE, s, e) + 1)
                found = _measure(text, s, e, "before") if e - s >= 2 else NO_MEASURE
            if not found.text and b - a >= 2:  # 将连续|三个月|开展…: no subject, what it does
                return _measure(text, a, b, "after")
            return found if found.text or len(noun) < 2 else _measure(text, ns, ne, "noun")
        if e - s >= 2 and text[s:e] in w.generic:  # 居民|1.2万户: a generic noun, not nothing
            verb = w.cuts.ending(text, s)  # 全县完成|投资: with the verb that says which
            return _measure(text, s - len(verb) if verb in w.verbs else s, e, "before")
        if adjacent:  # 全村312户|1146人: the figure before's
            return "predicate"
        if len(noun) >= 2:  # 卖进…等|40多个|城市的…: a generic noun, when nothing else
            return _measure(text, ns, ne, "noun")
        return NO_MEASURE

    def time_limit(self, i: int) -> bool:
        """Is figure ``i`` a duration framed by 在…内 (在|5分钟内|到场), a time limit?"""
        f, text = self.spots[i], self.text
        return (
            f.kind == "duration"
            and text[f.start - 1 : f.start] == "在"
            and (text[f.end - 1 : f.end] in LOCATIVE or text[f.end : f.end + 1] in LOCATIVE)
        )

    def subject_before(self, s: int, e: int, f: Spot) -> Measure:
        """The subject of a verb of change (室内温度提高了|3至5摄氏度) or of an adverb
        (水质连续|24个月达到…) that a figure with nothing after it follows; a verb done to
        the people the figure counts is itself the measure (安置|156户), and so is a verb
        that spends the money counted (计划投入|8000万元)."""
        text, w = self.text, self.w
        verb = w.cuts.ending(text, e)
        if f.unit in PERSON_UNITS and verb in w.people_verbs:
            return _measure(text, e - len(verb), e, "before")
        if f.kind == "money" and verb in w.verbs and len(verb) >= 2:
            return _measure(text, e - len(verb), e, "before")
        adverb = w.adverbs.ending(text, e)
        if not (adverb or CHANGE.search(text, max(s, e - 2), e)):
            return NO_MEASURE
        s, e = _object(text, s, e - len(adverb), e - len(adverb), w, False)
        return _measure(text, s, e, "before") if e - s >= 2 else NO_MEASURE

    def relative(self, i: int, s: int) -> bool:
        """Is figure ``i`` inside a relative clause that a determiner opens before it and 的
        closes after it (一座|占地1.2公顷的|口袋公园)? Then the noun after is what it measures."""
        text, w = self.text, self.w
        if text[s : s + 1] not in DETERMINER_NUMERALS:  # (most phrases: nothing more to read)
            return False
        classifier = any(text[s + 1 : s + 1 + n] in w.classifiers for n in (1, 2))
        return classifier and text[self.own_end[i] : self.own_end[i] + 1] == "的"

    def clause_limit(self, i: int) -> int:
        """Where the phrase after figure ``i`` must end: its clause's end or the next figure."""
        nxt = self.spots[i + 1].start if i + 1 < len(self.spots) else len(self.text)
        return min(_clause_end(self.text, self.spots[i].end), nxt)

    def bound_before(self, i: int) -> int:
        """Where the phrase before figure ``i`` may start: after the figure before it, unless
        that one is an ordinal inside the phrase (第一产业增加值58.10亿元) or the date of a
        comparison (较2021年末|增长)."""
        k = i - 1
        while k >= 0 and (self.spots[k].kind in NAME_PARTS or self.compared(k)):
            k -= 1
        return self.own_end[k] if k >= 0 else 0

    def compared(self, k: int) -> bool:
        """Is figure ``k`` the date a comparison refers to (较|2021年末, 比|去年)?"""
        f = self.spots[k]
        return f.kind == "date" and bool(self.w.comparison_marks.ending(self.text, f.start))

    def located_subject(self, a: int, b: int) -> Measure:
        """The subject of a clause between two figures that says where it is (…28.6毫米，
        最大风速|出现在某县，为|28米/秒): the predicate clause after it is that subject's."""
        text, w = self.text, self.w
        marks = [k for k in range(a, b) if text[k] in CLAUSE_MARKS]
        if len(marks) < 2:
            return NO_MEASURE
        c0, c1 = marks[-2] + 1, marks[-1]
        for p in range(c0 + 2, c1):
            if w.locating.at(text, p, c1):
                s, e, _ = _strip(text, c0, p, w)
                return _measure(text, s, e, "before") if e - s >= 2 else NO_MEASURE
        return NO_MEASURE

    def share_before(self, i: int, verdict: str) -> Measure:
        """A clause of function words takes the measure of the clause before it."""
        k = self.previous(i)
        m = self.out[k] if k >= 0 else NO_MEASURE
        if not m.text:
            return NO_MEASURE
        if verdict == "level":
            h = _head(self.text, m.start, m.end)
            return Measure(self.text[h : m.end], h, m.end, "shared")
        gap = self.text[self.own_end[k] : self.spots[i].start].rstrip()
        located = self.located_subject(self.own_end[k], self.spots[i].start)
        if located.text:
            return located
        change = CHANGE.search(gap) and gap[-1:] not in "至到"  # 增长到 gives a level
        return m._replace(rule="change" if change else "shared")  # 增长|5.6%: a change


def sentence_measures(text: str, spots: Sequence[Spot]) -> list[Measure]:
    """The measure of each figure of one sentence (``spots`` in text order); offsets index
    ``text``. Read from the last figure back, since a figure may share the next one's."""
    reading = _Reading.of(text, spots)
    pending: list[tuple[int, str]] = []  # clauses sharing the measure of the clause before
    for i in range(len(spots) - 1, -1, -1):
        if spots[i].kind in NOT_QUANTITIES:
            continue
        found = reading.measure(i)
        if isinstance(found, str):
            pending.append((i, found))
        else:
            reading.out[i] = found
    for i, verdict in sorted(pending):
        reading.out[i] = reading.share_before(i, verdict)
    if RESPECTIVELY not in text:  # (most sentences) neither pairing applies
        return reading.out
    _respective_changes(text, spots, [i for i, v in sorted(pending) if v == "predicate"], reading)
    return _respectively(text, spots, reading.out)


def _respective_changes(
    text: str, spots: Sequence[Spot], shared: list[int], reading: _Reading
) -> None:
    """Predicates after 分别 pair in order with the figures of the clauses before
    (A 12万元，B 3万元，分别增长|4%|和|6%: 4% is A's change, 6% B's)."""
    groups: dict[int, list[int]] = {}
    for i in shared:
        c = _clause_start(text, spots[i].start)
        if RESPECTIVELY in text[c : spots[i].start]:
            groups.setdefault(c, []).append(i)
    for c, members in groups.items():
        before = [
            k
            for k in range(members[0])
            if spots[k].kind not in NOT_QUANTITIES and spots[k].end <= c and reading.out[k].text
        ][-len(members) :]
        if len(members) < 2 or len(before) != len(members):
            continue
        if len({(reading.out[k].start, reading.out[k].end) for k in before}) < len(before):
            continue  # the figures before share one measure: nothing to pair
        for i, k in zip(members, before, strict=True):
            reading.out[i] = reading.out[k]._replace(rule="change")


def _respectively(text: str, spots: Sequence[Spot], out: list[Measure]) -> list[Measure]:
    """A list of subjects before 分别 and as many figures sharing them pair in order
    (森林覆盖率、草原植被盖度分别达到|36.5%|和|60.2%: one subject each)."""
    groups: dict[tuple[int, int], list[int]] = {}
    for i, m in enumerate(out):
        if m.text:
            groups.setdefault((m.start, m.end), []).append(i)
    for (s, e), members in groups.items():
        if len(members) < 2 or RESPECTIVELY not in text[e : spots[members[0]].start]:
            continue
        cuts = [k for k in range(s, e) if text[k] in CONJUNCTIONS]
        bounds = [s, *(k + 1 for k in cuts)]
        ends = [*cuts, e]
        if len(bounds) != len(members) or min(b - a for a, b in zip(bounds, ends, strict=True)) < 3:
            continue  # 一、二、三产业增加值, 城镇和农村居民…: the parts share a head
        for i, a, b in zip(members, bounds, ends, strict=True):
            out[i] = Measure(text[a:b], a, b, "respective")
    return out


def _alignment(raw: str, sentence: str) -> list[int]:
    """For each character of a sentence (print-column breaks repaired), its index in ``raw``
    (the sentence's raw stretch, which may still hold the breaks)."""
    out, j = [], 0
    for ch in sentence:
        while j < len(raw) and raw[j] != ch:
            j += 1
        out.append(j)
        j += 1
    return out


def _raw_span(pos: list[int], s: int, e: int) -> tuple[int, int]:
    """Raw offsets of ``sentence[s:e]``; across a repaired break, the part after it."""
    k = e - 1
    while k > s and pos[k - 1] == pos[k] - 1:
        k -= 1
    return pos[k], pos[e - 1] + 1


def report_measures(text: str, figures: Sequence[dict]) -> list[Measure]:
    """The measure of each figure of a report: ``figures`` are rows of the figures table
    (start, end, kind, unit, sentence, sentence_start, sentence_end); offsets index ``text``."""
    out: list[Measure] = [NO_MEASURE] * len(figures)
    groups: dict[tuple[int, int, str], list[int]] = {}
    for i, f in enumerate(figures):
        groups.setdefault((f["sentence_start"], f["sentence_end"], f["sentence"]), []).append(i)
    for (s0, s1, sentence), members in groups.items():
        if text[s0:s1] == sentence:  # no break inside (most sentences): offsets shift by s0
            pos = None
            inside = [i for i in members if 0 <= figures[i]["start"] - s0 < len(sentence)]
            where = {figures[i]["start"]: figures[i]["start"] - s0 for i in inside}
        else:
            pos = _alignment(text[s0:s1], sentence)
            where = {p + s0: k for k, p in enumerate(pos)}
            inside = [i for i in members if figures[i]["start"] in where]
        spots = []
        for i in inside:
            f = figures[i]
            a = where[f["start"]]
            spots.append(Spot(a, a + len(f["text"]), f["kind"], f["unit"]))
        for i, m in zip(inside, sentence_measures(sentence, spots), strict=True):
            if m.text:
                a, b = (m.start, m.end) if pos is None else _raw_span(pos, m.start, m.end)
                out[i] = Measure(text[s0 + a : s0 + b], s0 + a, s0 + b, m.rule)
    return out

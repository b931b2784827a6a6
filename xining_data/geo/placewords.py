"""The word lists of the place finder, kept as data in ``data/geo`` and read once.

Whether a name in Chinese text is a place depends on the words around it: 我市 is the report's
own city, 北京路 is a street, 西宁市场 is 西宁 + 市场, 第七水厂 is a facility, 渠道 is no canal.
Those words live in five tables, one word a row with its ``role``, an ``applies_to`` column
where a rule needs one (the levels of an anaphora, the suffix a character guards) and a
``comment`` saying why:

- ``deictics.csv``: 我市/全省/我区/全镇/全村… and the anaphora 该市/该区/该县/该镇/该村;
- ``not_places.csv``: words that contain a name but are no place (经济南部, 兰州拉面, 上海青),
  and names of the division tables that are ordinary words (新城区, 城中村, 大同, 日照);
- ``name_context.csv``: the characters after or before a name that make it a street, a
  direction, an organisation, part of an outlet's, agency's or brand's name (西宁市统计局,
  三江源牌), of a quoted account name (“西宁气象”微信公众号) or of a market word, and the natural-feature endings of town stems (海子沟);
- ``facility_words.csv``: facility and sub-county suffixes (with the level a sub-county suffix
  gives: 村 a village, 镇 a township), the characters that make a suffix an ordinary word
  (村民, 乡亲: also after a listed village or township), and the words a facility name does not
  reach back over;
- ``common_words.csv``: common two-character words of the language (居民, 相互, 助力); a short
  name that straddles one (居民和 is 居民 + 和, not 民和; 相互助力 is no 互助) is no place.

:mod:`xining_data.geo.places` applies them; this module only reads them.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from xining_data.base.paths import GEO_DIR

DEICTICS_FILE = GEO_DIR / "deictics.csv"
NOT_PLACES_FILE = GEO_DIR / "not_places.csv"
NAME_CONTEXT_FILE = GEO_DIR / "name_context.csv"
FACILITY_WORDS_FILE = GEO_DIR / "facility_words.csv"
COMMON_WORDS_FILE = GEO_DIR / "common_words.csv"
WORD_FILES = (
    DEICTICS_FILE,
    NOT_PLACES_FILE,
    NAME_CONTEXT_FILE,
    FACILITY_WORDS_FILE,
    COMMON_WORDS_FILE,
)
WORD_COLUMNS = ["word", "role", "applies_to", "comment"]
# Roles whose words are whole words (or word pieces such as suffixes).
WORD_ROLES = frozenset(
    {
        "city",
        "province",
        "division",
        "township",
        "village",
        "anaphora",
        "not_place",
        "generic_division",
        "street",
        "organisation",
        "name_part",
        "brand_next",
        "medium",
        "event",
        "produce",
        "not_street",
        "area_after",
        "basin",
        "ethnic_group",
        "specific_suffix",
        "generic_suffix",
        "landmark_suffix",
        "subcounty_suffix",
        "leading_word",
        "common_word",
    }
)
# Roles whose words are single characters (they form character classes).
CHARACTER_ROLES = frozenset(
    {
        "admin_suffix",
        "direction",
        "street_direction",
        "direction_after",
        "locality_before",
        "deictic_not_before",
        "market_stem_suffix",
        "market_after",
        "suffix_not_before",
        "compound_before",
        "stop_char",
        "natural_feature",
    }
)


_CLOSE_QUOTES = '”」』"'
_QUOTED = '[^“”「」『』"\\n。，、；：！？]'  # a character inside a quoted name


@dataclass(frozen=True)
class PlaceWords:
    """Every word list of the place finder, by what it does (file order kept)."""

    deictic_city: tuple[str, ...]
    deictic_province: tuple[str, ...]
    deictic_division: tuple[str, ...]
    deictic_township: tuple[str, ...]  # 全镇, 全乡: the article's own town
    deictic_village: tuple[str, ...]  # 全村: the article's own village
    anaphora: dict[str, tuple[str, ...]]  # word -> the levels it refers back to, first preferred
    deictics: frozenset[str]  # every word above (asked only whether a word is one)
    not_places: frozenset[str]
    generic_division_names: frozenset[str]
    admin_suffixes: str
    directions: str
    street: re.Pattern[str]  # 北京路, 北京东路
    direction_after: re.Pattern[str]  # 黄河北岸
    locality_before: str  # 城区西北
    organisation_after: re.Pattern[str]  # 中国气象局
    name_part_after: re.Pattern[str]  # 西宁市统计局, 三江源牌, 河湟在线
    quoted_medium: re.Pattern[str]  # “西宁气象”微信公众号: the rest of a quoted name, its medium
    event_after: re.Pattern[str]  # 西宁国际马拉松: up to six characters and an event word
    produce_after: re.Pattern[str]  # 循化辣椒, 门源油菜: a short place name and a produce noun
    not_streets: frozenset[str]  # 致富路, 道路: a street word that ends an ordinary word
    area_after: re.Pattern[str]  # 城东区林家崖片区: a town's short name and an area word
    quoted_rest: re.Pattern[str]  # “湟水人家”: the rest of a short quoted name after its place
    basins: tuple[str, ...]  # 流域: after a river, its basin (a region)
    ethnic_groups: re.Pattern[str]  # 藏族, 回族土族, 蒙古: the groups ending an autonomous name
    deictic_not_before: str  # 全市场
    market_stem_suffixes: str
    market_after: str  # 西宁市场
    specific_suffixes: tuple[str, ...]
    generic_suffixes: tuple[str, ...]
    landmark_suffixes: tuple[str, ...]  # 古城, 景区: a name only right after its place
    subcounty_suffixes: tuple[str, ...]
    subcounty_levels: dict[str, str]  # 村 -> village, 镇 -> township
    facility: re.Pattern[str]  # any suffix, longest first
    suffix_not_before: dict[str, str]  # suffix -> characters that make it an ordinary word
    compound_before: dict[str, str]  # suffix -> characters that make it an ordinary word
    stop_chars: frozenset[str]
    natural_features: str  # 海子沟: a town's stem ending in one is no name alone
    leading_words: re.Pattern[str]  # 新建, 小型, 省外…: tried in file order
    common_words: frozenset[str]  # 居民, 相互, 助力: a short name straddling one is no place


@dataclass(frozen=True)
class WordRow:
    """One row of a word table."""

    word: str
    role: str
    applies_to: str
    comment: str


def read_word_table(path: Path) -> tuple[WordRow, ...]:
    """The rows of one word table, checked: every row has a word, a role and a comment."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != WORD_COLUMNS:
            raise ValueError(f"{path.name}: columns {reader.fieldnames}, expected {WORD_COLUMNS}")
        rows = tuple(WordRow(**row) for row in reader)
    for row in rows:
        if not (row.word and row.role and row.comment):
            raise ValueError(f"{path.name}: a row needs a word, a role and a comment: {row}")
        if row.role not in WORD_ROLES | CHARACTER_ROLES:
            raise ValueError(f"{path.name}: unknown role {row.role!r} for {row.word}")
        if row.role in CHARACTER_ROLES and len(row.word) != 1:
            raise ValueError(f"{path.name}: role {row.role} takes one character, got {row.word}")
    return rows


def word_rows() -> tuple[WordRow, ...]:
    """Every row of the five word tables, in file order."""
    return tuple(row for path in WORD_FILES for row in read_word_table(path))


def _by_role() -> dict[str, list[WordRow]]:
    roles: dict[str, list[WordRow]] = defaultdict(list)
    for row in word_rows():
        roles[row.role].append(row)
    return roles


def _alternatives(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w) for w in words)


def _characters_by_target(rows: list[WordRow]) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in rows:
        out[row.applies_to] = out.get(row.applies_to, "") + row.word
    return out


def _ethnic_groups(groups: tuple[str, ...]) -> re.Pattern[str]:
    """The ethnic groups ending a name (回族土族, 蒙古): one-character groups only with 族."""
    single = [g for g in groups if len(g) == 1]
    longer = sorted((g for g in groups if len(g) > 1), key=len, reverse=True)
    return re.compile(f"(?:(?:{_alternatives(longer)})族?|[{''.join(single)}]族)+$")


@cache
def place_words() -> PlaceWords:
    """The word lists, read from ``data/geo`` once and compiled for matching."""
    roles = _by_role()

    def words(role: str) -> tuple[str, ...]:
        return tuple(row.word for row in roles[role])

    def chars(role: str) -> str:
        return "".join(words(role))

    city, province, division = words("city"), words("province"), words("division")
    township, village = words("township"), words("village")
    anaphora = {row.word: tuple(row.applies_to.split(";")) for row in roles["anaphora"]}
    specific, generic = words("specific_suffix"), words("generic_suffix")
    subcounty, landmark = words("subcounty_suffix"), words("landmark_suffix")
    suffixes = sorted(specific + generic + subcounty + landmark, key=len, reverse=True)
    return PlaceWords(
        deictic_city=city,
        deictic_province=province,
        deictic_division=division,
        deictic_township=township,
        deictic_village=village,
        anaphora=anaphora,
        deictics=frozenset(city + province + division + township + village + tuple(anaphora)),
        not_places=frozenset(words("not_place")),
        generic_division_names=frozenset(words("generic_division")),
        admin_suffixes=chars("admin_suffix"),
        directions=chars("direction"),
        street=re.compile(
            f"[{re.escape(chars('street_direction'))}]?(?:{_alternatives(words('street'))})"
        ),
        direction_after=re.compile(f"[{re.escape(chars('direction_after'))}]"),
        locality_before=chars("locality_before"),
        organisation_after=re.compile(
            rf"[\u4e00-\u9fff]{{0,4}}?(?:{_alternatives(words('organisation'))})"
        ),
        name_part_after=re.compile(
            rf"[\u4e00-\u9fff]{{0,8}}?(?:{_alternatives(words('name_part'))})"
            rf"|(?:{_alternatives(words('brand_next'))})"
        ),
        quoted_medium=re.compile(
            rf"{_QUOTED}{{0,12}}[{_CLOSE_QUOTES}](?:{_alternatives(words('medium'))})"
        ),
        event_after=re.compile(rf"[\u4e00-\u9fff]{{0,6}}?(?:{_alternatives(words('event'))})"),
        produce_after=re.compile(_alternatives(words("produce"))),
        not_streets=frozenset(words("not_street")),
        area_after=re.compile(_alternatives(words("area_after"))),
        quoted_rest=re.compile(rf"{_QUOTED}{{1,10}}[{_CLOSE_QUOTES}]"),
        basins=words("basin"),
        ethnic_groups=_ethnic_groups(words("ethnic_group")),
        deictic_not_before=chars("deictic_not_before"),
        market_stem_suffixes=chars("market_stem_suffix"),
        market_after=chars("market_after"),
        specific_suffixes=specific,
        generic_suffixes=generic,
        landmark_suffixes=landmark,
        subcounty_suffixes=subcounty,
        subcounty_levels={row.word: row.applies_to for row in roles["subcounty_suffix"]},
        facility=re.compile(_alternatives(suffixes)),
        suffix_not_before=_characters_by_target(roles["suffix_not_before"]),
        compound_before=_characters_by_target(roles["compound_before"]),
        stop_chars=frozenset(chars("stop_char")),
        natural_features=chars("natural_feature"),
        leading_words=re.compile(f"(?:{_alternatives(words('leading_word'))})+"),
        common_words=frozenset(words("common_word")),
    )


__all__ = ["PlaceWords", "WordRow", "place_words", "read_word_table", "word_rows"]

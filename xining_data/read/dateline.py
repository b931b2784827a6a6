"""The publication date a report prints: its dateline.

Reports and pages print when they were published in a few fixed places and forms, all
recognised here (one rule for plain text and saved pages, recorded as ``printed``):

- after a label: "发布时间：2025-01-20 08:30", "发布日期：2024年3月5日";
- as a line of its own under the title or at the end: "2022年3月30日" (a communiqué's date,
  a warning's sign-off), possibly with a clock time;
- on the source line of a news page: "2024-01-19 来源：河湟在线", "（来源：西宁都市报
  2024年1月10日 第3版）".

A date inside the running text (会议于2024年3月5日召开) is no dateline, nor is a bare year
(a review of 2024 names 2024 everywhere); a report without a dateline is left to inference.
"""

from __future__ import annotations

import datetime as dt
import re

FULL_DATE = r"(?P<y>(?:19|20)\d{2})\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})\s*日?"
LABELLED = re.compile(
    r"(?:发布时间|发布日期|发表时间|发稿时间|更新时间|日期|时间)\s*[:：]?\s*" + FULL_DATE
)
CLOCK = r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
DATE_LINE = re.compile(r"^[\s（(【\[—-]*" + FULL_DATE + CLOCK + r"[\s）)】\]]*$")
SOURCE_LINE = re.compile(r"(?:来源|稿源|出处)\s*[:：]")
# Where a dateline stands: the lines under the title, or the last lines.
HEAD_LINES = 5
TAIL_LINES = 3


def _iso(m: re.Match) -> str:
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
    except ValueError:
        return ""


def _first(pattern: re.Pattern, lines: list[str], how: str = "search") -> str:
    for line in lines:
        m = getattr(pattern, how)(line.strip())
        if m and (iso := _iso(m)):
            return iso
    return ""


def printed_date(text: str, *, labelled_anywhere: bool = False) -> str:
    """The publication date the text prints as its dateline (YYYY-MM-DD), or ''.

    ``labelled_anywhere``: look for a labelled date in the whole text, not only where a
    dateline stands (a saved page's furniture holds the label anywhere around the article).
    """
    lines = [line for line in text.splitlines() if line.strip()]
    zone = lines[: HEAD_LINES + 1] + lines[HEAD_LINES + 1 :][-TAIL_LINES:]
    labelled = _first(LABELLED, [text] if labelled_anywhere else zone)
    if labelled:
        return labelled
    own_line = _first(DATE_LINE, zone, "match")
    if own_line:
        return own_line
    sourced = [line for line in zone if SOURCE_LINE.search(line)]
    return _first(re.compile(FULL_DATE), sourced)

"""The ledger: every number a story prints, numbered and traced to its sentence or source.

Citing a figure row or a context fact gives it a number ([1], [2] … in the order
first cited; a second citation reuses it). The ledger printed at the end of the
story lists each one with its sentence, article, reporter and offsets into the
raw report, and the same entries build the source line of each chart and the
sources in the page footer. ``xining_data.verify`` reads the published table
back through ``LEDGER_HEADERS``; the page's stylesheet sizes its columns by the
``ledger-<column>`` classes. The ledger's CSV download escapes free-text cells a
spreadsheet would run as a formula (:mod:`xining_data.base.spreadsheet`).
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from xining_data.base.spreadsheet import for_spreadsheet
from xining_data.stories.editions import label, name_in, original, person_in
from xining_data.stories.lookup import StoryDataError
from xining_data.stories.wording import blank_if_na, fmt_date

# The ledger's columns and their headers in each edition, one for one (xining_data.verify reads
# the published ledger back through these headers; keep the lists aligned).
LEDGER_COLUMNS = [
    "number", "text", "value", "qualifier", "date", "subject", "article_title", "reporter",
    "sentence", "report", "start", "end", "source", "reliability",
]  # fmt: skip
LEDGER_HEADERS = {
    "zh": ["编号", "原文", "数值", "限定", "日期", "所指", "文章", "记者", "原句", "报道", "起",
           "止", "来源", "可靠性"],
    "en": ["No.", "Text", "Value", "Qualifier", "Date", "Counts", "Article", "Reporter",
           "Sentence", "Report", "Start", "End", "Source", "Reliability"],
}  # fmt: skip
_COLGROUP = (
    "<colgroup>" + "".join(f'<col class="ledger-{c}">' for c in LEDGER_COLUMNS) + "</colgroup>"
)
# Columns whose cells are the report's own words: marked as Chinese originals on the page.
ORIGINAL_COLUMNS = ("text", "subject", "article_title", "reporter", "sentence")
# A qualifier as a reader reads it in the ledger (the code stays in the cell's data-value).
QUALIFIER_LABELS = {
    "zh": {"exact": "", "more_than": "逾", "nearly": "近", "about": "约", "at_most": "至多",
           "range": "区间值"},
    "en": {"exact": "", "more_than": "over", "nearly": "nearly", "about": "about",
           "at_most": "at most", "range": "a range"},
}  # fmt: skip
_URL = re.compile(r"https?://\S+")
# How a header says that a report prints no outlet ("unknown (not printed on the page)").
UNKNOWN_OUTLET = "unknown"
# Reliability labels of the context table that rest on one source; stories mark them.
SINGLE_SOURCE = ("news outlet", "secondary copy", "mirror")


def is_single_source(fact: Mapping[str, Any]) -> bool:
    """A context fact that rests on one news copy or mirror page."""
    reliability = str(fact.get("reliability", ""))
    return any(mark in reliability for mark in SINGLE_SOURCE)


def correction_note(row: Mapping[str, Any], language: str) -> str:
    """What a corrected figure's entry says of it: corrected from what it was read as, why,
    from which source and by whom (the figures table's correction columns); else nothing."""
    corrected = row.get("corrected")
    if not isinstance(corrected, bool | np.bool_) or not corrected:
        return ""
    cell = blank_if_na
    as_read = cell(row.get("value_as_read")) or "—"
    cited = label("list_comma", language).join(
        p for p in (cell(row.get("correction_source")), cell(row.get("correction_by"))) if p
    )
    note = label("corrected", language).format(
        value=as_read, reason=cell(row.get("correction_reason"))
    )
    return note + (label("in_parentheses", language).format(cited) if cited else "")


def _report_row(report_id: str, reports: pd.DataFrame | None) -> Mapping[str, Any]:
    if reports is None or reports.empty or "report" not in reports:
        return {}
    found = reports[reports["report"] == report_id]
    return {} if found.empty else found.iloc[0].to_dict()


def report_name(
    report_id: str, reports: pd.DataFrame | None, language: str, *, title: str = ""
) -> str:
    """A report by its title, outlet and date, saying what the report does not print:
    《…》（outlet，date） / “…” (outlet, date). ``title`` stands in when the reports table
    lacks the report (an article's title)."""
    row = _report_row(report_id, reports)
    cell = blank_if_na
    title = str(cell(row.get("title")) or title or label("untitled", language))
    outlet = str(cell(row.get("outlet")) or "")
    if not outlet or outlet.lower().startswith(UNKNOWN_OUTLET):
        outlet = label("no_outlet", language)
    else:
        outlet = name_in(outlet, language)
    published = str(cell(row.get("published")) or "")
    date = (
        fmt_date(published, cell(row.get("published_precision")) or None, language,
                 inferred=bool(cell(row.get("published_inferred"))))
        if published else label("no_date", language)
    )  # fmt: skip
    detail = label("list_comma", language).join((outlet, date))
    if language == "zh":
        return f"《{title}》（{detail}）"
    return f"“{title}” ({detail})"


def is_publishable(fact: Mapping[str, Any]) -> bool:
    """The context table's verdict; a mirror-only fact is not publishable."""
    value = fact.get("publishable", True)
    return False if value is None or pd.isna(value) else bool(value)


@dataclass
class Ledger:
    """Numbered citations: the first figure cited is [1]; citing it again reuses its number."""

    figures: pd.DataFrame
    articles: pd.DataFrame | None = None
    entries: list[dict[str, Any]] = field(default_factory=list)
    _numbers: dict[tuple, int] = field(default_factory=dict)
    language: str = "zh"  # of the words an entry itself says (a correction's note)
    reports: pd.DataFrame | None = None  # the reports table: a report is named by its title

    def number(self, row: Mapping[str, Any]) -> int:
        """The citation number of a figure row or context fact, adding it on first use."""
        key = self._key(row)
        if key not in self._numbers:
            entry = self._entry(len(self.entries) + 1, row)
            self.entries.append(entry)
            self._numbers[key] = entry["number"]
        return self._numbers[key]

    def cite(self, row: Mapping[str, Any]) -> str:
        """A Markdown marker '[3]' linking to the ledger's anchor #ledger-3."""
        n = self.number(row)
        return rf"[\[{n}\]](#ledger-{n})"

    def table(self) -> pd.DataFrame:
        """The ledger as a table, one row per cited figure or fact, in citation order."""
        table = pd.DataFrame(self.entries, columns=LEDGER_COLUMNS)
        return table.astype({"number": "Int64", "start": "Int64", "end": "Int64"})

    def html(self, language: str) -> str:
        """The ledger as an HTML table in its own scrolling box, one anchor per entry, with an
        inline CSV download. Cells show words (a qualifier, the report's name); a cell whose
        words are not its value keeps the value in ``data-value`` (``xining_data.verify`` reads
        it), and the report's own words are marked as Chinese originals."""
        table = self.table()
        head = "".join(f"<th>{html.escape(c)}</th>" for c in LEDGER_HEADERS[language])
        body = "".join(
            f'<tr id="ledger-{r["number"]}">'
            + "".join(
                self._cell_html(c, h, r, language)
                for c, h in zip(LEDGER_COLUMNS, LEDGER_HEADERS[language], strict=True)
            )
            + "</tr>"
            for r in table.to_dict("records")
        )
        csv = for_spreadsheet(table).to_csv(index=False).encode("utf-8-sig")
        csv = base64.b64encode(csv).decode("ascii")
        return (
            f'<h2 id="ledger">{label("ledger", language)}</h2>'
            f"<p>{label('ledger_note', language)} "
            f'<a download="ledger.csv" href="data:text/csv;base64,{csv}">'
            f"{label('download', language)}</a></p>"
            f'<div class="xd-ledger" style="overflow-x:auto"><table class="ledger">{_COLGROUP}'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        )

    def _cell_html(self, column: str, header: str, entry: Mapping[str, Any], language: str) -> str:
        """One ledger cell as a reader reads it, labelled with its header (a phone shows the
        ledger as rows "header: value")."""
        value = str(blank_if_na(entry[column]))
        shown = value
        if column == "qualifier":
            shown = QUALIFIER_LABELS[language].get(value, value)
        elif column == "report" and value:
            shown = report_name(value, self.reports, language, title=str(entry["article_title"]))
        elif column == "source" and value in ("report", "context"):
            shown = label(value, language)
        attributes = f' data-label="{html.escape(header)}"'
        attributes += f' data-value="{html.escape(value)}"' if shown != value else ""
        if value and (column in ORIGINAL_COLUMNS or column == "source" and value != "report"):
            attributes += ' lang="zh-Hans"'
        return f"<td{attributes}>{html.escape(shown)}</td>"

    def source_line(
        self, rows: Iterable[Mapping[str, Any]], notes: Iterable[str], language: str
    ) -> str:
        """The source line of a chart: report, article and reporter of each row (citing it);
        context sources; then ``notes`` (whole reports, boundary data)."""
        colon = label("colon", language)
        parts: list[str] = []
        for row in rows:
            entry = self.entries[self.number(row) - 1]
            if entry["source"] == "report":
                reporter = str(entry["reporter"])
                reporter = person_in(reporter, language)
                who = label("in_parentheses", language).format(reporter) if reporter else ""
                article = str(entry["article_title"])
                name = report_name(entry["report"], self.reports, language, title=article)
                if article and article not in name:
                    quoted = f"《{article}》" if language == "zh" else f"“{article}”"
                    name += label("list_comma", language) + quoted
                part = f"{name}{who}"
            else:
                part = f"{label('context', language)}{colon}{entry['source']}"
            if part not in parts:
                parts.append(part)
        parts.extend(n for n in notes if n not in parts)
        return label("source", language) + colon + label("semicolon", language).join(parts)

    def sources(self, language: str) -> list[dict[str, str]]:
        """The sources for the page footer: each report and context source cited."""
        out: list[dict[str, str]] = []
        for entry in self.entries:
            if entry["source"] == "report":
                name = report_name(entry["report"], self.reports, language,
                                   title=str(entry["article_title"]))  # fmt: skip
                item = {"text": name, "url": ""}
            else:
                source = str(entry["source"])
                found = _URL.search(source)
                url = found.group(0) if found else ""
                text = " ".join(source.replace(url, " ").split()).strip(" ()") if url else source
                item = {"text": original(text or url, language), "url": url}
            if item not in out:
                out.append(item)
        return out

    @staticmethod
    def _key(row: Mapping[str, Any]) -> tuple:
        if "fact" in row:
            return ("context", row["fact"], str(row.get("division")), str(row.get("year")))
        return ("figure", row["report"], int(row["start"]), int(row["end"]))

    def _reporter(self, row: Mapping[str, Any]) -> str:
        arts = self.articles
        if arts is None or arts.empty:
            return ""
        match = arts[(arts["report"] == row.get("report")) & (arts["order"] == row.get("article"))]
        if match.empty and "article_title" in row:
            match = arts[arts["title"] == row["article_title"]]
        return "" if match.empty else str(match.iloc[0]["reporter"])

    def _entry(self, number: int, row: Mapping[str, Any]) -> dict[str, Any]:
        cell = blank_if_na
        if "fact" in row:
            if not is_publishable(row):
                raise StoryDataError(
                    f"context fact {row['fact']!r} ({row.get('division')}) is not publishable: "
                    f"{row.get('reliability')}"
                )
            # a context fact keeps its own year (a 2020 census total is never dated by the report)
            return {"number": number, "text": f"{row['value']} {cell(row.get('unit'))}".strip(),
                    "value": cell(row["value"]), "qualifier": "", "date": cell(row.get("year")),
                    "subject": row["fact"],
                    "article_title": "", "reporter": "", "sentence": cell(row.get("quote")),
                    "report": "", "start": None, "end": None, "source": cell(row.get("source")),
                    "reliability": cell(row.get("reliability"))}  # fmt: skip
        is_date = row.get("kind") == "date"
        return {"number": number, "text": row["text"], "value": cell(row.get("value")),
                "date": cell(row.get("date")),
                "qualifier": "" if is_date else cell(row.get("qualifier")),
                "subject": cell(row.get("subject")),
                "article_title": cell(row.get("article_title")), "reporter": self._reporter(row),
                "sentence": cell(row.get("sentence")), "report": row["report"],
                "start": int(row["start"]), "end": int(row["end"]), "source": "report",
                "reliability": correction_note(row, self.language)}  # fmt: skip

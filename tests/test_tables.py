"""Tables inside documents: rows as lines of text, number cells as figures.

Every table here is written for these tests. The reading of a table (which cell is a
number, its row's indicator, its unit and role) is checked on rows of cell texts; the
figures it gives are checked on a saved web page, a Word file and a PDF the tests
build, each holding the same table.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xining_data.extract.figures import figures_table
from xining_data.read.report import read_report
from xining_data.read.tables import CELL_SEPARATOR, RawTable, number_span, read_table, render

HEAD = ["指标", "单位", "数值", "比上年增长%"]
# (rows, line above the table, header rows marked as such,
#  expected cells: (number as written, row indicator, unit, role))
READINGS = {
    "communique": (
        [HEAD, ["地区生产总值", "亿元", "1800.5", "5.2"], ["城镇新增就业", "人", "13971", "—"]],
        "", 0,
        [("1800.5", "地区生产总值", "亿元", "level"), ("5.2", "地区生产总值", "%", "change"),
         ("13971", "城镇新增就业", "人", "level")],
    ),
    "unit in the value header": (
        [["项目", "数值(万元)", "增速(%)"], ["农业产值", "4500", "-1.5"]],
        "", 0,
        [("4500", "农业产值", "万元", "level"), ("-1.5", "农业产值", "%", "change")],
    ),
    "unit line above the table": (
        [["指标", "2024年"], ["财政收入", "96.2"]],
        "单位：亿元", 0,
        [("96.2", "财政收入", "亿元", "level")],
    ),
    "unit row inside the table": (
        [["单位：万人"], ["指标", "数值"], ["常住人口", "248.9"]],
        "", 0,
        [("248.9", "常住人口", "万人", "level")],
    ),
    "unit in brackets after the row header": (
        [["指标", "数值", "增长"], ["粮食产量（万吨）", "18.6", "2.1"]],
        "", 0,
        [("18.6", "粮食产量", "万吨", "level"), ("2.1", "粮食产量", "%", "change")],
    ),
    "a change of a rate is in percentage points": (
        [HEAD, ["城镇登记失业率", "%", "3.1", "-0.2"]],
        "", 0,
        [("3.1", "城镇登记失业率", "%", "level"), ("-0.2", "城镇登记失业率", "百分点", "change")],
    ),
    "share column": (
        [["指标", "增加值(亿元)", "占比(%)"], ["第三产业", "1020", "56.7"]],
        "", 0,
        [("1020", "第三产业", "亿元", "level"), ("56.7", "第三产业", "%", "share")],
    ),
    "footnote marks and thousands commas": (
        [HEAD, ["地区生产总值①", "亿元", "1,800.5*", "5.2②"]],
        "", 0,
        [("1,800.5", "地区生产总值", "亿元", "level"), ("5.2", "地区生产总值", "%", "change")],
    ),
    "header cell over the row header and its unit": (
        [["指标", None, "数值"], ["接待游客", "万人次", "2850"]],
        "", 0,
        [("2850", "接待游客", "万人次", "level")],
    ),
    "years as column headers": (
        [["指标", "单位", "2023", "2024"], ["新建农村公路", "公里", "380", "420"]],
        "", 0,
        [("380", "新建农村公路", "公里", "level"), ("420", "新建农村公路", "公里", "level")],
    ),
    "header marked as such": (
        [["地区", "人口(万人)"], ["城东区", "45.1"]],
        "", 1,
        [("45.1", "城东区", "万人", "level")],
    ),
    "no unit anywhere": (
        [["指标", "数值"], ["项目个数", "36"]],
        "", 0,
        [("36", "项目个数", "", "level")],
    ),
    # negatives: no cell is a figure
    "layout: one column": ([["首页"], ["新闻"], ["2024年"]], "", 0, []),
    "layout: links beside words": ([["首页", "新闻中心"], ["联系我们", "网站地图"]], "", 0, []),
    "empty cells, dashes and words": (
        [HEAD, ["地区生产总值", "亿元", "", "—"], ["城镇新增就业", "人", "-", "持平"]],
        "", 0, [],
    ),
    "a number with its unit written in the cell is running text": (
        [["指标", "数值"], ["旅游总花费", "310亿元"]], "", 0, [],
    ),
}  # fmt: skip


@pytest.mark.parametrize(("rows", "above", "heads", "expected"), READINGS.values(), ids=READINGS)
def test_reading_of_a_table(rows, above, heads, expected):
    text, table = read_table(RawTable(tuple(map(tuple, rows)), heads), 0, above)
    got = [(text[c.start : c.end], c.label, c.unit, c.role) for c in table.cells]
    assert got == expected
    for c in table.cells:
        assert text[c.label_start : c.label_end] == c.label
        assert (
            c.start >= c.row_start
            and c.end <= c.row_end
            and "\n" not in text[c.row_start : c.row_end]
        )


def test_a_row_is_a_line_of_cells():
    text, _ = read_table(RawTable((("指标", "数值"), ("城镇新增\n就业", "13971"))), 0)
    assert text == f"指标{CELL_SEPARATOR}数值\n城镇新增就业{CELL_SEPARATOR}13971"


cell_texts = st.one_of(
    st.text(alphabet="指标人口万元亿—-.,0123456789 ①*%（）()\n", max_size=8), st.none()
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(cell_texts, min_size=1, max_size=5), min_size=1, max_size=6),
    st.integers(0, 50),
)
def test_every_cell_keeps_its_offsets(rows, at):
    """Whatever the cells hold, each rendered cell stands at its offsets, and every number cell
    found is a number standing inside its row's line."""
    raw = RawTable(tuple(map(tuple, rows)))
    text, layout = render(raw, at)
    padded = " " * at + text
    for row in layout.cells:
        for start, cell in row.values():
            assert padded[start : start + len(cell)] == cell
    _, table = read_table(raw, at)
    for c in table.cells:
        assert number_span(padded[c.start : c.end]) == (0, c.end - c.start)
        assert c.row_start <= c.start < c.end <= c.row_end


# --- the figures of a table, in three formats -------------------------------------------------

INTRO = "全年新增城镇就业13971人，城镇登记失业率控制在3.1%以内。"
OUTRO = "全市接待游客2850万人次，实现旅游总花费310亿元。"
TABLE = [
    HEAD,
    ["地区生产总值①", "亿元", "1800.5", "5.2"],
    ["城镇新增就业", "人", "13971", "—"],
    ["城镇登记失业率", "%", "3.1", "-0.2"],
    ["第三产业占比", "", "", ""],
]
# text, kind, value, unit, measure, indicator of every figure, in text order
TABLE_FIGURES = [
    ("13971人", "count", "13971", "人", "新增城镇就业", "urban_new_jobs"),
    ("3.1%以内", "percent", "3.1", "%", "城镇登记失业率", "urban_registered_unemployment_rate"),
    ("1800.5", "money", "180050000000", "CNY", "地区生产总值", "gdp"),
    ("5.2", "percent", "5.2", "%", "地区生产总值", "gdp_growth"),
    ("13971", "count", "13971", "人", "城镇新增就业", "urban_new_jobs"),
    ("3.1", "percent", "3.1", "%", "城镇登记失业率", "urban_registered_unemployment_rate"),
    ("-0.2", "percent", "-0.2", "percentage point", "城镇登记失业率", ""),
    ("2850万人次", "count", "28500000", "人次", "接待游客", ""),
    ("310亿元", "money", "31000000000", "CNY", "旅游总花费", ""),
]


def html_with_table() -> bytes:
    def row(cells, tag):
        return "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>"

    body = row(TABLE[0], "th") + "".join(row(r, "td") for r in TABLE[1:])
    nav = "<nav><table><tr><td><a href='/'>首页</a></td><td><a href='/n'>新闻</a></td></tr></table></nav>"
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>公报</title></head>'
        f"<body>{nav}<article><h1>高原市统计公报</h1><p>{INTRO}</p>"
        f"<table>{body}</table><p>{OUTRO}</p></article>"
        "<footer><p>版权所有 高原日报社</p></footer></body></html>"
    ).encode()


def docx_with_table() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("高原市统计公报")
    document.add_paragraph(INTRO)
    table = document.add_table(rows=len(TABLE), cols=len(HEAD))
    for r, cells in enumerate(TABLE):
        for c, cell in enumerate(cells):
            table.cell(r, c).text = cell
    document.add_paragraph(OUTRO)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_with_table() -> bytes:
    """The table drawn with ruled lines (what pdfplumber's table finder looks for)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.lines import Line2D

    from xining_data.publish.style import font_family

    widths, height, top = (0.3, 0.12, 0.15, 0.2), 0.03, 0.75
    xs = [0.1]
    for w in widths:
        xs.append(xs[-1] + w)
    out = io.BytesIO()
    with (
        plt.rc_context({"pdf.fonttype": 42, "font.family": font_family()}),
        PdfPages(out) as pdf,
    ):
        fig = plt.figure(figsize=(8.27, 11.69))
        fig.text(0.1, 0.84, "高原市统计公报", fontsize=14)
        fig.text(0.1, 0.8, INTRO, fontsize=12)
        for r in range(len(TABLE) + 1):
            fig.add_artist(Line2D([xs[0], xs[-1]], [top - r * height] * 2, color="k", lw=0.8))
        for x in xs:
            bottom = top - len(TABLE) * height
            fig.add_artist(Line2D([x, x], [top, bottom], color="k", lw=0.8))
        for r, cells in enumerate(TABLE):
            for c, cell in enumerate(cells):
                fig.text(xs[c] + 0.01, top - (r + 1) * height + 0.008, cell, fontsize=11)
        fig.text(0.1, top - len(TABLE) * height - 0.05, OUTRO, fontsize=12)
        pdf.savefig(fig)
        plt.close(fig)
    return out.getvalue()


MAKERS = {".html": html_with_table, ".docx": docx_with_table, ".pdf": pdf_with_table}


@pytest.fixture(scope="module")
def table_reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tables")
    for suffix, make in MAKERS.items():
        (folder / f"communique{suffix}").write_bytes(make())
    return {suffix: read_report(folder / f"communique{suffix}") for suffix in MAKERS}


@pytest.mark.parametrize("suffix", MAKERS)
def test_table_cells_become_figures(table_reports, suffix):
    report = table_reports[suffix]
    df = figures_table(report)
    got = list(
        zip(
            df["text"],
            df["kind"],
            df["value"],
            df["unit"],
            df["measure"],
            df["indicator"],
            strict=True,
        )
    )
    assert got == TABLE_FIGURES
    for row in df.itertuples():
        assert report.text[row.start : row.end] == row.text
        assert report.text[row.measure_start : row.measure_end] == row.measure


@pytest.mark.parametrize("suffix", MAKERS)
def test_a_table_figure_cites_its_row(table_reports, suffix):
    report = table_reports[suffix]
    row = figures_table(report).query("text == '1800.5'").iloc[0]
    line = report.text[row["sentence_start"] : row["sentence_end"]]
    assert (
        line == row["sentence"] == CELL_SEPARATOR.join(["地区生产总值①", "亿元", "1800.5", "5.2"])
    )


def test_page_furniture_tables_are_not_read(table_reports):
    text = table_reports[".html"].text
    assert "首页" not in text and "版权所有" not in text
    assert CELL_SEPARATOR.join(HEAD) in text


def test_the_pdf_table_is_on_its_page(table_reports):
    df = figures_table(table_reports[".pdf"])
    assert set(df["page"]) == {1}


def test_layout_tables_of_a_page_give_their_paragraphs(tmp_path):
    """An old-style page set in tables: a navigation bar of links (furniture, dropped), the
    article in a one-column table (its paragraphs read as paragraphs) holding a data table."""
    nav = "<table><tr><td><a href='/'>首页</a></td><td><a href='/n'>新闻</a></td></tr></table>"
    data = "<table><tr><th>指标</th><th>数值(亿元)</th></tr><tr><td>财政收入</td><td>96.2</td></tr></table>"
    page = (
        '<html><head><meta charset="utf-8"><title>公报</title></head><body>'
        f"{nav}<table><tr><td><h1>高原市统计公报</h1></td></tr>"
        f"<tr><td><p>{INTRO}</p><p>{OUTRO}</p>{data}</td></tr></table></body></html>"
    )
    path = tmp_path / "layout.html"
    path.write_bytes(page.encode("utf-8"))
    report = read_report(path)
    assert f"{INTRO}\n\n{OUTRO}\n\n" in report.text and "首页" not in report.text
    row = figures_table(report).query("text == '96.2'").iloc[0]
    assert (row["kind"], row["value"], row["measure"]) == ("money", "9620000000", "财政收入")


def test_a_year_heading_a_column_dates_its_cells(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("高原市2024年统计公报")
    rows = [
        ["指标", "单位", "2023年", "2024年", "比上年增长%"],
        ["新建农村公路", "公里", "380", "420", "10.5"],
    ]
    table = document.add_table(rows=2, cols=5)
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            table.cell(r, c).text = cell
    path = tmp_path / "years.docx"
    document.save(path)
    df = figures_table(read_report(path)).query("text in ['380', '420', '10.5']")
    got = list(zip(df["text"], df["ref_date"], df["ref_source"], df["unit"], strict=True))
    assert got[:2] == [("380", "2023", "clause", "km"), ("420", "2024", "clause", "km")]
    assert got[2][0] == "10.5" and got[2][2] != "clause"  # the change's column is no year


def _flagged_docx(path: Path, rows: list[list[str]], flags: list[str | None]) -> Path:
    """A Word file with one table; ``flags[r]`` is row r's "repeat as header row" value
    (``None``: not marked, "": marked without a value)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("高原市季度统计")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            table.cell(r, c).text = cell
    for row, flag in zip(table.rows, flags, strict=False):
        if flag is not None:
            mark = OxmlElement("w:tblHeader")
            if flag:
                mark.set(qn("w:val"), flag)
            row._tr.get_or_add_trPr().append(mark)
    document.save(path)
    return path


FORM = [  # a statistics form: header, its column-number row (栏次), two rows of data
    ["指标", "单位", "本期", "上年同期"],
    ["甲", "乙", "1", "2"],
    ["新建农村公路", "公里", "120", "135"],
    ["新增城镇就业", "人", "3100", "3400"],
]


@pytest.mark.parametrize(
    ("flags", "header_rows"),
    [
        ([None], 0),
        (["", ""], 2),
        (["true", "1", None, ""], 2),  # only the rows that open the table
        ([None, ""], 0),
        (["0"], 0),
        (["false", ""], 0),
    ],
)
def test_word_repeat_header_rows_are_counted(tmp_path, flags, header_rows):
    import docx

    from xining_data.read.word import header_rows as counted

    path = _flagged_docx(tmp_path / "f.docx", FORM, flags)
    assert counted(docx.Document(str(path)).tables[0].rows) == header_rows


@pytest.mark.parametrize("flags", [[], ["", ""]], ids=["unmarked", "repeat-header-rows"])
def test_a_forms_column_number_row_is_header_not_data(tmp_path, flags):
    """甲 | 乙 | 1 | 2 under a form's header numbers its columns: no figure comes from it and
    the unit column keeps its role, whether or not Word marks the header rows."""
    df = figures_table(read_report(_flagged_docx(tmp_path / "form.docx", FORM, flags)))
    got = list(zip(df["text"], df["unit"], df["measure"], strict=True))
    assert got == [(r[c], u, r[0]) for r, u in ((FORM[2], "km"), (FORM[3], "人")) for c in (2, 3)]


@pytest.mark.parametrize(
    ("row", "numbers"),
    [
        (["甲", "乙", "1", "2", "3=1+2"], True),
        (["", "", "1", "2", "3"], True),
        (["甲", "1"], True),
        (["新建农村公路", "公里", "1", "2"], False),  # a data row with small values
        (["", "", "3", "1"], False),  # not counted in order
        (["合计", "5", "7"], False),
        (["", "12"], False),  # one cell: a unit or a note, not a column-number row
    ],
)
def test_column_number_rows(row, numbers):
    from xining_data.read.tables import _is_column_numbers

    assert _is_column_numbers({c: (0, t) for c, t in enumerate(row)}) is numbers

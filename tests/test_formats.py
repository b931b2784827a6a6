"""Reports as they arrive: saved web pages, PDFs and Word files read like plain text.

Every fixture is built here from the text below (written for these tests): the same
running text as .txt, .html (with navigation, share links, footer and meta tags),
.pdf (matplotlib's PDF backend with the shipped CJK font: running head, page
numbers, lines broken by the layout, a Kangxi radical for 人) and .docx.
"""

from __future__ import annotations

import io
import warnings

import pytest

from xining_data.base.errors import ReportError
from xining_data.cli import main
from xining_data.extract.figures import figures_table
from xining_data.read.document import PageSpan, page_at
from xining_data.read.ideographs import unify_ideographs
from xining_data.read.report import normalize, read_report, report_id, report_paths

TITLE = "高原市去年民生数据发布"
PARAGRAPHS = [
    "记者从市统计局获悉，2024年全市地区生产总值达到1800.5亿元，同比增长5.2%。",
    "全年新增城镇就业13971人，城镇登记失业率控制在3.1%以内。",
    "全市接待游客2850万人次，实现旅游总花费310亿元。",
    "全市新建改建农村公路420公里，新增公共停车泊位6500个。",
]
# The PDF's layout: two pages, lines broken where a narrow column would break them,
# 人 printed as U+2F08 KANGXI RADICAL MAN as a PDF printed from a web page has it.
PDF_PAGES = [
    [
        [TITLE],
        ["记者从市统计局获悉，", "2024年全市地区生产总值达到1800.5亿元，", "同比增长5.2%。"],
        ["全年新增城镇就业13971\u2f08，城镇登记失业", "率控制在3.1%以内。"],
    ],
    [
        ["全市接待游客2850万人次，实现旅游", "总花费310亿元。"],
        ["全市新建改建农村公路420公里，", "新增公共停车泊位6500个。"],
    ],
]
RUNNING_HEAD = "高原日报 2025年1月20日 第3版"
OUTLET, AUTHOR, PUBLISHED = "高原日报", "李明", "2025-01-20"


def txt_bytes() -> bytes:
    return ("\n\n".join([TITLE, *PARAGRAPHS]) + "\n").encode("utf-8")


def html_bytes(meta: bool = True, printed: str = "") -> bytes:
    head = (
        f'<meta property="og:site_name" content="{OUTLET}">'
        f'<meta name="author" content="{AUTHOR}">'
        f'<meta property="article:published_time" content="{PUBLISHED}T08:30:00+08:00">'
        if meta
        else ""
    )
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    links = "".join(
        f'<li><a href="/{i}">{w}</a></li>' for i, w in enumerate(["首页", "新闻", "城市", "关于"])
    )
    share = '<div class="share"><a href="#">分享到微信</a> <a href="#">分享到微博</a></div>'
    page = (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{TITLE}_{OUTLET}</title>{head}</head><body>"
        f"<nav><ul>{links}</ul></nav>{share}"
        f"<article><h1>{TITLE}</h1>{printed}{body}</article>{share}"
        f"<footer><p>版权所有 {OUTLET}社 电话：0971-1234567</p><p><a href='/c'>联系我们</a></p></footer>"
        "</body></html>"
    )
    return page.encode("utf-8")


def pdf_bytes(pages: list[list[list[str]]] = PDF_PAGES, furniture: bool = True) -> bytes:
    """Pages of paragraphs of lines, drawn as text with the CJK font (fonttype 42: a text layer)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from xining_data.publish.style import font_family

    out = io.BytesIO()
    with (
        plt.rc_context({"pdf.fonttype": 42, "font.family": font_family()}),
        PdfPages(out) as pdf,
    ):
        for number, paragraphs in enumerate(pages, start=1):
            fig = plt.figure(figsize=(8.27, 11.69))
            if furniture:
                fig.text(0.1, 0.96, RUNNING_HEAD, fontsize=9)
                fig.text(0.5, 0.03, f"- {number} -", fontsize=9, ha="center")
            y = 0.88
            for lines in paragraphs:
                for line in lines:
                    fig.text(0.1, y, line, fontsize=12)
                    y -= 0.025
                y -= 0.025  # a paragraph gap
            pdf.savefig(fig)
            plt.close(fig)
    return out.getvalue()


def blank_pdf_bytes() -> bytes:
    """A 'scan': a page with a drawing and no text."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    ax.axis("off")
    out = io.BytesIO()
    fig.savefig(out, format="pdf")
    plt.close(fig)
    return out.getvalue()


def docx_bytes(tables: list[list[list[str]]] = ()) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = TITLE
    document.core_properties.author = AUTHOR
    document.add_paragraph(TITLE)
    for text in PARAGRAPHS:
        document.add_paragraph(text)
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def encrypted_pdf_bytes() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_bytes())).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


MAKERS = {".txt": txt_bytes, ".html": html_bytes, ".pdf": pdf_bytes, ".docx": docx_bytes}


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory):
    """The same report in the four formats."""
    folder = tmp_path_factory.mktemp("mixed")
    for suffix, make in MAKERS.items():
        (folder / f"report{suffix}").write_bytes(make())
    return folder


FIGURE_KEY = ["value", "kind", "unit", "measure"]  # what the four versions agree on


def _figures(path) -> list[tuple]:
    df = figures_table(read_report(path))
    return list(df[FIGURE_KEY].itertuples(index=False, name=None))


def test_the_four_formats_give_the_same_figures(mixed_folder):
    expected = _figures(mixed_folder / "report.txt")
    assert ("13971", "count", "人", "新增城镇就业") in expected and len(expected) >= 10
    for suffix in (".html", ".pdf", ".docx"):
        assert _figures(mixed_folder / f"report{suffix}") == expected, suffix


def test_folder_listing_takes_every_format(mixed_folder):
    names = [p.name for p in report_paths(mixed_folder)]
    assert names == ["report.docx", "report.html", "report.pdf", "report.txt"]


def test_web_page_main_text_without_page_furniture(mixed_folder):
    text = read_report(mixed_folder / "report.html").text
    assert text == txt_bytes().decode("utf-8")
    for furniture in ("首页", "分享到微信", "版权所有", "联系我们"):
        assert furniture not in text


def test_web_page_metadata_and_date_without_published(mixed_folder):
    report = read_report(mixed_folder / "report.html")
    meta = report.meta
    assert (meta.title, meta.publisher, meta.author) == (TITLE, OUTLET, AUTHOR)
    assert (meta.published, meta.published_from, meta.published_inferred) == (
        PUBLISHED,
        "metadata",
        False,
    )
    last_year = figures_table(report).query("text == '去年'").iloc[0]
    assert (last_year["date"], last_year["date_inferred"]) == ("2024", False)


def test_web_page_date_printed_in_the_page(tmp_path):
    path = tmp_path / "printed.html"
    path.write_bytes(html_bytes(meta=False, printed="<p>发布时间：2025年01月20日 08:30</p>"))
    meta = read_report(path).meta
    assert (meta.published, meta.published_from) == (PUBLISHED, "printed")


def test_web_page_without_a_date_is_left_to_inference(tmp_path):
    path = tmp_path / "undated.html"
    path.write_bytes(html_bytes(meta=False))
    report = read_report(path)
    assert report.meta.published == "" and report.meta.published_from == ""
    assert figures_table(report).query("text == '去年'").iloc[0]["date_inferred"]


def test_pdf_strips_running_heads_and_page_numbers(mixed_folder):
    text = read_report(mixed_folder / "report.pdf").text
    assert "高原日报" not in text and "第3版" not in text
    assert "- 1 -" not in text and "- 2 -" not in text
    assert text.startswith(TITLE + "\n")


def test_pdf_keeps_kangxi_radicals_in_the_text_and_unifies_them_in_the_view(mixed_folder):
    report = read_report(mixed_folder / "report.pdf")
    at = report.text.index("13971") + 5
    assert report.text[at] == "\u2f08" and report.normalized[at] == "人"
    assert len(report.normalized) == len(report.text)
    row = figures_table(report).query("value == '13971'").iloc[0]
    assert (row["text"], row["unit"]) == ("13971\u2f08", "人")


def test_pdf_figure_carries_its_page(mixed_folder):
    df = figures_table(read_report(mixed_folder / "report.pdf"))
    pages = dict(zip(df["value"], df["page"], strict=True))
    assert (pages["180050000000"], pages["13971"], pages["28500000"], pages["6500"]) == (1, 1, 2, 2)
    assert "page" not in figures_table(read_report(mixed_folder / "report.txt")).columns


def test_pdf_page_spans_cover_their_pages(mixed_folder):
    report = read_report(mixed_folder / "report.pdf")
    assert [p.page for p in report.pages] == [1, 2]
    assert report.text[report.pages[1].start :].startswith("全市接待游客")


def test_word_paragraphs_and_properties(mixed_folder):
    report = read_report(mixed_folder / "report.docx")
    assert report.text == txt_bytes().decode("utf-8")
    assert (report.meta.title, report.meta.author, report.encoding) == (TITLE, AUTHOR, "word")


def test_word_tables_become_rows_of_cells(tmp_path):
    path = tmp_path / "table.docx"
    path.write_bytes(docx_bytes([[["指标", "单位", "数值"], ["地区生产总值", "亿元", "1800.5"]]]))
    assert "指标 | 单位 | 数值\n地区生产总值 | 亿元 | 1800.5\n" in read_report(path).text


BROKEN = [
    pytest.param("page.html", lambda: bytes(range(256)) * 4, "no article text", id="html-binary"),
    pytest.param("page.htm", lambda: b"<html><body></body></html>", "no article text", id="htm-empty"),
    pytest.param("doc.pdf", lambda: pdf_bytes()[:300], "not a readable PDF", id="pdf-truncated"),
    pytest.param("doc.pdf", lambda: b"plain text, not a PDF", "not a readable PDF", id="pdf-not-pdf"),
    pytest.param("doc.pdf", encrypted_pdf_bytes, "encrypted PDF", id="pdf-encrypted"),
    pytest.param("scan.pdf", blank_pdf_bytes, "no text layer: run OCR first", id="pdf-no-text"),
    pytest.param("doc.docx", lambda: docx_bytes()[:500], "not a readable Word", id="docx-truncated"),
    pytest.param("doc.docx", lambda: b"PK\x03\x04 not a zip", "not a readable Word", id="docx-not-zip"),
    pytest.param("doc.pdf", lambda: b"", "empty file", id="pdf-empty"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "make", "problem"), BROKEN)
def test_broken_documents_give_one_line(tmp_path, name, make, problem):
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(ReportError) as err:
        read_report(path)
    message = str(err.value)
    assert problem in message and str(path) in message and "\n" not in message


def test_text_command_prints_exactly_what_offsets_index(mixed_folder, capsysbinary):
    for suffix in MAKERS:
        path = mixed_folder / f"report{suffix}"
        assert main(["text", str(path)]) == 0
        assert capsysbinary.readouterr().out == read_report(path).text.encode("utf-8")


def test_cli_reads_a_mixed_folder(mixed_folder, capsys):
    assert main(["figures", str(mixed_folder), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert all(f"report,{n}" not in out for n in ("x",))
    assert out.count("13971") >= 4


SIDECAR = (
    "file,title,outlet,url,published\n{file},侧表标题,侧表日报,https://example.org/a,2025-02-01\n"
)


def test_sidecar_supplies_metadata_of_a_plain_text_report(tmp_path):
    (tmp_path / "plain.txt").write_bytes(txt_bytes())
    (tmp_path / "reports.csv").write_text(SIDECAR.format(file="plain.txt"), "utf-8")
    meta = read_report(tmp_path / "plain.txt").meta
    assert (meta.title, meta.publisher, meta.url) == (
        "侧表标题",
        "侧表日报",
        "https://example.org/a",
    )
    assert (meta.published, meta.published_from, meta.published_inferred) == (
        "2025-02-01",
        "sidecar",
        False,
    )
    assert [p.name for p in report_paths(tmp_path)] == ["plain.txt"]


def test_sidecar_wins_over_a_header_with_a_warning(tmp_path):
    header = "---\npublisher: 头部日报\npublished: 2024\n---\n"
    (tmp_path / "h.txt").write_bytes(header.encode() + txt_bytes())
    (tmp_path / "reports.csv").write_text(SIDECAR.format(file="h.txt"), "utf-8")
    with pytest.warns(UserWarning, match="sidecar wins"):
        meta = read_report(tmp_path / "h.txt").meta
    assert (meta.publisher, meta.published) == ("侧表日报", "2025-02-01")


def test_sidecar_wins_over_web_page_metadata(tmp_path):
    (tmp_path / "p.html").write_bytes(html_bytes())
    (tmp_path / "reports.csv").write_text(SIDECAR.format(file="p.html"), "utf-8")
    with pytest.warns(UserWarning):
        meta = read_report(tmp_path / "p.html").meta
    assert (meta.published, meta.published_from, meta.author) == ("2025-02-01", "sidecar", AUTHOR)


def test_sidecar_agreeing_with_the_header_is_silent(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"---\npublished: 2025-02-01\n---\n" + txt_bytes())
    (tmp_path / "reports.csv").write_text("file,published\na.txt,2025-02-01\n", "utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_report(tmp_path / "a.txt").meta.published == "2025-02-01"


@pytest.mark.parametrize(
    ("text", "unified"),
    [
        ("13971\u2f08", "13971人"),  # KANGXI RADICAL MAN
        ("\u2f2f\u2f83", "工自"),  # KANGXI RADICAL WORK, SELF
        ("\u2ea0\u2ed4", "民门"),  # radicals supplement, listed in radicals.csv
        ("\uf900\ufa10", "豈塚"),  # CJK compatibility ideographs
        ("人民１０", "人民１０"),  # unified ideographs and full-width digits untouched here
    ],
)
def test_unify_ideographs(text, unified):
    assert unify_ideographs(text) == unified and len(unify_ideographs(text)) == len(text)


def test_normalize_unifies_radicals_and_full_width_in_one_view():
    assert normalize("１３９７１\u2f08") == "13971人"


@pytest.mark.parametrize(
    ("offset", "page"), [(0, 1), (9, 1), (10, None), (12, 2), (19, 2), (20, None), (-1, None)]
)
def test_page_at(offset, page):
    assert page_at((PageSpan(0, 10, 1), PageSpan(12, 20, 2)), offset) == page


def test_a_mixed_folder_builds_and_lists_every_broken_file(mixed_folder, tmp_path):
    import shutil

    import pandas as pd

    from xining_data.corpus.build import BuildOptions, build

    SYNC = BuildOptions(scheduler="sync", progress=False)

    corpus = tmp_path / "corpus"
    shutil.copytree(mixed_folder, corpus)
    (corpus / "scan.pdf").write_bytes(blank_pdf_bytes())
    (corpus / "locked.pdf").write_bytes(encrypted_pdf_bytes())
    (corpus / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    (corpus / "broken.html").write_bytes(b"<html><body></body></html>")
    result = build(corpus, tmp_path / "data", SYNC)
    assert (result.reports, result.failed) == (8, 4)
    reports = pd.read_parquet(result.out_dir / "reports.parquet")
    assert sorted(reports["report"]) == ["report", "report.docx", "report.html", "report.pdf"]
    errors = pd.read_parquet(result.errors_path)
    reasons = {
        p.rsplit("/", 1)[-1]: r for p, r in zip(errors["path"], errors["reason"], strict=True)
    }
    assert reasons == {
        "scan.pdf": "no text layer: run OCR first",
        "locked.pdf": "encrypted PDF: cannot read without its password",
        "broken.docx": "not a readable Word .docx file (BadZipFile)",
        "broken.html": "no article text found in the web page",
    }
    figures = pd.read_parquet(result.out_dir / "figures.parquet")
    running = _figures(mixed_folder / "report.txt")
    for report, own in figures.groupby("report"):  # each version, under its own id
        assert list(own[FIGURE_KEY].itertuples(index=False, name=None)) == running, report
    assert figures["page"].notna().sum() == len(_figures(mixed_folder / "report.pdf"))


def test_the_build_reads_the_sidecar_and_a_changed_row_rebuilds(tmp_path):
    import pandas as pd

    from xining_data.corpus.build import BuildOptions, build

    SYNC = BuildOptions(scheduler="sync", progress=False)

    corpus, out = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    (corpus / "plain.txt").write_bytes(txt_bytes())

    def last_year() -> pd.Series:
        figures = pd.read_parquet(out / "figures.parquet")
        return figures.query("text == '去年'").iloc[0]

    build(corpus, out, SYNC)
    assert last_year()["date_inferred"]
    (corpus / "reports.csv").write_text("file,published\nplain.txt,2025-02-01\n", "utf-8")
    result = build(corpus, out, SYNC)
    assert result.processed == 1
    assert (last_year()["date"], last_year()["date_inferred"]) == ("2024", False)


@pytest.mark.parametrize(
    ("name", "report"),
    [
        ("000_4f7dffbbf6220809.txt", "000_4f7dffbbf6220809"),  # a plain-text id as it always was
        ("report.TXT", "report"),
        ("report.html", "report.html"),  # a document keeps its suffix: beside report.txt
        ("report.htm", "report.htm"),
        ("report.pdf", "report.pdf"),
        ("report.docx", "report.docx"),
        ("report.pdf.txt", "report.pdf.txt"),  # its stem would be report.pdf's id
        ("公报 2024.txt", "公报 2024"),
    ],
)
def test_report_id(name, report):
    assert report_id(f"/some/folder/{name}") == report


def test_same_stem_in_two_formats_gives_two_reports(tmp_path, capsys):
    (tmp_path / "a.txt").write_bytes(txt_bytes())
    (tmp_path / "a.html").write_bytes(html_bytes())
    assert {read_report(p).id for p in report_paths(tmp_path)} == {"a", "a.html"}
    assert main(["figures", str(tmp_path), "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert {row.split(",", 1)[0] for row in rows} == {"a", "a.html"}


# A page printed in two columns under a title across both: the columns' lines stand side
# by side at the same heights; each paragraph opens with an indent of two characters.
LEFT_COLUMN = [
    ["记者从市统计局获悉，2024年", "全市地区生产总值达到1800.5", "亿元，同比增长5.2%。"],
    ["全年新增城镇就业13971人，", "城镇登记失业率控制在3.1%", "以内。"],
]
RIGHT_COLUMN = [
    ["全市接待游客2850万人次，", "实现旅游总花费310亿元。"],
    ["全市新建改建农村公路420公", "里，新增公共停车泊位6500个。"],
]


def _title_and_columns(fig) -> None:
    """The title across both columns, then the two columns' paragraphs side by side."""
    fig.text(0.5, 0.85, TITLE, fontsize=16, ha="center")
    for x, paragraphs in ((0.08, LEFT_COLUMN), (0.53, RIGHT_COLUMN)):
        y = 0.80
        for lines in paragraphs:
            for i, line in enumerate(lines):
                fig.text(x + (0.04 if i == 0 else 0), y, line, fontsize=12)
                y -= 0.025
            y -= 0.01


def two_column_pdf_bytes(pages: int = 2) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from xining_data.publish.style import font_family

    out = io.BytesIO()
    with (
        plt.rc_context({"pdf.fonttype": 42, "font.family": font_family()}),
        PdfPages(out) as pdf,
    ):
        for number in range(1, pages + 1):
            fig = plt.figure(figsize=(8.27, 11.69))
            fig.text(0.1, 0.96, RUNNING_HEAD, fontsize=9)
            fig.text(0.5, 0.03, f"- {number} -", fontsize=9, ha="center")
            _title_and_columns(fig)
            pdf.savefig(fig)
            plt.close(fig)
    return out.getvalue()


def test_a_two_column_pdf_is_read_column_by_column(tmp_path):
    path = tmp_path / "columns.pdf"
    path.write_bytes(two_column_pdf_bytes())
    report = read_report(path)
    page_one = report.text[report.pages[0].start : report.pages[0].end]
    paragraphs = ["".join(lines) for lines in LEFT_COLUMN + RIGHT_COLUMN]
    assert page_one.replace("\n", "") == TITLE + "".join(paragraphs)
    assert page_one.split("\n\n")[0] == TITLE  # the title across both columns comes first
    assert RUNNING_HEAD not in report.text and "- 1 -" not in report.text
    values = list(figures_table(report).query("page == 1")["value"])
    assert values.index("180050000000") < values.index("13971") < values.index("28500000")


def test_pdf_lines_cut_mid_sentence_are_joined(mixed_folder):
    """Lines of a paragraph are one line again (城镇登记失业 / 率 is one word), so the PDF
    reads as the plain text does, Kangxi radicals aside; a one-column page is not cut."""
    text = read_report(mixed_folder / "report.pdf").text
    assert unify_ideographs(text) == txt_bytes().decode("utf-8")


def unruled_table_pdf_bytes() -> bytes:
    """A page of a table set without rules: labels on the left, units and numbers in the
    right half on every line (white space between them, not a gutter between columns)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from xining_data.publish.style import font_family

    out = io.BytesIO()
    with plt.rc_context({"pdf.fonttype": 42, "font.family": font_family()}):
        fig = plt.figure(figsize=(8.27, 11.69))
        fig.text(0.1, 0.85, PARAGRAPHS[1], fontsize=12)
        for i, row in enumerate(UNRULED_ROWS):
            for x, cell in zip((0.1, 0.45, 0.6, 0.75), row, strict=True):
                fig.text(x, 0.8 - 0.025 * i, cell, fontsize=12)
        fig.savefig(out, format="pdf")
        plt.close(fig)
    return out.getvalue()


UNRULED_ROWS = [
    ("地区生产总值", "亿元", "1800.5", "5.2"),
    ("第一产业增加值", "亿元", "80.1", "4.1"),
    ("第二产业增加值", "亿元", "520.3", "6.0"),
    ("第三产业增加值", "亿元", "1200.1", "5.0"),
    ("接待游客", "万人次", "2850", "8.1"),
    ("旅游总花费", "亿元", "310", "9.2"),
    ("新建农村公路", "公里", "420", "3.3"),
]


def test_a_table_without_rules_is_not_read_as_two_columns(tmp_path):
    path = tmp_path / "unruled.pdf"
    path.write_bytes(unruled_table_pdf_bytes())
    lines = read_report(path).text.splitlines()
    assert [" ".join(row) for row in UNRULED_ROWS] == lines[2:]


COLUMN_TABLE = [
    ["指标", "单位", "数值"],
    ["接待游客", "万人次", "2850"],
    ["新建农村公路", "公里", "420"],
]


def two_column_pdf_with_table_bytes() -> bytes:
    """The two-column page with a ruled table under the left column's paragraphs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from xining_data.publish.style import font_family

    out = io.BytesIO()
    with plt.rc_context({"pdf.fonttype": 42, "font.family": font_family()}):
        fig = plt.figure(figsize=(8.27, 11.69))
        _title_and_columns(fig)
        xs, top, height = (0.08, 0.24, 0.34, 0.45), 0.60, 0.03
        bottom = top - len(COLUMN_TABLE) * height
        for r in range(len(COLUMN_TABLE) + 1):
            fig.add_artist(Line2D([xs[0], xs[-1]], [top - r * height] * 2, color="k", lw=0.8))
        for x in xs:
            fig.add_artist(Line2D([x, x], [top, bottom], color="k", lw=0.8))
        for r, cells in enumerate(COLUMN_TABLE):
            for c, cell in enumerate(cells):
                fig.text(xs[c] + 0.01, top - (r + 1) * height + 0.008, cell, fontsize=11)
        fig.savefig(out, format="pdf")
        plt.close(fig)
    return out.getvalue()


def test_a_table_inside_a_two_column_page_is_a_table(tmp_path):
    """The table in the left column is read as a table (a line per row, its cells figures
    of their row), and the columns' paragraphs around it stay whole."""
    path = tmp_path / "column-table.pdf"
    path.write_bytes(two_column_pdf_with_table_bytes())
    report = read_report(path)
    rows = [" | ".join(row) for row in COLUMN_TABLE]
    assert all(row in report.text.splitlines() for row in rows)
    prose = "".join(line for line in report.text.splitlines() if line not in rows)
    assert prose == TITLE + "".join("".join(lines) for lines in LEFT_COLUMN + RIGHT_COLUMN)
    df = figures_table(report)
    cells = df[df["sentence"].isin(rows)]
    got = list(zip(cells["text"], cells["unit"], cells["measure"], strict=True))
    assert got == [("2850", "人次", "接待游客"), ("420", "km", "新建农村公路")]

"""Verify: a build and the published stories checked against the raw reports."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from test_build import GOOD, make_corpus

from xining_data.corpus.build import MANIFEST, BuildOptions, build
from xining_data.stories.story import Story
from xining_data.verify import context_facts, ledger_rows, main_verify, prose_value, verify


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A built corpus of good reports; tests copy it before tampering."""
    root = tmp_path_factory.mktemp("pristine")
    corpus = make_corpus(root / "reports", bad=False)
    build(corpus, root / "data", BuildOptions(scheduler="sync", progress=False))
    return root


@pytest.fixture
def workspace(pristine, tmp_path) -> Path:
    """A private copy of the built corpus, with the manifest pointing at the copy."""
    root = tmp_path / "ws"
    shutil.copytree(pristine, root)
    manifest_path = root / "data" / MANIFEST
    text = manifest_path.read_text(encoding="utf-8").replace(str(pristine), str(root))
    manifest_path.write_text(text, encoding="utf-8")
    return root


def figures_of(root: Path) -> pd.DataFrame:
    return pd.read_parquet(root / "data" / "figures.parquet")


def needs_figures(root: Path) -> None:
    if figures_of(root).empty:
        pytest.skip("no figures extracted (xining_data.extract.figures not available)")


def test_a_fresh_build_verifies(workspace, capsys):
    result = verify(workspace / "data", workspace / "site")
    assert result.ok, result.failures
    assert result.checked["inputs"] == len(GOOD)
    assert "no published site: skipped" in result.notes
    assert main_verify(["--data", str(workspace / "data"), "--site", str(workspace / "s")]) == 0
    out = capsys.readouterr().out
    assert "no published site: skipped" in out and "all good" in out


def _append_to_report(root: Path) -> None:
    path = root / "reports" / "numbers.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n补记一句。\n", encoding="utf-8")


def _insert_before_everything(root: Path) -> None:
    """The same text shifted by one character: every offset after it is wrong."""
    path = root / "reports" / "no_header.txt"
    path.write_text("　" + path.read_text(encoding="utf-8"), encoding="utf-8")


def _shift_table(name: str):
    def tamper(root: Path) -> None:
        path = root / "data" / f"{name}.parquet"
        df = pd.read_parquet(path)
        if df.empty:
            pytest.skip(f"no {name} rows to tamper with")
        df.loc[0, "start"] += 1
        df.to_parquet(path, index=False)

    return tamper


def _edit_kept_text(root: Path) -> None:
    path = root / "data" / "texts.parquet"
    df = pd.read_parquet(path)
    df.loc[0, "text"] = df.loc[0, "text"].replace("4", "9", 1)
    df.to_parquet(path, index=False)


def _stretch_article(root: Path) -> None:
    path = root / "data" / "articles.parquet"
    df = pd.read_parquet(path)
    df.loc[0, "end"] = 10**9
    df.to_parquet(path, index=False)


def _foreign_rows(root: Path) -> None:
    path = root / "data" / "figures.parquet"
    df = pd.read_parquet(path)
    df.loc[df.index[-1], "report"] = "elsewhere"
    df.to_parquet(path, index=False)


# tamper, words of the failure it must cause
TAMPERING = [
    pytest.param(_append_to_report, "changed since the build", id="report-edited"),
    pytest.param(_insert_before_everything, "changed since the build", id="report-shifted"),
    pytest.param(lambda r: (r / "reports" / "seed.txt").unlink(), "is gone", id="report-deleted"),
    pytest.param(
        lambda r: shutil.copy(r / "reports" / "seed.txt", r / "reports" / "new.txt"),
        "not in the build",
        id="report-added",
    ),
    pytest.param(_stretch_article, "outside the report", id="article-offsets"),
    pytest.param(_stretch_article, "table changed since the build", id="table-edited"),
    pytest.param(_shift_table("figures"), "raw text is", id="figure-offsets"),
    pytest.param(_shift_table("places"), "raw text is", id="place-offsets"),
    pytest.param(_edit_kept_text, "kept text differs", id="kept-text-edited"),
    pytest.param(_foreign_rows, "not in the build manifest", id="rows-of-unknown-report"),
    pytest.param(lambda r: (r / "data" / MANIFEST).unlink(), "no build manifest", id="no-manifest"),
    pytest.param(
        lambda r: (r / "data" / "figures.parquet").unlink(), "table missing", id="table-deleted"
    ),
]


@pytest.mark.parametrize(("tamper", "failure"), TAMPERING)
def test_tampering_is_caught(workspace, tamper, failure, capsys):
    tamper(workspace)
    result = verify(workspace / "data", workspace / "site")
    assert any(failure in f for f in result.failures), result.failures
    assert main_verify(["--data", str(workspace / "data"), "--site", str(workspace / "s")]) == 1
    assert "FAIL " in capsys.readouterr().out


def test_a_shifted_report_fails_its_offsets_when_rehashed(workspace):
    """Even if someone updates the manifest's hashes, the offsets no longer match the text."""
    needs_figures(workspace)
    _insert_before_everything(workspace)
    manifest_path = workspace / "data" / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["inputs"]:
        data = Path(entry["path"]).read_bytes()
        entry["sha256"], entry["size"] = hashlib.sha256(data).hexdigest(), len(data)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    result = verify(workspace / "data", workspace / "site")
    assert any("no_header figures" in f and "raw text is" in f for f in result.failures)


# --- tampering by someone who updates the manifest too ------------------------------------------


def _rehash(root: Path) -> None:
    """Bring the manifest in line with the tables as they are now: each table's sha256 and
    rows, and each report's rows per table (what a careful tamperer would do)."""
    data = root / "data"
    manifest = json.loads((data / MANIFEST).read_text(encoding="utf-8"))
    for name, entry in manifest["tables"].items():
        path = data / f"{name}.parquet"
        entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        entry["rows"] = len(pd.read_parquet(path))
    for entry in manifest["inputs"]:
        if entry["status"] == "ok":
            for name in entry["rows"]:
                table = pd.read_parquet(data / f"{name}.parquet", columns=["report"])
                entry["rows"][name] = int((table["report"] == entry["report"]).sum())
    (data / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def _edit(name: str, column: str, change, where=None):
    """Change one cell of a table (the first row, or the first where ``where`` holds)."""

    def tamper(root: Path) -> None:
        path = root / "data" / f"{name}.parquet"
        df = pd.read_parquet(path)
        rows = df.index[where(df)] if where else df.index
        if not len(rows):
            pytest.skip(f"no {name} row to edit")
        df.loc[rows[0], column] = change(df.loc[rows[0], column])
        df.to_parquet(path, index=False)

    return tamper


def _delete_row(name: str):
    def tamper(root: Path) -> None:
        path = root / "data" / f"{name}.parquet"
        df = pd.read_parquet(path)
        df.drop(index=df.index[len(df) // 2]).to_parquet(path, index=False)

    return tamper


def _duplicate_row(name: str):
    def tamper(root: Path) -> None:
        path = root / "data" / f"{name}.parquet"
        df = pd.read_parquet(path)
        pd.concat([df, df.iloc[[0]]], ignore_index=True).to_parquet(path, index=False)

    return tamper


def _has(column: str):
    return lambda df: df[column].notna() & (df[column].astype(str) != "")


# tamper (the manifest updated after it), words of the failure it must cause
REHASHED_TAMPERING = [
    pytest.param(_edit("figures", "value", lambda v: "99"), "re-extraction gives", id="value"),
    pytest.param(_edit("figures", "unit", lambda v: "吨", _has("unit")), "unit is", id="unit"),
    pytest.param(_edit("figures", "date", lambda v: "1999", _has("date")), "date is", id="date"),
    pytest.param(
        _edit("figures", "place_adcode", lambda v: "110000", _has("place_adcode")),
        "place_adcode is",
        id="figure-adcode",
    ),
    pytest.param(_edit("places", "adcode", lambda v: "110000"), "adcode is", id="place-adcode"),
    pytest.param(_edit("articles", "title", lambda v: "假标题"), "title is", id="article-title"),
    pytest.param(
        _edit("figures", "article_title", lambda v: "假标题"), "article_title is", id="title"
    ),
    pytest.param(_delete_row("figures"), "missing from the table", id="figure-deleted"),
    pytest.param(_delete_row("places"), "missing from the table", id="place-deleted"),
    pytest.param(_duplicate_row("figures"), "not given by re-extraction", id="figure-duplicated"),
    pytest.param(_duplicate_row("articles"), "not given by re-extraction", id="article-duplicated"),
]


@pytest.mark.parametrize(("tamper", "failure"), REHASHED_TAMPERING)
def test_an_edited_table_is_caught_even_with_the_manifest_updated(workspace, tamper, failure):
    needs_figures(workspace)
    tamper(workspace)
    _rehash(workspace)
    result = verify(workspace / "data", workspace / "site")
    assert any(failure in f for f in result.failures), result.failures
    assert not any("sha256 differs" in f or "manifest says" in f for f in result.failures)


def _manifest_edit(change):
    def tamper(root: Path) -> None:
        path = root / "data" / MANIFEST
        manifest = json.loads(path.read_text(encoding="utf-8"))
        change(manifest)
        path.write_text(json.dumps(manifest), encoding="utf-8")

    return tamper


def _truncate(name: str):
    def tamper(root: Path) -> None:
        path = root / "data" / name
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    return tamper


def _set(*keys_and_value):
    *keys, value = keys_and_value

    def change(manifest: dict) -> None:
        target = manifest
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


# a corrupt file or manifest, words of the FAIL line it must give (never a traceback)
CORRUPT = [
    pytest.param(_truncate("figures.parquet"), "not a readable Parquet table", id="truncated"),
    pytest.param(
        lambda r: (r / "data" / "places.parquet").write_bytes(b"PAR1 not parquet PAR1"),
        "not a readable Parquet table",
        id="garbage-parquet",
    ),
    pytest.param(_truncate(MANIFEST), "unreadable build manifest", id="truncated-manifest"),
    pytest.param(
        lambda r: (r / "data" / MANIFEST).write_bytes(b"\xff\xfe{"),
        "unreadable build manifest",
        id="manifest-not-utf8",
    ),
    pytest.param(
        lambda r: (r / "data" / MANIFEST).write_text("[1, 2]", encoding="utf-8"),
        "malformed build manifest: not a JSON object",
        id="manifest-a-list",
    ),
    pytest.param(_manifest_edit(_set("inputs", {})), "malformed", id="inputs-not-a-list"),
    pytest.param(
        _manifest_edit(lambda m: m["inputs"][0].pop("sha256")), "input 0: sha256", id="no-sha256"
    ),
    pytest.param(_manifest_edit(_set("inputs", 0, "size", "12")), "input 0: size", id="size-text"),
    pytest.param(
        _manifest_edit(_set("tables", "figures", "rows", None)), "table figures", id="rows"
    ),
    pytest.param(_manifest_edit(_set("library", "x")), "library", id="library-not-object"),
    pytest.param(
        _manifest_edit(_set("tables", "figures", "rows", 10**6)),
        "the manifest says 1000000",
        id="table-row-count",
    ),
    pytest.param(
        _manifest_edit(_set("inputs", 0, "rows", "places", 10**6)),
        "the manifest says 1000000",
        id="report-row-count",
    ),
    pytest.param(
        _manifest_edit(_set("library", "hash", "0" * 64)), "cannot be extracted again", id="library"
    ),
]


@pytest.mark.parametrize(("corrupt", "failure"), CORRUPT)
def test_a_corrupt_file_gives_a_fail_line_not_a_traceback(workspace, corrupt, failure, capsys):
    corrupt(workspace)
    args = ["--data", str(workspace / "data"), "--site", str(workspace / "site"), "--limit", "0"]
    assert main_verify(args) == 1
    out = capsys.readouterr().out
    assert any(line.startswith("FAIL ") and failure in line for line in out.splitlines()), out
    assert "Traceback" not in out


def test_failures_beyond_the_limit_are_counted(workspace, capsys):
    for name in GOOD:
        path = workspace / "reports" / f"{name}.txt"
        path.write_bytes(path.read_bytes() + b"\n")
    failures = len(verify(workspace / "data", workspace / "site").failures)
    assert failures >= len(GOOD)
    args = ["--data", str(workspace / "data"), "--site", str(workspace / "site"), "--limit", "2"]
    assert main_verify(args) == 1
    out = capsys.readouterr().out
    assert out.count("FAIL ") == 2 and f"{failures - 2} more failures" in out


# --- the published stories -----------------------------------------------------------------


def _figure_rows() -> pd.DataFrame:
    """A figures table as the extractor writes it (only the columns the ledger reads)."""
    return pd.DataFrame(
        [
            {"report": "r", "article": 1, "article_title": "标题", "start": 10, "end": 13,
             "text": "67家", "kind": "count", "value": "67", "qualifier": "exact",
             "value_max": None, "unit": "家", "subject": "社区", "sentence": "评选67家社区。"},
            {"report": "r", "article": 1, "article_title": "标题", "start": 20, "end": 25,
             "text": "5.1万人", "kind": "count", "value": "51000", "qualifier": "exact",
             "value_max": None, "unit": "人", "subject": "人", "sentence": "40个村5.1万人。"},
        ]
    )  # fmt: skip


def _story_html(figures: pd.DataFrame, cited: list, facts: list | None = None) -> str:
    story = Story(figures, language="en")
    for row in cited:
        story.num(row)
    for fact in facts or []:
        story.cite(fact)
    return f"<html><body><p>story</p>{story.ledger_html()}</body></html>"


def test_ledger_rows_read_back_what_the_story_cited():
    figures = _figure_rows()
    rows = ledger_rows(_story_html(figures, [figures.iloc[1], figures.iloc[0]]))
    assert [(r["number"], r["text"], r["value"], r["start"]) for r in rows] == [
        ("1", "5.1万人", "51000", "20"),
        ("2", "67家", "67", "10"),
    ]


def _site(root: Path, html: str) -> Path:
    site = root / "site"
    site.mkdir(exist_ok=True)
    (site / "story.en.html").write_text(html, encoding="utf-8")
    (site / "index.html").write_text("<html>index, no ledger</html>", encoding="utf-8")
    return site


def test_published_numbers_are_found_in_a_real_build(workspace):
    needs_figures(workspace)
    figures = figures_of(workspace)
    numeric = figures[figures["value"].notna() & (figures["value"] != "")]
    cited = [numeric.iloc[0], numeric.iloc[len(numeric) // 2]]
    site = _site(workspace, _story_html(figures, cited))
    result = verify(workspace / "data", site)
    assert result.ok, result.failures
    assert result.checked["ledger entries"] == 2 and result.checked["stories"] == 1


def _wrong(field: str, value):
    def change(row: pd.Series) -> pd.Series:
        row = row.copy()
        row[field] = value
        return row

    return change


# change made to the cited row before publishing, words of the failure
WRONG_LEDGER = [
    pytest.param(_wrong("value", "99"), "differs from the table", id="value"),
    pytest.param(_wrong("text", "99家"), "the figures table has", id="text"),
    pytest.param(_wrong("start", 11), "not in the figures table", id="offsets"),
    pytest.param(_wrong("report", "other"), "not in the figures table", id="report"),
]


@pytest.mark.parametrize(("change", "failure"), WRONG_LEDGER)
def test_a_published_number_not_in_the_tables_fails(workspace, change, failure):
    needs_figures(workspace)
    figures = figures_of(workspace)
    numeric = figures[figures["value"].notna() & (figures["value"] != "")]
    site = _site(workspace, _story_html(figures, [change(numeric.iloc[0])]))
    result = verify(workspace / "data", site)
    assert any(failure in f for f in result.failures), result.failures


def test_context_facts_in_the_ledger_are_checked(workspace):
    facts = context_facts()
    fact = facts[pd.to_numeric(facts["value"], errors="coerce").notna()].iloc[0]
    wrong = fact.copy()
    wrong["value"] = str(float(fact["value"]) + 1)
    good = verify(workspace / "data", _site(workspace, _story_html(_figure_rows(), [], [fact])))
    assert good.ok, good.failures
    bad = verify(workspace / "data", _site(workspace, _story_html(_figure_rows(), [], [wrong])))
    assert any("not in the context table" in f for f in bad.failures)


def test_a_site_without_ledgers_is_noted(workspace):
    result = verify(workspace / "data", _site(workspace, "<html>no ledger</html>"))
    assert result.ok and any("no story ledgers" in n for n in result.notes)


# --- numbers in the prose ------------------------------------------------------------------

# a number as a story prints it, its value
PRINTED = [
    ("67", Decimal("67")),
    ("5.1万", Decimal("51000")),
    ("16.4亿", Decimal("1640000000")),
    ("51,000", Decimal("51000")),
    ("5.1 million", Decimal("5100000")),
    ("-3", Decimal("-3")),
    ("27.4", Decimal("27.4")),
]


@pytest.mark.parametrize(("printed", "value"), PRINTED)
def test_a_printed_number_is_read_back(printed, value):
    assert prose_value(printed) == value


def _html_markers(markdown: str) -> str:
    """The citation markers as the published page renders them."""
    return re.sub(r"\[\\\[(\d+)\\\]\]\(#ledger-\d+\)", r'<a href="#ledger-\1">[\1]</a>', markdown)


def _prose_page(figures: pd.DataFrame, row: pd.Series, language: str, template: str) -> str:
    """A story page: one paragraph citing ``row`` (``{n}`` is the number with its marker, or
    ``{marker}`` the marker alone), then the ledger."""
    story = Story(figures, language=language)
    cited = story.num(row)
    marker = cited[len(story.num(row, cite=False)) :]
    prose = template.format(n=cited, marker=marker)
    return f"<html><body><p>{_html_markers(prose)}</p>{story.ledger_html()}</body></html>"


# edition, the paragraph, words of the failure (None: it verifies)
PROSE = [
    pytest.param("zh", "西宁有{n}个村。", None, id="zh-as-cited"),
    pytest.param("en", "Xining has {n} villages.", None, id="en-as-cited"),
    pytest.param("zh", "2024年，西宁有{n}个村。", None, id="a-year-in-another-clause"),
    pytest.param("zh", "西宁有90个村{marker}。", "the prose says 90 before [1]", id="zh-tampered"),
    pytest.param("en", "Xining has 90 villages{marker}.", "the prose says 90", id="en-tampered"),
    pytest.param(
        "zh", '有{n}个村，<a href="#ledger-99">[99]</a>', "which the ledger lacks", id="no-entry"
    ),
]


@pytest.mark.parametrize(("language", "template", "failure"), PROSE)
def test_numbers_in_the_prose_are_those_the_ledger_cites(workspace, language, template, failure):
    needs_figures(workspace)
    figures = figures_of(workspace)
    numeric = figures[figures["value"].notna() & (figures["value"] != "")]
    row = numeric[pd.to_numeric(numeric["value"]) != 90].iloc[0]
    site = _site(workspace, _prose_page(figures, row, language, template))
    result = verify(workspace / "data", site)
    if failure is None:
        assert result.ok, result.failures
        assert result.checked["numbers in the prose"] == 1
    else:
        assert any(failure in f for f in result.failures), result.failures


@pytest.mark.parametrize(("offset", "ok"), [(0, True), (1, False)])
def test_a_total_of_the_cited_figures_verifies(workspace, offset, ok):
    """A number computed from several cited figures (their total) traces to the ledger; any
    other number before the same citations does not."""
    needs_figures(workspace)
    figures = figures_of(workspace)
    numeric = figures[figures["value"].notna() & (figures["value"] != "")]
    numeric = numeric.drop_duplicates("value")
    a, b = numeric.iloc[0], numeric.iloc[1]
    story = Story(figures, language="zh")
    total = Decimal(a["value"]) + Decimal(b["value"]) + offset
    prose = f"合计{total}{story.cite(a)}{story.cite(b)}。"
    page = f"<html><body><p>{_html_markers(prose)}</p>{story.ledger_html()}</body></html>"
    result = verify(workspace / "data", _site(workspace, page))
    assert result.ok is ok, result.failures

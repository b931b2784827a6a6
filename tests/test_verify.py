"""Verify: a build and the published stories checked against the raw reports."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from test_build import GOOD, make_corpus

from xining_data.corpus.build import MANIFEST, BuildOptions, build
from xining_data.stories.story import Story
from xining_data.verify import context_facts, ledger_rows, main_verify, verify


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

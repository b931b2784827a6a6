"""The story notebooks execute cleanly in both editions, and follow their data.

The real notebooks run once per session, through ``publish`` (the ``published``
fixture in conftest.py): these tests read the executed notebooks that run leaves in
its build folder, so no notebook is executed twice. Only the changed-report test runs
one notebook again, on an edited copy of the seed. The tests that need an execution
carry the ``notebook`` mark (``-m "not notebook"`` leaves them out).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from xining_data.base.paths import NOTEBOOKS_DIR, RAW_DIR
from xining_data.publish import site as pub

from conftest import LANGUAGES, STORIES, PublishedSite

SEED = RAW_DIR / "000_4f7dffbbf6220809.txt"
# The changed-report test edits the seed's count of gig-work markets.
MARKETS = re.compile(r"(\d+)个零工市场")
GIG_CSV = Path("employment") / "gig-work-sites.csv"
SCREEN = 40  # lines: a cell longer than a screen holds logic that belongs in the library


def markdown_text(nb: nbformat.NotebookNode) -> str:
    """Everything the story prints as Markdown or HTML, in order."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.extend(str(data[m]) for m in ("text/markdown", "text/html") if m in data)
    return "\n".join(parts)


def page_text(path: Path) -> str:
    """What a reader of a published page reads: the HTML without its tags."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text("utf-8")))


def executed(published: PublishedSite, name: str, language: str) -> nbformat.NotebookNode:
    path = published.executed(name, language)
    assert path.is_file(), f"publish left no executed notebook at {path}"
    return nbformat.read(path, as_version=4)


# --- static checks (fast) ------------------------------------------------------------------


def test_every_story_is_found():
    assert set(STORIES) == {"overview", "community", "employment", "water", "carbon"}


@pytest.mark.parametrize("name", STORIES)
def test_notebook_source_is_reviewable(name):
    """Paired .py/.ipynb with the same cells, no outputs committed, the papermill parameters
    cell, and no cell longer than a screen (logic belongs in the library)."""
    import jupytext

    source = jupytext.read(NOTEBOOKS_DIR / f"{name}.py")
    paired = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    assert [c.source for c in paired.cells] == [c.source for c in source.cells], (
        "run jupytext --sync"
    )
    assert all(not c.get("outputs") for c in paired.cells if c.cell_type == "code")
    parameters = [c for c in source.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(parameters) == 1
    assert parameters[0].source.splitlines() == ["reports_dir = None", 'language = "zh"']
    long_cells = [
        len(c.source.splitlines()) for c in source.cells if len(c.source.splitlines()) > SCREEN
    ]
    assert not long_cells, f"cells longer than {SCREEN} lines: {long_cells}"


# --- the session's executions ---------------------------------------------------------------


@pytest.mark.notebook
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", STORIES)
def test_story_executes_cleanly(published, name, language):
    nb = executed(published, name, language)
    assert nb.metadata.get("papermill", {}).get("parameters", {}).get("language") == language
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert all(c.get("execution_count") for c in code), "a code cell did not run"
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    stderr = [o["text"] for c in code for o in c.get("outputs", [])
              if o.get("output_type") == "stream" and o.get("name") == "stderr"]  # fmt: skip
    assert not any("Traceback" in t or "Error" in t for t in stderr), stderr

    text = markdown_text(nb)
    cited = set(re.findall(r"\(#ledger-(\d+)\)", text))
    anchors = set(re.findall(r'id="ledger-(\d+)"', text))
    assert cited, "the story cites no figure"
    assert cited <= anchors, f"citations without a ledger entry: {sorted(cited - anchors)}"


@pytest.mark.notebook
def test_changed_report_changes_sentence_and_chart(published, tmp_path):
    """Edit a figure in a copy of the seed and publish the employment story against it:
    the published sentence and the chart's data follow the report."""
    text = SEED.read_text(encoding="utf-8")
    found = MARKETS.findall(text)
    assert len(found) == 1, "the seed states its count of gig-work markets once"
    old = f"{found[0]}个零工市场"
    new = f"{int(found[0]) + 2}个零工市场"
    reports, notebooks = tmp_path / "reports", tmp_path / "notebooks"
    reports.mkdir()
    notebooks.mkdir()
    (reports / SEED.name).write_text(text.replace(old, new), encoding="utf-8")
    shutil.copy(NOTEBOOKS_DIR / "employment.py", notebooks / "employment.py")

    pub.publish(
        notebooks,
        tmp_path / "site",
        tmp_path / "figures",
        pub.PublishOptions(reports=reports, build_dir=tmp_path / "build", languages=("zh",)),
    )

    before = page_text(published.site / "employment.zh.html")
    after = page_text(tmp_path / "site" / "employment.zh.html")
    assert old in before and new not in before
    assert new in after and old not in after

    count = int(found[0])
    drawn_before = list(pd.read_csv(published.figures / GIG_CSV)["count"])
    drawn_after = list(pd.read_csv(tmp_path / "figures" / GIG_CSV)["count"])
    assert count in drawn_before and count + 2 not in drawn_before
    assert count + 2 in drawn_after and count not in drawn_after

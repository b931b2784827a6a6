"""Every story publishes on corpora other than the bundled page, and verifies.

The corpora: the bundled report without its header (no date, no place), the test corpus written
for the tests (``tests/fixtures/corpus``: eleven reports,
nine genres, three encodings, a repost, a disagreement), one report with no figures, and the
test corpus with every sentence about water removed (a theme with nothing to say). Each is
published in the Chinese edition (the English one runs the same cells; the real stories'
both editions are published once per session by conftest) and checked by ``verify``:
every number in each page's ledger and prose traces to the tables.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from xining_data.base.paths import NOTEBOOKS_DIR, tables_dir
from xining_data.publish.site import PublishOptions, publish
from xining_data.read.report import read_report
from xining_data.verify import verify

from conftest import SEED_PATH

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
WATER = "水"  # every sentence or line that names water goes (titles have no 。)


def without_water(text: str) -> str:
    lines = ("".join(p for p in re.split(r"(?<=。)", line) if WATER not in p)
             for line in text.split("\n"))  # fmt: skip
    return "\n".join(lines)


def _copy(folder: Path, keep=lambda path: True, edit=lambda text: text) -> Path:
    folder.mkdir(parents=True)
    for path in sorted(CORPUS.glob("*.txt")):
        if keep(path):
            (folder / path.name).write_text(edit(read_report(path).text), encoding="utf-8")
    return folder


def _plain_seed(folder: Path) -> Path:
    """The bundled report as the evaluation reads it: no header, so no date and no place."""
    folder.mkdir(parents=True)
    (folder / SEED_PATH.name).write_text(read_report(SEED_PATH).text, encoding="utf-8")
    return folder


CORPORA = {
    "plain-seed": lambda root: _plain_seed(root / "plain-seed"),
    "test-corpus": lambda root: _copy(root / "test-corpus"),
    "no-figures": lambda root: _copy(root / "no-figures", keep=lambda p: p.name.startswith("09_")),
    "no-water": lambda root: _copy(root / "no-water", edit=without_water),
}


@pytest.mark.notebook
@pytest.mark.parametrize("name", sorted(CORPORA))
def test_every_story_publishes_and_verifies(name, tmp_path, monkeypatch):
    monkeypatch.delenv("XINING_DATA_TABLES", raising=False)
    reports = CORPORA[name](tmp_path)
    options = PublishOptions(reports=reports, build_dir=tmp_path / "build", languages=("zh",))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = publish(NOTEBOOKS_DIR, tmp_path / "site", tmp_path / "figures", options)
    pages = sorted(p.name for p in (tmp_path / "site").glob("*.zh.html"))
    assert pages == sorted(f"{n}.zh.html" for n in ("carbon", "community", "employment",
                                                     "overview", "water"))  # fmt: skip
    assert result.changed
    checked = verify(tables_dir(reports, tmp_path / "build"), tmp_path / "site")
    assert checked.failures == [], checked.failures[:5]
    if name == "no-water":
        water = (tmp_path / "site" / "water.zh.html").read_text("utf-8")
        assert "没有关于" in water, "a theme with no figures says so"

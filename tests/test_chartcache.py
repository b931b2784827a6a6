"""The chart cache (publish.chartcache): a chart whose inputs are unchanged is not drawn again,
its files reused byte for byte; a change of data, words, edition, style or drawing code draws
it; a missing or damaged entry is drawn again. The publish's own use of it (the kernels
pointed at ``<build>/chart-cache``, the tally printed) is in tests/test_publish.py."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from xining_data.base.paths import CHART_CACHE_ENV, chart_cache_dir  # noqa: E402
from xining_data.publish import chartcache, kit, style  # noqa: E402

CHART = {
    "theme": "community",
    "slug": "homes",
    "title": "县(区)级“石榴籽家园”多于市级",
    "source": "来源：测试报告",
    "credit": "制图：xining-data",
    "alt": "县(区)级“石榴籽家园”多于市级。",
    "units": "家",
}
SOURCES = [{"report": "r1", "start": 10, "end": 13}, {"report": "r1", "start": 20, "end": 24}]
HOMES = [67, 167]


class Saver:
    """Saves the homes chart into kits under one cache folder; says whether each was drawn."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache = root / "cache"
        self.runs = 0

    def save(
        self,
        homes: list[int] = HOMES,
        sources: list[dict] = SOURCES,
        color: str = "#b5543c",
        **spec: str,
    ) -> tuple[str, dict[str, bytes]]:
        """Draw and save the chart into a fresh kit; ('drawn' or 'reused', the kit's files)."""
        style.use_house_style()
        data = pd.DataFrame({"level": ["市级", "县(区)级"], "homes": homes})
        fig, ax = plt.subplots(figsize=(5, 3))
        ax.bar(data["level"], data["homes"], color=color)
        before = (chartcache.counts.drawn, chartcache.counts.reused)
        self.runs += 1
        out = self.root / f"kit{self.runs}"
        try:
            entry = kit.save_chart(fig, data, kit.ChartSpec(**{**CHART, **spec}), out, sources)
        finally:
            plt.close(fig)
        drawn = chartcache.counts.drawn - before[0]
        reused = chartcache.counts.reused - before[1]
        assert drawn + reused == 1
        files = {r["path"]: (out / r["path"]).read_bytes() for r in entry["files"]}
        return ("drawn" if drawn else "reused"), files


@pytest.fixture
def saver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Saver:
    made = Saver(tmp_path)
    monkeypatch.setenv(CHART_CACHE_ENV, str(made.cache))
    with mpl.rc_context():  # a test that changes the style leaves the next one alone
        yield made


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*/*.json"))


def test_nothing_changed_is_reused_byte_for_byte(saver):
    outcome, first = saver.save()
    assert outcome == "drawn" and len(entries(saver.cache)) == 1
    outcome, second = saver.save()
    assert outcome == "reused"
    assert second == first
    assert len(entries(saver.cache)) == 1
    assert not list(saver.cache.rglob("*.tmp")), "no temporary file is left behind"


def test_a_reused_chart_is_the_chart_drawn_without_a_cache(saver, monkeypatch):
    saver.save()
    _, reused = saver.save()
    monkeypatch.delenv(CHART_CACHE_ENV)
    outcome, drawn = saver.save()
    assert outcome == "drawn"
    assert drawn == reused


CHANGES: dict[str, Callable[[Saver], tuple[str, dict]]] = {
    "one value drawn": lambda s: s.save(homes=[67, 168]),
    "a source offset (the CSV only)": lambda s: s.save(sources=[SOURCES[0], {**SOURCES[1], "end": 25}]),
    "the title": lambda s: s.save(title="新标题"),
    "the alt text": lambda s: s.save(alt="另一段替代文字。"),
    "the unit": lambda s: s.save(units="个"),
    "the edition": lambda s: s.save(language="en"),
    "the colour (the code that draws)": lambda s: s.save(color="#336699"),
}  # fmt: skip


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_draws_the_chart_again(saver, change):
    _, before = saver.save()
    outcome, after = CHANGES[change](saver)
    assert outcome == "drawn"
    assert (after == before) == (change == "the alt text"), "alt text is the manifest's, not drawn"
    assert len(entries(saver.cache)) == 2, "the old entry stays beside the new one"


def test_each_edition_is_its_own_entry(saver):
    assert saver.save()[0] == "drawn"
    assert saver.save(language="en")[0] == "drawn"
    assert saver.save()[0] == "reused"
    assert saver.save(language="en")[0] == "reused"
    assert len(entries(saver.cache)) == 2


def test_a_change_of_style_draws_again(saver):
    saver.save()
    mpl.rcParams["text.antialiased"] = False  # how the PNG's text is drawn
    outcome, _ = saver.save()
    assert outcome == "drawn"


def test_a_change_of_the_code_that_writes_the_files_draws_again(saver, monkeypatch):
    saver.save()
    monkeypatch.setattr(chartcache, "_code_digest", lambda files: "another version")
    assert saver.save()[0] == "drawn"


def test_a_change_of_the_font_draws_again(saver, monkeypatch):
    saver.save()
    monkeypatch.setattr(chartcache, "_font_digest", lambda: "another font")
    assert saver.save()[0] == "drawn"


def damage_bytes(entry: Path) -> None:
    record = json.loads(entry.read_text("utf-8"))
    record["files"]["png"] = record["files"]["svg"]  # valid base64, wrong bytes
    entry.write_text(json.dumps(record), "utf-8")


DAMAGE: dict[str, Callable[[Path], object]] = {
    "missing": lambda p: p.unlink(),
    "empty": lambda p: p.write_bytes(b""),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[:100]),
    "not base64": lambda p: p.write_text(p.read_text("utf-8").replace('"png": "', '"png": "%'), "utf-8"),
    "bytes not their sha256": damage_bytes,
    "another version": lambda p: p.write_text(json.dumps({**json.loads(p.read_text("utf-8")), "version": 0})),
}  # fmt: skip


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_entry_is_drawn_again_and_rewritten(saver, damage):
    _, first = saver.save()
    [entry] = entries(saver.cache)
    DAMAGE[damage](entry)
    outcome, again = saver.save()
    assert outcome == "drawn"
    assert again == first
    assert saver.save()[0] == "reused"


def test_outside_a_publish_every_chart_is_drawn_and_nothing_kept(saver, monkeypatch):
    monkeypatch.delenv(CHART_CACHE_ENV)
    assert saver.save()[0] == "drawn"
    assert saver.save()[0] == "drawn"
    assert not saver.cache.exists()


def test_the_tally_counts_what_the_publish_drew_and_reused(saver):
    saver.cache.mkdir()
    (saver.cache / chartcache.TALLY_NAME).write_text("drawn\n", "utf-8")  # a previous publish
    chartcache.start_tally(saver.cache)
    saver.save()
    saver.save()
    saver.save(title="另一个")
    tally = chartcache.read_tally(saver.cache)
    assert tally == chartcache.Tally(drawn=2, reused=1)
    assert tally.line() == "charts: 2 drawn, 1 reused"


def test_prune_keeps_the_entries_used_last(saver):
    for n in range(4):
        saver.save(homes=[67, 200 + n])
    paths = entries(saver.cache)
    for age, path in enumerate(sorted(paths, key=lambda p: p.stat().st_mtime_ns)):
        times = (1_000_000 + age, 1_000_000 + age)
        os.utime(path, times)
    newest = sorted(paths, key=lambda p: p.stat().st_mtime_ns)[-2:]
    (newest[0].parent / f".{newest[0].name}.x.tmp").write_text("half", "utf-8")  # a killed write
    assert chartcache.prune(saver.cache, keep=2) == 2
    assert entries(saver.cache) == sorted(newest)
    assert not list(saver.cache.rglob("*.tmp"))


def test_the_cache_lives_in_the_build_folder(tmp_path):
    assert chart_cache_dir(tmp_path) == tmp_path / "chart-cache"

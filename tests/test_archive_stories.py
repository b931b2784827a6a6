"""Archive stories hold on any corpus: mixed reports, empty files, files of dates only.

Each example writes a small folder of reports mixed from sentences of the test corpus
(``tests/fixtures/corpus``, written for the tests) and the bundled report, builds its tables,
and tells every theme in both editions: lede, tables, silences, charts. Nothing may raise,
and every citation marker on the page points to a ledger entry.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import matplotlib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xining_data.read.report import read_report

from conftest import SEED_PATH

matplotlib.use("Agg")

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
THEMES = ("community", "employment", "water", "carbon", "overview")
MARKER = re.compile(r"\[\\\[(\d+)\\\]\]\(#ledger-\1\)")


def _sentences() -> list[str]:
    texts = [read_report(p).text for p in sorted(CORPUS.glob("*.txt"))]
    texts.append(read_report(SEED_PATH).text)
    pool = []
    for text in texts:
        pool += [s + "。" for s in re.split(r"[。\n]", text) if len(s.strip()) > 6]
    return pool


POOL = _sentences()
REPORT = st.one_of(
    st.lists(st.sampled_from(POOL), min_size=1, max_size=12).map("".join),
    st.just(""),  # an empty file: a bad file, listed in the errors table
    st.lists(st.sampled_from(["2021年。", "去年11月。", "2024年9月25日。", "今年以来。"]),
             min_size=1, max_size=4).map("".join),  # dates only
)  # fmt: skip


def tell(folder: Path, data: Path, kit: Path, monkeypatch) -> None:
    from xining_data import notebook as story

    monkeypatch.setenv("XINING_DATA_FIGURES", str(kit))
    corpus = story.load_corpus(folder, data)
    for theme in THEMES:
        for language in ("zh", "en"):
            s = story.NotebookStory.from_corpus(corpus, language, theme)
            arch = story.theme_archive(corpus.figures, theme, corpus.original)
            page = [
                story.lede(s, arch, corpus.reports),
                story.latest_table(s, arch, corpus.reports),
                story.disputes_table(s, arch, corpus.reports),
                story.silences(s, arch),
                story.figure_list(s, arch.figures, corpus.reports),
                story.places_by_division(
                    s, story.named_places(corpus.places, corpus.articles, arch.figures, theme)
                ),
            ]
            if language == "zh":  # drawing is slow and the same in both editions
                s.series_charts(arch)
                s.division_map(arch)
                page += [m.data for m in s.when(arch, corpus) if hasattr(m, "data")]
            cited = {int(n) for text in page for n in MARKER.findall(text)}
            assert cited <= set(range(1, len(s.ledger.entries) + 1))
            assert all(text.strip() for text in page[:1])


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(reports=st.lists(REPORT, min_size=1, max_size=4))
def test_any_mix_of_reports_tells_every_theme(reports, tmp_path_factory, monkeypatch):
    root = tmp_path_factory.mktemp("mix")
    folder = root / "reports"
    folder.mkdir()
    for n, text in enumerate(reports):
        (folder / f"r{n}.txt").write_text(text, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tell(folder, root / "data", root / "kit", monkeypatch)


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(None, id="test-corpus"),
        pytest.param(["09_commentary_no_figures_2021.txt"], id="no-figures"),
    ],
)
def test_the_test_corpus_and_a_report_without_figures(files, tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.txt")):
        if files is None or path.name in files:
            (folder / path.name).write_bytes(path.read_bytes())
    tell(folder, tmp_path / "data", tmp_path / "kit", monkeypatch)

"""The labelled test corpus (tests/fixtures/corpus): manifest and gold agree with the reports.

Eleven short reports about Xining, written for the tests, in several genres and
encodings, with gold figures, places and articles in the formats of
``tests/eval/README.md``. These tests check the fixture itself, not the library's
scores: other work is changing the extractor. ``score_corpus()`` scores the
library the way ``tests/eval/score_figures.py`` does; run this file as a script
to print the scores (of another corpus folder with the same layout when one is
given, such as the held-out corpus ``tests/fixtures/heldout``)::

    .venv/bin/python tests/test_corpus_fixture.py [DIR]
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from xining_data.extract.figures import figures_table, to_csv
from xining_data.geo.places import places_table
from xining_data.read.report import parse_header, read_report
from xining_data.read.segment import articles

TESTS_DIR = Path(__file__).parent
CORPUS_DIR = TESTS_DIR / "fixtures" / "corpus"
GOLD_DIR = CORPUS_DIR / "gold"


def _module(name: str, path: Path) -> ModuleType:
    """Import a helper script that is not in a package (the gold maker, the scorer)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_gold = _module("corpus_make_gold", CORPUS_DIR / "make_gold.py")
score_figures = _module("corpus_score_figures", TESTS_DIR / "eval" / "score_figures.py")

MANIFEST = list(make_gold.manifest().values())
FILES = [row["file"] for row in MANIFEST]
BODIES = make_gold.bodies()
FIGURES = make_gold.read_rows(GOLD_DIR / "figures.csv")
PLACES = make_gold.read_rows(GOLD_DIR / "places.csv")
ARTICLES = make_gold.read_rows(GOLD_DIR / "articles.csv")


def use_corpus(folder: Path) -> None:
    """Score another corpus folder with the same layout (the script's optional DIR)."""
    global CORPUS_DIR, GOLD_DIR, MANIFEST, FILES, BODIES, FIGURES, PLACES, ARTICLES  # noqa: PLW0603
    CORPUS_DIR, GOLD_DIR = folder, folder / "gold"
    MANIFEST = list(make_gold.manifest(folder).values())
    FILES = [row["file"] for row in MANIFEST]
    BODIES = make_gold.bodies(folder)
    FIGURES, PLACES, ARTICLES = (
        make_gold.read_rows(GOLD_DIR / f"{name}.csv") for name in ("figures", "places", "articles")
    )


SEED_FIGURE_COLUMNS = [
    "start", "end", "span", "kind", "value", "qualifier", "date", "role",
    "article", "subject", "measure", "note",
]  # fmt: skip
ROLES = {"required", "optional", "negative"}
QUALIFIERS = {"", "exact", "more_than", "nearly", "about", "at_most"}
NOT_MEASURED = {"date", "ordinal", "identifier", "time"}  # kinds whose figures need no measure
PLACE_LEVELS = {
    "country", "province", "city", "county", "district", "township", "village",
    "river", "region", "area", "facility",
}  # fmt: skip
_DAY = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_ISO = re.compile(rf"^{_DAY}(?:/{_DAY})?$")  # a date or an interval (2024-01/2024-10)
_SENTENCE_END = "。！？\n"

# What the corpus must hold (issue 12, "A test corpus written for the tests").
MIN_REPORTS = 10
BODY_LENGTH = (400, 1500)
YEARS = (2019, 2025)
ENCODINGS_AT_LEAST = {"utf-8": 1, "gb18030": 2, "utf-16": 1}
HEADERS = (2, 3)
GENRES = (
    "government work report", "statistics communique", "press conference news", "news brief",
    "weather warning", "district news page", "township and village story",
    "repost (truncated copy)", "commentary without figures",
)  # fmt: skip
# (file, measure key, period, place, value) of the pair that must disagree.
DISAGREEMENT = (
    ("03_press_conference_2024.txt", "城镇新增就业", "2023", "630100", 33500.0),
    ("04_news_brief_2024.txt", "城镇新增就业", "2023", "630100", 32800.0),
)
REPOST = ("08_repost_press_conference_2024.txt", "03_press_conference_2024.txt")
NO_FIGURES = "09_commentary_no_figures_2021.txt"
SERIES = ("城镇新增就业", "630100", 3)  # one indicator for one place over at least 3 years


def _manifest_row(file: str) -> dict[str, str]:
    return next(row for row in MANIFEST if row["file"] == file)


def _has_header(file: str) -> bool:
    row = _manifest_row(file)
    return bool(parse_header(make_gold.decoded(CORPUS_DIR / file, row["encoding"]))[0])


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around a span: from after the last sentence end before it to the next one."""
    left = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    rights = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i >= 0]
    return text[left : min(rights, default=len(text))]


def _keys(row: dict[str, str]) -> list[str]:
    return [k for k in row["measure"].split(";") if k]


# ------------------------------------------------------------------ manifest and files


def test_manifest_lists_every_report_file():
    on_disk = sorted(p.name for p in CORPUS_DIR.glob("*.txt"))
    assert sorted(FILES) == on_disk
    assert len(FILES) >= MIN_REPORTS
    assert list(MANIFEST[0]) == [
        "file",
        "genre",
        "encoding",
        "published",
        "outlet",
        "title",
        "note",
    ]


def test_manifest_covers_genres_years_encodings_and_headers():
    assert set(GENRES) <= {row["genre"] for row in MANIFEST}
    years = {int(row["published"][:4]) for row in MANIFEST}
    assert min(years) == YEARS[0] and max(years) == YEARS[1]
    encodings = [row["encoding"] for row in MANIFEST]
    for encoding, least in ENCODINGS_AT_LEAST.items():
        assert encodings.count(encoding) >= least, encoding
    assert HEADERS[0] <= sum(map(_has_header, FILES)) <= HEADERS[1]


@pytest.mark.parametrize("file", FILES)
def test_report_decodes_with_its_stated_encoding(file):
    row = _manifest_row(file)
    data = (CORPUS_DIR / file).read_bytes()
    data.decode(row["encoding"])  # strict: raises on a wrong encoding
    if row["encoding"] != "utf-8":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    report = read_report(CORPUS_DIR / file)
    assert report.encoding == row["encoding"]
    assert report.text == BODIES[file], "the library indexes the same body as the gold"
    assert BODY_LENGTH[0] <= len(BODIES[file]) <= BODY_LENGTH[1]
    assert _ISO.match(row["published"])
    if report.meta.published:
        assert report.meta.published == row["published"]


# ------------------------------------------------------------------ gold offsets and values


@pytest.mark.parametrize("table", make_gold.OFFSET_TABLES)
def test_every_gold_span_is_the_text_at_its_offsets(table):
    rows = make_gold.read_rows(GOLD_DIR / table)
    assert all(row["start"] for row in rows), "run make_gold.py to fill the offsets"
    assert make_gold.place_rows(rows, BODIES) == []


def test_figure_gold_has_the_seed_columns_and_valid_values():
    assert list(FIGURES[0])[: len(SEED_FIGURE_COLUMNS) + 1] == ["report", *SEED_FIGURE_COLUMNS]
    for row in FIGURES:
        where = f"{row['report']} {row['span']}"
        assert row["role"] in ROLES and row["qualifier"] in QUALIFIERS, where
        if row["role"] == "negative":
            assert not (row["kind"] or row["value"] or row["date"]), where
        elif row["kind"] == "date":
            assert _ISO.match(row["date"]) and not row["value"], where
        elif row["kind"] != "identifier":
            float(row["value"])
            assert row["qualifier"], where
        if row["value_min"] or row["value_max"]:
            assert float(row["value"]) == float(row["value_min"]) < float(row["value_max"]), where
        if row["period"]:
            assert _ISO.match(row["period"]), where


def test_measure_keys_stand_in_the_figures_sentence():
    for row in FIGURES:
        needs = row["role"] == "required" and row["kind"] not in NOT_MEASURED
        assert bool(_keys(row)) is needs, f"{row['report']} {row['span']}: measure"
        sentence = _sentence(BODIES[row["report"]], int(row["start"]), int(row["end"]))
        for key in _keys(row):
            assert key in sentence, f"{row['report']} {row['span']}: {key!r} not in {sentence!r}"


def test_place_gold_levels_and_codes():
    for row in PLACES:
        assert row["level"] in PLACE_LEVELS and row["role"] in {"mention", "name"}, row
        assert all(code.isdigit() for code in row["adcodes"].split(";") if code), row
    assert {row["report"] for row in PLACES} == set(FILES)


def test_article_gold_titles_are_lines_of_their_report():
    assert {row["report"] for row in ARTICLES} == set(FILES)
    for row in ARTICLES:
        assert row["title"] in BODIES[row["report"]].splitlines(), row["title"]
        assert int(row["paragraphs"]) >= 1


# ------------------------------------------------------------------ what the corpus says


def _facts() -> list[tuple[str, str, str, str, str, float]]:
    """(file, key, period, place, kind, value) of every required figure with a period."""
    return [
        (row["report"], key, row["period"], row["place"], row["kind"], float(row["value"]))
        for row in FIGURES
        if row["role"] == "required" and row["period"] and row["value"]
        for key in _keys(row)
    ]


def disagreements() -> set[tuple[tuple[str, str, str, str, float], ...]]:
    """Pairs of reports giving one measure, period, place and kind different values."""
    facts = _facts()
    return {
        ((a[0], *a[1:4], a[5]), (b[0], *b[1:4], b[5]))
        for a in facts
        for b in facts
        if a[0] < b[0] and a[1:5] == b[1:5] and a[5] != b[5]
    }


def test_the_disagreement_pair_exists():
    assert DISAGREEMENT in disagreements()


def test_a_repost_repeats_its_source():
    copy, source = REPOST
    facts = {f[1:] for f in _facts() if f[0] == copy}
    assert facts and facts <= {f[1:] for f in _facts() if f[0] == source}
    assert BODIES[copy].splitlines()[0] == BODIES[source].splitlines()[0]


def test_one_indicator_is_given_for_several_years():
    key, place, years = SERIES
    periods = {f[2][:4] for f in _facts() if f[1] == key and f[3] == place}
    assert len(periods) >= years, periods


def test_the_report_without_figures_has_only_negatives():
    roles = {row["role"] for row in FIGURES if row["report"] == NO_FIGURES}
    assert roles == {"negative"}


# ------------------------------------------------------------------ scoring the library


@dataclass(frozen=True)
class FigureScore:
    """One report's figures scored by tests/eval/score_figures.py."""

    required: int
    found: int
    false_positives: int
    measure: float | None  # None when the scorer printed no measure line
    measures_right: int = 0
    measures_labelled: int = 0
    details: tuple[str, ...] = ()  # the scorer's MISSED / FALSE+ / QUALIF / MEASURE lines

    @property
    def recall(self) -> float:
        return self.found / self.required if self.required else 1.0

    @property
    def precision(self) -> float:
        scored = self.found + self.false_positives
        return self.found / scored if scored else 1.0


@dataclass(frozen=True)
class PlaceScore:
    """One report's place mentions under the places contract of tests/eval/README.md."""

    mentions: int
    found: int
    predicted: int
    false_positives: int


def _published(file: str) -> str | None:
    """The manifest's date for a report without a header (what a user passes as --published)."""
    return None if _has_header(file) else _manifest_row(file)["published"]


def score_figures_of(file: str, workdir: Path) -> FigureScore:
    """Run the library's figures on one report and score them with the eval scorer."""
    gold = workdir / f"{file}.gold.csv"
    with gold.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, SEED_FIGURE_COLUMNS, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(row for row in FIGURES if row["report"] == file)
    predictions = workdir / f"{file}.figures.csv"
    predictions.write_text(
        to_csv(figures_table(CORPUS_DIR / file, _published(file))), encoding="utf-8"
    )
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        score_figures.main([str(gold), str(predictions)])
    printed = out.getvalue()
    counted = r"(required|found|false_positives|measures_right|measures_labelled) (\d+)"
    count = {k: int(v) for k, v in re.findall(counted, printed)}
    measure = re.search(r"^measure ([\d.]+)", printed, re.M)
    details = re.findall(r"^(?:MISSED|FALSE\+|QUALIF|MEASURE) .*$", printed, re.M)
    return FigureScore(
        count["required"], count["found"], count["false_positives"],
        float(measure.group(1)) if measure else None,
        count["measures_right"], count["measures_labelled"], tuple(details),
    )  # fmt: skip


def score_places_of(file: str) -> PlaceScore:
    """A gold mention is found by an overlapping row with an acceptable code (or a
    codeless region, river or country for a codeless mention); a predicted row that
    overlaps no mention, or a place inside a name, counts against precision."""
    table = places_table(read_report(CORPUS_DIR / file, _published(file)))
    predicted = list(table[["start", "end", "adcode", "level"]].itertuples(index=False))
    gold = [row for row in PLACES if row["report"] == file]
    mentions = [row for row in gold if row["role"] == "mention"]

    def overlaps(row, p) -> bool:
        return p.start < int(row["end"]) and int(row["start"]) < p.end

    def acceptable(row, p) -> bool:
        codes = {c for c in row["adcodes"].split(";") if c}
        return (
            p.adcode in codes
            if codes
            else (p.adcode == "" or p.level in {"region", "river", "country"})
        )

    found = sum(any(overlaps(r, p) and acceptable(r, p) for p in predicted) for r in mentions)
    wrong = sum(not any(overlaps(r, p) for r in mentions) for p in predicted)
    return PlaceScore(len(mentions), found, len(predicted), wrong)


def score_corpus(workdir: Path) -> dict[str, tuple[FigureScore, PlaceScore]]:
    """file -> (figure score, place score) for every report of the corpus."""
    return {file: (score_figures_of(file, workdir), score_places_of(file)) for file in FILES}


def score_lines(
    scores: dict[str, tuple[FigureScore, PlaceScore]], verbose: bool = False
) -> list[str]:
    """A printable table: per report and overall; verbose adds the scorer's misses under each report."""
    lines = [f"{'report':40} recall precision measure  places found/mentions  place false+"]
    for file, (fig, pla) in scores.items():
        measure = "-" if fig.measure is None else f"{fig.measure:.3f}"
        lines.append(
            f"{file:40} {fig.recall:6.3f} {fig.precision:9.3f} {measure:>7}  "
            f"{pla.found:>5}/{pla.mentions:<8}  {pla.false_positives:>5} of {pla.predicted}"
        )
        if verbose:
            lines.extend(f"    {line}" for line in fig.details)
    figs = [fig for fig, _ in scores.values()]
    total = FigureScore(
        *(sum(getattr(f, k) for f in figs) for k in ("required", "found", "false_positives")), None
    )
    found = sum(p.found for _, p in scores.values())
    mentions = sum(p.mentions for _, p in scores.values())
    false_pos = sum(p.false_positives for _, p in scores.values())
    predicted = sum(p.predicted for _, p in scores.values())
    labelled = sum(f.measures_labelled for f in figs)
    measure = sum(f.measures_right for f in figs) / labelled if labelled else 1.0
    lines.append(
        f"{'overall':40} {total.recall:6.3f} {total.precision:9.3f} {measure:7.3f}  "
        f"{found:>5}/{mentions:<8}  {false_pos:>5} of {predicted}"
    )
    return lines


def test_the_scoring_helper_scores_every_report(tmp_path):
    """The helper runs end to end; the scores themselves are not asserted yet."""
    scores = score_corpus(tmp_path)
    assert set(scores) == set(FILES)
    for fig, pla in scores.values():
        assert 0 <= fig.recall <= 1 and 0 <= fig.precision <= 1
        assert 0 <= pla.found <= pla.mentions
    print("\n".join(score_lines(scores)))


def score_articles() -> list[str]:
    """Gold articles the library's segmenter gets right, field by field (printed, not asserted)."""
    lines = []
    for file in FILES:
        got = articles(read_report(CORPUS_DIR / file, _published(file)))
        gold = [row for row in ARTICLES if row["report"] == file]
        fields = ("title", "reporter", "theme", "paragraphs")
        right = {
            f: sum(
                1 for g in gold for a in got
                if a.order == int(g["order"]) and str(len(a.paragraphs) if f == "paragraphs" else getattr(a, f)) == g[f]
            )
            for f in fields
        }  # fmt: skip
        lines.append(
            f"{file:40} articles {len(got)}/{len(gold)}  "
            + "  ".join(f"{f} {right[f]}" for f in fields)
        )
    return lines


if __name__ == "__main__":
    import tempfile

    if len(sys.argv) > 1:
        use_corpus(Path(sys.argv[1]).resolve())
    with tempfile.TemporaryDirectory() as folder:
        verbose = "-v" in sys.argv[1:]  # -v: every missed figure, false positive and wrong measure
        print("\n".join(score_lines(score_corpus(Path(folder)), verbose)))
    print("\n".join(score_articles()))
    sys.exit(0)

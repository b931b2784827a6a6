"""The corpus build: tables as Parquet, manifest, errors table, cache, atomic swap, Dask."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xining_data.base.files import sha256_bytes
from xining_data.cli import main
from xining_data.corpus import build as build_module
from xining_data.corpus.build import (
    BATCH_MAX,
    ERRORS,
    MANIFEST,
    TABLES,
    BatchResult,
    BuildError,
    BuildOptions,
    Item,
    batches,
    build,
    cache_dir_for,
    library_hash,
    main_build,
    report_tables,
)
from xining_data.read.report import parse_header, read_report

from conftest import SEED_PATH


def _changed_numbers(text: str) -> str:
    """The seed with every Arabic number one larger (a report of the same shape, new figures)."""
    header, body = text.split("\n---\n", 1)
    return header + "\n---\n" + re.sub(r"\d+", lambda m: str(int(m.group()) + 1), body)


def _seed() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


# Reports the build must read: name -> bytes.
GOOD = {
    "seed": lambda: SEED_PATH.read_bytes(),
    "numbers": lambda: _changed_numbers(_seed()).encode("utf-8"),
    "gb18030": lambda: _seed().encode("gb18030"),
    "utf16": lambda: _seed().encode("utf-16"),
    "no_header": lambda: parse_header(_seed())[1].encode("utf-8"),
    "twin": lambda: SEED_PATH.read_bytes(),  # same bytes as the seed, another file
}
# Files that must land in the errors table: name, bytes, words of the reason.
BAD = [
    pytest.param("binary", bytes(range(256)) * 4, "binary", id="binary"),
    pytest.param("empty", b"", "empty", id="empty"),
    pytest.param("blank", b" \n\t\n", "empty", id="whitespace"),
    pytest.param("undecodable", b"\x81\x30\xff\x80" * 8, "undecodable", id="undecodable"),
    pytest.param("bad_date", b"---\npublished: 2025-13-99x\n---\nbody.", "header date", id="date"),
]
SAME_TEXT_AS_SEED = ["gb18030", "utf16", "twin"]
SYNC = BuildOptions(scheduler="sync", progress=False)  # in this process, no progress bar


def make_corpus(folder: Path, bad: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in GOOD.items():
        (folder / f"{name}.txt").write_bytes(data())
    if bad:
        for case in BAD:
            name, data, _ = case.values
            (folder / f"{name}.txt").write_bytes(data)
    (folder / "notes.md").write_text("not a report: ignored")
    return folder


def read_tables(out: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(out / f"{name}.parquet") for name in (*TABLES, "errors")}


def sorted_table(df: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("report", "order", "start", "end", "kind", "text") if c in df.columns]
    return df.sort_values(keys, kind="stable").reset_index(drop=True) if keys else df


def roundtrip(df: pd.DataFrame) -> pd.DataFrame:
    """A frame as Parquet gives it back (the dtypes the build's tables have)."""
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return pd.read_parquet(buf)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("corpus") / "reports")


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory):
    """One single-process build of the corpus, shared by the read-only tests."""
    out = tmp_path_factory.mktemp("build") / "data"
    result = build(corpus, out, SYNC)
    return result, out


# --- what is written -----------------------------------------------------------------------


def test_build_writes_the_tables_and_manifest(built):
    result, out = built
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*(f"{t}.parquet" for t in TABLES), ERRORS, MANIFEST]
    )
    assert result.reports == len(GOOD) + len(BAD)
    assert result.failed == len(BAD)
    assert result.processed == len(GOOD) + len(BAD) - 1  # the twin shares the seed's bytes


def test_tables_equal_the_per_report_tables(built, corpus):
    _, out = built
    tables = read_tables(out)
    for name in GOOD:
        expected = report_tables(read_report(corpus / f"{name}.txt"))
        for table in TABLES:
            assert not expected[table].empty, f"every good report of the fixture has {table}"
            got = tables[table]
            got = got[got["report"] == name].reset_index(drop=True)
            got = got.drop(columns=["copy_of"], errors="ignore")  # found across the corpus
            pd.testing.assert_frame_equal(got, roundtrip(expected[table]), check_dtype=False)


def test_reports_table_marks_copies_and_keeps_each_text(built, corpus):
    tables = read_tables(built[1])
    reports = tables["reports"].set_index("report")
    # every good report is the seed's text (re-encoded, without header, numbers redrawn): one
    # source, whose original is one of them
    assert set(reports.loc[list(GOOD), "copy_of"]) == {reports.loc["seed", "copy_of"]}
    assert reports.loc["seed", "copy_of"] in GOOD
    texts = tables["texts"].set_index("report")
    for name in GOOD:
        text = read_report(corpus / f"{name}.txt").text
        assert texts.loc[name, "text"] == text
        assert reports.loc[name, "text_sha256"] == texts.loc[name, "text_sha256"]


@pytest.mark.parametrize("name", SAME_TEXT_AS_SEED)
def test_same_text_in_another_encoding_or_file_gives_the_same_rows(built, name):
    tables = read_tables(built[1])
    for table in TABLES:
        df = tables[table]
        seed = df[df["report"] == "seed"].drop(columns="report").reset_index(drop=True)
        other = df[df["report"] == name].drop(columns="report").reset_index(drop=True)
        assert not seed.empty, f"the seed has {table}: the comparison must compare rows"
        pd.testing.assert_frame_equal(other, seed)


def test_manifest_records_inputs_library_and_row_counts(built, corpus):
    _, out = built
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["library"]["version"] == build_module.__version__
    assert manifest["library"]["hash"] == library_hash()
    inputs = {Path(i["path"]).name: i for i in manifest["inputs"]}
    assert set(inputs) == {p.name for p in corpus.glob("*.txt")}
    for name, entry in inputs.items():
        data = (corpus / name).read_bytes()
        assert (entry["size"], entry["sha256"]) == (len(data), sha256_bytes(data))
    tables = read_tables(out)
    for table in TABLES:
        assert manifest["tables"][table]["rows"] == len(tables[table])
        per_report = sum(i["rows"][table] for i in inputs.values() if i["status"] == "ok")
        assert per_report == len(tables[table])
        assert manifest["tables"][table]["sha256"] == sha256_bytes(
            (out / f"{table}.parquet").read_bytes()
        )
    assert manifest["reports"] == {"total": len(inputs), "ok": len(GOOD), "failed": len(BAD)}


def test_rows_follow_corpus_order(built):
    articles = read_tables(built[1])["articles"]
    reports = list(dict.fromkeys(articles["report"]))
    assert reports == sorted(reports)
    for _, group in articles.groupby("report"):
        assert list(group["order"]) == sorted(group["order"])


@pytest.mark.parametrize(("name", "data", "reason"), BAD)
def test_bad_file_is_an_error_row_and_the_rest_is_built(built, corpus, name, data, reason):
    result, out = built
    errors = read_tables(out)["errors"]
    row = errors[errors["path"] == str(corpus / f"{name}.txt")]
    assert len(row) == 1
    assert reason in row["reason"].iloc[0]
    assert set(read_tables(out)["articles"]["report"]) == set(GOOD)


def test_a_bug_on_one_report_is_an_error_row(tmp_path, monkeypatch):
    corpus = make_corpus(tmp_path / "reports", bad=False)
    real = build_module.report_records

    def flaky(report, functions=None, corrections=()):
        if report.id == "numbers":
            raise IndexError("boom")
        return real(report, functions, corrections)

    monkeypatch.setattr(build_module, "report_records", flaky)
    result = build(corpus, tmp_path / "out", SYNC)
    errors = pd.read_parquet(tmp_path / "out" / ERRORS)
    assert result.failed == 1
    assert errors.to_dict("records") == [
        {
            "path": str(corpus / "numbers.txt"),
            "reason": "internal error: boom",
            "error": "IndexError",
        }
    ]


def test_a_row_breaking_the_schema_is_an_error_row_naming_its_report(tmp_path, monkeypatch):
    """The batch's figures are checked once; a bad row fails its report loudly, the others
    are built."""
    from xining_data.extract import figures as figures_module

    corpus = make_corpus(tmp_path / "reports", bad=False)
    real = figures_module.figure_rows

    def broken(report):
        rows = real(report)
        if report.id == "numbers":
            rows[0]["kind"] = "Not A Kind"
        return rows

    monkeypatch.setattr(figures_module, "figure_rows", broken)
    result = build(corpus, tmp_path / "out", SYNC)
    errors = pd.read_parquet(tmp_path / "out" / ERRORS)
    assert result.failed == 1
    assert errors["path"].tolist() == [str(corpus / "numbers.txt")]
    assert errors["reason"][0].startswith("internal error: figures break the schema: ")
    assert "kind" in errors["reason"][0] and "Not A Kind" in errors["reason"][0]
    tables = read_tables(tmp_path / "out")
    assert "numbers" not in set(tables["figures"]["report"])
    assert set(tables["reports"]["report"]) == set(GOOD) - {"numbers"}


def test_a_library_that_does_not_import_stops_the_build(tmp_path, corpus, monkeypatch):
    def broken():
        raise SyntaxError("invalid syntax (figures.py, line 1)")

    monkeypatch.setattr(build_module.TableFunctions, "load", staticmethod(broken))
    with pytest.raises(SyntaxError):
        build(corpus, tmp_path / "data", SYNC)
    assert not (tmp_path / "data").exists()


# --- the command line ----------------------------------------------------------------------


def test_main_build_exits_1_with_one_line_summary(corpus, tmp_path, capsys):
    out = tmp_path / "data"
    assert main_build([str(corpus), "--out", str(out), "--scheduler", "sync"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"built {len(GOOD) + len(BAD)} reports, {len(BAD)} failed: see {out / ERRORS}"]


def test_main_build_exits_0_on_a_clean_corpus(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "reports", bad=False)
    assert main(["build", str(corpus), "--out", str(tmp_path / "data")]) == 0
    assert capsys.readouterr().out.startswith(f"built {len(GOOD)} reports")


def test_the_commands_build_and_verify_from_a_shell(tmp_path):
    corpus = make_corpus(tmp_path / "reports")
    out, site = tmp_path / "data", tmp_path / "site"
    run = [sys.executable, "-m", "xining_data"]
    built = subprocess.run([*run, "build", "--out", str(out), str(corpus)],
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert built.returncode == 1
    assert built.stderr.strip() == (
        f"built {len(GOOD) + len(BAD)} reports, {len(BAD)} failed: see {out / ERRORS}"
    )
    checked = subprocess.run([*run, "verify", "--data", str(out), "--site", str(site)],
                             capture_output=True, text=True, check=False)  # fmt: skip
    assert checked.returncode == 0, checked.stdout
    assert "no published site: skipped" in checked.stdout


@pytest.mark.parametrize(
    ("setup", "problem"),
    [
        pytest.param(lambda d: d / "missing", "no such folder", id="missing-folder"),
        pytest.param(lambda d: d.mkdir() or d, "no report files", id="empty-folder"),
    ],
)
def test_bad_corpus_folder_exits_2(tmp_path, capsys, setup, problem):
    folder = setup(tmp_path / "reports")
    assert main(["build", str(folder), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert problem in err and len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_refuses_to_replace_a_folder_that_is_not_a_build(tmp_path, corpus):
    out = tmp_path / "documents"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(build_module.ReportError, match="not a build output"):
        build(corpus, out, SYNC)
    assert (out / "keep.txt").read_text() == "mine"


# --- incremental ---------------------------------------------------------------------------


def test_second_build_with_nothing_changed_does_no_work(tmp_path, corpus):
    out = tmp_path / "data"
    build(corpus, out, SYNC)
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = build(corpus, out, SYNC)
    assert again.up_to_date and again.processed == 0
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before


def test_only_a_changed_report_is_processed_again(tmp_path):
    corpus = make_corpus(tmp_path / "reports")
    out = tmp_path / "data"
    build(corpus, out, SYNC)
    changed = corpus / "numbers.txt"
    changed.write_text(_changed_numbers(changed.read_text(encoding="utf-8")), encoding="utf-8")
    (corpus / "seed.txt").unlink()
    result = build(corpus, out, SYNC)
    assert result.processed == 1 + len(BAD)  # bad files are read again; good ones are cached
    fresh = tmp_path / "fresh"
    build(corpus, fresh, SYNC)
    for name, df in read_tables(out).items():
        pd.testing.assert_frame_equal(df, read_tables(fresh)[name])
    assert "seed" not in set(read_tables(out)["articles"]["report"])
    segment_files = sorted(
        p.name.split(".", 1)[1] for p in (tmp_path / "data-cache").rglob("*.parquet")
    )
    assert segment_files == sorted(f"{t}.parquet" for t in (*TABLES, "index"))  # compacted


def test_a_library_change_invalidates_the_cache(tmp_path, corpus, monkeypatch):
    out = tmp_path / "data"
    first = build(corpus, out, SYNC)
    monkeypatch.setattr(build_module, "library_hash", lambda: "f" * 64)
    second = build(corpus, out, SYNC)
    assert not second.up_to_date and second.processed == first.processed
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["library"]["hash"] == "f" * 64
    assert [p.name for p in (tmp_path / "data-cache").iterdir()] == ["f" * 16]


def test_force_rebuilds_everything(tmp_path, corpus):
    out = tmp_path / "data"
    first = build(corpus, out, SYNC)
    again = build(corpus, out, replace(SYNC, force=True))
    assert again.processed == first.processed and not again.up_to_date


def test_a_worker_with_another_library_stops_the_build(tmp_path, corpus, monkeypatch):
    other = BatchResult("0" * 64, {t: build_module.pa.table({}) for t in TABLES}, {}, {})
    monkeypatch.setattr(build_module, "process_batch", lambda items, cache_dir=None: other)
    with pytest.raises(BuildError, match="another version of xining_data"):
        build(corpus, tmp_path / "data", SYNC)
    assert not (tmp_path / "data").exists()


# --- atomic --------------------------------------------------------------------------------


def test_an_interrupted_write_leaves_the_previous_tables(tmp_path):
    corpus = make_corpus(tmp_path / "reports", bad=False)
    out = tmp_path / "data"
    build(corpus, out, SYNC)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (corpus / "numbers.txt").write_text(_changed_numbers(_seed()) + "新增一段。\n", "utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build_module, "_manifest", interrupted)
        with pytest.raises(KeyboardInterrupt):
            build(corpus, out, SYNC)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir() if ".tmp-" in p.name) == []
    # the report processed before the interruption is cached: the rerun does not redo it
    assert build(corpus, out, SYNC).processed == 0


def test_an_interrupted_swap_is_completed_by_the_next_build(tmp_path, corpus):
    out = tmp_path / "data"
    build(corpus, out, SYNC)
    shutil.move(out, tmp_path / ".data.old")  # killed between the two renames
    result = build(corpus, out, SYNC)
    assert result.up_to_date
    assert not (tmp_path / ".data.old").exists()


def test_leftovers_of_a_killed_build_are_removed_by_the_next(tmp_path, corpus):
    """A build killed while writing its tables or a cache segment leaves a temporary folder and
    half-written files: the next build (even one with nothing to do) removes them."""
    out = tmp_path / "data"
    build(corpus, out, SYNC)
    (tmp_path / ".data.tmp-k1ll3d").mkdir()
    (tmp_path / ".data.tmp-k1ll3d" / "figures.parquet").write_bytes(b"PAR1half")
    shutil.copytree(out, tmp_path / ".data.old")  # killed while removing the old tables
    [segments] = [p for p in cache_dir_for(out).iterdir() if p.is_dir()]
    (segments / ".abc.figures.parquet.k1ll3d.tmp").write_bytes(b"PAR1half")
    assert build(corpus, out, SYNC).up_to_date
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".data.")) == [
        ".data.lock"
    ]
    assert not list(segments.glob(".*.tmp"))


def _descendants(pid: int) -> list:
    psutil = pytest.importorskip("psutil")
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _alive(processes: list) -> list:
    """The processes still running (a zombie waiting to be reaped is not running)."""
    import psutil

    alive = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
        except psutil.NoSuchProcess:
            pass
    return alive


def test_workers_die_with_a_build_killed_by_sigkill(tmp_path):
    """kill -9 of a build on the process scheduler: its worker processes exit within seconds
    instead of running on (each holds the library and its tables)."""
    import signal
    import subprocess
    import sys
    import time

    corpus = tmp_path / "reports"
    corpus.mkdir()
    for n in range(200):  # enough that the workers are still busy when the build is killed
        (corpus / f"r{n:03d}.txt").write_text(f"{_seed()}\n补记第{n}条。\n", "utf-8")
    command = [sys.executable, "-m", "xining_data", "build", str(corpus)]
    command += ["--out", str(tmp_path / "data"), "--scheduler", "processes", "--workers", "2"]
    build_process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    workers: list = []
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 or not (tmp_path / "data-cache").exists():  # a batch finished
            assert build_process.poll() is None, "the build ended before it could be killed"
            assert time.monotonic() < deadline, "the build started no workers"
            time.sleep(0.2)
            workers = _descendants(build_process.pid)
        build_process.send_signal(signal.SIGKILL)
        build_process.wait()
        deadline = time.monotonic() + 5
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _alive(workers) == []
    finally:
        build_process.kill()
        for process in _alive(workers):
            process.kill()


# --- Dask ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as c:
        yield c


@pytest.mark.parametrize("where", ["cluster", "processes", "threads"])
def test_dask_build_equals_the_single_process_build(built, corpus, tmp_path, request, where):
    scheduler = (
        request.getfixturevalue("cluster").scheduler_address if where == "cluster" else where
    )
    out = tmp_path / "data"
    result = build(corpus, out, BuildOptions(scheduler=scheduler, workers=2, progress=False))
    assert result.processed == built[0].processed
    single, parallel = read_tables(built[1]), read_tables(out)
    for name in single:
        pd.testing.assert_frame_equal(sorted_table(parallel[name]), sorted_table(single[name]))
        pd.testing.assert_frame_equal(parallel[name], single[name])  # even the order


def test_unreachable_cluster_is_a_one_line_error(tmp_path, corpus, capsys, monkeypatch):
    monkeypatch.setattr(build_module, "CONNECT_TIMEOUT", "1s")
    args = [str(corpus), "--out", str(tmp_path / "d"), "--scheduler", "tcp://127.0.0.1:9"]
    assert main_build(args) == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err


@given(n=st.integers(0, 1000), workers=st.integers(1, 16))
def test_batches_keep_every_item_in_order(n, workers):
    items = [Item(str(i), str(i), b"") for i in range(n)]
    parts = batches(items, workers)
    assert [x for part in parts for x in part] == items
    assert all(1 <= len(part) <= BATCH_MAX for part in parts)
    assert len(parts) >= min(n, workers)


def test_parquet_tables_have_no_cache_columns(built):
    for name in TABLES:
        schema = pq.read_schema(built[1] / f"{name}.parquet")
        assert not [c for c in schema.names if c.startswith("_")]


def test_parquet_figures_carry_what_each_figure_means(built):
    """The figures table ends with the reading columns, in the CLI's order (issue 10), then
    the corrections' (issue 12)."""
    from xining_data.corpus.corrections import CORRECTION_COLUMNS
    from xining_data.extract.figures import COLUMNS
    from xining_data.extract.readings import READING_COLUMNS

    names = pq.read_schema(built[1] / "figures.parquet").names
    assert names[: len(COLUMNS)] == COLUMNS
    assert COLUMNS[-len(READING_COLUMNS) :] == READING_COLUMNS
    assert names[len(COLUMNS) :] == CORRECTION_COLUMNS
    figures = pd.read_parquet(built[1] / "figures.parquet")
    quantities = figures[~figures["kind"].isin(["date", "ordinal", "identifier"])]
    assert (quantities["measure"] != "").mean() > 0.8
    assert (figures["ref_source"] != "").all()


def test_a_report_without_figures_builds(tmp_path):
    """A report that gives no number is a report, not an error (its empty figures table still
    has the schema's types)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    source = Path(__file__).parent / "fixtures" / "corpus" / "09_commentary_no_figures_2021.txt"
    (folder / source.name).write_bytes(source.read_bytes())
    result = build(folder, tmp_path / "data", SYNC)
    assert (result.reports, result.failed) == (1, 0)
    tables = read_tables(tmp_path / "data")
    assert tables["figures"].empty and len(tables["reports"]) == 1

"""Building a corpus: every report of a folder -> articles, figures and places tables as Parquet.

A data desk feeds years of reports through the same pipeline, so the build is
- incremental: each report's tables are cached under its content hash, in a
  cache keyed by the hash of the library's own source, so an unchanged report
  is never processed twice and a library change invalidates everything;
- resilient: a file that cannot be read (or that trips a bug) becomes a row of
  the errors table and every other report is still built;
- atomic: the tables are written to a temporary folder beside the output and
  swapped in, so an interrupted build leaves the previous tables intact; the
  next build puts back tables left aside between the two renames and removes
  temporary folders and half-written cache files;
- parallel with one code path: the same ``process_batch`` runs in process
  (``sync``), on a local Dask process pool (``processes``, ``threads``) or on an
  existing Dask distributed cluster (``tcp://host:port``). Workers receive the
  report *bytes*, not paths, so a cluster needs no shared file system.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from xining_data import __version__
from xining_data.base.errors import ReportError
from xining_data.base.files import (
    LockHeld,
    atomic_path,
    file_chunks,
    file_lock,
    folder_swapped_in,
    recover_folder,
    remove_stale_files,
    sha256_bytes,
    sha256_file,
    sha256_parts,
)
from xining_data.base.frames import joined_columns
from xining_data.base.orphans import die_with_parent
from xining_data.base.paths import BUILD_DIR, PACKAGE_DIR, RAW_DIR, reports_dir
from xining_data.corpus.copies import copy_groups, originals, samples
from xining_data.corpus.corrections import (
    CORRECTION_COLUMNS,
    CORRECTION_KINDS,
    Corrections,
    corrected_rows,
    corrections_key,
    read_corrections,
)
from xining_data.corpus.limits import (
    DEFAULT_MEMORY,
    DEFAULT_SECONDS,
    LimitExceeded,
    ReportLimits,
    limited,
)
from xining_data.corpus.reports import (
    REPORT_COLUMNS,
    TEXT_COLUMNS,
    report_row,
    text_row,
    with_copy_of,
)
from xining_data.corpus.tables import ARTICLE_COLUMNS, article_rows
from xining_data.geo.places import PLACE_COLUMNS
from xining_data.read.report import (
    REPORT_SUFFIXES,
    Report,
    parse_report,
    report_id,
    report_paths,
)
from xining_data.read.sidecar import read_sidecar

TABLES = ("articles", "figures", "places", "reports", "texts")
DEFAULT_OUT = BUILD_DIR / "data"
MANIFEST = "manifest.json"
ERRORS = "errors.parquet"
DEFAULT_LIMITS = ReportLimits()  # the defaults: 60 s and 1 GiB per report
ERROR_COLUMNS = ["path", "reason", "error"]
SCHEDULERS = ("sync", "threads", "processes")
SEGMENTS_MAX = 64  # more cache segments than this (and than a cold build makes): compacted
BATCH_MAX = 250  # reports per Dask task: big enough to hide task overhead, small enough to balance
TASKS_PER_WORKER = 8  # so that the last tasks, run while a worker may idle, are short
SYNC_BELOW = 16  # fewer reports to process than this: a process pool costs more than it saves
EXIT_BAD_INPUT = 2  # as the other commands (xining_data.cli)
CONNECT_TIMEOUT = "20s"  # to reach a Dask scheduler given by address
_SHA = "_sha256"  # cache columns: the report's content hash and the row's order within the report
_ROW = "_row"
_SAMPLES = "_samples"  # the texts' samples for finding copies (corpus.copies), in the cache


class BuildError(RuntimeError):
    """The build as a whole cannot run (cluster unreachable, output folder in use)."""


# --- the cache key and the library's hash ----------------------------------------------------


def content_key(
    data: bytes, sidecar: tuple[tuple[str, str], ...] = (), corrections: Corrections = ()
) -> str:
    """The cache key of a report: its sha256, with its ``reports.csv`` row and its rows of
    ``corrections.csv`` when it has them (so a changed row re-processes the report)."""
    if not sidecar and not corrections:
        return sha256_bytes(data)
    extra: tuple = (sidecar, corrections_key(corrections)) if corrections else sidecar
    return sha256_bytes(data + b"\0" + json.dumps(extra, ensure_ascii=False).encode())


def library_files() -> list[Path]:
    """The files whose content decides the tables: the package's code and data, not its reports."""
    skip = {RAW_DIR, PACKAGE_DIR / "templates"}
    return sorted(
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.suffix != ".pyc"
        and not any(p.is_relative_to(s) for s in skip)
    )


def library_hash() -> str:
    """sha256 over the library's source and data files (names and contents).

    Computed afresh by the driver at each build and by a worker for each batch
    (a few milliseconds), so a worker whose library differs is caught.
    """

    def parts() -> Iterator[bytes]:
        yield __version__.encode()
        for p in library_files():
            yield p.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0"
            yield from file_chunks(p)
            yield b"\0"

    return sha256_parts(parts())


# --- one report, on a worker ---------------------------------------------------------------


@dataclass(frozen=True)
class TableFunctions:
    """The library's table functions, imported once per batch (a worker imports them lazily)."""

    figure_rows: Callable
    figure_columns: Callable
    figures_frame_of: Callable
    place_columns: Callable
    places_frame: Callable
    place_figure_rows: Callable

    @classmethod
    def load(cls) -> TableFunctions:
        """Import them; a library that does not import stops the build, not one report."""
        from xining_data.extract.figures import figure_columns, figure_rows, figures_frame_of
        from xining_data.geo.places import place_columns, place_figure_rows, places_frame

        return cls(figure_rows, figure_columns, figures_frame_of, place_columns, places_frame,
                   place_figure_rows)  # fmt: skip


@dataclass(frozen=True)
class ReportRecords:
    """One report's rows of every table as plain values: a batch builds each table once from
    the rows of all its reports (a table per report costs more than reading the report)."""

    report: Report
    figures: dict[str, list]  # column -> values; places attached, corrections applied
    places: dict[str, list]  # column -> values
    articles: list[dict]
    reports: list[dict]
    texts: list[dict]


def report_records(
    report: Report, functions: TableFunctions | None = None, corrections: Corrections = ()
) -> ReportRecords:
    """The rows of one report's tables: articles, figures with the places they refer to
    attached and its ``corrections`` applied, places, its row of the reports table, its text."""
    fn = functions or TableFunctions.load()
    places = fn.place_columns(report)
    figures = fn.figure_rows(report)
    fn.place_figure_rows(figures, report, places)
    articles = article_rows(report)
    figures = corrected_rows(figures, report, corrections)
    return ReportRecords(
        report,
        figures=fn.figure_columns(figures, [report], _CORRECTION_KINDS),  # the rows let go
        places=places,
        articles=articles,
        reports=[report_row(report, places, [a["title"] for a in articles])],
        texts=[text_row(report)],
    )


_CORRECTION_KINDS = dict.fromkeys(CORRECTION_COLUMNS, "text") | CORRECTION_KINDS


def batch_frames(
    records: Sequence[ReportRecords], functions: TableFunctions | None = None
) -> dict[str, pd.DataFrame]:
    """Each table of these reports' rows, built once, in their order; the figures unchecked."""
    fn = functions or TableFunctions.load()
    places = joined_columns([r.places for r in records], PLACE_COLUMNS)
    return {
        "articles": pd.DataFrame([a for r in records for a in r.articles], columns=ARTICLE_COLUMNS),
        "figures": fn.figures_frame_of(
            _joined(records, fn), validate=False, extra=_CORRECTION_KINDS
        ),
        "places": fn.places_frame(places),
        "reports": pd.DataFrame([a for r in records for a in r.reports], columns=REPORT_COLUMNS),
        "texts": pd.DataFrame([a for r in records for a in r.texts], columns=TEXT_COLUMNS),
    }


def _joined(records: Sequence[ReportRecords], fn: TableFunctions) -> dict[str, list]:
    """The figures columns of these reports, one after the other (``page`` blank for a report
    that has none when another has)."""
    names = fn.figure_columns([], [r.report for r in records], _CORRECTION_KINDS)
    return joined_columns([r.figures for r in records], list(names))


def _figure_count(records: ReportRecords) -> int:
    return len(records.figures.get("start", ()))


def report_tables(
    report: Report, functions: TableFunctions | None = None, corrections: Corrections = ()
) -> dict[str, pd.DataFrame]:
    """The tables of one report (:func:`report_records` as tables), figures checked."""
    from xining_data.base.tablecheck import checked
    from xining_data.extract.figures import FIGURES_SCHEMA

    fn = functions or TableFunctions.load()
    frames = batch_frames([report_records(report, fn, corrections)], fn)
    checked(FIGURES_SCHEMA, frames["figures"])
    return frames


def _batch_tables(
    done: list[tuple[str, ReportRecords]], fn: TableFunctions, errors: dict
) -> dict[str, pa.Table]:
    """The batch's tables, each row tagged with its report's hash and its order in it; the
    figures checked against the schema once for the batch (the quick check, pandera when it
    is in doubt). A report whose rows break it is an error row, its rows left out."""
    from xining_data.base.tablecheck import bad_reports, checked
    from xining_data.extract.figures import FIGURES_SCHEMA

    frames = batch_frames([r for _, r in done], fn)
    try:
        checked(FIGURES_SCHEMA, frames["figures"])
    except Exception:  # noqa: BLE001 - narrowed to the reports below
        shas = [sha for sha, r in done for _ in range(_figure_count(r))]
        bad = bad_reports(FIGURES_SCHEMA, frames["figures"].assign(**{_SHA: shas}), key=_SHA)
        for sha, exc in bad.items():  # a schema violation is a library bug on this report
            errors[sha] = (f"internal error: figures break the schema: {exc}", type(exc).__name__)
        if not bad:
            raise
        return _batch_tables([(sha, r) for sha, r in done if sha not in bad], fn, errors)
    shas, counts = [sha for sha, _ in done], [_counts(r) for _, r in done]
    return {name: _tagged(frames[name], shas, [c[name] for c in counts]) for name in TABLES}


@dataclass(frozen=True)
class Item:
    """One report to process: its path (for messages and its id), content hash and bytes."""

    path: str
    sha256: str
    data: bytes
    sidecar: tuple[tuple[str, str], ...] = ()  # the report's row of the folder's reports.csv
    corrections: Corrections = ()  # the report's rows of the folder's corrections.csv
    limits: ReportLimits = DEFAULT_LIMITS  # time and memory it may take


@dataclass(frozen=True)
class BatchResult:
    """What a worker sends back: the batch's rows, each tagged with its report's hash."""

    library: str
    tables: dict[str, pa.Table]  # empty when the worker wrote them to the cache
    counts: dict[str, dict[str, int]]  # sha256 -> table -> rows
    errors: dict[str, tuple[str, str]]  # sha256 -> (reason, error type)
    segment: str = ""  # the cache segment the worker wrote, if it did


def _tagged(df: pd.DataFrame, shas: list[str], lengths: list[int]) -> pa.Table:
    """One Arrow table of a batch's rows, each tagged with its report's hash and order
    (``lengths``: how many rows of ``df`` each report of ``shas`` has, in order)."""
    if not shas or not len(df.columns):
        return pa.table({})
    table = pa.Table.from_pandas(df, preserve_index=False)
    tags = np.repeat(np.array(shas, dtype=object), lengths)
    rows = np.concatenate([np.arange(n, dtype=np.int64) for n in lengths])
    table = table.append_column(_SHA, pa.array(tags, pa.string()))
    return table.append_column(_ROW, pa.array(rows, pa.int64()))


def _concat(tables: Sequence[pa.Table]) -> pa.Table:
    tables = [t for t in tables if t.num_columns]
    if not tables:
        return pa.table({})
    return pa.concat_tables(tables, promote_options="permissive")


def process_batch(items: Sequence[Item], cache_dir: str | None = None) -> BatchResult:
    """Tables of a batch of reports. Runs wherever Dask sends it; never raises for one report.

    ``cache_dir``: the build's cache, when the worker shares its file system (a local pool):
    the worker writes the batch's segment there itself and sends back only its counts, so the
    build's own process neither receives nor writes the rows (its work does not scale)."""
    done: list[tuple[str, ReportRecords]] = []
    errors: dict[str, tuple[str, str]] = {}
    sampled: dict[str, list[int]] = {}
    functions = TableFunctions.load()
    for item in items:
        try:
            with limited(item.limits):
                report = parse_report(item.data, item.path, sidecar=dict(item.sidecar) or None)
                records = report_records(report, functions, item.corrections)
                sampled[item.sha256] = sorted(samples(report.text))  # for copies, found later
                done.append((item.sha256, records))
        except ReportError as exc:  # a problem of another file (corrections.csv) names it
            reason = exc.problem if Path(exc.path) == Path(item.path) else str(exc)
            errors[item.sha256] = (reason, "ReportError")
        except LimitExceeded as exc:
            errors[item.sha256] = (str(exc), "LimitExceeded")
        except MemoryError:
            errors[item.sha256] = (item.limits.memory_reason(), "MemoryError")
        except Exception as exc:  # a bug on one report must not stop the archive
            errors[item.sha256] = (f"internal error: {exc}", type(exc).__name__)
    tables = _batch_tables(done, functions, errors) if done else {n: pa.table({}) for n in TABLES}
    if tables["texts"].num_columns:
        shas = tables["texts"][_SHA].to_pylist()
        column = pa.array([sampled[sha] for sha in shas], pa.list_(pa.int64()))
        tables["texts"] = tables["texts"].append_column(_SAMPLES, column)
    counts = {sha: _counts(r) for sha, r in done if sha not in errors}
    library = library_hash()
    if cache_dir is None or not counts:
        return BatchResult(library, tables, counts, errors)
    segment = Cache(Path(cache_dir), library).write(tables, counts)
    return BatchResult(library, {}, counts, errors, segment)


def _counts(records: ReportRecords) -> dict[str, int]:
    """Rows per table of one report."""
    return {
        "articles": len(records.articles),
        "figures": _figure_count(records),
        "places": len(next(iter(records.places.values()), ())),
        "reports": len(records.reports),
        "texts": len(records.texts),
    }


# --- the cache -----------------------------------------------------------------------------


class Cache:
    """Per-report tables keyed by content hash, in segments of one batch each.

    A segment is ``<id>.<table>.parquet`` for each table plus ``<id>.index.parquet``
    listing its reports' hashes and row counts, written last: a segment without
    its list (an interrupted write) is ignored. A successful build whose cache holds
    reports it no longer has, or many segments, compacts the cache into one segment
    holding exactly its reports.
    """

    def __init__(self, root: Path, library: str) -> None:
        self.root = root
        self.dir = root / library[:16]
        self.sizes: dict[str, int] = {}  # segment -> how many reports it holds

    def clear(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def index(self) -> dict[str, tuple[str, dict[str, int]]]:
        """sha256 -> (segment id, rows per table), for every report the cache holds."""
        out: dict[str, tuple[str, dict[str, int]]] = {}
        if not self.dir.is_dir():
            return out
        for path in sorted(self.dir.glob("*.index.parquet")):
            segment = path.name.removesuffix(".index.parquet")
            rows = pq.read_table(path).to_pylist()
            self.sizes[segment] = len(rows)
            for row in rows:
                sha = row.pop(_SHA)
                out.setdefault(sha, (segment, row))
        return out

    def write(self, tables: dict[str, pa.Table], counts: dict[str, dict[str, int]]) -> str:
        """A new segment of these tables (a finished batch)."""
        segment = uuid.uuid4().hex
        for name in TABLES:
            self.write_table(segment, name, tables[name])
        self.seal(segment, counts)
        return segment

    def write_table(self, segment: str, name: str, table: pa.Table) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        _write_parquet(table, self.dir / f"{segment}.{name}.parquet")

    def seal(self, segment: str, counts: dict[str, dict[str, int]]) -> None:
        """Write the segment's list of reports: from now on the segment counts."""
        index = pa.Table.from_pylist([{_SHA: sha, **rows} for sha, rows in counts.items()])
        _write_parquet(index, self.dir / f"{segment}.index.parquet")
        self.sizes[segment] = len(counts)

    def read_table(self, name: str, wanted: dict[str, list[str]]) -> pa.Table:
        """One table's rows of the wanted reports (segment -> hashes wanted from it)."""
        parts = []
        for segment, shas in wanted.items():
            table = pq.read_table(self.dir / f"{segment}.{name}.parquet")
            if table.num_columns and len(shas) < self.sizes.get(segment, 0):
                table = table.filter(pc.is_in(table[_SHA], pa.array(shas, pa.string())))
            parts.append(table)
        return _concat(parts)

    def is_compact(self, wanted: dict[str, list[str]]) -> bool:
        """Its segments hold exactly the wanted reports, and nothing else, in not many more
        segments than a cold build makes: a cold build keeps its batches' segments as the
        workers wrote them (compacting would read and write every row once more in the
        build's own process, the part of the build that does not scale)."""
        reports = sum(len(shas) for shas in wanted.values())
        if len(wanted) > max(SEGMENTS_MAX, 2 * math.ceil(reports / BATCH_MAX)):
            return False
        if any(len(shas) != self.sizes.get(segment) for segment, shas in wanted.items()):
            return False
        return all(p.name.split(".", 1)[0] in wanted for p in self.dir.glob("*.parquet"))

    def keep_only(self, segment: str | None) -> None:
        """Drop every other segment of this library, and the caches of other libraries."""
        if segment is not None:
            for p in self.dir.glob("*.parquet"):
                if not p.name.startswith(f"{segment}."):
                    p.unlink(missing_ok=True)
        for other in self.root.iterdir() if self.root.is_dir() else ():
            if other.is_dir() and other != self.dir:
                shutil.rmtree(other, ignore_errors=True)


def _remove_cache_leftovers(root: Path) -> None:
    """Drop the half-written files a killed build left in any library's cache (its segments
    without an index are ignored, then removed when the cache is compacted)."""
    for folder in root.iterdir() if root.is_dir() else ():
        if folder.is_dir():
            remove_stale_files(folder)


def _write_parquet(table: pa.Table, path: Path) -> None:
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)


# --- running the batches -------------------------------------------------------------------


def batches(items: Sequence[Item], workers: int) -> list[list[Item]]:
    """Items cut into about TASKS_PER_WORKER tasks per worker, at most BATCH_MAX each."""
    if not items:
        return []
    size = max(1, min(BATCH_MAX, math.ceil(len(items) / (max(1, workers) * TASKS_PER_WORKER))))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _is_address(scheduler: str | None) -> bool:
    return bool(scheduler) and "://" in str(scheduler)


def run_batches(
    items: Sequence[Item],
    scheduler: str,
    workers: int,
    on_result: Callable[[BatchResult, int], None],
    cache_dir: Path | None = None,
) -> None:
    """Process the items on the scheduler; ``on_result(result, n_items)`` as each batch ends.

    The tasks are the same calls of ``process_batch`` on the same batches whatever
    the scheduler: a local one runs them as Dask delayed calls with a callback per
    finished task, each worker writing its batch to ``cache_dir`` (when given); a
    distributed cluster gets the batches scattered to its workers and runs them as
    futures, collected as they complete, their rows sent back.
    """
    if not _is_address(scheduler):
        _run_local(items, scheduler, workers, on_result, cache_dir)
        return
    from distributed import Client, as_completed

    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise BuildError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with client:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        parts = batches(items, n_workers)
        # The reports go straight to the workers, not through the scheduler's task graph.
        data = client.scatter(parts)
        futures = client.map(process_batch, data, pure=False)
        sizes = {future.key: len(part) for future, part in zip(futures, parts, strict=True)}
        for future in as_completed(futures):
            on_result(future.result(), sizes[future.key])
            future.release()
        client.cancel(data)


def _run_local(
    items: Sequence[Item],
    scheduler: str,
    workers: int,
    on_result: Callable[[BatchResult, int], None],
    cache_dir: Path | None,
) -> None:
    """:func:`run_batches` on a local scheduler (``sync``, ``threads``, ``processes``)."""
    import dask
    import dask.local
    import dask.multiprocessing
    import dask.threaded
    from dask.callbacks import Callback

    # The scheduler's function, not its name: a name makes Dask import distributed (0.5 s).
    get = {"sync": dask.local.get_sync, "threads": dask.threaded.get,
           "processes": dask.multiprocessing.get}[scheduler]  # fmt: skip
    where = None if cache_dir is None else str(cache_dir)
    sizes, tasks = {}, []
    for part in batches(items, workers):
        # The batch as one opaque value: Dask would otherwise walk every report's fields.
        task = dask.delayed(process_batch, pure=False)(dask.delayed(part, traverse=False), where)
        sizes[task.key] = len(part)
        tasks.append(task)

    def posttask(key, result, dsk, state, worker_id) -> None:
        if key in sizes:
            on_result(result, sizes[key])

    extra = {}
    if scheduler == "processes":  # the workers exit when this process dies, even by kill -9
        extra["initializer"] = partial(die_with_parent, os.getpid())
    with Callback(posttask=posttask):
        dask.compute(*tasks, scheduler=get, num_workers=workers, **extra)


# --- the build -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    """One file of the corpus as found: where, how big, its content hash (or why unreadable)."""

    path: Path
    size: int
    sha256: str
    unreadable: str = ""
    sidecar: tuple[tuple[str, str], ...] = ()
    corrections: Corrections = ()

    @property
    def report(self) -> str:
        return report_id(self.path)


def scan(corpus: Path) -> list[Input]:
    """Every report file of the corpus folder with its size and hash."""
    out = []
    sidecars = read_sidecar(corpus)
    corrections = read_corrections(corpus)
    for path in report_paths(corpus):
        row = tuple(sorted((sidecars.get(path.name) or {}).items()))
        fixes = corrections.get(path.name, ())
        try:
            data = path.read_bytes()
        except OSError as exc:
            out.append(Input(path, 0, "", f"cannot read ({exc.strerror})"))
            continue
        key = content_key(data, row, fixes)
        out.append(Input(path, len(data), key, sidecar=row, corrections=fixes))
    return out


@dataclass(frozen=True)
class BuildResult:
    """What a build did."""

    out_dir: Path
    reports: int  # report files in the corpus
    failed: int
    processed: int  # reports processed in this run (the rest came from the cache)
    up_to_date: bool
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(
        cls, out: Path, manifest: dict, *, started: float, processed: int | None = None
    ) -> BuildResult:
        """The result of a build that wrote this manifest, having processed ``processed``
        reports; ``None``: the build was up to date and kept the tables it found."""
        return cls(
            out,
            reports=manifest["reports"]["total"],
            failed=manifest["reports"]["failed"],
            processed=processed or 0,
            up_to_date=processed is None,
            seconds=time.perf_counter() - started,
            rows={name: t["rows"] for name, t in manifest["tables"].items()},
        )

    @property
    def errors_path(self) -> Path:
        return self.out_dir / ERRORS

    def summary(self) -> str:
        """One line for the terminal."""
        built = f"built {self.reports} reports"
        if self.failed:
            return f"{built}, {self.failed} failed: see {_shown(self.errors_path)}"
        rows = ", ".join(f"{n} {name}" for name, n in self.rows.items())
        how = "up to date" if self.up_to_date else f"{self.processed} processed"
        return f"{built} ({how}; {rows}) in {self.seconds:.1f} s: {_shown(self.out_dir)}"


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    return str(path)


def cache_dir_for(out_dir: Path) -> Path:
    """The cache lives beside the output folder, outside the folder that is swapped."""
    return out_dir.with_name(f"{out_dir.name}-cache")


def read_manifest(out_dir: Path) -> dict | None:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _up_to_date(manifest: dict | None, inputs: list[Input], library: str, out: Path) -> bool:
    """The previous build read exactly these files with this library, and its tables are there."""
    if not manifest or manifest.get("library", {}).get("hash") != library:
        return False
    before = [(i["path"], i["size"], i["sha256"]) for i in manifest.get("inputs", [])]
    now = [(str(i.path.resolve()), i.size, i.sha256) for i in inputs]
    files = [*(f"{t}.parquet" for t in TABLES), ERRORS]
    return before == now and all((out / f).is_file() for f in files)


def _check_out_dir(out: Path) -> None:
    """Refuse to replace a folder that is not a build output (it would be deleted)."""
    if out.exists() and (
        not out.is_dir() or (any(out.iterdir()) and not (out / MANIFEST).exists())
    ):
        raise ReportError(out, "exists and is not a build output (no manifest.json); choose --out")


@contextlib.contextmanager
def _lock(out: Path, wait: bool = False) -> Iterator[None]:
    """One build at a time per output folder: a second one is refused, or waits its turn
    when asked to (a story that needs the tables)."""
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(file_lock(out.with_name(f".{out.name}.lock"), wait=wait))
        except LockHeld:
            raise BuildError(f"another build is writing {out}") from None
        yield


def _owners(inputs: list[Input], good: set[str]) -> dict[str, list[tuple[int, str]]]:
    """Content hash -> (corpus position, report id) of every file with that content."""
    owners: dict[str, list[tuple[int, str]]] = {}
    for n, i in enumerate(inputs):
        if i.sha256 in good:
            owners.setdefault(i.sha256, []).append((n, i.report))
    return owners


def _assemble(table: pa.Table, owners: dict[str, list[tuple[int, str]]]) -> pa.Table:
    """Cached rows -> an output table: in corpus order, with each file's report id.

    Rows are cached by content, so two files with the same bytes share them;
    each file gets its own copy under its own id. Worked out per report, not per row.
    """
    if not table.num_columns:
        return table
    shas = pc.dictionary_encode(table[_SHA].combine_chunks())
    which = np.asarray(shas.indices.to_numpy(zero_copy_only=False), np.int64)  # row -> sha
    per_sha = [owners.get(sha, ()) for sha in shas.dictionary.to_pylist()]
    copies = np.array([len(o) for o in per_sha], np.int64)  # files with that content
    starts = np.concatenate([[0], np.cumsum(copies)[:-1]]).astype(np.int64)
    orders = np.array([n for o in per_sha for n, _ in o], np.int64)
    reports = pa.array([report for o in per_sha for _, report in o], pa.string())
    per_row = copies[which]
    take = np.repeat(np.arange(len(which), dtype=np.int64), per_row)  # a row per file
    nth = np.arange(len(take), dtype=np.int64) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    owner = starts[which[take]] + nth
    rows = np.asarray(table[_ROW].to_numpy(), np.int64)[take]
    sort = np.lexsort((rows, orders[owner] if len(owner) else owner))
    take = take[sort]
    # A cold build's rows come in corpus order, one file each: nothing to move (one chunk,
    # as take gives, so that the file is the same bytes however the rows were batched).
    in_order = len(take) == table.num_rows and bool(np.all(take == np.arange(len(take))))
    picked = table.combine_chunks() if in_order else table.take(pa.array(take))
    if "report" in picked.column_names:
        where = picked.column_names.index("report")
        picked = picked.set_column(where, "report", reports.take(pa.array(owner[sort])))
    return picked.drop_columns([_SHA, _ROW])


def _with_copies(reports: pa.Table, texts: pa.Table) -> pa.Table:
    """The reports table with ``copy_of``: copies are found across the whole corpus, from
    the samples the workers took report by report (a list column of the texts), as arrays;
    a text is read only for a report that has copies."""
    frame = reports.to_pandas()
    if frame.empty:
        return pa.Table.from_pandas(
            frame.assign(copy_of=pd.Series(dtype=str)), preserve_index=False
        )
    ids = texts["report"].to_pylist()
    if _SAMPLES in texts.column_names:
        where = {rid: n for n, rid in enumerate(ids)}
        sampled = texts[_SAMPLES]
        flat = pc.list_flatten(sampled).to_numpy()
        lengths = pc.list_value_length(sampled).to_numpy()
        original = originals(ids, flat, lengths, lambda rid: texts["text"][where[rid]].as_py())
    else:
        original = copy_groups(dict(zip(ids, texts["text"].to_pylist(), strict=True)))
    return pa.Table.from_pandas(with_copy_of(frame, original), preserve_index=False)


def _errors_table(inputs: list[Input], errors: dict[str, tuple[str, str]]) -> pa.Table:
    rows = []
    for i in inputs:
        if i.unreadable:
            rows.append({"path": str(i.path), "reason": i.unreadable, "error": "ReportError"})
        elif i.sha256 in errors:
            reason, kind = errors[i.sha256]
            rows.append({"path": str(i.path), "reason": reason, "error": kind})
    schema = pa.schema([(c, pa.string()) for c in ERROR_COLUMNS])
    return pa.Table.from_pylist(rows, schema=schema)


def _manifest(corpus: Path, done: Processed, tables: dict[str, Path], library: str) -> dict:
    entries = [_manifest_entry(i, done) for i in done.inputs]
    return {
        "corpus": str(corpus.resolve()),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "library": {"name": "xining_data", "version": __version__, "hash": library},
        "python": sys.version.split()[0],
        "tables": {
            name: {
                "file": path.name,
                "rows": pq.read_metadata(path).num_rows,
                "sha256": sha256_file(path),
            }
            for name, path in tables.items()
        },
        "reports": {
            "total": len(done.inputs),
            "ok": sum(e["status"] == "ok" for e in entries),
            "failed": sum(e["status"] == "error" for e in entries),
        },
        "inputs": entries,
    }


def _manifest_entry(i: Input, done: Processed) -> dict:
    """One input file as the manifest lists it: where, what, and its rows or why it failed."""
    entry = {
        # a dangling or looping link cannot be resolved: its folder can
        "path": str(i.path.parent.resolve() / i.path.name if i.unreadable else i.path.resolve()),
        "name": i.path.name,
        "report": i.report,
        "size": i.size,
        "sha256": i.sha256,
    }
    if i.unreadable or i.sha256 in done.errors:
        entry["status"] = "error"
        entry["reason"] = i.unreadable or done.errors[i.sha256][0]
    else:
        entry["status"] = "ok"
        entry["rows"] = done.counts[i.sha256]
    return entry


def _default_scheduler(todo: int, workers: int) -> str:
    return "processes" if todo >= SYNC_BELOW and workers > 1 else "sync"


def _todo(
    inputs: list[Input], known: dict, limits: ReportLimits = DEFAULT_LIMITS
) -> tuple[dict[str, Item], list[Input]]:
    """The reports to process (one per distinct content), re-read and checked against the scan."""
    todo: dict[str, Item] = {}
    checked = []
    for i in inputs:
        if not i.unreadable and i.sha256 not in known and i.sha256 not in todo:
            try:
                data = i.path.read_bytes()
            except OSError as exc:
                data, i = b"", replace(i, unreadable=f"cannot read ({exc.strerror})")
            if not i.unreadable and content_key(data, i.sidecar, i.corrections) != i.sha256:
                i = replace(i, unreadable="changed while the build was reading it")
            if not i.unreadable:
                todo[i.sha256] = Item(str(i.path), i.sha256, data, i.sidecar, i.corrections, limits)
        checked.append(i)
    return todo, checked


def _check_library(result: BatchResult, library: str) -> None:
    if result.library != library:
        raise BuildError(
            f"a worker ran another version of xining_data ({result.library[:12]}, "
            f"this build {library[:12]}): the library changed during the build, or "
            "the cluster's workers need the same version installed"
        )


@dataclass(frozen=True)
class BuildOptions:
    """How to build, besides which corpus and where.

    ``scheduler``: None (processes when there is enough to do, else sync), ``sync``,
    ``threads``, ``processes`` or the ``tcp://host:port`` of a Dask scheduler.
    """

    scheduler: str | None = None
    workers: int | None = None  # local workers; None: one per CPU
    progress: bool | None = None  # a progress bar; None: when stderr is a terminal
    force: bool = False  # ignore the cache and process every report
    cache_dir: str | Path | None = None  # None: beside the output folder
    wait: bool = False  # another build on the same folder: wait for it instead of stopping
    limits: ReportLimits = DEFAULT_LIMITS  # per report: 60 s and 1 GiB (corpus.limits)

    def __post_init__(self) -> None:
        scheduler = self.scheduler
        if scheduler is not None and not _is_address(scheduler) and scheduler not in SCHEDULERS:
            raise ValueError(f"scheduler must be one of {SCHEDULERS} or tcp://host:port")


@dataclass
class Processed:
    """What the corpus's reports gave, cached or processed in this run: the rows per table and
    cache segment of each content hash, and the reports that failed."""

    inputs: list[Input]
    counts: dict[str, dict[str, int]]  # sha256 -> table -> rows
    segments: dict[str, str]  # sha256 -> cache segment holding its rows
    processed: int  # reports processed in this run
    errors: dict[str, tuple[str, str]] = field(default_factory=dict)  # sha256 -> (reason, type)

    def add(self, result: BatchResult, cache: Cache) -> None:
        """A finished batch: its rows into a new cache segment, its failures noted."""
        if result.counts:
            if result.segment:  # the worker wrote it
                segment = result.segment
                cache.sizes[segment] = len(result.counts)
            else:
                segment = cache.write(result.tables, result.counts)
            for sha, rows in result.counts.items():
                self.counts[sha], self.segments[sha] = rows, segment
        result.tables.clear()  # on disk now; a local scheduler keeps results until the end
        self.errors.update(result.errors)

    def good(self) -> set[str]:
        """Content hashes of the reports whose rows go into the tables."""
        return {i.sha256 for i in self.inputs if not i.unreadable and i.sha256 in self.counts}

    def wanted(self) -> dict[str, list[str]]:
        """Cache segment -> the good reports' hashes to read from it, both in corpus order (so
        that a cold build's rows, read segment after segment, are in order already)."""
        wanted: dict[str, list[str]] = {}
        good = self.good()
        for i in self.inputs:
            if i.sha256 in good:
                good.discard(i.sha256)
                wanted.setdefault(self.segments[i.sha256], []).append(i.sha256)
        return wanted


def build(
    corpus_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    options: BuildOptions | None = None,
) -> BuildResult:
    """Build the corpus tables; see the module docstring. Raises ReportError for a bad folder."""
    started = time.perf_counter()
    options = options or BuildOptions()
    corpus = Path(corpus_dir) if corpus_dir is not None else reports_dir()
    out = Path(out_dir) if out_dir is not None else DEFAULT_OUT
    with _lock(out, options.wait):
        recover_folder(out)
        _check_out_dir(out)
        cache_root = Path(options.cache_dir or cache_dir_for(out))
        _remove_cache_leftovers(cache_root)
        inputs = scan(corpus)
        if not inputs:
            kinds = ", ".join(f"*{s}" for s in REPORT_SUFFIXES)
            raise ReportError(corpus, f"folder holds no report files ({kinds})")
        library = library_hash()
        previous = read_manifest(out)
        if not options.force and _up_to_date(previous, inputs, library, out):
            return BuildResult.of(out, previous, started=started)
        cache = Cache(cache_root, library)
        if options.force:
            cache.clear()
        done = _process(inputs, cache, library, options)
        manifest = _write_tables(corpus, out, done, cache, library)
    return BuildResult.of(out, manifest, started=started, processed=done.processed)


def _process(inputs: list[Input], cache: Cache, library: str, options: BuildOptions) -> Processed:
    """Process the reports the cache does not hold, each finished batch cached at once."""
    known = cache.index()
    todo, inputs = _todo(inputs, known, options.limits)
    done = Processed(
        inputs,
        counts={sha: rows for sha, (_, rows) in known.items()},
        segments={sha: segment for sha, (segment, _) in known.items()},
        processed=len(todo),
    )
    workers = options.workers or os.cpu_count() or 1
    interactive = sys.stderr.isatty() if options.progress is None else options.progress
    from tqdm import tqdm

    bar = tqdm(total=len(todo), unit="report", desc="build", file=sys.stderr,
               disable=not interactive or not todo)  # fmt: skip

    def on_result(result: BatchResult, n: int) -> None:
        _check_library(result, library)
        done.add(result, cache)
        bar.update(n)

    with bar:
        chosen = options.scheduler or _default_scheduler(len(todo), workers)
        run_batches(list(todo.values()), chosen, workers, on_result, cache.root)
    return done


def _write_tables(corpus: Path, out: Path, done: Processed, cache: Cache, library: str) -> dict:
    """Tables, errors and manifest into a folder swapped in for ``out``; the cache compacted
    to exactly this build's reports. Returns the manifest.

    The copies are found (Python, on the texts) while a thread reads, compacts and writes
    the other tables one at a time (Arrow lets go of the interpreter while it reads and
    writes), so this last step, which no worker shares, takes the time of the longer one."""
    wanted = done.wanted()
    compacted = None if cache.is_compact(wanted) else uuid.uuid4().hex
    owners = _owners(done.inputs, done.good())

    def table(name: str) -> pa.Table:
        """One table's rows of this build from the cache, in corpus order (compacted)."""
        rows = cache.read_table(name, wanted)
        if compacted:
            cache.write_table(compacted, name, rows)
        return _assemble(rows, owners)

    def write_others() -> None:
        for name in TABLES:  # one table at a time: memory holds one of them, not three
            if name not in ("reports", "texts"):
                pq.write_table(table(name), paths[name])

    with folder_swapped_in(out) as tmp, ThreadPoolExecutor(1) as pool:
        paths = {name: tmp / f"{name}.parquet" for name in TABLES}
        texts, reports = table("texts"), table("reports")
        others = pool.submit(write_others)
        pq.write_table(_with_copies(reports, texts), paths["reports"])
        pq.write_table(
            texts.drop_columns([c for c in texts.column_names if c == _SAMPLES]), paths["texts"]
        )
        del texts, reports
        others.result()
        pq.write_table(_errors_table(done.inputs, done.errors), tmp / ERRORS)
        manifest = _manifest(corpus, done, paths, library)
        (tmp / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    if compacted:
        cache.seal(compacted, {sha: done.counts[sha] for sha in done.good()})
    cache.keep_only(compacted)
    return manifest


# --- command line --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m xining_data build",
        description="Build the articles, figures and places tables of a folder of reports "
        "as Parquet, with a manifest; only new or changed reports are processed.",
    )
    ap.add_argument("corpus", nargs="?", help="folder of reports (default: the bundled corpus)")
    ap.add_argument("--out", metavar="DIR", help=f"output folder (default: {_shown(DEFAULT_OUT)})")
    ap.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="sync, threads, processes (local Dask), or tcp://host:port of a Dask cluster "
        f"(default: processes when {SYNC_BELOW}+ reports need processing, else sync)",
    )
    ap.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="local workers (default: CPUs; a cluster has its own)",
    )
    ap.add_argument("--force", action="store_true", help="ignore the cache and rebuild everything")
    ap.add_argument(
        "--report-seconds",
        type=float,
        default=DEFAULT_SECONDS,
        metavar="S",
        help=f"time one report may take; past it, an error row (default {DEFAULT_SECONDS:g}; 0: none)",
    )
    ap.add_argument(
        "--report-memory",
        type=int,
        default=DEFAULT_MEMORY // 2**20,
        metavar="MB",
        help=f"memory one report may take (default {DEFAULT_MEMORY // 2**20}; 0: none)",
    )
    return ap


def main_build(argv: list[str]) -> int:
    """``python -m xining_data build``: 0 when every report was built, 1 when some failed."""
    args = build_parser().parse_args(argv)
    try:
        limits = ReportLimits(args.report_seconds, args.report_memory * 2**20)
        options = BuildOptions(
            scheduler=args.scheduler, workers=args.workers, force=args.force, limits=limits
        )
        result = build(args.corpus, args.out, options)
    except (ReportError, BuildError, ValueError) as exc:
        print(f"xining-data: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(result.summary(), file=sys.stderr if result.failed else sys.stdout)
    return 1 if result.failed else 0

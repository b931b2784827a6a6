"""Benchmark of the corpus build: ``python -m benchmarks.bench_build [--reports N]``.

In one run, on an archive assembled by ``benchmarks.corpus`` (real report sentences with
varied numbers; see its docstring) in a temporary folder:
- characters per CPU second of single-process extraction (articles, figures and places
  tables of every report, in this process), with cn2an's ``transform`` on the same texts
  as the reference, and the ratio;
- cold build wall time with one and with two Dask workers (local process pool), with two
  threads, and on a two-worker ``distributed.LocalCluster`` (the path a newsroom cluster
  takes); each build runs in a fresh interpreter so that its peak memory is its own;
- peak memory: resident set of the build process and of its largest worker process;
- the no-change rebuild (the whole ``python -m xining_data build`` command) and the
  rebuild after one report changed.
Goals (issue 14), printed PASS or FAIL: 10,000 reports in under 60 s with two workers (with
fewer ``--reports`` the goal scales down in proportion), and two workers at least 1.8 times
as fast as one, both wall seconds in the same run; under 1 GB, a no-change rebuild under 5 s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from benchmarks.corpus import ArchiveSpec, write_archive
from benchmarks.goals import verdict

MB = 1024 * 1024
GOAL_SECONDS_PER_10K, GOAL_SPEEDUP = 60.0, 1.8


def _maxrss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def _cpu_s(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def child(scheduler: str, workers: int, corpus: str, out: str) -> None:
    """Run one build in this fresh process; print its timings and peak memory as JSON."""
    from xining_data.corpus.build import BuildOptions, build

    cluster = None
    if scheduler == "cluster":
        from distributed import LocalCluster

        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        scheduler = cluster.scheduler_address
    try:
        started = time.perf_counter()
        result = build(
            corpus, out, BuildOptions(scheduler=scheduler, workers=workers, progress=False)
        )
        seconds = time.perf_counter() - started
    finally:
        if cluster is not None:
            cluster.close()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "processed": result.processed,
                "failed": result.failed,
                "rows": result.rows,
                "cpu_s": _cpu_s(resource.RUSAGE_SELF) + _cpu_s(resource.RUSAGE_CHILDREN),
                "driver_mb": _maxrss_mb(resource.RUSAGE_SELF),
                "worker_mb": _maxrss_mb(resource.RUSAGE_CHILDREN),
            }
        )
    )


def _run_child(scheduler: str, workers: int, corpus: Path, out: Path) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.bench_build", "--child", scheduler, str(workers),
           str(corpus), str(out)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"build ({scheduler}, {workers}) failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _timed_cli(corpus: Path, out: Path) -> tuple[float, str]:
    """Wall time of the whole command, interpreter start included."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "xining_data", "build", str(corpus), "--out", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return time.perf_counter() - started, (done.stdout + done.stderr).strip()


def _extraction(paths: list[Path]) -> dict:
    """Single-process extraction and cn2an.transform on the same texts."""
    import cn2an

    from xining_data.base.errors import ReportError
    from xining_data.corpus.build import TableFunctions, report_tables
    from xining_data.read.report import read_report

    reports = []
    for p in paths:
        with contextlib.suppress(ReportError):  # the bad files: measured in the builds
            reports.append(read_report(p))
    chars = sum(len(r.text) for r in reports)
    functions = TableFunctions.load()
    started = time.process_time()
    rows = 0
    for r in reports:
        rows += sum(len(df) for df in report_tables(r, functions).values())
    ours = time.process_time() - started
    started = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cn2an warns on every numeral it cannot convert
        for r in reports:
            cn2an.transform(r.text, "cn2an")
    reference = time.process_time() - started
    return {"reports": len(reports), "chars": chars, "rows": rows, "ours_s": ours,
            "cn2an_s": reference, "ours_cps": chars / ours, "cn2an_cps": chars / reference}  # fmt: skip


BUILDS = [
    ("dask processes, 1 worker", "processes", 1),
    ("dask processes, 2 workers", "processes", 2),
    ("dask threads, 2 workers", "threads", 2),
    ("dask.distributed LocalCluster, 2 workers", "cluster", 2),
]


def bench(spec: ArchiveSpec, keep: Path | None, cluster: bool, threads: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        root = keep or Path(tmp)
        corpus = root / "reports"
        started = time.perf_counter()
        archive = write_archive(corpus, spec)
        archive["seconds"] = time.perf_counter() - started
        print(f"archive: {spec.reports} reports + {spec.bad} bad files, {archive['bytes'] / MB:.1f} MB "
              f"(utf-8 {archive['utf-8']}, gb18030 {archive['gb18030']}, utf-16 "
              f"{archive['utf-16']}) written in {archive['seconds']:.1f} s", flush=True)  # fmt: skip
        extraction = _extraction(sorted(corpus.glob("*.txt")))
        print(f"single-process extraction: {extraction['chars'] / 1e6:.1f} M chars in "
              f"{extraction['ours_s']:.1f} CPU s = {extraction['ours_cps']:,.0f} chars/CPU s; "
              f"cn2an.transform {extraction['cn2an_cps']:,.0f} chars/CPU s; ratio "
              f"{extraction['ours_cps'] / extraction['cn2an_cps']:.2f}", flush=True)  # fmt: skip
        builds = {}
        for label, scheduler, workers in BUILDS:
            if (scheduler == "cluster" and not cluster) or (scheduler == "threads" and not threads):
                continue
            run = _run_child(scheduler, workers, corpus, root / f"out-{scheduler}-{workers}")
            run["peak_mb"] = run["driver_mb"] + workers * run["worker_mb"]
            builds[label] = run
            print(
                f"{label}: {run['seconds']:.1f} s wall ({run['cpu_s']:.0f} s CPU), "
                f"{archive['bytes'] / MB / run['seconds']:.2f} MB/s; peak RSS driver "
                f"{run['driver_mb']:.0f} MB, largest worker {run['worker_mb']:.0f} MB "
                f"(<= {run['peak_mb']:.0f} MB in all)",
                flush=True,
            )
        status = _goals(spec, builds)
        out = root / "out-processes-2"
        if not out.exists():
            _run_child("processes", 2, corpus, out)
        no_change, line = _timed_cli(corpus, out)
        print(f"no-change rebuild (whole command): {no_change:.2f} s ({line})", flush=True)
        first = sorted(corpus.glob("r*.txt"))[0]
        _append(first, "\n补记：新增12个社区。\n")
        one_changed, line = _timed_cli(corpus, out)
        print(f"one report changed (whole command): {one_changed:.2f} s ({line})", flush=True)
        return {"archive": archive, "extraction": extraction, "builds": builds,
                "no_change_s": no_change, "one_changed_s": one_changed, "status": status}  # fmt: skip


def _goals(spec: ArchiveSpec, builds: dict) -> int:
    """The build's goals of issue 14, against the one-worker build of the same run."""
    one, two = builds.get(BUILDS[0][0]), builds.get(BUILDS[1][0])
    if one is None or two is None:
        return 0
    goal = GOAL_SECONDS_PER_10K * spec.reports / 10_000
    status = verdict(two["seconds"] < goal, f"cold build of {spec.reports:,} reports, 2 workers",
                     f"{two['seconds']:.1f} s wall", f"< {goal:.0f} s")  # fmt: skip
    speedup = one["seconds"] / two["seconds"]
    return status | verdict(
        speedup >= GOAL_SPEEDUP, "2 workers against 1",
        f"{speedup:.2f}x ({one['seconds']:.1f} s -> {two['seconds']:.1f} s wall; CPU "
        f"{one['cpu_s']:.0f} s and {two['cpu_s']:.0f} s)", f">= {GOAL_SPEEDUP}x",
    )  # fmt: skip


def _append(path: Path, text: str) -> None:
    """Change a report: add a sentence, keeping its encoding."""
    from xining_data.read.report import decode

    old, encoding = decode(path.read_bytes(), path)
    path.write_bytes((old + text).encode(encoding))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench_build", description=__doc__)
    ap.add_argument("--reports", type=int, default=10_000, help="reports in the archive")
    ap.add_argument("--size", type=int, default=3000, help="bytes per report (about)")
    ap.add_argument("--bad", type=int, default=10, help="bad files added to the archive")
    ap.add_argument("--keep", type=Path, help="build here and keep the archive and outputs")
    ap.add_argument("--no-cluster", action="store_true", help="skip the LocalCluster build")
    ap.add_argument("--no-threads", action="store_true", help="skip the threads build")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        scheduler, workers, corpus, out = args.child
        child(scheduler, int(workers), corpus, out)
        return 0
    spec = ArchiveSpec(args.reports, size=args.size, bad=args.bad)
    result = bench(spec, args.keep, not args.no_cluster, not args.no_threads)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result["status"]


if __name__ == "__main__":
    sys.exit(main())

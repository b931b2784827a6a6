"""Time and memory of one long one-line report: extraction and geocoding stay linear.

``python -m benchmarks.bench_long [--mb 1 5 10] [--shape sentences unpunctuated]`` repeats
the bundled seed report's body, line breaks removed, into one line of each size (UTF-8
megabytes): ``sentences`` keeps its 。, ``unpunctuated`` also drops every sentence-final mark
(one sentence of megabytes, with its numbers and place names). It builds every table of it
as the build does (``report_tables``: articles, figures with places, places, reports,
texts), and prints seconds, seconds per MB and the peak memory of a child process per size.
Seconds per MB that grow with the size mean something is quadratic again (issue 15): a
shape's last line is PASS when the largest size takes at most 1.5 times the CPU seconds per MB
of the smallest (CPU seconds: a shared machine's neighbours do not inflate them). With
``--mb 50`` a line checks the goal of issue 15: 50 MB in under 60 s and 1 GB.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time

from benchmarks.goals import verdict
from xining_data.base.paths import RAW_DIR
from xining_data.read.report import parse_header, parse_report

SEED_REPORT = RAW_DIR / "000_4f7dffbbf6220809.txt"
SIZES_MB = (1.0, 5.0, 10.0)
SHAPES = ("sentences", "unpunctuated")
_SENTENCE_FINAL = re.compile(r"[。！？!?；;…]")
LINEAR = 1.5  # seconds per MB of the largest size against the smallest
GOAL_MB, GOAL_SECONDS, GOAL_PEAK_MB = 50, 60.0, 1024  # issue 15


def one_line(mb: float, shape: str = "sentences") -> str:
    body = parse_header(SEED_REPORT.read_text(encoding="utf-8"))[1].replace("\n", "")
    if shape == "unpunctuated":
        body = _SENTENCE_FINAL.sub("", body)
    times = int(mb * 2**20 / len(body.encode("utf-8"))) + 1
    return body * times


def measure(mb: float, shape: str = "sentences") -> dict:
    """Seconds for every table of a report of ``mb`` megabytes, and peak memory (this process)."""
    from xining_data.corpus.build import report_tables

    report_tables(parse_report("全市共有一家医院。".encode(), "warm.txt"))  # load vocabularies
    report = parse_report(one_line(mb, shape).encode("utf-8"), "long.txt", published="2025")
    started, cpu = time.perf_counter(), time.process_time()
    report_tables(report)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"mb": mb, "shape": shape, "seconds": seconds, "cpu": cpu, "peak_mb": peak / 2**20}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench_long")
    ap.add_argument("--mb", type=float, nargs="+", default=list(SIZES_MB))
    ap.add_argument("--shape", nargs="+", choices=SHAPES, default=list(SHAPES))
    ap.add_argument("--one", nargs=2, help=argparse.SUPPRESS)  # the child's size and shape
    args = ap.parse_args(argv)
    if args.one is not None:
        print(json.dumps(measure(float(args.one[0]), args.one[1])))
        return 0
    status = 0
    for shape in args.shape:
        rows = [_child(mb, shape) for mb in sorted(args.mb)]
        if len(rows) > 1:
            first, last = (r["cpu"] / r["mb"] for r in (rows[0], rows[-1]))
            status |= verdict(
                last <= LINEAR * first, f"linear time ({shape})",
                f"{last:.2f} CPU s per MB at {rows[-1]['mb']:g} MB, {first:.2f} at "
                f"{rows[0]['mb']:g} MB: ratio {last / first:.2f}", f"<= {LINEAR}",
            )  # fmt: skip
        for row in rows:
            if row["mb"] >= GOAL_MB:
                status |= verdict(
                    row["cpu"] < GOAL_SECONDS and row["peak_mb"] < GOAL_PEAK_MB,
                    f"{row['mb']:g} MB one-line report ({shape})",
                    f"{row['cpu']:.0f} CPU s, peak {row['peak_mb']:,.0f} MB",
                    f"< {GOAL_SECONDS:g} s, < {GOAL_PEAK_MB:,} MB",
                )  # fmt: skip
    return status


def _child(mb: float, shape: str) -> dict:
    """One size in a child process, so that peaks do not mix; prints and returns its row."""
    child = [sys.executable, "-m", "benchmarks.bench_long", "--one", str(mb), shape]
    row = json.loads(subprocess.run(child, check=True, capture_output=True, text=True).stdout)
    print(
        f"{row['mb']:g} MB one-line report ({shape}): {row['seconds']:.1f} s wall, "
        f"{row['cpu']:.1f} s CPU, {row['cpu'] / row['mb']:.2f} CPU s per MB, "
        f"peak {row['peak_mb']:,.0f} MB",
        flush=True,
    )
    return row


if __name__ == "__main__":
    sys.exit(main())

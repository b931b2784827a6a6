"""Command line: ``python -m xining_data COMMAND …`` prints the tables the notebooks use.

Commands that read reports take a report file or a folder of reports. Bad
input ends with one line on stderr naming the file and the problem, and exit
status 2; nothing is written. Heavy modules are imported inside commands so
that ``publish`` with nothing to do starts fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from xining_data.base.errors import ReportError

EXIT_BAD_INPUT = 2


def _table(kind: str) -> Callable:
    if kind == "articles":
        from xining_data.corpus.tables import articles_table

        return articles_table
    if kind == "figures":
        from xining_data.corpus.tables import figures_with_places

        return figures_with_places
    from xining_data.geo.places import places_table

    return places_table


def _reports(target: str, published: str | None, place: str | None) -> list:
    from xining_data.read.report import REPORT_SUFFIXES, checked_date, read_report, report_paths

    path = Path(target)
    if published is not None:  # checked once, before any report is read
        checked_date(published, "--published", "the date")
    paths = report_paths(path) if path.is_dir() else [path]
    if not paths:
        kinds = ", ".join(f"*{s}" for s in REPORT_SUFFIXES)
        raise ReportError(path, f"folder holds no report files ({kinds})")
    return [read_report(p, published=published, place=place) for p in paths]


def _print_table(args: argparse.Namespace) -> int:
    import pandas as pd

    from xining_data.output import emit

    make = _table(args.command)
    frames = [make(r) for r in _reports(args.report, args.published, args.place)]
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if args.command == "figures" and args.merged:
        from xining_data.extract.figures import merged_figures

        df = merged_figures(df)
    emit(df, args.format, args.output)
    return 0


def _print_text(args: argparse.Namespace) -> int:
    """The report's text exactly as offsets index it (a document's extracted text), as UTF-8."""
    from xining_data.read.report import read_report

    text = read_report(args.report).text
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return 0


def _publish(args: argparse.Namespace) -> int:
    from xining_data.publish.site import main_publish

    return main_publish(args.rest)


def _build(args: argparse.Namespace) -> int:
    from xining_data.corpus.build import main_build

    return main_build(args.rest)


def _verify(args: argparse.Namespace) -> int:
    from xining_data.verify import main_verify

    return main_verify(args.rest)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m xining_data", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    helps = {
        "articles": "articles with title, byline, theme, paragraph count and offsets",
        "figures": "every figure: offsets, text, kind, value, qualifier, unit, subject, date, sentence",
        "places": "every place mention, resolved to a division code and coordinates",
    }
    for name, text in helps.items():
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("report", help="a report file or a folder of reports")
        p.add_argument("--format", choices=("csv", "json"), default="csv")
        p.add_argument("--published", metavar="YYYY[-MM[-DD]]", help="publication date")
        p.add_argument("--place", help="the report's own city (for 我市, 全市)")
        p.add_argument("--output", "-o", metavar="FILE", help="write here (atomically)")
        if name == "figures":
            p.add_argument("--merged", action="store_true", help="merge repeated mentions")
        p.set_defaults(run=_print_table)
    text = "the text of one report exactly as offsets index it (extracted from HTML, PDF, Word)"
    p = sub.add_parser("text", help=text, description=text)
    p.add_argument("report", help="a report file (.txt, .html, .htm, .pdf, .docx)")
    p.set_defaults(run=_print_text)
    for name, run, text in (
        ("publish", _publish, "execute the notebooks and publish the stories and figure kit"),
        ("build", _build, "build the corpus tables as Parquet"),
        ("verify", _verify, "check published figures and places against the raw reports"),
    ):
        p = sub.add_parser(name, help=text, add_help=False)
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(run=run)
    return ap


_DELEGATED = {"publish": _publish, "build": _build, "verify": _verify}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in _DELEGATED:  # these commands parse their own options
        run, args = _DELEGATED[argv[0]], argparse.Namespace(rest=argv[1:])
    else:
        args = parser().parse_args(argv)
        run = args.run
    try:
        return run(args)
    except ReportError as exc:
        print(f"xining-data: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())

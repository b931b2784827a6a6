"""Generated hostile input through the library and the CLI: ``make fuzz`` (issue 15).

``python -m benchmarks.fuzz [--inputs 25000] [--seed 15] [--cli-every 10] [--only I]
[--kind K ...]`` draws
inputs from a seeded generator (input ``I`` of a seed is always the same bytes, so a failure
is replayed with ``--only I``), of these kinds:

- ``mix``: random runs of CJK words, place names, ASCII, Arabic and full-width digits, Chinese
  numerals, units, dates, punctuation of both widths, white space and odd code points;
- ``numeral``: one numeral of up to 6,000 characters (一…万…亿, 点, 零) before a unit;
- ``digits``: Arabic numbers of up to 5,000 digits, separators, decimals and percent signs;
- ``units``: a run of up to 20,000 units or multipliers (万万万…, 人人人…, %%%…);
- ``header``: a metadata header with good and impossible dates (9999-99-99, 0000, non-ASCII
  digits), unknown keys, or a header that never closes, before a mixed body;
- ``encoded``: mixed text in GB18030, UTF-16 or UTF-8 with BOM;
- ``bad``: empty and binary files, NUL bytes, truncated UTF-8, Shift-JIS, Big5 and Latin-1
  text, and garbage named ``.html``, ``.pdf`` or ``.docx``;
- ``html``: a web page of random paragraphs, a table and meta tags (UTF-8 or GB18030),
  sometimes cut short;
- ``pdf``: a PDF of random ASCII lines written by hand, valid or cut short or overwritten;
- ``docx``: a Word file from python-docx with random paragraphs and a table, valid or broken.

Each input is read with ``parse_report`` (with a ``published`` argument, good or impossible,
one time in ten) and every table the build writes is made of it (``report_tables``; the
figures schema is checked per batch of 500, as the build does). It must either raise
``ReportError`` or give tables whose offsets index the text: ``text[start:end] == text`` for
figures and places, each figure inside its sentence, measure and article offsets inside the
text, the texts table's text the report's. Every ``--cli-every``-th input is also written to a
file and run through ``python -m xining_data figures|places|articles FILE`` in this process:
exit 0 with a table (JSON offsets checked against ``read_report``), or exit 2 with exactly one
line on stderr that names the file (or ``--published``, when that argument is impossible). Anything else is a failure: the summary prints it with the
input's number and exits 1.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BATCH = 500  # figures tables checked against the schema at once, as the build does
PROGRESS = 2500  # inputs between two progress lines

_CJK = list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动")
_WORDS = ["增长", "同比", "新增", "共有", "全市", "完成", "投资", "就业", "亿元", "万人", "约",
          "余", "近", "超过", "达到", "第", "《", "》", "“", "”", "（", "）", "去年", "今年以来"]  # fmt: skip
_PLACES = ["西宁市", "城东区", "城中区", "城西区", "城北区", "湟中区", "湟源县", "大通县", "青海省",
           "海东市", "我市", "该区", "北京", "西宁火车站", "东关大街"]  # fmt: skip
_NUMERAL = list("一二两三四五六七八九十百千万亿零〇点廿卅壹贰叁拾佰仟")
_UNITS = list("人元个万亿千百%％亩米吨家所项户次件台辆座套处倍℃") + ["平方米", "公里", "千瓦时"]
_PUNCT = list("，。、；：？！…—,.;:?!-()[]《》“”\"'·/")
_SPACE = [" ", "\n", "\n\n", "\t", "\u3000", "\r\n", "\u2028"]
_ODD = ["\x00", "\ufeff", "\u200b", "\U0001f600", "\u2f08", "\ue000", "\ud7ff", "\x7f", "\u0301"]
_DATES = ["2025", "2025-01", "2025-01-15", "2024-02-29", "9999-99-99", "0000", "2025-02-30",
          "2025-13-45", "２０２５", "٢٠٢٥-٠١-٠١", "25-1-1", "", "abc", "2023-02-29", "1-01-01"]  # fmt: skip
_HEADER_KEYS = ["source", "publisher", "published", "published_inferred", "place",
                "place_adcode", "title", "author", "url", "colour", ""]  # fmt: skip
_BAD_ENCODINGS = [("shift_jis", "ひらがなとカタカナの文章です。東京都は人口が多い。"),
                  ("big5", "臺灣的人口約二千三百萬人。"), ("latin-1", "Café société à Zürich, 12 £")]  # fmt: skip


def _pick(rng: random.Random, pool: list[str], n: int) -> str:
    return "".join(rng.choice(pool) for _ in range(n))


def _number(rng: random.Random) -> str:
    shape = rng.randrange(5)
    if shape == 0:
        return str(rng.randrange(10 ** rng.randint(1, 12)))
    if shape == 1:
        return f"{rng.randrange(10**6)}.{rng.randrange(10**3)}"
    if shape == 2:
        return f"{rng.randrange(1, 10**4):,}"
    if shape == 3:
        return _pick(rng, _NUMERAL, rng.randint(1, 8))
    return str(rng.randint(1, 12)) + "月" + str(rng.randint(1, 31)) + "日"


def mix_text(rng: random.Random, tokens: int | None = None) -> str:
    """Random runs of the pools above (the ``mix`` kind)."""
    pools: list[Callable[[], str]] = [
        lambda: _pick(rng, _CJK, rng.randint(1, 6)),
        lambda: rng.choice(_WORDS),
        lambda: rng.choice(_PLACES),
        lambda: _number(rng),
        lambda: rng.choice(_UNITS),
        lambda: rng.choice(_PUNCT),
        lambda: rng.choice(_SPACE),
        lambda: rng.choice(["2024年", "2025年3月", "去年11月", "截至6月底", "前三季度"]),
        lambda: _pick(rng, list("abcXYZ0123456789"), rng.randint(1, 5)),
        lambda: "".join(chr(0xFF10 + int(d)) for d in str(rng.randrange(10**4))),
        lambda: rng.choice(_ODD),
    ]
    weights = [6, 4, 3, 5, 4, 4, 2, 2, 1, 1, 1]
    n = rng.randint(0, 120) if tokens is None else tokens
    return "".join(rng.choices(pools, weights)[0]() for _ in range(n))


def _numeral(rng: random.Random) -> str:
    run = _pick(rng, _NUMERAL, rng.randint(1, 6000)) if rng.random() < 0.7 else (
        rng.choice(["万", "亿", "一万", "一亿", "十", "零"]) * rng.randint(2, 3000))  # fmt: skip
    return f"共有{run}{rng.choice(_UNITS)}。"


def _digits(rng: random.Random) -> str:
    run = _pick(rng, list("0123456789"), rng.randint(1, 5000))
    if rng.random() < 0.5:
        run += rng.choice([".", ",", "．", "点"]) + _pick(
            rng, list("0123456789.,"), rng.randint(1, 200)
        )
    return f"增长{run}{rng.choice(['%', '万人', '亿元', '', '%%%%'])}。"


def _units(rng: random.Random) -> str:
    run = rng.choice(_UNITS + ["万", "亿", "余", "多"]) * rng.randint(100, 20_000)
    return rng.choice(["1", "共有三", "", "12.5"]) + run + rng.choice(["。", "", "，同比增长5%。"])


def _header(rng: random.Random) -> str:
    lines = ["---"]
    for _ in range(rng.randint(0, 6)):
        key = rng.choice(_HEADER_KEYS)
        value = rng.choice(_DATES) if key == "published" or rng.random() < 0.3 else mix_text(rng, 3)
        lines.append(f"{key}: {value}" if rng.random() < 0.9 else mix_text(rng, 2))
    if rng.random() < 0.85:
        lines.append("---")  # else the header never closes
    return "\n".join(lines) + "\n" + mix_text(rng)


def _bad(rng: random.Random) -> tuple[str, bytes]:
    """A file no reader can take, or can take only in part: (suffix, bytes)."""
    roll = rng.randrange(8)
    if roll == 0:
        return ".txt", b""
    if roll == 1:
        return ".txt", rng.randbytes(rng.randint(1, 2000))
    if roll == 2:
        return ".txt", mix_text(rng).encode("utf-8") + b"\x00" * rng.randint(1, 50)
    if roll == 3:
        data = mix_text(rng, 40).encode("utf-8")
        return ".txt", data[: rng.randint(0, len(data))] + b"\xe4\xb8"  # cut inside a character
    if roll == 4:
        encoding, text = rng.choice(_BAD_ENCODINGS)
        return ".txt", (text * rng.randint(1, 20)).encode(encoding)
    if roll == 5:
        return ".txt", b"\xef\xbb\xbf" + rng.randbytes(rng.randint(0, 300))
    suffix = rng.choice([".html", ".pdf", ".docx"])
    head = {".html": b"<html><body>", ".pdf": b"%PDF-1.4\n", ".docx": b"PK\x03\x04"}[suffix]
    return suffix, head + rng.randbytes(rng.randint(0, 800))


def _html(rng: random.Random) -> bytes:
    """A web page: random paragraphs, a table of random cells, meta tags; sometimes cut."""
    from html import escape

    meta = "".join(
        f'<meta name="{rng.choice(["title", "author", "publishdate", "og:title", "x"])}" '
        f'content="{escape(rng.choice(_DATES + [mix_text(rng, 3)]))}">'
        for _ in range(rng.randint(0, 3))
    )
    paras = "".join(
        f"<p>{escape(mix_text(rng, rng.randint(0, 40)))}</p>" for _ in range(rng.randint(0, 8))
    )
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(mix_text(rng, rng.randint(0, 4)))}</td>"
                         for _ in range(rng.randint(1, 5))) + "</tr>"
        for _ in range(rng.randint(0, 6))
    )  # fmt: skip
    body = rng.choice(["<article>{}</article>", "<div><div>{}</div>", "{}"]).format(
        f"<h1>{escape(mix_text(rng, 4))}</h1>{paras}<table>{rows}</table>"
    )
    data = f"<html><head><title>{escape(mix_text(rng, 3))}</title>{meta}</head><body>{body}</body></html>"
    raw = data.encode(rng.choice(["utf-8", "utf-8", "gb18030"]), errors="replace")
    return raw[: rng.randint(1, len(raw))] if rng.random() < 0.2 else raw


def _pdf(rng: random.Random) -> bytes:
    """A PDF of ASCII lines (numbers, units, words) in a standard font, written by hand with a
    right cross-reference table; one time in three cut short or with bytes overwritten."""
    words = ["GDP", "grew", "4.8%", "in", "2025", "Xining", "1,234", "t", "km", "c1.-", "PM2.5"]
    lines = [
        " ".join(rng.choice(words + [str(rng.randrange(10**6))]) for _ in range(rng.randint(0, 9)))
        for _ in range(rng.randint(0, 12))
    ]
    text = "".join(
        f"({line.replace(chr(92), '').replace('(', '').replace(')', '')}) Tj 0 -14 Td "
        for line in lines
    )
    stream = f"BT /F1 12 Tf 40 800 Td {text}ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)  # fmt: skip
    return _broken(rng, bytes(out)) if rng.random() < 0.33 else bytes(out)


def _docx(rng: random.Random) -> bytes:
    """A Word file from python-docx: random paragraphs and a table; one in three broken."""
    import docx

    document = docx.Document()
    if rng.random() < 0.5:
        document.core_properties.title = mix_text(rng, 3).replace("\x00", "")[:200]
    for _ in range(rng.randint(0, 8)):
        document.add_paragraph(_xml_safe(mix_text(rng, rng.randint(0, 40))))
    if rng.random() < 0.5:
        rows, cols = rng.randint(1, 5), rng.randint(1, 4)
        table = document.add_table(rows=rows, cols=cols)
        for cell in (c for row in table.rows for c in row.cells):
            cell.text = _xml_safe(mix_text(rng, rng.randint(0, 4)))
    out = io.BytesIO()
    document.save(out)
    return _broken(rng, out.getvalue()) if rng.random() < 0.33 else out.getvalue()


def _xml_safe(text: str) -> str:
    """What XML 1.0 can hold (python-docx refuses control characters and lone surrogates)."""
    return "".join(
        c for c in text if c in "\t\n\r" or (c >= " " and not "\ud800" <= c <= "\udfff"
                                               and c not in "\ufffe\uffff")
    )  # fmt: skip


def _broken(rng: random.Random, data: bytes) -> bytes:
    """A valid file cut short, or with a run of its bytes overwritten."""
    if rng.random() < 0.5:
        return data[: rng.randint(1, len(data) - 1)]
    at = rng.randrange(len(data))
    return data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at + 64 :]


@dataclass(frozen=True)
class Case:
    """One generated input: its number, kind, file suffix, bytes and ``published`` argument."""

    index: int
    kind: str
    suffix: str
    data: bytes
    published: str | None = None


TEXT_KINDS = ("mix", "numeral", "digits", "units", "header", "encoded", "bad")
WEIGHTS = (40, 8, 8, 6, 14, 8, 16)
# Document formats (the same rules hold for every format the project reads). They are drawn
# from a stream of their own, so a text input keeps its number (replays stay the same).
_DOCUMENTS = {"html": (".html", _html), "pdf": (".pdf", _pdf), "docx": (".docx", _docx)}
DOCUMENT_SHARE = 0.15
KINDS = TEXT_KINDS + tuple(_DOCUMENTS)


def case(seed: int, index: int) -> Case:
    """Input ``index`` of ``seed``: always the same."""
    formats = random.Random(f"{seed}:{index}:document")
    if formats.random() < DOCUMENT_SHARE:
        kind = formats.choice(list(_DOCUMENTS))
        suffix, make = _DOCUMENTS[kind]
        return Case(index, kind, suffix, make(formats), None)
    rng = random.Random(f"{seed}:{index}")
    kind = rng.choices(TEXT_KINDS, WEIGHTS)[0]
    suffix = ".txt"
    if kind == "bad":
        suffix, data = _bad(rng)
    elif kind == "encoded":
        encoding = rng.choice(["gb18030", "utf-16", "utf-8-sig", "utf-16-le"])
        data = mix_text(rng).encode(encoding, errors="replace")
    else:
        maker = {"mix": mix_text, "numeral": _numeral, "digits": _digits, "units": _units}
        data = maker.get(kind, _header)(rng).encode("utf-8", errors="surrogatepass")
    published = rng.choice(_DATES) if rng.random() < 0.1 else None
    return Case(index, kind, suffix, data, published)


def offset_problems(tables: dict, text: str) -> list[str]:
    """What is wrong with a report's tables against its text (empty: nothing)."""
    problems = []
    for name in ("figures", "places"):
        df = tables[name]
        for start, end, words in zip(df["start"], df["end"], df["text"], strict=True):
            if text[start:end] != words:
                problems.append(f"{name}: text[{start}:{end}] != {words!r}")
    fig = tables["figures"]
    for row in fig[["start", "end", "sentence_start", "sentence_end", "measure_start",
                    "measure_end"]].itertuples(index=False):  # fmt: skip
        if not row.sentence_start <= row.start < row.end <= row.sentence_end <= len(text):
            problems.append(f"figure {row.start}:{row.end} outside its sentence")
        if row.measure_start != -1 and not 0 <= row.measure_start <= row.measure_end <= len(text):
            problems.append(f"measure {row.measure_start}:{row.measure_end} outside the text")
    art = tables["articles"]
    if ((art["start"] < 0) | (art["end"] > len(text)) | (art["start"] > art["end"])).any():
        problems.append("article offsets outside the text")
    if list(tables["texts"]["text"]) != [text]:
        problems.append("texts table does not hold the report's text")
    return problems


@dataclass
class Tally:
    """What the run saw."""

    counts: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    pending: list = field(default_factory=list)  # (index, figures) awaiting the schema check

    def fail(self, c: Case, where: str, what: str) -> None:
        self.counts["failures"] += 1
        if len(self.failures) < 20:
            self.failures.append(f"#{c.index} {c.kind}{c.suffix} {where}: {what} "
                                 f"(published={c.published!r}, bytes={c.data[:80]!r})")  # fmt: skip


@contextlib.contextmanager
def _quiet():
    """Warnings (an unclosed header, a guessed date) are not what the run checks."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def check_library(c: Case, tally: Tally) -> None:
    """``parse_report`` and every table of the build, on one input."""
    from xining_data.base.errors import ReportError
    from xining_data.corpus.build import report_tables
    from xining_data.read.report import parse_report

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report = parse_report(c.data, f"fuzz{c.index}{c.suffix}", published=c.published)
            tables = report_tables(report)
    except ReportError:
        tally.counts["refused (ReportError)"] += 1
        return
    except Exception:  # noqa: BLE001 - a crash is what the run looks for
        tally.fail(c, "library", traceback.format_exc(limit=-3).strip().replace("\n", " | "))
        return
    tally.counts["read"] += 1
    tally.counts["figures rows"] += len(tables["figures"])
    tally.counts["places rows"] += len(tables["places"])
    for problem in offset_problems(tables, report.text)[:3]:
        tally.fail(c, "offsets", problem)
    tally.pending.append((c, tables["figures"]))


def check_schema(tally: Tally) -> None:
    """The figures of the pending inputs against the schema, at once (one by one on failure)."""
    import pandas as pd

    from xining_data.extract.figures import FIGURES_SCHEMA

    frames = [df for _, df in tally.pending]
    if frames:
        try:
            FIGURES_SCHEMA.validate(pd.concat(frames, ignore_index=True))
        except Exception:  # noqa: BLE001 - narrowed below
            for c, df in tally.pending:
                try:
                    FIGURES_SCHEMA.validate(df)
                except Exception as exc:  # noqa: BLE001
                    tally.fail(c, "schema", str(exc).splitlines()[0])
    tally.pending.clear()


def check_cli(c: Case, folder: Path, tally: Tally) -> None:
    """One command on the input written to a file: exit 0 and a table, or 2 and one line."""
    from xining_data.cli import main
    from xining_data.read.report import read_report

    path = folder / f"fuzz{c.index}{c.suffix}"
    path.write_bytes(c.data)
    command = ("figures", "places", "articles")[c.index % 3]
    argv = [command, str(path), "--format", "json"]
    if c.published is not None and command == "figures":
        argv += ["--published", c.published]
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _quiet():
            status = main(argv)
    except BaseException:  # noqa: BLE001 - SystemExit and crashes alike
        tally.fail(c, f"cli {command}", traceback.format_exc(limit=-2).strip().replace("\n", " | "))
        return
    tally.counts[f"cli exit {status}"] += 1
    lines = err.getvalue().splitlines()
    if status == 2:
        named = path.name if c.published is None or command != "figures" else "--published"
        if len(lines) != 1 or (path.name not in lines[0] and named not in lines[0]):
            tally.fail(c, f"cli {command}", f"exit 2 with stderr {err.getvalue()[:300]!r}")
    elif status != 0:
        tally.fail(c, f"cli {command}", f"exit {status}")
    elif command != "articles":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            text = read_report(path, published=c.published if command == "figures" else None).text
        for row in json.loads(out.getvalue() or "[]"):
            if text[row["start"] : row["end"]] != row["text"]:
                tally.fail(
                    c, f"cli {command}", f"text[{row['start']}:{row['end']}] != {row['text']!r}"
                )
                break
    path.unlink()


def run(
    inputs: int, seed: int, cli_every: int, only: int | None = None, kinds: tuple = KINDS
) -> Tally:
    tally = Tally()
    indices = [only] if only is not None else range(inputs)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        for i in indices:
            c = case(seed, i)
            if c.kind not in kinds:
                continue
            tally.counts[f"kind {c.kind}"] += 1
            check_library(c, tally)
            if cli_every and i % cli_every == 0:
                check_cli(c, Path(tmp), tally)
            if len(tally.pending) >= BATCH:
                check_schema(tally)
            if i and i % PROGRESS == 0:
                print(f"  {i:,} inputs, {tally.counts['failures']} failures", flush=True)
        check_schema(tally)
    return tally


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.fuzz", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--inputs", type=int, default=25_000, help="generated inputs (default 25000)")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--cli-every", type=int, default=10, help="every Nth input also via the CLI")
    ap.add_argument("--only", type=int, help="replay one input by its number")
    ap.add_argument("--kind", nargs="+", choices=KINDS, default=list(KINDS),
                    help="check only the inputs of these kinds (e.g. html pdf docx)")  # fmt: skip
    args = ap.parse_args(argv)
    started = time.perf_counter()
    tally = run(args.inputs, args.seed, args.cli_every, args.only, tuple(args.kind))
    seconds = time.perf_counter() - started
    done = sum(v for k, v in tally.counts.items() if k.startswith("kind "))
    cli = sum(v for k, v in tally.counts.items() if k.startswith("cli exit"))
    print(f"fuzz: {done:,} inputs (seed {args.seed}), {cli:,} through the CLI, in {seconds:.0f} s")
    for key in sorted(tally.counts):
        print(f"  {key}: {tally.counts[key]:,}")
    for line in tally.failures:
        print(f"FAIL {line}")
    verdict = "PASS" if not tally.counts["failures"] else "FAIL"
    print(f"{verdict}: {tally.counts['failures']} failures (crashes, offsets, schema, CLI lines)")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())

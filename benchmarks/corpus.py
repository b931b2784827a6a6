"""A realistic archive for measurement, assembled from real report sentences.

How it is made (deterministic for a given seed):
- The material is the sentences of reports of several genres (by default the bundled report
  and the test corpus's own-written work report, communiqué, press conference, brief,
  weather warning, district page, township page, commentary; or ``--source DIR``),
  as ``xining_data.read.segment.sentences`` returns them (print-column breaks repaired), grouped
  by article, with each article's headline and byline.
- A synthetic report has the metadata header (a publication date spread over 2015-2025, the
  report's own city) and one to four articles. An article takes the headline of one real
  article and 2-5 paragraphs of 1-4 sentences drawn from that same article, so the theme
  stays coherent, and ends with its real byline. Reports are cut at about ``--size`` bytes.
- Every Arabic number gets a new random value of the same shape: a year before 年 within
  2010-2025, a month 1-12 before 月, a day 1-28 before 日, decimals keep their number of
  decimals, other integers their number of digits. One small integer in ten is written in
  Chinese numerals instead (cn2an.an2cn), so numeral parsing is exercised too.
- Surface variety seen in real archives: one report in ten uses half-width punctuation,
  one in twenty full-width digits; one file in ten is GB18030 and one in fifty UTF-16.
- ``bad`` files (binary, empty) are added to exercise the errors table.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from xining_data.base.paths import RAW_DIR
from xining_data.read.report import read_reports
from xining_data.read.segment import articles, sentences

# The default material: the bundled report and the test corpus (several genres).
GENRES = (RAW_DIR, Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "corpus")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_HALF_WIDTH = str.maketrans({"，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "！": "!"})
_FULL_WIDTH_DIGITS = str.maketrans({str(d): chr(0xFF10 + d) for d in range(10)})


@dataclass(frozen=True)
class SourceArticle:
    """One real article: headline, sentences, byline line."""

    title: str
    sentences: tuple[str, ...]
    byline: str


def source_articles(
    folder: str | Path | tuple[str | Path, ...] | None = None,
) -> list[SourceArticle]:
    """The articles of real reports (one folder or several; None: :data:`GENRES`), as
    material for synthetic ones."""
    folders = GENRES if folder is None else folder if isinstance(folder, tuple) else (folder,)
    out = []
    for report in (r for f in folders if Path(f).is_dir() for r in read_reports(f)):
        arts = articles(report)
        titles = {a.order: (a.title_start, a.title_end) for a in arts}
        by_article: dict[int, list[str]] = {}
        for s in sentences(report):
            t_start, t_end = titles[s.article]
            if not t_start <= s.start < t_end:  # headline sentences are not body text
                by_article.setdefault(s.article, []).append(s.text)
        for art in arts:
            body = by_article.get(art.order, [])
            if not body:
                continue
            byline = f"({art.reporter_role} {art.reporter})" if art.reporter else ""
            out.append(SourceArticle(art.title or body[0][:20], tuple(body), byline))
    if not out:
        raise ValueError(f"no article with sentences in {folder or 'the bundled corpus'}")
    return out


def vary_numbers(text: str, rng: random.Random) -> str:
    """Every Arabic number replaced by a random one of the same shape (see the module doc)."""
    import cn2an

    def new(m: re.Match) -> str:
        digits, after = m.group(), text[m.end() : m.end() + 1]
        if "." in digits:
            whole, frac = digits.split(".")
            return f"{_same_length(whole, rng)}.{rng.randrange(10 ** len(frac)):0{len(frac)}d}"
        if after == "年" and len(digits) == 4:
            return str(rng.randint(2010, 2025))
        if after == "月":
            return str(rng.randint(1, 12))
        if after == "日":
            return str(rng.randint(1, 28))
        value = _same_length(digits, rng)
        if after not in "%％" and int(value) < 10_000 and rng.random() < 0.1:
            return cn2an.an2cn(value)
        return value

    return _NUMBER.sub(new, text)


def _same_length(digits: str, rng: random.Random) -> str:
    if len(digits) == 1:
        return str(rng.randint(1, 9))
    return str(rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))


def synthetic_report(material: list[SourceArticle], rng: random.Random, size: int) -> str:
    """One report's text (header included), about ``size`` bytes in UTF-8."""
    year = rng.randint(2015, 2025)
    header = (
        f"---\nsource: synthetic benchmark report from real sentences\n"
        f"published: {year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
        f"place: 西宁市\nplace_adcode: 630100\n---\n"
    )
    parts: list[str] = []
    length = 0
    for _ in range(rng.randint(1, 4)):
        art = rng.choice(material)
        lines = [art.title, ""]
        for _ in range(rng.randint(2, 5)):
            k = rng.randint(1, min(4, len(art.sentences)))
            lines += ["".join(rng.sample(art.sentences, k)), ""]
        if art.byline:
            lines += [art.byline, ""]
        block = vary_numbers("\n".join(lines), rng)
        parts.append(block)
        length += len(block.encode("utf-8"))
        if length >= size:
            break
    body = "\n\n".join(parts)
    if rng.random() < 0.1:
        body = body.translate(_HALF_WIDTH)
    if rng.random() < 0.05:
        body = body.translate(_FULL_WIDTH_DIGITS)
    return header + body


@dataclass(frozen=True)
class ArchiveSpec:
    """The archive to write: how many reports of about what size, how many bad files."""

    reports: int
    size: int = 3000  # bytes per report, about
    bad: int = 0  # bad files (binary, empty) added
    seed: int = 20250115
    source: str | Path | None = None  # folder of real reports; None: GENRES


def write_archive(folder: str | Path, spec: ArchiveSpec) -> dict[str, int]:
    """Write ``spec.reports`` synthetic reports (and ``spec.bad`` bad files); returns counts
    and bytes."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(spec.seed)
    material = source_articles(spec.source)
    total = 0
    encodings = {"utf-8": 0, "gb18030": 0, "utf-16": 0}
    for n in range(spec.reports):
        text = synthetic_report(material, rng, spec.size)
        roll = rng.random()
        encoding = "utf-16" if roll < 0.02 else "gb18030" if roll < 0.12 else "utf-8"
        data = text.encode(encoding)
        (folder / f"r{n:06d}.txt").write_bytes(data)
        encodings[encoding] += 1
        total += len(data)
    for n in range(spec.bad):
        data = bytes(rng.randrange(256) for _ in range(512)) if n % 2 == 0 else b""
        (folder / f"bad{n:03d}.txt").write_bytes(data)
    return {"reports": spec.reports, "bad": spec.bad, "bytes": total, **encodings}

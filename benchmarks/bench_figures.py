"""Throughput of figure extraction against cn2an's ``transform`` on the same text.

``python -m benchmarks.bench_figures [--mb 10] [--seed 20250101]`` assembles at least
``--mb`` megabytes (UTF-8) of report text from the bundled seed report's sentences, with
every number varied (Arabic numbers redrawn with the same number of digits, years drawn
from 2015-2025, Chinese counts such as 三个 redrawn), grouped into articles of 6-15
sentences. It then times, in one run, full extraction (``extract`` article by article:
tokens, types, values, qualifiers, dates, subjects, periods) and ``cn2an.transform(text,
"cn2an")`` (which only rewrites Chinese numerals as digits) over the same text, and prints
characters per second of both and their ratio.
"""

from __future__ import annotations

import argparse
import random
import re
import time
import warnings

import cn2an

from xining_data.base.paths import RAW_DIR
from xining_data.extract.figures import extract
from xining_data.read.report import read_report
from xining_data.read.segment import sentences

SEED_REPORT = RAW_DIR / "000_4f7dffbbf6220809.txt"
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_CN_COUNT = re.compile(r"[一二三四五六七八九十两]+(?=[个家套支部])")


def _vary(sentence: str, rng: random.Random) -> str:
    """The sentence with its numbers redrawn (same shape, new values)."""

    def arabic(m: re.Match) -> str:
        text = m.group()
        whole, _, frac = text.partition(".")
        if len(whole) == 4 and whole.startswith(("19", "20")):
            return str(rng.randint(2015, 2025))
        digits = str(
            rng.randint(10 ** (len(whole) - 1) if len(whole) > 1 else 1, 10 ** len(whole) - 1)
        )
        return digits + ("." + "".join(rng.choice("0123456789") for _ in frac) if frac else "")

    sentence = _ARABIC.sub(arabic, sentence)
    return _CN_COUNT.sub(lambda m: cn2an.an2cn(str(rng.randint(2, 99))), sentence)


def corpus(megabytes: float, seed: int) -> list[str]:
    """Articles of varied seed sentences, at least ``megabytes`` of UTF-8 in all."""
    rng = random.Random(seed)
    pool = [s.text for s in sentences(read_report(SEED_REPORT))]
    articles, size, goal = [], 0, megabytes * 1_000_000
    while size < goal:
        picked = [_vary(rng.choice(pool), rng) for _ in range(rng.randint(6, 15))]
        paragraphs = ["".join(picked[i : i + 3]) for i in range(0, len(picked), 3)]
        article = "\n\n".join(paragraphs)
        articles.append(article)
        size += len(article.encode("utf-8")) + 2
    return articles


def run(megabytes: float = 10.0, seed: int = 20250101) -> dict[str, float]:
    """Time both over the same text; return the measurements."""
    articles = corpus(megabytes, seed)
    text = "\n\n".join(articles)
    extract("预热：新增就业6.95万人")  # load the vocabularies outside the timing
    start = time.perf_counter()
    figures = sum(len(extract(a)) for a in articles)
    ours = time.perf_counter() - start
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cn2an warns on every numeral it cannot read
        start = time.perf_counter()
        cn2an.transform(text, "cn2an")
        theirs = time.perf_counter() - start
    return {
        "megabytes": len(text.encode("utf-8")) / 1_000_000,
        "characters": len(text),
        "articles": len(articles),
        "figures": figures,
        "extract_cps": len(text) / ours,
        "cn2an_cps": len(text) / theirs,
        "ratio": theirs / ours,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=10.0, help="megabytes of text (default 10)")
    ap.add_argument("--seed", type=int, default=20250101, help="random seed for the numbers")
    args = ap.parse_args(argv)
    r = run(args.mb, args.seed)
    print(
        f"corpus: {r['megabytes']:.1f} MB, {r['characters']:,} characters, "
        f"{r['articles']:,} articles, {r['figures']:,} figures"
    )
    print(f"xining_data.extract.figures.extract : {r['extract_cps']:>12,.0f} characters/s")
    print(f"cn2an.transform(cn2an)      : {r['cn2an_cps']:>12,.0f} characters/s")
    print(f"ratio (extract / cn2an)     : {r['ratio']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Publishing: run every story notebook in Chinese and English and export self-contained HTML.

``python -m xining_data publish [--reports DIR] [--force]`` (``make publish``) executes
each ``notebooks/<name>.py`` (jupytext percent format, the source of truth; the
paired ``.ipynb`` is committed without outputs) once per language with papermill,
exports it with nbconvert and the house template (``templates/story/``), and
writes ``site/<name>.<language>.html``, ``site/index.html`` and a copy of the
figure kit in ``site/figures/``.

Conventions for a story notebook
--------------------------------
Parameters
    One code cell tagged ``parameters`` (papermill) that sets::

        reports_dir = None  # folder of raw reports; None: the library default
        language = "zh"     # edition being rendered: "zh" or "en"

    publish injects both, runs the notebook with ``cwd`` = the notebooks folder,
    the kernel ``xining-data`` (``python3`` when it is not installed) and a
    per-cell timeout. The kernel's environment has ``XINING_DATA_FIGURES`` (where
    :func:`xining_data.kit.save_chart` writes) and, with ``--reports``,
    ``XINING_DATA_REPORTS``.

Story metadata (masthead and footer of the page)
    Call :func:`story_meta` in a cell, with values computed in the notebook::

        story_meta(headline=..., dek=..., byline=..., date="2025-01-15",
                   kicker=..., theme="water", order=3,
                   sources=["…", {"text": "…", "url": "https://…"}], method=["…"])

    It displays one output of MIME type ``application/vnd.xining-data.story+json``
    that the page does not show. Static defaults may sit in the notebook metadata
    (the jupytext header) under ``story``, each value a string or a
    ``{"zh": …, "en": …}`` mapping; :func:`story_meta` overrides them. Without a
    headline, the first markdown ``# H1`` is used (and removed from the body),
    then the file name. ``order`` sorts the index; ``theme`` picks the accent
    colour (:data:`xining_data.style.THEME_COLORS`).

Cell tags
    ``lang-zh`` / ``lang-en``: the cell appears only in that edition (for static
    markdown in one language). ``remove-cell``, ``remove-output``: hidden.
    ``parameters`` and papermill's ``injected-parameters`` are never shown. Code
    is never shown; stderr (warnings, progress bars) is dropped.

Charts
    :func:`xining_data.kit.save_chart` writes the kit; :func:`xining_data.kit.show_chart`
    shows the chart inline with its alt text.

The pages load nothing: CSS and images are inline, there is no ``<script>``
(MathJax, require.js, widgets and JavaScript outputs are left out), and the
Chinese font is a subset of Noto Sans CJK SC to the page's characters, embedded
as a data URI.

Incremental and atomic
    ``build/publish-state.json`` records, per page, the sha256 of its inputs (the
    notebook, every file of the ``xining_data`` package including the templates,
    every file in the reports folder); a run with nothing changed does nothing.
    Pages are rendered into ``site.tmp-*`` next to ``site/`` and swapped in only
    when every notebook succeeded; a failure leaves the previous site as it was
    and names the notebook and the failing cell. This module imports only the
    standard library at the top, so the no-op path is fast.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .paths import (
    BUILD_DIR,
    FIGURES_DIR,
    FIGURES_ENV,
    NOTEBOOKS_DIR,
    PACKAGE_DIR,
    REPORTS_ENV,
    SCHEMAS_DIR,
    SITE_DIR,
    TEMPLATES_DIR,
    reports_dir,
)
from .style import THEME_COLORS

LANGUAGES = ("zh", "en")
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
STORY_MIME = "application/vnd.xining-data.story+json"
KERNEL_NAME = "xining-data"
FALLBACK_KERNEL = "python3"
EXECUTION_TIMEOUT = 600  # seconds per cell
START_TIMEOUT = 120  # seconds for the kernel to start
STATE_NAME = "publish-state.json"
TEMPLATE_DIR = TEMPLATES_DIR / "story"
FONT_FAMILY = "XD Noto Sans SC"
FONT_MARKER = "/*xd-font-face*/"
# Bump when the page format changes, so every page is rendered again.
RENDER_VERSION = 1

HIDDEN_TAGS = {"parameters", "injected-parameters", "remove-cell", "story-meta"}
_SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints"}
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""", re.IGNORECASE)
_SRCSET = re.compile(r"(\S+)(?:\s+[^,]*)?(?:,\s*|$)")  # URL, then descriptors, comma
_CSS_IMPORT = re.compile(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]+)", re.IGNORECASE)

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "name": "中文",
        "site": "西宁数据",
        "tagline": "西宁城市报道里的数字：可追溯到原句的数据、地图和报道。",
        "home": "← 全部报道",
        "stories": "报道",
        "sources": "来源",
        "method": "方法说明",
        "colophon": "由 xining-data 生成",
        "figure_kit": "图表工具包",
        "kit_help": "每张图表都有 PNG（2 倍分辨率）、SVG 和图中数据的 CSV；清单列出标题、来源、替代文字、单位和文件校验和。",
        "chart": "图表",
        "alt": "替代文字",
        "files": "文件",
        "no_stories": "暂无报道。",
        "no_charts": "暂无图表。",
    },
    "en": {
        "name": "English",
        "site": "Xining data",
        "tagline": "The figures in Xining's city reports: data traceable to the sentence, maps and stories.",
        "home": "← All stories",
        "stories": "Stories",
        "sources": "Sources",
        "method": "Method notes",
        "colophon": "Made with xining-data",
        "figure_kit": "Figure kit",
        "kit_help": "Every chart comes as PNG (2x), SVG and the CSV of the data drawn; the manifest lists title, source, alt text, units and file checksums.",
        "chart": "Chart",
        "alt": "Alt text",
        "files": "Files",
        "no_stories": "No stories yet.",
        "no_charts": "No charts yet.",
    },
}
THEME_LABELS: dict[str, dict[str, str]] = {
    "overview": {"zh": "概览", "en": "Overview"},
    "community": {"zh": "社区", "en": "Community"},
    "employment": {"zh": "就业", "en": "Employment"},
    "water": {"zh": "饮水与节水", "en": "Water"},
    "carbon": {"zh": "气候与低碳", "en": "Climate and carbon"},
    "digital": {"zh": "数字城市", "en": "Digital city"},
}


class PublishError(Exception):
    """A publish that could not finish; the message is one line naming what failed."""


@dataclass(frozen=True)
class PublishResult:
    rendered: tuple[str, ...]  # page files rendered in this run
    unchanged: tuple[str, ...]  # page files kept from the previous run
    changed: bool  # whether site/ was replaced
    seconds: float


@dataclass(frozen=True)
class _Job:
    """One page to render: a notebook in one language."""

    notebook: Path
    language: str
    page: str
    languages: tuple[str, ...]
    reports: str | None
    figures_dir: Path
    build_dir: Path
    out_dir: Path
    kernel_name: str
    timeout: int


# --------------------------------------------------------------------------- in notebooks


def story_meta(
    *,
    headline: str,
    dek: str = "",
    byline: str = "",
    date: str = "",
    kicker: str = "",
    theme: str = "",
    order: int | None = None,
    sources: Iterable[str | dict[str, str]] = (),
    method: Iterable[str] = (),
) -> None:
    """Declare the page's masthead and footer from inside a story notebook (see module doc)."""
    from IPython.display import display

    meta: dict[str, Any] = {
        "headline": str(headline),
        "dek": str(dek),
        "byline": str(byline),
        "date": str(date),
        "kicker": str(kicker),
        "theme": str(theme),
        "sources": [s if isinstance(s, dict) else str(s) for s in sources],
        "method": [str(m) for m in method],
    }
    if order is not None:
        meta["order"] = int(order)
    meta = {k: v for k, v in meta.items() if v not in ("", [])}
    display({STORY_MIME: meta, "text/plain": f"story: {headline}"}, raw=True)


# --------------------------------------------------------------------------- the build


def publish(
    notebooks_dir: str | Path = NOTEBOOKS_DIR,
    site_dir: str | Path = SITE_DIR,
    figures_dir: str | Path = FIGURES_DIR,
    reports: str | Path | None = None,
    force: bool = False,
    *,
    build_dir: str | Path = BUILD_DIR,
    library_dir: str | Path | None = None,
    languages: Iterable[str] = LANGUAGES,
    kernel_name: str | None = None,
    timeout: int = EXECUTION_TIMEOUT,
    jobs: int | None = None,
    log: Callable[[str], None] | None = None,
) -> PublishResult:
    """Render every notebook that changed, then swap the new site in; see the module doc."""
    started = time.perf_counter()
    say = log or (lambda _msg: None)
    library_dir = PACKAGE_DIR if library_dir is None else library_dir
    notebooks_dir, site_dir, figures_dir, build_dir, library_dir = (
        Path(p).resolve() for p in (notebooks_dir, site_dir, figures_dir, build_dir, library_dir)
    )
    languages = tuple(languages)
    folder = Path(reports).resolve() if reports is not None else reports_dir()
    if not folder.is_dir():
        raise PublishError(f"{folder}: no such folder of reports")
    if not notebooks_dir.is_dir():
        raise PublishError(f"{notebooks_dir}: no such notebooks folder")
    build_dir.mkdir(parents=True, exist_ok=True)

    with _lock(build_dir / "publish.lock"):
        state = _load_state(build_dir)
        hasher = _Hasher(state.get("files", {}))
        inputs = [*_tree(library_dir), *_tree(TEMPLATE_DIR), *_tree(folder)]
        common = hasher.digest(inputs)
        notebooks = story_notebooks(notebooks_dir)

        old_pages: dict[str, Any] = state.get("pages", {})
        plan: dict[str, tuple[Path, str, str]] = {}  # page -> (notebook, language, digest)
        for notebook in notebooks:
            nb_sha = hasher.sha(notebook)
            for language in languages:
                page = f"{notebook.stem}.{language}.html"
                key = [RENDER_VERSION, common, nb_sha, language, languages, str(folder)]
                plan[page] = (notebook, language, _sha_text(json.dumps(key)))
        dirty = [
            page
            for page, (_nb, _lang, digest) in plan.items()
            if force
            or old_pages.get(page, {}).get("digest") != digest
            or not (site_dir / page).is_file()
        ]
        stale = sorted(set(old_pages) - set(plan))
        figures_digest = _figures_digest(figures_dir, hasher)
        pages = {page: old_pages[page] for page in plan if page not in dirty}
        index_digest = _index_digest(common, figures_digest, pages) if not dirty else None
        if (
            not dirty
            and not stale
            and state.get("index") == index_digest
            and (site_dir / "index.html").is_file()
        ):
            if hasher.changed:
                _save_state(build_dir, {**state, "files": hasher.seen()})
            return PublishResult((), tuple(plan), False, time.perf_counter() - started)

        kernel = _kernel_name(kernel_name) if dirty else ""
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f"{site_dir.name}.tmp-", dir=site_dir.parent))
        tmp.chmod(0o755)
        try:
            if site_dir.is_dir():
                shutil.copytree(site_dir, tmp, dirs_exist_ok=True, symlinks=True)
                tmp.chmod(0o755)
            for page in stale:
                (tmp / page).unlink(missing_ok=True)
            todo = [
                _Job(
                    notebook=plan[page][0],
                    language=plan[page][1],
                    page=page,
                    languages=languages,
                    reports=str(folder) if reports is not None else None,
                    figures_dir=figures_dir,
                    build_dir=build_dir,
                    out_dir=tmp,
                    kernel_name=kernel,
                    timeout=timeout,
                )
                for page in dirty
            ]
            for page, meta, seconds in _run(todo, jobs):
                pages[page] = {"digest": plan[page][2], "story": meta}
                say(f"rendered {page} in {seconds:.1f} s")
            pages = {page: pages[page] for page in plan}  # plan order
            figures_digest = _figures_digest(figures_dir, hasher)
            _copy_figures(figures_dir, tmp / "figures")
            _write_index(tmp, pages, figures_dir, build_dir)
            _swap(tmp, site_dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        state = {
            "version": RENDER_VERSION,
            "files": hasher.seen(),
            "pages": pages,
            "index": _index_digest(common, figures_digest, pages),
        }
        _save_state(build_dir, state)
        unchanged = tuple(p for p in plan if p not in dirty)
        return PublishResult(tuple(dirty), unchanged, True, time.perf_counter() - started)


def story_notebooks(folder: Path) -> list[Path]:
    """The story notebooks: jupytext percent-format ``.py`` files, in name order."""
    found = []
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith(("_", ".")):
            continue
        with open(path, encoding="utf-8") as f:
            if any(line.startswith("# %%") for line in f):
                found.append(path)
    return found


def _run(todo: list[_Job], jobs: int | None) -> Iterator[tuple[str, dict[str, Any], float]]:
    """Render the pages, two at a time on a multi-core machine; stop at the first failure."""
    workers = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    workers = max(1, min(workers, len(todo)))
    if workers == 1 or sys.platform == "win32":
        for job in todo:
            yield _render_page(job)
        return
    import concurrent.futures as cf
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_render_page, job) for job in todo]
        try:
            for future in futures:  # in plan order, so the first failure reported is stable
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


# --------------------------------------------------------------------------- one page


def _render_page(job: _Job) -> tuple[str, dict[str, Any], float]:
    started = time.perf_counter()
    executed = _execute(job)
    try:
        meta = _story(executed, job)
        body = _page_notebook(executed, job.language, meta["headline"])
        html = _export_html(body, meta, job)
        html = embed_font(_SCRIPT.sub("", html), job.build_dir / "fonts")
    except Exception as exc:  # a template or font problem: still one line naming the page
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        raise PublishError(
            f"{job.notebook}: the {job.language} edition ran but could not be exported:"
            f" {type(exc).__name__}: {first}"
        ) from None
    if problems := external_resources(html):
        raise PublishError(
            f"{job.notebook}: the {job.language} edition would load {problems[0]}"
            f" ({len(problems)} external reference(s)); outputs must be inline"
        )
    path = job.out_dir / job.page
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)
    return job.page, meta, time.perf_counter() - started


def _execute(job: _Job) -> Any:
    """Run the notebook with papermill; a failure becomes one line naming notebook and cell."""
    import jupytext
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        source = jupytext.read(job.notebook)
    except Exception as exc:
        raise PublishError(f"{job.notebook}: not a readable notebook: {exc}") from None
    source.metadata["kernelspec"] = {
        "name": job.kernel_name,
        "display_name": job.kernel_name,
        "language": "python",
    }
    executed_dir = job.build_dir / "executed"
    executed_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{job.notebook.stem}.{job.language}"
    input_path = executed_dir / f"{stem}.input.ipynb"
    output_path = executed_dir / f"{stem}.ipynb"
    nbformat.write(source, input_path)
    env = {FIGURES_ENV: str(job.figures_dir), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    if job.reports is not None:
        env[REPORTS_ENV] = job.reports
    try:
        with _environ(env):
            return papermill.execute_notebook(
                str(input_path),
                str(output_path),
                parameters={"reports_dir": job.reports, "language": job.language},
                kernel_name=job.kernel_name,
                language="python",
                cwd=str(job.notebook.parent),
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                start_timeout=START_TIMEOUT,
                execution_timeout=job.timeout,
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],  # no TCP warning on stderr
            )
    except PapermillExecutionError as exc:
        raise PublishError(_failure(job, source, exc, output_path)) from None
    except Exception as exc:  # timeout, dead kernel, missing kernel
        lines = str(exc).strip().splitlines() or [""]
        # nbclient's timeout message ends with a preview of the cell: find it in the file.
        where = ""
        for line in (ln.rstrip() for ln in lines[1:] if ln.strip()):
            if number := _line_of(job.notebook, line):
                cell = next(
                    (i for i, c in enumerate(source.cells, 1) if line in c.source.splitlines()), 0
                )
                where = f" in cell {cell} (line {number})" if cell else f" at line {number}"
                break
        raise PublishError(
            f"{job.notebook}: the {job.language} edition failed{where}:"
            f" {type(exc).__name__}: {lines[0][:200]}"
        ) from None
    finally:
        input_path.unlink(missing_ok=True)


def _failure(job: _Job, source: Any, exc: Any, executed: Path) -> str:
    number = next((i for i, c in enumerate(source.cells, 1) if c.source == exc.source), None)
    where = f"cell {number}" if number else f"cell {exc.cell_index}"
    if line := _line_of(job.notebook, exc.source):
        where += f" (line {line})"
    evalue = (str(exc.evalue or "").strip().splitlines() or [""])[0][:200]
    return (
        f"{job.notebook}: {where} failed in the {job.language} edition: {exc.ename}: {evalue}"
        f" [executed notebook: {executed}]"
    )


def _line_of(path: Path, cell_source: str) -> int | None:
    """The line of the .py file where a failing cell's first line sits."""
    first = next((ln.rstrip() for ln in cell_source.splitlines() if ln.strip()), None)
    if first is None:
        return None
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.rstrip() == first:
            return number
    return None


def _story(nb: Any, job: _Job) -> dict[str, Any]:
    """The page's masthead and footer: notebook metadata, overridden by story_meta() outputs."""
    language = job.language
    meta: dict[str, Any] = {
        k: _in_language(v, language) for k, v in nb.metadata.get("story", {}).items()
    }
    for cell in nb.cells:
        tagged = "story-meta" in cell.metadata.get("tags", [])
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if STORY_MIME in data:
                meta.update({k: _in_language(v, language) for k, v in data[STORY_MIME].items()})
            elif tagged:
                text = data.get("application/json") or output.get("text") or ""
                with contextlib.suppress(ValueError, TypeError, AttributeError):
                    value = json.loads(text) if isinstance(text, str) else text
                    meta.update({k: _in_language(v, language) for k, v in value.items()})
    name = job.notebook.stem
    theme = str(meta.get("theme") or (name if name in THEME_COLORS else "other"))
    headline = str(meta.get("headline") or _first_h1(nb) or name)
    editions = [
        {
            "language": other,
            "html_lang": HTML_LANG.get(other, other),
            "href": f"{name}.{other}.html",
            "label": LABELS.get(other, {}).get("name", other),
        }
        for other in job.languages
        if other != language
    ]
    return {
        "notebook": f"{job.notebook.parent.name}/{job.notebook.name}",
        "name": name,
        "language": language,
        "html_lang": HTML_LANG.get(language, language),
        "headline": headline,
        "dek": str(meta.get("dek", "")),
        "byline": str(meta.get("byline", "")),
        "date": str(meta.get("date") or dt.date.today().isoformat()),
        "kicker": str(meta.get("kicker") or THEME_LABELS.get(theme, {}).get(language, "")),
        "theme": theme,
        "color": THEME_COLORS.get(theme, THEME_COLORS["other"]),
        "order": int(meta.get("order", 100)),
        "sources": [_source(s) for s in _as_list(meta.get("sources"))],
        "method": [str(m) for m in _as_list(meta.get("method"))],
        "editions": editions,
        "built": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _in_language(value: Any, language: str) -> Any:
    """A ``{"zh": …, "en": …}`` value picks the edition's language; anything else is as is."""
    if isinstance(value, dict) and value and set(value) <= set(HTML_LANG) | {language}:
        return value.get(language, next(iter(value.values())))
    return value


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _source(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {"text": str(value.get("text", "")), "url": str(value.get("url", ""))}
    return {"text": str(value), "url": ""}


_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _first_h1(nb: Any) -> str | None:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and not set(cell.metadata.get("tags", [])) & HIDDEN_TAGS:
            match = _H1.search(cell.source)
            return match.group(1) if match else None
    return None


def _page_notebook(nb: Any, language: str, headline: str) -> Any:
    """The cells a reader sees in one edition: no parameters, no other language, no stderr."""
    import copy

    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if tags & HIDDEN_TAGS:
            continue
        if any(t.startswith("lang-") and t != f"lang-{language}" for t in tags):
            continue
        if cell.cell_type == "code":
            if "remove-output" in tags:
                cell.outputs = []
            cell.outputs = [
                o
                for o in cell.outputs
                if STORY_MIME not in o.get("data", {})
                and not (o.output_type == "stream" and o.get("name") == "stderr")
            ]
            if not cell.outputs:
                continue
        cells.append(cell)
    # The masthead shows the headline: drop a leading markdown H1 that repeats it.
    for cell in cells:
        if cell.cell_type == "markdown":
            match = _H1.search(cell.source)
            if match and match.group(1).strip() == headline.strip():
                cell.source = (cell.source[: match.start()] + cell.source[match.end() :]).strip()
            break
    nb.cells = [c for c in cells if c.cell_type != "markdown" or c.source.strip()]
    return nb


def _export_html(nb: Any, meta: dict[str, Any], job: _Job) -> str:
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.exclude_anchor_links = True
    config.HTMLExporter.embed_images = True
    config.HTMLExporter.mathjax_url = ""
    config.HTMLExporter.require_js_url = ""
    config.HTMLExporter.jquery_url = ""
    config.HTMLExporter.jupyter_widgets_base_url = ""
    config.HTMLExporter.widget_renderer_url = ""
    exporter = HTMLExporter(
        config=config, template_name="story", extra_template_basedirs=[str(TEMPLATE_DIR.parent)]
    )
    resources = {
        "story": meta,
        "labels": LABELS.get(job.language, LABELS["en"]),
        "metadata": {"name": meta["headline"], "path": str(job.notebook.parent)},
    }
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    return html


# --------------------------------------------------------------------------- self-contained


def embed_font(html: str, cache_dir: Path | None = None) -> str:
    """Fill the page's font marker with Noto Sans CJK SC subset to the page's characters."""
    if FONT_MARKER not in html:
        return html
    chars = {c for c in html if c.isprintable()} | {chr(c) for c in range(0x20, 0x7F)}
    data = subset_font(chars, cache_dir)
    import base64

    face = (
        f'@font-face{{font-family:"{FONT_FAMILY}";font-style:normal;font-weight:400;'
        f"font-display:block;src:url(data:font/woff2;base64,{base64.b64encode(data).decode()})"
        ' format("woff2");}'
    )
    return html.replace(FONT_MARKER, face, 1)


def subset_font(chars: set[str], cache_dir: Path | None = None) -> bytes:
    """Noto Sans CJK SC reduced to ``chars``, as WOFF2 (cached by character set)."""
    from .style import font_path

    source = font_path()
    key = _sha_text(f"{source.stat().st_size}:" + "".join(sorted(chars)))[:32]
    cached = cache_dir / f"{key}.woff2" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    import io

    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = ["*"]  # keep the copyright and licence names (SIL OFL)
    font = subset.load_font(str(source), options, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    data = buffer.getvalue()
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, cached)
    return data


class _ResourceScan(HTMLParser):
    """Collect every reference that would make a browser load something."""

    LOADING = {"src", "srcset", "poster", "data", "background", "formaction", "manifest"}

    def __init__(self, allow_relative: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.allow_relative = allow_relative
        self.problems: list[str] = []
        self._in_style = False

    def _check(self, what: str, url: str) -> None:
        url = url.strip()
        if not url or url.startswith(("data:", "#")):
            return
        relative = ":" not in url.split("/")[0] and not url.startswith("//")
        if relative and self.allow_relative:
            return
        self.problems.append(f"{what}={url[:80]}")

    def _check_css(self, what: str, css: str) -> None:
        for url in _CSS_URL.findall(css) + _CSS_IMPORT.findall(css):
            self._check(what, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.problems.append("<script>")
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name == "style":
                self._check_css(f"<{tag} style>", value)
            elif name in self.LOADING or (
                name in {"href", "xlink:href"} and tag in {"link", "image", "use", "feimage"}
            ):
                urls = _SRCSET.findall(value) if name == "srcset" else [value]
                for url in urls:
                    self._check(f"<{tag} {name}>", url.rstrip(","))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._check_css("<style>", data)


def external_resources(html: str, *, allow_relative: bool = False) -> list[str]:
    """What a page would load from elsewhere (scripts, stylesheets, fonts, images), if anything.

    Links a reader clicks (``<a href>``) are not loads and are allowed. With
    ``allow_relative``, relative files next to the page are allowed too (the index
    links the figure kit's files).
    """
    scan = _ResourceScan(allow_relative)
    scan.feed(html)
    scan.close()
    return scan.problems


# --------------------------------------------------------------------------- index and kit


def _copy_figures(figures_dir: Path, target: Path) -> None:
    """Copy the manifest, its schema and every file it lists into the site."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    manifest_path = figures_dir / "manifest.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text("utf-8"))
        for chart in manifest.get("charts", []):
            for record in chart.get("files", []):
                source = figures_dir / record["path"]
                if source.is_file():
                    (target / record["path"]).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, target / record["path"])
        shutil.copy2(manifest_path, target / "manifest.json")
    else:
        (target / "manifest.json").write_text('{"schema_version": 1, "charts": []}\n', "utf-8")
    schema = SCHEMAS_DIR / "manifest.schema.json"
    if schema.is_file():
        shutil.copy2(schema, target / "manifest.schema.json")


def _write_index(site: Path, pages: dict[str, Any], figures_dir: Path, build_dir: Path) -> None:
    import jinja2
    from markupsafe import Markup

    stories: dict[str, dict[str, Any]] = {}
    for page, record in pages.items():
        meta = record["story"]
        story = stories.setdefault(
            meta["name"], {"order": meta["order"], "color": meta["color"], "pages": []}
        )
        story["order"] = min(story["order"], meta["order"])
        story["pages"].append({**meta, "href": page})
    ordered = sorted(stories.items(), key=lambda item: (item[1]["order"], item[0]))

    manifest_path = figures_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.is_file() else {}
    charts = []
    for chart in manifest.get("charts", []):
        files = [
            {**f, "format": Path(f["path"]).suffix.lstrip(".").upper()} for f in chart["files"]
        ]
        png = next((f["path"] for f in chart["files"] if f["path"].endswith(".png")), "")
        charts.append(
            {**chart, "files": files, "png": png, "html_lang": HTML_LANG.get(chart["language"])}
        )

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        keep_trailing_newline=True,
    )
    css = (TEMPLATE_DIR / "static" / "story.css").read_text("utf-8")
    html = env.get_template("site-index.html.j2").render(
        stories=[s for _name, s in ordered],
        charts=charts,
        labels=LABELS,
        css=Markup(css),
        built=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
    html = embed_font(html, build_dir / "fonts")
    if problems := external_resources(html, allow_relative=True):
        raise PublishError(f"index.html would load {problems[0]}")
    (site / "index.html").write_text(html, encoding="utf-8")


def _swap(tmp: Path, site: Path) -> None:
    """Put the new site in place of the old one; the old one stays if the swap fails."""
    if not site.exists():
        os.replace(tmp, site)
        return
    old = site.with_name(f"{site.name}.old-{os.getpid()}-{time.time_ns()}")
    os.replace(site, old)
    try:
        os.replace(tmp, site)
    except BaseException:
        os.replace(old, site)
        raise
    shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- state and hashing


class _Hasher:
    """sha256 of files, trusting a cached digest while size, mtime, ctime and inode are unchanged."""

    def __init__(self, cache: dict[str, list[Any]]) -> None:
        self.cache = dict(cache)
        self.used: set[str] = set()
        self.changed = False

    def seen(self) -> dict[str, list[Any]]:
        """The cache entries of the files hashed in this run (forgets deleted files)."""
        return {key: self.cache[key] for key in sorted(self.used)}

    def sha(self, path: Path) -> str:
        st = path.stat()
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        key = str(path)
        self.used.add(key)
        cached = self.cache.get(key)
        if cached and cached[:4] == stamp:
            return cached[4]
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        self.cache[key] = [*stamp, digest.hexdigest()]
        self.changed = True
        return digest.hexdigest()

    def digest(self, paths: Iterable[Path]) -> str:
        lines = sorted(f"{p}\t{self.sha(p)}" for p in set(paths))
        return _sha_text("\n".join(lines))


def _tree(root: Path) -> Iterator[Path]:
    """Every file under a folder, without caches, hidden files and compiled Python."""
    if root.is_file():
        yield root
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".")]
        dirs[:] = [d for d in dirs if not d.endswith(".egg-info")]
        for name in files:
            if not name.startswith(".") and not name.endswith((".pyc", ".pyo")):
                yield Path(folder) / name


def _figures_digest(figures_dir: Path, hasher: _Hasher) -> str:
    manifest = figures_dir / "manifest.json"
    return hasher.sha(manifest) if manifest.is_file() else "no-manifest"


def _index_digest(common: str, figures: str, pages: dict[str, Any]) -> str:
    return _sha_text(json.dumps([RENDER_VERSION, common, figures, pages], sort_keys=True))


def _sha_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _load_state(build_dir: Path) -> dict[str, Any]:
    path = build_dir / STATE_NAME
    try:
        state = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return state if state.get("version") == RENDER_VERSION else {}


def _save_state(build_dir: Path, state: dict[str, Any]) -> None:
    path = build_dir / STATE_NAME
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    """One publish at a time per build folder."""
    import fcntl

    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the kernel about to start, then restore them."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _kernel_name(requested: str | None) -> str:
    if requested:
        return requested
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    return KERNEL_NAME if KERNEL_NAME in specs else FALLBACK_KERNEL


# --------------------------------------------------------------------------- command line


def main_publish(argv: list[str] | None = None) -> int:
    """``python -m xining_data publish``: 0 when published (or nothing to do), 1 on failure."""
    ap = argparse.ArgumentParser(
        prog="python -m xining_data publish",
        description="Execute the story notebooks and publish the HTML stories and figure kit.",
    )
    ap.add_argument("--reports", metavar="DIR", help="folder of raw reports (default: bundled)")
    ap.add_argument("--force", action="store_true", help="render every page again")
    ap.add_argument("--notebooks", metavar="DIR", default=str(NOTEBOOKS_DIR))
    ap.add_argument("--site", metavar="DIR", default=str(SITE_DIR), help="output folder")
    ap.add_argument("--figures", metavar="DIR", default=str(FIGURES_DIR), help="figure kit")
    ap.add_argument("--build", metavar="DIR", default=str(BUILD_DIR), help="state and logs")
    ap.add_argument(
        "--language",
        action="append",
        choices=LANGUAGES,
        help="publish only this edition (repeatable; default: all)",
    )
    ap.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default 2)")
    ap.add_argument("--timeout", type=int, default=EXECUTION_TIMEOUT, help="seconds per cell")
    ap.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    args = ap.parse_args(argv)

    def say(message: str) -> None:
        if not args.quiet:
            print(f"xining-data: {message}", file=sys.stderr, flush=True)

    try:
        result = publish(
            args.notebooks,
            args.site,
            args.figures,
            reports=args.reports,
            force=args.force,
            build_dir=args.build,
            languages=tuple(args.language or LANGUAGES),
            jobs=args.jobs,
            timeout=args.timeout,
            log=say,
        )
    except PublishError as exc:
        print(f"xining-data: publish failed: {exc}", file=sys.stderr)
        return 1
    if result.changed:
        say(
            f"published {len(result.rendered)} page(s), kept {len(result.unchanged)},"
            f" in {result.seconds:.1f} s: {Path(args.site) / 'index.html'}"
        )
    else:
        say(f"nothing changed ({result.seconds:.2f} s): {Path(args.site) / 'index.html'}")
    return 0


__all__ = [
    "LANGUAGES",
    "PublishError",
    "PublishResult",
    "external_resources",
    "main_publish",
    "publish",
    "story_meta",
    "story_notebooks",
]

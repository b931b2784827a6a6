"""One page: a story notebook run in one language and exported as a self-contained HTML file.

:func:`render_page` executes the notebook with papermill (the parameters
injected, the kernel's environment pointing at the figure kit and reports) in this
process's kernel, started once and made fresh before each notebook (:mod:`.kernel`),
reads its masthead and footer (:mod:`xining_data.stories.storymeta`), keeps the cells a
reader sees in that edition, exports them with nbconvert and the house
template (``templates/story/``), embeds the font and refuses a page that would
load anything (:mod:`xining_data.publish.selfcontained`). Any failure is one line
naming the notebook, the edition and, when a cell failed, the cell and its line
in the ``.py`` file.
"""

from __future__ import annotations

import copy
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xining_data.base.files import write_text_atomic
from xining_data.base.paths import (
    CHART_CACHE_ENV,
    FIGURES_ENV,
    REPORTS_ENV,
    TABLES_ENV,
    TEMPLATES_DIR,
    chart_cache_dir,
)
from xining_data.publish.fontbase import BASE_ENV
from xining_data.publish.glossary import with_glossary
from xining_data.publish.kernel import close_kernel, kernel_for
from xining_data.publish.selfcontained import embed_font, external_resources, strip_scripts
from xining_data.stories.editions import LANGUAGES, labels
from xining_data.stories.storymeta import H1, HIDDEN_TAGS, STORY_MIME, page_meta

TEMPLATE_DIR = TEMPLATES_DIR / "story"
KERNEL_NAME = "xining-data"
FALLBACK_KERNEL = "python3"
EXECUTION_TIMEOUT = 600  # seconds per cell
START_TIMEOUT = 120  # seconds for the kernel to start


class PublishError(Exception):
    """A publish that could not finish; the message is one line naming what failed."""


@dataclass(frozen=True)
class PageJob:
    """One page to render: a notebook in one language."""

    notebook: Path
    language: str
    page: str  # file name in the site
    languages: tuple[str, ...]  # every edition published (the page links the others)
    reports: str | None  # folder of reports given to the notebook; None: its default
    figures_dir: Path
    build_dir: Path
    out_dir: Path
    kernel_name: str
    timeout: int
    tables_dir: Path | None = None  # the reports' tables, built before the notebooks run


def render_page(job: PageJob) -> tuple[str, dict[str, Any], float]:
    """Write ``job.out_dir / job.page``; return the page's name, masthead and seconds taken."""
    started = time.perf_counter()
    executed = execute(job)
    try:
        meta = page_meta(executed, job.notebook, job.language, job.languages)
        body = page_notebook(executed, job.language, meta["headline"])
        masthead = f"{meta['headline']} {meta.get('dek', '')}"
        body = with_terms_explained(body, job.language, masthead)
        html = export_html(body, meta, job)
        html = embed_font(strip_scripts(html), job.build_dir / "fonts")
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
    write_text_atomic(job.out_dir / job.page, html)
    return job.page, meta, time.perf_counter() - started


# --------------------------------------------------------------------------- execution


def pick_kernel(requested: str | None = None) -> str:
    """The kernel to run stories in: the one asked for, else the project's, else python3."""
    if requested:
        return requested
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    return KERNEL_NAME if KERNEL_NAME in specs else FALLBACK_KERNEL


def preload() -> None:
    """Import what rendering a page needs (papermill, nbclient, jupytext, nbconvert,
    fontTools): a publish does it before forking its workers, which then share them."""
    import fontTools.subset  # noqa: F401
    import jupytext  # noqa: F401
    import nbclient  # noqa: F401
    import papermill  # noqa: F401
    from nbconvert import HTMLExporter  # noqa: F401


def execute(job: PageJob) -> Any:
    """Run the notebook with papermill in this process's kernel (:mod:`.kernel`: started once,
    made fresh before each notebook); a failure becomes one line naming notebook and cell,
    and the kernel is closed so the next notebook gets a new one."""
    from papermill.exceptions import PapermillExecutionError

    source = _read_notebook(job)
    executed_dir = job.build_dir / "executed"
    executed_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{job.notebook.stem}.{job.language}"
    input_path = executed_dir / f"{stem}.input.ipynb"
    output_path = executed_dir / f"{stem}.ipynb"
    try:
        return _run_papermill(job, source, input_path, output_path)
    except PapermillExecutionError as exc:
        close_kernel()
        raise PublishError(_cell_failure(job, source, exc, output_path)) from None
    except Exception as exc:  # timeout, dead kernel, missing kernel
        close_kernel()
        raise PublishError(_run_failure(job, source, exc)) from None
    finally:
        input_path.unlink(missing_ok=True)


def _read_notebook(job: PageJob) -> Any:
    """The notebook from its ``.py`` file, set to run in the job's kernel."""
    import jupytext

    try:
        source = jupytext.read(job.notebook)
    except Exception as exc:
        raise PublishError(f"{job.notebook}: not a readable notebook: {exc}") from None
    source.metadata["kernelspec"] = {
        "name": job.kernel_name,
        "display_name": job.kernel_name,
        "language": "python",
    }
    return source


def _run_papermill(job: PageJob, source: Any, input_path: Path, output_path: Path) -> Any:
    """Execute ``source`` with the job's parameters, the kernel pointed at the kit and reports."""
    import nbformat
    import papermill

    nbformat.write(source, input_path)
    env = {FIGURES_ENV: str(job.figures_dir), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    env[CHART_CACHE_ENV] = str(chart_cache_dir(job.build_dir))  # unchanged charts reused
    if font_base := os.environ.get(BASE_ENV):  # the charts' fonts are cut from it
        env[BASE_ENV] = font_base
    if job.reports is not None:
        env[REPORTS_ENV] = job.reports
    if job.tables_dir is not None:
        env[TABLES_ENV] = str(job.tables_dir)
    kernel = kernel_for(job.kernel_name, job.notebook.parent, env, START_TIMEOUT)
    try:
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
            km=kernel.manager,
        )
    finally:
        kernel.release_clients()


def _run_failure(job: PageJob, source: Any, exc: Exception) -> str:
    """One line for a run that failed outside a cell's own error (timeout, dead kernel)."""
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
    return (
        f"{job.notebook}: the {job.language} edition failed{where}:"
        f" {type(exc).__name__}: {lines[0][:200]}"
    )


def _cell_failure(job: PageJob, source: Any, exc: Any, executed: Path) -> str:
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


# --------------------------------------------------------------------------- export


def _reader_cell(cell: Any, language: str) -> Any | None:
    """The cell as a reader sees it in one edition, or None when it shows nothing there."""
    tags = set(cell.metadata.get("tags", []))
    if tags & HIDDEN_TAGS:
        return None
    if any(t.startswith("lang-") and t != f"lang-{language}" for t in tags):
        return None
    if cell.cell_type != "code":
        return cell
    outputs = [] if "remove-output" in tags else cell.outputs
    cell.outputs = [
        o
        for o in outputs
        if STORY_MIME not in o.get("data", {})
        and not (o.output_type == "stream" and o.get("name") == "stderr")
    ]
    return cell if cell.outputs else None


def _drop_repeated_headline(cells: list[Any], headline: str) -> None:
    """The masthead shows the headline: drop a leading markdown H1 that repeats it."""
    for cell in cells:
        if cell.cell_type == "markdown":
            match = H1.search(cell.source)
            if match and match.group(1).strip() == headline.strip():
                cell.source = (cell.source[: match.start()] + cell.source[match.end() :]).strip()
            return


def page_notebook(nb: Any, language: str, headline: str) -> Any:
    """The cells a reader sees in one edition: no parameters, no other language, no stderr."""
    nb = copy.deepcopy(nb)
    cells = [c for c in (_reader_cell(cell, language) for cell in nb.cells) if c is not None]
    for number, cell in enumerate(cells):  # stable ids: the same notebook gives the same page
        cell["id"] = f"cell-{number}"
    _drop_repeated_headline(cells, headline)
    nb.cells = [c for c in cells if c.cell_type != "markdown" or c.source.strip()]
    return nb


def with_terms_explained(nb: Any, language: str, masthead: str) -> Any:
    """The English page with the terms it uses (``masthead``: the headline and dek the
    template shows) explained in a box before the ledger (publish.glossary)."""
    if language != "en":
        return nb
    nb.cells = with_glossary(nb.cells, masthead)
    for number, cell in enumerate(nb.cells):  # stable ids, the box included
        cell["id"] = f"cell-{number}"
    return nb


def export_html(nb: Any, meta: dict[str, Any], job: PageJob) -> str:
    """The page as nbconvert renders it with the house template: no inputs, no prompts,
    images inline, no script URLs."""
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
        "labels": labels(job.language if job.language in LANGUAGES else "en"),
        "metadata": {"name": meta["headline"], "path": str(job.notebook.parent)},
    }
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    return html

"""The conventions of a story notebook: its parameters, its page metadata and its cell tags.

Parameters
    One code cell tagged ``parameters`` (papermill) that sets::

        reports_dir = None  # folder of raw reports; None: the library default
        language = "zh"     # edition being rendered: "zh" or "en"

    ``publish`` injects both, runs the notebook with ``cwd`` = the notebooks folder,
    the kernel ``xining-data`` (``python3`` when it is not installed) and a
    per-cell timeout. The kernel's environment has ``XINING_DATA_FIGURES`` (where
    :func:`xining_data.publish.kit.save_chart` writes) and, with ``--reports``,
    ``XINING_DATA_REPORTS``.

Story metadata (masthead and footer of the page)
    Call :func:`story_meta` in a cell, with values computed in the notebook
    (:meth:`xining_data.stories.story.Story.masthead` and ``.footer`` call it for you)::

        story_meta(headline=..., dek=..., byline=..., date="2025-01-15",
                   kicker=..., theme="water", order=3,
                   sources=["…", {"text": "…", "url": "https://…"}], method=["…"])

    It displays one output of MIME type ``application/vnd.xining-data.story+json``
    that the page does not show. Static defaults may sit in the notebook metadata
    (the jupytext header) under ``story``, each value a string or a
    ``{"zh": …, "en": …}`` mapping; :func:`story_meta` overrides them. Without a
    headline, the first markdown ``# H1`` is used (and removed from the body),
    then the file name. ``order`` sorts the index; ``theme`` picks the accent
    colour (:data:`xining_data.stories.editions.THEME_COLORS`).

Cell tags
    ``lang-zh`` / ``lang-en``: the cell appears only in that edition (for static
    markdown in one language). ``remove-cell``, ``remove-output``: hidden.
    ``parameters`` and papermill's ``injected-parameters`` are never shown. Code
    is never shown; stderr (warnings, progress bars) is dropped.

Charts
    :func:`xining_data.publish.kit.save_chart` writes the kit; :func:`xining_data.publish.kit.show_chart`
    shows the chart inline with its alt text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xining_data.stories.editions import HTML_LANG, THEME_COLORS, WORDS, theme_color, theme_label

STORY_MIME = "application/vnd.xining-data.story+json"
HIDDEN_TAGS = {"parameters", "injected-parameters", "remove-cell", "story-meta"}
H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
DEFAULT_ORDER = 100


@dataclass(frozen=True)
class StoryMeta:
    """What a story declares about its page; a misspelt field fails here, not on the page."""

    headline: str
    dek: str = ""
    byline: str = ""
    date: str = ""
    kicker: str = ""
    theme: str = ""
    order: int | None = None
    sources: Iterable[str | dict[str, str]] = ()
    method: Iterable[str] = ()

    def as_output(self) -> dict[str, Any]:
        """The JSON the publisher reads back: strings, lists, and no empty fields."""
        meta: dict[str, Any] = {
            "headline": str(self.headline),
            "dek": str(self.dek),
            "byline": str(self.byline),
            "date": str(self.date),
            "kicker": str(self.kicker),
            "theme": str(self.theme),
            "sources": [s if isinstance(s, dict) else str(s) for s in self.sources],
            "method": [str(m) for m in self.method],
        }
        if self.order is not None:
            meta["order"] = int(self.order)
        return {k: v for k, v in meta.items() if v not in ("", [])}


def story_meta(**fields: Any) -> None:
    """Declare the page's masthead and footer from inside a story notebook (see module doc);
    ``fields`` are those of :class:`StoryMeta`."""
    from IPython.display import display

    meta = StoryMeta(**fields)
    display({STORY_MIME: meta.as_output(), "text/plain": f"story: {meta.headline}"}, raw=True)


def build_stamp() -> str:
    """When the pages were built, for the colophon: ``$SOURCE_DATE_EPOCH`` when set (the
    reproducible-builds convention, so the same inputs give the same bytes), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    return when.strftime("%Y-%m-%d %H:%M UTC")


def page_meta(nb: Any, notebook: Path, language: str, languages: Sequence[str]) -> dict[str, Any]:
    """The masthead and footer of one edition of an executed notebook: its metadata, overridden
    by the :func:`story_meta` outputs, completed with defaults and links to the other editions."""
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
    name = notebook.stem
    theme = str(meta.get("theme") or (name if name in THEME_COLORS else "other"))
    headline = str(meta.get("headline") or first_h1(nb) or name)
    editions = [
        {
            "language": other,
            "html_lang": HTML_LANG.get(other, other),
            "href": f"{name}.{other}.html",
            "label": WORDS["name"].get(other, other),
        }
        for other in languages
        if other != language
    ]
    return {
        "notebook": f"{notebook.parent.name}/{notebook.name}",
        "name": name,
        "language": language,
        "html_lang": HTML_LANG.get(language, language),
        "headline": headline,
        "dek": str(meta.get("dek", "")),
        "byline": str(meta.get("byline", "")),
        "date": str(meta.get("date") or dt.date.today().isoformat()),
        "kicker": str(meta.get("kicker") or theme_label(theme, language, default="")),
        "theme": theme,
        "color": theme_color(theme),
        "order": int(meta.get("order", DEFAULT_ORDER)),
        "sources": [_source(s) for s in _as_list(meta.get("sources"))],
        "method": [str(m) for m in _as_list(meta.get("method"))],
        "editions": editions,
        "built": build_stamp(),
    }


def first_h1(nb: Any) -> str | None:
    """The text of the first shown markdown cell's ``# H1``, if it has one."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and not set(cell.metadata.get("tags", [])) & HIDDEN_TAGS:
            match = H1.search(cell.source)
            return match.group(1) if match else None
    return None


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

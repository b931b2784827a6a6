"""Everything a story notebook uses, by one import: ``from xining_data import notebook as story``.

The first cell of every story is ``s, corpus = story.open_story(theme, reports_dir, language)``:
the house chart style, the corpus and this edition's :class:`NotebookStory`, a
:class:`~xining_data.stories.story.Story` that can also save charts into the figure kit.

Any other name (``story.find``, ``story.share``, ``story.bar_chart``, ``story.plot_divisions``)
is looked up in the modules of :data:`MODULES`, in order: a function added to one of them is
reachable here with no second edit.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from xining_data.stories.editions import check_language
from xining_data.stories.loader import Corpus, load_corpus
from xining_data.stories.story import HOUSE_CREDIT, Story

# Where ``story.<name>`` is looked up, in this order.
MODULES = (
    "xining_data.stories.story",
    "xining_data.stories.lookup",
    "xining_data.stories.wording",
    "xining_data.stories.ledger",
    "xining_data.stories.editions",
    "xining_data.stories.loader",
    "xining_data.publish.charts",
    "xining_data.geo.boundaries",
)


class NotebookStory(Story):
    """A story in a notebook: text, citations and the page (:class:`Story`), plus charts."""

    def save_chart(
        self,
        fig: Any,
        data: pd.DataFrame,
        *,
        sources: Iterable[Mapping[str, Any]] = (),
        notes: Iterable[str] = (),
        **labels: str,
    ):
        """Write a chart into the figure kit in this edition's language, its source line built
        from the rows it draws (each also cited in the ledger) plus ``notes`` (other sources,
        such as the boundary data); ``labels`` are the kit's ``slug``, ``title``, ``alt`` and
        optional ``subtitle`` and ``units``. Returns the chart to display, with its alt text."""
        import matplotlib.pyplot as plt

        from xining_data.publish import kit
        from xining_data.publish.charts import kit_chart_html

        chart = kit.ChartSpec(
            theme=self.theme,
            source=self.source_line(sources, notes),
            credit=self.credit,
            language=self.language,
            **labels,
        )
        entry = kit.save_chart(fig, data, chart)
        plt.close(fig)  # shown once, below, from the file the kit wrote
        return kit_chart_html(entry)


def open_story(
    theme: str, reports_dir: str | None = None, language: str = "zh", *, credit: str = HOUSE_CREDIT
) -> tuple[NotebookStory, Corpus]:
    """The first cell of every story: the house chart style, the corpus and this edition.

    ``s, corpus = story.open_story("water", reports_dir, language)``
    """
    from xining_data.publish.style import use_house_style

    check_language(language)
    use_house_style()
    corpus = load_corpus(reports_dir)
    return NotebookStory.from_corpus(corpus, language, theme, credit), corpus


def __getattr__(name: str) -> Any:
    for module in MODULES:
        value = getattr(importlib.import_module(module), name, None)
        if value is not None and not name.startswith("_"):
            globals()[name] = value
            return value
    raise AttributeError(f"module 'xining_data.notebook' has no attribute {name!r}")

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
    "xining_data.stories.archive",
    "xining_data.stories.narrative",
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

        sources = [dict(r) for r in sources]
        chart = kit.ChartSpec(
            theme=self.theme,
            source=self.source_line(sources, notes),
            credit=self.credit,
            language=self.language,
            **labels,
        )
        entry = kit.save_chart(fig, data, chart, sources=sources)
        plt.close(fig)  # shown once, below, from the file the kit wrote
        return kit_chart_html(entry)

    # --- an archive's theme, drawn -------------------------------------------------------

    def series_charts(self, archive: Any, limit: int = 3) -> list[Any]:
        """Line charts of the theme's series that matter most (the lede's first, then the
        longest), one per indicator and unit with up to four places each, at most ``limit``."""
        from xining_data.publish.charts import series_chart
        from xining_data.stories.narrative import indicator_name, place_name

        groups: dict[tuple[str, str], list[pd.DataFrame]] = {}
        ranked = sorted(archive.series.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        lede_key = _lede_series(archive)
        if lede_key in archive.series:
            ranked.insert(0, (lede_key, archive.series[lede_key]))
        for (indicator, _place, unit, _precision), frame in ranked:
            frames = groups.setdefault((indicator, unit), [])
            if len(frames) < 4 and not any(f is frame for f in frames):
                frames.append(frame)
        shown = []
        for (indicator, unit), frames in list(groups.items())[:limit]:
            name = indicator_name(indicator, self.language)
            places = [place_name(f.iloc[0], self.language) for f in frames]
            rows = pd.concat(frames, ignore_index=True)
            fig = series_chart(
                frames, places, colors=[self.color, "#555555", "#999999", "#cccccc"][: len(frames)],
                value_labels=[[self.num(r, unit=True, cite=False) for _, r in f.iterrows()] for f in frames],
            )  # fmt: skip
            data = rows[
                ["indicator", "place", "place_adcode", "ref_date", "value", "unit", "report"]
            ]
            shown.append(self.save_chart(
                fig, data, sources=[r for _, r in rows.iterrows()],
                slug=f"series-{indicator}".replace("_", "-"),
                title=self.say("{name}：各时期的报道数值", "{name}: the reported values by period",
                               name=name),
                alt=self.say("折线图：{name}，{places}，各时期报道的数值。",
                             "Line chart: {name} in {places}, the value reported for each period.",
                             name=name, places=("、" if self.language == "zh" else ", ").join(places)),
                units=self.fmt_unit(unit),
            ))  # fmt: skip
        return shown

    def division_map(self, archive: Any) -> Any:
        """The divisions shaded by how many of the theme's figures refer to each (with a
        legend); None when no figure names a division."""
        import matplotlib.pyplot as plt

        from xining_data.geo.boundaries import divisions
        from xining_data.publish.charts import plot_divisions
        from xining_data.publish.kit import chart_stem
        from xining_data.stories.archive import figures_by_division

        counts = figures_by_division(archive.figures)
        if counts.empty:
            return None
        table = divisions()[["adcode", "name", "name_en"]]
        counts = table["adcode"].map(counts).fillna(0).astype(int).set_axis(table["adcode"])
        fig, ax = plt.subplots(figsize=(7, 6))
        plot_divisions(ax, counts, labels=self.language, cmap="Oranges", vmin=0, legend=True,
                       legend_kwds={"shrink": 0.6, "label": self.word("数字条数", "figures")})  # fmt: skip
        # Each count's figures, with their reports and offsets, are the rows of the theme's
        # all-figures table in the kit: the map's CSV names it as its source.
        every = chart_stem("all-figures", self.language)
        data = table.assign(figures=counts.to_numpy(), unit=self.word("条", "figures"),
                            source=f"{self.theme}/{every}.csv")  # fmt: skip
        return self.save_chart(
            fig, data, slug="where",
            title=self.say("报道的数字落在哪些县区", "Where the reported figures are"),
            subtitle=self.say("每个县区的数字条数", "Figures that refer to each division"),
            alt=self.say("地图：各县区被报道数字提及的次数。",
                         "Map: how many reported figures refer to each division."),
            notes=[self.boundaries_note()],
        )  # fmt: skip

    # --- the sections every archive story opens with ----------------------------------------

    def opening(self, archive: Any, corpus: Corpus) -> list[Any]:
        """The lede, chosen by the editor's rule, and the series charts that carry it."""
        from xining_data.stories.narrative import lede

        return [self.markdown(lede(self, archive, corpus.reports)), *self.series_charts(archive)]

    def disagreements(self, archive: Any, corpus: Corpus) -> list[Any]:
        """Where reports disagree, side by side (nothing when none do)."""
        from xining_data.stories.narrative import disputes_table

        if archive.disputes.empty:
            return []
        return [self.heading("报道之间的分歧", "Where reports disagree"),
                self.markdown(disputes_table(self, archive, corpus.reports))]  # fmt: skip

    def latest_figures(
        self,
        archive: Any,
        corpus: Corpus,
        heading: tuple[str, str] = ("各项指标的最新数字", "The latest figure of each indicator"),
    ) -> list[Any]:
        """The latest figure of each indicator and place, with its sentence."""
        from xining_data.stories.narrative import latest_table

        if archive.facts.empty:
            return []
        return [self.heading(*heading), self.markdown(latest_table(self, archive, corpus.reports))]

    def where(self, archive: Any, corpus: Corpus | None = None) -> list[Any]:
        """The division map of the theme's figures (when one names a division), then the
        townships, villages and facilities its reports name, under their division (with
        ``corpus``); nothing when there is neither."""
        chart = self.division_map(archive)
        shown = [chart] if chart is not None else []
        if corpus is not None:
            shown += self.named_places(archive, corpus)
        if not shown:
            return []
        return [self.heading("数字落在哪里", "Where the figures are"), *shown]

    def named_places(self, archive: Any, corpus: Corpus) -> list[Any]:
        """The places below a county the theme's reports name, under their division, located
        only as precisely as the text allows (nothing when they name none)."""
        from xining_data.stories.archive import named_places
        from xining_data.stories.narrative import places_by_division

        named = named_places(corpus.places, corpus.articles, archive.figures, archive.theme)
        if named.empty:
            return []
        return [
            self.show("报道提到的乡镇、村和设施，按所在县区列出，定位只到原文给出的程度：",
                      "The townships, villages and facilities the reports name, under the "
                      "division they lie in, located only as precisely as the text allows (names "
                      "as the reports write them):"),
            self.markdown(places_by_division(self, named)),
        ]  # fmt: skip

    def when(self, archive: Any, corpus: Corpus) -> list[Any]:
        """The theme's dated events on a timeline (a year or a month drawn as its span, only a
        day as a point) and listed with their sources; a line saying so when the reports date
        none; nothing for a theme without figures."""
        from xining_data.publish.charts import timeline_chart
        from xining_data.stories.editions import original
        from xining_data.stories.events import events, theme_dates, timeline_events
        from xining_data.stories.narrative import report_name
        from xining_data.stories.wording import fmt_date

        if archive.is_empty:
            return []
        table = events(theme_dates(corpus.figures, archive.figures, archive.theme), corpus.original)
        heading = self.heading("时间线", "When")
        if table.empty:
            return [heading, self.show("这批报道没有给出本主题事件的日期。",
                                       "The reports date no event on this theme.")]  # fmt: skip
        shown = timeline_events(table)
        # the report's words, quoted in English (the list, the chart and its alt text alike)
        shown = shown.assign(printed=[
            fmt_date(r.date, r.precision or None, self.language, inferred=r.inferred)
            for r in shown.itertuples()
        ], label=[original(label, self.language) for label in shown["label"]])  # fmt: skip
        items = [self.say("{when}{c}：{what}（{report}）", "{when}{c}: {what} ({report})",
                          when=r.printed, c=self.cite(r.figure), what=r.label,
                          report=report_name(r.report, corpus.reports, self.language))
                 for r in shown.itertuples()]  # fmt: skip
        parts = [heading]
        if len(table) > len(shown):
            parts.append(self.show(
                "报道共给出{n}件有日期的事，这里是日期最精确的{k}件。",
                "The reports date {n} events; these are the {k} most precisely dated.",
                n=self.fmt(len(table)), k=self.fmt(len(shown))))  # fmt: skip
        first, last = shown.iloc[0], shown.iloc[-1]
        fig = timeline_chart(shown, color=self.color, language=self.language)
        chart = self.save_chart(
            fig, shown.drop(columns=["figure"]), slug="timeline",
            sources=list(shown["figure"]),
            title=self.say("{a}至{b}：报道中{n}件有日期的事", "{n} dated events, {a} to {b}",
                           n=self.fmt(len(shown)), a=first["printed"], b=last["printed"]),
            subtitle=self.word("只有具体到日的日期画成点；只知道年或月的，画出整段时期",
                               "Only a day is a point; a date known to the year or month is "
                               "drawn as the whole period"),
            alt=self.say("时间线：从{a}的“{x}”到{b}的“{y}”，共{n}件事。",
                         "Timeline of {n} events, from {x} ({a}) to {y} ({b}).",
                         n=self.fmt(len(shown)), a=first["printed"], x=first["label"],
                         b=last["printed"], y=last["label"]),
        )  # fmt: skip
        return [*parts, chart, self.bullets(items)]

    def every_figure(
        self,
        archive: Any,
        corpus: Corpus,
        heading: tuple[str, str] = ("本主题的全部数字", "Every figure on the theme"),
    ) -> list[Any]:
        """Every figure of the theme: the first rows on the page, all of them as a CSV in the
        figure kit (``figures/<theme>/all-figures.csv``); nothing when the theme has none."""
        from xining_data.publish import kit
        from xining_data.stories.narrative import TABLE_ROWS, figure_list, kit_table

        if archive.is_empty:
            return []
        kit.save_table(
            kit_table(archive.figures, self.language),
            kit.TableSpec(
                theme=self.theme, slug="all-figures", language=self.language,
                title=self.say("“{theme}”的全部数字", "Every figure on {theme}",
                               theme=self.theme_name(self.theme)),
                source=self.reports_note(), credit=self.credit,
            ),
        )  # fmt: skip
        # The count said is the rows the table lists (publish.proofread checks it).
        n = len(archive.figures)
        shown = [self.heading(*heading)]
        if n > TABLE_ROWS:
            shown.append(self.show(
                "共{n}个数字，下表列出前{k}个；全部数字见图表包中的 all-figures.csv。",
                "{n} figures in all; the table shows the first {k}, and all-figures.csv in the "
                "figure kit holds every one.",
                n=self.fmt(n), k=self.fmt(TABLE_ROWS),
            ))  # fmt: skip
        else:
            shown.append(self.show("下表列出全部{n}个数字（日期、序数和名称中的数不算）。",
                                   "The table lists all {n} figures (dates, ordinals and "
                                   "numbers inside names left out).", n=self.fmt(n)))  # fmt: skip
        return [*shown, self.markdown(figure_list(self, archive.figures, corpus.reports))]

    def fmt_unit(self, unit: str) -> str:
        from xining_data.stories.wording import fmt_unit

        return fmt_unit(unit, self.language)


def _lede_series(archive: Any) -> tuple[str, ...] | None:
    """The series key the lede's change was read from, if it was a change."""
    found = archive.lede
    if found is None or found.kind != "change":
        return None
    row = found.rows[0]
    return (row["indicator"], row["place_adcode"], row["unit"], row["ref_precision"])


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
        defined_here = getattr(value, "__module__", module) == module  # not an import of it
        if value is not None and defined_here and not name.startswith("_"):
            globals()[name] = value
            return value
    raise AttributeError(f"module 'xining_data.notebook' has no attribute {name!r}")

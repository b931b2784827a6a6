"""The chart shapes the stories draw (bars, timelines), and a saved kit chart shown inline.

The functions return a matplotlib figure in the house style (apply
:func:`xining_data.publish.style.use_house_style` first) without title or source line:
:meth:`xining_data.stories.story.Story.save_chart` writes those onto it when it saves the
chart into the figure kit, then shows the kit's own PNG on the page.
"""

from __future__ import annotations

import base64
import html
import math
from typing import TYPE_CHECKING, Any

from xining_data.geo.boundaries import divisions, english_name
from xining_data.publish.style import use_house_style
from xining_data.stories.wording import period_bounds

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


BAR_CHART_WIDTH = 7.0  # inches: the story column's width; the height grows with the bars


def bar_chart(labels: list[str], values: list[float], *, color: str | list[str],
              value_labels: list[str], xlabel: str = "", log: bool = False) -> Figure:  # fmt: skip
    """Horizontal bars in the order given (top down), each labelled with its printed value."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(BAR_CHART_WIDTH, 0.55 * len(labels) + 1.2))
    bars = ax.barh(labels, values, color=color)
    ax.bar_label(bars, labels=value_labels, padding=4)
    ax.invert_yaxis()
    if log:
        from matplotlib.ticker import FuncFormatter

        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_xlabel(xlabel)
    ax.margins(x=0.15)
    ax.grid(axis="y", visible=False)
    return fig


def timeline_chart(events: pd.DataFrame, *, color: str, width: float = 8.0) -> Figure:
    """Dated events (:func:`xining_data.stories.lookup.events_table`) on one time axis, one row each.

    A date known only to the month or year is drawn as a band over that period,
    not as a day; hollow markers flag inferred dates (whose printed date says so).
    Labels sit on the side with more room.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, 0.55 * len(events) + 1.2))
    periods = [tuple(mdates.date2num(d) for d in period_bounds(iso)) for iso in events["date"]]
    low, high = min(p[0] for p in periods), max(p[1] for p in periods)
    for y, (period, row) in enumerate(zip(periods, events.itertuples(), strict=True)):
        x = mdates.date2num(row.when)
        if period[1] > period[0]:
            ax.hlines(y, *period, color=color, alpha=0.3, linewidth=7)
        ax.plot([x], [y], "o", ms=9, color=color, mfc="white" if row.inferred else color)
        right = x <= (low + high) / 2
        edge = period[1] if right else period[0]
        ax.annotate(f"{row.label}\n{row.printed}", (edge, y), xytext=(10 if right else -10, 0),
                    textcoords="offset points", va="center", ha="left" if right else "right",
                    fontsize=9)  # fmt: skip
    span = max(high - low, 60.0)
    ax.set_xlim(low - 0.15 * span, high + 0.15 * span)
    ax.set_yticks([])
    ax.set_ylim(len(events) - 0.4, -0.6)
    months = max(1, round(span / 30.4 / 5))
    if months >= 12:
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=months))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.grid(axis="y", visible=False)
    return fig


def kit_chart_html(entry: dict[str, Any]) -> Any:
    """A chart saved in the kit (its manifest entry), shown from the kit's PNG with its alt
    text, so the page shows exactly the file reporters download."""
    from IPython.display import HTML

    from xining_data.publish import kit

    png = next(f["path"] for f in entry["files"] if f["path"].endswith(".png"))
    image = (kit.writing_dir() / png).read_bytes()
    data_uri = base64.b64encode(image).decode("ascii")
    return HTML(
        f'<figure class="chart"><img src="data:image/png;base64,{data_uri}" '
        f'width="{kit.display_width(image)}" alt="{html.escape(entry["alt"])}" '
        'style="max-width:100%;height:auto"></figure>'
    )


def plot_divisions(
    ax: Axes | None = None,
    column: str | None = None,
    labels: str | None = "zh",
    **kwargs: Any,
) -> Axes:
    """Draw the seven divisions, optionally coloured by ``column``, labelled in Chinese.

    ``labels``: ``"zh"`` short Chinese names, ``"zh_full"`` full names, ``"en"`` short English (Chengxi), ``"en_full"`` full English,
    ``None`` no labels. ``column`` may be any column of ``divisions()`` or a Series indexed
    by adcode; other keyword arguments go to ``GeoDataFrame.plot``.
    """
    import matplotlib.pyplot as plt
    import pandas as pd
    from matplotlib import patheffects

    use_house_style()
    gdf = divisions()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 6))
    style = {"edgecolor": "white", "linewidth": 0.8}
    if column is None:
        style["color"] = kwargs.pop("color", "#c9d6df")
    elif isinstance(column, pd.Series):
        gdf["value"] = gdf["adcode"].map(column)
        column = "value"
    gdf.plot(ax=ax, column=column, **style, **kwargs)
    # English labels are the short names (Chengxi, not Chengxi District): the four urban
    # districts are small, and full English names overlap there.
    gdf["short_en"] = [english_name(n) for n in gdf["short_name"]]
    field = {"zh": "short_name", "zh_full": "name", "en": "short_en", "en_full": "name_en"}.get(
        labels or ""
    )
    if field:
        halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
        for row in gdf.itertuples():
            ax.annotate(
                getattr(row, field),
                (row.lon, row.lat),
                ha="center",
                va="center",
                fontsize=8,
                path_effects=halo,
            )
    ax.set_axis_off()
    ax.set_aspect(1 / math.cos(math.radians(gdf["lat"].mean())))  # equal distances on screen
    return ax


def series_chart(
    frames: list[pd.DataFrame],
    labels: list[str],
    *,
    colors: list[str],
    value_labels: list[list[str]],
) -> Figure:
    """One line per series of facts (rows in period order, ``ref_date`` and ``value``), the
    periods as printed on a categorical axis (a year is a year, not a day), each point labelled
    with its printed value."""
    import matplotlib.pyplot as plt

    periods = sorted({p for f in frames for p in f["ref_date"]})
    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    for frame, label, color, texts in zip(frames, labels, colors, value_labels, strict=True):
        xs = [periods.index(p) for p in frame["ref_date"]]
        ys = [float(v) for v in frame["value"]]
        ax.plot(xs, ys, marker="o", color=color, label=label)
        for x, y, text in zip(xs, ys, texts, strict=True):
            ax.annotate(text, (x, y), xytext=(0, 7), textcoords="offset points", ha="center",
                        fontsize=9)  # fmt: skip
    ax.set_xticks(range(len(periods)), periods)
    ax.margins(x=0.15, y=0.25)
    ax.set_ylim(bottom=0)
    ax.set_yticks([])  # every point carries its printed value: no axis to decode (no 1e11)
    if len(frames) > 1:
        ax.legend(frameon=False, fontsize=9)
    ax.grid(axis="x", visible=False)
    return fig

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


TIMELINE_LEGEND = {
    "zh": ("某一天（日期印在报道上）", "某一天（推算日期）", "只知道年或月：画出整段时期",
           "推算的年或月"),
    "en": ("a day (date printed)", "a day (date inferred)", "known only to the year or month: "
           "the whole period", "an inferred year or month"),
}  # fmt: skip


def timeline_chart(
    events: pd.DataFrame, *, color: str, language: str = "zh", width: float = 8.0
) -> Figure:
    """Dated events on one time axis, one row each (``date``: ISO of any precision, ``inferred``,
    ``label``, ``printed``: the date as printed).

    Only a day is a point; a year or a month is drawn as the span it names (a year from 1
    January to 31 December, never a dot in July). Filled marks are printed dates, hollow ones
    inferred, as the legend under the axis says. Labels sit on the side with more room, on a
    white ground so that no gridline runs through them.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, 0.5 * len(events) + 1.9))
    periods = [_period_numbers(iso) for iso in events["date"]]
    low, high = min(p[0] for p in periods), max(p[1] for p in periods)
    for y, (period, row) in enumerate(zip(periods, events.itertuples(), strict=True)):
        _draw_when(ax, y, period, color=color, inferred=bool(row.inferred))
        right = (period[0] + period[1]) / 2 <= (low + high) / 2
        ax.annotate(f"{row.printed}  {row.label}", (period[1] if right else period[0], y),
                    xytext=(8 if right else -8, 0), textcoords="offset points", va="center",
                    ha="left" if right else "right", fontsize=9, zorder=4,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0})  # fmt: skip
    span = max(high - low, 60.0)
    ax.set_xlim(low - 0.45 * span, high + 0.45 * span)
    ax.set_yticks([])
    ax.set_ylim(len(events) - 0.4, -0.6)
    _time_axis(ax, span)
    ax.set_axisbelow(True)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#e4e4e4", linewidth=0.6, zorder=0)
    drawn = {(p[0] != p[1], bool(i)) for p, i in zip(periods, events["inferred"], strict=True)}
    _timeline_legend(ax, color, TIMELINE_LEGEND["zh" if language == "zh" else "en"], drawn)
    return fig


def _period_numbers(iso: str) -> tuple[float, float]:
    """The first and the last instant of the period an ISO date names, as plot numbers (a day
    is one instant: its start)."""
    import datetime as dt

    import matplotlib.dates as mdates

    first, last = period_bounds(iso)
    if first == last:
        return (mdates.date2num(first),) * 2
    return mdates.date2num(first), mdates.date2num(last + dt.timedelta(days=1))


def _draw_when(ax: Axes, y: int, period: tuple[float, float], *, color: str, inferred: bool):
    """A day as a dot, a longer period as a bar over it; hollow when inferred."""
    from matplotlib.patches import Rectangle

    if period[1] == period[0]:
        ax.plot([period[0]], [y], "o", ms=8, color=color, mfc="white" if inferred else color,
                mew=1.5, zorder=3)  # fmt: skip
        return
    ax.add_patch(Rectangle((period[0], y - 0.18), period[1] - period[0], 0.36, zorder=3,
                           facecolor="white" if inferred else color, edgecolor=color,
                           linewidth=1.2, hatch="////" if inferred else None))  # fmt: skip


def _time_axis(ax: Axes, span: float) -> None:
    """Year ticks on a long axis, month ticks on a short one."""
    import matplotlib.dates as mdates

    months = max(1, round(span / 30.4 / 5))
    if months >= 6:  # a year tick every year: months at odd steps read as noise
        ax.xaxis.set_major_locator(mdates.YearLocator(base=max(1, math.ceil(span / 365 / 8))))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=months))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))


def _timeline_legend(
    ax: Axes, color: str, words: tuple[str, ...], drawn: set[tuple[bool, bool]]
) -> None:
    """What filled, hollow, dot and bar mean, under the axis: the marks ``drawn`` ((is a
    period, is inferred) pairs) only."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Line2D([], [], marker="o", ls="", ms=8, color=color, label=words[0]),
        Line2D([], [], marker="o", ls="", ms=8, color=color, mfc="white", mew=1.5,
               label=words[1]),
        Patch(facecolor=color, edgecolor=color, label=words[2]),
        Patch(facecolor="white", edgecolor=color, hatch="////", label=words[3]),
    ]  # fmt: skip
    kinds = [(False, False), (False, True), (True, False), (True, True)]
    handles = [h for h, kind in zip(handles, kinds, strict=True) if kind in drawn]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2,
              frameon=False, fontsize=8.5)  # fmt: skip


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
    ax.set_axis_off()
    ax.set_aspect(1 / math.cos(math.radians(gdf["lat"].mean())))  # equal distances on screen
    if field:
        halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
        texts = [
            ax.annotate(getattr(row, field), (row.lon, row.lat), xytext=(0, 0),
                        textcoords="offset points", ha="center", va="center", fontsize=8,
                        path_effects=halo)
            for row in gdf.itertuples()
        ]  # fmt: skip
        separate_labels(ax, texts)
    return ax


LABEL_STEP = 3.0  # points a label moves per round while it overlaps another
LABEL_ROUNDS = 60


def separate_labels(ax: Axes, texts: list[Any]) -> None:
    """Move overlapping place labels apart (vertically, the higher anchor up), each moved label
    tied to its place by a thin leader line, so no label covers another in either edition."""
    renderer = ax.figure.canvas.get_renderer()
    offsets = [0.0] * len(texts)
    for _ in range(LABEL_ROUNDS):
        boxes = [t.get_window_extent(renderer).expanded(1.04, 1.12) for t in texts]
        clashes = [
            (i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))
            if boxes[i].overlaps(boxes[j])
        ]  # fmt: skip
        if not clashes:
            break
        for i, j in clashes:
            up = 1 if (texts[i].xy[1], i) >= (texts[j].xy[1], j) else -1
            offsets[i] += up * LABEL_STEP
            offsets[j] -= up * LABEL_STEP
        for text, dy in zip(texts, offsets, strict=True):
            text.xyann = (0, dy)
    for text, dy in zip(texts, offsets, strict=True):
        if dy:
            ax.annotate("", text.xy, xytext=(0, dy * 0.7), textcoords="offset points",
                        arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.5})  # fmt: skip


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

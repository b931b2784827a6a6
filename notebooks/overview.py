# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (xining-data)
#     language: python
#     name: xining-data
# ---

# %% tags=["parameters"]
reports_dir = None
language = "zh"

# %%
# Overview: what the whole archive says, whatever reports it holds. Every number comes from the
# tables.
import pandas as pd
from IPython.display import display

from xining_data import notebook as story

s, corpus = story.open_story("overview", reports_dir, language)
figs, reports, city = corpus.merged, corpus.reports, corpus.city_census
# Every quantity of the archive, its facts, series and disagreements, and the economy catalogue.
arch = story.theme_archive(corpus.figures, "overview", corpus.original)
printed_dates = figs[(figs["kind"] == "date") & ~figs["date_inferred"].fillna(False).astype(bool)]
year = printed_dates["date"].str[:4].mode().iloc[0] if not printed_dates.empty else ""


def themed(theme):
    """A theme's name in this edition (the economy and other articles included)."""
    extra = {"economy": ("经济", "Economy"), "other": ("其他", "Other")}
    return s.word(*extra[theme]) if theme in extra else s.theme_name(theme)


# %% tags=["story-meta"]
s.masthead(
    headline=s.say("数字里的西宁{y}", "Xining's {y} in numbers", y=year) if len(reports) == 1 and year
    else s.say("数字里的西宁：{n}份报道", "Xining in numbers: {n} reports", n=s.fmt(len(reports)))
    if len(reports) > 1 else s.word("数字里的西宁", "Xining in numbers"),
    dek=s.word("这批城市报道里的数字：经济指标、各主题说了什么、报道之间哪里不一致、哪些没有数字。",
               "The figures in these city reports: the economy, what each theme says, where the "
               "reports disagree and what they leave uncounted."),
    date=story.fmt_date(corpus.as_of, None, language, inferred=corpus.as_of_inferred)
    if corpus.as_of else s.word("报道未注明日期", "reports undated"),  # not today's date
    order=0,
)  # fmt: skip

# %%
# The lede, chosen by the editor's rule across every figure of the archive, and its series.
NO_FIGURES = ("这批报道里没有数字。", "These reports give no figures.")
display(s.markdown(story.lede(s, arch, reports)) if not arch.is_empty else s.show(*NO_FIGURES))
for chart in s.series_charts(arch):
    display(chart)

# %%
# The reports: how many, published when, which are copies of others.
named = {r: story.report_name(r, reports, language) for r in reports["report"]}
dated = reports[reports["published"].fillna("") != ""].sort_values("published")
when = [story.fmt_date(r["published"], r["published_precision"] or None, language,
                       inferred=bool(r["published_inferred"])) for _, r in dated.iloc[[0, -1]].iterrows()] \
    if not dated.empty else []  # fmt: skip
display(s.heading("这批报道", "The reports"))
if reports.empty:
    display(
        s.show("这个文件夹里没有能读出的报道。", "The folder holds no report that could be read.")
    )
elif len(reports) == 1:
    display(s.show("这批报道只有一份：{name}。", "There is one report: {name}.",
                   name=named[reports["report"].iloc[0]]))  # fmt: skip
elif when:
    display(s.show("这批报道共{n}份，发布时间从{a}到{b}{undated}。",
                   "There are {n} reports, published from {a} to {b}{undated}.",
                   n=s.fmt(len(reports)), a=when[0], b=when[1],
                   undated=s.say("（另有{k}份没有发布日期）", " ({k} more carry no date)",
                                 k=s.fmt(len(reports) - len(dated))) if len(dated) < len(reports) else ""))  # fmt: skip
else:
    display(s.show("这批报道共{n}份，都没有发布日期。", "There are {n} reports, none of them dated.",
                   n=s.fmt(len(reports))))  # fmt: skip
inferred_dates = int(dated["published_inferred"].fillna(False).astype(bool).sum())
if inferred_dates and len(reports) == 1:
    display(s.show("报道上没有印出发布日期，发布年份是从正文推算的（标为“推算日期”）。",
                   "The report does not print its date: the year is inferred from the text and "
                   "marked \"inferred date\".", k=s.fmt(inferred_dates)))  # fmt: skip
elif inferred_dates:
    display(s.show("其中{k}份的发布日期没有印在报道上，是从正文推算的（标为“推算日期”）。",
                   "{k} of them do not print their date: it is inferred from the text and marked "
                   "\"inferred date\".", k=s.fmt(inferred_dates)))  # fmt: skip

# %%
# Reposts and copies: one source with their original.
copies = reports[reports["copy_of"] != reports["report"]]
if not copies.empty:
    display(s.show("{k}份是另一份报道的转载或副本，与原报道算作同一个来源：",
                   "{k} are reposts or copies of another report and count as one source with it:"
                   if len(copies) > 1 else "{k} is a repost or copy of another report and counts "
                   "as one source with it:", k=s.fmt(len(copies))))  # fmt: skip

    def filed(report, twin):
        """A report's name, with its file name when its twin reads the same."""
        name = named.get(report, report)
        return (
            name + s.say("（文件{f}）", " (file {f})", f=report)
            if name == named.get(twin)
            else name
        )

    display(s.bullets(s.say("{copy}，转自{original}", "{copy}, a copy of {original}",
                            copy=filed(r.report, r.copy_of), original=filed(r.copy_of, r.report))
                      for r in copies.head(story.TABLE_ROWS).itertuples()))  # fmt: skip
    if len(copies) > story.TABLE_ROWS:
        display(s.show("（另有{k}份副本未列出。）", "({k} more copies are not listed.)",
                       k=s.fmt(len(copies) - story.TABLE_ROWS)))  # fmt: skip

# %%
# Per theme: how many numbers the reports print, and how many values of a catalogued indicator.
catalogue = story.indicator_catalogue().set_index("id")["theme"]
theme_of = arch.figures["indicator"].fillna("").map(catalogue).fillna(arch.figures["theme"])
counts = pd.DataFrame({
    "numbers": arch.figures.groupby(theme_of).size(),
    "facts": arch.facts.groupby(arch.facts["indicator"].map(catalogue)).size(),
    "reports": arch.figures.groupby(theme_of)["report"].nunique(),
}).fillna(0).astype(int).sort_values(["numbers", "facts"], ascending=False)  # fmt: skip
if not counts.empty:
    display(s.heading("各主题有多少数字", "How many figures each theme has"))
    display(s.show(
        "“数值”是报道印出的每一个数（日期、序数和编号不算，同一个数印了两次算两个），共{n}个；"
        "“指标数值”是能对应到指标目录的数值，同一指标、地方、时期的同一数值合为一个，共{f}个。",
        "\"Numbers\" are every number the reports print ({n} in all; dates, ordinals and "
        "identifiers left out, a number printed twice counted twice); \"indicator values\" are "
        "the {f} values that match an indicator of the catalogue, the same value for the same "
        "indicator, place and period taken once.",
        n=s.fmt(len(arch.figures)), f=s.fmt(len(arch.facts))))  # fmt: skip
    header = s.word(
        "| 主题 | 数值 | 指标数值 | 报道（份） |",
        "| Theme | Numbers | Indicator values | Reports |",
    )
    rows = [f"| {themed(t)} | {s.fmt(r.numbers)} | {s.fmt(r.facts)} | {s.fmt(r.reports)} |"
            for t, r in counts.iterrows()]  # fmt: skip
    display(s.markdown("\n".join([header, "|---|---|---|---|", *rows])))

# %%
display(*s.disagreements(arch, corpus), *s.latest_figures(arch, corpus))

# %%
# Where: figures per division, and the places the reports name under their division.
divisions = story.divisions().set_index("adcode")
per_division = story.figures_by_division(arch.figures)
if len(per_division) >= 2:  # a map is worth drawing when figures differ between divisions
    display(s.heading("数字落在哪里", "Where the figures are"))
    display(s.division_map(arch))
elif len(per_division) == 1:
    division = divisions.loc[per_division.index[0], "name" if language == "zh" else "name_en"]
    display(s.heading("数字落在哪里", "Where the figures are"))
    display(s.show("只有{division}有落到县区的数值（{n}个），其余数值说的是全市或没有说地方。",
                   "Only {division} has numbers of its own ({n}); the others are about the whole "
                   "city or name no place.", division=division, n=s.fmt(per_division.iloc[0])))  # fmt: skip
# %%
# The townships, villages and facilities named, under their division (as precisely as the text
# allows), and the dated events on a timeline (a year is a span, only a day a point).
named_places = s.named_places(arch, corpus)
if named_places:
    display(
        s.heading("报道提到的地点，按县区", "Places the reports name, by division"), *named_places
    )
display(*s.when(arch, corpus))

# %%
# The smart-city award, when a report gives it: one of how many cities, the first where.
award = story.find_or_none(
    figs, theme="digital", kind="count", sentence_contains="智慧城市产业与经济大奖"
)
first = story.find_or_none(
    corpus.figures, theme="digital", kind="ordinal", sentence_contains="西北地区"
)
try:  # the compute centre's date, when a sentence dates it once
    centre = story.event_dates(figs, [story.Event("人工智能算力中心", "", "")], language)
except story.StoryDataError:
    centre = None
if award is not None and first is not None:
    display(s.heading("智慧城市奖", "The smart-city award"))
    display(s.show(
        zh="报道称，城西区获世界智慧城市产业与经济大奖，全国仅{n}个城市获奖{c1}，城西区是西北地区"
           "首个获此殊荣的城区{c2}。",
        en="According to the report, Chengxi District won the World Smart City Industry and "
           "Economy Award, one of only {n} cities in China to do so{c1}, and the first district in "
           "the Northwest{c2}.",
        n=s.num(award, cite=False), c1=s.cite(award), c2=s.cite(first),
    ))  # fmt: skip
if award is not None and first is not None and centre is not None:
    row = centre["figure"].iloc[0]
    display(s.show("报道还说，城西区于{when}{c}建成并投用了青海昆仑人工智能算力中心。",
                   "The report also says Chengxi built and put into service the Qinghai Kunlun AI "
                   "compute centre in {when}{c}.", when=s.date(row, cite=False), c=s.cite(row)))  # fmt: skip

# %%
# Per 100,000 residents: counts of things the bundled report names, each when one sentence gives
# it for the whole city (counts from several reports or years are not added up). A table, not a
# chart: the things are unlike.
MEASURES = [("community", "“石榴籽家园”", "pomegranate-seed homes (community centres for "
             "ethnic unity)", dict(subject_contains="家园")),
            ("community", "文化小分队", "cultural teams", dict(subject_contains="小分队")),
            ("employment", "零工市场和驿站", "gig-work markets and stations", dict(subject_contains="零工")),
            ("carbon", "交通气象站", "traffic weather stations", dict(subject_contains="气象站"))]  # fmt: skip
rows = []
for theme, zh, en, where in MEASURES:
    # one figure per thing: the total where the sentence also gives what was added (新命名21家，累计达到46家)
    parts = story.without_flows_beside_stocks(
        story.select(figs, theme=theme, kind="count", **where)
    )
    one_sentence = len(parts[["report", "sentence_start"]].drop_duplicates()) == 1
    if not one_sentence or set(parts["place_adcode"]) != {corpus.city_adcode}:
        continue
    value, qualifier = story.total([r for _, r in parts.iterrows()])
    rate = story.per_100k(value, city["value"])
    cites = "".join(s.cite(r) for _, r in parts.iterrows())
    shown = s.fmt(rate, story.derived_qualifier(qualifier), digits=1 if rate >= 1 else 2)
    rows.append(f"| {s.word(zh, en)} | {s.fmt(value, qualifier)}{cites} | {shown} |")
if rows:
    display(s.heading("按人口算", "Per resident"))
    display(s.show("按{y}年人口普查常住人口{pop}人{c}计算，每{b}名常住居民对应的数量：",
                   "Per {b} residents, using the {pop} residents counted at the {y} census{c}:",
                   y=city["year"], pop=s.fmt(city["value"]), c=s.cite(city), b=s.fmt(story.PER_100K)))  # fmt: skip
    header = s.say("| 报道所数的 | 报道的数字 | 每{b}人 |", "| What the report counts | Reported | Per {b} "
                   "residents |", b=s.fmt(story.PER_100K))  # fmt: skip
    display(s.markdown("\n".join([header, "|---|---|---|", *rows])))

# %%
display(s.heading("报道没有告诉我们的", "What the reports do not tell us"))
display(s.markdown(story.silences(s, arch)))
if not arch.unmatched.empty:
    display(s.show("{m}个数值中有{n}个对应不到指标目录中的任何指标，都列在文末的表中，供记者核读。",
                   "{n} of the {m} numbers match no indicator of the catalogue; they are in the "
                   "table at the end for a reporter to read.",
                   n=s.fmt(len(arch.unmatched)), m=s.fmt(len(arch.figures))))  # fmt: skip
approximate = arch.figures[
    arch.figures["qualifier"].isin(["more_than", "nearly", "about", "at_most"])
]
inferred = figs[(figs["kind"] == "date") & figs["date_inferred"].fillna(False).astype(bool)]
notes = []
if not approximate.empty:
    notes.append(s.say("{n}个数值是约数，照原文的说法写出（如{e}）。",
                       "{n} numbers are approximate and written as the reports put them ({e}).",
                       n=s.fmt(len(approximate)), e=s.word("、", "; ").join(
                           s.num(r, unit=True) for _, r in approximate.head(2).iterrows())))  # fmt: skip
if not inferred.empty:
    notes.append(s.say("{n}个日期由“去年”等说法按推算的发布年份换算，标为“推算日期”。",
                       "{n} dates are worked out from words such as \"last year\" against an "
                       "inferred year of publication, and marked \"inferred date\".",
                       n=s.fmt(len(inferred))))  # fmt: skip
if notes:
    display(s.bullets(notes))

# %%
if arch.is_empty:
    display(s.heading("全部数字", "Every figure"), s.show(*NO_FIGURES))
display(*s.every_figure(arch, corpus, ("全部数字", "Every figure")))

# %% tags=["story-meta"]
s.footer(method=[s.word(
    "数字由 xining-data 从报道原文中抽取，每个都带原文位置；地点离线地理编码到真实边界；转载和副本与原报道算作同一个来源。",
    "Figures are extracted from the raw reports by xining-data, each with its offsets; places are "
    "geocoded offline against real boundaries; a repost or copy counts as one source with its "
    "original.")])  # fmt: skip

# %%
s.show_ledger()

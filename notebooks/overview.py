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
# Overview: the report in numbers. Every number comes from the tables.
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
from matplotlib.colors import LinearSegmentedColormap

from xining_data import notebook as story

s, corpus = story.open_story("overview", reports_dir, language)
figs, ctx, city = corpus.merged, corpus.context, corpus.city_census
county_level = story.divisions()
year = figs.loc[figs["kind"] == "date", "date"].str[:4].mode().iloc[0]  # the year most dated

# %% tags=["story-meta"]
s.masthead(
    headline=s.say("数字里的西宁{y}", "Xining's {y} in numbers", y=year),
    dek=s.word("一份城市报道里的每一个数字：它数的是什么、出自哪句话、放在全市人口里有多大。",
               "Every figure in one city report: what it counts, which sentence it comes from, "
               "and how big it is for the city's population."),
    order=0,
)  # fmt: skip

# %%
# The ledger is the backbone: every figure gets its number in text order.
for _, row in figs.sort_values(["report", "start"]).iterrows():
    s.ledger.number(row)
quantities = figs[~figs["kind"].isin(["date", "ordinal", "identifier", "unclassified"])]
by_theme = quantities.groupby("theme").size().sort_values(ascending=False)
leading = by_theme[by_theme == by_theme.max()].index
leaders = s.word("和", " and ").join(s.theme_name(t) for t in leading)
each = s.word("各", " each") if len(leading) > 1 else ""
display(s.heading("报道数了什么", "What the report counts"))
display(s.show(
    zh="这份报道共有{n}篇文章，给出{f}个数字（另有{d}个日期）。数字最多的是{top}（{each}{k}个）。"
       "每一个数字都列在文末的账本里，附原句、文章和记者。",
    en="The report's {n} articles give {f} figures (and {d} dates). The {top} articles carry "
       "the most ({k}{each}). Every figure is in the ledger at the end, with its sentence, article "
       "and reporter.",
    n=s.fmt(len(corpus.articles)), f=s.fmt(len(quantities)),
    d=s.fmt((figs["kind"] == "date").sum()), top=leaders, each=each,
    k=s.fmt(by_theme.iloc[0]),
))  # fmt: skip

# %%
data = by_theme.rename("figures").rename_axis("theme").reset_index()
data["label"] = data["theme"].map(s.theme_name)
fig = story.bar_chart(list(data["label"]), list(data["figures"]),
                      color=[story.theme_color(t) for t in data["theme"]],
                      value_labels=[s.fmt(v) for v in data["figures"]])  # fmt: skip
s.save_chart(fig, data, slug="figures-by-theme", units=s.word("个数字", "figures"),
             title=s.say("{top}报道的数字最多", "The {top} articles carry the most figures",
                         top=leaders),
             subtitle=s.word("各主题报道中的数字个数（不含日期）", "Figures per theme, dates excluded"),
             alt=s.say("报道中共{n}个数字，{top}主题最多，{each}有{k}个。",
                       "The report gives {n} figures; the {top} articles carry the most, {k}{each}.",
                       n=s.fmt(len(quantities)), top=leaders, each=each,
                       k=s.fmt(by_theme.iloc[0])),
             notes=[s.reports_note()])  # fmt: skip

# %%
EVENTS = [
    story.Event("算力中心", "昆仑人工智能算力中心投用", "Kunlun AI compute centre in service"),
    story.Event("被确定为全国", "工伤跨省直接结算试点城市", "work-injury settlement pilot city"),
    story.Event("智慧城市产业与经济大奖", "城西区获世界智慧城市大奖", "Chengxi wins smart-city award"),
    story.Event("医疗费", "首例工伤跨省直接结算", "first cross-province settlement"),
    story.Event("入选深化气候适应型", "入选气候适应型城市试点", "climate-adaptation pilot"),
]  # fmt: skip
events = story.event_dates(figs, EVENTS, language)
display(s.heading("时间线", "Timeline"))
display(s.bullets(f"{row.printed}{s.cite(row.figure)}：{row.label}" if language == "zh" else
                  f"{row.printed}{s.cite(row.figure)}: {row.label}" for row in events.itertuples()))  # fmt: skip
fig = story.timeline_chart(events, color=story.theme_color("other"))
s.save_chart(fig, events.drop(columns=["figure"]), slug="timeline",
             title=s.say("{a}至{b}：{n}件有日期的大事", "{n} dated events, {a} to {b}",
                         n=s.fmt(len(events)), a=events["printed"].iloc[0], b=events["printed"].iloc[-1]),
             alt=s.say("报道中有日期的{n}件事，从{a}的{x}到{b}的{y}。",
                       "The report dates {n} events, from the {x} in {a} to the {y} in {b}.",
                       n=s.fmt(len(events)), a=events["printed"].iloc[0], x=events["label"].iloc[0],
                       b=events["printed"].iloc[-1], y=events["label"].iloc[-1]),
             sources=list(events["figure"]))  # fmt: skip

# %%
# The smart-city article: one of how many, first where, and the compute centre's date.
award = story.find(figs, theme="digital", kind="count", subject_contains="城市")
first = story.find(corpus.figures, theme="digital", kind="ordinal", sentence_contains="西北地区")
centre = events.loc[events["label"] == s.word(EVENTS[0].zh, EVENTS[0].en), "figure"].iloc[0]
display(s.heading("智慧城市奖", "The smart-city award"))
display(s.show(
    zh="城西区获世界智慧城市产业与经济大奖，全国仅{n}个城市获奖{c1}，城西区是西北地区首个获此殊荣的"
       "城区{c2}。它的底气是{when}{c3}建成投用的青海昆仑人工智能算力中心。",
    en="Chengxi District won the World Smart City Industry and Economy Award, one of only {n} "
       "cities in China to do so{c1} and the first district in the Northwest{c2}. Behind it is "
       "the Qinghai Kunlun AI compute centre, in service since {when}{c3}.",
    n=s.num(award, cite=False), c1=s.cite(award), c2=s.cite(first),
    when=s.date(centre, cite=False), c3=s.cite(centre),
))  # fmt: skip

# %%
# A map of the divisions, shaded by how often the report names each.
mentions = corpus.places[corpus.places["adcode"].isin(county_level["adcode"])]
counts = mentions.groupby("adcode").size().reindex(county_level["adcode"], fill_value=0)
data = county_level[["adcode", "name", "name_en"]].assign(mentions=counts.values)
top = data.sort_values("mentions", ascending=False).iloc[0]
display(s.heading("报道提到了哪些县区", "Which divisions the report names"))
fig, ax = plt.subplots(figsize=(7, 6))
shades = LinearSegmentedColormap.from_list("named", ["#eeeeee", story.theme_color("digital")])
story.plot_divisions(ax, counts, labels=language, cmap=shades, vmin=0, legend=True,
               legend_kwds={"shrink": 0.6, "label": s.word("提及次数", "times named")})  # fmt: skip
s.save_chart(fig, data, slug="divisions-named", units=s.word("次", "mentions"),
             title=s.say("报道提到最多的是{name}（{n}次）", "{name} is named most ({n} times)",
                         name=top["name"] if language == "zh" else top["name_en"], n=s.fmt(top["mentions"])),
             alt=s.say("地图：{k}个县区中有{m}个在报道里被提到，{name}最多。",
                       "Map: the report names {m} of the {k} divisions, {name} most often.",
                       k=s.fmt(len(data)), m=s.fmt((data["mentions"] > 0).sum()),
                       name=top["name"] if language == "zh" else top["name_en"]),
             notes=[s.reports_note(), s.boundaries_note()])  # fmt: skip

# %%
# Facilities and projects, located only as precisely as the text allows.
facilities = corpus.places[corpus.places["level"].isin(["facility", "river", "area"])]
display(s.heading("报道提到的设施与工程", "Facilities and projects named"))
display(s.bullets(
    s.say("{name}：{where}", "{name}: {where}", name=row.text, where=s.precision(row.precision))
    for row in facilities.drop_duplicates("text").itertuples()
))  # fmt: skip

# %%
# Per 100,000 residents, across themes: counts of things the report names.
MEASURES = [("community", "“石榴籽家园”", '"pomegranate seed" homes', dict(subject_contains="家园")),
            ("community", "文化小分队", "cultural teams", dict(subject_contains="小分队")),
            ("employment", "零工市场和驿站", "gig-work sites", dict(subject_contains="零工")),
            ("carbon", "交通气象站", "traffic weather stations", dict(subject_contains="气象站"))]  # fmt: skip
rows, drawn = [], [city]
for theme, zh, en, where in MEASURES:
    parts = [r for _, r in story.select(figs, theme=theme, kind="count", **where).iterrows()]
    value, qualifier = story.total(parts)
    rows.append({"theme": theme, "measure": s.word(zh, en), "count": float(value),
                 "qualifier": qualifier, "per_100k": story.per_100k(value, city["value"])})  # fmt: skip
    drawn.extend(parts)
data = pd.DataFrame(rows).sort_values("per_100k", ascending=False)

# %%
labels = [s.fmt(r.per_100k, story.derived_qualifier(r.qualifier), digits=1 if r.per_100k >= 1 else 2)
          for r in data.itertuples()]  # fmt: skip
display(s.heading("按人口算", "Per resident"))
display(s.show("每{b}名常住居民：{items}。", "Per {b} residents: {items}.", b=s.fmt(story.PER_100K),
               items=s.word("；", "; ").join(s.say("{m}{v}", "{m}: {v}", m=m, v=v)
                                             for m, v in zip(data["measure"], labels, strict=True))))  # fmt: skip
fig = story.bar_chart(list(data["measure"]), list(data["per_100k"]), log=True, value_labels=labels,
                      color=[story.theme_color(t) for t in data["theme"]],
                      xlabel=s.say("每{b}常住人口（对数刻度）", "per {b} residents (log scale)",
                                   b=s.fmt(story.PER_100K)))  # fmt: skip
best = data.iloc[0]
s.save_chart(fig, data, slug="per-100k-by-theme", units=s.say("每{b}人", "per {b} residents", b=s.fmt(story.PER_100K)),
             title=s.say("按人口算，{m}最密", "Per resident, {m} are the densest", m=best["measure"]),
             alt=s.say("每{b}名常住居民中，{m}有{v}，其他各项都少得多。",
                       "Per {b} residents there are {v} {m}; every other measure is far lower.",
                       b=s.fmt(story.PER_100K), m=best["measure"], v=labels[0]),
             sources=drawn)  # fmt: skip

# %%
display(s.heading("需要注意的", "Caveats"))
approximate = quantities[quantities["qualifier"].isin(["more_than", "nearly", "about", "at_most"])]
inferred = figs[figs["date_inferred"].fillna(False).astype(bool)]
display(s.bullets([
    s.say("{n}个数字是约数，按原文的限定词显示（如{e}）。", "{n} figures are approximate and shown with "
          "the report's qualifier (for example {e}).", n=s.fmt(len(approximate)),
          e=s.word("、", ", ").join(s.num(r, cite=False) for _, r in approximate.head(2).iterrows())),
    s.say("{n}个日期由“去年”等相对说法按报道的推算发布年份换算，标为“推算日期”。",
          "{n} dates are resolved from words like \"last year\" against the report's inferred "
          "year of publication, and marked as inferred.", n=s.fmt(len(inferred))),
    s.say("人均比率用{y}年人口普查常住人口{c}。", "Rates use the {y} census resident population{c}.",
          y=city["year"], c=s.cite(city)),
]))  # fmt: skip

# %% tags=["story-meta"]
s.footer(method=[s.word(
    "数字由 xining-data 从报道原文中抽取，每个都带原文位置；地点离线地理编码到真实边界。",
    "Figures are extracted from the raw report by xining-data, each with its offsets; places are "
    "geocoded offline against real boundaries.")])  # fmt: skip

# %%
s.show_ledger()

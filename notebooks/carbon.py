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
# Carbon: adapting to a harsher climate. Every number comes from the tables.
import pandas as pd
from IPython.display import display

from xining_data import notebook as story

s, corpus = story.open_story("carbon", reports_dir, language)
figs, ctx, city = corpus.merged, corpus.context, corpus.city_census

# %% tags=["story-meta"]
s.masthead(
    headline=s.word("为更极端的天气做准备：西宁的气候适应试点",
                    "Adapting to a harsher climate: Xining's pilot"),
    dek=s.word("入选气候适应型城市建设试点之后，西宁做了什么，报道又没有说什么。",
               "What Xining did after being chosen as a climate-adaptation pilot, and what the "
               "report leaves out."),
    order=4,
)  # fmt: skip

# %%
pilot = story.find(figs, theme="carbon", kind="date", sentence_contains="入选")
stations = story.find(figs, theme="carbon", kind="count", subject_contains="气象站")
departments = story.find(figs, theme="carbon", kind="count", subject_contains="部门")
display(s.heading("试点做了什么", "What the pilot did"))
display(s.show(
    zh="{when}{c1}，西宁入选深化气候适应型城市建设试点。此后全市新建{st}套交通气象站{c2}"
       "（每{base}名常住居民约{rate}套），由{dep}个部门{c3}联合印发试点实施方案。",
    en="In {when}{c1}, Xining was chosen as a pilot for deepening climate-adaptive city "
       "building. It has since built {st} traffic weather stations{c2} (about {rate} per {base} "
       "residents), and {dep} departments{c3} jointly issued the implementation plan.",
    when=s.date(pilot, cite=False), c1=s.cite(pilot), st=s.num(stations, cite=False),
    c2=s.cite(stations), dep=s.num(departments, cite=False), c3=s.cite(departments),
    base=s.fmt(story.PER_100K), rate=s.fmt(story.per_100k(stations["value"], city["value"]), digits=2),
))  # fmt: skip
cities = story.find_fact_or_none(ctx, "气候适应型")
if cities is not None and story.is_publishable(cities):
    display(s.show("据一份新闻稿，全国共有{n}个市（区）入选{c}。", "A news copy puts the cities chosen at {n}{c}.",
                   n=s.fmt(story.numbers_in(cities["value"])[0]), c=s.cite(cities)))  # fmt: skip
elif cities is not None:
    display(s.caveat("和西宁一同入选的城市有多少个？一份新闻稿给出了数字，但只见于转载网页；在有第二个来源前不予发表。",
                     "How many cities were chosen with Xining? A news copy gives a number, but "
                     "only on a mirror page; we leave it out until a second source confirms it."))  # fmt: skip

# %%
# The policy documents, in the order the report names them (repaired text: no print breaks).
text = corpus.article_text(pilot["report"], int(pilot["article"]))
docs = story.documents(text)
display(s.heading("政策文件，按报道提及的顺序", "The policy documents, in the order named"))
display(s.bullets(f"《{d}》" for d in docs))
display(
    s.show("报道没有给出这些文件的印发日期。", "The report gives no dates for these documents.")
)

# %%
# Emissions and carbon sinks: is there a number in the sentence that mentions them?
about = story.select(figs, theme="carbon", sentence_contains="碳排放")
numbers = about[~about["kind"].isin(["date", "ordinal", "identifier"])]
display(s.heading("碳排放：有评估，没有数字", "Emissions: assessed, not published"))
if numbers.empty:
    display(s.caveat(
        "西宁联合中国气象局的重点实验室，对全市碳排放和自然生态系统碳汇量做了反演评估，"
        "但报道没有公布任何结果数字。",
        "Xining estimated its carbon emissions and natural carbon sinks with a national "
        "laboratory of the China Meteorological Administration, but the report publishes no "
        "result."))  # fmt: skip
else:
    display(
        s.bullets(
            s.say("{t}{c}", "{t}{c}", t=r["text"], c=s.cite(r)) for _, r in numbers.iterrows()
        )
    )

# %%
# Context from a government website: the carbon-peaking pilot and green buildings.
peaking = story.find_fact(ctx, "碳达峰")
green = story.find_fact(ctx, "绿色建筑")
before, after = story.numbers_in(green["value"])
year_before, year_after = story.numbers_in(green["year"])
display(s.heading("背景", "Context"))
display(s.show(
    zh="据青海省政府网站，西宁于{peak}{c1}成为国家碳达峰试点城市；城镇绿色建筑占新建建筑的比例"
       "从{y0}年的{a}%升至{y1}年的{b}%{c2}。",
    en="According to the Qinghai government website, Xining became a national carbon-peaking "
       "pilot city in {peak}{c1}; green buildings rose from {a}% of new urban building in {y0} "
       "to {b}% in {y1}{c2}.",
    peak=story.fmt_date(peaking["value"], None, language), c1=s.cite(peaking),
    y0=year_before, y1=year_after, a=s.fmt(before), b=s.fmt(after), c2=s.cite(green),
))  # fmt: skip

# %%
data = pd.DataFrame(
    {"year": [year_before, year_after], "share_percent": [float(before), float(after)]}
)
fig = story.bar_chart(list(data["year"]), list(data["share_percent"]), color=s.color,
                      value_labels=[s.fmt(v) + "%" for v in (before, after)],
                      xlabel=s.word("占城镇新建建筑的比例（%）", "share of new urban buildings (%)"))  # fmt: skip
s.save_chart(fig, data, slug="green-buildings", units="%",
             title=s.say("绿色建筑占比从{a}%升至{b}%", "Green buildings: from {a}% to {b}%",
                         a=s.fmt(before), b=s.fmt(after)),
             alt=s.say("西宁城镇绿色建筑比例从{y0}年的{a}%升至{y1}年的{b}%。",
                       "Xining's share of green urban buildings rose from {a}% in {y0} to {b}% in {y1}.",
                       a=s.fmt(before), b=s.fmt(after), y0=year_before, y1=year_after),
             sources=[green])  # fmt: skip

# %%
events = story.events_table([
    (s.word("国家碳达峰试点", "carbon-peaking pilot"), story.fact_date(peaking)),
    (s.word("气候适应型城市建设试点", "climate-adaptation pilot"), pilot),
], language)  # fmt: skip
fig = story.timeline_chart(events, color=s.color)
s.save_chart(fig, events.drop(columns=["figure"]), slug="climate-timeline",
             title=s.say("{n}项国家级气候与低碳试点", "{n} national climate and carbon pilots",
                         n=s.fmt(len(events))),
             alt=s.say("西宁{a}成为国家碳达峰试点，{b}入选气候适应型城市建设试点。",
                       "Xining became a carbon-peaking pilot in {a} and a climate-adaptation "
                       "pilot in {b}.", a=story.fmt_date(peaking["value"], None, language),
                       b=s.date(pilot, cite=False)),
             sources=[peaking, pilot])  # fmt: skip

# %% tags=["story-meta"]
s.footer(method=[s.say(
    "报道中的数字均可在文末账本中追溯到原句；背景事实来自政府网站，仅见于转载网页的数字不予发表。",
    "Every number from the report traces to its sentence in the ledger; context facts come from "
    "a government website, and numbers found only on mirror pages are not published.")])  # fmt: skip

# %%
s.show_ledger()

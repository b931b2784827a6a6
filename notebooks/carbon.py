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
# Carbon: energy, renewables, green buildings and a harsher climate. Every number comes from
# the tables; the corpus gives no per-resident base for carbon, so the story keeps to shares
# and totals.
import pandas as pd
from IPython.display import display

from xining_data import notebook as story

s, corpus = story.open_story("carbon", reports_dir, language)
figs, ctx = corpus.merged, corpus.context

# %% tags=["story-meta"]
s.masthead(
    headline=s.word("低碳转型与气候适应：报道里的西宁",
                    "Carbon and a harsher climate: what the reports say about Xining"),
    dek=s.word("能耗、新能源、绿色建筑和气候适应试点：报道给出的数字，按时间和地点排开，"
               "也看报道没有说什么。",
               "Energy use, renewables, green buildings and the climate-adaptation pilot: the "
               "reports' figures over time and place, and what they leave out."),
    order=4,
)  # fmt: skip

# %%
# What the reports say on carbon, whatever reports they are: the lede, chosen by the editor's rule.
arch = story.theme_archive(corpus.figures, s.theme, corpus.original)
display(*s.opening(arch, corpus))

# %%
display(*s.disagreements(arch, corpus))
display(*s.latest_figures(arch, corpus))

# %%
display(*s.where(arch, corpus))
display(*s.when(arch, corpus))

# %%
# The climate-adaptation pilot, when the reports give it: the date chosen, the departments
# behind the plan and the weather stations built (each only when one row says it).
pilot = story.find_or_none(figs, kind="date", sentence_contains="入选深化气候适应型城市建设试点")
departments = story.find_or_none(figs, kind="count", subject_contains="部门",
                                 sentence_contains="气候适应型城市建设试点实施方案")  # fmt: skip
stations = story.find_or_none(figs, kind="count", subject_contains="交通气象站",
                              sentence_contains="新建")  # fmt: skip
if any(r is not None for r in (pilot, departments, stations)):
    display(s.heading("气候适应型城市建设试点", "The climate-adaptation pilot"))
if pilot is not None:
    display(s.show("报道称，西宁于{when}{c}入选深化气候适应型城市建设试点。",
                   "Xining was chosen in {when}{c} as a pilot for deepening climate-adaptive "
                   "city building, the report says.", when=s.date(pilot, cite=False),
                   c=s.cite(pilot)))  # fmt: skip
    cities = story.find_fact_or_none(ctx, "气候适应型", adcode=corpus.city_adcode)
    if cities is not None and story.is_publishable(cities):
        display(s.show("据一份新闻稿，全国共有{n}个市（区）入选{c}；这一数字只有这一个来源。",
                       "A news copy puts the cities chosen at {n}{c}; it is the only source.",
                       n=s.fmt(story.numbers_in(cities["value"])[0]), c=s.cite(cities)))  # fmt: skip
    elif cities is not None:
        display(s.caveat("和西宁一同入选的城市有多少个？一份新闻稿给出了数字，但只见于转载网页；"
                         "在有第二个来源前不予发表。",
                         "How many cities were chosen with Xining? A news copy gives a number, but "
                         "only on a mirror page; we leave it out until a second source confirms it."))  # fmt: skip
if departments is not None:
    display(s.show("报道称，{dep}个部门{c}联合印发了试点实施方案。",
                   "{dep} departments{c} jointly issued the pilot's implementation plan, the "
                   "report says.", dep=s.num(departments, cite=False), c=s.cite(departments)))  # fmt: skip
if stations is not None:
    dated = len(story.select(figs, report=stations["report"], kind="date",
                             sentence_start=stations["sentence_start"])) > 0  # fmt: skip
    display(s.show("报道称，西宁在全市新建{st}套交通气象站{c}。{when}",
                   "The city has built {st} new traffic weather stations{c}, the report says. {when}",
                   st=s.num(stations, cite=False), c=s.cite(stations),
                   when="" if dated else s.word("报道没有说明它们建于何时。",
                                                "It does not say when.")))  # fmt: skip

# %%
# The policy documents the pilot's article names, in order (repaired text: no print breaks).
if pilot is not None:
    docs = story.documents(corpus.article_text(pilot["report"], int(pilot["article"])))
    if docs:
        display(s.heading("政策文件，按报道提及的顺序", "The policy documents, in the order named",
                          level=3))  # fmt: skip
        display(s.bullets(f"《{d}》" for d in docs))
        article_dates = story.select(figs, report=pilot["report"], article=pilot["article"],
                                     kind="date")  # fmt: skip
        if len(article_dates) <= 1:  # only the date the city was chosen
            display(s.show("报道没有给出这些文件的印发日期。",
                           "The report gives no dates for these documents."))  # fmt: skip

# %%
# Context from a government website, when the reports say something on carbon to set it
# beside: the carbon-peaking pilot and the green-building share.
says_something = not arch.is_empty or pilot is not None
peaking = story.find_fact_or_none(ctx, "碳达峰", adcode=corpus.city_adcode)
green = story.find_fact_or_none(ctx, "绿色建筑", adcode=corpus.city_adcode)
peaking = (
    peaking if says_something and peaking is not None and story.is_publishable(peaking) else None
)
green = green if says_something and green is not None and story.is_publishable(green) else None
shares = story.numbers_in(green["value"]) if green is not None else []
years = story.numbers_in(green["year"]) if green is not None else []
green = green if len(shares) == len(years) == 2 else None
if peaking is not None or green is not None:
    display(s.heading("背景", "Context"))
if peaking is not None:
    display(s.show("据青海省政府网站，西宁于{peak}{c}成为国家碳达峰试点城市。",
                   "According to the Qinghai government website, Xining became a national "
                   "carbon-peaking pilot city in {peak}{c}.",
                   peak=story.fmt_date(peaking["value"], None, language), c=s.cite(peaking)))  # fmt: skip
if green is not None:
    display(s.show("据同一网站，城镇绿色建筑占新建建筑的比例从{y0}年的{a}%升至{y1}年的{b}%{c}。",
                   "The same website says green buildings rose from {a}% of new urban building "
                   "in {y0} to {b}% in {y1}{c}.", y0=years[0], y1=years[1], a=s.fmt(shares[0]),
                   b=s.fmt(shares[1]), c=s.cite(green)))  # fmt: skip

# %%
if green is not None:
    data = pd.DataFrame({"year": years, "share_percent": [float(v) for v in shares]})
    fig = story.bar_chart(years, list(data["share_percent"]), color=s.color,
                          value_labels=[s.fmt(v) + "%" for v in shares],
                          xlabel=s.word("占城镇新建建筑的比例（%）", "share of new urban buildings (%)"))  # fmt: skip
    display(s.save_chart(
        fig, data, slug="green-buildings", units="%", sources=[green],
        title=s.say("绿色建筑占比从{a}%升至{b}%", "Green buildings: from {a}% to {b}%",
                    a=s.fmt(shares[0]), b=s.fmt(shares[1])),
        alt=s.say("西宁城镇绿色建筑比例从{y0}年的{a}%升至{y1}年的{b}%。",
                  "Xining's share of green urban buildings rose from {a}% in {y0} to {b}% in {y1}.",
                  a=s.fmt(shares[0]), b=s.fmt(shares[1]), y0=years[0], y1=years[1]),
    ))  # fmt: skip

# %%
# The national pilots on one time axis, when both dates are known (a year or month is a span).
if peaking is not None and pilot is not None:
    events = story.events_table([
        (s.word("国家碳达峰试点", "carbon-peaking pilot"), story.fact_date(peaking)),
        (s.word("气候适应型城市建设试点", "climate-adaptation pilot"), pilot),
    ], language)  # fmt: skip
    fig = story.timeline_chart(events, color=s.color, language=language)
    display(s.save_chart(
        fig, events.drop(columns=["figure"]), slug="climate-timeline", sources=[peaking, pilot],
        title=s.say("{n}项国家级气候与低碳试点", "{n} national climate and carbon pilots",
                    n=s.fmt(len(events))),
        alt=s.say("西宁{a}成为国家碳达峰试点，{b}入选气候适应型城市建设试点。",
                  "Xining became a carbon-peaking pilot in {a} and a climate-adaptation pilot in "
                  "{b}.", a=story.fmt_date(peaking["value"], None, language),
                  b=s.date(pilot, cite=False)),
    ))  # fmt: skip

# %%
display(s.heading("报道没有告诉我们的", "What the reports do not tell us"))
display(s.markdown(story.silences(s, arch)))
# Emissions and carbon sinks named without a number: a claim the reports do not count.
SHOWN = 10  # sentences quoted on the page
unnumbered = story.sentences_without_figures(corpus.texts, corpus.figures, ("碳排放", "碳汇"))
said = unnumbered["sentence"]
assessed = said.str.contains("反演评估") & said.str.contains("中国气象局")
if assessed.any():
    display(s.caveat(
        "报道说，西宁联合中国气象局的重点实验室，对全市碳排放和自然生态系统碳汇量做了反演评估，"
        "但没有公布任何结果数字。",
        "Xining estimated its carbon emissions and natural carbon sinks with a national laboratory "
        "of the China Meteorological Administration, the report says, but it publishes no "
        "result."))  # fmt: skip
others = unnumbered[~assessed]
if not others.empty:
    display(s.show("以下句子提到碳排放或碳汇，却没有给出数字：",
                   "These sentences mention emissions or carbon sinks but give no number:"))  # fmt: skip
    display(s.bullets(
        s.say("“{t}”——{r}", "“{t}” ({r})", t=row.sentence,
              r=story.report_name(row.report, corpus.reports, language))
        for row in others.head(SHOWN).itertuples()
    ))  # fmt: skip
    if len(others) > SHOWN:
        display(
            s.show("另有{n}句未列出。", "{n} more are not listed.", n=s.fmt(len(others) - SHOWN))
        )

# %%
# Every figure of the theme (an empty archive has said so in its lede: the page stays short).
display(*s.every_figure(arch, corpus))

# %% tags=["story-meta"]
s.footer(method=[s.say(
    "报道中的数字均可在文末账本中追溯到原句；重复出现的数字合并计一次；地点只标到原文允许的精度；"
    "背景事实来自政府网站，仅见于转载网页的数字不予发表。",
    "Every number from the reports traces to its sentence in the ledger; a figure stated twice "
    "counts once; places are located only as precisely as the text allows; context facts come "
    "from a government website, and numbers found only on mirror pages are not published.")])  # fmt: skip

# %%
s.show_ledger()

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
# Employment: what the reports say on jobs, whatever reports they are. Every number comes from
# the tables.
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from xining_data import notebook as story

s, corpus = story.open_story("employment", reports_dir, language)
figs, ctx, city = corpus.merged, corpus.context, corpus.city_census
county_level = corpus.county_level()
arch = story.theme_archive(corpus.figures, s.theme, corpus.original)

# %%
# The facts the particular passages rest on, each only when the corpus holds it once.
# Gig-work markets and stations: the latest count of each for the whole city, from one report.
latest = arch.latest()
markets = story.find_or_none(latest, indicator="gig_markets", place_adcode=corpus.city_adcode)
stations = story.find_or_none(latest, indicator="gig_stations", place_adcode=corpus.city_adcode)
if markets is None or stations is None or markets["report"] != stations["report"]:
    markets = stations = None
# The first cross-province settlement of a work-injury claim: the sum, the date it was settled,
# the date the city became a pilot (same article) and the hospital.
money = story.find_or_none(story.select(figs, theme="employment", kind="money", sentence_contains="工伤"),
                           sentence_contains="结算")  # fmt: skip
settled = pilot = hospital = None
if money is not None:
    settled = story.find_or_none(
        figs, kind="date", report=money["report"], sentence=money["sentence"]
    )
    pilot = story.find_or_none(figs, theme="employment", kind="date", report=money["report"],
                               article=money["article"], sentence_contains="试点")  # fmt: skip
    hospital = story.find_or_none(corpus.places_in_sentence(money), level="facility")
dated = [
    r
    for r in (pilot, settled)
    if r is not None and story.is_iso_date(r["date"]) and "-" in r["date"]
]
settlement = len(dated) == 2 and hospital is not None
months = story.months_between(pilot["date"], settled["date"]) if settlement else 0
settlement = settlement and months > 0

# %% tags=["story-meta"]
if settlement and markets is not None:
    headline = s.word("零工有处找，工伤可直结：西宁就业的两件事",
                      "Gig work and work injuries: two services Xining built")  # fmt: skip
    dek = s.word("零工市场和驿站有多密？全省首例工伤保险跨省直接结算是怎样完成的？",
                 "How dense is the network of gig-work markets and stations, and how did the "
                 "province's first cross-province work-injury settlement come about?")  # fmt: skip
elif arch.is_empty:
    headline = s.word("西宁就业：这批报道没有数字", "Jobs in Xining: these reports give no figures")
    dek = s.word("城镇新增就业、失业率、农村劳动力转移和零工市场，这批报道一个数字也没有给出。",
                 "New urban jobs, unemployment, rural labour, gig-work markets: these reports "
                 "give no figure on any of them.")  # fmt: skip
elif arch.lede is not None and arch.lede.kind == "disagreement":
    headline = s.word(
        "西宁就业：报道给出的数字并不一致", "Jobs in Xining: the reports do not agree"
    )
    dek = s.word("同一指标、同一地方、同一时期，不同报道给出不同数字；以及这批报道数过和没数过的。",
                 "The same indicator, place and period, different numbers in different reports; "
                 "and what the reports count and leave out.")  # fmt: skip
else:
    headline = s.word("西宁就业：报道里的数字", "Jobs in Xining: what the reports count")
    dek = s.word("城镇新增就业、失业率、农村劳动力转移和零工市场：这批报道给出的数字和没有说的。",
                 "New urban jobs, unemployment, rural labour and gig-work markets: what the "
                 "reports count and what they leave out.")  # fmt: skip
s.masthead(headline=headline, dek=dek, order=2)

# %%
# The lede, chosen by the editor's rule, and the series that carry it.
display(*s.opening(arch, corpus))

# %%
display(*s.disagreements(arch, corpus))
display(
    *s.latest_figures(
        arch, corpus, ("各项就业指标的最新数字", "The latest figure of each jobs indicator")
    )
)

# %%
display(*s.where(arch, corpus))
display(*s.when(arch, corpus))

# %%
# Gig-work markets and stations, set against the census population.
if markets is not None:
    sites = story.to_decimal(markets["value"]) + story.to_decimal(stations["value"])
    per_site = story.share(city["value"], sites)  # residents per site
    display(s.heading("零工市场有多密？", "How dense are the gig-work markets?"))
    display(s.show(
        zh="报道称，全市有{m}零工市场和{st}零工驿站{c1}，合计{n}处。按{year}年人口普查的常住人口"
           "{pop}人{c2}计，约每{per}名居民一处，折合每{base}人{rate}处；{k}个县级行政区平均每个{avg}处。",
        en="According to the report, the city has {m} gig-work markets and {st} gig-work "
           "stations{c1}, {n} sites in all. With {pop} residents at the {year} census{c2}, that is "
           "one site for every {per} residents, or {rate} per {base}; across the {k} county-level "
           "divisions, {avg} each on average.",
        m=s.num(markets, unit=language == "zh", cite=False), c1=s.cite(markets) + s.cite(stations),
        st=s.num(stations, unit=language == "zh", cite=False), n=s.fmt(sites),
        pop=s.fmt(city["value"]), c2=s.cite(city), year=city["year"], per=s.fmt(per_site, digits=-3),
        base=s.fmt(story.PER_100K), rate=s.fmt(story.per_100k(sites, city["value"]), "about", digits=2),
        k=s.fmt(len(county_level)), avg=s.fmt(story.share(sites, len(county_level)), "about", digits=1),
    ))  # fmt: skip

# %%
# Where are they? Only places inside the city and finer than the city count as sites named.
if markets is not None:
    named = corpus.places_in_article(markets)
    named = named[named["adcode"].astype(str).str.startswith(corpus.city_adcode[:4])
                  & (named["adcode"].astype(str) != corpus.city_adcode)]  # fmt: skip
    if named.empty:
        display(s.caveat("报道没有写出任何一处零工市场或驿站的位置，所以本文不在地图上标注它们，以免误导。",
                         "The report names the location of none of these sites, so we do not put "
                         "guesses on a map."))  # fmt: skip
    else:
        display(s.show("报道同一篇文章提到的地点：{names}", "Places the same article names: {names}",
                       names=s.word("、", "; ").join(story.name_in(n, language)
                                                     for n in named["text"].unique())))  # fmt: skip

# %%
# One whole, two parts: the city's gig-work sites, markets and stations (not two unlike bars).
if markets is not None:
    data = pd.DataFrame({
        "site": [s.word("零工市场", "gig-work markets"), s.word("零工驿站", "gig-work stations")],
        "count": [int(markets["value"]), int(stations["value"])],
    })  # fmt: skip
    fig, ax = plt.subplots(figsize=(7, 2.2))
    left = 0
    for row, colour in zip(data.itertuples(), [s.color, "#999999"], strict=True):
        bar = ax.barh([""], [row.count], left=left, color=colour, label=row.site)
        ax.bar_label(bar, labels=[s.fmt(row.count)], label_type="center", color="white")
        left += row.count
    ax.set_yticks([])
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=2, frameon=False)
    display(s.save_chart(
        fig, data, slug="gig-work-sites", units=s.word("处", "sites"),
        title=s.say("平均每{per}名居民一处零工市场或驿站", "One gig-work site for every {per} residents",
                    per=s.fmt(per_site, "exact", digits=-3)),
        subtitle=s.say("全市{n}处零工服务点中的市场与驿站", "Markets and stations among the city's {n} "
                       "gig-work sites", n=s.fmt(sites)),
        alt=s.say("报道称西宁共有{m}个零工市场和{st}个零工驿站，平均每{per}名居民一处。",
                  "According to the report, Xining has {m} gig-work markets and {st} stations, one "
                  "site for every {per} residents.", m=s.fmt(markets["value"]),
                  st=s.fmt(stations["value"]), per=s.fmt(per_site, digits=-3)),
        sources=[markets, stations, city],
    ))  # fmt: skip

# %%
# The first cross-province settlement of a work-injury claim, as the report tells it.
if settlement:
    display(s.heading("首例工伤跨省直接结算", "The first cross-province settlement"))
    display(s.show(
        zh="报道称，{when}{c1}，西宁一名参保职工在{hosp}直接结算了工伤住院医疗费{money}{c2}；"
           "报道引述他的话说，“不用来回跑腿报销”。报道说这是全省首例工伤保险跨省就医直接结算，"
           "距西宁于{pilot}{c3}被确定为全国试点城市之一约{months}个月。",
        en="According to the report, in {when}{c1} an insured worker from Xining settled {money} "
           "yuan{c2} of in-patient work-injury costs directly at a hospital in another province "
           "({hosp}); he is quoted as saying he did not have to \"run back and forth\" to claim "
           "the costs. The report calls it the province's first cross-province direct settlement, "
           "about {months} months after Xining was named one of the national pilot cities on "
           "{pilot}{c3}.",
        when=s.date(settled, cite=False), c1=s.cite(settled), hosp=hospital["text"],
        money=s.num(money, unit=language == "zh", cite=False), c2=s.cite(money),
        pilot=s.date(pilot, cite=False), c3=s.cite(pilot), months=s.fmt(months),
    ))  # fmt: skip
    # A benchmark for the sum, if the context table holds a cited one.
    wage = story.find_fact_or_none(ctx, "平均工资")
    if wage is not None and story.is_publishable(wage):
        display(s.show("这笔费用约相当于{y}年{fact}{c}的{x}倍。",
                       "The sum is about {x} times the {y} {fact}{c}.", fact=wage["fact"],
                       y=wage["year"], c=s.cite(wage),
                       x=s.fmt(story.share(money["value"], wage["value"]), "about", digits=1)))  # fmt: skip
    else:
        display(s.caveat("背景资料表中没有可引用的西宁工资或收入数据，本文无法说明这笔费用相当于几个月的收入。",
                         "The context table holds no cited wage or income figure for Xining, so "
                         "we cannot say how many months of earnings the sum represents."))  # fmt: skip

# %%
if settlement:
    events = story.events_table([(s.word("成为全国试点城市之一", "named a national pilot city"), pilot),
                                 (s.word("首例跨省直接结算", "first direct settlement"), settled)],
                                language)  # fmt: skip
    fig = story.timeline_chart(events, color=s.color, language=language)
    display(s.save_chart(
        fig, events.drop(columns=["figure"]), slug="settlement-timeline",
        title=s.say("从试点到首例直接结算约{m}个月", "About {m} months from pilot to first settlement",
                    m=s.fmt(months)),
        alt=s.say("西宁{a}成为工伤保险跨省直接结算试点城市之一，约{m}个月后于{b}完成首例。",
                  "Xining was named a pilot on {a} and completed its first direct settlement "
                  "about {m} months later, in {b}.", a=events["printed"].iloc[0],
                  b=events["printed"].iloc[-1], m=s.fmt(months)),
        sources=[pilot, settled],
    ))  # fmt: skip

# %%
display(s.heading("报道没有告诉我们的", "What the reports do not tell us"))
display(s.markdown(story.silences(s, arch)))
if settlement:
    display(s.caveat("一例结算是个案，不是趋势：报道没有给出此后的结算笔数或金额。",
                     "One settlement is an anecdote, not a trend: the report gives no count or "
                     "total of settlements since."))  # fmt: skip
    if events["inferred"].any():
        display(s.caveat("报道原文只写“去年”，日期按报道的推算发布年份换算，标为“推算日期”。",
                         "The report only says \"last year\"; the dates are resolved against the "
                         "report's inferred year of publication and marked as inferred."))  # fmt: skip

# %%
# Every figure on the theme (an empty archive has said so in its lede, and stops there).
display(*s.every_figure(arch, corpus, ("本主题的全部数字", "Every figure on jobs")))

# %% tags=["story-meta"]
method = [s.say("同一数字在几篇报道或一篇报道中重复出现只算一个事实，转载与原文算同一来源。",
                "A figure repeated in one report or several is one fact, and a repost is the "
                "same source as its original.")]  # fmt: skip
if markets is not None:
    method.append(s.say("人均比率用{year}年人口普查常住人口（见来源）。",
                        "Rates use the resident population of the {year} census (see sources).",
                        year=city["year"]))  # fmt: skip
if settlement:
    method.append(s.say("“去年”按报道的发布年份换算，发布年份为推算时标明。",
                        "\"Last year\" is resolved against the report's year of publication, "
                        "marked when that year is inferred."))  # fmt: skip
s.footer(method=method)

# %%
s.show_ledger()

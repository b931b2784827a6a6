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
# Employment: gig work and work injuries. Every number below comes from the tables.
import pandas as pd
from IPython.display import display

from xining_data import notebook as story

s, corpus = story.open_story("employment", reports_dir, language)
figs, ctx, city = corpus.merged, corpus.context, corpus.city_census
county_level = corpus.county_level()

# %% tags=["story-meta"]
s.masthead(
    headline=s.word("零工有处找，工伤可直结：西宁就业的两件事",
                    "Gig work and work injuries: two services Xining built"),
    dek=s.word("零工市场“全域覆盖”有多密？首例工伤跨省直接结算省下了什么？",
               "How dense is the city-wide network of gig-work markets, and what did the first "
               "cross-province work-injury settlement save?"),
    order=2,
)  # fmt: skip

# %%
# Gig-work markets and stations, set against the census population.
markets = story.find(figs, theme="employment", kind="count", subject_contains="零工市场")
stations = story.find(figs, theme="employment", kind="count", subject_contains="零工驿站")
sites = story.to_decimal(markets["value"]) + story.to_decimal(stations["value"])
per_site = story.share(city["value"], sites)  # residents per site
display(s.heading("零工市场有多密？", "How dense are the gig-work markets?"))
display(s.show(
    zh="西宁实施零工市场（驿站）“全域覆盖”行动：报道称全市有{m}个零工市场和{st}个零工驿站{c1}，"
       "合计{n}处。按第七次全国人口普查的常住人口{pop}人{c2}计，约每{per}名居民一处，"
       "折合每{base}人{rate}处；{k}个县级行政区平均每个{avg}处。",
    en="Xining's city-wide drive put {m} gig-work markets and {st} gig-work stations{c1} in "
       "place, {n} sites in all. With {pop} residents at the {year} census{c2}, that is one site "
       "for every {per} residents, or {rate} per {base}; across the {k} county-level divisions, "
       "{avg} each on average.",
    m=s.num(markets, cite=False), st=s.num(stations, cite=False), c1=s.cite(markets) + s.cite(stations),
    n=s.fmt(sites), pop=s.fmt(city["value"]), c2=s.cite(city), year=city["year"], per=s.fmt(per_site, digits=-3),
    base=s.fmt(story.PER_100K), rate=s.fmt(story.per_100k(sites, city["value"]), "about", digits=2),
    k=s.fmt(len(county_level)), avg=s.fmt(story.share(sites, len(county_level)), "about", digits=1),
))  # fmt: skip

# %%
# Where are they? Only places inside the city and finer than the city count as sites named.
named = corpus.places_in_article(markets)
named = named[named["adcode"].astype(str).str.startswith(corpus.city_adcode[:4])
              & (named["adcode"].astype(str) != corpus.city_adcode)]  # fmt: skip
if named.empty:
    display(s.caveat("报道没有写出任何一处零工市场或驿站的位置，所以本文不在地图上标注它们，以免误导。",
                     "The report names the location of none of these sites, so we do not put "
                     "guesses on a map."))  # fmt: skip
else:
    display(s.show("报道提到的地点：{names}", "Places the report names: {names}",
                   names="、".join(named["text"].unique())))  # fmt: skip

# %%
data = pd.DataFrame({
    "site": [s.word("零工市场", "gig-work markets"), s.word("零工驿站", "gig-work stations")],
    "count": [int(markets["value"]), int(stations["value"])],
})  # fmt: skip
fig = story.bar_chart(list(data["site"]), list(data["count"]), color=s.color,
                      value_labels=[s.fmt(v) for v in data["count"]])  # fmt: skip
title = s.say("平均每{per}名居民一处零工市场或驿站", "One gig-work site for every {per} residents",
              per=s.fmt(per_site, "exact", digits=-3))  # fmt: skip
s.save_chart(fig, data, slug="gig-work-sites", title=title, units=s.word("处", "sites"),
             subtitle=s.word("零工市场与零工驿站数量", "Gig-work markets and stations"),
             alt=s.say("西宁共有{m}个零工市场和{st}个零工驿站，平均每{per}名居民一处。",
                       "Xining has {m} gig-work markets and {st} stations, one site for every "
                       "{per} residents.", m=s.fmt(markets["value"]), st=s.fmt(stations["value"]),
                       per=s.fmt(per_site, digits=-3)),
             sources=[markets, stations, city])  # fmt: skip

# %%
# The first cross-province settlement of a work-injury claim.
money = story.find(figs, theme="employment", kind="money")
settled = story.find(figs, kind="date", sentence=money["sentence"])
pilot = story.find(figs, theme="employment", kind="date", sentence_contains="试点")
months = story.months_between(pilot["date"], settled["date"])
hospital = story.find(corpus.places_in_sentence(money), level="facility")
display(s.heading("首例工伤跨省直接结算", "The first cross-province settlement"))
display(s.show(
    zh="{when}{c1}，西宁一名参保职工在{hosp}直接结算工伤住院医疗费{money}{c2}，不必先行垫付、"
       "再回西宁报销。这是全省首例工伤保险跨省就医直接结算，距西宁于{pilot}{c3}被确定为全国"
       "试点城市约{months}个月。",
    en="In {when}{c1}, an insured worker from Xining settled {money} yuan{c2} of in-patient "
       "work-injury costs directly at a hospital in Beijing ({hosp}), without paying up front and claiming it "
       "back at home. It was the province's first such cross-province settlement, about {months} "
       "months after Xining became a national pilot city on {pilot}{c3}.",
    when=s.date(settled, cite=False), c1=s.cite(settled), hosp=hospital["text"],
    money=s.num(money, unit=language == "zh", cite=False), c2=s.cite(money),
    pilot=s.date(pilot, cite=False), c3=s.cite(pilot), months=s.fmt(months),
))  # fmt: skip

# %%
# What "no running back and forth" saves: the distance on the WGS84 ellipsoid.
origin = story.lonlat(story.city())
km = story.distance_km(origin, story.lonlat(hospital))
display(s.show(
    zh="{hosp}与西宁相距约{km}公里（按两地坐标在WGS84椭球面上计算的大地线距离）。“不用来回跑腿”，"
       "省下的是一趟约{round}公里的往返。",
    en="The hospital ({hosp}) lies about {km} km from Xining (the geodesic distance on the WGS84 ellipsoid "
       "between the two places' coordinates). Not having to go back and forth saves a round trip "
       "of about {round} km.",
    hosp=hospital["text"], km=s.fmt(km, "exact", digits=-1), round=s.fmt(2 * km, "exact", digits=-1),
))  # fmt: skip

# %%
# A benchmark for the sum, if the context table holds a cited one.
wage = story.find_fact_or_none(ctx, "平均工资")
if wage is not None and story.is_publishable(wage):
    display(s.show("这笔费用约相当于{y}年{fact}{c}的{x}倍。",
                   "The sum is about {x} times the {y} {fact}{c}.", fact=wage["fact"],
                   y=wage["year"], c=s.cite(wage),
                   x=s.fmt(story.share(money["value"], wage["value"]), "about", digits=1)))  # fmt: skip
else:
    display(s.caveat("背景资料表中没有可引用的西宁工资或收入数据，本文无法说明这笔费用相当于几个月的收入。",
                     "The context table holds no cited wage or income figure for Xining, so we "
                     "cannot say how many months of earnings the sum represents."))  # fmt: skip

# %%
events = story.events_table([(s.word("成为全国试点城市", "national pilot city"), pilot),
                             (s.word("首例跨省直接结算", "first direct settlement"), settled)],
                            language)  # fmt: skip
fig = story.timeline_chart(events, color=s.color)
s.save_chart(fig, events.drop(columns=["figure"]), slug="settlement-timeline",
             title=s.say("从试点到首例直接结算约{m}个月", "About {m} months from pilot to first settlement",
                         m=s.fmt(months)),
             alt=s.say("西宁{a}成为工伤保险跨省直接结算试点，约{m}个月后于{b}完成首例。",
                       "Xining became a pilot on {a} and completed its first direct settlement "
                       "about {m} months later, in {b}.", a=events["printed"].iloc[0],
                       b=events["printed"].iloc[-1], m=s.fmt(months)),
             sources=[pilot, settled])  # fmt: skip

# %%
display(s.heading("报道没有告诉我们的", "What the report does not tell us"))
display(s.caveat("一例结算是个案，不是趋势：报道没有给出此后的结算笔数或金额。",
                 "One settlement is an anecdote, not a trend: the report gives no count or total "
                 "of settlements since."))  # fmt: skip
if events["inferred"].any():
    display(s.caveat("报道原文只写“去年”，日期按报道的推算年份（{y}）换算，标为“推算日期”。",
                     "The report only says \"last year\"; the dates are resolved against the "
                     "report's inferred year of publication ({y}) and marked as inferred.",
                     y=corpus.as_of[:4]))  # fmt: skip

# %% tags=["story-meta"]
s.footer(method=[s.say(
    "人均比率用{year}年人口普查常住人口（见来源）；距离用pyproj在WGS84椭球面上计算；"
    "“去年”按报道的推算发布年份换算。",
    "Rates use the resident population of the {year} census (see sources); the distance is "
    "computed with pyproj on the WGS84 ellipsoid; \"last year\" is resolved against the "
    "report's inferred year of publication.", year=city["year"])])  # fmt: skip

# %%
s.show_ledger()

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
# Community: how far do the "pomegranate seed" homes reach? Every number comes from the tables.
import pandas as pd
from IPython.display import display

from xining_data import notebook as story

s, corpus = story.open_story("community", reports_dir, language)
figs, ctx, city = corpus.merged, corpus.context, corpus.city_census

# %% tags=["story-meta"]
s.masthead(
    headline=s.word("“石榴籽家园”能覆盖多少居民？", 'How far do the "pomegranate seed" homes reach?'),
    dek=s.word("西宁的社区“石榴籽家园”、文化小分队和展演活动，放在全市常住人口里看。",
               "Xining's community \"pomegranate seed\" homes, cultural teams and performances, "
               "set against the city's population."),
    order=1,
)  # fmt: skip

# %%
# The homes, by level, and per 100,000 residents.
city_level = story.find(figs, theme="community", kind="count", subject_contains="市级")
county_level = story.find(figs, theme="community", kind="count", subject_contains="县")
homes = story.to_decimal(city_level["value"]) + story.to_decimal(county_level["value"])
display(s.heading("一共多少家？", "How many homes?"))
display(s.show(
    zh="西宁累计评选{a}家市级和{b}家县（区）级社区“石榴籽家园”{c1}，共{t}家。按{year}年人口普查"
       "常住人口{pop}人{c2}计，每{base}名居民约有{rate}家。",
    en="Xining has named {a} city-level and {b} district- or county-level community "
       "\"pomegranate seed\" homes{c1}, {t} in all. Against {pop} residents at the {year} "
       "census{c2}, that is about {rate} homes per {base} residents.",
    a=s.num(city_level, cite=False), b=s.num(county_level, cite=False),
    c1=s.cite(city_level) + s.cite(county_level), t=s.fmt(homes), year=city["year"],
    pop=s.fmt(city["value"]), c2=s.cite(city), base=s.fmt(story.PER_100K),
    rate=s.fmt(story.per_100k(homes, city["value"]), digits=1),
))  # fmt: skip

# %%
data = pd.DataFrame({
    "level": [s.word("市级", "city-level"), s.word("县（区）级", "district/county-level")],
    "homes": [int(city_level["value"]), int(county_level["value"])],
})  # fmt: skip
fig = story.bar_chart(list(data["level"]), list(data["homes"]), color=s.color,
                      value_labels=[s.fmt(v) for v in data["homes"]])  # fmt: skip
larger = data.loc[data["homes"].idxmax()]
s.save_chart(fig, data, slug="homes-by-level", units=s.word("家", "homes"),
             title=s.say("{t}家“石榴籽家园”，{p}是{lvl}", "{t} homes, {p} of them {lvl}", t=s.fmt(homes),
                         p=s.percent(story.share(larger["homes"], homes), digits=0), lvl=larger["level"]),
             subtitle=s.word("社区“石榴籽家园”数量，按评选级别", 'Community "pomegranate seed" homes by level'),
             alt=s.say("西宁共评选{t}家社区“石榴籽家园”，其中{lvl}{n}家，占{p}。",
                       "Xining has named {t} community homes, {n} of them {lvl} ({p}).",
                       t=s.fmt(homes), lvl=larger["level"], n=s.fmt(larger["homes"]),
                       p=s.percent(story.share(larger["homes"], homes), digits=0)),
             sources=[city_level, county_level])  # fmt: skip

# %%
# Cultural teams and performances: approximate figures, printed as the report gives them.
teams = story.find(figs, theme="community", kind="count", subject_contains="小分队")
shows = story.find(figs, theme="community", kind="count", subject_contains="展演")
per_day = story.share(shows["value"], story.DAYS_PER_YEAR)
display(s.heading("文化小分队与展演", "Cultural teams and performances"))
display(s.show(
    zh="社区组建了{teams}支文化小分队{c1}，每年开展交往交流交融主题文艺展演活动{shows}场次{c2}，"
       "平均每天{day}场。按常住人口算，每{base}名居民有{rate}支小分队。",
    en="Communities have formed {teams} cultural teams{c1} and stage {shows} performances a "
       "year{c2}, {day} a day on average: {rate} teams per {base} residents.",
    teams=s.num(teams, cite=False), c1=s.cite(teams), shows=s.num(shows, cite=False),
    c2=s.cite(shows), day=s.fmt(per_day, story.derived_qualifier(shows["qualifier"]), digits=1),
    base=s.fmt(story.PER_10K),
    rate=s.fmt(story.per_10k(teams["value"], city["value"]),
               story.derived_qualifier(teams["qualifier"]), digits=1),
))  # fmt: skip

# %%
# Growth: only if the context table holds an earlier, publishable count.
first = story.find_fact_or_none(ctx, "首批")
if first is not None and story.is_publishable(first):
    display(s.show(
        zh="{year}年，{outlet}报道西宁为首批{n}家社区授牌“石榴籽家园”{c}；如今总数是那时的{x}倍。",
        en="In {year}, a news outlet reported the first batch of {n} homes{c}; today's total is "
           "{x} times that.",
        year=story.year_of(first["year"]), outlet=s.word("媒体", "a news outlet"),
        n=s.fmt(story.numbers_in(first["value"])[0]), c=s.cite(first),
        x=s.fmt(story.share(homes, story.numbers_in(first["value"])[0]), "about", digits=1),
    ))  # fmt: skip
else:
    display(
        s.caveat(
            "背景资料中没有可发表的更早数字，无法说明增长。",
            "The context table holds no publishable earlier count, so growth is unknown.",
        )
    )

# %%
display(s.heading("报道没有告诉我们的", "What the report does not tell us"))
if str(city_level.get("as_of") or "") or "截至目前" in str(city_level["sentence"]):
    display(s.caveat(
        "报道写“截至目前”，没有给出日期；我们只能把它当作报道发布时的累计数：{when}。",
        "The report says \"to date\" without a date; we can only read the totals as of its "
        "publication: {when}.",
        when=story.fmt_date(corpus.as_of, None, language, inferred=corpus.as_of_inferred)))  # fmt: skip
for row in (teams, shows):
    if row["qualifier"] in ("nearly", "more_than"):
        display(s.caveat("“{text}”是约数：{q}，不是精确统计。", "\"{text}\" is approximate: {q}, not an exact count.",
                         text=row["text"], q=s.num(row, cite=False)))  # fmt: skip
named = corpus.places_in_article(city_level)
if named[named["level"].isin(["district", "county", "facility"])].empty:
    display(s.caveat("报道没有说明这些“石榴籽家园”在哪些社区、哪些县区，所以本文不画分布图。",
                     "The report does not say which communities or divisions the homes are in, "
                     "so we draw no map of them."))  # fmt: skip

# %% tags=["story-meta"]
s.footer(method=[s.say(
    "人均比率用{year}年人口普查常住人口（见来源）；约数按报道的限定词显示，由约数算出的比率保持同一方向。",
    "Rates use the resident population of the {year} census (see sources); approximate figures "
    "keep the report's qualifier, and rates computed from them keep its direction.",
    year=city["year"])])  # fmt: skip

# %%
s.show_ledger()

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
figs, ctx = corpus.merged, corpus.context


def census_or_none(adcode):
    """The census population of a division or the city (a context row), None when the table
    has none for it."""
    try:
        return story.census_row(ctx, str(adcode))
    except story.StoryDataError:
        return None


def per_residents(counts):
    """Rates of (value, population) pairs per 10,000 residents, or per 100,000 when one of
    them would be under one: one base for a list, so that its rates compare."""
    rates = [story.per_10k(value, population) for value, population in counts]
    if min(rates) >= 1:
        return story.PER_10K, rates
    return story.PER_100K, [story.per_100k(value, population) for value, population in counts]


city = census_or_none(corpus.city_adcode)

# %% tags=["story-meta"]
s.masthead(
    headline=s.word("“石榴籽家园”能覆盖多少居民？", 'How far do the "pomegranate seed" homes reach?'),
    dek=s.word("报道里的社区“石榴籽家园”、民族团结进步示范单位和社区文化活动，放在常住人口和地图上看。",
               "Community \"pomegranate seed\" homes, model units of ethnic unity and community "
               "culture in the reports, on the map and against the resident population."),
    order=1,
)  # fmt: skip

# %%
# What the reports say on the theme, whatever reports they are: the lede, chosen by the editor's rule.
arch = story.theme_archive(corpus.figures, s.theme, corpus.original)
display(*s.opening(arch, corpus))

# %%
display(*s.disagreements(arch, corpus))
display(*s.latest_figures(arch, corpus))

# %%
# Homes per resident: the latest count of each place whose census population we hold. Model
# units (schools, firms, villages) are not counted per resident.
latest_homes = arch.latest_stocks().query("indicator == 'pomegranate_homes'")
counted = [(row, census_or_none(row["place_adcode"])) for _, row in latest_homes.iterrows()]
counted = [(row, pop) for row, pop in counted if pop is not None]
rates = []
base, per = per_residents([(r["value"], p["value"]) for r, p in counted]) if counted else (0, [])
for (row, pop), rate in zip(counted, per, strict=True):
    rates.append(s.say(
        "{place}{when}：{what}{n}，每{base}名常住居民{rate}家（{year}年人口普查常住人口{pop}人{c}）",
        "{place}{when}: {what}, {n}: {rate} per {base} residents ({pop} residents at the "
        "{year} census{c})",
        place=story.place_name(row, language),
        when=(s.word("，", ", ") + story.period(row, language)) if story.period(row, language) else "",
        what=story.fact_name(row, arch, language), n=s.num(row, unit=language == "zh"),
        base=s.fmt(base), rate=s.fmt(rate, story.derived_qualifier(row["qualifier"]), digits=1),
        year=pop["year"], pop=s.fmt(pop["value"]), c=s.cite(pop),
    ))  # fmt: skip
if rates:
    display(s.heading("按常住人口算，有多少“石榴籽家园”？", "How many homes per resident?"))
    display(s.bullets(rates))

# %%
display(*s.where(arch, corpus))
display(*s.when(arch, corpus))

# %%
# The city- and county-level homes of one report: their total and its rate, when a report
# gives both in one sentence.
city_level = story.find_or_none(figs, theme="community", kind="count", indicator="pomegranate_homes",
                                subject_contains="市级")  # fmt: skip
county_level = story.find_or_none(figs, theme="community", kind="count",
                                  indicator="pomegranate_homes", subject_contains="县")  # fmt: skip
homes = None
if (
    city_level is not None
    and county_level is not None
    and city_level["report"] == county_level["report"]
    and city_level["sentence_start"] == county_level["sentence_start"]
    and city is not None
):
    homes = story.to_decimal(city_level["value"]) + story.to_decimal(county_level["value"])
    base, (rate,) = per_residents([(homes, city["value"])])
    display(s.heading("一共多少家？", "How many homes?"))
    display(s.show(
        zh="报道称，西宁累计评选{a}家市级和{b}家县（区）级社区“石榴籽家园”{c1}，共{t}家。按{year}年"
           "人口普查常住人口{pop}人{c2}计，每{base}名居民{rate}家。",
        en="Xining has named {a} city-level and {b} district- or county-level community "
           "\"pomegranate seed\" homes{c1}, the report says: {t} in all. Against {pop} residents at "
           "the {year} census{c2}, that is {rate} homes per {base} residents.",
        a=s.num(city_level, cite=False), b=s.num(county_level, cite=False),
        c1=s.cite(city_level) + s.cite(county_level), t=s.fmt(homes), year=city["year"],
        pop=s.fmt(city["value"]), c2=s.cite(city), base=s.fmt(base),
        rate=s.fmt(rate, story.derived_qualifier(city_level["qualifier"]), digits=1),
    ))  # fmt: skip

# %%
if homes is not None:
    data = pd.DataFrame({
        "level": [s.word("市级", "city-level"), s.word("县（区）级", "district/county-level")],
        "homes": [int(city_level["value"]), int(county_level["value"])],
    })  # fmt: skip
    fig = story.bar_chart(list(data["level"]), list(data["homes"]), color=s.color,
                          value_labels=[s.fmt(v) for v in data["homes"]])  # fmt: skip
    larger = data.loc[data["homes"].idxmax()]
    display(s.save_chart(
        fig, data, slug="homes-by-level", units=s.word("家", "homes"),
        title=s.say("{t}家“石榴籽家园”，{p}是{lvl}", "{t} homes, {p} of them {lvl}", t=s.fmt(homes),
                    p=s.percent(story.share(larger["homes"], homes), digits=0), lvl=larger["level"]),
        subtitle=s.word("社区“石榴籽家园”数量，按评选级别", 'Community "pomegranate seed" homes by level'),
        alt=s.say("西宁共评选{t}家社区“石榴籽家园”，其中{lvl}{n}家，占{p}。",
                  "Xining has named {t} community homes, {n} of them {lvl} ({p}).",
                  t=s.fmt(homes), lvl=larger["level"], n=s.fmt(larger["homes"]),
                  p=s.percent(story.share(larger["homes"], homes), digits=0)),
        sources=[city_level, county_level],
    ))  # fmt: skip

# %%
# Cultural teams and performances, when a report counts them once: approximate figures,
# printed as the report gives them.
teams = story.find_or_none(figs, theme="community", kind="count", subject_contains="小分队")
shows = story.find_or_none(figs, theme="community", kind="count", subject_contains="展演")
if teams is not None or shows is not None:
    display(s.heading("文化小分队与展演", "Cultural teams and performances"))
if teams is not None:
    pop = census_or_none(teams["place_adcode"])
    display(s.show(
        zh="报道称，社区组建了{teams}支文化小分队{c}。",
        en="Communities have formed {teams} cultural teams{c}, the report says.",
        teams=s.num(teams, cite=False), c=s.cite(teams),
    ))  # fmt: skip
    if pop is not None:
        base, (rate,) = per_residents([(teams["value"], pop["value"])])
        display(s.show(
            zh="按{year}年人口普查{place}常住人口{pop}人{c}算，每{base}名居民{rate}支小分队。",
            en="Against the {pop} residents of {place} at the {year} census{c}, that is {rate} "
               "teams per {base} residents.",
            year=pop["year"], place=story.place_name(teams, language), pop=s.fmt(pop["value"]),
            c=s.cite(pop), base=s.fmt(base),
            rate=s.fmt(rate, story.derived_qualifier(teams["qualifier"]),
                       digits=min(1, story.digits_for(rate, teams["value"]))),
        ))  # fmt: skip
if shows is not None:
    display(s.show(
        zh="报道称，每年开展交往交流交融主题文艺展演活动{shows}场次{c}，平均每天{day}场。",
        en="Communities stage {shows} performances a year{c}, the report says: {day} a day on "
           "average.",
        shows=s.num(shows, cite=False), c=s.cite(shows),
        day=s.fmt(per_day := story.share(shows["value"], story.DAYS_PER_YEAR),
                  story.derived_qualifier(shows["qualifier"]),
                  digits=story.digits_for(per_day, shows["value"])),
    ))  # fmt: skip

# %%
# Growth against the first batch: only beside the total above, and only if the context table
# holds that earlier count as publishable.
first = story.find_fact_or_none(ctx, "首批")
if homes is not None and first is not None and story.is_publishable(first):
    display(s.show(
        zh="{year}年，{outlet}报道西宁为首批{n}家社区授牌“石榴籽家园”{c}；如今总数是那时的{x}倍。",
        en="In {year}, a news outlet reported the first batch of {n} homes{c}; today's total is "
           "{x} times that.",
        year=story.year_of(first["year"]), outlet=s.word("媒体", "a news outlet"),
        n=s.fmt(story.numbers_in(first["value"])[0]), c=s.cite(first),
        x=s.fmt(story.share(homes, story.numbers_in(first["value"])[0]), "about", digits=1),
    ))  # fmt: skip
elif homes is not None and not any(key[0] == "pomegranate_homes" for key in arch.series):
    display(s.caveat(
        "这批报道和背景资料中都没有可发表的更早数字，无法说明增长。",
        "Neither the reports nor the context table hold a publishable earlier count, so growth "
        "is unknown.",
    ))  # fmt: skip

# %%
display(s.heading("报道没有告诉我们的", "What the reports do not tell us"))
display(s.markdown(story.silences(s, arch)))
if not arch.unmatched.empty and not arch.facts.empty:
    display(s.show(
        zh="另有{n}个数字说不清统计的是什么指标，列在下面的全部数字表中，供记者核读。",
        en="Another {n} figures match no indicator of the catalogue; they are in the table of "
           "every figure below, for a reporter to read.",
        n=s.fmt(len(arch.unmatched)),
    ))  # fmt: skip
if homes is not None and "截至目前" in str(city_level["sentence"]):
    published = corpus.reports.set_index("report").loc[city_level["report"]]
    if story.is_iso_date(published["published"]):
        display(s.caveat(
            "报道写“截至目前”，没有给出日期；我们只能把它当作报道发布时（{when}）的累计数。",
            "The report says \"to date\" without a date; we can only read the totals as of its "
            "publication ({when}).",
            when=story.fmt_date(published["published"], published["published_precision"] or None,
                                language, inferred=bool(published["published_inferred"])),
        ))  # fmt: skip
    else:
        display(s.caveat(
            "报道写“截至目前”，既没有给出日期，也没有注明发布日期：这些累计数的时点不明。",
            "The report says \"to date\" and prints no date of its own: when these totals held "
            "is unknown.",
        ))  # fmt: skip
for row in (teams, shows):
    if row is not None and row["qualifier"] in ("nearly", "more_than"):
        display(s.caveat("“{text}”是约数：{q}，不是精确统计。", "\"{text}\" is approximate: {q}, not an exact count.",
                         text=row["text"], q=s.num(row, cite=False)))  # fmt: skip
if homes is not None:
    named = corpus.places_in_article(city_level)
    if named[named["level"].isin(["district", "county", "facility"])].empty:
        display(s.caveat("报道没有说明这些“石榴籽家园”在哪些社区、哪些县区，所以本文不画它们的分布图。",
                         "The report does not say which communities or divisions the homes are in, "
                         "so we draw no map of them."))  # fmt: skip

# %%
display(*s.every_figure(arch, corpus))

# %% tags=["story-meta"]
s.footer(method=[s.say(
    "人均比率用人口普查常住人口（见来源），按每{small}人计，不足一时按每{large}人计；同一数字重复出现只算一次；"
    "约数按报道的限定词显示，由约数算出的比率保持同一方向；地点只标到原文允许的精度。",
    "Rates use the census resident population (see sources), per {small} residents, or per "
    "{large} where that would be under one; a figure stated twice counts once; approximate "
    "figures keep the report's qualifier, and rates computed from them keep its direction; "
    "places are located only as precisely as the text allows.",
    small=s.fmt(story.PER_10K), large=s.fmt(story.PER_100K))])  # fmt: skip

# %%
s.show_ledger()

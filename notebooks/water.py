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
# Water: who got better drinking water? Every number comes from the tables.
import matplotlib.pyplot as plt
from IPython.display import display

from xining_data import notebook as story

s, corpus = story.open_story("water", reports_dir, language)
figs, ctx, city = corpus.merged, corpus.context, corpus.city_census
county_level = corpus.county_level()

# %% tags=["story-meta"]
s.masthead(
    headline=s.word("谁喝上了更好的水？", "Who got better drinking water?"),
    dek=s.word("西宁农村饮水提升、节水型社会达标和在建水利工程，放在全市人口和地图上看。",
               "Xining's rural drinking-water upgrades, water-saving standard and projects, "
               "on the map and against the city's population."),
    order=3,
)  # fmt: skip

# %%
# What the reports say on water, whatever reports they are: the lede, chosen by the editor's rule.
arch = story.theme_archive(corpus.figures, s.theme, corpus.original)
display(*s.opening(arch, corpus))

# %%
display(*s.disagreements(arch, corpus))
display(*s.latest_figures(arch, corpus))

# %%
display(*s.where(arch, corpus))
display(*s.when(arch, corpus))

# %%
# The rural drinking-water upgrade, when the reports give it once (villages and people).
villages = story.find_or_none(figs, theme="water", kind="count", subject_contains="村")
people = story.find_or_none(figs, theme="water", kind="count", unit="人")
if villages is not None and people is not None:
    display(s.heading("饮水提升惠及多少人？", "How many people got better water?"))
    display(s.show(
        zh="报道称，全市巩固提升了{v}个村、{p}的饮水安全{c1}，平均每村约{per}人；"
           "这相当于{year}年人口普查常住人口{pop}人{c2}的{share}。",
        en="The city improved drinking water for {p} people in {v} villages{c1}, about {per} people "
           "per village on average: {share} of the {pop} residents counted at the {year} census{c2}.",
        v=s.num(villages, cite=False), p=s.num(people, unit=language == "zh", cite=False),
        c1=s.cite(villages) + s.cite(people),
        per=s.fmt(per_village := story.share(people["value"], villages["value"]),
                  digits=min(0, story.digits_for(per_village, people["value"]))),
        share=s.percent(story.share(people["value"], city["value"])), year=city["year"],
        pop=s.fmt(city["value"]), c2=s.cite(city),
    ))  # fmt: skip
    if int(villages.get("mentions", 1)) > 1:
        display(s.caveat("报道在{n}处重复了这组数字；本文只用一次。",
                         "The report repeats these numbers in {n} places; this story uses them once.",
                         n=s.fmt(villages["mentions"])))  # fmt: skip

# %%
# "All county-level divisions meet the water-saving standard": what "n of n" means, when a
# report says it.
standard = story.find_or_none(figs, theme="water", kind="count", subject_contains="县城区")
if standard is not None:
    meets = int(standard["value"]) == len(county_level)
    county_level["meets_standard"] = meets if meets else None  # the report names none singly
    display(s.heading("节水型社会达标：{n}个里有几个？", "Water-saving standard: how many of the {n}?",
                      n=s.fmt(len(county_level))))  # fmt: skip
    display(s.show(
        zh="报道说全市{n}个县城区节水型社会达标建设已实现全覆盖{c}。西宁共有{k}个县级行政区，"
           "{verdict}",
        en="The report says all {n} county-level divisions meet the water-saving standard{c}. "
           "Xining has {k} county-level divisions, {verdict}",
        n=s.fmt(standard["value"]), c=s.cite(standard), k=s.fmt(len(county_level)),
        verdict=s.word("即每一个都达标。", "so every one of them does.") if meets else
        s.word("报道没有说明是哪几个。", "and the report does not say which ones."),
    ))  # fmt: skip

# %%
if standard is not None:
    fig, ax = plt.subplots(figsize=(7, 6))
    story.plot_divisions(ax, None, labels=language, color=s.color if meets else "#c9d6df",
                         alpha=0.6)  # fmt: skip
    data = county_level[["adcode", "name", "name_en", "meets_standard"]]
    display(s.save_chart(
        fig, data, slug="water-saving-map",
        title=s.say("{n}个县区全部达到节水型社会标准", "All {n} county-level divisions meet "
                    "the water-saving standard", n=s.fmt(len(county_level))) if meets else
        s.say("{n}个县区中有{m}个达标", "{m} of {n} divisions meet the standard",
              n=s.fmt(len(county_level)), m=s.fmt(standard["value"])),
        alt=s.say("地图：西宁{m}个县级行政区（共{n}个）达到节水型社会标准。",
                  "Map: {m} of Xining's {n} county-level divisions meet the water-saving "
                  "standard.", m=s.fmt(standard["value"]), n=s.fmt(len(county_level))),
        sources=[standard], notes=[s.boundaries_note()],
    ))  # fmt: skip

# %%
# Projects named beside the drinking-water figures, located only as precisely as the text allows.
if people is not None:
    named = corpus.places_in_article(people)
    named = named[named["level"].isin(["facility", "river", "area", "county", "district"])]
    if not named.empty:
        display(s.heading("报道提到的工程与地点", "Projects and places the report names"))
        display(s.bullets(
            s.say("{name}：{where}", "{name}: located at {where}", name=story.name_in(row.text, language),
                  where=s.precision(row.precision))
            for row in named.drop_duplicates("text").itertuples()
        ))  # fmt: skip

# %%
early = story.find_or_none(figs, theme="water", kind="duration", sentence_contains="南川")
if early is not None:
    display(s.show(
        zh="南川应急水源调控工程的引水管线提前{d}天试通水成功{c}。",
        en="The supply line of the Nanchuan emergency water project was tested {d} days ahead of "
           "schedule{c}.",
        d=s.num(early, cite=False), c=s.cite(early),
    ))  # fmt: skip

# %%
display(s.heading("报道没有告诉我们的", "What the reports do not tell us"))
display(s.markdown(story.silences(s, arch)))
plant = story.find_fact_or_none(ctx, "第七水厂")
if (
    plant is not None
    and not story.is_publishable(plant)
    and "第七水厂" in "".join(figs["sentence"])
):
    display(s.caveat(
        "报道说第七水厂“制水能力大幅提升”，没有给出数字。我们找到的产能数字只见于一个转载网页，"
        "在有第二个来源之前不予发表。",
        "The report says the Seventh Water Plant's capacity rose sharply but gives no number. "
        "The only capacity figure we found sits on a mirror page; we do not publish it until a "
        "second source confirms it."))  # fmt: skip
if villages is not None:
    display(s.caveat("报道没有说明这{v}个村在哪些县区，也没有说明“提升”前后的水质指标。",
                     "The report names none of the {v} villages or their divisions, and gives no "
                     "water-quality measure before or after.", v=s.fmt(villages["value"])))  # fmt: skip

# %%
display(*s.every_figure(arch, corpus))

# %% tags=["story-meta"]
s.footer(method=[s.say(
    "比例用{year}年人口普查常住人口（见来源）；重复出现的数字合并计一次；地点只标到原文允许的精度。",
    "Shares use the resident population of the {year} census (see sources); a figure stated "
    "twice counts once; places are located only as precisely as the text allows.",
    year=city["year"])])  # fmt: skip

# %%
s.show_ledger()

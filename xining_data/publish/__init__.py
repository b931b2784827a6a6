"""Stage 5, publish: charts, the figure kit and self-contained HTML pages.

:mod:`.style` is the house chart style and font; :mod:`.charts` draws (maps included);
:mod:`.kit` writes each chart with its alt text, source line and data into ``figures/``
(:mod:`.chartcache`: an unchanged chart's files reused under ``publish``);
:mod:`.pages` executes one notebook and renders its page; :mod:`.selfcontained` inlines
the font and images; :mod:`.siteindex` writes the index; :mod:`.site` decides what to
render and swaps the new site into place; :mod:`.proofread` reads a published page back as
an editor would (licensed tense and cause words, no machine language, English in English)."""

"""Stage 2, extract: every figure in a report's text, typed, with what it counts.

:mod:`.numerals` turns Chinese numerals into exact decimals; :mod:`.vocab` builds the
patterns from the word lists in ``data/vocab/*.csv`` (units, qualifiers such as 余 and 约,
periods) and holds the one table of qualifiers (exact, about, …); :mod:`.scanner` walks
a text once, handing dates to :mod:`.dates` and amounts to :mod:`.quantities`; :mod:`.subjects` finds what each figure counts; :mod:`.tally` holds the
records of a scan; :mod:`.figures` is the table, its schema and the merge of mentions.
Imports the base and ``read``."""

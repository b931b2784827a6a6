"""Stage 4, stories: what a story says, every number from the tables and cited.

:mod:`.loader` loads a corpus for a story; :mod:`.lookup` queries it strictly;
:mod:`.wording` prints numbers, dates and rates; :mod:`.editions` holds the words of each
language; :mod:`.ledger` cites every number; :mod:`.story` is the ``Story`` a notebook
writes with; :mod:`.storymeta` declares a page's masthead and footer for the publisher.
Draws nothing and writes no file: that is ``publish``."""

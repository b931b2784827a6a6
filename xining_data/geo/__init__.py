"""Stage 2, geocode: places on a map, offline, and the cited context about them.

:mod:`.boundaries` reads Xining's divisions (areas in an equal-area projection, distances);
:mod:`.places` finds place mentions and the place each figure refers to (gazetteer in
``data/geo``), with the word lists :mod:`.placewords` reads from there; :mod:`.context` holds cited facts such as census population. Imports the
base and ``read``; beside ``extract``, never on it."""

"""Stage 3, corpus: the tables of many reports.

:mod:`.tables` joins one report's articles, figures and places into the tables the CLI
prints; :mod:`.build` builds them for a whole archive into Parquet (incremental cache
keyed by each report's sha256 and the library hash, errors table, atomic swap, Dask).
Imports the stages below it."""

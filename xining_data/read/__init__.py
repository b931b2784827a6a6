"""Stage 1, read: a raw report becomes text with offsets.

:mod:`.report` decodes any common encoding and the metadata header; :mod:`.segment`
repairs print-column breaks and splits articles, bylines, paragraphs and sentences;
:mod:`.themes` tags each article with its theme. Imports only the base."""

"""xining-data: figures from Chinese city reports as typed, traceable, geocoded data.

The public API; each name lives in the module named after its concept.
"""

from .errors import ReportError
from .report import Report, ReportMeta, decode, load, normalize, read_report, read_reports
from .segment import Article, Paragraph, Sentence, articles, sentences
from .tables import articles_table
from .themes import classify_theme

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Paragraph",
    "Report",
    "ReportError",
    "ReportMeta",
    "Sentence",
    "__version__",
    "articles",
    "articles_table",
    "classify_theme",
    "decode",
    "load",
    "normalize",
    "read_report",
    "read_reports",
    "sentences",
]

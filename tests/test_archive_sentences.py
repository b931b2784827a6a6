"""Sentences that name a thing and give no number: what an archive mentions and does not count."""

import pandas as pd
import pytest

from xining_data.stories.archive import sentences_without_figures

TEXT = "标题一行\n我市对碳排放进行了评估。全市碳排放下降5%。碳汇量持续增加。今天天气晴。"
FIGURE_AT = TEXT.index("5%")  # a quantity stands in the second sentence only

CASES = [
    # words, the sentences found
    (("碳排放",), ["我市对碳排放进行了评估。"]),
    (("碳排放", "碳汇"), ["我市对碳排放进行了评估。", "碳汇量持续增加。"]),
    (("森林",), []),
    ((), []),
]


@pytest.mark.parametrize(("words", "expected"), CASES)
def test_sentences_without_figures(words, expected):
    texts = pd.DataFrame({"report": ["a", "copy"], "text": [TEXT, TEXT]})
    figures = pd.DataFrame(
        {"report": ["a", "copy", "a"], "kind": ["percent", "percent", "date"],
         "start": [FIGURE_AT, FIGURE_AT, TEXT.index("碳汇")]}
    )  # fmt: skip
    found = sentences_without_figures(texts, figures, words)
    assert list(found["sentence"]) == expected  # a copy once; a date is no quantity

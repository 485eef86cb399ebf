"""A sentence of the batch rules is its English text, and keeps what a window needs to
translate it: its wording and values, also through pickling and an error's problems."""

from __future__ import annotations

import json
import pickle

import pytest

from junmai_gui.domain.config import BatchConfig
from junmai_gui.domain.errors import InvalidBatchError
from junmai_gui.domain.wording import Sentence


def test_a_sentence_is_its_english_text_and_remembers_its_wording() -> None:
    inner = Sentence("must contain {stem}", stem="{stem}")
    sentence = Sentence("Output {number}: {problem}", number=2, problem=inner)
    assert sentence == "Output 2: must contain {stem}"
    assert json.dumps(sentence) == '"Output 2: must contain {stem}"'
    again = pickle.loads(pickle.dumps(sentence))
    assert (again.wording, again.values) == (sentence.wording, sentence.values)


def test_a_config_s_problems_stay_sentences_one_by_one() -> None:
    config = {
        "preset": "Identity",
        "naming": "{camera}",
        "outputs": [{"format": "png", "subfolder": "../out"}],
        "after": [{"action": "copy", "folder": "relative"}],
    }
    with pytest.raises(InvalidBatchError) as caught:
        BatchConfig.from_dict(config)
    problems = caught.value.problems
    assert len(problems) == 3 and all(isinstance(p, Sentence) for p in problems)
    assert caught.value.message == "; ".join(problems)
    wordings = [p.wording for p in problems]  # type: ignore[attr-defined]
    assert wordings[0].startswith("The file name in the naming template")
    assert wordings[1:] == ["After-batch action {number}: {problem}", "Output {number}: {problem}"]

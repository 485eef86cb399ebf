"""Sentences the batch rules write for people, kept translatable.

A `Sentence` is the English text itself (a `str`: logs, the HTTP API and stored errors use
it as it is) that also remembers its wording and values, so that the window can show it in
the interface's language (`views.formatting.sentence_text`). Its wording is marked with
`QT_TRANSLATE_NOOP("Problem", "...")`, how Qt's lupdate finds it for the catalogues (the
context written as a literal: lupdate reads no constants); the marker is plain Python here,
since the rules import no Qt. Text in braces that a sentence shows ("{stem}") is passed as
a value, so that a wording's only fields are its values.
"""

from __future__ import annotations

PROBLEM = "Problem"  # the translation context of every sentence of the rules


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for lupdate in translation `context`; returns it unchanged."""
    return text


class Sentence(str):
    """English text that remembers `wording` and `values` (values may be Sentences)."""

    wording: str
    values: dict[str, object]

    def __new__(cls, wording: str, /, **values: object) -> Sentence:
        sentence = super().__new__(cls, wording.format(**values))
        sentence.wording = wording
        sentence.values = values
        return sentence

    def __reduce__(self) -> tuple[object, ...]:
        return _sentence, (self.wording, self.values)


def _sentence(wording: str, values: dict[str, object]) -> Sentence:
    return Sentence(wording, **values)

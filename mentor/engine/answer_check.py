"""Checks on a model's answer before a person relies on it: does it cite, does it loop, did it end.

An answer that fails one is still shown, followed by the quoted evidence and a short note saying
what went wrong (Engine.ask), so the person never has only the bad prose.
"""

from __future__ import annotations

import re

#: Word n-grams compared by `repeated_ngram_share`.
NGRAM = 8
#: An answer whose share of repeated 8-grams is above this loops. Real answers from
#: SmolLM2-135M under mentor's grammar stay at or below 0.1 (README); a loop repeating one
#: sentence three times is above 0.5.
LOOP_SHARE = 0.25
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def repeated_ngram_share(text: str, n: int = NGRAM) -> float:
    """The share (0–1) of the text's word n-grams (case-folded words) that occurred earlier in it;
    0 for a text shorter than n words."""
    words = [w.casefold() for w in _WORD.findall(text)]
    grams = [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]
    if not grams:
        return 0.0
    seen: set[tuple[str, ...]] = set()
    repeated = 0
    for gram in grams:
        if gram in seen:
            repeated += 1
        seen.add(gram)
    return repeated / len(grams)


def answer_problem(text: str, cited: list[int], finish: str | None, could_cite: bool) -> str | None:
    """What is wrong with a model's finished answer, as a short note for the person, or None.

    `finish` is the model's `last_finish`; `could_cite` says the prompt gave posts to cite.
    """
    if finish == "length":
        return "the model's answer reached its length limit and was cut off"
    if could_cite and not cited:
        return "the model's answer cites none of the posts"
    if repeated_ngram_share(text) > LOOP_SHARE:
        return "the model's answer repeats itself"
    return None

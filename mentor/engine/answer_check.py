"""Checks on a model's answer before a person relies on it: does it cite, does it loop (in itself
or over an earlier answer), did it end, does it stay in words (not symbols, another script or
words run together), are its figures from the posts.

An answer that fails one is still shown, followed by the quoted evidence and a short note saying
what went wrong (Engine.ask), so the person never has only the bad prose.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

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


#: An answer with more than this share of its visible characters in symbols (emoji, dingbats)
#: or in a script its prompt never used has drifted out of language: SmolLM2-135M sometimes ends
#: in a run like "🌱✨❤️♪️💡👏🎉🔍ｶ＋・スー" (seen 2026-11-29); its usable answers hold none.
DRIFT_SHARE = 0.03


def earlier_share(text: str, earlier: Sequence[str], n: int = NGRAM) -> float:
    """The share (0–1) of the text's word n-grams that occur in any of the `earlier` texts."""
    words = [w.casefold() for w in _WORD.findall(text)]
    grams = [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]
    if not grams:
        return 0.0
    seen = {tuple(ws[i:i + n]) for e in earlier for ws in [[w.casefold() for w in _WORD.findall(e)]]
            for i in range(len(ws) - n + 1)}
    return sum(gram in seen for gram in grams) / len(grams)


def _script(ch: str) -> str:
    """A character's script, as the first word of its Unicode name ("LATIN", "CJK", "KATAKANA")."""
    return unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]


#: This many symbols in a row (spaces aside) are a drift whatever their share of a long answer:
#: "😉❤️✨♪️🌱💬👩ﾎ📐🔍🖡🗳🚀?" closed an otherwise worded SmolLM2 answer (2026-11-29).
SYMBOL_RUN = 5


def _odd(ch: str, known: set[str]) -> bool:
    return unicodedata.category(ch) in ("So", "Sk", "Co", "Cn") or ch.isalpha() and _script(ch) not in known


def longest_symbol_run(text: str, prompt: str) -> int:
    """The most symbols (or letters of a script `prompt` does not use) in a row, spaces and
    joiners (variation selectors, zero-width joiners) not counted."""
    known = {_script(ch) for ch in prompt if ch.isalpha()}
    run = best = 0
    for ch in text:
        if ch.isspace() or unicodedata.category(ch) in ("Mn", "Cf"):
            continue
        run = run + 1 if _odd(ch, known) else 0
        best = max(best, run)
    return best


def drift_share(text: str, prompt: str) -> float:
    """The share (0–1) of the text's visible characters that are symbols (Unicode category S
    other than currency and maths: emoji, dingbats, modifiers), private or unassigned, or letters
    of a script that `prompt` does not use."""
    known = {_script(ch) for ch in prompt if ch.isalpha()}
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return 0.0
    return sum(1 for ch in visible if _odd(ch, known)) / len(visible)


#: A figure in prose: "20%", "45 percent", "$160k", "6 months", "2018" (the digits are compared),
#: or a number written as one sign ("⅛", "²", "①").
_FIGURE = re.compile(r"(?<![\w\[])\d+(?:[.,]\d+)*(?![\w\]])|(?<!\w)[\u00b2\u00b3\u00b9\u00bc-\u00be"
                     r"\u2070-\u209f\u2150-\u218b\u2460-\u24ff\u2776-\u2793]")
_CITATION = re.compile(r"\[\d+\]")
_LIST_MARK = re.compile(r"^\s*\d+[.)]\s", re.MULTILINE)


#: Letters joined by a comma, semicolon or bracket with no space after it ("(and),sofinallyend?",
#: "and,etc…But,if,you're"): SmolLM2-135M's answers sometimes end in such a run (seen 2026-11-29);
#: prose puts a space there. This many in one answer are no typo.
_RUN_TOGETHER = re.compile(r"[^\W\d_][),;]+[^\W\d_]")
RUN_TOGETHER = 2


def run_together(text: str) -> int:
    """How many times `text` joins words with a comma, semicolon or bracket and no space."""
    return len(_RUN_TOGETHER.findall(text))


def figures(text: str) -> list[str]:
    """The figures of `text` as written ("85", "1,200"), outside citations and list numbering."""
    return [m.group() for m in _FIGURE.finditer(_LIST_MARK.sub(" ", _CITATION.sub(" ", text)))]


def invented_figures(text: str, prompt: str) -> list[str]:
    """The figures of `text` that `prompt` (the posts, the question and the conversation the
    model read) never holds: "20% of all employees" when no post gives 20 is made up, however it
    is cited. A model under mentor's grammar cannot write one; a server without grammar can."""
    known = {figure.replace(",", "") for figure in figures(prompt)}
    return list(dict.fromkeys(f for f in figures(text) if f.replace(",", "") not in known))


def answer_problem(text: str, cited: list[int], finish: str | None, could_cite: bool,
                   prompt: str = "", earlier: Sequence[str] = ()) -> str | None:
    """What is wrong with a model's finished answer, as a short note for the person, or None.

    `finish` is the model's `last_finish`; `could_cite` says the prompt gave posts to cite;
    `prompt` is the text the model read for this turn (its scripts are the ones expected);
    `earlier` are the model's earlier answers in the conversation.
    """
    if finish == "length":
        return "the model's answer reached its length limit and was cut off"
    if could_cite and not cited:
        return "the model's answer cites none of the posts"
    if repeated_ngram_share(text) > LOOP_SHARE:
        return "the model's answer repeats itself"
    if earlier_share(text, earlier) > LOOP_SHARE:
        return "the model's answer repeats what it said before"
    if prompt and (drift_share(text, prompt) > DRIFT_SHARE or longest_symbol_run(text, prompt) >= SYMBOL_RUN):
        return "the model's answer drifts into symbols or another script"
    if run_together(text) >= RUN_TOGETHER:
        return "the model's answer runs words together"
    invented = invented_figures(text, prompt) if prompt else []
    if invented:
        return f"the model's answer gives figures no post gives ({', '.join(invented[:3])})"
    return None

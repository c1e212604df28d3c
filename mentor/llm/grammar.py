"""The shape of an answer, as a GBNF grammar llama.cpp samples under (locally and on a server).

    worry sentence.

    view 1 sentence [n].

    view 2 sentence [n].

    next step sentence. question back to the person?

Each view's sentence ends with a citation drawn from *that view's* posts, so every answer that
follows the grammar cites, and cites the right side. Sentences run 4–30 words, words at most
24 characters; no markup characters (`<>[]*#_|@` and backticks), no colon (which keeps out
"Q:", "View:" and the like), and no line breaks but the paragraph breaks above. A word holds no
digit but as one of the prompt's figures, written whole as a word of its own. At most seven
sentences (four views) of at most 30 words end well before `MAX_ANSWER_TOKENS`, which stays a
safety net (reaching it is said to the person).

Measured on SmolLM2-135M over six worries (README): a looser "at least one citation per
paragraph" grammar made answers worse (the issue's measure); a second cited sentence per view
made them ~100 tokens longer and no better; this one gave a citation in every answer, 130–280
tokens long. A model that reaches a sentence's word limit mid-thought may glue its last words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mentor.engine.answer_check import CURRENCY

#: Words in one sentence (first, last).
SENTENCE_WORDS = (4, 30)
#: Characters in one word.
WORD_CHARS = 24
#: A word's characters: no markup, no sentence end, no colon, no digit or number sign ("⅛",
#: "²", "①": SmolLM2 wrote "⅛" once, 2026-11-29), and no percent or currency sign: a figure is
#: written only as the prompt gives it (`AnswerShape.figures`), so a model cannot make one up, nor
#: make a percentage or money of a number the prompt gives as something else ("20%" beside a
#: "top-20 school": a trial user's answer, 2026-11-29). "20 percent" in words stays writable (a
#: grammar has no "any word but this one" short of spelling out every other word's prefixes);
#: `answer_check.invented_figures` catches it.
_WORD = ("[^ \\t\\n\\r\\[\\]<>@.?!:*#_`|\\\\0-9%" + CURRENCY + "\\u00B2\\u00B3\\u00B9\\u00BC-\\u00BE"
         "\\u2070-\\u209F\\u2150-\\u218B\\u2460-\\u24FF\\u2776-\\u2793]")
#: A figure the grammar may hold: digits (grouped, with decimals), as money with its currency
#: sign and scale, or as a percentage; or a word holding a digit ("B2B", "top-20": word characters
#: and the in-word joiners `-/'’`); nothing that could break out of a GBNF string.
_FIGURE = re.compile(rf"[{re.escape(CURRENCY)}]?[0-9][0-9.,]*(?:k|m|bn)?%?|[^\W_]+(?:[-/'’][^\W_]+)*")
#: What may stand before and after a figure in its word: an opening bracket or quote ("(20%"),
#: and up to two closing ones or a comma or semicolon ("$160k),"); never a letter or another
#: figure. Figures were once letters of a word like any other and ran together: SmolLM2 wrote
#: "moving away from B2023 market trends" (2026-11-30), and "20" and "15" could make "2015".
_OPEN = "[(\"'“‘]"
_CLOSE = "[,;)\"'”’]"


@dataclass(frozen=True)
class AnswerShape:
    """For each view the prompt gives, in order, the source numbers its sentences may cite; and
    the figures ("85", "1,200", "0.15", "20%", "$160k") and words with digits ("B2B", "top-20")
    the prompt holds, the only ones an answer may write, each whole
    (`answer_check.writable_figures`)."""

    views: tuple[tuple[int, ...], ...]
    figures: tuple[str, ...] = ()

    @classmethod
    def of(cls, views: Sequence[Sequence[int]], figures: Sequence[str] = ()) -> AnswerShape:
        """The shape for these views (a view with nothing to cite is left out) and figures."""
        return cls(tuple(tuple(sorted(set(numbers))) for numbers in views if numbers),
                   tuple(dict.fromkeys(f for f in figures if _FIGURE.fullmatch(f) and len(f) <= WORD_CHARS
                                       and any(ch.isdigit() for ch in f))))

    def grammar(self) -> str:
        """The GBNF text (root rule `root`)."""
        low, high = SENTENCE_WORDS
        parts = ['worry "\\n\\n"']
        rules = []
        for i, numbers in enumerate(self.views):
            cite = '"[" (' + " | ".join(f'"{n}"' for n in numbers) + ') "]"'
            rules += [f'view{i} ::= words " " cite{i} "."', f"cite{i} ::= {cite}"]
            parts.append(f'view{i} "\\n\\n"')
        parts.append('step " " ask')
        return "\n".join([
            "root ::= " + " ".join(parts),
            'worry ::= words "."',
            *rules,
            'step ::= words "."',
            'ask ::= words "?"',
            f'words ::= word (" " word){{{low - 1},{high - 1}}}',
            *([f"word ::= {_WORD}{{1,{WORD_CHARS}}} | {_OPEN}? figure ({_CLOSE} {_CLOSE}?)?",
               "figure ::= " + " | ".join(f'"{f}"' for f in self.figures)] if self.figures
              else [f"word ::= {_WORD}{{1,{WORD_CHARS}}}"]),
        ]) + "\n"

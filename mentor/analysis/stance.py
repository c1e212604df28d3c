"""Whether a post agrees or disagrees with the post it answers, read from how it opens.

People mark agreement ("+1", "This.", "Agreed.", "Louder", "100% this", "Cannot agree more")
and disagreement ("Hard disagree", "Counterpoint:", "Not true", "Nah", "Sure, but", "The
problem is", "I'm not so sure", "Agreed that X, but Y") mostly in a post's first words; vocabulary/responses.toml holds
the phrases (`agreement`, `disagreement`, `contrast`). The strong disagreement phrases count
anywhere in the first two sentences ("I know this post is likely a joke, but to provide
counterpoints:"); contrast phrases ("the problem is", "it's not about", "in reality") count
half, since they also open arguments that agree. Disagreement by argument alone, with none of
these, is left to the content of the posts (`mentor.analysis.camps`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mentor.analysis.claims import turns_after
from mentor.analysis.phrases import normalise, vocabulary
from mentor.analysis.roles import own_words
from mentor.engine.text import sentences

#: Words of a post's opening where agreement and disagreement phrases are looked for.
OPENING_WORDS = 8
CONTRAST_STRENGTH = 0.5


@dataclass(frozen=True)
class Stance:
    """+1 agrees with the target, -1 disagrees, 0 neither; `strength` in 0-1."""

    sign: int
    strength: float


NEUTRAL = Stance(0, 0.0)


#: "Agreed that letting go is required, but that's the point": agreement granted to a point of
#: the post answered ("that ..."), then turned against in the same sentence.
_GRANTED = re.compile(r"^\W*(?:with [\w@.'-]+\W+)?that\b")


def _grants_then_turns(text: str, agreed: str) -> bool:
    """Whether `text`, opening with the agreement phrase `agreed`, only grants the point it
    answers and turns against it in its first sentence ("Agreed that X, but Y"; not "+1, but I'd
    add ..." nor "Agreed. But also ...", which agree)."""
    first = normalise(sentences(text)[0]) if sentences(text) else ""
    at = first.find(agreed)
    rest = first[at + len(agreed):] if at >= 0 else ""
    return bool(_GRANTED.match(rest)) and turns_after(rest)


@lru_cache(maxsize=65536)
def read_stance(text: str, skip_first_line: bool = False) -> Stance:
    """The stance a post's text takes toward the post it answers.

    `skip_first_line` leaves out a first line that quotes the target.
    """
    words = own_words(text)
    if skip_first_line and "\n" in words:
        words = words.split("\n", 1)[1].strip()
    responses = vocabulary("responses")
    opening = " ".join(sentences(words)[:2])
    if responses.group("disagreement").opens(words, OPENING_WORDS) or responses.group("rebuttal").find(opening):
        return Stance(-1, 1.0)
    agreed = responses.group("agreement").opening_match(words, OPENING_WORDS)
    if agreed:
        return Stance(-1, CONTRAST_STRENGTH) if _grants_then_turns(words, agreed) else Stance(1, 1.0)
    first = sentences(words)[:1]
    # "could you actually take time off?" asks; "actually, it's the opposite" turns against
    if first and not first[0].rstrip(" \"'”)").endswith("?") and responses.group("contrast").find(first[0]):
        return Stance(-1, CONTRAST_STRENGTH)
    return NEUTRAL

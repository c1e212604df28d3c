"""How a post stands toward the others in its thread, read from forum conventions.

People mark agreement and disagreement: "+1, this", "100 percent this", "@Maya, cannot agree
more", "Seconding Kofi", "Hard disagree", "I'll offer the other side", "Counterpoint:".
`read_stance` finds the post a post responds to (its reply, a name it mentions, or the post just
above it) and whether it agrees or disagrees. `role` sorts posts into the question, neutral asides
(questions, thanks, the asker's own follow-ups), bare agreements ("+1, this") and opinions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from mentor.corpus.model import Post, Thread
from mentor.engine.text import sentences, word_count
from mentor.importers.replies import REPLY_PREFIX, last_post_by, replied_name

class _Markers:
    """A pattern of stance markers, with words every match contains: a text holding none of them
    (casefolded) is passed by without running the pattern, which tries each of its alternatives
    at every position (about 30 µs an opening sentence, most of the split's time)."""

    def __init__(self, pattern: re.Pattern[str], words: tuple[str, ...]) -> None:
        self.pattern = pattern
        self.words = words

    def search(self, text: str) -> re.Match[str] | None:
        folded = text.casefold()
        if not any(word in folded for word in self.words):
            return None
        return self.pattern.search(text)


_DISAGREE = _Markers(re.compile(
    r"disagree|push(?:ing)? back|pushback|counter-?point|other side|respectfully,? no|"
    r"\bnot really\b|on the contrary|contrarian|devil'?s advocate|\bi don'?t (?:buy|think|agree)|"
    r"\bnot true\b|bad advice|terrible advice|\bnope\b|^no[,.!]|\bi'?d argue\b|the opposite|"
    r"\bwrong\b|dissent|i'?ll be the one|strongly (?:object|differ)", re.IGNORECASE),
    ("disagree", "push", "counter", "other side", "respectfully", "not really", "contrar", "devil",
     "i don", "not true", "bad advice", "terrible advice", "nope", "no,", "no.", "no!", "argue",
     "opposite", "wrong", "dissent", "be the one", "strongly"))
_AGREE = _Markers(re.compile(
    r"^\+1|\+1\b|\b100 ?(?:%|percent)|\b(?:i|totally|fully|completely|strongly|so|couldn'?t|cannot|can'?t) agree|"
    r"\bagreed\b|\bagree with\b|^agree\b|\bexactly\b|^this\b|\bthis\.$|\bthis!|second(?:ing|ed)?\b|"
    r"came here to say|well said|same here|spot on|so much this|nailed it|co-?sign|\becho(?:ing)?\b|"
    r"^yes\b|^yep\b|^yup\b|^totally\b|^absolutely\b|great (?:point|perspective)|^ditto", re.IGNORECASE),
    ("+1", "100", "agree", "exactly", "this", "second", "came here", "well said", "same here", "spot on",
     "nailed", "sign", "echo", "yes", "yep", "yup", "totally", "absolutely", "great ", "ditto"))
_BANTER = re.compile(r"\blol\b|\bhaha+\b|\blmao\b|😂|🤣", re.IGNORECASE)
#: A post this short that laughs is banter, not a position.
BANTER_WORDS = 30
_THANKS = re.compile(r"\bthank(?:s| you)\b|\bthat helps\b|\bappreciate", re.IGNORECASE)
_NAME = re.compile(r"@?\b([A-Z][\w.\-]{2,}|[a-z][\w\-]*[._][\w.\-]+)")
#: A post this short that agrees adds no argument of its own: it sides with its target.
BARE_AGREEMENT_WORDS = 15


class Role(Enum):
    QUESTION = "question"
    NEUTRAL = "neutral"
    AGREEMENT = "agreement"
    OPINION = "opinion"


@dataclass(frozen=True)
class Stance:
    """A post's relation to an earlier post: +1 agrees, -1 disagrees, 0 only responds.

    `target` is None when the post marks a stance without saying toward whom; it then answers
    the nearest opinion above it (resolved by the perspective split, which knows the roles).
    """

    target: int | None
    sign: int
    strength: float


#: Agreement is marked in a post's first words ("+1 to Anjali", "100% this", "Cannot agree more").
_AGREEMENT_WORDS = 8


def _opening(post: Post) -> str:
    """The post's first sentence, without its `@Name,` prefix: where stance markers stand."""
    text = REPLY_PREFIX.sub("", post.text, count=1)
    found = sentences(text)
    return found[0] if found else ""


def _agrees(opening: str) -> bool:
    return bool(_AGREE.search(" ".join(opening.split()[:_AGREEMENT_WORDS]))) and not _DISAGREE.search(opening)


def _name_target(thread: Thread, post: Post, text: str) -> int | None:
    """The latest earlier answer whose author the text names ("+1 to Anjali" -> AnjaliMenon)."""
    for match in _NAME.finditer(text):
        name = match.group(1).rstrip(".").casefold()
        for earlier in reversed(thread.posts[1: post.index - 1]):  # the question is no target
            if earlier.author and _names(earlier.author, name):
                return earlier.index
    return None


def _names(handle: str, name: str) -> bool:
    """Whether `name` (casefolded) names `handle`: the whole handle, its start, or one of its parts."""
    folded, parts = _handle_parts(handle)
    return folded == name or (len(name) >= 3 and (folded.startswith(name) or name in parts))


@lru_cache(maxsize=4096)
def _handle_parts(handle: str) -> tuple[str, frozenset[str]]:
    """A handle casefolded, and its parts ("AnjaliMenon" -> anjali, menon)."""
    parts = frozenset(part.casefold() for part in re.split(r"[._\-]|(?<=[a-z])(?=[A-Z])", handle) if part)
    return handle.casefold(), parts


def role(thread: Thread, post: Post) -> Role:
    if post.index == 1:
        return Role.QUESTION
    text = _opening(post)
    opener = thread.posts[0].author
    agrees = _agrees(text)
    if agrees and word_count(post.text) <= BARE_AGREEMENT_WORDS + 5:
        return Role.AGREEMENT
    if opener is not None and post.author == opener:
        return Role.NEUTRAL
    all_sentences = sentences(post.text)
    questions = sum(s.rstrip().endswith("?") for s in all_sentences)
    if all_sentences and questions * 2 >= len(all_sentences) and word_count(post.text) < 60:
        return Role.NEUTRAL
    if _THANKS.search(text) and not agrees and word_count(post.text) < 40:
        return Role.NEUTRAL
    if _BANTER.search(post.text) and word_count(post.text) < BANTER_WORDS:
        return Role.NEUTRAL
    return Role.OPINION


def read_stance(thread: Thread, post: Post) -> Stance | None:
    """The post's stance toward the post it responds to, or None when it shows none."""
    text = _opening(post)
    addressed = replied_name(post.text)
    target = (post.reply_to
              or (last_post_by(thread.posts[1: post.index - 1], addressed) if addressed else None)
              or _name_target(thread, post, text))
    if _DISAGREE.search(text):
        sign, strength = -1, 1.0
    elif _agrees(text):
        sign, strength = 1, 1.0
    else:
        sign, strength = 0, 0.0
    if target == post.index or (target is None and sign == 0):
        return None
    return Stance(target=target, sign=sign, strength=strength)

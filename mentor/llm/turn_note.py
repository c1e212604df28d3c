"""What the model is told about the turn in its conversation, beside the sources: what the person
has said about themselves, and what this turn asks for.

It goes in the turn's user message after the sources (`prompt.turn_message`'s `note`), as
instructions of mentor's own, so the model answers the follow-up in front of it (a recommendation,
how to start, a new topic) rather than restating both sides. It names the person's facts by the
vocabulary's words; the options and the new subject are their own words, as the question below
it is.
"""

from __future__ import annotations

import re

from mentor.engine.events import Evidence

_ABOUT = "What the person has told you about themselves: {about}."
_WEIGHING = "They are weighing two options: (1) {first}; (2) {second}. Say what the posts mean for each of the two."
_MOVED = ("They have moved from {previous} to a new question ({focus}): open with one sentence linking it to "
          "what came before, then answer the new question.")

_ASKS = {
    "recommendation": "This follow-up asks what you would recommend for them. Answer it directly: weigh the "
                      "two views against what they told you about themselves, say which one fits them "
                      "better and why, citing the posts that speak to their situation. Do not restate "
                      "both views from scratch.",
    "how_to": "This follow-up asks how to start. Answer it with two to four concrete first steps that people "
              "in the posts gave (a plan, a first project, a resource), fitted to their time and "
              "constraints, each cited. Do not restate the two views.",
    "more": "This follow-up asks more about the same discussion. Answer exactly what it asks from the posts, "
            "citing them; do not restate both views from scratch.",
}


def turn_note(evidence: Evidence) -> str:
    """The note for the turn `evidence` answers ("" when there is nothing to add)."""
    reading = evidence.reading
    if reading is None:
        return ""
    lines = []
    about = reading.situation.describe()
    if about:
        lines.append(_ABOUT.format(about=about))
    options = reading.situation.weighing
    if len(options) == 2 and reading.kind.value in ("both_sides", "topic_change", "recommendation"):
        lines.append(_WEIGHING.format(first=options[0], second=options[1]))
    if reading.follow_up and reading.moved:
        lines.append(_MOVED.format(previous=reading.previous_topic or "the earlier topic",
                                   focus=reading.focus or "see below"))
    if reading.follow_up and not reading.moved and reading.kind.value in _ASKS:
        lines.append(_ASKS[reading.kind.value])
    return "\n".join(lines)


def note_wording() -> tuple[str, ...]:
    """mentor's own words in the notes, without what they fill in of the person's (their facts,
    options and topics): what an answer has no business repeating to them."""
    templates = (_ABOUT, _WEIGHING, _MOVED, *_ASKS.values())
    return tuple(piece for template in templates for piece in re.split(r"\{\w+\}", template) if piece.strip())

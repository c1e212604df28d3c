"""What the model is told about the turn in its conversation, beside the sources: what the person
has said about themselves, and what this turn asks for.

It goes in the turn's user message after the sources (`prompt.turn_message`'s `note`), as
instructions of mentor's own, so the model answers the follow-up in front of it (a recommendation,
how to start, a new topic) rather than restating both sides. It names the person's facts by the
vocabulary's words; the options and the new subject are their own words, as the question below
it is.
"""

from __future__ import annotations

from mentor.engine.events import Evidence

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
        lines.append(f"What the person has told you about themselves: {about}.")
    options = reading.situation.weighing
    if len(options) == 2 and reading.kind.value in ("both_sides", "topic_change", "recommendation"):
        lines.append(f"They are weighing two options: (1) {options[0]}; (2) {options[1]}. "
                     "Say what the posts mean for each of the two.")
    if reading.follow_up and reading.moved:
        lines.append(f"They have moved from {reading.previous_topic or 'the earlier topic'} to a new "
                     f"question ({reading.focus or 'see below'}): open with one sentence linking it to "
                     "what came before, then answer the new question.")
    if reading.follow_up and not reading.moved and reading.kind.value in _ASKS:
        lines.append(_ASKS[reading.kind.value])
    return "\n".join(lines)

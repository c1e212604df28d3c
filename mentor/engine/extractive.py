"""The answer without a model: the worry named, both views quoted and cited, next questions.

Every sentence in quotation marks is a sentence a person wrote in the corpus, escaped so that it
shows as text; every `[n]` is one of the evidence's sources.
"""

from __future__ import annotations

from collections.abc import Sequence

from mentor.engine.cite import escape_markdown
from mentor.analysis.model import ONE_POSITION, SEVERAL_OPINIONS
from mentor.engine.events import Evidence, Perspective, Source

_WORRY_CHARS = 140


def _worry(question: str) -> str:
    text = " ".join(question.split())
    if len(text) > _WORRY_CHARS:
        text = text[:_WORRY_CHARS].rsplit(" ", 1)[0] + "…"
    return escape_markdown(text)


def _view(heading: str, perspective: Perspective) -> list[str]:
    lines = [f"**{heading} — {escape_markdown(perspective.label)}**", ""]
    for quote in perspective.quotes:
        lines += [f"> “{escape_markdown(quote.sentence)}” [{quote.n}]", ""]
    if perspective.supporters:
        people = "person" if perspective.supporters == 1 else "people"
        lines += [f"_{perspective.supporters} more {people} backed this view._", ""]
    return lines


def compose(evidence: Evidence) -> str:
    """The extractive answer to `evidence.question`, in Markdown."""
    worry = _worry(evidence.question)
    if not evidence.perspectives:
        return (f"You asked: “{worry}”. I found no discussion in the corpus that speaks to this. "
                "Try other words, or add threads with `mentor ingest`.")
    groups: dict[str, list[Perspective]] = {}
    for perspective in evidence.perspectives:
        groups.setdefault(perspective.thread_title, []).append(perspective)
    titles = [f"“{escape_markdown(title)}”" for title in groups]
    shape = evidence.perspectives[0].shape
    if len(groups) > 1:
        named = ", ".join(titles[:-1]) + f" and {titles[-1]}"
        count = "Two" if len(groups) == 2 else "Three" if len(groups) == 3 else str(len(groups))
        opening = f"{count} discussions speak to this, {named}; here is what each one holds."
    elif shape == ONE_POSITION:
        opening = (f"In {titles[0]}, the people who answered mostly hold one view; I found no real "
                   "opposing side, so I won't invent one.")
    elif shape == SEVERAL_OPINIONS:
        opening = (f"{titles[0]} holds several opinions without a clear two-way split, so I won't "
                   "invent two camps; here are the ones that speak most to your worry.")
    else:
        opening = f"Practitioners disagree about this in {titles[0]}; here are both sides in their own words."
    lines = [f"You asked: “{worry}”. {opening}", ""]
    for title, perspectives in groups.items():
        if len(groups) > 1:
            lines += [f"### In “{escape_markdown(title)}”", ""]
        lines += _thread_views(perspectives)
    if evidence.common_ground is not None:
        ground = evidence.common_ground
        lines += [f"**Where they meet:** “{escape_markdown(ground.sentence)}” [{ground.n}]", ""]
    if evidence.follow_ups:
        lines += ["**You might also ask**", ""]
        lines += [f"- {escape_markdown(question)}" for question in evidence.follow_ups]
    return "\n".join(lines).rstrip() + "\n"


def _thread_views(perspectives: list[Perspective]) -> list[str]:
    """One thread's views: two sides, one view, or its opinions under one heading."""
    if perspectives[0].shape == SEVERAL_OPINIONS:
        lines = ["**Several opinions**", ""]
        for perspective in perspectives:
            lines += [f"- {escape_markdown(perspective.label)}", ""]
            lines += [f"  > “{escape_markdown(q.sentence)}” [{q.n}]" for q in perspective.quotes] + [""]
        return lines
    if len(perspectives) == 1:
        return _view("The view", perspectives[0])
    return _view("One view", perspectives[0]) + _view("Another view", perspectives[1])


def render_sources(sources: Sequence[Source], cited: list[int] | None = None) -> str:
    """The numbered list of sources under an answer: `[n] @author, "title", post k`."""
    shown = sorted((s for s in sources if cited is None or s.n in cited), key=lambda s: s.n)
    return "\n".join(f"[{s.n}] {s.reference()}" for s in shown)

"""The answer without a model: the worry named, both views quoted and cited, each option it
weighs answered. Follow-ups are composed by `turn_answer.py` from the same pieces.

Every sentence in quotation marks is a sentence a person wrote in the corpus, escaped so that it
shows as text; every `[n]` is one of the evidence's sources.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from mentor.analysis.model import ONE_POSITION, SEVERAL_OPINIONS
from mentor.engine.cite import escape_markdown
from mentor.engine.events import Evidence, Perspective, Source
from mentor.engine.text import and_join, latin_script

_WORRY_CHARS = 140
#: Words of its quote that name an opinion without a label ("leans to “Ask him which feature …” [1]").
_NAME_WORDS = 8


def _worry(question: str) -> str:
    text = " ".join(question.split())
    if len(text) > _WORRY_CHARS:
        text = text[:_WORRY_CHARS].rsplit(" ", 1)[0] + "…"
    return escape_markdown(text)


def render_view(heading: str, perspective: Perspective) -> list[str]:
    """One view's lines: its label (cited, in place of the quote that opens with it: the two would
    say the same words), its quotes (cited), how many more people backed it. A heading without
    its label read as a view with none (a trial's "Another view" over "A polite counter almost
    never gets an offer pulled.", 2026-11-30)."""
    stating = next((quote for quote in perspective.quotes if perspective.label
                    and states_label(perspective.label, quote.sentence)), None)
    label = f" — {escape_markdown(perspective.label)}" if perspective.label else ""
    lines = [f"**{heading}{label}**" + (f" [{stating.n}]" if stating else ""), ""]
    for quote in perspective.quotes:
        if quote is not stating:
            lines += [f"> “{escape_markdown(quote.sentence)}” [{quote.n}]", ""]
    if perspective.supporters:
        people = "person" if perspective.supporters == 1 else "people"
        lines += [f"_{perspective.supporters} more {people} backed this view._", ""]
    return lines


def view_name(perspective: Perspective) -> str:
    """How an answer names a view, in Markdown: its label in quotation marks, or, for an opinion
    without one, the opening words of its quote, cited."""
    if perspective.label:
        return f"“{escape_markdown(perspective.label)}”"
    if not perspective.quotes:
        return "an opinion"
    quote = perspective.quotes[0]
    words = quote.sentence.split()
    opening = " ".join(words[:_NAME_WORDS]) + (" …" if len(words) > _NAME_WORDS else "")
    return f"“{escape_markdown(opening)}” [{quote.n}]"


def discussion_titles(evidence: Evidence) -> list[str]:
    """The titles of the evidence's threads, quoted for an answer, best first."""
    return [f"“{escape_markdown(title)}”" for title in dict.fromkeys(p.thread_title for p in evidence.perspectives)]


def both_sides(evidence: Evidence) -> list[str]:
    """The views of each thread (a heading per thread when there are several) and where they meet."""
    groups: dict[str, list[Perspective]] = {}
    for perspective in evidence.perspectives:
        groups.setdefault(perspective.thread_title, []).append(perspective)
    ground = evidence.common_ground
    source = evidence.source(ground.n) if ground is not None else None
    other_way = dict(evidence.other_way)
    lines: list[str] = []
    for title, perspectives in groups.items():
        if len(groups) > 1:
            lines += [f"### In “{escape_markdown(title)}”", ""]
        if title in other_way:
            lines += [f"_This discussion is about a move the other way, {other_way[title]}._", ""]
        lines += thread_views(perspectives)
        if ground is not None and source is not None and source.thread_title == title:  # under its own thread
            lines += [f"**Where they meet:** “{escape_markdown(ground.sentence)}” [{ground.n}]", ""]
    return lines


def thread_views(perspectives: list[Perspective]) -> list[str]:
    """One thread's views: its two sides, its one view, or its opinions under one heading."""
    if perspectives[0].shape == SEVERAL_OPINIONS:
        lines = ["**Several opinions**" if len(perspectives) > 1 else "**One opinion in it**", ""]
        for perspective in perspectives:
            quotes = [f"“{escape_markdown(q.sentence)}” [{q.n}]" for q in perspective.quotes]
            if perspective.label and not _says_label(perspective):  # a claim, then its quotes
                lines += [f"- {escape_markdown(perspective.label)}", ""] + [f"  > {q}" for q in quotes] + [""]
            else:  # no claim of its own, or the quote states it: the quote speaks for it
                lines += [f"- {q}" for q in quotes] + [""]
        return lines
    if len(perspectives) == 1:
        return render_view("The view", perspectives[0])
    return render_view("One view", perspectives[0]) + render_view("Another view", perspectives[1])


def _says_label(perspective: Perspective) -> bool:
    """Whether an opinion's quote opens with its label (the label is that sentence, or its first
    clause): the label above it would only say the same words twice."""
    return any(states_label(perspective.label, quote.sentence) for quote in perspective.quotes)


def states_label(label: str, sentence: str) -> bool:
    """Whether `sentence` opens with the words of `label` (a view's label is a sentence of its
    post, or its first clause), whatever the case and punctuation."""
    def bare(text: str) -> str:
        return " ".join("".join(ch for ch in text.casefold() if ch.isalnum() or ch.isspace()).split())

    words = bare(label)
    return bool(words) and bare(sentence).startswith(words)


def opening(evidence: Evidence) -> str:
    """The first sentence of a both-sides answer after its first words: where the discussion is
    and how it divides (two camps, one position, several opinions)."""
    titles = discussion_titles(evidence)
    if evidence.closest_only:
        closest = (f"the closest discussions are {and_join(titles)}. Here is what each holds"
                   if len(titles) > 1 else f"the closest discussion is {titles[0]}. Here is what it holds")
        return (f"Nothing in the corpus speaks to this directly; {closest}, in case it helps: tell me more, "
                "or add threads on it with `mentor ingest`.")
    return _how_they_divide(evidence, titles) + _not_the_move(evidence, len(titles))


def _how_they_divide(evidence: Evidence, titles: list[str]) -> str:
    if len(titles) > 1:
        named = and_join(titles)
        count = {2: "Two", 3: "Three"}.get(len(titles), str(len(titles)))
        return f"{count} discussions speak to this, {named}; here is what each one holds."
    shape = evidence.perspectives[0].shape
    if shape == ONE_POSITION:
        return (f"In {titles[0]}, the people who answered mostly hold one view; I found no real "
                "opposing side, so I won't invent one.")
    if shape == SEVERAL_OPINIONS and len(evidence.perspectives) == 1:
        return (f"{titles[0]} holds no clear two-way split, so I won't invent two camps; here is the "
                "opinion in it that speaks most to your worry.")
    if shape == SEVERAL_OPINIONS:
        return (f"{titles[0]} holds several opinions without a clear two-way split, so I won't invent "
                "two camps; here are the ones that speak most to your worry.")
    return f"Practitioners disagree about this in {titles[0]}; here are both sides in their own words."


def _not_the_move(evidence: Evidence, threads: int) -> str:
    """" Neither is about a move from PM to sales: …", when no thread of the answer is about the
    role the person's move goes to (`Evidence.move_not_discussed`); "" otherwise."""
    if not evidence.move_not_discussed:
        return ""
    move = escape_markdown(evidence.move_not_discussed)
    if threads == 1:
        return f" It is not about a move {move}: it is the closest discussion I found."
    which = "Neither" if threads == 2 else "None of them"
    return f" {which} is about a move {move}: they are the closest discussions I found."


def compose(evidence: Evidence) -> str:
    """The extractive answer to a first worry (or a conversation's new worry), in Markdown: both
    sides, then each option it weighs and what speaks to the person's situation. Follow-ups are
    composed by `turn_answer.compose_follow_up`."""
    worry = _worry(evidence.question)
    if not evidence.perspectives:
        if not latin_script(evidence.question):  # `Retriever._verdict`: a script it cannot place
            return (f"You asked: “{worry}”. I found no discussion in the corpus that speaks to this. "
                    "Most of its discussions are in English: try asking in English, or add threads "
                    "in your language with `mentor ingest`.")
        return (f"You asked: “{worry}”. I found no discussion in the corpus that speaks to this "
                "(it holds product managers' career discussions). Try other words, or add threads "
                "with `mentor ingest`.")
    lines = [f"You asked: “{worry}”. {opening(evidence)}", ""] + both_sides(evidence)
    weighed = options_and_fit(evidence)
    lines += weighed or next_step(evidence)
    return "\n".join(lines).rstrip() + "\n"


def next_step(evidence: Evidence) -> list[str]:
    """The closing line of an answer whose person has told nothing to weigh its views against (no
    limit, aim or options): what to tell for them to be weighed for their situation, as "What
    would you do in my position?" then asks (`turn_answer`). A trial user found first answers
    ended with the views and a list of questions, no step of their own (2026-11-30). None when
    nothing speaks to the worry directly: that answer already asks them to say more."""
    situation = evidence.reading.situation if evidence.reading is not None else None
    if evidence.closest_only or situation is None or situation.constraints or situation.goals or situation.weighing:
        return []
    return ["**Your next step:** tell me what limits you (time, money, family, where you live) and what you "
            "want next, and I'll weigh these views for your situation.", ""]


def options_and_fit(evidence: Evidence) -> list[str]:
    """What speaks to each option the person weighs (an option nothing speaks to is named as such
    rather than left out, and so are both when nothing speaks to either), and the sentence that
    speaks most to their situation ("For you"), from the evidence's points."""
    lines: list[str] = []
    weighing = list(evidence.reading.situation.weighing) if evidence.reading is not None else []
    options = [p for p in evidence.points if p.reason == "option"]
    if options:
        place = {option: i for i, option in enumerate(weighing)}
        entries = [(place.get(p.about, len(weighing)), p.about, f"“{escape_markdown(p.sentence)}” [{p.n}]")
                   for p in options]
        entries += [(place[option], option, "no post here speaks to it in so many words.")
                    for option in weighing if option not in {p.about for p in options}]
        lines += ["**Your options**", ""]
        for _, option, said in sorted(entries, key=lambda entry: entry[0]):  # in the person's order
            lines.append(f"- **{escape_markdown(_capital(option))}:** {said}")
        lines.append("")
    elif weighing:  # said, not left out: the person asked about them
        named = and_join([f"“{escape_markdown(option)}”" for option in weighing], "or")
        lines += [f"**Your options:** no post here speaks to {named} in so many words.", ""]
    fit = [p for p in evidence.points if p.reason == "situation"]
    if fit and evidence.reading is not None and evidence.reading.kind.value in ("both_sides", "topic_change"):
        about = evidence.reading.situation.who()
        lines += [f"**For you{f' ({escape_markdown(about)})' if about else ''}:** "
                  f"“{escape_markdown(fit[0].sentence)}” [{fit[0].n}]", ""]
    return lines


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def render_sources(sources: Sequence[Source], cited: Sequence[int], listed_before: Collection[int] = ()) -> str:
    """The numbered list of sources under an answer, as `--json` and the chat's panel list them,
    so the numbers a reader sees have no gaps: `[n] @author, "title", post k`, and for one the
    answer does not quote, why it is numbered (a view's other backers, the "N more people backed
    this view" of the answer). A source an earlier turn listed (`listed_before`) is listed again
    only when this answer quotes it."""
    shown = [s for s in sorted(sources, key=lambda s: s.n) if s.n in cited or s.n not in listed_before]
    return "\n".join(f"[{s.n}] {s.reference()}{_not_quoted(s, cited)}" for s in shown)


def _not_quoted(source: Source, cited: Sequence[int]) -> str:
    """"" for a cited source; otherwise a note that the answer does not quote it."""
    if source.n in cited:
        return ""
    return " (listed under a view; not quoted)" if source.perspective is not None else " (not quoted)"

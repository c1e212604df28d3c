"""The answer to a follow-up without a model, shaped by what it asks.

- a recommendation ("what would you do in my position?") weighs the two sides against what the
  person said: per side, the posts that speak to their situation, the advice that fits them best,
  what speaks to each option they weigh, and which side more of it is on;
- a how-to request ("how do I start if I only have 3 hours a week?") lists the concrete steps each
  side gave, and the one that fits a small time budget;
- a question on the same discussion quotes, per side, what speaks to its own words;
- a new topic gets its own both-sides answer after one line that bridges from the last;
- small talk (thanks, an acknowledgement, a greeting) gets a short reply of mentor's own, quoting
  nothing and keeping the topic (`compose_small_talk`).

No "You asked …" preamble: the conversation is already on screen. Every quoted sentence is one a
person wrote, escaped to show as text; every `[n]` is one of the evidence's sources.
"""

from __future__ import annotations

from mentor.analysis.model import TWO_CAMPS
from mentor.engine.cite import citations, escape_markdown
from mentor.engine.events import Evidence, Perspective, Point
from mentor.engine.extractive import (both_sides, discussion_titles, opening, options_and_fit, states_label,
                                      view_name)
from mentor.engine.follow_up import small_talk
from mentor.engine.points import fits_small_budget
from mentor.engine.situation import goal_examples, read_situation
from mentor.engine.text import and_join, terms

#: A recommendation leans to a side when what speaks to the situation there scores at least this
#: many times what does on the other side.
LEAN = 1.5
#: The step that fits a small time budget is named again by this many of its first words.
FIT_WORDS = 8


def compose_follow_up(evidence: Evidence) -> str:
    """The extractive answer to the follow-up `evidence` was gathered for, in Markdown."""
    reading = evidence.reading
    kind = reading.kind.value
    lines: list[str] = []
    if reading.moved:
        lines += [_bridge(evidence), ""]
    if kind == "recommendation":
        lines += _recommendation(evidence)
    elif kind == "how_to":
        lines += _how_to(evidence)
    elif kind == "more":
        lines += _more(evidence)
    else:
        return "\n".join(lines + [opening(evidence), ""] + both_sides(evidence)
                         + options_and_fit(evidence)).rstrip() + "\n"
    return "\n".join(lines + _other_way(evidence, lines)).rstrip() + "\n"


def _other_way(evidence: Evidence, lines: list[str]) -> list[str]:
    """A line for each thread the answer's `lines` cite that discusses a move the other way from
    the one asked (`Evidence.other_way`): "_“UX designer … into product” is about a move the other
    way, from design to PM._" (`both_sides` says it under the thread's heading)."""
    cited = set(citations("\n".join(lines)))
    quoted = {s.thread_title for s in evidence.sources if s.n in cited}
    return [f"_“{escape_markdown(title)}” is about a move the other way, {move}._\n"
            for title, move in evidence.other_way if title in quoted]


def lead_line(evidence: Evidence) -> str:
    """What an answer to the turn `evidence` was gathered for opens with, whoever writes the
    rest: for a follow-up that moves the topic, the bridge line and a blank line ("That moves us
    from hard skills to startups.\n\n"); "" for any other turn."""
    reading = evidence.reading
    if reading is None or not reading.moved or not reading.follow_up or not evidence.perspectives:
        return ""
    return _bridge(evidence) + "\n\n"


def _bridge(evidence: Evidence) -> str:
    """One line from the topic before to this one, naming each only when it has a name
    (`follow_up.topic_name`): "That moves us from hard skills to startups.", "That moves us on
    to startups.", "That moves us on from hard skills.", "That moves us to a new question."."""
    reading = evidence.reading
    before, now = escape_markdown(reading.previous_topic), escape_markdown(reading.topic)
    if before and now.casefold() == before.casefold():
        return f"Staying with {now}, but on a new question:"
    if before and now:
        return f"That moves us from {before} to {now}."
    if now:
        return f"That moves us on to {now}."
    if before:
        return f"That moves us on from {before}."
    return "That moves us to a new question."


def _sides(evidence: Evidence, reason: str) -> list[tuple[int, str]]:
    """The perspectives to speak of, with how to name each: every view of the best thread, then
    the views of a second thread that hold a point of `reason` (named with their thread)."""
    first = evidence.perspectives[0].thread_title
    out = []
    for i, perspective in enumerate(evidence.perspectives):
        label = view_name(perspective)
        if perspective.thread_title == first:
            out.append((i, label))
        elif _points(evidence, reason, i):
            out.append((i, f"{label} (in “{escape_markdown(perspective.thread_title)}”)"))
    return out


def _cited_name(perspective: Perspective) -> str:
    """A view's name with the citation of its first quote (an unlabelled one's name has it)."""
    name = view_name(perspective)
    return f"{name} [{perspective.quotes[0].n}]" if perspective.label and perspective.quotes else name


def _points(evidence: Evidence, reason: str, side: int | None) -> list[Point]:
    return [p for p in evidence.points if p.reason == reason and p.side == side]


def _quote(point: Point) -> str:
    return f"> “{escape_markdown(point.sentence)}” [{point.n}]"


def _asked(evidence: Evidence) -> str:
    """What the question asks about among the person's goals and constraints, in their words
    (“less risky”, “the pay cut”), or "" (`follow_up.Reading.asks`)."""
    return and_join([f"“{escape_markdown(words)}”" for _, words in evidence.reading.asks]) \
        if evidence.reading.asks else ""


def _recommendation(evidence: Evidence) -> list[str]:
    reading = evidence.reading
    about = reading.situation.describe()
    asked = _asked(evidence)
    subject = asked or "your situation"  # what the quotes below speak to
    sides = _sides(evidence, "situation")
    if not (any(_points(evidence, "situation", i) for i, _ in sides) or _points(evidence, "situation", None)
            or any(p.reason == "advice" for p in evidence.points)):
        return _nothing_fits(evidence, about, [i for i, _ in sides])
    on = f" on {asked}" if asked else ""
    lines = [f"In your position ({escape_markdown(about)}), here is how the two sides weigh up{on}, "
             "from the posts that speak to it." if about else
             f"You haven't told me much about your situation yet, so here is what each side says{on}, in their "
             "words." if asked else
             "You haven't told me much about your situation yet, so here is what each side would "
             "have you do, in their words.", ""]
    fit: dict[int, float] = {}
    silent = [i for i, _ in sides if not _points(evidence, "situation", i)]
    together = len(silent) == len(sides) > 1  # then said once, not side after side
    if together:
        lines += [f"**Neither side** ({and_join([_cited_name(evidence.perspectives[i]) for i in silent])}) "
                  f"speaks to {subject} directly.", ""]
    for i, name in sides:
        mine = _points(evidence, "situation", i)
        fit[i] = sum(point.score for point in mine)
        if mine:
            lines += [f"**For {name}**", ""] + [line for point in mine for line in (_quote(point), "")]
        elif not together:  # its case was quoted when the topic came up
            lines += [f"**For {_cited_name(evidence.perspectives[i])}:** nothing on this side speaks to "
                      f"{subject} directly.", ""]
    for point in _points(evidence, "situation", None):  # from a discussion nearer their situation
        lines += [f"**Closer to your situation**, in “{escape_markdown(point.about)}”:", "", _quote(point), ""]
    advice = [p for p in evidence.points if p.reason == "advice"]
    if advice:
        lines += [f"**The advice closest to your position:** “{escape_markdown(advice[0].sentence)}” "
                  f"[{advice[0].n}]", ""]
    lines += options_and_fit(evidence)
    lines += [_lean(evidence, fit), ""]
    return lines


def _main_discussion(evidence: Evidence, fit: dict[int, float]) -> dict[int, float]:
    """`fit` of the sides of the topic's own discussion (the first): a side of a second, looser
    one is no side of the person's dilemma. A trial's "passed over for promotion ... switch
    teams?" leaned to a remote-work thread's side because one of its posts named their seniority,
    though neither side of the promotion thread spoke to them (2026-11-30)."""
    first = evidence.perspectives[0].thread_title
    return {i: score for i, score in fit.items() if evidence.perspectives[i].thread_title == first}


def _nothing_fits(evidence: Evidence, about: str, sides: list[int]) -> list[str]:
    """The recommendation when no post speaks to the person's situation: the sides named and
    cited (quoted when the topic came up), not quoted again, and what to tell mentor: only what
    situation.py reads and points.py weighs (what limits them, what they want, the two options),
    and not what they have told already."""
    named = [_cited_name(evidence.perspectives[i]) for i in sides]
    listed = and_join(named)
    said = evidence.reading.situation
    asked = _asked(evidence)
    untold = ([] if said.constraints else ["what limits you (time, money, family, where you live)"]) + (
        [] if said.goals else [f"what you want from your next step ({', '.join(goal_examples()[:3])})"])
    options = "" if said.weighing else " or the two options you are weighing"  # not the ones they named
    ask = ("" if asked  # they asked about something: nothing to add for it
           else "tell me your role, years, industry, what limits you or what you want from your next step, and "
           "I'll weigh them against it" if not about
           else f"tell me {', '.join(untold)}{options}, and I'll look again" if untold
           else "tell me the two options you are weighing (\u201cshould I A or B?\u201d), and I'll "
           "say what the posts mean for each" if options else "")
    subject = asked or "your situation"
    head = (f"In your position ({escape_markdown(about)}), nothing in these discussions speaks to {subject} "
            "directly" if about else f"Nothing in these discussions speaks to {asked} directly" if asked
            else "You haven't told me much about your situation yet")
    weigh = f" To weigh them for you, {ask}." if ask else (
        " What they say of each of your options is below." if any(p.reason == "option" for p in evidence.points)
        else "")
    # a thread of several opinions has no sides: the answer said it would not invent two camps
    quoted = ("the discussion's sides" if all(evidence.perspectives[i].shape == TWO_CAMPS for i in sides)
              else "the opinions quoted")
    return [f"{head}: {quoted}, {listed}, argue the general case.{weigh}", ""] + options_and_fit(evidence)


def _lean(evidence: Evidence, fit: dict[int, float]) -> str:
    """Which side what speaks to the person's situation leans to (by the summed scores of its
    quotes, one side at least `LEAN` times the other), or that it does not. Only called when
    something speaks to the situation (else `_nothing_fits`)."""
    if not evidence.reading.situation:
        return ("**On balance:** tell me your role, years, industry, what limits you or what you want from "
                "your next step, and I'll weigh the two sides against it.")
    asked = _asked(evidence)
    main = _main_discussion(evidence, fit)
    if any(fit.values()) and not any(main.values()):  # only another discussion's side speaks to it
        return (f"**On balance:** neither side of “{escape_markdown(evidence.perspectives[0].thread_title)}” "
                f"turns on {asked or 'a situation like yours'}; what speaks to it above comes from another "
                "discussion, so weigh it as a view from elsewhere, not as a verdict on your question.")
    fit = main
    if not fit or not any(fit.values()):  # then advice or a post beside the sides speaks to it
        return (f"**On balance:** neither side's case turns on {asked or 'a situation like yours'}; the advice "
                "quoted above comes nearest to it.")
    subject = asked or "your situation"
    ordered = sorted(fit.items(), key=lambda item: -item[1])
    (best, most), rest = ordered[0], ordered[1:]
    other = rest[0][1] if rest else 0.0
    if most < LEAN * other:
        return (f"**On balance:** both sides speak to {subject} about equally; it comes down to which "
                "of the quoted reasons weighs more for you.")
    # the option whose sentence (under "Your options") is that side's: what the lean means for them
    options = [p for p in evidence.points if p.reason == "option" and p.side == best]
    of = f", the side of “{escape_markdown(options[0].about)}” [{options[0].n}]" if len(options) == 1 else ""
    return f"**On balance:** what speaks to {subject} leans to {view_name(evidence.perspectives[best])}{of}."


def _how_to(evidence: Evidence) -> list[str]:
    reading = evidence.reading
    budget = reading.situation.hours_per_week
    fitted = f", with about {budget:.2g} hours a week in mind" if budget is not None else ""
    steps = [p for p in evidence.points if p.reason == "step"]
    if not steps:  # the views were quoted in full when the topic came up: named here, not repeated
        named = [_cited_name(evidence.perspectives[i]) for i, _ in _sides(evidence, "step")]
        listed = and_join(named)
        return [f"Nobody in this discussion laid out concrete steps. The closest are its views, {listed}: "
                "ask me about one of them and I'll look for what people said on it.", ""]
    titles = list(dict.fromkeys(f"“{escape_markdown(source.thread_title)}”" for p in steps
                                if (source := evidence.source(p.n)) is not None)) or discussion_titles(evidence)[:1]
    where = and_join(titles)
    lines = [f"Here is how people in {where} said to start{fitted}.", ""]
    first = evidence.perspectives[0].thread_title
    # the topic's discussion has two sides and gave steps (a second discussion's steps beside them
    # left its other side unnamed: a trial's, 2026-11-30)
    two_sides = sum(perspective.thread_title == first for perspective in evidence.perspectives) == 2 \
        and f"“{escape_markdown(first)}”" in titles
    for i, name in _sides(evidence, "step"):
        mine = _points(evidence, "step", i)
        if mine:
            lines += [f"**If you lean to {name}**", ""]
            lines += [f"{k}. “{escape_markdown(p.sentence)}” [{p.n}]" for k, p in enumerate(mine, 1)] + [""]
        elif two_sides and evidence.perspectives[i].thread_title == first:
            # said, not left out: the side a recommendation just leaned to may be the one without
            # steps, and its steps alone read as advice against it (a trial user's, 2026-11-30)
            lines += [f"**If you lean to {_cited_name(evidence.perspectives[i])}:** nobody on that side laid "
                      "out concrete steps in this discussion.", ""]
    others = _points(evidence, "step", None)
    if others:
        lines += ["**Also suggested**", ""]
        lines += [f"- “{escape_markdown(p.sentence)}” [{p.n}]" for p in others] + [""]
    small = sorted((p for p in steps if fits_small_budget(p.sentence)),
                   key=lambda p: (-fits_small_budget(p.sentence), -p.score))
    if budget is not None and small:
        opening_words = " ".join(small[0].sentence.split()[:FIT_WORDS])
        lines += [f"**What fits about {budget:.2g} hours a week best:** the step that starts "
                  f"“{escape_markdown(opening_words)} …” [{small[0].n}]", ""]
    elif budget is not None:
        lines += [f"None of these was sized for about {budget:.2g} hours a week: expect each to take "
                  "longer than the people who gave it say.", ""]
    return lines


def _more(evidence: Evidence) -> list[str]:
    """More on the discussion: per side, and from people in neither view, the sentences of posts
    the conversation has not shown yet (`in_context.choose`); when none speaks to it, says so
    rather than quoting the same posts again."""
    fresh = [p for p in evidence.points if p.reason == "focus"]
    if not fresh:
        return [_nothing_more(evidence), ""]
    lines = [_unspoken(evidence, fresh) + "Here is more of what people said on it, beyond what I've quoted so far.", ""]
    sides = _sides(evidence, "focus")
    for title in dict.fromkeys(p.thread_title for p in evidence.perspectives):  # the topic's discussion first
        for i, name in sides:  # a sentence that states the view's label, its heading, is not new
            label = evidence.perspectives[i].label
            mine = [p for p in _points(evidence, "focus", i) if not states_label(label, p.sentence)]
            if mine and evidence.perspectives[i].thread_title == title:
                lines += [f"**{name}**", ""] + [line for point in mine for line in (_quote(point), "")]
        others = [p for p in _points(evidence, "focus", None)  # people in neither view
                  if (source := evidence.source(p.n)) is not None and source.thread_title == title]
        if others:
            lines += [f"**Others in “{escape_markdown(title)}”**", ""]
            lines += [line for point in others for line in (_quote(point), "")]
    if evidence.common_ground is not None:
        ground = evidence.common_ground
        lines += [f"**Where they meet:** “{escape_markdown(ground.sentence)}” [{ground.n}]", ""]
    return lines


def _unspoken(evidence: Evidence, fresh: list[Point]) -> str:
    """"No post here speaks of “scholarship”. " when none of the follow-up's own words (its
    focus: "scholarship" in "what if I get a scholarship?") is in a sentence quoted for it; ""
    otherwise. A trial's answer quoted more on the MBA as if it spoke to the scholarship
    (2026-12-01)."""
    focus = evidence.reading.focus if evidence.reading is not None else ""
    own = set(terms(focus))
    if not own or any(own & set(terms(point.sentence)) for point in fresh):
        return ""
    return f"No post here speaks of “{escape_markdown(focus)}”. "


def _nothing_more(evidence: Evidence) -> str:
    """The honest answer when the discussions in play hold nothing more on the question."""
    titles = discussion_titles(evidence)
    where = " and ".join(titles)
    holds = "holds" if len(titles) == 1 else "hold"
    return (f"I've already quoted what {where} {holds} on this; there is nothing more in "
            f"{'it' if len(titles) == 1 else 'them'} that I haven't shown you. You could ask what I'd do in your "
            "position, how to start, or about one of the discussions suggested below.")

def compose_small_talk(evidence: Evidence) -> str:
    """mentor's reply to thanks, an acknowledgement, a greeting, a goodbye or a complaint
    (`follow_up.small_talk`): one or two sentences, no quote; in a conversation, thanks and
    acknowledgements name the topic that stays in play."""
    reading = evidence.reading
    group = small_talk(reading.question)
    if group == "farewells":
        return "Goodbye, and good luck with what comes next.\n"
    if group == "complaints":
        return ("Sorry that did not help. Tell me more about your situation (your role, years, what "
                "holds you back) or put the worry another way, and I'll look again.\n")
    if not reading.follow_up:
        facts = reading.situation.describe() if group is None and read_situation(reading.question) else ""
        opener = ("You're welcome." if group == "thanks" else "Hi!" if group == "greetings"
                  else "Sure." if group else f"Noted: {escape_markdown(facts)}." if facts
                  else "Happy to, once I know the worry.")  # "what would you do?" first
        return (f"{opener} Tell me what worries you about your product career (\u201cShould I learn to code?\u201d, "
                "\u201cIs an MBA worth it?\u201d) and I'll show you what practitioners argued about it, "
                "both sides, quoted and cited.\n")
    opener = {"thanks": "You're welcome, glad it helps.", "greetings": "Hi again."}.get(group, "Glad it helps.")
    stay = f"We can stay on {escape_markdown(reading.topic)}" if reading.topic else "We can go on from here"
    return (f"{opener} {stay}: ask why, what I'd do in your position or how to start, "
            "or bring up something new.\n")

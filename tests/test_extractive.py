"""The extractive answer's layout: where each thread's views and their meeting point go."""

from __future__ import annotations

from dataclasses import replace

from mentor.engine.events import Evidence, Perspective, Point, Quote, Source
from mentor.engine.extractive import compose, view_name
from mentor.engine.follow_up import Kind, Reading
from mentor.engine.situation import Situation


def _source(n: int, thread: str, perspective: int | None) -> Source:
    return Source(n=n, thread_id=thread.lower(), thread_title=thread, post_index=n, author=f"P{n}",
                  text=f"Post {n} of {thread}.", url=None, perspective=perspective)


def _evidence(ground_thread: str) -> Evidence:
    sources = (_source(1, "Alpha", 0), _source(2, "Alpha", 1), _source(3, "Beta", 2), _source(4, "Beta", 3),
               _source(5, ground_thread, None))
    views = tuple(Perspective(label=f"Claim number {n} stands here", sources=(n,), quotes=(Quote(n, f"Quote {n}."),),
                              thread_title="Alpha" if n < 3 else "Beta") for n in range(1, 5))
    return Evidence(question="Should I worry?", query="worry", sources=sources, perspectives=views,
                    one_sided=False, common_ground=Quote(5, "Both sides want you to ship."), follow_ups=(),
                    thread_titles=("Alpha", "Beta"))


def test_where_the_views_meet_stands_under_its_own_thread() -> None:
    for ground_thread, before in (("Alpha", "### In “Beta”"), ("Beta", None)):
        text = compose(_evidence(ground_thread))
        meet = text.index("**Where they meet:**")
        beta = text.index("### In “Beta”")
        assert (meet < beta) if before else (meet > beta), (ground_thread, text)
        assert text.count("**Where they meet:**") == 1


def test_an_opinion_without_a_claim_is_shown_by_its_quote() -> None:
    evidence = _evidence("Alpha")
    unlabelled = Perspective(label="", sources=(3,), quotes=(Quote(3, "Ask what to drop."),), thread_title="Beta",
                             shape="several opinions")
    evidence = Evidence(**{**evidence.__dict__, "perspectives": evidence.perspectives[:2] + (unlabelled,)})
    text = compose(evidence)
    assert "- “Ask what to drop.” [3]" in text and "- \n" not in text and "**One opinion in it**" in text


def test_an_opinion_without_a_claim_is_named_by_its_quote() -> None:
    opinion = Perspective(label="", sources=(3,), shape="several opinions",
                          quotes=(Quote(3, "Ask him which feature he wants to drop for this one, every time."),))
    assert view_name(opinion) == "“Ask him which feature he wants to drop …” [3]"
    assert view_name(Perspective(label="Titles are noise", sources=(1,), quotes=())) == "“Titles are noise”"


def test_an_opinion_whose_quote_states_its_claim_is_not_said_twice() -> None:
    evidence = _evidence("Alpha")
    same = Perspective(label="Titles are noise", sources=(3,), shape="several opinions", thread_title="Beta",
                       quotes=(Quote(3, "Titles are noise, and recruiters know it."),))
    other = Perspective(label="Ship something small", sources=(4,), shape="several opinions", thread_title="Beta",
                        quotes=(Quote(4, "Nobody reads a portfolio of slides."),))
    text = compose(Evidence(**{**evidence.__dict__, "perspectives": evidence.perspectives[:2] + (same, other)}))
    assert "- “Titles are noise, and recruiters know it.” [3]" in text and "- Titles are noise\n" not in text
    assert "- Ship something small\n" in text and "  > “Nobody reads a portfolio of slides.” [4]" in text


def test_a_view_whose_quote_opens_with_its_label_is_not_named_twice() -> None:
    evidence = _evidence("Alpha")
    same = Perspective(label="Claim number 1 stands here", sources=(1,), thread_title="Alpha",
                       quotes=(Quote(1, "Claim number 1 stands here, and it stands firm."),))
    text = compose(Evidence(**{**evidence.__dict__, "perspectives": (same,) + evidence.perspectives[1:]}))
    assert "**One view — Claim number 1 stands here** [1]\n" in text  # the label cited, its quote not repeated
    assert "**Another view — Claim number 2 stands here**" in text
    assert text.count("Claim number 1 stands here") == 1


def test_one_opinion_shown_is_not_called_several() -> None:
    alone = Perspective(label="Ask what to drop before you add", sources=(1,), quotes=(Quote(1, "Ask what to drop."),),
                        thread_title="Alpha", shape="several opinions")
    evidence = Evidence(question="Should I worry?", query="worry", sources=(_source(1, "Alpha", 0),),
                        perspectives=(alone,), one_sided=False, common_ground=None, follow_ups=(),
                        thread_titles=("Alpha",))
    text = compose(evidence)
    assert "holds several opinions" not in text and "here is the opinion in it" in text
    assert "**Several opinions**" not in text and "**One opinion in it**" in text
    both = Evidence(**{**evidence.__dict__, "perspectives": (alone, Perspective(**{**alone.__dict__, "sources": (2,)})),
                       "sources": (_source(1, "Alpha", 0), _source(2, "Alpha", 1))})
    assert "holds several opinions" in compose(both)


def test_more_does_not_quote_a_views_label_again_under_it() -> None:
    """"Tell me more" headed a view by its label ("Staff+ engineers shape the roadmap …") and
    quoted under it the sentence the label was taken from, the same words twice (a trial's)."""
    from mentor.engine.events import Point
    from mentor.engine.follow_up import Kind, Reading
    from mentor.engine.turn_answer import compose_follow_up

    evidence = _evidence("Alpha")
    points = (Point(n=1, sentence="Claim number 1 stands here, whatever the title says.", side=0, reason="focus"),
              Point(n=2, sentence="Nobody reads a portfolio of slides.", side=1, reason="focus"))
    more = Evidence(**{**evidence.__dict__, "points": points,
                       "reading": Reading(kind=Kind.MORE, question="tell me more", query="worry", follow_up=True)})
    text = compose_follow_up(more)
    assert "Claim number 1 stands here, whatever" not in text and "“Nobody reads a portfolio of slides.” [2]" in text


def test_on_balance_weighs_only_the_sides_of_the_topics_own_discussion() -> None:
    """A trial's "what would you do?" leaned to a side of a second, looser discussion because one
    of its posts named the person's seniority, while neither side of the topic's own discussion
    spoke to them (2026-11-30): that is no verdict on their question."""
    from mentor.engine.follow_up import Kind, Reading
    from mentor.engine.situation import read_situation
    from mentor.engine.turn_answer import _lean

    told = Reading(kind=Kind.RECOMMENDATION, question="what would you do?", query="worry", follow_up=True,
                   situation=read_situation("I'm a senior PM at a bank"))
    evidence = replace(_evidence("Alpha"), reading=told)
    elsewhere = _lean(evidence, {0: 0.0, 1: 0.0, 2: 3.0, 3: 0.0})
    assert "neither side of “Alpha” turns on a situation like yours" in elsewhere and "leans to" not in elsewhere
    assert "leans to “Claim number 2 stands here”" in _lean(evidence, {0: 0.0, 1: 2.0, 2: 9.0, 3: 0.0})


def test_an_option_nothing_speaks_to_is_named_as_such_in_the_persons_order() -> None:
    """A trial's "learn a maker skill or double down on alignment?" listed only the option a post
    spoke to (after its misread support for the other was gone): the person could not tell it
    was weighed and found unsaid."""
    reading = Reading(kind=Kind.BOTH_SIDES, question="Learn a quorl skill or double down on alignment?", query="",
                      situation=Situation(weighing=("learn a quorl skill", "double down on alignment")))
    evidence = replace(_evidence("Alpha"), reading=reading,
                       points=(Point(3, "Alignment is what they promote on.", 1, "option", "double down on alignment"),))
    text = compose(evidence)
    unsaid = text.index("- **Learn a quorl skill:** no post here speaks to it in so many words.")
    assert unsaid < text.index("- **Double down on alignment:** “Alignment is what they promote on.” [3]")
    # With nothing speaking to either, both are named in one line, not left out (a trial's
    # "push for it now or wait until after maternity leave?" got no word on either).
    assert ("**Your options:** no post here speaks to “learn a quorl skill” or “double down on alignment” "
            "in so many words.") in compose(replace(evidence, points=()))

"""Career moves: which way a question and a thread move between roles, and what the engine does
when a discussion goes the other way from the move asked about."""

from __future__ import annotations

import pytest

from mentor.analysis import analyse
from mentor.analysis.model import Move, ThreadAnalysis
from mentor.analysis.moves import (
    asked_in_full, career_move, goes_against, move_words, names_the_move, on_the_move, roles_named)
from mentor.corpus.model import Post, Thread
from mentor.engine.conversation import Conversation
from mentor.engine.engine import Engine
from mentor.engine.events import AnswerDone
from mentor.llm.prompt import turn_message

from tests.conftest import Cli


@pytest.mark.parametrize(("text", "source", "target"), [
    ("Should I leave product management and go back to being a UX designer?", "PM", "design"),
    ("I'm a PM and I miss design. Should I switch back to UX?", "PM", "design"),
    ("Thinking of quitting PM to become a data analyst again", "PM", "data"),
    ("Should I go back to software engineering after three years as a PM?", "PM", "engineering"),
    ("I'm a product manager and I want to be a developer again", "PM", "engineering"),
    ("Is it crazy to leave PM for consulting?", "PM", "consulting"),
    ("should I move from PM to engineering manager?", "PM", "engineering management"),
    ("I'm a UX designer, should I move into product management?", "design", "PM"),
    ("Senior backend engineer, 9 years in: is switching to PM a mistake?", "engineering", "PM"),
    ("Backend developer to PM in my 30s", "engineering", "PM"),
    ("How do I break into product management?", None, "PM"),
    ("Should I quit PM?", "PM", None),
    ("Should I quit my PM job to start a company?", "PM", "founder"),
    ("Should I leave PM to work in sales?", "PM", "sales"),
    ("Should I leave product management for a job in sales?", "PM", "sales"),
    ("quit PM for a career in teaching", "PM", "teaching"),
    ("I work in sales and want to become a PM", "sales", "PM"),
    # a move made already: turned round when the text goes back, as it is otherwise
    ("I moved from engineering to PM. Should I move back?", "PM", "engineering"),
    ("I left engineering for PM 3 years ago and regret it", "PM", "engineering"),
    ("I went from PM to engineering last year and hate it. Should I go back to product?", "engineering", "PM"),
    ("Engineer turned PM, how do I go back?", "PM", "engineering"),
    ("Went from dev to PM, now want to return to coding", "PM", "engineering"),
    ("Designers who became PMs: was it worth it?", "design", "PM"),
    ("I used to be a data scientist, should I return to it?", None, "data"),
    ("Has anyone gone back to engineering after PM?", "PM", "engineering"),
    ("should I stop being a PM?", "PM", None),
    # the role kept is where the move would start (a trial's "stay a developer" was read as a
    # PM's move, and an engineer-to-PM thread called "a move the other way")
    ("Should I stay a developer rather than become an engineering manager?", "engineering",
     "engineering management"),
    ("Is it better to stay in product or go back to engineering?", "PM", "engineering"),
    ("I've been in marketing for 6 years and want to move into product management", "marketing", "PM"),
])
def test_a_move_is_read_from_the_cue_words_before_each_role(text: str, source: str | None, target: str | None) -> None:
    assert career_move(text) == Move(source, target)


@pytest.mark.parametrize("text", [
    "How do I handle pushback from engineering?",               # "from" alone is no move
    "Would my stakeholders rather talk to the engineers than to me?",
    "I used to be a developer and now I'm a PM. Should I weigh in on architecture?",  # a past, no worry
    "Is this just what being a PM means?",                       # "being" is no "be"
    "How do I become a senior PM?",                              # a step up, not a move
    "I'm a PM for a design tool, how do I prioritize?",          # "for" joins only after leaving
    "My engineers think I'm useless",
])
def test_a_role_merely_named_is_no_move(text: str) -> None:
    assert career_move(text) is None


def test_the_move_the_other_way_goes_where_the_asker_leaves_or_leaves_where_they_go() -> None:
    leave_for_design = Move("PM", "design")
    assert goes_against(leave_for_design, Move("design", "PM"))
    assert goes_against(leave_for_design, Move("teaching", "PM"))        # into what they leave
    assert goes_against(Move(None, "PM"), Move("PM", "engineering"))     # out of where they go
    assert not goes_against(leave_for_design, Move("PM", None))          # leaving PM: the same way
    assert not goes_against(Move("engineering", "PM"), Move("design", "PM"))
    assert goes_against(Move(None, "design"), Move("design", "PM")), "a question naming only where it goes starts from PM"


def test_a_thread_is_on_the_move_by_its_own_move_or_by_naming_where_the_asker_goes() -> None:
    asked = Move("PM", "engineering")
    assert on_the_move(asked, Move("PM", None), ())
    assert not on_the_move(Move("PM", "consulting"), Move("PM", "engineering"), ()), "another move"
    assert on_the_move(asked, None, ("engineering", "PM"))
    assert not on_the_move(asked, Move("engineering", "PM"), ("engineering", "PM"))
    assert not on_the_move(asked, None, ("PM",))


def test_move_words_and_roles_named() -> None:
    assert move_words(Move("design", "PM")) == "from design to PM"
    assert move_words(Move(None, "PM")) == "into PM"
    assert move_words(Move("PM", None)) == "out of PM"
    assert roles_named("Ex-developer, three years as a PM: I want to write code again") == ("engineering", "PM")


def test_the_analysis_stores_the_move_of_the_title_not_of_the_opening_story() -> None:
    thread = Thread(id="t", title="Analyst for 4 years, thinking of moving into product", posts=(
        Post(1, "asker", "I moved from support to analytics two years ago. Now I want product."),
        Post(2, "b", "Do it: analysts who own a metric make strong PMs."),
        Post(3, "c", "Stay: the analyst ladder pays as well and you keep the craft."),
    ))
    analysis = analyse(thread)
    assert analysis.move == Move("data", "PM")
    assert analysis.roles == ("data", "PM")
    assert ThreadAnalysis.from_json(analysis.to_json()) == analysis
    story = Thread(id="s", title="Career advice", posts=(
        Post(1, "a", "I moved from engineering to PM last year. Has anyone gone back to engineering after PM?"),
        Post(2, "b", "I did, and the product years made me a better engineer."),
    ))
    assert analyse(story).move == Move("PM", "engineering"), "its question, not its story"
    told = Thread(id="u", title="Career advice", posts=(Post(1, "a", "I moved from engineering to PM last year."),))
    assert analyse(told).move is None
    hoping = Thread(id="h", title="Career advice", posts=(
        Post(1, "a", "Six months out of work. Will I ever get back into product?"),))
    assert analyse(hoping).move is None, "where it goes alone, from an opening's question, is too little"
    # the title says where it goes, the opening where from (a trial's real thread, 2026-12-01: the
    # answer said it was "not about a move from engineering to PM")
    hesitant = Thread(id="v", title="Thinking about moving to PM but a bit hesitant", posts=(
        Post(1, "a", "Two years as a backend developer. I am weighing a move to PM from engineering, "
                     "mostly for the business side."),))
    assert analyse(hesitant).move == Move("engineering", "PM")
    elsewhere = Thread(id="w", title="Thinking about moving to PM", posts=(
        Post(1, "a", "I moved from sales to marketing last year and like it there."),))
    assert analyse(elsewhere).move == Move(None, "PM"), "a move to another role below is not this one's start"


LEAVE_FOR_DESIGN = "Should I leave product management and go back to being a UX designer?"


def test_a_question_on_leaving_pm_opens_with_leaving_pm_not_with_moving_into_it(bundled_engine: Engine) -> None:
    found, retrieval = bundled_engine.find_threads(LEAVE_FOR_DESIGN)
    first = bundled_engine.analysis(found[0][0])
    assert first.move is not None and not goes_against(Move("PM", "design"), first.move)
    into_pm = [hit.thread_id for hit in retrieval.threads[:10]
               if (m := bundled_engine.analysis(bundled_engine.threads[hit.thread_id]).move) and m.target == "PM"]
    assert "ux-designer-to-product-manager" in into_pm, "the discussion the other way stays near, below"


def test_a_discussion_of_the_move_the_other_way_is_said_to_be_one(bundled_engine: Engine) -> None:
    answer = next(e.answer for e in bundled_engine.ask(Conversation(), "I'm a PM thinking of moving into consulting")
                  if isinstance(e, AnswerDone))
    assert answer.evidence.other_way
    title, words = answer.evidence.other_way[0]
    assert words == "from consulting to PM" and title in answer.evidence.thread_titles
    assert "_This discussion is about a move the other way, from consulting to PM._" in answer.text
    plain = next(e.answer for e in bundled_engine.ask(Conversation(), "I'm a strategy consultant, should I move into product?")
                 if isinstance(e, AnswerDone))
    assert not plain.evidence.other_way and "a move the other way" not in plain.text


def test_ask_json_names_the_discussions_the_other_way(cli: Cli) -> None:
    other_way = cli.json("ask", "--json", "I'm a PM thinking of moving into consulting")["other_way"]
    assert [entry["move"] for entry in other_way] == ["from consulting to PM"]


def test_every_answer_of_a_conversation_says_which_discussions_go_the_other_way(bundled_engine: Engine) -> None:
    """A follow-up that quotes a discussion of the move the other way says so too, and `other_way`
    names only discussions the answer cites."""
    conversation = Conversation()
    for question in ("I want to quit product management and become a UX designer", "tell me more",
                     "how do I start?"):
        answer = next(e.answer for e in bundled_engine.ask(conversation, question) if isinstance(e, AnswerDone))
        cited = {s.thread_title for s in answer.sources if s.n in answer.cited}
        assert {title for title, _ in answer.other_way} <= cited
        for title, move in answer.other_way:
            assert f"a move the other way, {move}._" in answer.text, (question, answer.text)
    assert answer.other_way, "the steps come from the designer's move into product, and say so"


def test_a_thread_is_about_the_role_a_move_goes_to_by_its_move_either_way_or_its_title() -> None:
    to_sales = Move("PM", "sales")
    assert names_the_move(to_sales, Move("PM", "sales"), ())
    assert names_the_move(to_sales, Move("sales", "PM"), ()), "the move the other way is about it too"
    assert names_the_move(to_sales, None, ("sales", "PM")), "a title weighing it without a cue word"
    assert not names_the_move(to_sales, Move("PM", None), ("PM",)), "leaving PM for anywhere"
    assert not names_the_move(to_sales, Move("PM", "founder"), ("PM",))
    # A move into PM, which nearly every thread is about: the role it leaves must be named.
    assert not names_the_move(Move("marketing", "PM"), Move("design", "PM"), ("design", "PM"))
    assert names_the_move(Move("marketing", "PM"), Move("marketing", "PM"), ())
    assert names_the_move(Move("design", "PM"), None, ("design", "PM"))
    assert names_the_move(Move(None, "PM"), None, ()), "into PM from anywhere"
    assert names_the_move(Move("PM", None), None, ())
    assert asked_in_full(Move(None, "data")) == Move("PM", "data")


def _answer(engine: Engine, question: str):
    return next(e.answer for e in engine.ask(Conversation(), question) if isinstance(e, AnswerDone))


def test_an_answer_says_when_no_discussion_is_about_the_role_the_move_goes_to(bundled_engine: Engine) -> None:
    """The starter corpus holds no thread on sales as a career: a PM asking about moving into it
    is told the discussions quoted are only the closest; one asking about teaching, which a thread
    weighs (the other way), is not."""
    answer = _answer(bundled_engine, "Should I quit product management and go into sales?")
    assert answer.evidence.move_not_discussed == "from PM to sales"
    assert "about a move from PM to sales:" in answer.text and "closest discussion" in answer.text
    assert all(not names_the_move(Move("PM", "sales"), bundled_engine.analysis(bundled_engine.threads[s.thread_id]).move,
                                  bundled_engine.analysis(bundled_engine.threads[s.thread_id]).roles)
               for s in answer.sources)
    prompt = turn_message(answer.evidence, answer.question, set()).text
    assert "None of these discussions is about the person's move, from PM to sales" in prompt
    teaching = _answer(bundled_engine, "I'm a PM thinking about moving into teaching. Is that crazy?")
    assert teaching.evidence.move_not_discussed == "" and "closest discussion" not in teaching.text
    plain = _answer(bundled_engine, "I have no hard skills to show for my career")
    assert plain.evidence.move_not_discussed == ""


def test_ask_json_says_which_move_no_discussion_is_about(cli: Cli) -> None:
    assert cli.json("ask", "--json", "Should I leave PM to work in sales?")["move_not_discussed"] == "from PM to sales"
    assert cli.json("ask", "--json", "Should I do an MBA?")["move_not_discussed"] is None

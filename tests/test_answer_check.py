"""The checks on a model's answer (mentor.engine.answer_check), on texts written for the test."""

from __future__ import annotations

from mentor.engine.answer_check import (
    answer_problem,
    drift_share,
    earlier_share,
    invented_figures,
    repeated_ngram_share,
    run_together,
)
from mentor.llm.grammar import AnswerShape

PROMPT = "Should I learn SQL? [1] Learn it, waiting three days for an analyst is how roadmaps go wrong."
GOOD = ("Waiting on an analyst slows a roadmap down, so one view says learn SQL yourself [1]. "
        "The other says your time is better spent with customers [2]. Which matters more to you?")


def test_a_plain_cited_answer_passes() -> None:
    assert answer_problem(GOOD, [1, 2], "stop", True, prompt=PROMPT, earlier=()) is None
    assert drift_share("Costs $5 → 10% “more” – fine… [2]", PROMPT) == 0.0


def test_an_answer_that_drifts_into_symbols_or_another_script_is_caught() -> None:
    drifted = GOOD + " 🌱✨❤️♪💡👏🎉🔍📐ｶ＋・スーで"
    assert drift_share(drifted, PROMPT) > 0.03
    assert "drifts into symbols" in answer_problem(drifted, [1, 2], "stop", True, prompt=PROMPT)
    japanese = "SQLを学ぶべきですか？ アナリストを待つのは遅い [1]。"  # a Japanese conversation stays Japanese
    assert drift_share(japanese, japanese) == 0.0 and drift_share(japanese, PROMPT) > 0.5


def test_an_answer_that_repeats_an_earlier_one_is_caught() -> None:
    assert earlier_share(GOOD, [GOOD]) == 1.0 and earlier_share(GOOD, ["Something else entirely."]) == 0.0
    assert "repeats what it said before" in answer_problem(GOOD, [1, 2], "stop", True, earlier=[GOOD])
    assert repeated_ngram_share(GOOD + " " + GOOD) > 0.25


def test_figures_no_post_gives_are_invented() -> None:
    prompt = "[1] We waited 6 months and shipped to 1,200 customers; PMs make about 85% of SWE pay."
    assert invented_figures("PMs make 85% of it [1]. It took 6 months for 1200 users.", prompt) == []
    assert invented_figures("20% of all employees use it [1]; 45% need training.", prompt) == ["20", "45"]
    assert invented_figures("1. Ship it [1].\n2. Measure it [1].", prompt) == []  # list marks, citations
    assert answer_problem("Around 20% use AI tools [1].", [1], "stop", True, prompt=prompt) is not None


def test_a_number_written_as_one_sign_is_a_figure_too() -> None:
    assert invented_figures("The answer is ⅛ of the team [1].", PROMPT) == ["⅛"]
    assert invented_figures("Costs rise fast², they say [1].", PROMPT) == []  # a mark after a word


def test_the_grammar_writes_figures_only_as_the_prompt_gives_them() -> None:
    grammar = AnswerShape.of([[1], [2]], figures=["85", "1,200", "B2B"]).grammar()
    assert 'figure ::= "85" | "1,200"' in grammar and "B2B" not in grammar  # a figure is digits only
    assert "0-9" in grammar and "0-9" in AnswerShape.of([[1]]).grammar()  # no digit otherwise
    assert "\\u2150-\\u218B" in grammar  # nor a number sign such as "⅛"


def test_words_run_together_are_caught() -> None:
    assert run_together("Learn SQL, then build a dashboard (for your team); it helps [1].") == 0
    assert run_together("Costs rose to $1,200 a year, see the PM(s) notes [1].") == 0
    garbled = GOOD + " So what then,if,you are,stuck(and),sofinally?"
    assert run_together(garbled) >= 2
    assert "runs words together" in answer_problem(garbled, [1, 2], "stop", True, prompt=PROMPT)


def test_a_run_of_symbols_is_drift_however_long_the_answer() -> None:
    words = ("Hard skills matter less than people think when you lead a team [1]. Relationships with "
             "engineers carry most of the weight in a product role [1]. Still, one skill you can show on "
             "a whiteboard helps in interviews [1]. Start with the one your company needs most this year.")
    assert answer_problem(words, [1], "stop", True, prompt="posts in English") is None
    tail = words + "Then 😉❤️✨♪️🌱💬👩📐🔍🗳🚀?"
    assert answer_problem(tail, [1], "stop", True, prompt="posts in English") is not None

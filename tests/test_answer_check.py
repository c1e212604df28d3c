"""The checks on a model's answer (mentor.engine.answer_check), on texts written for the test."""

from __future__ import annotations

from mentor.engine.answer_check import answer_problem, drift_share, earlier_share, repeated_ngram_share

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

"""The checks on a model's answer (mentor.engine.answer_check), on texts written for the test."""

from __future__ import annotations

from mentor.engine.answer_check import (
    answer_problem,
    broken_contractions,
    dangling_citations,
    drift_share,
    earlier_answer_named,
    earlier_sentence_share,
    earlier_share,
    hidden_joins,
    invented_figures,
    invented_spelled_figures,
    longest_sentence,
    misattributed_citations,
    misattributed_figures,
    misstated_plans,
    narration,
    own_past,
    repeated_ngram_share,
    run_together,
    spelled_figures,
    writable_figures,
)
from mentor.llm.grammar import AnswerShape
from mentor.llm.prompt import instructions
from mentor.llm.turn_note import _ABOUT, _ASKS

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
    assert invented_figures("20% of all employees use it [1]; 45% need training.", prompt) == ["20%", "45%"]
    assert invented_figures("1. Ship it [1].\n2. Measure it [1].", prompt) == []  # list marks, citations
    assert answer_problem("Around 20% use AI tools [1].", [1], "stop", True, prompt=prompt) is not None


def test_a_percentage_or_money_counts_only_when_the_prompt_gives_it_so() -> None:
    """A trial user's answer said "20% more than my peers" where the prompt had only a "top-20
    school" and "20 years" (2026-11-29)."""
    prompt = "[1] I went to a top-20 school and have 20 years in banking; my pay rose 15 percent to $160k."
    assert invented_figures("You would earn 20% more than your peers [1].", prompt) == ["20%"]
    assert invented_figures("That is 20 percent more, or $20 a day [1].", prompt) == ["20 percent", "$20"]
    assert invented_figures("After 20 years, top-20, a 15% rise to $160k [1].", prompt) == []
    assert invented_figures("A raise of 160 is not a rise of £160k [1].", prompt) == ["£160k"]
    assert "figures no post gives (“20%”)" in answer_problem("You earn 20% more than your peers [1].", [1], "stop",
                                                           True, prompt=prompt)
    assert writable_figures(prompt) == ["20", "15", "15%", "160", "$160k", "top-20"]


def test_a_number_written_as_one_sign_is_a_figure_too() -> None:
    assert invented_figures("The answer is ⅛ of the team [1].", PROMPT) == ["⅛"]
    assert invented_figures("Costs rise fast², they say [1].", PROMPT) == []  # a mark after a word


def test_a_number_glued_to_letters_is_a_figure_only_as_the_prompt_writes_it() -> None:
    """SmolLM2 wrote "moving away from B2023 market trends" (2026-11-30); a server may not hold
    to the grammar, so the check reads numbers inside words too."""
    prompt = "[1] In 2023 I moved from B2B sales to a 401k provider, an H-1B holder in a top-20 school."
    assert invented_figures("Moving away from B2023 market trends is hard [1].", prompt) == ["B2023"]
    assert invented_figures("Gen2 tools took 3x longer, from the 1st day [1].", prompt) == ["Gen2", "3x", "1st"]
    assert invented_figures("In 2023 you left b2b for a 401k firm, on an H-1B, at a top-20 school [1].", prompt) == []
    assert "figures no post gives (“B2023”)" in answer_problem("We moved from B2023 trends to sales [1].", [1], "stop",
                                                             True, prompt=prompt)
    assert writable_figures(prompt) == ["2023", "20", "B2B", "401k", "H-1B", "top-20"]


def test_the_grammar_writes_figures_only_as_the_prompt_gives_them() -> None:
    grammar = AnswerShape.of([[1], [2]], figures=["85", "1,200", "B2B", "20%", "$160k", 'x" | "9']).grammar()
    assert 'figure ::= "85" | "1,200" | "B2B" | "20%" | "$160k"\n' in grammar  # digits, money, a percentage, a word
    assert "0-9%$£€" in grammar and "0-9%$£€" in AnswerShape.of([[1]]).grammar()  # no digit, % or $ otherwise
    assert "\\u2150-\\u218B" in grammar  # nor a number sign such as "⅛"


def test_words_run_together_are_caught() -> None:
    assert run_together("Learn SQL, then build a dashboard (for your team); it helps [1].") == 0
    assert run_together("Costs rose to $1,200 a year, see the PM(s) notes [1].") == 0
    garbled = GOOD + " So what then,if,you are,stuck(and),sofinally?"
    assert run_together(garbled) >= 2
    assert "runs words together" in answer_problem(garbled, [1, 2], "stop", True, prompt=PROMPT)


def test_words_run_together_by_any_mark_prose_spaces_after_are_caught() -> None:
    """SmolLM2's answers of 2026-11-30: one comma and an ellipsis, a hyphen between two
    contractions, a right-to-left mark between two words."""
    assert run_together("Which one would you take,…If,you'rentleaving?") == 2
    assert run_together("Still, you've-got's…. a choice") == 1
    assert run_together("Ask why?Then wait...listen") == 2
    assert "runs words together" in answer_problem(GOOD + " Which would you take,…If,you'rentleaving?", [1, 2],
                                                   "stop", True, prompt=PROMPT)
    normal = ("E.g., the U.S. teams run CI/CD and A/B tests on 1,000 users; a well-known, can't-miss P&L "
              "and/or R&D line (see the mother-in-law's notes…) “works,” they say. 我想……但是，好")
    assert run_together(normal) == 0
    assert hidden_joins(GOOD.replace("The other", "The\u200bother"), PROMPT) == ["ZERO WIDTH SPACE"]
    assert "runs words together" in answer_problem(GOOD + " Ask\u200fsomething else?", [1, 2], "stop", True,
                                                   prompt=PROMPT)
    persian = "می\u200cخواهم"  # "I want": its zero-width non-joiner is the language's own
    assert hidden_joins(persian, persian) == [] and hidden_joins("Well\u00adknown [1].", PROMPT) == ["SOFT HYPHEN"]


def test_a_run_of_symbols_is_drift_however_long_the_answer() -> None:
    words = ("Hard skills matter less than people think when you lead a team [1]. Relationships with "
             "engineers carry most of the weight in a product role [1]. Still, one skill you can show on "
             "a whiteboard helps in interviews [1]. Start with the one your company needs most this year.")
    assert answer_problem(words, [1], "stop", True, prompt="posts in English") is None
    tail = words + "Then 😉❤️✨♪️🌱💬👩📐🔍🗳🚀?"
    assert answer_problem(tail, [1], "stop", True, prompt="posts in English") is not None


def test_an_answer_that_repeats_mentors_instructions_is_caught() -> None:
    """A trial user was told mentor's note on the turn (2026-11-29); an answer may still quote
    the posts, and say back what the person told mentor about themselves."""
    echo = ("You want to know what I would do. This follow-up asks what you would recommend for them. "
            "Answer it directly from the post [1]. Which one fits you?")
    assert answer_problem(echo, [1], "stop", True, prompt=PROMPT, instructions=instructions()) \
        == "the model's answer repeats mentor's instructions"
    assert "recommendation" in _ASKS and "asks what you would recommend for them" in _ASKS["recommendation"]
    told = "The person has told you about themselves, but they are not telling you everything [1]. Ask?"
    assert answer_problem(told, [1], "stop", True, prompt=PROMPT, instructions=instructions()) \
        == "the model's answer repeats mentor's instructions"  # seven words of a note
    quoting = ("You worry about SQL. One view says waiting three days for an analyst is how roadmaps go wrong [1]. "
               "Learn enough to answer your own questions, then ask a peer to review your first query?")
    assert answer_problem(quoting, [1], "stop", True, prompt=PROMPT, instructions=instructions()) is None
    note = _ABOUT.format(about="a backend engineer of 8 years, with money to think about")
    mirrored = ("As a backend engineer of 8 years, with money to think about, weigh the cost first [1]. "
                "What would a cheaper course give you?")
    assert answer_problem(mirrored, [1], "stop", True, prompt=PROMPT + note, instructions=instructions()) is None


#: An earlier answer of five sentences, for the repeat tests below.
EARLIER = ("You worry that an MBA costs more than your family can spare right now. "
           "One view says the degree opens doors to PM roles at large companies that screen on credentials [1]. "
           "Another says you can move into product from engineering without it if you ship user-facing work [2]. "
           "Start by asking your manager whether an internal move to a product team is possible this year. "
           "What would you give up to pay for two years of school?")


def test_an_answer_that_keeps_most_sentences_of_an_earlier_one_repeats_it() -> None:
    """Reworded around the runs it keeps, three of five sentences hold eight words of the earlier
    answer: few of its 8-grams are earlier ones (a trial user's third answer, 2026-11-29)."""
    reworded = ("So here is my honest take on your situation as it stands today. "
                "Honestly, one view says the degree opens doors to PM roles at large companies, and that matters [1]. "
                "Still, you can move into product from engineering without it if you want, as others did [2]. "
                "In the end, start by asking your manager whether an internal move to a team could work. "
                "What matters most to you and your family right now?")
    assert earlier_share(reworded, [EARLIER]) <= 0.25 and earlier_sentence_share(reworded, [EARLIER]) == 0.6
    assert answer_problem(reworded, [1, 2], "stop", True, earlier=[EARLIER]) \
        == "the model's answer repeats what it said before"


def test_a_follow_up_that_quotes_a_post_again_is_no_repeat() -> None:
    follow_up = ("With two kids and tight money, a two-year programme is hard to justify right now. "
                 "The posts that fit you best say you can move into product from engineering without it [2]. "
                 "Ask to own one user-facing feature on your team this quarter and write its spec yourself. "
                 "Which feature could you take on first?")
    assert 0 < earlier_sentence_share(follow_up, [EARLIER]) <= 0.5
    assert answer_problem(follow_up, [2], "stop", True, earlier=[EARLIER]) is None


def test_an_answer_that_tells_a_past_of_its_own_is_caught() -> None:
    """SmolLM2's answers of 2026-11-30 told of a CEO and a previous role of the model's own; a
    mentor may still say what it would do, and quote a post's own story."""
    story = ("Questioning this question in front of my CEO made me realize what I have been doing for years [1]. "
             "It makes me think back to my previous role where we did some work on data [1].")
    assert own_past(story, PROMPT) == ["made me realize", "I have been doing", "makes me think back",
                                       "my previous role"]
    assert own_past("I'm not a PM, but I've been in the role and have seen changes [1].", PROMPT) == ["I've been in"]
    # a trial's chat (session 17), in two answers
    assert own_past("5 years ago we had a team member who wrote SQL [2].", PROMPT) == ["years ago we"]
    assert own_past("At my last company we had a team member like that [2].", PROMPT) == ["At my last company",
                                                                                      "we had a team member"]
    assert answer_problem(GOOD + " " + story, [1, 2], "stop", True, prompt=PROMPT) == (
        "the model's answer tells of a past of its own that no post tells "
        "(“made me realize”, “I have been doing”, “makes me think back”)")
    mentor = ("If I were you, I would learn SQL first; I'd weigh the cost against your time [1]. "
              "I think the posts disagree, and I found two views in them [2]. If I was you, I'd ask your team?")
    assert own_past(mentor, PROMPT) == [] and answer_problem(mentor, [1, 2], "stop", True, prompt=PROMPT) is None
    post = PROMPT + " [2] In my experience, waiting on analysts made me realize I needed SQL."
    quoting = "One PM says that in my experience, waiting on analysts made me realize I needed SQL [2]."
    assert own_past(quoting, post) == []
    assert own_past("In my experience it pays off, and waiting on analysts taught me that [2].", post) \
        == ["In my experience", "taught me"]  # the post's phrase, not its words after it


def test_an_answer_that_narrates_its_task_instead_of_speaking_to_the_person_is_caught() -> None:
    """SmolLM2's answers in a trial (2026-11-30) spoke of "the person" and of "the sources
    provided" to the person; a mentor speaks to them, and may quote a post that says "the person"."""
    narrated = ("As a mentor, I will help you think about this. Based on the sources provided, one view says "
                "learn SQL [1]. The person's message is about skills [2].")
    assert narration(narrated, PROMPT) == ["As a mentor", "I will help you think", "sources provided", "The person's"]
    assert answer_problem(narrated, [1, 2], "stop", True, prompt=PROMPT) == (
        "the model's answer speaks of its task, not to you (“As a mentor”, “I will help you think”, “sources provided”)")
    assert narration(GOOD, PROMPT) == [] and answer_problem(GOOD, [1, 2], "stop", True, prompt=PROMPT) is None
    post = PROMPT + " [2] In an interview the person has to show what they built."
    assert narration("One post says the person has to show what they built [2].", post) == []
    assert narration("The person has told you about SQL [2].", post) == ["The person has"]
    # SmolLM2 in a trial (2026-12-01), describing its task in the middle of an answer
    task = "Learn SQL [1]. What's the best answer to this question in a multi-round conversation with users."
    assert narration(task, PROMPT) == ["the best answer to this question", "multi-round conversation"]


def test_an_answer_that_speaks_of_an_earlier_answer_it_never_gave_is_caught() -> None:
    first = "As I mentioned earlier, learn SQL; my previous response said so [1]. Which one fits you?"
    assert earlier_answer_named(first, PROMPT, []) == ["As I mentioned earlier", "my previous response"]
    assert "speaks of an earlier answer it never gave (“As I mentioned earlier”" in answer_problem(
        first, [1], "stop", True, prompt=PROMPT)
    assert earlier_answer_named(first, PROMPT, [EARLIER]) == []  # a follow-up may
    assert answer_problem(first, [1], "stop", True, prompt=PROMPT, earlier=[EARLIER]) is None


def test_a_citation_in_place_of_a_claim_is_caught() -> None:
    """SmolLM2 wrote "The other one was about [3]." (2026-11-30)."""
    answer = GOOD.replace("The other says your time is better spent with customers [2].", "The other one was about [2].")
    assert dangling_citations(answer) == ["about [2]"]
    assert answer_problem(answer, [1, 2], "stop", True, prompt=PROMPT) \
        == "the model's answer cites a post in place of saying what it says (“about [2]”)"
    assert dangling_citations("It is the best of both, and one view says so [1][2]. Think of [3] as a guide.") == []
    assert dangling_citations("One view says the cost is worth it, as argued in [1]. Another, according to [2].") == []
    assert dangling_citations("Weigh it against the [1][2]. Or ask them about [3]?") == ["the [1][2]", "about [3]"]
    # a trial's chat (session 17): a determiner left without its noun
    assert dangling_citations("Hire for that when they have no [13]. Learn to say no [3]. Ask when [2].") \
        == ["have no [13]", "when [2]"]
    said = ("Another view was based on [3]. It means our [3]. Or what’s [5]. I'm happy with [5]. One view says it "
            "is what it is [1], as shown by [2]; ask her [1].")
    assert dangling_citations(said) == ["on [3]", "our [3]", "what’s [5]", "with [5]"]


#: The posts of a layoff discussion, as the prompt gives them, for the tests below.
LAYOFF = ("Question: I was just laid off, what first?\n"
          "[1] Take two weeks to rest before you apply anywhere; interviews go badly when you are raw.\n"
          "[3] On day two I wrote to 40 former colleagues and got 11 calls, so start while your network is warm.\n"
          "[4] Ten weeks of severance will not cover a search that takes four months, so start the pipeline now.")


def test_a_number_written_in_words_is_a_figure_too() -> None:
    """SmolLM2 wrote "a list of four hundred employees" beside a post's 40 people (2026-11-30): the
    grammar keeps digits to the prompt's figures, not numbers in words."""
    assert spelled_figures("four hundred, forty-five, a hundred and twenty, two thousand five hundred, "
                           "hundreds of, forty percent, between twenty and thirty") == [
        ("four hundred", 400, ""), ("forty-five", 45, ""), ("a hundred and twenty", 120, ""),
        ("two thousand five hundred", 2500, ""), ("forty percent", 40, "%"), ("twenty", 20, ""), ("thirty", 30, "")]
    assert invented_spelled_figures("You wrote to four hundred colleagues and got twelve calls [3].", LAYOFF) \
        == ["four hundred", "twelve"]
    assert invented_spelled_figures("Write to forty colleagues, as one did, and expect eleven calls [3].", LAYOFF) == []
    # small counts are how prose counts; a percentage counts only as the posts give one
    assert invented_spelled_figures("Rest for two or three weeks, one view says [1].", LAYOFF) == []
    assert invented_spelled_figures("Forty percent of them called back [3].", LAYOFF) == ["Forty percent"]
    assert answer_problem("You wrote to four hundred people, and that is how you start [3].", [3], "stop", True,
                          prompt=LAYOFF) == "the model's answer gives figures no post gives (“four hundred”)"


def test_letters_after_an_apostrophe_that_end_no_contraction_run_words_together() -> None:
    """SmolLM2 ended answers in "I'mnthefirsttodo?" and "You'vent…" (2026-11-30): one glued word
    each, no mark between the words."""
    assert broken_contractions("Maybe I'mnotthefirst? You'vegot this, they'rentready.", PROMPT) == [
        "I'mnotthefirst", "You'vegot", "they'rentready"]
    prose = ("Don't panic: it's normal, you'll be fine, we'd all rest, the teams' goals and O'Brien's "
             "team's plan can wait until five o'clock, y'all.")
    assert broken_contractions(prose, PROMPT) == []
    french = "[1] Je travaille dans l'équipe produit."
    assert broken_contractions("Rejoins l'entreprise [1].", french) == []  # the prompt elides so
    assert answer_problem(GOOD + " What would you do if I'mnotthefirst?", [1, 2], "stop", True, prompt=PROMPT) \
        == "the model's answer runs words together"


def test_a_sentence_past_the_grammars_word_limit_runs_words_together() -> None:
    """The grammar takes up to 30 words a sentence, apart at plain spaces; SmolLM2 reached the
    limit and glued on "…having…I'mnthefirst" (2026-11-30), or joined words with a no-break space."""
    thirty = ("Write down what you want next and what you hated at the last job before you send a single note "
              "so that each call starts from a calm and")  # 29 words
    assert len(thirty.split()) == 29 and longest_sentence(f"{thirty} story. Short one [1].") == (30, 30)
    assert answer_problem(f"Rest first [1]. {thirty} story?", [1], "stop", True, prompt=PROMPT) is None
    glued = f"Rest first [1]. {thirty} story…then?"
    assert longest_sentence(glued) == (31, 30)
    assert answer_problem(glued, [1], "stop", True, prompt=PROMPT) == "the model's answer runs words together"
    spaced = f"Rest first [1]. {thirty} story\u00a0then?"
    assert answer_problem(spaced, [1], "stop", True, prompt=PROMPT) == "the model's answer runs words together"
    # in-word joiners and dashes are prose, not glue: eight words as read and as spaced
    assert longest_sentence("A well-known, can't-miss A/B test—and a P&L line—works [1].") == (8, 8)
    server = f"Rest first [1]. {thirty} story, and then a few more words?"  # a server that does not hold to the grammar
    assert answer_problem(server, [1], "stop", True, prompt=PROMPT) \
        == "the model's answer writes a sentence of 36 words, more than 30"


def test_a_citation_after_an_unfinished_clause_is_caught() -> None:
    """SmolLM2 wrote "could be an opportunity to [1].", "…life-career—they've, [2].", "quite
    demanding, [1].", "what we do today's [1]." (2026-11-30)."""
    assert dangling_citations("Losing a job could be a chance to [1]. It can feel demanding, [3].") \
        == ["to [1]", "demanding, [3]"]
    assert dangling_citations("Rest is part of the plan – [1]. They said so because [3]. What about today's [4]?") \
        == ["– [1]", "because [3]", "today's [4]"]
    # "own" is not listed: "on your own [3]" ends a claim
    assert dangling_citations("One view says rest first; they've, [1]. Do it on your own [3].") == ["they've, [1]"]
    good = ("One view says to rest for two weeks before applying, as argued in [1]. Another says to start now, "
            "according to [3]. A third calls rest \"a luxury\" [4]. Ask what you can afford [1][4]?")
    assert dangling_citations(good) == []
    assert answer_problem("Your layoff could be an opportunity to [1]. Start now [3]. What first?", [1, 3], "stop",
                          True, prompt=LAYOFF) == "the model's answer cites a post in place of saying what it says (“to [1]”)"


def test_a_citation_of_one_posts_words_for_another_post_is_caught() -> None:
    """SmolLM2 wrote post 1's "30-minute session with our staff engineer" and cited post 4
    (2026-11-30). Six words in a row of one post and none of the cited one's is a misattribution."""
    wrong = "Write to 40 former colleagues and got 11 calls, one post says [4]."
    assert misattributed_citations(wrong, LAYOFF) == ["[4] (quotes [3])"]
    assert misattributed_citations(wrong.replace("[4]", "[3]"), LAYOFF) == []
    assert misattributed_citations(wrong.replace("[4]", "[3][4]"), LAYOFF) == []
    assert misattributed_citations("Start the pipeline now, while your network is warm [4].", LAYOFF) == []  # 5 words
    assert answer_problem(f"Move fast. {wrong} What first?", [4], "stop", True, prompt=LAYOFF) \
        == "the model's answer cites a post for another post's words (“[4] (quotes [3])”)"


#: A person who wants to teach, beside posts about a move to research and about teaching.
TEACHING = ("[4] Before I left PM for UX research I ran two studies for a nonprofit.\n"
            "[5] A teacher's salary is a fraction of a senior PM's, and the training takes a year.\n"
            "What the person has told you about themselves: a PM.\n"
            "Question: I'm burned out and want to leave product management for teaching")


def test_an_answer_that_gives_the_person_a_posts_plan_is_caught() -> None:
    """A trial user who said teaching was told of their plan of "leaving product management for
    research", a post's move (2026-11-30)."""
    assert misstated_plans("Your plan of leaving product management for research is a big step.", TEACHING) \
        == ["research"]
    assert misstated_plans("You're thinking of becoming a researcher after six years.", TEACHING) == ["researcher"]
    said = ("You want to leave product management for teaching. You're thinking of becoming a teacher. "
            "One PM left for UX research instead [4]. Your plan for the next two weeks can wait.")
    assert misstated_plans(said, TEACHING) == []
    assert answer_problem("Your plan of leaving product management for research is bold. Rest first [4]. Why?",
                          [4], "stop", True, prompt=TEACHING) \
        == "the model's answer gives you a plan you never named (“research”)"

def test_well_formed_answers_pass_every_check() -> None:
    """Answers as a good model writes them, with figures in words the posts give, quotations of
    the posts they cite, attributions and counts, pass."""
    answers = [
        ("You were laid off and want to know what to do first.\n\n"
         "One view says to take two weeks to rest, because interviews go badly when you are raw [1].\n\n"
         "Another says to write to your former colleagues while your network is warm, as one PM did with "
         "forty of them [3].\n\n"
         "Ten weeks of severance will not cover a four-month search, so a third view says to start now [4].\n\n"
         "Write down your story this week, then send your first ten notes. How long can your savings last?"),
        ("Your worry is where to start after a layoff.\n\n"
         "Resting first is a plan, not laziness, as argued in [1].\n\n"
         "Starting while people remember you pays off: one PM got 11 calls from 40 notes [3].\n\n"
         "List the people who liked your work and write to three of them today. Which of them would answer first?"),
    ]
    for answer in answers:
        assert answer_problem(answer, [1, 3, 4], "stop", True, prompt=LAYOFF) is None, answer


def test_a_figure_cited_to_a_post_that_does_not_give_it_is_caught() -> None:
    """SmolLM2 gave one post's 40% under another post's number, a post arguing the other way (a
    trial, 2026-12-01): the figure is from the posts, so no other check saw it."""
    prompt = ("Question: I have 6 years as a PM. Will AI replace me?\n"
              "[1] In 2022 about 40% of my week went to tickets that AI now drafts.\n"
              "[2] Don't retrain out of a field because of hype; judgment is the job.\n")
    moved = "40% of PM work is already being automated by AI today [2]. Which side fits you?"
    assert misattributed_figures(moved, prompt) == ["40% [2] (post [1]'s)"]
    assert answer_problem(moved, [2], "stop", True, prompt=prompt) == (
        "the model's answer cites a post for another post's figure (“40% [2] (post [1]'s)”)")
    kept = ("About 40% of one PM's week went to tickets AI now drafts [1]. With your 6 years, judgment "
            "is what you sell [2]. Which side fits you?")
    assert misattributed_figures(kept, prompt) == [] and answer_problem(kept, [1, 2], "stop", True, prompt=prompt) is None

"""Follow-ups in their conversation: what the person said, the kind of follow-up, the topic kept
or changed, answers shaped by the kind, in both modes. Real engine and corpus, no stand-ins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mentor.engine.cite import citations
from mentor.engine.conversation import Conversation
from mentor.engine.engine import Engine
from mentor.engine.events import Answer, AnswerDone
from mentor.engine.follow_up import Kind, ask_kind, focus_of, small_talk, topic_name
from mentor.engine.phrases import Phrases, strings
from mentor.engine.points import tells_what_to_do
from mentor.engine.situation import Situation, read_situation, weighing
from mentor.errors import MentorError
from mentor.history.store import HistoryStore
from mentor.llm.discovery import inspect
from mentor.llm.local import LocalModel
from tests.conftest import Cli

#: The conversation of issue 13, as a new user had it.
ISSUE = ("I've been a PM for 6 years at a bank and I feel I have no hard skills. Should I learn to code "
         "or double down on stakeholder skills?",
         "What would you do in my position?",
         "How do I start if I only have 3 hours a week?",
         "What about moving to a startup instead?")
HARD_SKILLS = "hard-skills-gap-after-years-as-pm"
STARTUPS = {"startup-vs-big-tech-pm-growth", "quit-pm-job-to-found-startup", "apm-program-vs-startup-junior-pm"}


def _ask(engine: Engine, conversation: Conversation, question: str, model=None) -> Answer:  # noqa: ANN001
    return next(e.answer for e in engine.ask(conversation, question, model=model) if isinstance(e, AnswerDone))


def _conversation_on(cli: Cli, thread: Path, markdown: str, turns: list[str]) -> list[dict]:
    """`turns` asked (`mentor ask --json`, one conversation) after ingesting `markdown` as `thread`."""
    thread.write_text(markdown, encoding="utf-8")
    assert cli("ingest", str(thread)).exit_code == 0
    result = cli("ask", "--json", "--no-model", input="\n".join(turns) + "\n")
    return [json.loads(line) for line in result.stdout.strip().splitlines()]


# -- reading what the person says -------------------------------------------------------------

def test_a_constraint_said_not_to_hold_is_none() -> None:
    """"no visa issues" was read as a constraint of location and the answer weighed the sides
    for "location to think about" (a trial user's, 2026-11-30)."""
    told = read_situation("I'm 34, 6 years in fintech, making 180k, no visa issues")
    assert (told.age, told.years, told.industry, told.constraints) == (34, 6.0, "fintech", ())
    assert read_situation("I have no kids and the visa is not a problem").constraints == ()
    assert read_situation("I need a visa, and I have no savings").constraints == ("location", "money")


@pytest.mark.parametrize("text, role, years, industry, constraints", [
    # A title is said as the person said it, not as a plain "PM" (a trial's "principal PM" was
    # shown as "a PM of 3 years").
    ("I'm a principal PM at a bank", "principal PM", None, "banking", ()),
    ("I'm a former teacher, now an APM for 8 months", "associate PM", None, None, ()),
    ("As a junior PM, should I learn SQL?", "junior PM", None, None, ()),
    # A forum introduction opens with the role ("Senior PM at ...", "PM here, 4 years").
    ("Senior PM at a fintech startup, 6 years in, thinking of data science", "senior PM", 6.0, "fintech", ()),
    ("PM here, 4 years, should I do an MBA?", "PM", 4.0, None, ()),
    ("Engineers at my company say PMs are useless", None, None, None, ()),
    ("Design or code: which should a PM learn?", None, None, None, ()),
    # A field of work is a role; "in charge of sales" is not.
    ("I work in marketing and have a $500 budget for courses", "marketer", None, None, ("money",)),
    ("I'm in B2B sales and want to be a PM", "salesperson", None, "B2B SaaS", ()),
    ("I'm in charge of sales for a startup", None, None, "startups", ()),
    ("The team budget is frozen", None, None, None, ()),
    ("I can't spend more than 500 dollars on a course", None, None, None, ("money",)),
    # Someone else's place is not where the person works.
    ("My friends in big tech say I should learn SQL. I'm a PM at a bank.", "PM", None, "banking", ()),
    ("I just lost my PM job at a health-tech startup", None, None, "healthcare", ()),
    # "first PM job" told is theirs; asked, a job they may take; "the first engineer I hired" is another's
    ("I'm 29, first PM job, offer is 120k", "PM", None, None, ()),
    ("Should I take a first PM job at an agency?", None, None, "agency work", ()),
    ("The first engineer I hired left", None, None, None, ()),
    # forums' abbreviations: "SWE" (software engineer), "YOE" (years of experience); a trial's
    ("I am a SWE with 2.5 years of experience thinking about moving to PM", "engineer", 2.5, None, ()),
    ("SWE here, 4 YOE, should I move to product?", "engineer", 4.0, None, ()),
])
def test_who_the_person_says_they_are(text: str, role: str | None, years: float | None,
                                      industry: str | None, constraints: tuple[str, ...]) -> None:
    told = read_situation(text)
    assert (told.role, told.years, told.industry, told.constraints) == (role, years, industry, constraints)


def test_the_situation_is_what_the_person_said() -> None:
    said = read_situation(ISSUE[0])
    assert (said.role, said.years, said.industry) == ("PM", 6.0, "banking")
    assert said.weighing == ("learn to code", "double down on stakeholder skills")
    time = read_situation(ISSUE[2])
    assert time.hours_per_week == 3.0 and time.constraints == ("time",) and time.role is None
    assert read_situation("How do I start with 30 minutes a day?").hours_per_week == pytest.approx(3.5, abs=0.01)
    assert read_situation("I have a mortgage and two kids").constraints == ("money", "family")
    # A time ahead is no experience; a place they might go is not where they work.
    assert read_situation("Will AI take my job in five years?").years is None
    assert read_situation("What about moving to a startup instead?").industry is None
    assert read_situation("I'm an agency PM").industry == "agency work"
    assert read_situation("I'm a PM at a 15-person fintech startup").industry == "fintech"
    assert read_situation("I've been a PM for ten years, I'm 41").age == 41
    # A role just before the years is theirs, an industry between them allowed.
    told = read_situation("I'm 29, a data analyst with 4 years, and a toddler at home")
    assert (told.role, told.years, told.age, told.constraints) == ("data analyst", 4.0, 29, ("family",))
    assert (read_situation("I'm a designer in insurance with 7 years").years,
            read_situation("I'm a designer in insurance with 7 years").industry) == (7.0, "insurance")
    assert read_situation("Should I hire an engineer or wait?").role is None
    assert read_situation("I can give it 10 hrs/wk").hours_per_week == 10.0
    assert read_situation("mother of three, we live off my salary, and relocating is hard").constraints == (
        "family", "money", "location")
    assert read_situation("I'm a PM").age is None  # "a" is one, but no age
    assert topic_name("I got an offer as an associate PM straight out of college") != "negotiation"
    together = said.updated(time).updated(read_situation("I have two kids"))
    assert together.years == 6.0 and together.hours_per_week == 3.0 and together.constraints == ("time", "family")
    assert together.describe() == "a PM of 6 years in banking, with about 3 hours a week, with family to think about"
    assert not Situation()


@pytest.mark.parametrize("told, years, age", [
    ("I'm in my mid-30s, a PM", None, 35),
    ("early forties, thinking about an MBA", None, 42),
    ("I'm in my late 20s", None, 28),
    ("I'm in my thirties", None, 35),
    ("I've spent a decade in banking", 10.0, None),
    ("ten years as an engineer", 10.0, None),
    ("I'm a PM, twelve years", 12.0, None),
    ("half a decade in fintech", 5.0, None),
    ("a couple of years as a PM", 2.0, None),
    ("I've been a PM for almost 20 years", 20.0, None),
    ("two decades in tech, now a PM", 20.0, None),
    ("I'm a designer for over a decade", 10.0, None),
    ("I am 34, a backend engineer for 8 years", 8.0, 34),
    # a stretch of time, or someone else's age, is not the person's
    ("Where will I be in five years as a PM?", None, None),
    ("I hired 30 PMs over the last eight years at a bank", None, None),
    ("in the next two decades of AI, will PMs exist?", None, None),
    ("my manager is in her early 40s", None, None),
])
def test_years_and_ages_said_in_words(told: str, years: float | None, age: int | None) -> None:
    said = read_situation(told)
    assert (said.years, said.age) == (years, age), told


def test_an_age_said_as_a_decade_is_shown_as_about_that_age() -> None:
    said = read_situation("I'm in my mid-30s, a decade in banking")
    assert said.age_approximate and said.describe() == "10 years in banking, about 35 years old"
    exact = said.updated(read_situation("I'm 36 and I'm a PM"))
    assert (exact.age, exact.age_approximate) == (36, False) and exact.who() == "a PM of 10 years in banking, 36 years old"


@pytest.mark.parametrize("told, role, industry", [
    ("I am 34, a backend engineer", "engineer", None),
    ("I'm 41 and an analyst in banking", "data analyst", "banking"),
    ("I work for a startup", None, "startups"),
    ("I have been a PM for 6 years at Google", "PM", "big tech"),
    ("I'm a PM at a bank, should I join a startup?", "PM", "banking"),
    # where the person may go is not where they work; the table's own keys are no industry
    ("Is an MBA worth it for a product manager?", None, None),
    ("Should I leave big tech for a startup?", None, None),
    ("I'm thinking of quitting my job for a fintech", None, None),
    # an industry alone among the facts a person lists of themselves (a trial's, session 17)
    ("what would you do in my position? I'm 34, B2B SaaS, 5 years as a PM", "PM", "B2B SaaS"),
    ("I'm 29, fintech.", None, "fintech"),
    ("Should I pick B2B, or B2C, for my first PM job?", "PM", None),
])
def test_a_role_after_an_age_and_an_industry_they_may_move_to(told: str, role: str | None,
                                                              industry: str | None) -> None:
    said = read_situation(told)
    assert (said.role, said.industry) == (role, industry), told


@pytest.mark.parametrize("told, role, years", [
    # the role now, whichever was named first; another role's years are not this one's
    ("Was an engineer for 5 years, now a PM and I feel I'm losing my edge", "PM", None),
    ("I was an engineer for 5 years and now I am a PM", "PM", None),
    ("I'm a PM, was a developer for 5 years before that", "PM", None),
    ("I'm a PM in fintech with 6 years", "PM", 6.0),
    ("I was a PM for 4 years", "PM", 4.0),
])
def test_the_role_now_and_its_own_years(told: str, role: str, years: float | None) -> None:
    said = read_situation(told)
    assert (said.role, said.years) == (role, years), told


@pytest.mark.parametrize("told, goals", [
    ("I want a steadier job", ("stability",)),
    ("my goal is to become a CPO", ("seniority",)),
    ("I'd like more time with my kids", ("family time",)),
    ("I want to earn more", ("pay",)),
    ("I want to go back to coding", ("hands-on work",)),
    ("I need a job that pays more", ("pay",)),
    ("I want more money and more time with my kids", ("pay", "family time")),
    ("I'm a PM of 6 years at a bank and I want to move into leadership", ("seniority",)),
    # wanting to know, to learn or to move somewhere, or asking about a goal, states no goal
    ("I want to know if leadership suits me", ()),
    ("I want to learn coding", ()),
    ("I want to move into product management", ()),
    ("Is a stable job boring?", ()),
    # someone else, or what they give, is not what the person wants
    ("I need management to approve the roadmap", ()),
    ("I need leadership buy-in", ()),
    ("I want my director to promote me", ()),
])
def test_a_goal_the_person_states(told: str, goals: tuple[str, ...]) -> None:
    assert read_situation(told).goals == goals, told


def test_a_goal_is_shown_with_the_other_facts_and_adds_up() -> None:
    said = read_situation("I'm a PM of 6 years at a bank and I want a steadier job")
    assert said.describe() == "a PM of 6 years in banking, wanting a steadier job"
    more = said.updated(read_situation("I'd also like more time with my kids"))
    assert more.goals == ("stability", "family time")
    assert more.describe().startswith("a PM of 6 years in banking, wanting a steadier job and more time for family")
    assert more.to_json()["goals"] == ["stability", "family time"]
    assert read_situation("I want to earn more")  # a goal alone is something to weigh
    # what they want is also what they ask about: only the lead-in is context
    assert focus_of("I want to move into management instead", []) == "management"


def test_options_of_an_either_or() -> None:
    assert weighing("Should I take it or stay a senior IC?") == ("take it", "stay a senior IC")
    assert weighing("What about specialising in one domain instead of staying a generalist?") == (
        "specialising in one domain", "staying a generalist")
    assert weighing("Should I take a remote PM job or go back to the office for my career growth?") == (
        "take a remote PM job", "go back to the office")
    assert weighing("Is a CSPO, Pragmatic or similar product certification worth the money?") == ()
    assert weighing("Is an MBA worth it?") == ()
    # The words left out after a possessive are the first option's (a trial's "Your options"
    # named "The company's" and quoted a post on something else for it).
    assert weighing("Metrics win over customers here. Is that the PM's fault or the company's?") == (
        "the PM's fault", "the company's fault")


def test_the_kind_of_follow_up_and_its_own_words() -> None:
    for question, kind, focus in ((ISSUE[1], Kind.RECOMMENDATION, ""), (ISSUE[2], Kind.HOW_TO, ""),
                                  (ISSUE[3], None, "startup"),
                                  ("Why do researchers feel so strongly about it?", Kind.MORE,
                                   "researchers feel strongly"),
                                  # a plan for the first months asks for steps (a trial's was "tell me more")
                                  ("What would the first 90 days look like?", Kind.HOW_TO, "")):
        found, spans = ask_kind(question)
        assert found == kind, question
        assert focus_of(question, spans) == focus, question


def test_phrases_match_whole_words_numbers_and_apostrophes() -> None:
    phrases = Phrases(["{n} hours a week", "pm", "i'm a"])
    found = phrases.find("I’m a PM (not a pmo) with three hours a week")
    assert [(f.phrase, f.number) for f in found] == [("i'm a", None), ("pm", None), ("{n} hours a week", 3.0)]
    with pytest.raises(MentorError, match="situation.toml.*`roles` must be a list"):
        strings({"roles": "pm"}, "roles", "situation.toml")


def test_a_longer_phrase_that_does_not_end_a_word_gives_way_to_a_shorter_one() -> None:
    phrases = Phrases(["product manager", "product management", "product"])
    found = phrases.find("Product managers, product management and productive products")
    assert [(f.start, f.phrase) for f in found] == [(0, "product"), (18, "product management")]


# -- the issue's conversation ---------------------------------------------------------------

def test_the_issue_conversation_without_a_model(bundled_engine: Engine) -> None:
    conversation = Conversation()
    first, recommend, start, startup = (_ask(bundled_engine, conversation, q) for q in ISSUE)

    assert first.evidence.sources[0].thread_id == HARD_SKILLS
    options = {p.about: p for p in first.evidence.points if p.reason == "option"}
    assert set(options) == {"learn to code", "double down on stakeholder skills"}  # both parts answered
    for point in options.values():
        assert f"[{point.n}]" in first.text and point.sentence in first.evidence.source(point.n).text

    for answer, kind in ((recommend, "recommendation"), (start, "how_to")):
        assert answer.evidence.reading.kind == kind and not answer.evidence.reading.moved
        assert answer.evidence.sources[0].thread_id == HARD_SKILLS  # stays on hard skills
        assert "You asked" not in answer.text and "Practitioners disagree" not in answer.text
        listed = {s.n for s in answer.sources}
        assert answer.cited and set(answer.cited) <= listed
    assert recommend.text.startswith("In your position (a PM of 6 years in banking)")
    assert "**On balance:**" in recommend.text
    # The how-to quotes the plan someone gave, month by month, and keeps the 3 hours in mind.
    assert "with about 3 hours a week in mind" in start.text
    assert "Month 1" in start.text and "Month 2" in start.text and "Month 3" in start.text
    assert all(s.thread_id != "sixty-hour-weeks-burnout" for s in start.evidence.sources)

    reading = startup.evidence.reading
    assert reading.kind == "topic_change" and reading.moved
    assert {s.thread_id for s in startup.evidence.sources} <= STARTUPS
    assert startup.text.startswith("That moves us from hard skills to startups.")
    assert conversation.topic.name == "startups"
    assert conversation.situation.industry == "banking"  # what they said stays


def test_follow_ups_suggest_what_the_conversation_has_not_asked(bundled_engine: Engine) -> None:
    conversation = Conversation()
    first = _ask(bundled_engine, conversation, ISSUE[0])
    assert first.evidence.follow_ups[:2] == ("What would you do in my position?", "How do I start?")
    second = _ask(bundled_engine, conversation, first.evidence.follow_ups[0])
    assert second.evidence.reading.kind == "recommendation"
    assert "What would you do in my position?" not in second.evidence.follow_ups
    assert len(second.evidence.follow_ups) == 3  # discussions near the topic fill the rest


def test_a_title_that_is_not_a_question_is_never_suggested(cli: Cli, tmp_path: Path) -> None:
    """A real thread titled like a URL slug ("noHardSkillsEver") is quoted when it speaks to
    the worry, but not offered as a question to ask next."""
    thread = tmp_path / "slug.md"
    thread.write_text("---\nid: slug-title\ntitle: noHardSkillsEver\n---\n\n## Op\n\nSeven years as a PM and "
                      "no hard skills to show. Worried?\n\n## Ana\n\nBuild one hard skill you can show: SQL or "
                      "financial modelling beats another stakeholder story.\n", encoding="utf-8")
    assert cli("ingest", str(thread)).exit_code == 0
    result = cli("ask", "--json", input="Should I learn SQL as a PM?\nWhat would you do in my position?\n")
    decoder, text, turns = json.JSONDecoder(), result.stdout, []
    while text.strip():
        turn, end = decoder.raw_decode(text.lstrip())
        turns.append(turn)
        text = text.lstrip()[end:]
    assert len(turns) == 2
    for turn in turns:  # the follow-up's suggestions hold two discussions near the topic
        assert "noHardSkillsEver" not in turn["follow_ups"] and len(turn["follow_ups"]) == 3, turn["follow_ups"]


def test_a_resumed_conversation_goes_on_where_it_was(bundled_engine: Engine, tmp_path: Path) -> None:
    store = HistoryStore(tmp_path)
    conversation = Conversation()
    session = None
    for question in ISSUE[:2]:
        _ask(bundled_engine, conversation, question)
        session = session or store.new_session(question)
        store.add_turn(session, conversation.turns[-1], len(conversation.turns) - 1)
    resumed = store.resume(session)
    assert resumed.situation.industry == "banking" and resumed.topic.threads == conversation.topic.threads
    assert resumed.topic.asked == {Kind.BOTH_SIDES, Kind.RECOMMENDATION}
    answer = _ask(bundled_engine, resumed, ISSUE[2])
    assert answer.evidence.reading.kind == "how_to" and answer.evidence.sources[0].thread_id == HARD_SKILLS


def test_the_issue_conversation_with_a_model(bundled_engine: Engine, tiny_model: Path) -> None:
    """The same state goes to the model: its note says who the person is and what this turn asks."""
    model = LocalModel(inspect(tiny_model, "configured"), context=16384)
    conversation = Conversation()
    answers = [_ask(bundled_engine, conversation, q, model) for q in ISSUE]
    assert all(a.mode == "llm" for a in answers)
    prompts = [turn.prompt for turn in conversation.turns]
    assert "They are weighing two options: (1) learn to code; (2) double down on stakeholder skills." in prompts[0]
    assert "a PM of 6 years in banking" in prompts[1] and "asks what you would recommend" in prompts[1]
    assert "about 3 hours a week" in prompts[2] and "asks how to start" in prompts[2]
    assert "moved from hard skills to a new question" in prompts[3]
    assert [a.evidence.sources[0].thread_id for a in answers[1:3]] == [HARD_SKILLS, HARD_SKILLS]
    assert answers[3].evidence.sources[0].thread_id in STARTUPS
    for turn in conversation.turns:  # the model cites what it was given; a fallback, what it shows
        allowed = {s.n for s in turn.answer.sources} if turn.answer.fallback else conversation.given()
        assert set(citations(turn.answer.text)) <= allowed


def test_ask_reads_follow_ups_from_stdin_without_preamble(cli: Cli) -> None:
    result = cli("ask", "--json", input="\n".join(ISSUE) + "\n")
    answers = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [a["turn"]["kind"] for a in answers] == ["both_sides", "recommendation", "how_to", "topic_change"]
    assert answers[0]["answer"].startswith("You asked")
    assert not any(a["answer"].startswith("You asked") for a in answers[1:])
    assert answers[2]["turn"]["situation"]["hours_per_week"] == 3.0
    text = cli("ask", input=f"{ISSUE[0]}\n{ISSUE[1]}\n").stdout
    assert text.count("You might also ask\n- ") == 2


# -- a fresh user's trial: follow-up fixes ----------------------------------------------------

def test_the_situation_reads_as_a_phrase_without_a_role(bundled_engine: Engine) -> None:
    """Years and an industry said without a role read "6 years in healthcare", never "in in"."""
    for said, who in (("I've spent 6 years in healthcare", "6 years in healthcare"),
                      ("3 years in banking, what now?", "3 years in banking"),
                      ("I'm 34 and in banking", "in banking, 34 years old"),
                      ("I've been a PM for 6 years in healthcare", "a PM of 6 years in healthcare")):
        assert read_situation(said).who() == who, said
    conversation = Conversation()
    _ask(bundled_engine, conversation, "Should I specialise in one domain or stay a generalist?")
    answer = _ask(bundled_engine, conversation, "I've spent 6 years in healthcare, what would you do in my position?")
    assert answer.text.startswith("In your position (6 years in healthcare)")
    assert " in in " not in answer.text


def test_thanks_and_greetings_are_small_talk_that_keeps_the_topic(bundled_engine: Engine, tiny_llm) -> None:  # noqa: ANN001
    """"thanks, that helps" gets a short reply with no sources and the topic stays; "hi" as a first
    turn gets no career answer; thanks beside a question is read as the question."""
    assert small_talk("thanks, that helps") == "thanks" and small_talk("Hi there!") == "greetings"
    for question in ("thanks! what about an MBA?", "Great, how do I start?", "Is that good?", "hello, I'm a PM at a bank"):
        assert small_talk(question) is None, question
    assert focus_of("thanks! what about an MBA?", []) == "MBA"

    hello = _ask(bundled_engine, Conversation(), "hi")
    assert hello.evidence.reading.kind == "small_talk" and not hello.evidence.sources and not hello.cited
    assert hello.text.startswith("Hi!") and "You asked" not in hello.text

    conversation = Conversation()
    first = _ask(bundled_engine, conversation, "Is an MBA worth it for a product manager?")
    topic = conversation.topic
    for model in (None, tiny_llm):  # a model is not asked to write a reply to thanks
        thanks = _ask(bundled_engine, conversation, "thanks, that helps", model)
        assert thanks.mode == "extractive" and thanks.evidence.reading.kind == "small_talk"
        assert not thanks.evidence.sources and not thanks.cited and "moves us" not in thanks.text
        assert len(thanks.text.split()) < 40 and topic.name in thanks.text
        assert conversation.topic is topic and thanks.evidence.follow_ups
    why = _ask(bundled_engine, conversation, "why?")
    assert why.evidence.reading.kind == "more" and not why.evidence.reading.moved
    assert {s.thread_id for s in why.evidence.sources} <= {s.thread_id for s in first.evidence.sources}


def test_tell_me_more_brings_posts_not_yet_shown_then_says_there_is_nothing_more(cli: Cli, tmp_path: Path) -> None:
    """Each "tell me more" / "why?" quotes posts the conversation has not shown; when the
    discussion holds no more, the answer says so instead of repeating itself."""
    posts = ["Remote PM roles pay less and promotions go to whoever sits near the VP.",
             "Remote work let me own a roadmap across three timezones, which got me promoted.",
             "Office days matter for junior PMs who still learn by overhearing product decisions.",
             "Remote teams write better specs because every decision has to be written down.",
             "Hybrid setups end up with the worst of both when the leadership team stays in the office.",
             "Visibility comes from shipped outcomes, whether you are remote or sitting in the office."]
    body = "".join(f"\n## Person{i}\n\n{text}\n" for i, text in enumerate(posts, 1))
    answers = _conversation_on(
        cli, tmp_path / "remote.md",
        "---\nid: zyxt-remote-or-office\ntitle: Zyxt remote or office for PM growth\n---\n\n"
        "## Asker\n\nShould a zyxt PM go remote or stay in the office for growth?\n" + body,
        ["Should a zyxt PM go remote or stay in the office?", "tell me more", "why?", "tell me more",
         "tell me more", "tell me more"])
    shown: set[tuple[str, int]] = set()
    exhausted = False
    for answer in answers:
        cited = {(s["thread_id"], s["post_index"]) for s in answer["sources"] if s["n"] in answer["cited"]}
        if answer["turn"]["kind"] == "more":
            assert not cited & shown, answer["answer"]  # nothing shown before is quoted again
            exhausted = exhausted or not cited
            if not cited:
                assert "nothing more" in answer["answer"] and "Zyxt remote or office" in answer["answer"]
        shown |= cited
    assert {index for thread_id, index in shown if thread_id == "zyxt-remote-or-office"} >= {2, 3, 4, 5, 6, 7}
    assert exhausted


def test_steps_addressed_to_someone_in_the_thread_are_not_offered(cli: Cli, tmp_path: Path) -> None:
    """A step that names or addresses one of the thread's people, or points back to what only
    its asker has ("those six screens", "your case"), is no step for the user; one that stands
    alone is."""
    answers = _conversation_on(
        cli, tmp_path / "qorvex.md",
        "---\nid: qorvex-portfolio\ntitle: Qorvex portfolio to land a first PM job\n---\n\n"
        "## Lindqvar\n\nI had six screens for qorvex PM roles and no offers. How do I build a qorvex portfolio?\n\n"
        "## Brannoch\n\nLindqvar, start with a qorvex case study of the feature you shipped last quarter.\n\n"
        "## Ostrava_Kell\n\nAsk for specific qorvex feedback from those six screens before you build anything.\n\n"
        "## Mirelle\n\nWrite one qorvex case study a month: the problem, the decision, the result.\n\n"
        "## Tavish\n\nDo the qorvex math for your case before you spend on a course.\n",
        ["How do I build a qorvex portfolio for PM roles?", "How do I start?"])
    start = answers[1]
    assert start["turn"]["kind"] == "how_to"
    assert "Write one qorvex case study a month" in start["answer"]
    for addressed in ("Lindqvar, start with", "those six screens", "for your case"):
        assert addressed not in start["answer"], addressed


def test_a_recommendation_needs_a_real_match_to_the_situation(cli: Cli, tmp_path: Path) -> None:
    """One shared incidental word or a number ("40-person") is no match to the person's situation,
    a sentence that makes no sense alone is never "the advice closest to your position", and the
    answer does not then say that nothing speaks to it."""
    answers = _conversation_on(
        cli, tmp_path / "zorbel.md",
        "---\nid: zorbel-title\ntitle: Is the zorbel owner title a dead end?\n---\n\n"
        "## Asker\n\nIs the zorbel owner title a dead end for a product career?\n\n"
        "## Vennick\n\nThe zorbel owner title is fine outside US tech and nobody reads much into it.\n\n"
        "## Harrowgate\n\nI did exactly this and I'd do it again.\n\n"
        "## Quillon\n\nI would leave for a 40-person startup, since the zorbel owner title boxed me in for years.\n\n"
        "## Demaris\n\nIf you work in banking, I'd keep the zorbel owner title and learn the regulated domain deeply.\n",
        ["Is the zorbel owner title a dead end?", "I'm at a 40-person place, what would you do in my position?",
         "I've been a PM for 6 years at a bank, what would you do in my position?"])
    incidental, banking = answers[1], answers[2]
    assert incidental["turn"]["kind"] == banking["turn"]["kind"] == "recommendation"
    for answer in (incidental, banking):
        text = answer["answer"]
        assert "“I did exactly this" not in text
        advice = [line for line in text.splitlines() if line.startswith("**The advice closest")]
        assert not any("40-person startup" in line for line in advice), advice
        if advice:
            assert "neither side speaks to your situation" not in text
    assert "“If you work in banking, I'd keep the zorbel owner title" in banking["answer"]


def test_a_move_names_topics_sensibly_or_leaves_the_name_out(bundled_engine: Engine, cli: Cli, tmp_path: Path) -> None:
    """The bridge of a move names the old topic by what the person talked about ("being
    non-technical", not "hard skills"), never by a thread's title: an unnamed topic is left out."""
    conversation = Conversation()
    _ask(bundled_engine, conversation, "I'm non-technical and worried I'll be passed over for the best roles")
    assert conversation.topic.name == "being non-technical"
    mba = _ask(bundled_engine, conversation, "Would an MBA help instead?")
    assert mba.text.startswith("That moves us from being non-technical to an MBA.")

    for name, title, text in (("glimmer", "I feel glimmered at every standup",
                               "Being glimmered at every standup means the glimmer came before you."),
                              ("frobnicate", "Should PMs learn SQL to frobnicate dashboards?",
                               "Learn SQL to frobnicate dashboards yourself; it pays off within a month.")):
        path = tmp_path / f"{name}.md"
        path.write_text(f"---\nid: {name}-thread\ntitle: {title}\n---\n\n## Asker\n\n{title}\n\n"
                        f"## Ondrel\n\n{text}\n\n## Pashka\n\nI disagree: {text.lower()}\n", encoding="utf-8")
        assert cli("ingest", str(path)).exit_code == 0
    answers = [json.loads(line) for line in cli(
        "ask", "--json", "--no-model",
        input="I feel glimmered at every standup, what now?\nWhat about learning SQL to frobnicate dashboards instead?\n"
    ).stdout.strip().splitlines()]
    assert answers[0]["sources"][0]["thread_id"] == "glimmer-thread" and answers[0]["turn"]["topic"] == ""
    moved = answers[1]
    assert moved["turn"]["moved"] and moved["turn"]["topic"] == "SQL"
    assert moved["answer"].startswith("That moves us on to SQL.")


def test_how_to_start_without_steps_names_the_views_instead_of_quoting_them_again(cli: Cli, tmp_path: Path) -> None:
    """A thread whose posts only judge and tell what happened to them holds no step: the answer
    names its views (the starter thread this used to ask holds "Stop applying for platform
    roles ...", an imperative, which is a step)."""
    answers = _conversation_on(
        cli, tmp_path / "vellum.md",
        "---\nid: vellum-thread\ntitle: Are vellum PMs locked out of the best roles?\n---\n\n"
        "## Asker\n\nAre vellum PMs getting locked out of the best roles?\n\n"
        "## Orrin\n\nVellum PMs are locked out of platform roles because every loop has a system design round.\n\n"
        "## Pell\n\n@Orrin, I disagree. Vellum PMs are a huge asset in commerce roles, where the merchandising years count.\n\n"
        "## Quade\n\n+1 Orrin. Vellum PMs got passed over twice on my team because the architects wanted depth.\n",
        ["Are vellum PMs getting locked out of the best roles?", "how do I start?"])
    first, answer = answers[0]["answer"], answers[1]["answer"]
    assert answers[1]["turn"]["kind"] == "how_to"
    assert "laid out concrete steps" in answer
    quoted_before = [line.split("“", 1)[1].split("”", 1)[0] for line in first.splitlines()
                     if line.startswith(("> “", "- “"))]
    assert quoted_before and not any(sentence in answer for sentence in quoted_before)  # named, not quoted again
    cited = citations(answer)
    assert cited and set(cited) <= set(citations(first))


def test_how_to_start_takes_imperatives_and_advice_as_steps_and_no_report_of_a_result(cli: Cli, tmp_path: Path) -> None:
    """An imperative with no step cue ("Share your zendle notes ..."), and advice in other words
    ("the cheaper move is to get ...") are steps; "Got back to about 45 hours within a month"
    reports a result and is none, even for a person with 2 hours a week (a trial user's, 2026-11-30)."""
    answers = _conversation_on(
        cli, tmp_path / "zendle.md",
        "---\nid: zendle-thread\ntitle: My zendle lead rejects every ticket. Escalate or win him over?\n---\n\n"
        "## Asker\n\nMy zendle lead rejects every ticket I write. Should I escalate or win him over?\n\n"
        "## Orrin\n\nWin him over first. Share your zendle notes before you write a single ticket.\n\n"
        "## Pell\n\n@Orrin, hard disagree. Escalating early is part of the zendle job, not a failure. "
        "If the goal is a calm team, the cheaper move is to get decision rights written down this quarter.\n\n"
        "## Quade\n\nI escalated after a zendle standoff of eight months. "
        "Got back to about 45 hours within a month and nothing blew up.\n",
        ["My zendle lead rejects every ticket I write and I have 2 hours a week. Should I escalate?",
         "How do I start?"])
    start = answers[1]
    assert start["turn"]["kind"] == "how_to"
    assert "laid out concrete steps" not in start["answer"]
    assert "Share your zendle notes before you write a single ticket" in start["answer"]
    assert "the cheaper move is to get decision rights written down" in start["answer"]
    assert "Got back to about 45 hours" not in start["answer"]


def test_advice_inside_a_clause_of_another_sentence_is_no_step() -> None:
    assert tells_what_to_do("I'd ask for the zendle title in writing before you accept.")
    assert tells_what_to_do("That answer is exactly why you need to escalate to the zendle lead.")
    assert tells_what_to_do("If I were you I'd ask them to write down what a zendle PM requires.")
    for sentence in ("I could walk through what I shipped and what I'd do differently.",
                     "Concrete plan I'd give you, because zendle advice is useless on its own: one quarter.",
                     "A three-year zendle detour is not a sunk cost you have to keep paying.",
                     "Four years is already the point where I'd move.",
                     "All you have to do is attend zendle meetings."):
        assert not tells_what_to_do(sentence), sentence


def test_how_to_start_names_the_discussions_its_steps_come_from(bundled_engine: Engine) -> None:
    conversation = Conversation()
    _ask(bundled_engine, conversation, ISSUE[0])
    answer = _ask(bundled_engine, conversation, ISSUE[2])
    head = answer.text.split("\n", 1)[0]
    assert head.startswith("Here is how people in ") and "said to start" in head
    cited = {answer.evidence.source(n).thread_title for n in citations(answer.text)}
    named = {title for title in answer.evidence.thread_titles if f"“{title}”" in head}
    assert named == cited


def test_a_first_answer_cites_its_sources_in_reading_order(bundled_engine: Engine) -> None:
    """"Where they meet" came as [12] after [1]-[6], the numbers between going to posts listed
    under a view and not quoted (a trial user's, 2026-11-30)."""
    answer = _ask(bundled_engine, Conversation(), "should I do an MBA?")
    assert "**Where they meet:**" in answer.text
    cited = citations(answer.text)
    assert cited == list(range(1, len(cited) + 1))
    assert max(s.n for s in answer.evidence.sources) > len(cited)  # the posts not quoted come last


def test_facts_after_how_to_start_weigh_the_sides_unless_they_size_the_steps(bundled_engine: Engine) -> None:
    """"I'm 41, the only earner, two kids" after "how do I start?" got the same steps again, the
    facts unused (a trial user's, 2026-11-30); the time they have sizes the steps again."""
    conversation = Conversation()
    _ask(bundled_engine, conversation, "should I do an MBA?")
    assert _ask(bundled_engine, conversation, "how do I start?").evidence.reading.kind is Kind.HOW_TO
    facts = _ask(bundled_engine, conversation, "I'm 41, the only earner, two kids")
    assert facts.evidence.reading.kind is Kind.RECOMMENDATION and facts.text.startswith("In your position (41 years old")
    hours = _ask(bundled_engine, conversation, "I only have 3 hours a week")
    assert hours.evidence.reading.kind is Kind.HOW_TO and "with about 3 hours a week in mind" in hours.text


def test_facts_about_the_person_keep_the_topic(bundled_engine: Engine) -> None:
    conversation = Conversation()
    _ask(bundled_engine, conversation, "Should I do an MBA to become a PM?")
    topic = conversation.topic.name
    told = _ask(bundled_engine, conversation, "I'm 29, a data analyst with 4 years, and a toddler at home")
    assert not told.evidence.reading.moved and conversation.topic.name == topic
    assert told.text.startswith("In your position (a data analyst of 4 years, 29 years old, with family to think about)")


def test_facts_told_with_a_worry_of_another_topic_move_to_it_and_are_kept(bundled_engine: Engine) -> None:
    """A trial (2026-11-30): "I'm burned out after six years as a PM", told after an MBA worry,
    was read as facts alone and answered from the MBA thread "in your position (a PM of 6 years)"."""
    conversation = Conversation()
    _ask(bundled_engine, conversation, "Should I do an MBA?")
    told = _ask(bundled_engine, conversation, "I'm burned out after six years as a PM")
    assert told.evidence.reading.moved and conversation.topic.name == "burnout"
    assert told.evidence.sources[0].thread_title.startswith("Burned out after six years as a PM")
    assert conversation.situation.years == 6.0


@pytest.mark.parametrize("told, role, years", [
    ("I am 31 and have been a QA tester for 5 years at an insurance company", "QA engineer", 5.0),
    ("I'm a nurse turned PM, 2 years, single dad", "PM", 2.0),
    ("I'm a marketing manager, 9 years, in retail", "marketer", 9.0),
    ("Frontend dev, 6y exp, 27yo, 1 kid", "engineer", 6.0),
    ("I'm in my mid-30s, a decade as a backend engineer", "engineer", 10.0),
    ("money is tight and I can't afford two years without salary", None, None),
])
def test_backgrounds_told_in_many_ways_keep_the_topic(bundled_engine: Engine, told: str, role: str | None,
                                                      years: float | None) -> None:
    conversation = Conversation()
    _ask(bundled_engine, conversation, "Should I do an MBA to become a PM?")
    topic = conversation.topic.name
    answer = _ask(bundled_engine, conversation, told)
    assert answer.evidence.reading.kind == "recommendation" and not answer.evidence.reading.moved, told
    assert conversation.topic.name == topic
    assert (conversation.situation.role, conversation.situation.years) == (role, years)


def test_when_nothing_fits_mentor_asks_only_for_what_it_can_weigh(bundled_engine: Engine) -> None:
    conversation = Conversation()
    _ask(bundled_engine, conversation, "I'm burning out as a PM, always on Slack at night")
    told = _ask(bundled_engine, conversation, "I'm 41, 12 years in e-commerce, two small kids, and I can give it "
                                              "maybe 3 hours a week")
    assert "nothing in these discussions speaks to your situation directly" in told.text
    assert "the two options you are weighing" in told.text and "what limits you" not in told.text  # told
    assert "what you want from your next step (a steadier job, more pay" in told.text  # a goal is weighed
    conversation = Conversation()
    _ask(bundled_engine, conversation, "Is product management a dead end after AI?")
    wants = _ask(bundled_engine, conversation, "I want a steadier job")
    assert wants.text.startswith("In your position (wanting a steadier job), nothing in these discussions")
    assert "what you want" not in wants.text and "what limits you" in wants.text  # not asked again


def test_a_stated_goal_is_weighed_against_the_posts(bundled_engine: Engine) -> None:
    from mentor.engine.situation import goal_words

    conversation = Conversation()
    _ask(bundled_engine, conversation, "Should I go back to being an engineer?")
    topic = conversation.topic.name
    told = _ask(bundled_engine, conversation, "I want to go back to coding")
    assert told.evidence.reading.kind == "recommendation" and not told.evidence.reading.moved
    assert conversation.topic.name == topic
    assert told.text.startswith("In your position (wanting hands-on, technical work), here is how the two sides")
    fits = [p for p in told.evidence.points if p.reason == "situation"]
    assert fits and all(goal_words("hands-on work").search(p.sentence) for p in fits)


def test_a_post_meets_the_persons_years_only_as_experience() -> None:
    from mentor.engine.points import _years_said

    assert _years_said(8.0, "After eight years as a PM I went back to code.")
    assert not _years_said(8.0, "I have hired around 30 PMs over the last eight years.")
    assert not _years_said(8.0, "In 8 years the role will look different.")
    assert _years_said(2.5, "At 2.5 YOE you're still doing a lot of pure execution work.")
    assert _years_said(5.0, "I had 5yrs as a dev before product.")


def test_a_money_constraint_meets_the_posts_about_money(bundled_engine: Engine) -> None:
    conversation = Conversation()
    _ask(bundled_engine, conversation, "Should I do an MBA to become a PM?")
    told = _ask(bundled_engine, conversation, "money is tight and I can't afford two years without salary")
    assert "nothing in these discussions speaks to your situation" not in told.text
    assert any(p.reason == "situation" for p in told.evidence.points)


def test_asking_what_mentor_would_do_before_the_worry_asks_for_the_worry(bundled_engine: Engine) -> None:
    conversation = Conversation()
    first = _ask(bundled_engine, conversation, "I'm a PM of 4 years at a bank, what would you do in my position?")
    assert first.evidence.reading.kind == "small_talk" and not first.evidence.sources
    assert "Tell me what worries you" in first.text and conversation.topic is None
    assert (conversation.situation.years, conversation.situation.industry) == (4.0, "banking")  # kept


def test_another_form_of_the_same_option_stays_and_quotes_what_was_not_shown(bundled_engine: Engine) -> None:
    """"what about a part-time MBA instead?" after an MBA answer moved "to a new question" and
    gave the first answer again, word for word (a trial user's, 2026-11-30): it names no other
    discussion, so it stays, and quotes the sentences of the discussion that speak to its own
    words, from posts shown already too, but no sentence quoted before."""
    conversation = Conversation()
    first = _ask(bundled_engine, conversation, "Should I do an MBA?")
    then = _ask(bundled_engine, conversation, "what about a part-time MBA instead?")
    assert then.evidence.reading.kind == "more" and not then.evidence.reading.moved
    quoted_before = {q.sentence for p in first.evidence.perspectives for q in p.quotes}
    quoted_before |= {first.evidence.common_ground.sentence} if first.evidence.common_ground else set()
    assert then.evidence.points and not {p.sentence for p in then.evidence.points} & quoted_before
    assert any("part-time" in p.sentence.casefold() for p in then.evidence.points), then.text


def test_how_to_start_names_the_side_that_gave_no_steps(bundled_engine: Engine) -> None:
    """After facts weighed toward the MBA's side, "how do I start?" quoted only the other side's
    step, which read as advice against the side just leaned to (a trial user's, 2026-11-30): a
    side of the two with no step is named as such."""
    conversation = Conversation()
    _ask(bundled_engine, conversation, "Should I do an MBA?")
    start = _ask(bundled_engine, conversation, "How do I start?")
    assert start.evidence.reading.kind == "how_to"
    stepped = {p.side for p in start.evidence.points if p.reason == "step"}
    bare = [i for i, view in enumerate(start.evidence.perspectives)
            if view.thread_title == start.evidence.perspectives[0].thread_title and i not in stepped]
    assert len(stepped - {None}) == 1 and len(bare) == 1, start.text
    assert start.text.count("nobody on that side laid out concrete steps") == 1, start.text


def test_facts_that_name_a_first_job_are_weighed_not_a_new_topic(bundled_engine: Engine) -> None:
    """"I'm 29, first PM job, offer is 120k" after a negotiation question moved to the
    first-PM-job discussion (a trial user's, 2026-11-30): it tells who they are."""
    conversation = Conversation()
    _ask(bundled_engine, conversation, "I got a PM offer. Should I negotiate or accept it and be grateful?")
    told = _ask(bundled_engine, conversation, "I'm 29, first PM job, offer is 120k")
    assert not told.evidence.reading.moved and told.evidence.reading.kind == "recommendation", told.text


def test_how_to_start_names_the_side_without_steps_when_another_discussion_gave_some(bundled_engine: Engine) -> None:
    """Steps from a second discussion beside the topic's own left the topic's other side unnamed
    (a trial's "passed over for promotion ... switch teams?", 2026-11-30)."""
    conversation = Conversation()
    _ask(bundled_engine, conversation, "I keep getting passed over for promotion because my work on internal "
                                       "tools is invisible. Should I switch teams?")
    start = _ask(bundled_engine, conversation, "how do I start?")
    first = start.evidence.perspectives[0].thread_title
    steps = [p for p in start.evidence.points if p.reason == "step"]
    assert {start.evidence.source(p.n).thread_title for p in steps} - {first}, "steps from another discussion too"
    assert any(start.evidence.source(p.n).thread_title == first for p in steps)
    assert start.text.count("nobody on that side laid out concrete steps") == 1, start.text


def test_words_every_discussion_holds_do_not_make_a_post_speak_to_the_person(bundled_engine: Engine) -> None:
    """"I'm a PM at a 900-person B2B company, I mostly write tickets and run standups" was weighed
    by a sentence sharing "companies" and "mostly" with it, and "what would you do?" right after,
    which no longer had those words, found nothing: the two answers contradicted each other (a
    trial user's, 2026-11-30). Such words are no sign, and the words they used of themselves
    ("write tickets") still count when they ask what mentor would do: the two turns agree."""
    conversation = Conversation()
    _ask(bundled_engine, conversation, "Will AI take my PM job?")
    told = _ask(bundled_engine, conversation, "I'm a PM at a 900-person B2B company, I mostly write tickets and run standups")
    again = _ask(bundled_engine, conversation, "what would you do?")
    fits = [{(p.n, p.sentence) for p in answer.evidence.points if p.reason == "situation"} for answer in (told, again)]
    assert told.evidence.reading.kind == again.evidence.reading.kind == "recommendation"
    assert fits[0] and fits[0] <= fits[1], (told.text, again.text)  # the words they used still count
    assert not any("mostly" in sentence and "ticket" not in sentence for _, sentence in fits[0])
    balance = [next(line for line in answer.text.splitlines() if line.startswith("**On balance:**"))
               for answer in (told, again)]
    assert balance[0] == balance[1]


def test_sides_that_do_not_speak_to_the_situation_are_named_once(bundled_engine: Engine) -> None:
    conversation = Conversation()
    _ask(bundled_engine, conversation, "Should I do an MBA?")
    told = _ask(bundled_engine, conversation, "I'm a PM in healthcare with 5 years")
    assert told.evidence.reading.kind == "recommendation"
    assert told.text.count("**Neither side** (") == 1 and "nothing on this side" not in told.text
    assert "**Closer to your situation**" in told.text  # else the answer would say nothing fits


def test_a_suggested_discussion_taken_opens_it_and_says_nothing_about_the_person(bundled_engine: Engine) -> None:
    conversation = Conversation()
    first = _ask(bundled_engine, conversation, "Should I do an MBA to become a PM?")
    titles = {bundled_engine.threads[t].title: t for t in bundled_engine.threads}
    offered = next(s for s in first.evidence.follow_ups if s in titles and any(c.isdigit() for c in s))
    taken = _ask(bundled_engine, conversation, offered.rstrip("?"))  # typed out without its "?"
    assert taken.evidence.reading.kind == "topic_change" and taken.evidence.reading.moved
    assert taken.evidence.sources[0].thread_id == titles[offered]
    assert conversation.situation == Situation()  # the title's numbers are not the person's


def test_a_suggested_discussion_not_taken_gives_way_to_the_next(bundled_engine: Engine) -> None:
    conversation = Conversation()
    first = _ask(bundled_engine, conversation, ISSUE[0])
    second = _ask(bundled_engine, conversation, ISSUE[1])
    titles = set(bundled_engine.threads[t].title for t in bundled_engine.threads)
    offered, now = [s for s in first.evidence.follow_ups if s in titles], [s for s in second.evidence.follow_ups if s in titles]
    assert offered and now and now[0] not in offered


def test_goodbyes_and_complaints_are_small_talk_with_their_own_reply(bundled_engine: Engine) -> None:
    assert small_talk("bye!") == small_talk("thanks, bye") == small_talk("good night") == "farewells"
    assert small_talk("that is not helpful") == small_talk("that was useless") == "complaints"
    assert small_talk("that helps") == "acknowledgements"
    conversation = Conversation()
    list(bundled_engine.ask(conversation, "I'm burned out as a PM, should I leave?"))
    for question, reply in (("that is not helpful", "Sorry that did not help"), ("bye", "Goodbye")):
        events = list(bundled_engine.ask(conversation, question))
        answer = events[-1].answer
        assert answer.text.startswith(reply) and not answer.evidence.sources, answer.text


AI_WORRY = "I'm terrified that AI agents will make my PM job pointless within two years"
CERTIFICATES = "certifications-cspo-pragmatic-worth-money"


def test_a_follow_up_another_discussion_matches_clearly_better_moves_to_it(bundled_engine: Engine) -> None:
    # A trial user's: the AI discussion's "€3,000 certificate" kept it third for the new words, at
    # 0.40 of the certification thread's score, and the turn quoted AI posts.
    conversation = Conversation()
    _ask(bundled_engine, conversation, AI_WORRY)
    answer = _ask(bundled_engine, conversation, "Is a CSPO certification worth the money?")
    assert answer.evidence.reading.kind == "topic_change" and answer.evidence.reading.moved
    assert conversation.topic.threads[0] == CERTIFICATES
    assert {s.thread_id for s in answer.evidence.sources} == {CERTIFICATES}


def test_the_second_discussion_in_play_that_matches_clearly_better_becomes_the_topic(bundled_engine: Engine) -> None:
    conversation = Conversation()
    _ask(bundled_engine, conversation, "I'm working 60 hour weeks as a PM and I'm exhausted. Is that just the job?")
    _ask(bundled_engine, conversation, "What would you do if you were me? I have a toddler at home.")
    assert "leaving-product-management-altogether" in conversation.topic.threads[1:]
    leave = _ask(bundled_engine, conversation, "And if it doesn't get better, should I leave product management altogether?")
    assert leave.evidence.reading.kind == "topic_change" and leave.evidence.reading.moved
    assert conversation.topic.threads[0] == "leaving-product-management-altogether"


@pytest.mark.parametrize("marker", ["different question: ", "Another thing: ", "on a different note, ",
                                    "unrelated question, ", "New question - "])
def test_a_marked_new_question_moves(bundled_engine: Engine, marker: str) -> None:
    # Unmarked, "are certificates worth it?" keeps the AI topic: its thread ranks second for them.
    conversation = Conversation()
    _ask(bundled_engine, conversation, AI_WORRY)
    answer = _ask(bundled_engine, conversation, f"{marker}are certificates worth it?")
    assert answer.evidence.reading.moved and conversation.topic.threads[0] == CERTIFICATES, marker
    conversation = Conversation()
    _ask(bundled_engine, conversation, AI_WORRY)
    asks = _ask(bundled_engine, conversation, f"{marker}what would you do?")  # a new question with no new words
    assert asks.evidence.reading.kind == "recommendation" and not asks.evidence.reading.moved


@pytest.mark.parametrize("worry, asked, kind, thread", [
    ("I'm burnt out as a PM", "how do I negotiate a higher salary in my offer?", "how_to",
     "offer-negotiation-push-or-accept"),
    (AI_WORRY, "how do I get a PM job with no experience?", "how_to", "first-pm-job-without-pm-title"),
    (AI_WORRY, "how do I ask for a promotion to senior PM?", "how_to", "stuck-four-years-senior-promotion"),
    (AI_WORRY, "what should I do after being laid off?", "recommendation", "laid-off-first-weeks-search"),
])
def test_a_request_for_a_kind_of_answer_that_names_another_subject_moves_keeping_its_kind(
        bundled_engine: Engine, worry: str, asked: str, kind: str, thread: str) -> None:
    # A trial user's: each stayed on the worry's topic and was answered from its discussion.
    conversation = Conversation()
    _ask(bundled_engine, conversation, worry)
    answer = _ask(bundled_engine, conversation, asked)
    reading = answer.evidence.reading
    assert (reading.kind, reading.moved) == (kind, True), asked
    assert conversation.topic.threads[0] == thread


@pytest.mark.parametrize("worry, asked", [
    ("I'm a PM with 8 years in fintech, should I move to an AI startup?", "different question: how do I negotiate my salary?"),
    ("I'm burnt out as a PM", "how do I negotiate a higher salary in my offer?"),
])
def test_a_request_for_a_kind_of_answer_that_moves_is_answered_from_where_it_moved(
        bundled_engine: Engine, worry: str, asked: str) -> None:
    # A trial user's: the move named negotiation, then quoted the steps of a burnout thread joined
    # to the negotiation one for "salary", the negotiation posts listed "(not quoted)".
    conversation = Conversation()
    _ask(bundled_engine, conversation, worry)
    answer = _ask(bundled_engine, conversation, asked)
    assert answer.evidence.reading.moved and answer.evidence.reading.kind == "how_to"
    moved_to = "offer-negotiation-push-or-accept"
    assert conversation.topic.threads == (moved_to,)
    assert answer.evidence.sources and {s.thread_id for s in answer.evidence.sources} == {moved_to}
    assert "Burned out" not in answer.text
    assert answer.cited and all(answer.evidence.source(n).thread_id == moved_to for n in answer.cited)


@pytest.mark.parametrize("asked", ["how do I start?", "what would you do in my position?",
                                   "how do I start with 3 hours a week?",
                                   "How do I start if I can only study on weekends?"])
def test_a_request_for_a_kind_of_answer_with_no_subject_of_its_own_stays(bundled_engine: Engine, asked: str) -> None:
    conversation = Conversation()
    _ask(bundled_engine, conversation, AI_WORRY)
    threads = conversation.topic.threads
    answer = _ask(bundled_engine, conversation, asked)
    assert not answer.evidence.reading.moved and conversation.topic.threads == threads, asked


def test_a_short_either_or_question_weighs_its_options_without_its_opening_and_predicate() -> None:
    # A trial user's: read as "is a PMP" and "CSPO certificate worth it".
    assert weighing("is a PMP or CSPO certificate worth it?") == ("PMP", "CSPO certificate")
    assert weighing("Is an MBA or a bootcamp worth it?") == ("MBA", "a bootcamp")
    assert weighing("Career trap or fast track?") == ("Career trap", "fast track")


def test_options_belong_to_the_topic_they_were_asked_about(bundled_engine: Engine) -> None:
    # A trial user's: "Your options — CSPO certificate worth it: …" under the MBA topic.
    conversation = Conversation()
    for said in ("is a PMP or CSPO certificate worth it?", "I'm 38 with a newborn"):
        _ask(bundled_engine, conversation, said)
    assert conversation.situation.weighing == ("PMP", "CSPO certificate")
    moved = _ask(bundled_engine, conversation, "on a different note, should I do an MBA?")
    assert moved.evidence.reading.moved and conversation.situation.weighing == ()
    assert conversation.situation.age == 38 and conversation.situation.constraints == ("family",)
    advice = _ask(bundled_engine, conversation, "what would you do in my position?")
    assert "Your options" not in advice.text and "CSPO" not in advice.text
    assert not [p for p in advice.evidence.points if p.reason == "option"]
    conversation = Conversation()
    _ask(bundled_engine, conversation, "is a PMP or CSPO certificate worth it?")
    _ask(bundled_engine, conversation, "on a different note, should I do an MBA or a bootcamp?")
    assert conversation.situation.weighing == ("do an MBA", "a bootcamp")  # the moving turn's own


@pytest.mark.parametrize("told, age, constraints", [
    ("I'm 38 with a newborn", 38, ("family",)),
    ("I'm 38 with a newborn, should I do it?", 38, ("family",)),
    ("I have a newborn and I'm the only earner", None, ("family", "money")),
    ("single mom, 45, mortgage", 45, ("family", "money")),
    ("I'm 52 and have two teenagers, I can't relocate", 52, ("family", "location")),
    ("45, single dad, student loans", 45, ("family", "money")),
    ("I just turned 40 and I'm caring for elderly parents", 40, ("family",)),
])
def test_plain_facts_a_trial_user_told_are_read_and_keep_the_topic(bundled_engine: Engine, told: str,
                                                                  age: int | None,
                                                                  constraints: tuple[str, ...]) -> None:
    # "I'm 38 with a newborn" was a new topic that found no discussion, its facts lost.
    conversation = Conversation()
    _ask(bundled_engine, conversation, "Should I do an MBA to become a senior PM?")
    topic = conversation.topic
    answer = _ask(bundled_engine, conversation, told)
    assert answer.evidence.reading.kind == "recommendation" and not answer.evidence.reading.moved, told
    assert (conversation.topic.name, conversation.topic.threads) == (topic.name, topic.threads)
    assert (conversation.situation.age, conversation.situation.constraints) == (age, constraints)
    assert not answer.text.startswith("You haven't told me much")


def test_a_number_alone_is_an_age_only_beside_other_facts_and_in_range() -> None:
    assert read_situation("single mom, 45").age == 45
    assert read_situation("45, single dad").said == ("45", "single dad")
    assert read_situation("I have 2 kids, 3, maybe 4 hours a week").age is None  # out of range
    assert read_situation("I manage a team of 20, and I have kids").age is None  # no comma before it
    assert read_situation("three offers came in, 45, 60 and 80k").age is None  # no other fact


def test_what_would_you_do_right_after_the_same_facts_is_not_the_same_answer_again(bundled_engine: Engine) -> None:
    """Facts alone are answered as a recommendation; "what would you do?" straight after, with
    nothing new said, points to that answer and its verdict instead of printing it again."""
    conversation = Conversation()
    _ask(bundled_engine, conversation, "should I do an MBA?")
    facts = _ask(bundled_engine, conversation, "I'm 38 with a newborn")
    again = _ask(bundled_engine, conversation, "what would you do in my position?")
    assert facts.evidence.reading.kind == again.evidence.reading.kind == Kind.RECOMMENDATION
    assert again.text.startswith("Nothing you have told me since changes my answer just above")
    assert len(again.text) < len(facts.text) / 2
    told = _ask(bundled_engine, conversation, "I'm also the only earner in the family")
    assert told.text.startswith("In your position")  # something new: a fresh weighing


@pytest.mark.parametrize("asked, kind", [
    ("and if I stay?", "more"),
    ("what if I take it and hate it?", "more"),
    ("is that normal?", "more"),
    ("which option is less risky for me?", "recommendation"),
    ("give me concrete steps", "how_to"),
    ("what are the next steps?", "how_to"),
])
def test_a_follow_up_that_puts_a_case_to_the_topic_stays_on_it(bundled_engine: Engine, asked: str, kind: str) -> None:
    """A trial user's follow-ups (2026-11-30) that add a word or two to the topic in play: each
    left the MBA discussion ("stay" ranks the job-hopping thread first) or found no discussion
    at all ("give me concrete steps" alone is far from every post)."""
    conversation = Conversation()
    _ask(bundled_engine, conversation, "Should I do an MBA to become a senior PM?")
    topic = conversation.topic
    answer = _ask(bundled_engine, conversation, asked)
    assert answer.evidence.reading.kind == kind and not answer.evidence.reading.moved, asked
    assert (conversation.topic.name, conversation.topic.threads) == (topic.name, topic.threads)
    assert answer.evidence.sources and "I found no discussion" not in answer.text


def test_a_case_that_names_another_topic_or_brings_a_subject_still_moves(bundled_engine: Engine) -> None:
    conversation = Conversation()
    _ask(bundled_engine, conversation, "Should I do an MBA to become a senior PM?")
    assert _ask(bundled_engine, conversation, "and what if I just learn SQL?").evidence.reading.moved
    assert conversation.topic.name == "SQL"
    conversation = Conversation()
    _ask(bundled_engine, conversation, "Should I do an MBA to become a senior PM?")
    assert _ask(bundled_engine, conversation, "what about a bootcamp?").evidence.reading.moved


def test_facts_alone_as_the_first_turn_are_kept_and_the_worry_asked_for(bundled_engine: Engine) -> None:
    """"I'm 41, 8 years in fintech as a PM, two kids" was searched as a question and answered
    from a career-change thread, quoting someone else's background as "for you"."""
    conversation = Conversation()
    first = _ask(bundled_engine, conversation, "I'm 41, 8 years in fintech as a PM, two kids")
    assert first.evidence.reading.kind == "small_talk" and not first.evidence.sources
    assert first.text.startswith("Noted: a PM of 8 years in fintech, 41 years old") and conversation.topic is None
    answer = _ask(bundled_engine, conversation, "Should I do an MBA?")
    assert answer.evidence.sources and "41 years old" in answer.text


def test_a_place_in_someone_elses_clause_is_not_where_the_person_works() -> None:
    assert read_situation("I'm the only earner and my kids are in school here").industry is None
    assert read_situation("my wife works in banking and I'm a PM at a startup").industry == "startups"
    assert read_situation("My kids are in school, I work in fintech").industry == "fintech"


def test_a_thread_of_several_opinions_is_not_called_sides_when_asked_what_to_do(cli: Cli, tmp_path: Path) -> None:
    """A thread shown as several opinions ("I won't invent two camps") is not then called "the
    discussion's sides" when the person asks what mentor would do."""
    posts = ["Quarvel hackathons taught me to scope a demo in a weekend, which no course ever did.",
             "Recruiters at quarvel firms read the shipped demo before they read the degree.",
             "Pitching a quarvel demo to judges trains the same muscle as a roadmap review.",
             "The quarvel teammates you meet there are worth more than any prize you win.",
             "Most quarvel hackathon projects die on Monday, and the habits you learn there go with them."]
    body = "".join(f"\n## Voice{i}\n\n{text}\n" for i, text in enumerate(posts, 1))
    first, second = _conversation_on(
        cli, tmp_path / "quarvel.md",
        "---\nid: quarvel-hackathons\ntitle: Are quarvel hackathons worth a PM's weekend?\n---\n\n"
        "## Asker\n\nAre quarvel hackathons worth a PM's weekend?\n" + body,
        ["Are quarvel hackathons worth my weekends as a PM?", "What would you do in my position?"])
    assert "holds several opinions" in first["answer"], first["answer"]
    assert "the opinions quoted, " in second["answer"] and "sides" not in second["answer"], second["answer"]


def test_more_on_a_word_no_post_holds_says_so(bundled_engine: Engine) -> None:
    """"What if I get a scholarship?" after the MBA answer: no post speaks of a scholarship, so
    the more that is quoted is said to be on the topic, not on it (a trial, 2026-12-01); a word
    the posts hold ("part-time") gets no such line."""
    conversation = Conversation()
    _ask(bundled_engine, conversation, "should I do an MBA?")
    scholarship = _ask(bundled_engine, conversation, "what if I get a scholarship?")
    assert scholarship.evidence.reading.kind is Kind.MORE
    assert scholarship.text.startswith("No post here speaks of “scholarship”. Here is more")
    assert not any("scholarship" in p.sentence.casefold() for p in scholarship.evidence.points)
    part_time = _ask(bundled_engine, conversation, "what about a part-time MBA instead?")
    assert part_time.text.startswith("Here is more of what people said on it")

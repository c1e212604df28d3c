"""The thread-analysis stage: roles, targets, stances, camps, labels, the claim rule, storage."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from mentor.analysis import analyse
from mentor.analysis.claims import (
    claim_problem, hangs_on_context, holds_link, label_problem, names_someone, points_back, sets_up, standing_alone, thread_names,
    under_condition)
from mentor.analysis.concepts import concepts
from mentor.analysis.labels import clean_label, quotables, quote_candidates
from mentor.analysis.model import ONE_POSITION, SEVERAL_OPINIONS, TWO_CAMPS, ThreadAnalysis
from mentor.analysis.phrases import vocabulary
from mentor.analysis.roles import Role, opening_argues, own_sentences, own_words, post_role
from mentor.analysis.verdicts import verdicts
from mentor.analysis.stance import read_stance
from mentor.analysis.store import AnalysisStore
from mentor.corpus.model import Post, Thread
from mentor.engine.perspectives import OPINIONS, find_views
from mentor.engine.text import sentences


def _thread(*posts: tuple[str | None, str], reply_to: dict[int, int] | None = None, tid: str = "t") -> Thread:
    reply_to = reply_to or {}
    return Thread(id=tid, title="Should I learn SQL?", posts=tuple(
        Post(index=i, author=author, text=text, reply_to=reply_to.get(i))
        for i, (author, text) in enumerate(posts, start=1)))


def test_roles() -> None:
    thread = _thread(
        ("Op", "I'm a PM and I never touch data. Should I learn SQL?"),
        ("Ana", "Learn it. Waiting three days for an analyst is how roadmaps go wrong."),
        ("Ben", "+1 to Ana. Self-serve data changed my job."),
        ("Cy", "What company size are you at?"),
        ("Op", "About 200 people, thanks for asking."),
        ("Dee", "I see what you did there. Lol."),
        ("Eve", "Thanks for sharing."),
        (None, "This."),
        (None, "Louder for the people in the back"),
        (None, "True. Nobody audits a PM's query, so the numbers you bring are quietly wrong half the time."),
    )
    assert [post_role(thread, p) for p in thread.posts] == [
        Role.QUESTION, Role.ANSWER, Role.AGREEMENT, Role.ASIDE, Role.ASIDE, Role.ASIDE, Role.ASIDE,
        Role.AGREEMENT, Role.AGREEMENT, Role.ANSWER]


def test_an_opening_post_that_argues_is_an_answer() -> None:
    rant = _thread((None, "Product management is a thankless role. Engineers never get blamed for slips. "
                          "Executives treat the roadmap as a wish list."), (None, "Agreed."))
    assert post_role(rant, rant.posts[0]) is Role.ANSWER
    worry = _thread((None, "I have been a PM for six years and I feel stuck. What should I learn next?"))
    assert post_role(worry, worry.posts[0]) is Role.QUESTION


@pytest.mark.parametrize("text, sign", [
    ("This.", 1), ("Agreed. Ship the small version first.", 1), ("100% this, the queue is the problem.", 1),
    ("Hard disagree, analysts are the experts.", -1), ("Nah. That's how you end up as the team's analyst.", -1),
    ("I know this is a joke, but to provide counterpoints: the pay is lower.", -1),
    ("I'm not so sure leaders will see it that way.", -1),
    ("This comes off as a junior answer: bring a recommendation.", -1),  # "This" + a verb is no "+1"
    ("Getting three teams to agree on something is the skill.", 0),  # agreement words, not agreement
    ("Customer calls beat dashboards every time.", 0),
    ("Practical question: could you actually take unpaid time off? That changes the options.", 0),  # asks
    ("Actually, the queue is the problem, not your skills.", -1),
    ("@Ana, agreed that letting go is hard, but that's the point of the quorl role.", -1),  # granted, then turned
    ("I agree with you that pay matters, but the title matters more.", -1),
    ("+1, but I'd add that SQL helps.", 1), ("Agreed. But also talk to your manager.", 1),
    ("Agreed that pay matters, and titles too.", 1),
    ("that was my experience too, sadly.", 1),
])
def test_stance_from_how_a_post_opens(text: str, sign: int) -> None:
    assert read_stance(text).sign == sign


def test_targets_from_replies_quotes_marks_and_words() -> None:
    thread = _thread(
        ("Op", "Should I learn SQL or rely on analysts?"),
        ("AnaSilva", "Learn SQL. Self-serve queries make you faster with engineers."),
        ("BenKo", "I'll offer the other side: analysts are the experts, spend your time with customers."),
        ("Cy", "+1 to Ana, self-serve queries saved my roadmap reviews."),
        ("Dee", "spend your time with customers\n\nThe problem is customers do not tell you the churn numbers."),
        ("Eve", "A reply placed under Ben by the export tree."),
        ("Fay", "Hard disagree with \"self-serve queries\" as the answer. Analysts catch what you miss."),
        reply_to={6: 3})
    posts = {p.index: p for p in analyse(thread).posts}
    assert (posts[3].target, posts[3].evidence, posts[3].stance) == (2, "adjacent", -1)  # the post above
    assert (posts[4].target, posts[4].evidence, posts[4].stance) == (2, "mention", 1)
    assert (posts[5].target, posts[5].evidence, posts[5].stance) == (3, "quote", -1)  # quoted line skipped
    assert (posts[6].target, posts[6].evidence) == (3, "reply")
    assert (posts[7].target, posts[7].evidence, posts[7].stance) == (4, "phrase", -1)  # its latest holder


def test_a_reply_to_a_post_this_copy_lacks_answers_no_other_post() -> None:
    """Post 3 was hidden by the forum: the replies to it (by the forum's link) answer it, not the
    post above nor dana's other post, which the `@dana` opening would otherwise name."""
    thread = Thread(id="t", title="Take a pay cut to move into product?", hidden=(3,), posts=(
        Post(index=1, author="ines", text="Should I take a 15% pay cut to move from project to product management?"),
        Post(index=2, author="dana", text="Take the cut if the role owns a roadmap. Mine paid itself back in two years."),
        Post(index=4, author="tom", text="Hard disagree, that is no way to talk to anyone here.", reply_to=3),
        Post(index=5, author="priya", text="@dana that is not how we talk to people here.", reply_to=3)))
    posts = {p.index: p for p in analyse(thread).posts}
    assert (posts[4].target, posts[5].target) == (None, None)


def test_two_camps_follow_the_replies() -> None:
    thread = _thread(
        ("Op", "Should I learn SQL or rely on analysts?"),
        ("Ana", "Learn SQL. Self-serve queries make you faster and more credible with engineers."),
        ("Ben", "I'll push back: analysts are the experts, spend your time with customers instead."),
        ("Cy", "@Ana, exactly. A weekend of SQL pays for itself within a month of roadmap work."),
        ("Dee", "@Ben, hard disagree. Nobody respects a PM who cannot check a number themselves."),
        ("Eve", "@Dee, counterpoint: the best PMs never write queries, they ask sharp questions."),
        ("Ben", "Customer calls beat dashboards every single time, in my experience."),
        ("Fay", "+1, this."),
    )
    analysis = analyse(thread)
    assert analysis.shape == TWO_CAMPS
    camps = {p.index: p.camp for p in analysis.posts if p.role == "answer"}
    assert camps[2] == camps[4] == camps[5] != camps[3] == camps[6] == camps[7]
    assert analysis.post(8).role == "agreement" and analysis.post(8).camp == camps[7]
    assert analysis.labels and all(label_problem(label) is None for label in analysis.labels.values())
    views = find_views(thread, "do I need SQL?", analysis=analysis)
    assert len(views.views) == 2 and not views.one_sided


def test_a_flat_thread_splits_by_the_first_reply_named_and_a_bias_called_out() -> None:
    """A pasted thread without names or reply links (a trial user's, 2026-11-30) was shown as
    several opinions: "Agree with the first reply" was read as agreeing with the post above
    it (which disagreed with the first), and "That's survivorship bias." as no stance at all."""
    thread = _thread(
        (None, "Should I leave product management for quorl engineering? Four years in, no hard skills."),
        (None, "Go for it. Quorl engineering gives you a hard skill that transfers anywhere, and the pay is higher."),
        (None, "I disagree with the above. Four years of product experience is rarer than a quorl certificate, "
               "and you would start over at entry level."),
        (None, "Agree with the first reply. The skills you pick up in quorl make you more employable in layoffs."),
        (None, "That's survivorship bias. Most PMs I know who tried it came back to product within two years."),
    )
    analysis = analyse(thread)
    posts = {p.index: p for p in analysis.posts}
    assert (posts[4].target, posts[4].stance) == (2, 1)
    assert posts[5].stance == -1
    assert analysis.shape == TWO_CAMPS
    assert posts[2].camp == posts[4].camp != posts[3].camp == posts[5].camp


def test_answers_that_only_answer_the_asker_split_by_their_verdicts() -> None:
    """Every answer answers the asker, none another (most advice threads): "Do it." and "Please
    don't." disagree all the same. A trial user's thread of that shape showed several opinions."""
    thread = Thread(id="t", title="Should a PM do quorl consulting on the side?", posts=(
        Post(index=1, author="op", text="Senior PM here, two startups asked me to consult six hours a week. Is it smart?"),
        Post(index=2, author="ana", text="Do it. Consulting on the side taught me pricing and positioning in a year."),
        Post(index=3, author="ben", text="Please don't. Most contracts have an outside-work clause and an IP clause."),
        Post(index=4, author="cy", text="The money is fine but my promotion cycle suffered from the extra hours.")))
    analysis = analyse(thread)
    posts = {p.index: p for p in analysis.posts}
    assert (posts[2].verdict, posts[3].verdict, posts[4].verdict) == (1, 0, None)
    assert analysis.shape == TWO_CAMPS and posts[2].camp != posts[3].camp
    views = find_views(thread, "can I consult on the side as a PM?", analysis=analysis)
    assert len(views.views) == 2 and not views.one_sided


@pytest.mark.parametrize(("title", "first", "verdict"), [
    ("Offered a quorl lead role. Take it, or stay an IC?", "Take it.", 0),
    ("Offered a quorl lead role. Take it, or stay an IC?", "Stay, at least a year.", 1),
    ("Offered a quorl lead role. Take it, or stay an IC?", "Don't take it yet.", 1),
    ("Offered a quorl lead role. Take it, or stay an IC?", "I weighed whether to take it for months.", None),
    ("Learn Figma or Python as a new PM?", "Python, because of where the market is going.", 1),
    ("How do I learn quorl?", "Do it on weekends.", None),  # no yes-or-no question: no verdict
    ("Stay an IC PM or move into quorl management?", "Stay IC, the quorl track is real.", 0),
    ("Stay an IC PM or move into quorl management?", "Also, management is a different job.", None),  # carries on
    ("Escalate or win him over?", 'Counterpoint: the "win him over" advice is unfair.', None),  # answers a post
    ("Seven years in quorl and no hard skills. Should I worry?", "Don't, it is the job.", 0),  # the title's question
    ("Should I get a quorl certification?", "Get one. Recruiters filter on it.", 1),
])
def test_an_answers_verdict_is_read_from_its_opening(title: str, first: str, verdict: int | None) -> None:
    thread = Thread(id="t", title=title, posts=(
        Post(index=1, author="op", text="I have a decision to make this week about my career."),
        Post(index=2, author="ana", text=f"{first} That is what the quorl teams I know did, and it worked.")))
    roles = {post.index: post_role(thread, post) for post in thread.posts}
    assert verdicts(thread, roles).get(2) == verdict


def test_agreeing_thread_is_one_position() -> None:
    thread = _thread(
        ("Op", "Is burnout normal for PMs?"),
        ("Ana", "Protect your calendar and sleep, burnout helps nobody ship."),
        ("Ben", "@Ana, agreed. Protect your calendar and your sleep before anything else."),
        ("Cy", "+1, protect your sleep and your calendar."),
        ("Dee", "@Ana, exactly, sleep and a protected calendar are the whole answer here."),
    )
    assert analyse(thread).shape == ONE_POSITION


def test_a_thread_without_structure_is_several_opinions_not_two_invented_camps() -> None:
    """A flat page (no authors, no replies, no marks): words alone do not make camps. Each
    opinion shown is its own view, under its own claim."""
    thread = _thread(
        (None, "Do PMs need an MBA?"),
        (None, "An MBA mostly buys a network and a brand for a career switch into consulting."),
        (None, "Shipping two products teaches more product judgment than two years of case studies."),
        (None, "Hiring managers at startups rarely ask about degrees, they ask what you built."),
        (None, "The tuition debt shapes your career choices for a decade after the degree."),
    )
    analysis = analyse(thread)
    assert analysis.shape == SEVERAL_OPINIONS
    views = find_views(thread, "is an MBA worth it for product managers?", analysis=analysis)
    assert views.shape == SEVERAL_OPINIONS and 2 <= len(views.views) <= OPINIONS
    assert all(len(view.posts) == 1 and label_problem(view.label) is None for view in views.views)


def test_a_post_that_only_asks_is_no_opinion() -> None:
    """A reply that only asks someone ("Roberta, did the CEO actually announce cuts, or just say
    leaner?") was quoted as one of several opinions, first of all; it is passed over."""
    thread = _thread(
        (None, "Do torv PMs need an MBA?"),
        (None, "An MBA mostly buys a torv network and a brand for a career switch into consulting."),
        (None, "Roberta, is an MBA worth it for torv product managers at a bank, or only at startups? "
               "That's a big difference."),
        (None, "Shipping two torv products teaches more product judgment than two years of case studies."),
        (None, "The MBA tuition debt shapes your torv career choices for a decade after the degree."),
    )
    views = find_views(thread, "is an MBA worth it for torv product managers?")
    assert views.shape == SEVERAL_OPINIONS and len(views.views) >= 2
    assert all(key != ("t", 3) for view in views.views for key, _ in view.quotes), views


def test_an_opinion_without_a_claim_is_quoted_unlabelled() -> None:
    """Replies that argue only in sentences hanging on what came before have no claim to label
    a view with; when they speak to the question they are still quoted, without a label, rather
    than the thread being passed over as if it said nothing."""
    thread = _thread(
        ("Op", "My founder keeps pushing last-minute features into every release. What do I do?"),
        ("Ana", "Ask him which feature he wants to drop for it. That usually ends it."),
        ("Ben", "@Ana, too junior. Which is why I would spell out what it costs the release first."),
    )
    analysis = analyse(thread)
    assert not any(post.claim for post in analysis.posts)
    views = find_views(thread, "my founder pushes last-minute features into the release", analysis=analysis)
    assert views.shape == SEVERAL_OPINIONS and [v.label for v in views.views] == ["", ""]
    assert {key[1] for view in views.views for key in view.posts} == {2, 3}


def test_a_sentence_inside_the_case_the_one_before_set_is_neither_claim_nor_quote() -> None:
    """"If all you want is to make things, … . A maker role would be a better fit." The second
    sentence was a view's label and backed the option "learn a maker skill", which its post
    argues against (a trial user's, 2026-11-30): it speaks inside the case the first one set."""
    conditional = ("Shipping quorls yourself is fun for a while. If all you want is to build quorls for the rest "
                   "of your career, maybe product was the wrong choice. A senior engineering role in a quorl "
                   "shop would be a better fit.")
    assert under_condition("If all you want is to build quorls, maybe product was the wrong choice.",
                           "A senior engineering role would be a better fit.")
    assert not under_condition("Shipping quorls yourself is fun for a while.", "A senior engineering role would be a better fit.")
    assert not under_condition("If you want to lead, learn the business.", "Nobody hires a PM for their quorl skills.")
    assert not under_condition("If you want to lead, learn the business.", "It would help if you also knew SQL.")
    assert all("better fit" not in s for s, _ in quotables(conditional, {}))
    thread = _thread(("Op", "Should a PM learn to build quorls?"), ("Ana", conditional))
    assert "better fit" not in (analyse(thread).posts[1].claim or "")


def test_a_sentence_holding_a_link_is_quoted_only_when_the_post_has_no_other() -> None:
    """A trial user's imported post was quoted by "I wrote up what I did in [my notes on
    switching](https://…), if it helps." rather than its opinion."""
    post = ("Skip the quorl certificate entirely. Your testing background means you already know the product deeply.\n\n"
            "I wrote up what I did in [my notes on switching](https://blog.example.org/qa?utm_source=x), if it helps.")
    assert holds_link("See www.example.com for more") and not holds_link("Skip the quorl certificate entirely.")
    assert all("notes" not in s for s in quote_candidates(post))
    only = "I wrote up what I did in [my notes on switching](https://blog.example.org/qa), if it helps."
    assert quote_candidates(only) == [only]


def test_a_sentence_saying_what_the_point_is_not_is_said_with_the_point() -> None:
    """"The danger isn't that your query errors out." was a starter view's label, its point (and
    its post's) the sentence after it, "It's that it runs fine and is quietly wrong.": the two
    are one claim, as label and as quote."""
    setup, point = "The risk isn't that the quorl report breaks.", "It's that it looks fine and is quietly wrong."
    assert sets_up(setup, point)
    assert not sets_up(setup, "Quorl reports break all the time.")
    assert not sets_up("The quorl report breaks often.", point)
    post = f"Pull your own numbers carefully. {setup} {point} Ask an analyst to check the first few."
    assert standing_alone(sentences(post)) == ["Pull your own numbers carefully.", f"{setup} {point}",
                                                "Ask an analyst to check the first few."]
    assert all(s != setup for s, _ in quotables(post, {}))
    assert label_problem(f"{setup} {point}".rstrip(".")) is None


@pytest.mark.parametrize("label, problem", [
    ("A thousand times this", "bare agreement"),
    ("Same experience here", "bare agreement"),
    ("100% what others are saying", "bare agreement"),
    ("That's a great way to frame it", "thanks or praise"),
    ("Cannot agree more - if you have a great team", "bare agreement"),
    ("Is an MBA worth it for a PM", "question"),
    ("Should you learn SQL first", "question"),
    ("I see what you did there, lol", "banter"),
    ("If you have a great team", "fragment"),
    ("Because it is cheaper, and faster too", "fragment"),
    ("If a company needs far less of it, it needs fewer PMs", "a condition"),
    ("Both can be true", "points back"),
    ("Your list is very specific: event queues and caching", "points back"),
    ("They don't need to understand the code", "points back"),
    ("Every development position has been converging into this", "points back"),
    ("What OP said about the roadmap", "question"),
    ("As others said, the market decides", "fragment"),
    ("I now manage PMs and train them on conflict", "story about the writer"),
    ("Hard skills are easy and replaceable, soft skills are what make a", "cut off"),
    ("Got three departments to agree on a single intake flow\" is not", "cut off"),
    ("Non-technical PM here", "introduces the writer"),
    ("Former APM here, now a Group PM", "introduces the writer"),
    ("Three years as a PM at an HR-tech company, around 600 people", "introduces the writer"),
    ("PM for 4 years at an edtech startup that folded", "introduces the writer"),
    ("Growth, pricing, marketplace, checkout, loyalty", "a list"),
    ("Jira tickets, acceptance criteria, ceremonies", "a list"),
    ("The internal route", "a name for something"),
    ("Coding or control", "a name for something"),
    ("Doesn't mean you suck", "leaves out its subject"),
    ("Cause they don't have to do anything and get paid handsomely", "fragment"),
    ("Congrats, genuinely, but a director with a history degree is the exception", "thanks or praise"),
    ("Thankfully my team has mostly dropped the brainstorms", "story about the writer"),
    ("Every time a meeting gets canceled I get a huge rush of joy", "story about the writer"),
    ("I'm a PM at an agency that works with outsourced dev shops", "story about the writer"),
    ("Got laid off (also in fintech!) a year ago", "story about the writer"),
    ("Spent a decade in banking before product", "story about the writer"),
    ("A year ago recruiters were calling every week", "story about the writer"),
    ("PMs are basically there", "points back"),
    ('Rewrite the CV: "owned ranking experiments with the ML team', "inside a quotation"),
    ("As a hiring manager", "fragment"),
    ("As a PM I have found engineering talent mediocre too", "points back"),
    ("Engineers can learn stakeholder management as well", "points back"),
    ("Ask for specific feedback from those six screens", "points back"),
    ("You shouldn't expect the PM to do that function", "points back"),
    ("Reading your post, everything you listed is execution", "points back"),
    ("I happen to agree with you entirely, but cost pressure will win", "points back"),
    ("PMs", "too short"),
    ("You might be spectacular", "a remark to someone"),
    ("You sound burned out", "a remark to someone"),
    # a reply telling the asker their own case back (a trial, 2026-12-01: a view's label)
    ("The last date you gave slipped seven weeks and you were named in an all-hands", "own story back"),
    ("You were hired for a reason, so trust the people who picked you", "own story back"),
    ("Renata sounds like she would ace that interview", "names someone"),
])
def test_label_rule(label: str, problem: str | None) -> None:
    found = label_problem(label, thread_names(["RenataCosta"]))
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found, found


@pytest.mark.parametrize("label", [
    "Hard skills are easy and replaceable",
    "Relationships and alignment are the most important product manager skills",
    "As a PM I have found engineering talent mediocre",
    "PMs who ship weekly learn faster than those who plan all quarter",
    "Engineers trust a PM who admits that the estimate was wrong",
    "Making things is cool but you can only do that for so long",
    "Hiring managers at startups ask what you built, not where you studied",
    "Both hard and soft skills get you promoted",
    "Most engineers I know don't see the knowledge gap in their own work",
    "Do the senior job first and the title follows",
    "Titles are noise",
    "The market has shifted",
    "Two analysts for nine PMs is an org problem",
    "Recruiters filter by title",
    "Summary on top, edge cases underneath",
    "You are the one who decides what gets built",
])
def test_claims_pass_the_label_rule(label: str) -> None:
    assert label_problem(label) is None


def test_thesaurus_concepts() -> None:
    assert "§mba" in concepts("Is business school worth it?") and "§mba" in concepts("my MBA")
    assert "§laid-off" in concepts("I was let go last week") and "§laid-off" in concepts("got laid off")
    assert "§laid-off" in concepts("I just lost my PM job at a startup")  # a trial's, 2026-11-30
    assert "§coding" in concepts("learning to code") and not concepts("a quiet afternoon")
    # "certified" and "certification" stem apart: the concept joins them
    assert "§learning-plan" in concepts("should I get certified?") and "§learning-plan" in concepts("a CSPO certification")
    assert "§people-management" in concepts("is it worth becoming a people manager?")
    assert "§people-management" in concepts("managing PMs, or stay an individual contributor")
    # a trial user's "I was just promoted to manage three PMs and I have no idea how to be a
    # manager" was answered from threads on SQL and promotion, not the Group PM one
    assert "§people-management" in concepts("I have no idea how to be a manager")
    assert "§age" in concepts("nobody wants to hire an older product manager") and "§age" in concepts("is it too late?")
    # a trial's questions on real threads (2026-12-01) in other words than their threads:
    # "job cuts" for layoffs, "expendable" for replaceable, "resent" for disliked
    assert "§laid-off" in concepts("the company announced job cuts") and "§laid-off" in concepts("startups lay off people")
    assert "§replaced" in concepts("does that make me expendable?") and "§replaced" in concepts("PMs are replaceable")
    assert "§dislike" in concepts("why do engineers resent PMs?") and "§dislike" in concepts("PMs are disliked")
    # a word of a script written without spaces runs on into the next: "MBA" is still a word
    assert concepts("MBAを取るべきですか？") == ("§mba",) and concepts("我应该读MBA吗？") == ("§mba",)


def test_every_phrase_group_loads() -> None:
    for name in ("agreement", "disagreement", "thanks", "banter", "hedges", "openers", "rebuttal", "contrast"):
        assert vocabulary("responses").group(name).phrases
    assert vocabulary("evaluation").group("positive").phrases


def test_analysis_round_trips_and_is_stored_by_hash_and_version(tmp_path: Path) -> None:
    first = _thread(("Op", "Should I learn SQL?"), ("Ana", "Learn SQL, it makes you faster."),
                    ("Ben", "Hard disagree, your analysts are the experts."), tid="a")
    second = replace(first, id="b")
    analysis = analyse(first)
    assert ThreadAnalysis.from_json(analysis.to_json()) == analysis
    store = AnalysisStore(tmp_path)
    assert store.stale([first, second])
    assert store.sync([first, second]) == 2
    assert not store.stale([first, second]) and store.sync([first, second]) == 0
    assert store.get(first) == analysis
    edited = replace(first, posts=first.posts[:2])
    assert store.get(edited) is None and store.stale([edited, second])  # another content hash
    assert store.sync([edited]) == 1  # re-analysed; "b" left the corpus and its row goes
    assert store.fresh() == {"a": edited.content_hash()}
    store.close()


def test_a_stored_analysis_of_another_version_is_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mentor.analysis.store as store_module

    thread = _thread(("Op", "Should I learn SQL?"), ("Ana", "Learn SQL, it makes you faster."))
    store = AnalysisStore(tmp_path)
    store.sync([thread])
    monkeypatch.setattr(store_module, "analyser_version", lambda: "999.test")
    assert store.get(thread) is None and store.stale([thread])
    store.close()


@pytest.mark.parametrize("worker", ["python", "failing"])
def test_a_large_sync_is_shared_with_a_second_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      worker: str) -> None:
    import mentor.analysis.store as store_module

    monkeypatch.setattr(store_module, "PARALLEL_FROM", 4)
    monkeypatch.setattr(store_module, "CHUNK_THREADS", 2)
    if worker == "failing":  # a second process that does nothing: this one analyses every chunk
        monkeypatch.setattr(store_module.sys, "executable", "false")
    threads = [_thread(("Op", f"Should I learn SQL, question {i}?"), ("Ana", f"Learn SQL, it makes you faster {i}."),
                       ("Ben", "Hard disagree, your analysts are the experts."), tid=f"t{i}") for i in range(9)]
    ran = []
    store = AnalysisStore(tmp_path)
    assert store.sync(threads, meanwhile=lambda: ran.append(True)) == 9 and ran == [True]
    assert store.fresh() == {t.id: t.content_hash() for t in threads}
    assert all(store.get(t) == analyse(t) for t in threads)
    store.close()


def test_quotes_lose_list_marks_and_whole_quotation_marks() -> None:
    text = '- No power over the outcome, and the blame for every slip.\n\n"What should I drop to make room for this feature?"'
    assert quote_candidates(text) == ["No power over the outcome, and the blame for every slip.",
                                      "What should I drop to make room for this feature?"]


def test_a_condition_with_its_main_clause_stands_alone_but_is_no_label() -> None:
    assert not hangs_on_context("If you work in banking, keep the title and learn the regulated domain deeply.")
    assert hangs_on_context("If you have a great team.") and hangs_on_context("Because it is cheaper, and faster.")
    assert hangs_on_context("only if she wants generalist loops.") and hangs_on_context("Not unless you like it.")
    assert not hangs_on_context("Even if you hate dashboards, learn enough SQL to check a claim.")
    assert not hangs_on_context("Only apply to roles whose product you would use yourself.")


def test_an_opening_phrase_with_a_clause_of_its_own_stands_alone() -> None:
    assert not hangs_on_context("In most quorl shops, the PM owns the roadmap.")
    assert not hangs_on_context("At 2.5 YOE, you're still early enough to switch.")
    assert claim_problem("In my experience the title follows whatever the company lacks.") is None
    assert claim_problem("To me, a title is only a label for recruiters.") is None
    assert claim_problem("Although demand for PMs is high, the supply is just as high.") is None
    for carrying_on in ("On the other hand, the title matters for recruiters.", "In that case, I'd keep the title.",
                        "For example, quorl hires APMs straight from college.", "By then, nobody cared.",
                        "In other words, it depends on the company.", "With a great team.",
                        "Additionally, most PM roles need no degree."):
        assert hangs_on_context(carrying_on), carrying_on
    assert claim_problem("In my experience, I have managed three teams.") == "a story about the writer, judging nothing"


def test_an_opening_argues_when_its_sentences_would_make_labels() -> None:
    opening = Post(index=1, author="Op", text=(
        "PMs are laid off first at quorl startups. In fact, the supply of PMs is as large as the demand. "
        "Additionally, most PM roles need no degree, so anyone can apply. Do you feel replaceable?"))
    asking = Post(index=1, author="Op", text=(
        "I have no hard skills after six years. I get jealous of my engineer friends. "
        "However, sometimes I see others building things. What should I do?"))
    assert opening_argues(opening) and not opening_argues(asking)


def test_a_label_loses_its_forum_opener_and_then_must_still_be_a_claim() -> None:
    assert clean_label("Honestly, titles are noise.") == "Titles are noise"
    assert clean_label("Respectfully, a freeze at one quorl shop is a budget story.") == \
        "A freeze at one quorl shop is a budget story"
    assert label_problem(clean_label("Fair, and both can be true.")) is not None


def test_a_code_block_or_table_in_a_post_is_never_quoted() -> None:
    text = ("Show the quorl sprint as a fixed box.\n\n  capacity:    40 points\n  new request moves another "
            "story out of the box\n\n```\nthe request queue is the whole story here\n```\n\n"
            "Once the box is full, the talk is about priorities, not you.")
    assert quote_candidates(text) == ["Show the quorl sprint as a fixed box.",
                                      "Once the box is full, the talk is about priorities, not you."]
    assert "capacity" not in own_words(text)
    assert quote_candidates("    A post indented all through still says something.") == [
        "A post indented all through still says something."]


def test_a_post_is_quoted_by_its_point_not_by_its_introduction_or_thanks() -> None:
    assert quote_candidates("Former APM here, now a Group PM. Take the program. What you get at 22 is "
                            "structure: a mentor, rotations and a cohort.") == [
        "What you get at 22 is structure: a mentor, rotations and a cohort."]
    assert quote_candidates("You gave me a lot to think about, so thanks for that. The market for new grads "
                            "is hard right now and getting harder.") == [
        "The market for new grads is hard right now and getting harder."]
    assert quote_candidates("Non-technical PM here, seven years in.") == ["Non-technical PM here, seven years in."]


def test_a_quote_makes_sense_out_of_its_thread() -> None:
    """A post whose every sentence needs its thread has no quote: its view quotes another post."""
    text = ("I see how your stance might come across as harsh to the engineers on the call. "
            "Quorl teams will expect every PM to prototype with AI tools within two years. "
            "But that is only true for the smaller teams, not the regulated ones.")
    assert quotables(text, {}) == [("Quorl teams will expect every PM to prototype with AI tools within two years.", 0.0)]
    assert quotables("But that is only true for the smaller quorl teams, not the regulated ones.", {}) == []


def test_a_bare_list_or_half_a_quotation_is_no_quote() -> None:
    """A trial user's answers quoted "CEO, board, growth targets, a big customer." and
    '"Tell me about a bet you owned end to end.' (the splitter had cut a quotation) as views."""
    listed = "CEO, board, growth targets, a big customer. Each of them can veto the quorl roadmap."
    assert [s for s, _ in quotables(listed, {})] == ["Each of them can veto the quorl roadmap."]
    cut = 'The panel asks "Tell me about a quorl bet you owned end to end. What did you learn?" and waits.'
    assert all(s.count('"') % 2 == 0 for s, _ in quotables(cut, {}))


def test_what_is_left_of_a_sentence_said_to_someone_is_no_quote() -> None:
    """"@ElifKaya, fair on the coursework, but ..." lost its address and was quoted under a view
    as "fair on the coursework, but ..." (a CI run's answer, 2026-11-30): the rest of a sentence
    to someone, about what they wrote. A sentence after the address that starts one of its own
    stays."""
    text = ("@Torvald_K, fair on the quorl coursework, but nobody serious does one for the coursework. "
            "The quorl recruiting pipeline is what a senior PM pays for.")
    assert own_sentences(text) == ["The quorl recruiting pipeline is what a senior PM pays for."]
    assert [s for s, _ in quotables(text, {})] == ["The quorl recruiting pipeline is what a senior PM pays for."]
    whole = "@Torvald_K The quorl recruiting pipeline is what a senior PM pays for."
    assert own_sentences(whole) == ["The quorl recruiting pipeline is what a senior PM pays for."]
    unaddressed = "fair on the quorl coursework, but nobody serious does one for the coursework."
    assert own_sentences(unaddressed) == [unaddressed]  # a writer who writes in lower case


def test_where_they_meet_says_on_what_it_depends() -> None:
    """A short "it depends" sentence is quoted with the sentence after it, which says on what;
    a long one that says it already is quoted alone."""
    from mentor.analysis.labels import common_ground
    thread = _thread(
        ("Op", "I'm a PM at a 40-person company. Should I learn SQL?"),
        ("Ana", "Honestly it depends on the company. At a startup you pull your own numbers; in big "
                "tech an analyst does it for you."),
        ("Ben", "It depends on whether your team has an analyst and on how often your manager asks "
                "you for numbers you cannot pull yourself. Either way, start small."))
    assert common_ground(thread, [2]) == (2, "Honestly it depends on the company. At a startup you pull your "
                                             "own numbers; in big tech an analyst does it for you.")
    assert common_ground(thread, [3]) == (3, "It depends on whether your team has an analyst and on how often "
                                             "your manager asks you for numbers you cannot pull yourself.")


def test_where_they_meet_gives_both_cases_of_what_it_depends_on() -> None:
    """"It depends on what you want in five years. If you want to be a VP …" stopped before
    "If you want to found something …", and so leaned to one side (a trial user's, 2026-11-30)."""
    from mentor.analysis.labels import common_ground
    thread = _thread(
        ("Op", "Should I take a 25% pay cut to be the first PM at a quorl startup?"),
        ("Ana", "It depends on what you want in five years. If you want to be a VP at a big company, the "
                "quorl detour rarely helps. If you want to found something, the first-PM seat is the best "
                "training there is. Either way, negotiate the equity."))
    assert common_ground(thread, [2]) == (2, "It depends on what you want in five years. If you want to be a VP "
                                             "at a big company, the quorl detour rarely helps. If you want to found "
                                             "something, the first-PM seat is the best training there is.")


def test_where_they_meet_is_not_a_rebuttal_that_says_depends() -> None:
    from mentor.analysis.labels import common_ground
    thread = _thread(
        ("Op", "Just got laid off. Take a month off or start applying tomorrow?"),
        ("Ana", "Take the month. You will interview better rested than burned out."),
        ("Ben", "Counterpoint: a month off is a luxury that depends on your savings and the market."),
        ("Cy", "Hard disagree with Ana. Whether you rest depends on your runway, so check it first."),
        ("Dee", "It depends on your runway: with six months saved, rest; with two, apply now."))
    assert common_ground(thread, [3, 4, 5]) == (5, "It depends on your runway: with six months saved, rest; with "
                                                   "two, apply now.")


def test_where_they_meet_names_no_one_in_the_thread() -> None:
    """"… which is why Siobhan's question matters" only makes sense in the thread (a trial
    user's, 2026-11-30): a hedge naming one of its people is passed over, as a label naming one is."""
    from mentor.analysis.labels import common_ground
    thread = _thread(
        ("Op", "Seven years a PM, no hard skills. Should I worry?"),
        ("SiobhanByrne", "Where do you want to be in five years? That decides it."),
        ("Ana", "Honestly it depends on where you want to go next, which is why Siobhan's question matters."),
        ("Ben", "It depends on the company you want next: consumer companies filter on numbers, B2B ones "
                "on domain knowledge."))
    assert common_ground(thread, [3, 4]) == (4, "It depends on the company you want next: consumer companies "
                                                "filter on numbers, B2B ones on domain knowledge.")
    assert common_ground(thread, [3]) is None
    # Nor in the sentences a short hedge takes after it (a trial's "… is where Grace's warning
    # kicks in", session 17), whose first case alone would lean to one side.
    after = _thread(
        ("Op", "Should a PM learn quorl queries?"),
        ("GraceOyelaran", "Quorl numbers you pull yourself are quietly wrong more often than you think."),
        ("Ana", "It depends on the company size. At a startup with no analyst, you must pull quorl numbers. "
                "At a company with a data team, decision-grade numbers are where Grace's warning kicks in."))
    assert common_ground(after, [3]) is None


# -- labels that keep their turn, point to nothing and concede nothing (a trial user's, 2026-11-30)

def test_a_label_is_not_cut_before_the_clause_that_turns_against_it() -> None:
    """Cut at its ";", "Older grebbers arrive with quorls; newer grebbers arrive with torvs" said
    the other side's point: it is cut later, keeping both clauses, or kept whole."""
    sentence = ("Older grebbers arrive with quorls; newer grebbers arrive with torvs, and torvs are "
                "the part of the plinth job that nobody can teach in a course.")
    assert clean_label(sentence) == "Older grebbers arrive with quorls; newer grebbers arrive with torvs"
    long_turn = ("A grebber who chases quorl platform jobs will look weak - while the same grebber going "
                 "after torv and plinth roles looks like the obvious hire to everyone.")
    assert "while" in clean_label(long_turn) or label_problem(clean_label(long_turn)) is not None


def test_a_pronoun_object_with_nothing_to_stand_for_points_back() -> None:
    for sentence in ("You can't get that through a quorl queue", "Nobody will put it on a torv roadmap",
                     "You build that kind of grebber intuition deliberately"):
        assert label_problem(sentence) == "points back to something said before", sentence
    for sentence in ("If you want the torv job, take it to your skip-level manager",
                     "The quorl is what you trade it for when you leave",
                     'The "win them over" advice puts the labour on the grebber',
                     "You can make it in product without a torv degree"):
        assert not points_back(sentence), sentence


def test_a_quote_naming_the_threads_people_gives_way_to_one_that_does_not() -> None:
    """"For Karthik specifically, ..." was quoted under a view (a trial user's, 2026-11-30): the
    reader never met Karthik. A post with no other sentence has no quote."""
    text = ("For Torvald specifically, the quorl program is a real disadvantage to skip. "
            "Shipping a quorl launch does more for a senior PM than any program.")
    assert [s for s, _ in quotables(text, {}, frozenset({"torvald"}))] == [
        "Shipping a quorl launch does more for a senior PM than any program."]
    assert quotables("For Torvald specifically, the quorl program is a real disadvantage.", {},
                     frozenset({"torvald"})) == []


def test_a_handle_made_of_common_words_does_not_make_every_sentence_name_someone() -> None:
    """A handle's parts were names in any case: "the_real_pm" made every label holding "the" or
    "real" name someone, and "GraceWill" every one holding "will". Parts that are stop words are
    no names, and a name counts written as one (a capital, or a handle's digits and marks)."""
    names = thread_names(["the_real_pm", "GraceWill", "throwaway_pm2"])
    assert "the" not in names and "will" not in names and "real" in names
    assert label_problem("The real cost of an MBA is two years out of the market", names) is None
    assert label_problem("Grace will regret the two years out of the market", names) == "names someone in the thread"
    assert label_problem("Like throwaway_pm2 said, shipping beats the degree", names) is not None
    assert names_someone("Agreed with @grace on the degree", frozenset())


def test_he_or_she_with_nothing_before_it_to_stand_for_points_back() -> None:
    """ "If she's going to spend a quarter on something, ..." was a step quoted alone in a how-to
    answer (2026-11-30): "she" is the thread's asker, whom the reader never met."""
    for sentence in ("If she's going to spend a quarter on a torv, spend it on grebbers",
                     "He should ask for the quorl role first", "Only if his manager agrees to the plinth"):
        assert points_back(sentence), sentence
    for sentence in ("Ask your torv lead what she expects from a quorl PM",
                     "A good PM knows his grebbers by name", "Shea runs the plinth team well"):
        assert not points_back(sentence), sentence


def test_greetings_lead_ins_and_thanks_for_an_answer_are_no_labels() -> None:
    """Seen in real threads as view labels (2026-11-30): "Hi, this is a really useful answer",
    "Here are some questions they might ask during an interview", "The ones that don't are
    great"."""
    assert label_problem("Hi, this is a really useful answer") == "a greeting"
    assert label_problem("Hey all, torv certificates are a waste of money") == "a greeting"
    assert label_problem("Here are some questions the quorl panel might ask") == "a lead-in, not a claim"
    assert label_problem("This was a really useful answer for me") is not None
    assert label_problem("The ones that don't are great") == "points back to something said before"
    for claim in ("Highlighting torv outcomes gets you hired", "The ones who ship torvs early get promoted",
                  "Hiring managers read the shipped quorl demo first"):
        assert label_problem(claim) is None, claim


def test_a_concession_of_the_other_side_is_no_label() -> None:
    for sentence in ('"20 minutes to the torv" is true', "Granted, the quorl network helps a little",
                     "The plinth brand is worth something, I'll give you that much", "Judgment is safe, sure"):
        assert label_problem(sentence) == "concedes the other side's point", sentence
    for sentence in ('"Someone else owns the torv" is true everywhere',
                     "Granted, the quorl network helps, but only at the top three schools"):
        assert label_problem(sentence) is None, sentence
    # "To be fair," is cut from a label: the sentence as written still concedes
    thread = _thread(
        ("Op", "Should I take the quorl course or keep shipping torvs?"),
        ("Ana", "To be fair, the quorl course teaches real finance vocabulary. Keep shipping torvs."),
        ("Ben", "Take the quorl course. The finance vocabulary pays off in every plinth review."),
        ("Cy", "Ana, hard disagree. The quorl course taught me the plinth review language."),
    )
    assert "The quorl course teaches real finance vocabulary" not in analyse(thread).labels.values()


def test_a_side_point_is_quoted_after_the_posts_own() -> None:
    """ "Also talk to a lawyer" was quoted under the post's claim "Recruiters are discreet"."""
    text = ("Nobody checks. Recruiters are discreet. The real risk is the sixty-day quorl clock, not your "
            "manager. Also talk to an immigration lawyer this week, not after.")
    assert quote_candidates(text) == ["The real risk is the sixty-day quorl clock, not your manager."]


@pytest.mark.parametrize("text", ["```\nSELECT role, avg(salary) FROM offers GROUP BY role;\n```",
                                  "role\tcertified\tsalary\nPM\tyes\t120\nPM\tno\t118"])
def test_a_post_of_a_code_block_or_a_copied_table_alone_says_no_view(text: str) -> None:
    """A post of a fenced block, or of a table copied from a page (cells between tabs), alone was
    quoted as a view ("SELECT role, avg(salary) FROM offers GROUP BY role;"); a post indented
    throughout still keeps its words."""
    assert own_words(text) == "" and quote_candidates(text) == []
    assert own_words("  Ship the smallest version first.") == "  Ship the smallest version first.".strip()


def test_an_offer_to_talk_is_an_aside_not_an_opinion() -> None:
    """A trial's burnout thread quoted "I'm not burnt out anymore but I'd love to chat on the topic
    as a PM!" and "Also interested in how you're not burnt out anymore!" as opinions (2026-11-30)."""
    thread = _thread(("Op", "Are you burnt out as a PM?"),
                     ("Ana", "I'm not burnt out on quorls anymore but I'd love to chat on the topic as a PM!"),
                     ("Ben", "Also interested in how you got out of it! Many of us struggle."),
                     ("Cy", "Therapy, and saying no to the less important quorl work, got me out of it slowly."))
    assert [post_role(thread, post) for post in thread.posts[1:]] == [Role.ASIDE, Role.ASIDE, Role.ANSWER]

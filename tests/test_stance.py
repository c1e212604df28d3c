"""Reading who agrees with whom from forum conventions, and splitting a thread by it."""

from mentor.corpus.model import Post, Thread
from mentor.engine.split import split_thread
from mentor.engine.stance import Role, read_stance, role


def _thread(*posts: tuple[str, str], reply_to: dict[int, int] | None = None) -> Thread:
    reply_to = reply_to or {}
    return Thread(id="t", title="Should I learn SQL?", posts=tuple(
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
    )
    assert [role(thread, p) for p in thread.posts] == [
        Role.QUESTION, Role.OPINION, Role.AGREEMENT, Role.NEUTRAL, Role.NEUTRAL, Role.NEUTRAL, Role.NEUTRAL]


def test_stances_find_their_target() -> None:
    thread = _thread(
        ("Op", "Should I learn SQL?"),
        ("AnaSilva", "Learn it, it is the fastest way to stop guessing."),
        ("BenKo", "I'll offer the other side: your analysts are the experts."),
        ("Cy", "+1 to Ana, the queue is the problem."),
        ("Dee", "@BenKo, hard disagree, the queue never shrinks."),
        ("Eve", "@AnaSilva, cannot agree more."),
        ("Fay", "Interesting thread, some numbers would help."),
    )
    stances = {p.index: read_stance(thread, p) for p in thread.posts}
    assert stances[3].sign == -1 and stances[3].target is None  # "the other side" of the post above
    assert (stances[4].target, stances[4].sign) == (2, 1)  # "+1 to Ana" names AnaSilva
    assert stances[5].sign == -1
    assert stances[7] is None
    # "Getting people to agree" is not agreement: markers count only in a post's first words.
    agreeing_words = _thread(("Op", "Q?"), ("X", "Getting three teams to agree on something is the skill."))
    assert read_stance(agreeing_words, agreeing_words.post(2)) is None


def test_split_follows_the_replies() -> None:
    thread = _thread(
        ("Op", "Should I learn SQL or rely on analysts?"),
        ("Ana", "Learn SQL. Self-serve queries make you faster and more credible with engineers."),
        ("Ben", "I'll push back: analysts are the experts, spend your time with customers instead."),
        ("Cy", "@Ana, exactly. A weekend of SQL pays for itself within a month of roadmap work."),
        ("Dee", "@Ben, hard disagree. Nobody respects a PM who cannot check a number themselves."),
        ("Eve", "@Dee, counterpoint: the best PMs I know never write queries, they ask sharp questions."),
        ("Ben", "Customer calls beat dashboards every single time, in my experience."),
        ("Fay", "+1, this."),
    )
    split = split_thread(thread)
    camps = [sorted(i for _, i in camp.posts) for camp in split.camps]
    assert sorted(camps) == [[2, 5], [3, 6, 7]]
    # Short agreements back a camp instead of arguing in it.
    backed = {i: sorted(j for _, j in camp.posts) for camp in split.camps for _, i in camp.supporters}
    assert backed == {4: [2, 5], 8: [3, 6, 7]}
    assert not split.one_sided


def test_agreeing_thread_is_one_sided() -> None:
    thread = _thread(
        ("Op", "Is burnout normal for PMs?"),
        ("Ana", "Protect your calendar and sleep, burnout helps nobody ship."),
        ("Ben", "@Ana, agreed. Protect your calendar and your sleep before anything else."),
        ("Cy", "+1, protect your sleep and your calendar."),
        ("Dee", "Sleep and a protected calendar are the whole answer here."),
    )
    split = split_thread(thread)
    assert split.one_sided


def test_marker_prefilter_never_hides_a_match() -> None:
    """The words each stance pattern requires are in every match: with and without the
    prefilter, the same posts and openings match (bundled corpus, and the markers themselves)."""
    from mentor.corpus.bundled import bundled_threads
    from mentor.engine.stance import _AGREE, _DISAGREE, _opening

    posts = [p for t in bundled_threads() for p in t.posts]
    texts = [p.text for p in posts] + [_opening(p) for p in posts] + [
        "+1", "100 percent", "Cannot agree more", "Seconded.", "Co-sign this", "Echoing Maya", "Great point",
        "No, that's wrong", "Pushing back here", "Counterpoint: no", "I'd argue otherwise", "Devils advocate",
        "I'll be the one to say it", "Strongly differ", "Respectfully no", "Nope.", "I dont buy it"]
    for markers in (_AGREE, _DISAGREE):
        assert [bool(markers.search(t)) for t in texts] == [bool(markers.pattern.search(t)) for t in texts]
    assert sum(bool(_AGREE.search(t)) for t in texts) > 20 and sum(bool(_DISAGREE.search(t)) for t in texts) > 20

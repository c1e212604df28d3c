"""Real-world shapes of Discourse and Reddit files, line endings and scripts (fixtures written for
mentor in tests/fixtures/real_world/, invented text), and partial copies of threads in the store."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from mentor.corpus.ingest import IngestReport, store_threads
from mentor.corpus.model import Thread, slugify
from mentor.corpus.store import ThreadStore
from mentor.engine.documents import backed_post
from mentor.errors import ImportFailure
from mentor.importers import plaintext
from mentor.importers.registry import parse_text, read_file
from tests.conftest import FIXTURES, Cli

REAL = FIXTURES / "real_world"


def rows(thread: Thread) -> list[tuple[int, str | None, int | None, bool]]:
    return [(p.index, p.author, p.reply_to, p.citable) for p in thread.posts]


# -- Discourse ---------------------------------------------------------------------------------

def test_discourse_keeps_the_authors_words_and_marks_the_rest() -> None:
    thread = read_file(REAL / "discourse_furniture.json")
    # Skipped: an automatic notice (3, post_type 2 by system), a small action (5), a deleted post (6),
    # a whisper (11) and a withdrawn one without the flag (12). The staff member's own post (4) stays.
    # An image alone (1, 7) and a video preview alone (9) stay, numbered, but are no source.
    assert rows(thread) == [(1, "tove_r", None, False), (2, "ike_w", None, True), (4, "mod_ana", None, True),
                            (7, "cy_l", 2, False), (8, "cy_l", None, True), (9, "dee_s", None, False),
                            (10, "eli_m", None, True)]
    assert thread.post(1).text == "[image]"  # the alt text was the file's name; its size line is gone
    assert thread.post(2).text == ("Themes. Dates become promises.\n\n"
                                   "[link: Why roadmaps should not have dates](https://blog.example/themes-not-dates)")
    assert thread.post(7).text == "[image]"  # IMG_2041: a camera's name, not a caption
    assert thread.post(8).text == "Here is ours:\n\n[image: Q3 roadmap by theme]"
    assert thread.post(9).text == "[link: Roadmaps in ten minutes](https://video.example/watch?v=x1)"
    assert thread.post(10).text == "Vote:\n\nPoll (7 voters):\n- Themes: 5 votes\n- Dates: 2 votes"
    assert thread.coverage is not None and thread.coverage.complete and not thread.partial


def test_a_later_discourse_page_keeps_its_numbers_and_says_what_is_missing() -> None:
    thread = read_file(REAL / "discourse_page2.json")
    assert rows(thread) == [(21, "kim_t", 3, True), (22, "lou_u", 21, True)]  # 3 is on another page
    assert thread.opening is None and thread.partial
    assert thread.coverage_note() == ("2 of 25 posts; the rest were not in the file; post 1, the opening post, "
                                      "was not in the file")


def test_discourse_pages_merge_and_never_replace(cli: Cli) -> None:
    first = cli("ingest", str(REAL / "discourse_page2.json"))
    assert "2 of 25 posts; the rest were not in the file; post 1" in first.stdout
    result = cli("ingest", str(REAL / "discourse_page1.json"))
    assert "1 completed" in result.stdout and "3 posts the stored copy lacked were added" in result.stdout
    shown = cli.json("corpus", "show", "is-a-pm-certificate-useful-d88", "--json")
    assert [(p["index"], p["reply_to"]) for p in shown["posts"]] == [(1, None), (2, None), (3, 2), (21, 3), (22, 21)]
    assert shown["coverage"] == {"held": 5, "total": 25, "unit": "posts", "left_out": []}
    assert shown["partial"] == "5 of 25 posts; the rest were not in the file"
    again = cli("ingest", str(REAL / "discourse_page2.json"))
    assert "1 unchanged" in again.stdout or "1 kept" in again.stdout
    assert len(cli.json("corpus", "show", "is-a-pm-certificate-useful-d88", "--json")["posts"]) == 5


def test_a_discourse_topic_saved_with_raw_markdown_alone_is_read_as_discourse_renders_it() -> None:
    thread = read_file(REAL / "discourse_raw_only.json")
    assert rows(thread) == [(1, "ana_t", None, True), (2, "bo_r", 1, True), (3, "cy_l", 2, True)]  # 2 quotes 1
    assert thread.post(1).text == "I'm a PM at a fintech. Should I take the Group PM role?\n\n[image: Org chart]"
    # The quote keeps its header; the script is gone, the '&' is one.
    assert thread.post(2).text == ("> ana_t:\n\n> Should I take the Group PM role?\n\n"
                                   "Yes, if you like coaching people & hiring.")
    assert thread.post(3).text == "Depends:\n\npath | you do\nIC | ship\nGroup PM | hire"
    assert thread.coverage is not None and thread.coverage.complete


def test_a_discourse_post_that_quotes_an_earlier_one_answers_it() -> None:
    thread = read_file(REAL / "discourse_quote_replies.json")
    # 3 quotes 2 without the reply button; 4 quotes another topic's post; 5 was made with the reply
    # button to 3 (which wins over its quote of 2); 6 quotes a post after it (no answer to that).
    assert [(p.index, p.reply_to) for p in thread.posts] == [(1, None), (2, None), (3, 2), (4, None), (5, 3),
                                                               (6, None)]

def test_a_discourse_post_without_cooked_or_raw_text_is_named() -> None:
    data = json.loads((REAL / "discourse_raw_only.json").read_text())
    del data["post_stream"]["posts"][2]["raw"]
    with pytest.raises(ImportFailure) as caught:
        parse_text(json.dumps(data), "t.json")
    assert caught.value.field == "post_stream.posts[2]"
    assert "expected the post's text: its 'cooked' HTML or its 'raw' Markdown" in caught.value.message

@pytest.mark.parametrize("data, expected", [
    ({"id": 3, "post_stream": {"posts": [{"post_number": 1, "cooked": "<p>a</p>", "topic_id": 3}]}},
     "a page of a Discourse topic's posts (/t/3/posts.json)"),
    ({"topic_list": {"topics": []}}, "this is a list of Discourse topics"),
    ({"latest_posts": []}, "this is a list of a Discourse forum's latest posts"),
    ({"grouped_search_result": {"post_ids": []}, "posts": []}, "this is a Discourse search result"),
    ([{"type": "topic", "name": "Topics", "results": [{"id": 4, "title": "Should I learn SQL?"}]},
      {"type": "user", "name": "Users", "results": []}], "this is a Discourse search result (older forums'"),
    ({"id": 9, "post_number": 2, "cooked": "<p>x</p>"}, "this is one Discourse post"),
    ({"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {}}]}}, "this is one Reddit Listing"),
    ([{"kind": "Listing", "data": {"children": []}}], "this is a list of 1 Reddit Listing"),
    ({"kind": "t1", "data": {"body": "x"}}, "this is one Reddit submission or comment"),
])
def test_json_that_is_no_thread_is_named(data: object, expected: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        parse_text(json.dumps(data), "x.json")
    assert expected in caught.value.message
    assert "mentor add" in caught.value.message or "save" in caught.value.message


# -- Reddit ------------------------------------------------------------------------------------

def test_reddit_shows_text_as_reddit_does_and_skips_boilerplate() -> None:
    thread = read_file(REAL / "reddit_saved.json")  # saved without raw_json=1: & < > escaped once more
    assert thread.title == "Q&A: PM <-> design, who owns the spec?"
    assert thread.native_id == "reddit:q9z"
    # AutoModerator, a stickied moderator notice, a bot's reply and a removed comment are gone; the
    # removed comment keeps its number (3), unheld, so its reply still answers it.
    assert [(p.index, p.author, p.likes, p.reply_to) for p in thread.posts] == [
        (1, "pia_n", 20, None), (2, "val_w", None, None), (4, "xu_y", 3, 3), (5, "zoe_a", 0, None)]
    # score_hidden is no like count; references decoded, the zero-width paragraph dropped, and a
    # URL's "&para=" left alone (it has no semicolon, so it is no reference).
    assert thread.post(2).text == ('The PM owns the *why*, design owns the *how* "and that\'s it".\n\n'
                                   "See https://wiki.example/spec?a=1&para=2 & AT&T's guide ಠ_ಠ")
    assert thread.post(1).text == 'Our designer says "the spec is mine" & I disagree.'
    # 7 comments in the page, of 12 (4 of them no one's words); a "load more" stub and a "continue this
    # thread" link.
    assert thread.coverage_note() == ("3 of 12 comments; 4 are no one's words (a deleted or removed comment, a "
                                      "bot's or a moderator's notice) and are left out; 5 were not in the file")


def test_a_reddit_spoiler_is_the_posters_own_words() -> None:
    """`>!words!<` (saved as `&gt;!words!&lt;`) is a spoiler: the poster's words, blacked out
    until clicked. At a line's start its `>` read as a quote, so the analysis dropped the words
    as someone else's; now the marks are gone and the words stay the poster's."""
    from mentor.analysis.roles import own_words

    comment = {"kind": "t1", "data": {"id": "s1", "author": "ember_field", "parent_id": "t3_x1", "score": 3,
                                      "body": "&gt;!I left the agency after a year.!&lt; It taught me range, "
                                              "not ownership. Also \\>!this!< stays as written.",
                                      "replies": ""}}
    data = [{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {
        "id": "x1", "title": "Agency PM: worth it?", "selftext": "", "author": "op_x", "num_comments": 1}}]}},
        {"kind": "Listing", "data": {"children": [comment]}}]
    text = parse_text(json.dumps(data), "x.json").post(2).text
    assert text == "I left the agency after a year. It taught me range, not ownership. Also >!this!< stays as written."
    assert own_words(text).startswith("I left the agency after a year.")


def test_saved_and_fetched_reddit_pages_are_one_thread(cli: Cli) -> None:
    assert read_file(REAL / "reddit_saved.json").posts == read_file(REAL / "reddit_fetched.json").posts
    cli("ingest", str(REAL / "reddit_saved.json"))
    result = cli("ingest", str(REAL / "reddit_fetched.json"))
    assert "0 added" in result.stdout
    mine = [row for row in cli.json("corpus", "list", "--json") if not row["source"].startswith("bundled:")]
    assert [row["title"] for row in mine] == ["Q&A: PM <-> design, who owns the spec?"]


def test_a_reddit_thread_keeps_its_stored_id_whatever_its_title_slugs_to(home: Path) -> None:
    thread = read_file(REAL / "reddit_fetched.json")
    home.mkdir()
    store = ThreadStore(home)

    with store.transaction():  # as an older mentor stored it: an id from the escaped title
        store.put(Thread(**{**thread.__dict__, "id": "q-amp-a-pm-lt-gt-design-rq9z"}))
    report = IngestReport()
    store_threads(store, [thread], report)
    assert [row.id for row in store.list()] == ["q-amp-a-pm-lt-gt-design-rq9z"]
    assert report.unchanged == ["q-amp-a-pm-lt-gt-design-rq9z"]


def test_a_reddit_part_adds_comments_and_never_replaces(cli: Cli, tmp_path: Path) -> None:
    full = json.loads((REAL / "reddit_fetched.json").read_text())
    cli("ingest", str(REAL / "reddit_fetched.json"))
    # A comment's permalink: one comment, and a new reply under it the stored copy lacks.
    comment = full[1]["data"]["children"][2]
    comment["data"]["replies"] = {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {
        "id": "n1", "author": "new_one", "body": "Late, but: the spec is a team's.", "parent_id": "t1_a3",
        "replies": ""}}]}}
    permalink = tmp_path / "permalink.json"
    permalink.write_text(json.dumps([full[0], {"kind": "Listing", "data": {"children": [comment]}}]))
    result = cli("ingest", str(permalink))
    assert "1 post the stored copy lacked was added" in result.stdout
    shown = cli.json("corpus", "show", "q-a-pm-design-who-owns-the-spec-rq9z", "--json")
    assert [(p["index"], p["author"], p["reply_to"]) for p in shown["posts"]] == [
        (1, "pia_n", None), (2, "val_w", None), (4, "xu_y", 3), (5, "zoe_a", None), (6, "new_one", 2)]


def test_reddit_context_view_crosspost_and_gallery() -> None:
    context = read_file(REAL / "reddit_context.json")
    assert context.partial and context.coverage_note() == "2 of 40 comments; the rest were not in the file"
    crosspost = read_file(REAL / "reddit_crosspost.json").post(1).text
    assert "Crossposted from r/careerguidance by u/rex_c: Certificates are a scam & here is why" in crosspost
    assert "> Nobody hires for them." in crosspost
    gallery = read_file(REAL / "reddit_gallery.json").post(1).text
    assert gallery.endswith("- [image: Now / next / later]\n- [gif]\n"
                            "- [image: Gantt (please no)] <https://tools.example/gantt>")



def test_a_crosspost_without_a_subreddit_or_author_name_says_another_post() -> None:
    parent = {"subreddit": "\t", "author": " ", "title": "Learn SQL first"}
    data = [{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {
        "id": "x1", "title": "SQL?", "selftext": "", "crosspost_parent_list": [parent]}}]}},
        {"kind": "Listing", "data": {"children": []}}]
    assert parse_text(json.dumps(data), "x.json").post(1).text == "SQL?\n\nCrossposted from another post: Learn SQL first"

def test_a_reply_to_a_deleted_comment_still_answers_it(cli: Cli) -> None:
    thread = read_file(REAL / "reddit_deleted_parent.json")
    # The deleted comment with a reply keeps its number (3), unheld; the removed one without
    # replies leaves no gap.
    assert rows(thread) == [(1, "jo_p", None, True), (2, "kai_m", None, True), (4, "lu_n", 3, True),
                            (5, "mia_o", None, True)]
    # "Agreed" answers the deleted comment: it backs no post (it was read as backing kai_m's, above it).
    assert backed_post(thread, thread.post(4)) is None
    cli("ingest", str(REAL / "reddit_deleted_parent.json"))
    assert thread.coverage is not None and thread.coverage.left_out == (3,)
    shown = cli("corpus", "show", thread.id)
    # The file held it, deleted: it is left out, not missing from the copy (as for Hacker News).
    assert "replying to #3 (deleted or no one's words: left out)" in shown.stdout


def listing(*submissions: str) -> dict[str, object]:
    """A Reddit Listing of link submissions (id and title alike), as a subreddit or a
    `/duplicates/` page gives them."""
    return {"kind": "Listing", "data": {"children": [
        {"kind": "t3", "data": {"id": name, "title": f"Roadmaps eat quarters ({name})", "is_self": False,
                                "url": "https://blog.example/roadmap-quarter", "num_comments": 5}}
        for name in submissions]}}


# (Built here, not kept as fixture files: tests ingest the fixtures folder whole.)
@pytest.mark.parametrize("data, field, expected", [
    ([listing("d1a"), listing("d2b", "d3c")], "[1].data.children[0].kind",
     "this is a Reddit /duplicates/ page: the submission, then 2 other submissions of the same link"),
    ([listing("s0", "s1", "s2"), listing("s9")], "[0].data.children",
     "these are Reddit Listings of submissions (3 in the first"),
])
def test_two_listings_of_submissions_are_no_thread(data: object, field: str, expected: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        parse_text(json.dumps(data), "dupes.json")
    assert caught.value.field == field and expected in caught.value.message
    assert "…/comments/<id>/….json" in caught.value.message and str(caught.value).startswith("dupes.json")


# -- ids: line endings, byte-order marks and scripts -------------------------------------------

MARKDOWN = "---\ntitle: Support lead to PM?\n---\n\n## Ana\n\nCan I move into product?\n\n## Ben\n\nYes.\n"
PLAIN = "Support lead to PM?\nCan I move into product?\n\n\nYes.\n"


@pytest.mark.parametrize("text", [MARKDOWN, PLAIN])
def test_line_endings_and_marks_never_change_what_a_file_is(text: str) -> None:
    variants = [text, text.replace("\n", "\r\n"), text.replace("\n", "\r"), "\ufeff" + text.replace("\n", "\r\n")]
    threads = [parse_text(variant, "f") for variant in variants]
    assert {(t.format, t.id, t.title, t.content_hash()) for t in threads} == {
        (threads[0].format, threads[0].id, "Support lead to PM?", threads[0].content_hash())}
    assert threads[0].format == ("markdown" if text is MARKDOWN else "plaintext")


TITLES = ["PMのキャリアについて", "PMの転職について", "PMの転職について。", "Как PM расти дальше?",
          "Как PM расти дальше!", "产品经理的职业发展", "產品經理的職業發展", "Ελληνικά για PM", "제품 관리자 경력",
          "مدير المنتج", "PM ✨", "✨"]


def test_titles_in_any_script_get_distinct_stable_ids() -> None:
    ids = [plaintext.parse(f"{title}\nThe question.\n").id for title in TITLES]
    assert len(set(ids)) == len(TITLES)
    assert ids == [plaintext.parse(f"{title}\r\nThe question.\r\n").id for title in TITLES]
    assert ids[0].startswith("pmnokiyarianitsuite-") and ids[3].startswith("kak-pm-rasti-dal-she-")
    assert slugify("Résumé tips") == "resume-tips"  # Latin loses its accents, as before: no hash


def test_a_different_thread_never_takes_a_stored_id(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "t.txt").write_text("Should I learn SQL?\nI am a PM at a bank.\n")
    (tmp_path / "b" / "t.txt").write_text("Should I learn SQL?\nI design chips.\n")
    assert cli("ingest", str(tmp_path / "a" / "t.txt")).exit_code == 0
    refused = cli("ingest", str(tmp_path / "b" / "t.txt"))
    assert refused.exit_code == 1
    assert "thread id 'should-i-learn-sql' is already taken by a different thread" in refused.stderr
    # The same thread moved elsewhere may replace it.
    (tmp_path / "b" / "t.txt").write_text("Should I learn SQL?\nI am a PM at a bank.\n")
    assert cli("ingest", str(tmp_path / "b" / "t.txt")).exit_code == 0


# -- the store ---------------------------------------------------------------------------------

def test_a_version_1_store_is_migrated(home: Path) -> None:
    home.mkdir()
    old = json.loads(json.dumps(read_file(REAL / "reddit_fetched.json").to_dict()))
    for key in ("native_id", "coverage"):
        del old[key]
    for post in old["posts"]:
        del post["ref"], post["citable"]
    db = sqlite3.connect(home / "corpus.sqlite")
    db.executescript("CREATE TABLE threads (id TEXT PRIMARY KEY, title TEXT NOT NULL, source TEXT NOT NULL, "
                     "format TEXT NOT NULL, posts INTEGER NOT NULL, content_hash TEXT NOT NULL, data TEXT NOT NULL);"
                     "PRAGMA user_version = 1;")
    db.execute("INSERT INTO threads VALUES (?, ?, ?, ?, ?, ?, ?)",
               ("q-amp-a-rq9z", "t", "s", "reddit", 4, "h", json.dumps({**old, "id": "q-amp-a-rq9z"})))
    db.commit()
    db.close()
    store = ThreadStore(home)
    assert store.id_of_native("reddit:q9z") == "q-amp-a-rq9z"
    loaded = store.get("q-amp-a-rq9z")
    assert loaded is not None and all(p.citable and p.ref is None for p in loaded.posts)
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == 2


# -- search in any language, and one huge post -------------------------------------------------

THREADS_IN_SCRIPTS = {
    "ja.txt": "PMのキャリアについて\nエンジニアに戻るべきか悩んでいます。\n\n\n戻らない方がいいです。",
    "zh.txt": "产品经理要学编程吗\n我是产品经理，要不要学编程？\n\n\n不用，学会沟通更重要。",
    "ru.txt": "Как PM расти дальше?\nКуда расти после пяти лет продакт-менеджером?\n\n\nИди в управление людьми.",
    "el.txt": "Πώς γίνομαι PM;\nΕίμαι μηχανικός και θέλω να γίνω υπεύθυνος προϊόντος.\n\n\nΞεκίνα από την ομάδα σου.",
}


def _with_threads_in_scripts(home: Path, folder: Path) -> Cli:
    """`home` with THREADS_IN_SCRIPTS ingested from files written in `folder`."""
    folder.mkdir()
    for name, text in THREADS_IN_SCRIPTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    cli = Cli(home)
    assert cli("ingest", str(folder)).exit_code == 0
    return cli


@pytest.fixture
def scripts_cli(bundled_copy: Path, tmp_path: Path) -> Cli:
    return _with_threads_in_scripts(bundled_copy, tmp_path / "threads")


@pytest.mark.parametrize("question, title", [
    ("エンジニアに戻るべきですか？", "PMのキャリアについて"),
    ("产品经理需要学编程吗", "产品经理要学编程吗"),
    ("куда расти продакт-менеджеру", "Как PM расти дальше?"),
    ("θέλω να γίνω υπεύθυνος προϊόντος", "Πώς γίνομαι PM;"),
])
def test_a_question_in_any_script_finds_its_thread(scripts_cli: Cli, question: str, title: str) -> None:
    answer = scripts_cli.json("ask", "--no-model", "--json", question)
    assert answer["sources"] and {s["thread_title"] for s in answer["sources"]} == {title}


def test_threads_you_added_in_your_language_answer_it_with_the_sentence_model(sentence_copy: Path,
                                                                             tmp_path: Path) -> None:
    """The English sentence model cannot place a question in another script near English posts
    (`Retriever._verdict`), but near posts in its own script it can: a Japanese question finds
    the Japanese thread added, while a Korean one, with no Korean thread, is asked in English."""
    cli = _with_threads_in_scripts(sentence_copy, tmp_path / "threads")
    answer = cli.json("ask", "--no-model", "--json", "エンジニアに戻るべきですか？")
    assert {s["thread_title"] for s in answer["sources"]} == {"PMのキャリアについて"}
    answer = cli.json("ask", "--no-model", "--json", "근무 시간이 너무 길어요")
    assert answer["sources"] == [] and "try asking in English" in answer["answer"]


def test_nothing_matching_is_said(scripts_cli: Cli) -> None:
    answer = scripts_cli.json("ask", "--no-model", "--json", "근무 시간이 너무 길어요")  # Korean: no thread
    assert answer["sources"] == [] and "I found no discussion in the corpus" in answer["answer"]


def test_one_huge_post_does_not_hide_its_thread(bundled_copy: Path, tmp_path: Path) -> None:
    log = " ".join(f"2026-11-{day % 28 + 1:02d}T10:00:00Z WARN svc-{day} req={day * 7919:010x} latency_ms={day}"
                   for day in range(1200))  # about 60 KB on one line
    thread = tmp_path / "huge.txt"
    thread.write_text(f"Release manager vetoes every launch\nHow do I handle a release manager who vetoes "
                      f"every launch?\n\n\nHere is the log of the launch the release manager vetoed: {log}\n\n\n"
                      f"Meet them before the review.\n")
    cli = Cli(bundled_copy)
    assert cli("ingest", str(thread)).exit_code == 0
    answer = cli.json("ask", "--no-model", "--json", "How do I handle a release manager who vetoes every launch?")
    assert answer["sources"][0]["thread_title"] == "Release manager vetoes every launch"
    # The log is no opinion: the advice is quoted, the log is not.
    assert "Meet them before the review" in answer["answer"] and "WARN" not in answer["answer"]


def test_two_threads_with_one_title_are_told_apart(bundled_copy: Path, tmp_path: Path) -> None:
    for name, first, second in (("one", "Quarterly planning eats my whole month", "Time-box planning to two days."),
                                ("two", "Planning season again, no time to talk to users",
                                 "Cancel half the planning reviews and nobody will notice.")):
        (tmp_path / f"{name}.md").write_text(f"---\nid: planning-{name}\ntitle: Is quarterly planning worth it?\n---\n\n"
                                             f"## Op\n\n{first}\n\n## Ana\n\n{second}\n", encoding="utf-8")
    cli = Cli(bundled_copy)
    assert cli("ingest", str(tmp_path / "one.md"), str(tmp_path / "two.md")).exit_code == 0
    answer = cli.json("ask", "--no-model", "--json", "Is quarterly planning worth it for a PM")
    titles = {source["thread_id"]: source["thread_title"] for source in answer["sources"]}
    assert titles == {"planning-one": "Is quarterly planning worth it? (planning-one)",
                      "planning-two": "Is quarterly planning worth it? (planning-two)"}
    assert answer["answer"].count("(planning-one)") >= 2  # named apart in the answer, not as one discussion


@pytest.mark.parametrize("name, text", [
    ("topic.json", json.dumps({"id": 63, "title": "Spec or\nstory?\tBoth", "post_stream": {"posts": [
        {"id": 1, "post_number": 1, "username": "ana", "cooked": "<p>Which do you write first?</p>"}]}})),
    ("thread.json", json.dumps([
        {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {
            "id": "t63", "title": "Spec or\n\nstory?\tBoth", "selftext": "Which do you write first?"}}]}},
        {"kind": "Listing", "data": {"children": []}}])),
    ("thread.md", "---\ntitle: |\n  Spec or\n  story?\tBoth\n---\n\n## ana\n\nWhich do you write first?\n"),
    ("thread.txt", "Spec or  story?\tBoth \nWhich do you write first?\n"),
])
def test_a_title_is_one_line_whatever_white_space_the_file_gives_it(name: str, text: str) -> None:
    """A title is listed on one line (corpus list, sources): its tabs and line breaks are spaces."""
    assert parse_text(text, name).title == "Spec or story? Both"

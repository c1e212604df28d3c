import json
from dataclasses import replace
from pathlib import Path

import pytest

from mentor.corpus.merge import merge
from mentor.corpus.model import Coverage, Thread
from mentor.errors import ImportFailure
from mentor.importers import discourse, hackernews, reddit
from mentor.importers.html_text import html_to_text
from mentor.importers.registry import parse_text, read_file
from tests.conftest import FIXTURES, Cli


def test_discourse_fixture() -> None:
    thread = read_file(FIXTURES / "discourse_topic.json")
    assert thread.format == "discourse"
    assert thread.id == "is-a-product-certification-worth-it-for-a-career-d4242"
    assert thread.tags == ("career", "certifications")
    # The small action (post 3) and the deleted post (5) are skipped; the rest keep their numbers.
    assert [p.author for p in thread.posts] == ["marta_q", "ben.okoro", "KiraL", "dev_nadia"]
    assert [p.index for p in thread.posts] == [1, 2, 4, 6]
    assert [p.likes for p in thread.posts] == [4, 12, 2, None]
    assert thread.post(1).text == ("I'm a support lead moving into product. Is a CSPO worth £900?\n\n"
                                   "My manager says yes, my friends say no.")
    assert thread.post(2).text.endswith("- Ship something\n- Write about it")
    kira = thread.post(4)
    assert kira.reply_to == 2
    assert "> Nobody on a hiring panel I sat on ever asked" in kira.text
    assert "banks :smile: — recruiters filter on it.\nSee [this post](https://example.org/x)." in kira.text
    nadia = thread.post(6)
    assert nadia.reply_to == 4  # "@KiraL" with no reply_to_post_number
    assert "alert" not in nadia.text


def test_reddit_fixture() -> None:
    thread = read_file(FIXTURES / "reddit_thread.json")
    assert thread.format == "reddit"
    assert thread.id == "should-i-leave-product-management-for-engineering-rabc123"
    assert thread.url == ("https://www.reddit.com/r/ProductManagement/comments/abc123/"
                          "should_i_leave_product_management/")
    texts = [p.text for p in thread.posts]
    assert texts[0] == "Four years as a PM & I miss building.\n\nAm I throwing my career away?"
    assert "[deleted]" not in texts and "[removed]" not in texts
    rows = [(p.index, p.author, p.likes, p.reply_to) for p in thread.posts]
    # The deleted comment (4) keeps its number, unheld: the reply to it says whom it answers.
    assert rows == [(1, "throwaway_pm", 52, None), (2, "sam_builds", 40, None),
                    (3, "lena_v", 12, 2), (5, "omar_r", 3, 4), (6, None, 0, None)]
    assert thread.post(2).text == "Do it. PM skills make you a **better** engineer > the reverse."


def test_html_to_text_blocks_and_entities() -> None:
    html = "<h2>Title</h2><p>a &amp; b<br/>c</p><ol><li>one</li><li>two</li></ol><pre>x  =  1\n  y</pre>"
    assert html_to_text(html) == "Title\n\na & b\nc\n\n- one\n- two\n\n```\nx  =  1\n  y\n```"
    # Code is fenced: a trial's Discourse post had its code comment "# Not a heading" as a view label.
    assert html_to_text("<pre><code>return x * 2\n\n# not a heading</code></pre><p>Use it.</p>") == \
        "```\nreturn x * 2\n\n# not a heading\n```\n\nUse it."


def test_discourse_furniture_of_older_and_richer_posts_is_no_ones_words() -> None:
    """From a break-test on Discourse's own fixtures (2026-12-01): an older post's emoji named
    bare ("… 1337 lines long? smiley"), a quote's header naming the topic it comes from, quoted
    as words ("> A new topic with a link to another topic"), and a footnote's "↩︎"."""
    assert html_to_text('<p>Long, no? <img src="/e/smiley.png" class="emoji" alt="smiley"> '
                        '<img class="emoji" alt=":+1:"></p>') == "Long, no? :smiley: :+1:"
    quoted = ('<aside class="quote" data-topic="62" data-post="1"><div class="title">'
              '<img class="avatar" src="a.png"> quill:<a href="/t/another-quorl-topic/62/1">Another quorl topic</a>'
              '</div><blockquote><p>Thanks for the quorls.</p></blockquote></aside><p>Agreed.</p>')
    assert html_to_text(quoted) == "> quill:\n\n> Thanks for the quorls.\n\nAgreed."
    footnote = ('<p>We ship weekly.<sup class="footnote-ref"><a href="#fn-1">[1]</a></sup></p>'
                '<ol class="footnotes-list"><li><p>Unless a quorl breaks. '
                '<a href="#fn-ref-1" class="footnote-backref">↩︎</a></p></li></ol>')
    assert html_to_text(footnote) == "We ship weekly.[1]\n\n- Unless a quorl breaks."


@pytest.mark.parametrize("data, field, expected", [
    ({"id": 1, "title": "t", "post_stream": {"posts": [{"post_number": "x", "cooked": "<p>a</p>"}]}},
     "post_stream.posts[0].post_number", "valid integer"),
    ({"id": 1, "title": "t", "post_stream": {"posts": [{"post_number": 1}]}},
     "post_stream.posts[0]", "expected the post's text: its 'cooked' HTML or its 'raw' Markdown"),
    ({"id": 1, "title": "t", "post_stream": {"posts": []}}, "post_stream.posts", "no readable posts"),
])
def test_bad_discourse(data: object, field: str, expected: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        discourse.parse(json.dumps(data))
    assert caught.value.field == field
    assert expected in caught.value.message


def test_bad_reddit_names_the_field() -> None:
    data = json.loads((FIXTURES / "reddit_thread.json").read_text())
    data[1]["data"]["children"][0]["data"]["replies"]["data"]["children"][0]["data"]["score"] = "many"
    with pytest.raises(ImportFailure) as caught:
        reddit.parse(json.dumps(data))
    assert "[1].data.children[0].data.replies.data.children[0]" in caught.value.message
    assert caught.value.field == "score"


@pytest.mark.parametrize("text, expected", [
    ('{"a": 1}', "JSON of an unknown shape"),
    ("[1, 2", ":1: invalid JSON"),
    ("[" * 100_000, "invalid JSON: nested too deeply"),
    ("   \n", "the file is empty"),
])
def test_unreadable_json_and_empty(text: str, expected: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        parse_text(text, "some.json")
    assert str(caught.value).startswith("some.json")
    assert expected in str(caught.value)


def test_format_override() -> None:
    """A named format reads content no format recognises (plain text); content another format
    recognises is refused: mentor's Markdown read as plain text was a garbled copy, titled "id:
    fixture-markdown-thread", that replaced the thread stored from the file (a trial's)."""
    plain = (FIXTURES / "plain_thread.txt").read_text()
    assert parse_text(plain, "x.txt", format="plaintext").format == "plaintext"
    with pytest.raises(ImportFailure) as caught:
        parse_text((FIXTURES / "markdown_thread.md").read_text(), "x.md", format="plaintext")
    assert "this is mentor's Markdown thread format, not the plaintext format" in caught.value.message


def test_format_names_match_the_importers() -> None:
    from mentor.importers import FORMATS
    from mentor.importers.registry import PARSERS

    assert tuple(PARSERS) == FORMATS


# -- Discourse furniture: link previews, images, files, tables ----------------------------------

def topic_of(*cooked: str) -> dict[str, object]:
    """A Discourse topic whose posts 1, 2… have the given `cooked` HTML."""
    posts = [{"id": 500 + number, "post_number": number, "username": f"user{number}", "cooked": html}
             for number, html in enumerate(cooked, start=1)]
    return {"id": 31, "title": "Which PM ladder?", "post_stream": {"posts": posts}}


def test_discourse_inline_and_unbuilt_link_previews_keep_the_link() -> None:
    thread = discourse.from_data(topic_of(
        "<p>Which ladder do you use?</p>",
        '<p>See <a href="https://ladders.example/pm" class="inline-onebox">PM ladders, compared - Ladders '
        'Blog</a> for ours.</p>',
        '<p><a href="https://ladders.example/levels" class="onebox" target="_blank" rel="noopener">'
        'https://ladders.example/levels</a></p>',
        '<p><a href="https://ladders.example/pm" class="inline-onebox">PM ladders, compared</a></p>'))
    # An inline preview's text is the page's title, not the poster's: marked, in its sentence.
    assert thread.post(2).text == "See [link: PM ladders, compared - Ladders Blog](https://ladders.example/pm) for ours."
    # A preview Discourse could not build is the link alone: kept, not dropped.
    assert (thread.post(3).text, thread.post(3).citable) == ("<https://ladders.example/levels>", False)
    assert thread.post(4).citable is False


def test_discourse_inline_links_keep_their_addresses_and_links_to_the_forum_their_words() -> None:
    """A trial user's "Read this essay first" kept its words and lost where the essay is: a link
    to the web keeps its address, Markdown's way, as a Reddit comment's does (2026-12)."""
    thread = discourse.from_data(topic_of(
        '<p>Read <a href="https://essays.example/ladders" target="_blank">this essay</a> before you pick.</p>',
        '<p>Ours: <a href="https://essays.example/ladders">https://essays.example/ladders</a> and '
        '<a href="http://www.ladders.example">www.ladders.example</a></p>',
        '<p><a class="mention" href="/u/dana">@dana</a> said so in <a href="/t/which-pm-ladder/31/2">that post</a>'
        '<sup><a href="#footnote-1">1</a></sup>; <a href="javascript:alert(1)">click here</a>.</p>',
        '<p>The <a href="https://wiki.example/Ladder_(career)\nx">[wiki] page</a>, and '
        '<a href="https://ladders.example/"><img src="/uploads/l.png" alt="Ladders logo"></a></p>',
        '<p><a href="https://essays.example/ladders">https://essays.example/ladders</a></p>'))
    assert thread.post(1).text == "Read [this essay](https://essays.example/ladders) before you pick."
    assert thread.post(1).citable
    # A link showing its own address (with its scheme or without) is given once, whole.
    assert thread.post(2).text == "Ours: https://essays.example/ladders and http://www.ladders.example"
    # The forum's own pages, a footnote and another scheme than the web's keep their words alone.
    assert thread.post(3).text == "@dana said so in that post1; click here."
    # Brackets in its words, a parenthesis or a line break in its address cannot end or split it;
    # an image keeps its marker.
    assert thread.post(4).text == "The [(wiki) page](https://wiki.example/Ladder_(career%29%0Ax), and [image: Ladders logo]"
    assert thread.post(5).citable is False  # an address alone is still no one's words


def test_discourse_image_captions_and_attached_files() -> None:
    def lightbox(title: str, alt: str) -> str:
        return (f'<div class="lightbox-wrapper"><a class="lightbox" href="/uploads/o/x.png" title="{title}">'
                f'<img src="/uploads/x.png" alt="{alt}" width="690" height="345"><div class="meta">'
                f'<span class="filename">{title}</span><span class="informations">1200×600 55 KB</span></div></a></div>')

    thread = discourse.from_data(topic_of(
        "<p>Our ladder:</p>" + lightbox("Levels by scope", "Levels by scope"),  # Discourse titles the link with the alt
        lightbox("ladder.png", "ladder"),  # no alt given: the link has the file's name
        lightbox("Roadmap_Q3_final", "Roadmap_Q3_final"),  # the editor's default: the file's name
        '<p><a class="attachment" href="/uploads/short-url/a1.pdf">PM_ladder_2024.pdf</a> (184.2 KB)</p>',
        '<p>Ours is in <a class="attachment" href="/uploads/short-url/a2.xlsx">levels.xlsx</a> (12 KB), see tab 2.</p>'))
    assert thread.post(1).text == "Our ladder:\n\n[image: Levels by scope]"
    assert [thread.post(n).text for n in (2, 3)] == ["[image]", "[image]"]
    assert (thread.post(4).text, thread.post(4).citable) == ("[file: PM_ladder_2024.pdf]", False)
    assert thread.post(5).text == "Ours is in [file: levels.xlsx], see tab 2."


def test_discourse_table_cells_stay_apart() -> None:
    thread = discourse.from_data(topic_of(
        '<p>Offers:</p><div class="md-table"><table><thead><tr><th>Company</th><th>Base</th></tr></thead>'
        '<tbody><tr><td>Acme</td><td>120k</td></tr><tr><td>Beta</td><td>95k</td></tr></tbody></table></div><p>Which?</p>'))
    assert thread.post(1).text == "Offers:\n\nCompany | Base\nAcme | 120k\nBeta | 95k\n\nWhich?"


# -- Reddit -------------------------------------------------------------------------------------

def reddit_page(submission: dict[str, object], *comments: dict[str, object]) -> list[dict[str, object]]:
    """A Reddit comments page: the submission (over defaults) and top-level comments (each a t1's data)."""
    data = {"id": "q1", "title": "Which PM ladder?", "selftext": "", "author": "op_x", "score": 3,
            "num_comments": len(comments), "is_self": True, **submission}
    children = [{"kind": "t1", "data": {"id": f"c{n}", "author": f"user{n}", "score": 1, "parent_id": "t3_q1",
                                        "replies": "", **comment}} for n, comment in enumerate(comments, start=1)]
    return [{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": data}]}},
            {"kind": "Listing", "data": {"children": children}}]


def test_reddit_media_embedded_by_reference_become_markers() -> None:
    thread = reddit.from_data(reddit_page(
        {"selftext": 'Ours:\n\n![img](k2x9q1 "Levels by scope")\n\nToo flat?',
         "media_metadata": {"k2x9q1": {"status": "valid", "e": "Image", "m": "image/png"}}},
        {"body": "![gif](giphy|3o7btNhMBytxAM6YBa|downsized)"},
        {"body": "Same here ![img](emote|t5_2qh1i|1234)"},
        {"body": "![img](v9w8x7)", "media_metadata": {"v9w8x7": {"status": "valid", "e": "AnimatedImage"}}},
        {"body": "Not an embed: ![chart](https://charts.example/a.png)"}))
    assert thread.post(1).text == "Ours:\n\n[image: Levels by scope]\n\nToo flat?"
    assert [(p.text, p.citable) for p in thread.posts[1:4]] == [
        ("[gif]", False), ("Same here [image]", True), ("[gif]", False)]
    assert thread.post(5).text == "Not an embed: ![chart](https://charts.example/a.png)"


def test_a_reddit_page_saved_with_its_html_alone_is_read_from_it() -> None:
    """Third-party exports may keep `body_html` and `selftext_html` without the Markdown: the
    comments were counted as deleted and the opening post was its title (2026-11-30)."""
    thread = reddit.from_data(reddit_page(
        {"selftext_html": "&lt;div class=&quot;md&quot;&gt;&lt;p&gt;Is &lt;strong&gt;director in 3 years&lt;/strong&gt;"
                          " realistic &amp;amp; how?&lt;/p&gt;&lt;/div&gt;"},
        {"body_html": "&lt;div class=&quot;md&quot;&gt;&lt;blockquote&gt;&lt;p&gt;Is it realistic&lt;/p&gt;"
                      "&lt;/blockquote&gt;&lt;p&gt;Yes: join a team growing fast.&lt;/p&gt;&lt;/div&gt;"},
        {"body_html": '<div class="md"><p>No &amp; never.</p></div>'}))
    assert [p.text for p in thread.posts] == ["Is director in 3 years realistic & how?",
                                              "> Is it realistic\n\nYes: join a team growing fast.", "No & never."]
    assert thread.coverage is None or not thread.coverage.left_out


def test_struck_through_words_are_no_text_and_superscript_is_plain() -> None:
    """A trial's quote showed "~~Hiring managers ignore them~~ they read them" (2026-11-30): words
    their writer struck through are taken back, in Reddit's Markdown and in Discourse's HTML."""
    thread = reddit.from_data(reddit_page(
        {"selftext": "Do side projects help?"},
        {"body": "~~They ignore them~~ they read them. ^(source: I hire PMs) 2^10 and a \\~~tilde\\~~."}))
    assert thread.post(2).text == "they read them. (source: I hire PMs) 2^10 and a ~~tilde~~."
    assert html_to_text("<p><del>They ignore them</del> They read them. <s>Old</s> <strike>x</strike>New.</p>") \
        == "They read them. New."


# -- files that are no thread, told apart --------------------------------------------------------

TOPIC = json.dumps({"id": 5, "title": "PM or EM?", "post_stream": {"posts": [
    {"post_number": 1, "cooked": "<p>Which one?</p>"}]}}, indent=1)


@pytest.mark.parametrize("name, text, line, expected", [
    ("t.json", "<!DOCTYPE html>\n<html><head><title>Too Many Requests</title></head><body>whoa</body></html>", 1,
     "this is a web page ('Too Many Requests'), not a thread's data: save the thread's JSON"),
    ("t.txt", "<html lang=en><head><title>PM or EM? - Forum</title></head></html>", 1, "this is a web page"),
    ("t.json", "HTTP/2 200 \ncontent-type: application/json\n\n" + TOPIC, 1,
     "an HTTP response (status 200) saved with its headers"),
    ("t.json", "Which one?\nPM or EM?\n", 1, "the file's name ends in .json, but it holds no JSON: it starts with 'Which one?'"),
    ("t.json", TOPIC + "\n}\n", TOPIC.count("\n") + 2, "the JSON value is complete, but more text follows it"),
    ("t.json", TOPIC[:40], 4, "the file ends before the JSON does (it was cut short)"),
    ("t.json", TOPIC[:TOPIC.index("Which") + 3], TOPIC[:TOPIC.index("Which")].count("\n") + 1,
     "the file ends before the JSON does"),
    ("t.json", '{"post_stream": {"posts": [{"cooked": "<a href=\\"https://x.example/a\\">a</a> and <a href=\\"http', 1,
     "the file ends before the JSON does"),  # cut inside HTML holding escaped quotes
    ("t.json", '{"kind": "t1", "data": {"body": "a"}}\n{"kind": "t1", "data": {"body": "b"}}\n', 2,
     "JSON Lines (one JSON value on each of 2 lines"),
    ("t.json", '{"errors": ["The requested URL or resource could not be found."], "error_type": "not_found"}', None,
     "a Discourse forum's error reply (not_found: The requested URL"),
    ("t.json", '{"message": "Forbidden", "error": 403, "reason": "private"}', None,
     "Reddit's error reply (403 Forbidden, private)"),
])
def test_files_that_are_no_thread_say_what_they_are(name: str, text: str, line: int | None, expected: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        parse_text(text, name)
    assert expected in caught.value.message
    assert (caught.value.path, caught.value.line) == (name, line)


@pytest.mark.parametrize("cooked, post_type", [
    ("<p>This topic is temporarily closed for at least 4 hours due to a large number of community flags.</p>", 2),
    ("<p>This topic will close 3 days after the last reply.</p>", 2),
    ("<p>This topic has been unlisted.</p>", 2),
    ("<p>(topic withdrawn by author, will be automatically deleted in 24 hours unless flagged)</p>", 1),
    ("<p>(post withdrawn by the author, will be automatically deleted in 24 hours unless flagged)</p>", 1),
    ("<p>(сообщение отозвано автором и будет автоматически удалено через 24 часа при отсутствии жалоб)</p>", 1),
])
def test_discourse_notices_and_withdrawn_posts_in_other_words_are_skipped(cooked: str, post_type: int) -> None:
    data = topic_of("<p>Should I take the staff PM role?</p>", cooked, "<p>Take it.</p>")
    data["post_stream"]["posts"][1]["post_type"] = post_type  # type: ignore[index]
    assert [post.index for post in discourse.from_data(data).posts] == [1, 3]


def test_a_staff_members_own_post_about_closing_is_kept() -> None:
    data = topic_of("<p>Should I take the staff PM role?</p>",
                    "<p>I closed my last PM job search after two offers; take the one with the better manager.</p>")
    data["post_stream"]["posts"][1]["post_type"] = 2  # type: ignore[index]
    assert [post.index for post in discourse.from_data(data).posts] == [1, 2]


def test_discourse_posts_hidden_by_community_flags_are_left_out_listed_and_still_answered() -> None:
    """An anonymous reader's save: posts 3 and 6 are hidden (`hidden`, `cooked_hidden`, Discourse's
    placeholder as `cooked`). Neither is a view; both keep their numbers, and the replies to
    post 3 (by its number, and by the `@dana_w` post 5 opens with) answer it, not dana_w's post 2."""
    thread = read_file(FIXTURES / "discourse_moderation" / "hidden_posts.json")
    assert [(p.index, p.author, p.reply_to) for p in thread.posts] == [
        (1, "ines_m", None), (2, "dana_w", None), (4, "tom_k", 3), (5, "priya_s", 3), (7, "ines_m", 4)]
    assert not any("flagged" in p.text for p in thread.posts)
    assert thread.hidden == (3, 6) and not thread.partial
    assert thread.hidden_note() == ("2 posts hidden by the forum (flagged by its community) are left out: "
                                    "posts 3, 6")


HIDDEN_PLACEHOLDER = "<p>This post was flagged by the community and is temporarily hidden.</p>"


@pytest.mark.parametrize("flags, cooked", [
    ({}, HIDDEN_PLACEHOLDER),  # an export that kept the text alone
    ({}, '<p>Your post was flagged by the community. Please <a href="/my/messages">see your messages</a>.</p>'),
    ({"cooked_hidden": True}, ""),  # emptied, flagged as hidden to this reader only
    ({"cooked_hidden": True}, "<p>Hidden.</p>"),
    ({"hidden": True}, "<p>Take it, and negotiate the title later.</p>"),  # staff's view: the words, hidden
])
def test_a_hidden_discourse_post_is_no_view_in_any_form_it_is_saved(flags: dict[str, object], cooked: str) -> None:
    data = topic_of("<p>Should I take the staff PM role?</p>", cooked, "<p>Take it.</p>")
    data["post_stream"]["posts"][1].update(flags)  # type: ignore[index]
    thread = discourse.from_data(data)
    assert [post.index for post in thread.posts] == [1, 3] and thread.hidden == (2,)


def test_a_deleted_or_withdrawn_post_is_not_counted_as_hidden_and_a_reply_by_name_still_answers_it() -> None:
    data = topic_of("<p>Should I take the staff PM role?</p>", "<p>Take it.</p>", HIDDEN_PLACEHOLDER,
                    "<p>(post deleted by author)</p>", "<p>@user2 why?</p>", "<p>@user4 agreed, whatever it said</p>")
    data["post_stream"]["posts"][1]["user_deleted"] = True  # type: ignore[index]
    data["post_stream"]["posts"][2]["deleted_at"] = "2025-03-02T10:00:00Z"  # type: ignore[index]
    thread = discourse.from_data(data)
    assert [(p.index, p.reply_to) for p in thread.posts] == [(1, None), (5, 2), (6, 4)]
    assert thread.hidden == ()


def test_pages_of_a_topic_merge_their_hidden_posts() -> None:
    def page(*numbers: int, hidden: tuple[int, ...] = ()) -> Thread:
        posts = [{"id": 500 + n, "post_number": n, "username": f"user{n}", "hidden": n in hidden,
                  "cooked": HIDDEN_PLACEHOLDER if n in hidden else f"<p>Post {n} says take the staff role.</p>"}
                 for n in numbers]
        return discourse.from_data({"id": 31, "title": "Which PM ladder?",
                                    "post_stream": {"posts": posts, "stream": [501, 502, 503, 504, 505]}})
    first = page(1, 2, 3, hidden=(2, 3))
    merged = merge(first, page(4, 5, hidden=(5,)))
    assert [p.index for p in merged.posts] == [1, 4] and merged.hidden == (2, 3, 5)
    assert merge(merged, page(2)).hidden == (3, 5)  # a later save holds post 2 again: no longer hidden


def test_a_topic_whose_posts_are_all_hidden_says_so() -> None:
    data = topic_of(HIDDEN_PLACEHOLDER, HIDDEN_PLACEHOLDER)
    with pytest.raises(ImportFailure) as caught:
        discourse.from_data(data)
    assert caught.value.message == "the topic has no readable posts (2 hidden by the forum, flagged by its community)"


def test_reddit_bots_and_moderator_notices_in_their_other_forms_are_skipped() -> None:
    thread = reddit.from_data(reddit_page(
        {"selftext": "Staff PM at a startup or senior PM at a bank?"},
        {"author": "careerpm-ModTeam", "distinguished": "moderator",
         "body": "Your post was approved, but read the salary thread first."},
        {"author": "sal_calc", "body": "120k USD is about 110k EUR.\n\n^(I'm a bot | beep boop)"},
        {"author": "pm_converter", "body": "*Beep boop, I'm a friendly bot.* Links fixed above."},
        {"author": "timezone_bot", "body": "3pm PST is 11pm GMT"},
        {"author": "some_mod", "distinguished": "moderator", "body": "Hi u/op_x, your post has been removed: rule 4."},
        {"author": "some_mod", "distinguished": "moderator", "body": "Speaking as a PM: take the bank, learn the domain."},
        {"author": "pm_kay", "body": "I'm a bot-sized team's only PM. Take the startup."}))
    assert [(p.author, p.text[:20]) for p in thread.posts[1:]] == [
        ("some_mod", "Speaking as a PM: ta"), ("pm_kay", "I'm a bot-sized team")]



def test_json_too_deep_to_read_says_how_deep_is_too_deep() -> None:
    with pytest.raises(ImportFailure) as caught:
        parse_text("[" * 2000 + "]" * 2000, "deep.json")
    assert "nested too deeply to read (more than about 900 levels" in caught.value.message
    assert "mentor add" in caught.value.message
    # (it named a Reddit page alone, also for a Hacker News item: 2 levels a comment, not 5)
    assert "450 in a Hacker News item" in caught.value.message


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named_not_called_binary(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "thread.txt"
    path.write_bytes("Как PM расти?\nЧто учить дальше?\n".encode(codec))
    with pytest.raises(ImportFailure) as caught:
        read_file(path)
    assert str(caught.value) == f"{path}: UTF-16 text without a byte-order mark; save the file as UTF-8"


def test_a_stray_nul_byte_makes_a_binary_file_not_utf16(tmp_path: Path) -> None:
    """NUL bytes at both parities, or too few to be the high bytes of UTF-16 text, are a binary
    file's ("abc\\0def" read as UTF-16 is CJK-looking but printable)."""
    for name, data in (("stray.txt", b"abc\x00def\n"), ("mixed.txt", b"a\x00\x00bcd\x00\x00efgh\n")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ImportFailure) as caught:
            read_file(path)
        assert str(caught.value) == f"{path}: a binary file, not text: expected a UTF-8 text or JSON thread"


# -- Hacker News (the Algolia HN API's items) ----------------------------------------------------

HN_FIXTURE = FIXTURES / "hackernews" / "ask_hn_saying_no.json"


def hn_story(*children: dict[str, object], **story: object) -> dict[str, object]:
    """An Algolia HN item of a story (over defaults) with the given comment trees."""
    return {"id": 500, "type": "story", "author": "op_h", "title": "Which PM ladder?", "url": None,
            "text": "<p>Which ladder do you use?</p>", "points": 12, "created_at_i": 1715677964,
            "children": list(children), "options": [], **story}


def hn_comment(id: int, parent: int, text: str | None, *children: dict[str, object],
               author: str | None = "user_h") -> dict[str, object]:
    return {"id": id, "type": "comment", "author": author, "text": text, "points": None, "parent_id": parent,
            "story_id": 500, "title": None, "url": None, "children": list(children), "options": []}


def test_a_hacker_news_comment_links_to_its_own_item(cli: Cli) -> None:
    """Hacker News numbers no post: a source's link is its comment's own page."""
    thread = read_file(HN_FIXTURE)
    comment = next(p for p in thread.posts if p.index > 1)
    assert thread.post_url(comment) == f"https://news.ycombinator.com/item?id={comment.ref}" != thread.url
    assert cli("ingest", str(HN_FIXTURE)).exit_code == 0
    sources = cli.json("ask", "--json", "How do I push back when my CEO keeps adding features to the sprint?")["sources"]
    ours = [s for s in sources if s["thread_id"] == thread.id and s["post_index"] > 1]
    assert ours and all(s["url"] == f"https://news.ycombinator.com/item?id={thread.post(s['post_index']).ref}"
                        for s in ours)


def test_hacker_news_fixture() -> None:
    thread = read_file(HN_FIXTURE)
    assert thread.format == "hackernews"
    assert thread.id == "ask-hn-how-do-you-say-no-to-the-ceo-s-pet-features-as-a-hn41000001"
    assert thread.title == "Ask HN: How do you say no to the CEO's pet features as a PM?"
    assert (thread.url, thread.native_id) == ("https://news.ycombinator.com/item?id=41000001", "hackernews:41000001")
    # Depth-first as HN shows them; the deleted comment (5) keeps its number, unheld, because a
    # reply answers it, and is left out of a whole thread; the dead one without replies takes none,
    # but is counted: the import says 2 comments were left out.
    assert thread.coverage == Coverage(held=10, total=10, unit="posts", left_out=(5,))
    assert thread.unread() == 2
    assert not thread.partial and thread.coverage_note() is None
    rows = [(p.index, p.author, p.likes, p.reply_to, p.ref) for p in thread.posts]
    assert rows == [(1, "quietroadmap", 187, None, "41000001"), (2, "marguerite_k", None, None, "41000010"),
                    (3, "tobias_r", None, 2, "41000011"), (4, "marguerite_k", None, 3, "41000012"),
                    (6, "devnull_pm", None, 5, "41000014"), (7, "hwang_eng", None, None, "41000020"),
                    (8, "sol_ops", None, None, "41000040"), (9, "quietroadmap", None, 8, "41000041")]
    assert all(post.citable for post in thread.posts)
    assert thread.post(1).text == ("I'm the only PM at a 40-person startup. Our CEO keeps adding \"quick\" features "
                                   "to the sprint after planning.\n\nHow do you push back on the CEO without burning "
                                   "the relationship?")
    # <i> to its text, HN's paragraphs (with or without the API's closing tags), a shortened link whole.
    assert thread.post(2).text.startswith("Never say no outright. Say yes, and here is what slips: put")
    assert "\n\nAlso ask what problem" in thread.post(3).text
    assert thread.post(4).text.endswith("template: https://example.com/templates/cost-of-yes-one-pager")
    assert "  capacity:    40 points\n  committed:   38\n  ceo_request:  8  -> something else moves out" in \
        thread.post(7).text
    assert thread.post(9).text.startswith("That's fair. I've probably")


def test_hacker_news_link_posts_polls_and_titles() -> None:
    link = hn_story(text=None, url="https://example.com/pm-ladders", title="PM ladders, compared &amp; ranked")
    thread = hackernews.from_data(link)
    assert thread.title == "PM ladders, compared & ranked"
    assert thread.post(1).text == "PM ladders, compared & ranked\n\n<https://example.com/pm-ladders>"
    assert thread.post(1).citable
    show = hackernews.from_data(hn_story(url="https://example.com/tool", text="<p>I built this.</p>"))
    assert show.post(1).text == "I built this.\n\n<https://example.com/tool>"
    poll = hackernews.from_data(hn_story(type="poll", text="<p>MBA or not?</p>", options=[
        {"id": 501, "type": "pollopt", "text": "MBA", "points": 31}, {"id": 502, "type": "pollopt", "text": "No MBA",
                                                                    "points": -2}]))
    assert poll.post(1).text == "MBA or not?\n\nPoll:\n- MBA: 31 votes\n- No MBA: 0 votes"


def test_hacker_news_inline_links_keep_their_addresses_once() -> None:
    """HN's comment HTML: a link keeps its address after its words; one HN shortened for display
    is its whole address, once; a link to another item (relative) keeps its words."""
    thread = hackernews.from_data(hn_story(hn_comment(510, 500, (
        '<p>See <a href="https:&#x2F;&#x2F;essays.example&#x2F;ladders" rel="nofollow">this essay</a>, '
        '<a href="https:&#x2F;&#x2F;essays.example&#x2F;ladders&#x2F;by-scope-not-tenure" rel="nofollow">'
        'https:&#x2F;&#x2F;essays.example&#x2F;ladders&#x2F;by-scope-...</a> and '
        '<a href="item?id=41000010">my other comment</a>.</p>'))))
    assert thread.post(2).text == ("See [this essay](https://essays.example/ladders), "
                                   "https://essays.example/ladders/by-scope-not-tenure and my other comment.")


def test_hacker_news_deleted_and_dead_comments_in_every_form() -> None:
    thread = hackernews.from_data(hn_story(
        hn_comment(510, 500, None, hn_comment(511, 510, "<p>Replying to a deleted one.</p>"), author=None),
        {"id": 520, "children": [{"id": 521, "author": "old_api", "text": "Its parent is id and children alone.",
                                  "children": []}]},  # older API: a dead item's id and children alone, no parent_id
        hn_comment(530, 500, "[dead]", hn_comment(531, 530, "[flagged]")),
        {**hn_comment(540, 500, "Killed, but the file has the text."), "dead": True},
        hn_comment(550, 500, "Still here.")))
    assert [(p.index, p.author, p.reply_to) for p in thread.posts] == [
        (1, "op_h", None), (3, "user_h", 2), (5, "old_api", 4), (7, "user_h", None)]
    assert thread.coverage == Coverage(held=9, total=9, unit="posts", left_out=(2, 4, 6))  # 531, 540: no number
    assert thread.unread() == 5
    leaf = hackernews.from_data(hn_story(hn_comment(510, 500, "Here."), hn_comment(520, 500, None)))
    assert (leaf.coverage, leaf.unread()) == (Coverage(held=3, total=3, unit="posts"), 1)
    assert hackernews.from_data(hn_story(hn_comment(510, 500, "Here."))).coverage is None
    assert not any("[dead]" in post.text or "Killed" in post.text for post in thread.posts)


@pytest.mark.parametrize("data, field, expected", [
    (hn_story({"type": "comment", "text": "no id", "children": []}), "children[0].id", "field required"),
    (hn_story(hn_comment(510, 500, "a", {"id": 511, "children": "none"})), "children[0].children[0].children",
     "valid list"),
    (hn_story(hn_comment(510, 500, "a"), "oops"), "children[1]", "expected a Hacker News item (an object with an id), "
     "got a string"),
    (hn_story(hn_comment(510, 500, "a"), hn_comment(510, 500, "b")), "children[1].id", "item 510 is in the tree twice"),
    (hn_story(children="none"), "children", "valid list"),
    (hn_story(id="x"), "id", "valid integer"),
    (hn_story(title=None), "title", "expected the story's title"),
    ({"id": 500, "children": [], "type": "story"}, "title",
     "field required (reading a Hacker News story): expected the story's title (the story is deleted or dead)"),
    (hn_comment(510, 500, "a"), "type", "this is one Hacker News comment (item 510) with its replies, not the whole "
     "thread (its story's title is not in it): save the story's item from the Algolia HN API "
     "(https://hn.algolia.com/api/v1/items/500), or run 'mentor add https://news.ycombinator.com/item?id=500'"),
    ({"id": 501, "type": "pollopt", "parent_id": 500, "text": "MBA", "children": []}, "type",
     "one option of a Hacker News poll (item 501)"),
])
def test_bad_hacker_news_names_the_field(data: dict[str, object], field: str, expected: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        parse_text(json.dumps(data), "hn.json")
    assert (caught.value.path, caught.value.field) == ("hn.json", field)
    assert expected in caught.value.message


@pytest.mark.parametrize("data, expected", [
    ({"by": "op_h", "descendants": 2, "id": 500, "kids": [510, 520], "score": 12, "time": 1715677964,
      "title": "Which PM ladder?", "type": "story"},
     "this is one Hacker News story 500 from the official API (hacker-news.firebaseio.com/v0/item/<id>.json): "
     "its 2 replies are ids alone (`kids`), so the file holds no thread; save the story's item from the Algolia HN "
     "API (https://hn.algolia.com/api/v1/items/500), or run 'mentor add https://news.ycombinator.com/item?id=500'"),
    ({"by": "user_h", "id": 510, "parent": 500, "text": "Ours.", "time": 1715677999, "type": "comment"},
     "one Hacker News comment 510 from the official API (hacker-news.firebaseio.com/v0/item/<id>.json): its replies "
     "would be ids alone (`kids`), so the file holds no thread; run 'mentor add "
     "https://news.ycombinator.com/item?id=510', which fetches its whole story"),
    ({"deleted": True, "id": 520, "parent": 500, "time": 1715677999, "type": "comment"}, "Hacker News comment 520"),
    ({"hits": [{"objectID": "500", "title": "Which PM ladder?"}], "nbHits": 1, "page": 0},
     "this is a search result (Algolia's, as the Hacker News search API"),
    ({"a": 1}, "or a Hacker News story from the Algolia HN API (an object with children)"),
])
def test_hacker_news_json_that_is_no_thread_says_what_to_save(data: dict[str, object], expected: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        parse_text(json.dumps(data), "item.json")
    assert expected in caught.value.message


def test_a_json_null_is_named_as_the_answer_for_a_missing_item() -> None:
    with pytest.raises(ImportFailure) as caught:
        parse_text("\nnull\n", "item.json")  # the official HN API's answer for an unknown id, saved
    assert caught.value.line == 2
    assert caught.value.message.startswith("the file holds JSON null, not a thread: what an API answers for an item")


def test_hacker_news_format_can_be_named() -> None:
    text = HN_FIXTURE.read_text()
    assert parse_text(text, "saved.txt", format="hackernews").id == read_file(HN_FIXTURE).id


def test_the_import_counts_the_posts_it_left_out_of_whole_threads_in_every_format(cli: Cli, tmp_path: Path) -> None:
    """Hacker News's deleted and dead comments (2, one with no reply and so no number), a Discourse
    topic's small action and deleted post (2), a Reddit page's deleted and removed comments (2, on a
    page that gives no num_comments): each thread is whole, and the import's line counts them."""
    def without_stubs(node: dict[str, object]) -> dict[str, object]:
        if node.get("kind") == "Listing":  # (the fixture gives no num_comments: its "load more" stubs go)
            node["data"]["children"] = [child for child in node["data"]["children"] if child["kind"] != "more"]
        return node

    reddit_page = json.loads((FIXTURES / "reddit_thread.json").read_text(encoding="utf-8"), object_hook=without_stubs)
    (tmp_path / "reddit.json").write_text(json.dumps(reddit_page), encoding="utf-8")
    reddit_thread = read_file(tmp_path / "reddit.json")
    assert (reddit_thread.unread(), reddit_thread.coverage_note()) == (2, None)
    result = cli("ingest", str(HN_FIXTURE), str(FIXTURES / "discourse_topic.json"), str(tmp_path / "reddit.json"))
    assert "; 17 posts read, 6 left out (deleted, or no one's words)" in result.stdout
    assert "part of the thread" not in result.stdout


def test_a_post_of_emoji_alone_is_kept_but_no_source() -> None:
    """Discourse writes an emoji as an image whose alt text is its shortcode: a reply of a
    thumbs-up alone keeps its number, but has no words of its own to cite."""
    def emoji(name: str) -> str:
        return f'<img src="/images/emoji/twitter/{name}.png?v=12" title=":{name}:" class="emoji only-emoji" alt=":{name}:">'

    topic = {"id": 61, "title": "Which roadmap tool?", "post_stream": {"posts": [
        {"id": 1, "post_number": 1, "username": "ana", "cooked": "<p>Which roadmap tool do you use?</p>"},
        {"id": 2, "post_number": 2, "username": "bo", "cooked": f"<p>{emoji('+1')}</p>", "reply_to_post_number": 1},
        {"id": 3, "post_number": 3, "username": "cy", "cooked": f"<p>{emoji('tada')} {emoji('heart_eyes')} 🎉</p>"},
        {"id": 4, "post_number": 4, "username": "di", "cooked": f"<p>A spreadsheet, honestly {emoji('smile')}</p>"}]}}
    thread = discourse.parse(json.dumps(topic))
    assert [(p.index, p.reply_to, p.citable) for p in thread.posts] == [
        (1, None, True), (2, 1, False), (3, None, False), (4, None, True)]


def test_discourse_polls_saved_as_raw_markdown_are_polls_with_their_votes() -> None:
    """An export that keeps each post's `raw` alone writes a poll as `[poll …]` BBCode: it is
    read as the poll Discourse shows (its votes from `polls[]`, by the poll's name), never as
    the tags' text; a poll without results, in `cooked` too, is named a poll above its options."""
    raw = ("Where should a new PM start?\n\n[poll type=regular results=always]\n* Discovery\n* Delivery\n[/poll]\n\n"
           'And which tool?\n\n[poll name="tool" type=multiple results=on_close]\n- Jira\n- Linear\n[/poll]')
    polls = [{"name": "poll", "type": "regular", "voters": 3, "options": [
        {"id": "a1", "html": "Discovery", "votes": 2}, {"id": "b2", "html": "Delivery", "votes": 1}]}]
    cooked = ('<p>Which tool?</p><div class="poll" data-poll-name="poll"><div class="poll-container"><ul>'
              '<li data-poll-option-id="c3">Jira</li><li data-poll-option-id="d4">Linear</li></ul></div>'
              '<div class="poll-info"><span class="info-number">0</span><span class="info-label">voters</span></div></div>')
    topic = {"id": 62, "title": "First steps", "post_stream": {"posts": [
        {"id": 1, "post_number": 1, "username": "ana", "cooked": None, "raw": raw, "polls": polls},
        {"id": 2, "post_number": 2, "username": "bo", "cooked": cooked}]}}
    thread = discourse.parse(json.dumps(topic))
    assert thread.post(1).text == ("Where should a new PM start?\n\nPoll (3 voters):\n- Discovery: 2 votes\n"
                                   "- Delivery: 1 vote\n\nAnd which tool?\n\nPoll:\n\n- Jira\n- Linear")
    assert thread.post(2).text == "Which tool?\n\nPoll:\n\n- Jira\n- Linear"


def test_a_comment_pasting_its_parents_line_in_json_quotes_it() -> None:
    """A Hacker News reply set its parent's line in italics, a Reddit one pasted it without ">":
    both were the replier's words, quoted as their opinion though they argue against it (a trial's)."""
    parent = "<p>Between the memes and the rants, the front page is getting worse every month.</p>"
    story = hackernews.from_data(hn_story(hn_comment(510, 500, parent, hn_comment(
        511, 510, "<p><i>the front page is getting worse every month.</i></p><p>I don't see it.</p>"))))
    assert story.post(3).text == "> the front page is getting worse every month.\n\nI don't see it."
    page = reddit.from_data(reddit_page(
        {}, {"body": "Quorl ladders reward scope, not impact, at every company I know."},
        {"body": "Quorl ladders reward scope, not impact, at every company I know.\n\nNot at mine."}))
    assert page.post(3).text == "> Quorl ladders reward scope, not impact, at every company I know.\n\nNot at mine."
    assert page.post(2).text.startswith("Quorl ladders")  # the first to say it keeps its words


def test_a_flat_list_of_comments_with_every_parent_is_the_whole_thread() -> None:
    """A scraper's export lists replies at the top level beside the comments they answer: every
    comment was there, yet the import said "part of the thread; more were not in the file"."""
    flat = reddit.from_data(reddit_page(
        {"num_comments": 2}, {"id": "c1", "body": "Quorl ladders reward scope."},
        {"id": "c2", "body": "Not at my company.", "parent_id": "t1_c1"}))
    assert flat.coverage_note() is None and flat.post(3).reply_to == 2
    below = reddit.from_data(reddit_page({"num_comments": 2}, {"id": "c2", "body": "Not at mine.", "parent_id": "t1_c9"},
                                         {"id": "c3", "body": "Nor mine, quorls aside.", "parent_id": "t1_c9"}))
    assert below.coverage_note() is not None  # a permalink with context: it answers a comment not held


def test_a_reddit_comment_links_to_its_own_permalink() -> None:
    """A quoted comment's link opened the thread's page, not the comment (Hacker News comments
    had their own already)."""
    page = reddit.from_data(reddit_page({"permalink": "/r/ProductManagement/comments/q1/which_pm_ladder/"},
                                        {"id": "k7", "body": "Quorl ladders reward scope."}))
    base = "https://www.reddit.com/r/ProductManagement/comments/q1/which_pm_ladder/"
    assert [page.post_url(post) for post in page.posts] == [base, f"{base}k7/"]
    context = replace(page, url=f"{base}k2/?context=3")  # imported from a comment's page
    assert context.post_url(page.posts[1]) == f"{base}k7/"
    assert replace(page, url=None).post_url(page.posts[1]) is None


def test_a_stale_comment_count_is_no_total_below_what_the_page_holds() -> None:
    """Reddit updates `num_comments` later than the comments: a trial's page held 5 comments of
    "total 4"."""
    page = reddit.from_data(reddit_page({"num_comments": 1}, {"body": "Quorl ladders reward scope."},
                                        {"body": "Not at my company, quorls or not."}))
    assert page.coverage is not None and (page.coverage.held, page.coverage.total) == (2, 2)
    assert page.coverage_note() is None


def test_reddit_comments_without_parent_id_answer_the_comment_whose_replies_hold_them() -> None:
    """Other tools' dumps keep the nested `replies` but drop `parent_id`: every comment answered
    the thread (a trial's, 2026-12). `parent_id`, where given, still comes first."""
    def comment(id: str, body: str, *replies: dict[str, object], parent: str | None = None) -> dict[str, object]:
        data = {"id": id, "author": f"user_{id}", "body": body, "score": 1,
                "replies": {"kind": "Listing", "data": {"children": list(replies)}} if replies else ""}
        return {"kind": "t1", "data": data if parent is None else {**data, "parent_id": parent}}

    page = reddit_page({"num_comments": 5})
    page[1]["data"]["children"] = [  # type: ignore[index]
        comment("c1", "Quorl ladders reward scope.",
                comment("c2", "Not at my company.", comment("c3", "Nor at mine.", parent="t1_c1"))),
        comment("c4", "[deleted]", comment("c5", "Answering a deleted one."))]
    thread = reddit.from_data(page)
    assert [(p.index, p.reply_to) for p in thread.posts] == [(1, None), (2, None), (3, 2), (4, 2), (6, 5)]
    # Top-level comments answer the submission: the page is the whole thread, not a permalink's part.
    assert thread.coverage is not None and thread.coverage.left_out == (5,) and thread.coverage_note() is None

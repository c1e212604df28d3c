from pathlib import Path

import pytest

from mentor.analysis import analyse
from mentor.corpus.model import Thread
from mentor.errors import ImportFailure
from mentor.importers import plaintext
from mentor.importers.registry import read_file
from tests.conftest import FIXTURES


def test_fixture_posts_likes_and_reply_authors() -> None:
    thread = read_file(FIXTURES / "plain_thread.txt")
    assert thread.format == "plaintext"
    assert thread.title == "Do PMs need to learn SQL?"
    assert thread.id == "do-pms-need-to-learn-sql"
    assert [p.index for p in thread.posts] == [1, 2, 3, 4, 5]
    opening = thread.post(1)
    assert opening.text.startswith("I've been a PM for two years")
    assert ":sweat_smile:" in opening.text
    assert "\n\nIs that a problem?" in opening.text
    # "@Priya," directly follows an unknown author's post: that post is Priya's.
    assert thread.post(2).author == "Priya"
    assert thread.post(3).reply_to == 2
    # A like line closes its post; the text after a single blank line is the next post.
    assert thread.post(3).likes == 3
    assert thread.post(4).text == "+1, this."
    assert thread.post(4).author == "Jonas"
    assert thread.post(5).likes == 12
    assert thread.post(5).reply_to == 4
    assert thread.post(1).author is None and thread.post(5).author is None


def test_seed_thread(seed_path: Path) -> None:
    thread = read_file(seed_path)
    assert len(thread.posts) == 19
    assert thread.title == "What are the necessary product manager key skills?"
    authors = {p.index: p.author for p in thread.posts if p.author}
    # "@Ahmad, ... driving alignment just means" (post 6) answers post 4's question "what you meant
    # by “driving alignment”?", not the joke just above it (post 5), which stays nobody's.
    assert authors == {2: "AlbertChappel", 3: "CathrynCui", 4: "Ahmad",
                       14: "MichaelYoffe", 15: "AnaRodriguez"}
    assert thread.post(6).reply_to == 4
    assert {p.index: p.likes for p in thread.posts if p.likes is not None} == {18: 1}
    assert thread.post(3).reply_to == 2
    assert thread.post(15).reply_to == 14
    assert thread.post(16).reply_to == 15
    assert thread.post(19).text.startswith("Think about a wedding planner")
    assert ":smile:" in thread.post(5).text


def test_a_title_alone_in_its_block_is_a_title_only_opening_post() -> None:
    thread = plaintext.parse("A title\n\n\nThe first reply.\n\n\nAnother reply.\n")
    assert thread.title == "A title"
    assert [p.text for p in thread.posts] == ["A title", "The first reply.", "Another reply."]


@pytest.mark.parametrize("text, line, expected", [
    ("Only a title\n", 2, "expected the opening post"),
    ("\n\n\n", 1, "found only blank lines"),
    ("Title\n\nOpening\n\n\n2 Likes\n\n\n3 Likes\n", 9, "must follow the post it counts"),
])
def test_bad_plain_text(text: str, line: int, expected: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        plaintext.parse(text)
    assert caught.value.line == line
    assert expected in caught.value.message


def test_like_line_alone_attaches_to_previous_post() -> None:
    thread = plaintext.parse("T\n\nOpening.\n\n\nA post.\n\n\n2 Likes\n\n\nNext.\n")
    assert [(p.text, p.likes) for p in thread.posts] == [("Opening.", None), ("A post.", 2), ("Next.", None)]


def test_replies_to_an_unknown_name_to_op_and_to_everyone() -> None:
    """"@Priya," with no post of Priya's known and the posts above weighing alike: no author is
    invented and the reply stays unlinked. "@OP," answers the opening post and "@everyone,"
    no post; neither is taken for an author's name. "@Marco" with no comma is a reply as well."""
    thread = read_file(FIXTURES / "plaintext_replies" / "addressed_replies.txt")
    assert [(p.index, p.author, p.reply_to) for p in thread.posts] == [
        (1, None, None), (2, None, None), (3, None, None), (4, None, None),
        (5, None, 1), (6, "Marco", None), (7, None, 6), (8, None, None)]
    assert [p.likes for p in thread.posts] == [None, 4, None, None, 2, None, None, None]
    analysed = {p.index: p for p in analyse(thread).posts}  # the analysis reads them too
    assert (analysed[5].target, analysed[5].evidence) == (1, "reply")
    assert (analysed[7].target, analysed[7].evidence, analysed[7].stance) == (6, "reply", -1)


def test_a_browser_copys_post_headers_name_the_authors_and_are_no_text() -> None:
    """Posts under their author's name and date, as a browser's copy of a forum page shows them:
    the name is the author, neither line is text. "Priya" with no date under it stays the post's
    first line; a header alone in its block heads the next one; an @reply to a name a header
    showed answers that person's latest post and makes no other post theirs."""
    thread = read_file(FIXTURES / "plaintext_headers" / "browser_copy.txt")
    assert [(p.index, p.author, p.reply_to, p.likes) for p in thread.posts] == [
        (1, "harbor_lights", None, None), (2, "river_stone", None, 4), (3, "quill_and_ink", None, None),
        (4, "river_stone", None, None), (5, None, None, None), (6, "Tomás Ruiz", None, None),
        (7, "m.okafor", 4, None), (8, "harbor_lights", None, None)]
    assert thread.post(1).text.startswith("I run delivery for a logistics firm")
    assert thread.post(4).text == "that was my experience too, sadly."
    assert thread.post(5).text.startswith("Priya\nI disagree with the doom here.")
    assert thread.post(8).text.startswith("Thanks, all.")
    dates = {"Mar 3", "3 Mar 2024", "5 days ago", "2h", "Mar '23", "10:42 AM", "2026-03-04T09:15:00Z"}
    assert not any(line in dates for post in thread.posts for line in post.text.split("\n"))


@pytest.mark.parametrize("date", ["Mar 3", "March 3rd, 2024", "3 Mar 2024", "2h", "5d", "5 days ago", "an hour ago",
                                  "Mar '23", "10:42 AM", "Mar 3, 10:42 AM", "yesterday", "2024-03-03",
                                  "2024-03-03T10:42:00Z", "03/03/2024"])
def test_a_post_header_is_a_name_over_a_date_in_any_common_form(date: str) -> None:
    thread = plaintext.parse(f"A title\n\nThe opening post.\n\n\nriver_stone\n{date}\nThat was my experience too.\n")
    assert [(p.author, p.text) for p in thread.posts[1:]] == [("river_stone", "That was my experience too.")]


@pytest.mark.parametrize("text", ["Priya\nI disagree, the pay cut is normal.", "Update\nYesterday I asked for a raise.",
                                  "Mar 3\n10:42 AM", "Two things:\n5 days ago I said the same.",
                                  "@river_stone\nMar 3"])
def test_first_lines_that_are_no_header_stay_the_posts_words(text: str) -> None:
    thread = plaintext.parse(f"A title\n\nThe opening post.\n\n\n{text}\n")
    assert (thread.post(2).author, thread.post(2).text) == (None, text)


def test_a_post_of_emoji_or_a_link_alone_keeps_its_number_and_is_no_source() -> None:
    """"👍" and a bare link were cited as someone's words; as in the other formats they stay,
    numbered (a reply may answer them), but are not citable."""
    thread = plaintext.parse("Should I leave product for sales?\n\nTen years in PM, tempted by sales.\n\n\n👍 👍\n\n\n"
                             "https://example.com/pm-to-sales\n\n\nSales pays more, but quotas never stop.\n")
    assert [(p.index, p.citable) for p in thread.posts] == [(1, True), (2, False), (3, False), (4, True)]


CHROME = FIXTURES / "plaintext_chrome"


def rows(thread: Thread) -> list[tuple[int, str | None, int | None, int | None]]:
    return [(p.index, p.author, p.reply_to, p.likes) for p in thread.posts]


def test_a_reddit_copy_without_blank_lines_is_split_at_its_headers_and_buttons() -> None:
    """The redesign's copy: "r/…" / "Posted by u/…" above the title, then "level N" / name /
    "· 3 yr. ago" over each comment and its score and buttons under it, no blank lines between
    comments. It was one post holding every comment, and the subreddit was the title. Now each
    comment is a post by its author, its score its likes, "level 2" answering the level-1 post
    above it; no line of chrome is anyone's words."""
    thread = read_file(CHROME / "reddit_redesign.txt")
    assert thread.title == "How do I negotiate a senior PM offer?"
    assert rows(thread) == [(1, "cedar_lane", None, None), (2, "birch_path", None, 12), (3, "cedar_lane", 2, 3),
                            (4, "birch_path", 3, None), (5, "willow_bend", None, None)]
    assert thread.post(2).text == "Always counter. The first number is never the last one."
    assert thread.post(3).text == "What did you ask for, in percent?"


def test_old_reddit_headers_and_link_rows_are_no_text() -> None:
    """old.reddit's "[–]name 44 points 45 points 46 points 3 years ago (2 children)" and
    "permalink embed save parent report reply" were read as the posts' words (and a URL as the
    title). The header names the author and its score is the likes (the middle of the three the
    copy holds); the link row closes the post, even with no blank lines under it."""
    thread = read_file(CHROME / "old_reddit.txt")
    assert (thread.title, thread.url) == ("Is an MBA worth it for product managers?",
                                          "https://old.reddit.com/r/ProductManagement/comments/x1y2z3/is_an_mba_worth_it/")
    assert rows(thread) == [(1, None, None, None), (2, "quiet_otter", None, 45), (3, "maple_fox", 2, 12),
                            (4, "quiet_otter", None, 3)]
    assert thread.post(4).text == "That is the network part I meant, and you can build a network for less."


def test_hacker_news_headers_and_reply_links_are_no_text() -> None:
    """"brightfield 3 hours ago | parent | next [–]" over a comment and "reply" under it were
    its words, and the story's "212 points by lanternfish …" line was the opening post."""
    thread = read_file(CHROME / "hacker_news.txt")
    assert thread.post(1).text == thread.title == "Ask HN: Do product managers need to code?"
    assert [(p.index, p.author, p.likes) for p in thread.posts] == [
        (1, "lanternfish", 212), (2, "brightfield", None), (3, "tallgrass", None), (4, "brightfield", None),
        (5, "olive_tree", None)]
    assert thread.post(2).text.endswith("makes you a better negotiator.")


def test_hacker_news_replies_answer_the_comment_their_header_places_them_under() -> None:
    """A copy of an HN page loses the indentation, but each comment's header keeps its links: a
    comment on the story has no "parent", a reply to one has "parent", a reply to a reply "root |
    parent" too. So a reply answers the latest comment above it one level up where the headers
    tell that level; where they do not ("root | parent" under "root | parent": a reply to either),
    it stays unlinked. A comment on the story answers no comment, even one it quotes. Replies were
    all unlinked but for those that quoted a post."""
    thread = read_file(CHROME / "hacker_news_tree.txt")
    assert [(p.index, p.author, p.reply_to) for p in thread.posts] == [
        (1, "fernhill", None), (2, "copperpot", None), (3, "saltmarsh", 2), (4, "copperpot", 3),
        (5, "ninebark", None), (6, "quillon", 2), (7, "ridgeline", None)]
    assert thread.post(7).text.startswith("> No. Hiring managers")  # still a quote, not ridgeline's words
    old = read_file(CHROME / "hacker_news.txt")
    assert [(p.index, p.reply_to) for p in old.posts] == [(1, None), (2, None), (3, 2), (4, 3), (5, None)]


def test_a_whole_hacker_news_page_copied_reads_as_its_thread() -> None:
    """Ctrl+A on an HN page copies its menu ("Hacker News new | past | … | submit login") above the
    story, the comment box's "add comment" under it and the footer's links below the comments: the
    menu was the title, "add comment" the opener's post and the footer a post. Now the copy reads
    as the thread alone."""
    whole = read_file(CHROME / "hacker_news_whole_page.txt")
    thread = read_file(CHROME / "hacker_news_tree.txt")
    assert whole.title == thread.title
    assert [(p.index, p.author, p.reply_to, p.likes, p.text) for p in whole.posts] == [
        (p.index, p.author, p.reply_to, p.likes, p.text) for p in thread.posts]


def test_old_reddit_link_rows_say_which_comments_are_replies() -> None:
    """old Reddit's row under a reply holds "parent", under a comment on the post not: a reply
    just under a comment on the post answers it; one under another reply may answer either."""
    thread = read_file(CHROME / "old_reddit.txt")
    assert [(p.index, p.reply_to) for p in thread.posts] == [(1, None), (2, None), (3, 2), (4, None)]


@pytest.mark.parametrize("name", ["reddit_deleted.txt", "old_reddit_deleted.txt"])
def test_a_copys_deleted_and_removed_comments_are_no_ones_words(name: str) -> None:
    """A deleted comment's header ("[deleted]" / "· 3 yr. ago"; "[–][deleted] 0 points …") and
    its "[removed]" were a post of those words, cited as someone's. It is left out, keeping its
    number (the reply under it still answers it), and counted as left out, as in the JSON formats."""
    thread = read_file(CHROME / name)
    assert [p.index for p in thread.posts] == [1, 2, 4, 5]
    assert not any("[removed]" in p.text or "[deleted]" in p.text for p in thread.posts)
    assert thread.coverage is not None and thread.coverage.left_out == (3,) and thread.unread() == 1
    assert thread.coverage_note() is None  # a whole thread
    if name == "reddit_deleted.txt":
        assert thread.post(4).reply_to == 3  # "level 3" under the deleted "level 2"


def test_a_hacker_news_copys_deleted_and_flagged_comments_are_no_ones_words() -> None:
    """HN shows "[deleted]" under a header with no name, and "[flagged]" or "[dead]" in place of a
    comment's words; each is left out and keeps its place in the tree: a reply under it is not
    taken for a reply to the comment above it."""
    thread = plaintext.parse(
        "Ask HN: Should a PM learn SQL?\n\n\n"
        "fernhill 3 hours ago | next [–]\n\nYes, enough to check the numbers in a review.\n\nreply\n\n\n"
        "2 hours ago | parent | next [–]\n\n[deleted]\n\n\n"
        "quillon 1 hour ago | root | parent | next [–]\n\nWhat was deleted here?\n\nreply\n\n\n"
        "saltmarsh 1 hour ago | prev [–]\n\n[flagged]\n\nreply\n")
    assert [(p.index, p.author, p.reply_to) for p in thread.posts] == [
        (1, None, None), (2, "fernhill", None), (4, "quillon", 3)]
    assert thread.coverage is not None and thread.coverage.left_out == (3, 5)


def test_reddits_current_words_for_a_gone_post_are_no_ones_words() -> None:
    """Reddit's pages since 2023 say "Comment deleted by user", "Comment removed by moderator" and,
    under a title, "Sorry, this post was deleted by the person who originally posted it.": each
    was a post of those words."""
    thread = plaintext.parse(
        "Is an MBA worth it?\nSorry, this post was deleted by the person who originally posted it.\n\n\n"
        "birch_path\n•\n3mo ago\nOnly for a career switch.\n\n\n"
        "[deleted]\n•\n3mo ago\nComment deleted by user\n\n\n"
        "willow_bend\n•\n2mo ago\nComment removed by moderator\n")
    assert [(p.index, p.author, p.text) for p in thread.posts] == [
        (1, None, "Is an MBA worth it?"), (2, "birch_path", "Only for a career switch.")]
    assert thread.coverage is not None and thread.coverage.left_out == (3, 4)


def test_a_removed_opening_post_leaves_the_title_as_the_question() -> None:
    thread = plaintext.parse("Is a PM bootcamp worth it?\n\n[removed]\n\n\nNo, build something instead.\n")
    assert [(p.index, p.text) for p in thread.posts] == [(1, "Is a PM bootcamp worth it?"),
                                                         (2, "No, build something instead.")]


def test_a_collapsed_hacker_news_comment_is_no_post() -> None:
    """HN shows a collapsed comment as its header alone, "[3 more]" in place of its toggle: the
    header was a post of those words (by no one). The copy holds none of its words: no post."""
    thread = read_file(CHROME / "hacker_news_collapsed.txt")
    assert [(p.index, p.author) for p in thread.posts] == [(1, "fernhill"), (2, "copperpot"), (3, "ninebark")]
    assert not any("more]" in p.text for p in thread.posts)


def test_a_copy_of_hacker_news_comments_away_from_their_story_is_named() -> None:
    """A comment's own page (and a user's comments, /newcomments) shows "on: <story>" in each
    header: its first line, the comment's header, became the title. It is named, with what to
    copy instead."""
    with pytest.raises(ImportFailure) as caught:
        plaintext.parse("ridgeline 50 minutes ago | parent | context | on: Ask HN: How do you say no to a VP?\n\n"
                        "That is how you lose trust when the date comes.\n\nreply\n")
    assert caught.value.line == 1
    assert "Hacker News page of comments shown away from their story" in caught.value.message
    assert "on 'Ask HN: How do you say no to a VP?'" in caught.value.message
    assert "mentor add" in caught.value.message


def test_a_copy_of_reddits_current_pages_reads_its_comments() -> None:
    """Reddit's pages since 2023: "Go to comments", "Join the conversation", the sort menu and
    comment search were posts; each comment's "u/name avatar" / "name" / "OP" / "•" / "3mo ago" /
    "Edited 3mo ago" header was its text; its buttons, after blank lines, gave their score to the
    next post; AutoModerator's notice was a post and an advertisement ("Promoted") would have been
    one. Now each comment is its author's words with its own score, and the notice and the
    advertisement are no post (the notice, a bot's, is counted as left out)."""
    thread = read_file(CHROME / "reddit_2023.txt")
    assert thread.title == "Is an agency PM role a dead end?"
    assert [(p.index, p.author, p.likes) for p in thread.posts] == [
        (1, "cedar_lane", 14), (2, "birch_path", 12), (3, "cedar_lane", 3), (5, "willow_bend", 5)]
    assert thread.post(2).text.startswith("Agency work teaches you range")
    assert thread.post(3).text == "That ownership point is what worries me. Did you move in-house afterwards?"
    assert thread.coverage is not None and thread.coverage.left_out == (4,)
    assert not any("roadmap in minutes" in p.text for p in thread.posts)
    compact = read_file(CHROME / "reddit_2023_compact.txt")  # the same page copied without blank lines
    assert [(p.index, p.author, p.likes, p.text[:20]) for p in compact.posts] == [
        (1, "cedar_lane", 14, "An agency offered me"), (2, "birch_path", 12, "Agency work teaches "),
        (3, "cedar_lane", 3, "That ownership point"), (4, "willow_bend", 5, "Two years at an agen")]


#: Reddit's current page copied with a single blank line or none between comments: each header
#: ("name" / "•" / "5mo ago", a moderator's with "MOD") right under the words above it, each
#: score under its comment's words, an advertisement with its player among them. Our own words.
REDDIT_CURRENT = """Is a PM certificate worth it?
I have been a PM for two years and wonder whether a certificate helps me get promoted.

Any advice is welcome, thanks.

13
·
13
u/SomeBrand avatar
SomeBrand
•
Promoted

Buy our roadmap tool today.
View More
roadmaps.example
Clickable image which will reveal the video player: Buy our roadmap tool today
Collapse video player

0:00 / 0:00
Comments Section

AutoModerator
MOD
•
5mo ago
river_stone
•
5mo ago
Certificates mostly signal effort. Hiring managers look at what you shipped.

Good luck!


4
quiet_otter
•
3mo ago
Profile Badge for the Achievement Top 1% Commenter Top 1% Commenter
Good point, shipped work beats paper every time.

1
u/blue_heron-22 avatar
blue_heron-22
•
20d ago
I took one and it helped me switch teams.

The course was long and tiring.

3
Amber-Falcon3940
•
5mo ago
A certificate will not get you promoted by itself.

2
"""


def test_reddits_current_page_with_headers_under_the_words_above_reads_every_comment() -> None:
    """A header right under the words above it ("3" / "Amber-Falcon3940" / "•" / "5mo ago")
    started no post, so its comment was glued to the one above, scores and all; a moderator's
    header ("AutoModerator" / "MOD" / "•" / "5mo ago") with no words under it, left in the
    advertisement's block, took the next comment away with the advertisement. Now each comment
    is its author's with the score shown under it, and the advertisement, its player and the
    badges are no one's words."""
    thread = plaintext.parse(REDDIT_CURRENT)
    assert [(p.author, p.likes) for p in thread.posts] == [
        (None, 13), ("river_stone", 4), ("quiet_otter", 1), ("blue_heron-22", 3), ("Amber-Falcon3940", 2)]
    assert thread.post(2).text == "Certificates mostly signal effort. Hiring managers look at what you shipped.\n\nGood luck!"
    assert thread.post(3).text == "Good point, shipped work beats paper every time."
    assert thread.post(4).text == "I took one and it helped me switch teams.\n\nThe course was long and tiring."
    assert thread.post(5).text == "A certificate will not get you promoted by itself."
    assert not any(word in p.text for p in thread.posts for word in ("roadmap tool", "Badge", "0:00", "13"))


@pytest.mark.parametrize("name", ["reddit_2023.txt", "reddit_2023_compact.txt", "old_reddit_deleted.txt"])
def test_a_comment_marked_as_the_openers_names_the_opening_posts_author(name: str) -> None:
    """Reddit marks the opener's comments "OP" (old Reddit: "[S]", the submitter): the page says
    who asked, so the opening post is theirs. It stayed an unknown author's."""
    thread = read_file(CHROME / name)
    assert thread.post(1).author == "cedar_lane"


def test_an_opener_mark_names_no_one_without_a_name() -> None:
    thread = plaintext.parse("A title\n\nThe opening post.\n\n\nOP\n\nA reply by no one named.\n")
    assert [p.author for p in thread.posts] == [None, None]


@pytest.mark.parametrize("line", ["New", "Best", "Top"])
def test_a_menus_word_alone_among_words_stays_words(line: str) -> None:
    thread = plaintext.parse(f"A title\n\nThe opening post.\n\n\n{line}\n\n\nBrand new, and top of its class.\n")
    assert [p.text for p in thread.posts[1:]] == [line, "Brand new, and top of its class."]


def test_a_copy_of_a_discourse_topic_page_reads_its_posts() -> None:
    """A Discourse page copied: the category and tags under the title ("Career" / "Transitions")
    were the opening post and the real first post a reply; "412" / "views", the timeline's dates,
    "post by river_stone on Mar 3, 2024" (the line for screen readers above each post), the
    display name over its date and "3 months later" were posts' words (and the post after
    "… later" was by "later"); the related topics' table was a post. Now each post is its
    author's words, the category and tags are the thread's tags and the table is no part of it."""
    thread = read_file(CHROME / "discourse_page.txt")
    assert thread.title == "Moving from support into product: internal transfer or outside?"
    assert thread.tags == ("Career", "Transitions")
    assert [(p.index, p.author, p.likes) for p in thread.posts] == [
        (1, "river_stone", None), (2, "moss_park", 2), (3, "fen_grove", None)]
    assert thread.post(1).text.startswith("I have four years in customer support")
    assert thread.post(2).text.startswith("Internal is far easier")
    assert not any(word in post.text for post in thread.posts
                   for word in ("views", "post by", "Moss Park", "later", "Related", "QA to product"))


def test_short_lines_under_a_title_without_the_pages_lines_stay_the_opening_post() -> None:
    thread = plaintext.parse("Should I learn SQL?\nThoughts welcome\n\n\nriver_stone\nMar 3\nYes, the basics.\n")
    assert [(p.index, p.author, p.text) for p in thread.posts] == [
        (1, None, "Thoughts welcome"), (2, "river_stone", "Yes, the basics.")]


def test_discourse_counts_and_badges_and_vote_buttons_are_no_posts() -> None:
    """"1 Reply" alone was post 2, "Solution" the first word of a post and "Upvote 5 Downvote
    Reply Share" its last line. They are no one's words: the score is the post's likes."""
    thread = read_file(CHROME / "discourse_and_buttons.txt")
    assert [(p.index, p.likes) for p in thread.posts] == [(1, None), (2, 2), (3, 5)]
    assert thread.post(3).text.startswith("Take on backlog grooming")
    assert thread.post(3).text.endswith("a track record.")


@pytest.mark.parametrize("line", ["Reply to this, please: what did you ask for?", "Same 2 days ago",
                                  "Share your story", "Opening.", "Vs.", "12"])
def test_lines_of_words_like_the_pages_stay_words(line: str) -> None:
    thread = plaintext.parse(f"A title\n\nThe opening post.\n\n\n{line}\n")
    assert thread.post(2).text == line


def test_a_line_repeating_an_earlier_post_is_a_quote_of_it() -> None:
    """A browser's copy loses a quote's `>`: the quoted line was the replier's words (and cited
    as theirs). A line of five words or more found word for word in an earlier post is marked
    `> `, with Discourse's "name:" line above it when it names that post's author, and the post
    answers the post it quotes; a line the file marked with `>` tells whom the post answers too."""
    thread = plaintext.parse(
        "Should a PM learn SQL?\n\nriver_stone\nMar 3\nIs writing queries a PM's job or the data team's?\n\n\n"
        "quill_and_ink\nMar 4\nIt is a data team job. Your time is better spent with customers than with joins.\n\n\n"
        "harbor_lights\nMar 4\nquill_and_ink:\n\nYour time is better spent with customers than with joins.\n\n"
        "I disagree: the PMs I trust most check a number themselves.\n\n\n"
        "> Is writing queries a PM’s job or the data team’s?\n\nBoth, until the team is big enough.\n")
    assert [p.reply_to for p in thread.posts] == [None, None, 2, 1]
    assert thread.post(3).text == ("> quill_and_ink:\n\n> Your time is better spent with customers than with joins.\n\n"
                                   "I disagree: the PMs I trust most check a number themselves.")
    analysed = {p.index: p for p in analyse(thread).posts}
    assert [q.sentence for q in analysed[3].quotables] == ["I disagree: the PMs I trust most check a number themselves."]


def test_a_line_put_in_quotation_marks_that_repeats_an_earlier_post_is_a_quote_of_it() -> None:
    """A Hacker News reply quotes its parent as a line in quotation marks ('"Article fails to
    explain ..."'): it was left as the replier's words, and headed their opinion (a trial's)."""
    thread = plaintext.parse(
        "Developer to PM?\n\nWhy would a developer want to become a PM?\n\n\n"
        "The quorl article never says why a developer would want to be a PM. I doubt anyone does.\n\n\n"
        "\u201cThe quorl article never says why a developer would want to be a PM.\u201d\n\n"
        "More money and more say, in most companies.\n")
    assert [p.reply_to for p in thread.posts] == [None, None, 2]
    assert thread.post(3).text.startswith("> \u201cThe quorl article")
    analysed = {p.index: p for p in analyse(thread).posts}
    assert all("quorl article" not in q.sentence for q in analysed[3].quotables)


def test_a_dump_read_as_one_post_says_so_naming_the_file_and_how_to_split_it(tmp_path: Path) -> None:
    """Posts copied without blank lines or headers between them were one post, the opener's,
    and nothing said so. The import still reads the one post (a post may be written a sentence
    a line) but says, naming the file, that it did and how to mark where posts end."""
    from mentor.corpus.ingest import ingest
    from mentor.corpus.store import ThreadStore

    merged = tmp_path / "merged.txt"
    merged.write_text("Should I move from support into product?\n"
                      "Four years in support, and I keep getting pulled into roadmap meetings.\n"
                      "Go for it. Support people know the customer better than anyone.\n"
                      "Try an internal transfer first; it is easier than applying outside.\n", encoding="utf-8")
    wrapped = tmp_path / "wrapped.txt"  # one post: a paragraph wrapped at a fixed width, and another
    wrapped.write_text("Is a PM certificate worth it?\nI am weighing a certificate course that costs\n"
                       "two months of rent.\n\nHas it helped anyone?\n", encoding="utf-8")
    (tmp_path / "home").mkdir()
    report = ingest(ThreadStore(tmp_path / "home"), [merged, wrapped, FIXTURES / "plain_thread.txt"])
    thread_id = "should-i-move-from-support-into-product"
    assert list(report.read_as) == [thread_id]
    note = report.read_as[thread_id]
    assert note.startswith(f"{merged}: read as one post: 3 of its lines follow one another without a blank line")
    assert "put two blank lines between posts" in note


def test_markdown_without_its_front_matter_says_how_it_was_read() -> None:
    """mentor's Markdown saved without its front matter is a plain-text dump of one post: the
    import says so and how to fix it, and the title loses its heading mark ("# Are …")."""
    from mentor.importers.plaintext import one_post_note

    thread = plaintext.parse("# Are quorl hackathons worth it?\n\n## Ann · 3 likes\n\nWorth it for the people.\n\n"
                             "## Ben\n\nA distraction from real work.\n")
    assert thread.title == "Are quorl hackathons worth it?" and len(thread.posts) == 1
    note = one_post_note(thread)
    assert note is not None and "2 lines opening with '## '" in note and "front matter" in note
    assert plaintext.parse("#1 torv tip for PMs\n\nShip it.\n").title == "#1 torv tip for PMs"


def test_posts_under_bold_or_colon_headers_read_as_one_post_say_so() -> None:
    """A Markdown copy with "**reply (tom_h):**" over each post, one blank line between, was one
    post and nothing said so (a trial user's, 2026-11-30); "Pros:" inside one post says nothing."""
    from mentor.importers.plaintext import one_post_note

    thread = plaintext.parse("# Share the quorl roadmap?\n\n**OP (dana_r):**\n\nSales want our quorl roadmap.\n\n"
                             "**reply (tom_h):**\n\nShare themes, not dates.\n\nTom wrote:\n\nNever dates.\n")
    note = one_post_note(thread)
    assert len(thread.posts) == 1 and note is not None
    assert note.startswith("read as one post: its 3 lines like '**OP (dana_r):**' look like the headers of posts")
    single = plaintext.parse("Is a quorl worth it?\n\nPros:\n\nIt is cheap, and quick to set up.\n")
    assert one_post_note(single) is None


def test_replies_one_blank_line_apart_read_as_one_post_say_so() -> None:
    """A trial user's thread: a title, the question and four replies, one blank line apart (a
    post's paragraphs), was one post and nothing said so."""
    from mentor.importers.plaintext import one_post_note

    thread = plaintext.parse("# Learn quorl or torv as a new PM?\n\nWhich one should I learn this year?\n\n"
                             "Learn quorl. It pays off in every meeting.\n\nLearn torv. It earns the team's trust.\n\n"
                             "Neither. Talk to customers first.\n")
    assert len(thread.posts) == 1
    assert one_post_note(thread) == ("read as one post of 4 paragraphs: one blank line separates a post's "
                                     "paragraphs; if they are several posts, put two blank lines between posts")


#: Reddit's current page copied whole (Ctrl+A): its header, the subreddit, the opener's header
#: over the title, the post's buttons with its score and comment count, an advertisement with
#: "Promoted" alone above it. Our own words.
REDDIT_CURRENT_PAGE = """Skip to main content
r/ProductManagement
Log In

Go to ProductManagement
r/ProductManagement
•
2mo ago
quiet_torv_88

Is it normal that my CPO rewrites every quorl roadmap I present?

Third review in a row where the CPO throws out my quorl priorities. Is this normal?

Upvote
156

Downvote

63
Go to comments


Share

u/plinth_veteran avatar
plinth_veteran
•
2mo ago

Not normal. A CPO who rewrites priorities live is telling you the strategy was never shared.

Upvote
88
Downvote
Reply

Share

Promoted

Try our quorl analytics platform free for 30 days
Learn More
analytics.example.com

u/burnt_torv avatar
burnt_torv
•
1mo ago

I left a job for exactly this. Two years of being rewritten taught me nothing.

Upvote
12
Downvote
Reply
"""

#: Old Reddit's page copied: "(self.subreddit)" after the title, the opener's "submitted … by",
#: the line over the comments. Our own words.
OLD_REDDIT_PAGE = """Should I take a pay cut to be a startup's first quorl PM? (self.ProductManagement)

submitted 2 years ago by nervous_about_torv

Senior PM at a bank. A seed-stage startup offered me the founding PM role for less cash.

34 comments
share save hide report

all 34 comments
sorted by: best

[–]torv_skeptic 52 points 2 years ago

Seed equity is a lottery ticket. With a mortgage, I would not take the cut.

permalink embed save report reply
"""


def test_a_whole_reddit_page_copied_keeps_its_title_opener_and_score() -> None:
    """The page's header ("Log In", "Go to ProductManagement") was the title, or the opener's
    name under the subreddit and date was; the post's comment count (63) was its score; an
    advertisement with "Promoted" alone above it was a post."""
    thread = plaintext.parse(REDDIT_CURRENT_PAGE)
    assert thread.title == "Is it normal that my CPO rewrites every quorl roadmap I present?"
    assert [(p.author, p.likes) for p in thread.posts] == [
        ("quiet_torv_88", 156), ("plinth_veteran", 88), ("burnt_torv", 12)]
    assert not any("analytics" in p.text or "Log In" in p.text for p in thread.posts)


def test_an_old_reddit_page_keeps_its_title_and_opener_and_no_sort_line_post() -> None:
    """"all 34 comments" was a post by "all", quoted as an opinion ("sorted by: best"); the title
    kept "(self.ProductManagement)" and the opening post began "submitted 2 years ago by …"."""
    thread = plaintext.parse(OLD_REDDIT_PAGE)
    assert thread.title == "Should I take a pay cut to be a startup's first quorl PM?"
    assert [(p.author, p.likes) for p in thread.posts] == [("nervous_about_torv", None), ("torv_skeptic", 52)]
    assert thread.post(1).text == "Senior PM at a bank. A seed-stage startup offered me the founding PM role for less cash."
    assert plaintext.parse("Ask HN: Is PM a real job? (example.com)\n\nIt is.\n").title == "Ask HN: Is PM a real job?"


@pytest.mark.parametrize("separator", ["---", "***", "* * *", "=====", "~~~", "____"])
def test_a_line_of_dashes_or_stars_separates_posts(separator: str) -> None:
    """A trial's hand-pasted threads had "---" or "***" between posts and were read as one or
    two posts, the asker holding a reply's side (2026-11-30). Under the title such a line is its
    underline; two in a row, or one after blank lines, make no empty post."""
    text = (f"Bank PM to tech?\n{separator}\nShould I move?\n\n{separator}\n\nYes, move.\n{separator}\n"
            f"{separator}\nNo, stay.\n\n\nIt depends.\n")
    thread = plaintext.parse(text)
    assert thread.title == "Bank PM to tech?"
    assert [p.text for p in thread.posts] == ["Should I move?", "Yes, move.", "No, stay.", "It depends."]

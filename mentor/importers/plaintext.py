"""Plain-text forum dumps: what you get by copying a forum thread out of a browser.

The shape (see ../shared/seeds/ for a real one):

- the first line is the thread's title; the rest of the first block is the opening post (index 1).
  A first block holding only the title is a title-only opening post (a link or meme submission,
  as in ../shared/real-threads/): its text is the title, and the next block is post 2;
- posts are separated by two or more blank lines, or by a line of "---", "***", "* * *" or the
  like (one under the title is its underline); paragraphs inside a post by one blank line;
- a line `N Like` / `N Likes` closes the post above it and gives its like count (text after it,
  even after a single blank line, starts the next post);
- a post that starts with `@Name,` is a reply to Name's latest earlier post; `@OP,` (the thread's
  opener, whatever their name) to the opening post, and `@everyone,` (`@all`, … in
  `boilerplate.yaml`) to no one post;
- a post may open with the header a browser's copy shows above it: its author's name on a line,
  then when it was written on the next ("river_stone" / "Mar 3", "5 days ago", "10:42 AM": the
  forms of `plaintext.post_dates` in `boilerplate.yaml`). The name is the post's author, and
  neither line is its text. A header alone in its block heads the next block (the copy put two
  blank lines under it). A first line without a date line under it is the post's own words
  ("Priya" / "I disagree…" stays text): only the date line tells a header from a post;
- a post of emoji or a link alone keeps its number but is no source (`citable` False), as in
  the other formats;
- a post whose words are gone ("[deleted]", "[removed]", Hacker News's "[dead]", "[flagged]":
  `is_gone_placeholder`), and a bot's (AutoModerator and the other names Reddit's importer
  knows, or signed "I am a bot…") are no one's words: left out, keeping their numbers (replies
  still answer them) in the thread's `coverage.left_out`, as the JSON importers leave such posts
  out. A removed opening post leaves the title as the question;
- the page's own lines (`page_chrome`: "12 points · 3y ago", "Reply Share Report", "level 2",
  "[–] quiet_otter 45 points 3 years ago", "brightfield 3 hours ago | parent | next [–]", "1 Reply")
  are no text: above a post they are its header (an author; where the post sits in the page's
  tree of replies: Reddit's level N, Hacker News's "parent" and "root" links, old Reddit's
  "parent" under a reply; see `_tree_parent`), and a score among them is its likes when no like
  line gives them. Where a copy kept no blank lines between posts, a header after a post's words starts the
  next post (a one-line header, or a name over a run of chrome with a date: "jsmith" / "•" /
  "5mo ago"), and so do words after a row of buttons (see `_blocks`); numbers alone under a
  headed post's words are its score (Reddit's pages since 2023 show it there). Above the title, the page's
  address (kept as the thread's URL), its place ("r/ProductManagement") and the opener's header
  ("Posted by u/jsmith") are no title;
- a line repeating an earlier post's words is a quote of it (`quotes`): marked `> `, and the post
  answers the one it quotes when no `@Name,` or the page's tree says whom.

Where no header names them, authors are not printed in such dumps, but replies reveal them. An
inferred author is cited as fact, so one is inferred only on evidence, and left unknown when the
evidence is ambiguous. An `@Name,` reply answers one of the author-less posts among the last
`REPLY_WINDOW` above it; each is weighed by what ties the reply to it:

- every word the two share (five letters or more, not a common one): 1;
- a question in it (a sentence ending in `?`) that shares such a word with the reply: 2, since
  a reply that answers a question is stronger evidence than being next to it;
- being the post just above the reply: 1 (people mostly answer the post above theirs).

The heaviest post is Name's, unless another weighs as much (ambiguous: nobody's, and the reply
stays unlinked unless an earlier reply showed a post of Name's). A Name a header showed makes
no other post theirs: the reply answers that person's latest post. "@OP" and "@everyone" are
nobody's name: they make no post anyone's. In the seed
thread, "@Ahmad, Not that I should be speaking for him but driving alignment just means…" thus
answers "Can you expand a bit on what you meant by “driving alignment”?" two posts up, not the
joke between them ("I see what you did there"). Posts that no reply follows keep an unknown author.
"""

from __future__ import annotations

import re
from dataclasses import replace

from mentor.corpus.model import Coverage, Post, Thread, slugify
from mentor.errors import ImportFailure
from mentor.untrusted import printable
from mentor.importers import page_chrome
from mentor.importers.boilerplate import (
    has_bot_footer,
    has_own_words,
    is_common_word,
    is_gone,
    is_bot,
    is_gone_on_hacker_news,
    is_post_date,
    page_ends,
)
from mentor.importers.quotes import mark_quotes
from mentor.importers.replies import (
    names_a_person,
    one_line,
    read_count,
    replied_name,
    replied_post,
    tidy_paragraphs,
)

FORMAT = "plaintext"

_LIKES_LINE = re.compile(r"^\s*(?P<n>\d+)\s+likes?\s*$", re.IGNORECASE)
#: A line of three or more of one of - * _ = ~ alone (spaces between allowed): how people mark
#: where one post ends and the next begins when they paste a thread by hand (Markdown's
#: thematic break). A trial's file with "---" and "***" between posts was read as two posts.
_SEPARATOR_LINE = re.compile(r"^\s*([-*_=~])(?:\s*\1){2,}\s*$")
_URL_LINE = re.compile(r"<?https?://\S+>?")
#: How many posts above an `@Name,` reply may be the post it answers.
REPLY_WINDOW = 3
_WORD = re.compile(r"[^\W\d_]{5,}")
_QUESTION = re.compile(r"[^.!?\n]*\?")
#: A Markdown heading's marks before a title ("# Are hackathons worth it?").
_HEADING = re.compile(r"^#{1,6}\s+")
#: The site a page shows after a thread's title: old Reddit's "(self.ProductManagement)" for a
#: text post, and old Reddit's and Hacker News's "(example.com)" for a link.
_SITE_AFTER_TITLE = re.compile(r"\s+\((?:self\.\w+|[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,})\)$")
#: A forum name as a post's header shows it: one to four words of letters, digits and `. _ - '`
#: ("river_stone", "m.okafor", "Tomás Ruiz"), of at most `NAME_CHARS` characters.
_NAME = re.compile(r"[\w'’][\w.'’\-]*(?: [\w'’][\w.'’\-]*){0,3}")
NAME_CHARS = 40


def parse(text: str, source: str = "") -> Thread:
    lines = _before_page_end(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    _refuse_comments_away_from_their_story(lines)
    url, opener = _above_title(lines)
    blocks = _blocks(lines)
    if not blocks:
        raise ImportFailure("expected a title on the first line, found only blank lines", line=1)
    first_line, first_block, first_likes = blocks[0]
    title = _HEADING.sub("", one_line(first_block[0])) or one_line(first_block[0])  # "# Title" saved as Markdown
    title = _SITE_AFTER_TITLE.sub("", title) or title  # old Reddit's "(self.ProductManagement)"
    opening = first_block[1:]
    rest = blocks[1:]
    if not any(line.strip() for line in opening):
        if not rest:
            raise ImportFailure("expected the opening post below the title",
                                line=min(first_line + 1, len(lines)))  # the file may end at the title
        opening = [title]
    posts: list[Post] = []
    #: The number of each post, read or left out, and where it sits in the page's tree of replies,
    #: as far as its chrome says (`_tree_parent`).
    tree: list[tuple[int, tuple[int, int | None] | None]] = []
    #: The numbers of the posts whose words are gone (`is_gone_placeholder`), left out.
    gone: list[int] = []
    #: The names the posts' headers showed (casefolded): a reply to one makes no other post theirs.
    headed: set[str] = set()
    posts_read = _headed([(opening, first_likes)] + [(b, n) for _, b, n in rest], title)
    tags: tuple[str, ...] = ()
    framed = any((chrome := page_chrome.read(line)) is not None and chrome.strong for line in opening)
    if len(posts_read) > 1 and posts_read[0][0].author is None and posts_read[1][0].author is not None \
            and framed and posts_read[0][1] != [title] and _labels(posts_read[0][1]):
        # Discourse's category and tags under the title, among the page's lines ("412" / "views"):
        # the first post is the next block, under its header.
        tags = tuple(" ".join(line.split()) for line in posts_read[0][1] if line.strip())
        head, lines_of, likes = posts_read[1]
        posts_read = [(head, lines_of, likes if likes is not None else posts_read[0][2])] + posts_read[2:]
    for head, block_lines, likes in posts_read:
        author = head.author or (opener if not tree else None)
        text = tidy_paragraphs("\n".join(block_lines))
        index = len(tree) + 1
        depth = (-1, -1) if index == 1 else head.depth  # the opening post is the thread's own
        if is_gone_placeholder(text) or index > 1 and (is_bot(author) or has_bot_footer(text)):
            if index > 1:  # no one's words: left out, keeping its number so that replies still answer it
                gone.append(index)
                tree.append((index, depth))
                continue
            text = title  # an opening post removed: the title is the question, as a title-only post
        body, quoted = mark_quotes(text, posts)
        placed, reply_to = _tree_parent(tree, depth)
        name = replied_name(body)
        if name is not None:
            answered = _answered(posts, body) if names_a_person(name) and name.casefold() not in headed else None
            if answered is not None:
                posts[answered] = replace(posts[answered], author=name)
            if not placed:
                reply_to = replied_post(posts, name)
        elif not placed:
            reply_to = quoted
        if author is not None:
            headed.add(author.casefold())
        if head.opener and author is not None and posts and posts[0].index == 1 and posts[0].author is None:
            posts[0] = replace(posts[0], author=author)  # the page marks this author as the thread's opener
        posts.append(Post(index=index, author=author, text=body, likes=likes, reply_to=reply_to,
                          citable=has_own_words(body)))
        tree.append((index, depth))
    held = len(tree)
    return Thread(id=slugify(title), title=title, posts=tuple(posts), url=url, source=source, format=FORMAT,
                  tags=tags, coverage=Coverage(held=held, total=held, left_out=tuple(gone)) if gone else None)


#: At most this many lines, of at most `LABEL_WORDS` words each, are a page's labels under a title.
LABEL_LINES = 5
LABEL_WORDS = 3


def _labels(lines: list[str]) -> bool:
    """Whether `lines` (what stands between the title and the first post's header, with the
    page's lines there) are a page's labels, not a post: a few lines of a few words each, none a
    sentence (no `.`, `?`, `!` or `:` in them) nor a link, as Discourse shows a topic's category
    and tags ("Career" / "Transitions" over "412" / "views")."""
    words = [" ".join(line.split()) for line in lines if line.strip()]
    return 0 < len(words) <= LABEL_LINES and all(
        len(line.split()) <= LABEL_WORDS and not re.search(r"[.?!:/]", line) for line in words)


#: A line that ends a sentence: its last character (closing quotes and brackets aside) ends one.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


#: A thread read as one post of this many paragraphs or more is said to be so: a thread is a
#: discussion, and a trial user's replies, one blank line apart, were one post with no word of
#: it (2026-11-30). Two paragraphs (a question and "Has it helped anyone?") say nothing.
PARAGRAPHS_NOTED = 3


def one_post_note(thread: Thread) -> str | None:
    """What to tell someone whose plain-text dump was read as a single post although its lines
    may be several (None otherwise): the opening post alone, holding lines that end a sentence
    with the next line right under it, no blank line between (several posts copied without the
    blank lines and headers that separate them, or one post written a sentence a line). Lines
    that continue a sentence (a paragraph wrapped at a fixed width) and paragraphs between blank
    lines are a post's own shape, and say nothing. E.g. "read as one post: 4 of its lines follow
    one another without a blank line between, and no post header (a name over a date) splits
    them; if they are several posts, put two blank lines between posts". Lines opening with
    "## " (mentor's Markdown's post headings, its front matter missing) are said to be so, and
    so is a post of `PARAGRAPHS_NOTED` paragraphs or more, one blank line apart."""
    if thread.format != FORMAT or len(thread.posts) != 1:
        return None
    lines = thread.posts[0].text.split("\n")
    headings = sum(line.startswith("## ") for line in lines)
    if headings >= 2:  # mentor's Markdown without its front matter
        return (f"read as one post: its {headings} lines opening with '## ' look like the post headings of "
                "mentor's Markdown, which needs its front matter first (a line '---', 'title: …', a line "
                "'---'; see corpus/README.md); if they are several posts, add it")
    labels = _header_like(lines)
    if len(labels) >= 2:
        return (f"read as one post: its {len(labels)} lines like '{printable(labels[0])}' look like the "
                "headers of posts; if they are several posts, put two blank lines between posts (one blank "
                "line separates a post's paragraphs)")
    joined = {at + step for at, (line, below) in enumerate(zip(lines, lines[1:]))
              if line.strip() and below.strip() and _SENTENCE_END.search(line) for step in (0, 1)}
    if joined:
        return (f"read as one post: {len(joined)} of its lines follow one another without a blank line between, "
                "and no post header (a name over a date) splits them; if they are several posts, put two blank "
                "lines between posts (one blank line separates a post's paragraphs)")
    paragraphs = [p for p in thread.posts[0].text.split("\n\n") if p.strip()]
    if len(paragraphs) >= PARAGRAPHS_NOTED:
        return (f"read as one post of {len(paragraphs)} paragraphs: one blank line separates a post's "
                "paragraphs; if they are several posts, put two blank lines between posts")
    return None


def _header_like(lines: list[str]) -> list[str]:
    """The lines of `lines` that stand alone between blank lines, hold at most six words and end
    with a colon or are bold, ending no sentence ("**reply (tom_h):**", "Dana wrote:", "**Dana**"):
    how a copied thread names each post's writer."""
    found = []
    for at, line in enumerate(lines):
        text = line.strip()
        alone = (at == 0 or not lines[at - 1].strip()) and (at + 1 == len(lines) or not lines[at + 1].strip())
        labelled = text.rstrip("*_").endswith(":") or (text.startswith("**") and text.endswith("**") and len(text) > 4)
        if text and alone and labelled and len(text.split()) <= 6 and not re.search(r"[.?!]", text):
            found.append(text)
    return found


def is_gone_placeholder(text: str) -> bool:
    """Whether `text` is what a forum page shows in place of words that are gone: Reddit's
    "[deleted]", "[removed]"…, Hacker News's "[dead]", "[flagged]" (`boilerplate.yaml`)."""
    return is_gone(text) or is_gone_on_hacker_news(text)


#: The line that names the list of other threads, just above its header row ("Related topics").
_OTHER_THREADS = re.compile(r"(related|suggested) topics", re.IGNORECASE)


def _before_page_end(lines: list[str]) -> list[str]:
    """`lines` up to where the page's thread ends and its list of other threads begins (the
    header row of Discourse's related topics, `plaintext.ends` in `boilerplate.yaml`, with the
    "Related topics" line and the table's caption above it): the rest is no part of the thread."""
    end = re.compile("|".join(f"(?:{pattern})" for pattern in page_ends()), re.IGNORECASE)
    for at, line in enumerate(lines):
        if at and end.fullmatch(" ".join(line.split())):
            above = [up for up in range(max(0, at - 3), at) if _OTHER_THREADS.fullmatch(" ".join(lines[up].split()))]
            return lines[:above[0] if above else at]
    return lines


def _refuse_comments_away_from_their_story(lines: list[str]) -> None:
    """An ImportFailure for a copy of a Hacker News page that shows comments away from their
    story (`page_chrome.story_of`): a comment's own page is a subthread, its first line no title,
    and a user's comments or /newcomments are comments of many stories."""
    for number, line in enumerate(lines, start=1):
        if (story := page_chrome.story_of(line)) is not None:
            raise ImportFailure(
                f"this is a copy of a Hacker News page of comments shown away from their story (a comment's own "
                f"page, a user's comments or /newcomments; this one is on '{story}'), not a story's thread: copy "
                "the story's page (news.ycombinator.com/item?id=<the story's id>), or run 'mentor add <the "
                "comment's URL>', which fetches its whole story", line=number)


def _above_title(lines: list[str]) -> tuple[str | None, str | None]:
    """Blank out, in place, what a copy holds above the thread's title: the page's address, the
    forum's place ("r/ProductManagement") and the opening post's header ("Posted by u/jsmith
    3 years ago"), as `page_chrome` reads them. Returns (the address, the header's name)."""
    url = author = None
    strong = dated = False
    for at, line in enumerate(lines):
        if not line.strip():
            continue
        if _URL_LINE.fullmatch(line.strip()):
            url = url or line.strip()
        elif (chrome := page_chrome.read(line)) is not None and (chrome.strong or strong):
            strong = True
            author = author or chrome.author
            dated = chrome.dated
        elif dated and author is None and _is_name(line):  # "r/ProductManagement" / "•" / "5mo ago" / "jsmith"
            author, dated = " ".join(line.split()), False
        else:
            break
        lines[at] = ""
    return url, author


def _tree_parent(tree: list[tuple[int, tuple[int, int | None] | None]],
                 depth: tuple[int, int | None] | None) -> tuple[bool, int | None]:
    """Whom a post at `depth` in the page's tree of replies answers, by the numbers and depths of
    the posts above it (`tree`, in order; the opening post's depth (-1, -1)): (whether the tree
    tells it, the number of the post it answers, None for the thread itself).

    A page lists a reply after the post it answers and that post's earlier replies, all of them
    deeper than the reply. So the post it answers is the latest above it that is shallower than
    it: found when the posts between are certainly no shallower than the reply and that one
    certainly is. A post whose depth the copy does not tell, or may be either, leaves it untold
    (None, or a reply `@Name,` or a quote may tell it)."""
    if depth is None:
        return False, None
    least, most = depth
    if most == 0:
        return True, None  # a comment on the thread itself, whatever is above it
    for at in range(len(tree) - 1, -1, -1):
        number, above = tree[at]
        if above is None:
            return False, None
        if above[1] is not None and above[1] < least:
            return True, (number if at else None)  # the opening post: the reply is on the thread itself
        if most is None or above[0] < most:
            return False, None
    return False, None


def _headed(blocks: list[tuple[list[str], int | None]],
            title: str) -> list[tuple[page_chrome.Chrome, list[str], int | None]]:
    """(header, lines, likes) of each post: what its header and the page's chrome around it say
    (its author, Reddit tree level; see `_chrome_around`) and its lines without them. Likes are
    its like line's, else the score its chrome shows. A block of a header alone heads the next
    block; a block of the page's chrome alone is no post (its score, under a post without likes,
    is that post's); alone at the end, it heads no post, but for the opening post's (a
    title-only opening post: the title), as it does when the next block has a header of its own.
    """
    posts: list[tuple[page_chrome.Chrome, list[str], int | None]] = []
    pending: tuple[page_chrome.Chrome, int | None] | None = None  # a header alone, for the next block
    for position, (lines, likes) in enumerate(blocks):
        head, text, score, above = _chrome_around(lines)
        if above is not None and posts and posts[-1][2] is None and pending is None:
            posts[-1] = (posts[-1][0], posts[-1][1], above)  # the buttons under the post above, and its score
        if pending is not None and head.author is not None and not posts:
            posts.append((pending[0], [title], pending[1]))  # the opener's header over a title-only post
        elif pending is not None:
            head = page_chrome.Chrome(author=head.author or pending[0].author,
                                      level=head.level if head.level is not None else pending[0].level,
                                      depth=head.depth if head.depth is not None else pending[0].depth,
                                      opener=head.opener if head.author else pending[0].opener)
            likes = likes if likes is not None else pending[1]
        pending = None
        likes = likes if likes is not None else score
        if head.promoted and posts:  # an advertisement among the comments: no post of the thread
            continue
        if not any(line.strip() for line in text):
            if head.collapsed:  # a collapsed comment: none of its words (nor its replies) are in the copy
                continue
            if (head.author is not None or head.level is not None or head.depth is not None) \
                    and position + 1 < len(blocks):
                pending = (head, likes)
                continue
            if posts:
                if likes is not None and posts[-1][2] is None:
                    posts[-1] = (posts[-1][0], posts[-1][1], likes)
                continue
            text = [title]
        posts.append((head, text, likes))
    return posts


def _chrome_around(lines: list[str]) -> tuple[page_chrome.Chrome, list[str], int | None, int | None]:
    """The header a block of lines opens with (its author and level), its lines without the
    page's chrome above and below its words, the score that chrome shows, and the score shown
    by the buttons the block opens with, which close the post above it (a copy that put blank
    lines between a post and its buttons: "Upvote" / "12" / "Downvote" / "Reply" over the next
    post's header).

    Above: lines `page_chrome.read` reads (a one-line header among them), and a name line (see
    `_NAME`; Reddit's "[deleted]", naming no one) over such lines one of which is a date
    ("river_stone" / "Mar 3"; "jsmith" / "•" / "3y ago"); under a header, its name again (Reddit
    shows "u/jsmith avatar" / "jsmith" / "•" / "3mo ago"). Below: lines it reads. Either is
    chrome only when it names an author or holds a strong line: "Mar 3" / "10:42 AM" alone stays
    the post's words."""
    content = [at for at, line in enumerate(lines) if line.strip()]
    readings = {at: page_chrome.read(lines[at]) for at in content}
    for at, below in zip(content, content[1:]):  # "412" over "views": a count of views, no score
        if (number := readings[at]) is not None and number.score is not None and (unit := readings[below]) is not None \
                and unit.unit:
            readings[at] = replace(number, score=None)
    author: str | None = None
    top: list[page_chrome.Chrome] = []
    first = 0
    while first < len(content):
        at = content[first]
        chrome = readings[at]
        if chrome is not None and (chrome.author is None or author is None):
            author = author or chrome.author
        elif chrome is None and author is None and _is_name(lines[at]) and _dated_below(content[first + 1:], readings):
            author = " ".join(lines[at].split())
            chrome = page_chrome.Chrome(author=author, strong=True)
        elif chrome is None and author is None and is_gone(lines[at]) and _dated_below(content[first + 1:], readings):
            chrome = page_chrome.Chrome(strong=True)  # "[deleted]" / "3y ago": a deleted author's header
        elif chrome is None and author is not None and " ".join(lines[at].split()).casefold() == author.casefold():
            chrome = page_chrome.Chrome(strong=True)  # the name again, under its avatar's line
        elif chrome is None and author is not None and _is_name(lines[at]) \
                and _dated_below(content[first + 1:], readings):
            chrome = page_chrome.Chrome(strong=True)  # Discourse's "Moss Park" / "Mar 2024" under "post by moss_park"
        else:
            break
        top.append(chrome)
        first += 1
    if author is None and not any(chrome.strong for chrome in top):
        top, first = [], 0
    # The buttons the block opens with, before any header, close the post above it; so do the
    # numbers alone over a header's name line (a score the page shows under the post above).
    opening = next((at for at, chrome in enumerate(top)
                    if chrome.author is not None or chrome.level is not None or chrome.depth is not None), len(top))
    closing = max((at + 1 for at, chrome in enumerate(top[:opening]) if chrome.closes), default=0)
    if opening < len(top) and top[opening].strong and 0 < opening and not any(
            chrome.strong or chrome.dated for chrome in top[:opening]):
        closing = opening
    above, top = top[:closing], top[closing:]
    bottom: list[page_chrome.Chrome] = []
    last = len(content)
    while last > first and (chrome := readings[content[last - 1]]) is not None and chrome.author is None:
        bottom.insert(0, chrome)  # in the page's order: "Upvote" / "87" / "Downvote" / "42" (comments)
        last -= 1
    # Numbers alone under a headed post, a blank line below its words: its score, as Reddit's
    # pages since 2023 show it ("jsmith" / "•" / "3mo ago" over the words, "12" under them).
    scored = bool(bottom) and author is not None and all(chrome.score is not None for chrome in bottom) \
        and last > first and content[last] - content[last - 1] > 1
    if not any(chrome.strong for chrome in bottom) and not scored:
        bottom, last = [], len(content)
    text = lines[content[first]:content[last - 1] + 1] if first < last else []
    levels = [chrome.level for chrome in top if chrome.level is not None]
    scores = [chrome.score for chrome in top + bottom if chrome.score is not None]
    depths = [chrome.depth for chrome in top + bottom if chrome.depth is not None]
    above_scores = [chrome.score for chrome in above if chrome.score is not None]
    return (page_chrome.Chrome(author=author, level=levels[0] if levels else None,
                               depth=depths[0] if depths else None,
                               promoted=any(chrome.promoted for chrome in top),
                               opener=author is not None and any(chrome.opener for chrome in top)), text,
            scores[0] if scores else None, above_scores[0] if above_scores else None)


def _dated_below(below: list[int], readings: dict[int, page_chrome.Chrome | None]) -> bool:
    """Whether the lines numbered `below` (the next lines of words, in order) open with a run of
    chrome, next to the line above them, one of which is a date."""
    for offset, at in enumerate(below):
        chrome = readings[at]
        if chrome is None or chrome.author is not None or (offset and at != below[offset - 1] + 1):
            return False
        if chrome.dated:
            return True
    return False


def _header_starts(lines: list[str], number: int) -> bool:
    """Whether line `number` (1-based) of `lines` is a name over a run of chrome holding a date,
    the next lines with no blank between them ("jsmith" / "•" / "3mo ago"; "AutoModerator" /
    "MOD" / "•" / "5mo ago"): a post's header, which starts the next post where a copy kept no
    blank lines between posts."""
    if not _is_name(lines[number - 1]):
        return False
    for line in lines[number:number + 4]:
        chrome = page_chrome.read(line) if line.strip() else None
        if chrome is None or chrome.author is not None:
            return False
        if chrome.dated:
            return True
    return False


def _carried_over(block: list[str]) -> tuple[list[str], list[str]]:
    """`block` without its last lines when they are numbers and separators alone ("3"; "13" /
    "·" / "13") or an advertisement's "Promoted", and those lines (with the blank ones among
    them), which go with the next block: numbers under a post, over the next one's header, are
    the post's score as the page shows it below its words (`_chrome_around` gives a score above
    a header to the post above); "Promoted" heads the advertisement below it."""
    end = len(block)
    while end > 0 and (not block[end - 1].strip() or _bare_count(block[end - 1])
                       or (chrome := page_chrome.read(block[end - 1])) is not None and chrome.promoted):
        end -= 1
    if not any(line.strip() for line in block[end:]) or not any(char.isalpha() for line in block[:end] for char in line):
        return block, []
    return block[:end], block[end:]


def _bare_count(line: str) -> bool:
    """Whether `line` is a number or a separator alone (weak chrome: a score, a count)."""
    chrome = page_chrome.read(line)
    return chrome is not None and not chrome.strong and not chrome.dated and not any(ch.isalpha() for ch in line)


def _is_name(line: str) -> bool:
    """Whether `line` may be a forum name (see `_NAME`), and is not itself a date."""
    name = " ".join(line.split())
    return len(name) <= NAME_CHARS and _NAME.fullmatch(name) is not None and not is_post_date(name)


def _answered(posts: list[Post], reply: str) -> int | None:
    """The position in `posts` of the author-less post an `@Name,` reply answers, weighed as this
    module's docstring says; None when no post, or more than one, weighs the most."""
    words = _words(reply)
    weights = {}
    for at in range(max(0, len(posts) - REPLY_WINDOW), len(posts)):
        if posts[at].author is None:
            asked = any(_words(question) & words for question in _QUESTION.findall(posts[at].text))
            weights[at] = len(_words(posts[at].text) & words) + 2 * asked + (at == len(posts) - 1)
    best = max(weights.values(), default=0)
    heaviest = [at for at, weight in weights.items() if weight == best]
    return heaviest[0] if best > 0 and len(heaviest) == 1 else None


def _words(text: str) -> set[str]:
    """The rarer words of `text`, cut to five letters (so "speaking" meets "speak")."""
    return {word.casefold()[:5] for word in _WORD.findall(text) if not is_common_word(word)}


def _blocks(lines: list[str]) -> list[tuple[int, list[str], int | None]]:
    """(first line number, lines, likes) for each post-sized block of the text.

    A block ends at two or more blank lines, at a separator line (`_SEPARATOR_LINE`: "---",
    "***", "* * *", "=====", not text; under the title, its underline), or right after a like line. A like line with no text
    above it in its block counts for the previous block when that one has no likes yet. The
    page's chrome (`page_chrome`) ends a block too, where a copy kept no blank lines between
    posts: a header line (one naming an author, or a Reddit `level N`) or a name over a dated
    run of chrome (`_header_starts`) after words starts the next block, taking with it the
    numbers alone just above it (the score under the post above: `_carried_over`), and
    words after a line of buttons ("Reply Share Report") under words do.
    """
    blocks: list[tuple[int, list[str], int | None]] = []
    current: list[str] = []
    start = 0
    blank_run = 0
    worded = closed = False  # the block holds words (not its title); buttons came after them
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            blank_run += 1
            if current:
                current.append(line)
            continue
        if current and blank_run >= 2:
            blocks.append((start, current, None))
            current = []
        blank_run = 0
        if _SEPARATOR_LINE.match(line):
            if not blocks and len([kept for kept in current if kept.strip()]) == 1:
                continue  # the title's underline ("Title" / "=====")
            if any(kept.strip() for kept in current):
                blocks.append((start, current, None))
                current = []
            continue
        likes = _LIKES_LINE.match(line)
        if likes:
            count = read_count(likes.group("n"), "like count", number)
            if any(existing.strip() for existing in current):
                blocks.append((start, current, count))
                current = []
            elif blocks and blocks[-1][2] is None:
                blocks[-1] = (blocks[-1][0], blocks[-1][1], count)
            else:
                raise ImportFailure(f"'{line.strip()}' must follow the post it counts", line=number)
            continue
        titled = bool(blocks or current)  # the file's first line is its title, whatever it holds
        chrome = page_chrome.read(line) if titled else None
        if current and worded and (chrome is None and closed
                                   or chrome is not None and (chrome.author is not None or chrome.level is not None)
                                   or chrome is None and _header_starts(lines, number)):
            current, tail = _carried_over(current)
            blocks.append((start, current, None))
            current, start = tail, number - len(tail)
            worded = closed = False
        if not current:
            start = number
            worded = closed = False
        current.append(line)
        if chrome is None and titled:
            worded, closed = True, False
        elif chrome is not None and chrome.closes and worded:
            closed = True
    if current:
        blocks.append((start, current, None))
    return blocks

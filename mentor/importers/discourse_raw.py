"""A Discourse topic as its raw page gives it (`/raw/<topic id>`, or a forum's "print" of it):
each post's Markdown under a header line, posts apart at a line of dashes.

    reardencode | 2024-04-27 06:35:35 UTC | #1

    I blame Lisa. …

    -------------------------

    instagibbs | 2024-04-29 14:02:11 UTC | #2

    [quote="reardencode, post:1, topic:839"]
    I blame Lisa.
    [/quote]
    …

The header gives the post's author and its number in the topic. A page whose last post does not
end with the line of dashes may have been cut short: it is read as part of the topic, and one
that ends in a header's first words is refused. A `# Title` line may stand above
the first post (the page has none; a copy often adds one); without it, the thread is titled by
the opening post's first line. Each post is read as the Discourse importer reads a post saved
with its Markdown alone (`discourse.from_data`): `[quote="name, post:N"]` blocks are quotes and
say which post a reply answers, code blocks keep their blank lines inside the one post, polls
keep their options. Read as plain text instead, every post was nobody's, its header line a view
label, and a code block's blank lines split a post in two (a trial's, 2026-11-30).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from mentor.corpus.model import Coverage, Thread, slugify
from mentor.errors import ImportFailure
from mentor.importers import discourse
from mentor.importers.html_text import html_to_text
from mentor.importers.replies import one_line

FORMAT = "discourse-raw"
#: A post's header: "name | 2018-02-17 09:55:58 UTC | #1".
HEADER = re.compile(r"^(?P<name>[^\s|][^|\n]*?) \| (?P<date>\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?(?: UTC)?) "
                    r"\| #(?P<number>\d+)[ \t]*$", re.MULTILINE)
#: The line of dashes Discourse writes under each post.
DISCOURSE_DASHES = "-" * 25
#: The line of dashes that closes a post.
_SEPARATOR = re.compile(r"\n[ \t]*-{3,}[ \t]*\Z")
#: What is left of a header the file was cut in, as its last line: "jo_park | 2024-01-01 11:00".
_CUT_HEADER = re.compile(r"\n[^\s|][^|\n]*? \|(?: [\d\-: ]*(?:UTC)?(?: \|(?: #\d*)?)?)?\Z")
_TITLE = re.compile(r"^#[ \t]+(?P<title>\S.*)$")
#: The longest title taken from the opening post's first line, in characters.
TITLE_CHARS = 120
#: Fewest words of the opening post's line that titles the thread: not its "Hi!" or "Hello all,".
TITLE_WORDS = 4
_TOPIC = re.compile(r"\[quote=[^\]]*?\btopic:\s*(\d+)", re.IGNORECASE)


def looks_like(text: str) -> bool:
    """Whether `text` opens with a post's header, or a `# Title` line and then one."""
    lines = [line for line in text.split("\n", 40)[:40] if line.strip()][:2]
    if not lines:
        return False
    if HEADER.match(lines[0]):
        return True
    return _TITLE.match(lines[0]) is not None and len(lines) > 1 and HEADER.match(lines[1]) is not None


def parse(text: str, source: str = "") -> Thread:
    """The topic in `text`; an ImportFailure naming the line of a header out of order, of text
    above the first header that is no `# Title`, or of a header the file was cut in."""
    headers = list(HEADER.finditer(text))
    if not headers:
        raise ImportFailure("expected a header line 'name | YYYY-MM-DD HH:MM:SS UTC | #N' above each post", line=1)
    above = text[:headers[0].start()].strip()
    named = _TITLE.match(above) if above else None
    if above and (named is None or "\n" in above):
        raise ImportFailure(f"unexpected '{one_line(above)[:60]}' above the first post's header: expected a "
                            "'# Title' line or nothing", line=text[:len(text) - len(text.lstrip())].count("\n") + 1)
    _refuse_cut(text, headers)
    posts: list[dict[str, object]] = []
    for at, header in enumerate(headers):
        number = int(header["number"])
        if posts and number <= int(str(posts[-1]["post_number"])):
            raise ImportFailure(f"post #{number} comes after post #{posts[-1]['post_number']}: expected the posts "
                                "in the order of their numbers", line=text[:header.start()].count("\n") + 1)
        if not 1 <= number <= discourse.MAX_POST_NUMBER:
            raise ImportFailure(f"post #{number}: expected a number from 1", line=text[:header.start()].count("\n") + 1)
        end = headers[at + 1].start() if at + 1 < len(headers) else len(text)
        body = _SEPARATOR.sub("", text[header.end():end].rstrip()).strip("\n")
        posts.append({"post_number": number, "username": header["name"].strip(), "raw": body})
    topics = Counter(int(found) for found in _TOPIC.findall(text))
    topic_id = topics.most_common(1)[0][0] if topics else 0
    title = named["title"].strip() if named else _first_line(str(posts[0]["raw"]))
    try:
        thread = discourse.from_data({"id": topic_id, "title": title, "post_stream": {"posts": posts}}, source=source)
    except ImportFailure as failure:  # of the topic as a whole ("no readable posts"): no JSON field to name
        raise ImportFailure(failure.message, line=text[:headers[0].start()].count("\n") + 1) from None
    # The id is the title's alone: the topic's number shows only in quotes, which a part may lack.
    identity = slugify(title, 56, disambiguate=False)
    coverage = Coverage(held=len(posts), total=None) if _cut_after(text, headers) else None
    return replace(thread, id=identity, format=FORMAT, coverage=coverage)  # a part never replaces a fuller copy


def _refuse_cut(text: str, headers: list[re.Match[str]]) -> None:
    """An ImportFailure for a page cut short in a header: what is left of one at its end. A cut
    copy had replaced the whole topic stored before with its first post (a trial's, session 17)."""
    if _CUT_HEADER.search(text[headers[-1].end():].rstrip()):
        raise ImportFailure("the file ends in the middle of a post's header line: it was cut short; save the "
                            "page again", line=text.rstrip().count("\n") + 1)


def _cut_after(text: str, headers: list[re.Match[str]]) -> bool:
    """Whether the page may be cut short after its last header: its last post does not end with
    the line of dashes Discourse writes under every post, the last too. A copy written by hand may
    leave it out, so the page is still read, as part of the thread: it adds the posts a stored
    copy lacks and never replaces it (`corpus.merge`)."""
    closing = [_SEPARATOR.search(text[header.end():end].rstrip()) for header, end in
               zip(headers, [after.start() for after in headers[1:]] + [len(text)])]
    last, others = closing[-1], [len(found.group().strip()) for found in closing[:-1] if found]
    return last is None or len(last.group().strip()) < max(others, default=len(DISCOURSE_DASHES))  # cut in them


def _first_line(raw: str) -> str:
    """The opening post's first line of `TITLE_WORDS` words or more (else its first line), as a
    title: cut at a word to `TITLE_CHARS`, its links' words without their addresses (a title
    names the question; an address would crowd it and could be cut mid-way)."""
    lines = [one_line(line.lstrip("> ")) for line in
             html_to_text(discourse.render_raw(raw), addresses=False).split("\n")]
    lines = [line for line in lines if line and not line.startswith("```")]
    line = next((line for line in lines if len(line.split()) >= TITLE_WORDS), lines[0] if lines else "")
    if len(line) <= TITLE_CHARS:
        return line or "(untitled topic)"
    return line[:TITLE_CHARS].rsplit(" ", 1)[0] + " …"

"""The page's own lines in a browser's copy of a forum thread: buttons, counts, badges and the
headers above posts, never anyone's words.

`read(line)` says what such a line holds, or None for a line of someone's words:

    "12 points · 3y ago"                        Chrome(score=12, dated=True, strong=True)
    "level 2"                                   Chrome(level=2, strong=True)
    "Reply Share Report", "ReportSave"          Chrome(closes=True, strong=True)
    "Upvote 12 Downvote"                        Chrome(score=12, closes=True, strong=True)
    "[–] quiet_otter 45 points 3 years ago"     Chrome(author="quiet_otter", score=45, dated=True, strong=True)
    "brightfield 3 hours ago | parent | next [–]"  Chrome(author="brightfield", dated=True, strong=True, depth=(1, 1))
    "jsmith • 3y", "u/jsmith"                   Chrome(author="jsmith", …)
    "Mar 3", "12", "•"                          Chrome(strong=False, …): weak, see below
    "Reply to this, please", "Same 2 days ago"  None

A line is chrome when it is made wholly of the items of `plaintext.chrome` in `boilerplate.yaml`
(actions, marks, counts; matched case-insensitively, the words of actions and marks also run
together as a copy of adjacent buttons gives them), post dates (`is_post_date`'s forms), numbers
and separators. It is `strong` when it holds an action, a mark or a count: alone, such a line is
never anyone's words. A line of numbers, dates, a menu's options ("Best", "New") and separators
alone ("12", "Mar 3", "•") is `weak`: a person may write it, and it is chrome only beside a strong line or under a name, which
plaintext.py decides.

A site's own lines around a thread (Hacker News's menu and footer: `lines` in `boilerplate.yaml`)
are strong chrome as well.

A line that opens with a name is a post's header when the rest of it is chrome that a header
shows: a separator, a mark, a count, a Reddit `u/` before the name, or an old Reddit `[–]`
before it. A date alone after a name is not enough ("Same 2 days ago" stays words); a name of
several words ("Tomás Ruiz · 3y") is read only up to a separator. Reddit's "[deleted]" in a
name's place ("[–][deleted] 3 points 3 years ago") is a header naming no author.

Some lines say where a post sits in the page's tree of replies (`depth`: 0 for a comment on the
thread itself, 1 for a reply to one, and so on), as (least, most) depth, most None for no bound:

- Hacker News's comment header, a date then its links, the collapse toggle (`[–]`) last
  ("brightfield 3 hours ago | parent | next [–]"; a deleted comment's has no name). HN links a
  reply to its `parent`, and a reply to a reply to its `root` as well; a comment on the story has
  neither: so no `parent` is depth (0, 0), `parent` alone (1, 1), `root` too (2, None);
- Reddit's `level N`: depth (N - 1, N - 1);
- old Reddit's row of links under a comment ("permalink embed save parent report reply"): a
  reply's holds `parent`, a comment on the post's does not: (1, None) or (0, 0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mentor.importers.boilerplate import page_chrome, post_date_pattern

#: Names longer than this are no forum name (as plaintext.py's `NAME_CHARS`).
NAME_CHARS = 40
#: A line longer than this is someone's words, whatever it holds.
LINE_CHARS = 160
#: After a date, count or number: no letter or digit may follow it (`12 Downvote` is no "12 D").
_ENDS = r"(?![^\W_])"
_HANDLE = re.compile(r"\s*(?P<u>/?u/)?(?P<name>[^\W\d_][\w.\-]*|\d[\w.\-]*[^\W\d_][\w.\-]*)")
_WORDS_NAME = re.compile(r"\s*(?P<name>[\w'’][\w.'’\-]*(?: [\w'’][\w.'’\-]*){1,3})")
#: Reddit's name for an author who deleted their account or comment: a header, naming no one.
_GONE_NAME = re.compile(r"\s*(?P<name>\[deleted\])", re.IGNORECASE)


@dataclass(frozen=True)
class Chrome:
    """What a chrome line holds: the `author` its header names, the post's `score` (its
    points or votes), its `level` in a Reddit tree, whether it `closes` a post (holds an action
    button), whether it is `dated` (holds a post date), and whether it is `strong` (never
    anyone's words alone; see the module's docstring), and the post's `depth` in the page's tree
    of replies when the line tells it: (least, most), most None for no bound (see the module's
    docstring), and whether the post is `collapsed` (Hacker News's "[3 more]" in place of its
    toggle: the page shows none of its words, nor its replies'), and whether it is `promoted`
    (Reddit's "Promoted": an advertisement shown among the comments, no post of the thread), and
    whether the header marks its author as the thread's `opener` (Reddit's "OP", old Reddit's
    "[S]", the submitter), and whether it is a `unit` alone (Discourse's "views" under "412":
    what the number above it counts, so that number is no score)."""

    author: str | None = None
    score: int | None = None
    level: int | None = None
    closes: bool = False
    dated: bool = False
    strong: bool = False
    depth: tuple[int, int | None] | None = None
    collapsed: bool = False
    promoted: bool = False
    opener: bool = False
    unit: bool = False


def read(line: str) -> Chrome | None:
    """What `line` holds when it is the page's chrome or a post's header; None when it holds
    someone's words."""
    text = " ".join(line.split())
    if not text or len(text) > LINE_CHARS:
        return None
    if _site_line().fullmatch(text):
        return Chrome(strong=True)
    if (found := _POST_BY.fullmatch(text)) is not None and post_date_pattern().fullmatch(found["date"]):
        return Chrome(author=found["name"], dated=True, strong=True)
    items = _items(text, 0)
    if items is not None:
        return _chrome(items)
    return _header(text)


#: Discourse's line for screen readers above each post: "post by river_stone on Mar 3, 2024".
_POST_BY = re.compile(r"post by (?P<name>[\w.\-]{1,40}) on (?P<date>.+)", re.IGNORECASE)
#: The story a Hacker News comment is on, at the end of its header where the page shows it away
#: from the story: "ridgeline 50 minutes ago | parent | context | on: Ask HN: …".
_ON_STORY = re.compile(r"\s*\|\s*on:\s*(?P<story>\S.*)$", re.IGNORECASE)


def story_of(line: str) -> str | None:
    """The story's title a Hacker News comment's header names when the page shows the comment
    away from its story (the comment's own page, a user's comments, /newcomments: "name 3 hours
    ago | parent | context | on: Story title"); None for any other line."""
    text = " ".join(line.split())
    found = _ON_STORY.search(text)
    if found is None or not found.start():
        return None
    head = read(text[:found.start()])
    return found["story"] if head is not None and head.dated else None


def _header(text: str) -> Chrome | None:
    """A header line: chrome items (`[–]`, `level 2`), a name, then chrome a header shows."""
    lead, at = [], 0
    while (item := _item(text, at)) is not None and not _inside_word(text, item[2]):
        lead.append(item)
        at = item[2]
    for pattern in (_HANDLE, _WORDS_NAME, _GONE_NAME):
        found = pattern.match(text, at)
        if found is None or len(found["name"]) > NAME_CHARS or post_date_pattern().fullmatch(found["name"]):
            continue
        if _item(found["name"].casefold(), 0, whole=True):
            continue  # "Reply", "parent": the page's word, not a name
        rest = _items(text, found.end())
        if rest is None:
            continue
        kinds = {kind for kind, _, _, _ in rest}
        if pattern is _WORDS_NAME and (not rest or rest[0][0] != "separator"):
            continue
        if not (found.groupdict().get("u") or lead or kinds & {"separator", "mark", "score", "count", "level"}):
            continue
        chrome = _chrome(lead + rest)
        author = None if pattern is _GONE_NAME else found["name"].rstrip(".")
        return Chrome(author=author, score=chrome.score, level=chrome.level, closes=chrome.closes,
                      dated=chrome.dated, strong=True, depth=chrome.depth, collapsed=chrome.collapsed,
                      promoted=chrome.promoted, opener=chrome.opener)
    return None


def _inside_word(text: str, at: int) -> bool:
    """Whether `at` falls between two letters or digits of `text` ("Op|ening")."""
    return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()


def _chrome(items: list[tuple[str, str, int, str | None]]) -> Chrome:
    """The Chrome of a line of `items` (kind, text, end, value) and nothing else."""
    kinds = [kind for kind, _, _, _ in items]
    scores = [_number(value) for kind, _, _, value in items if kind == "score" and value]
    closes = "action" in kinds
    if not scores and (closes or set(kinds) <= {"number", "separator"}):
        # the first: Reddit's post row "Upvote 4 Downvote 22 Go to comments" shows its votes, then its comments
        scores = [_number(value) for kind, _, _, value in items if kind == "number" and value][:1]
    levels = [int(value) for kind, _, _, value in items if kind == "level" and value]
    return Chrome(score=scores[len(scores) // 2] if scores else None,  # old Reddit copies "44 points 45 points 46 points"
                  level=levels[0] if levels else None, closes=closes, dated="date" in kinds,
                  strong=bool(set(kinds) & {"action", "mark", "score", "count", "level", "unit"}),
                  depth=(levels[0] - 1, levels[0] - 1) if levels and levels[0] >= 1 else _depth(items),
                  collapsed=any(_COLLAPSED.fullmatch(text) for kind, text, _, _ in items if kind == "count"),
                  promoted=any(kind == "mark" and text.casefold() == "promoted" for kind, text, _, _ in items),
                  opener=any(kind == "mark" and text.casefold() in _OPENER for kind, text, _, _ in items),
                  unit="unit" in kinds and set(kinds) <= {"unit", "separator"})


#: Hacker News's collapse toggle, last on a comment's header ("[–]"; "[+]" once collapsed).
_TOGGLES = frozenset({"[–]", "[-]", "[+]"})
#: The marks that name a comment's author as the thread's opener: Reddit's "OP", old Reddit's "[S]".
_OPENER = frozenset({"op", "[s]"})
#: Hacker News's toggle of a collapsed comment: it and its replies, hidden.
_COLLAPSED = re.compile(r"\[\d+ more\]", re.IGNORECASE)


def _depth(items: list[tuple[str, str, int, str | None]]) -> tuple[int, int | None] | None:
    """Where a post sits in the page's tree of replies, as the line of `items` (kind, text, end,
    value) tells it (see the module's docstring); None when it does not."""
    words = [" ".join(text.casefold().split()) for kind, text, _, _ in items if kind in ("mark", "action")]
    kinds = [kind for kind, _, _, _ in items]
    if items and items[-1][1] in _TOGGLES and "date" in kinds[:-1]:  # Hacker News's header, its toggle last
        return (2, None) if "root" in words else (1, 1) if "parent" in words else (0, 0)
    if "permalink" in words:
        return (1, None) if "parent" in words else (0, 0)
    return None


def _number(text: str) -> int:
    """A count as a page prints it: "12", "-3" (below zero: 0, as Reddit's importer counts it), "1.2k"."""
    value = float(text.rstrip("kK")) * (1000 if text[-1:] in "kK" else 1)
    return max(0, int(value))


def _items(text: str, at: int) -> list[tuple[str, str, int, str | None]] | None:
    """The chrome items that make up `text` from `at` to its end; None when something else is there."""
    items = []
    while at < len(text):
        if not text[at:].strip():
            break
        item = _item(text, at)
        if item is None:
            return None
        items.append(item)
        at = item[2]
    return items


def _item(text: str, at: int, whole: bool = False) -> tuple[str, str, int, str | None] | None:
    """The chrome item at `at` in `text` (after spaces): (kind, its text, where it ends, its
    number: a score's or level's, or a bare number's); None when there is none. With `whole`,
    only an item that is all of `text`."""
    for kind, pattern in _patterns():
        found = pattern.match(text, at)
        if found is not None and (not whole or found.end() == len(text)):
            value = found.groupdict().get("score") or found.groupdict().get("level") or found.groupdict().get("number")
            return kind, found.group().strip(), found.end(), value
    return None


@lru_cache(maxsize=1)
def _site_line() -> re.Pattern[str]:
    """A site's own line around a thread (its menu, its footer: `lines` in `boilerplate.yaml`)."""
    return re.compile("|".join(f"(?:{pattern})" for pattern in page_chrome()["lines"]), re.IGNORECASE)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each kind of item as a regex matched at a place in a line, in the order they are tried."""
    data = page_chrome()

    def words(values: list[str]) -> str:
        return "|".join(re.escape(str(value)).replace(r"\ ", r"\s+") for value in sorted(values, key=len, reverse=True))

    flags = re.IGNORECASE
    counts = [(kind, pattern) for pattern in data["counts"]
              for kind in (("score",) if "?P<score>" in pattern else ("level",) if "?P<level>" in pattern else ("count",))]
    return (
        ("separator", re.compile(r"\s*(?:" + words(data["separators"]) + r")\s*", flags)),
        *((kind, re.compile(r"\s*(?:" + pattern.replace("?P<score>", "?P<score>-?") + ")" + _ENDS + r"\s*", flags))
          for kind, pattern in counts),
        ("date", re.compile(r"\s*(?:" + post_date_pattern().pattern + ")" + _ENDS + r"\s*", flags)),
        ("action", re.compile(r"\s*(?:" + words(data["actions"]) + r")\s*", flags)),
        ("mark", re.compile(r"\s*(?:" + words(data["marks"]) + "|" + "|".join(data["places"]) + r")\s*", flags)),
        ("number", re.compile(r"\s*(?P<number>-?\d+(?:\.\d+)?k?)" + _ENDS + r"\s*", flags)),
        ("option", re.compile(r"\s*(?:" + words(data["options"]) + r")" + _ENDS + r"\s*", flags)),
        ("unit", re.compile(r"\s*(?:" + words(data["units"]) + r")" + _ENDS + r"\s*", flags)),
    )

"""What forums put into threads that is not a person's words, and how mentor marks media.

The phrase lists live in `boilerplate.yaml` beside this file (with their sources). Media and
link previews are kept as short markers, so a post's numbering and replies stay right and a
reader sees that something was there:

    [image]                      an image whose alt text names nothing ("image", "IMG_2041.jpg")
    [image: Churn by cohort]     an image with a real caption
    [video] / [audio] / [gif]    other media
    [file: ladder.pdf]           an attached file, by its name
    [link: Title](https://…)     a link preview (Discourse onebox): the page's title, not the poster's
    [this essay](https://…)      a link in a poster's sentence (HTML's `<a href>`): their words, then
                                 its address, as Markdown (and so a Reddit comment) writes one
    Poll (12 voters):            a poll: its options, each with its votes where the forum says
    - Option: 3 votes

A post made only of markers, links, emoji and white space has no words of its own (`has_own_words`):
it is kept but is no source to cite.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

_DATA = Path(__file__).with_name("boilerplate.yaml")
MEDIA_KINDS = ("image", "video", "audio", "gif", "file")
_MARKER = re.compile(r"\[(?:image|video|audio|gif|file)(?:: [^\]\n]*)?\]|\[link: [^\]\n]*\]\([^)\s]*\)")
_MARKDOWN_MEDIA = re.compile(r"!\[[^\]\n]*\]\([^)\s]*\)")
_URL = re.compile(r"<?https?://[^\s>)\]]+>?")
#: An emoji as its shortcode, as Discourse's emoji images give it in their alt text (`:+1:`, `:tada:`).
_EMOJI_SHORTCODE = re.compile(r":[\w+\-]+:")
_MARKDOWN_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")
#: What a link's address cannot hold as written: its `(…)` would end or break there.
_ADDRESS_BREAKS = re.compile(r"[)\s\x00-\x1f\x7f-\x9f]")
_SIZE_SUFFIX = re.compile(r"\|.*$")
_REDDIT_MARKS = re.compile(r"[\^()*_~]+")


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


@lru_cache(maxsize=None)
def _patterns(section: str, name: str, anchored: bool = True) -> re.Pattern[str]:
    """The section's list of patterns as one case-insensitive regex, anchored at the start."""
    alternatives = "|".join(f"(?:{pattern})" for pattern in _data()[section][name])
    return re.compile(f"^(?:{alternatives})" if anchored else alternatives, re.IGNORECASE)


@lru_cache(maxsize=None)
def _names(section: str, name: str) -> frozenset[str]:
    return frozenset(str(value).casefold() for value in _data()[section][name])


def is_status_notice(text: str) -> bool:
    """A Discourse automatic status notice ("This topic is now pinned…")."""
    return bool(_patterns("discourse", "status_notices").match(text.strip()))


def is_withdrawn(text: str) -> bool:
    """The placeholder Discourse shows for a post its author withdrew or deleted."""
    return bool(_patterns("discourse", "withdrawn").match(text.strip()))


def is_hidden_by_flags(text: str) -> bool:
    """The placeholder Discourse shows while a post is hidden after its community flagged it
    ("This post was flagged by the community and is temporarily hidden.")."""
    return bool(_patterns("discourse", "hidden").fullmatch(text.strip()))


def is_system_user(name: str | None) -> bool:
    return bool(name) and name.casefold() in _names("discourse", "system_users")


def is_gone(text: str) -> bool:
    """Reddit's placeholder for words that were deleted or removed ("[deleted]", "[removed]"…)."""
    return bool(_patterns("reddit", "gone").match(text.strip()))


def is_gone_on_hacker_news(text: str) -> bool:
    """Hacker News's placeholder for a comment's words that are gone ("[deleted]", "[dead]",
    "[flagged]"), the whole text."""
    return bool(_patterns("hackernews", "gone").fullmatch(text.strip()))


def is_bot(author: str | None) -> bool:
    """A Reddit account that only posts boilerplate (AutoModerator, reminder bots, a subreddit's
    mod team account…), by its name."""
    return bool(author) and (author.casefold() in _names("reddit", "bots")
                             or _patterns("reddit", "bot_names").fullmatch(author) is not None)


def has_bot_footer(text: str) -> bool:
    """A text signed "I am a bot, and this action was performed automatically", or whose last
    paragraph opens with a bot's signature ("^(I'm a bot)", "*Beep boop, I'm a bot*")."""
    if _patterns("reddit", "bot_footers", anchored=False).search(text):
        return True
    last = text.strip().rsplit("\n\n", 1)[-1]
    plain = " ".join(_REDDIT_MARKS.sub(" ", last).replace("’", "'").split())
    return bool(_patterns("reddit", "bot_signatures").match(plain))


def is_moderator_notice(text: str) -> bool:
    """A moderator's notice ("Your post has been removed…", "Thread locked."), not a view."""
    return bool(_patterns("reddit", "moderator_notices").match(text.strip()))


def is_opening_poster(name: str) -> bool:
    """Whether an `@name` addresses the thread's opener ("@OP") rather than someone so named."""
    return name.casefold() in _names("replies", "opening_poster")


def is_everyone(name: str) -> bool:
    """Whether an `@name` addresses everyone in the thread ("@everyone", "@all"), not one person."""
    return name.casefold() in _names("replies", "everyone")


def is_common_word(word: str) -> bool:
    """An English word too common to show which post a reply answers ("should", "people")."""
    return word.casefold() in _names("replies", "common_words")


def is_post_date(line: str) -> bool:
    """Whether `line` says when a post was written, as a browser's copy of a forum page shows it
    under the post's author ("Mar 3", "3 Mar 2024", "2h", "5 days ago", "Mar '23", "10:42 AM",
    "2024-03-03T10:42:00Z"): the forms of `plaintext.post_dates` in `boilerplate.yaml`."""
    return _post_date().fullmatch(" ".join(line.split())) is not None


@lru_cache(maxsize=1)
def _post_date() -> re.Pattern[str]:
    """`plaintext.post_dates` as one case-insensitive regex, its {month}, {unit}, {ago}, {day}
    and {time} filled in from the lists beside it."""
    section = _data()["plaintext"]
    fills = {name: "(?:" + "|".join(re.escape(str(word)) for word in sorted(section[name], key=len, reverse=True)) + ")"
             for name in ("month", "unit", "ago", "day")}
    fills["time"] = "(?:" + "|".join(f"(?:{pattern})" for pattern in section["time"]) + ")"
    alternatives = (re.sub(r"\{(\w+)\}", lambda slot: fills.get(slot[1], slot[0]), pattern)
                    for pattern in section["post_dates"])
    return re.compile("|".join(f"(?:{pattern})" for pattern in alternatives), re.IGNORECASE)


def post_date_pattern() -> re.Pattern[str]:
    """The regex of `is_post_date`, unanchored: to fullmatch a line, or match at a place in one."""
    return _post_date()


def page_chrome() -> dict[str, list[str]]:
    """`plaintext.chrome` of `boilerplate.yaml`: {"actions": [word…], "marks": [word…],
    "options": [word…], "units": [word…], "places": [pattern…], "counts": [pattern…],
    "separators": [character…], "lines": [pattern…]}."""
    return _data()["plaintext"]["chrome"]


def page_ends() -> list[str]:
    """`plaintext.ends` of `boilerplate.yaml`: patterns of the line where a page's thread ends
    (Discourse's "Topic Replies Views Activity" over its related topics)."""
    return _data()["plaintext"]["ends"]


def media_marker(kind: str, caption: str | None = None) -> str:
    """`[image]`, or `[image: caption]` when `caption` names something (not a placeholder alt)."""
    caption = " ".join((caption or "").split())
    if kind == "image":
        caption = _SIZE_SUFFIX.sub("", caption).strip()
        if _patterns("images", "placeholder_alts").match(caption):
            caption = ""
    caption = caption.replace("[", "(").replace("]", ")")
    return f"[{kind}: {caption}]" if caption else f"[{kind}]"


def link_marker(url: str, title: str | None = None) -> str:
    """A link preview: `[link: title](url)`, or `<url>` with no title."""
    title = _bracketless(title or "")
    return f"[link: {title}]({_address(url)})" if title else f"<{_address(url)}>"


def inline_link(url: str, words: str) -> str:
    """A link in a poster's sentence: `[words](url)`, as Markdown writes it (and Reddit's bodies,
    stored as written, hold it): the words stay the poster's (`has_own_words` counts them, where a
    preview's `[link: title]` is no one's), and the address they point to is kept."""
    return f"[{_bracketless(words)}]({_address(url)})"


def _bracketless(text: str) -> str:
    """`text` on one line, its brackets made parentheses: a link's words cannot close its `[…]`."""
    return " ".join(text.split()).replace("[", "(").replace("]", ")")


def _address(url: str) -> str:
    """`url` with what would end or break its `(…)` (a parenthesis, white space, a line break, a
    control character) percent-encoded: a link stays one piece of one line, as written."""
    return _ADDRESS_BREAKS.sub(lambda found: quote(found.group(), safe=""), url)


def poll_text(options: Sequence[tuple[str, int | None]], total: int | None, counted: str, title: str = "") -> str:
    """A poll as text: `Poll: title (12 voters):` (`counted`: "voter" or "vote"), then a line per
    option with its votes where the forum gives them."""
    head = "Poll" + (f": {title}" if title else "")
    if total is not None:
        head += f" ({_count(total, counted)})"
    lines = [head + ":"]
    for text, votes in options:
        lines.append(f"- {' '.join(text.split()) or '(no text)'}" + (f": {_count(votes, 'vote')}" if votes is not None else ""))
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def has_own_words(text: str) -> bool:
    """Whether `text` holds anything besides media markers, link previews, bare links, Markdown
    image embeds and emoji (as characters or `:shortcode:`s): a post without is kept but not cited."""
    rest = _MARKDOWN_MEDIA.sub(" ", text)  # first: `![gif](…)` holds what looks like a marker
    rest = _MARKER.sub(" ", rest)
    rest = _EMOJI_SHORTCODE.sub(" ", rest)
    rest = _MARKDOWN_LINK_TARGET.sub("] ", rest)
    rest = _URL.sub(" ", rest)
    return re.search(r"[^\W_]", rest) is not None

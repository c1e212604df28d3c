"""HTML to clean, readable text with the standard library's HTML parser.

Paragraph-like elements become paragraphs, list items `- ` lines, block quotes `> ` lines, a
table's rows lines of cells between ` | `, a `<pre>` block a fenced code block (so no code is
quoted as an opinion: `analysis.roles.without_code`); line breaks are kept; emoji images become
their `:shortcode:` alt text (an older post's bare "smiley" too); scripts, styles, icons and a
footnote's "↩︎" vanish and entities are decoded. A link to a web address (`http(s)://`) in a sentence keeps
its address: `[its words](URL)`, as Markdown writes it, or the URL alone when its words are the
URL (also as Hacker News shortens one for display, `https://example.com/a/lo...`), so that it
is not given twice; a link to a page of the forum itself (a relative `href`: `/t/…`, an `@name`
mention's `/u/…`, a `#` anchor, HN's `item?id=`) and any other scheme keep their words alone,
as does a link around an image (its marker says what is there). Used for Discourse's `cooked`
post HTML and Hacker News's comments, whose furniture is not the poster's words and is marked
instead (see `boilerplate` for the markers):

- a link preview (`aside.onebox`, a video embed) becomes `[link: its title](its URL)`; so does an
  inline one (`a.inline-onebox`, whose text is the page's title, not the poster's words), in
  its sentence; a preview Discourse could not build (`a.onebox`, text its URL alone) becomes `<URL>`;
- an image becomes `[image]` or `[image: caption]`; the file name, size and dimensions that
  Discourse prints under it (`div.meta`) are dropped; `<video>`/`<audio>` become `[video]`/`[audio]`;
  an attached file (`a.attachment`) becomes `[file: its name]`, without the size after it. A
  caption is the image's alt text unless that is a placeholder or the file's own name (when the
  image link, `a.lightbox`, is titled with a file name and the alt text is that name);
- a quote's header ("name:") is quoted along with the quote, without the title of the topic it
  names when the quote comes from another one;
- a poll keeps its options, under "Poll:", not its (stale) "0 voters" line; given the poll's
  live results (`polls`), those replace it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser

from mentor.importers.boilerplate import inline_link, link_marker, media_marker, poll_text

_BLOCKS = {"p", "div", "aside", "blockquote", "pre", "ul", "ol", "li", "table", "tr",
           "h1", "h2", "h3", "h4", "h5", "h6", "details", "summary", "figure", "hr", "article", "header",
           "section", "figcaption"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr"}
#: Elements whose words are no text: the page's furniture, and struck-through words (`<del>`,
#: `<s>`, `<strike>`), which their writer took back ("<del>ignore them</del> read them" read as
#: "ignore them read them" says what the writer no longer says).
_SKIP = {"script", "style", "template", "noscript", "svg", "button", "select", "textarea", "del", "s", "strike"}
#: Classes whose element is furniture: Discourse's image info line, poll counters and buttons, a
#: footnote's link back to its mark ("↩︎").
_SKIP_CLASSES = {"meta", "poll-info", "poll-buttons", "info-number", "info-label", "avatar", "site-icon",
                 "onebox-avatar", "onebox-avatar-inline", "footnote-backref"}
_PREVIEW_CLASSES = {"onebox", "lazy-video-container", "lazyYT", "youtube-onebox", "video-onebox"}
#: Link previews written as one link: its text is the linked page's title (or its URL).
_INLINE_PREVIEW_CLASSES = {"onebox", "inline-onebox", "inline-onebox-loading"}
_MEDIA_TAGS = {"video": "video", "audio": "audio"}
_MEDIA_CLASSES = {"video-placeholder-container": "video", "video-container": "video"}
_TITLE_TAGS = {"h1", "h2", "h3", "h4"}
_SPACES = re.compile(r"[ \t\r\f\v]+")
#: The size Discourse prints after an attachment's link: " (184.2 KB)".
_FILE_SIZE = re.compile(r"^\s*\(\s*[\d.,]+\s*[KMGT]?i?B\s*\)", re.IGNORECASE)
#: An address's scheme, which a link's words may leave out ("example.com/a").
_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
#: What ends a link's words shortened for display: "https://example.com/a/lo..." (Hacker News).
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)$")


class _Frame:
    """An open element and what it means for the text inside it."""

    def __init__(self, tag: str, skip: bool = False, preview: _Preview | None = None,
                 quote_title: bool = False, block: bool = False) -> None:
        self.tag = tag
        self.skip = skip
        self.preview = preview
        self.quote_title = quote_title
        self.block = block
        self.link: _Link | None = None


class _Link:
    """An inline link to a web address being read: its words are the text read from `start` (an
    index into the paragraph's pieces) on, unless a paragraph ended inside it (`flushes` counts
    them) or it holds an image or other media (`media`): then they stay as they are."""

    def __init__(self, url: str, start: int, flushes: int) -> None:
        self.url = url
        self.start = start
        self.flushes = flushes
        self.media = False


class _Preview:
    """A link preview being read: its URL and the title of the page it shows. An `inline` one
    is a single link whose whole text is that title, and stays in its sentence."""

    def __init__(self, url: str | None, title: str | None, inline: bool = False) -> None:
        self.url = url
        self.title = title
        self.inline = inline
        self.heading: list[str] | None = [] if inline else None


class _TextExtractor(HTMLParser):
    """Collects blocks of text as (quote depth, kind, text): kind "item" for a list item, "row"
    for a table row, "" for any other block."""

    def __init__(self, polls: Mapping[str, str], addresses: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.polls = polls
        self.addresses = addresses
        self.blocks: list[tuple[int, bool, str]] = []
        self.inline: list[str] = []
        self.stack: list[_Frame] = []
        self.quote_depth = 0
        self.skip_depth = 0
        self.pre_depth = 0
        self.kind = ""  # the kind of block being read: "item", "row" or "" (a `<pre>` block's is "code")
        self.cells = 0  # the cells of the table row being read so far
        self.preview: _Preview | None = None
        self.file_name = ""  # the name of the file an image link (`a.lightbox`) opens
        self.attachment: list[str] | None = None  # the name of an attached file being read
        self.after_attachment = False  # the file's size may follow
        self.link: _Link | None = None  # the inline link being read (none inside another)
        self.flushes = 0  # the paragraphs ended so far (each empties `inline`)

    def flush(self) -> None:
        text = "".join(self.inline)
        self.inline = []
        self.flushes += 1
        if not self.pre_depth:
            text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
        if text.strip():
            self.blocks.append((self.quote_depth, "code" if self.pre_depth else self.kind, text.strip("\n")))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        classes = set(values.get("class", "").split())
        if tag in _VOID:
            self._void(tag, values, classes)
            return
        frame = _Frame(tag, block=tag in _BLOCKS)
        if self.skip_depth or tag in _SKIP or classes & _SKIP_CLASSES:
            frame.skip = True
        elif self.preview is not None:
            if tag in _TITLE_TAGS and self.preview.heading is None:
                self.preview.heading = []
            if tag == "a" and not self.preview.url:
                self.preview.url = _web_url(values.get("href", ""))
        elif tag == "a" and "/t/" in values.get("href", "") and any(f.quote_title for f in self.stack):
            frame.skip = True  # a quote's header naming the topic it comes from: a title, no one's words
        elif tag == "a" and classes & _INLINE_PREVIEW_CLASSES:
            frame.preview = self.preview = _Preview(_web_url(values.get("href", "")), None, inline=True)
        elif classes & _PREVIEW_CLASSES:
            frame.preview = self.preview = _Preview(values.get("data-onebox-src") or values.get("data-url") or None,
                                                    values.get("data-video-title") or None)
        elif "poll" in classes and values.get("data-poll-name", "poll") in self.polls:
            self.flush()
            self.blocks.append((self.quote_depth, "", self.polls[values.get("data-poll-name", "poll")]))
            frame.skip = True
        elif "poll" in classes:  # no live results: its options follow, under a heading that says what they are
            self.flush()
            self.blocks.append((self.quote_depth, "", poll_text([], None, "voter")))
        elif kind := _MEDIA_TAGS.get(tag) or next((_MEDIA_CLASSES[c] for c in classes if c in _MEDIA_CLASSES), None):
            self.inline.append(f" {media_marker(kind, values.get('title') or values.get('aria-label'))} ")
            self._media_in_link()
            frame.skip = True
        elif tag == "a" and "lightbox" in classes:
            self.file_name = values.get("title", "")
        elif tag == "a" and "attachment" in classes:
            self.attachment = []
        elif tag == "a" and self.addresses and self.link is None and (url := _web_url(values.get("href", ""))):
            frame.link = self.link = _Link(url, len(self.inline), self.flushes)
        elif "title" in classes and self.stack and self.stack[-1].tag == "aside" or classes & {"quote-title"}:
            self.flush()
            frame.quote_title = True
            self.quote_depth += 1
        if frame.skip:
            self.skip_depth += 1
        if frame.block and not frame.skip:
            self.flush()
            if tag == "blockquote":
                self.quote_depth += 1
            elif tag == "pre":
                self.pre_depth += 1
            elif tag in ("li", "tr"):
                self.kind = "item" if tag == "li" else "row"
                self.cells = 0
        if tag in ("td", "th") and not frame.skip:
            self.inline.append(" | " if self.cells else "")
            self.cells += 1
        self.stack.append(frame)

    def _void(self, tag: str, values: dict[str, str], classes: set[str]) -> None:
        if self.skip_depth or classes & _SKIP_CLASSES:
            return
        if tag == "br":
            self.inline.append("\n")
        elif tag == "hr":
            self.flush()
        elif tag == "img" and self.preview is None:
            alt = values.get("alt", "")
            if "emoji" in classes or re.fullmatch(r":[\w+\-]+:", alt):
                # older posts' emoji say their name bare ("smiley"): as a shortcode, no word of the post
                self.inline.append(alt if alt.startswith(":") or not alt.isascii() else f":{alt}:")
                return
            if alt and "." in self.file_name and alt.casefold() == self.file_name.rsplit(".", 1)[0].casefold():
                self.inline.append(f" {media_marker('image')} ")  # the alt text is the file's name
            else:
                self.inline.append(f" {media_marker('image', alt or values.get('title'))} ")
            self._media_in_link()

    def _media_in_link(self) -> None:
        """A marker was written inside the link being read: a `[…]` cannot sit in a link's words."""
        if self.link is not None:
            self.link.media = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not any(frame.tag == tag for frame in self.stack):
            return  # a stray end tag: nothing to close
        while self.stack:
            frame = self.stack.pop()
            self._close(frame)
            if frame.tag == tag:
                break

    def _close(self, frame: _Frame) -> None:
        if frame.skip:
            self.skip_depth -= 1
            return
        if frame.link is not None:
            self._close_link(frame.link)
        if frame.tag == "a":
            self.file_name = ""
            if self.attachment is not None:
                self.inline.append(media_marker('file', ''.join(self.attachment)))
                self.attachment = None
                self.after_attachment = True
        if frame.preview is not None:
            self.preview = None
            preview = frame.preview
            title = preview.title or " ".join("".join(preview.heading or []).split())
            if title == preview.url:
                title = ""  # a link that shows its own URL has no title
            if preview.url and preview.inline:
                self.inline.append(link_marker(preview.url, title))
            elif preview.url:
                self.flush()
                self.blocks.append((self.quote_depth, self.kind, link_marker(preview.url, title)))
            elif preview.inline:
                self.inline.append(title)
            return
        if frame.block:
            self.flush()
            if frame.tag == "blockquote":
                self.quote_depth = max(0, self.quote_depth - 1)
            elif frame.tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)
            elif frame.tag in ("li", "tr"):
                self.kind = ""
        if frame.quote_title:
            self.flush()
            self.quote_depth = max(0, self.quote_depth - 1)

    def _close_link(self, link: _Link) -> None:
        """The link's words, read since it opened, with its address (`_linked`), in their place."""
        self.link = None
        if link.flushes != self.flushes or link.media:
            return
        words = "".join(self.inline[link.start:])
        if words.strip():
            lead, trail = words[:len(words) - len(words.lstrip())], words[len(words.rstrip()):]
            self.inline[link.start:] = [lead, _linked(link.url, words.strip()), trail]

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.attachment is not None:
            self.attachment.append(data)
            return
        if self.after_attachment:
            data = _FILE_SIZE.sub("", data)
            self.after_attachment = False
        if self.preview is not None:
            if self.preview.heading is not None and (self.preview.inline or any(f.tag in _TITLE_TAGS for f in self.stack)):
                self.preview.heading.append(data)
            return
        self.inline.append(data if self.pre_depth else data.replace("\n", " "))

    def text(self) -> str:
        while self.stack:
            self._close(self.stack.pop())
        self.flush()
        out: list[str] = []
        previous = ""
        for depth, kind, text in self.blocks:
            lines = text.split("\n")
            if kind == "item":
                lines = ["- " + lines[0]] + ["  " + line for line in lines[1:]]
            elif kind == "code":
                lines = ["```", *lines, "```"]
            lines = ["> " * depth + line for line in lines]
            if out:
                out.append("\n" if kind in ("item", "row") and kind == previous else "\n\n")
            out.append("\n".join(lines))
            previous = kind
        return "".join(out).strip()


def _web_url(href: str) -> str | None:
    """`href` when it is a web address (not a page of the forum itself, `/t/…`)."""
    return href if href.startswith(("http://", "https://")) else None


def _linked(url: str, words: str) -> str:
    """An inline link showing `words` as text: the address alone when the words are it (without
    its scheme, "example.com/a", or shortened for display, "https://example.com/a/lo..."), so that
    no address is given twice and a shortened one is given whole; else `[words](url)`."""
    shown, whole = _SCHEME.sub("", words).rstrip("/"), _SCHEME.sub("", url).rstrip("/")
    if shown == whole:
        return url
    if _ELLIPSIS.search(shown) and (start := _ELLIPSIS.sub("", shown)) and whole.startswith(start):
        return url
    return inline_link(url, words)


def html_to_text(html: str, polls: Mapping[str, str] | None = None, addresses: bool = True) -> str:
    """Readable plain text of an HTML fragment; `polls` maps a poll's name (`data-poll-name`) to
    the text that stands for it (its options with their votes). With `addresses` False, an inline
    link is its words alone (for a title, which no address should crowd)."""
    parser = _TextExtractor(polls or {}, addresses)
    parser.feed(html)
    parser.close()
    return parser.text()

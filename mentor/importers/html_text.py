"""HTML to clean, readable text with the standard library's HTML parser.

Paragraph-like elements become paragraphs, list items `- ` lines, block quotes `> ` lines; line
breaks are kept; emoji images become their `:shortcode:` alt text; scripts and styles vanish and
entities are decoded. Used for Discourse's `cooked` post HTML.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "aside", "blockquote", "pre", "ul", "ol", "li", "table", "tr",
           "h1", "h2", "h3", "h4", "h5", "h6", "details", "summary", "figure", "hr"}
_SKIP = {"script", "style", "template", "noscript"}
_SPACES = re.compile(r"[ \t\r\f\v]+")


class _TextExtractor(HTMLParser):
    """Collects blocks of text as (quote depth, is list item, text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, bool, str]] = []
        self.inline: list[str] = []
        self.quote_depth = 0
        self.skip_depth = 0
        self.pre_depth = 0
        self.in_item = False

    def flush(self) -> None:
        text = "".join(self.inline)
        self.inline = []
        if not self.pre_depth:
            text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
        if text.strip():
            self.blocks.append((self.quote_depth, self.in_item, text.strip("\n")))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "br":
            self.inline.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and not self.skip_depth:
                self.inline.append(alt)
        elif tag in _BLOCKS:
            self.flush()
            if tag == "blockquote":
                self.quote_depth += 1
            elif tag == "pre":
                self.pre_depth += 1
            elif tag == "li":
                self.in_item = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCKS:
            self.flush()
            if tag == "blockquote":
                self.quote_depth = max(0, self.quote_depth - 1)
            elif tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)
            elif tag == "li":
                self.in_item = False

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        self.inline.append(data if self.pre_depth else data.replace("\n", " "))

    def text(self) -> str:
        self.flush()
        out: list[str] = []
        previous_item = False
        for depth, is_item, text in self.blocks:
            lines = text.split("\n")
            if is_item:
                lines = ["- " + lines[0]] + ["  " + line for line in lines[1:]]
            lines = ["> " * depth + line for line in lines]
            if out:
                out.append("\n" if is_item and previous_item else "\n\n")
            out.append("\n".join(lines))
            previous_item = is_item
        return "".join(out).strip()


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML fragment."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.text()

"""A source in its thread: the post it replied to, the posts around it, and the post itself.

The dialog is titled `[n]` and the thread's title as the answer shows it: with the thread's id in
brackets when another thread has the same title. When that is wider than the dialog, the title
is cut ("…"), never the id."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from mentor.corpus.model import Post, Thread
from mentor.engine.events import Source
from mentor.tui.text import printable, split_title

AROUND = 1


class SourceScreen(ModalScreen[None]):
    CSS_PATH = "source.tcss"
    BINDINGS = [Binding("escape,q", "dismiss", "Close")]

    def __init__(self, thread: Thread, source: Source) -> None:
        """`source`, a post of `thread`."""
        super().__init__()
        self.thread = thread
        self.index = source.post_index
        self.n = source.n
        self.shown_title = source.thread_title

    def compose(self) -> ComposeResult:
        post = self.thread.post(self.index)
        with VerticalScroll(id="dialog") as dialog:
            dialog.border_title = self._title()  # fitted once laid out
            dialog.border_subtitle = "Esc closes"
            # Posts are numbered as on their forum, with gaps: the neighbours are by position.
            at = self.thread.posts.index(post)
            around = list(self.thread.posts[max(0, at - AROUND):at + AROUND + 1])
            replied = self.thread.find(post.reply_to)
            shown = ([replied] if replied is not None and replied not in around else []) + around
            for shown_post in shown:
                yield self._post(shown_post, selected=shown_post is post, replied=shown_post is replied)

    def on_mount(self) -> None:
        # After the first layout: before it, the posts have no size and nothing scrolls.
        self.call_after_refresh(self._show_selected)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_title)

    def _title(self, room: int | None = None) -> Content:
        """`[n]` and the thread's shown title (in `room` cells when given, the title cut before
        its id). A Content, not a str: a str title is read as markup, and a thread's title is
        untrusted."""
        title, told_apart = split_title(self.shown_title, self.thread.id)
        head = Content(f"[{self.n}] ")
        tail = Content(f" ({printable(told_apart)})" if told_apart is not None else "")
        cut = Content(printable(title))
        if room is not None:
            cut = cut.truncate(max(1, room - head.cell_length - tail.cell_length), ellipsis=True)
        return head + cut + tail

    def _fit_title(self) -> None:
        """The title fitted to the dialog's top edge, less its corners, the border on either side
        of the title and the spaces beside it."""
        dialog = self.query_one("#dialog")
        dialog.border_title = self._title(dialog.outer_size.width - 6)

    def _show_selected(self) -> None:
        """The cited post at the top of the view (the post it answers and its neighbours above)."""
        self.query_one("#dialog").scroll_to_widget(self.query_one(".selected"), animate=False, top=True)

    def _post(self, post: Post, selected: bool, replied: bool) -> Static:
        who = f"@{post.author}" if post.author else "(unknown author)"
        meta = [f"post {post.index}", who]
        if post.reply_to:
            meta.append(f"replying to post {post.reply_to}")
        if post.likes:
            meta.append(f"{post.likes} like{'s' if post.likes != 1 else ''}")
        if replied:
            meta.append("(the post it answers)")
        widget = Static(Content(printable(post.text)), classes="post selected" if selected else "post")
        widget.border_title = Content(printable(" · ".join(meta)))
        return widget

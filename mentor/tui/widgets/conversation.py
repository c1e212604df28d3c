"""The conversation: the person's questions as plain text, mentor's answers as Markdown."""

from __future__ import annotations

from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static

from mentor.engine.events import Answer
from mentor.tui.text import linked_citations, printable


class Question(Static):
    """What the person asked, shown literally."""

    def __init__(self, text: str) -> None:
        super().__init__(Content(printable(text)))


class AnswerView(Vertical):
    """One answer: streamed Markdown while it is written, then with clickable citations."""

    def __init__(self) -> None:
        super().__init__()
        self.markdown = Markdown("", open_links=False)
        self.stream = None
        self.note = Static("", classes="note")

    def compose(self):  # noqa: ANN201 (Textual's compose)
        yield self.markdown
        yield self.note

    async def write(self, fragment: str) -> None:
        if self.stream is None:
            self.stream = Markdown.get_stream(self.markdown)
        await self.stream.write(printable(fragment))

    async def finish(self, answer: Answer) -> None:
        if self.stream is not None:
            await self.stream.stop()
            self.stream = None
        perspectives = {s.n: s.perspective for s in answer.sources}
        await self.markdown.update(linked_citations(answer.text, perspectives))
        if answer.cancelled:
            self.note.update(Content("stopped"))
        elif answer.mode == "extractive":
            self.note.update(Content("quoted from the posts (no model)"))


class ConversationView(VerticalScroll):
    """The turns so far, newest at the bottom. It follows the answer as it streams and stays at
    the bottom when the terminal is resized (Textual's anchor), until the person scrolls up to
    read; a new question follows again."""

    def add_question(self, text: str) -> None:
        self.mount(Question(text))

    def add_answer(self) -> AnswerView:
        view = AnswerView()
        self.mount(view)
        self.anchor()
        return view

    async def show_answered(self, answers: list[Answer]) -> None:
        """A resumed conversation's turns."""
        await self.remove_children()
        for answer in answers:
            await self.mount(Question(answer.question))
            view = AnswerView()
            await self.mount(view)
            await view.finish(answer)
        self.anchor()

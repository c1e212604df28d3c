"""The conversation: the person's questions as plain text, mentor's answers as Markdown, the
latest answer's suggested follow-ups; it says which answer is in view as it scrolls."""

from __future__ import annotations

from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Collapsible, Markdown, Static

from mentor.engine.events import STOPPED, Answer
from mentor.tui.text import linked_citations, printable
from mentor.tui.widgets.suggestions import Suggestions


class Question(Static):
    """What the person asked, shown literally."""

    def __init__(self, text: str) -> None:
        super().__init__(Content(printable(text)))


#: The title of the fold under an answer that holds the model's words it replaced.
SET_ASIDE_TITLE = "The model's answer, set aside"
#: Said under a question withdrawn with Esc before its answer began.
WITHDRAWN = "Withdrawn (Esc): not answered. Up recalls it to ask again."


class AnswerView(Vertical):
    """One answer: streamed Markdown while it is written, then with clickable citations. A model's
    answer that failed its check gives way to the one that replaces it (the note saying why and
    the quoted posts); its words stay readable in a fold under it, closed."""

    def __init__(self) -> None:
        super().__init__()
        self.markdown = Markdown("", open_links=False)
        self.stream = None
        self.note = Static("", classes="note")
        #: The finished answer (None while it is written).
        self.answer: Answer | None = None
        #: Whether its question was withdrawn before the answer began (it gets none).
        self.withdrawn = False

    def compose(self):  # noqa: ANN201 (Textual's compose)
        yield self.markdown
        yield self.note

    def wait(self, note: str) -> None:
        """Say what the answer waits for ("" once it begins)."""
        self.note.update(Content(note))

    def withdraw(self) -> None:
        """Its question was withdrawn while it waited: say so where the answer would have been."""
        self.withdrawn = True
        self.note.update(Content(WITHDRAWN))

    async def write(self, fragment: str) -> None:
        if self.stream is None:
            self.stream = Markdown.get_stream(self.markdown)
        await self.stream.write(printable(fragment))

    async def restart(self, kept: str) -> None:
        """Drop what was streamed but `kept` (Markdown, the start of the answer that stays): the
        fragments written next continue it."""
        if self.stream is not None:
            await self.stream.stop()
            self.stream = None
        await self.markdown.update(printable(kept))

    async def finish(self, answer: Answer, suggest: bool = True) -> None:
        """Show the finished `answer` with clickable citations, and its suggested follow-ups
        (when `suggest`: the latest answer's only)."""
        self.answer = answer
        if self.stream is not None:
            await self.stream.stop()
            self.stream = None
        perspectives = {s.n: s.perspective for s in answer.sources}
        await self.markdown.update(linked_citations(answer.text, perspectives))
        if answer.cancelled:
            self.note.update(Content(STOPPED))
        elif answer.mode == "extractive" and answer.cited:  # not under a greeting or "I found no discussion"
            self.note.update(Content("quoted from the posts (no model)"))
        elif answer.fallback is not None and answer.model_text:
            words = Static(Content(printable(answer.model_text)), classes="set-aside")
            await self.mount(Collapsible(words, title=SET_ASIDE_TITLE, collapsed=True), after=self.markdown)
        if suggest and answer.evidence.follow_ups and not answer.cancelled:
            await self.mount(Suggestions(answer.evidence.follow_ups))


class ConversationView(VerticalScroll):
    """The turns so far, newest at the bottom. A new turn is followed as its answer comes
    (Textual's anchor) until the turn is taller than the view: then its question stays at the
    top, so the answer is read from its start (at 80x24 a quoted answer fills several screens),
    also when the terminal is resized. Once the person scrolls, the view stays where they put
    it (at the bottom it follows again); the next question follows again."""

    def __init__(self, *children: Widget, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(*children, id=id)
        #: The latest turn's question while the view keeps that turn in sight (None once the
        #: person scrolls).
        self._turn: Question | None = None
        self._placing = False

    class InView(Message):
        """The finished answer at the top of the view changed (the sources panel follows it)."""

        def __init__(self, answer: Answer, turn: int) -> None:
            super().__init__()
            self.answer = answer
            self.turn = turn

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.call_after_refresh(self.tell_in_view)

    def tell_in_view(self) -> None:
        """Post `InView` for the answer being read: the last finished one whose question starts
        in the upper third of the view or above it."""
        line = self.scroll_offset.y + self.size.height // 3
        answers = [view for view in self.query(AnswerView) if view.answer is not None]
        reading = [view for view in answers if view.region.y - self.region.y + self.scroll_offset.y - 2 <= line]
        if reading:
            view = reading[-1]
            self.post_message(self.InView(view.answer, answers.index(view) + 1))

    def add_question(self, text: str) -> None:
        # The new turn brings its own. Each is removed itself, so that its answer (its parent)
        # lays out again and closes up: a query's remove() re-lays out this view alone, and the
        # answer kept the box's height as a blank gap.
        for suggestions in self.query(Suggestions):
            suggestions.remove()
        self.mount(Question(text))

    def add_answer(self, view: AnswerView) -> AnswerView:
        self.mount(view)
        self._turn = self.query(Question).last()
        self.anchor()
        return view

    def watch_virtual_size(self) -> None:
        """The content grew (an answer came or streams): keep the latest turn in sight."""
        self.call_after_refresh(self.place_turn)

    def on_resize(self) -> None:
        """The terminal was resized: keep the latest turn in sight."""
        self.call_after_refresh(self.place_turn)

    def place_turn(self) -> None:
        """The latest question at the top of the view when its turn is taller than the view;
        otherwise the view follows the bottom. Nothing once the person has scrolled."""
        if self._turn is None or not self._turn.is_attached:
            return
        top = self._turn.virtual_region.y
        self._placing = True
        try:
            if self.max_scroll_y > top:
                self.scroll_to(y=top, animate=False, immediate=True)  # releases the anchor
            elif self.scroll_y < self.max_scroll_y:
                self.anchor()
        finally:
            self._placing = False

    def release_anchor(self) -> None:
        """The person scrolled (Textual releases the anchor): the view stays where they put it."""
        super().release_anchor()
        if not self._placing:
            self._turn = None

    async def show_answered(self, answers: list[Answer]) -> None:
        """A resumed conversation's turns."""
        await self.remove_children()
        for i, answer in enumerate(answers, 1):
            await self.mount(Question(answer.question))
            view = AnswerView()
            await self.mount(view)
            await view.finish(answer, suggest=i == len(answers))
        self._turn = self.query(Question).last() if answers else None
        self.anchor()

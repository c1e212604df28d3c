""""You might also ask": the next questions the engine suggests for the conversation, under the
latest answer. A click, or Enter where focus is (Shift+Tab from the prompt reaches them), asks one."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from mentor.tui.text import printable


class Suggestions(OptionList):
    class Asked(Message):
        """The person chose a suggestion: `text` is the question to ask."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, questions: tuple[str, ...]) -> None:
        super().__init__(*(Option(Text(f"→ {printable(q)}"), id=f"suggestion-{i}") for i, q in enumerate(questions)))
        self.questions = questions
        self.border_title = "You might also ask"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Asked(self.questions[event.option_index]))

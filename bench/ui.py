"""The chat's speed as a person feels it: launch to a usable prompt, Enter to sources on screen."""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mentor.config import load_settings
from mentor.engine.engine import Engine

REPO = Path(__file__).resolve().parent.parent


def launch_to_prompt_s(home: Path, runs: int = 3) -> float | None:
    """Median seconds from starting the chat in a real terminal (tmux) to the prompt drawn.

    The chat runs as `python -m mentor` with this interpreter, from this checkout (no `mentor`
    needed on PATH, so the figure is there outside an activated virtual environment too)."""
    if shutil.which("tmux") is None:
        return None
    command = shlex.join([sys.executable, "-m", "mentor", "--home", str(home), "chat", "--no-model",
                          "--no-history"])
    tmux = ["tmux", "-L", f"mentor-bench-{os.getpid()}"]  # a server of its own, with this environment
    times = []
    try:
        for run in range(runs):
            session = f"run-{run}"
            started = time.perf_counter()
            subprocess.run([*tmux, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", "-c", str(REPO),
                            command], check=True)
            try:
                while time.perf_counter() - started < 30:
                    screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", session], capture_output=True,
                                            text=True).stdout
                    if "Tell mentor what worries you" in screen and "╭" in screen:
                        times.append(time.perf_counter() - started)
                        break
                    time.sleep(0.01)
            finally:
                subprocess.run([*tmux, "kill-session", "-t", session], capture_output=True)
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    return statistics.median(times) if times else None


def enter_to_sources_ms(home: Path, asks: list[str]) -> float:
    """Median milliseconds from Enter to the sources panel filled (Textual's Pilot, no model)."""
    from mentor.tui.app import MentorApp
    from mentor.tui.widgets.prompt import PromptInput
    from mentor.tui.widgets.sources import SourcesPanel

    async def measure() -> list[float]:
        app = MentorApp(home, load_settings(home), history=False, use_model=False)
        times: list[float] = []
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            panel = app.main.query_one(SourcesPanel)
            submitted: list[float] = []
            ask, show = app.ask, panel.show

            def timed_ask(question: str) -> None:  # the moment Enter reaches the app
                submitted.append(time.perf_counter())
                ask(question)

            def timed_show(evidence, turn: int | None = None) -> None:  # noqa: ANN001 (the panel is filled)
                show(evidence, turn=turn)
                times.append((time.perf_counter() - submitted[-1]) * 1000)

            app.ask, panel.show = timed_ask, timed_show
            for question in asks:
                prompt = app.main.query_one(PromptInput)
                prompt.load_text(question)  # the focus is in the prompt, as for a person
                await pilot.press("enter")
                await app.workers.wait_for_complete()
                await pilot.pause()
        return times

    return statistics.median(asyncio.run(measure()))


def run(asks: list[str]) -> dict[str, float | None]:
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        Engine.open(home)  # the index is built once, as after the first run
        return {"launch_to_prompt_s": launch_to_prompt_s(home), "enter_to_sources_ms": enter_to_sources_ms(home, asks)}

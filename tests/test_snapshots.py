"""SVG snapshots of the chat's main states at 80x24 and 120x40 (pytest-textual-snapshot).

Update them after an intended change with `python -m pytest tests/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mentor.config import Settings
from mentor.tui.app import MentorApp
from mentor.tui.widgets.prompt import PromptInput

WORRY = "I'm a PM with no hard skills to show — should I be worried?"
SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def home(bundled_copy: Path) -> Path:
    return bundled_copy


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _asking(question: str):
    async def run_before(pilot) -> None:
        await _settle(pilot)
        prompt = pilot.app.main.query_one(PromptInput)
        assert pilot.app.focused is prompt
        prompt.load_text(question)
        await pilot.press("enter")
        await pilot.pause()
        await _settle(pilot)
        pilot.app.main.query_one("#conversation").scroll_home(animate=False)
        await pilot.pause()
    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_welcome(snap_compare, home: Path, size: tuple[int, int]) -> None:
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    assert snap_compare(app, terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_extractive_answer(snap_compare, home: Path, size: tuple[int, int]) -> None:
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    assert snap_compare(app, terminal_size=size, run_before=_asking(WORRY))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_source_opened(snap_compare, home: Path, size: tuple[int, int]) -> None:
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)

    async def run_before(pilot) -> None:
        await _asking(WORRY)(pilot)
        pilot.app.open_source(1)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_model_answer(snap_compare, home: Path, tiny_model: Path, size: tuple[int, int]) -> None:
    settings = Settings(embedding_model="lsa", model=str(tiny_model), context_window=16384)
    app = MentorApp(home, settings, history=False)
    assert snap_compare(app, terminal_size=size, run_before=_asking(WORRY))

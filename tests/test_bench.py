"""The benchmark measures this checkout's chat, started with the running interpreter."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.ui import launch_to_prompt_s


def test_launch_is_measured_without_mentor_on_the_path(bundled_home: Path, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    """Outside an activated virtual environment there is no `mentor` command: the launch
    figure must be there all the same."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    bare = tmp_path / "bin"  # only tmux and a shell: no mentor, no python
    bare.mkdir()
    for tool in ("tmux", "sh"):
        (bare / tool).symlink_to(shutil.which(tool))
    monkeypatch.setenv("PATH", str(bare))
    assert launch_to_prompt_s(bundled_home, runs=1) is not None


def test_enter_to_sources_is_measured(bundled_copy: Path) -> None:
    """The Pilot timing wraps the sources panel's `show`: it must follow its signature."""
    from bench.ui import enter_to_sources_ms

    assert enter_to_sources_ms(bundled_copy, ["should I learn SQL to pull my own numbers?"]) > 0

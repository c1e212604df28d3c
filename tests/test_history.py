"""Saved conversations: private file, resume with numbers intact, list/export/delete from the CLI."""

from __future__ import annotations

import stat
from pathlib import Path

from mentor.engine.conversation import Conversation
from mentor.engine.engine import Engine
from mentor.history.store import HistoryStore
from tests.conftest import Cli


def test_store_resume_and_cli(bundled_engine: Engine, cli: Cli) -> None:
    home = cli.home
    home.mkdir(parents=True, exist_ok=True)
    store = HistoryStore(home)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    conversation = Conversation()
    list(bundled_engine.ask(conversation, "should I do an MBA?"))
    list(bundled_engine.ask(conversation, "and what about a part-time one?"))
    session = store.new_session("should I do an MBA?")
    for turn in conversation.turns:
        store.add_turn(session, turn)
    resumed = store.resume(session)
    assert [t.answer.text for t in resumed.turns] == [t.answer.text for t in conversation.turns]
    assert resumed.numbers == conversation.numbers
    assert resumed.given() == conversation.given()
    after = list(bundled_engine.ask(resumed, "should I learn SQL?"))[-1].answer
    assert min(s.n for s in after.evidence.sources if (s.thread_id, s.post_index) not in conversation.numbers) \
        > max(conversation.numbers.values())

    listed = cli("history", "list")
    assert "should I do an MBA?" in listed.stdout and "2 turns" in listed.stdout
    exported = cli("history", "export", str(session))
    assert exported.stdout.startswith("# should I do an MBA?") and "Sources:" in exported.stdout
    assert cli("history", "delete", str(session)).exit_code == 0
    gone = cli("history", "export", str(session))
    assert gone.exit_code == 1 and f"no conversation {session}" in gone.stderr


def test_no_history_mode_writes_nothing(tmp_path: Path, bundled_home: Path) -> None:
    import shutil

    from mentor.config import Settings
    from mentor.tui.app import MentorApp

    home = tmp_path / "home"
    shutil.copytree(bundled_home, home)
    app = MentorApp(home, Settings(), history=False, use_model=False)
    assert app.history is None and not (home / "history.sqlite").exists()

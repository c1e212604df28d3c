"""The labelled conversations: their files are well formed, and follow-ups stay on (or move to)
the labelled threads at least as often as the floor says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mentor.corpus.bundled import corpus_dir
from mentor.engine.engine import Engine
from mentor.errors import MentorError
from mentor.eval.conversations import TOPIC_FLOOR, load_conversations, run_conversation_eval
from tests.conftest import Cli


def test_the_labelled_set_is_as_documented() -> None:
    conversations = load_conversations()
    threads = {path.stem for path in (corpus_dir() / "threads").glob("*.md")}
    assert len(conversations) >= 20 and any(c.held_out for c in conversations)
    for conversation in conversations:
        assert 3 <= len(conversation.turns) <= 4, conversation.id
        assert conversation.turns[0].kind == "both_sides"
        for turn in conversation.turns:
            assert set(turn.threads) <= threads, conversation.id


def test_a_malformed_label_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(json.dumps({"conversations": [
        {"id": "x", "turns": [{"ask": "hi", "kind": "advice", "threads": ["a"]}]}]}), encoding="utf-8")
    with pytest.raises(MentorError, match=r"bad.json, conversation 1 \(x\), turn 1: `kind` must be one of"):
        load_conversations(tmp_path)


def test_follow_up_topic_accuracy_meets_its_floor(bundled_engine: Engine) -> None:
    everything, held_out = run_conversation_eval(bundled_engine)
    figures = everything.summary()
    assert figures["follow_up_topic"] >= TOPIC_FLOOR, everything.misses
    assert figures["follow_up_kind"] >= 0.8, everything.misses
    assert figures["options_addressed"] >= 0.8, everything.misses
    assert held_out.follow_ups > 0


def test_eval_conversations_command(cli: Cli, tmp_path: Path) -> None:
    """The conversations are asked of the starter corpus alone: a thread the user added on their
    subjects (a trial user's own import answered two labelled turns) is left out, and said to be."""
    own = tmp_path / "mine.txt"
    own.write_text("Should I do an MBA or learn to code to become a PM?\n\nI want to move into product "
                   "management and wonder whether an MBA or coding skills matter more.\n\n\n"
                   "An MBA opens doors to product management interviews at big companies.\n\n\n"
                   "Learn to code instead: engineers respect a PM who can read the code.\n", encoding="utf-8")
    assert cli("ingest", str(own)).exit_code == 0
    result = cli("eval", "--conversations", "--json")
    assert result.exit_code == 0, result.output
    assert "the 1 thread you added is left out" in result.stderr
    report = json.loads(result.stdout)
    assert not any("should-i-do-an-mba-or-learn-to-code" in miss for misses in report["misses"].values()
                   for miss in misses)
    result = cli("eval", "--conversations")
    assert "| follow up topic |" in result.stdout and "held out" in result.stdout

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


def test_eval_conversations_command(cli: Cli) -> None:
    result = cli("eval", "--conversations")
    assert result.exit_code == 0, result.output
    assert "| follow up topic |" in result.stdout and "held out" in result.stdout

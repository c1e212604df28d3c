"""Answers written by a real llama.cpp model (a tiny random-weight GGUF the tests make): the
shapes of streaming, cache reuse, cancel and context limits. What a real instruct model writes is
tested in test_real_model.py."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from mentor.engine.conversation import Conversation
from mentor.engine.engine import Engine
from mentor.engine.events import AnswerDone, Notice, SourcesFound, Token
from mentor.llm.discovery import inspect
from mentor.llm.local import LocalModel
from mentor.llm.synthetic import write_model
from tests.conftest import Cli

WORRY = "I'm a PM and I worry I have no hard skills to show. Should I be worried?"


def _run(engine: Engine, conversation: Conversation, question: str, model, cancel=None):
    return list(engine.ask(conversation, question, model=model, cancel=cancel))


def test_streamed_cited_answer(bundled_engine: Engine, tiny_llm: LocalModel) -> None:
    events = _run(bundled_engine, Conversation(), WORRY, tiny_llm)
    assert isinstance(events[0], SourcesFound)
    tokens = [e for e in events if isinstance(e, Token)]
    answer = events[-1].answer
    assert answer.mode == "llm" and len(tokens) > 1
    assert "".join(t.text for t in tokens) == answer.text
    assert answer.timings_ms["first_token"] is not None
    assert 0 < answer.timings_ms["retrieve"] < answer.timings_ms["first_token"] <= answer.timings_ms["total"]
    listed = {s.n for s in answer.sources}
    assert set(answer.cited) <= listed
    assert {p.thread_title for p in answer.evidence.perspectives} == set(answer.evidence.thread_titles)


def test_follow_up_reuses_the_cache(bundled_engine: Engine, tiny_llm: LocalModel) -> None:
    conversation = Conversation()
    first = _run(bundled_engine, conversation, WORRY, tiny_llm)[-1].answer
    second = _run(bundled_engine, conversation, "and what if I work at a bank?", tiny_llm)[-1].answer
    assert first.prompt_tokens and second.prompt_tokens
    total_second = tiny_llm.count_tokens([{"role": "user", "content": t.prompt} for t in conversation.turns])
    assert second.prompt_tokens < first.prompt_tokens
    assert second.prompt_tokens < 0.6 * total_second
    # Earlier sources stay citable: the second turn's allowed numbers include the first's.
    assert conversation.turns[0].given <= conversation.given()


def test_cancel_stops_within_a_token(bundled_engine: Engine, tiny_llm: LocalModel) -> None:
    conversation = Conversation()
    cancel = threading.Event()
    after_cancel = 0
    for event in bundled_engine.ask(conversation, WORRY, model=tiny_llm, cancel=cancel):
        if isinstance(event, Token):
            if cancel.is_set():
                after_cancel += 1
            cancel.set()
        if isinstance(event, AnswerDone):
            answer = event.answer
    assert after_cancel <= 1
    assert answer.cancelled and answer.mode == "llm"
    assert not conversation.turns[0].in_prompt
    # The conversation goes on: the next turn's prompt holds no trace of the cancelled one.
    follow = _run(bundled_engine, conversation, "should I do an MBA?", tiny_llm)[-1].answer
    assert follow.mode == "llm" and not follow.cancelled
    assert conversation.given() == conversation.turns[1].given


def test_long_conversations_drop_old_turns_never_fail(bundled_engine: Engine, tiny_model: Path) -> None:
    small = LocalModel(inspect(tiny_model, "configured"), context=4096)
    conversation = Conversation()
    modes = []
    for question in ("should I do an MBA?", "should I learn SQL?", "is it ok to work 60 hours a week?",
                     "should I become a people manager?"):
        events = _run(bundled_engine, conversation, question, small)
        modes.append(events[-1].answer.mode)
    assert modes == ["llm"] * 4
    kept, _ = conversation.messages("system", "next", set(), small)
    assert len(kept) < 2 + 2 * len(conversation.turns)  # the oldest turns no longer fit


def test_question_too_big_for_the_window_falls_back(bundled_engine: Engine, tiny_model: Path) -> None:
    cramped = LocalModel(inspect(tiny_model, "configured"), context=600)
    events = _run(bundled_engine, Conversation(), WORRY, cramped)
    notices = [e.text for e in events if isinstance(e, Notice)]
    assert any("do not fit the model's context window" in n for n in notices)
    assert events[-1].answer.mode == "extractive"


@pytest.mark.parametrize("damage, expected", [
    ("truncate", "damaged or truncated"),
    ("garbage", "not a GGUF file"),
    ("missing", "no such file"),
    ("no-template", "no chat template"),
])
def test_bad_models_fall_back_with_a_clear_message(cli: Cli, tmp_path: Path, tiny_model: Path,
                                                   damage: str, expected: str) -> None:
    path = tmp_path / "model.gguf"
    if damage == "truncate":
        path.write_bytes(tiny_model.read_bytes()[:4096])
    elif damage == "garbage":
        path.write_bytes(b"this is not a model" * 100)
    elif damage == "no-template":
        write_model(path, chat_template=None)
    result = cli("ask", "--json", "--model", str(path), "should I do an MBA?")
    assert result.exit_code == 0, result.output
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert json.loads(result.stdout)["mode"] == "extractive"


def test_ask_with_a_model_json(cli: Cli, tiny_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTOR_CONTEXT", "16384")
    result = cli("ask", "--json", "--model", str(tiny_model), WORRY)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["mode"] == "llm"
    numbers = {s["n"] for s in data["sources"]}
    assert set(data["cited"]) <= numbers
    assert all(set(p["sources"]) <= numbers for p in data["perspectives"])
    assert data["timings_ms"]["first_token"] is not None

"""Answers written by a real llama.cpp model (a tiny random-weight GGUF the tests make): the
shapes of streaming, cache reuse, cancel and context limits. What a real instruct model writes is
tested in test_real_model.py."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import gguf
import pytest

from mentor.engine.conversation import Conversation
from mentor.engine.engine import Engine
from mentor.engine.events import STOPPED_EARLY, AnswerDone, Notice, Reading, SetAside, SourcesFound, Token
from mentor.llm.discovery import inspect
from mentor.llm.local import LocalModel
from mentor.llm.synthetic import write_model
from tests.conftest import Cli, shown_text

WORRY = "I'm a PM and I worry I have no hard skills to show. Should I be worried?"


def _run(engine: Engine, conversation: Conversation, question: str, model, cancel=None):
    return list(engine.ask(conversation, question, model=model, cancel=cancel))


def test_streamed_cited_answer(bundled_engine: Engine, tiny_llm: LocalModel) -> None:
    events = _run(bundled_engine, Conversation(), WORRY, tiny_llm)
    assert isinstance(events[0], SourcesFound)
    tokens = [e for e in events if isinstance(e, Token)]
    answer = events[-1].answer
    assert answer.mode == "llm" and len(tokens) > 1
    assert shown_text(events) == answer.text
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


def test_a_follow_up_that_falls_back_keeps_its_kind(bundled_engine: Engine, tiny_llm: LocalModel) -> None:
    """The random-weight model's answers always fail the checks; the posts quoted after a
    follow-up's are shaped like the follow-up's answer without a model (a recommendation
    weighs the sides), not like a first worry's."""
    conversation = Conversation()
    _run(bundled_engine, conversation, WORRY, tiny_llm)
    answer = _run(bundled_engine, conversation, "What would you do in my position?", tiny_llm)[-1].answer
    assert answer.mode == "llm" and answer.fallback is not None
    quoted = answer.text.split("here is what the posts say._", 1)[1]
    assert quoted.lstrip().startswith(("In your position", "You haven't told me")) and "You asked" not in quoted


def test_a_failed_answer_is_set_aside_for_the_posts_after_the_moves_bridge(
        bundled_engine: Engine, tiny_llm: LocalModel) -> None:
    """The random-weight model's answers always fail the checks. A trial user read such an
    answer in full, then a note and the posts, with the topic's move ("That moves us from …")
    only after the nonsense. The bridge comes first, before the model reads its prompt; the
    failed words are set aside, and the answer is the bridge, the note and the posts."""
    conversation = Conversation()
    _run(bundled_engine, conversation, WORRY, tiny_llm)
    events = _run(bundled_engine, conversation, "What about moving to a startup instead?", tiny_llm)
    answer = events[-1].answer
    assert answer.evidence.reading.moved and answer.mode == "llm" and answer.fallback is not None
    bridge = "That moves us from hard skills to startups.\n\n"
    kinds = [type(event) for event in events]
    assert events[1] == Token(bridge) and kinds.index(Reading) == 2
    [set_aside] = [event for event in events if isinstance(event, SetAside)]
    assert set_aside == SetAside(answer.fallback, answer.model_text, kept=bridge)
    assert events[kinds.index(SetAside) + 1] == Token(answer.text[len(bridge):])
    assert answer.text.startswith(f"{bridge}_Note: {answer.fallback}, so it was set aside; here is what the posts say._")
    assert answer.model_text not in answer.text and shown_text(events) == answer.text
    assert answer.to_json()["set_aside"] == answer.model_text and answer.to_json()["answer"] == answer.text


def test_ask_piped_prints_the_final_answer_and_its_json_agrees(bundled_home: Path, tiny_model: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """`mentor ask | less`: no tokens of a failed answer, only the answer in its place (the note,
    the posts), as `--json` gives it; on a terminal the stream goes on as before."""
    from mentor.engine.cite import unescape_markdown

    monkeypatch.setenv("MENTOR_CONTEXT", "16384")
    cli = Cli(bundled_home)
    data = json.loads(cli("ask", "--json", "--model", str(tiny_model), WORRY).stdout)
    assert data["mode"] == "llm" and data["fallback"] and data["set_aside"]
    assert data["answer"].startswith("_Note: ") and data["set_aside"] not in data["answer"]
    piped = cli("ask", "--model", str(tiny_model), WORRY)
    assert piped.exit_code == 0, piped.output
    assert piped.stdout.startswith(f"{unescape_markdown(data['answer'])}\n\nSources\n"), piped.stdout[:300]


def test_a_stop_before_the_first_word_answers_from_the_posts(bundled_engine: Engine, tiny_llm: LocalModel) -> None:
    """A trial user's Esc while the model read its prompt left an answer of only "stopped": a
    turn stopped before the model's first word is the posts, quoted, with a notice saying why,
    shown as the chat and `mentor ask` show the events; the next turn is the model's again."""
    conversation = Conversation()
    cancel = threading.Event()
    events = []
    for event in bundled_engine.ask(conversation, WORRY, model=tiny_llm, cancel=cancel):
        events.append(event)
        if isinstance(event, Reading):
            cancel.set()  # Esc as the prompt starts to be read
    answer = events[-1].answer
    assert answer.mode == "extractive" and not answer.cancelled and answer.cited
    assert shown_text(events) == answer.text
    assert f"{STOPPED_EARLY}. Answering from the posts instead." in [e.text for e in events if isinstance(e, Notice)]
    follow = _run(bundled_engine, conversation, "should I do an MBA?", tiny_llm)[-1].answer
    assert follow.mode == "llm" and not follow.cancelled


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


#: Seven worries that outgrow a 4,096-token window with SmolLM2's answers.
LONG_CONVERSATION = ("should I do an MBA?", "should I learn SQL?", "is it ok to work 60 hours a week?",
                     "should I become a people manager?", "will AI replace product managers?",
                     "should I switch from B2B to B2C?", "is a PM certification worth the money?")


def test_long_conversations_drop_old_turns_never_fail(bundled_engine: Engine, tiny_model: Path) -> None:
    small = LocalModel(inspect(tiny_model, "configured"), context=4096)
    conversation = Conversation()
    modes = []
    # Until the conversation outgrows the window (how soon depends on what the model wrote).
    for question in LONG_CONVERSATION:
        events = _run(bundled_engine, conversation, question, small)
        modes.append(events[-1].answer.mode)
        kept, _ = conversation.messages("system", "next", set(), small)
        if len(kept) < 2 + 2 * len(conversation.turns):  # the oldest turns no longer fit
            break
    assert len(kept) < 2 + 2 * len(conversation.turns), "seven turns never outgrew a 4096-token window"
    assert modes == ["llm"] * len(conversation.turns)


def test_after_old_turns_are_dropped_the_next_turns_read_only_their_own_tokens(
        bundled_engine: Engine, tiny_model: Path) -> None:
    """A trial user's chat re-read ~2,900 prompt tokens every turn once the conversation filled
    the 4,096-token window: dropping the oldest turn each time changed the prompt right after
    its system message. Dropped down to half the room, the turns after a drop add to its end,
    and no turn after the first reads more than that half."""
    from mentor.engine.conversation import REFILL
    from mentor.llm.chat_model import MAX_ANSWER_TOKENS

    small = LocalModel(inspect(tiny_model, "configured"), context=4096)
    conversation = Conversation()
    read = []
    for question in LONG_CONVERSATION:
        answer = _run(bundled_engine, conversation, question, small)[-1].answer
        assert answer.mode == "llm"
        read.append(answer.prompt_tokens)
    said = [{"role": role, "content": text} for turn in conversation.turns
            for role, text in (("user", turn.prompt), ("assistant", turn.answer.model_text))]
    room = small.context_window - MAX_ANSWER_TOKENS
    assert small.count_tokens(said) > 1.5 * room, "the conversation never outgrew the window"
    assert max(read[1:]) <= REFILL * room, read


def test_question_too_big_for_the_window_falls_back(bundled_engine: Engine, tiny_model: Path) -> None:
    cramped = LocalModel(inspect(tiny_model, "configured"), context=600)
    events = _run(bundled_engine, Conversation(), WORRY, cramped)
    notices = [e.text for e in events if isinstance(e, Notice)]
    assert any("do not fit the model's context window" in n for n in notices)
    assert events[-1].answer.mode == "extractive"


def _grammar_takes(model: LocalModel, grammar: str, text: str) -> bool:
    """Whether llama.cpp's grammar sampler, on `model`'s vocabulary, allows each token of `text`
    in turn (the check mentor's sampler makes of every token it draws)."""
    import ctypes
    import math

    from mentor.llm.lazy_grammar import llama_cpp

    check = llama_cpp.llama_sampler_init_grammar(model.llm._model.vocab, grammar.encode(), b"root")  # noqa: SLF001
    candidate = llama_cpp.llama_token_data(0, 0.0, 0.0)
    candidates = llama_cpp.llama_token_data_array(ctypes.pointer(candidate), 1, -1, False)
    try:
        for token in model.llm.tokenize(text.encode(), add_bos=False):
            candidate.id, candidate.logit, candidate.p = token, 0.0, 0.0
            llama_cpp.llama_sampler_apply(check, ctypes.byref(candidates))
            if math.isinf(candidate.logit):
                return False
            llama_cpp.llama_sampler_accept(check, token)
        return True
    finally:
        llama_cpp.llama_sampler_free(check)


def test_the_grammar_writes_a_percentage_or_money_only_as_the_prompt_gives_it(tiny_llm: LocalModel) -> None:
    """A trial user's answer said "20% more than my peers" where the prompt had only a "top-20
    school" and "20 years" (2026-11-29). Under the grammar, 20 stays writable, "20%" does not;
    "20 percent" in words does (`answer_check.invented_figures` catches it)."""
    from mentor.engine.answer_check import writable_figures
    from mentor.llm.grammar import AnswerShape

    grammar = AnswerShape.of([[1]], writable_figures("a top-20 school, 20 years, $5k and 30% more")).grammar()
    answer = ("You worry about the cost of it.\n\nOne view says it pays {} more [1].\n\n"
              "Ask a peer first. What do you think?")
    assert _grammar_takes(tiny_llm, grammar, answer.format("a lot"))
    written = {figure: _grammar_takes(tiny_llm, grammar, answer.format(figure))
               for figure in ("20", "30%", "$5k", "20 percent", "20%", "$20", "45")}
    assert written == {"20": True, "30%": True, "$5k": True, "20 percent": True, "20%": False, "$20": False,
                       "45": False}


def test_the_grammar_writes_a_figure_whole_never_glued_to_letters_or_another_figure(tiny_llm: LocalModel) -> None:
    """SmolLM2 wrote "moving away from B2023 market trends" under the grammar (2026-11-30): a
    figure was a word's letter like any other. Now it is a word of its own, with the brackets,
    quotes and commas around it that prose has; a word of the prompt holding a digit is written
    whole, as the prompt writes it."""
    from mentor.engine.answer_check import writable_figures
    from mentor.llm.grammar import AnswerShape

    grammar = AnswerShape.of([[1]], writable_figures("In 2023 a top-20 school, 20 years, 15 of them in B2B; "
                                                     "$5k and 30% more")).grammar()
    answer = ("You worry about the cost of it.\n\nOne view says it pays {} [1].\n\n"
              "Ask a peer first. What do you think?")
    written = {words: _grammar_takes(tiny_llm, grammar, answer.format(words))
               for words in ("back in 2023", "less (about 30%), not more", "\u201c$5k\u201d a year", "20, or 15",
                             "in B2B markets", "at a top-20 school",
                             "B2023", "in 2015", "back in 202015", "B2Bs", "B20 years", "20s", "top-2023",
                             "20-15", "20,15")}
    assert written == {"back in 2023": True, "less (about 30%), not more": True, "\u201c$5k\u201d a year": True,
                       "20, or 15": True, "in B2B markets": True, "at a top-20 school": True,
                       "B2023": False, "in 2015": False, "back in 202015": False, "B2Bs": False, "B20 years": False,
                       "20s": False, "top-2023": False, "20-15": False, "20,15": False}


@pytest.mark.parametrize("damage, expected", [
    ("truncate", "damaged or truncated"),
    ("garbage", "not a GGUF file"),
    ("missing", "no such file"),
    ("no-template", "no chat template"),
    ("folder", "a folder, where a GGUF model file (.gguf) was expected"),
    ("no-weights", "llama.cpp could not read its weights"),
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
    elif damage == "folder":
        path = tmp_path / "models"
        path.mkdir()
    elif damage == "no-weights":  # a header gguf reads, with a chat template, and no tensors for llama.cpp
        writer = gguf.GGUFWriter(str(path), "llama")
        writer.add_chat_template("{{ messages }}")
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
    result = cli("ask", "--json", "--model", str(path), "should I do an MBA?")
    assert result.exit_code == 0, result.output
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count(str(path)) == 1, result.stderr  # the path once, in "model PATH: ..."
    # The person named a model: the fallback is said, with no advice to pass --model.
    assert "answers by quoting the posts" in result.stderr and "--model" not in result.stderr
    assert json.loads(result.stdout)["mode"] == "extractive"


def test_no_model_found_says_how_to_add_one(cli: Cli, no_models_found: Path) -> None:
    result = cli("ask", "--json", "should I do an MBA?")
    assert result.exit_code == 0, result.output
    assert "No chat model is in use, so mentor answers by quoting the posts. To have a model write" in result.stderr
    assert "pass --model PATH" in result.stderr


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


def test_threads_setting_and_passive_waiting(tmp_path: Path, tiny_model: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from mentor.config import load_settings
    from mentor.errors import MentorError

    monkeypatch.delenv("MENTOR_THREADS", raising=False)
    config = tmp_path / "config.toml"
    config.write_text("threads = 1\n", encoding="utf-8")
    assert load_settings(tmp_path).threads == 1
    monkeypatch.setenv("MENTOR_THREADS", "3")
    assert load_settings(tmp_path).threads == 3
    for bad in ("0", "many"):
        monkeypatch.setenv("MENTOR_THREADS", bad)
        with pytest.raises(MentorError, match=f"MENTOR_THREADS={bad}: expected a number of threads"):
            load_settings(tmp_path)
    monkeypatch.delenv("MENTOR_THREADS")
    for bad in ("threads = 0", "threads = true", 'threads = "2"'):
        config.write_text(bad + "\n", encoding="utf-8")
        with pytest.raises(MentorError, match="'threads' must be a whole number of at least 1"):
            load_settings(tmp_path)
    # Said in a person's words, not Python's ("must be a str", "must be a int").
    for bad, said in (("model = 3", "'model' must be text in double quotes (\"…\")"),
                      ('history = "no"', "'history' must be true or false")):
        config.write_text(bad + "\n", encoding="utf-8")
        with pytest.raises(MentorError) as raised:
            load_settings(tmp_path)
        assert str(raised.value) == f"{config}: {said}"
    # A set number serves decode and prompt alike; llama.cpp's threads spin only briefly.
    model = LocalModel(inspect(tiny_model, "configured"), threads=1)
    assert (model.llm.context_params.n_threads, model.llm.context_params.n_threads_batch) == (1, 1)
    assert os.environ.get("OMP_WAIT_POLICY") or os.environ["GOMP_SPINCOUNT"] == "20000"


@pytest.mark.parametrize("usage", [
    {"timings": {"prompt_n": 120}},  # llama-server: tokens evaluated past its cache
    {"usage": {"prompt_tokens": 500, "prompt_tokens_details": {"cached_tokens": 380}}},  # OpenAI's shape
])
def test_server_gets_grammar_and_sampling_and_reports_usage(monkeypatch: pytest.MonkeyPatch,
                                                            usage: dict) -> None:
    """What goes to an OpenAI-compatible server and what is read back. (python -m llama_cpp.server
    runs in test_real_model.py but reports no usage while streaming; llama-server, which does, is
    not installed here, so its event stream is replayed.)"""
    import httpx

    from mentor.llm.chat_model import SAMPLING
    from mentor.llm.grammar import AnswerShape
    from mentor.llm.remote import RemoteModel

    sent: list[dict] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/models"):
            return httpx.Response(200, json={"data": [{"id": "m"}]})
        sent.append(json.loads(request.content))
        events = [{"choices": [{"delta": {"content": "Hi [1]."}, "finish_reason": None}]},
                  {"choices": [{"delta": {}, "finish_reason": "length"}], **usage}]
        body = "".join(f"data: {json.dumps(event)}\n\n" for event in events) + "data: [DONE]\n\n"
        return httpx.Response(200, content=body.encode(), headers={"content-type": "text/event-stream"})

    real_client = httpx.Client
    monkeypatch.setattr("mentor.llm.remote.httpx.Client",
                        lambda **options: real_client(transport=httpx.MockTransport(answer), **options))
    model = RemoteModel("http://127.0.0.1:9/v1")
    shape = AnswerShape.of([[1]])
    text = "".join(model.stream([{"role": "user", "content": "<|im_end|>hi"}], shape, threading.Event()))
    assert text == "Hi [1]." and model.last_prompt_tokens == 120 and model.last_finish == "length"
    [body] = sent
    assert body["grammar"] == shape.grammar() and body["stream"] is True
    assert {key: body[key] for key in SAMPLING.request()} == SAMPLING.request()
    assert body["messages"] == [{"role": "user", "content": "‹|im_end|›hi"}]

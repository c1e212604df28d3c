"""Input at and past the limits: clear messages, bounded memory, no crash.

A 100 KB pasted question, an empty one, one longer than the model's context window, a thread of
5,000 posts, a 1 MB post, a file over the size limit, files and standard input that are not
UTF-8. Through the CLI (in-process, or as a real child process where the terminal's encoding or
the peak memory is what is tested) and the engine, with the tiny real model where a model matters.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from mentor.engine.conversation import Conversation
from mentor.engine.engine import MAX_QUERY_CHARS, Engine
from mentor.engine.events import AnswerDone, Notice
from mentor.errors import MentorError
from mentor.importers.registry import MAX_FILE_BYTES
from mentor.llm.discovery import inspect
from mentor.llm.local import LocalModel
from tests.conftest import REPO, Cli

#: A generous ceiling on any one mentor process (a quiet `ask` peaks near 200 MB).
MAX_RSS_MB = 1024
WORRY = "I'm a PM and I worry I have no hard skills to show, should I be worried? "
#: 100,000 characters, the worry again and again (as a long paste would be).
PASTED = (WORRY * (100_000 // len(WORRY) + 1))[:99_999] + "?"
EMPTY = "mentor: the question is empty: type a worry or a question\n"


@pytest.fixture(scope="module")
def home(bundled_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the starter corpus indexed (the tests here only read it)."""
    path = tmp_path_factory.mktemp("limits") / "home"
    shutil.copytree(bundled_home, path)
    return path


def run_mentor(home: Path, *args: str | bytes, stdin: bytes | None = None,
               timeout: float = 120) -> tuple[int, str, str, float]:
    """`mentor --home HOME ARGS` as a child process: (exit code, stdout, stderr, peak RSS in MB).

    The child's standard streams are strict UTF-8 (as on a UTF-8 desktop terminal, where
    Python does not smuggle undecodable bytes through), so text it cannot encode is an error.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8:strict",
           "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    env.pop("MENTOR_HOME", None)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen([sys.executable, "-m", "mentor", "--home", str(home), *args], cwd=REPO,
                                 env=env, stdin=subprocess.PIPE, stdout=out, stderr=err)
        child.stdin.write(stdin or b"")
        child.stdin.close()
        deadline = time.monotonic() + timeout
        while True:  # wait4, not wait: the peak memory of this very child
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                child.kill()
                child.wait()
                pytest.fail(f"mentor {args[0]!r} took more than {timeout} s")
            time.sleep(0.05)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (child.returncode, out.read().decode("utf-8"), err.read().decode("utf-8"),
                usage.ru_maxrss / 1024)


# -- empty questions -------------------------------------------------------------------------

def test_empty_questions_are_clear_errors(home: Path, bundled_engine: Engine) -> None:
    cli = Cli(home)
    for question in ("", "   ", "\t\n "):
        result = cli("ask", question)
        assert (result.exit_code, result.stderr, result.stdout) == (1, EMPTY, "")
    # Standard input with nothing but blank lines asks nothing: said so, and a failure.
    result = cli("ask", "--json", input="\n   \n\t\n")
    assert result.exit_code == 1 and result.stdout == ""
    assert "mentor: no question on standard input: write one worry or question per line" in result.stderr
    # Blank lines between questions are skipped, as before.
    result = cli("ask", "--json", "--no-model", input="\n  \nshould I do an MBA?\n\n")
    assert result.exit_code == 0 and len(result.stdout.strip().splitlines()) == 1
    with pytest.raises(MentorError, match="the question is empty"):
        list(bundled_engine.ask(Conversation(), " \n\t "))


# -- long questions --------------------------------------------------------------------------

def test_a_100_kb_question_is_searched_by_its_start(home: Path) -> None:
    cli = Cli(home)
    result = cli("ask", "--json", "--no-model", PASTED)
    assert result.exit_code == 0, result.output
    assert (f"mentor: the question is 100,000 characters long; mentor read and searched its "
            f"first {MAX_QUERY_CHARS:,}") in result.stderr
    data = json.loads(result.stdout)
    assert data["question"] == PASTED and data["mode"] == "extractive"
    assert data["sources"] and set(data["cited"]) <= {s["n"] for s in data["sources"]}
    assert len(data["answer"]) < 5_000  # the answer names the worry, it does not repeat it
    plain = cli("ask", "--no-model", PASTED)
    assert plain.exit_code == 0 and f"You asked: “{WORRY[:40]}" in plain.stdout
    assert len(plain.stdout) < 5_000


def test_a_pasted_essay_is_read_by_its_start_as_it_is_searched(bundled_engine: Engine) -> None:
    """A trial user pasted 1.2 million characters: mentor searched their first 4,000 but read the
    person's facts and the kind of question in all of them (78 s before the answer; 8 s for
    120,000). What it reads is what it searched: facts past the start are not taken, and the
    answer keeps the question whole."""
    told = PASTED[:MAX_QUERY_CHARS] + " I'm 52 years old and a PM in banking with two kids."
    conversation = Conversation()
    events = list(bundled_engine.ask(conversation, told))
    answer = events[-1].answer
    assert answer.question == told and answer.evidence.sources
    assert conversation.situation.age is None and conversation.situation.industry is None
    assert [e.text for e in events if isinstance(e, Notice)] == [
        f"the question is {len(told):,} characters long; mentor read and searched its first {MAX_QUERY_CHARS:,}"]
    # Said within the start, the same facts are read.
    conversation = Conversation()
    list(bundled_engine.ask(conversation, "I'm 52 years old and a PM in banking. " + PASTED[:MAX_QUERY_CHARS]))
    assert conversation.situation.age == 52 and conversation.situation.industry


def test_a_100_kb_question_with_the_tiny_model_falls_back_then_talk_goes_on(
        bundled_engine: Engine, tiny_llm: LocalModel) -> None:
    conversation = Conversation()
    events = list(bundled_engine.ask(conversation, PASTED, model=tiny_llm))
    notices = [e.text for e in events if isinstance(e, Notice)]
    assert ("this question and its sources do not fit the model's context window (16384 tokens). "
            "Answering from the posts instead.") in notices
    assert isinstance(events[-1], AnswerDone) and events[-1].answer.mode == "extractive"
    # The pasted essay does not poison the conversation: the next question is answered by the model.
    follow = list(bundled_engine.ask(conversation, "should I do an MBA?", model=tiny_llm))[-1].answer
    assert follow.mode == "llm" and set(follow.cited) <= set(conversation.sources)


def test_a_question_longer_than_the_context_window(home: Path, bundled_engine: Engine, tiny_model: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    long = "Should I learn SQL as a PM, or leave every number to our analysts? " * 40
    small = LocalModel(inspect(tiny_model, "configured"), context=512)
    assert small.count_tokens([{"role": "user", "content": long}]) > small.context_window
    events = list(bundled_engine.ask(Conversation(), long, model=small))
    assert any("do not fit the model's context window (512 tokens)" in e.text
               for e in events if isinstance(e, Notice))
    assert events[-1].answer.mode == "extractive" and events[-1].answer.evidence.sources
    # The same through the CLI: a clear line on stderr, the answer from the posts, exit 0.
    monkeypatch.setenv("MENTOR_CONTEXT", "512")
    result = Cli(home)("ask", "--json", "--model", str(tiny_model), long)
    assert result.exit_code == 0, result.output
    assert ("mentor: this question and its sources do not fit the model's context window (512 tokens). "
            "Answering from the posts instead.") in result.stderr
    assert json.loads(result.stdout)["mode"] == "extractive" and "Traceback" not in result.stderr


# -- big threads, big posts, big files ---------------------------------------------------------

def _megathread(path: Path, posts: int) -> Path:
    rng = random.Random(5)
    words = ["roadmap", "stakeholder", "metrics", "discovery", "interview", "prep", "case", "study", "mock",
             "panel", "recruiter", "offer", "promotion", "portfolio"]
    lines = ["---", "title: The PM interview prep megathread", "---", ""]
    for i in range(posts):
        lines += [f"## member{i % 97}", "", " ".join(rng.choice(words) for _ in range(12)) + ".", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _one_huge_post(path: Path, size: int) -> Path:
    """A thread whose second post is `size` bytes: a one-line claim, then a paragraph of words with
    no full stop and no line break."""
    rng = random.Random(9)
    words = ["learning", "sql", "product", "manager", "funnel", "analyst", "numbers", "query", "dashboard",
             "metric"]
    text = []
    total = 0
    while total < size:
        text.append(rng.choice(words))
        total += len(text[-1]) + 1
    path.write_text("---\ntitle: One enormous post about SQL dashboards\n---\n\n"
                    "## Op\n\nShould I learn SQL to build my own dashboards?\n\n"
                    f"## Wall\n\nBuilding your own dashboards teaches you the data.\n\n{' '.join(text)}\n\n"
                    "## Uma\n\n@Wall, +1, this.\n\n"
                    "## Tess\n\n@Wall, no. Leave SQL dashboards to the analysts and talk to customers.\n\n"
                    "## Vic\n\n@Tess, +1, agreed.\n",
                    encoding="utf-8")
    return path


def test_a_5000_post_thread_and_a_1_mb_post_in_bounded_memory(bundled_copy: Path, tmp_path: Path,
                                                               tiny_llm: LocalModel) -> None:
    home = bundled_copy
    mega = _megathread(tmp_path / "megathread.md", 5_000)
    huge = _one_huge_post(tmp_path / "huge.md", 1_000_000)
    code, out, err, rss = run_mentor(home, "ingest", str(mega), str(huge))
    assert code == 0, err
    assert "threads: 2 added, 0 updated, 0 unchanged; 5005 posts read" in out
    assert rss < MAX_RSS_MB, f"ingest peaked at {rss:.0f} MB"
    # Asking about each: answered, quoting bounded excerpts, in bounded time and memory.
    questions = b"how should I prep for a PM interview panel\nshould I learn SQL to build dashboards\n"
    code, out, err, rss = run_mentor(home, "ask", "--json", "--no-model", stdin=questions, timeout=60)
    assert code == 0, err
    assert rss < MAX_RSS_MB, f"ask peaked at {rss:.0f} MB"
    mega_answer, huge_answer = (json.loads(line) for line in out.splitlines())
    assert mega_answer["sources"][0]["thread_title"] == "The PM interview prep megathread"
    wall = [s for s in huge_answer["sources"] if s["author"] == "Wall"]
    assert wall and len(wall[0]["text"]) >= 1_000_000  # the post is stored whole ...
    assert len(huge_answer["answer"]) < 5_000  # ... and quoted in a few words
    for answer in (mega_answer, huge_answer):
        assert answer["cited"] and set(answer["cited"]) <= {s["n"] for s in answer["sources"]}
    # The model is given an excerpt of the 1 MB post, not the post.
    conversation = Conversation()
    events = list(Engine.open(home).ask(conversation, "should I learn SQL to build dashboards", model=tiny_llm))
    assert events[-1].answer.mode == "llm" and "Wall" in conversation.turns[0].prompt
    assert len(conversation.turns[0].prompt) < 8_000  # excerpts from up to three threads


def test_a_file_over_the_size_limit_is_refused_unread(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:  # sparse: nothing is written, nothing needs reading
        handle.truncate(MAX_FILE_BYTES + 1)
    result = cli("ingest", str(path))
    assert result.exit_code == 1
    assert (f"mentor: {path}: {MAX_FILE_BYTES + 1} bytes is too large for a thread "
            f"(at most {MAX_FILE_BYTES})") in result.stderr


# -- bytes that are not UTF-8 ------------------------------------------------------------------

_THREAD = "---\ntitle: Is a CSPO worth it?\n---\n\n## Op\n\nIs a CSPO worth it?\n\n## Zoë\n\nSkip it, café talk.\n"
_RANDOM = bytes(b or 1 for b in random.Random(3).randbytes(4096))  # no NUL: not taken for binary
_LATIN1_AT = _THREAD.encode("utf-8").index("Zoë".encode()) + 2


@pytest.mark.parametrize("data, expected", [
    (_THREAD.encode("latin-1"), f":9: not UTF-8 text (byte 0xeb at offset {_LATIN1_AT}); save the file as UTF-8"),
    (_THREAD.encode("utf-16"), ": UTF-16 text (the file starts with a UTF-16 byte-order mark); save the file as UTF-8"),
    (b"\xfe\xff" + _THREAD.encode("utf-16-be"), ": UTF-16 text (the file starts with a UTF-16 byte-order mark)"),
    (_THREAD.encode("utf-32"), ": UTF-32 text (the file starts with a UTF-32 byte-order mark)"),
    (_RANDOM, f":1: not UTF-8 text (byte 0x{_RANDOM[0]:02x} at offset 0)"),
    (b"\x00" + _RANDOM, ": a binary file, not text: expected a UTF-8 text or JSON thread"),
], ids=["latin-1", "utf-16-le", "utf-16-be", "utf-32", "random-bytes", "binary"])
def test_files_that_are_not_utf8_are_named_with_the_reason(cli: Cli, tmp_path: Path, data: bytes,
                                                           expected: str) -> None:
    path = tmp_path / "thread.md"
    path.write_bytes(data)
    result = cli("ingest", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"mentor: {path}{expected}" in result.stderr
    assert "nothing was stored (1 bad file; --skip-bad imports the rest)" in result.stderr


def test_questions_that_are_not_utf8_are_read_with_a_warning(home: Path) -> None:
    # On standard input: each line decoded alone, the bad bytes replaced and located.
    code, out, err, _ = run_mentor(home, "ask", "--json", "--no-model",
                                   stdin=b"should I do an MBA? caf\xe9\n\xff\xfe MBA\n")
    assert code == 0 and "Traceback" not in err, err
    assert "mentor: line 1 of standard input is not UTF-8 text (byte 0xe9 at offset 23)" in err
    assert "mentor: line 2 of standard input is not UTF-8 text (byte 0xff at offset 0)" in err
    questions = [json.loads(line)["question"] for line in out.splitlines()]
    assert questions == ["should I do an MBA? caf\ufffd", "\ufffd\ufffd MBA"]
    # As the argument (which Python decodes with the bytes kept as surrogates): the same.
    code, out, err, _ = run_mentor(home, "ask", "--no-model", b"should I do an MBA? caf\xe9")
    assert code == 0 and "Traceback" not in err, err
    assert "mentor: the question is not UTF-8 text (byte 0xe9 at offset 23)" in err
    assert "You asked: “should I do an MBA? caf\ufffd”" in out

"""The chat in a real (pseudo-)terminal: started as `mentor`, ended by a key or a signal, and the
terminal left as it was found (main screen, no mouse tracking, cursor shown)."""

from __future__ import annotations

import ctypes
import os
import platform
import re
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import durability_script
from tests.pty_terminal import Terminal

#: What the chat draws once its prompt is usable.
READY = rb"Tell mentor what worries you"


def _chat(home: Path, *options: str, size: tuple[int, int] = (80, 24)) -> Terminal:
    return Terminal([sys.executable, "-m", "mentor", "--home", str(home), *options], size,
                    durability_script().mentor_env())


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT],
                         ids=lambda n: signal.Signals(n).name)
def test_a_signal_ends_the_chat_and_gives_the_terminal_back(bundled_copy: Path, number: int) -> None:
    """`kill`, `timeout` or a closed SSH session: the chat exits and switches off what it had
    switched on, so the shell is usable again without `reset`."""
    terminal = _chat(bundled_copy, "--no-model", "--no-history")
    terminal.wait_for(READY)
    terminal.wait_for(rb"\d+ threads")  # loaded: the engine worker runs no more
    assert "alternate screen" in terminal.modes_left_on()  # the check sees a running chat
    terminal.signal(number)
    assert terminal.finish() == 128 + number, terminal.text()[-2000:]
    assert terminal.modes_left_on() == []
    assert "Traceback" not in terminal.text()


def test_a_signal_while_loading_ends_the_chat_too(bundled_copy: Path) -> None:
    terminal = _chat(bundled_copy, "--no-history")
    terminal.wait_for(READY)
    terminal.signal(signal.SIGTERM)
    assert terminal.finish() == 128 + signal.SIGTERM
    assert terminal.modes_left_on() == []


def test_closing_the_terminal_ends_the_chat(bundled_copy: Path) -> None:
    """A hang-up with the terminal gone: nothing to give back, and the chat must not wait for
    ever on writes to it (it did about one time in three when the index was still loading)."""
    for _ in range(3):
        terminal = _chat(bundled_copy, "--no-model", "--no-history")
        terminal.wait_for(READY)
        terminal.close()
        assert terminal.finish() == 128 + signal.SIGHUP


def test_mentor_alone_takes_the_chat_options(bundled_copy: Path, tiny_model: Path) -> None:
    """`mentor --model PATH`, as the welcome text and the README say: the chat opens with that
    model, and Ctrl+Q quits it."""
    terminal = _chat(bundled_copy, "--model", str(tiny_model), "--no-history")
    terminal.wait_for(READY)
    terminal.wait_for(rb"model: " + tiny_model.stem.encode())
    terminal.send(b"\x11")  # Ctrl+Q
    assert terminal.finish() == 0
    assert terminal.modes_left_on() == []


def test_ask_on_a_terminal_streams_the_answer_then_the_note_and_the_posts(bundled_copy: Path,
                                                                         tiny_model: Path) -> None:
    """On a terminal `mentor ask` shows the model's words as they come; when they fail the check
    (the random-weight model's always do) the note and the posts follow them, as piped output
    gives them alone (tests/test_llm.py)."""
    env = {**durability_script().mentor_env(), "MENTOR_CONTEXT": "16384"}
    terminal = Terminal([sys.executable, "-m", "mentor", "--home", str(bundled_copy), "ask", "--model",
                         str(tiny_model), "I'm a PM and I worry I have no hard skills to show. Should I be worried?"],
                        (120, 40), env)
    assert terminal.finish() == 0, terminal.text()[-2000:]
    streamed, note = terminal.text().split("_Note: the model's answer", 1)
    assert len(streamed.strip()) > 200 and "Sources\r\n" in note, terminal.text()[-2000:]


def test_ask_on_a_terminal_shows_how_far_the_first_index_has_got(tmp_path: Path) -> None:
    """The first run embeds every bundled post (minutes with the sentence model): on a terminal a
    progress bar counts them under "indexing N posts…", and is gone, cursor shown, once done."""
    terminal = Terminal([sys.executable, "-m", "mentor", "--home", str(tmp_path / "home"), "ask", "--no-model",
                         "should I do an MBA?"], (80, 24), durability_script().mentor_env())
    assert terminal.finish() == 0, terminal.text()[-2000:]
    text = terminal.text()
    total = re.search(r"indexing ([\d,]+) posts…", text)
    assert total is not None and f"{total.group(1).replace(',', '')}/{total.group(1).replace(',', '')}" in text
    assert "You asked: “should I do an MBA?”" in text and terminal.modes_left_on() == []


def test_ctrl_c_at_the_ask_prompt_ends_the_conversation_quietly(bundled_copy: Path) -> None:
    """`mentor ask` with no question on a terminal asks `you> ` again after each answer. A trial
    user pressed Ctrl+C there to leave and got click's "Aborted!" and exit status 1, as if
    something had failed; it now ends as Ctrl+C ends a shell command (130), with nothing said."""
    terminal = Terminal([sys.executable, "-m", "mentor", "--home", str(bundled_copy), "ask", "--no-model"],
                        (100, 30), durability_script().mentor_env())
    terminal.wait_for(rb"you> ")
    terminal.send(b"should I do an MBA?\r")
    terminal.wait_for(rb"You might also ask[\s\S]*you> ")
    terminal.send(b"\x03")
    assert terminal.finish() == 130, terminal.text()[-2000:]
    assert "Aborted" not in terminal.text() and "Traceback" not in terminal.text()


def test_ctrl_c_taken_by_another_thread_still_ends_the_conversation(bundled_copy: Path) -> None:
    """The kernel may hand a terminal's SIGINT to any thread of the process; chromadb runs native
    threads. One CI run in several left `mentor ask` waiting at `you> ` after Ctrl+C: the signal
    had gone to such a thread, and the main thread's read() went on waiting. Here the SIGINT is
    sent to a thread other than the main one, every time."""
    syscall_numbers = {"x86_64": 234, "aarch64": 131}  # tgkill(2), from the kernel's syscall tables
    if platform.machine() not in syscall_numbers:
        pytest.skip(f"tgkill's number on {platform.machine()} is not listed here")
    terminal = Terminal([sys.executable, "-m", "mentor", "--home", str(bundled_copy), "ask", "--no-model"],
                        (100, 30), durability_script().mentor_env())
    terminal.wait_for(rb"you> ")
    terminal.send(b"should I do an MBA?\r")
    terminal.wait_for(rb"You might also ask[\s\S]*you> ")
    pid = terminal.process.pid
    others = sorted(int(task) for task in os.listdir(f"/proc/{pid}/task") if int(task) != pid)
    assert others, "mentor ask runs no thread but its main one: the test shows nothing"
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.syscall(syscall_numbers[platform.machine()], pid, others[0], signal.SIGINT) == 0, ctypes.get_errno()
    assert terminal.finish() == 130, terminal.text()[-2000:]
    assert "Traceback" not in terminal.text()


def test_a_question_typed_before_the_ask_prompt_is_shown_after_it(bundled_copy: Path) -> None:
    """A trial user typed a question while `mentor ask` loaded: the terminal echoed it above, and
    the answer began on the `you> ` line, reading as if the person had written it. The question
    is now shown after `you> `, and the answer starts on a line of its own."""
    terminal = Terminal([sys.executable, "-m", "mentor", "--home", str(bundled_copy), "ask", "--no-model"],
                        (100, 30), durability_script().mentor_env(), typed=b"should I do an MBA?\r")
    terminal.wait_for(rb"You might also ask[\s\S]*you> ")
    terminal.send(b"\x04")  # Ctrl+D: the end of the conversation
    assert terminal.finish() == 0, terminal.text()[-2000:]
    assert re.search(r"^you> should I do an MBA\?\r\nYou asked", terminal.text(), re.MULTILINE), terminal.text()[:600]


def test_a_paste_holding_colour_codes_stays_one_paste() -> None:
    """Textual's parser read an ESC inside a bracketed paste as a key's escape sequence: the
    paste was cut there and the rest came as typed keys, its line break as Enter (which sent
    half a question). Read in pieces of every size, as a terminal's reads may split it."""
    from textual import events

    from mentor.tui.paste import PasteParser

    pasted = "should I do an MBA?\x1b[31m red\x1b[0m\r\nsecond line \x1b[1mbold\x1b[0m [b]x[/b]"
    data = "a\x1b[200~" + pasted + "\x1b[201~\x1b[Ab"
    for size in (1, 2, 3, 5, 8, len(data)):
        parser = PasteParser()
        got = [event for i in range(0, len(data), size) for event in parser.feed(data[i:i + size])]
        assert [e.text if isinstance(e, events.Paste) else e.key for e in got] == ["a", pasted, "up", "b"], size


def test_the_chat_takes_a_paste_holding_colour_codes_whole(bundled_copy: Path) -> None:
    """In a terminal (tmux passes a paste's colour codes on): the paste is one question, sent by
    the Enter typed after it."""
    from mentor.history.store import HistoryStore

    terminal = _chat(bundled_copy, "--no-model", size=(120, 80))
    terminal.wait_for(READY)
    terminal.wait_for(rb"\d+ threads")
    terminal.send(b"\x1b[200~should I do an MBA?\x1b[31m really\x1b[0m\rI am a PM\x1b[201~")
    terminal.send(b"\r")
    # The answer is done when its turn is kept (not when "You might also ask" is drawn: a long
    # answer lands with its question on top and those suggestions off the screen, never drawn).
    history = HistoryStore(bundled_copy)
    deadline = time.monotonic() + 120  # only ends a hung program
    while not history.sessions() and time.monotonic() < deadline and not terminal.closed:
        time.sleep(0.2)
    terminal.send(b"\x11")  # Ctrl+Q
    assert terminal.finish() == 0, terminal.text()[-2000:]
    [session] = history.sessions()
    questions = [turn.question for turn in history.resume(session.id).turns]
    assert questions == ["should I do an MBA? really\nI am a PM"], questions  # colours dropped, as always


def test_ctrl_d_at_the_ask_prompt_ends_the_line(bundled_copy: Path) -> None:
    """Ctrl+D at `you> ` ends the conversation; the shell's prompt came on the same line
    ("you> $"), as after no other command."""
    terminal = Terminal([sys.executable, "-m", "mentor", "--home", str(bundled_copy), "ask", "--no-model"],
                        (100, 30), durability_script().mentor_env())
    terminal.wait_for(rb"you> ")
    terminal.send(b"\x04")
    assert terminal.finish() == 0, terminal.text()[-2000:]
    assert terminal.text().endswith("you> \r\n"), repr(terminal.text()[-200:])

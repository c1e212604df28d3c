"""The command line's output read as people read it: piped into `head`, which leaves early."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, Cli, durability_script


def test_a_reader_that_leaves_early_gets_no_error(bundled_home: Path) -> None:
    """`mentor ask < questions | head -1`: the rest of the answers have nowhere to go; that is
    not an error to print, and mentor ends as `cat` ends there, by SIGPIPE. (40 answers are more
    than a pipe holds, so some are written after the reader has gone, however fast they come.)"""
    questions = "".join(f"{question}\n" for question in durability_script().QUESTIONS * 5).encode()
    proc = subprocess.Popen([sys.executable, "-m", "mentor", "--home", str(bundled_home), "ask", "--no-model"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                            env=durability_script().mentor_env())
    proc.stdin.write(questions)  # one write (under a pipe's atomic size): all there when mentor reads
    proc.stdin.close()
    assert proc.stdout.readline() == f"you> {durability_script().QUESTIONS[0]}\n".encode()
    assert proc.stdout.readline().startswith(b"You asked")
    proc.stdout.close()
    assert proc.wait(120) == -signal.SIGPIPE
    assert proc.stderr.read().decode() == ""


CONVERSATION = "I have no hard skills to show for my career\nwhat would you do in my position?\nshould I do an MBA instead?\n"


def _listed_sources(text: str) -> list[list[str]]:
    """The lines of each "Sources" list of a text conversation, one list per answer."""
    blocks = text.split("\nSources\n")[1:]
    return [re.findall(r"^\[\d+\] .*$", block.split("\n\n", 1)[0], re.MULTILINE) for block in blocks]


def test_ask_lists_every_numbered_source(bundled_home: Path) -> None:
    """The text lists each answer's sources as `--json` does, so the numbers a reader sees across
    a conversation run 1, 2, 3 ... without a gap; those the answer does not quote say so, and one
    an earlier answer listed comes again only when this answer quotes it."""
    cli = Cli(bundled_home)
    text = cli("ask", "--no-model", input=CONVERSATION)
    data = cli("ask", "--no-model", "--json", input=CONVERSATION)
    assert text.exit_code == 0 and data.exit_code == 0, text.output + data.output
    answers = [json.loads(line) for line in data.stdout.splitlines()]
    listed = _listed_sources(text.stdout)
    assert len(listed) == len(answers) == 3
    seen: set[int] = set()
    for lines, answer in zip(listed, answers):
        numbers = [int(line[1:line.index("]")]) for line in lines]
        assert numbers == sorted(s["n"] for s in answer["sources"] if s["n"] in answer["cited"] or s["n"] not in seen)
        for n, line in zip(numbers, lines):
            assert line.endswith("not quoted)") == (n not in answer["cited"]), line
        seen.update(numbers)
    assert seen == set(range(1, max(seen) + 1))
    assert any("(listed under a view; not quoted)" in line for line in listed[0])


def test_piped_questions_read_as_a_transcript(bundled_home: Path, tmp_path: Path) -> None:
    """`printf 'should I do an MBA?\\nwhat would you do?\\nhow do I start?\\n' | mentor ask`: only the
    first answer named its question ("You asked: …"), so a trial user could not tell the later
    ones apart. With several questions piped, each answer now follows its question as a terminal
    shows it (`you> QUESTION`); a single question's output still starts with its answer, and
    `--json` is unchanged (each object names its question)."""
    questions = ["should I do an MBA?", "what would you do?", "how do I start?"]
    piped = tmp_path / "questions.txt"
    piped.write_text("\n".join(questions[:1] + ["", "  "] + questions[1:]) + "\n", encoding="utf-8")
    with piped.open("rb") as stdin:  # a file, as `mentor ask < questions.txt`
        run = subprocess.run([sys.executable, "-m", "mentor", "--home", str(bundled_home), "ask", "--no-model"],
                             stdin=stdin, capture_output=True, cwd=REPO, env=durability_script().mentor_env(),
                             timeout=300)
    assert run.returncode == 0, run.stderr.decode()
    text = run.stdout.decode()
    cli = Cli(bundled_home)
    assert cli("ask", "--no-model", input=piped.read_text(encoding="utf-8")).stdout == text  # in memory alike
    shown = [line[len("you> "):] for line in text.splitlines() if line.startswith("you> ")]
    assert shown == questions
    turns = text.split("you> ")[1:]
    assert [turn.split("\n", 1)[0] for turn in turns] == questions and text.startswith("you> ")
    assert turns[0].split("\n", 1)[1].startswith("You asked: “should I do an MBA?”")
    assert all("\nSources\n" in turn for turn in turns)  # one answer, with its sources, after each
    single = cli("ask", "--no-model", input="should I do an MBA?\n\n")
    assert single.stdout.startswith("You asked: “should I do an MBA?”") and "you> " not in single.stdout
    dash = cli("ask", "--no-model", "-", input="should I do an MBA?\n")  # `-` is standard input, as for ingest
    assert dash.stdout == single.stdout, dash.stdout[:200]
    data = cli("ask", "--no-model", "--json", input="\n".join(questions) + "\n")
    assert [json.loads(line)["question"] for line in data.stdout.splitlines()] == questions


def test_ctrl_c_while_the_model_loads_ends_as_an_interrupt(bundled_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+C in the seconds `mentor ask --model` loads the model printed click's bare "Aborted!"
    and exited 1 (a trial user's): it says what was left and exits 130, as a shell reports it."""
    import mentor.llm.select

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt  # as SIGINT arrives while llama.cpp loads the weights

    monkeypatch.setattr(mentor.llm.select, "open_model", interrupted)
    result = Cli(bundled_home)("ask", "--model", "any.gguf", "should I do an MBA?")
    assert result.exit_code == 130 and result.stdout == ""
    assert "interrupted before any question was asked; nothing is lost" in result.stderr
    assert "Aborted" not in result.output


def test_ctrl_c_while_the_posts_are_quoted_ends_as_an_interrupt(bundled_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a model the first Ctrl+C only asked a model that was not there to stop, and the
    answer went on to its end on a busy machine (a trial user's, 2026-12-01): it ends mentor, exit 130."""
    import os

    from mentor.engine.engine import Engine

    ask = Engine.ask

    def interrupted_after_the_first_event(self: Engine, *args: object, **kwargs: object):
        for number, event in enumerate(ask(self, *args, **kwargs)):
            if number == 1:
                os.kill(os.getpid(), signal.SIGINT)  # as the person presses Ctrl+C
            yield event

    monkeypatch.setattr(Engine, "ask", interrupted_after_the_first_event)
    result = Cli(bundled_home)("ask", "--no-model", "should I do an MBA?")
    assert result.exit_code == 130, result.output
    assert "interrupted; this answer was not finished" in result.stderr
    assert "Aborted" not in result.output and "Sources" not in result.stdout


def test_no_question_on_standard_input_is_said_before_anything_loads(tmp_path: Path) -> None:
    """`mentor ask < empty.txt` on a first run indexed the whole corpus (minutes with the sentence
    model) and said that no model was in use before it said there was no question."""
    cli = Cli(tmp_path / "home")
    for given in ("", "\n   \n\t\n"):
        result = cli("ask", input=given)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == "mentor: no question on standard input: write one worry or question per line\n"
    assert not (tmp_path / "home").exists()


def test_the_threads_option_says_its_default_as_the_model_uses_it(tmp_path: Path) -> None:
    """`--threads` said its default was "the physical cores"; a model uses the cores other
    processes leave free, and writes on at most half the physical cores (mentor.llm.threads)."""
    cli = Cli(tmp_path / "home")
    for command in ([], ["ask"], ["chat"]):
        shown = " ".join(cli(*command, "--help").stdout.split())
        assert "(default: the cores other processes leave free; at most half the physical cores while it " \
               "writes)" in shown, command

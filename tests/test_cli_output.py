"""The command line's output read as people read it: piped into `head`, which leaves early."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, Cli, durability_script


def test_a_reader_that_leaves_early_gets_no_error(bundled_home: Path) -> None:
    """`mentor ask < questions | head -1`: the rest of the answers have nowhere to go; that is
    not an error to print. (40 answers are more than a pipe holds, so some are written after
    the reader has gone, however fast they come.)"""
    questions = "".join(f"{question}\n" for question in durability_script().QUESTIONS * 5).encode()
    proc = subprocess.Popen([sys.executable, "-m", "mentor", "--home", str(bundled_home), "ask", "--no-model"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                            env=durability_script().mentor_env())
    proc.stdin.write(questions)
    proc.stdin.close()
    assert proc.stdout.readline().startswith(b"You asked")
    proc.stdout.close()
    assert proc.wait(120) == 1
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

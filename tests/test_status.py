"""The status bar tells the truth while an answer is on its way (Pilot, 80x24, the tiny model)."""

from __future__ import annotations

import re
from pathlib import Path

from mentor.config import Settings
from mentor.llm.local import READ_STEP
from mentor.tui.app import MentorApp
from tests.conftest import ask_in_chat

WORRY = "I'm a PM with no hard skills to show — should I be worried?"


async def test_status_reads_the_prompt_then_writes_with_the_esc_hint_in_view(bundled_copy: Path,
                                                                            tiny_model: Path) -> None:
    app = MentorApp(bundled_copy, Settings(embedding_model="lsa", model=str(tiny_model), context_window=16384), history=False)
    shown: list[str] = []  # every line the status bar showed, as drawn at 80 columns
    async with app.run_test(size=(80, 24)) as pilot:
        status = app.main.query_one("#status")
        original = app._status

        def record(**parts: str) -> None:
            original(**parts)
            shown.append(str(status.render())[: status.content_region.width])

        app._status = record
        await ask_in_chat(pilot, WORRY)
        answer = app.conversation.turns[-1].answer
    reading = [line for line in shown if line.startswith("reading the prompt")]
    total = f"{answer.prompt_tokens:,}"
    assert re.match(rf"reading the prompt \({total} tokens\)… · Esc stops │ ", reading[0])
    # then how far it has read, batch by batch (`READ_STEP`, 128 tokens), to the whole
    done = [re.match(rf"reading the prompt \(([\d,]+) of {total} tokens\)… · Esc stops │ ", line) for line in reading[1:]]
    assert all(done) and [int(m[1].replace(",", "")) for m in done] == \
        [min(answer.prompt_tokens, n) for n in range(READ_STEP, answer.prompt_tokens + READ_STEP, READ_STEP)], reading
    writing = [line for line in shown if line.startswith("writing")]
    assert writing and all("· Esc stops │ " in line for line in writing)
    assert all(re.match(r"writing( \d+\.\d tok/s|…) · Esc stops", line) for line in writing)
    assert not [line for line in shown if "finding sources" in line and shown.index(line) > shown.index(reading[0])]
    assert shown[-1].startswith(f"last answer: {answer.prompt_tokens} prompt tokens evaluated")

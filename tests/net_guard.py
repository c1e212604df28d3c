"""Run mentor's CLI with every non-loopback connection blocked and recorded.

    python tests/net_guard.py RECORD_FILE ARG...           (ARG... as for `mentor`)
    python tests/net_guard.py RECORD_FILE --pilot HOME [MODEL]   (a chat driven by Textual's Pilot;
                                                                  HOME '-': the default data folder)

Each attempt to connect to, or look up, anything but the loopback addresses is refused and
appended to RECORD_FILE as one line. Used by the no-egress tests.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_loopback(host: object) -> bool:
    text = str(host)
    return text in _LOOPBACK_NAMES or text.startswith("127.") or text in ("::1", "0:0:0:0:0:0:0:1")


def install(record: str) -> None:
    def note(what: str) -> None:
        with open(record, "a", encoding="utf-8") as handle:
            handle.write(what + "\n")

    connect = socket.socket.connect
    connect_ex = socket.socket.connect_ex
    getaddrinfo = socket.getaddrinfo

    def guarded_connect(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            note(f"connect {address}")
            raise OSError("network blocked by the no-egress test")
        return connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: object) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            note(f"connect_ex {address}")
            return 111
        return connect_ex(self, address)

    def guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host is not None and not _is_loopback(host):
            note(f"lookup {host}")
            raise socket.gaierror("network blocked by the no-egress test")
        return getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = guarded_connect
    socket.socket.connect_ex = guarded_connect_ex
    socket.getaddrinfo = guarded_getaddrinfo


async def pilot_session(home: str, model: str | None) -> None:
    """Ask, read the streamed answer, open a source, follow up, start over: the chat as used."""
    from pathlib import Path

    from mentor.config import Settings
    from mentor.home import resolve_home
    from mentor.tui.app import MentorApp
    from mentor.tui.screens.source import SourceScreen
    from mentor.tui.widgets.prompt import PromptInput

    settings = Settings(embedding_model="lsa", model=model, context_window=16384) if model else Settings(embedding_model="lsa")
    app = MentorApp(resolve_home(None if home == "-" else Path(home)), settings, history=True, use_model=model is not None)
    async with app.run_test(size=(100, 30)) as pilot:
        for question in ("I have no hard skills to show, should I worry?", "what about an MBA then?"):
            await app.workers.wait_for_complete()
            assert app.focused is app.main.query_one(PromptInput), app.focused
            app.main.query_one(PromptInput).load_text(question)
            await pilot.press("enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("tab", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen), app.screen
        answers = [turn.answer for turn in app.conversation.turns]
        await pilot.press("escape", "ctrl+n")
        await pilot.pause()
    print("pilot modes:", " ".join(answer.mode if answer else "none" for answer in answers))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's mentor, not another
    install(sys.argv[1])
    if sys.argv[2:3] == ["--pilot"]:
        import asyncio

        asyncio.run(pilot_session(sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None))
    else:
        from mentor.cli import main

        main(sys.argv[2:], prog_name="mentor")

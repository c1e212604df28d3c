"""A program run in a pseudo-terminal, as a person's terminal runs it: what it writes is kept,
keys and signals can be sent, and the terminal modes it leaves set can be read back."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import struct
import subprocess
import termios
import threading
import time

#: DEC private modes a full-screen app switches on and must switch off again (25, the cursor,
#: the other way round): the alternate screen, mouse tracking, focus events, bracketed paste.
MODES = {1049: "alternate screen", 1000: "mouse clicks", 1003: "mouse movement", 1006: "SGR mouse",
         1015: "urxvt mouse", 1004: "focus events", 2004: "bracketed paste", 25: "cursor shown"}
_DEC_MODE = re.compile(rb"\x1b\[\?([\d;]+)([hl])")


def as_a_shell_starts_it() -> None:
    """In a child about to run a program: SIGINT handled and no signal blocked, as a shell
    starts a command. A test worker may have SIGINT ignored or blocked by then (something earlier
    in the same process; both are inherited through exec), and the program would never see the
    Ctrl+C a test sends it. For `subprocess.Popen(preexec_fn=...)`."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, set())


def _take_as_controlling_terminal() -> None:
    """In the child, a session leader by now: its standard input becomes its controlling
    terminal, so closing the terminal hangs it up (SIGHUP), as a terminal window's closing does;
    signals as a shell leaves them (`as_a_shell_starts_it`)."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    as_a_shell_starts_it()


class Terminal:
    """`args` in a new pseudo-terminal of `size` (columns, rows), as its session leader; `typed`:
    keys typed before it starts (the terminal echoes them and holds them for it, as for a command
    a person types ahead at while it loads)."""

    def __init__(self, args: list[str], size: tuple[int, int], env: dict[str, str], typed: bytes = b"") -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        if typed:
            os.write(self.master, typed)
        self.process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                                        preexec_fn=_take_as_controlling_terminal,
                                        env={**env, "TERM": "xterm-256color"})
        os.close(slave)
        self.output = bytearray()
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: every writer has closed the terminal
                data = b""
            with self._changed:
                if not data:
                    self.closed = True
                    self._changed.notify_all()
                    return
                self.output += data
                self._changed.notify_all()

    closed = False

    def wait_for(self, pattern: bytes, timeout: float = 120.0) -> None:
        """Until the program has written something matching `pattern` (a regex). The timeout
        only ends a hung program: it is not how long anything should take."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._changed:
            while not regex.search(self.output):
                if self.closed:
                    raise AssertionError(f"the program ended before writing {pattern!r}:\n{self.text()[-2000:]}")
                if time.monotonic() > deadline:
                    raise AssertionError(f"no {pattern!r} in {timeout:.0f} s:\n{self.text()[-2000:]}")
                self._changed.wait(0.5)

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def signal(self, number: int) -> None:
        os.kill(self.process.pid, number)

    def finish(self, timeout: float = 120.0) -> int:
        """The program's exit status (negative: the signal that ended it), once its output is read."""
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
            raise AssertionError(f"still running after {timeout:.0f} s:\n{self.text()[-2000:]}") from None
        self._reader.join(10)
        self.close()
        return code

    def close(self) -> None:
        """Close the terminal; while the program runs, a hang-up, as closing a terminal window or
        an SSH session is."""
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def modes_left_on(self) -> list[str]:
        """The terminal modes the program switched and left the wrong way (`[]`: all restored)."""
        state: dict[int, bool] = {}
        for match in _DEC_MODE.finditer(self.output):
            for number in match.group(1).split(b";"):
                if number and int(number) in MODES:
                    state[int(number)] = match.group(2) == b"h"
        return [MODES[n] + (" (hidden)" if n == 25 else "") for n, on in state.items() if on != (n == 25)]

    def text(self) -> str:
        return self.output.decode("utf-8", "replace")

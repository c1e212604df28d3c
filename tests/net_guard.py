"""Run mentor's CLI with every non-loopback connection blocked and recorded.

    python tests/net_guard.py RECORD_FILE ARG...   (ARG... as for `mentor`)

Each attempt to connect to, or look up, anything but the loopback addresses is refused and
appended to RECORD_FILE as one line. Used by the no-egress tests.
"""

from __future__ import annotations

import socket
import sys

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


if __name__ == "__main__":
    install(sys.argv[1])
    from mentor.cli import main

    main(sys.argv[2:], prog_name="mentor")

"""Errors mentor reports to people: each says what was wrong and, where it can, where."""

from __future__ import annotations


class MentorError(Exception):
    """An error with a message fit to show a user as it is (no traceback)."""


class ImportFailure(MentorError):
    """A file that cannot be imported: names the file, the line or field, and what was expected."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.field = field
        super().__init__(str(self))

    def at(self, path: str) -> ImportFailure:
        """The same failure, located in `path`."""
        return ImportFailure(self.message, path=path, line=self.line, field=self.field)

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message}"

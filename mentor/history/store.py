"""Conversations on disk: `<home>/history.sqlite`, readable by its owner alone.

Schema (version in `PRAGMA user_version`):

    sessions(id INTEGER PRIMARY KEY, title TEXT, created REAL, updated REAL)
    turns(id INTEGER PRIMARY KEY, session_id INTEGER, seq INTEGER, question TEXT,
          answer TEXT, mode TEXT, cancelled INTEGER, prompt TEXT, data TEXT, created REAL)
      -- data: JSON {"sources": [Source...], "perspectives": [...], "cited": [...], "given": [...],
      --         "follow_ups": [...], "thread_titles": [...], "one_sided": bool, "common_ground": ...,
      --         "topic": {"name", "query", "threads": [...], "asked": [kind...]} | null}

Each turn is committed when its answer completes (or is stopped), so a crash loses at most the
answer being written. `resume` rebuilds a `Conversation` the engine can go on with: source numbers,
what the model has seen, and every answer.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mentor.analysis.model import TWO_CAMPS
from mentor.engine.conversation import Conversation, Turn
from mentor.engine.events import Answer, Evidence, Perspective, Quote, Source
from mentor.errors import MentorError
from mentor.sqlite_file import open_database, transaction

if TYPE_CHECKING:
    from mentor.engine.follow_up import Topic

SCHEMA_VERSION = 1
FILE_NAME = "history.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, created REAL NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL, mode TEXT NOT NULL,
    cancelled INTEGER NOT NULL, prompt TEXT NOT NULL, data TEXT NOT NULL, created REAL NOT NULL);
CREATE INDEX IF NOT EXISTS turns_by_session ON turns(session_id, seq);
"""
_TITLE_CHARS = 60


@dataclass(frozen=True)
class SessionInfo:
    id: int
    title: str
    created: float
    updated: float
    turns: int


class HistoryStore:
    def __init__(self, home: Path) -> None:
        self.path = home / FILE_NAME
        self._db = open_database(self.path, _SCHEMA, SCHEMA_VERSION, "chat history")
        self._db.execute("PRAGMA foreign_keys=ON")

    def close(self) -> None:
        self._db.close()

    def new_session(self, first_question: str) -> int:
        title = " ".join(first_question.split())
        if len(title) > _TITLE_CHARS:
            title = title[:_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
        now = time.time()
        cursor = self._db.execute("INSERT INTO sessions (title, created, updated) VALUES (?, ?, ?)",
                                  (title or "untitled", now, now))
        return int(cursor.lastrowid)

    def add_turn(self, session_id: int, turn: Turn) -> None:
        """Commit one finished turn (and touch its session)."""
        answer = turn.answer
        if answer is None:
            return
        evidence = answer.evidence
        data = {"sources": [asdict(s) for s in answer.sources],
                "perspectives": [{"label": p.label, "sources": list(p.sources), "supporters": p.supporters,
                                  "thread_title": p.thread_title, "quotes": [asdict(q) for q in p.quotes],
                                  "shape": p.shape}
                                 for p in evidence.perspectives],
                "cited": answer.cited, "given": sorted(turn.given), "follow_ups": list(evidence.follow_ups),
                "thread_titles": list(evidence.thread_titles), "one_sided": evidence.one_sided,
                "common_ground": asdict(evidence.common_ground) if evidence.common_ground else None,
                "query": evidence.query,
                "topic": {"name": turn.topic.name, "query": turn.topic.query, "threads": list(turn.topic.threads),
                          "asked": sorted(kind.value for kind in turn.topic.asked)} if turn.topic else None}
        now = time.time()
        with transaction(self._db):
            seq = self._db.execute("SELECT COUNT(*) FROM turns WHERE session_id = ?", (session_id,)).fetchone()[0]
            self._db.execute(
                "INSERT INTO turns (session_id, seq, question, answer, mode, cancelled, prompt, data, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, seq, turn.question, answer.text, answer.mode, int(answer.cancelled), turn.prompt,
                 json.dumps(data, ensure_ascii=False), now))
            self._db.execute("UPDATE sessions SET updated = ? WHERE id = ?", (now, session_id))

    def sessions(self) -> list[SessionInfo]:
        rows = self._db.execute(
            "SELECT s.id, s.title, s.created, s.updated, COUNT(t.id) FROM sessions s "
            "LEFT JOIN turns t ON t.session_id = s.id GROUP BY s.id ORDER BY s.updated DESC")
        return [SessionInfo(*row) for row in rows]

    def rename(self, session_id: int, title: str) -> None:
        if not title.strip():
            raise MentorError("a session needs a title")
        self._require(session_id)
        self._db.execute("UPDATE sessions SET title = ? WHERE id = ?", (title.strip(), session_id))

    def delete(self, session_id: int) -> None:
        self._require(session_id)
        with transaction(self._db):
            self._db.execute("DELETE FROM turns WHERE session_id = ?", (session_id,))
            self._db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def resume(self, session_id: int) -> Conversation:
        """The conversation as it stood, ready for its next turn."""
        self._require(session_id)
        conversation = Conversation()
        rows = self._db.execute("SELECT question, answer, mode, cancelled, prompt, data FROM turns "
                                "WHERE session_id = ? ORDER BY seq", (session_id,))
        for question, text, mode, cancelled, prompt, raw in rows:
            data = json.loads(raw)
            sources = tuple(Source(**s) for s in data["sources"])
            for source in sources:
                conversation.sources[source.n] = source
                conversation.numbers[(source.thread_id, source.post_index)] = source.n
            ground = data.get("common_ground")
            evidence = Evidence(
                question=question, query=data.get("query", question), sources=sources,
                perspectives=tuple(Perspective(label=p["label"], sources=tuple(p["sources"]),
                                               quotes=tuple(Quote(**q) for q in p["quotes"]),
                                               supporters=p["supporters"], thread_title=p["thread_title"],
                                               shape=p.get("shape", TWO_CAMPS))
                                   for p in data["perspectives"]),
                one_sided=data["one_sided"], common_ground=Quote(**ground) if ground else None,
                follow_ups=tuple(data["follow_ups"]), thread_titles=tuple(data["thread_titles"]))
            answer = Answer(question=question, mode=mode, text=text, evidence=evidence, cited=data["cited"],
                            cancelled=bool(cancelled))
            conversation.turns.append(Turn(question=question, answer=answer, prompt=prompt,
                                           given=set(data["given"]), topic=_topic(data.get("topic"))))
        return _with_state(conversation)

    def title(self, session_id: int) -> str:
        return self._require(session_id)

    def _require(self, session_id: int) -> str:
        row = None
        if -(2**63) <= session_id < 2**63:  # SQLite's integers: no conversation has an id beyond them
            row = self._db.execute("SELECT title FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise MentorError(f"no conversation {session_id} (see 'mentor history list')")
        return row[0]


def _topic(data: object) -> Topic | None:
    """A turn's stored topic (None for turns saved before topics were kept, or unreadable)."""
    from mentor.engine.follow_up import Kind, Topic

    try:
        return Topic(name=str(data["name"]), query=str(data["query"]), threads=tuple(map(str, data["threads"])),
                     asked={Kind(kind) for kind in data["asked"]})
    except (TypeError, KeyError, ValueError):
        return None


def _with_state(conversation: Conversation) -> Conversation:
    """The conversation with what the engine keeps of it: the last turn's topic, and what the
    person said about themselves, read again from their questions."""
    from mentor.engine.situation import Situation, read_situation

    situation = Situation()
    for turn in conversation.turns:
        situation = situation.updated(read_situation(turn.question))
    conversation.situation = situation
    conversation.topic = next((turn.topic for turn in reversed(conversation.turns) if turn.topic), None)
    return conversation


def export_markdown(conversation: Conversation, title: str) -> str:
    """The conversation as a Markdown document: questions, answers, and each answer's sources."""
    from mentor.engine.extractive import render_sources

    lines = [f"# {title}", ""]
    for turn in conversation.turns:
        if turn.answer is None:
            continue
        lines += [f"## {turn.question}", "", turn.answer.text.strip(), ""]
        if turn.answer.cancelled:
            lines += ["_(stopped)_", ""]
        sources = render_sources(turn.answer.sources, turn.answer.cited)
        if sources:
            lines += ["Sources:", ""] + [f"- {line}" for line in sources.splitlines()] + [""]
    return "\n".join(lines)

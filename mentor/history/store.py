"""Conversations on disk: `<home>/history.sqlite`, readable by its owner alone.

Schema (version in `PRAGMA user_version`):

    sessions(id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT, created REAL, updated REAL)
    turns(id INTEGER PRIMARY KEY, session_id INTEGER, seq INTEGER, question TEXT,
          answer TEXT, mode TEXT, cancelled INTEGER, prompt TEXT, data TEXT, created REAL)
      -- data: JSON {"sources": [Source...], "perspectives": [...], "cited": [...], "given": [...],
      --         "follow_ups": [...], "thread_titles": [...], "one_sided": bool, "common_ground": ...,
      --         "topic": {"name", "query", "threads": [...], "asked": [kind...]} | null,
      --         "model_text": the model's own words (null without a model),
      --         "fallback": why they were set aside for the quoted posts (null when they were not)}

Each turn is committed when its answer completes (or is stopped), so a crash loses at most the
answer being written. `resume` rebuilds a `Conversation` the engine can go on with: source numbers,
what the model has seen, and every answer with the model's own words in it (what the model reads
back, and what its next answer must not repeat: `Conversation.model_answers`). A turn saved before
those were kept gives them back as its text up to the note a failed answer's quoted posts follow.

Several windows may share the file. A deleted conversation's id is never given again
(AUTOINCREMENT; version 1 reused the highest), so a window still holding it cannot write into
someone else's conversation. A turn is added only to the conversation as the window knows it:
if another window deleted it or added turns to it meanwhile (its source numbers then went on
from the same point as this window's), `add_turn` refuses (`SessionGone`, `SessionChanged`) and
the window saves its own conversation whole as a new one (`save_conversation`).
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mentor.analysis.model import TWO_CAMPS
from mentor.engine.answer_check import NOTE_START
from mentor.engine.conversation import Conversation, Turn, what_is_read
from mentor.engine.events import STOPPED, Answer, Evidence, Perspective, Quote, Source
from mentor.errors import MentorError
from mentor.sqlite_file import open_database, transaction

if TYPE_CHECKING:
    from mentor.engine.follow_up import Topic

SCHEMA_VERSION = 2
FILE_NAME = "history.sqlite"
_SESSIONS = """sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, created REAL NOT NULL, updated REAL NOT NULL)"""
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {_SESSIONS};
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL, mode TEXT NOT NULL,
    cancelled INTEGER NOT NULL, prompt TEXT NOT NULL, data TEXT NOT NULL, created REAL NOT NULL);
CREATE INDEX IF NOT EXISTS turns_by_session ON turns(session_id, seq);
"""
#: A conversation's title is its first question, up to this many characters (then cut at a word).
TITLE_CHARS = 200


class SessionGone(MentorError):
    """The conversation was deleted (by another window) since this one last saw it."""


class SessionChanged(MentorError):
    """Another window added turns to the conversation since this one last saw it."""


def _migrate(db: sqlite3.Connection, found: int) -> None:
    """Version 1 (`found`) to 2: version 1's sessions table gave a deleted conversation's id
    again; its titles were cut at 60 characters ("…"), where the first question can give them
    back whole. (Foreign keys are not enforced yet while the file opens, so the table can be
    rebuilt under its turns.)"""
    db.execute(f"CREATE TABLE sessions_v2 {_SESSIONS.removeprefix('sessions ')}")
    db.execute("INSERT INTO sessions_v2 SELECT id, title, created, updated FROM sessions")
    db.execute("DROP TABLE sessions")
    db.execute("ALTER TABLE sessions_v2 RENAME TO sessions")
    cut = db.execute("SELECT s.id, s.title, t.question FROM sessions s JOIN turns t ON t.session_id = s.id "
                     "AND t.seq = 0 WHERE s.title LIKE '%…'").fetchall()
    for session_id, title, question in cut:
        if " ".join(question.split()).startswith(title[:-1]):
            db.execute("UPDATE sessions SET title = ? WHERE id = ?", (_title(question), session_id))


def _title(question: str) -> str:
    title = " ".join(question.split())
    if len(title) > TITLE_CHARS:
        title = title[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return title or "untitled"


@dataclass(frozen=True)
class SessionInfo:
    id: int
    title: str
    created: float
    updated: float
    turns: int
    #: The question of its latest turn ("" with none): what tells apart conversations that
    #: started alike.
    last_question: str


class HistoryStore:
    def __init__(self, home: Path) -> None:
        self.path = home / FILE_NAME
        self._db = open_database(self.path, _SCHEMA, SCHEMA_VERSION, "chat history", _migrate)
        self._db.execute("PRAGMA foreign_keys=ON")

    def close(self) -> None:
        self._db.close()

    def new_session(self, first_question: str) -> int:
        """A new, empty conversation titled by its first question; its id is never reused."""
        now = time.time()
        cursor = self._db.execute("INSERT INTO sessions (title, created, updated) VALUES (?, ?, ?)",
                                  (_title(first_question), now, now))
        return int(cursor.lastrowid)

    def add_turn(self, session_id: int, turn: Turn, seq: int) -> None:
        """Commit one finished turn as the `seq`-th (0-based) of the conversation, and touch it.

        Raises SessionGone when the conversation no longer exists, SessionChanged when it does
        not hold exactly `seq` turns (another window wrote to it)."""
        with transaction(self._db):
            if self._db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
                raise SessionGone(f"conversation {session_id} was deleted")
            stored = self._db.execute("SELECT COUNT(*) FROM turns WHERE session_id = ?", (session_id,)).fetchone()[0]
            if stored != seq:
                raise SessionChanged(f"conversation {session_id} holds {stored} turns, not {seq}")
            self._insert_turn(session_id, turn, seq)

    def save_conversation(self, conversation: Conversation) -> int:
        """Save every answered turn of `conversation` as a new conversation (one transaction),
        titled by its first question; returns its id."""
        turns = [turn for turn in conversation.turns if turn.answer is not None]
        if not turns:
            raise MentorError("nothing to save: the conversation has no answer yet")
        with transaction(self._db):
            session_id = self.new_session(turns[0].question)
            for seq, turn in enumerate(turns):
                self._insert_turn(session_id, turn, seq)
        return session_id

    def _insert_turn(self, session_id: int, turn: Turn, seq: int) -> None:
        answer = turn.answer
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
                          "asked": sorted(kind.value for kind in turn.topic.asked)} if turn.topic else None,
                "model_text": answer.model_text, "fallback": answer.fallback}
        now = time.time()
        self._db.execute(
            "INSERT INTO turns (session_id, seq, question, answer, mode, cancelled, prompt, data, created)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (session_id, seq, turn.question, answer.text, answer.mode, int(answer.cancelled), turn.prompt,
             json.dumps(data, ensure_ascii=False), now))
        self._db.execute("UPDATE sessions SET updated = ? WHERE id = ?", (now, session_id))

    def exists(self, session_id: int) -> bool:
        return self._db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is not None

    def sessions(self) -> list[SessionInfo]:
        rows = self._db.execute(
            "SELECT s.id, s.title, s.created, s.updated, COUNT(t.id), "
            "(SELECT question FROM turns WHERE session_id = s.id ORDER BY seq DESC LIMIT 1) FROM sessions s "
            "LEFT JOIN turns t ON t.session_id = s.id GROUP BY s.id ORDER BY s.updated DESC, s.id DESC")
        return [SessionInfo(*row[:5], last_question=row[5] or "") for row in rows]

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
            model_text = data["model_text"] if "model_text" in data else \
                text.split(NOTE_START, 1)[0] if mode == "llm" else None
            answer = Answer(question=question, mode=mode, text=text, evidence=evidence, cited=data["cited"],
                            cancelled=bool(cancelled), model_text=model_text, fallback=data.get("fallback"))
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
    person said about themselves, read again from their questions as each was read when asked
    (a pasted essay by its start: facts past it were not taken then, and reading all of a
    megabyte question made resuming slow)."""
    from mentor.engine.situation import Situation, read_situation

    situation = Situation()
    for turn in conversation.turns:
        situation = situation.updated(read_situation(what_is_read(turn.question)))
    conversation.situation = situation
    conversation.topic = next((turn.topic for turn in reversed(conversation.turns) if turn.topic), None)
    return conversation


def export_markdown(conversation: Conversation, title: str) -> str:
    """The conversation as a Markdown document: questions, answers, and each answer's sources. The
    title and the questions are the person's text, made inert as the answers' quotes are (a
    question holding "[a link](…)" or "*" is shown as typed)."""
    from mentor.engine.cite import escape_markdown
    from mentor.engine.extractive import render_sources

    lines = [f"# {escape_markdown(title)}", ""]
    listed: set[int] = set()
    for turn in conversation.turns:
        if turn.answer is None:
            continue
        lines += [f"## {escape_markdown(turn.question)}", "", turn.answer.text.strip(), ""]
        if turn.answer.cancelled:
            lines += [f"_({STOPPED})_", ""]  # the chat's note: the check did not read these words
        sources = render_sources(turn.answer.sources, turn.answer.cited, listed)
        listed.update(source.n for source in turn.answer.sources)
        if sources:
            lines += ["Sources:", ""] + [f"- {line}" for line in sources.splitlines()] + [""]
    return "\n".join(lines)

"""Career moves: the role a text moves from and the role it moves to (vocabulary/moves.toml).

    career_move("Should I leave PM and go back to being a UX designer?")   # Move("PM", "design")
    career_move("UX designer for 6 years, thinking of moving into product management")
                                                                         # Move("design", "PM")
    career_move("How do I handle pushback from engineering?")             # None

A thread's move is read from its title (or its opening post's questions) when it is indexed
(`thread_move`), a question's when it is asked; a discussion of the move the other way
(`goes_against`) answers another worry: the designer weighing a move into product asks something
else than the PM weighing a move back to design, so a discussion from the asker's side
(`on_the_move`) comes first. Roles are found word by word on stems, as the thesaurus's phrases
(`mentor.analysis.concepts`), and a role counts as a move's start or end only by the cue words
just before it, so a role merely named ("talk to the engineers") is no move.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache

from mentor.analysis.concepts import WORD
from mentor.analysis.model import Move
from mentor.analysis.phrases import VOCABULARY, normalise
from mentor.corpus.model import Thread
from mentor.engine.text import sentences, stem
from mentor.errors import MentorError

#: The role a question moves from when it names only where it goes: mentor's reader is a PM.
ASKER_ROLE = "PM"
_CUES = ("leave", "from", "past_from", "past_to", "back", "to", "now", "was", "between", "past_between",
         "after_leaving", "fillers", "levels")
_ROLE_CUES = ("leave", "from", "past_from", "past_to", "to", "now", "was")


@dataclass(frozen=True)
class _Mention:
    role: str
    start: int
    end: int
    cue: str | None      # one of `_ROLE_CUES`, or None
    joined: bool         # the words before it join it to the role named just before
    levelled: bool       # a level stands just before it ("a senior PM")
    past: bool           # part of a move made already ("moved from", "became", joined after one)


def _words(text: str) -> tuple[str, ...]:
    """`text`'s words, casefolded, apostrophes straight: what cues are matched against ("being"
    is no "be", as their common stem would have it)."""
    return tuple(WORD.findall(normalise(text)))


def _stems(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(stem(word.replace("'", "")) for word in words)


@cache
def _vocabulary() -> tuple[dict[tuple[str, ...], str], dict[str, tuple[tuple[str, ...], ...]]]:
    """Stemmed role phrase -> role; cue kind -> its phrases as words, longest first."""
    path = VOCABULARY / "moves.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MentorError(f"{path}: cannot read the career moves ({exc})") from None
    roles, cues = data.get("roles"), data.get("cues")
    if not isinstance(roles, dict) or not isinstance(cues, dict):
        raise MentorError(f"{path}: needs the tables [roles] and [cues]")
    table: dict[tuple[str, ...], str] = {}
    for role, phrases in roles.items():
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise MentorError(f"{path}: [roles] {role} needs a list of non-empty strings")
        table.update((_stems(_words(p)), role) for p in phrases)
    kinds: dict[str, tuple[tuple[str, ...], ...]] = {}
    for kind in _CUES:
        phrases = cues.get(kind)
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise MentorError(f"{path}: [cues] needs `{kind}`, a list of non-empty strings")
        kinds[kind] = tuple(sorted({_words(p) for p in phrases}, key=len, reverse=True))
    return table, kinds


def _ends_with(gap: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    return len(phrase) <= len(gap) and gap[len(gap) - len(phrase):] == phrase


def _mentions(words: tuple[str, ...]) -> list[_Mention]:
    """The roles named in one sentence's `words`, longest phrase first, each with its cue (the
    kind whose phrase ends the words before it, the longest phrase of all kinds winning: "used
    to be" is a `was`, not a `to`)."""
    table, cues = _vocabulary()
    stems = _stems(words)
    longest = max(map(len, table))
    found: list[_Mention] = []
    start = 0
    while start < len(words):
        role, length = next(((table[stems[start:start + n]], n) for n in range(longest, 0, -1)
                             if stems[start:start + n] in table), (None, 0))
        if role is None:
            start += 1
            continue
        gap = words[found[-1].end if found else 0:start]
        level = next((p for p in cues["levels"] if _ends_with(gap, p)), ())
        gap = gap[:len(gap) - len(level)]
        while (filler := next((p for p in cues["fillers"] if _ends_with(gap, p)), None)) is not None:
            gap = gap[:-len(filler)]
        cue = max(((len(p), kind) for kind in _ROLE_CUES for p in cues[kind]
                   if _ends_with(gap, p)), default=(0, None))[1]
        before = found[-1] if found else None
        turned = before is not None and gap in cues["past_between"]
        joined = before is not None and (turned or gap in cues["between"] or (
            gap in cues["after_leaving"] and before.cue in ("leave", "past_from")))
        if cue is None and not gap and not found:  # "UX designer for 6 years, thinking of ..."
            cue = "now"
        past = cue in ("past_from", "past_to") or (joined and (turned or before.past))
        found.append(_Mention(role, start, start + length, cue, joined, bool(level), past))
        start += length
    return found


@lru_cache(maxsize=4096)
def career_move(text: str) -> Move | None:
    """The career move `text` asks about, or None when it names none.

    A role after a `to` cue (or joined after another: "engineer to PM") is where it goes; one
    after a `leave` or `from` cue, or joined before the role gone to, where it starts, else the
    role the person had before it (a move made already, see below) or says is theirs now. A move
    needs where it goes, or a `leave` cue ("should I quit PM?"). A move the person made already
    ("I moved from engineering to PM") is the move asked about only when no other is: turned
    round when the text goes `back` ("Should I move back?"), as it is otherwise ("Designers who
    became PMs, was it worth it?"); a role they were in before with `back` is where they go ("I
    used to be a data scientist, should I return to it?")."""
    source = target = now = was = made_from = made_to = None
    left = False
    for sentence in sentences(text) or [text]:
        mentions = _mentions(_words(sentence))
        for i, mention in enumerate(mentions):
            if mention.past:
                if mention.joined:
                    made_from = made_from or mentions[i - 1].role
                if mention.joined or mention.cue == "past_to":
                    made_to = made_to or (mention.role if mention.role != made_from else None)
                else:
                    made_from = made_from or mention.role
            elif mention.joined:
                source = source or mentions[i - 1].role
                target = target or (mention.role if mention.role != source else None)
            elif mention.cue == "to" and mention.role != source \
                    and not (mention.levelled and (source or now) in (None, mention.role)):
                target = target or mention.role  # not "become a senior PM": a step up
            elif mention.cue in ("leave", "from"):
                source = source or mention.role
                left = left or mention.cue == "leave"
            elif mention.cue == "now":
                now = now or mention.role
            elif mention.cue == "was":
                was = was or mention.role
    words = _words(text)
    back = any(words[i:i + len(p)] == p for p in _vocabulary()[1]["back"] for i in range(len(words)))
    if target is not None:
        source = source or next((r for r in (made_to, now, was) if r not in (None, target)), None)
        return Move(source, target)
    if left and source:
        return Move(source, None)
    if made_from or made_to:
        made_from = made_from or next((r for r in (was, now) if r not in (None, made_to)), None)
        return Move(made_to, made_from) if back else Move(made_from, made_to)
    if back and was and was != now:
        return Move(now, was)
    return None


def roles_named(text: str) -> tuple[str, ...]:
    """The roles `text` names, in order, once each, whether or not it moves between them."""
    return tuple(dict.fromkeys(m.role for sentence in sentences(text) or [text]
                               for m in _mentions(_words(sentence))))


def thread_move(thread: Thread) -> Move | None:
    """The move `thread` discusses: its title's, with where it starts from the opening post when
    the title names only where it goes and the opening tells the same move ("Thinking about moving
    to PM" above "moving to PM from SWE": a trial's answer said it was not about a move from
    engineering to PM, 2026-12-01); or when the title names none, that of the
    questions its opening post asks ("Has anyone gone back to engineering after PM?"). Not the
    rest of the opening post, which tells the asker's story: "then I moved into product three
    years ago" opens a thread on moving back (read whole, 4 of the 12 starter and real threads'
    openings that name a move gave such a past move, 2026-11-30; read by their questions, none)."""
    move = career_move(thread.title)
    if move is not None and move.source is None and move.target is not None and thread.opening is not None:
        told = career_move(thread.opening.text)  # "moving to PM" in the title, "from SWE" below it
        if told is not None and told.target == move.target and told.source is not None:
            move = Move(told.source, move.target)
    if move is None and thread.opening is not None:
        asked = [s for s in sentences(thread.opening.text) if s.rstrip().endswith("?")]
        move = career_move(" ".join(asked)) if asked else None
        if move is not None and None in (move.source, move.target):
            move = None  # "will I ever get back into product?" after a story of leaving it: too little
    return move


def _source(asked: Move) -> str | None:
    """Where `asked` starts; a question naming only where it goes starts from `ASKER_ROLE`."""
    return asked.source or (ASKER_ROLE if asked.target not in (None, ASKER_ROLE) else None)


def goes_against(asked: Move, discussed: Move) -> bool:
    """Whether `discussed` is a move the other way from `asked`: it goes to the role the asker
    leaves, or leaves the role the asker goes to."""
    source = _source(asked)
    into_what_they_leave = source is not None and discussed.target == source
    out_of_where_they_go = asked.target is not None and discussed.source == asked.target \
        and discussed.target != asked.target
    return into_what_they_leave or out_of_where_they_go


def on_the_move(asked: Move, discussed: Move | None, roles: tuple[str, ...]) -> bool:
    """Whether a thread speaks to `asked` from the asker's side: its move (`discussed`) leaves
    where the asker starts (for anywhere, or where they go: leaving PM for engineering is
    another move than leaving it for consulting) or goes where they go, and not the other way,
    or its title names
    where they go (`roles`: "Ex-backend engineer ... I want to write code again" for a PM asking
    about going back to engineering), unless that is PM, which nearly every title names."""
    if discussed is not None and goes_against(asked, discussed):
        return False
    same_way = discussed is not None and (
        (discussed.source is not None and discussed.source == _source(asked)
         and discussed.target in (None, asked.target))
        or (discussed.target is not None and discussed.target == asked.target))
    return same_way or (asked.target not in (None, ASKER_ROLE) and asked.target in roles)


def names_the_move(asked: Move, discussed: Move | None, roles: tuple[str, ...]) -> bool:
    """Whether a thread is about the role `asked` goes to: its move (`discussed`) goes there or
    comes from there (the move the other way is still about it), or its title names it (`roles`),
    since a title may weigh a role without a cue word ("Data analyst with 3 years of SQL, 25 PM
    rejections"). For a move into PM, which nearly every thread is about, the same of the role it
    leaves ("six years in marketing … move into product" is not answered by a UX designer's move,
    a trial's, 2026-11-30); True when `asked` names neither."""
    role = asked.target if asked.target not in (None, ASKER_ROLE) else asked.source
    if role in (None, ASKER_ROLE):
        return True
    return role in roles or (discussed is not None and role in (discussed.source, discussed.target))


def asked_in_full(asked: Move) -> Move:
    """`asked` with its start filled in: a question naming only where it goes starts from
    `ASKER_ROLE` ("should I become a data scientist?" is from PM to data)."""
    return Move(_source(asked), asked.target)


def move_words(move: Move) -> str:
    """`move` in words for an answer: "from design to PM", "into PM", "out of PM"."""
    if move.source and move.target:
        return f"from {move.source} to {move.target}"
    return f"into {move.target}" if move.target else f"out of {move.source}"

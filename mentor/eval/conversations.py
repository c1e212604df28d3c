"""Follow-ups measured on labelled conversations (corpus/conversations/*.json).

Each conversation is asked turn by turn, as one `Conversation`, without a model. Per turn:

- **topic**: the answer's best thread (the first of the threads in play after the turn) is one
  the label accepts; reported for follow-ups (turns 2+) and first turns apart;
- **kind**: the turn was read as the labelled kind of answer (both_sides, recommendation, how_to,
  more, topic_change); for follow-ups;
- **options**: for a turn labelled with the two options it weighs, the answer quotes a sentence
  for each (an option counts as found when the engine's option holds all its words);
- **situation**: each labelled fact (role, years, industry, hours_per_week, constraints) is in
  what the engine kept of the person after that turn (facts accumulate over turns).

`held-out.json` was written with the rest and set aside: report it apart, as the check of
methods built on the others.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from mentor.corpus.bundled import corpus_dir
from mentor.engine.conversation import Conversation
from mentor.engine.engine import Engine
from mentor.engine.events import AnswerDone
from mentor.engine.situation import Situation
from mentor.engine.text import terms
from mentor.errors import MentorError

KINDS = ("both_sides", "recommendation", "how_to", "more", "topic_change")
HELD_OUT = "held-out.json"
#: The test suite's floor for follow-up topic accuracy on all conversations.
TOPIC_FLOOR = 0.85


@dataclass(frozen=True)
class LabelledTurn:
    ask: str
    kind: str
    threads: tuple[str, ...]
    options: tuple[str, ...] = ()
    situation: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class LabelledConversation:
    id: str
    turns: tuple[LabelledTurn, ...]
    held_out: bool = False


def _turn(data: object, where: str) -> LabelledTurn:
    if not isinstance(data, dict):
        raise MentorError(f"{where}: a turn must be an object")
    try:
        ask, kind, threads = data["ask"], data["kind"], data["threads"]
    except KeyError as exc:
        raise MentorError(f"{where}: a turn needs `{exc.args[0]}`") from None
    if not isinstance(ask, str) or not ask.strip():
        raise MentorError(f"{where}: `ask` must be the question (a string)")
    if kind not in KINDS:
        raise MentorError(f"{where}: `kind` must be one of {', '.join(KINDS)}, not {kind!r}")
    if not isinstance(threads, list) or not threads or not all(isinstance(t, str) for t in threads):
        raise MentorError(f"{where}: `threads` must be a non-empty list of thread ids")
    options = data.get("options", [])
    if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        raise MentorError(f"{where}: `options` must be a list of strings")
    situation = data.get("situation", {})
    if not isinstance(situation, dict):
        raise MentorError(f"{where}: `situation` must be an object")
    return LabelledTurn(ask=ask, kind=kind, threads=tuple(threads), options=tuple(options), situation=situation)


def load_conversations(folder: Path | None = None) -> list[LabelledConversation]:
    """Every labelled conversation of `folder` (default: the starter corpus's conversations/).

    Raises MentorError naming the file and the conversation or turn that is malformed.
    """
    folder = folder or corpus_dir() / "conversations"
    out = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise MentorError(f"{path}: not a conversation label file ({exc})") from None
        items = data.get("conversations") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise MentorError(f"{path}: expected {{\"conversations\": [...]}}")
        for i, item in enumerate(items):
            where = f"{path}, conversation {i + 1}"
            if not isinstance(item, dict) or not isinstance(item.get("id"), str) \
                    or not isinstance(item.get("turns"), list) or not item["turns"]:
                raise MentorError(f"{where}: needs an `id` and a non-empty list of `turns`")
            turns = tuple(_turn(turn, f"{where} ({item['id']}), turn {j + 1}") for j, turn in enumerate(item["turns"]))
            out.append(LabelledConversation(id=item["id"], turns=turns, held_out=path.name == HELD_OUT))
    return out


@dataclass
class ConversationMetrics:
    name: str
    conversations: int = 0
    first_turns: int = 0
    first_on_topic: int = 0
    follow_ups: int = 0
    on_topic: int = 0
    kinds_right: int = 0
    options: int = 0
    options_addressed: int = 0
    facts: int = 0
    facts_kept: int = 0
    misses: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        return {
            "conversations": self.conversations,
            "follow_ups": self.follow_ups,
            "follow_up_topic": self.on_topic / max(1, self.follow_ups),
            "first_turn_topic": self.first_on_topic / max(1, self.first_turns),
            "follow_up_kind": self.kinds_right / max(1, self.follow_ups),
            "options_addressed": self.options_addressed / max(1, self.options),
            "situation_facts": self.facts_kept / max(1, self.facts),
        }


def _fact_kept(key: str, expected: object, situation: Situation) -> bool:
    if key == "constraints":
        return isinstance(expected, list) and set(expected) <= set(situation.constraints)
    value = getattr(situation, key, None)
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return value is not None and abs(float(value) - float(expected)) < 0.5
    return value is not None and str(expected).casefold() in str(value).casefold()


def _addressed(option: str, found: list[str]) -> bool:
    wanted = set(terms(option))
    return any(wanted <= set(terms(about)) for about in found)


def evaluate_conversations(engine: Engine, conversations: list[LabelledConversation],
                           name: str) -> ConversationMetrics:
    """Ask every labelled conversation through `engine` (no model) and count what held."""
    run = ConversationMetrics(name=name)
    for labelled in conversations:
        run.conversations += 1
        conversation = Conversation()
        for number, turn in enumerate(labelled.turns, 1):
            answer = next(e.answer for e in engine.ask(conversation, turn.ask) if isinstance(e, AnswerDone))
            topic = conversation.topic.threads[0] if conversation.topic and conversation.topic.threads else None
            right = topic in turn.threads
            where = f"{labelled.id} turn {number}"
            if number == 1:
                run.first_turns += 1
                run.first_on_topic += right
            else:
                run.follow_ups += 1
                run.on_topic += right
                reading = answer.evidence.reading
                kind = reading.kind.value if reading is not None else None
                run.kinds_right += kind == turn.kind
                if kind != turn.kind:
                    run.misses.append(f"{where}: read as {kind}, labelled {turn.kind}")
            if not right:
                run.misses.append(f"{where}: answered from {topic}, labelled {', '.join(turn.threads)}")
            if turn.options:
                run.options += 1
                found = [p.about for p in answer.evidence.points if p.reason == "option"]
                if all(_addressed(option, found) for option in turn.options):
                    run.options_addressed += 1
                else:
                    run.misses.append(f"{where}: options {list(turn.options)} not all answered ({found})")
            for key, expected in turn.situation.items():
                run.facts += 1
                if _fact_kept(key, expected, conversation.situation):
                    run.facts_kept += 1
                else:
                    run.misses.append(f"{where}: {key} {expected!r} not kept "
                                      f"({getattr(conversation.situation, key, None)!r})")
    return run


def run_conversation_eval(engine: Engine, held_out: bool = True) -> list[ConversationMetrics]:
    """Metrics for all labelled conversations, then (when `held_out`) for the held-out ones alone."""
    conversations = load_conversations()
    runs = [evaluate_conversations(engine, conversations, "all conversations")]
    if held_out:
        runs.append(evaluate_conversations(engine, [c for c in conversations if c.held_out], "held out"))
    return runs

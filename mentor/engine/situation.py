"""What the person has said about themselves: role, years, industry, age, time and other
constraints, what they want (their goals), and the options they are weighing.

Read from each question they type with the phrase lists of `vocabulary/situation.toml` (never
from the corpus), and accumulated over the conversation: a later statement of the same fact wins,
constraints add up. Nothing is guessed: a fact is there only when the person's words say it.
(The stemmer is imported when first needed: a `Conversation` holds a `Situation` from the chat's
first paint on.)

    situation = read_situation("I've been a PM for 6 years at a bank. Should I learn to code "
                               "or double down on stakeholder skills?")
    situation.role, situation.years, situation.industry   # "PM", 6.0, "banking"
    situation.weighing                                   # ("learn to code", "double down on stakeholder skills")
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from mentor.engine.phrases import Phrases, strings, vocabulary
from mentor.engine.text import and_join

#: Words allowed between a role's lead-in and the role ("I'm a senior backend engineer").
ROLE_GAP_WORDS = 2
#: Words allowed between a field's lead-in and the field ("I'm in B2B sales", not "I'm in charge
#: of sales").
FIELD_GAP_WORDS = 1
#: Words allowed between an industry's lead-in and the industry ("at a 15-person fintech").
INDUSTRY_GAP_WORDS = 1
#: Words allowed between a move ([industries] `moves`) and an industry's lead-in for the industry
#: to be where the person may go ("leave big tech for a startup", "quit my job for a fintech").
MOVE_GAP_WORDS = 3
#: Where a clause ends, for whose a place is (`someone_else` in situation.toml's [industries]).
_CLAUSE_BREAK = re.compile(r"[,;.!?]|\b(?:and|but)\b", re.IGNORECASE)
#: Words allowed between a goal's lead-in and the goal, each one of [goals]' `between` ("I want
#: to go back to coding", "my goal is to become a CPO").
GOAL_GAP_WORDS = 6
#: An option of "A or B?" with no lead-in ("Career trap or fast track?") is read only when each
#: side has at most this many words.
BARE_OPTION_WORDS = 4
#: An option longer than this is cut at a word boundary (an essay is not an option).
OPTION_WORDS = 10
#: A number alone between commas ([age]'s `bare`: "single mom, 45, mortgage") is an age when it
#: lies in this range (inclusive) and the text states another fact: "2, 3 hours a week" is no age.
BARE_AGES = (16, 90)
_FILE = "mentor/engine/vocabulary/situation.toml"


@dataclass(frozen=True)
class Situation:
    """Facts the person stated. `age_approximate` is true for an age said as a decade ("mid-30s":
    35); `hours_per_week` is their time budget; `constraints` are kinds ("time", "money",
    "family", "location"); `goals` are kinds of what they want ("stability", "pay", "family time",
    "seniority", "hands-on work": situation.toml's [goals]); `said` keeps their own words behind
    each fact."""

    role: str | None = None
    years: float | None = None
    industry: str | None = None
    age: int | None = None
    age_approximate: bool = False
    hours_per_week: float | None = None
    constraints: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    weighing: tuple[str, ...] = ()
    said: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return any((self.role, self.years, self.industry, self.age, self.hours_per_week,
                    self.constraints, self.goals, self.weighing))

    def updated(self, newer: Situation) -> Situation:
        """This situation with what `newer` states: its facts win, constraints, goals and words
        add up."""
        aged = newer if newer.age is not None else self
        return Situation(
            role=newer.role or self.role, years=newer.years if newer.years is not None else self.years,
            industry=newer.industry or self.industry, age=aged.age, age_approximate=aged.age_approximate,
            hours_per_week=newer.hours_per_week if newer.hours_per_week is not None else self.hours_per_week,
            constraints=tuple(dict.fromkeys(self.constraints + newer.constraints)),
            goals=tuple(dict.fromkeys(self.goals + newer.goals)),
            weighing=newer.weighing or self.weighing,
            said=tuple(dict.fromkeys(self.said + newer.said)))

    def describe(self) -> str:
        """The facts as a phrase: "a PM of 6 years in banking, wanting a steadier job, with about
        3 hours a week"."""
        wanting = f"wanting {and_join([goal_shown(kind) for kind in self.goals])}" if self.goals else ""
        who = ", ".join(part for part in (self.who(), wanting) if part)
        extras = []
        if self.hours_per_week is not None:
            extras.append(f"about {self.hours_per_week:.2g} hours a week")
        other = [kind for kind in self.constraints if kind != "time" or self.hours_per_week is None]
        if other:
            extras.append(f"{and_join(other)} to think about")
        return ", with ".join([who] + extras if who else extras) if (who or extras) else ""

    def who(self) -> str:
        """Who the person is, without their constraints: "a PM of 6 years in banking", "a PM of 6
        years, 34 years old"; without a role, "6 years in banking", "6 years of experience", "in
        banking, 34 years old"; an age said as a decade is "about 35 years old"."""
        years = f"{self.years:g} year{'s' if self.years != 1 else ''}" if self.years is not None else ""
        industry = f"in {self.industry}" if self.industry else ""
        age = f"about {self.age}" if self.age_approximate else f"{self.age}"
        if self.role:
            article = "an" if self.role[0].lower() in "aeiou" else "a"
            who = " ".join(part for part in (f"{article} {self.role}", f"of {years}" if years else "", industry) if part)
            return f"{who}, {age} years old" if self.age is not None else who
        if years:
            who = f"{years} {industry}" if industry else f"{years} of experience"
        else:
            who = industry
        if self.age is not None:
            return f"{who}, {age} years old" if who else f"{age} years old"
        return who

    def to_json(self) -> dict[str, object]:
        return {"role": self.role, "years": self.years, "industry": self.industry, "age": self.age,
                "age_approximate": self.age_approximate,
                "hours_per_week": self.hours_per_week, "constraints": list(self.constraints),
                "goals": list(self.goals),
                "weighing": list(self.weighing)}


@dataclass(frozen=True)
class _Lexicon:
    role_leads: Phrases
    now_leads: Phrases               # a role after one is the person's role now
    field_leads: Phrases             # a field of work after one is the person's ("I work in sales")
    #: Words after a role opening the message that make it the person's ("Senior PM at a bank").
    opening_follows: frozenset[str]
    first_job_follows: frozenset[str]  # "first PM job" told: the person's role, new to it
    roles: dict[str, str]            # phrase -> canonical role
    role_phrases: Phrases
    industry_leads: Phrases
    move_leads: frozenset[str]       # lead-ins that name a destination after one of `moves`
    #: Whose place an industry is when it is not the person's ("my kids are in school").
    someone_else: Phrases
    moves: Phrases
    industries: dict[str, str]       # phrase -> canonical industry
    industry_phrases: Phrases
    industry_words: dict[str, Phrases]
    constraint_words: dict[str, Phrases]  # kind -> phrases of posts that speak to it
    years: Phrases
    #: Years right after a role, with nothing but a comma between ("a data analyst, 3 years").
    years_after_role: Phrases
    decades: Phrases                 # as `years`, each {n} ten years ("a decade in banking")
    decades_after_role: Phrases
    #: Words before a number said roughly ("almost 20 years"), passed over.
    roughly: Phrases
    #: What makes the number after it a stretch of time, not years in a role ("in five years").
    not_after: Phrases
    number: Phrases                  # a number alone, in digits or words
    age: Phrases
    #: A number alone between commas, an age only by `BARE_AGES` and beside other facts.
    bare_age: Phrases
    decade_ages: dict[str, int]      # "mid-30s", "in my thirties" -> 35
    decade_age_phrases: Phrases
    #: Whose a decade is when it is not the person's ("in her early 40s").
    others: Phrases
    age_posts: Phrases               # a post speaking of an age ("at 45", "in your 40s")
    age_units: frozenset[str]        # after which a number is no age ("over 40 hours")
    time_budget: dict[str, float]    # phrase -> hours per week per {n}
    time_phrases: Phrases
    constraints: dict[str, str]      # phrase -> kind
    constraint_phrases: Phrases
    waived_before: Phrases           # a constraint's phrase after one is none ("no kids")
    waived_after: Phrases            # nor before one ("visa is not a problem")
    goal_leads: Phrases
    goal_between: frozenset[str]
    goal_not_followed_by: Phrases
    goals: dict[str, str]            # phrase -> kind
    goal_phrases: Phrases
    goal_words: dict[str, Phrases]   # kind -> phrases of posts that speak to it
    goal_shown: dict[str, str]       # kind -> how it is named to the person
    weighing_leads: Phrases
    separators: Phrases
    option_ends: Phrases
    option_openers: Phrases


def _table(data: dict, name: str) -> dict:
    value = data.get(name)
    if not isinstance(value, dict):
        raise ValueError(f"{_FILE}: missing the [{name}] table")
    return value


def _by_phrase(table: dict, name: str, skip: tuple[str, ...] = ("lead_ins",)) -> dict[str, str]:
    out = {}
    for canonical, phrases in table.items():
        if canonical in skip:
            continue
        for phrase in strings(table, canonical, f"{_FILE} [{name}]"):
            out[phrase.lower()] = canonical
    return out


@cache
def lexicon() -> _Lexicon:
    """The phrase lists of situation.toml, compiled once."""
    data = vocabulary("situation")
    roles = _table(data, "roles")
    industries = _table(data, "industries")
    words = _table(data, "industry_words")
    constraint_posts = _table(data, "constraint_words")
    budget = _table(data, "time_budget")
    constraints = _table(data, "constraints")
    waived = _table(data, "constraints_waived")
    weighing = _table(data, "weighing")
    years, age = _table(data, "years"), _table(data, "age")
    goals = _table(data, "goals")
    goal_kinds = {kind: table for kind, table in goals.items() if isinstance(table, dict)}
    goal_map = {phrase.lower(): kind for kind, table in goal_kinds.items()
                for phrase in strings(table, "phrases", f"{_FILE} [goals.{kind}]")}
    decade_ages = _decade_ages(age)
    role_map = _by_phrase(roles, "roles", skip=("lead_ins", "now_leads", "field_leads", "opening_follows",
                                                      "first_job_follows"))
    industry_map = _by_phrase(industries, "industries", skip=("lead_ins", "move_leads", "moves", "someone_else"))
    constraint_map = _by_phrase(constraints, "constraints")
    lex = _Lexicon(
        role_leads=Phrases(strings(roles, "lead_ins", f"{_FILE} [roles]")),
        now_leads=Phrases(strings(roles, "now_leads", f"{_FILE} [roles]")),
        field_leads=Phrases(strings(roles, "field_leads", f"{_FILE} [roles]")),
        opening_follows=frozenset(strings(roles, "opening_follows", f"{_FILE} [roles]")),
        first_job_follows=frozenset(strings(roles, "first_job_follows", f"{_FILE} [roles]")),
        roles=role_map, role_phrases=Phrases(role_map),
        industry_leads=Phrases(strings(industries, "lead_ins", f"{_FILE} [industries]")),
        move_leads=frozenset(strings(industries, "move_leads", f"{_FILE} [industries]")),
        moves=Phrases(strings(industries, "moves", f"{_FILE} [industries]")),
        someone_else=Phrases(strings(industries, "someone_else", f"{_FILE} [industries]")),
        industries=industry_map, industry_phrases=Phrases(industry_map),
        industry_words={name: Phrases(strings(words, name, f"{_FILE} [industry_words]")) for name in words},
        constraint_words={kind: Phrases(strings(constraint_posts, kind, f"{_FILE} [constraint_words]")
                                        + [phrase for phrase, named in constraint_map.items() if named == kind])
                          for kind in constraint_posts},
        years=Phrases(strings(years, "phrases", f"{_FILE} [years]")),
        years_after_role=Phrases(strings(years, "after_a_role", f"{_FILE} [years]")),
        decades=Phrases(strings(years, "decades", f"{_FILE} [years]")),
        decades_after_role=Phrases(strings(years, "decades_after_a_role", f"{_FILE} [years]")),
        roughly=Phrases(strings(years, "roughly", f"{_FILE} [years]")),
        not_after=Phrases(strings(years, "not_after", f"{_FILE} [years]")), number=Phrases(["{n}"]),
        age=Phrases(strings(age, "phrases", f"{_FILE} [age]")),
        bare_age=Phrases(strings(age, "bare", f"{_FILE} [age]")),
        decade_ages=decade_ages, decade_age_phrases=Phrases(decade_ages),
        others=Phrases(strings(age, "others", f"{_FILE} [age]")),
        age_posts=Phrases(strings(age, "posts", f"{_FILE} [age]")),
        age_units=frozenset(strings(age, "posts_units", f"{_FILE} [age]")),
        time_budget={phrase.lower(): float(factor) for phrase, factor in budget.items()},
        time_phrases=Phrases(budget),
        constraints=constraint_map, constraint_phrases=Phrases(constraint_map),
        waived_before=Phrases(strings(waived, "before", f"{_FILE} [constraints_waived]")),
        waived_after=Phrases(strings(waived, "after", f"{_FILE} [constraints_waived]")),
        goal_leads=Phrases(strings(goals, "lead_ins", f"{_FILE} [goals]")),
        goal_between=frozenset(word.lower() for word in strings(goals, "between", f"{_FILE} [goals]")),
        goal_not_followed_by=Phrases(strings(goals, "not_followed_by", f"{_FILE} [goals]")),
        goals=goal_map, goal_phrases=Phrases(goal_map),
        goal_words={kind: Phrases(strings(table, "posts", f"{_FILE} [goals.{kind}]")
                                  + strings(table, "phrases", f"{_FILE} [goals.{kind}]"))
                    for kind, table in goal_kinds.items()},
        goal_shown={kind: _shown(table, kind) for kind, table in goal_kinds.items()},
        weighing_leads=Phrases(strings(weighing, "lead_ins", f"{_FILE} [weighing]")),
        separators=Phrases(strings(weighing, "separators", f"{_FILE} [weighing]")),
        option_ends=Phrases(strings(weighing, "ends", f"{_FILE} [weighing]")),
        option_openers=Phrases(strings(weighing, "openers", f"{_FILE} [weighing]")))
    return lex


def _shown(table: dict, kind: str) -> str:
    shown = table.get("shown")
    if not isinstance(shown, str):
        raise ValueError(f"{_FILE}: [goals.{kind}] needs `shown`, how the goal is named to the person")
    return shown


def _decade_ages(age: dict) -> dict[str, int]:
    """The phrases of an age said as a decade, from [age]'s `decades`, `parts`, `decade_leads` and
    `decade_alone`, each with the age it reads as: "mid-30s", "mid 30s", "mid-thirties" -> 35,
    "in my 30s" -> 35."""
    decades, parts = _table(age, "decades"), _table(age, "parts")
    out = {}
    for decade, value in decades.items():
        for part, offset in parts.items():
            for joined in (f"{part}-{decade}", f"{part} {decade}"):
                out[joined.lower()] = int(value) + int(offset)
        for lead in strings(age, "decade_leads", f"{_FILE} [age]"):
            out[f"{lead} {decade}".lower()] = int(value) + int(age.get("decade_alone", 5))
    return out


def constraint_words(kind: str) -> Phrases:
    """Phrases of posts that speak to someone with a constraint of `kind` ("money", "family",
    "location"): situation.toml's [constraint_words] and the phrases that name it; none for
    "time" (weighed by the size of a plan instead)."""
    return lexicon().constraint_words.get(kind, Phrases(()))


def goal_words(kind: str) -> Phrases:
    """Phrases of posts that speak to someone with a goal of `kind` ("stability", "pay"):
    situation.toml's [goals.<kind>] `posts` and `phrases`; none for a kind it does not list."""
    return lexicon().goal_words.get(kind, Phrases(()))


def ages_spoken(sentence: str) -> list[tuple[float, bool]]:
    """The ages a sentence of a post speaks of, each as (the number, whether it is a decade):
    "At 45 nobody hands a first-time manager a director role" (45), "in your 40s" (40, a decade);
    situation.toml's [age] `posts`, in `BARE_AGES`, not before one of `posts_units` ("over 40
    hours")."""
    lex = lexicon()
    out = []
    for found in lex.age_posts.find(sentence):
        after = sentence[found.end:].split(maxsplit=1)
        unit = after[0].strip(".,;:!?)\"'").lower() if after else ""
        if found.number is None or not BARE_AGES[0] <= found.number <= BARE_AGES[1] or unit in lex.age_units \
                or sentence[found.end:found.end + 1] in "%k":
            continue
        out.append((found.number, found.phrase.endswith("s")))
    return out


def goal_shown(kind: str) -> str:
    """How a goal of `kind` is named to the person ("stability": "a steadier job")."""
    return lexicon().goal_shown.get(kind, kind)


def goal_examples() -> list[str]:
    """Every kind of goal as it is named to the person, in situation.toml's order."""
    return list(lexicon().goal_shown.values())


def industry_words(industry: str | None) -> Phrases:
    """Phrases of posts that speak to someone from `industry` (situation.toml's
    [industry_words]); none for an industry it does not list."""
    return lexicon().industry_words.get(industry or "", Phrases(()))


def read_situation(text: str) -> Situation:
    """The facts `text` states about the person who wrote it."""
    return _read(text)[0]


def asks_about(text: str) -> tuple[tuple[str, str], ...]:
    """The goals and constraints a question asks about, each as (kind, the words that name it),
    in the order it names them: [goals]' phrases anywhere in it, without a lead-in ("which is less
    risky?": stability), and [constraints]' other than time ("what about the pay cut?": money).
    Only its sentences that end in "?" ask; a kind named twice counts once."""
    from mentor.engine.text import sentences

    lex = lexicon()
    asked: dict[str, str] = {}
    for sentence in sentences(text) or [text]:
        if not sentence.rstrip().endswith("?"):
            continue
        found = [(hit.start, lex.goals[hit.phrase], sentence[hit.start:hit.end])
                 for hit in lex.goal_phrases.find(sentence)]
        found += [(hit.start, lex.constraints[hit.phrase], sentence[hit.start:hit.end])
                  for hit in lex.constraint_phrases.find(sentence) if lex.constraints[hit.phrase] != "time"]
        for _, kind, words in sorted(found):
            asked.setdefault(kind, words)
    return tuple(asked.items())


def situation_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` states facts about the person: their words are context, not a subject to
    search ("if I only have 3 hours a week" is no search for hours). Of a goal, only its lead-in
    and the words up to the goal are: what the person wants is also what they ask about ("I want
    to move into management instead" searches "management")."""
    return _read(text)[1]


#: A first person telling facts of themselves ("I'm 34, B2B SaaS, 5 years as a PM").
_TELLS = re.compile(r"(?<![\w'])(?:i'm|i am|i’m|im)(?![\w'])", re.IGNORECASE)


def _listed_industry(text: str, spans: list[tuple[int, int]]) -> str | None:
    """An industry that stands alone as one item of the facts a person lists of themselves: a
    clause between commas that is only its name, after "I'm" in its sentence ("I'm 34, B2B SaaS,
    5 years as a PM"). A trial's follow-up read "B2B SaaS" there as a subject, and moved to the
    B2B-or-B2C discussion (session 17)."""
    lex = lexicon()
    for found in lex.industry_phrases.find(text):
        before, after = text[:found.start].rstrip(), text[found.end:].lstrip()
        sentence = re.split(r"[.!?]\s", before)[-1]
        if before.endswith(",") and (not after or after[0] in ",.;!?") and _TELLS.search(sentence):
            spans.append((found.start, found.end))
            return lex.industries[found.phrase]
    return None


def _read(text: str) -> tuple[Situation, list[tuple[int, int]]]:
    lex = lexicon()
    spans: list[tuple[int, int]] = []
    leads: list[tuple[int, int]] = []   # a goal's lead-in and the words up to it: context
    wanted: list[tuple[int, int]] = []  # a goal's whole statement: said
    role = (_after_lead(text, lex.role_leads, lex.role_phrases, lex.roles, ROLE_GAP_WORDS, spans)
            or _after_lead(text, lex.field_leads, lex.role_phrases, lex.roles, FIELD_GAP_WORDS, spans))
    if role is not None:
        role = _turned(text, spans, role)
    role = _after_lead(text, lex.now_leads, lex.role_phrases, lex.roles, ROLE_GAP_WORDS, spans) or role
    if role is None:
        role = _opening_role(text, spans) or _first_job(text, spans)
    role_end = spans[-1][1] if role is not None else None
    industry = _after_lead(text, lex.industry_leads, lex.industry_phrases, lex.industries, INDUSTRY_GAP_WORDS,
                           spans, not_after=(lex.move_leads, lex.moves, MOVE_GAP_WORDS), whose=lex.someone_else)
    if industry is None:  # "an agency PM", "a bank PM": an industry just before a role
        for found in lex.industry_phrases.find(text):
            after = lex.role_phrases.search(text[found.end:])
            if after is not None and not text[found.end:found.end + after.start].strip():
                industry = lex.industries[found.phrase]
                spans.append((found.start, found.end + after.end))
                break
    if industry is None:
        industry = _listed_industry(text, spans)
    plain = _plainly(text)  # "for almost 20 years" read as "for 20 years", at the same places
    years = _years(plain, spans)
    if years is not None and role is not None and _role_before(text, spans[-1], []) not in (None, role):
        years = None  # "I'm a PM, was an engineer for 5 years": another role's years
    if role is None and years is not None:  # "I'm 34, a backend engineer with 8 years"
        role = _role_before(text, spans[-1], spans)
    if years is None and role_end is not None:  # "I'm a marketing manager, 7 years", "a PM, a decade"
        years = _years_after_role(plain, role_end, spans)
    age = _first_number(plain.rstrip() + ".", lex.age, spans)  # "... I'm 41" ends like "I'm 41."
    approximate = False
    if age is None:  # "in my mid-30s", "early forties", not "in her early 40s"
        decade = next((found for found in lex.decade_age_phrases.find(plain)
                       if not _ends_with(lex.others, plain[:found.start])), None)
        if decade is not None:
            age, approximate = lex.decade_ages[decade.phrase], True
            spans.append((decade.start, decade.end))
    hours = None
    constraints: list[str] = []
    for found in lex.time_phrases.find(plain):
        if found.number is not None:
            hours = (hours or 0.0) + found.number * lex.time_budget[found.phrase]
            spans.append((found.start, found.end))
            constraints.append("time")
    for found in lex.constraint_phrases.find(text):
        if _waived(lex, text, found.start, found.end):
            continue  # "no kids", "visa is not a problem": said, and no constraint
        constraints.append(lex.constraints[found.phrase])
        spans.append((found.start, found.end))
    goals = _goals(text, leads, wanted)
    if age is None and (role or years is not None or industry or constraints or goals):
        age = _bare_age(plain.rstrip() + ".", spans)  # "single mom, 45, mortgage"
    situation = Situation(role=role, years=years, industry=industry, age=int(age) if age is not None else None,
                          age_approximate=approximate, hours_per_week=hours,
                          constraints=tuple(dict.fromkeys(constraints)), goals=goals,
                          weighing=weighing(text),
                          said=tuple(dict.fromkeys(text[start:end] for start, end in sorted(spans + wanted))))
    return situation, spans + leads


def _goals(text: str, leads: list[tuple[int, int]], wanted: list[tuple[int, int]]) -> tuple[str, ...]:
    """The kinds of goal `text` states: each of [goals]' phrases after a lead-in ("I want", "my
    goal is") with at most `GOAL_GAP_WORDS` words before it, all of `between`, counted from the
    lead-in or from the goal before it ("I want more money and more time with my kids": two), and
    not followed by one of `not_followed_by` ("I need leadership buy-in" names someone else's).
    Each goal's span from its lead-in goes into `wanted`, and the part before the goal's own
    words into `leads`."""
    lex = lexicon()
    kinds: list[str] = []
    for lead in lex.goal_leads.find(text):
        end = lead.end
        for found in lex.goal_phrases.find(text[lead.end:]):
            start = lead.end + found.start
            gap = [word.strip(",;:").lower().replace("’", "'") for word in text[end:start].split()]
            if len(gap) > GOAL_GAP_WORDS or any(word not in lex.goal_between for word in gap):
                break
            after = lex.goal_not_followed_by.search(text[lead.end + found.end:])
            if after is not None and not text[lead.end + found.end:lead.end + found.end + after.start].strip():
                break
            kinds.append(lex.goals[found.phrase])
            leads.append((lead.start, start))
            wanted.append((lead.start, lead.end + found.end))
            end = lead.end + found.end
    return tuple(dict.fromkeys(kinds))


def _after_lead(text: str, leads: Phrases, phrases: Phrases, canonical: dict[str, str], gap: int,
                spans: list[tuple[int, int]],
                not_after: tuple[frozenset[str], Phrases, int] | None = None,
                whose: Phrases | None = None) -> str | None:
    """The canonical name of the first phrase that follows a lead-in within `gap` words; with
    `not_after` (lead-ins, phrases, words), not after one of those lead-ins that one of those
    phrases precedes within that many words of its sentence; with `whose`, not after a lead-in
    whose clause names someone else before it ("my kids are in school")."""
    for lead in leads.find(text):
        if not_after is not None and lead.phrase in not_after[0] and _preceded(text[:lead.start], *not_after[1:]):
            continue
        if whose is not None and whose.search(_CLAUSE_BREAK.split(text[:lead.start])[-1]):
            continue
        rest = text[lead.end:]
        found = phrases.search(rest)
        if found is None or len(rest[:found.start].split()) > gap:
            continue
        spans.append((lead.start, lead.end + found.end))
        return canonical[found.phrase]
    return None


def _opening_role(text: str, spans: list[tuple[int, int]]) -> str | None:
    """The role that opens `text` (after "a"/"an", if any) when one of [roles]' `opening_follows`
    comes next ("Senior PM at a fintech startup, 6 years in": a senior PM), or None; its span goes
    into `spans`."""
    lex = lexicon()
    article = re.match(r"\s*(?:an?\s+)?", text, re.IGNORECASE)
    found = lex.role_phrases.search(text[article.end():])
    if found is None or found.start != 0:
        return None
    end = article.end() + found.end
    follows = re.match(r"\s*([^\w\s]|\w+)", text[end:])
    if follows is None or follows.group(1).lower() not in lex.opening_follows:
        return None
    if follows.group(1).lower() == "here":  # "PM here, 4 years": the years follow "here"
        end += follows.end()
    spans.append((article.end(), end))
    return lex.roles[found.phrase]


def _first_job(text: str, spans: list[tuple[int, int]]) -> str | None:
    """The role of a "first PM job" told in a sentence that does not ask ([roles]'
    `first_job_follows`), or None; its span goes into `spans`."""
    from mentor.engine.text import sentences

    lex = lexicon()
    for sentence in sentences(text):
        if sentence.rstrip().endswith("?"):
            continue
        for first in re.finditer(r"\bfirst\s+", sentence, re.IGNORECASE):
            found = lex.role_phrases.search(sentence[first.end():])
            follows = re.match(r"\s+(\w+)", sentence[first.end() + found.end:]) if found is not None else None
            if found is not None and found.start == 0 and follows and follows.group(1).lower() in lex.first_job_follows:
                start = text.find(sentence) + first.start()
                spans.append((start, start + first.end() - first.start() + found.end + follows.end()))
                return lex.roles[found.phrase]
    return None


def _preceded(before: str, phrases: Phrases, words: int) -> bool:
    """Whether one of `phrases` ends at most `words` words before the end of `before`, in its
    last sentence."""
    clause = re.split(r"[.!?;]", before)[-1]
    return any(len(clause[found.end:].split()) <= words for found in phrases.find(clause))


def _turned(text: str, spans: list[tuple[int, int]], role: str) -> str:
    """The role after "turned" when the role found is followed by one ("a nurse turned PM" is a
    PM now), else `role`; the span of the role found is stretched over it."""
    lex = lexicon()
    start, end = spans[-1]
    turned = re.match(r"\s+turned\s+(?:an?\s+)?", text[end:])
    now = lex.role_phrases.find(text[end + turned.end():]) if turned else []
    if not now or now[0].start != 0:
        return role
    spans[-1] = (start, end + turned.end() + now[0].end)
    return lex.roles[now[0].phrase]


def _role_before(text: str, years: tuple[int, int], spans: list[tuple[int, int]]) -> str | None:
    """The role named just before the person's years ("a PM in fintech with 5 years": an industry
    between them is allowed), or None."""
    lex = lexicon()
    before = text[:years[0]].rstrip(" ,")
    for found in lex.role_phrases.find(before):
        between = before[found.end:]
        industry = lex.industry_phrases.search(between)
        if not between.strip() or industry is not None and re.fullmatch(
                r"\s*(?:at|in|for)?\s*(?:an?\s+)?", between[:industry.start]) and not between[industry.end:].strip():
            spans.append((found.start, found.end))
            return lex.roles[found.phrase]
    return None


def _plainly(text: str) -> str:
    """`text` with the words of each number said roughly blanked out, every other character in its
    place ("for almost 20 years" reads as "for        20 years"): [years]' `roughly`."""
    lex = lexicon()
    chars = list(text)
    for found in lex.roughly.find(text):
        rest = text[found.end:]
        number = lex.number.search(rest)
        if number is not None and not rest[:number.start].strip():
            chars[found.start:found.end] = " " * (found.end - found.start)
    return "".join(chars)


def _waived(lex: _Lexicon, text: str, start: int, end: int) -> bool:
    """Whether the constraint said at `text[start:end]` is said not to hold: [constraints_waived]'
    `before` ends the words before it ("no visa issues", "without kids"), or its `after` opens
    the words after it ("visa is not a problem"). A trial user's "no visa issues" was read as a
    constraint of location (2026-11-30)."""
    after = lex.waived_after.search(text[end:end + 40])
    return _ends_with(lex.waived_before, text[:start]) or (after is not None and not text[end:end + after.start].strip())


def _ends_with(phrases: Phrases, text: str) -> bool:
    """Whether `text` ends with one of `phrases` (spaces after it aside)."""
    text = text.rstrip()
    return any(found.end == len(text) for found in phrases.find(text))


def _years(text: str, spans: list[tuple[int, int]]) -> float | None:
    """The person's years in a role: the first phrase of [years]' `phrases` (or of its `decades`,
    each {n} ten years) with a number that is not right after a stretch of time (`not_after`:
    "in five years as a PM", "over the last eight years at a bank"); its span goes last in `spans`."""
    lex = lexicon()
    found = [(f, 1.0) for f in lex.years.find(text)] + [(f, 10.0) for f in lex.decades.find(text)]
    for phrase, unit in sorted(found, key=lambda item: item[0].start):
        if phrase.number is not None and not _ends_with(lex.not_after, text[:phrase.start]):
            spans.append((phrase.start, phrase.end))
            return phrase.number * unit
    return None


def _years_after_role(text: str, role_end: int, spans: list[tuple[int, int]]) -> float | None:
    """Years said right after the role that ends at `role_end`, with at most a comma between ("a
    data analyst, 3 years", "a PM, a decade"): [years]' `after_a_role` and `decades_after_a_role`."""
    lex = lexicon()
    rest = text[role_end:]
    for phrases, unit in ((lex.years_after_role, 1.0), (lex.decades_after_role, 10.0)):
        after = phrases.find(rest)
        if after and not rest[:after[0].start].strip(" ,") and after[0].number is not None:
            spans.append((role_end + after[0].start, role_end + after[0].end))
            return after[0].number * unit
    return None


def _bare_age(text: str, spans: list[tuple[int, int]]) -> float | None:
    """The first number alone between commas, or with a comma on one side and the start or the
    end on the other (`text` ends with a full stop), that lies in `BARE_AGES` ([age]'s `bare`:
    "single mom, 45, mortgage", "45, single dad"), its span (without the punctuation) added to
    `spans`; None when there is none."""
    low, high = BARE_AGES
    for found in lexicon().bare_age.find(text):
        before = text[:found.start].rstrip()
        alone = before.endswith(",") or not before and text[found.end - 1] == ","
        if found.number is not None and low <= found.number <= high and alone:
            spans.append((found.start, found.end - 1))
            return found.number
    return None


def _first_number(text: str, phrases: Phrases, spans: list[tuple[int, int]]) -> float | None:
    for found in phrases.find(text):
        if found.number is not None:
            spans.append((found.start, found.end))
            return found.number
    return None


def weighing(text: str) -> tuple[str, ...]:
    """The two options of an "A or B?" in `text` ("Should I learn to code or double down on
    stakeholder skills?", "… specialising in one domain instead of staying a generalist?"), or ()."""
    from mentor.engine.text import sentences

    lex = lexicon()
    for sentence in sentences(text):
        for separator in lex.separators.find(sentence):
            left_text = sentence[:separator.start]
            leads = lex.weighing_leads.find(left_text)
            if leads:
                left = left_text[leads[-1].end:]
            else:
                left = re.split(r"[,;:—–-]\s|\.\s", left_text)[-1]
                opener = lex.option_openers.search(left)
                if opener is not None and not left[:opener.start].strip():  # "is a PMP or …": no option's word
                    left = left[opener.end:]
            right = sentence[separator.end:]
            whole = re.split(r"[?!.,;:]", right)[0]  # a bare option is short before its end is cut
            end = lex.option_ends.search(right)
            right = right[:end.start] if end is not None else right
            right = re.split(r"[?!.,;:]", right)[0]
            left, right = _option(left), _option(right)
            if not left or not right:
                continue
            if not leads and max(len(left.split()), len(whole.split())) > BARE_OPTION_WORDS:
                continue
            return left, _possessive_completed(left, right)
    return ()


_POSSESSIVE = re.compile(r"['’]s\b")


def _possessive_completed(left: str, right: str) -> str:
    """`right` with the words it leaves out after a possessive, taken from `left`: "the PM's
    fault or the company's?" weighs "the company's fault", not "the company's"."""
    if not right.endswith(("'s", "’s")):
        return right
    owned = [match.end() for match in _POSSESSIVE.finditer(left)]
    after = left[owned[-1]:].strip() if owned else ""
    return f"{right} {after}" if after else right


def _option(text: str) -> str:
    from mentor.engine.text import terms

    words = text.strip(" \t\"'“”‘’()").split()
    text = " ".join(words[:OPTION_WORDS])
    return text if terms(text) else ""

"""The sentences of the threads in play that speak to a follow-up: to the person's situation,
concrete steps, the follow-up's own subject, or one of the options they weigh.

Every point is a sentence a person wrote (never the opening post's asker), scored by the words
it shares with what is asked. A shared word counts by its rarity among the threads' sentences
(log N/df), so "PM", said everywhere, counts for little and "bank" or "code" for much. A point
quoted alone (a step, advice, what fits the person, more on the discussion) must stand alone:
not continue the sentence before it, point back to its thread ("those six screens") or address
one of its people ("Karthik", "@grace"); the words that point back are the analysis's
(`mentor/analysis/vocabulary/responses.toml`). Step and advice cues and the fit to a small time
budget come from `vocabulary/points.toml`; the words that
speak to an industry, a money or a family constraint, or a goal (a steadier job, more pay) from
`vocabulary/situation.toml`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from bm25s.stopwords import STOPWORDS_EN_PLUS

from mentor.analysis.claims import hangs_on_context, names_someone, points_back, standing_alone, thread_names
from mentor.analysis.moves import ASKER_ROLE, roles_named
from mentor.analysis.roles import own_sentences
from mentor.corpus.model import Thread
from mentor.engine.events import PostKey
from mentor.engine.phrases import Phrases, numbers, strings, vocabulary
from mentor.engine.situation import Situation, ages_spoken, constraint_words, goal_words, industry_words
from mentor.engine.text import STOP_WORDS, stem, terms, word_count

#: A point is a sentence of this many words (shorter says too little, longer is cut by the reader).
POINT_WORDS = (6, 60)
#: A time budget at or under this many hours a week makes small steps count more, big ones less.
SMALL_BUDGET_HOURS = 8.0
#: A sentence needs at least this score to be a step: one that tells someone what to do
#: (`STEP_FORM`) is one, with or without a cue.
MIN_STEP_SCORE = 2.0
STEP_FORM = 2.0
#: A sentence speaks to an option when it shares at least this share of the option's word weight
#: ("learn to code": "code" does, "learn", said in many sentences, does not).
OPTION_SHARE = 0.5
#: A negation makes a mention of an option argue against it up to this many words after it, in
#: its clause ("I almost went back to engineering", "rather than a generic "learn to code" detour").
NEGATION_WINDOW = 6
#: A sentence speaks to the person's situation by one of their facts (their industry's words, their
#: years, a constraint, a goal, a time budget) or by at least this many words it shares with what
#: they asked.
MIN_SHARED_WORDS = 2
#: A post speaks to someone's age when it speaks of an age within this many years of theirs ("At 45
#: nobody hands a first-time manager a director role" to someone of 41), or of their decade.
AGE_NEAR = 4
#: What a sentence speaking to what the question asks about (`Reading.asks`) adds for each kind.
ASKED = 3.0
#: A sum of money ("$155k", "165k", "€3,000"): it speaks to money and pay as their words do.
MONEY_FIGURE = re.compile(r"[$€£]\s?\d|\b\d+(?:[.,]\d+)?\s?k\b", re.IGNORECASE)
_FILE = "mentor/engine/vocabulary/points.toml"
_OPENER = re.compile(r"^(?:\W*(?:and|but|so|then|also|first|second|third|finally|honestly|"
                     r"(?:month|week|step|day) \d+|my answer for you)\b[\s,:;.-]*)+", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    """A sentence that speaks to the follow-up. `side` is the index of the view its post holds
    (None: the post is in neither view); `reason` is "situation", "advice", "step", "focus" or
    "option"; `about` what it speaks to (an option's words, a fact such as "banking")."""

    key: PostKey
    text: str
    side: int | None
    reason: str
    about: str = ""
    score: float = 0.0


@dataclass(frozen=True)
class _Cues:
    steps: Phrases
    imperatives: frozenset[str]
    advice_openings: Phrases
    advice_adverbs: frozenset[str]   # between an advice opening and its verb
    same_again: frozenset[str]       # objects that only repeat what the writer did
    clause_words: frozenset[str]     # before an advice opening: a clause of another sentence
    clause_openers: frozenset[str]   # before an advice opening with its subject: a clause still starts
    conditions: frozenset[str]       # first words of a clause a step may follow
    small: Phrases
    large: Phrases
    advice: Phrases
    negations: Phrases               # before an option's word: a mention against it
    particles: frozenset[str]        # after a verb: another verb ("push back", "push for")
    determiners: frozenset[str]      # before a phrasal verb's word: a noun ("the push")


@cache
def _cues() -> _Cues:
    data = vocabulary("points")
    steps, time, advice = data.get("steps", {}), data.get("time", {}), data.get("advice", {})
    options = data.get("options", {})
    return _Cues(steps=Phrases(strings(steps, "cues", f"{_FILE} [steps]")),
                 imperatives=frozenset(strings(steps, "imperatives", f"{_FILE} [steps]")),
                 advice_openings=Phrases(strings(steps, "advice_openings", f"{_FILE} [steps]")),
                 advice_adverbs=frozenset(strings(steps, "advice_adverbs", f"{_FILE} [steps]")),
                 same_again=frozenset(strings(steps, "same_again", f"{_FILE} [steps]")),
                 clause_words=frozenset(strings(steps, "clause_words", f"{_FILE} [steps]")),
                 clause_openers=frozenset(strings(steps, "clause_openers", f"{_FILE} [steps]")),
                 conditions=frozenset(strings(steps, "conditions", f"{_FILE} [steps]")),
                 small=Phrases(strings(time, "small", f"{_FILE} [time]")),
                 large=Phrases(strings(time, "large", f"{_FILE} [time]")),
                 advice=Phrases(strings(advice, "cues", f"{_FILE} [advice]")),
                 negations=Phrases(strings(options, "negations", f"{_FILE} [options]")),
                 particles=frozenset(strings(options, "particles", f"{_FILE} [options]")),
                 determiners=frozenset(strings(options, "determiners", f"{_FILE} [options]")))


#: The points quoted alone, as a sentence of their own, that must make sense without the one
#: before them (an option's point sits beside the option it speaks to).
STANDALONE = frozenset({"advice", "step", "situation", "focus"})


class Pool:
    """The candidate sentences of the threads in play, with each word's rarity among them."""

    def __init__(self, threads: Iterable[Thread], sides: Mapping[PostKey, int],
                 skip: Collection[PostKey] = (), quoted: Collection[str] = (),
                 asked: frozenset[str] = frozenset()) -> None:
        """The sentences of `threads`' answers, less the posts in `skip` (ones already shown)
        but for their sentences holding a term of `asked` (what a follow-up asks in its own
        words: "what about a part-time MBA instead?" is answered by the sentence after the one
        quoted as where the sides meet) not in `quoted` (the ones quoted already); `sides` maps
        a post to the view it holds."""
        self.items: list[tuple[PostKey, str, frozenset[str]]] = []
        #: Every sentence of those answers but questions, however short ("Take it."): what an
        #: answer says, beside what may be quoted (`items`).
        self.said: list[tuple[PostKey, str, frozenset[str]]] = []
        #: The threads, in the order given (the question's own discussion first).
        self.order: list[str] = []
        #: Each thread's people, by the names a post could call them (`claims.thread_names`).
        self.names: dict[str, frozenset[str]] = {}
        for thread in threads:
            self.order.append(thread.id)
            self.names[thread.id] = thread_names(post.author for post in thread.posts)
            opener = thread.posts[0].author if thread.posts else None
            for post in thread.posts[1:]:
                if opener is not None and post.author == opener:
                    continue  # the asker's own follow-ups and thanks: not advice to anyone
                shown = (thread.id, post.index) in skip
                for sentence in standing_alone(own_sentences(post.text)):
                    if sentence.startswith("@") or sentence.rstrip().endswith("?"):
                        continue
                    if shown and (sentence in quoted or not asked & set(terms(sentence))):
                        continue
                    item = ((thread.id, post.index), sentence, frozenset(terms(sentence)))
                    self.said.append(item)
                    if POINT_WORDS[0] <= word_count(sentence) <= POINT_WORDS[1]:
                        self.items.append(item)
        self.sides = dict(sides)
        df = Counter(t for _, _, words in self.items for t in words)
        total = max(1, len(self.items))
        self.idf = {t: math.log((1 + total) / (1 + n)) for t, n in df.items()}

    def weight(self, words: Iterable[str], sentence_words: frozenset[str]) -> float:
        """The rarity-weighted count of `words` in a sentence."""
        return sum(self.idf.get(t, 0.0) for t in set(words) & sentence_words)

    def best(self, score, reason: str, about: str = "", per_side: int = 1, per_post: int = 1,
             minimum: float = 1e-9, avoid: Iterable[str] = (),
             keep: Callable[[PostKey], bool] | None = None) -> list[Sentence]:
        """The best-scoring sentences, up to `per_side` for each side (and for no side) and
        `per_post` from one post, none scoring under `minimum`, from the posts `keep` keeps (all
        by default); in reading order within a side."""
        taken = set(avoid)
        scored = sorted(((score(sentence, words), order, key, sentence)
                         for order, (key, sentence, words) in enumerate(self.items)
                         if keep is None or keep(key)), key=lambda item: -item[0])
        chosen: list[tuple[int, Sentence]] = []
        posts: Counter[PostKey] = Counter()
        sides: Counter[int | None] = Counter()
        for value, order, key, sentence in scored:
            if value < minimum:
                break
            side = self.sides.get(key)
            if sentence in taken or posts[key] >= per_post or sides[side] >= per_side:
                continue
            if reason in STANDALONE and not self.stands_alone(key, sentence):
                continue  # quoted alone as advice, a step or what fits you: not "then I'd skip it"
            chosen.append((order, Sentence(key, sentence, side, reason, about, value)))
            taken.add(sentence)
            posts[key] += 1
            sides[side] += 1
        return [point for _, point in sorted(chosen, key=lambda item: item[0])]


    def stands_alone(self, key: PostKey, sentence: str) -> bool:
        """Whether `sentence` makes sense quoted alone to someone outside its thread: it does not
        continue the sentence before it, point back to the thread or its asker
        (`claims.points_back`), or address or name one of the thread's people."""
        return not (hangs_on_context(sentence) or points_back(sentence)
                    or names_someone(sentence, self.names.get(key[0], frozenset())))

    def between(self, chosen: list[Sentence]) -> list[Sentence]:
        """`chosen` with, for each post it quotes twice or more, the sentences between them (a
        plan's "Month 2" between its "Month 1" and "Month 3"), in reading order."""
        order = {(key, sentence): i for i, (key, sentence, _) in enumerate(self.items)}
        out: list[Sentence] = []
        for point in chosen:
            same = [p for p in out if p.key == point.key]
            if same:
                last = order[(same[-1].key, same[-1].text)]
                here = order[(point.key, point.text)]
                for key, sentence, _ in self.items[last + 1:here]:
                    if key == point.key:
                        out.append(Sentence(key, sentence, point.side, point.reason, point.about, point.score))
            out.append(point)
        return out


def _years_said(years: float | None, sentence: str) -> bool:
    """Whether `sentence` speaks of as many years in a role as the person has ("six years, B2B"),
    not of a stretch of time ("over the last eight years", "in eight years")."""
    return years is not None and _years_pattern(years).search(sentence) is not None


@lru_cache(maxsize=64)
def _years_pattern(years: float) -> re.Pattern[str]:
    """The pattern `_years_said` looks for: `years` in digits or words, then "year(s)", "yrs" or
    forums' "YOE" (years of experience: "At 2.5 YOE you're still doing execution work")."""
    spoken = sorted({f"{years:g}"} | {word for word, value in numbers().items() if value == years and word.isalpha()
                                      and len(word) > 2})
    return re.compile(rf"(?<!\blast )(?<!\bpast )(?<!\bnext )(?<!\bin )(?<!\bwithin )\b(?:{'|'.join(map(re.escape, spoken))})(?:\s+years?|\s*(?:yrs|yoe))\b",
                      re.IGNORECASE)


def speaks_to(kind: str, sentence: str) -> bool:
    """Whether `sentence` speaks to someone with a constraint or a goal of `kind`: by its words
    (situation.toml's [constraint_words] and [goals.<kind>] `posts`), or, for money and pay, by
    a sum of money ("I was on 165k as a PM")."""
    return bool(constraint_words(kind).search(sentence) or goal_words(kind).search(sentence)
                or kind in ("money", "pay") and MONEY_FIGURE.search(sentence))


def _age_said(age: int | None, sentence: str) -> bool:
    """Whether `sentence` speaks of an age near the person's (`AGE_NEAR`), or of their decade."""
    if age is None:
        return False
    return any(spoken <= age < spoken + 10 if decade else abs(spoken - age) <= AGE_NEAR
               for spoken, decade in ages_spoken(sentence))


def situation_score(pool: Pool, situation: Situation, focus: str = "", asks: Collection[str] = ()):
    """How much a sentence speaks to the person's situation: their industry, years, age, role
    (other than PM, which every post shares), constraints and goals (`speaks_to`), the follow-up's
    own words, and a little the options they weigh; a sentence that does so counts more when it
    reads as advice. It scores 0 unless it really matches (`_real_match`): one shared word
    ("40-person") is chance. With `asks` (the kinds of goal or constraint the question asks about:
    "which is less risky?"), only a sentence that speaks to one of them scores, `ASKED` more for
    each."""
    industry = industry_words(situation.industry)
    role = frozenset(terms(situation.role or "")) if situation.role and situation.role != "PM" else frozenset()
    options = frozenset(t for option in situation.weighing for t in terms(option))
    asked = frozenset(t for word in focus.split() if not any(ch.isdigit() for ch in word) for t in terms(word))
    small_budget = situation.hours_per_week is not None and situation.hours_per_week <= SMALL_BUDGET_HOURS
    cue = _cues()

    def score(sentence: str, words: frozenset[str]) -> float:
        facts = len(industry.find(sentence))
        value = 2.5 * facts + pool.weight(role, words) + pool.weight(asked, words)
        value += 0.5 * pool.weight(options, words)
        if _years_said(situation.years, sentence):
            value += 1.5
            facts += 1
        if _age_said(situation.age, sentence):
            value += 1.5
            facts += 1
        for kind in situation.constraints:
            if kind != "time" and speaks_to(kind, sentence):
                value += 2.0
                facts += 1
        for kind in situation.goals:
            if speaks_to(kind, sentence):
                value += 2.0
                facts += 1
        if asks:
            spoken = sum(1 for kind in asks if speaks_to(kind, sentence))
            if not spoken:
                return 0.0
            value += ASKED * spoken
            facts += spoken
        if small_budget or "time" in situation.constraints:
            fitting = len(cue.small.find(sentence))
            value += fitting - len(cue.large.find(sentence))
            facts += fitting
        if not _real_match(facts, (role | asked) & words):  # the options alone are no fact about them
            return 0.0
        if value > 0 and cue.advice.search(sentence):
            value += 1.0
        if value > 0 and _imperative(sentence):
            value += 0.5
        return value

    return score


def _real_match(facts: int, shared: frozenset[str]) -> bool:
    """Whether a sentence matches the situation for real: a stated fact found in it, or at least
    `MIN_SHARED_WORDS` of the person's words (numbers never count: terms with digits are left out)."""
    return facts > 0 or len({t for t in shared if not any(ch.isdigit() for ch in t)}) >= MIN_SHARED_WORDS


def advice_score(pool: Pool, situation: Situation, focus: str = "", asks: Collection[str] = ()):
    """How much a sentence reads as advice to someone in the person's position: an advice cue in a
    sentence that speaks to their situation (`situation_score`); 0 for one that does not."""
    fit = situation_score(pool, situation, focus, asks)
    cue = _cues()

    def score(sentence: str, words: frozenset[str]) -> float:
        found = len(cue.advice.find(sentence))
        matched = fit(sentence, words) if found else 0.0
        return 2.0 * found + 0.5 * matched if matched > 0 else 0.0

    return score


def step_score(pool: Pool, situation: Situation, focus: str = ""):
    """How much a sentence gives a concrete step (a plan, a first project, a resource) on the
    follow-up's subject, fitting the person's time budget. Only a sentence that tells someone what
    to do (`tells_what_to_do`: "Share your interview notes before you write a single ticket", "the
    cheaper move is to get a 0-to-1 launch") is a step, worth `STEP_FORM` and each step cue
    ("course", "every week") more; 0 for any other, however many cues it holds: "Got back to about
    45 hours within a month" reports a result (it was offered as a step for a small time budget,
    while "Keep a quiet log of planning time", an imperative with no cue, fell under
    `MIN_STEP_SCORE`: a trial user's, 2026-11-30)."""
    cue = _cues()
    options = frozenset(t for option in situation.weighing for t in terms(option))
    asked = frozenset(terms(focus))
    small_budget = situation.hours_per_week is not None and situation.hours_per_week <= SMALL_BUDGET_HOURS

    def score(sentence: str, words: frozenset[str]) -> float:
        if not tells_what_to_do(sentence):
            return 0.0
        value = STEP_FORM + float(len(cue.steps.find(sentence)))
        if re.search(r"\d|\b(?:one|two|three|four|five|six)\b", sentence, re.IGNORECASE):
            value += 0.5
        value += 0.25 * pool.weight(options, words) + 0.5 * pool.weight(asked, words)
        if small_budget or "time" in situation.constraints:
            value += len(cue.small.find(sentence)) - 1.5 * len(cue.large.find(sentence))
        return value

    return score


def _imperative(sentence: str) -> bool:
    """Whether the sentence, past its openers ("Month 1,", "So") or past a first clause of "if",
    "when", "once" ... ("If planning is still two hours, escalate with the log"), starts with a
    verb that tells someone what to do."""
    text = _OPENER.sub("", sentence)
    first = text.split(maxsplit=1)
    if first and first[0].lower() in _cues().conditions and "," in text:
        first = text.split(",", 1)[1].split(maxsplit=1)
    return bool(first) and first[0].lower().strip(",.:;") in _cues().imperatives


def _relative_clause(opening: str, before: list[str]) -> bool:
    """Whether an advice `opening` that begins with its subject ("i'd", "you should") follows a
    noun (the words `before` it): "Concrete plan [I'd give you]" (points.toml's `clause_openers`)."""
    if opening.split()[0] not in ("i", "i'd", "you", "you'll"):
        return False
    last = before[-1]
    return not (last[-1] in ",;:.!?)\"'-" or last in _cues().clause_openers or last.endswith("ly")
                or "if" in before)


def tells_what_to_do(sentence: str) -> bool:
    """Whether a sentence tells someone what to do: an imperative (`_imperative`), or advice
    (points.toml's [steps] `advice_openings`: "I'd", "you should", "start by", "the move is to")
    followed by one of its verbs, past an adverb ("I'd just ask", "you should first get"), and
    not inside a clause of another sentence (`clause_words`: "what I'd do differently")."""
    if _imperative(sentence):
        return True
    cue = _cues()
    lowered = sentence.casefold().replace("’", "'")
    for found in cue.advice_openings.find(lowered):
        before = lowered[:found.start].split()
        if before and (before[-1] in cue.clause_words or _relative_clause(found.phrase, before)):
            continue  # "what I'd do differently", "Concrete plan I'd give you": inside another sentence
        after = [word.strip(",.:;\"'()") for word in lowered[found.end:].split()[:4]]
        at = next((i for i, word in enumerate(after) if word not in cue.advice_adverbs), len(after))
        verb, following = (after + ["", ""])[at:at + 2]
        if verb in cue.imperatives and following not in cue.same_again:
            return True
    return False


def focus_score(pool: Pool, focus: str, base: float = 0.0):
    """How much a sentence speaks to the follow-up's own words (plus `base` for any sentence)."""
    asked = frozenset(terms(focus))

    def score(sentence: str, words: frozenset[str]) -> float:
        return base + pool.weight(asked, words)

    return score


def option_points(pool: Pool, options: Iterable[str], rarity: Callable[[str], float],
                  avoid: Iterable[str] = (), threads: Collection[str] | None = None) -> list[Sentence]:
    """For each option the person weighs, the sentence that speaks for it most
    (`option_score`): one sharing at least `OPTION_SHARE` of the option's word weight, a word
    weighing its `rarity` in the whole corpus (within a thread about remote work, "remote" is
    everywhere, yet it is what the option "take a remote PM job" is about), not a mention right
    after a negation ("not to push"). From the first of the pool's threads (of `threads`, when
    given) that has one, and,
    where a thread's two views argue the options (`option_camps`), never from the view that
    argues the other one; from a post not yet quoted for another option when one qualifies. An
    option no sentence speaks for gets none.

    A trial user's "should I take it or stay an IC?" got, for "take it", "Principal or staff PM at
    a company that takes the IC track seriously is a real career." (a post for staying IC), and
    "should I push back or just take it?" got, for "push back", "I'd read that as a reason to keep
    the risk low, not to push." (2026-11-30)."""
    options = list(options)
    scores = {option: option_score(option, rarity) for option in options}
    camps = option_camps(pool, {option: score for option, (score, _) in scores.items()})
    points: list[Sentence] = []
    taken = set(avoid)
    for option in options:
        score, needed = scores[option]
        against = {side for other, sides in camps.items() if other != option for side in sides}
        for thread in [t for t in pool.order if threads is None or t in threads]:
            best = pool.best(score, "option", about=option, per_side=1, minimum=needed, avoid=taken,
                             keep=lambda key, thread=thread: key[0] == thread and pool.sides.get(key) not in against)
            if best:
                used = {p.key for p in points}
                top = max(best, key=lambda p: (p.key not in used, p.score))
                points.append(top)
                taken.add(top.text)
                break
    return points


#: Function words (NLTK's English list, as bm25s ships it), stemmed: in an option they say when or
#: how, not what ("push for it now": "now" found "If Kwame builds that story now" for it).
_FUNCTION_STEMS = frozenset(stem(word.replace("'", "")) for word in STOPWORDS_EN_PLUS)


def option_score(option: str, rarity: Callable[[str], float]):
    """How much a sentence speaks for `option`, and the least it must score to: the rarity of the
    option's words it holds (`OPTION_SHARE` of all of them needed; a function word, "now" or
    "being"'s "be", weighs nothing), twice that when it says the option's exact words; a role the option names
    (moves.toml's roles, not PM, which nearly every post names) counts as said when the sentence
    names it in any of its words beside another word of the option ("back to engineering" for "go
    back to being a software engineer"; "engineering" alone is as often a team); 0 when every
    mention of it is in a negation's scope (`_against`: "not to push", "I almost went back to
    engineering"); a word of the option said only as another phrasal verb is no mention
    (`_other_verb`: "push back" for "push for it now")."""
    particles = _particles_after(option)
    verb = set(particles.values())  # "down" of "double down" is part of its verb
    weights = {t: rarity(t) for t in set(terms(option))
               if t not in STOP_WORDS and (t not in _FUNCTION_STEMS or t in verb)}
    role, role_terms = _role_of(option)
    pattern = re.compile(rf"\b{re.escape(option)}\b", re.IGNORECASE)

    def score(sentence: str, words: frozenset[str]) -> float:
        present = {t for t in weights if t in words}
        present -= {t for t in present & particles.keys() if _other_verb(sentence, t, particles[t])}
        if present - role_terms and role in _roles(sentence):  # "back to engineering", not "engineering" alone
            present |= role_terms & weights.keys()
        if not present or _against(sentence, present):
            return 0.0
        value = sum(weights[t] for t in present)
        return 2.0 * value if pattern.search(sentence) else value

    return score, max(OPTION_SHARE * sum(weights.values()), 1e-9)


def option_camps(pool: Pool, scores: Mapping[str, Callable[[str, frozenset[str]], float]]) -> dict[str, set[int]]:
    """For two options, the view of each of the pool's threads that argues each: in a thread of
    two views, when each option's words (`option_score`, summed over every sentence of a view's
    posts, "Take it." too) are said more in one view than the other, a different one for each;
    nothing for a thread where they are not ("stay a PM or go back to engineering": both views
    speak of engineering, and neither of staying)."""
    if len(scores) != 2:
        return {}
    (first, one), (second, other) = scores.items()
    out: dict[str, set[int]] = {first: set(), second: set()}
    for thread in pool.order:
        sides = sorted({side for key, side in pool.sides.items() if key[0] == thread})
        if len(sides) != 2:
            continue
        said = {side: [(sentence, words) for key, sentence, words in pool.said
                       if key[0] == thread and pool.sides.get(key) == side] for side in sides}
        a = {side: sum(one(sentence, words) for sentence, words in said[side]) for side in sides}
        b = {side: sum(other(sentence, words) for sentence, words in said[side]) for side in sides}
        x, y = sides
        if a[x] > a[y] and b[y] > b[x]:
            out[first].add(x)
            out[second].add(y)
        elif a[y] > a[x] and b[x] > b[y]:
            out[first].add(y)
            out[second].add(x)
    return out


@cache
def _role_of(option: str) -> tuple[str, frozenset[str]]:
    """The role an option names other than PM, and the terms of the words naming it ("go back to
    being a software engineer": engineering, {"softwar", "engin"}); ("", ∅) for none."""
    words = option.split()
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start:start + size])
            named = [role for role in roles_named(phrase) if role != ASKER_ROLE]
            if named:
                return named[0], frozenset(terms(phrase))
    return "", frozenset()


@lru_cache(maxsize=8192)
def _roles(sentence: str) -> tuple[str, ...]:
    return roles_named(sentence)


#: A sentence's words and the marks that end a clause, for a negation's scope (`_against`).
_TOKEN = re.compile(r"[\w'’-]+|[,;:.!?()]")
_CLAUSE_ENDS = frozenset(",;:.!?()") | {"but", "and"}


def _particles_after(option: str) -> dict[str, str]:
    """The option's words (stems) followed in it by a particle (points.toml's [options]
    `particles`), each with its particle: {"push": "for"} for "push for it now"."""
    tokens = [token.lower() for token in _TOKEN.findall(option)]
    particles = _cues().particles
    return {stem: after for token, after in zip(tokens, tokens[1:]) if after in particles
            for stem in terms(token)}


def _other_verb(sentence: str, stem: str, particle: str) -> bool:
    """Whether no mention of `stem` in `sentence` is the option's phrasal verb (its word, then
    `particle`): each is followed by another particle, another verb ("push back" is not "push
    for"), or follows a determiner, a noun ("the push")."""
    cue = _cues()
    tokens = [token.lower() for token in _TOKEN.findall(sentence)]
    around = [(tokens[i - 1] if i else "", tokens[i + 1] if i + 1 < len(tokens) else "")
              for i, token in enumerate(tokens) if stem in terms(token)]
    return bool(around) and all(before in cue.determiners or after in cue.particles and after != particle
                                for before, after in around)


def _against(sentence: str, present: set[str]) -> bool:
    """Whether every mention of the option's words (`present`, stems) in `sentence` is in the scope
    of a negation (points.toml's [options] `negations`): in the `NEGATION_WINDOW` words before it,
    in its clause ("a reason to keep the risk low, not to push"; "I almost went
    back to engineering in 2021; instead …"). A role said in other words ("coding") is no mention
    here."""
    tokens = [token.lower() for token in _TOKEN.findall(sentence)]
    mentions = [i for i, token in enumerate(tokens) if set(terms(token)) & present]
    negations = _cues().negations

    def negated(at: int) -> bool:
        start = at
        while start > max(0, at - NEGATION_WINDOW) and tokens[start - 1] not in _CLAUSE_ENDS:
            start -= 1
        return negations.search(" ".join(tokens[start:at])) is not None

    return bool(mentions) and all(negated(i) for i in mentions)


def fits_small_budget(sentence: str) -> int:
    """How many small amounts of time a step speaks of ("evenings", "one quarter"); 0 when it
    speaks of a big one ("bootcamp", "full-time")."""
    cue = _cues()
    return 0 if cue.large.search(sentence) else len(cue.small.find(sentence))

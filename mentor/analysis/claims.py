"""Is a sentence a claim? The rule a view label must pass.

A view's label is a position someone wrote that a reader understands on its own: a declarative
sentence such as "Hard skills are easy and replaceable", or a judgement from experience ("As a
PM I have found engineering talent mediocre"). It is never a bare agreement ("A thousand
times this"), a question, thanks or praise ("That's a great way to frame it"), banter, a story
about the writer that judges nothing ("I now manage PMs"), or a sentence that only makes sense
beside the post it answers ("If you have a great team", "They don't need to", "What OP said").

`label_problem` says what is wrong with a label, or None when it is a claim. The view labeller
chooses among sentences that pass it; the evaluation and the tests run it over every view.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from mentor.analysis.phrases import normalise, vocabulary
from mentor.engine.text import STOP_WORDS, word_count

#: A label's length in words: shorter says too little to be a position, longer is a paragraph.
LABEL_WORDS = (3, 20)
LABEL_CHARS = 120
#: Words that open a fragment: the sentence hangs on something said before it.
_FRAGMENT_OPENERS = frozenset(
    "and but or so because if when whenever although though especially which whose with to on about "
    "for of in at from by as than then also plus except unless until while whereas since like "
    "however therefore thus hence otherwise instead besides meanwhile still yet else too "
    "additionally furthermore moreover likewise similarly nevertheless nonetheless "
    "cause 'cause cuz coz bc".split())
#: Prepositions among them: a sentence opening with one stands alone when a main clause follows
#: its opening phrase ("In most companies, the PM owns the roadmap", "At 2.5 YOE, you're early").
#: Not "as": its phrase often names the asker's case ("As the checkout PM you'll be ...").
_PREPOSITIONS = frozenset("with to on about for of in at from by like".split())
#: Words that, inside a sentence's opening phrase, point back to something said before ("In that
#: case", "For this reason", "By then").
_POINTING_INSIDE = frozenset("this that these those it them then such same there above".split())
#: Openers of a subordinate clause: the sentence stands alone when its main clause follows.
_SUBORDINATORS = frozenset("if when whenever unless although though while once until since because".split())
#: Openers of a concession: "Although demand is high, the supply is equally present" claims its
#: main clause, whatever case came before it.
_CONCESSIVES = frozenset("although though whereas".split())
#: Openers of a condition: a sentence opening with one sets a case the next may go on speaking in.
_CONDITIONS = frozenset("if unless".split())
#: A modal of a hypothetical ("would", "could", "might", "I'd"): a sentence holding one speaks of a
#: case, its own or one set before it.
_HYPOTHETICAL = re.compile(r"(?<![\w'])(?:would|could|might|wouldn't|couldn't|\w+'d)(?![\w'])")
_COORDINATORS = frozenset("and but or so nor yet then plus".split())
#: Words that may stand before a subordinate clause's opener and narrow it ("only if she wants
#: it", "even when it ships"): the clause is read as if it opened the sentence.
_FOCUSING = frozenset("only not even just except especially".split())
#: Words that, opening a sentence, carry on from the one before it ("But ...", "Meanwhile ...").
_CONTINUING = _COORDINATORS | frozenset("also meanwhile besides instead otherwise hence thus therefore "
                                         "additionally furthermore moreover likewise similarly".split())
#: Words that, opening a sentence, point back to something said before it.
_POINTING = frozenset("this that these those it it's its he she they them him her their such same "
                      "there's here's that's this's they're he's she's".split())
#: Words that, ending a sentence, point back to something said before ("... converging into
#: this") or add to it ("... really mediocre too", "... as well").
_POINTING_ENDS = frozenset("this that these those it them there too either".split())
_ADDING_END = re.compile(r"\bas well$")
#: "that" before a noun after a verb or preposition points to something named before ("expect
#: the PM to do that function"); before a stop word it is a pronoun ("do that for so long").
_DEMONSTRATIVE = re.compile(r"\b(?:do|does|did|doing|in|for|with|about|from|on|at|to|by) that (\w+)")
#: A pronoun followed by a preposition or particle ("get that through", "put it in", "take
#: this to") is the object of the verb before it: without an antecedent, it points back.
_OBJECT_PRONOUN = re.compile(r"\b(?:that|this|these|those|it|them) (?:through|to|into|in|on|at|for|from|with|"
                             r"by|over|out|up|down|back|off|away|around|across|as|without)\b")
#: He or she, in any case: with nothing before it but function words ("If she's going to spend a
#: quarter", "only if he wants it"), the person is one the thread spoke of, most often its asker.
_PERSON_PRONOUN = re.compile(r"(?<![\w'])(?:he|she|him|her|his|hers|he's|she's|he'd|she'd|he'll|she'll)(?![\w'])")
_QUESTION_WORDS = frozenset("what why how who whom where when which".split())
_AUXILIARIES = frozenset("is are am was were can could should would will do does did have has "
                         "shall may might isn't aren't can't couldn't shouldn't wouldn't won't "
                         "don't doesn't didn't".split())
_SUBJECTS = frozenset("i you we they it he she there this that pms pm people anyone someone "
                      "everyone one product".split())
#: After an auxiliary other than "do", a determiner also opens a question ("Is an MBA worth
#: it"); "Do the senior job first" is advice.
_DETERMINERS = frozenset("a an the my your our their his her its any some".split())
#: Words that name nothing a pronoun could stand for: subjects, auxiliaries and modals, "to",
#: adverbs of frequency (see `_object_points_back`).
_FUNCTION_WORDS = STOP_WORDS | _SUBJECTS | _AUXILIARIES | frozenset(
    "nobody everybody everyone someone anyone me us them him her need needs want wants have has "
    "must never always ever even also still just only cannot won't gotta".split())
#: A sentence about the writer ("I now manage PMs", "In my experience", "Developers are mad at
#: me"); a first person inside "the engineers I know", "PMs I've seen" still states a position.
_FIRST_PERSON = re.compile(r"(?<![\w'])(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|im|ive)(?![\w'])")
_WITNESS = re.compile(r"\b\w+s (?:that |whom? )?(?:i|we) (?:know|knew|met|see|saw|have seen|'ve seen|"
                      r"worked with|have worked with|'ve worked with|hired|managed)\b")
_REFERENCES = re.compile(
    r"(?<!\w)(?:op|op's|@\w+|the above|this thread|this post|this comment|your point|you said|"
    r"as others|what others|others said|parent comment|the article|the video|the meme|the joke|"
    r"the post|edit:|upvote|downvote)(?!\w)")
#: A short sentence about the person it answers ("You might be spectacular", "You sound burned
#: out"): a remark to someone in the thread, not a position.
_TO_SOMEONE = re.compile(r"^you(?:'re| are| were| might be| may be| could be| must be| seem| sound| look)\b")
_LINK = re.compile(r"https?://|www\.")
#: A time before now ("a year ago", "two months ago"): what happened then, a story.
_AGO = re.compile(r"\bago\b")
#: Words a finished sentence does not end on: it was cut mid-phrase ("... soft skills are what
#: make a") or leaves out what it answers ("... is not", "... you should").
_OPEN_ENDS = _DETERMINERS | _AUXILIARIES | frozenset(
    "the not and or but of to for with in on at from by as than about into because if so very".split())
#: The writer introducing themselves ("Non-technical PM here", "Former APM here, now a Group PM")
#: or their record ("Three years as a PM at an HR-tech company", "PM for 4 years at a startup").
_INTRODUCTION = re.compile(
    r"^(?:[\w\-+']+ ){0,3}here(?:[,.!]|$)|"
    r"^(?:\w+ ){0,2}(?:\d+\+?|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|many) "
    r"(?:years?|months?) (?:as|at|in)\b|"
    r"^(?:\w+ ){1,3}for (?:\d+\+?|one|two|three|four|five|six|seven|eight|nine|ten) (?:years?|months?)\b")


def points_back(sentence: str) -> bool:
    """Whether `sentence` points back to its thread or its asker: a phrase of responses.toml's
    [pointing_back] outside those of [not_pointing_back] ("from those six screens" does, "those
    who ship" does not), "that" before a noun after a verb or preposition ("do that function"),
    a pronoun as the object of its verb with nothing in the sentence it could stand for
    (`_object_points_back`: "You can't get that through a ticket queue"), or "he" or "she" with
    only function words before it ("If she's going to spend a quarter on something, ...")."""
    responses = vocabulary("responses")
    text = normalise(sentence)
    general = [match.span() for match in responses.group("not_pointing_back").pattern.finditer(text)]
    outside = lambda match: not any(start <= match.start() and match.end() <= end  # noqa: E731
                                    for start, end in general)
    if any(outside(match) for match in responses.group("pointing_back").pattern.finditer(text)):
        return True
    if any(match.group(1) not in STOP_WORDS for match in _DEMONSTRATIVE.finditer(text)):
        return True
    person = _PERSON_PRONOUN.search(text)
    if person and all(word.strip("\"'()*_,.;:!-") in _FUNCTION_WORDS for word in text[:person.start()].split()):
        return True
    return any(not any(start <= match.start() < end for start, end in general)  # "make it to senior"
               and text[:match.start()].count('"') % 2 == 0  # not in a quotation
               and _object_points_back(text[:match.start()].split()) for match in _OBJECT_PRONOUN.finditer(text))


def _object_points_back(before: list[str]) -> bool:
    """Whether a pronoun after the words `before` is its verb's object with no antecedent: the
    word before it is the verb, and every word before that is a function word (a subject,
    an auxiliary, "to", "never"), so no noun it could stand for. "You can't get [that]" and "Put
    [it]" point back; "If you want the job, take [it]" does not."""
    words = [word.strip("\"'()*_,.;:!-") for word in before]
    return bool(words) and all(word in _FUNCTION_WORDS for word in words[:-1])


#: What `claim_problem` says of a sentence that is an aside to the discussion, not a point in it.
INTRODUCES, THANKS, BANTER, GREETS = ("introduces the writer, judging nothing", "thanks or praise", "banter",
                                      "a greeting")
ASIDE_PROBLEMS = frozenset({INTRODUCES, THANKS, BANTER, GREETS})


def thread_names(authors: Iterable[str | None]) -> frozenset[str]:
    """The casefolded names a sentence could call the thread's people by: each handle and its
    parts ("AnjaliMenon" -> anjalimenon, anjali, menon), parts of three letters or more that are
    no stop word ("the_real_pm" -> the_real_pm, real: not "the")."""
    found: set[str] = set()
    for author in authors:
        if author:
            found.add(author.casefold())
            found.update(part.casefold() for part in re.split(r"[._\-\s]|(?<=[a-z])(?=[A-Z])", author)
                         if len(part) >= 3 and part.casefold() not in STOP_WORDS)
    return frozenset(found)


def _judges(text: str) -> bool:
    """Whether a sentence holds an evaluative word (vocabulary/evaluation.toml): "As a PM I have
    found engineering talent mediocre" judges; "I now manage PMs" tells."""
    words = vocabulary("evaluation")
    return bool(words.group("positive").find(text) or words.group("negative").find(text))


@lru_cache(maxsize=65536)
def label_problem(label: str, names: frozenset[str] = frozenset()) -> str | None:
    """What keeps `label` from being a claim a reader understands alone, or None if nothing.

    `names` (casefolded) are the thread's people: a label naming one of them ("Renata sounds
    like she'd ace that") only makes sense in the thread.
    """
    text = normalise(label).strip()
    if not any(ch.isalpha() for ch in text):
        return "has no words"
    if word_count(text) < LABEL_WORDS[0]:
        return "too short to state a position"
    if word_count(text) > LABEL_WORDS[1] or len(text) > LABEL_CHARS:
        return "too long for a label"
    if text.endswith(("…", "...")):
        return "cut off mid-sentence"
    if text.count('"') % 2 or text.count("“") != text.count("”"):
        return "cut off inside a quotation"
    if names_someone(label, names):
        return "names someone in the thread"
    return claim_problem(label)


_MENTION = re.compile(r"(?:^|[\s(])@\w")


def names_someone(sentence: str, names: frozenset[str]) -> bool:
    """Whether `sentence` addresses someone ("@grace") or names one of the thread's people
    (`names`, casefolded: `thread_names`), so that it only makes sense in the thread ("which is
    why Siobhan's question matters", "Karthik, do the math"): a word of `names` written with a
    capital, or a handle with a digit or a mark in it ("throwaway_pm2"). A name's letters in lower
    case are a word ("mark", "grace", "real" of the_real_pm)."""
    if _MENTION.search(sentence):
        return True
    for word in sentence.split():
        bare = word.strip("\"'()*_,.;:!?“”‘’")
        name = bare.casefold().removesuffix("'s").removesuffix("’s")
        if name in names and (bare[:1].isupper() or not bare.isalpha()):
            return True
    return False


def hangs_on_context(sentence: str) -> bool:
    """Whether a sentence only makes sense after the one before it: it opens with a word that
    continues ("then I'd skip it", "and six weekends is ...") or points back ("That one works"),
    or is a clause that answers a question before it ("only if she wants generalist loops").
    A subordinate clause followed by its main clause ("If you work in banking, I'd keep the
    title") stands alone; the clause alone ("If you have a great team") does not."""
    text = normalise(sentence)
    words = text.split()
    first = words[0].strip("\"'(*_,.;:!-") if words else ""
    second = words[1].strip("\"'(*_,.;:!-") if len(words) > 1 else ""
    if first in _FOCUSING and second in _SUBORDINATORS:  # "only if she wants it": an answer's clause
        first, second = second, words[2].strip("\"'(*_,.;:!-") if len(words) > 2 else ""
    if first in _SUBORDINATORS and _main_clause_follows(text):
        return False
    if first in _PREPOSITIONS and _phrase_then_clause(text):
        return False
    return first in _POINTING or first in _FRAGMENT_OPENERS and not (first == "as" and second in ("a", "an"))


def without_openers(sentence: str) -> str:
    """`sentence` without the forum openers it starts with (responses.toml's [openers]: "+1",
    "Honestly,", "Additionally,"), as a view label quotes it."""
    text = sentence.strip()
    openers = vocabulary("responses").group("openers")
    while (found := openers.opening_match(text, words=6)) is not None and found:
        rest = " ".join(text.split()[len(found.split()):])
        cut = re.sub(r"^[\s,.:;!\-—–]+", "", rest)
        if not cut or cut == text:
            break
        text = cut
    return text


def _without_framing(text: str) -> str:
    """`text` after an opening phrase of responses.toml's [framing] ("In my experience,"), or all
    of it."""
    framing = vocabulary("responses").group("framing").opening_match(text, words=5)
    return text if framing is None else text.split(None, len(framing.split()))[-1].lstrip(" ,")


def _phrase_then_clause(text: str) -> bool:
    """Whether a sentence opening with a preposition is an opening phrase and a main clause of its
    own: a phrase of responses.toml's [framing] and at least three words ("In my experience the
    title follows the company"), or a phrase up to the first comma that neither carries on
    ([carrying_on]: "On the other hand, ...") nor points back ("In that case, ...") and a clause
    after it (`_main_clause_follows`)."""
    responses = vocabulary("responses")
    framing = responses.group("framing").opening_match(text, words=5)
    if framing is not None:
        return len(text.split()) >= len(framing.split()) + 3
    phrase, comma, _ = text.partition(",")
    return bool(comma) and _main_clause_follows(text) and not responses.group("carrying_on").opens(text) \
        and not _POINTING_INSIDE & {word.strip("\"'(*_.;:!-") for word in phrase.split()}


def under_condition(previous: str, sentence: str) -> bool:
    """Whether `sentence` speaks inside a case the sentence before it (`previous`) set: `previous`
    opens with a condition ("If all you want is to make things, maybe you chose the wrong field")
    and `sentence` holds a modal of a hypothetical with no condition of its own ("A role in a
    maker field would be a better fit"). Alone, it reads as advice to everyone: the seed's was a
    view's label and backed the option "learn a maker skill", which its post argues against (a
    trial user's, 2026-11-30)."""
    before = normalise(previous).split()
    text = normalise(sentence)
    return bool(before) and before[0].strip("\"'(*_,.;:!-") in _CONDITIONS \
        and _HYPOTHETICAL.search(text) is not None and not _CONDITIONS & set(text.split())


def sets_up(sentence: str, following: str) -> bool:
    """Whether `sentence` says only what the point is not and `following` what it is: a phrase of
    responses.toml's [negated_setup] in `sentence` ("The danger isn't that your query errors
    out.") and `following` opening with one of [point_after_setup] ("It's that it runs fine and
    is quietly wrong."). The first alone, a starter thread's view label, argued the opposite of its
    post (a trial user's, 2026-11-30)."""
    responses = vocabulary("responses")
    return responses.group("negated_setup").find(sentence) is not None \
        and responses.group("point_after_setup").opens(following, words=4)


def standing_alone(found: Sequence[str]) -> list[str]:
    """`found`, a post's sentences in order, as claims that stand alone: without those speaking
    inside a case the one before them set (`under_condition`), and a sentence that says what the
    point is not joined with the one after it that says what it is (`sets_up`)."""
    kept: list[str] = []
    joined = False
    for i, sentence in enumerate(found):
        if joined:  # said with the setup before it
            joined = False
            continue
        if i and under_condition(found[i - 1], sentence):
            continue
        joined = i + 1 < len(found) and sets_up(sentence, found[i + 1])
        kept.append(f"{sentence} {found[i + 1]}" if joined else sentence)
    return kept


def carries_on(sentence: str) -> bool:
    """Whether a sentence carries on from the one before it, so that quoted alone it reads as an
    answer to nothing: it opens with a word that continues ("But build one hard skill",
    "Meanwhile a PM with a theatre degree ...") or points back ("That one works"). Narrower than
    `hangs_on_context`, which also takes an opening preposition ("At a startup you pull your own
    numbers" is a quote, though no label)."""
    words = normalise(sentence).split()
    first = words[0].strip("\"'(*_,.;:!-") if words else ""
    return first in _POINTING or first in _CONTINUING


def _main_clause_follows(text: str) -> bool:
    """Whether, after the first comma, a clause of its own follows (at least three words, not
    opening with "and", "or", "but"...)."""
    _, comma, rest = text.partition(",")
    after = rest.split()
    return bool(comma) and len(after) >= 3 and after[0].strip("\"'(") not in _COORDINATORS


def concedes(sentence: str) -> bool:
    """Whether `sentence` grants a point of the other side and does not answer it: a phrase of
    responses.toml's [concession] anywhere ("Granted, ...", "I'll give you that") or of
    [concession_ends] closing it ('"20 minutes to the answer" is true'), with no turn of
    [clause_contrast] opening a later clause ("fair on the coursework, but nobody serious ...").
    Read on the sentence as written: a label drops openers such as "To be fair"."""
    responses = vocabulary("responses")
    text = normalise(sentence).rstrip("\"')*_ .!")
    found = responses.group("concession").pattern.search(text)
    end = responses.group("concession_ends").pattern.search(text, max(0, len(text) - 40))
    if end is not None and end.end() == len(text) and (found is None or end.start() < found.start()):
        found = end
    return found is not None and not turns_after(text[found.end():])


def turns_after(rest: str) -> bool:
    """Whether a clause of `rest` (after a ",", ";", ":" or dash) opens with a turn of
    responses.toml's [clause_contrast], or `rest` holds a semicolon (a turn of its own)."""
    if ";" in rest:
        return True
    turns = vocabulary("responses").group("clause_contrast")
    return any(turns.opens(clause, words=4) for clause in _CLAUSES.split(rest) if clause.strip())


_CLAUSES = re.compile(r"[,;:]|\s[-—–]\s")


def is_list(sentence: str) -> bool:
    """Whether `sentence` only lists things: three or more pieces between commas, none over three
    words, no auxiliary verb ("CEO, board, growth targets, a big customer.")."""
    text = normalise(sentence).strip()
    segments = [segment.split() for segment in text.split(",")]
    return len(segments) >= 3 and all(len(segment) <= 3 for segment in segments) \
        and not _AUXILIARIES & set(text.split())


def holds_link(sentence: str) -> bool:
    """Whether `sentence` holds a web address ("See [the essay](https://…)", "www.…"): it points to
    something to read rather than saying what its writer thinks."""
    return _LINK.search(normalise(sentence)) is not None


def open_quotation(sentence: str) -> bool:
    """Whether `sentence` opens a quotation it does not close, or closes one it did not open
    ('"Tell me about a bet you owned end to end.': the sentence splitter cut a quotation)."""
    text = normalise(sentence)
    return text.count('"') % 2 == 1


@lru_cache(maxsize=65536)
def claim_problem(sentence: str) -> str | None:
    """What keeps a sentence of any length from being a claim that stands alone, or None."""
    text = normalise(sentence).strip()
    words = text.split()
    if not any(ch.isalpha() for ch in text):
        return "has no words"
    responses = vocabulary("responses")
    if text.endswith(":") or responses.group("lead_in").opens(text):
        return "a lead-in, not a claim"
    if responses.group("greeting").opens(text):
        return GREETS
    if holds_link(text):
        return "holds a link"
    first = words[0].strip("\"'(*_,.;:!-")
    second = words[1].strip("\"'(*_,.;:!-") if len(words) > 1 else ""
    if first in _AUXILIARIES and "'" in first and first != "don't" and second not in _SUBJECTS | _DETERMINERS:
        return "leaves out its subject, which came before"  # "Doesn't mean you suck", "Isn't the point"
    if text.rstrip("\"')*_ ").endswith("?") or first in _QUESTION_WORDS or (first in _AUXILIARIES and (
            second in _SUBJECTS or second in _DETERMINERS and first not in ("do", "don't"))):
        return "a question"
    if responses.group("agreement").opens(text):
        return "a bare agreement with someone else's post"
    if responses.group("disagreement").opens(text):
        return "a reply to someone else's post"
    if responses.group("thanks").opens(text) or responses.group("thanks").find(text) and len(words) < 8:
        return THANKS
    if responses.group("banter").find(text):
        return BANTER
    if concedes(text):
        return "concedes the other side's point"
    if first in _POINTING or first == "both" and second in _AUXILIARIES:  # "Both can be true"
        return "points back to something said before"
    if hangs_on_context(text) or first == "as" and second in ("a", "an") and len(words) <= 5:  # "As a PM, I ..."
        return "a fragment that hangs on what came before"
    if first in _SUBORDINATORS and not (first in _CONCESSIVES and _main_clause_follows(text)):
        return "a condition, not a plain claim"  # whole ("If a company needs less of it, ...") yet leans on context
    last = words[-1].strip("\"'()*_,.;:!")
    if last in _POINTING_ENDS or _ADDING_END.search(text.rstrip("\"'()*_,.;:! ")) or points_back(text):
        return "points back to something said before"
    if last in _OPEN_ENDS:
        return "cut off mid-phrase, or leaves out what it answers"
    if _INTRODUCTION.search(text):
        return INTRODUCES
    if is_list(text):
        return "a list of things, not a claim"
    if len(words) <= 4 and not _AUXILIARIES & set(words) and (
            first in _DETERMINERS or {"or", "and", "vs", "vs.", "versus"} & set(words)):
        return "a name for something, not a claim"  # "The internal route", "Coding or control"
    if _TO_SOMEONE.match(text) and len(words) <= 5:
        return "a remark to someone in the thread"
    if _REFERENCES.search(text):
        return "refers to the thread or another post"
    if responses.group("telling_back").find(text):
        return "tells the asker's own story back to them"
    told = _without_framing(text)  # "In my experience the title follows the company" tells no story
    if (_FIRST_PERSON.search(_WITNESS.sub("", told)) or responses.group("story_openers").opens(told)
            or _AGO.search(told)) and not _judges(told):
        return "a story about the writer, judging nothing"
    return None

"""Checks on a model's answer before a person relies on it: does it cite, does it loop (in itself
or over an earlier answer), did it end, does it stay in words (not symbols, another script or
words run together) and in sentences of the grammar's length, are its figures from the posts (in
digits or in words), does it speak about the posts and the person (not of a past of its own, nor
of an earlier answer it never gave, nor of a plan the person never named), does each citation
follow a claim, and one of the post it names rather than another post's words. The phrase lists
of the last four are in `vocabulary/answer_check.toml`.

An answer that fails one is set aside: the quoted evidence takes its place, after a short note
saying what went wrong (Engine.ask), so the person never has only the bad prose.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from mentor.engine.phrases import Found, Phrases, strings, vocabulary

#: Word n-grams compared by `repeated_ngram_share`.
NGRAM = 8
#: An answer whose share of repeated 8-grams is above this loops. Real answers from
#: SmolLM2-135M under mentor's grammar stay at or below 0.1 (README); a loop repeating one
#: sentence three times is above 0.5.
LOOP_SHARE = 0.25
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def repeated_ngram_share(text: str, n: int = NGRAM) -> float:
    """The share (0–1) of the text's word n-grams (case-folded words) that occurred earlier in it;
    0 for a text shorter than n words."""
    grams = _grams(text, n)
    if not grams:
        return 0.0
    seen: set[tuple[str, ...]] = set()
    repeated = 0
    for gram in grams:
        if gram in seen:
            repeated += 1
        seen.add(gram)
    return repeated / len(grams)


#: An answer with more than this share of its visible characters in symbols (emoji, dingbats)
#: or in a script its prompt never used has drifted out of language: SmolLM2-135M sometimes ends
#: in a run like "🌱✨❤️♪️💡👏🎉🔍ｶ＋・スー" (seen 2026-11-29); its usable answers hold none.
DRIFT_SHARE = 0.03


def _grams(text: str, n: int) -> list[tuple[str, ...]]:
    """The text's word n-grams (case-folded words), in order."""
    words = [w.casefold() for w in _WORD.findall(text)]
    return [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]


def earlier_share(text: str, earlier: Sequence[str], n: int = NGRAM) -> float:
    """The share (0–1) of the text's word n-grams that occur in any of the `earlier` texts."""
    grams = _grams(text, n)
    if not grams:
        return 0.0
    seen = {gram for e in earlier for gram in _grams(e, n)}
    return sum(gram in seen for gram in grams) / len(grams)


#: An answer in which more than this share of the sentences (of `NGRAM` words or more) each hold
#: a run of `NGRAM` words of an earlier answer says what it said before, reworded around the
#: runs: a trial user's third answer kept such a run in 3 of its 5 sentences ("20% more than my
#: peers who are in your class at the same time …") while only 0.21 of its 8-grams were earlier
#: ones, under `LOOP_SHARE` (2026-11-29). Of SmolLM2's 28 answers in seven conversations of four
#: turns that day, none that passed the other checks was above 2 sentences of 5; a follow-up that
#: quotes a post again repeats a run in one or two.
SENTENCE_SHARE = 0.5
_SENTENCE = re.compile(r"[^.?!。！？\n]+")


def earlier_sentence_share(text: str, earlier: Sequence[str], n: int = NGRAM) -> float:
    """The share (0–1) of the text's sentences of `n` words or more that hold a word n-gram of
    one of the `earlier` texts; 0 for a text with no such sentence."""
    seen = {gram for e in earlier for gram in _grams(e, n)}
    sentences = [grams for sentence in _SENTENCE.findall(text) if (grams := _grams(sentence, n))]
    if not sentences:
        return 0.0
    return sum(any(gram in seen for gram in grams) for grams in sentences) / len(sentences)


#: Words in a row of mentor's instructions that an answer may not repeat: trial users were told
#: "This follow-up asks what you would recommend for them. Answer it directly from the post…"
#: (nine words and more of a note) and "The person has told you about themselves" (seven),
#: 2026-11-29; none of SmolLM2's 28 answers in seven conversations of four turns that day shares
#: even six words in a row with mentor's instructions.
INSTRUCTION_RUN = 6


def instruction_echo(text: str, instructions: Sequence[str], n: int = INSTRUCTION_RUN) -> str | None:
    """The first run of `n` words (case-folded) of `text` that one of `instructions` holds, or
    None."""
    said = {gram for instruction in instructions for gram in _grams(instruction, n)}
    return next((" ".join(gram) for gram in _grams(text, n) if gram in said), None)


def _script(ch: str) -> str:
    """A character's script, as the first word of its Unicode name ("LATIN", "CJK", "KATAKANA")."""
    return unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]


#: This many symbols in a row (spaces aside) are a drift whatever their share of a long answer:
#: "😉❤️✨♪️🌱💬👩ﾎ📐🔍🖡🗳🚀?" closed an otherwise worded SmolLM2 answer (2026-11-29).
SYMBOL_RUN = 5


def _odd(ch: str, known: set[str]) -> bool:
    return unicodedata.category(ch) in ("So", "Sk", "Co", "Cn") or ch.isalpha() and _script(ch) not in known


def longest_symbol_run(text: str, prompt: str) -> int:
    """The most symbols (or letters of a script `prompt` does not use) in a row, spaces and
    joiners (variation selectors, zero-width joiners) not counted."""
    known = {_script(ch) for ch in prompt if ch.isalpha()}
    run = best = 0
    for ch in text:
        if ch.isspace() or unicodedata.category(ch) in ("Mn", "Cf"):
            continue
        run = run + 1 if _odd(ch, known) else 0
        best = max(best, run)
    return best


def drift_share(text: str, prompt: str) -> float:
    """The share (0–1) of the text's visible characters that are symbols (Unicode category S
    other than currency and maths: emoji, dingbats, modifiers), private or unassigned, or letters
    of a script that `prompt` does not use."""
    known = {_script(ch) for ch in prompt if ch.isalpha()}
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return 0.0
    return sum(1 for ch in visible if _odd(ch, known)) / len(visible)


#: The signs that make a figure money ("$160k", "€ 40").
CURRENCY = "$£€¥₹"
#: A figure in prose: a number ("6 months", "2018", "1,200"), a percentage ("20%", "45 percent",
#: "3 per cent") or money (a currency sign before it, a scale "k", "m" or "bn" after: "$160k"); or a
#: number written as one sign ("⅛", "²", "①"). A number joined to letters ("B2B", "top20", "160k"
#: without a sign) is none; "top-20" is the number 20.
_FIGURE = re.compile(rf"(?:(?P<sign>[{re.escape(CURRENCY)}])\s?)?(?<![\w\[])(?P<number>\d+(?:[.,]\d+)*)"
                     r"(?(sign)(?P<scale>[kKmM]|bn|BN)?)(?![\w\]])(?P<percent>\s?(?:%|(?i:per\s?cent)\b))?"
                     r"|(?<!\w)[\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u209f\u2150-\u218b\u2460-\u24ff\u2776-\u2793]")
_CITATION = re.compile(r"\[\d+\]")
_LIST_MARK = re.compile(r"^\s*\d+[.)]\s", re.MULTILINE)


#: A letter of a script that puts a space after a comma: Chinese, Japanese and Thai do not, so
#: "我想……但是" is prose there.
_SPACED = r"[^\W\d_\u0e00-\u0e7f\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]"
#: What stands between two letters with no space, when it is no letter or digit ("'" of "you've",
#: "," of "take,If", "\u200f" of "but\u200fsomething").
_BETWEEN = re.compile(rf"(?<={_SPACED})[^\w\s]+(?={_SPACED})")
#: A mark that prose always follows with a space: a comma, semicolon, colon, closing bracket,
#: ellipsis, "!", "?" or a double quote; or two dots. In-word joiners ("well-known", "you've",
#: "CI/CD", "P&L") and single dots ("U.S.", "e.g.") are not ones.
_SPACE_AFTER = re.compile(r"[,;:)…!?\"“”]|\.\.")
#: A hyphen between two contractions or possessives ("you've-got's"): an English compound holds
#: one at most ("can't-miss", "mother-in-law's").
_CONTRACTIONS = re.compile(r"[^\W\d_]['’][^\W\d_]+(?:-[^\W\d_]+)*-[^\W\d_]+['’][^\W\d_]")
#: SmolLM2-135M's answers sometimes end in words run together ("(and),sofinallyend?",
#: "and,etc…But,if,you're" 2026-11-29; "take,…If,you'rentleaving?", "you've-got's…." 2026-11-30);
#: prose puts a space there. This many in one answer are no typo.
RUN_TOGETHER = 2


def run_together(text: str) -> int:
    """How many times `text` joins two words with no space by a mark prose puts a space after
    (`_SPACE_AFTER`), or by a hyphen between two contractions."""
    return sum(1 for m in _BETWEEN.finditer(text) if _SPACE_AFTER.search(m.group())) \
        + len(_CONTRACTIONS.findall(text))


#: What English writes after an apostrophe inside a word: a contraction's end ("'s", "n't",
#: "'re", "'ve", "'m", "'ll", "'d"). Any other letters there ran on from the next word:
#: "I'mnthefirsttodo?", "You'vent", "you'rentleaving?" (SmolLM2, 2026-11-30).
CLITICS = ("s", "t", "re", "ve", "m", "ll", "d")
_APOSTROPHE_WORD = re.compile(r"(?<![\w'’])(?P<head>[^\W\d_]+)['’](?P<tail>[^\W\d_]+)(?:['’][^\W\d_]+)*")


@cache
def _apostrophe_words() -> frozenset[str]:
    return frozenset(w.casefold() for w in strings(vocabulary("answer_check").get("words", {}), "apostrophe",
                                                   f"{_FILE} [words]"))


def broken_contractions(text: str, prompt: str) -> list[str]:
    """The words of `text` in which an apostrophe is followed by lowercase letters no English
    contraction ends in (`CLITICS`): "I'mnthefirsttodo", "You'vent". A name ("O'Brien") or an
    elision the prompt writes with the same letters before the apostrophe ("l'équipe"), a word
    the prompt holds and the few English words with another apostrophe ("o'clock": `[words]
    apostrophe`) are prose."""
    heads = {m.group("head").casefold() for m in _APOSTROPHE_WORD.finditer(prompt)
             if m.group("tail").casefold() not in CLITICS}
    written = {m.group().casefold().replace("’", "'") for m in _APOSTROPHE_WORD.finditer(prompt)}
    return list(dict.fromkeys(
        m.group() for m in _APOSTROPHE_WORD.finditer(text)
        if m.group("tail").islower() and m.group("tail") not in CLITICS and m.group("head").casefold() not in heads
        and (word := m.group().casefold().replace("’", "'")) not in written and word not in _apostrophe_words()))


def longest_sentence(text: str) -> tuple[int, int]:
    """The most words in one sentence of `text` (citations aside), counted as they are read (apart
    at any space and at a mark prose puts a space after, `_SPACE_AFTER`: "having…I'm" is two) and
    as the answer grammar counts them (apart at a plain space): for the sentence with the most
    read words, (read, spaced). The grammar keeps a
    sentence to `grammar.SENTENCE_WORDS` spaced words; a model that reaches the limit may glue on
    the rest: SmolLM2 closed a 30-word sentence with "…just having…I'mnthefirsttodo?", and wrote
    "or,\u202f“You'vent…." with a no-break space the grammar takes as a letter (2026-11-30)."""
    best = (0, 0)
    for sentence in _SENTENCE.findall(_CITATION.sub(" ", text)):
        read = sum(1 + sum(1 for m in _BETWEEN.finditer(chunk) if _SPACE_AFTER.search(m.group()))
                   for chunk in sentence.split() if any(ch.isalnum() for ch in chunk))
        best = max(best, (read, sum(1 for chunk in sentence.split(" ") if any(ch.isalnum() for ch in chunk))))
    return best


def hidden_joins(text: str, prompt: str) -> list[str]:
    """The invisible format characters (Unicode category Cf: right-to-left marks, zero-width
    spaces, soft hyphens) that join two letters of `text` and that `prompt` never uses, by name.
    SmolLM2 wrote "but\u200fsomething" (2026-11-30); a Persian conversation's zero-width
    non-joiner is in its prompt, and an emoji's joiner stands between symbols, not letters.

    The grammar cannot keep them out: llama.cpp refuses a token holding the first bytes of a
    character whenever one character they could begin is excluded, and SmolLM2 writes U+200F as
    such a token followed by its last byte, as it writes "„", "‹" and "‰" (2026-11-30)."""
    return list(dict.fromkeys(unicodedata.name(ch, f"U+{ord(ch):04X}") for m in _BETWEEN.finditer(text)
                              for ch in m.group() if unicodedata.category(ch) == "Cf" and ch not in prompt))


@dataclass(frozen=True)
class Figure:
    """A figure as `text` writes it ("$1,200", "20 percent"), its number as written ("1,200",
    "20") and its unit: "%" for a percentage, the currency sign and scale for money ("$", "$k"),
    "" for a bare number."""

    written: str
    number: str
    unit: str

    @property
    def key(self) -> str:
        """The number without grouping commas: what two figures are compared by."""
        return self.number.replace(",", "")

    @property
    def forms(self) -> tuple[str, ...]:
        """How an answer may write it: its number, and with a unit the figure as one word
        ("20%", "$160k")."""
        if self.unit == "%":
            return self.number, f"{self.number}%"
        if self.unit:
            return self.number, f"{self.unit[0]}{self.number}{self.unit[1:]}"
        return (self.number,)


def figures(text: str) -> list[Figure]:
    """The figures of `text`, outside citations and list numbering."""
    found = []
    for m in _FIGURE.finditer(_LIST_MARK.sub(" ", _CITATION.sub(" ", text))):
        number = m.group("number") or m.group()
        unit = "%" if m.group("percent") else (m.group("sign") or "") + (m.group("scale") or "").lower()
        found.append(Figure(m.group(), number, unit))
    return found


#: A word in which a digit touches a letter ("B2B", "401k", "1B" of "H-1B", "B2023"): no figure,
#: and no figure may be glued into one (`glued_numbers`).
_GLUED = re.compile(r"(?<!\w)(?=\w*?(?:[^\W\d_]\d|\d[^\W\d_]))\w+")
#: A word of the prompt that holds a digit, as a whole, hyphenated or not ("B2B", "401k", "top-20",
#: "H-1B", "20-year-old", "24/7"): an answer may write it only so (`writable_figures`). Its
#: characters are word characters and in-word joiners only, which a GBNF string takes as they are.
_NUMBER_WORD = re.compile(rf"(?<![\w{re.escape(CURRENCY)}])[^\W_]+(?:[-/'’][^\W_]+)*")


def glued_numbers(text: str) -> list[str]:
    """The words of `text` (outside citations, list numbering and its figures) in which a digit
    touches a letter ("B2023", "401k"), split at hyphens and slashes ("H-1B" gives "1B")."""
    rest = _FIGURE.sub(" ", _LIST_MARK.sub(" ", _CITATION.sub(" ", text)))
    return [m.group() for m in _GLUED.finditer(rest)]


def writable_figures(prompt: str) -> list[str]:
    """The figures an answer to `prompt` may write (the answer grammar's, `AnswerShape.figures`),
    each as one word: each of its numbers, a percentage or an amount of money only as it gives
    one, and its words that hold a digit ("B2B", "top-20") as they are written there."""
    forms = [form for figure in figures(prompt) for form in figure.forms]
    words = [m.group() for m in _NUMBER_WORD.finditer(_CITATION.sub(" ", prompt))
             if any(ch.isdigit() for ch in m.group()) and not _FIGURE.fullmatch(m.group())]
    return list(dict.fromkeys(forms + words))


def invented_figures(text: str, prompt: str) -> list[str]:
    """The figures of `text` that `prompt` (the posts, the question and the conversation the
    model read) never gives: "20% of all employees" when no post gives 20 is made up, however it
    is cited. A bare number counts as given when the prompt has the number in any form; a
    percentage or money only when the prompt gives that number as a percentage (or the same
    money) too: "20% more than my peers" is made up beside a "top-20 school" and "20 years"
    (a trial user's answer, 2026-11-29). A number glued to letters counts as given only when the
    prompt has that word (in any case): SmolLM2 wrote "moving away from B2023 market trends"
    (2026-11-30), where "2023" was no figure to the check."""
    given = figures(prompt)
    words = {word.casefold() for word in glued_numbers(prompt)}
    made_up = [figure.written for figure in figures(text) if not any(_gives(g, figure) for g in given)]
    return list(dict.fromkeys(made_up + [word for word in glued_numbers(text) if word.casefold() not in words]))


#: Numbers written in words: units and teens, tens, and scales that multiply what is before them.
_UNITS = {word: n for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_TENS = {word: 10 * n for n, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
#: A word of a number in words, or "a" before a scale ("a hundred"), or "and" after one ("a
#: hundred and twenty"); "percent" after the number makes it a percentage.
_NUMBER_WORD_RE = re.compile(rf"(?<![\w'’])(?:{'|'.join([*_UNITS, *_TENS, *_SCALES])}|a|and)(?![\w'’])"
                             r"(?:-(?=\w))?", re.IGNORECASE)
_PERCENT_AFTER = re.compile(r"\s?(?:%|(?i:per\s?cent)\b)")
#: A number in words up to this is no figure on its own: "one view", "two sides", "three
#: months" are how prose counts, and SmolLM2 writes them beside posts that give no such number.
#: Larger ones, and any with a scale ("four hundred"), are figures.
SPELLED_FREE = 10


def _continues(kind: str | None, word: str, following: str | None) -> bool:
    """Whether `word` goes on a number in words whose last word was of `kind` ("unit", "ten",
    "hundred", "scale" for a larger one, "a", "and", None for no number yet); `following` is the
    word right after it."""
    if word == "a":
        return kind is None and following in _SCALES
    if word == "and":
        return kind in ("hundred", "scale") and following is not None and following not in _SCALES \
            and following != "a"
    if word in _SCALES:
        return kind in ("unit", "ten", "a") or (kind == "hundred" and word != "hundred")
    if word in _TENS:
        return kind in (None, "hundred", "scale", "and")
    return kind in (None, "hundred", "scale", "and") or (kind == "ten" and _UNITS[word] < 10)


def spelled_figures(text: str) -> list[tuple[str, int, str]]:
    """The numbers of `text` written in words, each as (how it is written, its value, "%" for a
    percentage or ""), outside citations: "four hundred" 400, "forty-five" 45, "a hundred and
    twenty" 120, "two thousand five hundred" 2500; "hundreds of" is none."""
    text = _CITATION.sub(" ", text)
    words = list(_NUMBER_WORD_RE.finditer(text))
    found: list[tuple[str, int, str]] = []
    run: list[re.Match[str]] = []

    def close() -> None:
        while run and run[-1].group().rstrip("-").casefold() in ("a", "and"):
            run.pop()
        if run:
            value = total = 0
            for m in run:
                word = m.group().rstrip("-").casefold()
                if word == "a":
                    value = 1
                elif word in _UNITS or word in _TENS:
                    value += _UNITS.get(word, _TENS.get(word, 0))
                elif word == "hundred":
                    value *= 100
                elif word in _SCALES:
                    total, value = total + value * _SCALES[word], 0
            end = run[-1].end()
            percent = _PERCENT_AFTER.match(text, end)
            found.append((text[run[0].start():percent.end() if percent else end].rstrip("-"),
                          total + value, "%" if percent else ""))
        run.clear()

    kind: str | None = None
    for i, m in enumerate(words):
        word = m.group().rstrip("-").casefold()
        nxt = words[i + 1] if i + 1 < len(words) else None
        following = nxt.group().rstrip("-").casefold() if nxt and text[m.end():nxt.start()].strip() == "" else None
        adjacent = bool(run) and text[run[-1].end():m.start()].strip() == ""
        if not (adjacent and _continues(kind, word, following)):
            close()
            kind = None
            if not _continues(None, word, following):
                continue
        run.append(m)
        kind = "unit" if word in _UNITS else "ten" if word in _TENS else word if word in ("a", "and", "hundred") \
            else "scale"
    close()
    return found


def invented_spelled_figures(text: str, prompt: str) -> list[str]:
    """The numbers `text` writes in words that `prompt` never gives, in digits or in words: "a
    list of four hundred employees" beside a post's "a list of 40 people" (SmolLM2, 2026-11-30).
    The grammar keeps digits to the prompt's figures but cannot keep a number out of words.
    Numbers up to `SPELLED_FREE` count only as a percentage; a percentage counts as given only
    as one, as `invented_figures` has it."""
    given = {(float(f.key), f.unit == "%") for f in figures(prompt) if re.fullmatch(r"\d+(?:\.\d+)?", f.key)}
    given |= {(float(value), unit == "%") for _, value, unit in spelled_figures(prompt)}
    numbers = {value for value, _ in given}
    made_up = [written for written, value, unit in spelled_figures(text)
               if (value > SPELLED_FREE or unit) and ((value, True) not in given if unit else value not in numbers)]
    return list(dict.fromkeys(made_up))


#: Where the phrase lists of `own_past`, `earlier_answer_named`, `dangling_citations` (and the
#: attributions it lets pass) and `broken_contractions` are.
_FILE = "mentor/engine/vocabulary/answer_check.toml"
#: Words, from a phrase's first on, that the prompt must hold too for the phrase to be a quotation
#: of a post or of the person ("I learned SQL in a month"), not the model's own voice.
QUOTE_WORDS = 5


@cache
def _phrases(table: str, key: str) -> Phrases:
    """The phrase list `key` of `[table]` in vocabulary/answer_check.toml."""
    return Phrases(strings(vocabulary("answer_check").get(table, {}), key, f"{_FILE} [{table}]"))


def _not_quoted(found: list[Found], text: str, prompt: str) -> list[str]:
    """The phrases `found` in `text` that `prompt` does not hold with the words after them in
    their sentence (up to `QUOTE_WORDS`), as `text` writes them."""
    prompt = prompt.replace("’", "'")
    own = []
    for phrase in found:
        words = _WORD.findall(_SENTENCE.match(text.replace("’", "'"), phrase.start).group())[:QUOTE_WORDS]
        if tuple(word.casefold() for word in words) not in set(_grams(prompt, len(words))):
            own.append(text[phrase.start:phrase.end])
    return list(dict.fromkeys(own))


def own_past(text: str, prompt: str) -> list[str]:
    """The phrases of `text` in which the model tells of a past of its own ("made me realize",
    "in my experience": `[voice] own_past`), outside quotations of `prompt`."""
    return _not_quoted(_phrases("voice", "own_past").find(text), text, prompt)


def narration(text: str, prompt: str) -> list[str]:
    """The phrases of `text` in which the model narrates its task instead of answering the person:
    speaks of them in the third person, of itself as a mentor, or of what it was given ("The
    person's message is about", "As a mentor, I will", "the sources provided": `[voice]
    narration`), outside quotations of `prompt`."""
    return _not_quoted(_phrases("voice", "narration").find(text), text, prompt)


def earlier_answer_named(text: str, prompt: str, earlier: Sequence[str]) -> list[str]:
    """The phrases of `text` that speak of an earlier answer of the model's ("my previous
    response": `[voice] earlier_answer`), outside quotations of `prompt`, when there is none
    (`earlier` is empty)."""
    return [] if earlier else _not_quoted(_phrases("voice", "earlier_answer").find(text), text, prompt)


#: One citation or more at a sentence's end ("[3].", "[1][2]?", the text's end), and what stands
#: before them in the sentence.
_CITED_END = re.compile(r"(?P<before>[^.?!\n\[\]]*?)(?P<cites>(?:\s*\[\d+\])+)\s*(?=[.?!]|$)")
#: A mark a sentence's point cannot end on: the citation after it stands where the rest should
#: be ("they've, [2].", "so let's, [5].", "; [3].", "– [3].", "…I [1]." SmolLM2, 2026-11-30).
_OPEN_END = re.compile(r"(?:[,;:(\u2013\u2014\-…“‘]|(?:^|\s)[\"'])\s*$")
#: Closing quotes and brackets, which a claim may end with before its citation.
_CLOSERS = "”’\")]"
#: A word ending in a contraction of "is", "are", "am", "have", "will" or "would" ("today's",
#: "let's", "they'll"), or in a possessive ("the team's"): no claim ends with one.
_CONTRACTED = re.compile(r"['’](?:s|re|ve|m|ll|d)$", re.IGNORECASE)
_LAST_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*$")


def _examples(found: list[str]) -> str:
    """Up to three of what a check `found`, each in quotation marks, so that words with commas in
    them read as one example: “marketing, [1]”, “which, [4]”."""
    return ", ".join(f"“{item}”" for item in found[:3])


def dangling_citations(text: str) -> list[str]:
    """The citations of `text` that close a sentence right after a word no claim ends with
    ("about [3].": `[citation] dangling`, or a contraction, "today's [1]."), or after a mark
    that leaves the sentence open ("they've, [2].": `_OPEN_END`), each with that word or mark.
    A phrase saying where a claim comes from ("according to [2]", "as argued in [1]":
    `[citation] attribution`) is no such word."""
    found = []
    for m in _CITED_END.finditer(text):
        before = m.group("before").rstrip()
        cites = m.group("cites").strip()
        if _OPEN_END.search(before):
            found.append(f"{before.split()[-1] if before.split() else ''} {cites}".strip())
            continue
        bare = before.rstrip(_CLOSERS + " ")
        word = _LAST_WORD.search(bare)
        if word is None:
            continue
        words = bare.replace("’", "'").casefold().split()
        said = next((" ".join(bare.split()[-k:]) for k in (3, 2, 1) if " ".join(words[-k:]) in _dangling_words()),
                    word.group() if _CONTRACTED.search(word.group()) else None)
        if said is None or any(f.end == len(bare) for f in _phrases("citation", "attribution").find(bare)):
            continue
        found.append(f"{said} {cites}")
    return found


@cache
def _dangling_words() -> frozenset[str]:
    return frozenset(_phrases("citation", "dangling").phrases)


#: Words in a row of a post that make a sentence a quotation of it.
QUOTE_RUN = 6
#: A post as the prompt gives it: "[3] text…" on a line of its own.
_PROMPT_POST = re.compile(r"^\[(\d+)\] (.*)$", re.MULTILINE)
#: The words a citation follows (from the sentence's start or the last citation), and the
#: citations.
_CITED_PART = re.compile(r"(?P<words>[^.?!\n\[\]]*)(?P<cites>(?:\s*\[\d+\])+)")


def misattributed_citations(text: str, prompt: str, n: int = QUOTE_RUN) -> list[str]:
    """The citations of `text` that follow `n` words in a row of another post the prompt gives
    and none of the posts they name, each as "[cited] (quotes [other])": SmolLM2 wrote "30-minute
    session with our staff engineer and I was tasked [4]." with post 1's words (2026-11-30)."""
    posts: dict[int, set[tuple[str, ...]]] = {}
    for m in _PROMPT_POST.finditer(prompt):
        posts.setdefault(int(m.group(1)), set()).update(_grams(m.group(2), n))
    found = []
    for m in _CITED_PART.finditer(text):
        grams = set(_grams(m.group("words"), n))
        cited = [int(c) for c in re.findall(r"\d+", m.group("cites"))]
        if not grams or any(grams & posts.get(c, set()) for c in cited):
            continue
        others = [k for k, quoted in posts.items() if k not in cited and grams & quoted]
        if others:
            found.append(f"{m.group('cites').strip()} (quotes {', '.join(f'[{k}]' for k in others)})")
    return found


def misattributed_figures(text: str, prompt: str) -> list[str]:
    """The figures of `text` cited to posts that do not give them while another post the prompt
    gives does (and the person's own words do not), each as "40% [2] (post [1]'s)": SmolLM2 wrote
    "40% of PM work is already being automated by AI today [2]", the 40% of post 1, under a post
    arguing not to retrain because of hype (a trial, 2026-12-01). A figure no post gives is
    `invented_figures`'."""
    posts: dict[int, list[Figure]] = {}
    for m in _PROMPT_POST.finditer(prompt):
        posts.setdefault(int(m.group(1)), []).extend(figures(m.group(2)))
    person = [figure for line in _PERSON_LINE.findall(prompt) for figure in figures(line)]
    found = []
    for m in _CITED_PART.finditer(text):
        cited = [int(c) for c in re.findall(r"\d+", m.group("cites"))]
        for figure in figures(m.group("words")):
            if any(_gives(given, figure) for c in cited for given in posts.get(c, [])) \
                    or any(_gives(given, figure) for given in person):
                continue
            others = [k for k, given in posts.items() if k not in cited and any(_gives(g, figure) for g in given)]
            if others:
                found.append(f"{figure.written} {m.group('cites').strip()} (post {', '.join(f'[{k}]' for k in others)}'s)")
    return found


def _gives(given: Figure, figure: Figure) -> bool:
    """Whether a figure the posts give (`given`) gives `figure`: the same number, and the same
    unit when `figure` has one (a bare "20" is given by "20 years" or "20%"; "20%" only by a
    percentage)."""
    return given.key == figure.key and (not figure.unit or given.unit == figure.unit)


#: The person's own words in a prompt: their questions, and what mentor gathered about them.
_PERSON_LINE = re.compile(r"^(?:Question|What the person has told you about themselves): (.*)$", re.MULTILINE)
#: Words a destination may open with before the word that names it ("a teacher", "the UX side").
_BEFORE_DESTINATION = frozenset("a an the some another my your their our its".split())


def _same_word(a: str, b: str) -> bool:
    """Whether two casefolded words are one word in two forms ("teaching", "teacher", "teach"):
    one starts with the other, or both with the same five letters."""
    return a.startswith(b[:max(4, min(len(b), 5))]) or b.startswith(a[:max(4, min(len(a), 5))]) \
        if min(len(a), len(b)) >= 4 else a == b


def misstated_plans(text: str, prompt: str) -> list[str]:
    """The destinations `text` gives the person's plan ("you want to leave product management
    for research": `[person]` plan, leave and to) in a sentence that cites no post, when the
    person's words (`Question: …` lines and what they told mentor) never name it and the posts
    do: a trial user who said teaching was told of their plan to leave "for research", a post's
    move (2026-11-30)."""
    person = [w.casefold() for line in _PERSON_LINE.findall(prompt) for w in _WORD.findall(line)]
    if not person:
        return []
    posts = {w.casefold() for m in _PROMPT_POST.finditer(prompt) for w in _WORD.findall(m.group(2))}
    leave, to = _phrases("person", "leave"), _phrases("person", "to")
    found = []
    for sentence in _SENTENCE.findall(text):
        if _CITATION.search(sentence) or not _phrases("person", "plan").find(sentence):
            continue
        left = leave.find(sentence)
        cues = [f.end for f in to.find(sentence)] + [m.end() for m in re.finditer(r"\bfor\b", sentence, re.IGNORECASE)
                                                     if left and left[0].end <= m.start()]
        for end in cues:
            words = [w.casefold() for w in _WORD.findall(sentence[end:])]
            named = next((w for w in words if w not in _BEFORE_DESTINATION), None)
            if named and not any(_same_word(named, own) for own in person) \
                    and any(_same_word(named, said) for said in posts):
                found.append(named)
    return list(dict.fromkeys(found))


#: Where the note after a failed answer's words started in an answer saved before they were set
#: aside (its text was the model's words, this note and the quoted posts; history reads it).
NOTE_START = "\n\n_Note: "


def fallback_note(problem: str) -> str:
    """The note that opens the answer in place of a failed one, before the quoted posts: what
    went wrong (`problem`, from `answer_problem`), in Markdown, ending in a blank line."""
    return f"_Note: {problem}, so it was set aside; here is what the posts say._\n\n"


def answer_problem(text: str, cited: list[int], finish: str | None, could_cite: bool,
                   prompt: str = "", earlier: Sequence[str] = (), instructions: Sequence[str] = ()) -> str | None:
    """What is wrong with a model's finished answer, as a short note for the person, or None.

    `finish` is the model's `last_finish`; `could_cite` says the prompt gave posts to cite;
    `prompt` is the text the model read for this turn (its scripts are the ones expected);
    `earlier` are the model's earlier answers in the conversation; `instructions` are mentor's own
    words to the model (`prompt.instructions`), not the posts it quotes.
    """
    if finish == "length":
        return "the model's answer reached its length limit and was cut off"
    if could_cite and not cited:
        return "the model's answer cites none of the posts"
    if repeated_ngram_share(text) > LOOP_SHARE:
        return "the model's answer repeats itself"
    if earlier_share(text, earlier) > LOOP_SHARE or earlier_sentence_share(text, earlier) > SENTENCE_SHARE:
        return "the model's answer repeats what it said before"
    if instruction_echo(text, instructions):
        return "the model's answer repeats mentor's instructions"
    if prompt and (drift_share(text, prompt) > DRIFT_SHARE or longest_symbol_run(text, prompt) >= SYMBOL_RUN):
        return "the model's answer drifts into symbols or another script"
    from mentor.llm.grammar import SENTENCE_WORDS  # the grammar reads this module's CURRENCY

    read, spaced = longest_sentence(text)
    if run_together(text) >= RUN_TOGETHER or hidden_joins(text, prompt) or broken_contractions(text, prompt) \
            or spaced <= SENTENCE_WORDS[1] < read:
        return "the model's answer runs words together"
    if spaced > SENTENCE_WORDS[1]:
        return f"the model's answer writes a sentence of {spaced} words, more than {SENTENCE_WORDS[1]}"
    invented = invented_figures(text, prompt) + invented_spelled_figures(text, prompt) if prompt else []
    if invented:
        return f"the model's answer gives figures no post gives ({_examples(invented)})"
    told = own_past(text, prompt)
    if told:
        return f"the model's answer tells of a past of its own that no post tells ({_examples(told)})"
    narrated = narration(text, prompt)
    if narrated:
        return f"the model's answer speaks of its task, not to you ({_examples(narrated)})"
    named = earlier_answer_named(text, prompt, earlier)
    if named:
        return f"the model's answer speaks of an earlier answer it never gave ({_examples(named)})"
    dangling = dangling_citations(text)
    if dangling:
        return f"the model's answer cites a post in place of saying what it says ({_examples(dangling)})"
    misattributed = misattributed_citations(text, prompt)
    if misattributed:
        return f"the model's answer cites a post for another post's words ({_examples(misattributed)})"
    moved = misattributed_figures(text, prompt)
    if moved:
        return f"the model's answer cites a post for another post's figure ({_examples(moved)})"
    misstated = misstated_plans(text, prompt)
    if misstated:
        return f"the model's answer gives you a plan you never named ({_examples(misstated)})"
    return None

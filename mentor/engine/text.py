"""Words and sentences: the one tokenizer every part of the engine shares.

`terms` reads text in any script, web addresses left out: it folds case and compatibility
forms (NFKC: full-width "ＰＭ" is "pm"), finds words by Unicode's letter and digit classes (the
`regex` library), drops English stop words and stems with the Snowball stemmer of the word's script (English for Latin,
Russian for Cyrillic, Greek, Arabic, Hindi for Devanagari…; PyStemmer), so "worried" and
"worry", "растёт" and "расти" meet. Chinese, Japanese, Korean and the scripts of South-East
Asia write no spaces between words, so their runs become overlapping character bigrams
("キャリア" -> キャ, ャリ, リア), the standard way to search them without a dictionary (Lucene's
CJK analyzer does the same); a lone character stays a term. English text gets the same terms
as before this was added. BM25, the LSA embedder and the perspective split all use it, so a
word means the same thing everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import regex
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

#: Bumped whenever `terms` changes what it returns: stored indexes of terms are then rebuilt.
#: 2: words in every script, CJK and South-East Asian bigrams. 3: no terms from web addresses.
TOKENIZER_VERSION = 3
#: A web address: its pieces ("utm", "source", "blog", "org") are no words of the post's.
_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s)\]>]+", re.IGNORECASE)
_WORD = regex.compile(r"[^\W_]+(?:'[^\W\d_]+)?")
_ASCII_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
#: Scripts written without spaces between words: their runs are read as character bigrams
#: here, and set apart from the words around them where phrases are matched (`concepts`).
UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
                          r"\u3005\u30fc\uff70]+")
#: The Snowball stemmer for a word by the script of its first letter (Latin: English).
_STEMMERS = {"CYRILLIC": Stemmer.Stemmer("russian"), "GREEK": Stemmer.Stemmer("greek"),
             "ARABIC": Stemmer.Stemmer("arabic"), "DEVANAGARI": Stemmer.Stemmer("hindi"),
             "ARMENIAN": Stemmer.Stemmer("armenian"), "TAMIL": Stemmer.Stemmer("tamil")}
_STEMMER = Stemmer.Stemmer("english")
#: Stop words, plus forum filler that carries no position ("lol", "imo").
STOP_WORDS = frozenset(set(STOPWORDS_EN) | {"lol", "imo", "im", "ive", "dont", "it's", "i'm", "i've",
                                              "don't", "can't", "didn't", "isn't", "that's", "you're",
                                              "i'd", "i'll", "doesn't", "won't", "just", "really"})


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of one casefolded word, in its script's language where PyStemmer has one
    (the word itself otherwise)."""
    if word.isascii():
        return _STEMMER.stemWord(word)
    script = unicodedata.name(word[0], "").split(" ", 1)[0]
    stemmer = _STEMMERS.get(script) or (_STEMMER if script == "LATIN" else None)
    return stemmer.stemWord(word) if stemmer else word


def terms(text: str) -> list[str]:
    """Stemmed content words of `text`, in order."""
    return list(_terms(text))


@lru_cache(maxsize=100_000)
def _terms(text: str) -> tuple[str, ...]:
    """`terms`, remembered: the split, the labels and the indexes read the same posts again."""
    if "://" in text or "www." in text.lower():
        text = _WEB_ADDRESS.sub(" ", text)
    if text.isascii():  # the common case, the fast way: the same terms as below
        return tuple(stem(word.replace("'", "")) for word in _ASCII_WORD.findall(text.lower())
                     if word not in STOP_WORDS and len(word) > 1)
    text = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    for word in _WORD.findall(text.casefold()):
        if word.isascii():
            if word not in STOP_WORDS and len(word) > 1:
                out.append(stem(word.replace("'", "")))
            continue
        start = 0
        for run in UNSPACED.finditer(word):
            out += _spaced_terms(word[start:run.start()])
            piece = run.group()
            out += [piece] if len(piece) == 1 else [piece[i:i + 2] for i in range(len(piece) - 1)]
            start = run.end()
        out += _spaced_terms(word[start:])
    return tuple(out)


def _spaced_terms(word: str) -> list[str]:
    """The term of a word of a script with spaces (none for a stop word or a lone letter); Latin
    letters lose their accents ("résumé" is "resume")."""
    if word and unicodedata.name(word[0], "").startswith("LATIN"):
        word = unicodedata.normalize("NFC", "".join(char for char in unicodedata.normalize("NFD", word)
                                                    if not unicodedata.combining(char)))
    if word in STOP_WORDS or len(word) < 2:
        return []
    return [stem(word.replace("'", ""))]


#: Abbreviations whose full stop ends no sentence though a capital follows ("(i.e. Xamarin)", "e.g.
#: Google", "Google vs. Meta", "Dr. Smith"); "etc." is left out, as it often does end one.
_ABBREVIATIONS = ("i.e", "e.g", "vs", "cf", "a.k.a", "approx", "incl", "mr", "mrs", "ms", "dr", "prof")
#: A sentence ends at . ! ? … before white space and a capital (in any alphabet), but not at the
#: full stop of one of `_ABBREVIATIONS`, or at the full-width 。！？ of Chinese and Japanese,
#: which no space follows.
_SENTENCE_END = regex.compile(
    r"(?<=[.!?…])(?<!(?i:\b(?:" + "|".join(regex.escape(a) for a in _ABBREVIATIONS) + r")\.))"
    r"[\"”’)]*\s+(?=[\"“‘(]?[\p{Lu}\p{Lt}0-9@])|(?<=[。！？])[」』）\"”’)]*\s*(?=\S)")
_QUOTE_PREFIX = re.compile(r"^\s*(?:>\s*)+")


def sentences(text: str) -> list[str]:
    """The sentences of a post: split at sentence ends and at line breaks; quoted lines left out."""
    return list(_sentences(text))


@lru_cache(maxsize=20_000)
def _sentences(text: str) -> tuple[str, ...]:
    """`sentences`, remembered: the stance reader, the split and the labels each read a post's."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        if _QUOTE_PREFIX.match(paragraph) or not paragraph.strip():
            continue
        for sentence in _SENTENCE_END.split(paragraph.strip()):
            sentence = sentence.strip()
            if sentence:
                out.append(sentence)
    return tuple(out)


_LETTER = regex.compile(r"\p{L}")
_LATIN_LETTER = regex.compile(r"\p{Latin}")


def latin_script(text: str) -> bool:
    """Whether at least half of `text`'s letters are Latin (English, German, Spanish...); True for
    text with no letters. The corpus and the sentence model are English: a question mostly in
    another script ("MBAを取るべきですか？") is one their nearness cannot judge."""
    if text.isascii():
        return True
    letters = len(_LETTER.findall(text))
    return 2 * len(_LATIN_LETTER.findall(text)) >= letters


def word_count(text: str) -> int:
    """Words in `text`: white-space separated, where a run of a script written without spaces
    counts one word per two characters (about the length of a Chinese or Japanese word)."""
    if text.isascii():  # the common case, the fast way
        return len(text.split())
    count = 0
    for token in text.split():
        unspaced = sum(len(run) for run in UNSPACED.findall(token))
        count += max(1, unspaced // 2) if unspaced else 1
    return count


def and_join(items: Sequence[str], conjunction: str = "and") -> str:
    """Items as a sentence lists them: "a", "a and b", "a, b and c" (or `conjunction`: "a or b")."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {conjunction} {items[-1]}"

"""The engine: one API for every shell. corpus → index → retrieve → perspectives → answer → cite.

    engine = Engine.open(home, settings)
    conversation = Conversation()
    for event in engine.ask(conversation, "I have no hard skills, should I worry?"):
        ...  # SourcesFound, then Token(s), then AnswerDone

Opening loads the corpus, brings the dense index up to date (under the writer lock, only when
the corpus changed) and builds the BM25 index. Nothing here imports a UI.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from mentor.analysis import ThreadAnalysis, analyse
from mentor.analysis.model import Move
from mentor.analysis.moves import asked_in_full, career_move, goes_against, move_words, names_the_move, on_the_move
from mentor.analysis.store import AnalysisStore
from mentor.config import Settings, load_settings
from mentor.corpus.library import corpus_threads
from mentor.corpus.model import Thread
from mentor.engine.answer_check import answer_problem, fallback_note, writable_figures
from mentor.engine.cite import citations, strip_citations
from mentor.engine.conversation import MAX_QUERY_CHARS, Conversation, Turn, what_is_read
from mentor.engine.documents import PostKey
from mentor.engine.events import (
    STOPPED_EARLY,
    Answer,
    AnswerDone,
    Event,
    Evidence,
    Notice,
    Perspective,
    Quote,
    Reading,
    SetAside,
    Source,
    SourcesFound,
    Token,
)
from mentor.engine.extractive import compose
from mentor.engine.follow_up import Kind, adds_a_word, read_title, read_turn
from mentor.engine.in_context import shape_turn, suggestions
from mentor.engine.index import PostIndex, SyncReport
from mentor.engine.lexical import LexicalIndexes
from mentor.engine.lock import WAIT_SECONDS, writer_lock
from mentor.engine.perspectives import QUOTES_PER_VIEW, Nearness, Views, find_views
from mentor.engine.retrieve import Retrieval, Retriever, ThreadHit
from mentor.engine.turn_answer import compose_follow_up, compose_small_talk, lead_line
from mentor.errors import MentorError
from mentor.llm.chat_model import ChatModel, ModelError
from mentor.llm.grammar import AnswerShape
from mentor.llm.prompt import SYSTEM, instructions, turn_message
from mentor.llm.turn_note import turn_note
from mentor.untrusted import without_escapes

#: The next best threads (up to `MAX_THREADS` in all) join the answer, one quote per view each,
#: when their whole-thread BM25 score is at least this share of the best thread's: the thread
#: ranking is flat (the top few fused scores lie within a few percent), so a worry is often
#: answered as well by the second or third discussion. Chosen on the starter set and the real
#: development set together (../shared/real-threads + the seed): both-sides 94.8% / 38.9% at 0.6
#: with three threads, against 92.7% / 27.8% with the earlier rule (0.78, two threads). Raised to
#: 0.7 (2026-11-29, two threads, with `LIBRARY_SHARE`): the same figures (96.9% / 77.8%) with a
#: second thread in 63 of 114 answers instead of 82; the ones left out were mostly loosely
#: related ("Is a full-time MBA worth it" under an APM offer), a trial user's complaint.
MERGE_RATIO = 0.7
MAX_THREADS = 2
#: An answer of one discussion without two camps (several opinions, or one position) takes a
#: second one scoring this share of its whole-thread score, not `MERGE_RATIO`: a trial user's
#: three-post import on certifications answered alone while the starter's certification thread
#: (0.59 of its score) was only suggested (2026-12-01). On the 158 labelled questions (starter,
#: real, held out, other words; sentence model) it adds a second discussion to 5 answers ("I carry
#: the blame for deadlines I don't control" + the delivery-dates thread; "is PM a toxic career"
#: + "Burned out after six years"); every eval figure unchanged.
ONE_SIDED_SHARE = 0.5
#: When the threads that would fill the answer are all bundled, the best thread the user added
#: takes the last place if its whole-thread BM25 score is at least this share of the best
#: thread's: a short imported thread is otherwise crowded out by long bundled threads on a
#: similar topic (the fused scores of the top few lie within a few percent). Measured on the real
#: development set beside the starter corpus (2026-11-29): both-sides 61.1% → 77.8% at 0.8, 0.85
#: and 0.9; the starter questions asked in that home keep 96.9% (at 0.6: 94.8%, with an added
#: thread in 19 of 96 answers; at 0.8 in 2). Lowered to `MERGE_RATIO` (2026-11-30, the code of
#: then): on our 26 paraphrased questions for the real threads both-sides 53.8% -> 61.5% (at 0.6
#: the same), the 18 real questions and the starter questions in that home unchanged (96.9%),
#: an added thread joining 8 of their 96 answers instead of 3 (3 of the 5 new ones on the
#: starter question's subject, 2 loosely: "recruiters ignore me because my title says scrum
#: master" with a thread on PM pay and openings). An added thread joins when a bundled second
#: one would.
LIBRARY_SHARE = MERGE_RATIO
#: A thread the user added, ranked right after a bundled best thread, joins the answer when its
#: whole-thread BM25 score is this share of the best's, not `MERGE_RATIO`: a short thread's whole
#: text holds fewer of a question's words than a long bundled one's though the fused ranking puts
#: it second. Measured 2026-12-01 (session 20) in the rankings of 230 labelled questions: it
#: admits the labelled thread for 4 of our 26 questions in other words, 2 of a trial's 12 and 1 of
#: a fresh trial's 16 (real threads nobody here wrote), and for 2 of the 96 starter questions
#: asked beside the real threads it adds a real thread ("exhausted by stakeholder politics" with
#: "PM is a really toxic role"; "are my weekly customer calls good research" with an owner who
#: forces features, loosely).
ADDED_SECOND_SHARE = 0.5
#: A thread the user added that holds the post nearest to the question in meaning (the sentence
#: model's first) takes the last place of an answer whose best thread is bundled, when it is
#: among this many best threads (`Engine._meaning_place`): the whole-thread words of a short real
#: thread are few beside a long bundled one's, and its nearness is the evidence. Measured
#: 2026-11-30 (session 16), beside the starter corpus: our 26 questions in other words for the
#: real threads, in the answer 65.4% -> 76.9% and both sides 61.5% -> 73.1%; the real set's 18,
#: the 18 held out and the 96 starter questions (alone, and asked beside the real threads: an
#: added thread in 9 of 96 answers before and after) unchanged; a trial's 12 questions on six
#: real threads nobody here wrote, their thread in the answer for 7 -> 9. From anywhere in the
#: ranking (no window) it pushed a labelled thread out of the best five (other words' hit@5
#: 84.6% -> 80.8%) and gained less (69.2% in the answer).
NEAREST_WINDOW = 5
#: Among this many best threads, those discussing the career move the other way from the one
#: asked (`moves.goes_against`: "UX designer ... moving into product" for "should I leave PM and
#: go back to UX?") are ranked after those discussing it from the asker's side (leaving PM; a
#: title naming UX), so an answer opens with the move asked about when a discussion of it is
#: near. They keep their place before unrelated threads: weighing the same two roles from the
#: other side helps more than a discussion of something else, and the answer says which way it
#: goes. Promoting the threads on the asked move past unrelated ones as well was tried: "I'm a
#: data analyst and want to become a PM" then opened with "will I ever get back into product?".
#: Of 7 questions of ours on leaving PM (2026-11-30), 4 were answered first from the move the
#: other way before this, none after; the labelled sets' figures did not change.
MOVE_WINDOW = 10


def _nothing_found(question: str, query: str, follow_ups: tuple[str, ...] = ()) -> Evidence:
    return Evidence(question=question, query=query, sources=(), perspectives=(), one_sided=True,
                    common_ground=None, follow_ups=follow_ups, thread_titles=())


#: Thread analyses kept in memory once read from the store: a turn reads those of its threads
#: three or four times (the career move, the views, the turn's points), each read a SQLite row
#: and its JSON decoded (about 0.3 ms at 100k posts).
ANALYSES_KEPT = 256


@dataclass
class EngineStats:
    threads: int
    posts: int
    sync: SyncReport | None


class Engine:
    def __init__(self, threads: list[Thread], retriever: Retriever, stats: EngineStats,
                 analyses: AnalysisStore | None = None) -> None:
        self.threads = {t.id: t for t in threads}
        self.retriever = retriever
        self.stats = stats
        self.analyses = analyses
        self._computed: dict[str, ThreadAnalysis] = {}
        self._read: dict[str, ThreadAnalysis] = {}
        #: Each title, casefolded with its spaces made one, to the threads holding it.
        self._titles: dict[str, list[str]] = {}
        for thread in threads:
            self._titles.setdefault(_title_key(thread.title), []).append(thread.id)

    def analysis(self, thread: Thread) -> ThreadAnalysis:
        """The thread's stored analysis; computed (and kept in memory) when none is fresh. Up to
        `ANALYSES_KEPT` read from the store are kept (all let go when that many are) while their
        thread is unchanged."""
        kept = self._read.get(thread.id)
        if kept is not None and kept.content_hash == thread.content_hash():
            return kept
        stored = self.analyses.get(thread) if self.analyses is not None else None
        if stored is not None:
            if len(self._read) >= ANALYSES_KEPT:
                self._read.clear()
            self._read[thread.id] = stored
        else:
            stored = self._computed.get(thread.id)
            if stored is None or stored.content_hash != thread.content_hash():
                stored = self._computed[thread.id] = analyse(thread)
        return stored

    @classmethod
    def open(cls, home: Path, settings: Settings | None = None, *, dense: bool = True,
             progress: Callable[[int, int], None] | None = None, wait_seconds: float = WAIT_SECONDS,
             on_wait: Callable[[str], None] | None = None) -> Engine:
        """The engine over the corpus in `home` with `settings` (default: the home's config file
        and the environment, `load_settings`); `dense=False` retrieves with BM25 alone.

        When the index must be brought up to date while another process writes, it waits up to
        `wait_seconds` for the writer lock, saying so through `on_wait` (default: stderr).
        """
        settings = settings or load_settings(home)
        threads = corpus_threads(home)
        index = None
        report = None
        analyses = AnalysisStore(home)
        if dense:
            index = PostIndex(home, settings.chroma_url, settings.embedding_model)
            if index.needs_sync(threads):
                with writer_lock(home, wait_seconds, on_wait):
                    # Read again: a writer we waited for may have changed the corpus (indexing the
                    # old list would drop its new vectors).
                    threads = corpus_threads(home)
                    index = PostIndex(home, settings.chroma_url, settings.embedding_model)
                    reports: list[SyncReport] = []
                    analyses.sync(threads, meanwhile=lambda: reports.append(index.sync(threads, progress=progress)))
                    report = reports[0]
            else:
                index.open()
        if analyses.stale(threads):
            with writer_lock(home, wait_seconds, on_wait):
                threads = corpus_threads(home)
                analyses.sync(threads)
        lexical = LexicalIndexes.open(home, threads)
        stats = EngineStats(threads=len(threads), posts=len(lexical.posts), sync=report)
        return cls(threads, Retriever(threads, lexical, index), stats, analyses)

    def retrieve(self, query: str) -> Retrieval:
        """The posts and threads for `query`, best first (`Retriever.search`), with the threads
        discussing the career move the other way from the one asked moved, among the best
        `MOVE_WINDOW`, after those discussing it from the asker's side (`moves.on_the_move`),
        which keep their order, and then a thread the user added placed before bundled ones
        (`_library_place`)."""
        query = query[:MAX_QUERY_CHARS]
        retrieval = self.retriever.search(query)
        ranked = [hit for hit in retrieval.threads if hit.thread_id in self.threads]
        return replace(retrieval, threads=self._library_place(self._on_the_move_first(query, ranked), retrieval.nearest))

    def _on_the_move_first(self, query: str, ranked: list[ThreadHit]) -> list[ThreadHit]:
        """`ranked` with the threads discussing the career move the other way from the one asked
        in `query` moved after those on it (`MOVE_WINDOW`)."""
        asked = career_move(query)
        if asked is None:
            return ranked
        window = ranked[:MOVE_WINDOW]
        first = next((i for i, hit in enumerate(window) if self.goes_other_way(asked, hit.thread_id)), None)
        if first is None:
            return ranked
        analyses = {hit.thread_id: self.analysis(self.threads[hit.thread_id]) for hit in window[first:]}
        ahead = [hit for hit in window[first:] if on_the_move(
            asked, analyses[hit.thread_id].move, analyses[hit.thread_id].roles)]
        behind = [hit for hit in window[first:] if hit not in ahead]
        return window[:first] + ahead + behind + ranked[MOVE_WINDOW:]

    def goes_other_way(self, asked: Move, thread_id: str) -> bool:
        """Whether the thread discusses the career move the other way from `asked`, by its stored
        analysis (`moves.goes_against`)."""
        thread = self.threads.get(thread_id)
        move = self.analysis(thread).move if thread is not None else None
        return move is not None and goes_against(asked, move)

    def rank_threads(self, query: str) -> list[tuple[str, float]]:
        """Threads for `query`, best first, each with its whole-thread BM25 score: the ranking that
        tells whether a follow-up's new words move to another topic. Lexical alone: a few new words
        ("leave product management altogether") embedded by the sentence model land near the
        thread in play, and with the dense ranking the conversations' follow-up topic accuracy
        fell from 97.0% to 95.5% (2026-11-29)."""
        return [(hit.thread_id, hit.text_score)
                for hit in self.retriever.search(query[:MAX_QUERY_CHARS], dense=False).threads
                if hit.thread_id in self.threads]

    def related_threads(self, query: str, count: int = 10) -> list[str]:
        """Thread ids for `query` by their whole text alone (BM25): a quick ranking for
        suggesting discussions, not for answering."""
        return [thread_id for thread_id, _ in self.retriever.whole_threads.search(query[:MAX_QUERY_CHARS], count)
                if thread_id in self.threads]

    def gather(self, conversation: Conversation, question: str) -> tuple[Evidence, Retrieval | None]:
        """Retrieve for `question` in the conversation and split what was found into views.

        The turn is read in its conversation first (`follow_up.read_turn`): a follow-up that stays
        on the topic is answered from the threads in play (no retrieval: None); a first question,
        or one that moves to a new topic, is retrieved afresh. `in_context.shape_turn` then picks
        the quotes for what the turn asks and keeps the conversation's state. Small talk ("thanks,
        that helps", "hi"), or asking what mentor would do before saying the worry, finds nothing
        and changes nothing but what the person said of themselves.
        """
        question = without_escapes(question).strip()  # a question pasted with its colours
        if not question:
            raise MentorError("the question is empty: type a worry or a question")
        # A pasted essay is read, as it is searched, from its first `MAX_QUERY_CHARS` characters
        # (reading all of a 120,000-character one took 8 s); the evidence keeps all of it.
        heard = what_is_read(question)
        titled = self.threads.get(self._titles.get(_title_key(heard), [""])[0])
        if titled is not None:  # a suggested discussion taken: it opens that discussion
            reading = read_title(conversation.situation, conversation.topic, heard, titled)
        else:
            reading = read_turn(conversation.situation, conversation.topic, heard, self.rank_threads)
        if reading.kind is Kind.SMALL_TALK:  # what they said of themselves stays ("I'm a PM, what would you do?")
            conversation.situation = reading.situation
            return replace(_nothing_found(question, "", suggestions(self, conversation, None)), reading=reading), None
        if (reading.follow_up and reading.focus and not (reading.stays and adds_a_word(heard, reading.focus))
                and self.retriever.off_topic(heard)):
            # "how do I fix a leaking tap?" after a worry: not a question on the topic in play
            # ("is that normal?" is, though far from every post alone: `adds_a_word`)
            return replace(_nothing_found(question, reading.query, suggestions(self, conversation, None)),
                           reading=replace(reading, kind=Kind.BOTH_SIDES)), None
        found: list[tuple[Thread, Views]] = []
        retrieval = None
        if reading.stays:
            threads = [self.threads[t] for t in conversation.topic.threads if t in self.threads]
            self._read_ahead(reading.query, threads)
            found = [(thread, self.views(thread, reading.query, QUOTES_PER_VIEW if i == 0 else 1))
                     for i, thread in enumerate(threads)]
            found = [(thread, views) for thread, views in found if views.views]
        if not found and titled is not None and reading.moved:
            views = self.views(titled, heard, QUOTES_PER_VIEW)
            found = [(titled, views)] if views.views else []
        if not found:
            found, retrieval = self.find_threads(reading.query[:MAX_QUERY_CHARS])
        return replace(shape_turn(self, conversation, reading, found, retrieval), question=question), retrieval

    def _read_ahead(self, question: str, threads: list[Thread]) -> None:
        """The posts' nearness to `question` of the `threads` about to be split into views, read
        at once (`PostIndex.read_ahead`)."""
        if self.retriever.dense is not None and threads:
            self.retriever.dense.read_ahead(question, threads)

    def views(self, thread: Thread, question: str, quotes_per_view: int) -> Views:
        """`thread`'s views on `question` (`perspectives.find_views`), from its stored analysis and,
        with a dense index, each post's nearness in meaning to the question."""
        dense = self.retriever.dense
        nearness = Nearness(dense.similarities(question, thread), dense.close_below) if dense else None
        return find_views(thread, question, quotes_per_view, self.analysis(thread), nearness)

    def find_threads(self, query: str) -> tuple[list[tuple[Thread, Views]], Retrieval]:
        """The best thread for `query` (and a second one when it matches nearly as well, a thread
        the user added before bundled ones: `_library_place`; or, the best having no two camps,
        half as well: `_beside_one_side`), each split into its views."""
        retrieval = self.retrieve(query)
        ranked = retrieval.threads
        if not ranked or not self.retriever.posts.knows(query) or retrieval.off_topic:
            return [], retrieval  # no word of it in any post, or nothing near it in meaning
        by_meaning = self._meaning_place(ranked, retrieval.nearest)
        best = ranked[0].text_score
        candidates = [ranked[0]] + [hit for hit in ranked[1:] if hit.text_score >= MERGE_RATIO * best > 0
                                    or hit is by_meaning or self._added_second(ranked, hit)]
        self._read_ahead(query, [self.threads[hit.thread_id] for hit in candidates[:MAX_THREADS]])
        found: list[tuple[Thread, Views]] = []
        for hit in candidates:  # a thread with nothing to quote (no claim, no quotable post) is passed over
            thread = self.threads[hit.thread_id]
            views = self.views(thread, query, QUOTES_PER_VIEW if not found else 1)
            if views.views:
                found.append((thread, views))
            if len(found) == MAX_THREADS:
                break
        if len(found) == 1 and found[0][1].one_sided:
            found += self._beside_one_side(query, ranked, found[0][0])
        return found, retrieval

    def _added_second(self, ranked: list[ThreadHit], hit: ThreadHit) -> bool:
        """Whether `hit` is a thread the user added, ranked right after a bundled best thread and
        scoring `ADDED_SECOND_SHARE` of its whole-thread score: it joins the answer."""
        return len(ranked) > 1 and hit is ranked[1] and not self.threads[hit.thread_id].bundled \
            and self.threads[ranked[0].thread_id].bundled and hit.text_score >= ADDED_SECOND_SHARE * ranked[0].text_score > 0

    def _beside_one_side(self, query: str, ranked: list[ThreadHit], first: Thread) -> list[tuple[Thread, Views]]:
        """For an answer of one discussion without two camps: the next discussion among the best
        `NEAREST_WINDOW` scoring `ONE_SIDED_SHARE` of the best's whole-thread score, with its
        views; [] for none."""
        for hit in ranked[1:NEAREST_WINDOW]:
            if hit.thread_id == first.id or hit.text_score < ONE_SIDED_SHARE * ranked[0].text_score:
                continue
            thread = self.threads[hit.thread_id]
            views = self.views(thread, query, 1)
            if views.views:
                return [(thread, views)]
        return []

    def _library_place(self, ranked: list[ThreadHit], nearest: str | None) -> list[ThreadHit]:
        """`ranked` (best first) with a thread the user added placed at the last of the
        `MAX_THREADS` places of an answer: the one holding the post `nearest` the question in
        meaning (a thread id, `Retrieval.nearest`) when the best thread is bundled and it is among
        the best `NEAREST_WINDOW`; else the best one when those places (the best thread, then the
        next ones scoring `MERGE_RATIO` of its whole-thread score) would all go to bundled threads
        and it scores `LIBRARY_SHARE` of the best one's. Done in the ranking, not only in the
        answer, so the ranking says what the answer shows."""
        if not ranked:
            return ranked
        best = ranked[0].text_score
        places = ([ranked[0]] + [hit for hit in ranked[1:] if hit.text_score >= MERGE_RATIO * best > 0])[:MAX_THREADS]
        added = None
        if self.threads[ranked[0].thread_id].bundled and nearest not in [hit.thread_id for hit in places]:
            added = next((hit for hit in ranked[1:NEAREST_WINDOW] if hit.thread_id == nearest
                          and not self.threads[nearest].bundled), None)
        if added is None and len(places) == MAX_THREADS and all(self.threads[hit.thread_id].bundled for hit in places):
            added = next((hit for hit in ranked if not self.threads[hit.thread_id].bundled
                          and hit.text_score >= LIBRARY_SHARE * best), None)
        if added is None:
            return ranked
        rest = [hit for hit in ranked if hit is not added]
        return rest[:MAX_THREADS - 1] + [added] + rest[MAX_THREADS - 1:]

    def _meaning_place(self, ranked: list[ThreadHit], nearest: str | None) -> ThreadHit | None:
        """The thread `_library_place` put at the answer's last place for holding the post
        nearest the question in meaning (`nearest`), if it did: it joins the answer whatever its
        whole-thread score."""
        last = MAX_THREADS - 1
        if len(ranked) > last and ranked[last].thread_id == nearest and not self.threads[nearest].bundled \
                and self.threads[ranked[0].thread_id].bundled:
            return ranked[last]
        return None

    def assemble(self, conversation: Conversation, question: str, query: str,
                 found: list[tuple[Thread, Views]], follow_ups: tuple[str, ...],
                 extra: tuple[PostKey, ...] = ()) -> Evidence:
        """The evidence of one turn: the views of `found`, numbered in the conversation (quoted
        posts first, then where they meet, in the order the answer shows them, so citations read
        1, 2, 3 ...), and the posts of `extra` as sources of no view."""
        if not found:
            return _nothing_found(question, query, follow_ups)
        ground_numbered = False
        for _, views in found:
            for view in views.views:
                for key, _ in view.quotes:
                    conversation.number(key)
            quoted = {sentence for view in views.views for _, sentence in view.quotes}
            if not ground_numbered and views.common_ground is not None and views.common_ground[1] not in quoted:
                conversation.number(views.common_ground[0])  # "Where they meet", under its thread's views
                ground_numbered = True
        sources: dict[PostKey, Source] = {}
        perspectives = []
        common = None
        for thread, views in found:
            for view in views.views:
                n = len(perspectives)
                for key in view.posts:
                    sources[key] = self._source(key, conversation.number(key), perspective=n)
                perspectives.append(Perspective(
                    label=view.label, sources=tuple(conversation.number(k) for k in view.posts),
                    quotes=tuple(Quote(conversation.number(k), s) for k, s in view.quotes),
                    supporters=view.supporters, thread_title=self.shown_title(thread), shape=views.shape))
            quoted = {sentence for view in views.views for _, sentence in view.quotes}
            if common is None and views.common_ground is not None and views.common_ground[1] not in quoted:
                key, sentence = views.common_ground
                sources.setdefault(key, self._source(key, conversation.number(key), perspective=None))
                common = Quote(conversation.number(key), sentence)
        for key in extra:
            sources.setdefault(key, self._source(key, conversation.number(key), perspective=None))
        asked = career_move(query[:MAX_QUERY_CHARS])
        other_way = tuple((self.shown_title(thread), move_words(self.analysis(thread).move))
                          for thread, _ in found if asked is not None and self.goes_other_way(asked, thread.id))
        not_discussed = asked is not None and bool(found) and not any(
            names_the_move(asked, self.analysis(thread).move, self.analysis(thread).roles) for thread, _ in found)
        return Evidence(question=question, query=query,
                        sources=tuple(sorted(sources.values(), key=lambda s: s.n)),
                        perspectives=tuple(perspectives), one_sided=found[0][1].one_sided,
                        common_ground=common, follow_ups=follow_ups,
                        thread_titles=tuple(self.shown_title(thread) for thread, _ in found),
                        other_way=other_way,
                        move_not_discussed=move_words(asked_in_full(asked)) if not_discussed else "")

    def shown_title(self, thread: Thread) -> str:
        """`thread`'s title as answers show it: with its id after it when another thread of the
        corpus has the same title (two forum threads both asking "Should a PM learn SQL?")."""
        if len(self._titles.get(_title_key(thread.title), ())) > 1:
            return f"{thread.title} ({thread.id})"
        return thread.title

    def _source(self, key: PostKey, n: int, perspective: int | None) -> Source:
        thread = self.threads[key[0]]
        post = thread.post(key[1])
        return Source(n=n, thread_id=thread.id, thread_title=self.shown_title(thread), post_index=post.index,
                      author=post.author, text=post.text, url=thread.post_url(post), likes=post.likes,
                      reply_to=post.reply_to, perspective=perspective)

    def ask(self, conversation: Conversation, question: str, model: ChatModel | None = None,
            cancel: threading.Event | None = None) -> Iterator[Event]:
        """Answer `question` as the next turn of `conversation`, yielding the turn's events.

        With a `model`, it writes the answer from the evidence (streamed); without one, or when
        it fails, the answer quotes the posts. Small talk, and a question that found no discussion,
        get mentor's own reply. Setting `cancel` stops the model within a token (while it reads the
        prompt: before its next batch); a cancelled turn stays in the history but not in what the
        model sees next time. Stopped before its first word, the turn is answered from the posts,
        quoted, with a `Notice` saying so (`STOPPED_EARLY`): a turn of no words told nothing.
        """
        started = time.perf_counter()
        evidence, _ = self.gather(conversation, question)
        retrieved = time.perf_counter()
        yield SourcesFound(evidence)
        if len(evidence.question) > MAX_QUERY_CHARS:  # a pasted essay: say what was read of it
            yield Notice(f"the question is {len(evidence.question):,} characters long; mentor read and "
                         f"searched its first {MAX_QUERY_CHARS:,}")
        for source in evidence.sources:
            conversation.sources[source.n] = source
        turn = turn_message(evidence, evidence.question, conversation.given(), note=turn_note(evidence))
        cancel = cancel or threading.Event()
        text, mode, first_token, prompt_tokens, finish = "", "extractive", None, None, None
        read = f"{evidence.question}\n{turn.text}"
        allowed = {source.n for source in evidence.sources}
        could_cite = False
        talk = evidence.reading is not None and evidence.reading.kind is Kind.SMALL_TALK
        # With nothing found, a model would answer from its own weights ("check your plumbing"):
        # mentor says it found no discussion instead. With only the closest discussion found
        # ("should I report my manager to HR?"), it would present posts on something else as the
        # answer, or make one up: mentor says nothing speaks to it directly and quotes them.
        nothing = not evidence.sources and not evidence.perspectives
        if model is not None and evidence.closest_only and not talk:
            yield Notice("nothing in the corpus speaks to this directly, so the model was not asked; "
                         "here is the closest discussion, quoted")
        lead = ""  # a move's bridge line, before the model's words as before the quoted posts
        if model is not None and not talk and not nothing and not evidence.closest_only:
            pieces: list[str] = []
            try:
                messages, allowed = conversation.messages(SYSTEM, turn.text, set(turn.new), model)
                read = "\n".join(message["content"] for message in messages)  # all the model reads
                shape = AnswerShape.of([[n for n in view if n in allowed] for view in turn.views],
                                       writable_figures(read))
                could_cite = bool(shape.views)
                lead = lead_line(evidence)
                if lead:
                    yield Token(lead)
                total = model.tokens_to_read(messages)
                yield Reading(total)
                for done in model.read_prompt(messages, cancel):  # Esc stops it between batches
                    yield Reading(total, done)
                for piece in model.stream(messages, shape, cancel):
                    if first_token is None:
                        first_token = time.perf_counter()
                    pieces.append(piece)
                    yield Token(piece)
                prompt_tokens = model.last_prompt_tokens
                if cancel.is_set() and not pieces:  # an answer of nothing but "stopped" told nothing:
                    raise ModelError(STOPPED_EARLY)  # the posts, quoted, come at once instead
                text, mode, finish = "".join(pieces), "llm", model.last_finish
            except ModelError as exc:
                if pieces or lead:  # what was streamed gives way to the quoted posts
                    yield SetAside(str(exc), "".join(pieces))
                yield Notice(f"{exc}. Answering from the posts instead.")
                allowed = {source.n for source in evidence.sources}
                lead = ""
        quoted = compose_follow_up if evidence.reading is not None and evidence.reading.follow_up \
            and evidence.perspectives else compose  # the answer without a model, shaped by the turn's kind
        quoted = compose_small_talk if talk else quoted
        if mode == "extractive":
            text = quoted(evidence)
            if evidence.reading is not None and evidence.reading.kind is Kind.RECOMMENDATION:
                text = _not_again(text, conversation)
            yield Token(text)
        stray = [n for n in citations(text) if n not in allowed]
        if stray:
            text = strip_citations(text, stray)
            yield Notice(f"removed citations that name no source: {', '.join(f'[{n}]' for n in stray)}")
        fallback, model_text = None, text if mode == "llm" else None
        if mode == "llm" and not cancel.is_set():
            fallback = answer_problem(text, citations(text), finish, could_cite, prompt=read,
                                      earlier=conversation.model_answers(), instructions=instructions())
        if fallback is not None:  # the person gets the evidence itself instead, said why
            body = quoted(evidence)
            body = body[len(lead):] if lead and body.startswith(lead) else body
            text = fallback_note(fallback) + body
            yield SetAside(fallback, model_text, kept=lead)
            yield Token(text)
        text = lead + text
        cited = citations(text)
        listed = {source.n for source in evidence.sources}
        finished = time.perf_counter()
        answer = Answer(
            question=evidence.question, mode=mode, text=text, evidence=evidence, cited=cited,
            prompt_tokens=prompt_tokens, cancelled=cancel.is_set() and mode == "llm", finish=finish,
            fallback=fallback, model_text=model_text,
            earlier_sources=tuple(conversation.sources[n] for n in cited
                                  if n not in listed and n in conversation.sources),
            timings_ms={"retrieve": round((retrieved - started) * 1000, 2),
                        "first_token": round((first_token - started) * 1000, 2) if first_token else None,
                        "total": round((finished - started) * 1000, 2)})
        topic = replace(conversation.topic, asked=set(conversation.topic.asked)) if conversation.topic else None
        conversation.turns.append(Turn(question=evidence.question, answer=answer, prompt=turn.text,
                                       given=set(turn.new), topic=topic))
        yield AnswerDone(answer)


def _not_again(text: str, conversation: Conversation) -> str:
    """A recommendation's `text`, or, when it is word for word the conversation's last answer (a
    facts-only turn is answered as a recommendation, and "what would you do?" right after it,
    with nothing new said, would print the same again), a short reply pointing to it with its
    verdict (the "On balance" line)."""
    last = conversation.turns[-1].answer if conversation.turns else None
    if last is None or last.cancelled or last.text.strip() != text.strip():
        return text
    verdict = next((line for line in text.splitlines() if line.startswith("**On balance:**")), "")
    return ("Nothing you have told me since changes my answer just above" +
            (f"; {verdict[len('**On balance:**'):].strip()}" if verdict else ".") +
            " Tell me something new about your situation, or ask about one of the views, and I'll look again.\n")


def _title_key(text: str) -> str:
    """A title as `Engine` matches a question against it: casefolded, spaces made one, without
    the question mark or full stop it ends on (a suggestion typed out without its "?")."""
    return " ".join(text.split()).casefold().rstrip("?.! ")

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
from dataclasses import dataclass
from pathlib import Path

from mentor.config import Settings
from mentor.corpus.library import corpus_threads
from mentor.corpus.model import Thread
from mentor.engine.answer_check import answer_problem
from mentor.engine.cite import citations, strip_citations
from mentor.engine.conversation import Conversation, Turn
from mentor.engine.documents import PostKey
from mentor.engine.events import (
    Answer,
    AnswerDone,
    Event,
    Evidence,
    Notice,
    Perspective,
    Quote,
    Reading,
    Source,
    SourcesFound,
    Token,
)
from mentor.engine.extractive import compose
from mentor.engine.index import PostIndex, SyncReport
from mentor.engine.lexical import LexicalIndexes
from mentor.engine.lock import WAIT_SECONDS, writer_lock
from mentor.engine.perspectives import QUOTES_PER_VIEW, find_views
from mentor.engine.retrieve import Retrieval, Retriever
from mentor.errors import MentorError
from mentor.llm.chat_model import ChatModel, ModelError
from mentor.llm.grammar import AnswerShape
from mentor.llm.prompt import SYSTEM, turn_message

#: A second thread joins the answer when its whole-thread BM25 score is at least this share of
#: the best thread's and it holds as many of the question's words. On the labelled questions,
#: most of those whose best thread is wrong but whose second is right pass, as do about 1 in 6
#: of those ranked right.
MERGE_RATIO = 0.78
FOLLOW_UPS = 3
#: Retrieval reads at most this much of a question (a pasted essay still gets an answer).
MAX_QUERY_CHARS = 4000


@dataclass
class EngineStats:
    threads: int
    posts: int
    sync: SyncReport | None


class Engine:
    def __init__(self, threads: list[Thread], retriever: Retriever, stats: EngineStats) -> None:
        self.threads = {t.id: t for t in threads}
        self.retriever = retriever
        self.stats = stats

    @classmethod
    def open(cls, home: Path, settings: Settings | None = None, *, dense: bool = True,
             progress: Callable[[int, int], None] | None = None, wait_seconds: float = WAIT_SECONDS,
             on_wait: Callable[[str], None] | None = None) -> Engine:
        """The engine over the corpus in `home`; `dense=False` retrieves with BM25 alone.

        When the index must be brought up to date while another process writes, it waits up to
        `wait_seconds` for the writer lock, saying so through `on_wait` (default: stderr).
        """
        settings = settings or Settings()
        threads = corpus_threads(home)
        index = None
        report = None
        if dense:
            index = PostIndex(home, settings.chroma_url, settings.embedding_model)
            if index.needs_sync(threads):
                with writer_lock(home, wait_seconds, on_wait):
                    # Read again: a writer we waited for may have changed the corpus (indexing the
                    # old list would drop its new vectors).
                    threads = corpus_threads(home)
                    index = PostIndex(home, settings.chroma_url, settings.embedding_model)
                    report = index.sync(threads, progress=progress)
            else:
                index.open()
        lexical = LexicalIndexes.open(home, threads)
        stats = EngineStats(threads=len(threads), posts=len(lexical.posts), sync=report)
        return cls(threads, Retriever(threads, lexical, index), stats)

    def retrieve(self, query: str) -> Retrieval:
        return self.retriever.search(query[:MAX_QUERY_CHARS])

    def gather(self, conversation: Conversation, question: str) -> tuple[Evidence, Retrieval]:
        """Retrieve for `question` in the conversation and split what was found into views."""
        question = question.strip()
        if not question:
            raise MentorError("the question is empty: type a worry or a question")
        query = conversation.standalone_query(question)[:MAX_QUERY_CHARS]
        retrieval = self.retrieve(query)
        ranked = [hit for hit in retrieval.threads if hit.thread_id in self.threads]
        if not ranked:
            return Evidence(question=question, query=query, sources=(), perspectives=(), one_sided=True,
                            common_ground=None, follow_ups=(), thread_titles=()), retrieval
        chosen = [ranked[0]] + [hit for hit in ranked[1:2]
                                if hit.text_score >= MERGE_RATIO * ranked[0].text_score > 0
                                and self.retriever.terms_matched(query, hit.thread_id)
                                >= self.retriever.terms_matched(query, ranked[0].thread_id)]
        threads = [self.threads[hit.thread_id] for hit in chosen]
        per_view = QUOTES_PER_VIEW if len(threads) == 1 else 1
        found = [(thread, find_views(thread, query, per_view)) for thread in threads]
        # Number quoted posts first, so the answer's citations read 1, 2, 3 ...
        for _, views in found:
            for view in views.views:
                for key, _ in view.quotes:
                    conversation.number(key)
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
                    supporters=view.supporters, thread_title=thread.title))
            if common is None and views.common_ground is not None:
                key, sentence = views.common_ground
                sources.setdefault(key, self._source(key, conversation.number(key), perspective=None))
                common = Quote(conversation.number(key), sentence)
        used = {hit.thread_id for hit in chosen}
        follow_ups = tuple(self.threads[hit.thread_id].title for hit in ranked
                           if hit.thread_id not in used)[:FOLLOW_UPS]
        evidence = Evidence(question=question, query=query,
                            sources=tuple(sorted(sources.values(), key=lambda s: s.n)),
                            perspectives=tuple(perspectives), one_sided=found[0][1].one_sided,
                            common_ground=common, follow_ups=follow_ups,
                            thread_titles=tuple(t.title for t in threads))
        return evidence, retrieval

    def _source(self, key: PostKey, n: int, perspective: int | None) -> Source:
        thread = self.threads[key[0]]
        post = thread.post(key[1])
        return Source(n=n, thread_id=thread.id, thread_title=thread.title, post_index=post.index,
                      author=post.author, text=post.text, url=thread.url, likes=post.likes,
                      reply_to=post.reply_to, perspective=perspective)

    def ask(self, conversation: Conversation, question: str, model: ChatModel | None = None,
            cancel: threading.Event | None = None) -> Iterator[Event]:
        """Answer `question` as the next turn of `conversation`, yielding the turn's events.

        With a `model`, it writes the answer from the evidence (streamed); without one, or when
        it fails, the answer quotes the posts. Setting `cancel` stops the model within a token;
        a cancelled turn stays in the history but not in what the model sees next time.
        """
        started = time.perf_counter()
        evidence, _ = self.gather(conversation, question)
        retrieved = time.perf_counter()
        yield SourcesFound(evidence)
        if len(evidence.question) > MAX_QUERY_CHARS:  # a pasted essay: say what was read of it
            yield Notice(f"the question is {len(evidence.question):,} characters long; mentor searched "
                         f"the corpus with its first {MAX_QUERY_CHARS:,}")
        for source in evidence.sources:
            conversation.sources[source.n] = source
        turn = turn_message(evidence, evidence.question, conversation.given())
        cancel = cancel or threading.Event()
        text, mode, first_token, prompt_tokens, finish = "", "extractive", None, None, None
        allowed = {source.n for source in evidence.sources}
        could_cite = False
        if model is not None:
            pieces: list[str] = []
            try:
                messages, allowed = conversation.messages(SYSTEM, turn.text, set(turn.new), model)
                shape = AnswerShape.of([[n for n in view if n in allowed] for view in turn.views])
                could_cite = bool(shape.views)
                yield Reading(model.tokens_to_read(messages))
                for piece in model.stream(messages, shape, cancel):
                    if first_token is None:
                        first_token = time.perf_counter()
                    pieces.append(piece)
                    yield Token(piece)
                text, mode, prompt_tokens, finish = "".join(pieces), "llm", model.last_prompt_tokens, model.last_finish
            except ModelError as exc:
                yield Notice(f"{exc}. Answering from the posts instead.")
                allowed = {source.n for source in evidence.sources}
        if mode == "extractive":
            text = compose(evidence)
            yield Token(text)
        stray = [n for n in citations(text) if n not in allowed]
        if stray:
            text = strip_citations(text, stray)
            yield Notice(f"removed citations that name no source: {', '.join(f'[{n}]' for n in stray)}")
        fallback, model_text = None, text if mode == "llm" else None
        if mode == "llm" and not cancel.is_set():
            fallback = answer_problem(text, citations(text), finish, could_cite)
        if fallback is not None:  # the person gets the evidence itself, said why
            yield Notice(fallback)
            evidence_text = f"\n\n_Note: {fallback}; here is what the posts say._\n\n{compose(evidence)}"
            text += evidence_text
            yield Token(evidence_text)
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
        conversation.turns.append(Turn(question=evidence.question, answer=answer, prompt=turn.text,
                                       given=set(turn.new)))
        yield AnswerDone(answer)

"""A larger corpus grown from the starter threads, for measuring retrieval and ingest at scale.

Each generated thread takes a starter thread's shape (its replies, agreements and authors) and
rewrites every post: sentences are drawn from posts of the same position in other threads, a
share of words is swapped for near-synonyms, and numbers change, so no two threads are the same
text but lengths and structure stay realistic.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from mentor.corpus.bundled import bundled_threads
from mentor.corpus.model import Thread
from mentor.engine.text import sentences

_SWAPS = {"PM": ["product manager", "PM", "product lead"], "job": ["role", "job", "position"],
          "company": ["company", "org", "employer"], "skills": ["skills", "abilities", "chops"],
          "team": ["team", "squad", "group"], "career": ["career", "path", "trajectory"],
          "learn": ["learn", "pick up", "study"], "engineers": ["engineers", "developers", "devs"],
          "worth": ["worth", "valuable", "justified"], "hard": ["hard", "tough", "difficult"]}
_WORD = re.compile(r"\b(" + "|".join(map(re.escape, _SWAPS)) + r")\b")
_NUMBER = re.compile(r"\b\d+\b")


def _vary(text: str, rng: random.Random) -> str:
    text = _WORD.sub(lambda m: rng.choice(_SWAPS[m.group(1)]) if rng.random() < 0.5 else m.group(1), text)
    return _NUMBER.sub(lambda m: str(max(1, int(m.group()) + rng.randint(-3, 9))), text)


def generate(posts: int, seed: int = 0) -> list[Thread]:
    """Threads holding about `posts` posts in all."""
    rng = random.Random(seed)
    starters = list(bundled_threads())
    pool = [s for t in starters for p in t.posts for s in sentences(p.text) if len(s.split()) >= 4]
    threads: list[Thread] = []
    total = 0
    while total < posts:
        base = starters[len(threads) % len(starters)]
        number = len(threads)
        new_posts = []
        for post in base.posts:
            own = sentences(post.text)
            keep = own[: max(1, len(own) // 2)]
            borrowed = rng.sample(pool, k=min(len(pool), max(0, len(own) - len(keep))))
            text = " ".join(keep + borrowed) if len(post.text.split()) > 15 else post.text
            new_posts.append(replace(post, text=_vary(text, rng),
                                     author=f"{post.author}{number}" if post.author else None))
        threads.append(replace(base, id=f"{base.id}-g{number}", title=_vary(base.title, rng),
                               posts=tuple(new_posts), source=f"generated:{number}", format="generated"))
        total += len(new_posts)
    return threads


def questions(count: int, seed: int = 1) -> list[str]:
    """Worries to ask: the starter threads' titles and opening sentences, varied."""
    rng = random.Random(seed)
    starters = list(bundled_threads())
    asks = [t.title for t in starters] + [sentences(t.posts[0].text)[0] for t in starters]
    return [_vary(rng.choice(asks), rng) for _ in range(count)]


"""What gets indexed for each post: its words, in the context of its thread.

A post is found by its own text plus its thread's title (what the discussion is about). A bare
agreement ("100 percent this", "@X, cannot agree more") has no words of its own worth finding,
so it carries the text of the post it backs.
"""

from __future__ import annotations

from mentor.corpus.model import Post, Thread
from mentor.engine.events import PostKey
from mentor.analysis.roles import is_bare_agreement
from mentor.importers.replies import last_post_by, replied_name


def post_id(thread_id: str, index: int) -> str:
    return f"{thread_id}#{index}"


def parse_post_id(value: str) -> PostKey:
    thread_id, _, index = value.rpartition("#")
    return thread_id, int(index)


def backed_post(thread: Thread, post: Post) -> Post | None:
    """For a bare agreement, the post it backs (its reply, an `@Name`'s post, or the one above)."""
    if post.index == 1 or not post.citable or not is_bare_agreement(post.text):
        return None
    earlier = thread.before(post)  # (numbers may skip: the post above is not always index - 1)
    name = replied_name(post.text)
    target = post.reply_to or (last_post_by(earlier, name) if name else None) or (earlier[-1].index if earlier else None)
    return next((p for p in earlier if p.index == target), None)


def retrieval_text(thread: Thread, post: Post) -> str:
    parts = [thread.title, post.text]
    backed = backed_post(thread, post)
    if backed is not None:
        parts.append(backed.text)
    return "\n".join(parts)


def thread_documents(thread: Thread) -> dict[str, str]:
    """Post id -> the text indexed for it, for every post of `thread` that has words of its own
    (a post that is only an image or a link is no source: see `Post.citable`)."""
    return {post_id(thread.id, post.index): retrieval_text(thread, post) for post in thread.posts
            if post.citable}

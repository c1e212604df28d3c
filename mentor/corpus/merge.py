"""Merging a partial copy of a thread into the stored one.

A file may hold part of a thread (`Thread.partial`: one Discourse page, a Reddit comment
permalink, comments behind "load more" links). Such a part never replaces the stored copy; it
adds the posts that copy lacks. A post is the same post when it has the same `ref` (its own id
at its origin), or, for a forum that numbers its posts (Discourse), the same number. Stored posts
keep their numbers, so citations of them stay right; a new post keeps its forum number where the
forum numbers posts, and otherwise comes after the stored ones.
"""

from __future__ import annotations

from dataclasses import replace

from mentor.corpus.model import Coverage, Post, Thread

#: Formats whose `Post.index` is the forum's own post number, the same in every copy.
NUMBERED_FORMATS = frozenset({"discourse"})


def merge(stored: Thread, part: Thread) -> Thread:
    """`stored` with the posts of `part` it lacks, and its coverage counted up to match; when
    the part adds posts, the posts the forum hid in either copy (by their forum numbers) are
    listed, but for any the merged copy holds."""
    numbered = stored.format in NUMBERED_FORMATS and part.format in NUMBERED_FORMATS
    by_ref = {post.ref: post.index for post in stored.posts if post.ref}
    taken = {post.index for post in stored.posts}
    mapped: dict[int, int] = {}  # part's numbers -> merged numbers
    added: list[Post] = []
    next_index = max(taken, default=0) + 1
    for post in part.posts:
        if post.ref and post.ref in by_ref:
            mapped[post.index] = by_ref[post.ref]
        elif numbered and post.index in taken:
            mapped[post.index] = post.index
        elif numbered:
            mapped[post.index] = post.index
            added.append(post)
        else:
            mapped[post.index] = next_index
            next_index += 1
            added.append(post)
    if not added:
        return stored
    new_posts = [replace(post, index=mapped[post.index], reply_to=_reply_to(post, mapped, numbered))
                 for post in added]
    posts = tuple(sorted(stored.posts + tuple(new_posts), key=lambda post: post.index))
    held = {post.index for post in posts}
    hidden = tuple(sorted(number for number in {*stored.hidden, *(part.hidden if numbered else ())}
                          if number not in held))
    return replace(stored, posts=posts, coverage=_coverage(stored.coverage, part.coverage, len(added)),
                   hidden=hidden)


def _reply_to(post: Post, mapped: dict[int, int], numbered: bool) -> int | None:
    """The merged number of the post `post` answers: a forum number stays (it may name a post
    neither copy holds); a position is mapped, or dropped when the post is in neither copy."""
    if post.reply_to is None:
        return None
    return post.reply_to if numbered else mapped.get(post.reply_to)


def _coverage(stored: Coverage | None, part: Coverage | None, added: int) -> Coverage | None:
    """The merged copy's coverage: the stored count plus the posts added, out of the larger total."""
    if stored is None:
        return None  # the stored copy was whole as far as its file said
    totals = [c.total for c in (stored, part) if c is not None and c.total is not None]
    total = max(totals) if totals else None
    held = stored.held + added
    return replace(stored, held=min(held, total) if total is not None else held, total=total)

"""Merging a partial copy of a thread into the stored one.

A file may hold part of a thread (`Thread.partial`: one Discourse page, a Reddit comment
permalink, comments behind "load more" links). Such a part never replaces a fuller stored
copy; it adds the posts that copy lacks. A post is the same post when it has the same `ref` (its own id
at its origin), or, for a forum that numbers its posts (Discourse), the same number. Stored posts
keep their numbers, so citations of them stay right; a new post keeps its forum number where the
forum numbers posts, and otherwise comes after the stored ones.
"""

from __future__ import annotations

from dataclasses import replace

from mentor.corpus.model import Coverage, Post, Thread

#: Formats whose `Post.index` is the forum's own post number, the same in every copy.
NUMBERED_FORMATS = frozenset({"discourse", "discourse-raw"})


def merge(stored: Thread, part: Thread) -> Thread:
    """`stored` with the posts of `part` it lacks, and its coverage counted up to match; when
    the part adds posts, the posts the forum hid in either copy (by their forum numbers) are
    listed, but for any the merged copy holds."""
    numbered = _numbered(stored, part)
    mapped = _mapped(stored, part)
    added = [post for post in part.posts if post.index not in mapped]
    next_index = max((post.index for post in stored.posts), default=0) + 1
    for post in added:
        if numbered:
            mapped[post.index] = post.index
        else:
            mapped[post.index] = next_index
            next_index += 1
    if not added:
        return stored
    new_posts = [replace(post, index=mapped[post.index], reply_to=_reply_to(post, mapped, numbered))
                 for post in added]
    posts = tuple(sorted(stored.posts + tuple(new_posts), key=lambda post: post.index))
    held = {post.index for post in posts}
    hidden = tuple(sorted(number for number in {*stored.hidden, *(part.hidden if numbered else ())}
                          if number not in held))
    return replace(stored, posts=posts, hidden=hidden,
                   coverage=_coverage(stored, part, [post.index for post in added], held) if numbered
                   else _counted_coverage(stored.coverage, part.coverage, len(added)))


def holds_every_post(part: Thread, stored: Thread) -> bool:
    """Whether `part` holds every post of `stored`, matched as `merge` matches them (by `ref`, or
    by number for a forum that numbers its posts): a stored copy no fuller than the part."""
    return set(_mapped(stored, part).values()) >= {post.index for post in stored.posts}


def _numbered(stored: Thread, part: Thread) -> bool:
    return stored.format in NUMBERED_FORMATS and part.format in NUMBERED_FORMATS


def _mapped(stored: Thread, part: Thread) -> dict[int, int]:
    """The posts of `part` that `stored` holds: the part's number -> the stored copy's number."""
    numbered = _numbered(stored, part)
    by_ref = {post.ref: post.index for post in stored.posts if post.ref}
    taken = {post.index for post in stored.posts}
    mapped: dict[int, int] = {}
    for post in part.posts:
        if post.ref and post.ref in by_ref:
            mapped[post.index] = by_ref[post.ref]
        elif numbered and post.index in taken:
            mapped[post.index] = post.index
    return mapped


def _reply_to(post: Post, mapped: dict[int, int], numbered: bool) -> int | None:
    """The merged number of the post `post` answers: a forum number stays (it may name a post
    neither copy holds); a position is mapped, or dropped when the post is in neither copy."""
    if post.reply_to is None:
        return None
    return post.reply_to if numbered else mapped.get(post.reply_to)


def _coverage(stored: Thread, part: Thread, added: list[int], held: set[int]) -> Coverage | None:
    """The merged copy's coverage, for a forum that numbers its posts (`added`: the numbers of
    the part's posts added; `held`: the merged copy's): what the stored copy held, plus what the
    part held that the stored copy did not, of the larger total. A post is left out when either
    copy left it out and the merged copy does not hold it."""
    if stored.coverage is None:
        return None  # the stored copy was whole as far as its file said
    before = set(stored.coverage.left_out)
    left_out = (before | set(part.coverage.left_out if part.coverage else ())) - held
    new = {number for number in added if number not in before} | (left_out - before)
    merged = _counted_coverage(stored.coverage, part.coverage, len(new))
    return replace(merged, left_out=tuple(sorted(left_out)))


def _counted_coverage(stored: Coverage | None, part: Coverage | None, added: int) -> Coverage | None:
    """The merged copy's coverage: the stored count plus the posts added, out of the larger total."""
    if stored is None:
        return None  # the stored copy was whole as far as its file said
    totals = [c.total for c in (stored, part) if c is not None and c.total is not None]
    total = max(totals) if totals else None
    held = stored.held + added
    return replace(stored, held=min(held, total) if total is not None else held, total=total)

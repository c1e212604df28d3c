"""Merging a partial copy of a thread into the stored one.

A file may hold part of a thread (`Thread.partial`: one Discourse page, a Reddit comment
permalink, comments behind "load more" links). Such a part never replaces a fuller stored
copy; it adds the posts that copy lacks. A post is the same post when it has the same `ref` (its own id
at its origin), or, for a forum that numbers its posts (Discourse), the same number. Stored posts
keep their numbers, so citations of them stay right; a new post keeps its forum number where the
forum numbers posts, and otherwise comes after the stored ones.

A copy of a thread whose posts have no ids nor forum numbers (a plain-text dump, mentor's
Markdown: `ID_LESS_FORMATS`) tells no post deleted at its forum from one a shorter copy left
out, so it never drops a stored post either (`merge_copy`): a post is the same post when it has
the same words, or else when it is at the same place (an edit: the copy's words replace the
stored ones). The rule is the developers' guide's: nothing stored is silently replaced by a
partial copy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mentor.corpus.model import Coverage, Post, Thread

#: Formats whose `Post.index` is the forum's own post number, the same in every copy.
NUMBERED_FORMATS = frozenset({"discourse", "discourse-raw"})
#: Formats whose posts carry neither an id nor a forum number: a post is known by its words and place.
ID_LESS_FORMATS = frozenset({"plaintext", "markdown"})


@dataclass(frozen=True)
class CopyMerge:
    """What `merge_copy` made of a copy without post ids: the thread to store, and how many
    posts of the stored copy the copy lacked (`kept`, kept in `thread`) or held at their place
    in other words (`edited`, the copy's words in `thread`), and how many posts of the copy the
    stored copy lacked (`added`)."""

    thread: Thread
    kept: int = 0
    edited: int = 0
    added: int = 0


def merge(stored: Thread, part: Thread) -> Thread:
    """`stored` with the posts of `part` it lacks, and its coverage counted up to match; when
    the part adds posts, the posts the forum hid in either copy (by their forum numbers) are
    listed, but for any the merged copy holds."""
    numbered = _numbered(stored, part)
    matched = _mapped(stored, part)
    added = [post for post in part.posts if post.index not in matched]
    if not added:
        return stored
    mapped = _placed(stored, part, matched)
    new_posts = [replace(post, index=mapped[post.index], reply_to=_reply_to(post, mapped, numbered))
                 for post in added]
    posts = tuple(sorted(stored.posts + tuple(new_posts), key=lambda post: post.index))
    held = {post.index for post in posts}
    hidden = tuple(sorted(number for number in {*stored.hidden, *(part.hidden if numbered else ())}
                          if number not in held))
    return replace(stored, posts=posts, hidden=hidden,
                   coverage=_coverage(stored, part, [post.index for post in added], held) if numbered
                   else _counted_coverage(stored.coverage, part.coverage, len(added)))


def merge_copy(stored: Thread, copy: Thread) -> CopyMerge:
    """A whole copy of `stored` in a format without post ids (`ID_LESS_FORMATS`: both threads),
    as it is to be stored: `copy` itself when it holds every stored post (matched as `_mapped`
    matches them: by words, else by place); otherwise `copy` with the stored posts it lacks
    kept. Then stored posts keep their numbers (citations of them stay right), each in the
    copy's words where the copy holds it (an edit), and the copy's new posts come after them,
    as `merge` adds a part's; replies the copy links are mapped to the merged numbers. Raises
    nothing; `CopyMerge` counts the posts kept and edited."""
    matched = _mapped(stored, copy)
    edited = sum(1 for post in copy.posts
                 if post.index in matched and _words(post) != _words(stored.post(matched[post.index])))
    held = set(matched.values())
    kept = [post for post in stored.posts if post.index not in held]
    added = len(copy.posts) - len(matched)
    if not kept:
        return CopyMerge(copy, edited=edited, added=added)
    left_out = stored.coverage.left_out if stored.coverage else ()
    mapped = _placed(stored, copy, matched, clear_of=left_out)
    placed: list[Post] = []
    for post in copy.posts:
        reply_to = _reply_to(post, mapped, numbered=False)
        if reply_to is not None and reply_to >= mapped[post.index]:
            reply_to = None  # (words matched out of order: a reply answers an earlier post, or none)
        placed.append(replace(post, index=mapped[post.index], reply_to=reply_to))
    posts = tuple(sorted(kept + placed, key=lambda post: post.index))
    whole = len(posts) + len(left_out)  # (a whole thread keeps a coverage only to number its left-out posts)
    coverage = Coverage(held=whole, total=whole, left_out=left_out) if left_out else None
    return CopyMerge(replace(copy, posts=posts, coverage=coverage, hidden=()), kept=len(kept), edited=edited,
                     added=added)


def holds_every_post(part: Thread, stored: Thread) -> bool:
    """Whether `part` holds every post of `stored`, matched as `merge` matches them (by `ref`, or
    by number for a forum that numbers its posts): a stored copy no fuller than the part."""
    return set(_mapped(stored, part).values()) >= {post.index for post in stored.posts}


def _numbered(stored: Thread, part: Thread) -> bool:
    return stored.format in NUMBERED_FORMATS and part.format in NUMBERED_FORMATS


def id_less(stored: Thread, copy: Thread) -> bool:
    """Whether both copies are of formats whose posts have no ids nor numbers (`ID_LESS_FORMATS`)."""
    return stored.format in ID_LESS_FORMATS and copy.format in ID_LESS_FORMATS


def _words(post: Post) -> str:
    """A post's words, whatever their spacing and line breaks (a copy wrapped otherwise)."""
    return " ".join(post.text.split())


def _mapped(stored: Thread, part: Thread) -> dict[int, int]:
    """The posts of `part` that `stored` holds: the part's number -> the stored copy's number.
    Without post ids (`id_less`): the stored post with the same words, the first not taken in
    order; then, of the posts left on both sides, the one at the same place (an edit)."""
    if id_less(stored, part):
        return _mapped_by_words(stored, part)
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


def _mapped_by_words(stored: Thread, part: Thread) -> dict[int, int]:
    """`_mapped` for posts without ids: by words first, then by place."""
    free: dict[str, list[int]] = {}
    for post in stored.posts:
        free.setdefault(_words(post), []).append(post.index)
    mapped: dict[int, int] = {}
    for post in part.posts:
        if numbers := free.get(_words(post)):
            mapped[post.index] = numbers.pop(0)
    taken = set(mapped.values())
    left = {post.index for post in stored.posts} - taken
    for post in part.posts:
        if post.index not in mapped and post.index in left:
            mapped[post.index] = post.index
    return mapped


def _placed(stored: Thread, part: Thread, matched: dict[int, int], clear_of: tuple[int, ...] = ()) -> dict[int, int]:
    """Every post of `part` -> its number in the merged copy: `matched` (`_mapped`), and the
    rest by their forum numbers where the forum numbers posts, else after the stored posts
    (and after the numbers `clear_of`: the stored copy's left-out posts, which replies answer)."""
    numbered = _numbered(stored, part)
    placed = dict(matched)
    next_index = max((*(post.index for post in stored.posts), *clear_of), default=0) + 1
    for post in part.posts:
        if post.index in placed:
            continue
        if numbered:
            placed[post.index] = post.index
        else:
            placed[post.index] = next_index
            next_index += 1
    return placed


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

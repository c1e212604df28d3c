"""Importing another copy of a stored thread without post ids (a plain-text dump, mentor's
Markdown): no stored post is silently dropped (`merge.merge_copy`, `ingest._store_copy`).

Found by a new-user trial: a shorter copy of a plain-text thread replaced the stored one and one
side of its debate was gone, with only "1 updated" said (2026-12)."""

from pathlib import Path

from mentor.corpus.merge import merge_copy
from mentor.corpus.model import Coverage, Post, Thread
from tests.conftest import Cli

THREAD_ID = "should-i-take-the-staff-pm-offer"
TITLE = "Should I take the staff PM offer?"
OPENING = "The offer pays more but the team ships once a quarter."
AGAINST = "Turn it down. Slow teams make slow careers."
FOR = "Take it: a staff title opens doors later."
LATER = "Ask to see their last three launches before you answer."


def _dump(*posts: str, newline: str = "\n") -> str:
    """A plain-text dump: the title, then the posts apart at two blank lines."""
    return newline.join([TITLE, "", (newline * 3).join(posts), ""])


def _texts(cli: Cli) -> list[str]:
    shown = cli.json("corpus", "show", THREAD_ID, "--json")
    assert isinstance(shown, dict)
    return [post["text"] for post in shown["posts"]]


def test_a_shorter_copy_keeps_the_stored_post_it_lacks_and_says_so(cli: Cli, tmp_path: Path) -> None:
    saved = tmp_path / "saved.txt"  # (as a browser's copy piped to `mentor ingest -` was: CRLF)
    saved.write_bytes(_dump(OPENING, AGAINST, FOR, newline="\r\n").encode("utf-8"))
    first = cli("ingest", str(saved))
    assert "threads: 1 added" in first.stdout and "3 posts read" in first.stdout, first.output
    shorter = tmp_path / "shorter.txt"
    shorter.write_text(_dump(OPENING, AGAINST), encoding="utf-8")
    result = cli("ingest", str(shorter))
    assert result.exit_code == 0, result.output
    assert "threads: 0 added, 0 updated, 0 unchanged, 1 kept; 2 posts read" in result.stdout, result.stdout
    assert f"  kept     {THREAD_ID}: the stored copy already holds the file's 2 posts" in result.stdout
    assert (f"kept 1 stored post this file lacks (a file without post ids may be a shorter copy; "
            f"`mentor corpus remove {THREAD_ID}` first to store the file alone)") in result.stdout
    assert _texts(cli) == [OPENING, AGAINST, FOR]
    # What the note offers: the file alone, once the thread is removed.
    assert cli("corpus", "remove", THREAD_ID).exit_code == 0
    assert "1 added" in cli("ingest", str(shorter)).stdout
    assert _texts(cli) == [OPENING, AGAINST]


def test_a_longer_copy_adds_its_new_post(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(_dump(OPENING, AGAINST), encoding="utf-8")
    (tmp_path / "b.txt").write_text(_dump(OPENING, AGAINST, FOR), encoding="utf-8")
    assert "1 added" in cli("ingest", str(tmp_path / "a.txt")).stdout
    result = cli("ingest", str(tmp_path / "b.txt"))
    assert "threads: 0 added, 1 updated, 0 unchanged; 3 posts read" in result.stdout, result.stdout
    assert "kept" not in result.stdout and "edited" not in result.stdout
    assert _texts(cli) == [OPENING, AGAINST, FOR]


def test_the_same_copy_again_with_other_line_endings_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    lf, crlf = tmp_path / "lf.txt", tmp_path / "crlf.txt"
    lf.write_text(_dump(OPENING, AGAINST, FOR), encoding="utf-8")
    crlf.write_bytes(_dump(OPENING, AGAINST, FOR, newline="\r\n").encode("utf-8"))
    assert "1 added" in cli("ingest", str(lf)).stdout
    for again in (lf, crlf):
        result = cli("ingest", str(again))
        assert "threads: 0 added, 0 updated, 1 unchanged; 3 posts read" in result.stdout, result.stdout
        assert "kept" not in result.stdout
    listed = [row for row in cli.json("corpus", "list", "--json")  # type: ignore[union-attr]
              if not row["source"].startswith("bundled:")]
    assert [(row["id"], row["posts"]) for row in listed] == [(THREAD_ID, 3)]


def test_an_edited_shorter_copy_stores_the_edit_and_keeps_the_rest(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "saved.txt").write_text(_dump(OPENING, AGAINST, FOR), encoding="utf-8")
    assert "1 added" in cli("ingest", str(tmp_path / "saved.txt")).stdout
    edited = tmp_path / "edited.txt"
    edited.write_text(_dump(OPENING, AGAINST.replace("slow careers", "quiet careers")), encoding="utf-8")
    result = cli("ingest", str(edited))
    assert "threads: 0 added, 1 updated, 0 unchanged; 2 posts read" in result.stdout, result.stdout
    assert (f"  updated  {THREAD_ID}\n           1 post edited (other words at the same place): the file's "
            "words are stored\n           kept 1 stored post this file lacks") in result.stdout, result.stdout
    assert _texts(cli) == [OPENING, "Turn it down. Slow teams make quiet careers.", FOR]


def test_an_edited_copy_with_a_new_reply_says_both(cli: Cli, tmp_path: Path) -> None:
    """Editing a post and appending one printed only "1 post edited" (a trial user's, 2026-12-01)."""
    (tmp_path / "saved.txt").write_text(_dump(OPENING, AGAINST, FOR), encoding="utf-8")
    assert "1 added" in cli("ingest", str(tmp_path / "saved.txt")).stdout
    longer = tmp_path / "longer.txt"
    longer.write_text(_dump(OPENING, AGAINST.replace("slow careers", "quiet careers"), FOR, LATER), encoding="utf-8")
    result = cli("ingest", str(longer))
    assert (f"  updated  {THREAD_ID}\n           1 new post added\n           1 post edited (other words at the "
            "same place)") in result.stdout, result.stdout
    assert _texts(cli)[-1] == LATER


def _thread(*posts: Post, format: str = "plaintext") -> Thread:
    return Thread(id=THREAD_ID, title=TITLE, posts=posts, source="copy.txt", format=format)


def test_merge_copy_keeps_stored_numbers_and_adds_new_posts_after_them() -> None:
    """A copy without the middle post and with a new one: the stored posts keep their numbers
    (citations stay right), the new post comes after them, and its reply is mapped."""
    stored = _thread(Post(1, "kim", OPENING), Post(2, "lee", AGAINST), Post(3, "max", FOR, reply_to=2))
    copy = _thread(Post(1, "kim", OPENING), Post(2, "max", " ".join(FOR.split()), likes=4),
                   Post(3, "ana", LATER, reply_to=2), format="markdown")
    merged = merge_copy(stored, copy)
    assert (merged.kept, merged.edited, merged.added) == (1, 0, 1)
    assert [(p.index, p.author, p.text, p.likes, p.reply_to) for p in merged.thread.posts] == [
        (1, "kim", OPENING, None, None), (2, "lee", AGAINST, None, None), (3, "max", FOR, 4, None),
        (4, "ana", LATER, None, 3)]
    assert merged.thread.source == "copy.txt"


def test_merge_copy_of_a_fuller_copy_is_the_copy() -> None:
    stored = _thread(Post(1, None, OPENING), Post(2, None, AGAINST))
    copy = _thread(Post(1, None, OPENING), Post(2, None, "Turn it down."), Post(3, None, FOR))
    merged = merge_copy(stored, copy)
    assert merged.thread is copy and (merged.kept, merged.edited) == (0, 1)


def test_merge_copy_numbers_new_posts_clear_of_the_stored_left_out_ones() -> None:
    """A stored dump whose last comment was deleted keeps its number (4) for the replies to it:
    a post a shorter copy adds takes the next one."""
    stored = Thread(id=THREAD_ID, title=TITLE, format="plaintext",
                    posts=(Post(1, None, OPENING), Post(2, None, AGAINST), Post(3, None, FOR)),
                    coverage=Coverage(held=4, total=4, left_out=(4,)))
    copy = _thread(Post(1, None, OPENING), Post(2, None, LATER), Post(3, None, AGAINST, reply_to=1))
    merged = merge_copy(stored, copy)
    assert (merged.kept, merged.edited) == (1, 0)
    assert [(p.index, p.text, p.reply_to) for p in merged.thread.posts] == [
        (1, OPENING, None), (2, AGAINST, 1), (3, FOR, None), (5, LATER, None)]
    assert merged.thread.coverage == Coverage(held=5, total=5, left_out=(4,))

"""`mentor ingest` and `mentor corpus ...` through the real CLI on a fresh data directory."""

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import FIXTURES, REPO, Cli, durability_script
from tests.pty_terminal import as_a_shell_starts_it

PLAIN_ID = "do-pms-need-to-learn-sql"


def _stored_ids(cli: Cli) -> set[str]:
    return {row["id"] for row in cli.json("corpus", "list", "--json") if not row["source"].startswith("bundled:")}


def test_ingest_every_format_then_list_show_remove(cli: Cli, tmp_path: Path) -> None:
    result = cli("ingest", *(str(path) for path in sorted(FIXTURES.glob("*.*"))))  # (not real_world/)
    assert result.exit_code == 0, result.output
    assert "threads: 4 added, 0 updated, 0 unchanged" in result.stdout
    assert re.search(r"^indexing [\d,]+ posts…$", result.stderr, re.MULTILINE), result.stderr  # minutes, said
    rows = {row["id"]: row for row in cli.json("corpus", "list", "--json")}
    assert rows[PLAIN_ID] == {"id": PLAIN_ID, "title": "Do PMs need to learn SQL?", "posts": 5,
                              "source": str((FIXTURES / "plain_thread.txt").resolve()), "partial": None}
    shown = cli.json("corpus", "show", "fixture-markdown-thread", "--json")
    assert shown["url"] == "https://example.org/t/people-manager/9"
    assert shown["posts"][2] == {"index": 3, "author": "AnnaB",
                                 "text": "@RaviM, respectfully, no. Stay IC if you like building.",
                                 "likes": 2, "reply_to": 2, "citable": True}
    assert cli("corpus", "remove", PLAIN_ID).exit_code == 0
    assert PLAIN_ID not in _stored_ids(cli)
    missing = cli("corpus", "remove", PLAIN_ID)
    assert missing.exit_code == 1 and "no thread 'do-pms-need-to-learn-sql'" in missing.stderr


def test_ingest_is_idempotent_and_edits_replace(cli: Cli, tmp_path: Path) -> None:
    thread_file = tmp_path / "thread.txt"
    shutil.copy(FIXTURES / "plain_thread.txt", thread_file)
    assert "1 added" in cli("ingest", str(thread_file)).stdout
    assert "0 added, 0 updated, 1 unchanged" in cli("ingest", str(thread_file)).stdout
    thread_file.write_text(thread_file.read_text().replace("Is that a problem?", "Is that bad?"))
    assert "0 added, 1 updated, 0 unchanged" in cli("ingest", str(thread_file)).stdout
    shown = cli.json("corpus", "show", PLAIN_ID, "--json")
    assert shown["posts"][0]["text"].endswith("Is that bad?")
    # A new title gives a new id: the file's old thread is replaced, not kept beside it.
    thread_file.write_text(thread_file.read_text().replace("Do PMs need to learn SQL?", "SQL for PMs?"))
    result = cli("ingest", str(thread_file))
    assert "1 added, 0 updated, 0 unchanged, 1 replaced" in result.stdout
    assert _stored_ids(cli) == {"sql-for-pms"}


def test_a_file_read_as_one_post_is_said_under_its_line(cli: Cli, tmp_path: Path) -> None:
    dump = tmp_path / "dump.txt"
    dump.write_text("Quorl PMs and SQL\nShould I learn SQL this year?\nYes, start with one quorl report.\n"
                    "No, your analyst does it better.\n", encoding="utf-8")
    result = cli("ingest", str(dump))
    assert result.exit_code == 0, result.output
    assert re.search(rf"^  added    quorl-pms-and-sql\n {{11}}{re.escape(str(dump))}: read as one post: ",
                     result.stdout, re.MULTILINE), result.stdout


def test_bad_file_stores_nothing(cli: Cli, tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    shutil.copy(FIXTURES / "markdown_thread.md", good)
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: Broken\n---\n\n## AnnaB · reply to 7\n\nhello\n")
    result = cli("ingest", str(good), str(bad))
    assert result.exit_code == 1
    assert f"{bad}:5: 'reply to 7' must name an earlier post (1..0)" in result.stderr
    assert "nothing was stored" in result.stderr
    assert _stored_ids(cli) == set()
    skipped = cli("ingest", "--skip-bad", str(good), str(bad))
    assert skipped.exit_code == 0
    assert "1 added" in skipped.stdout and f"{bad}:5:" in skipped.stderr
    assert _stored_ids(cli) == {"fixture-markdown-thread"}


def test_skip_bad_with_every_file_bad_fails(cli: Cli, tmp_path: Path) -> None:
    empty, other = tmp_path / "empty.txt", tmp_path / "other.json"
    empty.write_bytes(b"")
    other.write_text('{"users": []}', encoding="utf-8")
    result = cli("ingest", "--skip-bad", str(empty), str(other))
    assert result.exit_code == 1
    assert f"{empty}: the file is empty" in result.stderr and f"{other}: JSON of an unknown shape" in result.stderr
    assert result.stderr.rstrip().endswith("nothing was stored (2 bad files and no good one to import)")
    assert _stored_ids(cli) == set()


def test_unreadable_files_get_clear_errors(cli: Cli, tmp_path: Path) -> None:
    cases = {
        "latin1.txt": ("Caf\xe9 title\n\nbody\n".encode("latin-1"), "latin1.txt:1: not UTF-8 text (byte 0xe9"),
        "empty.txt": (b"", "empty.txt: the file is empty"),
        "blob.txt": (b"\x89PNG\r\n\x1a\n\x00\x00", "blob.txt: a binary file, not text"),
        "other.json": (b'{"users": []}', "other.json: JSON of an unknown shape"),
    }
    cli("ingest", str(FIXTURES / "markdown_thread.md"))
    for name, (data, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        result = cli("ingest", str(path))
        assert result.exit_code == 1
        assert expected in result.stderr, result.stderr
        assert "Traceback" not in result.output
    assert cli("ingest", str(tmp_path / "nope.txt")).stderr.strip().endswith("nope.txt: no such file or folder")
    empty = tmp_path / "pictures"
    empty.mkdir()
    (empty / "readme.png").write_bytes(b"\x89PNG")
    result = cli("ingest", str(empty))
    assert result.exit_code == 1 and f"{empty}: no thread files in this folder" in result.stderr
    assert _stored_ids(cli) == {"fixture-markdown-thread"}


def test_duplicate_thread_ids_in_one_run(cli: Cli, tmp_path: Path) -> None:
    text = (FIXTURES / "markdown_thread.md").read_text(encoding="utf-8")
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    (tmp_path / "b.md").write_text(text.replace("Take it.", "Take it now."), encoding="utf-8")
    result = cli("ingest", str(tmp_path))
    assert result.exit_code == 1
    assert f"{tmp_path / 'b.md'}: thread id 'fixture-markdown-thread' also comes from {tmp_path / 'a.md'}" \
        in result.stderr
    assert "nothing was stored" in result.stderr and _stored_ids(cli) == set()


def test_one_thread_in_two_files_of_a_run_is_stored_once(cli: Cli, tmp_path: Path) -> None:
    """The same thread saved twice, once with Windows line endings: one thread, and a note."""
    text = "---\nid: lf-or-crlf\ntitle: Support lead to pricing PM?\n---\n\n## Kim\n\nHow do I move over?\n"
    (tmp_path / "a-crlf.md").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    (tmp_path / "a-lf.md").write_bytes(text.encode("utf-8"))
    result = cli("ingest", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "threads: 1 added, 0 updated, 0 unchanged; 1 post read" in result.stdout
    assert (f"one thread: {tmp_path / 'a-lf.md'} holds the same thread as {tmp_path / 'a-crlf.md'}, "
            "which is stored once") in result.stdout
    assert _stored_ids(cli) == {"lf-or-crlf"}
    assert "0 added, 0 updated, 1 unchanged" in cli("ingest", str(tmp_path / "a-lf.md")).stdout


def test_two_saves_of_one_hacker_news_story_in_a_run_are_one_thread(cli: Cli, tmp_path: Path) -> None:
    """Two files of one forum thread (the same native id) are one thread, whichever forum."""
    saved = json.loads((FIXTURES / "hackernews" / "ask_hn_saying_no.json").read_text(encoding="utf-8"))
    (tmp_path / "monday.json").write_text(json.dumps(saved), encoding="utf-8")
    saved["children"] = saved["children"][:1]  # an earlier save, fewer comments
    (tmp_path / "sunday.json").write_text(json.dumps(saved), encoding="utf-8")
    result = cli("ingest", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "threads: 1 added" in result.stdout and "also comes from" not in result.output


def test_counts_in_messages_are_singular_for_one(cli: Cli, tmp_path: Path) -> None:
    one = tmp_path / "one.md"
    one.write_text("---\nid: one-post\ntitle: One post?\n---\n\n## Kim\n\nIs one enough?\n", encoding="utf-8")
    cli("ingest", str(FIXTURES / "plain_thread.txt"))  # builds the index of the rest
    added = cli("ingest", str(one))
    assert "; 1 post read" in added.stdout and "index: 1 post embedded with LSA, 0 threads removed" in added.stdout
    assert "one-post  (1 post, " in cli("corpus", "list").stdout
    one.write_text(one.read_text(encoding="utf-8").replace("id: one-post", "id: one-post-again"), encoding="utf-8")
    assert "index: 1 post embedded with LSA, 1 thread removed" in cli("ingest", str(one)).stdout


def test_bundled_corpus_is_always_there(cli: Cli) -> None:
    rows = cli.json("corpus", "list", "--json")
    bundled = [row for row in rows if row["source"].startswith("bundled:")]
    assert len(bundled) >= 40
    result = cli("corpus", "remove", bundled[0]["id"])
    assert result.exit_code == 1 and "bundled starter corpus" in result.stderr


def test_seed_acceptance_as_a_subprocess(seed_path: Path, home: Path) -> None:
    """The issue's acceptance run, through `python -m mentor` as a user would type it."""
    run = lambda *args: subprocess.run([sys.executable, "-m", "mentor", *args], capture_output=True,
                                       text=True, env={"MENTOR_HOME": str(home), "PATH": "/usr/bin:/bin",
                                                                 "MENTOR_EMBEDDING_MODEL": "lsa"})
    ingest = run("ingest", str(seed_path))
    assert ingest.returncode == 0, ingest.stderr
    shown = json.loads(run("corpus", "show", "what-are-the-necessary-product-manager-key-skills", "--json").stdout)
    assert len(shown["posts"]) == 19
    assert shown["posts"][17]["likes"] == 1
    assert {p["author"] for p in shown["posts"]} >= {"AlbertChappel", "CathrynCui", "MichaelYoffe", "AnaRodriguez"}


def _folder_with_docs(tmp_path: Path) -> Path:
    """A folder as people share them: two threads, their README, a licence, and a labels file."""
    folder = tmp_path / "threads"
    folder.mkdir()
    shutil.copy(FIXTURES / "plain_thread.txt", folder / "sql.txt")
    shutil.copy(FIXTURES / "markdown_thread.md", folder / "people.md")
    (folder / "README.md").write_text("# threads/ — what is here\n\n| file | source |\n| --- | --- |\n"
                                      "| `sql.txt` | a forum |\n", encoding="utf-8")
    (folder / "LICENSE.txt").write_text("Permission is hereby granted, free of charge.\n", encoding="utf-8")
    (folder / "labels.json").write_text(json.dumps({"threads": {"sql.txt": {"A": "yes", "B": "no"}}}),
                                        encoding="utf-8")
    return folder


def test_folder_ingest_passes_over_documentation(cli: Cli, tmp_path: Path) -> None:
    folder = _folder_with_docs(tmp_path)
    refused = cli("ingest", str(folder))  # labels.json is no thread: all or nothing, and says how
    assert refused.exit_code == 1
    assert f"{folder / 'labels.json'}: JSON of an unknown shape: expected a Discourse topic" in refused.stderr
    assert "--skip-bad imports the rest" in refused.stderr and _stored_ids(cli) == set()
    result = cli("ingest", "--skip-bad", str(folder))
    assert result.exit_code == 0, result.output
    assert "threads: 2 added" in result.stdout
    assert (f"not imported: 2 documentation files ({folder / 'LICENSE.txt'}, {folder / 'README.md'}); "
            "name a file directly to import it") in result.stdout.splitlines()
    assert _stored_ids(cli) == {PLAIN_ID, "fixture-markdown-thread"}
    named = cli("ingest", str(folder / "README.md"))  # named directly: the user asked for it
    assert named.exit_code == 0 and "1 added" in named.stdout and "not imported" not in named.stdout
    assert len(_stored_ids(cli)) == 3


def test_folder_ingest_names_the_files_of_other_kinds_it_passes_over(cli: Cli, tmp_path: Path) -> None:
    """A chart saved beside a thread, and a thread saved as a web page: not read, and said so
    (hidden files, a folder's own business, are passed over without a word)."""
    folder = tmp_path / "saved"
    (folder / "charts").mkdir(parents=True)
    shutil.copy(FIXTURES / "markdown_thread.md", folder / "thread.md")
    (folder / "charts" / "roadmap.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "thread.html").write_text("<html><title>A thread</title></html>", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\x00\x00")
    result = cli("ingest", str(folder))
    assert result.exit_code == 0, result.output
    assert (f"not imported: 2 files of another kind ({folder / 'charts' / 'roadmap.png'}, {folder / 'thread.html'}); "
            "a folder is read for its .json, .markdown, .md, .txt files") in result.stdout.splitlines()
    assert ".DS_Store" not in result.stdout and "1 added" in result.stdout


def test_a_folder_of_documentation_alone_is_named(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "readme.txt").write_text("About these files\n\nNothing here yet.\n", encoding="utf-8")
    result = cli("ingest", str(folder))
    assert result.exit_code == 1
    assert "no thread files in this folder" in result.stderr
    assert "readme.txt is documentation, passed over" in result.stderr


def test_documentation_names_are_data() -> None:
    from mentor.corpus.ingest import is_documentation

    for name in ("README.md", "readme.txt", "README.en.md", "LICENSE.txt", "LICENSE-MIT.md",
                 "CHANGELOG.md", "CONTRIBUTING.md", "code_of_conduct.md"):
        assert is_documentation(Path(name)), name
    for name in ("readme-faster.txt", "changes-in-my-role.md", "license-to-lead.json", "pm-threads.txt"):
        assert not is_documentation(Path(name)), name


def test_ctrl_c_while_reading_the_files_imports_nothing_and_says_so(home: Path, tmp_path: Path) -> None:
    """Ctrl+C (a real SIGINT) while `mentor ingest` still reads its files: the threads are stored
    together after every file is read, so none lands, and mentor says so instead of "Aborted!".
    The second file is a named pipe, which holds the read open until the test interrupts it."""
    first = tmp_path / "sql.txt"
    shutil.copy(FIXTURES / "plain_thread.txt", first)
    pipe = tmp_path / "still-coming.md"
    os.mkfifo(pipe)
    env = {"MENTOR_HOME": str(home), "PATH": "/usr/bin:/bin", "MENTOR_EMBEDDING_MODEL": "lsa"}
    process = subprocess.Popen([sys.executable, "-m", "mentor", "ingest", str(first), str(pipe)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               preexec_fn=as_a_shell_starts_it)
    writer = None
    try:
        while writer is None:  # a writer can open the pipe only once mentor has opened it to read
            try:
                writer = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as error:
                assert error.errno == errno.ENXIO and process.poll() is None, process.communicate()
                time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
    finally:
        if writer is not None:
            os.close(writer)
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, (out, err)
    assert "interrupted: nothing was imported" in err and "Aborted" not in err + out
    listed = subprocess.run([sys.executable, "-m", "mentor", "corpus", "list", "--json"], capture_output=True,
                            text=True, env=env)
    assert PLAIN_ID not in {row["id"] for row in json.loads(listed.stdout)}


def test_a_discourse_topic_renamed_between_two_saves_stays_one_thread(cli: Cli, tmp_path: Path) -> None:
    """A Discourse topic is one thread by its number and the moment it was made, whatever its
    title when saved; another forum's topic with the same number is another thread."""
    def topic(title: str, created_at: str, reply: str) -> dict:
        return {"id": 4242, "title": title, "created_at": created_at, "post_stream": {"posts": [
            {"post_number": 1, "username": "ana", "cooked": "<p>Should a PM learn SQL or leave it to analysts?</p>"},
            {"post_number": 2, "username": "ben", "cooked": f"<p>{reply}</p>"}]}}
    saves = {"before.json": topic("Should a PM learn SQL?", "2026-03-01T09:00:00.123Z", "Learn it: waiting for "
                                  "an analyst costs a week."),
             "after.json": topic("Should a PM learn SQL? [solved]", "2026-03-01T09:00:00.123Z", "Learn it: waiting "
                                 "for an analyst costs a week, every week."),
             "other-forum.json": topic("Should a PM learn SQL?", "2025-07-14T18:30:00.000Z", "Leave it to them.")}
    for name, data in saves.items():
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    assert "1 added" in cli("ingest", str(tmp_path / "before.json")).stdout
    renamed = cli("ingest", str(tmp_path / "after.json"))
    assert "0 added, 1 updated" in renamed.stdout, renamed.stdout
    stored = [row for row in cli.json("corpus", "list", "--json") if not row["source"].startswith("bundled:")]
    assert len(stored) == 1 and stored[0]["id"] == "should-a-pm-learn-sql-d4242"
    assert stored[0]["title"] == "Should a PM learn SQL? [solved]"
    other = cli("ingest", str(tmp_path / "other-forum.json"))  # same title and number: never a silent swap
    assert other.exit_code == 1 and "is already taken by a different thread with the same title and number" \
        in other.stderr and "discourse:4242:2026-03-01T09:00:00.123Z" in other.stderr, other.output
    assert cli.json("corpus", "show", "should-a-pm-learn-sql-d4242", "--json")["title"].endswith("[solved]")


def test_ingest_and_show_say_which_posts_the_forum_hid(cli: Cli) -> None:
    """A Discourse topic with two posts hidden by community flags: the import names them, and
    `corpus show` says a reply answers a hidden post, not one missing from the file."""
    hidden_id = "leaving-project-management-for-product-worth-the-pay-cut-d7310"
    result = cli("ingest", str(FIXTURES / "discourse_moderation" / "hidden_posts.json"))
    assert result.exit_code == 0, result.output
    assert (f"  added    {hidden_id}\n           2 posts hidden by the forum (flagged by its community) are "
            "left out: posts 3, 6\n") in result.stdout
    shown = cli("corpus", "show", hidden_id).stdout
    assert "#4 · @tom_k · replying to #3 (hidden by the forum) · 4 likes" in shown
    assert "flagged by the community and is temporarily hidden" not in shown
    as_json = cli.json("corpus", "show", hidden_id, "--json")
    assert as_json["hidden"] == [3, 6] and as_json["partial"] is None


PAGES = FIXTURES / "discourse_pages"
PAGED_ID = "from-qa-lead-to-product-owner-step-up-or-sideways-d5150"


def test_a_discourse_page_says_what_it_read_and_a_re_import_is_unchanged(cli: Cli, tmp_path: Path) -> None:
    """A page whose topic lists 6 posts and which holds 4 of them, one a small action: the note
    counts the 3 posts read, and says what became of the other 3."""
    first = cli("ingest", str(PAGES / "first_page.json"))
    assert "3 posts read" in first.stdout
    assert ("the file holds part of the thread: 3 of 6 posts; 1 is no one's words (a small action, an "
            "automatic notice or a deleted post) and is left out; 2 were not in the file") in first.stdout
    again = cli("ingest", str(PAGES / "first_page.json"))
    assert "0 added, 0 updated, 1 unchanged; 3 posts read" in again.stdout and "kept" not in again.stdout
    # The same posts saved without the small action (a save that lacks it): the stored copy is no
    # fuller than that file, nor than the page again.
    data = json.loads((PAGES / "first_page.json").read_text())
    data["post_stream"]["posts"] = [post for post in data["post_stream"]["posts"] if post["post_type"] == 1]
    (tmp_path / "without_action.json").write_text(json.dumps(data), encoding="utf-8")
    for path in (tmp_path / "without_action.json", PAGES / "first_page.json"):
        result = cli("ingest", str(path))
        assert "0 added, 1 updated, 0 unchanged; 3 posts read" in result.stdout, result.stdout
        assert "fuller" not in result.stdout
        assert "1 unchanged" in cli("ingest", str(path)).stdout
    assert len(cli.json("corpus", "show", PAGED_ID, "--json")["posts"]) == 3


def test_discourse_pages_with_posts_left_out_merge_into_the_whole_topic(cli: Cli) -> None:
    """Two pages of a 6-post topic, each with a post that is no one's words (a small action, a
    withdrawn post): together they hold the whole topic, and nothing says a part is missing."""
    cli("ingest", str(PAGES / "first_page.json"))
    second = cli("ingest", str(PAGES / "second_page.json"))
    assert "1 completed" in second.stdout and "1 post the stored copy lacked was added" in second.stdout
    shown = cli.json("corpus", "show", PAGED_ID, "--json")
    assert [post["index"] for post in shown["posts"]] == [1, 2, 4, 6]
    assert shown["partial"] is None and shown["coverage"] == {"held": 6, "total": 6, "unit": "posts",
                                                              "left_out": [3, 5]}
    assert "1 kept" in cli("ingest", str(PAGES / "second_page.json")).stdout  # the stored copy is fuller


def test_show_says_a_hacker_news_reply_answers_a_deleted_comment(cli: Cli, tmp_path: Path) -> None:
    """A reply to a deleted Hacker News comment: the comment was in the file, left out as no
    one's words, so `corpus show` says so, not that the copy lacks it."""
    story = {"id": 700, "type": "story", "author": "op_h", "title": "Ask HN: Staff PM or manager?", "url": None,
             "text": "<p>Which track did you pick?</p>", "points": 5, "created_at_i": 1715677964, "options": [],
             "children": [
                 {"id": 701, "type": "comment", "author": None, "text": None, "parent_id": 700, "story_id": 700,
                  "children": [{"id": 702, "type": "comment", "author": "ren_k", "parent_id": 701, "story_id": 700,
                                "text": "<p>Managing, and I do not miss the roadmap.</p>", "children": []}]}]}
    path = tmp_path / "hn.json"
    path.write_text(json.dumps(story), encoding="utf-8")
    result = cli("ingest", str(path))
    assert result.exit_code == 0 and "part of the thread" not in result.stdout, result.output
    shown = cli("corpus", "show", "ask-hn-staff-pm-or-manager-hn700").stdout
    assert "#3 · @ren_k · replying to #2 (deleted or no one's words: left out)" in shown
    assert "part of the thread" not in shown


def test_a_format_named_for_a_file_plainly_in_another_is_refused(cli: Cli) -> None:
    """A trial's `--format hackernews` on a Discourse topic stored a one-post copy that replaced
    the topic imported before (2026-11-30): a file plainly in another format is refused by name
    and nothing stored changes."""
    topic = str(FIXTURES / "discourse_topic.json")
    assert cli("ingest", topic).exit_code == 0
    before = cli.json("corpus", "list", "--json")
    for named, found in (("hackernews", "a Discourse topic"), ("plaintext", "a Discourse topic")):
        result = cli("ingest", "--format", named, topic)
        assert result.exit_code == 1
        assert f"this is {found}, not the {named} format named with --format" in result.stderr
        assert "--format discourse" in result.stderr
    plain = cli("ingest", "--format", "reddit", str(FIXTURES / "plain_thread.txt"))
    assert plain.exit_code == 1 and "this is plain text, not the reddit format" in plain.stderr
    assert cli.json("corpus", "list", "--json") == before
    # Nor is mentor's Markdown read as plain text (a garbled copy replaced the thread stored from
    # the file, a trial's); plain text, which no format recognises, is left to the format named.
    markdown = cli("ingest", "--format", "plaintext", str(FIXTURES / "markdown_thread.md"))
    assert markdown.exit_code == 1 and "this is mentor's Markdown thread format" in markdown.stderr
    assert cli.json("corpus", "list", "--json") == before
    named = cli("ingest", "--format", "markdown", str(FIXTURES / "plain_thread.txt"))
    assert named.exit_code == 1 and "this is plain text" not in named.stderr  # the Markdown parser says what is missing


def test_a_broken_link_in_a_folder_is_named(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "threads"
    folder.mkdir()
    shutil.copy(FIXTURES / "plain_thread.txt", folder / "good.txt")
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    result = cli("ingest", str(folder))
    assert result.exit_code == 1
    assert f"gone.txt: a broken link: it points to {tmp_path / 'nowhere.txt'}, which does not exist" in result.stderr
    assert "1 added" in cli("ingest", "--skip-bad", str(folder)).stdout


def test_a_thread_piped_in_is_imported(bundled_copy: Path) -> None:
    """`curl …/t/123.json | mentor ingest -` (or `/dev/stdin`): a pipe's path resolves to no
    file, and a trial's `| mentor ingest /dev/stdin` failed with "cannot read" (2026-11-30)."""
    topic = (FIXTURES / "discourse_topic.json").read_bytes()
    for name in ("-", "/dev/stdin"):
        run = subprocess.run([sys.executable, "-m", "mentor", "--home", str(bundled_copy), "ingest", name],
                             input=topic, capture_output=True, cwd=REPO, env=durability_script().mentor_env(),
                             timeout=300)
        assert run.returncode == 0, run.stderr.decode()
        assert ("1 added" if name == "-" else "1 unchanged") in run.stdout.decode()


def test_two_saves_of_one_forum_thread_in_one_run_are_one_thread(cli: Cli, tmp_path: Path) -> None:
    """A trial imported two saves of one Reddit thread at once: it was listed as added and
    updated, and which one stayed was not said (2026-11-30)."""
    older = json.loads((FIXTURES / "reddit_thread.json").read_text(encoding="utf-8"))
    newer = json.loads(json.dumps(older))
    newer[1]["data"]["children"][0]["data"]["body"] = "Edited later: learn SQL first."
    (tmp_path / "a.json").write_text(json.dumps(older), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(newer), encoding="utf-8")
    result = cli("ingest", str(tmp_path / "a.json"), str(tmp_path / "b.json"))
    assert result.exit_code == 0, result.output
    assert "threads: 1 added, 0 updated, 0 unchanged" in result.stdout
    (thread_id,) = _stored_ids(cli)
    assert (f"one thread, 2 saves: {tmp_path / 'a.json'}, {tmp_path / 'b.json'} hold the same thread {thread_id}; "
            f"the last, {tmp_path / 'b.json'}, is stored") in result.stdout
    assert "Edited later: learn SQL first." in [p["text"] for p in cli.json("corpus", "show", thread_id, "--json")["posts"]]


def test_the_posts_said_to_be_indexed_are_the_posts_embedded(bundled_copy: Path, tmp_path: Path) -> None:
    """A post of a link alone is no source and is not embedded: "indexing 42 posts…" was
    followed by "index: 40 posts embedded" (a trial's, 2026-11-30)."""
    thread = tmp_path / "links.txt"
    thread.write_text("Is a portfolio worth it?\nShould a PM keep a portfolio of case studies?\n\n\n"
                      "https://example.org/portfolio-guide\n\n\nYes: two case studies with numbers beat any CV line.\n",
                      encoding="utf-8")
    result = Cli(bundled_copy)("ingest", str(thread))
    assert result.exit_code == 0, result.output
    assert "indexing 2 posts…" in result.stderr and "index: 2 posts embedded" in result.stdout


def test_a_whole_copy_that_lacks_stored_posts_says_so(cli: Cli, tmp_path: Path) -> None:
    """Importing an older save over a newer one replaced it and lost a comment without a word
    (a trial's, 2026-11-30): the import says how many stored posts the file lacks."""
    newer = json.loads((FIXTURES / "reddit_thread.json").read_text(encoding="utf-8"))
    comments = newer[1]["data"]["children"]
    comments[:] = [thing for thing in comments if thing["kind"] == "t1"]  # the whole thread: no "more" stub
    newer[0]["data"]["children"][0]["data"]["num_comments"] = len(comments)
    older = json.loads(json.dumps(newer))
    del older[1]["data"]["children"][-1]
    older[0]["data"]["children"][0]["data"]["num_comments"] = len(comments) - 1
    (tmp_path / "newer.json").write_text(json.dumps(newer), encoding="utf-8")
    (tmp_path / "older.json").write_text(json.dumps(older), encoding="utf-8")
    assert cli("ingest", str(tmp_path / "newer.json")).exit_code == 0
    result = cli("ingest", str(tmp_path / "older.json"))
    assert result.exit_code == 0, result.output
    assert re.search(r"updated .*\n +\d+ posts? of the stored copy (is|are) not in this file", result.stdout), result.stdout

"""../shared/import-cases/: small files that reproduce faults first seen in real exports; each
behaves as that folder's README asks. Skipped when the folder is not beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentor.corpus.model import Thread
from mentor.errors import ImportFailure
from mentor.importers.registry import read_file
from tests.conftest import REPO, Cli

CASES = REPO.parent / "shared" / "import-cases"
pytestmark = pytest.mark.skipif(not CASES.is_dir(), reason="../shared/import-cases is not beside the repository")


def case(name: str) -> Thread:
    return read_file(CASES / name)


def test_discourse_first_page_says_what_is_missing() -> None:
    thread = case("discourse-first-page-only.json")
    assert [p.index for p in thread.posts] == [1, 2]
    assert thread.coverage_note() == "2 of 3 posts; the rest were not in the file"


def test_discourse_later_page_keeps_its_numbers() -> None:
    thread = case("discourse-later-page-reply-as-op.json")
    assert [(p.index, p.author, p.reply_to) for p in thread.posts] == [(21, "pm_late", 7), (22, "pm_later", 21)]
    assert thread.opening is None
    assert "post 1, the opening post, was not in the file" in (thread.coverage_note() or "")


def test_discourse_media_and_placeholders() -> None:
    media = case("discourse-media-only-post-dropped.json")
    assert [(p.index, p.text, p.citable) for p in media.posts] == [
        (1, "[image]", False), (2, "Too many charts; cut it to three.", True)]
    alt = case("discourse-image-alt-as-text.json")
    assert (alt.post(2).text, alt.post(2).citable) == ("[image]", False)
    onebox = case("discourse-onebox-as-author-text.json").post(2)
    assert "https://example.org/pm-is-dead" in onebox.text and "teaser" not in onebox.text
    assert "example.org\n" not in onebox.text


def test_discourse_polls_notices_and_withdrawn_posts() -> None:
    assert case("discourse-poll-voters-wrong.json").post(1).text.endswith(
        "Poll (12 voters):\n- MBA: 3 votes\n- No MBA: 9 votes")
    assert [p.index for p in case("discourse-user-deleted-placeholder.json").posts] == [1]
    assert [p.index for p in case("discourse-moderator-action-kept.json").posts] == [1]


def test_discourse_posts_page_is_named() -> None:
    with pytest.raises(ImportFailure) as caught:
        case("discourse-posts-json-unclear-error.json")
    assert "/t/110/posts.json" in caught.value.message and "/t/110.json" in caught.value.message


def test_reddit_cases() -> None:
    stubs = case("reddit-more-stubs-silent.json")
    assert stubs.coverage_note() == "1 of 251 comments; the rest were not in the file"
    link = case("reddit-link-post-url-dropped.json").post(1).text
    assert "https://example.org/pm-salary-report-2024.pdf" in link
    poll = case("reddit-poll-options-dropped.json").post(1).text
    assert "- MBA: 3 votes\n- Switch from engineering: 9 votes" in poll
    entities = case("reddit-markdown-entities.json").post(2).text
    assert entities.startswith('Lead with the ask, "one slide" style.\n\nThen stop talking ಠ_ಠ')  # "\\_": "_"
    assert "&" not in entities and "\u200b" not in entities
    assert [p.author for p in case("reddit-mod-boilerplate-kept.json").posts] == ["op_user", "user_a"]


def test_reddit_permalink_never_replaces_the_thread(cli: Cli) -> None:
    cli("ingest", str(CASES / "reddit-permalink-replaces-thread.full.json"))
    result = cli("ingest", str(CASES / "reddit-permalink-replaces-thread.json"))
    assert "1 kept" in result.stdout and "1 of 3 comments" in result.stdout
    assert len(cli.json("corpus", "show", "is-an-mba-worth-it-for-pms-rabc2", "--json")["posts"]) == 4


def test_a_part_and_the_whole_in_one_run_note_the_part_only(cli: Cli) -> None:
    result = cli("ingest", str(CASES / "reddit-permalink-replaces-thread.full.json"),
                 str(CASES / "reddit-permalink-replaces-thread.json"))
    added, kept = result.stdout.split("\n  kept ", 1)
    assert "added    is-an-mba-worth-it-for-pms-rabc2" in added and "part of the thread" not in added
    assert "the file holds part of the thread" in kept


def test_reddit_saved_and_fetched_titles_are_one_thread(cli: Cli) -> None:
    cli("ingest", str(CASES / "reddit-title-entities-saved.json"), str(CASES / "reddit-title-entities-fetched.json"))
    mine = [row for row in cli.json("corpus", "list", "--json") if not row["source"].startswith("bundled:")]
    assert [row["title"] for row in mine] == ["Specs & stories: PM <-> Eng?"]


def test_line_endings_and_scripts_give_distinct_stable_ids() -> None:
    crlf, lf, other = case("a-crlf.md"), case("a-lf.md"), case("b-crlf.md")
    assert crlf.format == "markdown" and (crlf.id, crlf.content_hash()) == (lf.id, lf.content_hash())
    assert other.id != crlf.id and other.title == "Is an MBA worth it for a PM?"
    ids = {case(name).id for name in ("title-ja-career.txt", "title-ja-jobchange.txt", "title-ru-grow.txt")}
    assert len(ids) == 3 and ids == {case(name).id for name in ("title-ja-career.txt", "title-ja-jobchange.txt",
                                                               "title-ru-grow.txt")}


def test_japanese_question_finds_the_japanese_thread(bundled_copy: Path) -> None:
    cli = Cli(bundled_copy)
    cli("ingest", *(str(CASES / name) for name in ("title-ja-career.txt", "title-ja-jobchange.txt",
                                                   "title-ru-grow.txt")))
    question = case("title-ja-jobchange.txt").posts[0].text
    answer = cli.json("ask", "--no-model", "--json", question)
    assert answer["sources"][0]["thread_title"] == case("title-ja-jobchange.txt").title
    assert {s["thread_title"] for s in answer["sources"]} <= {case(name).title for name in (
        "title-ja-jobchange.txt", "title-ja-career.txt")}  # a second Japanese thread may join the answer


def test_a_60kb_post_does_not_hide_its_thread(bundled_copy: Path) -> None:
    cli = Cli(bundled_copy)
    cli("ingest", str(CASES / "long-post-60kb.txt"))
    thread = case("long-post-60kb.txt")
    answer = cli.json("ask", "--no-model", "--json", thread.posts[0].text)
    assert answer["sources"][0]["thread_title"] == thread.title

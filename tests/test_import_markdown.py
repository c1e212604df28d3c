import pytest

from mentor.errors import ImportFailure
from mentor.importers import markdown
from mentor.importers.registry import read_file
from tests.conftest import FIXTURES


def test_fixture() -> None:
    thread = read_file(FIXTURES / "markdown_thread.md")
    assert thread.format == "markdown"
    assert thread.id == "fixture-markdown-thread"
    assert thread.url == "https://example.org/t/people-manager/9"
    assert thread.tags == ("management", "career")
    assert [(p.author, p.likes, p.reply_to) for p in thread.posts] == [
        ("ZoeK", None, None), ("RaviM", 8, None), ("AnnaB", 2, 2), ("ZoeK", None, 2)]
    assert thread.post(1).text.endswith("managing.\n\nShould I take it?")


def test_round_trip() -> None:
    thread = read_file(FIXTURES / "markdown_thread.md")
    again = markdown.parse(markdown.render(thread), thread.source)
    assert again == thread
    assert again.content_hash() == thread.content_hash()


def test_id_defaults_to_title_slug() -> None:
    thread = markdown.parse("---\ntitle: Should I do an MBA?\n---\n\n## (unknown)\n\nHi.\n")
    assert thread.id == "should-i-do-an-mba"
    assert thread.post(1).author is None


@pytest.mark.parametrize("text, line, field, expected", [
    ("title: x\n", 1, None, "expected front matter"),
    ("---\ntitle: x\n", 1, None, "not closed"),
    ("---\ntitle: [unclosed\n---\n## A\n\nx\n", 2, None, "not valid YAML"),
    ("---\nurl: http://x\n---\n## A\n\nx\n", 2, "title", "non-empty title"),
    ("---\ntitle: x\nid: Not A Slug\n---\n## A\n\nx\n", 3, "id", "lowercase"),
    ("---\ntitle: x\ntitel: y\n---\n## A\n\nx\n", 3, "titel", "unknown front matter key"),
    ("---\ntitle: x\n---\nstray text\n", 4, None, "post heading"),
    ("---\ntitle: x\n---\n## A\n\n## B\n\ntext\n", 4, None, "post's text"),
    ("---\ntitle: x\n---\n## A · twelve likes\n\ntext\n", 4, None, "unexpected 'twelve likes'"),
    ("---\ntitle: x\n---\n## A · reply to 1\n\ntext\n", 4, None, "earlier post"),
    ("---\ntitle: x\n---\n\n", 4, None, "at least one post"),
])
def test_bad_markdown(text: str, line: int, field: str | None, expected: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        markdown.parse(text)
    assert caught.value.line == line
    assert caught.value.field == field
    assert expected in caught.value.message


def test_an_at_reply_to_op_answers_the_opening_post_unless_someone_is_so_named() -> None:
    text = ("---\ntitle: Should I do an MBA?\n---\n\n## Kim\n\nShould I?\n\n## Lou\n\nNo.\n\n"
            "## Max\n\n@OP, only for banking.\n\n## Ned\n\n@all thanks, useful.\n\n## Team\n\nAsk us.\n\n"
            "## Ola\n\n@team, who is us?\n")
    thread = markdown.parse(text)
    assert [(p.index, p.reply_to) for p in thread.posts] == [(1, None), (2, None), (3, 1), (4, None), (5, None),
                                                             (6, 5)]

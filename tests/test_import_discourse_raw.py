"""A Discourse topic's raw page (`/raw/<id>`): headed posts of Markdown apart at lines of dashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentor.analysis import analyse
from mentor.errors import ImportFailure
from mentor.importers import discourse_raw
from mentor.importers.registry import detect, parse_text
from tests.conftest import Cli

RAW = """# Should a PM learn to write quorl queries?

river_stone | 2024-04-27 06:35:35 UTC | #1

Six years as a PM and I still ask the data team for every quorl number. Should I learn to write the queries myself?

-------------------------

quill_and_ink | 2024-04-27 08:01:12 UTC | #2

Learn enough to check a number. Here is the one I run every Monday:

```
SELECT team, count(*)

FROM quorls
```

It takes ten minutes and the data team thanks you for it.

-------------------------

harbor_lights | 2024-04-28 10:15:00 UTC | #4

[quote="quill_and_ink, post:2, topic:839"]
Learn enough to check a number.
[/quote]

Checking numbers is the analysts' job; a PM's hours belong with customers, not with queries.

-------------------------
"""


def test_a_raw_topic_is_read_with_its_authors_numbers_quotes_and_code() -> None:
    """Read as plain text, every post was nobody's, its header line quoted as a view ("SirNate0 |
    2022-01-19 02:18:39 UTC | #8"), a code block's blank line split a post in two, and a
    `[quote]` stayed as its tags (a trial's, 2026-11-30)."""
    assert detect(RAW) == discourse_raw.FORMAT
    thread = parse_text(RAW, "topic.md")
    assert thread.title == "Should a PM learn to write quorl queries?" and thread.format == discourse_raw.FORMAT
    assert [(p.index, p.author, p.reply_to) for p in thread.posts] == [
        (1, "river_stone", None), (2, "quill_and_ink", None), (4, "harbor_lights", 2)]
    second, third = thread.post(2).text, thread.post(4).text
    assert "SELECT team, count(*)" in second and "FROM quorls" in second and "thanks you for it" in second
    assert "|" not in second and "-----" not in second and "UTC" not in thread.post(1).text
    assert "[quote" not in third and "> Learn enough to check a number." in third
    quoted = [q.sentence for p in analyse(thread).posts for q in p.quotables]
    assert not any("SELECT" in s or "UTC" in s for s in quoted)
    assert any(s.startswith("Checking numbers is the analysts' job") for s in quoted)


def test_a_raw_topic_without_a_title_line_is_titled_by_its_opening_post() -> None:
    thread = parse_text(RAW.split("\n", 2)[2], "839.txt")
    assert thread.title.startswith("Six years as a PM and I still ask the data team")
    assert len(thread.title) <= discourse_raw.TITLE_CHARS + 2


def test_a_raw_topic_titled_by_a_line_with_a_link_keeps_its_words_not_its_address() -> None:
    """A title names the question: an address would crowd it (and be cut mid-way); the post keeps it."""
    body = RAW.split("\n", 2)[2].replace("Six years as a PM", "After [six years](https://quorl.example/about) as a PM", 1)
    thread = parse_text(body, "839.txt")
    assert thread.title.startswith("After six years as a PM and I still ask")
    assert thread.post(1).text.startswith("After [six years](https://quorl.example/about) as a PM")


@pytest.mark.parametrize("text, line, says", [
    (RAW.replace("#4\n", "#2\n", 1), 23, "post #2 comes after post #2"),
    ("Some words first\n\n" + RAW.split("\n", 2)[2], 1, "unexpected 'Some words first' above the first post's header"),
])
def test_a_raw_topic_out_of_order_or_with_words_above_it_is_refused_naming_the_line(
        text: str, line: int, says: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        discourse_raw.parse(text, "topic.md")
    assert caught.value.line == line and says in caught.value.message


def test_mentor_ingest_reads_a_raw_topic(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "raw.txt"
    path.write_text(RAW, encoding="utf-8")
    result = cli("ingest", str(path))
    assert result.exit_code == 0, result.output
    shown = cli("corpus", "show", "should-a-pm-learn-to-write-quorl-queries")
    assert "#4 · @harbor_lights · replying to #2" in shown.stdout, shown.stdout


def test_a_raw_page_cut_short_never_replaces_the_stored_topic(cli: Cli, tmp_path: Path) -> None:
    """A copy cut mid-page had replaced the stored three-post topic with its first post, the half
    header "jo_park | 2024-01-01 11:00:00" in its text (a trial's, session 17). Cut in a header it
    is refused, naming the line; cut elsewhere (no line of dashes under its last post, as
    Discourse writes under every post) it is part of the topic: it adds what the stored copy
    lacks and replaces nothing."""
    whole = tmp_path / "whole.txt"
    whole.write_text(RAW, encoding="utf-8")
    assert cli("ingest", str(whole)).exit_code == 0
    threads = len(cli.json("corpus", "list", "--json"))
    in_header = tmp_path / "in-header.txt"
    in_header.write_text(RAW[:RAW.index("#4") - 3], encoding="utf-8")
    refused = cli("ingest", str(in_header))
    assert refused.exit_code == 1 and "the file ends in the middle of a post's header line" in refused.stderr
    assert f"in-header.txt:{RAW[:RAW.index('#4')].count(chr(10)) + 1}:" in refused.stderr
    for cut in (RAW[:RAW.index("thanks you")], RAW.rstrip()[:-5]):  # in a post, in its dashes
        part = tmp_path / "part.txt"
        part.write_text(cut, encoding="utf-8")
        result = cli("ingest", str(part))
        assert result.exit_code == 0 and "more were not in the file" in result.stdout, result.stdout
        shown = cli("corpus", "show", "should-a-pm-learn-to-write-quorl-queries").stdout
        assert "#4 · @harbor_lights" in shown and "thanks you for it" in shown
        assert len(cli.json("corpus", "list", "--json")) == threads  # the same topic, not another

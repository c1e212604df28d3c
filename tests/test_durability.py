"""SIGKILL in the middle of the work: one round of each scenario of scripts/durability.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import durability_script

durability = durability_script()
pytestmark = pytest.mark.usefixtures("no_leftover_processes")


@pytest.fixture
def home(bundled_copy: Path) -> Path:
    return bundled_copy


def _manifest(home: Path) -> dict:
    try:
        return json.loads((home / "index" / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def test_ingest_killed_while_it_rebuilds_the_index(home: Path, tmp_path: Path) -> None:
    """Killed after the corpus was stored, with the old collection dropped and the new one
    half-written: the corpus holds old + new whole, the manifest claims nothing that is not
    there, and the next open rebuilds an index where every post is found by its own vector."""
    batch = tmp_path / "batch"
    durability.write_threads(batch, "new", 760, seed=2)  # past twice the fitted size: a refit
    before = durability.corpus_state(home)
    setup = durability.IngestSetup(base=home, batch=batch, before=before,
                                   after={**before, **durability.batch_state(batch)}, seconds=0)
    old_model = _manifest(home)["embedder"]["fingerprint"]
    proc = durability.Proc(durability.mentor_args(home, "ingest", str(batch)))
    proc.wait_for(r"^threads: \d+ added")
    # The refitted collection exists and its vectors are being written: its manifest lists no thread yet.
    durability.wait_until(lambda: _manifest(home).get("threads") == {} and
                          _manifest(home)["embedder"]["fingerprint"] != old_model, "the new collection")
    proc.kill()
    assert proc.popen.returncode == -9, "the ingest finished before it could be killed"

    landed, left = durability.check_after_ingest_kill(home, setup)
    assert landed
    assert left.problems(), "the kill did not interrupt the indexing"


def test_chat_killed_mid_conversation(home: Path) -> None:
    """Killed while the third answer is being written: the two saved turns are there, whole and
    in order; the third is there complete or not at all; the history stays usable."""
    proc = durability.start_chat(home, durability.QUESTIONS)
    proc.wait_for(r"^saved 2$")
    proc.wait_for(r"^asking 3$")
    proc.kill()
    saved = len(proc.lines(r"^saved \d+$"))
    assert 2 <= saved < len(durability.QUESTIONS)
    durability.check_lock_free(home)
    durability.check_chat_history(home, durability.QUESTIONS, saved)
    listed = durability.run_mentor(home, "history", "list", "--json")
    assert [s["turns"] for s in json.loads(listed.stdout)] in ([saved], [saved + 1])


def test_a_rebuild_that_dies_after_dropping_the_collection_is_redone(home: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The old collection is deleted before the new one exists; a process dying there must not
    leave a manifest vouching for the deleted collection (the next open would fail, not repair)."""
    from mentor.corpus.library import Corpus
    from mentor.engine.engine import Engine
    from mentor.engine.index import COLLECTION, PostIndex

    threads = Corpus(home).threads()
    index = PostIndex(home, embedding_model="lsa")

    def dies(*args: object, **kwargs: object) -> None:
        raise SystemExit("killed")

    with monkeypatch.context() as patched:
        patched.setattr(index.client, "create_collection", dies)  # the old one is dropped by then
        with pytest.raises(SystemExit):
            index.sync(threads, rebuild=True)
    assert COLLECTION not in [c.name for c in PostIndex(home, embedding_model="lsa").client.list_collections()]
    assert PostIndex(home, embedding_model="lsa").needs_sync(threads)
    engine = Engine.open(home)
    assert engine.stats.sync is not None and engine.stats.sync.rebuilt
    assert PostIndex(home, embedding_model="lsa").count() == engine.stats.posts

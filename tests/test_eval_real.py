"""`mentor eval` on labelled sets of threads nobody here wrote (../shared/real-threads and the
seed, labelled by us in tests/labels/seed.json), beside the bundled corpus.

The floors are what the engine reached when they were set (2026-11-29); they only ever go up.
The targets of issue 11 (hit@5 ≥ 90%, both-sides ≥ 75%, purity ≥ 85%) are met since threads
are also ranked by meaning as wholes (2026-12-01); see the README's "Measured" section.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mentor.analysis.claims import label_problem, thread_names
from mentor.analysis.model import SEVERAL_OPINIONS
from mentor.config import load_settings
from mentor.corpus.bundled import bundled_threads
from mentor.engine.engine import Engine
from mentor.engine.perspectives import find_views
from mentor.eval.labelled_set import labelled_threads
from mentor.eval.labels import load_label_set, load_labels, load_questions
from mentor.eval.metrics import RunMetrics, evaluate
from mentor.importers.registry import read_file
from tests.conftest import REPO, Cli

REAL = REPO.parent / "shared" / "real-threads"
SEEDS = REPO.parent / "shared" / "seeds"
SEED_LABELS = REPO / "tests" / "labels" / "seed.json"
FLOORS = {"hit_at_5": 0.94, "in_answer": 0.88, "both_sides": 0.83, "purity": 0.95, "citation_validity": 1.0,
          "label_quality": 1.0}
#: Our own questions for the same threads (tests/labels/real-paraphrases.json), set 2026-11-30;
#: in the answer and both sides raised the same day (the thread of the nearest post in meaning),
#: hit@5 on 2026-11-30 (session 17: the reciprocal-rank constant 20).
PARAPHRASES = REPO / "tests" / "labels" / "real-paraphrases.json"
PARAPHRASE_FLOORS = {"hit_at_5": 0.88, "in_answer": 0.76, "both_sides": 0.73, "purity": 0.95,
                     "citation_validity": 1.0, "label_quality": 1.0}


@pytest.fixture(scope="module")
def real_sets() -> list[tuple[Path, Path]]:
    if not (REAL / "labels.json").exists() or not SEEDS.exists():
        pytest.skip("../shared/real-threads and ../shared/seeds are not beside the repository")
    return [(REAL, REAL / "labels.json"), (SEEDS, SEED_LABELS)]


@pytest.fixture(scope="module")
def real_home(sentence_home: Path, real_sets: list[tuple[Path, Path]],
              tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus `mentor eval --threads` measures the real sets on (`labelled_home`): the
    bundled corpus and every labelled thread, indexed with the sentence model; made once for
    this module from the session's indexed starter home (embedding the bundled corpus is most
    of an eval's time) by a user's `mentor ingest`."""
    home = tmp_path_factory.mktemp("real-sets") / "home"
    shutil.copytree(sentence_home, home)
    files, _ = labelled_threads(real_sets)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MENTOR_EMBEDDING_MODEL", raising=False)
        result = Cli(home)("ingest", *map(str, files))
    assert result.exit_code == 0, result.output
    return home


def _eval(home: Path, real_sets: list[tuple[Path, Path]], questions: Path | None = None) -> RunMetrics:
    """`mentor eval --threads … --labels … [--questions FILE]`'s figures for the engine, on `home`."""
    _, labels = labelled_threads(real_sets, load_questions(questions) if questions else None)
    hybrid = evaluate(Engine.open(home, load_settings(home)), labels, "mentor (hybrid)")
    assert hybrid.embedder == "all-MiniLM-L6-v2"
    return hybrid


def test_eval_on_real_threads_keeps_its_floors(sentence_model: None, real_home: Path,
                                               real_sets: list[tuple[Path, Path]]) -> None:
    hybrid = _eval(real_home, real_sets)
    figures = hybrid.summary()
    assert figures["questions"] == 18
    for key, floor in FLOORS.items():
        assert figures[key] >= floor, (key, figures[key])
    per_question = hybrid.per_question()
    assert len(per_question) == 18 and all("sides_cited" in q and "rank" in q for q in per_question)


def test_eval_asks_other_questions_of_the_real_threads(sentence_model: None, real_home: Path,
                                                       real_sets: list[tuple[Path, Path]]) -> None:
    """The same threads asked in other words (`--questions`): the figures a new user's words get,
    lower than the labels' own (see the README's "Measured")."""
    hybrid = _eval(real_home, real_sets, PARAPHRASES)
    figures = hybrid.summary()
    asked = json.loads(PARAPHRASES.read_text(encoding="utf-8"))["threads"]
    assert figures["questions"] == sum(len(questions) for questions in asked.values())
    assert {q["question"] for q in hybrid.per_question()} == {q for qs in asked.values() for q in qs}
    for key, floor in PARAPHRASE_FLOORS.items():
        assert figures[key] >= floor, (key, figures[key])


def test_eval_names_a_bad_questions_file(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("Title\n\nOpening post.\n\n\nA reply.\n", encoding="utf-8")
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps({"threads": {"t.txt": {"A": "a", "B": "b", "sides": {"2": "A"},
                                                       "questions": ["q"]}}}), encoding="utf-8")
    pairs = ["--threads", str(tmp_path), "--labels", str(labels)]
    questions = tmp_path / "questions.json"
    questions.write_text(json.dumps({"threads": {"t.txt": "not a list"}}), encoding="utf-8")
    result = cli("eval", *pairs, "--questions", str(questions))
    assert result.exit_code == 1 and "threads.t.txt: expected a non-empty list of questions" in result.output
    questions.write_text(json.dumps({"threads": {"other.txt": ["q?"]}}), encoding="utf-8")
    result = cli("eval", *pairs, "--questions", str(questions))
    assert result.exit_code == 1 and "names other.txt, which no --labels file labels" in result.output
    assert cli("eval", "--questions", str(questions)).exit_code == 2  # no labelled set: a usage error


def test_eval_names_a_bad_labels_file(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("Title\n\nOpening post.\n\n\nA reply.\n", encoding="utf-8")
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps({"threads": {"t.txt": {"A": "a", "B": "b", "sides": {"1": "maybe"},
                                                       "questions": ["q"]}}}), encoding="utf-8")
    result = cli("eval", "--threads", str(tmp_path), "--labels", str(labels))
    assert result.exit_code == 1
    assert "threads.t.txt" in result.stderr and "maybe" in result.stderr
    assert cli("eval", "--threads", str(tmp_path)).exit_code == 2  # --labels missing: a usage error


def test_every_view_label_is_a_claim(real_sets: list[tuple[Path, Path]]) -> None:
    """The label rule over every view the engine shows for every labelled question: the starter
    corpus, the real set and the seed (each thread answered on its own)."""
    starter = {t.id: t for t in bundled_threads()}
    cases = [(starter[labels.thread_id], labels.questions) for labels in load_labels()]
    for threads, labels_file in real_sets:
        cases += [(read_file(entry.path.resolve()), entry.labels.questions)
                  for entry in load_label_set(labels_file, threads)]
    shown = 0
    for thread, questions in cases:
        names = thread_names(post.author for post in thread.posts)
        for question in questions:
            views = find_views(thread, question)
            for view in views.views:
                shown += 1
                if view.label or views.shape != SEVERAL_OPINIONS:  # an opinion may go unlabelled
                    assert label_problem(view.label, names) is None, (thread.id, view.label)
    assert shown > 200


OWN_THREAD = """Should a product manager learn to read code review comments?

I keep nodding along in code review threads without understanding them. Should a product manager learn to read code review comments, or is that wasted effort?


Yes. Reading code review comments taught me where the engineers worried about the design, and my estimates got honest.


Hard disagree. Code review is the engineers' craft; a product manager who hovers there reads as distrust, so spend the hours on customers.


Agreed with the second reply. My team stopped inviting me to planning once I started commenting on pull requests.
"""
LONG_QUESTION = ("As a product manager, should I learn to read the code review comments my engineers "
                 "write, or leave that craft to them?")
MISSED_QUESTION = "Is a full-time MBA worth it if I want to become a senior PM?"


def test_eval_text_marks_targets_and_cuts_questions_at_a_word(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "review.txt").write_text(OWN_THREAD, encoding="utf-8")
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps({"threads": {"review.txt": {
        "A": "read the reviews", "B": "leave them to engineers",
        "sides": {"1": "neutral", "2": "A", "3": "B", "4": "B"},
        "questions": [LONG_QUESTION, MISSED_QUESTION]}}}), encoding="utf-8")
    result = cli("eval", "--threads", str(tmp_path), "--labels", str(labels))
    assert result.exit_code == 0, result.output
    assert not (cli.home / "corpus.sqlite").exists()  # measured in a home of its own: yours is not touched
    rows = {cells[0]: cells for line in result.stdout.splitlines()
            if line.startswith("| ") and len(cells := [c.strip() for c in line.strip("|").split("|")]) == 4}
    assert rows["citation validity"][1] == "100%" and rows["hit at 5"][1] == "≥ 90%"
    for name in ("hit at 5", "both sides", "purity", "citation validity", "label quality"):
        target = float(rows[name][1].removeprefix("≥ ").rstrip("%"))
        for cell in rows[name][2:]:
            value, mark = cell.split(" ")
            assert mark == ("✓" if float(value.rstrip("%")) >= target else "✗"), (name, cell)
    assert "mentor (hybrid): " in result.stdout and "targets met" in result.stdout
    lines = {line.split(": ")[0][2:]: line for line in result.stdout.splitlines() if line.startswith("- ")}
    shown = next(q for q in lines if q.endswith("…"))
    assert LONG_QUESTION.startswith(shown[:-1]) and LONG_QUESTION[len(shown) - 1] == " "
    assert lines[MISSED_QUESTION].endswith("pure —") and "0/0" not in result.stdout
    quoted = rows["thread quoted in the answer"]
    assert quoted[1] == "" and all(cell.endswith("%") for cell in quoted[2:])
    data = json.loads(cli("eval", "--json", "--threads", str(tmp_path), "--labels", str(labels)).stdout)
    for name, run in data["runs"].items():  # the share of questions whose answer cites their thread
        questions = data["questions"][name]
        assert run["in_answer"] == sum(q["in_answer"] for q in questions) / len(questions)
        assert all(q["in_answer"] == bool(q["sides_cited"]) for q in questions)


def test_imported_threads_do_not_crowd_out_the_starter_answers(sentence_copy: Path,
                                                                real_sets: list[tuple[Path, Path]]) -> None:
    """Asked beside the real threads, the starter questions still find starter threads first: a
    ranking that rewards what is unlike the rest of the corpus lifts short imported posts (title
    slugs, one-line jokes) above them. Hubness reduction (CSLS), tried 2026-11-29 and again
    2026-11-30, put one of the real threads in the top two for 10 of the 96 questions; the
    ranking kept had 1. The engine's ranking then gives a thread the user added the second place
    when it scores nearly as well as the best (`Engine._library_place`, as the answer does), never
    the first. Since threads are also ranked by meaning as wholes (2026-12-01), an imported thread
    is second in the fused ranking for 6 or 7 of the 96 (3 on the question's subject: "AI will let
    us run leaner teams" with "PMs are required to AI-develop now"), but the answers quote one for
    fewer questions than before (10 of 96 against 12): what is asserted is what a person sees."""
    assert Cli(sentence_copy)("ingest", *map(str, sorted(REAL.glob("*.txt")))).exit_code == 0
    engine = Engine.open(sentence_copy, load_settings(sentence_copy))
    imported = {thread.id for thread in engine.threads.values() if not thread.bundled}
    assert len(imported) == len(list(REAL.glob("*.txt")))
    questions = [question for labels in load_labels() for question in labels.questions]
    crowded = [question for question in questions
               if imported & {thread.id for thread, _ in engine.find_threads(question)[0]}]
    assert len(crowded) <= 10, crowded
    first = [question for question in questions if engine.retrieve(question).threads[0].thread_id in imported]
    assert len(first) <= 1, first

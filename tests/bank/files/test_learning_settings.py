"""The quiz settings for learning measures: `confidence` and `post_test_of`."""

from __future__ import annotations

from pathlib import Path

from quizapp.bank.files import SyncedFile, load_bank

from .builders import QUIZ, WriteQuiz, column_of, line_of, only_problem, problems_in

HEADER = "feedback: immediate\n"


def with_header(extra: str, quiz_id: str = "sample-quiz") -> str:
    return QUIZ.replace("id: sample-quiz", f"id: {quiz_id}", 1).replace(HEADER, HEADER + extra, 1)


def test_confidence_is_off_unless_asked(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ)
    write_quiz(with_header("confidence: ask\n", "asking"), "asking.yaml")
    bank = load_bank(bank_dir)
    assert bank.problems == []
    assert {q.id: q.confidence for q in bank.quizzes} == {"sample-quiz": "off", "asking": "ask"}


def test_unknown_confidence_setting_is_reported_where_it_is(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    text = write_quiz(with_header("confidence: always\n"))
    problem = only_problem(load_bank(bank_dir))
    assert (problem.line, problem.column, problem.field) == (
        line_of(text, "confidence:"),
        column_of(text, "always"),
        "confidence",
    )
    assert problem.message == "unknown confidence 'always'" and "ask" in problem.hint


def test_post_test_of_names_another_quiz(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ)
    write_quiz(with_header("post_test_of: sample-quiz\n", "after"), "after.yaml")
    bank = load_bank(bank_dir)
    assert bank.problems == []
    assert {q.id: q.post_test_of for q in bank.quizzes} == {"sample-quiz": None, "after": "sample-quiz"}


def test_post_test_of_an_unknown_quiz_is_an_error_with_a_hint(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ)
    text = write_quiz(with_header("post_test_of: sample-quizz\n", "after"), "after.yaml")
    bank = load_bank(bank_dir)
    problem = only_problem(bank, "after.yaml")
    assert (problem.line, problem.column, problem.field, problem.message) == (
        line_of(text, "post_test_of"),
        column_of(text, "sample-quizz"),
        "post_test_of",
        "no quiz has the id 'sample-quizz'",
    )
    assert problem.hint == "did you mean 'sample-quiz'?"
    assert [q.id for q in bank.quizzes] == ["sample-quiz"]  # the broken file is left out, the other loads


def test_a_quiz_cannot_be_its_own_post_test(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(with_header("post_test_of: sample-quiz\n"))
    problem = only_problem(load_bank(bank_dir))
    assert (problem.field, problem.message) == ("post_test_of", "a quiz cannot be the post-test of itself")


def test_an_unchanged_post_test_is_checked_again_when_its_pre_test_goes(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    """A file unchanged since its last sync is not parsed again, but what it names still must exist."""
    write_quiz(QUIZ, "pre.yaml")
    write_quiz(with_header("post_test_of: sample-quiz\n", "after"), "after.yaml")
    first = load_bank(bank_dir)
    stored = {f.path: SyncedFile(f.fingerprint or "", f.quiz_id or "", None) for f in first.files if f.fingerprint}
    stored["after.yaml"] = SyncedFile(stored["after.yaml"].fingerprint, "after", "sample-quiz")
    again = load_bank(bank_dir, synced=stored)
    assert {f.path for f in again.files if f.unchanged_since_sync} == {"pre.yaml", "after.yaml"}

    (bank_dir / "pre.yaml").unlink()
    after_removal = load_bank(bank_dir, synced=stored)
    problems = problems_in(after_removal, "after.yaml")
    assert [p.message for p in problems] == ["no quiz has the id 'sample-quiz'"]
    assert not any(f.unchanged_since_sync for f in after_removal.files if f.path == "after.yaml")

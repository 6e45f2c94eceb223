"""The bundled question bank is product: it must load cleanly and stay balanced and neutral."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.bank.files import bank_stats, load_bank
from quizapp.bank.files.types import Bank, Question
from quizapp.bank.files.validate_question import count_words

BUNDLED = Path(__file__).resolve().parents[2] / "questions"
SOURCE_QUIZZES = ("caspian-pace", "aliyev-iac", "fo-reply", "mfa-lachin", "majlis-integrity")


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(BUNDLED)


def test_every_file_is_valid(bank: Bank) -> None:
    assert [str(p) for p in bank.problems] == []


def test_size_and_grouping(bank: Bank) -> None:
    stats = bank_stats(bank)
    assert stats.distinct_passages >= 60
    assert all(count >= 10 for count in stats.passages_per_source.values()), stats.passages_per_source
    quiz_ids = {q.id for q in bank.quizzes}
    assert set(SOURCE_QUIZZES) | {"starter", "mixed-practice"} <= quiz_ids
    starter = next(q for q in bank.quizzes if q.id == "starter")
    assert 7 <= len(starter.questions) <= 9
    assert {q.claim_type for q in starter.questions} == {c.id for c in bank.taxonomy.claim_types}  # type: ignore[union-attr]


def test_balance_of_keys(bank: Bank) -> None:
    stats = bank_stats(bank)
    for claim_type, count in stats.claim_types.items():
        assert count >= (2 if claim_type == "not-a-claim" else 5), (claim_type, count)
    assert 35 <= stats.evidence_yes_percent <= 65
    assert all(count >= 2 for count in stats.evidence_kinds.values()), stats.evidence_kinds
    assert stats.evidence_kind_missing == 0


def test_passage_lengths(bank: Bank) -> None:
    short_or_long = [
        (quiz.id, q.id, count_words(q.passage))
        for quiz in bank.quizzes
        for q in quiz.questions
        if not 15 <= count_words(q.passage) <= 120
    ]
    assert short_or_long == []


def test_explanations_are_specific(bank: Bank) -> None:
    texts = [text for quiz in bank.quizzes for q in quiz.questions for text in vars(q.explain).values()]
    assert len(texts) == len(set(texts)), "an explanation is repeated word for word"


def test_every_question_marks_its_cue_words(bank: Bank) -> None:
    """After answering, every passage shows the words behind its claim type key; behind
    its speaker key whenever someone else's words are passed on (relayed_by); and behind
    its evidence key exactly when the passage offers evidence."""
    questions = [q for quiz in bank.quizzes for q in quiz.questions]

    def marks(q: Question, part: str) -> bool:
        return any(c.part == part for c in q.cues)

    assert [q.id for q in questions if not marks(q, "claim_type")] == []
    assert [q.id for q in questions if q.relayed_by and not marks(q, "speaker")] == []
    assert [q.id for q in questions if marks(q, "evidence") != q.evidence] == []
    # Most passages in a writer's own voice still mark the words that carry it ("we", "our", a judgement).
    speaker_cues = sum(marks(q, "speaker") for q in questions)
    assert speaker_cues >= 70
    assert sum(len(quiz.questions) for quiz in bank.quizzes) == 80


def test_shared_passages_mark_the_same_words(bank: Bank) -> None:
    """A passage used in two quizzes points students at the same words in both."""
    cues_by_passage: dict[str, list[tuple[tuple[str, str], ...]]] = {}
    for quiz in bank.quizzes:
        for q in quiz.questions:
            marked = tuple(sorted((c.part, q.passage[c.start : c.end]) for c in q.cues))
            cues_by_passage.setdefault(" ".join(q.passage.split()), []).append(marked)
    shared = [marks for marks in cues_by_passage.values() if len(marks) > 1]
    assert len(shared) >= 2  # the starter quiz borrows passages from the source quizzes
    assert [marks for marks in shared if len(set(marks)) > 1] == []

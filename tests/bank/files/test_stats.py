"""Bank statistics: the numbers instructors use to see the balance of a bank."""

from __future__ import annotations

from pathlib import Path

from quizapp.bank.files import Bank, bank_stats, format_stats, load_bank

from .builders import QUIZ, WriteQuiz

# A second quiz: three questions, one passage shared with the sample quiz.
SECOND = (
    QUIZ.replace("sample-quiz", "second-quiz")
    .replace("claim_type: prediction", "claim_type: opinion")
    .replace("speaker: minister\n", "speaker: critics\n")
    .replace("speaker_choices: [outlet, minister]", "speaker_choices: [outlet, critics]")
    + """\
  - id: third
    source: column
    passage: The bridge is a waste of money, and everyone knows it.
    claim_type: opinion
    speaker: critics
    evidence: yes
    explain:
      claim_type: A judgement.
      speaker: The critics say it.
      evidence: It points to what everyone knows.
"""
)


def two_quiz_bank(bank_dir: Path, write_quiz: WriteQuiz) -> Bank:
    write_quiz(QUIZ, "a.yaml")
    write_quiz(SECOND, "b.yaml")
    bank = load_bank(bank_dir)
    assert bank.problems == []
    return bank


def test_stats_numbers(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    stats = bank_stats(two_quiz_bank(bank_dir, write_quiz))
    assert (stats.quizzes, stats.questions, stats.distinct_passages) == (2, 5, 3)
    assert stats.passages_per_source == {"report": 4, "column": 1}
    assert stats.passages_per_quiz == {"sample-quiz": 2, "second-quiz": 3}
    assert stats.claim_types == {"factual": 2, "prediction": 1, "opinion": 2, "call-to-action": 0}
    assert (stats.evidence_yes, stats.evidence_no) == (3, 2)
    assert (stats.evidence_yes_percent, stats.evidence_no_percent) == (60.0, 40.0)
    assert stats.evidence_kinds == {"statistic": 2, "document": 0}
    assert stats.evidence_kind_missing == 1
    assert stats.speakers_per_quiz == {"sample-quiz": 2, "second-quiz": 2}
    assert stats.passage_words == (10, 11)
    # Every speaker the file offers, in file order, zeros too.
    assert stats.keyed_speakers == {
        "sample-quiz": {"outlet": 1, "minister": 1, "critics": 0},
        "second-quiz": {"outlet": 1, "minister": 0, "critics": 2},
    }


def test_format_stats(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    text = format_stats(bank_stats(two_quiz_bank(bank_dir, write_quiz)))
    assert text.splitlines()[:2] == ["2 quizzes, 5 questions, 3 distinct passages", "passage length: 10 to 11 words"]
    assert "\npassages per source:\n  report      4   80.0%\n  column      1   20.0%\n" in text
    assert "\nkeys per claim type:\n  factual             2   40.0%\n" in text
    assert "  call-to-action      0    0.0%\n" in text
    assert "\nevidence in the passage:\n  yes      3   60.0%\n  no       2   40.0%\n" in text
    assert "  (no kind given)      1   33.3%\n" in text
    assert "distinct speaker answers per quiz:\n  sample-quiz      2\n  second-quiz      2\n" in text
    assert text.endswith(
        "keyed speakers per quiz (every speaker offered, with the questions keyed to it):\n"
        "  sample-quiz:\n    outlet        1\n    minister      1\n    critics       0\n"
        "  second-quiz:\n    outlet        1\n    minister      0\n    critics       2"
    )


def test_stats_of_an_empty_bank(bank_dir: Path) -> None:
    stats = bank_stats(load_bank(bank_dir))
    assert (stats.quizzes, stats.questions, stats.passage_words) == (0, 0, None)
    assert stats.evidence_yes_percent == 0.0
    assert stats.passages_per_source == {"report": 0, "column": 0}
    text = format_stats(stats)
    assert text.startswith("0 quizzes, 0 questions, 0 distinct passages\n\npassages per source:")
    assert "passages per quiz:\n  (none)" in text
    assert text.endswith("keyed speakers per quiz (every speaker offered, with the questions keyed to it):\n  (none)")

"""What a quiz file may say about reading a passage: cue words, who relays the speaker, context links.

The rule cases follow test_quiz_rules.py: the valid sample with one thing broken,
the ▶ mark showing where the one problem must point.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.bank.files import Cue, load_bank

from .builders import QUIZ, WriteQuiz, apply_edits, only_problem

FIRST_EVIDENCE = "    evidence: no\n"  # the first question's evidence line, after which cues are added
SECOND_KIND = "    evidence_kind: statistic\n"  # the second question's last key before explain

CASES = [
    (
        "a cue that is not in the passage",
        [(SECOND_KIND, SECOND_KIND + "    cues:\n      claim_type: [▶cars an hour]\n")],
        "questions[1].cues.claim_type[0]",
        "cue 'cars an hour' does not occur in the passage",
        "copy the words exactly from the passage",
    ),
    (
        "a cue with other capital letters",
        [(SECOND_KIND, SECOND_KIND + "    cues:\n      speaker: [▶officials counted]\n")],
        "questions[1].cues.speaker[0]",
        "cue 'officials counted' does not occur in the passage",
        "the words are there, but with other capital letters; copy them exactly",
    ),
    (
        "a cue that occurs twice",
        [(FIRST_EVIDENCE, FIRST_EVIDENCE + "    cues:\n      claim_type: [▶the]\n")],
        "questions[0].cues.claim_type[0]",
        "cue 'the' occurs 2 times in the passage",
        "quote a few more words, so that it points at one place",
    ),
    (
        "a cue for a part that does not exist",
        [(FIRST_EVIDENCE, FIRST_EVIDENCE + "    cues:\n      ▶speakr: [the minister said]\n")],
        "questions[0].cues.speakr",
        "unknown key 'speakr'",
        "did you mean 'speaker'?",
    ),
    (
        "cues written as text, not a list",
        [(FIRST_EVIDENCE, FIRST_EVIDENCE + "    cues:\n      speaker: ▶the minister said\n")],
        "questions[0].cues.speaker",
        "expected a list, found text 'the minister said'",
        "write a list, e.g. [the minister said]",
    ),
    (
        "an empty cue",
        [(FIRST_EVIDENCE, FIRST_EVIDENCE + "    cues:\n      speaker: [▶'']\n")],
        "questions[0].cues.speaker[0]",
        "expected words from the passage, found text ''",
        "",
    ),
    (
        "a cue listed twice",
        [(FIRST_EVIDENCE, FIRST_EVIDENCE + "    cues:\n      speaker: [minister said, ▶minister said]\n")],
        "questions[0].cues.speaker[1]",
        "'minister said' is listed twice (first on line 24)",
        "",
    ),
    (
        "cues with nothing in them",
        [(FIRST_EVIDENCE, FIRST_EVIDENCE + "    cues: ▶{}\n")],
        "questions[0].cues",
        "'cues' is empty",
        "give claim_type, speaker or evidence, or leave cues out",
    ),
    (
        "cues with no value",
        [(FIRST_EVIDENCE, FIRST_EVIDENCE + "    cues:▶\n")],
        "questions[0].cues",
        "'cues' needs claim_type, speaker or evidence, each with a list of words from the passage",
        "",
    ),
    (
        "relayed_by names no speaker of the file",
        [(FIRST_EVIDENCE, FIRST_EVIDENCE + "    relayed_by: ▶outlett\n")],
        "questions[0].relayed_by",
        "unknown speaker 'outlett'",
        "did you mean 'outlet'?",
    ),
    (
        "relayed_by names the keyed speaker",
        [(FIRST_EVIDENCE, FIRST_EVIDENCE + "    relayed_by: ▶minister\n")],
        "questions[0].relayed_by",
        "relayed_by names the keyed speaker 'minister' itself",
        "relayed_by names whoever quotes or summarises the speaker's words",
    ),
    (
        "an unknown context setting",
        [("feedback: immediate\n", "feedback: immediate\ncontext: ▶sometimes\n")],
        "context",
        "unknown context 'sometimes'",
        "always, after, off",
    ),
]


@pytest.mark.parametrize(("edits", "field", "message", "hint"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_reading_rule(
    bank_dir: Path, write_quiz: WriteQuiz, edits: list[tuple[str, str]], field: str, message: str, hint: str
) -> None:
    text, line, column = apply_edits(QUIZ, edits)
    write_quiz(text)
    bank = load_bank(bank_dir)
    problem = only_problem(bank, "quiz.yaml")
    assert (problem.line, problem.column, problem.field, problem.message) == (line, column, field, message)
    assert hint in problem.hint
    assert str(problem).startswith(f"quiz.yaml:{line}:{column}: {field}: ")
    assert bank.quizzes == ()


def test_cues_are_kept_as_places_in_the_passage_part_by_part(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    text, _, _ = apply_edits(
        QUIZ,
        [
            (
                FIRST_EVIDENCE,
                FIRST_EVIDENCE + "    cues:\n      speaker: [the minister said]\n"
                # Curly quotes in the cue, straight ones in the passage: compared folded, as provenance does.
                "      claim_type: ['\u201cWe will', will open the new bridge in May]\n▶",
            )
        ],
    )
    write_quiz(text)
    bank = load_bank(bank_dir)
    assert bank.problems == []
    first = bank.quizzes[0].questions[0]
    assert first.passage == '"We will open the new bridge in May," the minister said'
    # Part order (claim type, speaker, evidence), each part's cues in file order.
    assert [(c.part, first.passage[c.start : c.end]) for c in first.cues] == [
        ("claim_type", '"We will'),
        ("claim_type", "will open the new bridge in May"),
        ("speaker", "the minister said"),
    ]
    assert first.cues[2] == Cue("speaker", 38, 55)
    assert bank.quizzes[0].questions[1].cues == ()


def test_relayed_by_and_context_are_kept(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    text, _, _ = apply_edits(
        QUIZ,
        [
            ("feedback: immediate\n", "feedback: immediate\ncontext: after\n"),
            (FIRST_EVIDENCE, FIRST_EVIDENCE + "    relayed_by: outlet\n▶"),
        ],
    )
    write_quiz(text)
    bank = load_bank(bank_dir)
    assert bank.problems == []
    quiz = bank.quizzes[0]
    assert quiz.context == "after"
    assert [q.relayed_by for q in quiz.questions] == ["outlet", None]


def test_context_defaults_to_always(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ)
    assert load_bank(bank_dir).quizzes[0].context == "always"


def test_a_quiz_without_cues_relays_or_context_is_valid(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    """All three are optional: a bank written before them loads as it did."""
    write_quiz(QUIZ)
    bank = load_bank(bank_dir)
    assert bank.problems == []
    assert all(q.cues == () and q.relayed_by is None for q in bank.quizzes[0].questions)


def test_a_passage_with_a_cut_has_a_place_in_its_source_per_piece(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ)
    bank = load_bank(bank_dir)
    text = bank.source_texts["report"]
    second = bank.quizzes[0].questions[1]
    assert second.passage == "Officials counted 1,200 cars a day ... on the old bridge"
    assert [text[start:end] for start, end in second.source_spans] == [
        "Officials counted 1,200 cars a day",
        "on the old bridge",
    ]
    # The first passage is quoted with straight quotes; the text has curly ones, which it points at.
    [(start, end)] = bank.quizzes[0].questions[0].source_spans
    assert text[start:end] == "\u201cWe will open the new bridge in May,\u201d the minister said"


def test_a_source_without_a_text_file_gives_no_places(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ.replace("    source: report\n", "    source: column\n"))
    bank = load_bank(bank_dir)
    assert bank.problems == []
    # The first question takes the file's source (report), the second now names column.
    assert [q.source_spans == () for q in bank.quizzes[0].questions] == [False, True]
    assert set(bank.source_texts) == {"report"}


def test_places_point_into_the_text_as_written_whatever_its_line_ends(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    """Windows line ends and runs of spaces in the file: the stored text has plain newlines,
    and the places point into that text, not into the folded one passages are compared with."""
    path = bank_dir / "sources" / "report.txt"
    path.write_bytes(path.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    write_quiz(QUIZ)
    bank = load_bank(bank_dir)
    text = bank.source_texts["report"]
    assert "\r" not in text and "that   work" in text
    [first, second] = bank.quizzes[0].questions[1].source_spans
    assert text[first[0] : first[1]] == "Officials counted 1,200 cars a day"
    assert text[second[0] : second[1]] == "on the old bridge"

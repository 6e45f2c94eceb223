"""Contested terms: the app's own words (titles, descriptions, labels, explanations, notes)
may use a term taxonomy.yaml lists only inside quotation marks; passages may use it freely."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.bank.files import SyncedFile, load_bank
from quizapp.bank.files.contested import ContestedTerms

from .builders import QUIZ, SOURCES, TAXONOMY, WriteQuiz, apply_edits, only_problem

TERMS = "contested_terms:\n  - occupation\n  - liberat\n  - Lachin road\n"
MESSAGE = "uses 'occupation' (a contested term listed in taxonomy.yaml) outside quotation marks"


@pytest.fixture
def contested_bank(bank_dir: Path) -> Path:
    (bank_dir / "taxonomy.yaml").write_text(TERMS + TAXONOMY, encoding="utf-8")
    return bank_dir


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The outlet reports an occupation.", ["occupation"]),
        ('The outlet calls it an "occupation".', []),
        ("The outlet calls it an “occupation”.", []),
        ("The outlet calls it an 'occupation'.", []),
        ("The outlet calls it an ‘occupation’.", []),
        ("OCCUPATION, in capitals, is the same word.", ["occupation"]),
        ("The liberated towns and their liberation.", ["liberat"]),
        ('The "liberated" towns; the liberation.', ["liberat"]),  # the second use is not quoted
        ("Not inside a word: preoccupation.", []),
        ("The Lachin\n   road, across a line break.", ["Lachin road"]),
        ("The ministry's 'Lachin road' - an apostrophe does not open a quotation.", []),
        ("The ministry's Lachin road, and the outlet's word.", ["Lachin road"]),
        ("Occupation and liberation.", ["occupation", "liberat"]),
    ],
)
def test_unquoted_terms(text: str, found: list[str]) -> None:
    assert ContestedTerms(["occupation", "liberat", "Lachin road"]).unquoted(text) == found


def test_no_terms_find_nothing() -> None:
    assert ContestedTerms([]).unquoted("occupation") == []


QUIZ_CASES = [
    (
        "in an explanation",
        [("      speaker: The minister is quoted.", "      speaker: ▶The minister is quoted on the occupation.")],
        "questions[0].explain.speaker",
    ),
    ("in the title", [("title: A sample quiz", "title: ▶The occupation quiz")], "title"),
    (
        "in the description",
        [("description: Two passages from a report.", "description: ▶Two passages on the occupation.")],
        "description",
    ),
    ("in a speaker's label", [("    label: Critics", "    label: ▶Critics of the occupation")], "speakers[2].label"),
]


@pytest.mark.parametrize(("edits", "field"), [c[1:] for c in QUIZ_CASES], ids=[c[0] for c in QUIZ_CASES])
def test_a_planted_unquoted_term_is_caught(
    contested_bank: Path, write_quiz: WriteQuiz, edits: list[tuple[str, str]], field: str
) -> None:
    text, line, column = apply_edits(QUIZ, edits)
    write_quiz(text)
    bank = load_bank(contested_bank)
    problem = only_problem(bank, "quiz.yaml")
    assert (problem.line, problem.column, problem.field, problem.message) == (line, column, field, MESSAGE)
    assert "quote it" in problem.hint
    assert bank.quizzes == ()


def test_quoted_terms_and_passages_are_fine(contested_bank: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(
        QUIZ.replace(
            "      speaker: The minister is quoted.", '      speaker: The minister, who says "occupation".'
        ).replace(
            "description: Two passages from a report.", "description: Passages on what the minister calls 'liberation'."
        )
    )
    bank = load_bank(contested_bank)
    assert bank.problems == [] and len(bank.quizzes) == 1


def test_every_term_is_named_once(contested_bank: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(
        QUIZ.replace(
            "      evidence: Nothing supports it.",
            "      evidence: Nothing on the occupation, the liberation, the Lachin road or the occupation.",
        )
    )
    problem = only_problem(load_bank(contested_bank), "quiz.yaml")
    assert problem.message == (
        "uses 'occupation', 'liberat', 'Lachin road' (contested terms listed in taxonomy.yaml) outside quotation marks"
    )


@pytest.mark.parametrize("key", ["note", "presents"])
def test_source_notes_and_presents_are_checked(contested_bank: Path, key: str) -> None:
    text, line, column = apply_edits(
        SOURCES, [("    genre: opinion", f"    genre: opinion\n    {key}: ▶On the occupation.")]
    )
    (contested_bank / "sources.yaml").write_text(text, encoding="utf-8")
    bank = load_bank(contested_bank)
    problem = only_problem(bank, "sources.yaml")
    assert (problem.line, problem.column, problem.field, problem.message) == (
        line,
        column,
        f"sources[1].{key}",
        MESSAGE,
    )
    assert not bank.usable


def test_source_titles_are_the_sources_own_words(contested_bank: Path) -> None:
    (contested_bank / "sources.yaml").write_text(SOURCES.replace("Why the bridge is a mistake", "End the occupation"))
    assert load_bank(contested_bank).problems == []


def test_without_a_readable_list_nothing_is_checked(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    """A broken list is reported once, in taxonomy.yaml; quiz files are not held to half a list."""
    (bank_dir / "taxonomy.yaml").write_text("contested_terms: occupation\n" + TAXONOMY, encoding="utf-8")
    write_quiz(QUIZ.replace("title: A sample quiz", "title: The occupation quiz"))
    assert [p.path for p in load_bank(bank_dir).problems] == ["taxonomy.yaml"]


def test_a_new_term_applies_to_files_that_synced_before(contested_bank: Path, write_quiz: WriteQuiz) -> None:
    """The list is part of what a quiz file's fingerprint covers, so a sync re-checks unchanged files."""
    write_quiz(QUIZ.replace("title: A sample quiz", "title: The bridge quiz"))
    first = load_bank(contested_bank)
    [report] = [f for f in first.files if f.path == "quiz.yaml"]
    assert report.ok and report.fingerprint is not None
    synced = {"quiz.yaml": SyncedFile(report.fingerprint, "sample-quiz")}
    (contested_bank / "taxonomy.yaml").write_text(TERMS + "  - bridge\n" + TAXONOMY, encoding="utf-8")
    again = load_bank(contested_bank, synced=synced)
    assert [(p.path, p.field) for p in again.problems] == [("quiz.yaml", "title")]

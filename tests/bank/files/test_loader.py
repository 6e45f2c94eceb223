"""The loader as a whole: which files it reads, what loads, and how problems are gathered."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from quizapp.bank.files import (
    Explanation,
    FileKind,
    Problem,
    Question,
    Quiz,
    Speaker,
    find_quiz_files,
    format_problems,
    load_bank,
)
from quizapp.bank.files import __main__ as cli

from .builders import QUIZ, REPORT_TEXT, WriteQuiz, apply_edits, problems_in


def span_of(words: str, after: int = 0) -> tuple[int, int]:
    """Where `words` stand in the report's text as written."""
    start = REPORT_TEXT.index(words, after)
    return start, start + len(words)


def test_sample_quiz_loads_into_records(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ, "unit-1/sample.yaml")
    quoted = span_of("\u201cWe will open the new bridge in May,\u201d the minister said")
    counted = span_of("Officials counted 1,200 cars a day")
    bank = load_bank(bank_dir)
    assert bank.problems == [] and bank.usable
    assert bank.quizzes == (
        Quiz(
            id="sample-quiz",
            title="A sample quiz",
            path="unit-1/sample.yaml",
            source="report",
            speakers=(
                Speaker("outlet", "The outlet"),
                Speaker("minister", "The minister"),
                Speaker("critics", "Critics"),
            ),
            description="Two passages from a report.",
            ask_reason="optional",
            feedback="immediate",
            questions=(
                Question(
                    id="first",
                    source="report",
                    passage='"We will open the new bridge in May," the minister said',
                    claim_type="prediction",
                    accept=("factual",),
                    speaker="minister",
                    speaker_choices=("outlet", "minister"),
                    evidence=False,
                    evidence_kind=None,
                    explain=Explanation("It says what will happen.", "The minister is quoted.", "Nothing supports it."),
                    line=15,
                    source_spans=(quoted,),
                ),
                Question(
                    id="second",
                    source="report",
                    passage="Officials counted 1,200 cars a day ... on the old bridge",
                    claim_type="factual",
                    speaker="outlet",
                    speaker_choices=("outlet", "minister", "critics"),
                    evidence=True,
                    evidence_kind="statistic",
                    explain=Explanation(
                        "A number anyone could check.", "The outlet says it in its own voice.", "It gives a count."
                    ),
                    line=27,
                    # Two pieces, either side of the cut ("in March" is left out).
                    source_spans=(counted, span_of("on the old bridge", counted[1])),
                ),
            ),
        ),
    )
    assert bank.files[-1].quiz_id == "sample-quiz" and bank.files[-1].ok


def test_question_source_defaults_to_the_file_source(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ.replace("source: report\nask", "source: column\nask"))
    bank = load_bank(bank_dir)
    assert bank.problems == []
    assert [q.source for q in bank.quizzes[0].questions] == ["column", "report"]


def test_all_problems_of_a_file_are_reported_in_file_order(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    text, _, _ = apply_edits(
        QUIZ,
        [
            ("title: A sample quiz\n", 'title: ""\n'),
            ("feedback: immediate", "feedback: later"),
            ("  - id: critics", "  - id: outlet"),
            ("claim_type: prediction", "claim_type: opinon"),
            ("evidence: no", "evidence: perhaps"),
            ("    passage: Officials", "    pasage: Officials"),
            ("evidence_kind: statistic", "evidence_kind: ▶figures"),
        ],
    )
    write_quiz(text)
    bank = load_bank(bank_dir)
    assert [(p.line, p.field) for p in bank.problems] == [
        (2, "title"),
        (6, "feedback"),
        (12, "speakers[2].id"),
        (18, "questions[0].claim_type"),
        (22, "questions[0].evidence"),
        (29, "questions[1].pasage"),
        (33, "questions[1].evidence_kind"),
    ]
    assert bank.problems[3].hint == "did you mean 'opinion'?"
    assert bank.quizzes == ()


def test_a_bad_file_does_not_stop_good_files(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ.replace("sample-quiz", "one"), "one.yaml")
    write_quiz(QUIZ.replace("sample-quiz", "two").replace("speaker: outlet", "speaker: nobody"), "two.yaml")
    write_quiz("id: three\ntitle: [broken\n", "three.yaml")
    write_quiz(QUIZ.replace("sample-quiz", "four"), "four.yml")
    bank = load_bank(bank_dir)
    assert [q.id for q in bank.quizzes] == ["four", "one"]
    assert {f.path: f.ok for f in bank.files if f.kind is FileKind.QUIZ} == {
        "four.yml": True,
        "one.yaml": True,
        "three.yaml": False,
        "two.yaml": False,
    }
    assert [p.message for p in problems_in(bank, "two.yaml")] == ["unknown speaker 'nobody'"]


def test_quiz_ids_are_unique_across_files(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ, "b/second.yaml")
    write_quiz(QUIZ, "a/first.yaml")
    write_quiz(QUIZ, "c.yaml")
    bank = load_bank(bank_dir)
    assert [q.path for q in bank.quizzes] == ["a/first.yaml"]
    assert [str(p) for p in bank.problems] == [
        "b/second.yaml:1:5: id: quiz id 'sample-quiz' is already used by a/first.yaml"
        " - every quiz file needs its own id (keep the id when renaming a file)",
        "c.yaml:1:5: id: quiz id 'sample-quiz' is already used by a/first.yaml"
        " - every quiz file needs its own id (keep the id when renaming a file)",
    ]


def test_quiz_id_is_claimed_even_by_a_broken_file(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ.replace("title: A sample quiz", "title:"), "a.yaml")
    write_quiz(QUIZ, "b.yaml")
    bank = load_bank(bank_dir)
    assert [(p.path, p.field) for p in bank.problems] == [("a.yaml", "title"), ("b.yaml", "id")]
    assert bank.quizzes == ()


def test_which_files_are_quiz_files(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    for name in [
        "z.yaml",
        "a.yml",
        "unit/b.yaml",
        "unit/deeper/c.yaml",
        "unit/taxonomy.yaml",
        ".hidden.yaml",
        ".git/x.yaml",
        "unit/.draft/d.yaml",
        "notes.txt",
        "readme.md",
        "x.yaml.bak",
    ]:
        write_quiz("id: x\n", name)
    os.mkfifo(bank_dir / "pipe.yaml")  # would block a naive reader
    (bank_dir / "loop").symlink_to(bank_dir)  # would make a naive walk endless
    assert find_quiz_files(bank_dir) == ["a.yml", "unit/b.yaml", "unit/deeper/c.yaml", "unit/taxonomy.yaml", "z.yaml"]
    bank = load_bank(bank_dir)
    assert [f.path for f in bank.files] == [
        "taxonomy.yaml",
        "sources.yaml",
        "a.yml",
        "unit/b.yaml",
        "unit/deeper/c.yaml",
        "unit/taxonomy.yaml",
        "z.yaml",
    ]


def test_missing_questions_folder(tmp_path: Path) -> None:
    bank = load_bank(tmp_path / "nowhere")
    assert not bank.usable and bank.quizzes == ()
    assert [(p.path, p.line) for p in bank.problems] == [("taxonomy.yaml", 0), ("sources.yaml", 0)]
    assert bank.problems[0].message.endswith("(the questions folder does not exist)")


def test_unreadable_file(bank_dir: Path, write_quiz: WriteQuiz, monkeypatch: pytest.MonkeyPatch) -> None:
    write_quiz(QUIZ)
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "quiz.yaml":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    bank = load_bank(bank_dir)
    assert [p.message for p in bank.problems] == ["the file cannot be read (Permission denied)"]
    assert bank.quizzes == ()


def test_problem_str_and_format_problems() -> None:
    problems = [
        Problem("a.yaml", 3, 5, "questions[0].claim_type", "unknown claim type 'opinon'", "did you mean 'opinion'?"),
        Problem("b.yaml", 0, 0, "", "the file is empty"),
        Problem("b.yaml", 2, 1, "", "YAML syntax error: x", context="    x: [\n    ^"),
    ]
    assert format_problems(problems) == (
        "a.yaml:3:5: questions[0].claim_type: unknown claim type 'opinon' - did you mean 'opinion'?\n"
        "b.yaml:0:0: the file is empty\n"
        "b.yaml:2:1: YAML syntax error: x\n    x: [\n    ^\n"
        "3 problems in 2 files"
    )
    assert format_problems([]) == "no problems"
    assert format_problems(problems[1:2], summary=False) == "b.yaml:0:0: the file is empty"


def test_yml_spelling_of_a_special_file_gets_a_rename_hint(bank_dir: Path) -> None:
    (bank_dir / "taxonomy.yaml").rename(bank_dir / "taxonomy.yml")
    bank = load_bank(bank_dir)
    assert [(p.path, p.hint) for p in bank.problems] == [("taxonomy.yaml", "rename taxonomy.yml to taxonomy.yaml")]
    assert [f.path for f in bank.files] == ["taxonomy.yaml", "sources.yaml"]


def test_command_line(bank_dir: Path, write_quiz: WriteQuiz, capsys: pytest.CaptureFixture[str]) -> None:
    write_quiz(QUIZ)
    assert cli.main(["check", str(bank_dir)]) == 0
    assert capsys.readouterr().out == "no problems\n"
    assert cli.main(["stats", str(bank_dir)]) == 0
    assert capsys.readouterr().out.startswith("1 quizzes, 2 questions, 2 distinct passages\n")
    write_quiz(QUIZ.replace("evidence: no", "evidence: maybe"))
    assert cli.main(["check", str(bank_dir)]) == 1
    assert capsys.readouterr().out == (
        "quiz.yaml:22:15: questions[0].evidence: evidence must be yes or no, found text 'maybe' - write yes or no\n"
        "1 problem in 1 file\n"
    )
    assert cli.main(["stats", str(bank_dir)]) == 0  # the bank is usable; the bad quiz is left out
    out, err = capsys.readouterr()
    assert out.startswith("0 quizzes") and err.startswith("quiz.yaml:22:15:")
    assert cli.main(["frobnicate"]) == 2

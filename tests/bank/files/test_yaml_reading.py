"""Reading the YAML itself: syntax errors, encodings, limits and the YAML features refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from quizapp.bank.files import load_bank, yaml_nodes
from quizapp.bank.files.file_text import MAX_FILE_BYTES
from quizapp.bank.files.yaml_nodes import MAX_DEPTH, MAX_NODES

from .builders import QUIZ, WriteQuiz, apply_edits, only_problem


def write_bytes(bank_dir: Path, data: bytes, name: str = "quiz.yaml") -> None:
    (bank_dir / name).write_bytes(data)


def test_syntax_error_names_line_and_column_with_a_caret(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ.replace("title: A sample quiz", "title: Leaving PACE: who says what?"))
    problem = only_problem(load_bank(bank_dir))
    assert (problem.line, problem.column, problem.field) == (2, 20, "")  # the second ':'

    assert problem.message.startswith("YAML syntax error: mapping values are not allowed")
    assert problem.hint == "put quotes around a value that contains ': '"
    caret = "    title: Leaving PACE: who says what?\n" + " " * (4 + 19) + "^"
    assert problem.context == caret
    assert str(problem).startswith("quiz.yaml:2:20: YAML syntax error: ")
    assert str(problem).endswith("\n" + caret)


def test_unclosed_flow_list_points_at_where_it_gave_up(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ.replace("accept: [factual]", "accept: [factual"))
    problem = only_problem(load_bank(bank_dir))
    assert problem.message.startswith("YAML syntax error")
    assert "that starts at line 19, column 13" in problem.message
    assert problem.hint == "a list or mapping opened on line 19 must end with ']'"
    assert problem.context.endswith("^")


def test_tab_indentation_gets_a_hint(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ.replace("    label: Critics", "\tlabel: Critics"))
    problem = only_problem(load_bank(bank_dir))
    assert problem.line == 13
    assert problem.hint == "indent with spaces; YAML does not allow tabs"
    assert problem.context.splitlines()[1] == "    ^"


def test_more_than_one_document(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ + "---\nid: another\n")
    problem = only_problem(load_bank(bank_dir))
    assert (problem.line, problem.message) == (38, "the file holds more than one YAML document")


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n", "---\n"])
def test_empty_file(bank_dir: Path, write_quiz: WriteQuiz, text: str) -> None:
    write_quiz(text)
    problem = only_problem(load_bank(bank_dir))
    assert (problem.line, problem.message) == (0, "the file is empty")


def test_top_level_list(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz("- id: a\n- id: b\n")
    problem = only_problem(load_bank(bank_dir))
    assert (problem.line, problem.column, problem.field) == (1, 1, "")
    assert problem.message == "expected a mapping (key: value lines) at the top of the file, found a list"


def test_top_level_text(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz("just some words\n")
    problem = only_problem(load_bank(bank_dir))
    assert problem.message.endswith("found text 'just some words'")


def test_file_larger_than_the_limit(bank_dir: Path) -> None:
    write_bytes(bank_dir, b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    problem = only_problem(load_bank(bank_dir))
    assert problem.line == 0
    assert problem.message == f"the file is larger than 1 MiB ({MAX_FILE_BYTES + 3:,} bytes)"


def test_nul_byte(bank_dir: Path) -> None:
    write_bytes(bank_dir, QUIZ.replace("A sample quiz", "A sample\x00 quiz").encode())
    problem = only_problem(load_bank(bank_dir))
    assert (problem.line, problem.column) == (2, 16)
    assert problem.message == "the file contains a NUL byte"


def test_utf16_file_is_not_read_as_text(bank_dir: Path) -> None:
    write_bytes(bank_dir, QUIZ.encode("utf-16"))
    problem = only_problem(load_bank(bank_dir))
    assert "NUL byte" in problem.message and "UTF-16" in problem.hint


def test_not_utf8(bank_dir: Path) -> None:
    write_bytes(bank_dir, QUIZ.replace("A sample quiz", "A s\u00e9mple quiz").encode("latin-1"))
    problem = only_problem(load_bank(bank_dir))
    assert (problem.path, problem.line, problem.column) == ("quiz.yaml", 2, 11)
    assert problem.message == "the file is not valid UTF-8 (byte 0xE9)"
    assert problem.hint == "save the file with the UTF-8 encoding"


def test_utf8_byte_order_mark_is_accepted(bank_dir: Path) -> None:
    write_bytes(bank_dir, b"\xef\xbb\xbf" + QUIZ.encode())
    assert load_bank(bank_dir).problems == []


def test_control_character(bank_dir: Path) -> None:
    write_bytes(bank_dir, QUIZ.replace("Two passages", "Two\x07passages").encode())
    problem = only_problem(load_bank(bank_dir))
    assert (problem.line, problem.column) == (3, 17)
    assert problem.message == "the file contains the control character U+0007"
    assert problem.context.splitlines()[1].endswith("^")


def test_anchor_and_alias_are_refused(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    text, line, column = apply_edits(
        QUIZ,
        [
            ("title: A sample quiz", "title: ▶&t A sample quiz"),
            ("description: Two passages from a report.", "description: *t"),
        ],
    )
    write_quiz(text)
    problems = load_bank(bank_dir).problems
    assert [(p.line, p.column, p.message) for p in problems] == [
        (line, column, "YAML anchors (&t) are not allowed"),
        (3, 14, "YAML aliases (*t) are not allowed"),
    ]


def test_billion_laughs_is_refused_quickly(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    write_quiz("\n".join(lines) + "\n")
    problems = load_bank(bank_dir).problems
    messages = {p.message for p in problems}
    assert "YAML anchors (&a0) are not allowed" in messages
    assert "YAML aliases (*a8) are not allowed" in messages
    assert len(problems) <= 201  # capped, with a final "... more problems not shown"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!python/object/apply:os.system A sample quiz", "!!python/object/apply:os.system"),
        ("!!python/name:os.system A sample quiz", "!!python/name:os.system"),
        ("!foo A sample quiz", "!foo"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!<tag:example.com,2000:x> A sample quiz", "tag:example.com,2000:x"),
    ],
)
def test_custom_tags_are_refused(bank_dir: Path, write_quiz: WriteQuiz, value: str, shown: str) -> None:
    write_quiz(QUIZ.replace("title: A sample quiz", f"title: {value}"))
    problem = only_problem(load_bank(bank_dir))
    assert (problem.line, problem.column) == (2, 8)
    assert problem.message == f"the YAML tag '{shown}' is not allowed"


def test_python_payload_is_refused_and_never_run(bank_dir: Path, write_quiz: WriteQuiz, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    write_quiz(QUIZ.replace("title: A sample quiz", f"title: !!python/object/apply:os.system ['touch {marker}']"))
    problems = load_bank(bank_dir).problems
    assert [p.message for p in problems] == [
        "the YAML tag '!!python/object/apply:os.system' is not allowed",
        "expected text, found a list",
    ]
    assert not marker.exists()


def test_standard_tag_is_accepted(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ.replace("title: A sample quiz", "title: !!str 2024"))
    bank = load_bank(bank_dir)
    assert bank.problems == []
    assert bank.quizzes[0].title == "2024"


@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_is_refused(bank_dir: Path, write_quiz: WriteQuiz, style: str) -> None:
    if style == "flow":
        text = "id: x\ntitle: " + "[" * 10_000 + "]" * 10_000 + "\n"
    else:
        text = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n"
    write_quiz(text)
    problem = only_problem(load_bank(bank_dir))
    assert problem.message == f"the file is nested more than {MAX_DEPTH} levels deep"
    assert problem.line == (2 if style == "flow" else MAX_DEPTH + 1)


def test_too_many_values_are_refused(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz("id: x\ntitle: [" + "1, " * (MAX_NODES + 10) + "1]\n")
    problem = only_problem(load_bank(bank_dir))
    assert problem.message == f"the file has more than {MAX_NODES:,} values; question files are far smaller"


def test_key_that_is_not_text(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    text, line, column = apply_edits(QUIZ, [("feedback: immediate\n", "feedback: immediate\n▶[a, b]: c\n")])
    write_quiz(text)
    problem = only_problem(load_bank(bank_dir))
    assert (problem.line, problem.column, problem.message) == (line, column, "a key must be a plain word, found a list")


def test_values_are_kept_as_written(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    """YAML 1.1 would turn these into a date, a number and False; instructors mean the text."""
    write_quiz(
        QUIZ.replace("title: A sample quiz", "title: 2023-10-03")
        .replace("description: Two passages from a report.", "description: 1e3")
        .replace("ask_reason: optional", "ask_reason: off")
    )
    bank = load_bank(bank_dir)
    assert bank.problems == []
    quiz = bank.quizzes[0]
    assert (quiz.title, quiz.description, quiz.ask_reason) == ("2023-10-03", "1e3", "off")


def test_null_optional_values_mean_absent(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(
        QUIZ.replace("description: Two passages from a report.", "description: null")
        .replace("ask_reason: optional", "ask_reason: ~")
        .replace("feedback: immediate", "feedback:")
        .replace("accept: [factual]", "accept: null")
        .replace("speaker_choices: [outlet, minister]", "speaker_choices:")
        .replace("evidence_kind: statistic", "evidence_kind: null")
    )
    bank = load_bank(bank_dir)
    assert bank.problems == []
    quiz = bank.quizzes[0]
    assert (quiz.description, quiz.ask_reason, quiz.feedback) == (None, "optional", "immediate")
    first, second = quiz.questions
    assert first.accept == () and first.speaker_choices == ("outlet", "minister", "critics")
    assert second.evidence_kind is None


def test_strings_are_stripped_and_passages_folded(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(
        QUIZ.replace("title: A sample quiz", "title: '  A sample quiz  '").replace(
            "passage: Officials counted 1,200 cars a day ... on the old bridge",
            "passage: |\n      Officials counted   1,200 cars\n      a day ...\n\n      on the old bridge\n",
        )
    )
    bank = load_bank(bank_dir)
    assert bank.problems == []
    assert bank.quizzes[0].title == "A sample quiz"
    assert bank.quizzes[0].questions[1].passage == "Officials counted 1,200 cars a day ... on the old bridge"


def test_crlf_line_endings(bank_dir: Path) -> None:
    (bank_dir / "quiz.yaml").write_bytes(QUIZ.replace("\n", "\r\n").replace("factal", "").encode())
    bank = load_bank(bank_dir)
    assert bank.problems == []
    assert bank.quizzes[0].questions[1].line == 27


PARITY_TEXTS = [
    QUIZ,
    QUIZ.replace("title: A sample quiz", "title: Leaving PACE: who says what?"),
    QUIZ.replace("accept: [factual]", "accept: [factual"),
    QUIZ.replace("    label: Critics", "\tlabel: Critics"),
    QUIZ.replace("title: A sample quiz", "title: &t A sample quiz").replace("description: Two", "description: *t Two"),
    QUIZ.replace("title: A sample quiz", "title: !foo A sample quiz"),
    QUIZ.replace('      "We will', "      'We will"),
    QUIZ + "---\nid: x\n",
    "[" * 50 + "]" * 50,
    "a: 'unclosed\n",
]


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="libyaml not installed: only one parser to compare")
@pytest.mark.parametrize("text", PARITY_TEXTS)
def test_libyaml_and_pure_python_parsers_agree(
    bank_dir: Path, write_quiz: WriteQuiz, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """libyaml is used for speed when installed; where it is not, the results must be the same
    (only the wording of YAML's own syntax messages differs)."""
    write_quiz(text)
    fast = load_bank(bank_dir)
    monkeypatch.setattr(yaml_nodes, "_Parser", yaml.SafeLoader)
    slow = load_bank(bank_dir)
    assert [(p.line, p.column, p.field, p.hint, p.context) for p in fast.problems] == [
        (p.line, p.column, p.field, p.hint, p.context) for p in slow.problems
    ]
    assert fast.quizzes == slow.quizzes

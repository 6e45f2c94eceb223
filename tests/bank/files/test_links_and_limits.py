"""F1: files are read only inside the questions folder, and no message shows more than one
line of any file. F8: caps on file size, passages per file and source size, a budget of
source text per load and a time limit, so that a crafted bank fails fast with a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.bank.files import Bank, load_bank
from quizapp.bank.files.limits import LoadLimits
from quizapp.bank.files.quoting import quote

from .builders import QUIZ, SOURCES, WriteQuiz, only_problem

# A file that is not a question file: what /etc/shadow looks like to a YAML reader
# (a mapping, one key per line), with a marker on every line to look for in messages.
SECRET_LINES = [f"secret-user-{n}:$6$not-for-anyone-{n}$abc:20228:0:99999:7:::" for n in range(31)]
SECRET = "\n".join(SECRET_LINES) + "\n"


def messages(bank: Bank) -> list[str]:
    """Every problem as printed, message, hint and context."""
    return [str(problem) for problem in bank.problems]


def secret_outside(bank_dir: Path) -> Path:
    secret = bank_dir.parent / "shadow"
    secret.write_text(SECRET, encoding="utf-8")
    return secret


def assert_nothing_of_the_secret(bank: Bank) -> None:
    shown = "\n".join(messages(bank))
    assert "not-for-anyone" not in shown and "secret-user" not in shown, shown


@pytest.mark.parametrize("name", ["quizzes/zz-shadow.yaml", "zz.yml"])
def test_f1_a_quiz_file_linking_out_of_the_folder_is_named_and_not_read(bank_dir: Path, name: str) -> None:
    link = bank_dir / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(secret_outside(bank_dir))
    bank = load_bank(bank_dir)
    problem = only_problem(bank, name)
    assert problem.message == "this file is a link to a file outside the questions folder; it is not read"
    assert_nothing_of_the_secret(bank)


@pytest.mark.parametrize("name", ["sources.yaml", "taxonomy.yaml"])
def test_f1_the_special_files_linking_out_are_refused_too(bank_dir: Path, name: str) -> None:
    (bank_dir / name).unlink()
    (bank_dir / name).symlink_to(secret_outside(bank_dir))
    bank = load_bank(bank_dir)
    assert [p.message for p in bank.problems if p.path == name] == [
        "this file is a link to a file outside the questions folder; it is not read"
    ]
    assert not bank.usable
    assert_nothing_of_the_secret(bank)


def test_f1_a_source_text_linking_out_is_named_and_not_read(bank_dir: Path) -> None:
    (bank_dir / "sources" / "leak.txt").symlink_to(secret_outside(bank_dir))
    (bank_dir / "sources.yaml").write_text(SOURCES.replace("sources/report.txt", "sources/leak.txt"))
    bank = load_bank(bank_dir)
    assert "text file 'sources/leak.txt' is outside the questions folder" in only_problem(bank, "sources.yaml").message
    assert_nothing_of_the_secret(bank)


def test_f1_links_inside_the_folder_are_followed(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ, "shared/quiz.yaml")
    (bank_dir / "quizzes").mkdir()
    (bank_dir / "quizzes" / "link.yaml").symlink_to(bank_dir / "shared" / "quiz.yaml")
    bank = load_bank(bank_dir)
    duplicate = only_problem(bank, "shared/quiz.yaml")  # the same quiz twice: read through the link as well
    assert "is already used by quizzes/link.yaml" in duplicate.message


def test_f1_a_loop_of_links_is_a_problem_not_a_crash(bank_dir: Path) -> None:
    (bank_dir / "sources.yaml").unlink()
    (bank_dir / "sources.yaml").symlink_to(bank_dir / "loop.yaml")
    (bank_dir / "loop.yaml").symlink_to(bank_dir / "sources.yaml")
    bank = load_bank(bank_dir)
    assert [p.message for p in bank.problems if p.path == "sources.yaml"] == [
        f"sources.yaml not found in {bank_dir.resolve()}"
    ]


def lines_of_the_file_in(problem_text: str, lines: list[str]) -> int:
    """How many lines of the file show in one problem (a line counts when 20 of its characters do)."""
    return sum(1 for line in lines if line.strip() and line.strip()[:20] in problem_text)


HOSTILE_INSIDE = {
    "a file of some other kind": SECRET,
    "a quiz with long and multi-line values": (
        QUIZ.replace("title: A sample quiz", 'title: ["' + '", "'.join(SECRET_LINES[:5]) + '"]')
        .replace("ask_reason: optional", 'ask_reason: "' + "\\n".join(SECRET_LINES[5:9]) + '"')
        .replace("feedback: immediate", "feedback: |\n  " + "\n  ".join(SECRET_LINES[9:14]))
        + '"'
        + "\\n".join(SECRET_LINES[14:18])
        + '": unknown\n'
    ),
    "a list of lines": "".join(f"- {line}\n" for line in SECRET_LINES),
    "keys that are close to a quiz's": "".join(f"{line}: x\n" for line in SECRET_LINES[:3]) + "title: t\n",
}


@pytest.mark.parametrize("case", list(HOSTILE_INSIDE))
def test_f1_no_message_shows_more_than_one_line_of_a_file(bank_dir: Path, write_quiz: WriteQuiz, case: str) -> None:
    write_quiz(HOSTILE_INSIDE[case], "quizzes/strange.yaml")
    bank = load_bank(bank_dir)
    assert bank.problems
    for text in messages(bank):
        assert lines_of_the_file_in(text, SECRET_LINES) <= 1, text


def test_f1_a_file_of_another_kind_gets_one_problem_not_one_per_line(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(SECRET, "quizzes/strange.yaml")
    problem = only_problem(load_bank(bank_dir), "quizzes/strange.yaml")
    assert problem.message == "none of the 31 keys of this file is one it may have; is this the right file?"
    assert problem.hint.startswith("allowed keys: id, title, speakers, questions")


def test_the_closest_stretch_stays_within_one_line_of_the_source(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    # report.txt wraps "...in March on the old bridge, which\nwas built in 1950." over two lines.
    write_quiz(
        QUIZ.replace("Officials counted 1,200 cars a day ...", "cars a day in May on the old bridge, which was built")
    )
    problem = only_problem(load_bank(bank_dir))
    assert problem.context == "    closest stretch: 'cars a day in March on the old bridge, which'"


def test_quote_keeps_one_short_line() -> None:
    assert quote("one\ntwo") == "one..." and quote("x" * 100) == "x" * 57 + "..." and quote(" a ") == "a"


# --- F8: caps, budget, time ---------------------------------------------------------


def test_f8_a_quiz_over_the_passage_cap_fails_at_once_with_one_problem(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    questions = QUIZ.split("questions:\n", 1)[1]
    write_quiz(QUIZ + questions.replace("id: first", "id: third").replace("id: second", "id: fourth"))
    problem = only_problem(load_bank(bank_dir, limits=LoadLimits(passages_per_file=3)))
    assert problem.message == "the quiz has 4 questions; one file holds at most 3"
    assert problem.field == "questions" and problem.hint == "split it into several quiz files"
    assert load_bank(bank_dir, limits=LoadLimits(passages_per_file=4)).problems == []


def test_f8_a_file_over_the_size_cap_is_not_read(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ + "# " + "x" * 3000 + "\n")
    problem = only_problem(load_bank(bank_dir, limits=LoadLimits(file_bytes=2048)))
    assert problem.message.startswith("the file is larger than 2 KiB (")


def test_f8_a_source_over_the_size_cap_is_not_read(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz()
    bank = load_bank(bank_dir, limits=LoadLimits(source_bytes=100))
    assert only_problem(bank, "sources.yaml").message.startswith(
        "text file 'sources/report.txt' is larger than 100 bytes"
    )


def crafted_bank(bank_dir: Path, write_quiz: WriteQuiz, files: int, passages: int) -> None:
    """The probe's shape within the caps: a repetitive source text and passages that do not occur in it."""
    (bank_dir / "sources" / "report.txt").write_text("the bridge said the minister " * 20000, encoding="utf-8")
    head, questions = QUIZ.split("questions:\n", 1)
    first = questions.split("  - id: second", 1)[0]
    for f in range(files):
        body = "".join(
            first.replace("id: first", f"id: q{n}").replace(
                '"We will open the new bridge in May," the minister said', f"the minister said the bridge {n} times"
            )
            for n in range(passages)
        )
        write_quiz(head.replace("id: sample-quiz", f"id: crafted-{f}") + "questions:\n" + body, f"quizzes/q{f}.yaml")


def test_f8_one_load_compares_a_bounded_amount_of_source_text(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    crafted_bank(bank_dir, write_quiz, files=3, passages=20)
    bank = load_bank(bank_dir, limits=LoadLimits(text_bytes=20 * 1024 * 1024))
    found = [p.message for p in bank.problems if p.field.endswith(".passage")]
    assert len(found) == 60
    assert "passage not found in sources/report.txt" in found
    assert found[-1] == "passage not checked against sources/report.txt: one load compares at most 20 MiB"
    unchecked = [p for p in bank.problems if p.message.startswith("passage not checked")]
    assert unchecked and "fix those first" in unchecked[0].hint


def test_f8_a_time_limit_leaves_the_other_files_unchecked_and_says_so(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ, "quizzes/one.yaml")
    bank = load_bank(bank_dir, limits=LoadLimits(seconds=0))
    problem = only_problem(bank, "quizzes/one.yaml")
    assert problem.message == "not checked: checking the bank here stops after 0 seconds"
    assert problem.hint == "check every file with: flask --app quizapp questions check"
    assert bank.usable  # taxonomy and sources were read: only the quiz files wait

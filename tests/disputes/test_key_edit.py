"""The change accepting makes to a question file: the key, and not one byte more.

Every test compares bytes: the edited file must equal the original except the
lines the change is about. Files the YAML library cannot write back unchanged
are refused rather than rewritten.
"""

from __future__ import annotations

import difflib
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from quizapp.bank.files import load_bank
from quizapp.disputes.key_edit import CannotEdit, KeyChange, NothingToChange, edit_key

DATA = Path(__file__).resolve().parents[1] / "data" / "questions"
BUNDLED = Path(__file__).resolve().parents[2] / "questions"
BRIDGE = (DATA / "quizzes" / "bridge.yaml").read_bytes()


def changed_lines(before: bytes, after: bytes) -> tuple[list[bytes], list[bytes]]:
    """The lines of each that the other does not have at the same place, around one change."""
    old, new = before.split(b"\n"), after.split(b"\n")
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return old[start : len(old) - end], new[start : len(new) - end]


@pytest.mark.parametrize(
    ("question", "change", "before", "after"),
    [
        ("vote", KeyChange("claim_type", "rule"), [b"    claim_type: factual"], [b"    claim_type: rule"]),
        ("vote", KeyChange("claim_type", "opinion", as_alternate=True), [], [b"    accept: [opinion]"]),
        (
            "disgrace",
            KeyChange("claim_type", "rule", as_alternate=True),
            [b"    accept: [factual]"],
            [b"    accept: [factual, rule]"],
        ),
        (
            "disgrace",  # an alternate made the key leaves the alternates
            KeyChange("claim_type", "factual"),
            [b"    claim_type: opinion", b"    accept: [factual]"],
            [b"    claim_type: factual"],
        ),
        ("cracks", KeyChange("speaker", "outlet"), [b"    speaker: council"], [b"    speaker: outlet"]),
        ("vote", KeyChange("evidence", "yes"), [b"    evidence: no"], [b"    evidence: yes"]),
        (
            "cracks",  # evidence_kind goes with evidence: yes only
            KeyChange("evidence", "no"),
            [b"    evidence: yes", b"    evidence_kind: document"],
            [b"    evidence: no"],
        ),
    ],
)
def test_only_the_lines_of_the_key_change(
    question: str, change: KeyChange, before: list[bytes], after: list[bytes]
) -> None:
    edited = edit_key(BRIDGE, question, change)
    assert changed_lines(BRIDGE, edited.edited) == (before, after)
    assert len(edited.hunks) == 1
    assert [line.encode() for line in edited.hunks[0].before] == before
    assert [line.encode() for line in edited.hunks[0].after] == after


def test_line_numbers_point_at_the_changed_lines() -> None:
    edited = edit_key(BRIDGE, "vote", KeyChange("claim_type", "rule"))
    lines = BRIDGE.split(b"\n")
    hunk = edited.hunks[0]
    assert lines[hunk.line - 1] == b"    claim_type: factual"
    assert lines[edited.question_line - 1] == b"  - id: vote"


def test_comments_blank_lines_quotes_and_folded_passages_are_kept() -> None:
    source = BRIDGE.replace(b"questions:\n", b"# The three passages, in the order of the report.\nquestions:\n")
    source = source.replace(
        b"    claim_type: factual\n    speaker: outlet", b"    claim_type: 'factual'  # checked\n    speaker: outlet"
    )
    source = source.replace(b"  - id: disgrace", b"\n  - id: disgrace")
    edited = edit_key(source, "vote", KeyChange("claim_type", "rule"))
    # The comment keeps its column.
    assert changed_lines(source, edited.edited) == (
        [b"    claim_type: 'factual'  # checked"],
        [b"    claim_type: 'rule'     # checked"],
    )


def reindented(data: bytes, widths: dict[int, int]) -> bytes:
    """The file with each line's indentation of n spaces made widths[n]."""
    return re.sub(rb"(?m)^( +)", lambda m: b" " * widths[len(m.group(1))], data)


@pytest.mark.parametrize(
    ("name", "transform"),
    [
        ("windows line ends", lambda b: b.replace(b"\n", b"\r\n")),
        ("a byte-order mark", lambda b: b"\xef\xbb\xbf" + b),
        ("no newline at the end", lambda b: b.rstrip(b"\n")),
        ("four spaces, items indented", lambda b: reindented(b, {2: 4, 4: 6, 6: 10})),
        ("two spaces, items not indented", lambda b: reindented(b, {2: 0, 4: 2, 6: 4})),
    ],
)
def test_other_file_conventions_are_kept(name: str, transform: Callable[[bytes], bytes]) -> None:
    source = transform(BRIDGE)
    edited = edit_key(source, "vote", KeyChange("claim_type", "rule")).edited
    old, new = changed_lines(source, edited)
    assert len(old) == len(new) == 1, name
    assert old[0].replace(b"factual", b"rule") == new[0], name
    assert edited.startswith(b"\xef\xbb\xbf") == source.startswith(b"\xef\xbb\xbf")
    assert edited.endswith(b"\n") == source.endswith(b"\n")


def test_a_file_the_library_would_reflow_is_refused() -> None:
    """A passage written as plain text over two lines would come back on one: no edit, the instructor edits by hand."""
    source = BRIDGE.replace(
        b"    passage: The city council voted 7 to 2 on Tuesday to close the Old Bridge to cars from May.",
        b"    passage: The city council voted 7 to 2 on Tuesday\n      to close the Old Bridge to cars from May.",
    )
    with pytest.raises(CannotEdit, match="without changing its layout"):
        edit_key(source, "cracks", KeyChange("speaker", "outlet"))


def test_what_is_there_already_is_nothing_to_change() -> None:
    with pytest.raises(NothingToChange):
        edit_key(BRIDGE, "vote", KeyChange("claim_type", "factual"))
    with pytest.raises(NothingToChange):
        edit_key(BRIDGE, "disgrace", KeyChange("claim_type", "factual", as_alternate=True))


@pytest.mark.parametrize(
    ("source", "question", "change", "message"),
    [
        (BRIDGE, "no-such-question", KeyChange("speaker", "mayor"), "no question with id 'no-such-question'"),
        (b"\xff\xfe not text", "vote", KeyChange("speaker", "mayor"), "not UTF-8"),
        (b"questions: [\n", "vote", KeyChange("speaker", "mayor"), "cannot be read as YAML"),
        (b"title: no questions\n", "vote", KeyChange("speaker", "mayor"), "no list of questions"),
        (BRIDGE, "vote", KeyChange("speaker", "mayor", as_alternate=True), "only a claim type"),
    ],
)
def test_what_cannot_be_edited_says_why(source: bytes, question: str, change: KeyChange, message: str) -> None:
    with pytest.raises(CannotEdit, match=message):
        edit_key(source, question, change)


@pytest.mark.parametrize("path", sorted((BUNDLED / "quizzes").glob("*.yaml")), ids=lambda p: p.name)
def test_every_bundled_file_edits_in_place_and_still_loads(path: Path, tmp_path: Path) -> None:
    """The files instructors start from: the last question of each, its claim type accepted as an
    alternate and its evidence turned round; the bank then loads with exactly those keys."""
    folder = tmp_path / "questions"
    shutil.copytree(BUNDLED, folder)
    target = folder / "quizzes" / path.name
    data = target.read_bytes()
    quiz = next(q for q in load_bank(folder).quizzes if q.path == f"quizzes/{path.name}")
    question = quiz.questions[-1]
    alternate = next(c for c in ("not-a-claim", "opinion") if c != question.claim_type and c not in question.accept)
    edited = edit_key(data, question.id, KeyChange("claim_type", alternate, as_alternate=True)).edited
    flipped = "no" if question.evidence else "yes"
    edited = edit_key(edited, question.id, KeyChange("evidence", flipped)).edited
    old, new = data.split(b"\n"), edited.split(b"\n")
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":  # only the key's lines: accept, evidence, and evidence_kind going with evidence
            assert all(re.match(rb"    (accept|evidence|evidence_kind):", line) for line in old[i1:i2] + new[j1:j2])
    target.write_bytes(edited)
    reloaded = load_bank(folder)
    assert reloaded.problems == [], [str(p) for p in reloaded.problems]
    changed = next(q for q in reloaded.quizzes if q.path == quiz.path).questions[-1]
    assert alternate in changed.accept and changed.evidence == (flipped == "yes")
    assert changed.claim_type == question.claim_type and changed.passage == question.passage

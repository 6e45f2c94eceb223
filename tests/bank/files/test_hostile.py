"""Property tests: whatever is in a quiz file, the loader answers with problems, never a traceback.

Each example rewrites one quiz file in a bank built once per module and loads
the bank. Hypothesis deadlines bound the time per example instead of timing
asserts; max_examples stays modest so the suite stays fast.
"""

from __future__ import annotations

import copy
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quizapp.bank.files import Bank, FileKind, load_bank
from quizapp.bank.files.file_text import MAX_FILE_BYTES

from .builders import QUIZ, mutate, quiz_dict, write_bank

FAST = settings(
    max_examples=60,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def bank_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_bank(tmp_path_factory.mktemp("hostile") / "questions")


def load_with(bank_dir: Path, data: bytes) -> Bank:
    (bank_dir / "quiz.yaml").write_bytes(data)
    return load_bank(bank_dir)


def assert_answered_with_problems_only(bank: Bank, data: bytes) -> None:
    """The invariants every outcome must keep, good file or bad."""
    assert [f.path for f in bank.files] == ["taxonomy.yaml", "sources.yaml", "quiz.yaml"]
    assert bank.usable  # the quiz file must never spoil the special files
    report = bank.files[-1]
    assert report.kind is FileKind.QUIZ
    lines = data.count(b"\n") + 2
    for problem in report.problems:
        assert problem.path == "quiz.yaml"
        assert "internal error" not in problem.message, str(problem)
        assert 0 <= problem.line <= lines and problem.column >= 0
        assert problem.message and str(problem).startswith("quiz.yaml:")
    # A file loads exactly when it has no problems.
    assert report.ok == (len(bank.quizzes) == 1)


yaml_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]),  # lone surrogates cannot be encoded at all
    max_size=400,
)


@FAST
@given(text=yaml_text)
def test_random_text(bank_dir: Path, text: str) -> None:
    data = text.encode("utf-8")
    assert_answered_with_problems_only(load_with(bank_dir, data), data)


@FAST
@given(data=st.binary(max_size=400))
def test_random_bytes(bank_dir: Path, data: bytes) -> None:
    assert_answered_with_problems_only(load_with(bank_dir, data), data)


# Characters that mean something to YAML, to make mutations that matter.
SIGNIFICANT = [*list(":-[]{}#&*!|>'\",?%@`~\n\t "), "  ", "\n  ", "\n    - ", "null", "yes", "..."]
edit = st.tuples(
    st.floats(min_value=0, max_value=1),
    st.sampled_from(["insert", "delete", "replace"]),
    st.sampled_from(SIGNIFICANT) | st.text(min_size=1, max_size=3),
)


@FAST
@given(edits=st.lists(edit, min_size=1, max_size=6))
def test_random_mutations_of_a_valid_quiz(bank_dir: Path, edits: list[tuple[float, str, str]]) -> None:
    text = mutate(QUIZ, edits)
    data = text.encode("utf-8", "replace")
    assert_answered_with_problems_only(load_with(bank_dir, data), data)


scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20) | st.dates().map(str)
)
structures = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=30,
)


@FAST
@given(value=structures)
def test_random_structures_as_a_whole_file(bank_dir: Path, value: Any) -> None:
    data = yaml.safe_dump(value, allow_unicode=True).encode("utf-8")
    assert_answered_with_problems_only(load_with(bank_dir, data), data)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a nested dict/list where a value could be swapped."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += _paths(child, (*prefix, i))
    return found


QUIZ_PATHS = _paths(quiz_dict())


@FAST
@given(where=st.sampled_from(QUIZ_PATHS), value=structures)
def test_any_field_replaced_by_anything(bank_dir: Path, where: tuple[Any, ...], value: Any) -> None:
    data_dict = copy.deepcopy(quiz_dict())
    parent = data_dict
    for step in where[:-1]:
        parent = parent[step]
    parent[where[-1]] = value
    data = yaml.safe_dump(data_dict, allow_unicode=True, sort_keys=False).encode("utf-8")
    assert_answered_with_problems_only(load_with(bank_dir, data), data)


@settings(max_examples=20, deadline=timedelta(seconds=5))
@given(depth=st.integers(min_value=21, max_value=10_000), opener=st.sampled_from(["[", "{a: ", "- "]))
@example(depth=5000, opener="[")  # past the depth where newer libyaml builds stop in their scanner
@example(depth=5000, opener="{a: ")
def test_deep_nesting(bank_dir: Path, depth: int, opener: str) -> None:
    if opener == "[":
        text = "[" * depth + "]" * depth
    elif opener == "{a: ":
        text = "{a: " * depth + "1" + "}" * depth
    else:
        text = "".join("  " * i + "- " + "\n" for i in range(min(depth, 400))) + "  " * 400 + "x\n"
    data = text.encode()
    bank = load_with(bank_dir, data)
    assert_answered_with_problems_only(bank, data)
    assert "nested more than" in bank.files[-1].problems[0].message


@settings(max_examples=8, deadline=timedelta(seconds=10))
@given(extra=st.integers(min_value=1, max_value=4096), filler=st.sampled_from([b"a", b"[", b"\n", b"- x\n"]))
def test_huge_files(bank_dir: Path, extra: int, filler: bytes) -> None:
    data = (filler * (MAX_FILE_BYTES // len(filler) + extra))[: MAX_FILE_BYTES + extra]
    bank = load_with(bank_dir, data)
    assert_answered_with_problems_only(bank, data)
    assert [p.message for p in bank.files[-1].problems] == [f"the file is larger than 1 MiB ({len(data):,} bytes)"]


@settings(max_examples=20, deadline=timedelta(seconds=5))
@given(levels=st.integers(min_value=2, max_value=30), width=st.integers(min_value=2, max_value=12))
def test_billion_laughs(bank_dir: Path, levels: int, width: int) -> None:
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    data = ("\n".join(lines) + "\n").encode()
    bank = load_with(bank_dir, data)
    assert_answered_with_problems_only(bank, data)
    messages = [p.message for p in bank.files[-1].problems]
    assert "YAML anchors (&a0) are not allowed" in messages
    assert "YAML aliases (*a0) are not allowed" in messages


@FAST
@given(
    tag=st.sampled_from(
        [
            "!!python/object:os.system",
            "!!python/object/apply:subprocess.call",
            "!!python/name:eval",
            "!!python/module:os",
            "!!set",
            "!!omap",
            "!x",
        ]
    )
    | st.from_regex(r"\A![a-z]{1,8}\Z"),
    payload=st.sampled_from(["x", "[a, b]", "{a: b}", "''"]),
)
def test_tags(bank_dir: Path, tag: str, payload: str) -> None:
    data = QUIZ.replace("title: A sample quiz", f"title: {tag} {payload}").encode()
    bank = load_with(bank_dir, data)
    assert_answered_with_problems_only(bank, data)
    assert any("is not allowed" in p.message for p in bank.files[-1].problems)


slug = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,15}\Z")
label = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30).filter(
    lambda s: s.strip() != ""
)
REPORT_WORDS = [
    "Officials",
    "counted",
    "1,200",
    "cars",
    "a",
    "day",
    "in",
    "March",
    "on",
    "the",
    "old",
    "bridge,",
    "which",
    "was",
    "built",
    "in",
    "1950.",
    "Critics",
    "say",
    "the",
    "new",
    "bridge",
    "is",
    "far",
    "too",
    "expensive.",
]


@FAST
@given(
    quiz_id=slug,
    title=label,
    speakers=st.lists(slug, min_size=1, max_size=5, unique=True),
    span=st.tuples(st.integers(0, len(REPORT_WORDS) - 1), st.integers(1, 20)),
    evidence=st.booleans(),
    data=st.data(),
)
def test_valid_random_quizzes_load_as_written(
    bank_dir: Path,
    quiz_id: str,
    title: str,
    speakers: list[str],
    span: tuple[int, int],
    evidence: bool,
    data: st.DataObject,
) -> None:
    start, length = span
    passage = " ".join(REPORT_WORDS[start : start + length])
    speaker = data.draw(st.sampled_from(speakers))
    quiz = {
        "id": quiz_id,
        "title": title,
        "source": "report",
        "speakers": [{"id": s, "label": f"Speaker {s}"} for s in speakers],
        "questions": [
            {
                "id": "q",
                "passage": passage,
                "claim_type": "factual",
                "speaker": speaker,
                "evidence": evidence,
                "explain": {"claim_type": "a", "speaker": "b", "evidence": "c"},
            }
        ],
    }
    raw = yaml.safe_dump(quiz, allow_unicode=True, sort_keys=False).encode("utf-8")
    bank = load_with(bank_dir, raw)
    assert bank.problems == [], [str(p) for p in bank.problems]
    (loaded,) = bank.quizzes
    assert (loaded.id, loaded.title) == (quiz_id, title.strip())
    assert [s.id for s in loaded.speakers] == speakers
    (question,) = loaded.questions
    assert (question.passage, question.speaker, question.evidence) == (passage, speaker, evidence)
    assert question.speaker_choices == tuple(speakers)

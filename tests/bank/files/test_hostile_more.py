"""More hostile input: the special files and source texts, memory bounds, and the CLI.

test_hostile.py breaks quiz files; here taxonomy.yaml, sources.yaml and the
source texts get the same treatment, the largest files the loader accepts are
measured for memory (tracemalloc, not time), and `questions check` is run on a
hostile bank to show that a terminal user never sees a traceback.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp import create_app
from quizapp.bank.files import Bank, load_bank
from quizapp.bank.files.file_text import MAX_FILE_BYTES

from .builders import QUIZ, SOURCES, TAXONOMY, mutate, write_bank
from .test_hostile import SIGNIFICANT

FAST = settings(max_examples=40, deadline=timedelta(milliseconds=1500), suppress_health_check=[HealthCheck.too_slow])
MEMORY_BOUND = 32 * 1024 * 1024  # for files of at most 1 MiB; the worst measured is about a third of it


@pytest.fixture(scope="module")
def bank_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_bank(tmp_path_factory.mktemp("hostile-special") / "questions")
    (root / "quiz.yaml").write_text(QUIZ, encoding="utf-8")
    return root


@contextmanager
def rewritten(path: Path, data: bytes) -> Iterator[None]:
    """Each example breaks one file of the shared bank, and puts it back afterwards."""
    original = path.read_bytes() if path.exists() else None
    path.write_bytes(data)
    try:
        yield
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


def assert_problems_only(bank: Bank, broken: str) -> None:
    for problem in bank.problems:
        assert "internal error" not in problem.message, str(problem)
        assert problem.line >= 0 and problem.column >= 0 and problem.message
        assert str(problem).startswith(f"{problem.path}:")
    if any(p.path == broken for p in bank.problems) and broken in ("taxonomy.yaml", "sources.yaml"):
        # A broken special file stops every quiz from loading, and says so.
        assert not bank.usable and not bank.quizzes


edit = st.tuples(
    st.floats(min_value=0, max_value=1),
    st.sampled_from(["insert", "delete", "replace"]),
    st.sampled_from(SIGNIFICANT) | st.text(min_size=1, max_size=3),
)


@FAST
@given(name=st.sampled_from(["taxonomy.yaml", "sources.yaml"]), edits=st.lists(edit, min_size=1, max_size=6))
def test_mutated_special_files(bank_dir: Path, name: str, edits: list[tuple[float, str, str]]) -> None:
    original = {"taxonomy.yaml": TAXONOMY, "sources.yaml": SOURCES}[name]
    with rewritten(bank_dir / name, mutate(original, edits).encode("utf-8", "replace")):
        assert_problems_only(load_bank(bank_dir), name)


@FAST
@given(name=st.sampled_from(["taxonomy.yaml", "sources.yaml"]), data=st.binary(max_size=300))
def test_random_bytes_as_special_files(bank_dir: Path, name: str, data: bytes) -> None:
    with rewritten(bank_dir / name, data):
        bank = load_bank(bank_dir)
    assert_problems_only(bank, name)
    assert any(p.path == name for p in bank.problems)  # random bytes are never a valid taxonomy or source list


@FAST
@given(data=st.binary(max_size=2000) | st.text(max_size=500).map(lambda t: t.encode("utf-8", "replace")))
def test_random_source_text(bank_dir: Path, data: bytes) -> None:
    with rewritten(bank_dir / "sources" / "report.txt", data):
        assert_problems_only(load_bank(bank_dir), "sources.yaml")


def billion_laughs(levels: int = 30, width: int = 12) -> bytes:
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    return ("\n".join(lines) + "\n").encode()


LARGEST = {
    "block list": (b"- x\n" * (MAX_FILE_BYTES // 4))[:MAX_FILE_BYTES],
    "flow list": b"[" + b"1," * (MAX_FILE_BYTES // 2 - 2) + b"]",
    "mapping": b"".join(b"k%06d: v\n" % i for i in range(MAX_FILE_BYTES // 11))[:MAX_FILE_BYTES],
    "one long scalar": b"title: " + b"x" * (MAX_FILE_BYTES - 16) + b"\n",
    "billion laughs": billion_laughs(),
    "deep nesting": b"[" * 10_000 + b"]" * 10_000,
}


@pytest.mark.parametrize("name", list(LARGEST))
def test_largest_accepted_files_stay_in_bounded_memory(bank_dir: Path, name: str) -> None:
    data = LARGEST[name]
    assert len(data) <= MAX_FILE_BYTES  # under the size limit: the loader has to read it
    tracemalloc.start()
    try:
        with rewritten(bank_dir / "quiz.yaml", data):
            bank = load_bank(bank_dir)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert_problems_only(bank, "quiz.yaml")
    assert bank.files[-1].problems, name  # none of these is a valid quiz
    assert peak < MEMORY_BOUND, f"{name}: {peak / 1e6:.1f} MB"


def test_check_command_on_a_hostile_bank_prints_problems_not_tracebacks(bank_dir: Path) -> None:
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "k" * 32, "QUESTIONS_DIR": bank_dir, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    with (
        rewritten(bank_dir / "quiz.yaml", billion_laughs()),
        rewritten(bank_dir / "binary.yaml", bytes(range(256)) * 4),
        rewritten(bank_dir / "tags.yaml", b"id: !!python/object/apply:os.system ['true']\n"),
        rewritten(bank_dir / "deep.yaml", b"[" * 5000 + b"]" * 5000),
    ):
        result = app.test_cli_runner().invoke(args=["questions", "check"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for name in ("quiz.yaml:", "binary.yaml:", "tags.yaml:", "deep.yaml:"):
        assert name in result.output, result.output
    assert "YAML aliases (*a0) are not allowed" in result.output and "is not allowed" in result.output

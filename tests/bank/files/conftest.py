"""Fixtures: a valid minimal bank in tmp_path, and a writer for quiz files to break."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from .builders import QUIZ, WriteQuiz, write_bank


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    """A valid minimal bank without quizzes: taxonomy, sources and one source text."""
    return write_bank(tmp_path / "questions")


@pytest.fixture
def write_quiz(bank_dir: Path) -> WriteQuiz:
    """Write a quiz file from YAML text or a dict into the bank; returns the text written."""

    def write(data: str | dict[str, Any] = QUIZ, name: str = "quiz.yaml") -> str:
        text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        path = bank_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return text

    return write

"""A bank of many files loads completely and keeps its order (timing: benchmarks/load_bank.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from quizapp.bank.files import bank_stats, load_bank


def _benchmark() -> ModuleType:
    path = Path(__file__).resolve().parents[3] / "benchmarks" / "load_bank.py"
    spec = importlib.util.spec_from_file_location("load_bank_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_many_files_load_in_path_order(tmp_path: Path) -> None:
    root = _benchmark().build_bank(tmp_path / "questions", files=150, questions=10)
    bank = load_bank(root)
    assert bank.problems == []
    assert [q.id for q in bank.quizzes] == [f"quiz-{n}" for n in range(150)]
    assert bank.quizzes[120].path == "unit-1/quiz-0120.yaml"
    stats = bank_stats(bank)
    assert (stats.questions, stats.distinct_passages) == (1500, 400)
    assert stats.passages_per_source == {"report": 1500}

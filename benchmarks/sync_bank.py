"""How long do `questions check` and `questions sync` take on a large bank?

    PYTHONPATH=. python benchmarks/sync_bank.py [files] [questions-per-file]

Builds a bank of valid quiz files (default 1,000 files x 10 questions, with
benchmarks/load_bank.py) in a temporary folder, gives it a fresh SQLite database
in the same folder, and runs the real commands through Flask's CLI runner:

1. `questions check`
2. `questions sync` into the empty database (the first sync)
3. `questions sync` again, nothing changed
4. `questions sync` after a wording edit in one file

It prints wall-clock and CPU seconds (time.process_time: SQLite runs in this
process, so CPU time is what the work costs even on a busy machine) next to the
goals of the performance issue: check + first sync under 10 s, a no-change
re-sync under 2 s. `measure()` returns the same figures for a benchmark runner.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from quizapp import create_app, schema
from quizapp.db import db

sys.path.insert(0, str(Path(__file__).parent))
from load_bank import build_bank

CHECK_AND_FIRST_SYNC_GOAL_S = 10.0
NO_CHANGE_RESYNC_GOAL_S = 2.0
EDITED_FILE = "unit-0/quiz-0000.yaml"
WORDING_BEFORE = "A count anyone could check against records."
WORDING_AFTER = "A count anyone could check against the records."


def _make_app(tmp: Path, questions: Path) -> Flask:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "benchmark-secret-key-long-enough",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "QUESTIONS_DIR": questions,
        }
    )
    with app.app_context():
        schema.upgrade()  # not timed: every step below starts from a current schema
    # The migrations' logging setup turned on alembic's INFO lines; they would
    # bury the table, and the commands below print nothing from alembic.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return app


def _timed(name: str, run: Callable[[], str], goal_s: float | None) -> dict[str, Any]:
    start, cpu_start = time.perf_counter(), time.process_time()
    output = run()
    return {
        "name": name,
        "wall_s": time.perf_counter() - start,
        "cpu_s": time.process_time() - cpu_start,
        "goal_s": goal_s,
        "output": output,
    }


def _command(app: Flask, *args: str, expect: str) -> Callable[[], str]:
    """Run `flask questions ...`; fail loudly when it did not do what the benchmark assumes."""

    def run() -> str:
        result = app.test_cli_runner().invoke(args=["questions", *args])
        if result.exit_code != 0 or expect not in result.output:
            raise RuntimeError(f"questions {' '.join(args)} failed or said something unexpected:\n{result.output}")
        return result.output.strip()

    return run


def _edit_one_file(questions: Path) -> None:
    path = questions / EDITED_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(WORDING_BEFORE, WORDING_AFTER), encoding="utf-8")


def measure(files: int = 1000, questions: int = 10) -> list[dict[str, Any]]:
    """Wall and CPU seconds of check, first sync, no-change re-sync and one-file-edited re-sync.

    Each row: name, wall_s, cpu_s, goal_s (None when the issue sets no goal for that step).
    """
    total = files * questions
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = build_bank(tmp / "questions", files, questions)
        app = _make_app(tmp, root)
        try:
            check = _timed("check", _command(app, "check", expect=f"{total} questions"), None)
            first = _timed("first sync", _command(app, "sync", expect=f"Synced: added {total + files + 5}"), None)
            again = _timed(
                "no-change re-sync", _command(app, "sync", expect=f"unchanged {total},"), NO_CHANGE_RESYNC_GOAL_S
            )
            _edit_one_file(root)
            edited = _timed(
                "one-file-edited re-sync",
                _command(app, "sync", expect=f"updated {questions}, retired 0, unchanged {total - questions},"),
                None,
            )
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    both = {
        "name": "check + first sync",
        "wall_s": check["wall_s"] + first["wall_s"],
        "cpu_s": check["cpu_s"] + first["cpu_s"],
        "goal_s": CHECK_AND_FIRST_SYNC_GOAL_S,
    }
    rows = [check, first, both, again, edited]
    return [{key: row[key] for key in ("name", "wall_s", "cpu_s", "goal_s")} for row in rows]


def format_table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'step':<26}{'wall s':>8}{'CPU s':>8}{'goal s':>8}  verdict (CPU)"]
    for row in rows:
        goal = row["goal_s"]
        verdict = "" if goal is None else ("meets goal" if row["cpu_s"] <= goal else "OVER GOAL")
        goal_text = "" if goal is None else f"{goal:.1f}"
        lines.append(f"{row['name']:<26}{row['wall_s']:>8.2f}{row['cpu_s']:>8.2f}{goal_text:>8}  {verdict}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    files = int(argv[1]) if len(argv) > 1 else 1000
    questions = int(argv[2]) if len(argv) > 2 else 10
    print(f"{files} quiz files x {questions} questions, fresh SQLite database")
    print(format_table(measure(files, questions)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

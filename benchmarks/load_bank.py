"""How long does checking a large question bank take?

    PYTHONPATH=. python benchmarks/load_bank.py [files] [questions-per-file] [budget-seconds]

Builds a bank of valid quiz files (default 1,000 files x 10 questions) in a
temporary folder, loads it, and exits with status 1 when loading took more CPU
time than the budget (default 3 s; CPU time, so a busy machine does not fail it). The build is also used by tests/bank/test_scale.py.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from quizapp.bank.files import load_bank

TAXONOMY = """\
claim_types:
  - {id: factual, label: Factual claim, definition: Says what happened.}
  - {id: opinion, label: Opinion, definition: Judges something.}
  - {id: prediction, label: Prediction, definition: Says what will happen.}
evidence_kinds:
  - {id: statistic, label: A figure is given, definition: A number is offered.}
"""

SOURCE_TEXT = " ".join(
    f"Paragraph {n}: officials in district {n} counted {n * 37} cars a day on the old bridge, "
    f"and the minister said the new bridge would open in month {n % 12 + 1}."
    for n in range(400)
)

QUESTION = """\
  - id: q{q}
    passage: >
      officials in district {n} counted {cars} cars a day on the old bridge, and
      the minister said ... would open in month {month}.
    claim_type: factual
    accept: [opinion]
    speaker: {speaker}
    speaker_choices: [outlet, minister, critics]
    evidence: yes
    evidence_kind: statistic
    explain:
      claim_type: A count anyone could check against records.
      speaker: The outlet reports the count in its own voice.
      evidence: The passage gives a figure.
"""


def build_bank(root: Path, files: int = 1000, questions: int = 10) -> Path:
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    (root / "sources.yaml").write_text(
        "sources:\n  - {id: report, title: A report, genre: news report, text: sources/report.txt}\n",
        encoding="utf-8",
    )
    (root / "sources" / "report.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    for f in range(files):
        head = (
            f"id: quiz-{f}\ntitle: Quiz number {f}\nsource: report\n"
            "speakers:\n  - {id: outlet, label: The outlet}\n  - {id: minister, label: The minister}\n"
            "  - {id: critics, label: Critics}\nquestions:\n"
        )
        body = "".join(
            QUESTION.format(q=q, n=n, cars=n * 37, month=n % 12 + 1, speaker=("outlet", "minister")[q % 2])
            for q in range(questions)
            for n in [(f * questions + q) % 400]
        )
        (root / f"unit-{f // 100}" / f"quiz-{f:04}.yaml").parent.mkdir(exist_ok=True)
        (root / f"unit-{f // 100}" / f"quiz-{f:04}.yaml").write_text(head + body, encoding="utf-8")
    return root


def main(argv: list[str]) -> int:
    files = int(argv[1]) if len(argv) > 1 else 1000
    questions = int(argv[2]) if len(argv) > 2 else 10
    budget = float(argv[3]) if len(argv) > 3 else 3.0
    with tempfile.TemporaryDirectory() as tmp:
        root = build_bank(Path(tmp) / "questions", files, questions)
        start, cpu_start = time.perf_counter(), time.process_time()
        bank = load_bank(root)
        wall, took = time.perf_counter() - start, time.process_time() - cpu_start
    loaded = sum(len(q.questions) for q in bank.quizzes)
    print(
        f"{files} files x {questions} questions: {len(bank.quizzes)} quizzes, {loaded} questions, "
        f"{len(bank.problems)} problems, {took:.2f} s CPU (budget {budget:.1f} s), {wall:.2f} s wall"
    )
    return 0 if took <= budget and not bank.problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

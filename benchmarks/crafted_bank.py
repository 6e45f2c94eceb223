"""How long does checking a crafted question bank take, beside a valid one of the same size?

    PYTHONPATH=. python benchmarks/crafted_bank.py

The probe's crafted bank: an 8 MiB source text of repetitive words and one quiz
file of 2,400 passages that do not occur in it (check took 41 s and 787 MB before
the caps). Then the same shape within the caps, where only the per-load budget of
source text stops it: a 2 MiB text and 20 files of 200 such passages. Each is
loaded as `questions check` loads it, and as the Question bank page does (with
its time limit), beside a valid bank of 1,000 files x 10 questions measured in
the same run. Prints wall and CPU seconds and the peak memory of the process.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from load_bank import QUESTION, build_bank

from quizapp.bank.files import load_bank
from quizapp.bank.files.limits import LoadLimits

WORDS = "the bridge said the minister would open it in May and the council "


def crafted(root: Path, source_bytes: int, files: int, passages: int) -> Path:
    """A valid taxonomy and sources, a repetitive source text, and passages that are not in it."""
    build_bank(root, files=0)
    (root / "sources" / "report.txt").write_text((WORDS * (source_bytes // len(WORDS) + 1))[:source_bytes])
    for f in range(files):
        head = (
            f"id: crafted-{f}\ntitle: Crafted {f}\nsource: report\n"
            "speakers:\n  - {id: outlet, label: The outlet}\n  - {id: minister, label: The minister}\n"
            "  - {id: critics, label: Critics}\nquestions:\n"
        )
        body = "".join(
            QUESTION.format(q=q, n=q, cars=q, month=q % 12 + 1, speaker="outlet").replace(
                f"officials in district {q}", f"the minister said {q} times that the bridge in district"
            )
            for q in range(passages)
        )
        (root / f"crafted-{f}.yaml").write_text(head + body, encoding="utf-8")
    return root


def measure(name: str, root: Path, limits: LoadLimits) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    bank = load_bank(root, limits=limits)
    wall, took = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first = bank.problems[0].message if bank.problems else "no problem"
    print(
        f"{name:58} {wall:7.2f} {took:7.2f} {peak:8.0f}  {len(bank.problems):5d}  {first[:70]}",
        flush=True,
    )


def main() -> int:
    print(f"{'bank, loaded as':58} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}  {'probs':>5}  first problem")
    command, page = LoadLimits(), LoadLimits(seconds=10.0)
    cases: list[tuple[str, Callable[[Path], Path]]] = [
        ("baseline: valid, 1,000 files x 10 questions", lambda root: build_bank(root)),
        ("probe's: 8 MiB source, 1 file x 2,400 passages not in it", lambda root: crafted(root, 8 << 20, 1, 2400)),
        ("within caps: 2 MiB source, 20 files x 200 passages not in it", lambda root: crafted(root, 2 << 20, 20, 200)),
    ]
    for name, build in cases:
        with tempfile.TemporaryDirectory() as tmp:
            root = build(Path(tmp) / "questions")
            measure(f"{name} (check)", root, command)
            measure(f"{name} (page)", root, page)
    return 0


if __name__ == "__main__":
    sys.exit(main())

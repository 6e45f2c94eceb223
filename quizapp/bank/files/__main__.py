"""Check a questions folder from a terminal, without the web app.

python -m quizapp.bank.files check [QUESTIONS_DIR]   # problems, exit status 1 if any
python -m quizapp.bank.files stats [QUESTIONS_DIR]   # the balance of the bank (problems go to stderr)
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import bank_stats, format_problems, format_stats, load_bank

USAGE = "usage: python -m quizapp.bank.files {check|stats} [QUESTIONS_DIR]"


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2) or argv[0] not in ("check", "stats"):
        print(USAGE, file=sys.stderr)
        return 2
    bank = load_bank(Path(argv[1] if len(argv) == 2 else "questions"))
    problems = bank.problems
    if argv[0] == "check":
        print(format_problems(problems))
        return 1 if problems else 0
    if problems:
        print(format_problems(problems), file=sys.stderr)
    print(format_stats(bank_stats(bank)))
    return 0 if bank.usable else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

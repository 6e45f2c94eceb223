"""Question files: read, validate and describe them. No Flask, no database.

bank = load_bank(Path("questions"))
if bank.problems:
    print(format_problems(bank.problems))
print(format_stats(bank_stats(bank)))
"""

from .loader import find_quiz_files, load_bank
from .problems import format_problems
from .stats import BankStats, bank_stats, format_stats
from .types import (
    ASK_REASON,
    CONTEXT,
    FEEDBACK,
    GENRES,
    PARTS,
    Bank,
    Choice,
    Cue,
    Explanation,
    FileKind,
    FileReport,
    Problem,
    Question,
    QuestionFileError,
    Quiz,
    Source,
    Speaker,
    SyncedFile,
    Taxonomy,
)

__all__ = [
    "ASK_REASON",
    "CONTEXT",
    "FEEDBACK",
    "GENRES",
    "PARTS",
    "Bank",
    "BankStats",
    "Choice",
    "Cue",
    "Explanation",
    "FileKind",
    "FileReport",
    "Problem",
    "Question",
    "QuestionFileError",
    "Quiz",
    "Source",
    "Speaker",
    "SyncedFile",
    "Taxonomy",
    "bank_stats",
    "find_quiz_files",
    "format_problems",
    "format_stats",
    "load_bank",
]

"""Collecting problems for one file, and the small helpers that make them useful.

Every validator reports through a `ProblemSink` instead of raising, so one run
shows an instructor everything that is wrong with a file, not just the first thing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from .types import Problem

# A file that is wrong everywhere (a pasted log, a random document) would
# otherwise bury the useful first problems under thousands of lines.
MAX_PROBLEMS_PER_FILE = 200


class ProblemSink:
    """The problems found in one file, in the order they were found."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._problems: list[Problem] = []
        self._dropped = 0

    def add(
        self,
        line: int,
        column: int,
        field: str,
        message: str,
        hint: str = "",
        context: str = "",
    ) -> None:
        if len(self._problems) >= MAX_PROBLEMS_PER_FILE:
            self._dropped += 1
            return
        self._problems.append(Problem(self.path, line, column, field, message, hint, context))

    def extend(self, problems: Iterable[Problem]) -> None:
        for p in problems:
            self.add(p.line, p.column, p.field, p.message, p.hint, p.context)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __len__(self) -> int:
        # Includes problems dropped over the cap, so "did this step add a problem?"
        # can be answered by comparing lengths.
        return len(self._problems) + self._dropped

    def problems(self) -> tuple[Problem, ...]:
        """Problems sorted by position, so they read top to bottom like the file."""
        ordered = sorted(self._problems, key=lambda p: (p.line, p.column))
        if self._dropped:
            ordered.append(
                Problem(
                    self.path,
                    0,
                    0,
                    "",
                    f"{self._dropped} more problems not shown",
                    "fix the ones above and check again",
                )
            )
        return tuple(ordered)


def close_match(word: str, choices: Iterable[str]) -> str | None:
    """The choice `word` is most likely a typo of, if any is close enough."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean 'x'?" hint for a near miss, or "" when nothing is close."""
    close = close_match(word, choices)
    return f"did you mean '{close}'?" if close else ""


def choices_hint(word: str, choices: Sequence[str], noun: str = "use one of") -> str:
    """Prefer a near miss; otherwise list what is allowed (when the list is short)."""
    hint = did_you_mean(word, choices)
    if hint:
        return hint
    if not choices:
        return ""
    if len(choices) <= 12:
        return f"{noun}: " + ", ".join(choices)
    return f"{noun}: " + ", ".join(choices[:12]) + ", ..."


def caret_context(text: str, line: int, column: int) -> str:
    """The source line at a 1-based position with a caret under the column.

    Tabs before the column are copied into the caret line so the caret lines up
    in a terminal whatever its tab width. Very long lines are cut around the caret.
    """
    lines = text.splitlines()
    source = lines[line - 1] if 1 <= line <= len(lines) else ""
    col = max(column - 1, 0)
    width = 100
    if len(source) > width:
        start = max(0, min(col - width // 2, len(source) - width))
        shown = source[start : start + width]
        prefix = "..." if start > 0 else ""
        suffix = "..." if start + width < len(source) else ""
        source, col = prefix + shown + suffix, col - start + len(prefix)
    pad = "".join("\t" if ch == "\t" else " " for ch in source[:col])
    pad += " " * max(0, col - len(source))
    return f"    {source}\n    {pad}^"


def format_problems(problems: Iterable[Problem], *, summary: bool = True) -> str:
    """Problems as an instructor reads them in a terminal, one block per problem."""
    problems = list(problems)
    lines = [str(p) for p in problems]
    if summary:
        if problems:
            files = len({p.path for p in problems})
            lines.append(f"{_plural(len(problems), 'problem')} in {_plural(files, 'file')}")
        else:
            lines.append("no problems")
    return "\n".join(lines)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

"""Quoting what a file says in a message: one line of it at most, and a short one.

Every message that repeats text from a question file, a source text or any
other file goes through `quote`, so that no message shows more than one line of
any file, however the file is shaped (F1: a file that is not a question file at
all must not be shown through its error messages).
"""

from __future__ import annotations

QUOTED = 60  # characters: enough to recognise a value or a key, not to read a file through


def quote(text: str, limit: int = QUOTED) -> str:
    """The first line of `text`, cut to `limit` characters ('...' marks a cut)."""
    lines = text.strip().splitlines()
    first = lines[0] if lines else ""
    cut = len(lines) > 1 or len(first) > limit
    if len(first) > limit:
        first = first[: limit - 3]
    return first + "..." if cut else first

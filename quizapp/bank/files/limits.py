"""What one load of a questions folder may read and do, so that a crafted bank fails fast (F8).

A question file is a few kilobytes and a source text well under a megabyte.
The caps below are far above that, and each is reported, with its file, as the
problem it is: a file larger than `file_bytes`, more than `passages_per_file`
questions in one quiz, a source text larger than `source_bytes`.

Within the caps, the provenance check (does each passage occur in its source?)
could still be made to scan a large text again and again: every passage that is
not found is searched for in the whole text, three ways. So one load may handle
at most `text_bytes` of source text (read, searched or indexed); past that every
passage still to check is a problem saying so. A bank of 1,000 quiz files and
10,000 passages handles a few hundred megabytes; a crafted one stops after about
a second. `seconds`, when set, stops checking further files after that long (the
Question bank page sets it, to answer well within a server's worker timeout).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class LoadLimits:
    file_bytes: int = MIB  # one quiz file, taxonomy.yaml or sources.yaml
    passages_per_file: int = 200
    source_bytes: int = 2 * MIB  # one source text
    text_bytes: int = 1024 * MIB  # source text read, searched or indexed in one load
    seconds: float | None = None  # no limit (the commands): every file is checked


class LoadBudget:
    """What is left of one load's limits, shared by every file it checks."""

    def __init__(self, limits: LoadLimits) -> None:
        self.limits = limits
        self.text_left = limits.text_bytes
        self.deadline = None if limits.seconds is None else time.monotonic() + limits.seconds

    def take_text(self, size: int) -> bool:
        """Account for handling `size` more characters of source text; False when over the limit."""
        self.text_left -= size
        return self.text_left >= 0

    @property
    def text_exhausted(self) -> bool:
        return self.text_left < 0

    @property
    def out_of_time(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline


def size_text(size: int) -> str:
    """1536 -> '1.5 KiB'; for messages about the caps."""
    if size >= MIB:
        return f"{size / MIB:g} MiB"
    return f"{size / 1024:g} KiB" if size >= 1024 else f"{size} bytes"

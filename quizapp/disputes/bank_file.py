"""One question file, read and (where the instructor allows it) rewritten for an accepted dispute.

The question files stay the source of truth: accepting shows the exact change to
make (file, lines, before and after). With QUIZAPP_BANK_WRITABLE=1 the app makes
it itself, and only when all of this holds: the file still has the bytes the
instructor was shown (compared by SHA-256), the edit keeps every other line as
it was (key_edit.py), and the whole bank with the edited file passes the same
loader and validator a sync uses. The new bytes go into a temporary file in the
same folder, which is then renamed over the old one: readers see the old file or
the new one, never half of each.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from quizapp.bank.files import SyncedFile, format_problems, load_bank
from quizapp.disputes import parts
from quizapp.disputes.key_edit import CannotEdit, EditedFile, Hunk, KeyChange, NothingToChange, edit_key


class WriteRefused(Exception):
    """Nothing was written; the message says why, in words for the instructor."""


class FileChanged(WriteRefused):
    """The file on disk is not the one the instructor was shown."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def quiz_file(questions_dir: Path, path: str) -> Path:
    """The full path of a quiz file, refusing any path that leads out of the questions folder."""
    root = questions_dir.resolve()
    full = (root / path).resolve()
    if not full.is_relative_to(root):
        raise WriteRefused(f"{path} is not inside the questions folder")
    return full


def read(questions_dir: Path, path: str) -> bytes:
    try:
        return quiz_file(questions_dir, path).read_bytes()
    except OSError as error:
        raise WriteRefused(f"{path} cannot be read ({error.strerror or type(error).__name__})") from None


@dataclass(frozen=True)
class Proposal:
    """What accepting would change in the file, computed from its bytes as they are now."""

    path: str
    sha256: str  # of the bytes the change was computed from
    edit: EditedFile | None  # None: the app cannot make the change (see `problem`) or there is none to make
    problem: str | None  # why the app cannot make it; the instructor then changes the file by hand
    already: bool  # the file says so already

    @property
    def hunks(self) -> tuple[Hunk, ...]:
        return self.edit.hunks if self.edit else ()


def propose(questions_dir: Path, path: str, question_id: str, change: KeyChange) -> Proposal:
    try:
        data = read(questions_dir, path)
    except WriteRefused as refused:
        return Proposal(path, "", None, str(refused), already=False)
    try:
        return Proposal(path, sha256(data), edit_key(data, question_id, change), None, already=False)
    except NothingToChange:
        return Proposal(path, sha256(data), None, None, already=True)
    except CannotEdit as problem:
        return Proposal(path, sha256(data), None, str(problem), already=False)


def check(
    questions_dir: Path,
    path: str,
    edited: bytes,
    question_id: str,
    change: KeyChange,
    synced: Mapping[str, SyncedFile],
) -> None:
    """The bank with the edited file must load as a sync would load it, with the new key; else WriteRefused.

    `synced` (sync.synced_files) lets the other files that have not changed skip parsing, as in a sync.
    """
    loaded = load_bank(questions_dir, synced=synced, replaced={path: edited})
    report = next((f for f in loaded.files if f.path == path), None)
    if report is None:
        raise WriteRefused(f"{path} is no longer in the questions folder")
    if report.problems:
        raise WriteRefused("the edited file would not load:\n" + format_problems(report.problems, summary=False))
    quiz = next((q for q in loaded.quizzes if q.path == path), None)
    question = next((q for q in quiz.questions if q.id == question_id), None) if quiz else None
    if question is None:
        raise WriteRefused("the edited file could not be checked: taxonomy.yaml or sources.yaml has problems")
    if not parts.carries(question, change.part, change.answer, change.as_alternate):
        raise WriteRefused("the edited file does not have the new key")  # key_edit got it wrong: never write that


def replace(questions_dir: Path, path: str, expected_sha256: str, data: bytes) -> None:
    """Write `data` in place of the file, if the file still has the bytes whose hash was shown."""
    full = quiz_file(questions_dir, path)
    if sha256(read(questions_dir, path)) != expected_sha256:
        raise FileChanged(f"{path} changed since the change was shown to you")
    try:
        mode = stat.S_IMODE(full.stat().st_mode)
        # A hidden name: the loader and the debug watcher skip it while it is being written.
        handle, temporary = tempfile.mkstemp(prefix=f".{full.name}.", suffix=".tmp", dir=full.parent)
    except OSError as error:
        raise WriteRefused(
            f"the app cannot write in {full.parent} ({error.strerror or type(error).__name__}); "
            "the user the app runs as needs write access to the questions folder"
        ) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, full)
    except OSError as error:
        raise WriteRefused(f"{path} could not be written ({error.strerror or type(error).__name__})") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)

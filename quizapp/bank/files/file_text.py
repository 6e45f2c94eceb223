"""The bytes of a question file as text, or a problem saying why they are not text.

Checked before any YAML parsing, so hostile or accidental input (a huge log, a
binary, a file saved as UTF-16 or Latin-1, a control character pasted from a
PDF) is refused early with a message that names the position in the file.
"""

from __future__ import annotations

import re

from .limits import LoadLimits, size_text
from .problems import caret_context
from .types import Problem, QuestionFileError

MAX_FILE_BYTES = LoadLimits.file_bytes  # question files are a few kilobytes; 1 MiB is generous

# The characters YAML forbids (same set as PyYAML's reader). Checked here so the
# message can name the character and its line and column instead of a byte offset.
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def too_large(path: str, size: int, limit: int) -> QuestionFileError:
    return QuestionFileError(
        Problem(
            path,
            0,
            0,
            "",
            f"the file is larger than {size_text(limit)} ({size:,} bytes)",
            "question files are small text files; is this the right file?",
        )
    )


def decode(data: bytes, path: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """UTF-8 text of a file, or QuestionFileError saying why it is not usable text."""
    if len(data) > max_bytes:
        raise too_large(path, len(data), max_bytes)
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = byte_position(data, nul)
        raise QuestionFileError(
            Problem(
                path,
                line,
                column,
                "",
                "the file contains a NUL byte",
                "save it as plain UTF-8 text (is it a binary file, or saved as UTF-16?)",
            )
        )
    try:
        # utf-8-sig: editors on Windows like to start files with a byte-order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = byte_position(data, exc.start)
        raise QuestionFileError(
            Problem(
                path,
                line,
                column,
                "",
                f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02X})",
                "save the file with the UTF-8 encoding",
            )
        ) from None
    _check_printable(text, path)
    return text


def _check_printable(text: str, path: str) -> None:
    bad = _NON_PRINTABLE.search(text)
    if bad:
        line, column = position(text, bad.start())
        raise QuestionFileError(
            Problem(
                path,
                line,
                column,
                "",
                f"the file contains the control character U+{ord(bad.group()):04X}",
                "delete it (it is often pasted in from a PDF or a word processor)",
                caret_context(text, line, column),
            )
        )


def position(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def byte_position(data: bytes, index: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, index) + 1
    column = len(data[line_start:index].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, index) + 1, column

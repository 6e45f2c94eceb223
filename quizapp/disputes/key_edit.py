"""The change accepting a disputed answer makes to a question file, made with a round-trip YAML library.

Question files are written by people: their comments, blank lines, quotes and
folded passages are theirs to keep. ruamel.yaml reads a file into a tree that
remembers all of that and writes it back as it was; the edit changes one key in
that tree. Two checks make sure nothing else moves: unedited, the file must come
back byte for byte (with the indentation it uses), and edited, only lines of the
edited question may differ. Otherwise `CannotEdit` says so, and the instructor
makes the change by hand. No Flask and no database here: bytes in, bytes out.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

BOM = "\ufeff"
# (mapping, sequence, offset) indentations to try when the guessed one does not give the file back:
# "key:\n  - item" (the bundled bank), "key:\n- item", and the same with 4 spaces.
INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0))
_YES_NO = {"yes": "no", "no": "yes", "true": "false", "false": "true"}


class CannotEdit(Exception):
    """The file cannot be changed as asked without touching more than the key; the message says why."""


class NothingToChange(CannotEdit):
    """The file already says what accepting would make it say."""


@dataclass(frozen=True)
class KeyChange:
    """Accept `answer` for one part: as the key, or (claim type only) as a half-credit alternate."""

    part: str  # claim_type | speaker | evidence
    answer: str  # a claim type id, a speaker id, or "yes"/"no"
    as_alternate: bool = False


@dataclass(frozen=True)
class Hunk:
    """Lines that change: `before` (from `line` on, 1-based) becomes `after`.
    A pure insertion has no `before` and goes in before `line`."""

    line: int
    before: tuple[str, ...]
    after: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "before": list(self.before), "after": list(self.after)}


@dataclass(frozen=True)
class EditedFile:
    edited: bytes
    hunks: tuple[Hunk, ...]
    question_line: int  # where the question starts, 1-based


def edit_key(data: bytes, question_id: str, change: KeyChange) -> EditedFile:
    """The file `data` with the key of one question changed, or CannotEdit / NothingToChange."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CannotEdit("the file is not UTF-8 text") from None
    bom = text.startswith(BOM)
    text = text.removeprefix(BOM)
    crlf = "\r\n" in text
    if crlf:
        text = text.replace("\r\n", "\n")
    yaml, document = _faithful_yaml(text)
    question, span = _find_question(document, question_id, text.count("\n") + 1)
    _apply(question, change)
    edited = _dump(yaml, document, text)
    if edited == text:
        raise NothingToChange("the file already says so")
    hunks = tuple(_hunks(text, edited))
    first, end = span
    if any(hunk.line - 1 < first or hunk.line - 1 + len(hunk.before) > end for hunk in hunks):
        raise CannotEdit("the YAML library would also change lines outside this question")
    if crlf:
        edited = edited.replace("\n", "\r\n")
    return EditedFile((BOM if bom else "").encode("utf-8") + edited.encode("utf-8"), hunks, first + 1)


def _new_yaml(indent: tuple[int, int, int], explicit_start: bool) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100_000  # never fold a long line the author wrote on one line
    mapping, sequence, offset = indent
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    yaml.explicit_start = explicit_start
    return yaml


def _indents(text: str) -> Iterator[tuple[int, int, int]]:
    """The indentation ruamel.yaml guesses from the file first, then the common ones."""
    try:
        _data, sequence, offset = load_yaml_guess_indent(text)
    except (YAMLError, ValueError):
        raise CannotEdit("the file cannot be read as YAML") from None
    if offset and sequence:
        yield (offset, sequence, offset)
    yield from INDENTS


def _faithful_yaml(text: str) -> tuple[YAML, Any]:
    """A round-trip YAML set up so that, unedited, it writes `text` back exactly, and the
    document it read (dumping leaves it as it was); else CannotEdit."""
    explicit_start = re.search(r"^---", text, re.MULTILINE) is not None
    document: Any = None
    for indent in _indents(text):
        yaml = _new_yaml(indent, explicit_start)
        try:
            document = yaml.load(text) if document is None else document
            if _dump(yaml, document, text) == text:
                return yaml, document
        except YAMLError:
            raise CannotEdit("the file cannot be read as YAML") from None
    raise CannotEdit("the YAML library cannot write this file back without changing its layout")


def _dump(yaml: YAML, document: Any, original: str) -> str:
    out = io.StringIO()
    yaml.dump(document, out)
    text = out.getvalue()
    if not original.endswith("\n"):
        text = text.removesuffix("\n")  # the file had no newline at its end; do not add one
    return text


def _find_question(document: Any, question_id: str, lines: int) -> tuple[CommentedMap, tuple[int, int]]:
    """The question's mapping, and the 0-based lines it spans (first, end exclusive)."""
    questions = document.get("questions") if isinstance(document, CommentedMap) else None
    if not isinstance(questions, CommentedSeq):
        raise CannotEdit("the file has no list of questions")
    items = list(questions)
    for index, item in enumerate(items):
        if isinstance(item, CommentedMap) and str(item.get("id", "")) == question_id:
            first = item.lc.line
            if index + 1 < len(items):
                end = questions.lc.item(index + 1)[0]
            else:
                end = _next_top_level_key_line(document, lines)
            return item, (first, end)
    raise CannotEdit(f"the file has no question with id '{question_id}' (was it renamed or removed?)")


def _next_top_level_key_line(document: CommentedMap, lines: int) -> int:
    keys = list(document)
    after = keys[keys.index("questions") + 1 :]
    return document.lc.key(after[0])[0] if after else lines


def _apply(question: CommentedMap, change: KeyChange) -> None:
    if change.part == "claim_type":
        if change.as_alternate:
            _add_alternate(question, change.answer)
        else:
            _set(question, "claim_type", change.answer)
            _remove_alternate(question, change.answer)  # the key cannot be its own alternate
    elif change.as_alternate:
        raise CannotEdit("only a claim type may be accepted for half credit")
    elif change.part == "speaker":
        _set(question, "speaker", change.answer)
    elif change.part == "evidence":
        _set_evidence(question, change.answer == "yes")
    else:
        raise CannotEdit(f"'{change.part}' is not a part of a question")


def _set(question: CommentedMap, key: str, value: str) -> None:
    old = question.get(key)
    if str(old) == value:
        raise NothingToChange(f"{key} is {value} already")
    # In the quotes the author used, if any.
    if isinstance(old, SingleQuotedScalarString):
        question[key] = SingleQuotedScalarString(value)
    elif isinstance(old, DoubleQuotedScalarString):
        question[key] = DoubleQuotedScalarString(value)
    else:
        question[key] = value


def _set_evidence(question: CommentedMap, yes: bool) -> None:
    old = question.get("evidence")
    if isinstance(old, bool) or (isinstance(old, int) and not isinstance(old, str)):
        if bool(old) == yes:
            raise NothingToChange(f"evidence is {'yes' if yes else 'no'} already")
        question["evidence"] = yes
    else:
        word = str(old)
        if word.lower() not in _YES_NO:
            raise CannotEdit(f"evidence is '{word}', not yes or no")
        if (word.lower() in ("yes", "true")) == yes:
            raise NothingToChange(f"evidence is {word} already")
        _set(question, "evidence", _same_case(word, _YES_NO[word.lower()]))
    if not yes and "evidence_kind" in question:
        del question["evidence_kind"]  # only given with evidence: yes


def _same_case(model: str, word: str) -> str:
    if model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word.capitalize()
    return word


def _add_alternate(question: CommentedMap, answer: str) -> None:
    if str(question.get("claim_type")) == answer:
        raise CannotEdit(f"{answer} is the key itself")
    accepted = question.get("accept")
    if isinstance(accepted, CommentedSeq):
        if answer in [str(a) for a in accepted]:
            raise NothingToChange(f"{answer} earns half credit already")
        accepted.append(answer)
        return
    listed = CommentedSeq([answer])
    listed.fa.set_flow_style()
    if "accept" in question:  # written but empty
        question["accept"] = listed
    else:
        question.insert(list(question).index("claim_type") + 1, "accept", listed)


def _remove_alternate(question: CommentedMap, answer: str) -> None:
    accepted = question.get("accept")
    if not isinstance(accepted, CommentedSeq):
        return
    kept = [index for index, value in enumerate(accepted) if str(value) != answer]
    if len(kept) == len(accepted):
        return
    if not kept:
        del question["accept"]
        return
    for index in reversed(range(len(accepted))):
        if index not in kept:
            del accepted[index]


def _hunks(before: str, after: str) -> Iterator[Hunk]:
    old, new = before.split("\n"), after.split("\n")
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            yield Hunk(i1 + 1, tuple(old[i1:i2]), tuple(new[j1:j2]))

"""Load a questions folder: find its files, read each, validate, and gather the reports.

`load_bank` never raises for anything in the files: every problem ends up in the
FileReport of the file it concerns. A quiz file with problems is left out; the
others still load. When taxonomy.yaml or sources.yaml has problems, no quiz is
loaded, but quiz files are still checked as far as they can be, so an instructor
sees everything in one run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .problems import ProblemSink
from .provenance import SourceTexts
from .types import Bank, FileKind, FileReport, Problem, QuestionFileError, Quiz
from .validate_question import Known
from .validate_quiz import validate_quiz
from .validate_sources import SourcesResult, validate_sources
from .validate_taxonomy import TaxonomyResult, validate_taxonomy
from .file_text import MAX_FILE_BYTES
from .yaml_nodes import Node, Scalar, parse_yaml

TAXONOMY_FILE = "taxonomy.yaml"
SOURCES_FILE = "sources.yaml"
QUIZ_SUFFIXES = (".yaml", ".yml")
# Never quiz files. The .yml spellings are not read either; a missing
# taxonomy.yaml or sources.yaml then comes with the hint to rename them.
_SPECIAL_FILES = frozenset({TAXONOMY_FILE, SOURCES_FILE, "taxonomy.yml", "sources.yml"})

R = TypeVar("R")


def load_bank(questions_dir: Path) -> Bank:
    root = Path(questions_dir)
    texts = SourceTexts(root)
    files: list[FileReport] = []

    tax_report, tax = _check_file(
        root, TAXONOMY_FILE, FileKind.TAXONOMY, validate_taxonomy, TaxonomyResult(None, None, None)
    )
    src_report, src = _check_file(
        root, SOURCES_FILE, FileKind.SOURCES,
        lambda node, sink: validate_sources(node, sink, texts), SourcesResult(None, None),
    )
    files += [tax_report, src_report]
    usable = tax.taxonomy is not None and src.sources is not None and tax_report.ok and src_report.ok
    known = Known(tax.claim_type_ids, tax.evidence_kind_ids, src.ids, src.texts)

    quizzes: list[Quiz] = []
    first_with_id: dict[str, str] = {}  # quiz id -> path of the first file (in path order) using it
    for path in find_quiz_files(root):
        sink = ProblemSink(path)
        quiz: Quiz | None = None
        quiz_id: str | None = None
        node = _guarded(root, path, sink)
        if node is not None:
            try:
                result = validate_quiz(node, path, sink, known)
            except Exception as exc:  # noqa: BLE001 - a bug must not hide the other files
                _internal_error(sink, exc)
            else:
                quiz, quiz_id = result.quiz, result.quiz_id
                if quiz_id is not None:
                    first = first_with_id.setdefault(quiz_id, path)
                    if first != path:
                        sink.add(result.id_line, result.id_column, "id",
                                 f"quiz id '{quiz_id}' is already used by {first}",
                                 "every quiz file needs its own id (keep the id when renaming a file)")
        files.append(FileReport(path, FileKind.QUIZ, sink.problems(), quiz_id=quiz_id))
        if quiz is not None and not sink and usable:
            quizzes.append(quiz)

    return Bank(
        taxonomy=tax.taxonomy if usable else None,
        sources=src.sources if usable and src.sources is not None else (),
        quizzes=tuple(quizzes),
        files=tuple(files),
    )


def find_quiz_files(root: Path) -> list[str]:
    """Every *.yaml / *.yml below `root` except the two special files, as sorted posix paths.

    Hidden files and folders (editor backups, .git) are skipped; symlinked
    folders are not followed, so a link loop cannot make the walk endless.
    """
    found: list[str] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.startswith(".") or not name.endswith(QUIZ_SUFFIXES):
                continue
            full = os.path.join(folder, name)
            if not os.path.isfile(full):  # skip FIFOs, sockets and broken links
                continue
            relative = Path(full).relative_to(root).as_posix()
            if relative not in _SPECIAL_FILES:
                found.append(relative)
    return sorted(found)


def _check_file(
    root: Path,
    path: str,
    kind: FileKind,
    validate: Callable[[Node, ProblemSink], R],
    empty: R,
) -> tuple[FileReport, R]:
    """Read and validate one of the two special files; `empty` stands in when it cannot be read."""
    sink = ProblemSink(path)
    result = empty
    if not os.path.isfile(root / path):  # os.path, unlike Path, never raises (e.g. no permission)
        found_root = os.path.isdir(root)
        where = root.resolve() if found_root else root
        note = "" if found_root else " (the questions folder does not exist)"
        other = path.removesuffix(".yaml") + ".yml"
        hint = (f"rename {other} to {path}" if os.path.isfile(root / other)
                else f"every questions folder needs a {path}")
        sink.add(0, 0, "", f"{path} not found in {where}{note}", hint)
    else:
        node = _guarded(root, path, sink)
        if node is not None:
            try:
                result = validate(node, sink)
            except Exception as exc:  # noqa: BLE001
                _internal_error(sink, exc)
    return FileReport(path, kind, sink.problems()), result


def _guarded(root: Path, path: str, sink: ProblemSink) -> Node | None:
    """The parsed file, or None with the reason in `sink` (never an exception)."""
    try:
        node = _read(root, path, sink)
    except QuestionFileError as exc:
        sink.extend([exc.problem])
        return None
    except Exception as exc:  # noqa: BLE001
        _internal_error(sink, exc)
        return None
    if node is None or (isinstance(node, Scalar) and node.is_null):  # nothing, or only "---"
        sink.add(0, 0, "", "the file is empty", "a question file needs at least a few keys")
        return None
    return node


def _read(root: Path, path: str, sink: ProblemSink) -> Node | None:
    full = root / path
    try:
        size = full.stat().st_size
        if size > MAX_FILE_BYTES:
            raise QuestionFileError(
                Problem(path, 0, 0, "", f"the file is larger than 1 MiB ({size:,} bytes)",
                        "question files are small text files; is this the right file?")
            )
        with full.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        raise QuestionFileError(
            Problem(path, 0, 0, "", f"the file cannot be read ({exc.strerror or type(exc).__name__})")
        ) from None
    return parse_yaml(data, path, sink)


def _internal_error(sink: ProblemSink, exc: BaseException) -> None:
    sink.add(0, 0, "", f"internal error while checking this file ({type(exc).__name__}: {exc})",
             "this is a bug in quizapp, not in the file; please report it with the file attached")

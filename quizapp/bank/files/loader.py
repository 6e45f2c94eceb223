"""Load a questions folder: find its files, read each, validate, and gather the reports.

`load_bank` never raises for anything in the files: every problem ends up in the
FileReport of the file it concerns. A quiz file with problems is left out; the
others still load. When taxonomy.yaml or sources.yaml has problems, no quiz is
loaded, but quiz files are still checked as far as they can be, so an instructor
sees everything in one run.

A file is read only where it resolves inside the questions folder (F1): a link
leading out of it is reported by its own name, and nothing of what it leads to
is read, so nothing of it can show in a message. How much one load may read and
compute is bounded by LoadLimits (limits.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from .file_text import too_large
from .fingerprint import dependencies_fingerprint, quiz_file_fingerprint
from .limits import LoadBudget, LoadLimits
from .problems import ProblemSink
from .provenance import SourceTexts
from .quoting import quote
from .types import Bank, FileKind, FileReport, Problem, QuestionFileError, Quiz, SyncedFile
from .validate_question import Known
from .validate_quiz import validate_quiz
from .validate_sources import SourcesResult, validate_sources
from .validate_taxonomy import TaxonomyResult, validate_taxonomy
from .yaml_nodes import Node, Scalar, parse_yaml

TAXONOMY_FILE = "taxonomy.yaml"
SOURCES_FILE = "sources.yaml"
QUIZ_SUFFIXES = (".yaml", ".yml")
# Never quiz files. The .yml spellings are not read either; a missing
# taxonomy.yaml or sources.yaml then comes with the hint to rename them.
_SPECIAL_FILES = frozenset({TAXONOMY_FILE, SOURCES_FILE, "taxonomy.yml", "sources.yml"})

R = TypeVar("R")


def load_bank(
    questions_dir: Path, synced: Mapping[str, SyncedFile] | None = None, limits: LoadLimits | None = None
) -> Bank:
    """Read and validate every file below `questions_dir`, within `limits`.

    `synced` maps quiz file paths to what the database stored when each last
    synced cleanly (sync.synced_files). A file whose fingerprint still matches
    is not parsed again (see fingerprint.py for why that is safe): its report
    says unchanged_since_sync, and its quiz is left out of `quizzes`, since the
    stored quiz already is that quiz. Leave it out (as `questions check` does)
    to validate every file.
    """
    root = Path(questions_dir)
    budget = LoadBudget(limits or LoadLimits())
    texts = SourceTexts(root, budget)
    files: list[FileReport] = []

    tax_report, tax, tax_data = _check_file(
        root, TAXONOMY_FILE, FileKind.TAXONOMY, validate_taxonomy, TaxonomyResult(None, None, None), budget
    )
    src_report, src, src_data = _check_file(
        root,
        SOURCES_FILE,
        FileKind.SOURCES,
        lambda node, sink: validate_sources(node, sink, texts),
        SourcesResult(None, None),
        budget,
    )
    files += [tax_report, src_report]
    usable = tax.taxonomy is not None and src.sources is not None and tax_report.ok and src_report.ok
    known = Known(tax.claim_type_ids, tax.evidence_kind_ids, src.ids, src.texts, budget=budget)
    # Only a usable taxonomy and sources give fingerprints: otherwise no quiz loads or syncs.
    dependencies = dependencies_fingerprint(tax_data, src_data, src.texts) if usable else None
    synced = synced or {}

    quizzes: list[Quiz] = []
    first_with_id: dict[str, str] = {}  # quiz id -> path of the first file (in path order) using it
    for path in find_quiz_files(root):
        sink = ProblemSink(path)
        if budget.out_of_time:
            sink.add(
                0,
                0,
                "",
                f"not checked: checking the bank here stops after {budget.limits.seconds:g} seconds",
                "check every file with: flask --app quizapp questions check",
            )
            files.append(FileReport(path, FileKind.QUIZ, sink.problems()))
            continue
        data = _read_guarded(root, path, sink, budget.limits.file_bytes)
        fingerprint = quiz_file_fingerprint(dependencies, data) if dependencies and data is not None else None
        earlier = synced.get(path)
        # A file whose id an earlier file already took is validated, so that it
        # gets the duplicate-id problem with its line, as it would have.
        if fingerprint and earlier and earlier.fingerprint == fingerprint and earlier.quiz_id not in first_with_id:
            first_with_id[earlier.quiz_id] = path
            files.append(
                FileReport(
                    path, FileKind.QUIZ, quiz_id=earlier.quiz_id, fingerprint=fingerprint, unchanged_since_sync=True
                )
            )
            continue
        quiz: Quiz | None = None
        quiz_id: str | None = None
        node = _parse_guarded(data, path, sink, budget.limits.file_bytes) if data is not None else None
        if node is not None:
            try:
                result = validate_quiz(node, path, sink, known)
            except Exception as exc:
                _internal_error(sink, exc)
            else:
                quiz, quiz_id = result.quiz, result.quiz_id
                if quiz_id is not None:
                    first = first_with_id.setdefault(quiz_id, path)
                    if first != path:
                        sink.add(
                            result.id_line,
                            result.id_column,
                            "id",
                            f"quiz id '{quiz_id}' is already used by {first}",
                            "every quiz file needs its own id (keep the id when renaming a file)",
                        )
        files.append(
            FileReport(path, FileKind.QUIZ, sink.problems(), quiz_id=quiz_id, fingerprint=None if sink else fingerprint)
        )
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
    budget: LoadBudget,
) -> tuple[FileReport, R, bytes]:
    """Read and validate one of the two special files; `empty` stands in when it cannot be read.

    Also returns the bytes that were validated (b"" when none), for the fingerprints.
    """
    sink = ProblemSink(path)
    result = empty
    data: bytes | None = None
    if not os.path.isfile(root / path):  # os.path, unlike Path, never raises (e.g. no permission)
        found_root = os.path.isdir(root)
        where = root.resolve() if found_root else root
        note = "" if found_root else " (the questions folder does not exist)"
        other = path.removesuffix(".yaml") + ".yml"
        hint = f"rename {other} to {path}" if os.path.isfile(root / other) else f"every questions folder needs a {path}"
        sink.add(0, 0, "", f"{path} not found in {where}{note}", hint)
    else:
        data = _read_guarded(root, path, sink, budget.limits.file_bytes)
        node = _parse_guarded(data, path, sink, budget.limits.file_bytes) if data is not None else None
        if node is not None:
            try:
                result = validate(node, sink)
            except Exception as exc:
                _internal_error(sink, exc)
    return FileReport(path, kind, sink.problems()), result, data or b""


def _read_guarded(root: Path, path: str, sink: ProblemSink, max_bytes: int) -> bytes | None:
    """The file's bytes, or None with the reason in `sink` (never an exception)."""
    try:
        return _read(root, path, max_bytes)
    except QuestionFileError as exc:
        sink.extend([exc.problem])
    except Exception as exc:
        _internal_error(sink, exc)
    return None


def _parse_guarded(data: bytes, path: str, sink: ProblemSink, max_bytes: int) -> Node | None:
    """The parsed file, or None with the reason in `sink` (never an exception)."""
    try:
        node = parse_yaml(data, path, sink, max_bytes)
    except QuestionFileError as exc:
        sink.extend([exc.problem])
        return None
    except Exception as exc:
        _internal_error(sink, exc)
        return None
    if node is None or (isinstance(node, Scalar) and node.is_null):  # nothing, or only "---"
        sink.add(0, 0, "", "the file is empty", "a question file needs at least a few keys")
        return None
    return node


def _read(root: Path, path: str, max_bytes: int) -> bytes:
    """The bytes of the file at `path`, which must resolve inside `root` (F1)."""
    try:
        inside = root.resolve()
        full = (inside / path).resolve()
        if not full.is_relative_to(inside):
            raise QuestionFileError(
                Problem(
                    path,
                    0,
                    0,
                    "",
                    "this file is a link to a file outside the questions folder; it is not read",
                    "put the file itself in the questions folder (or link to a file inside it)",
                )
            )
        size = full.stat().st_size
        if size > max_bytes:
            raise too_large(path, size, max_bytes)
        with full.open("rb") as handle:  # the resolved file: a link changed since cannot lead elsewhere
            return handle.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        raise QuestionFileError(
            Problem(path, 0, 0, "", f"the file cannot be read ({exc.strerror or type(exc).__name__})")
        ) from None
    except RuntimeError:  # a loop of links
        raise QuestionFileError(Problem(path, 0, 0, "", "the file is a link that leads round in a loop")) from None


def _internal_error(sink: ProblemSink, exc: BaseException) -> None:
    sink.add(
        0,
        0,
        "",
        f"internal error while checking this file ({type(exc).__name__}: {quote(str(exc))})",
        "this is a bug in quizapp, not in the file; please report it with the file attached",
    )

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
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .file_text import too_large
from .fingerprint import dependencies_fingerprint, quiz_file_fingerprint
from .limits import LoadBudget, LoadLimits
from .problems import ProblemSink, did_you_mean
from .provenance import SourceTexts
from .quoting import quote
from .types import Bank, FileKind, FileReport, Problem, QuestionFileError, Quiz, SyncedFile
from .validate_question import Known
from .validate_quiz import QuizResult, validate_quiz
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
    questions_dir: Path,
    synced: Mapping[str, SyncedFile] | None = None,
    replaced: Mapping[str, bytes] | None = None,
    limits: LoadLimits | None = None,
) -> Bank:
    """Read and validate every file below `questions_dir`, within `limits`.

    `synced` maps quiz file paths to what the database stored when each last
    synced cleanly (sync.synced_files). A file whose fingerprint still matches
    is not parsed again (see fingerprint.py for why that is safe): its report
    says unchanged_since_sync, and its quiz is left out of `quizzes`, since the
    stored quiz already is that quiz. Leave it out (as `questions check` does)
    to validate every file.

    `replaced` maps quiz file paths to bytes read in place of the file's own:
    the bank is validated as it would be with those files changed, before
    anything is written (accepting a dispute checks its edit this way).
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
        lambda node, sink: validate_sources(node, sink, texts, tax.contested),
        SourcesResult(None, None),
        budget,
    )
    files += [tax_report, src_report]
    usable = tax.taxonomy is not None and src.sources is not None and tax_report.ok and src_report.ok
    known = Known(tax.claim_type_ids, tax.evidence_kind_ids, src.ids, src.texts, contested=tax.contested, budget=budget)
    # Only a usable taxonomy and sources give fingerprints: otherwise no quiz loads or syncs.
    dependencies = dependencies_fingerprint(tax_data, src_data, src.texts) if usable else None
    synced = synced or {}
    replaced = replaced or {}

    first_with_id: dict[str, str] = {}  # quiz id -> path of the first file (in path order) using it
    files_by_path: dict[str, FileReport] = {}
    checked: list[_CheckedQuiz] = []
    unchanged: list[tuple[str, SyncedFile, str]] = []  # (path, what was stored, fingerprint)
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
            files_by_path[path] = FileReport(path, FileKind.QUIZ, sink.problems())
            continue
        data = replaced[path] if path in replaced else _read_guarded(root, path, sink, budget.limits.file_bytes)
        fingerprint = quiz_file_fingerprint(dependencies, data) if dependencies and data is not None else None
        earlier = synced.get(path)
        # A file whose id an earlier file already took is validated, so that it
        # gets the duplicate-id problem with its line, as it would have.
        if fingerprint and earlier and earlier.fingerprint == fingerprint and earlier.quiz_id not in first_with_id:
            first_with_id[earlier.quiz_id] = path
            unchanged.append((path, earlier, fingerprint))
            continue
        checked.append(_check_quiz(path, data, sink, known, fingerprint, first_with_id))

    quizzes: list[Quiz] = []
    for path, earlier, fingerprint in unchanged:
        if earlier.post_test_of is None or earlier.post_test_of in first_with_id:
            files_by_path[path] = FileReport(
                path, FileKind.QUIZ, quiz_id=earlier.quiz_id, fingerprint=fingerprint, unchanged_since_sync=True
            )
        else:  # the quiz it is the post-test of has gone: validate it again, to say so with file:line
            sink = ProblemSink(path)
            data = _read_guarded(root, path, sink, budget.limits.file_bytes)
            checked.append(_check_quiz(path, data, sink, known, fingerprint, {}))
    for item in checked:
        item.check_post_test(first_with_id)
        sink = item.sink
        files_by_path[item.path] = FileReport(
            item.path,
            FileKind.QUIZ,
            sink.problems(),
            quiz_id=item.quiz_id,
            fingerprint=None if sink else item.fingerprint,
        )
        if item.quiz is not None and not sink and usable:
            quizzes.append(item.quiz)
    files += [files_by_path[path] for path in sorted(files_by_path)]
    quizzes.sort(key=lambda quiz: quiz.path)

    return Bank(
        taxonomy=tax.taxonomy if usable else None,
        sources=src.sources if usable and src.sources is not None else (),
        quizzes=tuple(quizzes),
        files=tuple(files),
        source_texts={source_id: text.original for source_id, (_path, text) in src.texts.items()} if usable else {},
    )


@dataclass
class _CheckedQuiz:
    """A quiz file read and validated, before the checks that need every other file."""

    path: str
    sink: ProblemSink
    fingerprint: str | None
    quiz: Quiz | None = None
    result: QuizResult | None = None

    @property
    def quiz_id(self) -> str | None:
        return self.result.quiz_id if self.result else None

    def check_post_test(self, quiz_ids: Mapping[str, str]) -> None:
        """post_test_of must name a quiz of this bank (any file, read or unchanged)."""
        result = self.result
        if result is None or result.post_test_of is None:
            return
        named = result.post_test_of
        if named not in quiz_ids:
            hint = did_you_mean(named, sorted(quiz_ids)) or "name the id of the quiz students take before this one"
            self.sink.add(
                result.post_test_line, result.post_test_column, "post_test_of", f"no quiz has the id '{named}'", hint
            )


def _check_quiz(
    path: str,
    data: bytes | None,
    sink: ProblemSink,
    known: Known,
    fingerprint: str | None,
    first_with_id: dict[str, str],
) -> _CheckedQuiz:
    """Parse and validate one quiz file; a quiz id already taken by an earlier file is reported."""
    checked = _CheckedQuiz(path, sink, fingerprint)
    node = _parse_guarded(data, path, sink, known.budget.limits.file_bytes) if data is not None else None
    if node is None:
        return checked
    try:
        result = validate_quiz(node, path, sink, known)
    except Exception as exc:
        _internal_error(sink, exc)
        return checked
    checked.quiz, checked.result = result.quiz, result
    if result.quiz_id is not None:
        first = first_with_id.setdefault(result.quiz_id, path)
        if first != path:
            sink.add(
                result.id_line,
                result.id_column,
                "id",
                f"quiz id '{result.quiz_id}' is already used by {first}",
                "every quiz file needs its own id (keep the id when renaming a file)",
            )
    return checked


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

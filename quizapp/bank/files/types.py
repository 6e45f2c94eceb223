"""Plain, immutable records of a validated question bank.

The loader turns YAML files into these; the sync step turns these into rows.
Nothing here knows about Flask or the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

GENRES = ("news report", "opinion", "official statement", "speech report", "other")
ASK_REASON = ("off", "optional", "required")
FEEDBACK = ("immediate", "end")
CONFIDENCE = ("off", "ask")  # ask: every answer also says how sure the student is
# Where students get a link to the passage inside its source text: on the question
# and the feedback page, only on the feedback page (after answering), or nowhere.
CONTEXT = ("always", "after", "off")
# The parts of an answer, in the order students answer them; cues are given per part.
PARTS = ("claim_type", "speaker", "evidence")

# (start, end) character offsets, end exclusive.
Span = tuple[int, int]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, pointing at where to fix it."""

    path: str  # relative to the questions folder, with forward slashes
    line: int  # 1-based; 0 when the whole file is meant
    column: int  # 1-based; 0 when unknown
    field: str  # dotted path such as "questions[3].claim_type", or "" for the file
    message: str
    hint: str = ""  # a suggestion such as "did you mean 'opinion'?"
    context: str = ""  # extra lines shown under the message (a YAML caret, a closest stretch)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        if self.hint:
            text += f" - {self.hint}"
        if self.context:
            text += "\n" + self.context
        return text


@dataclass(frozen=True)
class Choice:
    """A claim type or an evidence kind."""

    id: str
    label: str
    definition: str


@dataclass(frozen=True)
class Taxonomy:
    claim_types: tuple[Choice, ...]
    evidence_kinds: tuple[Choice, ...] = ()
    # Words the app's own voice may use only inside quotation marks (see contested.py).
    contested_terms: tuple[str, ...] = ()

    def claim_type(self, choice_id: str) -> Choice | None:
        return next((c for c in self.claim_types if c.id == choice_id), None)

    def evidence_kind(self, choice_id: str) -> Choice | None:
        return next((c for c in self.evidence_kinds if c.id == choice_id), None)


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    genre: str
    publisher: str | None = None
    author: str | None = None
    date: str | None = None
    text: str | None = None  # path relative to the questions folder
    note: str | None = None
    # Whose side of a dispute the text presents, in neutral words ("the city council's side"),
    # shown beside every passage quoted from it.
    presents: str | None = None


@dataclass(frozen=True)
class Speaker:
    id: str
    label: str


@dataclass(frozen=True)
class Explanation:
    claim_type: str
    speaker: str
    evidence: str


@dataclass(frozen=True)
class Cue:
    """Words of the passage that signal the key of one part: passage[start:end]."""

    part: str  # one of PARTS
    start: int
    end: int


@dataclass(frozen=True)
class Question:
    id: str
    source: str  # a Source id, already defaulted from the quiz file
    passage: str  # whitespace folded to single spaces
    claim_type: str
    speaker: str
    speaker_choices: tuple[str, ...]  # already defaulted to every speaker of the file, in file order
    evidence: bool
    explain: Explanation
    accept: tuple[str, ...] = ()
    evidence_kind: str | None = None
    line: int = 0  # where the question starts in its file
    # Where each piece of the passage (between its cuts) occurs in its source's text
    # as written (Bank.source_texts); () when the source has no text file.
    source_spans: tuple[Span, ...] = ()
    cues: tuple[Cue, ...] = ()  # in file order, part by part
    relayed_by: str | None = None  # a speaker who quotes or summarises the keyed speaker's words

    def key(self) -> tuple[object, ...]:
        """What decides a version: change any of it and earlier answers belong to an older version."""
        return (self.passage, self.claim_type, tuple(sorted(self.accept)), self.speaker, self.evidence)


@dataclass(frozen=True)
class Quiz:
    id: str
    title: str
    path: str  # relative to the questions folder, with forward slashes
    source: str | None
    speakers: tuple[Speaker, ...]
    questions: tuple[Question, ...]
    description: str | None = None
    ask_reason: str = "optional"
    feedback: str = "immediate"
    position: int | None = None  # where the quiz list shows it; None: after those with a position
    confidence: str = "off"
    post_test_of: str | None = None  # the id of the quiz this one is the post-test of
    context: str = "always"


class FileKind(Enum):
    TAXONOMY = "taxonomy"
    SOURCES = "sources"
    QUIZ = "quiz"


@dataclass(frozen=True)
class FileReport:
    """How one file fared: loaded, or the problems that kept it out."""

    path: str
    kind: FileKind
    problems: tuple[Problem, ...] = ()
    quiz_id: str | None = None
    # A clean quiz file's fingerprint (see fingerprint.py), which sync stores;
    # None for a file with problems, or when taxonomy/sources are unusable.
    fingerprint: str | None = None
    # True when the file matched the fingerprint stored by its last clean sync,
    # so it was not parsed again: its quiz is absent from Bank.quizzes, and the
    # stored quiz stands as it is.
    unchanged_since_sync: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class SyncedFile:
    """What the database remembers of a quiz file that last synced cleanly."""

    fingerprint: str
    quiz_id: str
    # Checked against the bank's quiz ids on every load, even when the file is not parsed again.
    post_test_of: str | None = None


@dataclass(frozen=True)
class Bank:
    """Everything that loaded, plus a report for every file that was looked at.

    A quiz file with problems is left out of `quizzes`; the others still load.
    When taxonomy.yaml or sources.yaml has problems, no quiz can be checked
    against them, so `quizzes` is empty and `usable` is False.
    """

    taxonomy: Taxonomy | None
    sources: tuple[Source, ...]
    quizzes: tuple[Quiz, ...]
    files: tuple[FileReport, ...] = field(default_factory=tuple)
    # Source id -> its text file as read (newlines normalised): what source_spans point into.
    source_texts: Mapping[str, str] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    @property
    def usable(self) -> bool:
        return self.taxonomy is not None and all(f.ok for f in self.files if f.kind is not FileKind.QUIZ)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)


class QuestionFileError(Exception):
    """Raised for a problem that stops reading a file at all (the loader's only error type)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem

"""A quiz file: its header, its speakers, and (via validate_question) its questions."""

from __future__ import annotations

from dataclasses import dataclass

from .contested import ContestedTerms, check_own_words
from .fields import POSITION_MAX, QUIZ_TITLE_MAX, Fields, UniqueIds, check_ref, join
from .problems import ProblemSink
from .types import ASK_REASON, CONFIDENCE, CONTEXT, FEEDBACK, Question, Quiz, Speaker
from .validate_question import Known, QuizContext, validate_question
from .yaml_nodes import Node

_REQUIRED = ["id", "title", "speakers", "questions"]
_OPTIONAL = ["description", "source", "ask_reason", "feedback", "position", "confidence", "post_test_of", "context"]


@dataclass(frozen=True)
class QuizResult:
    quiz: Quiz | None  # None when the file has any problem
    quiz_id: str | None  # the file's id when it is a well-formed slug, for the cross-file check
    id_line: int = 0
    id_column: int = 0
    # post_test_of names a quiz in another file: the loader checks it once every file is read.
    post_test_of: str | None = None
    post_test_line: int = 0
    post_test_column: int = 0


def validate_quiz(root: Node | None, path: str, sink: ProblemSink, known: Known) -> QuizResult:
    top = Fields.open(root, "", sink, required=_REQUIRED, optional=_OPTIONAL)
    if top is None:
        return QuizResult(None, None)
    quiz_id = top.slug("id")
    id_line, id_column = top.at("id")
    title = top.text("title", max_length=QUIZ_TITLE_MAX)
    description = top.text("description", required=False)
    for key, own_words in (("title", title), ("description", description)):
        check_own_words(top, key, own_words, known.contested)
    ask_reason = top.one_of("ask_reason", ASK_REASON, default="optional")
    feedback = top.one_of("feedback", FEEDBACK, default="immediate")
    list_position = top.whole_number("position", maximum=POSITION_MAX)
    confidence = top.one_of("confidence", CONFIDENCE, default="off")
    post_test_of = top.slug("post_test_of", required=False)
    post_test_line, post_test_column = top.at("post_test_of")
    if post_test_of is not None and post_test_of == quiz_id:
        top.report("post_test_of", "a quiz cannot be the post-test of itself", "name the quiz taken before this one")
        post_test_of = None
    context = top.one_of("context", CONTEXT, default="always")

    before_source = len(sink)
    source = top.slug("source", required=False)
    if source is not None and known.sources is not None:
        node = top.value("source")
        if node is not None and not check_ref(sink, node, "source", source, known.sources, "source"):
            source = None
    source_reported = len(sink) > before_source

    speakers, speaker_ids = _speakers(top, sink, known.contested)
    ctx = QuizContext(
        known=known,
        speakers=speaker_ids,
        default_source=source,
        file_source_reported=source_reported,
        question_ids=UniqueIds(sink, "question"),
    )
    questions = _questions(top, sink, ctx)

    where = (id_line, id_column, post_test_of, post_test_line, post_test_column)
    if sink or quiz_id is None or title is None or speakers is None or questions is None:
        return QuizResult(None, quiz_id, *where)
    quiz = Quiz(
        id=quiz_id,
        title=title,
        path=path,
        source=source,
        speakers=speakers,
        questions=questions,
        description=description,
        ask_reason=ask_reason,
        feedback=feedback,
        position=list_position,
        confidence=confidence,
        post_test_of=post_test_of,
        context=context,
    )
    return QuizResult(quiz, quiz_id, *where)


def _speakers(
    top: Fields, sink: ProblemSink, contested: ContestedTerms | None
) -> tuple[tuple[Speaker, ...] | None, tuple[str, ...] | None]:
    """The speakers (None if any entry is broken) and the ids that were readable.

    Questions are checked against the readable ids, so a mistake in one
    speaker's label does not make every question naming that speaker "unknown".
    """
    seq = top.seq("speakers")
    if seq is None:
        return None, None
    if not seq.items:
        top.report("speakers", "a quiz needs at least one speaker")
    ids = UniqueIds(sink, "speaker")
    out: list[Speaker] = []
    broken = False
    for i, item in enumerate(seq.items):
        entry = Fields.open(item, join("speakers", i), sink, required=["id", "label"])
        if entry is None:
            broken = True
            continue
        speaker_id = entry.slug("id")
        if speaker_id is not None and not ids.add(speaker_id, entry):
            speaker_id = None
        label = entry.text("label")
        check_own_words(entry, "label", label, contested)
        if speaker_id is None or label is None:
            broken = True
            continue
        out.append(Speaker(speaker_id, label))
    return (None if broken or not out else tuple(out)), ids.ids()


def _questions(top: Fields, sink: ProblemSink, ctx: QuizContext) -> tuple[Question, ...] | None:
    seq = top.seq("questions")
    if seq is None:
        return None
    if not seq.items:
        top.report("questions", "a quiz needs at least one question")
        return None
    most = ctx.known.budget.limits.passages_per_file
    if len(seq.items) > most:
        # Not checked one by one: a crafted file fails at once, with one problem.
        top.report(
            "questions",
            f"the quiz has {len(seq.items):,} questions; one file holds at most {most:,}",
            "split it into several quiz files",
        )
        return None
    out: list[Question] = []
    for i, item in enumerate(seq.items):
        question = validate_question(item, i, sink, ctx)
        if question is not None:
            out.append(question)
    return tuple(out) if len(out) == len(seq.items) else None

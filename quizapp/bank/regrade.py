"""Regrading: rescore answers given to older versions of a question against its current key.

An answer keeps the version the student saw (`Answer.question_version_id`):
that is what happened, and the review pages show it. A regrade stores new
scores on the answer, so every score page follows, and records per answer
which version's key it is scored against now and the scores it had before.

`plan_regrade` only reads. `apply_regrade` computes the same plan inside its
write transaction and writes exactly that, so a dry run shows what a regrade
then does. Answers to an earlier *passage* are left alone: the student read a
different text, and the new key is about the new one.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.orm import aliased

from quizapp.bank.regrade_plan import AnswerChange, RegradePlan, ScoreChange
from quizapp.db import db, table_of
from quizapp.models import (
    ANSWER_POINTS,
    Answer,
    Attempt,
    Question,
    QuestionVersion,
    Quiz,
    Regrade,
    RegradedAnswer,
    User,
)
from quizapp.taking.grading import Scores, score_answer

COMMAND = "command"
PAGE = "page"  # the Question bank page
DISPUTES = "disputes"  # "Regrade now" after a dispute was accepted
VIA_NAMES = {COMMAND: "command", PAGE: "this page", DISPUTES: "disputes"}


class PlanChanged(Exception):
    """The answers changed between the preview and the regrade; nothing was written."""


def plan_regrade(quiz_slug: str | None = None, question_id: int | None = None) -> RegradePlan:
    """What a regrade of one quiz (or all, or one question of the quiz) would change; writes nothing."""
    # Answers not yet scored against their question's current version, with what the plan needs.
    seen = aliased(QuestionVersion)
    newest = aliased(QuestionVersion)
    latest = (
        select(RegradedAnswer.answer_id, func.max(RegradedAnswer.id).label("id"))
        .group_by(RegradedAnswer.answer_id)
        .subquery()
    )
    statement = (
        select(
            Answer,
            seen.number,
            seen.passage,
            newest,
            Question.slug,
            Quiz.id,
            Quiz.slug,
            User.id,
            User.username,
            RegradedAnswer.to_version_id,
        )
        .join(Question, Answer.question_id == Question.id)
        .join(Quiz, Question.quiz_id == Quiz.id)
        .join(seen, Answer.question_version_id == seen.id)
        .join(newest, Question.current_version_id == newest.id)
        .join(Attempt, Answer.attempt_id == Attempt.id)
        .join(User, Attempt.user_id == User.id)
        .outerjoin(latest, latest.c.answer_id == Answer.id)
        .outerjoin(RegradedAnswer, RegradedAnswer.id == latest.c.id)
        .filter(Answer.question_version_id != Question.current_version_id)
        .filter(or_(RegradedAnswer.id.is_(None), RegradedAnswer.to_version_id != Question.current_version_id))
        .order_by(Quiz.slug, Question.position, Question.slug, User.username, Answer.id)
    )
    if quiz_slug is not None:
        statement = statement.filter(Quiz.slug == quiz_slug)
    if question_id is not None:
        statement = statement.filter(Question.id == question_id)
    changes: list[AnswerChange] = []
    skipped = 0
    for answer, number, passage, key, question_slug, quiz_id, slug, user_id, username, graded_id in db.session.execute(
        statement
    ):
        if passage != key.passage:
            skipped += 1
            continue
        after = score_answer(
            claim_type=answer.claim_type,
            speaker=answer.speaker,
            evidence=answer.evidence,
            key_claim_type=key.claim_type,
            accepted=key.accept,
            key_speaker=key.speaker,
            key_evidence=key.evidence,
        )
        changes.append(
            AnswerChange(
                answer_id=answer.id,
                user_id=user_id,
                username=username,
                quiz_id=quiz_id,
                quiz_slug=slug,
                question=f"{slug}/{question_slug}",
                passage=passage,
                answered_version=number,
                graded_version_id=graded_id or answer.question_version_id,
                target_version_id=key.id,
                target_version=key.number,
                before=Scores(answer.claim_type_score, answer.speaker_score, answer.evidence_score),
                after=after,
            )
        )
    return RegradePlan(quiz_slug, tuple(changes), _score_changes(changes), skipped)


def _score_changes(changes: list[AnswerChange]) -> tuple[ScoreChange, ...]:
    """Before and after totals per student and quiz, for those with a changed answer."""
    delta: dict[tuple[int, int], float] = {}
    for change in changes:
        if change.changed:
            key = (change.user_id, change.quiz_id)
            delta[key] = delta.get(key, 0.0) + change.after.total - change.before.total
    if not delta:
        return ()
    users = {u for u, _ in delta}
    quizzes = {q for _, q in delta}
    rows = db.session.execute(
        select(
            User.id,
            User.username,
            Quiz.id,
            Quiz.slug,
            Quiz.title,
            func.count(Answer.id),
            func.sum(ANSWER_POINTS),
        )
        .join(Attempt, Attempt.user_id == User.id)
        .join(Quiz, Attempt.quiz_id == Quiz.id)
        .join(Answer, Answer.attempt_id == Attempt.id)
        .filter(User.id.in_(users), Quiz.id.in_(quizzes))
        .group_by(User.id, User.username, Quiz.id, Quiz.slug, Quiz.title)
        .order_by(User.username, Quiz.slug)
    )
    result = []
    for user_id, username, quiz_id, slug, title, count, points in rows:
        if (user_id, quiz_id) in delta:
            before = float(points or 0)
            result.append(
                ScoreChange(user_id, username, slug, title, count, before, before + delta[(user_id, quiz_id)])
            )
    return tuple(result)


def apply_regrade(
    quiz_slug: str | None,
    by: str,
    via: str,
    expected_fingerprint: str | None = None,
    question_id: int | None = None,
) -> tuple[RegradePlan, Regrade | None]:
    """Rescore and record; None when there was nothing to regrade (nothing is recorded then).

    Raises PlanChanged, having written nothing, when `expected_fingerprint` (from a
    preview) no longer matches or an answer changed under us.
    """
    record = Regrade(by=by, via=via, quiz_slug=quiz_slug)
    db.session.add(record)
    # Written first so that on SQLite this transaction holds the write lock while
    # it plans: nobody can change the answers between the plan and the writes.
    db.session.flush()
    plan = plan_regrade(quiz_slug, question_id)
    if expected_fingerprint is not None and plan.fingerprint != expected_fingerprint:
        db.session.rollback()
        raise PlanChanged()
    if plan.empty:
        db.session.rollback()
        return plan, None
    # One UPDATE and one INSERT for all answers (executemany): row by row through
    # the ORM took seconds for a class. The WHERE repeats the scores the plan read:
    # if another regrade got there first, fewer rows match and everything is undone.
    table = table_of(Answer)
    connection = db.session.connection()
    result = connection.execute(
        update(table)
        .where(
            table.c.id == bindparam("answer"),
            table.c.claim_type_score == bindparam("before_ct"),
            table.c.speaker_score == bindparam("before_sp"),
            table.c.evidence_score == bindparam("before_ev"),
        )
        .values(
            claim_type_score=bindparam("after_ct"),
            speaker_score=bindparam("after_sp"),
            evidence_score=bindparam("after_ev"),
        ),
        [
            {
                "answer": c.answer_id,
                "before_ct": c.before.claim_type,
                "before_sp": c.before.speaker,
                "before_ev": c.before.evidence,
                "after_ct": c.after.claim_type,
                "after_sp": c.after.speaker,
                "after_ev": c.after.evidence,
            }
            for c in plan.answers
        ],
    )
    if connection.dialect.supports_sane_multi_rowcount and result.rowcount != len(plan.answers):
        db.session.rollback()
        raise PlanChanged()
    connection.execute(
        insert(table_of(RegradedAnswer)),
        [
            {
                "regrade_id": record.id,
                "answer_id": c.answer_id,
                "from_version_id": c.graded_version_id,
                "to_version_id": c.target_version_id,
                "before_claim_type": c.before.claim_type,
                "before_speaker": c.before.speaker,
                "before_evidence": c.before.evidence,
                "after_claim_type": c.after.claim_type,
                "after_speaker": c.after.speaker,
                "after_evidence": c.after.evidence,
            }
            for c in plan.answers
        ],
    )
    record.questions = [q.question for q in plan.questions]
    record.answers_checked = len(plan.answers)
    record.answers_changed = len(plan.changed_answers)
    record.scores_changed = len(plan.students)
    record.skipped_other_passage = plan.skipped_other_passage
    db.session.commit()
    return plan, record


def history(limit: int = 50) -> list[Regrade]:
    return list(db.session.scalars(select(Regrade).order_by(Regrade.id.desc()).limit(limit)))


def quiz_slugs() -> list[str]:
    return list(db.session.scalars(select(Quiz.slug).order_by(Quiz.slug)))

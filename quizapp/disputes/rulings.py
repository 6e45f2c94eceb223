"""Settling the disputes of one question part, once, for every student who disputed it.

"Keep the key" records a reply. "Accept" records the answer and the change to
make in the question file; where the bank is writable (QUIZAPP_BANK_WRITABLE=1)
the app makes it, then syncs. An accepted ruling then waits until the question's
current version carries the new key (a sync brought it), and "Regrade now"
rescores every answer to the question with the regrade record of bank/regrade.py.
The state of a ruling is read from the data each time, never stored: whatever
changed the file or ran the regrade (the Question bank page, a command), the
page tells the truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from quizapp.bank import regrade
from quizapp.bank.regrade_plan import RegradePlan
from quizapp.bank.sync import SyncReport, load_for_sync, sync_bank, synced_files
from quizapp.db import db
from quizapp.disputes import bank_file, parts, queue
from quizapp.disputes.key_edit import KeyChange
from quizapp.models import Dispute, DisputeRuling, Question, QuestionVersion, Quiz, Regrade
from quizapp.models.disputes import ACCEPTED, KEPT, OPEN

WAITING = "waiting"  # accepted; the quiz does not have the new key yet
TO_REGRADE = "to_regrade"  # the quiz has it; answers are still scored against an older key
REGRADED = "regraded"


class NothingToSettle(Exception):
    """Every dispute the page showed was settled meanwhile (by another instructor, or a second click)."""


def _settle(ruling: DisputeRuling, dispute_ids: list[int], instructor_id: int) -> int:
    """Attach the ruling to those of the disputes shown that are still open and the instructor may see."""
    db.session.add(ruling)
    db.session.flush()
    settled = db.session.execute(
        update(Dispute)
        .where(
            Dispute.id.in_(dispute_ids),
            Dispute.question_id == ruling.question_id,
            Dispute.part == ruling.part,
            Dispute.status == OPEN,
            queue.visible(instructor_id),
        )
        .values(status=ruling.outcome, ruling_id=ruling.id)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if not settled:
        db.session.rollback()
        raise NothingToSettle()
    return int(settled)


def keep(question_id: int, part: str, dispute_ids: list[int], reply: str, instructor_id: int) -> int:
    """Keep the key with a reply; how many disputes it settled."""
    ruling = DisputeRuling(question_id=question_id, part=part, outcome=KEPT, reply=reply, by_id=instructor_id)
    settled = _settle(ruling, dispute_ids, instructor_id)
    db.session.commit()
    return settled


@dataclass(frozen=True)
class Accepted:
    settled: int
    ruling: DisputeRuling
    sync: SyncReport | None  # the sync run after the app wrote the file


def accept(
    quiz: Quiz,
    question: Question,
    change: KeyChange,
    dispute_ids: list[int],
    note: str,
    instructor_id: int,
    *,
    questions_dir: Path,
    writable: bool,
    shown_sha256: str,
) -> Accepted:
    """Accept an answer. Writable: the file is changed (only if it still has the bytes shown,
    and the edited bank validates), the ruling recorded and the bank synced; bank_file.WriteRefused
    otherwise, with nothing written or recorded. Not writable: the ruling records the change to make."""
    proposal = bank_file.propose(questions_dir, quiz.path, question.slug, change)
    edit = proposal.edit if writable and proposal.problem is None else None
    if edit is not None:
        if proposal.sha256 != shown_sha256:
            raise bank_file.FileChanged(f"{quiz.path} changed since the change was shown to you")
        bank_file.check(questions_dir, quiz.path, edit.edited, question.slug, change, synced_files(db.session))
    ruling = DisputeRuling(
        question_id=question.id,
        part=change.part,
        outcome=ACCEPTED,
        accepted=change.answer,
        as_alternate=change.as_alternate,
        reply=note,
        by_id=instructor_id,
        path=quiz.path,
        change=[hunk.as_json() for hunk in proposal.hunks],
        file_written=edit is not None,
    )
    settled = _settle(ruling, dispute_ids, instructor_id)
    if edit is not None:
        try:
            bank_file.replace(questions_dir, quiz.path, shown_sha256, edit.edited)
        except bank_file.WriteRefused:
            db.session.rollback()
            raise
    db.session.commit()
    report = None
    if writable:
        # Brings the new key in as a new version (also when the file had it already, unsynced).
        report = sync_bank(db.session, load_for_sync(db.session, questions_dir))
    return Accepted(settled, ruling, report)


def carried(ruling: DisputeRuling, current: QuestionVersion | None) -> bool:
    """Does the question's current version have the key this ruling accepted?"""
    if ruling.outcome != ACCEPTED or current is None or ruling.accepted is None:
        return False
    return parts.carries(current, ruling.part, ruling.accepted, ruling.as_alternate)


def state(ruling: DisputeRuling, current: QuestionVersion | None, plan: RegradePlan) -> str:
    """kept, waiting (for the file change and a sync), to_regrade, or regraded."""
    if ruling.outcome == KEPT:
        return KEPT
    if not carried(ruling, current):
        return WAITING
    return TO_REGRADE if not plan.empty else REGRADED


def plan(quiz: Quiz, question: Question) -> RegradePlan:
    """What "Regrade now" would rescore: the question's answers not scored against its current key."""
    return regrade.plan_regrade(quiz.slug, question.id)


def regrade_now(
    quiz: Quiz, question: Question, current: QuestionVersion | None, by: str, fingerprint: str
) -> Regrade | None:
    """Rescore the question's answers as previewed (regrade.PlanChanged otherwise, having written
    nothing); the accepted rulings it completes point at its record. None: nothing to regrade."""
    _plan, record = regrade.apply_regrade(
        quiz.slug, by=by, via=regrade.DISPUTES, expected_fingerprint=fingerprint, question_id=question.id
    )
    if record is not None:
        waiting = db.session.scalars(
            select(DisputeRuling).where(
                DisputeRuling.question_id == question.id,
                DisputeRuling.outcome == ACCEPTED,
                DisputeRuling.regrade_id.is_(None),
            )
        )
        for ruling in waiting:
            if carried(ruling, current):
                ruling.regrade_id = record.id
        db.session.commit()
    return record

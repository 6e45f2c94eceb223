"""Database tables, one module per room that owns them; import them from here.

Question content is versioned, and answers are never deleted by a sync, a
regrade or a change to a class: only with their student, by an admin (privacy).
"""

from quizapp.db import utcnow
from quizapp.models.accounts import (
    ADMIN,
    INSTRUCTOR,
    STAFF_ROLES,
    STUDENT,
    ClassInstructor,
    ClassMembership,
    Classroom,
    SignIn,
    User,
    username_key,
)
from quizapp.models.answers import ANSWER_POINTS, Answer, Attempt, Regrade, RegradedAnswer
from quizapp.models.bank import BankRevision, Question, QuestionVersion, Quiz, Source, SourceText, TaxonomyChoice
from quizapp.models.disputes import Dispute, DisputeRuling
from quizapp.models.live import LivePick, LiveSession

__all__ = [
    "ADMIN",
    "ANSWER_POINTS",
    "INSTRUCTOR",
    "STAFF_ROLES",
    "STUDENT",
    "Answer",
    "Attempt",
    "BankRevision",
    "ClassInstructor",
    "ClassMembership",
    "Classroom",
    "Dispute",
    "DisputeRuling",
    "LivePick",
    "LiveSession",
    "Question",
    "QuestionVersion",
    "Quiz",
    "Regrade",
    "RegradedAnswer",
    "SignIn",
    "Source",
    "SourceText",
    "TaxonomyChoice",
    "User",
    "username_key",
    "utcnow",
]

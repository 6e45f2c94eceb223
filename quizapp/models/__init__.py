"""Database tables, one module per room that owns them; import them from here.

Question content is versioned and answers are never deleted.
"""

from quizapp.db import utcnow
from quizapp.models.accounts import INSTRUCTOR, STUDENT, ClassMembership, Classroom, User, username_key
from quizapp.models.answers import Answer, Attempt, Regrade, RegradedAnswer
from quizapp.models.bank import BankRevision, Question, QuestionVersion, Quiz, Source, TaxonomyChoice
from quizapp.models.live import LivePick, LiveSession

__all__ = [
    "INSTRUCTOR",
    "STUDENT",
    "Answer",
    "Attempt",
    "BankRevision",
    "ClassMembership",
    "Classroom",
    "LivePick",
    "LiveSession",
    "Question",
    "QuestionVersion",
    "Quiz",
    "Regrade",
    "RegradedAnswer",
    "Source",
    "TaxonomyChoice",
    "User",
    "username_key",
    "utcnow",
]

"""How many disputes one student may send: QUIZAPP_DISPUTE_LIMIT_PER_STUDENT (default 10 per hour; 30 per day).

Each dispute sent counts; a form sent back with a mistake does not. The counts
live where the sign-in limits keep theirs (QUIZAPP_RATELIMIT_STORAGE_URL; see
accounts/limits.py), so redis:// shares them between workers and servers.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import Flask, current_app
from limits import RateLimitItem
from limits.errors import StorageError
from limits.strategies import MovingWindowRateLimiter

from quizapp.accounts.limits import moving_window_limiter, parse_limits

EXTENSION = "quizapp.dispute_limits"


@dataclass
class DisputeLimits:
    limiter: MovingWindowRateLimiter
    per_student: list[RateLimitItem]

    @staticmethod
    def _key(user_id: int) -> tuple[str, ...]:
        return ("quizapp-dispute", "user", str(user_id))

    def seconds_to_wait(self, user_id: int) -> int:
        """0 when the student may send another dispute now."""
        wait = 0.0
        for item in self.per_student:
            if not self.limiter.test(item, *self._key(user_id)):
                wait = max(wait, self.limiter.get_window_stats(item, *self._key(user_id)).reset_time - time.time())
        return math.ceil(wait) if wait > 0 else 0

    def record(self, user_id: int) -> None:
        for item in self.per_student:
            self.limiter.hit(item, *self._key(user_id))


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = DisputeLimits(
        moving_window_limiter(app), parse_limits(app, "DISPUTE_LIMIT_PER_STUDENT")
    )


def _limits() -> DisputeLimits:
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


def seconds_to_wait(user_id: int) -> int:
    """How long this student must wait before sending another dispute (0: not at all)."""
    try:
        return _limits().seconds_to_wait(user_id)
    except StorageError:
        # The shared storage is down: let the dispute through rather than silence every student.
        current_app.logger.exception("Dispute limits unavailable; allowing the dispute")
        return 0


def sent(user_id: int) -> None:
    try:
        _limits().record(user_id)
    except StorageError:
        current_app.logger.exception("Dispute limits unavailable; dispute not counted")


def wait_text(seconds: int) -> str:
    """'1 minute', '45 minutes', '2 hours' - how a page says how long to wait."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 90:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"{hours} hours"

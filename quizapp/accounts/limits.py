"""Sign-in attempts limited per username and per network address.

Only failed attempts count, so a whole class signing in from one school
address is never slowed down, while someone guessing passwords is. Counts are
kept by the `limits` library in the storage QUIZAPP_RATELIMIT_STORAGE_URL names:
memory:// (the default) keeps them inside each server process, so with several
gunicorn workers each counts on its own; redis://host:6379 shares them between
workers and servers.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.errors import ConfigurationError, StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from quizapp.config import ConfigError

EXTENSION = "quizapp.signin_limits"


class TooManySignIns(TooManyRequests):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after=retry_after)
        minutes = math.ceil(retry_after / 60)
        self.page_message = (
            "Too many failed sign-in attempts for this username or from this network. "
            f"Wait {minutes} minute{'s' if minutes != 1 else ''}, then try again."
        )


@dataclass
class SignInLimits:
    limiter: MovingWindowRateLimiter
    per_username: list[RateLimitItem]
    per_address: list[RateLimitItem]

    def _checks(self, username: str, address: str) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
        # Usernames are matched without regard to case, so they are counted that way too.
        user_key: tuple[str, ...] = ("quizapp-signin", "username", username.lower())
        address_key: tuple[str, ...] = ("quizapp-signin", "address", address)
        return [(item, user_key) for item in self.per_username] + [(item, address_key) for item in self.per_address]

    def seconds_to_wait(self, username: str, address: str) -> int:
        """0 when another attempt is allowed now."""
        wait = 0.0
        for item, key in self._checks(username, address):
            if not self.limiter.test(item, *key):
                wait = max(wait, self.limiter.get_window_stats(item, *key).reset_time - time.time())
        return math.ceil(wait) if wait > 0 else 0

    def record_failure(self, username: str, address: str) -> None:
        for item, key in self._checks(username, address):
            self.limiter.hit(item, *key)


def moving_window_limiter(app: Flask) -> MovingWindowRateLimiter:
    """A limiter counting in the storage QUIZAPP_RATELIMIT_STORAGE_URL names (other limits use it too)."""
    url = app.config["RATELIMIT_STORAGE_URL"]
    try:
        storage = storage_from_string(url, wrap_exceptions=True)
    except ConfigurationError as error:
        raise ConfigError(
            f"QUIZAPP_RATELIMIT_STORAGE_URL={url!r} cannot be used ({error}); use memory:// or redis://host:6379"
        ) from None
    return MovingWindowRateLimiter(storage)


def parse_limits(app: Flask, name: str) -> list[RateLimitItem]:
    """The limits of the setting `name` (from QUIZAPP_<name>), or ConfigError saying how to write one."""
    try:
        return parse_many(app.config[name])
    except ValueError:
        raise ConfigError(
            f"QUIZAPP_{name}={app.config[name]!r} is not a rate limit; write e.g. '10 per minute; 100 per hour'"
        ) from None


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = SignInLimits(
        moving_window_limiter(app),
        parse_limits(app, "SIGNIN_LIMIT_PER_USERNAME"),
        parse_limits(app, "SIGNIN_LIMIT_PER_ADDRESS"),
    )


def _limits() -> SignInLimits:
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


def check_sign_in(username: str) -> None:
    """Refuse (429) when this username or this address has failed too often lately."""
    try:
        wait = _limits().seconds_to_wait(username, request.remote_addr or "unknown")
    except StorageError:
        # The shared storage is down: let people sign in rather than lock everyone out.
        current_app.logger.exception("Sign-in limits unavailable; allowing the attempt")
        return
    if wait:
        raise TooManySignIns(wait)


def failed_sign_in(username: str) -> None:
    try:
        _limits().record_failure(username, request.remote_addr or "unknown")
    except StorageError:
        current_app.logger.exception("Sign-in limits unavailable; failure not counted")

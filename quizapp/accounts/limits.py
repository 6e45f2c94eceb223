"""Limits on failed sign-ins (F7) and on new accounts (F3), so that guessing and mass sign-ups are slow.

Failed sign-ins are counted three ways (only failures count, so a whole class
signing in from one school address is never slowed down):

- per username *and* address (QUIZAPP_SIGNIN_LIMIT_PER_USERNAME_AND_ADDRESS):
  someone guessing one account's password from one place;
- per address (QUIZAPP_SIGNIN_LIMIT_PER_ADDRESS): one place guessing many accounts;
- per username from everywhere (QUIZAPP_SIGNIN_LIMIT_PER_USERNAME), a slower
  limit over hours, against guesses spread over many addresses. It does not
  apply at an address where that account signed in successfully in the last
  30 days: a stranger guessing wrong elsewhere cannot lock the owner out of
  the places they usually sign in from.

New accounts are counted per address (QUIZAPP_REGISTER_LIMIT_PER_ADDRESS):
each costs a deliberately slow password hash, and a flood of them would fill
the instructors' lists.

Counts are kept by the `limits` library in the storage QUIZAPP_RATELIMIT_STORAGE_URL
names: memory:// (the default) keeps them inside each server process, so with
several gunicorn workers each counts on its own; redis://host:6379 shares them
between workers and servers. If the shared storage is down, people may sign in
and register unlimited rather than nobody at all.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.errors import ConfigurationError, StorageError
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from quizapp.config import ConfigError
from quizapp.models import username_key

EXTENSION = "quizapp.limits"
# An address where an account signed in is "known" to it for this long.
KNOWN_ADDRESS_SECONDS = 30 * 24 * 3600
SETTINGS = (
    "SIGNIN_LIMIT_PER_USERNAME_AND_ADDRESS",
    "SIGNIN_LIMIT_PER_USERNAME",
    "SIGNIN_LIMIT_PER_ADDRESS",
    "REGISTER_LIMIT_PER_ADDRESS",
)

Check = tuple[RateLimitItem, tuple[str, ...]]


def _minutes(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class TooManySignIns(TooManyRequests):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after=retry_after)
        self.page_message = (
            "Too many failed sign-in attempts for this username or from this network. "
            f"Wait {_minutes(retry_after)}, then try again."
        )


class TooManyRegistrations(TooManyRequests):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after=retry_after)
        self.page_message = (
            "Too many accounts were made from this network lately. "
            f"Wait {_minutes(retry_after)}, then try again, or ask your teacher."
        )


@dataclass
class Limits:
    limiter: MovingWindowRateLimiter
    storage: Storage
    items: dict[str, list[RateLimitItem]]  # setting name -> its limits

    def _of(self, setting: str, *key: str) -> list[Check]:
        return [(item, key) for item in self.items[setting]]

    def _wait(self, checks: list[Check]) -> int:
        """Seconds until every check allows one more; 0 when they do now."""
        wait = 0.0
        for item, key in checks:
            if not self.limiter.test(item, *key):
                wait = max(wait, self.limiter.get_window_stats(item, *key).reset_time - time.time())
        return math.ceil(wait) if wait > 0 else 0

    def _sign_in_checks(self, user: str, address: str, *, known: bool) -> list[Check]:
        checks = self._of("SIGNIN_LIMIT_PER_USERNAME_AND_ADDRESS", "quizapp-signin", "pair", user, address)
        checks += self._of("SIGNIN_LIMIT_PER_ADDRESS", "quizapp-signin", "address", address)
        if not known:
            checks += self._of("SIGNIN_LIMIT_PER_USERNAME", "quizapp-signin", "username", user)
        return checks

    def _known_key(self, user: str, address: str) -> str:
        return f"quizapp-signin/known/{user}/{address}"

    def sign_in_wait(self, user: str, address: str) -> int:
        known = self.storage.get(self._known_key(user, address)) > 0
        return self._wait(self._sign_in_checks(user, address, known=known))

    def sign_in_failed(self, user: str, address: str) -> None:
        for item, key in self._sign_in_checks(user, address, known=False):
            self.limiter.hit(item, *key)

    def sign_in_succeeded(self, user: str, address: str) -> None:
        self.storage.incr(self._known_key(user, address), KNOWN_ADDRESS_SECONDS)

    def registration_wait(self, address: str) -> int:
        return self._wait(self._of("REGISTER_LIMIT_PER_ADDRESS", "quizapp-register", address))

    def registered(self, address: str) -> None:
        for item, key in self._of("REGISTER_LIMIT_PER_ADDRESS", "quizapp-register", address):
            self.limiter.hit(item, *key)


def open_storage(app: Flask) -> Storage:
    """The storage QUIZAPP_RATELIMIT_STORAGE_URL names (other rooms' limits count in it too)."""
    url = app.config["RATELIMIT_STORAGE_URL"]
    try:
        storage = storage_from_string(url, wrap_exceptions=True)
    except ConfigurationError as error:
        raise ConfigError(
            f"QUIZAPP_RATELIMIT_STORAGE_URL={url!r} cannot be used ({error}); use memory:// or redis://host:6379"
        ) from None
    if not isinstance(storage, Storage):  # async+redis:// and the like
        raise ConfigError(
            f"QUIZAPP_RATELIMIT_STORAGE_URL={url!r} is an asyncio storage; use memory:// or redis://host:6379"
        )
    return storage


def moving_window_limiter(app: Flask) -> MovingWindowRateLimiter:
    """A limiter counting in the configured storage."""
    return MovingWindowRateLimiter(open_storage(app))


def parse_limits(app: Flask, name: str) -> list[RateLimitItem]:
    """The limits of the setting `name` (from QUIZAPP_<name>), or ConfigError saying how to write one."""
    try:
        return parse_many(app.config[name])
    except ValueError:
        raise ConfigError(
            f"QUIZAPP_{name}={app.config[name]!r} is not a rate limit; write e.g. '10 per minute; 100 per hour'"
        ) from None


def init_app(app: Flask) -> None:
    storage = open_storage(app)
    items = {name: parse_limits(app, name) for name in SETTINGS}
    app.extensions[EXTENSION] = Limits(MovingWindowRateLimiter(storage), storage, items)


def _limits() -> Limits:
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


def _address() -> str:
    return request.remote_addr or "unknown"


def check_sign_in(username: str) -> None:
    """Refuse (429) when this username at this address, or this address, or (from an
    address it never signed in from) this username has failed too often lately."""
    try:
        wait = _limits().sign_in_wait(username_key(username), _address())
    except StorageError:
        # The shared storage is down: let people sign in rather than lock everyone out.
        current_app.logger.exception("Sign-in limits unavailable; allowing the attempt")
        return
    if wait:
        raise TooManySignIns(wait)


def failed_sign_in(username: str) -> None:
    try:
        _limits().sign_in_failed(username_key(username), _address())
    except StorageError:
        current_app.logger.exception("Sign-in limits unavailable; failure not counted")


def signed_in(username: str) -> None:
    """Remember this address as one the account signs in from."""
    try:
        _limits().sign_in_succeeded(username_key(username), _address())
    except StorageError:
        current_app.logger.exception("Sign-in limits unavailable; address not remembered")


def check_registration() -> None:
    """Refuse (429) when this address has made too many accounts lately."""
    try:
        wait = _limits().registration_wait(_address())
    except StorageError:
        current_app.logger.exception("Registration limits unavailable; allowing the sign-up")
        return
    if wait:
        raise TooManyRegistrations(wait)


def registered() -> None:
    try:
        _limits().registered(_address())
    except StorageError:
        current_app.logger.exception("Registration limits unavailable; sign-up not counted")

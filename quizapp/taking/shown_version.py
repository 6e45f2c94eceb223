"""Which version of a question a student was shown, signed into the answer form (F9).

The question page sends the version it shows in a hidden field, so that an
answer to a page opened before a sync is scored against the key the student
read. The field is signed with the attempt's id (HMAC with the app's secret
key): a student cannot swap in another version's id - an older key, or a
passage not reached yet - and be scored against it.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from flask import current_app

from quizapp.integers import parse_int

SIGNATURE_CHARACTERS = 32  # 128 bits of SHA-256


@lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    # A key of its own, derived from the secret: a signature here is never valid anywhere else.
    return hashlib.sha256(b"quizapp shown version\0" + secret.encode()).digest()


def _signature(attempt_id: int, version_id: int, secret: str | None = None) -> str:
    message = f"{attempt_id}:{version_id}".encode()
    key = _key(secret if secret is not None else str(current_app.config["SECRET_KEY"]))
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:SIGNATURE_CHARACTERS]


def form_value(attempt_id: int, version_id: int, secret: str | None = None) -> str:
    """The hidden field's value on the question page: 'VERSION_ID.SIGNATURE'.

    Signed with the app's secret key, or `secret` (for tools that drive a server
    from outside, as the load tests and benchmarks do)."""
    return f"{version_id}.{_signature(attempt_id, version_id, secret)}"


def version_id_from(attempt_id: int, value: str) -> int | None:
    """The version id this attempt's question page sent, or None for anything else."""
    number, _dot, signature = value.partition(".")
    version_id = parse_int(number)
    if version_id is None or not hmac.compare_digest(signature, _signature(attempt_id, version_id)):
        return None
    return version_id

"""Helpers for driving the app as a person would, through its forms."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str) -> str:
    """The token a browser would send back: read from the page's form."""
    page = client.get(path)
    match = CSRF_FIELD.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class Actor:
    """A person using the app through its forms, CSRF tokens included."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def register(self, username: str, password: str = "correct horse") -> None:
        token = csrf_token(self.client, "/register")
        self.client.post(
            "/register",
            data={"username": username, "password": password, "confirm": password, "csrf_token": token},
        )

    def login(self, username: str, password: str = "correct horse", next_url: str | None = None):  # type: ignore[no-untyped-def]
        token = csrf_token(self.client, "/login")
        path = "/login" + (f"?next={next_url}" if next_url else "")
        return self.client.post(path, data={"username": username, "password": password, "csrf_token": token})

    def logout(self) -> None:
        token = csrf_token(self.client, "/")
        self.client.post("/logout", data={"csrf_token": token})

    def start(self, quiz: str = "bridge") -> int:
        token = csrf_token(self.client, f"/quizzes/{quiz}")
        response = self.client.post(f"/quizzes/{quiz}/start", data={"csrf_token": token})
        assert response.status_code == 302, response.status_code
        return int(response.headers["Location"].rsplit("/", 1)[1])

    def current_form(self, attempt_id: int) -> tuple[str, str]:
        """(csrf token, version id) from the question page now shown."""
        page = self.client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
        version = re.search(r'name="version" type="hidden" value="([^"]+)"', page)
        token = CSRF_FIELD.search(page)
        assert version and token, page[:500]
        return token.group(1), version.group(1)

    def answer(  # type: ignore[no-untyped-def]
        self, attempt_id: int, claim_type: str, speaker: str, evidence: str, reason: str = "", confidence: str = ""
    ):
        """`confidence`: the stated chance in percent ("50", "75", "90"), for a quiz that asks."""
        token, version = self.current_form(attempt_id)
        data = {
            "csrf_token": token,
            "version": version,
            "claim_type": claim_type,
            "speaker": speaker,
            "evidence": evidence,
            "reason": reason,
        }
        if confidence:
            data["confidence"] = confidence
        return self.client.post(f"/attempts/{attempt_id}/answer", data=data)

"""The JSON state live pages poll: ETag and 304 while nothing changed, read from the session's stamp alone."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import event

from quizapp.db import db
from quizapp.live import state

from ..support import Actor, csrf_token
from ..taking.test_quiz_flow import RIGHT
from .support import answer, start_session, step


def poll(actor: Actor, path: str, etag: str | None = None) -> tuple[int, str, dict[str, object] | None]:
    headers = {"If-None-Match": etag} if etag else {}
    response = actor.client.get(path, headers=headers)
    assert response.headers.get("Cache-Control") == "private, no-cache", path
    body = response.get_json() if response.status_code == 200 else None
    if response.status_code == 304:
        assert response.get_data() == b""
    return response.status_code, response.headers.get("ETag", ""), body


def test_students_poll_gets_304_until_the_class_moves_on(
    app: Flask, instructor: Actor, student: Actor, bob: Actor, classroom: int
) -> None:
    live_id = start_session(app, instructor, classroom)
    path = f"/live/{live_id}/state"
    status, etag, state = poll(student, path)
    assert status == 200 and etag and state == {"stage": 1}
    assert poll(student, path, etag)[0] == 304

    answer(bob, live_id, RIGHT[0])  # another student's answer changes nothing on this page
    assert poll(student, path, etag)[0] == 304

    step(instructor, live_id, "reveal")
    status, revealed_etag, state = poll(student, path, etag)
    assert status == 200 and revealed_etag != etag and state == {"stage": 2}
    assert poll(student, path, revealed_etag)[0] == 304
    step(instructor, live_id, "next")
    assert poll(student, path, revealed_etag)[1:] != (revealed_etag, {"stage": 2})


def test_projector_and_control_page_polls_change_with_each_answer(
    app: Flask, instructor: Actor, student: Actor, bob: Actor, classroom: int
) -> None:
    live_id = start_session(app, instructor, classroom)
    projector, control = f"/instructor/live/{live_id}/projector/state", f"/instructor/live/{live_id}/state"
    tags = {}
    for path in (projector, control):
        status, tags[path], state = poll(instructor, path)
        assert status == 200 and state is not None
        assert state["parts"]["status"] == "Passage 1 of 3 is open. 0 of 2 answered."  # type: ignore[index]
        assert poll(instructor, path, tags[path])[0] == 304

    answer(student, live_id, RIGHT[0], reason="Records would show it.")
    for path, part in ((projector, "board"), (control, "split")):
        status, etag, state = poll(instructor, path, tags[path])
        assert status == 200 and etag != tags[path] and state is not None
        assert state["stage"] == 1  # the same passage: the page takes the new parts as they are
        parts = state["parts"]
        assert parts["status"] == "Passage 1 of 3 is open. 1 of 2 answered."  # type: ignore[index]
        assert '<span class="number">1</span>' in parts[part]  # type: ignore[index]
        assert poll(instructor, path, etag)[0] == 304
    _status, _etag, state = poll(instructor, control)
    assert state is not None and "Records would show it." in state["parts"]["reasons"]  # type: ignore[index]


def test_a_304_reads_only_the_signed_in_user_and_the_session_stamp(
    app: Flask, instructor: Actor, student: Actor, classroom: int
) -> None:
    live_id = start_session(app, instructor, classroom)
    answer(student, live_id, RIGHT[0])
    for actor, path in (
        (student, f"/live/{live_id}/state"),
        (instructor, f"/instructor/live/{live_id}/projector/state"),
        (instructor, f"/instructor/live/{live_id}/state"),
    ):
        _status, etag, _state = poll(actor, path)
        statements: list[str] = []

        def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
            statements.append(statement)  # noqa: B023 (removed before the loop moves on)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            assert poll(actor, path, etag)[0] == 304
        finally:
            event.remove(engine, "before_cursor_execute", record)
        assert len(statements) == 2, (path, statements)
        user, stamp = statements
        assert 'FROM "user"' in user or "FROM user" in user
        assert "FROM live_session" in stamp and "answer" not in stamp, stamp


def test_polls_are_for_the_class_and_its_teachers_only(
    app: Flask, instructor: Actor, student: Actor, cara: Actor, classroom: int
) -> None:
    live_id = start_session(app, instructor, classroom)
    assert cara.client.get(f"/live/{live_id}/state").status_code == 404  # not in the class
    token = csrf_token(cara.client, "/")
    assert cara.client.post(f"/live/{live_id}/answer", data={"csrf_token": token}).status_code == 404
    assert student.client.get(f"/instructor/live/{live_id}/projector/state").status_code == 403
    anonymous = app.test_client().get(f"/live/{live_id}/state")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    assert student.client.get(f"/live/{live_id + 1}/state").status_code == 404


@pytest.mark.sqlite_only("reads SQLite's query plan; PostgreSQL plans tables this small with sequential scans")
def test_the_stamp_is_read_through_primary_keys_alone(app: Flask) -> None:
    with app.app_context(), db.engine.connect() as connection:
        compiled = state.STAMP.compile(dialect=connection.dialect)
        values = {"live_id": 1, "user_id": 1}
        params = tuple(values[name] for name in compiled.positiontup or ())
        plan = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params)]
    assert any("live_session USING INTEGER PRIMARY KEY" in step for step in plan), plan
    # The membership's primary key (classroom_id, user_id), which SQLite keeps as an automatic index.
    assert any(step.startswith("SEARCH class_membership") and "(classroom_id=? AND user_id=?)" in step for step in plan)
    assert not [step for step in plan if step.startswith("SCAN")], plan

"""The projector shows no names and only the reasons picked; the control page shows names; steps apply once."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from quizapp.db import db
from quizapp.models import Answer, LivePick, LiveSession

from ..support import Actor
from ..taking.test_quiz_flow import RIGHT
from .support import answer, control_page, start_session, step

ADA_REASON = "Council records would show the vote."
BOB_REASON = "Bob thinks the paper is hiding something."


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def answer_ids(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {reason: id_ for id_, reason in db.session.execute(select(Answer.id, Answer.reason))}


def projector(instructor: Actor, live_id: int) -> str:
    page = instructor.client.get(f"/instructor/live/{live_id}/projector").get_data(as_text=True)
    state = instructor.client.get(f"/instructor/live/{live_id}/projector/state").get_data(as_text=True)
    return page + state


def test_the_projector_shows_counts_and_picked_reasons_never_names(
    app: Flask, instructor: Actor, student: Actor, bob: Actor, classroom: int
) -> None:
    live_id = start_session(app, instructor, classroom)
    answer(student, live_id, RIGHT[0], reason=ADA_REASON)
    answer(bob, live_id, ("opinion", "outlet", "yes"), reason=BOB_REASON)

    before = projector(instructor, live_id)
    assert "2 of 2 answered" in before and "The city council voted 7 to 2" in before
    assert ADA_REASON not in before and "A vote with its count" not in before  # nothing revealed yet
    control = control_page(instructor, live_id).body
    assert "ada:" in control and "bob:" in control  # the control page names them
    assert ADA_REASON in control and "Bob thinks the paper" in control

    ids = answer_ids(app)
    assert step(instructor, live_id, "reveal", reasons=[ids[ADA_REASON]]).status_code == 302
    after = projector(instructor, live_id)
    assert ADA_REASON in after and "A vote with its count and day" in after
    assert "Bob thinks the paper" not in after  # not picked
    for name in ("ada", "bob", "teacher"):
        assert not re.search(rf"\b{name}\b", visible_text(after).replace("\\n", " ")), name
    assert "&#10003; key" in after


def test_picks_change_after_the_reveal_and_only_this_passages_reasons_count(
    app: Flask, instructor: Actor, student: Actor, bob: Actor, classroom: int
) -> None:
    live_id = start_session(app, instructor, classroom)
    answer(student, live_id, RIGHT[0], reason=ADA_REASON)
    answer(bob, live_id, RIGHT[0], reason=BOB_REASON)
    ids = answer_ids(app)
    step(instructor, live_id, "reveal", reasons=[ids[ADA_REASON]])
    with app.app_context():
        session = db.session.get(LiveSession, live_id)
        assert session is not None
        stage, version = session.stage, session.version

    assert step(instructor, live_id, "reveal", reasons=[ids[BOB_REASON]]).status_code == 302
    after = projector(instructor, live_id)
    assert "Bob thinks the paper" in after and "records would show the vote" not in after
    with app.app_context():
        session = db.session.get(LiveSession, live_id)
        assert session is not None
        assert (session.stage, session.version) == (stage, version + 1)  # the projector changes; students' pages do not

    # The projector's own Reveal button lists no reasons, so it keeps the picks.
    step(instructor, live_id, "next")
    answer(student, live_id, RIGHT[1], reason="Quotation marks, then the mayor.")
    control = control_page(instructor, live_id)
    instructor.client.post(
        f"/instructor/live/{live_id}/reveal",
        data={"csrf_token": control.token, "stage": control.stage, "back": "projector", "reasons": [ids[ADA_REASON]]},
    )
    with app.app_context():
        picked = set(db.session.scalars(select(LivePick.answer_id)))
    assert picked == {ids[BOB_REASON]}  # passage 1's pick stays; passage 1's answer is no pick for passage 2
    step(instructor, live_id, "reveal", reasons=[ids[ADA_REASON]])
    with app.app_context():
        assert set(db.session.scalars(select(LivePick.answer_id))) == {ids[BOB_REASON]}


def test_a_second_click_or_a_second_tab_applies_a_step_once(app: Flask, instructor: Actor, classroom: int) -> None:
    live_id = start_session(app, instructor, classroom)
    page = control_page(instructor, live_id)
    for _ in range(2):  # a double click on Next: both forms name the stage they were shown at
        response = instructor.client.post(
            f"/instructor/live/{live_id}/next", data={"csrf_token": page.token, "stage": page.stage}
        )
        assert response.status_code == 302
    after = instructor.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Passage 2 of 3" in after and "nothing was changed" in after

    step(instructor, live_id, "next")
    last = control_page(instructor, live_id)
    assert "Passage 3 of 3" in last.body and "Next passage" not in last.body  # End is for the last one
    instructor.client.post(f"/instructor/live/{live_id}/next", data={"csrf_token": last.token, "stage": last.stage})
    with app.app_context():
        session = db.session.get(LiveSession, live_id)
        assert session is not None and session.position == 2 and session.ended_at is None


def test_the_projector_buttons_bring_the_room_back_to_the_projector(
    app: Flask, instructor: Actor, classroom: int
) -> None:
    live_id = start_session(app, instructor, classroom)
    page = instructor.client.get(f"/instructor/live/{live_id}/projector").get_data(as_text=True)
    assert "Reveal the key" in page and "Next passage" in page and "End the session" in page
    control = control_page(instructor, live_id)
    response = instructor.client.post(
        f"/instructor/live/{live_id}/reveal",
        data={"csrf_token": control.token, "stage": control.stage, "back": "projector"},
    )
    assert response.headers["Location"] == f"/instructor/live/{live_id}/projector"
    expired = instructor.client.post(f"/instructor/live/{live_id}/end", data={"csrf_token": control.token})
    assert expired.status_code == 302  # no stage: told the page expired, nothing changed
    with app.app_context():
        session = db.session.get(LiveSession, live_id)
        assert session is not None and session.revealed_at is not None and session.ended_at is None

"""What the live pages show, gathered once for the page and for the JSON parts that update it.

The projector and the control page share one record (`Room`); the control page
adds names and every reason. Status lines are short sentences, because screen
readers announce them each time they change.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, url_for
from markupsafe import Markup

from quizapp import formatting
from quizapp.accounts.classrooms import format_code
from quizapp.live import split as splits
from quizapp.live.state import LiveState, Reading, current_version, explained_version, quiz_of
from quizapp.models import QuestionVersion
from quizapp.taking.snapshot import QuizView, VersionView


@dataclass(frozen=True)
class Room:
    """The session as the room sees it (projector) and the instructor runs it (control page)."""

    state: LiveState
    quiz: QuizView
    classroom: str
    version: VersionView | QuestionVersion
    explained: QuestionVersion | None  # with its explanations, once the key is shown
    split: splits.Split
    members: int
    picked: list[str]  # the reasons shown, once the key is shown
    labels: dict[str, dict[str, str]]  # claim_labels and evidence_labels, for templates

    @property
    def code(self) -> str:
        return format_code(self.state.code)


def room(reading: Reading) -> Room:
    state = reading.state
    quiz = quiz_of(reading)
    version = current_version(reading, quiz)
    revealed = state.phase != "open"
    return Room(
        state=state,
        quiz=quiz,
        classroom=reading.classroom_name,
        version=version,
        explained=explained_version(version.id) if revealed else None,
        split=splits.split(state, quiz, version, quiz.claim_types),
        members=splits.members(state.classroom_id),
        picked=splits.picked_reasons(state) if revealed else [],
        labels=formatting.labels(),
    )


def join_address() -> str:
    """Where students type the code, as the projector shows it: without "https://"."""
    return url_for("live.join", _external=True).split("://", 1)[-1]


def room_status(room: Room) -> str:
    state = room.state
    if state.phase == "ended":
        return "The session has ended."
    where = f"Passage {state.number} of {state.total}"
    answered = f"{room.split.answered} of {room.members} answered"
    if state.phase == "revealed":
        return f"{where}: the key is shown. {answered}."
    return f"{where} is open. {answered}."


def student_status(state: LiveState, answered: bool) -> str:
    if state.phase == "ended":
        return "The class session has ended. Your answers are saved."
    where = f"Passage {state.number} of {state.total}"
    if state.phase == "revealed":
        return f"{where}: your teacher has shown the key."
    if answered:
        return f"{where}: your answer is in. Wait for your teacher to show the key."
    return f"{where} is open: answer it now."


def split_part(room: Room) -> Markup:
    return Markup(render_template("live/_split.html", room=room))


def board_part(room: Room) -> Markup:
    """The projector's changing part: the split, and once revealed the key and the reasons picked."""
    return Markup(render_template("live/_board.html", room=room, split_html=split_part(room), **room.labels))


def reasons_part(room: Room) -> Markup:
    return Markup(
        render_template(
            "live/_reasons.html",
            room=room,
            reasons=splits.reasons(room.state),
            waiting=splits.still_to_answer(room.state) if room.state.phase == "open" else [],
            **room.labels,
        )
    )

"""Regrading on purpose: a key edit keeps old scores until `questions regrade`, and the
dry run shows exactly what the regrade then does."""

from __future__ import annotations

import getpass
import re
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import select

from quizapp.bank.regrade import plan_regrade
from quizapp.db import db
from quizapp.models import Answer, Attempt, Question, Regrade, RegradedAnswer, User

from ..support import Actor
from ..taking.test_quiz_flow import RIGHT
from .test_sync import dump, edit, resync

VOTE_KEY = "claim_type: factual\n    speaker: outlet"


def scores_by_student(app: Flask) -> dict[tuple[str, str], tuple[float, float, float]]:
    """(username, question) -> stored scores."""
    with app.app_context():
        rows = db.session.execute(
            select(User.username, Question.slug, Answer.claim_type_score, Answer.speaker_score, Answer.evidence_score)
            .join(Attempt, Attempt.user_id == User.id)
            .join(Answer, Answer.attempt_id == Attempt.id)
            .join(Question, Answer.question_id == Question.id)
        )
        return {(r[0], r[1]): (r[2], r[3], r[4]) for r in rows}


def regrade(app: Flask, *args: str) -> Result:
    result = app.test_cli_runner().invoke(args=["questions", "regrade", *args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def answered(app: Flask, student: Actor) -> dict[str, Actor]:
    """ada answers every question right; bob finishes with mixed answers; cyra answers one and stops."""
    attempt = student.start()
    for choice in RIGHT:
        student.answer(attempt, *choice)
    bob = Actor(app.test_client())
    bob.register("bob")
    attempt = bob.start()
    for choice in [("rule", "outlet", "no"), ("factual", "mayor", "no"), ("factual", "council", "no")]:
        bob.answer(attempt, *choice)
    cyra = Actor(app.test_client())
    cyra.register("cyra")
    cyra.answer(cyra.start(), "factual", "mayor", "yes")
    return {"ada": student, "bob": bob, "cyra": cyra}


def quiz_row(instructor: Actor, username: str) -> list[str]:
    """The cells of one student's row on the instructor's scores-per-student page of the quiz."""
    page = instructor.client.get("/instructor/quizzes/bridge/students").get_data(as_text=True)
    row = re.search(rf">{username}</a></td>(.*?)</tr>", page, re.S)
    assert row, page
    return re.findall(r"<td>([^<]*)</td>", row.group(1))


def summary_of(actor: Actor) -> str:
    return actor.client.get("/results").get_data(as_text=True)


def test_key_edit_keeps_old_scores_until_a_regrade(
    app: Flask, answered: dict[str, Actor], admin: Actor, questions_dir: Path
) -> None:
    before = scores_by_student(app)
    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("factual", "rule"))
    sync = app.test_cli_runner().invoke(args=["questions", "sync"])
    assert "new versions 1" in sync.output
    assert scores_by_student(app) == before  # the sync alone rescored nothing
    assert "100%" in summary_of(answered["ada"])
    assert quiz_row(admin, "ada")[-1] == "100%"

    result = regrade(app, "--by", "Mrs Lee")
    assert result.exit_code == 0, result.output
    after = scores_by_student(app)
    # Only the vote's claim type moves: factual was right and is now wrong, rule the reverse.
    assert after[("ada", "vote")] == (0.0, 1.0, 1.0) and after[("bob", "vote")] == (1.0, 1.0, 1.0)
    assert after[("cyra", "vote")] == (0.0, 0.0, 0.0)
    assert {k: v for k, v in after.items() if k[1] != "vote"} == {k: v for k, v in before.items() if k[1] != "vote"}
    assert "ada, quiz bridge: 9 -> 8 of 9 points (100% -> 89%)" in result.output
    assert "bob, quiz bridge: 6.5 -> 7.5 of 9 points (72% -> 83%)" in result.output
    assert "cyra, quiz bridge: 1 -> 0 of 3 points (33% -> 0%)" in result.output
    assert "89%" in summary_of(answered["ada"])
    assert quiz_row(admin, "ada")[-4:] == ["67%", "100%", "100%", "89%"]  # claim type, speaker, evidence, total


def test_dry_run_matches_exactly_what_the_regrade_then_does(
    app: Flask, answered: dict[str, Actor], questions_dir: Path
) -> None:
    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("outlet", "council", 1).replace("factual", "rule"))
    edit(questions_dir, "accept: [factual]", "accept: [factual, rule]")
    resync(app, questions_dir)
    before_dump = dump(app)
    before = scores_by_student(app)

    dry = regrade(app, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dump(app) == before_dump  # a dry run writes nothing
    with app.app_context():
        plan = plan_regrade()

    done = regrade(app, "--by", "tester")
    assert done.exit_code == 0, done.output
    dry_lines = dry.output.splitlines()
    assert dry_lines[0] == "Dry run: nothing is written."
    assert done.output.splitlines()[: len(dry_lines) - 1] == dry_lines[1:]

    after = scores_by_student(app)
    changed = {key for key in after if after[key] != before[key]}
    assert len(changed) == len(plan.changed_answers) > 0
    assert (
        f"{len(plan.answers)} answer(s) to older versions are rescored against the current key; {len(changed)} change score."
        in dry.output
    )
    with app.app_context():
        recorded = {r.answer_id: r for r in db.session.scalars(select(RegradedAnswer))}
        assert set(recorded) == {c.answer_id for c in plan.answers}
        for change in plan.answers:
            row = recorded[change.answer_id]
            answer = db.session.get(Answer, change.answer_id)
            assert answer is not None
            assert (row.before_claim_type, row.before_speaker, row.before_evidence) == (
                change.before.claim_type,
                change.before.speaker,
                change.before.evidence,
            )
            assert (answer.claim_type_score, answer.speaker_score, answer.evidence_score) == (
                row.after_claim_type,
                row.after_speaker,
                row.after_evidence,
            )
            assert answer.version.number == 1 and row.to_version_id == answer.question.current_version_id
        [record] = db.session.scalars(select(Regrade)).all()
        assert record.by == "tester" and record.via == "command" and record.quiz_slug is None
        assert record.questions == ["bridge/vote", "bridge/disgrace"]
        assert record.answers_checked == len(plan.answers) and record.answers_changed == len(changed)
        assert record.scores_changed == len(plan.students) and record.at is not None

    again = regrade(app)
    assert "Nothing to regrade" in again.output
    with app.app_context():
        assert len(db.session.scalars(select(Regrade)).all()) == 1


def test_by_defaults_to_the_login_name_and_is_checked(
    app: Flask, answered: dict[str, Actor], questions_dir: Path
) -> None:
    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("factual", "rule"))
    resync(app, questions_dir)
    assert regrade(app, "--by", " ").exit_code == 1
    assert regrade(app, "--by", "x" * 65).exit_code == 1
    result = regrade(app)
    assert result.exit_code == 0 and f"by {getpass.getuser()}." in result.output
    with app.app_context():
        assert db.session.scalar(select(Regrade.by)) == getpass.getuser()


def test_quiz_option_limits_the_regrade_and_unknown_ids_are_refused(
    app: Flask, answered: dict[str, Actor], questions_dir: Path
) -> None:
    other = questions_dir / "quizzes" / "bridge-copy.yaml"
    other.write_text(
        (questions_dir / "quizzes" / "bridge.yaml").read_text().replace("id: bridge", "id: bridge-copy", 1)
    )
    resync(app, questions_dir)
    answered["ada"].answer(answered["ada"].start("bridge-copy"), *RIGHT[0])
    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("factual", "rule"))
    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("factual", "rule"), "quizzes/bridge-copy.yaml")
    resync(app, questions_dir)

    unknown = regrade(app, "--quiz", "brige")
    assert (
        unknown.exit_code == 1
        and "There is no quiz with id 'brige'" in unknown.output
        and "bridge-copy" in unknown.output
    )
    only_copy = regrade(app, "--quiz", "bridge-copy", "--by", "t")
    assert only_copy.exit_code == 0, only_copy.output
    assert "bridge-copy/vote" in only_copy.output and "bridge/vote" not in only_copy.output
    assert scores_by_student(app)[("bob", "vote")] == (0.0, 1.0, 1.0)  # bridge itself untouched
    with app.app_context():
        assert db.session.scalar(select(Regrade.quiz_slug)) == "bridge-copy"
    rest = regrade(app, "--dry-run")
    assert "bridge/vote: 3 answer(s) to version 1" in rest.output and "bridge-copy" not in rest.output


def test_a_changed_passage_is_not_regraded(app: Flask, answered: dict[str, Actor], questions_dir: Path) -> None:
    before = scores_by_student(app)
    edit(
        questions_dir,
        "passage: The city council voted 7 to 2 on Tuesday to close the Old Bridge to cars from May.",
        "passage: The city council voted 7 to 2 on Tuesday to close the Old Bridge to cars from May and to review it.",
    )
    (questions_dir / "sources" / "daily-news.txt").write_text(
        (questions_dir / "sources" / "daily-news.txt")
        .read_text()
        .replace("cars from May.", "cars from May and to review it.", 1)
    )
    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("factual", "rule"))
    report = resync(app, questions_dir)
    assert report.new_versions == ["bridge/vote"], report
    result = regrade(app)
    assert "Nothing to regrade" in result.output
    assert "Not regraded: 3 answer(s) to an earlier passage" in result.output
    assert scores_by_student(app) == before


def test_later_key_changes_rescore_earlier_regrades_and_later_answers(
    app: Flask, answered: dict[str, Actor], questions_dir: Path
) -> None:
    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("factual", "rule"))
    resync(app, questions_dir)
    regrade(app, "--by", "first")
    dan = Actor(app.test_client())
    dan.register("dan")
    dan.answer(dan.start(), "rule", "outlet", "no")  # answers version 2: right
    edit(questions_dir, VOTE_KEY.replace("factual", "rule"), VOTE_KEY)  # back to factual: version 3
    resync(app, questions_dir)
    result = regrade(app, "--by", "second")
    assert "bridge/vote: 4 answer(s) to version 1, 2 rescored against version 3; 4 change score" in result.output
    after = scores_by_student(app)
    assert after[("ada", "vote")] == (1.0, 1.0, 1.0) and after[("dan", "vote")] == (0.0, 1.0, 1.0)
    with app.app_context():
        versions = {
            r.answer_id: r.to_version.number
            for r in db.session.scalars(select(RegradedAnswer).filter(RegradedAnswer.regrade_id == 2))
        }
        assert sorted(versions.values()) == [3, 3, 3, 3]


def test_review_pages_show_the_version_seen_and_the_key_it_counts_against(
    app: Flask, answered: dict[str, Actor], admin: Actor, questions_dir: Path
) -> None:
    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("factual", "rule"))
    resync(app, questions_dir)
    regrade(app, "--by", "Mrs Lee")
    with app.app_context():
        ada = db.session.scalar(select(User.id).filter_by(username="ada"))
        vote = db.session.scalar(select(Question.id).filter_by(slug="vote"))
        attempt = db.session.scalar(select(Attempt.id).filter_by(user_id=ada))
    student_page = admin.client.get(f"/instructor/students/{ada}").get_data(as_text=True)
    assert "v1 was seen; rescored against v2 (regrade #1" in student_page
    assert "key: Rule or legal claim" in student_page  # the key the verdict beside it is computed from
    explanations = admin.client.get(f"/instructor/questions/{vote}/explanations").get_data(as_text=True)
    assert explanations.count("rescored against v2") == 3
    own = answered["ada"].client.get(f"/attempts/{attempt}/summary").get_data(as_text=True)
    assert "This answer was rescored on" in own and own.count("This answer was rescored") == 1
    assert "8 of 9" in own
    with app.app_context():
        vote_answer = db.session.scalar(select(Answer.id).filter_by(attempt_id=attempt, question_id=vote))
    feedback = answered["ada"].client.get(f"/attempts/{attempt}/answers/{vote_answer}").get_data(as_text=True)
    assert "This answer was rescored on" in feedback and "Rule or legal claim" in feedback

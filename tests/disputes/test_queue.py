"""The instructors' queue: grouped by question and part, with the arguments, the statistics and the
file's line; filters; the count in the navigation; and who may see which disputes."""

from __future__ import annotations

import html

import pytest
from flask import Flask

from quizapp.models import ADMIN

from ..support import Actor
from .support import answer_id, dispute_path, join, question_id, send_dispute, student, teacher, text

WRONG_VOTE = [("rule", "outlet", "no"), ("opinion", "mayor", "no"), ("factual", "council", "yes")]


@pytest.fixture
def school(app: Flask) -> dict[str, Actor]:
    """lee teaches Period 1 (bob, cyra); kim teaches Period 2 (dan); eve is in no class; head is an admin."""
    people = {
        "lee": teacher(app, "lee", "Period 1"),
        "kim": teacher(app, "kim", "Period 2"),
        "head": teacher(app, "head", role=ADMIN),
    }
    for name, class_name in (("bob", "Period 1"), ("cyra", "Period 1"), ("dan", "Period 2"), ("eve", None)):
        people[name] = student(app, name, WRONG_VOTE)
        if class_name:
            join(app, name, class_name)
    return people


def dispute_vote(app: Flask, people: dict[str, Actor], name: str, argued_for: str = "rule", reason: str = "") -> None:
    vote = answer_id(app, name, "vote")
    response = send_dispute(people[name], vote, "claim_type", argued_for, reason or f"{name} says the vote is a rule.")
    assert response.status_code == 302


def test_the_queue_groups_arguments_by_question_and_part_with_counts_statistics_and_the_line(
    app: Flask, school: dict[str, Actor]
) -> None:
    dispute_vote(app, school, "bob")
    dispute_vote(app, school, "cyra", "opinion")
    send_dispute(school["bob"], answer_id(app, "bob", "cracks"), "evidence", "no", "The reports are only mentioned.")
    page = school["lee"].client.get("/instructor/disputes")
    assert page.status_code == 200
    body = html.unescape(page.get_data(as_text=True))
    words = text(page)
    # The claim type of vote (two disputes) comes before the evidence of cracks (one).
    assert words.index("vote: Claim type 2 open") < words.index("cracks: Evidence 1 open")
    assert "bob says the vote is a rule." in body and "cyra says the vote is a rule." in body
    assert "Argued for Opinion or judgement (1), Rule or legal claim (1)" in words
    assert "quizzes/bridge.yaml, line 13" in words  # where the question is in its file
    # Everyone answered vote with "rule": none of the 4 answers match the key for the claim type.
    assert "Share correct, claim type 0% of 4 answers" in words
    assert "Share correct, evidence 100% of 4 answers" in words
    assert 'href="/instructor/students/' in body  # instructors see who argued


def test_filters_by_class_quiz_and_status(app: Flask, school: dict[str, Actor]) -> None:
    dispute_vote(app, school, "bob")
    dispute_vote(app, school, "eve")
    lee = school["lee"].client
    with app.app_context():
        from quizapp.accounts.classrooms import find_by_name

        period = find_by_name("Period 1")
        assert period is not None
        period_id = period.id
    mine = text(lee.get("/instructor/disputes"))
    assert "bob says" in mine and "eve says" not in mine  # eve is in no class: only an admin sees her
    assert "You see the disputes of the students in your classes." in mine
    everyone = text(school["head"].client.get("/instructor/disputes"))
    assert "bob says" in everyone and "eve says" in everyone
    assert "You see every student's disputes: you are an admin." in everyone
    one_class = text(school["head"].client.get(f"/instructor/disputes?classroom={period_id}"))
    assert "bob says" in one_class and "eve says" not in one_class
    assert "No disputes where the key was kept." in text(lee.get("/instructor/disputes?status=kept"))
    assert "bob says" in text(lee.get("/instructor/disputes?quiz=bridge"))
    refused = lee.get("/instructor/disputes?quiz=no-such-quiz&status=sideways")
    assert refused.status_code == 400 and "Not a valid choice." in refused.get_data(as_text=True)


def test_an_instructor_sees_only_the_disputes_of_their_own_classes(app: Flask, school: dict[str, Actor]) -> None:
    dispute_vote(app, school, "bob")  # Period 1: lee's
    dispute_vote(app, school, "dan")  # Period 2: kim's
    lee, kim = school["lee"].client, school["kim"].client
    lee_queue, kim_queue = text(lee.get("/instructor/disputes")), text(kim.get("/instructor/disputes"))
    assert "bob says" in lee_queue and "dan says" not in lee_queue
    assert "dan says" in kim_queue and "bob says" not in kim_queue
    assert "1 open dispute" in text(lee.get("/instructor")) and "1 open dispute" in text(kim.get("/instructor"))
    group = f"/instructor/disputes/questions/{question_id(app, 'vote')}/claim_type"
    assert "dan says" not in text(lee.get(group))
    # A question part none of their students disputed is not theirs to settle.
    assert lee.get(f"/instructor/disputes/questions/{question_id(app, 'cracks')}/evidence").status_code == 404


def test_students_cannot_open_the_queue_or_see_each_others_disputes(app: Flask, school: dict[str, Actor]) -> None:
    dispute_vote(app, school, "bob")
    cyra = school["cyra"].client
    assert cyra.get("/instructor/disputes").status_code == 403
    group = f"/instructor/disputes/questions/{question_id(app, 'vote')}/claim_type"
    assert cyra.get(group).status_code == 403
    assert cyra.get(dispute_path(answer_id(app, "bob", "vote"), "claim_type")).status_code == 404
    for page in ("/", "/results", "/results/answers"):
        body = cyra.get(page).get_data(as_text=True)
        assert "bob says" not in body and "open dispute" not in body


def test_the_navigation_count_is_for_instructors_and_counts_open_disputes_only(
    app: Flask, school: dict[str, Actor]
) -> None:
    lee = school["lee"].client
    assert "open dispute" not in lee.get("/instructor").get_data(as_text=True)
    dispute_vote(app, school, "bob")
    dispute_vote(app, school, "cyra")
    assert '<a class="nav-count" href="/instructor/disputes">2 open disputes</a>' in lee.get("/").get_data(as_text=True)
    assert "open dispute" not in school["bob"].client.get("/").get_data(as_text=True)


def test_three_open_disputes_of_one_part_flag_the_question_on_the_score_pages(
    app: Flask, school: dict[str, Actor]
) -> None:
    head = school["head"].client
    vote = question_id(app, "vote")
    link = f'href="/instructor/disputes/questions/{vote}/claim_type"'
    dispute_vote(app, school, "bob")
    dispute_vote(app, school, "cyra")
    assert link not in head.get("/instructor/quizzes/bridge").get_data(as_text=True)
    dispute_vote(app, school, "eve")
    overview = head.get("/instructor/quizzes/bridge").get_data(as_text=True)
    assert link in overview and "3 open disputes of the claim type key" in overview
    item = head.get(f"/instructor/questions/{vote}").get_data(as_text=True)
    assert link in item and "Students dispute this key" in item
    other = head.get(f"/instructor/questions/{question_id(app, 'cracks')}").get_data(as_text=True)
    assert "Students dispute this key" not in other
    # Flags count the disputes a viewer may see: lee sees bob's and cyra's, kim none; not enough to flag.
    assert link not in school["lee"].client.get("/instructor/quizzes/bridge").get_data(as_text=True)
    assert link not in school["kim"].client.get("/instructor/quizzes/bridge").get_data(as_text=True)

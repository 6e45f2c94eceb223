"""Quiz overview, item analysis, confusion matrices, explanations and exports, on one class.

Twelve students take the bridge quiz through the real forms (see review_support):
six strong readers who all disagree with the key of 'vote', six weak ones.
The data is built once for the module; every test only reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from ..databases import DatabaseSupply
from .support import (
    HOSTILE_REASONS,
    STRONG_NAMES,
    WEAK_NAMES,
    Taught,
    build_taught,
    class_id,
    line_of,
    question_ids,
    read_csv,
    squash,
    user_id,
)


@pytest.fixture(scope="module")
def taught(tmp_path_factory: pytest.TempPathFactory, databases: DatabaseSupply) -> Iterator[Taught]:
    data = build_taught(tmp_path_factory.mktemp("taught"), databases)
    yield data
    with data.app.app_context():
        from quizapp.db import db

        db.session.remove()
        db.engine.dispose()


def get(taught: Taught, path: str) -> str:
    response = taught.instructor.client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return squash(response.get_data(as_text=True))


def test_overview_counts_attempts_and_draws_accessible_charts(taught: Taught) -> None:
    page = get(taught, "/instructor/quizzes/bridge")
    assert "<strong>12</strong> started · <strong>12</strong> finished (100%) · by <strong>12</strong> students" in page
    svgs = re.findall(r"<svg [^>]*>.*?</svg>", page)
    assert len(svgs) == 5  # the means and one distribution per part and the total
    for svg in svgs:
        ids = re.search(r'aria-labelledby="([\w-]+)-title \1-desc"', svg)
        assert ids and f'<title id="{ids.group(1)}-title">' in svg and f'<desc id="{ids.group(1)}-desc">' in svg
    # Drawn on the server: no script draws them (the one script shows times in local time).
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/local-times.js" defer>']
    assert "@font-face" not in page and "https://" not in page
    # Means over finished attempts: strong readers score 2/3, 1, 1 per part; weak ones 1/2, 0, 0.
    claim, speaker, evidence = (6 * 2 / 3 + 6 * 0.5) / 12, 0.5, 0.5
    total = (claim + speaker + evidence) / 3
    means = "".join(f"<td>{round(v * 100)}%</td>" for v in (claim, speaker, evidence, total))
    assert f'<th scope="row">Mean</th>{means}' in page  # the table the charts draw


def test_class_filter_narrows_the_overview(taught: Taught) -> None:
    period = class_id(taught.app, "Period 1")
    page = get(taught, f"/instructor/quizzes/bridge?classroom={period}")
    assert "<strong>9</strong> started" in page
    assert "Showing class Period 1" in page
    students = get(taught, f"/instructor/quizzes/bridge/students?classroom={period}")
    assert "9 students." in students and ">weak1<" in students and "weak5" not in students
    assert (
        f"/instructor/students/{user_id(taught.app, 'weak1')}?classroom={period}" in students
    )  # the filter follows links


def test_miskeyed_question_is_flagged_with_its_file_and_line(taught: Taught) -> None:
    vote_line = line_of(taught.folder / "questions" / "quizzes" / "bridge.yaml", "- id: vote")
    overview = get(taught, "/instructor/quizzes/bridge")
    assert f"2 flags</strong>: <code>quizzes/bridge.yaml</code>, line {vote_line}" in overview
    assert overview.count("&#9873; Check this question") == 1  # only vote

    ids = question_ids(taught.app)
    vote = get(taught, f"/instructor/questions/{ids['vote']}")
    assert f"in <code>quizzes/bridge.yaml</code>, line {vote_line}:" in vote
    # 12 students: the top and bottom groups hold round(27% of 12) = 3 each.
    assert "Claim type: among the top scorers, more chose Opinion or judgement (3) than the key (0)." in vote
    assert "Claim type: negative discrimination (\u22121.00)" in vote
    assert '<th scope="row">Claim type</th> <td>50%</td> <td>0%</td><td>100%</td><td>\u22121.00</td>' in vote
    assert '<th scope="row">Speaker</th> <td>50%</td> <td>100%</td><td>0%</td><td>+1.00</td>' in vote

    cracks = get(taught, f"/instructor/questions/{ids['cracks']}")
    assert "Check this question" not in cracks
    assert (
        '<td>Factual claim <strong>(key)</strong></td> <td>6 <span class="muted">(50%)</span></td> <td>3</td>' in cracks
    )


def test_too_few_students_give_no_discrimination_and_no_flags(taught: Taught) -> None:
    evening = class_id(taught.app, "@Evening")
    page = get(taught, f"/instructor/quizzes/bridge?classroom={evening}")
    assert "need at least 10 students with a finished attempt; there are 3." in page
    assert "Check this question" not in page


def test_confusion_matrices_for_the_class_and_one_student(taught: Taught) -> None:
    page = get(taught, "/instructor/quizzes/bridge/confusion")
    # Keyed factual: vote (6 strong say opinion, 6 weak factual) and cracks (6 strong factual, 6 weak opinion).
    assert (
        "keyed <strong>Factual claim</strong>, chosen <strong>Opinion or judgement</strong>: 12 answers (50% of that key)"
        in page
    )
    assert page.count("18 of 36 answers match the key (50%)") == 2  # claim type and speaker
    assert (
        "keyed <strong>The city council</strong>, chosen <strong>The Daily Example, in its own voice</strong>: 6 answers (50% of that key)"
        in page
    )

    strong = user_id(taught.app, "strong1")
    one = get(taught, f"/instructor/quizzes/bridge/confusion?student={strong}")
    assert "strong1" in one and "2 of 3 answers match the key (67%)" in one  # claim type
    assert "3 of 3 answers match the key (100%)" in one  # speaker

    every_quiz = get(taught, "/instructor/confusion")
    assert "18 of 36 answers match the key (50%)" in every_quiz and "<h2>Speaker</h2>" not in every_quiz
    assert taught.instructor.client.get("/instructor/confusion?student=99999").status_code == 404


def test_explanations_side_by_side_grouped_by_choice(taught: Taught) -> None:
    vote = question_ids(taught.app)["vote"]
    page = get(taught, f"/instructor/questions/{vote}/explanations")
    key_group = page.index("Chose Factual claim (the key): 6")
    other_group = page.index("Chose Opinion or judgement: 6")
    assert key_group < other_group
    assert "weak5 on vote &lt;b&gt;bold&lt;/b&gt;" in page[key_group:other_group]
    assert "strong2 on vote &lt;b&gt;bold&lt;/b&gt;" in page[other_group:]
    assert "<b>bold</b>" not in page
    assert "12 answers, 12 with a reason." in page


def test_scores_csv_one_row_per_student_and_quiz(taught: Taught) -> None:
    response = taught.instructor.client.get("/instructor/exports/scores.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response.get_data())
    assert [r["student"] for r in rows] == sorted(["'-w4", *STRONG_NAMES, *(n for n in WEAK_NAMES if n != "-w4")])
    strong = next(r for r in rows if r["student"] == "strong3")
    assert strong["quiz"] == "bridge" and strong["answers"] == "3" and strong["finished_attempts"] == "1"
    assert (strong["claim_type_percent"], strong["speaker_percent"], strong["evidence_percent"]) == (
        "66.7",
        "100.0",
        "100.0",
    )
    assert strong["total_percent"] == str(round(100 * 8 / 9, 1))
    weak = next(r for r in rows if r["student"] == "weak5")
    assert weak["classes"] == "'@Evening"  # a class name starting with @ cannot run as a formula
    assert weak["total_percent"] == str(round(100 * 1.5 / 9, 1))

    period = class_id(taught.app, "Period 1")
    filtered = read_csv(taught.instructor.client.get(f"/instructor/exports/scores.csv?classroom={period}").get_data())
    assert len(filtered) == 9 and all(r["classes"] == "Period 1" for r in filtered)


def test_answers_csv_has_every_answer_with_reason_version_and_times(taught: Taught) -> None:
    rows = read_csv(taught.instructor.client.get("/instructor/exports/answers.csv?quiz=bridge").get_data())
    assert len(rows) == 36
    stamp = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    assert all(stamp.match(r["answered_at"]) and stamp.match(r["attempt_started_at"]) for r in rows)
    vote = [r for r in rows if r["question"] == "vote"]
    assert {r["question_version"] for r in vote} == {"1"} and {r["claim_type_key"] for r in vote} == {"factual"}
    reasons = {r["student"]: r["reason"] for r in vote}
    for name, reason in HOSTILE_REASONS.items():
        assert reasons[name] == "'" + reason
    assert reasons["'-w4"] == "'-w4 on vote <b>bold</b>"  # the username starts the reason: neutralised too
    assert reasons["strong2"] == "strong2 on vote <b>bold</b>"  # ordinary text is left as it was
    assert taught.instructor.client.get("/instructor/exports/answers.csv?quiz=nope").status_code == 404


def test_student_history_and_answers_are_their_own(taught: Taught) -> None:
    actor = taught.students["strong4"]
    results = squash(actor.client.get("/results").get_data(as_text=True))
    assert "<svg" in results and "Score per part over time" in results and "Period 1" in results
    answers = squash(actor.client.get("/results/answers").get_data(as_text=True))
    assert "A vote with its count and day is an event records could confirm." in answers  # the explanation
    assert "strong4 on vote &lt;b&gt;bold&lt;/b&gt;" in answers and "Your reason:" in answers
    assert "strong5 on vote" not in answers
    assert actor.client.get("/instructor/exports/answers.csv").status_code == 403

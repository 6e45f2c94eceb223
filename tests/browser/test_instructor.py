"""An instructor in a real browser: signs in and opens each score page."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page

from .checks import Audit
from .flows import ADMIN_PAGES, INSTRUCTOR_PAGES, admin_tour, instructor_tour, no_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_instructor_opens_every_score_page_and_each_passes_the_audit(
    sized_page: Page, audit: Audit, instructor_account: str, finished_student: str
) -> None:
    instructor_tour(sized_page, audit)
    assert audit.visited == ["sign-in"] + [step.name for step in INSTRUCTOR_PAGES]
    assert not audit.problems, audit.report()
    print("axe, below serious:", audit.minor or "none")


def test_admin_opens_the_admin_and_privacy_pages_and_each_passes_the_audit(
    sized_page: Page, audit: Audit, admin_account: str, finished_student: str
) -> None:
    admin_tour(sized_page, admin_account, audit)
    assert audit.visited == ["sign-in"] + [step.name for step in ADMIN_PAGES]
    assert not audit.problems, audit.report()
    print("axe, below serious:", audit.minor or "none")


def test_instructor_downloads_the_scores_csv(page: Page, instructor_account: str, finished_student: str) -> None:
    """The export link gives a real file a spreadsheet opens: a header row and the student's row."""
    sign_in(page, instructor_account, no_check)
    page.goto("/instructor/quizzes/bridge")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="scores (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2, rows
    assert finished_student in rows[1]

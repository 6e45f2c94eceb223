"""A valid minimal bank as text, and helpers to find what a test expects in it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from quizapp.bank.files import Bank, Problem

TAXONOMY = """\
claim_types:
  - id: factual
    label: Factual claim
    definition: Says what happened or what is.
  - id: prediction
    label: Prediction
    definition: Says what will happen.
  - id: opinion
    label: Opinion
    definition: Judges something as good or bad.
  - id: call-to-action
    label: Call to action
    definition: Urges someone to do something.
evidence_kinds:
  - id: statistic
    label: A figure is given
    definition: A number is offered in support.
  - id: document
    label: A document is cited
    definition: A report or ruling is named.
"""

SOURCES = """\
sources:
  - id: report
    title: City to open new bridge
    publisher: The Daily
    genre: news report
    date: 2023-10-03
    text: sources/report.txt
  - id: column
    title: Why the bridge is a mistake
    genre: opinion
"""

REPORT_TEXT = """\
City to open new bridge

\u201cWe will open the new bridge in May,\u201d the minister said on Tuesday \u2014 adding
that   work was on schedule.

Officials counted 1,200 cars a day in March on the old bridge, which
was built in 1950. Critics say the new bridge is far too expensive.
"""

QUIZ = """\
id: sample-quiz
title: A sample quiz
description: Two passages from a report.
source: report
ask_reason: optional
feedback: immediate
speakers:
  - id: outlet
    label: The outlet
  - id: minister
    label: The minister
  - id: critics
    label: Critics
questions:
  - id: first
    passage: >
      "We will open the new bridge in May," the minister said
    claim_type: prediction
    accept: [factual]
    speaker: minister
    speaker_choices: [outlet, minister]
    evidence: no
    explain:
      claim_type: It says what will happen.
      speaker: The minister is quoted.
      evidence: Nothing supports it.
  - id: second
    source: report
    passage: Officials counted 1,200 cars a day ... on the old bridge
    claim_type: factual
    speaker: outlet
    evidence: yes
    evidence_kind: statistic
    explain:
      claim_type: A number anyone could check.
      speaker: The outlet says it in its own voice.
      evidence: It gives a count.
"""


def quiz_dict() -> dict[str, Any]:
    """The valid quiz as a dict, for structural mutations."""
    data = yaml.safe_load(QUIZ)
    assert isinstance(data, dict)
    return data


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing `needle` (so tests need not hard-code lines)."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} not in text"
    return hits[occurrence - 1]


def column_of(text: str, needle: str, occurrence: int = 1) -> int:
    line = text.splitlines()[line_of(text, needle, occurrence) - 1]
    return line.index(needle) + 1


WriteQuiz = Callable[..., str]


def problems_in(bank: Bank, path: str) -> list[Problem]:
    return [p for p in bank.problems if p.path == path]


def only_problem(bank: Bank, path: str = "quiz.yaml") -> Problem:
    found = bank.problems
    assert len(found) == 1, "\n".join(str(p) for p in found)
    assert found[0].path == path
    return found[0]


def write_bank(root: Path) -> Path:
    """The valid minimal bank (taxonomy, sources, one source text) under `root`."""
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    (root / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    (root / "sources" / "report.txt").write_text(REPORT_TEXT, encoding="utf-8")
    return root


MARK = "▶"  # marks, in a test's edited text, where the expected problem points


def apply_edits(text: str, edits: list[tuple[str, str]]) -> tuple[str, int, int]:
    """Apply (old, new) replacements (each old must occur exactly once), then find and drop MARK.

    Returns the edited text and the 1-based line and column of the mark, so a
    test states where a problem must point by writing the mark into its edit.
    """
    for old, new in edits:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    index = text.index(MARK)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return text.replace(MARK, ""), line, column


def mutate(text: str, edits: list[tuple[float, str, str]]) -> str:
    """Apply hypothesis-drawn edits: (where as a fraction of the text, insert | delete | replace, characters)."""
    for where, op, chars in edits:
        i = int(where * len(text))
        if op == "insert":
            text = text[:i] + chars + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + len(chars) :]
        else:
            text = text[:i] + chars + text[i + len(chars) :]
    return text

"""Provenance: a passage must occur in its source's text, allowing for cuts and typography."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.bank.files import load_bank
from quizapp.bank.files.provenance import (
    SourceText,
    SourceTexts,
    StretchBudget,
    check_passage,
    closest_stretch,
    fold,
    pieces,
)

from .builders import QUIZ, WriteQuiz, only_problem

SOURCE = SourceText(
    fold(
        "The ministry said on Monday that \u201cthe talks\u2014held in Geneva\u2014were\n"
        "constructive\u201d and that a further round\u2026 would follow.\n\n"
        "Critics called the statement \u2018empty\u2019. They said 3,000 people had left the region\n"
        "since   March, according to a UN report."
    )
)


def test_fold_makes_quotes_dashes_and_spaces_plain() -> None:
    assert fold(
        " \u201cA\u201d \u2018b\u2019 \u201ec\u201f \u201ad\u201b\n\te\u2010f\u2011g\u2012h\u2013i\u2014j\u2015k  "
    ) == ("\"A\" 'b' \"c\" 'd' e-f-g-h-i-j-k")


def test_pieces_split_at_cuts() -> None:
    assert pieces("... a b ... c \u2026 d [...] e (...) f [ \u2026 ] g ....") == [
        "",
        "a b",
        "c",
        "d",
        "e",
        "f",
        "g",
        "",
    ]
    assert pieces("no cut here.") == ["no cut here."]


@pytest.mark.parametrize(
    "passage",
    [
        'The ministry said on Monday that "the talks-held in Geneva-were constructive"',
        "The ministry said on Monday that \u201cthe talks\u2013held in Geneva\u2013were constructive\u201d",
        "Critics called the statement 'empty'.",
        "They said 3,000 people had left the region since March",
        "They said   3,000 people\nhad left the region",
        'The ministry said ... that "the talks ... were constructive"',
        'The ministry said \u2026 the talks [...] constructive" ... according to a UN report.',
        "... a UN report.",
        "The ministry said ...",
        "... people had left ...",
    ],
)
def test_passages_that_occur(passage: str) -> None:
    assert check_passage(passage, SOURCE) is None


@pytest.mark.parametrize(
    "passage",
    [
        "the ministry said on Monday",  # case is kept: "the" is not "The"
        "They said 3,000 people had fled the region",
        "Critics called the statement empty.",  # the quotes are part of what was said
        "The ministry said on Monday ... a UN report ... constructive",  # pieces out of order
        "a UN report ... The ministry",
    ],
)
def test_passages_that_do_not_occur(passage: str) -> None:
    assert check_passage(passage, SOURCE) is not None


def test_out_of_order_pieces_are_explained() -> None:
    mismatch = check_passage("a UN report ... The ministry said", SOURCE)
    assert mismatch is not None
    assert mismatch.hint == "the part 'The ministry said' occurs in the source, but before the part that precedes it"


def test_closest_stretch_finds_the_misquoted_sentence() -> None:
    mismatch = check_passage("They said 3,000 people had fled the region since March", SOURCE)
    assert mismatch is not None
    assert mismatch.context == "    closest stretch: 'They said 3,000 people had left the region since March,'"
    assert closest_stretch("Critics said the statement was empty", SOURCE) == "Critics called the statement 'empty'."


def test_closest_stretch_names_the_part_after_a_cut() -> None:
    mismatch = check_passage("The ministry said ... a further round will follow.", SOURCE)
    assert mismatch is not None
    assert mismatch.hint.startswith("the part 'a further round will follow.' was not found")
    assert mismatch.context == "    closest stretch: 'a further round\u2026 would follow.'"


def test_no_shared_word() -> None:
    mismatch = check_passage("Zebras xylophone quietly", SOURCE)
    assert mismatch is not None
    assert mismatch.context == "    no word of this part occurs in the source"


def test_source_text_is_read_and_folded_once_per_load(bank_dir: Path) -> None:
    texts = SourceTexts(bank_dir)
    first = texts.read("sources/report.txt")
    assert isinstance(first, SourceText)
    assert texts.read("sources/report.txt") is first
    assert "\u201c" not in first.folded and "  " not in first.folded


def test_loader_reports_a_passage_not_in_its_source(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ.replace("Officials counted 1,200 cars a day ...", "Officials counted 1,300 cars a day ..."))
    problem = only_problem(load_bank(bank_dir))
    assert (problem.line, problem.column, problem.field) == (29, 14, "questions[1].passage")
    assert problem.message == "passage not found in sources/report.txt"
    assert problem.hint.startswith("the part 'Officials counted 1,300 cars a day' was not found")
    assert problem.context == "    closest stretch: 'Officials counted 1,200 cars a day'"


def test_loader_accepts_curly_quotes_and_dashes_written_either_way(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(
        QUIZ.replace(
            '"We will open the new bridge in May," the minister said',
            "\u201cWe will open the new bridge in May,\u201d the minister said on Tuesday - adding that work",
        )
    )
    assert load_bank(bank_dir).problems == []


def test_no_provenance_check_without_a_text_file(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    write_quiz(QUIZ.replace("    source: report\n", "    source: column\n"))
    assert load_bank(bank_dir).problems == []


def test_provenance_is_checked_even_when_sources_has_other_problems(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    sources = (bank_dir / "sources.yaml").read_text().replace("genre: opinion", "genre: blog")
    (bank_dir / "sources.yaml").write_text(sources)
    write_quiz(QUIZ.replace("the minister said", "the minister says"))
    messages = [(p.path, p.message) for p in load_bank(bank_dir).problems]
    assert messages == [
        ("sources.yaml", "unknown genre 'blog'"),
        ("quiz.yaml", "passage not found in sources/report.txt"),
    ]


def test_closest_stretch_searches_are_bounded_per_load() -> None:
    budget = StretchBudget(1)
    first = check_passage("They said 3,000 people had fled", SOURCE, budget)
    second = check_passage("They said 3,000 people had fled", SOURCE, budget)
    assert first is not None and first.context.startswith("    closest stretch: ")
    assert second is not None
    assert second.context == "    (closest stretch not searched: too many passages not found in this run)"


def test_a_change_of_case_is_named() -> None:
    mismatch = check_passage("the ministry said on Monday", SOURCE)
    assert mismatch is not None
    assert mismatch.hint == "the words are there, but with other capital letters; copy them exactly"
    assert mismatch.context == "    closest stretch: 'The ministry said on Monday'"

"""The bundled bank keys alike what is alike, keeps its own words neutral, and gives students voices to tell apart.

Each check is a small function over a loaded bank, run on the bundled bank and,
to show it can fail, on a small bank with the violation planted.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from quizapp.bank.files import Bank, Quiz, load_bank
from quizapp.bank.files.contested import ContestedTerms
from quizapp.bank.files.provenance import fold

from .files.builders import QUIZ, TAXONOMY, write_bank

BUNDLED = Path(__file__).resolve().parents[2] / "questions"
# Each source quiz's speaker id for the text's own voice: its author, or the outlet that
# published it. The mfa-lachin statement has two (the Ministry wrote it, an outlet republished it).
OWN_VOICE = {
    "caspian-pace": {"outlet"},
    "aliyev-iac": {"author"},
    "fo-reply": {"author"},
    "mfa-lachin": {"mfa", "outlet"},
    "majlis-integrity": {"author"},
}
# The legal labels the keying rulebook names; the bank's contested list must keep them.
LEGAL_LABELS = ("illegal", "war crimes", "genocide", "occupation")


@pytest.fixture(scope="module")
def bundled() -> Bank:
    bank = load_bank(BUNDLED)
    assert bank.problems == []
    return bank


# --- the checks -------------------------------------------------------------


def passage_key(passage: str) -> str:
    """A passage as compared across quizzes: whitespace, quotes and dashes folded, case ignored."""
    return fold(passage).casefold()


def shared_passage_differences(bank: Bank) -> list[str]:
    """Passages quoted in more than one place whose key, alternates or evidence differ.

    Speakers are not compared: speaker ids belong to their quiz file.
    """
    seen: dict[str, list[tuple[str, tuple[object, ...]]]] = defaultdict(list)
    for quiz in bank.quizzes:
        for q in quiz.questions:
            keys = (q.claim_type, tuple(sorted(q.accept)), q.evidence, q.evidence_kind)
            seen[passage_key(q.passage)].append((f"{quiz.id}/{q.id}", keys))
    return [
        " vs ".join(f"{where} {keys}" for where, keys in places)
        for places in seen.values()
        if len({keys for _where, keys in places}) > 1
    ]


def shared_passages(bank: Bank) -> int:
    counts = Counter(passage_key(q.passage) for quiz in bank.quizzes for q in quiz.questions)
    return sum(1 for n in counts.values() if n > 1)


def own_words(bank: Bank) -> list[tuple[str, str]]:
    """(where, text) for everything the app says in its own voice about the bank."""
    found: list[tuple[str, str]] = []
    for quiz in bank.quizzes:
        found += [(f"{quiz.id} title", quiz.title), (f"{quiz.id} description", quiz.description or "")]
        found += [(f"{quiz.id} speaker {s.id}", s.label) for s in quiz.speakers]
        for q in quiz.questions:
            found += [(f"{quiz.id}/{q.id} {part}", text) for part, text in vars(q.explain).items()]
    for source in bank.sources:
        found += [
            (f"source {source.id} note", source.note or ""),
            (f"source {source.id} presents", source.presents or ""),
        ]
    return found


def unquoted_contested_terms(bank: Bank) -> list[tuple[str, list[str]]]:
    assert bank.taxonomy is not None
    terms = ContestedTerms(bank.taxonomy.contested_terms)
    return [(where, found) for where, text in own_words(bank) if (found := terms.unquoted(text))]


def keyed_speakers(quiz: Quiz) -> Counter[str]:
    return Counter(q.speaker for q in quiz.questions)


def too_few_voices(bank: Bank, own_voice: dict[str, set[str]]) -> list[str]:
    """Source quizzes with fewer than 3 keyed speakers, or fewer than 2 passages keyed to another voice."""
    problems = []
    for quiz in bank.quizzes:
        if quiz.id not in own_voice:
            continue
        speakers = keyed_speakers(quiz)
        others = sum(n for speaker, n in speakers.items() if speaker not in own_voice[quiz.id])
        if len(speakers) < 3 or others < 2:
            problems.append(f"{quiz.id}: {dict(speakers)}")
    return problems


def list_order(bank: Bank) -> list[str]:
    """Quiz ids as the quiz list shows them: by position, then title, those without a position last."""
    ordered = sorted(bank.quizzes, key=lambda q: (q.position is None, q.position or 0, q.title))
    return [quiz.id for quiz in ordered]


# --- the bundled bank ------------------------------------------------------


def test_a_passage_in_two_quizzes_is_keyed_alike(bundled: Bank) -> None:
    assert shared_passages(bundled) >= 2  # the starter reuses passages, so the check has work to do
    assert shared_passage_differences(bundled) == []


def test_no_explanation_note_or_description_uses_a_contested_term_unquoted(bundled: Bank) -> None:
    assert unquoted_contested_terms(bundled) == []


def test_the_contested_list_keeps_the_legal_labels_of_the_rulebook(bundled: Bank) -> None:
    assert bundled.taxonomy is not None
    terms = ContestedTerms(bundled.taxonomy.contested_terms)
    assert [label for label in LEGAL_LABELS if not terms.unquoted(label)] == []


def test_each_source_quiz_asks_about_several_voices(bundled: Bank) -> None:
    assert {q.id for q in bundled.quizzes} >= set(OWN_VOICE)
    assert too_few_voices(bundled, OWN_VOICE) == []


def test_starter_first_mixed_practice_last(bundled: Bank) -> None:
    order = list_order(bundled)
    assert (order[0], order[-1]) == ("starter", "mixed-practice")
    assert all(quiz.position is not None for quiz in bundled.quizzes)


def test_every_source_says_whose_side_it_presents(bundled: Bank) -> None:
    assert [s.id for s in bundled.sources if not s.presents] == []
    sides = {s.presents for s in bundled.sources}
    # One side only: the quizzes students start and end with say so in their own words.
    assert len(sides) == 1
    for quiz_id in ("starter", "mixed-practice"):
        description = next(q.description or "" for q in bundled.quizzes if q.id == quiz_id)
        assert "present the Azerbaijani government's side" in " ".join(description.split()), quiz_id
        assert "none presents the Armenian government's side or an independent account" in description


def test_factual_cannot_be_read_as_true(bundled: Bank) -> None:
    assert bundled.taxonomy is not None
    assert bundled.taxonomy.claim_type("factual").label.startswith("Checkable")  # type: ignore[union-attr]


# --- each check can fail ----------------------------------------------------


SECOND_QUIZ = QUIZ.replace("id: sample-quiz", "id: other-quiz").replace("accept: [factual]", "accept: [opinion]")


def small_bank(tmp_path: Path, *quizzes: str, taxonomy: str = TAXONOMY) -> Bank:
    root = write_bank(tmp_path / "questions")
    (root / "taxonomy.yaml").write_text(taxonomy, encoding="utf-8")
    for n, text in enumerate(quizzes):
        (root / f"quiz-{n}.yaml").write_text(text, encoding="utf-8")
    return load_bank(root)


def test_a_planted_disagreement_between_two_quizzes_is_caught(tmp_path: Path) -> None:
    # The same first passage, with curly quotes and other line breaks, but other alternates.
    other = SECOND_QUIZ.replace(
        '"We will open the new bridge in May," the minister said',
        "“We will open the new bridge\n      in May,” the minister said",
    )
    bank = small_bank(tmp_path, QUIZ, other)
    assert bank.problems == [] and shared_passages(bank) == 2
    [difference] = shared_passage_differences(bank)
    assert "sample-quiz/first" in difference and "other-quiz/first" in difference


def test_the_same_passage_keyed_alike_passes(tmp_path: Path) -> None:
    bank = small_bank(tmp_path, QUIZ, QUIZ.replace("id: sample-quiz", "id: other-quiz"))
    assert shared_passages(bank) == 2 and shared_passage_differences(bank) == []


def test_a_planted_contested_term_is_caught(tmp_path: Path) -> None:
    taxonomy = "contested_terms: [liberat]\n" + TAXONOMY
    bank = small_bank(tmp_path, QUIZ, taxonomy=taxonomy)
    assert bank.problems == [] and unquoted_contested_terms(bank) == []
    # The loader refuses such a file, so plant the term in a loaded quiz to test the check itself.
    [quiz] = bank.quizzes
    first = quiz.questions[0]
    planted = dataclasses.replace(
        first, explain=dataclasses.replace(first.explain, evidence="The liberation is not backed.")
    )
    bank = dataclasses.replace(bank, quizzes=(dataclasses.replace(quiz, questions=(planted, *quiz.questions[1:])),))
    assert unquoted_contested_terms(bank) == [("sample-quiz/first evidence", ["liberat"])]
    # ... and the loader reports the same text in a file.
    written = QUIZ.replace("evidence: Nothing supports it.", "evidence: The liberation is not backed.")
    assert [p.field for p in small_bank(tmp_path / "again", written, taxonomy=taxonomy).problems] == [
        "questions[0].explain.evidence"
    ]


def test_a_source_quiz_with_too_few_voices_is_caught(tmp_path: Path) -> None:
    bank = small_bank(tmp_path, QUIZ)
    assert too_few_voices(bank, {"sample-quiz": {"outlet"}}) == ["sample-quiz: {'minister': 1, 'outlet': 1}"]


def test_the_list_order_puts_quizzes_without_a_position_last(tmp_path: Path) -> None:
    bank = small_bank(
        tmp_path,
        QUIZ.replace("title: A sample quiz", "title: B").replace(
            "feedback: immediate", "feedback: immediate\nposition: 2"
        ),
        SECOND_QUIZ.replace("title: A sample quiz", "title: A"),
        QUIZ.replace("id: sample-quiz", "id: third").replace("feedback: immediate", "feedback: immediate\nposition: 1"),
    )
    assert bank.problems == []
    assert list_order(bank) == ["third", "sample-quiz", "other-quiz"]

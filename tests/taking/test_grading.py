import pytest

from quizapp.taking.grading import score_answer, score_claim_type


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [("opinion", 1.0), ("factual", 0.5), ("rule", 0.0)],
)
def test_claim_type_credit(chosen: str, expected: float) -> None:
    assert score_claim_type(chosen, "opinion", ["factual"]) == expected


def test_each_part_scored_on_its_own() -> None:
    scores = score_answer(
        claim_type="factual",
        speaker="mayor",
        evidence=False,
        key_claim_type="opinion",
        accepted=("factual",),
        key_speaker="outlet",
        key_evidence=False,
    )
    assert (scores.claim_type, scores.speaker, scores.evidence, scores.total) == (0.5, 0.0, 1.0, 1.5)

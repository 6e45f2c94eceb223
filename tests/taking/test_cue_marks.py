"""Cue words cut into runs to mark: overlapping cues of different parts, and stored places that do not fit."""

from __future__ import annotations

from quizapp.taking.cues import MARKED_PARTS, marked_passage

PASSAGE = "We call on the council to act now, the mayor said."


def test_overlapping_cues_of_two_parts_mark_the_shared_words_for_both() -> None:
    call = PASSAGE.index("We call on")
    marked = marked_passage(
        PASSAGE,
        {"claim_type": [[call, call + len("We call on the council")]], "speaker": [[call + 11, len(PASSAGE) - 1]]},
    )
    assert marked is not None
    runs = [
        (run.text, [p.key for p in run.parts], [p.key for p in run.starts], [p.key for p in run.ends])
        for run in marked.runs
    ]
    assert runs == [
        ("We call on ", ["claim_type"], ["claim_type"], []),
        ("the council", ["claim_type", "speaker"], ["speaker"], ["claim_type"]),
        (" to act now, the mayor said", ["speaker"], [], ["speaker"]),
        (".", [], [], []),
    ]
    assert "".join(run.text for run in marked.runs) == PASSAGE
    assert [(e.part.number, e.words) for e in marked.legend] == [
        (1, ("We call on the council",)),
        (2, ("the council to act now, the mayor said",)),
    ]


def test_no_cues_and_places_that_do_not_fit_the_passage_mark_nothing() -> None:
    assert marked_passage(PASSAGE, None) is None
    assert marked_passage(PASSAGE, {}) is None
    assert marked_passage(PASSAGE, {"speaker": [[40, 400]], "evidence": [[5, 5]], "other": [[0, 2]]}) is None


def test_each_part_has_its_number_and_underline() -> None:
    assert [(p.number, p.name, p.style, p.css) for p in MARKED_PARTS.values()] == [
        (1, "Claim type", "solid underline", "cue-claim-type"),
        (2, "Speaker", "double underline", "cue-speaker"),
        (3, "Evidence", "dotted underline", "cue-evidence"),
    ]


def test_cues_without_a_speaker_cue_put_the_speaker_in_the_legend_with_no_words() -> None:
    """A passage in its writer's voice: nothing credits it to anyone else, and the legend says so."""
    marked = marked_passage(PASSAGE, {"evidence": [[0, 2]], "claim_type": [[3, 10]]})
    assert marked is not None
    assert [(e.part.key, e.words) for e in marked.legend] == [
        ("claim_type", ("call on",)),
        ("speaker", ()),
        ("evidence", ("We",)),
    ]

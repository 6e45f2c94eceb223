"""Signal detection: how well a reader tells two kinds of passage apart (d′), and which way they lean (c).

Pure arithmetic on four counts; the counts come from SQL (review/discernment.py).
Each judgement is a yes/no call about a passage:

- evidence: "yes" = the student says the passage offers evidence; the key is the
  version the answer is scored against.
- checkable: only passages keyed `factual` or `opinion`; "yes" = the student
  chose `factual` (checkable). Any other choice counts as "no".

A hit is "yes" on a passage whose key is yes; a false alarm is "yes" on one whose
key is no. With the log-linear correction (Hautus 1995: add 0.5 to each count and
1 to each total) perfect scores stay finite:

    H = (hits + 0.5) / (key-yes answers + 1)      F = (false alarms + 0.5) / (key-no answers + 1)
    d′ = z(H) − z(F)                               c = −(z(H) + z(F)) / 2

z is the inverse of the standard normal distribution (statistics.NormalDist).
d′ = 0: no better than guessing; c < 0: leans towards yes, c > 0: towards no.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

MIN_ANSWERS = 10  # below this, or without passages of both kinds, no figure is shown
_z = NormalDist().inv_cdf

# The plain reading of d′, first threshold met from the top. With no lean, a
# reader at d′ = 0.3 is right about 56% of the time, 0.75 about 65%, 1.5 about 77%.
DISCERNMENT_WORDS = ((1.5, "well"), (0.75, "fairly well"), (0.3, "barely"), (-0.3, "not at all"))
BACKWARDS = "the wrong way round"
# The plain reading of c: |c| under 0.25 is no lean; 0.75 and over is a strong one.
LEAN = 0.25
STRONG_LEAN = 0.75


@dataclass(frozen=True)
class Task:
    """One yes/no judgement, named the way a teacher would say it."""

    name: str
    tells: str  # "tells ... from ..."
    yes: str  # what leaning towards yes means
    no: str
    hit: str  # what counts as a hit and a false alarm, for the page
    false_alarm: str


EVIDENCE = Task(
    "evidence",
    "Tells passages with evidence from those without",
    "saying a passage offers evidence",
    "saying it offers none",
    "answering yes (evidence) on a passage keyed yes",
    "answering yes on a passage keyed no",
)
CHECKABLE = Task(
    "checkable",
    "Tells checkable (factual) passages from opinions",
    "calling a passage checkable",
    "not calling it checkable",
    "choosing the factual (checkable) claim type on a passage keyed factual",
    "choosing factual on a passage keyed opinion (passages with other keys are left out)",
)

TASKS = (EVIDENCE, CHECKABLE)


@dataclass(frozen=True)
class Counts:
    """Answers to one yes/no judgement by one reader or group, as a 2x2 table."""

    hits: int = 0
    misses: int = 0
    false_alarms: int = 0
    correct_rejections: int = 0

    def __add__(self, other: Counts) -> Counts:
        """Pooling: a group's table is the sum of its members' tables."""
        return Counts(
            self.hits + other.hits,
            self.misses + other.misses,
            self.false_alarms + other.false_alarms,
            self.correct_rejections + other.correct_rejections,
        )

    @property
    def keyed_yes(self) -> int:
        return self.hits + self.misses

    @property
    def keyed_no(self) -> int:
        return self.false_alarms + self.correct_rejections

    @property
    def answers(self) -> int:
        return self.keyed_yes + self.keyed_no

    @property
    def enough(self) -> bool:
        return self.answers >= MIN_ANSWERS and self.keyed_yes > 0 and self.keyed_no > 0

    @property
    def hit_rate(self) -> float:
        """Corrected: (hits + 0.5) / (key-yes answers + 1)."""
        return (self.hits + 0.5) / (self.keyed_yes + 1)

    @property
    def false_alarm_rate(self) -> float:
        return (self.false_alarms + 0.5) / (self.keyed_no + 1)

    @property
    def d_prime(self) -> float:
        return _z(self.hit_rate) - _z(self.false_alarm_rate)

    @property
    def criterion(self) -> float:
        return -(_z(self.hit_rate) + _z(self.false_alarm_rate)) / 2

    def shown_d_prime(self) -> float | None:
        return self.d_prime if self.enough else None

    def shown_criterion(self) -> float | None:
        return self.criterion if self.enough else None


def discernment_word(d_prime: float) -> str:
    return next((word for floor, word in DISCERNMENT_WORDS if d_prime >= floor), BACKWARDS)


def lean_words(criterion: float, task: Task) -> str:
    if abs(criterion) < LEAN:
        return "leans neither way"
    strength = "strongly " if abs(criterion) >= STRONG_LEAN else ""
    return f"leans {strength}towards {task.yes if criterion < 0 else task.no}"


def reading(counts: Counts, task: Task) -> str:
    """'Tells passages with evidence from those without: barely; leans towards saying it offers none.'"""
    if not counts.enough:
        return ""
    return f"{task.tells}: {discernment_word(counts.d_prime)}; {lean_words(counts.criterion, task)}."

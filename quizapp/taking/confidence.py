"""How sure a student is of an answer, when the quiz asks: three levels, each a stated chance.

A level stands for the share of the passage's points the student expects to get
(the mean of the three parts' scores, half credit counting half). The answer row
stores that chance in percent, so review pages can compare it with the score
directly: the mean stated chance, the share right at each level, the Brier score.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    percent: int  # the chance of being right this level stands for
    word: str
    odds: str

    @property
    def chance(self) -> float:
        return self.percent / 100

    @property
    def label(self) -> str:
        return f"{self.word}: about {self.odds} right"


LEVELS = (
    Level(50, "Unsure", "1 in 2"),
    Level(75, "Fairly sure", "3 in 4"),
    Level(90, "Sure", "9 in 10"),
)
BY_PERCENT = {level.percent: level for level in LEVELS}
QUESTION = "How sure are you that your three answers are right?"

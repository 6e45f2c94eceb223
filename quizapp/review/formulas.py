"""Calibration, test reliability and normalised gain: pure arithmetic on sums that SQL returns.

Definitions (the README's review section says the same in a teacher's words):

- An answer's *score* is the mean of its three parts' scores, 0..1 (half credit
  counts half). It is what "right" means for calibration: a student who says
  "about 3 in 4" expects three quarters of the passage's points.
- Brier score: mean of (stated chance − score)² over answers with a stated chance;
  0 is perfect, 0.25 is what always saying "1 in 2" earns on a coin toss.
- Over-confidence: mean stated chance − mean score (negative: under-confident).
- Reliability over each student's first finished attempt. Items are *questions*,
  each scored 0..3 (the sum of its three parts): the parts of one question share
  a passage, so counting them as separate items would overstate reliability.
  Cronbach's alpha = k/(k−1)·(1 − Σ item variances / total variance) (KR-20 when
  every item is right/wrong). Error ratio = √(1 − alpha) and standard error of
  measurement = error ratio × SD of totals, as Moodle's quiz statistics define them.
- Per question: facility = mean score / 3; SD as a share of the 3 points; the
  corrected item-rest correlation r between the question's score and the rest of
  the attempt's total (the question taken out); discriminative efficiency =
  cov(item, rest) / the largest covariance the two distributions allow (both
  sorted in the same order), as Moodle computes it.
- Normalised gain g = (post − pre) / (100 − pre), on class mean percentages (Hake).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

MIN_CALIBRATION_ANSWERS = 10
WELL_CALIBRATED = 0.05  # a gap under 5 points between stated chance and score
QUESTION_POINTS = 3.0


@dataclass(frozen=True)
class Level:
    """Answers given at one confidence level: how many, and the sum of their scores and squared scores."""

    percent: int
    answers: int
    score_sum: float
    score_squares: float

    @property
    def chance(self) -> float:
        return self.percent / 100

    @property
    def share_right(self) -> float:
        return self.score_sum / self.answers


@dataclass(frozen=True)
class Calibration:
    levels: Sequence[Level]  # in order of stated chance

    @property
    def answers(self) -> int:
        return sum(level.answers for level in self.levels)

    @property
    def enough(self) -> bool:
        return self.answers >= MIN_CALIBRATION_ANSWERS

    @property
    def mean_confidence(self) -> float:
        return sum(level.chance * level.answers for level in self.levels) / self.answers

    @property
    def mean_score(self) -> float:
        return sum(level.score_sum for level in self.levels) / self.answers

    @property
    def over_confidence(self) -> float:
        return self.mean_confidence - self.mean_score

    @property
    def brier(self) -> float:
        # Σ (p − o)² = Σ p² − 2p·Σ o + Σ o², level by level: p is the same for every answer of a level.
        total = sum(
            level.answers * level.chance**2 - 2 * level.chance * level.score_sum + level.score_squares
            for level in self.levels
        )
        return total / self.answers

    def verdict(self) -> str:
        gap = self.over_confidence
        if abs(gap) < WELL_CALIBRATED:
            return "well calibrated: as sure as the scores bear out"
        points = round(abs(gap) * 100)
        if gap > 0:
            return f"over-confident: {points} points surer than the scores bear out"
        return f"under-confident: {points} points less sure than the scores bear out"


@dataclass(frozen=True)
class ItemSums:
    """One question over n attempts: sums of its score x, the rest of the total r, and products."""

    n: int
    x: float
    xx: float
    r: float
    rr: float
    xr: float
    sorted_xr: float  # Σ x(i)·r(i) with x and r each sorted ascending: the largest Σ xr possible

    def _covariance(self, products: float) -> float:
        return (products - self.x * self.r / self.n) / (self.n - 1)

    @property
    def variance(self) -> float:
        return (self.xx - self.x * self.x / self.n) / (self.n - 1) if self.n > 1 else 0.0

    @property
    def rest_variance(self) -> float:
        return (self.rr - self.r * self.r / self.n) / (self.n - 1) if self.n > 1 else 0.0

    @property
    def facility(self) -> float:
        return self.x / self.n / QUESTION_POINTS

    @property
    def sd_share(self) -> float:
        return math.sqrt(max(self.variance, 0.0)) / QUESTION_POINTS

    @property
    def item_rest(self) -> float | None:
        """Pearson r of the question's score with the rest of the total; None when either does not vary."""
        spread = self.variance * self.rest_variance
        return self._covariance(self.xr) / math.sqrt(spread) if self.n > 1 and spread > 1e-12 else None

    @property
    def efficiency(self) -> float | None:
        largest = self._covariance(self.sorted_xr) if self.n > 1 else 0.0
        return self._covariance(self.xr) / largest if largest > 1e-12 else None


def item_sums(joint: list[tuple[float, float, int]]) -> ItemSums:
    """Sums of one question from its (x, r, count) combinations."""
    n = sum(c for _, _, c in joint)
    sx = sum(x * c for x, _, c in joint)
    sr = sum(r * c for _, r, c in joint)
    return ItemSums(
        n,
        sx,
        sum(x * x * c for x, _, c in joint),
        sr,
        sum(r * r * c for _, r, c in joint),
        sum(x * r * c for x, r, c in joint),
        sorted_products(joint),
    )


def sorted_products(joint: list[tuple[float, float, int]]) -> float:
    """Σ x(i)·r(i) with x and r each sorted ascending: walk both sorted histograms, pairing counts."""
    xs, rs = Counter[float](), Counter[float]()
    for x, r, c in joint:
        xs[x] += c
        rs[r] += c
    x_run, r_run = sorted(xs.items()), sorted(rs.items())
    total, i, j = 0.0, 0, 0
    x_left, r_left = (x_run[0][1], r_run[0][1]) if x_run else (0, 0)
    while i < len(x_run) and j < len(r_run):
        paired = min(x_left, r_left)
        total += x_run[i][0] * r_run[j][0] * paired
        x_left -= paired
        r_left -= paired
        if x_left == 0:
            i += 1
            x_left = x_run[i][1] if i < len(x_run) else 0
        if r_left == 0:
            j += 1
            r_left = r_run[j][1] if j < len(r_run) else 0
    return total


@dataclass(frozen=True)
class Reliability:
    items: int  # k: questions
    attempts: int
    item_variance_sum: float
    total_variance: float  # sample variance of the attempts' totals

    @property
    def alpha(self) -> float | None:
        if self.items < 2 or self.attempts < 2 or self.total_variance <= 1e-12:
            return None
        return self.items / (self.items - 1) * (1 - self.item_variance_sum / self.total_variance)

    @property
    def total_sd(self) -> float:
        return math.sqrt(max(self.total_variance, 0.0))

    @property
    def error_ratio(self) -> float | None:
        alpha = self.alpha
        return None if alpha is None else math.sqrt(max(1 - alpha, 0.0))

    @property
    def standard_error(self) -> float | None:
        ratio = self.error_ratio
        return None if ratio is None else ratio * self.total_sd


# The plain reading of alpha, first threshold met from the top (the usual rules of thumb).
RELIABILITY_WORDS = (
    (0.8, "consistent enough to rank students on this quiz"),
    (0.7, "acceptable for a class quiz"),
    (0.5, "noisy: read a student's total together with other work"),
)
TOO_NOISY = "too noisy to rank students on this quiz"


def reliability_word(alpha: float) -> str:
    return next((word for floor, word in RELIABILITY_WORDS if alpha >= floor), TOO_NOISY)


def sample_variance(n: int, total: float, squares: float) -> float:
    return (squares - total * total / n) / (n - 1) if n > 1 else 0.0


def normalised_gain(pre_percent: float, post_percent: float) -> float | None:
    """g = (post − pre) / (100 − pre); None when the pre-test mean is already 100."""
    return None if pre_percent >= 100 else (post_percent - pre_percent) / (100 - pre_percent)

"""The balance of a question bank, for `questions stats`.

Instructors use this to see whether a bank leans too much on one source, one
claim type, or passages with (or without) evidence, before students see it.
Counts cover the quizzes that loaded; zero rows are kept so gaps are visible.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .types import Bank, Quiz
from .validate_question import count_words


@dataclass(frozen=True)
class BankStats:
    quizzes: int
    questions: int
    distinct_passages: int  # the same passage in two quizzes counts once
    passages_per_source: dict[str, int]  # source id -> questions; every source, in sources.yaml order
    passages_per_quiz: dict[str, int]  # quiz id -> questions, in path order
    claim_types: dict[str, int]  # claim type id -> questions keyed to it; taxonomy order
    evidence_yes: int
    evidence_no: int
    evidence_kinds: dict[str, int]  # evidence kind id -> questions; taxonomy order
    evidence_kind_missing: int  # evidence: yes without an evidence_kind
    speakers_per_quiz: dict[str, int]  # quiz id -> distinct correct speakers
    passage_words: tuple[int, int] | None  # (shortest, longest); None without questions
    # quiz id -> speaker id -> questions keyed to that speaker, every speaker of the file in
    # file order (zeros too: a voice that is offered but never the answer is worth seeing).
    keyed_speakers: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def evidence_yes_percent(self) -> float:
        return _percent(self.evidence_yes, self.questions)

    @property
    def evidence_no_percent(self) -> float:
        return _percent(self.evidence_no, self.questions)


def bank_stats(bank: Bank) -> BankStats:
    questions = [q for quiz in bank.quizzes for q in quiz.questions]
    claim_types = {c.id: 0 for c in bank.taxonomy.claim_types} if bank.taxonomy else {}
    kinds = {k.id: 0 for k in bank.taxonomy.evidence_kinds} if bank.taxonomy else {}
    per_source = {s.id: 0 for s in bank.sources}
    # Counter.update keeps ids the taxonomy or sources do not list (cannot happen
    # for a loaded bank, but stats must not silently drop anything).
    _add(claim_types, (q.claim_type for q in questions))
    _add(kinds, (q.evidence_kind for q in questions if q.evidence and q.evidence_kind))
    _add(per_source, (q.source for q in questions))
    words = [count_words(q.passage) for q in questions]
    yes = sum(1 for q in questions if q.evidence)
    return BankStats(
        quizzes=len(bank.quizzes),
        questions=len(questions),
        distinct_passages=len({q.passage for q in questions}),
        passages_per_source=per_source,
        passages_per_quiz={quiz.id: len(quiz.questions) for quiz in bank.quizzes},
        claim_types=claim_types,
        evidence_yes=yes,
        evidence_no=len(questions) - yes,
        evidence_kinds=kinds,
        evidence_kind_missing=sum(1 for q in questions if q.evidence and not q.evidence_kind),
        speakers_per_quiz={quiz.id: len({q.speaker for q in quiz.questions}) for quiz in bank.quizzes},
        passage_words=(min(words), max(words)) if words else None,
        keyed_speakers={quiz.id: _keyed_speakers(quiz) for quiz in bank.quizzes},
    )


def _keyed_speakers(quiz: Quiz) -> dict[str, int]:
    counts = {s.id: 0 for s in quiz.speakers}
    _add(counts, (q.speaker for q in quiz.questions))
    return counts


def format_stats(stats: BankStats) -> str:
    lines = [f"{stats.quizzes} quizzes, {stats.questions} questions, {stats.distinct_passages} distinct passages"]
    if stats.passage_words is not None:
        low, high = stats.passage_words
        lines.append(f"passage length: {low} to {high} words")
    total = stats.questions
    lines += _section("passages per source", stats.passages_per_source, total)
    lines += _section("passages per quiz", stats.passages_per_quiz, total)
    lines += _section("keys per claim type", stats.claim_types, total)
    lines += _section("evidence in the passage", {"yes": stats.evidence_yes, "no": stats.evidence_no}, total)
    kinds = dict(stats.evidence_kinds)
    if stats.evidence_kind_missing:
        kinds["(no kind given)"] = stats.evidence_kind_missing
    lines += _section("evidence kinds (evidence: yes)", kinds, stats.evidence_yes)
    lines += _section("distinct speaker answers per quiz", stats.speakers_per_quiz, None)
    lines += ["", "keyed speakers per quiz (every speaker offered, with the questions keyed to it):"]
    if not stats.keyed_speakers:
        lines.append("  (none)")
    for quiz_id, counts in stats.keyed_speakers.items():
        lines.append(f"  {quiz_id}:")
        width = max((len(name) for name in counts), default=0)
        lines += [f"    {name:<{width}}  {n:>5}" for name, n in counts.items()]
    return "\n".join(lines)


def _section(title: str, counts: Mapping[str, int], total: int | None) -> list[str]:
    lines = ["", f"{title}:"]
    if not counts:
        return [*lines, "  (none)"]
    width = max(len(name) for name in counts)
    for name, n in counts.items():
        row = f"  {name:<{width}}  {n:>5}"
        if total is not None:
            row += f"  {_percent(n, total):5.1f}%"
        lines.append(row)
    return lines


def _add(counts: dict[str, int], ids: Iterable[str]) -> None:
    for key, n in Counter(ids).items():
        counts[key] = counts.get(key, 0) + n


def _percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0

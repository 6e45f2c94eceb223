"""Taking a quiz: what students do.

Owns the quiz list (and the notices rooms built on taking put above it), one
passage per page, answer forms, storing an answer exactly once, the pure scoring
rules (grading), the key an answer counts against, feedback (with its cue words
marked) and the end-of-attempt summary, a passage shown inside its source text,
and the per-process snapshot of the bank as students see it (renewed when the
bank's stamp changes).

May import: the spine, accounts, and the question-file records of bank.files.
Never imports bank's sync, regrade or pages, nor review: those build on taking.
"""

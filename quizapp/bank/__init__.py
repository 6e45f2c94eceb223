"""The question bank: the instructors' files and what follows from them.

Owns reading and validating question files (`bank.files`: no Flask, no
database), putting them into the database (sync), syncing on change while
debugging (watch), rescoring answers to older versions (regrade), the
`questions ...` commands, and the Question bank pages.

May import: the spine, accounts (access rules) and taking (grading for
regrades, the answer fields for previews, the snapshot's stamp).
Never imports review. `bank.files` imports nothing of quizapp outside itself.
"""

"""Disputes: students question a key; the instructor settles it once, for everyone.

Owns a student's dispute of one part of a key (with the answer they argue for
and why, one open per answer and part, rate-limited), the instructors' queue of
disputes grouped by question and part, rulings (keep the key with a reply, or
accept an answer: the exact change to the question file, written by the app
where the bank is writable, then a sync and a regrade of every answer), and
what students see of the outcome. The feedback, answers, results and score
pages of the rooms below show disputes through template globals (templating.py).

May import: the spine, accounts (access rules, which classes an instructor
teaches), taking, bank (question files, sync, regrade) and review (statistics).
Nothing imports it but create_app.
"""

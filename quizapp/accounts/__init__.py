"""Accounts: who may do what.

Owns sign-up, sign-in and sign-out, the signed-in user (`g.user`), the access
rules every route declares (`login_required`, `instructor_required`, `public`),
the limits on failed sign-ins, and classes with their join codes.

May import: the spine below it (config, db, models, forms, formatting, errors).
Never imports taking, bank or review: they build on accounts.
"""

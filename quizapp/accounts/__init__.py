"""Accounts: who may do what, and whom they see.

Owns:
- sign-up, sign-in and sign-out (views.py), with sessions that end (sessions.py:
  each sign-in is a row the cookie names, checked in the one statement that reads
  the signed-in user, `g.user`, in users.py);
- roles - student, instructor, admin - and the access rules every route declares
  (access.py: `public`, `login_required`, `instructor_required`, `admin_required`);
- who sees which students (visibility.py): an instructor, those of the classes they
  teach; an admin, everyone. The review room applies it in its SQL filter;
- passwords: changing one's own (account_views.py), one-time passwords after a reset
  (passwords.py), the `create-instructor` and `reset-password` commands (commands.py);
- limits on failed sign-ins and on new accounts (limits.py);
- classes, join codes, co-teachers and changes to a class (classrooms.py,
  class_changes.py, class_views.py, member_views.py);
- the admin pages: instructors (staff.py) and a student's stored data (privacy.py),
  in admin_views.py.

May import: the spine below it (config, db, models, forms, formatting, integers,
errors). Never imports taking, bank or review: they build on accounts.
"""

"""Review: scores and what they mean, for students and instructors.

Owns every score page and export: a student's own results and answers, the
instructors' home, quiz overview, scores per student, item analysis, confusion
matrices, explanations side by side, the learning measures (discernment and
bias, calibration, pre/post gain, reliability and item statistics), the class
and date filter, the SQL aggregates behind them, the server-drawn charts and the
CSV files. The statistics' formulas live apart from the SQL, in sdt.py and
formulas.py.

May import: the spine, accounts, taking and bank.
Nothing below review imports it.
"""

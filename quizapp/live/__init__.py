"""Live: an instructor takes a class through a quiz together, one passage at a time.

Owns live class sessions: starting one for a class, the short code students join
with, the instructor's control page (names and every reason), the projector page
(the passage in large type and the split of answers, no names), Reveal, Next and
End, the student's page that follows the class, the JSON state those pages poll
(answered 304 from one indexed read while nothing changed), and the notice on the
quiz list. Answers given live are ordinary answers of an ordinary attempt, stored
by taking's record_answer, so every review page, export and regrade includes them.
Everything is in the database: any process of any server may answer any request.

May import: the spine, accounts, taking, bank and review.
Nothing below live imports it.
"""

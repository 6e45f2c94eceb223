"""A class answering at once: the app under gunicorn against a bare WSGI baseline, in one run.

    PYTHONPATH=. python benchmarks/load.py [students] [questions] [workers]

First the load test's simulated students (tests/simulated_students.py; default
50 students x 20 questions, 4 workers, a fresh SQLite file): each registers,
answers every question, reads each feedback page and the summary. Then the
baseline: the same number of requests from the same number of threads, through
the same client library and the same gunicorn settings, to a WSGI app that
returns a fixed 6 KB page (about a question page's size) at once. The
difference is what the app itself costs. Prints wall time, requests per second and CPU time per request of
the server (its start and the students' sign-ups included) and of the clients,
for both; wall times depend on what else the machine runs, CPU times much less.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.live_server import LiveServer  # noqa: E402
from tests.simulated_students import Crowd, Student  # noqa: E402
from tests.test_load import prepare_site  # noqa: E402


def cpu() -> tuple[float, float]:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def report(name: str, requests_made: int, seconds: float, before: tuple[float, float]) -> None:
    client, server = (after - start for after, start in zip(cpu(), before))
    print(f"{name:9s} {requests_made:6d} requests in {seconds:6.1f} s = {requests_made / seconds:6.0f}/s; "
          f"CPU per request: server {1000 * server / requests_made:5.1f} ms, clients {1000 * client / requests_made:4.1f} ms")


def run_app(work: Path, students: int, questions: int, workers: int) -> tuple[int, int]:
    site = prepare_site(work, questions=questions)
    before = cpu()
    with LiveServer(site.env, work / "gunicorn.log", workers=workers) as server:
        crowd = Crowd([Student(n, [server.url], site.keys, site.versions) for n in range(students)])
        began = time.monotonic()
        crowd.start()
        records = crowd.wait(deadline=1800)
        took = time.monotonic() - began
        crowd.close()
    errors = [e for r in records for e in r.errors]
    made = sum(r.requests for r in records)
    report("app", made, took, before)
    if errors:
        print(f"  {len(errors)} students failed, e.g. {errors[0]}")
    return made, sum(len(r.acknowledged) for r in records)


BARE_APP = '''
PAGE = b"<!doctype html><html><body>" + b"x" * 6000 + b"</body></html>"

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(PAGE)))])
    return [PAGE]
'''


def run_bare(work: Path, students: int, total_requests: int, workers: int) -> None:
    (work / "bare_wsgi.py").write_text(BARE_APP)
    per_student = total_requests // students
    before = cpu()
    with LiveServer({}, work / "bare.log", workers=workers, app="bare_wsgi:app", cwd=work) as server:
        def visit() -> None:
            with requests.Session() as session:
                for _ in range(per_student):
                    session.get(server.url + "/login", timeout=60).raise_for_status()

        threads = [threading.Thread(target=visit) for _ in range(students)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.monotonic() - began
    report("baseline", per_student * students, took, before)


def main() -> None:
    students, questions, workers = (int(a) for a in (sys.argv[1:] + ["50", "20", "4"][len(sys.argv) - 1:])[:3])
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "app").mkdir()
        (work / "bare").mkdir()
        print(f"{students} students x {questions} questions, gunicorn with {workers} workers, SQLite")
        made, answers = run_app(work / "app", students, questions, workers)
        print(f"          {answers} answers stored")
        run_bare(work / "bare", students, made, workers)


if __name__ == "__main__":
    main()

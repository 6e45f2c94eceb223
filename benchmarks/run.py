"""Every performance figure of the README in one command, as a Markdown table.

    .venv/bin/python benchmarks/run.py [--seconds 10] [--skip-growth]

Needs the project's dependencies and wrk (Debian: apt-get install -y wrk).
Takes about 15 minutes on 2 cores. The parts, each against a baseline
measured in the same run (these machines are shared and noisy, so absolute
figures move; ratios much less):

1. answer submission and the quiz page under gunicorn (4 sync workers, 64 wrk
   connections on 127.0.0.1) against a bare Flask + Flask-SQLAlchemy + SQLite
   (WAL) app: benchmarks/http_load.py. Goal: at least 0.5x the bare
   requests/s, zero errors;
2. memory of each gunicorn worker after that load;
3. the review pages at 1,000 students x 60 answers, and at 10x the students,
   through the Flask test client: benchmarks/review_pages.py. Goal: p95 under
   300 ms at 1,000 students, and time growing much slower than the data;
4. question sync of 1,000 quiz files x 10 questions: benchmarks/sync_bank.py.
   Goals: check + first sync under 10 s, a no-change re-sync under 2 s;
5. disputes: the instructors' queue, the open-dispute count in the menu and the
   student pages that show disputes, with 1,200 open disputes among 1,000
   students: benchmarks/disputes.py. Goal: median CPU under 300 ms per page.
6. a live class session: 200 students polling every 2 s and answering three
   passages, and the projector, under gunicorn (4 sync workers) against the
   bare stack answering a fixed 304: benchmarks/live_session.py. Goal: no
   errors; p99 of a poll and of an answer under a second.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import disputes
import http_load
import live_session
import review_pages
import sync_bank

REVIEW_BUDGET_MS = 300.0
LIVE_P99_BUDGET_MS = 1000.0
# The pages a teacher uses most, timed again at 10x the students.
GROWTH_PAGES = (
    "quiz overview",
    "quiz overview, one class",
    "quiz: scores per student",
    "item analysis (question)",
    "explanations side by side",
    "confusion, class",
    "one student",
    "student: my results",
    "learning, every student",
    "learning, one class",
    "item statistics and reliability",
)


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, {platform.system()} {platform.release()}"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def http_section(seconds: int) -> list[str]:
    rows, memory = http_load.measure(seconds=seconds)
    by_name = {row.name: row for row in rows}
    lines = [
        "| Under gunicorn, 64 clients | quizapp req/s | p50 / p99 ms | errors | bare req/s | p50 / p99 ms | ratio | goal >= 0.5x |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for part in ("answer submission", "quiz page"):
        app, bare = by_name[f"quizapp {part}"], by_name[f"bare {part}"]
        ratio = app.per_second / bare.per_second
        lines.append(
            f"| {part} ({app.note}) | {app.per_second:.0f} | {app.p50_ms:.0f} / {app.p99_ms:.0f} | {app.errors} | "
            f"{bare.per_second:.0f} | {bare.p50_ms:.0f} / {bare.p99_ms:.0f} | {ratio:.2f}x | "
            f"{verdict(ratio >= 0.5 and app.errors == 0)} |"
        )
    lines += ["", "| Memory after the load (RSS per worker) | MiB |", "|---|---|"]
    for name, sizes in memory.items():
        lines.append(f"| {name} | {', '.join(f'{s:.0f}' for s in sizes)} (mean {statistics.mean(sizes):.0f}) |")
    return lines


def review_section(skip_growth: bool) -> list[str]:
    small = {t.name: t for t in review_pages.measure_pages(1000, 60, 20, log=lambda _: None)}
    large = (
        {}
        if skip_growth
        else {t.name: t for t in review_pages.measure_pages(10000, 60, 7, log=lambda _: None, only=GROWTH_PAGES)}
    )
    lines = [
        "| Review page | p95 ms, 1,000 students x 60 | SQL statements | goal p95 < 300 ms | "
        "p95 ms, 10,000 students x 60 | growth for 10x data |",
        "|---|---|---|---|---|---|",
    ]
    for name, timing in small.items():
        big = large.get(name)
        growth = f"{big.p95_ms / timing.p95_ms:.1f}x" if big else ""
        goal = verdict(timing.p95_ms < REVIEW_BUDGET_MS) if timing.is_page else "(no budget)"
        lines.append(
            f"| {name} | {timing.p95_ms:.0f} | {timing.statements} | {goal} | "
            f"{f'{big.p95_ms:.0f}' if big else ''} | {growth} |"
        )
    return lines


def sync_section() -> list[str]:
    lines = ["| Question sync, 1,000 files x 10 questions | wall s | CPU s | goal |", "|---|---|---|---|"]
    for step in sync_bank.measure():
        goal = f"{verdict(step['wall_s'] < step['goal_s'])} (< {step['goal_s']:g} s)" if step.get("goal_s") else ""
        lines.append(f"| {step['name']} | {step['wall_s']:.2f} | {step['cpu_s']:.2f} | {goal} |")
    return lines


def disputes_section() -> list[str]:
    measured = disputes.measure_disputes()
    lines = [
        f"| Disputes, 1,000 students x 60, {measured.disputes} open disputes | median CPU ms | SQL statements "
        "| goal < 300 ms |",
        "|---|---|---|---|",
    ]
    for t in measured.timings:
        goal = verdict(t.cpu_ms < REVIEW_BUDGET_MS) if t.path != "/_baseline" else "(no budget)"
        lines.append(f"| {t.name} | {t.cpu_ms:.1f} | {t.statements} | {goal} |")
    for name, ms in measured.count_query_ms.items():
        lines.append(
            f"| the count's query alone, teacher of {name} ({measured.seen[name]} disputes) | {ms:.2f} (wall) | 1 | |"
        )
    return lines


def live_section(students: int = 200) -> list[str]:
    runs, database = live_session.measure(students)
    lines = live_session.table(runs, students, workers=4)
    app = runs["quizapp"].record
    worst = max(live_session.percentile(app.times[kind], 0.99) * 1000 for kind in live_session.KINDS)
    met = not app.errors and worst < LIVE_P99_BUDGET_MS
    return [f"Database: {database}.", "", *lines, "", f"Goal (no errors, every p99 under 1 s): {verdict(met)}"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk measurement")
    parser.add_argument("--skip-growth", action="store_true", help="skip the review pages at 10x the data")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        print("benchmarks/run.py needs wrk, the HTTP load generator: apt-get install -y wrk", file=sys.stderr)
        return 2
    started = datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()[0]
    sections = [
        http_section(options.seconds),
        review_section(options.skip_growth),
        sync_section(),
        disputes_section(),
        live_section(),
    ]
    print(
        f"Measured {started:%Y-%m-%d %H:%M} UTC on {machine()}; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after.\n"
    )
    for lines in sections:
        print("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

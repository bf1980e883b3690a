"""The insight library and the rights heat map with 50,000 approved findings.

    .venv/bin/python bench/insights.py                   # SQLite in a fresh temporary folder
    .venv/bin/python bench/insights.py --database postgresql://postgres@127.0.0.1:5432/panel_bench

Prepares a fresh database (migrated, one staff account signed in), adds ``--findings`` approved
findings (default 50,000) spread over two years on 200 engagements, with random rights, stages,
agencies, sentiments and words, then gathers the planner's statistics. Starts one uvicorn process
as ``bench/http.py`` does, and asks for each page ``--requests`` times one at a time after a
warm-up: the library unfiltered, the library with a filter of each kind (a random one each
request), the library filtered by words, and the heat map. Prints p50, p95 and max latency and
the server's CPU a request, and judges the goals: the filtered list's p95 under 200 ms and the
heat map's under 500 ms. The exit status is 0 only when every goal is met. The server is stopped
by its process id at the end, whatever happens.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as ``python bench/insights.py``, this folder is first on sys.path, where ``bench/http.py``
# would hide the standard library's ``http`` package (httpx needs it). Take the folder out.
BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

import httpx  # noqa: E402

from bench.app import bench_database_name  # noqa: E402
from bench.http import (  # noqa: E402
    HOST,
    bench_environment,
    free_port,
    print_busy_share,
    print_machine,
    print_server_log,
    process_cpu_seconds,
    redact,
    run_step,
    start_server,
    stop_server,
    wait_until_ready,
)
from bench.management import signed_in_cookies  # noqa: E402
from bench.passwords import percentile  # noqa: E402
from panel.settings import Settings, load_settings  # noqa: E402

ENGAGEMENTS = 200
WORDS = (
    "updates",
    "stopped",
    "after",
    "charge",
    "and",
    "nobody",
    "explained",
    "why",
    "the",
    "case",
    "was",
    "dropped",
    "the",
    "officer",
    "was",
    "kind",
    "but",
    "hard",
    "to",
    "reach",
    "court",
    "dates",
    "moved",
    "twice",
    "the",
    "witness",
    "care",
    "unit",
    "rang",
    "the",
    "day",
    "before",
    "support",
    "came",
    "quickly",
    "the",
    "statement",
    "was",
    "taken",
    "in",
    "a",
    "language",
    "she",
    "did",
    "not",
    "speak",
    "well",
)


@dataclass
class Target:
    label: str
    paths: Callable[[random.Random], str]
    goal_ms: float | None  # the p95 goal; None: reported, not judged


@dataclass
class Outcome:
    target: Target
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    server_cpu_seconds: float = 0.0

    @property
    def p95(self) -> float:
        return percentile(self.latencies_ms, 0.95)

    @property
    def met(self) -> bool:
        return not self.failures and (self.target.goal_ms is None or self.p95 < self.target.goal_ms)


def targets() -> list[Target]:
    from panel.engagements.rules import JOURNEY_STAGES
    from panel.justice import AGENCIES, VICTIMS_CODE_RIGHTS

    def library(**query: str) -> str:
        return "/staff/insights" + (f"?{urlencode(query)}" if query else "")

    def one_filter(rng: random.Random) -> str:
        kind, options = rng.choice(
            (("right", VICTIMS_CODE_RIGHTS), ("stage", JOURNEY_STAGES), ("agency", AGENCIES))
        )
        return library(**{kind: rng.choice(options)[0], "page": str(rng.randint(1, 5))})

    def two_filters(rng: random.Random) -> str:
        return library(right=rng.choice(VICTIMS_CODE_RIGHTS)[0], agency=rng.choice(AGENCIES)[0])

    return [
        Target("library, newest first", lambda rng: library(), 200),
        Target("library, one filter (right, stage or agency), pages 1 to 5", one_filter, 200),
        Target("library, a right and an agency", two_filters, 200),
        Target("library, words", lambda rng: library(text=rng.choice(WORDS)), 200),
        Target("rights heat map", lambda rng: "/staff/insights/rights", 500),
    ]


async def add_findings(settings: Settings, count: int, seed: int) -> None:
    """``count`` approved findings over the last two years, on ``ENGAGEMENTS`` held sessions."""
    from panel import db
    from panel.engagements.rules import JOURNEY_STAGES
    from panel.engagements.tables import Engagement
    from panel.findings.tables import Finding
    from panel.justice import AGENCIES, VICTIMS_CODE_RIGHTS

    rng = random.Random(seed)
    now = datetime.now(UTC)
    await db.open_connections(settings)
    try:
        engagements = await db.insert_many(
            Engagement,
            [
                {
                    "kind": "focus_group",
                    "title": f"Session {number}",
                    "format": "online",
                    "starts_at": now - timedelta(days=rng.randint(1, 730)),
                    "ends_at": now,
                    "capacity": 10,
                    "status": "held",
                }
                for number in range(ENGAGEMENTS)
            ],
            returning=("id",),
        )
        ids = [row["id"] for row in engagements]

        def codes(options: tuple[tuple[str, str], ...], most: int) -> str:
            return json.dumps([code for code, _ in rng.sample(options, rng.randint(0, most))])

        rows = [
            {
                "engagement": rng.choice(ids),
                "statement": " ".join(rng.choices(WORDS, k=rng.randint(8, 30))).capitalize() + ".",
                "sentiment": rng.choice(("negative", "negative", "positive", "mixed")),
                "priority": rng.choice(("high", "medium", "low")),
                "rights": codes(VICTIMS_CODE_RIGHTS, 3),
                "stages": codes(JOURNEY_STAGES, 2),
                "agencies": codes(AGENCIES, 2),
                "crime_types": "[]",
                "status": "approved",
                "recorded_at": now - timedelta(minutes=rng.randint(1, 730 * 24 * 60)),
            }
            for _ in range(count)
        ]
        await db.insert_many(Finding, rows)
        await db.refresh_statistics(thorough=True)
    finally:
        await db.close_connections()


async def measure(
    target: Target, port: int, cookies: str, server_pid: int, rng: random.Random, count: int,
    warmup: int,
) -> Outcome:  # fmt: skip
    outcome = Outcome(target)
    async with httpx.AsyncClient(
        base_url=f"http://{HOST}:{port}", headers={"Cookie": cookies}, trust_env=False,
        timeout=60,
    ) as client:  # fmt: skip
        for _ in range(warmup):
            await client.get(target.paths(rng))
        cpu_before = process_cpu_seconds(server_pid)
        for _ in range(count):
            path = target.paths(rng)
            started = time.perf_counter()
            response = await client.get(path)
            outcome.latencies_ms.append(1000 * (time.perf_counter() - started))
            if response.status_code != 200:
                outcome.failures.append(f"{path}: {response.status_code}")
        outcome.server_cpu_seconds = process_cpu_seconds(server_pid) - cpu_before
    return outcome


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="", help="a postgresql:// URL (default: SQLite)")
    parser.add_argument("--findings", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=60, help="measured requests a page")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    arguments = parser.parse_args(argv)
    if arguments.database:
        bench_database_name(arguments.database)  # refuses any database not named for benching
    return arguments


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="panel-bench-"))
    port = free_port()
    env = bench_environment(workdir, arguments.database, port)
    settings = load_settings(env)
    server: subprocess.Popen[bytes] | None = None
    server_log = workdir / "server.log"
    try:
        run_step("reset the database", [sys.executable, "-m", "bench.app", "reset-database"], env)
        run_step("migrate", [sys.executable, "-m", "panel.cli", "db", "upgrade"], env, 600)
        token = run_step(
            "sign in", [sys.executable, "-m", "bench.app", "staff-session"], env
        ).splitlines()[-1]
        started = time.perf_counter()
        os.environ.update(env)  # the database the panel's engine opens is the bench's
        asyncio.run(add_findings(settings, arguments.findings, arguments.seed))
        made = time.perf_counter() - started
        print_machine(("litestar", "uvicorn", "piccolo", "httpx"))
        print(
            f"Findings: {arguments.findings:,} approved on {ENGAGEMENTS} sessions, made in "
            f"{made:.1f} s; database {redact(settings.database_url)}"
        )
        print(
            f"Load: {arguments.warmup} warm-up requests a page, then {arguments.requests} one at "
            "a time; 1 uvicorn process"
        )
        print_busy_share("latency", "Compare the CPU ms/req column")
        server = start_server(env, port, server_log)
        wait_until_ready(server, port)
        cookies = signed_in_cookies(port, settings.session_cookie_name, token)
        rng = random.Random(arguments.seed)
        outcomes = [
            asyncio.run(
                measure(
                    target, port, cookies, server.pid, rng, arguments.requests, arguments.warmup
                )
            )
            for target in targets()
        ]
        print()
        print("| page | p50 ms | p95 ms | max ms | CPU ms/req | goal (p95) |")
        print("|---|---:|---:|---:|---:|---|")
        for outcome in outcomes:
            samples = outcome.latencies_ms
            goal = outcome.target.goal_ms
            verdict = (
                "" if goal is None else f"{goal:.0f} ms: {'met' if outcome.met else 'NOT met'}"
            )
            print(
                f"| {outcome.target.label} | {percentile(samples, 0.5):.0f} | {outcome.p95:.0f} "
                f"| {max(samples):.0f} | {1000 * outcome.server_cpu_seconds / len(samples):.1f} "
                f"| {verdict} |"
            )
            for failure in outcome.failures[:3]:
                print(f"  failed: {failure}")
        met = all(outcome.met for outcome in outcomes)
        print()
        print(f"Every goal: {'met' if met else 'NOT met'}")
        return 0 if met else 1
    finally:
        stop_server(server)
        print_server_log(server_log)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

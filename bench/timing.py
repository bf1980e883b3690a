"""Do sign-in and password-reset answers take the same time for known and unknown emails?

One command: ``.venv/bin/python bench/timing.py``. Serves the app with uvicorn (in this process, on
a free loopback port) against a fresh SQLite database in a temporary folder, alternates requests for
a known and an unknown email over real HTTP, and prints the median and p95 time to the answer of
each, and the difference of the medians. Work done after the answer is sent is not counted: that is
the point of doing it then.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/: its http.py would shadow the standard library
TEMP = Path(tempfile.mkdtemp(prefix="panel-timing-"))
os.environ["PANEL_VAR_DIR"] = str(TEMP)
os.environ["PANEL_DATABASE_URL"] = f"sqlite:///{TEMP / 'timing.sqlite3'}"
os.environ["PANEL_SECRET_KEY"] = secrets.token_urlsafe(40)
# Throttling would otherwise refuse the repeated failures this benchmark makes on purpose.
os.environ["PANEL_SIGN_IN_MAX_FAILURES_PER_ACCOUNT"] = "100000"
os.environ["PANEL_SIGN_IN_MAX_FAILURES_PER_ADDRESS"] = "100000"

import httpx  # noqa: E402
import uvicorn  # noqa: E402

from panel import db  # noqa: E402
from panel.accounts.passwords import Passwords  # noqa: E402
from panel.accounts.rules import Role  # noqa: E402
from panel.accounts.services import create_user  # noqa: E402
from panel.app import create_app  # noqa: E402
from panel.audit.services import Actor  # noqa: E402
from panel.migrations import upgrade  # noqa: E402
from panel.settings import load_settings  # noqa: E402

ROUNDS = 40
KNOWN = "known.person@example.org"
UNKNOWN = "nobody.here@example.org"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


async def main() -> None:
    settings = load_settings()
    ok, report = await upgrade()
    if not ok:
        raise SystemExit(report)
    await db.open_connections(settings)
    await create_user(
        KNOWN, Role.MEMBER, "the real password here", Passwords(settings), Actor(None, "")
    )
    app = create_app(settings, run_lifespan_worker=False)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 -- uvicorn offers a flag, not an event
        await asyncio.sleep(0.05)
    results: dict[str, list[float]] = {}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        page = await http.get("/sign-in")
        token = page.text.split('name="_csrf_token" value="')[1].split('"')[0]
        for _ in range(ROUNDS):
            for label, email in (("known", KNOWN), ("unknown", UNKNOWN)):
                for form, path in (
                    ("sign-in, wrong password", "/sign-in"),
                    ("forgotten password", "/forgot-password"),
                ):
                    data = {"_csrf_token": token, "email": email, "password": "a wrong password"}
                    started = time.perf_counter()
                    await http.post(path, data=data)
                    results.setdefault(f"{form}: {label}", []).append(
                        (time.perf_counter() - started) * 1000
                    )
                    await asyncio.sleep(
                        0.05
                    )  # let work after the answer finish before the next request
    server.should_exit = True
    await serving
    await db.close_connections()

    print(f"{'request':<40} {'median ms':>10} {'p95 ms':>10}")
    for name, samples in results.items():
        median, p95 = summary(samples)
        print(f"{name:<40} {median:>10.1f} {p95:>10.1f}")
    for form in ("sign-in, wrong password", "forgotten password"):
        known = summary(results[f"{form}: known"])[0]
        unknown = summary(results[f"{form}: unknown"])[0]
        print(f"{form}: median difference known - unknown = {known - unknown:+.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())

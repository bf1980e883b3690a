"""The background worker: delivers the outbox and runs the daily jobs. Runs as `panel worker` or
inside the web process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from panel import db
from panel.jobs.renewals import send_renewal_reminders
from panel.jobs.retention import run_retention
from panel.jobs.tables import JobRun
from panel.outbox.services import deliver_due
from panel.settings import Settings

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0


async def run_daily_jobs(settings: Settings, now: datetime | None = None) -> bool:
    """Run today's retention job and renewal reminders unless a worker (this one or another)
    already has."""
    now = now or datetime.now(UTC)
    run_key = f"retention:{now.date().isoformat()}"
    if await JobRun.exists().where(JobRun.run_key == run_key):
        return False
    try:
        async with db.transaction():  # a savepoint when nested: a clash undoes only this insert
            await JobRun.insert(JobRun(run_key=run_key))
    except Exception:  # the unique key was taken a moment ago: another worker has today's run
        return False
    plan = await run_retention(settings, now=now)
    reminded = await send_renewal_reminders(settings, now=now)
    summary = [*plan.lines(), f"members reminded to renew consent: {reminded}"]
    await JobRun.update(
        {JobRun.finished_at: datetime.now(UTC), JobRun.summary: "; ".join(summary)}
    ).where(JobRun.run_key == run_key)
    return True


async def run_worker(settings: Settings, stop: asyncio.Event | None = None) -> None:
    stop = stop or asyncio.Event()
    while not stop.is_set():
        try:
            await deliver_due(settings)
            await run_daily_jobs(settings)
        except Exception:  # the worker must outlive a database hiccup; the next pass retries
            log.exception("worker pass failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=POLL_SECONDS)

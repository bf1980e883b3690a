"""The background worker: delivers the outbox, runs the daily jobs and keeps the dashboard's
counts fresh (every few minutes). Runs as `panel worker` or inside the web process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from panel import db
from panel.actions.horizon import send_review_reminders
from panel.directory.services import compact_search_index
from panel.invitations.services import free_places_of_those_who_left, send_reminders
from panel.jobs.renewals import send_renewal_reminders
from panel.jobs.retention import run_retention
from panel.jobs.tables import JobRun
from panel.members.reference import ReferenceData, load_reference_data
from panel.outbox.services import deliver_due
from panel.representation.services import refresh_summary_if_due
from panel.settings import Settings

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0


async def run_daily_jobs(settings: Settings, now: datetime | None = None) -> bool:
    """Run today's retention job, renewal reminders, session reminders, the passing on of places
    held by members who left and the reminder of horizon items due for review, unless a worker
    (this one or another) already has."""
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
    coming = await send_reminders(settings, now=now)
    freed = await free_places_of_those_who_left(settings, now=now)
    horizon_due = await send_review_reminders(settings, now=now)
    await compact_search_index()
    summary = [
        *plan.lines(),
        f"members reminded to renew consent: {reminded}",
        f"members reminded of a session: {coming}",
        f"invitations of members who left, cancelled and their places given on: {freed}",
        f"horizon items newly past their review-by date, staff reminded: {horizon_due}",
    ]
    await JobRun.update(
        {JobRun.finished_at: datetime.now(UTC), JobRun.summary: "; ".join(summary)}
    ).where(JobRun.run_key == run_key)
    return True


async def run_worker(settings: Settings, stop: asyncio.Event | None = None) -> None:
    stop = stop or asyncio.Event()
    reference: ReferenceData = load_reference_data(settings.reference_data)
    while not stop.is_set():
        try:
            await deliver_due(settings)
            await run_daily_jobs(settings)
            await refresh_summary_if_due(reference, settings.consent_renewal)
        except Exception:  # the worker must outlive a database hiccup; the next pass retries
            log.exception("worker pass failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=POLL_SECONDS)

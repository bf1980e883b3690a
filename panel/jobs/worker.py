"""The background worker: delivers the outbox. Runs as `panel worker` or inside the web process."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from panel.notify.services import deliver_due
from panel.settings import Settings

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0


async def run_worker(settings: Settings, stop: asyncio.Event | None = None) -> None:
    stop = stop or asyncio.Event()
    while not stop.is_set():
        try:
            await deliver_due(settings)
        except Exception:  # the worker must outlive a database hiccup; the next pass retries
            log.exception("worker pass failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=POLL_SECONDS)

"""Reminding members to renew their consents before they lapse (30 and 7 days before).

A consent lapses on its own (its state is derived from the history); this only tells the member in
time. One email a member per run lists every consent due a reminder; each reminder is recorded with
the contact gate's decision, so it goes once and staff can see whom it did not reach (the renewals
due page). The email passes the gate under the membership consent, which is the consent to be
contacted about the panel at all.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from panel import db
from panel.consent.rules import Purpose
from panel.consent.services import record_reminders, renewal_reminders_due
from panel.notify.services import send_to_member
from panel.outbox import messages
from panel.settings import Settings


async def send_renewal_reminders(settings: Settings, now: datetime | None = None) -> int:
    """Send the reminders due now. Returns how many members were written to."""
    now = now or datetime.now(UTC)
    written = 0
    for member_id, due in (await renewal_reminders_due(now, settings.consent_renewal)).items():
        async with db.transaction():
            decision = await send_to_member(
                member_id,
                messages.CONSENT_RENEWAL,
                Purpose.MEMBERSHIP,
                settings,
                now=now,
                purposes=[reminder.title for reminder in due],
                lapses_on=min(reminder.lapses_at for reminder in due)
                .astimezone(ZoneInfo(settings.time_zone))
                .strftime("%-d %B %Y"),
                link=messages.CONSENTS_PAGE.url(settings.base_url),
            )
            await record_reminders(member_id, due, decision.outcome.value, decision.reason[:100])
        written += 1
    return written

"""Reminding members to renew their consents before they lapse (30 and 7 days before).

A consent lapses on its own (its state is derived from the history); this only tells the member in
time. One email a member per run lists every consent due a reminder; each reminder is recorded so
it goes once. The email passes the contact gate under the membership consent, which is the consent
to be contacted about the panel at all.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from panel import db
from panel.consent.rules import ConsentState, Purpose, current_consent, renewal_reminder_due
from panel.consent.services import as_event, versions_in_force
from panel.consent.tables import ConsentEvent, ConsentReminder, ConsentWording
from panel.notify.services import send_to_member
from panel.outbox import messages
from panel.settings import Settings


async def send_renewal_reminders(settings: Settings, now: datetime | None = None) -> int:
    """Send the reminders due now. Returns how many members were written to."""
    now = now or datetime.now(UTC)
    versions = await versions_in_force()
    rows = await ConsentEvent.select().where(ConsentEvent.member.status == "active")
    sent_rows = await ConsentReminder.select(
        ConsentReminder.member,
        ConsentReminder.purpose,
        ConsentReminder.given_at,
        ConsentReminder.days_before,
    )
    titles = {
        row["purpose"]: row["title"]
        for row in await ConsentWording.select(
            ConsentWording.purpose, ConsentWording.title
        ).order_by(ConsentWording.version)
    }
    events_by_member = defaultdict(list)
    for row in rows:
        events_by_member[row["member"]].append(as_event(row))
    already_sent: dict[tuple[int, str, datetime], list[int]] = defaultdict(list)
    for row in sent_rows:
        already_sent[(row["member"], row["purpose"], row["given_at"])].append(row["days_before"])

    written = 0
    for member_id, events in events_by_member.items():
        due: list[tuple[Purpose, datetime, int, datetime]] = []
        for purpose in Purpose:
            consent = current_consent(
                purpose, events, versions.current_wording(purpose), now, settings.consent_renewal
            )
            if consent.state is not ConsentState.GIVEN or consent.since is None:
                continue
            sent = already_sent[(member_id, purpose.value, consent.since)]
            days = renewal_reminder_due(consent, now, sent)
            if days is not None and consent.lapses_at is not None:
                due.append((purpose, consent.since, days, consent.lapses_at))
        if not due:
            continue
        async with db.transaction():
            await ConsentReminder.insert(
                *(
                    ConsentReminder(
                        member=member_id, purpose=purpose.value, given_at=since, days_before=days
                    )
                    for purpose, since, days, _ in due
                )
            )
            await send_to_member(
                member_id,
                messages.CONSENT_RENEWAL,
                Purpose.MEMBERSHIP,
                settings,
                now=now,
                purposes=[titles.get(purpose.value, purpose.value) for purpose, *_ in due],
                lapses_on=min(lapses_at for *_, lapses_at in due)
                .astimezone(ZoneInfo(settings.time_zone))
                .strftime("%-d %B %Y"),
                link=f"{settings.base_url}/my-panel/consents",
            )
        written += 1
    return written

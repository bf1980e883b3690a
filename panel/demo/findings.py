"""Demo findings: approved ones spread over the last two years, so the insight library and the
rights heat map show something, and two waiting for review. Every word is made up and names no
one; they go through the same service as any finding, so they are anonymised the same way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from panel.audit.services import Actor
from panel.engagements.tables import Engagement
from panel.findings.services import FindingSent, record_finding, review_finding
from panel.findings.tables import Finding

# (statement, sentiment, priority, rights, stages, agencies)
DEMO_FINDINGS = (
    (
        "Updates stopped once the case was passed to the CPS, and nobody said why.",
        "negative",
        "high",
        ("right_6",),
        ("updates", "charging"),
        ("police", "cps"),
    ),
    (
        "The officer in the case rang every fortnight, as promised, even with nothing new to say.",
        "positive",
        "medium",
        ("right_6",),
        ("updates",),
        ("police",),
    ),
    (
        "People were not told they could make a Victim Personal Statement until after charge.",
        "negative",
        "high",
        ("right_7",),
        ("investigation", "charging"),
        ("police",),
    ),
    (
        "Witness Care explained the court date and what would happen on the day clearly.",
        "positive",
        "medium",
        ("right_8",),
        ("court",),
        ("witness_care",),
    ),
    (
        "Nobody explained how to complain when updates did not come.",
        "negative",
        "medium",
        ("right_12", "right_6"),
        ("updates",),
        ("police",),
    ),
    (
        "The referral to support came within two days of reporting.",
        "positive",
        "low",
        ("right_4",),
        ("reporting", "support"),
        ("police", "support_services"),
    ),
    (
        "An interpreter was not booked for the first statement.",
        "negative",
        "high",
        ("right_1",),
        ("reporting",),
        ("police",),
    ),
    (
        "Travel expenses for court were paid late and the form was hard to find.",
        "negative",
        "low",
        ("right_10",),
        ("court",),
        ("hmcts", "witness_service"),
    ),
)


async def load_demo_findings(actor: Actor, renewal: timedelta) -> int:
    """The demo findings, on the demo sessions that have been held, unless there are some."""
    if await Finding.count() > 0:
        return 0
    held = await Engagement.select(Engagement.id).where(
        Engagement.status.is_in(["held", "written_up", "closed"])
    )
    if not held:
        return 0
    now = datetime.now(UTC)
    added = 0
    for copy in range(3):  # each finding heard again at later sessions
        for number, (statement, sentiment, priority, rights, stages, agencies) in enumerate(
            DEMO_FINDINGS
        ):
            engagement_id = held[(copy + number) % len(held)]["id"]
            sent = FindingSent(statement, sentiment, priority, rights, stages, agencies, ())
            finding_id = await record_finding(engagement_id, sent, None, actor, renewal)
            recorded = now - timedelta(days=90 * (2 * copy + number % 3) + 7 * number)
            await Finding.update({Finding.recorded_at: recorded}).where(Finding.id == finding_id)
            if copy or number > 1:
                await review_finding(finding_id, True, "", actor)
            added += 1
    return added

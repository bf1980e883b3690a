"""Every page of the member's own area makes the same number of queries for a member with one
consent event as for one with 200 (issue: members, "Measure")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from panel.consent.rules import Purpose
from panel.consent.tables import ConsentEvent
from tests.integration.conftest import sign_in
from tests.integration.portal.test_portal import publish_new_wording
from tests.support.queries import counted_queries

PORTAL_PAGES = [
    "/my-panel",
    "/my-panel/consents",
    "/my-panel/consents/confirm",
    "/my-panel/consents/membership/withdraw",
    "/my-panel/details",
    "/my-panel/contact",
    "/my-panel/access-needs",
    "/my-panel/taking-part",
    "/my-panel/experience",
    "/my-panel/equality",
    "/my-panel/pause",
    "/my-panel/data",
    "/my-panel/data.json",
    "/my-panel/leave",
]


async def add_history(member_id: int, events: int) -> None:
    """``events`` more consent events, oldest first, ending with membership given."""
    start = datetime.now(UTC) - timedelta(days=365)
    purposes = list(Purpose)
    await ConsentEvent.insert(
        *(
            ConsentEvent(
                member=member_id,
                purpose=purposes[number % len(purposes)].value,
                given=number % 3 != 0,
                wording_version=1,
                notice_version=1,
                channel="web",
                at=start + timedelta(hours=number),
            )
            for number in range(events)
        )
    )
    await ConsentEvent.insert(
        ConsentEvent(
            member=member_id,
            purpose=Purpose.MEMBERSHIP.value,
            given=True,
            wording_version=1,
            notice_version=1,
            channel="web",
        )
    )


@pytest.mark.parametrize("path", PORTAL_PAGES)
async def test_each_portal_page_makes_as_many_queries_at_200_events_as_at_1(
    client, make_client, make_member, path
):
    short = await make_member(consents=(Purpose.MEMBERSHIP,))
    long = await make_member(consents=())
    await add_history(long["member_id"], 199)
    assert await ConsentEvent.count().where(ConsentEvent.member == short["member_id"]) == 1
    assert await ConsentEvent.count().where(ConsentEvent.member == long["member_id"]) == 200
    if path == "/my-panel/consents/confirm":
        await publish_new_wording(Purpose.MEMBERSHIP, "New wording, to be confirmed.")
    long_browser = make_client()
    await sign_in(client, short)
    await sign_in(long_browser, long)

    counts = []
    for browser in (client, long_browser):
        with counted_queries() as queries:
            response = await browser.http.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts.append(len(queries))
    assert counts[0] == counts[1], f"{path}: {counts[0]} queries at 1 event, {counts[1]} at 200"
    assert counts[0] <= 15


@pytest.mark.parametrize("events", [0, 2, 30])
async def test_membership_and_history_in_one_read_match_the_two_reads(make_member, events):
    """The portal home reads the membership and the consent history together
    (``membership_and_history``): the same as reading each, whatever the history's length,
    including none at all."""
    from panel.consent.services import history_of
    from panel.portal.services import membership_and_history, membership_of

    member = await make_member(consents=())
    if events:
        await add_history(member["member_id"], events - 1)
    together, history = await membership_and_history(member["id"])
    assert together == await membership_of(member["id"])
    assert history == await history_of(member["member_id"])
    assert len(history) == events

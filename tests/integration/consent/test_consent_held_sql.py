""" "Consent held now" has one SQL form (``consent.services.consent_held_where``), used by the
directory's filter and the representativeness counts. Random histories go through it and through
the Python rule (``consent.rules.current_consent``): the members each finds must be the same, so
the two cannot drift apart (issue: structure, point 3)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from panel.consent.rules import ConsentEvent as Event
from panel.consent.rules import ConsentState, Purpose, current_consent
from panel.consent.services import (
    LatestEvent,
    Versions,
    consent_held_where,
    project_latest_many,
)
from panel.consent.tables import ConsentEvent, LatestConsent
from panel.members.tables import Member

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
RENEWAL = timedelta(days=730)
PURPOSES = (Purpose.MEMBERSHIP, Purpose.EQUALITY_DATA)

events = st.tuples(
    st.sampled_from(PURPOSES),
    st.booleans(),  # given or withdrawn
    st.integers(min_value=0, max_value=800),  # days ago: either side of the renewal period
    st.sampled_from([0, 7 * 24]),  # hours ago within the day: two at one instant are common
    st.integers(min_value=1, max_value=3),  # the wording version it was given against
    st.integers(min_value=1, max_value=2),  # the notice version
)
histories = st.lists(st.lists(events, max_size=5), min_size=1, max_size=4)
in_force = st.tuples(
    st.dictionaries(st.sampled_from(PURPOSES), st.integers(min_value=0, max_value=3)),
    st.integers(min_value=0, max_value=2),
)


async def record(member_id: int, history: list[tuple]) -> list[Event]:
    """Each event as recording one writes it: the history row, then the latest-consent row."""
    recorded = []
    for purpose, given_, days, hours, wording, notice in history:
        at = NOW - timedelta(days=days, hours=hours)
        rows = await ConsentEvent.insert(
            ConsentEvent(
                member=member_id,
                purpose=purpose.value,
                given=given_,
                wording_version=wording,
                notice_version=notice,
                at=at,
            )
        ).returning(ConsentEvent.id)
        versions_then = Versions(
            wording={purpose: wording}, material_wording={}, notice=notice, material_notice=0
        )
        await project_latest_many([LatestEvent(member_id, purpose, given_, at)], versions_then)
        recorded.append(Event(purpose, given_, at, wording, notice, sequence=rows[0]["id"]))
    return recorded


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(histories=histories, force=in_force)
# The exact moment a consent lapses, and one given the moment before it.
@example(
    histories=[
        [(Purpose.MEMBERSHIP, True, 730, 0, 1, 1)],
        [(Purpose.MEMBERSHIP, True, 729, 0, 1, 1)],
    ],
    force=({}, 0),
)
async def test_the_sql_and_the_python_rule_find_the_same_members(histories, force):
    material_wording, material_notice = force
    versions = Versions(
        wording={}, material_wording=material_wording, notice=2, material_notice=material_notice
    )
    members: dict[int, list[Event]] = {}
    for history in histories:
        rows = await Member.insert(Member(pseudonym=secrets.token_hex(8), status="active"))
        members[rows[0]["id"]] = await record(rows[0]["id"], history)
    try:
        for purpose in PURPOSES:
            by_python = {
                member_id
                for member_id, recorded in members.items()
                if current_consent(
                    purpose, recorded, versions.current_wording(purpose), NOW, RENEWAL
                ).state
                is ConsentState.GIVEN
            }
            placeholders = ", ".join("{}" for _ in members)
            rows = await LatestConsent.raw(
                f"SELECT c.member FROM latest_consent c WHERE {{}} AND c.member IN ({placeholders})",  # noqa: S608
                consent_held_where(purpose, versions, NOW, RENEWAL),
                *members,
            )
            assert {row["member"] for row in rows} == by_python, (purpose, histories, force)
    finally:
        ids = list(members)
        await LatestConsent.delete().where(LatestConsent.member.is_in(ids))
        await ConsentEvent.delete().where(ConsentEvent.member.is_in(ids))
        await Member.delete().where(Member.id.is_in(ids))

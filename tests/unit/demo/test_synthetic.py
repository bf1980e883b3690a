"""The synthetic panel the demo and the benchmarks fill a database with keeps the same invariants as the app:
the latest-consent projection agrees with the history, each member's last invited and last
attended times agree with their rows, and contact limits hold. No database: the rows are checked
as generated."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest

from panel.consent.rules import Purpose
from panel.demo.synthetic import (
    MAX_ATTENDED_A_YEAR,
    MIN_DAYS_BETWEEN_INVITATIONS,
    TABLE_COLUMNS,
    Batch,
    Fixed,
    PanelGenerator,
    check_codes,
    column_names,
)
from panel.members.reference import load_reference_data
from panel.members.tables import Member

NOW = datetime(2026, 11, 26, tzinfo=UTC)
MEMBERS = 1500


def fixed() -> Fixed:
    reference = load_reference_data()
    return Fixed(
        now=NOW,
        password_hash="$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        email_domain="example.org",
        wording_versions={purpose.value: 1 for purpose in Purpose},
        notice_version=1,
        staff_ids=(1, 2),
        decline_reason_ids=(1,),
        district_codes=frozenset(choice.code for choice in reference.districts),
        crime_type_codes=frozenset(choice.code for choice in reference.crime_types),
    )


def generate(seed: int) -> Batch:
    batch = Batch(next_id={table: 1 for table in TABLE_COLUMNS})
    generator = PanelGenerator(seed, fixed())
    for number in range(1, MEMBERS + 1):
        generator.member(number, batch)
    return batch


@pytest.fixture(scope="module")
def panel() -> dict[str, list[dict[str, Any]]]:
    batch = generate(seed=3)
    return {
        table._meta.tablename: [
            dict(zip(column_names(columns), row, strict=True)) for row in batch.rows.get(table, [])
        ]
        for table, columns in TABLE_COLUMNS.items()
    }


def test_the_same_seed_gives_the_same_panel_and_another_seed_another() -> None:
    assert generate(seed=5).rows == generate(seed=5).rows
    assert generate(seed=5).rows[Member] != generate(seed=6).rows[Member]


def test_every_code_is_one_the_app_knows() -> None:
    check_codes(fixed())  # raises SystemExit otherwise


def test_statuses_are_mostly_active_and_erased_members_keep_nothing_personal(
    panel: dict[str, list[dict[str, Any]]],
) -> None:
    statuses = Counter(member["status"] for member in panel["member"])
    assert statuses["active"] > MEMBERS * 0.6
    assert {"paused", "applied", "verified", "left", "erased"} <= set(statuses)
    erased = [member for member in panel["member"] if member["status"] == "erased"]
    assert all(m["user"] is None and m["preferred_name"] == "" for m in erased)
    erased_ids = {member["id"] for member in erased}
    assert not erased_ids & {row["member"] for row in panel["contact_preference"]}
    emails = [user["email"] for user in panel["panel_user"]]
    assert len(set(emails)) == len(emails)


def test_latest_consent_is_the_last_event_of_each_member_and_purpose(
    panel: dict[str, list[dict[str, Any]]],
) -> None:
    last: dict[tuple[int, str], dict[str, Any]] = {}
    for event in panel["consent_event"]:
        key = (event["member"], event["purpose"])
        if key not in last or (event["at"], event["id"]) > (last[key]["at"], last[key]["id"]):
            last[key] = event
    latest = {(row["member"], row["purpose"]): row for row in panel["latest_consent"]}
    assert latest.keys() == last.keys()
    for key, row in latest.items():
        assert (row["given"], row["at"]) == (last[key]["given"], last[key]["at"])
        assert row["member_purpose"] == f"{key[0]}:{key[1]}"
    withdrawn = sum(1 for event in panel["consent_event"] if not event["given"])
    assert withdrawn > 0
    lapsed = [
        row
        for row in panel["latest_consent"]
        if row["given"] and row["at"] < NOW - timedelta(days=730)
    ]
    assert lapsed, "some consents are old enough to have lapsed"


def test_equality_answers_only_while_that_consent_stands(
    panel: dict[str, list[dict[str, Any]]],
) -> None:
    standing = {
        row["member"]
        for row in panel["latest_consent"]
        if row["purpose"] == "equality_data" and row["given"]
    }
    answered = {row["member"] for row in panel["equality_data"]}
    assert answered and answered <= standing


def test_last_invited_and_attended_agree_with_the_rows_and_the_limits_hold(
    panel: dict[str, list[dict[str, Any]]],
) -> None:
    invited: dict[int, list[datetime]] = {}
    for row in panel["invitation"]:
        invited.setdefault(row["member"], []).append(row["invited_at"])
    attended: dict[int, list[datetime]] = {}
    for row in panel["attendance"]:
        attended.setdefault(row["member"], []).append(row["attended_at"])
    for member in panel["member"]:
        assert member["last_invited_at"] == max(invited.get(member["id"], []), default=None)
        assert member["last_attended_at"] == max(attended.get(member["id"], []), default=None)
    for times in invited.values():
        gaps = [later - earlier for earlier, later in pairwise(times)]
        assert all(gap >= timedelta(days=MIN_DAYS_BETWEEN_INVITATIONS - 1) for gap in gaps)
    for times in attended.values():
        for at in times:
            in_year = [other for other in times if at - timedelta(days=365) < other <= at]
            assert len(in_year) <= MAX_ATTENDED_A_YEAR
    assert all(at <= NOW for times in attended.values() for at in times)

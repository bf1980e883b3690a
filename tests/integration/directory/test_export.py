"""Exporting the filtered list to CSV: only the fields the role may see, every page of the list,
nothing a spreadsheet would run as a formula, and every export audited (issue 4, point 1)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from panel.audit.tables import AuditEvent
from panel.consent.rules import Purpose
from panel.consent.services import wording_titles
from panel.members.tables import EqualityData, Member
from tests.support import html
from tests.support.queries import counted_queries

HEADINGS = [
    "Pseudonym",
    "Preferred name",
    "Email address",
    "Phone number",
    "District",
    "Status",
    "Joined",
    "Last invited",
    "Last took part",
    "Consents held",
]


def rows_of(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


async def export(client, query: str) -> list[list[str]]:
    response = await client.get(f"/staff/members.csv?{query}")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="members-')
    return rows_of(response.content)


async def test_the_export_holds_the_filtered_members_with_the_fields_staff_may_see(
    client, staff, add_member, tag
):
    member = await add_member(
        "Alex Doe",
        email=f"alex@{tag}.example.org",
        phone="01622 000000",
        district="dover",
        consents=[Purpose.SURVEYS, Purpose.MEMBERSHIP],
        involvement="victim",
        crime_types=["domestic_abuse"],
        needs=["bsl"],
        created_at=datetime(2026, 3, 2, 12, tzinfo=UTC),
        last_attended_at=datetime(2026, 6, 7, 12, tzinfo=UTC),
    )
    await EqualityData.insert(EqualityData(member=member, ethnicity="white_irish"))
    await add_member("Paused", status="paused")

    rows = await export(client, f"q={tag}&status=active")

    pseudonym = await Member.select(Member.pseudonym).where(Member.id == member).first()
    titles = await wording_titles()
    assert rows[0] == HEADINGS
    assert len(rows) == 2
    assert dict(zip(HEADINGS, rows[1], strict=True)) == {
        "Pseudonym": pseudonym["pseudonym"],
        "Preferred name": "Alex Doe",
        "Email address": f"alex@{tag}.example.org",
        "Phone number": "01622 000000",
        "District": "Dover",
        "Status": "Active",
        "Joined": "2 Mar 2026",
        "Last invited": "Never",
        "Last took part": "7 Jun 2026",
        "Consents held": f"{titles[Purpose.MEMBERSHIP]}; {titles[Purpose.SURVEYS]}",
    }
    text = ",".join(rows[1])
    for never in ("white_irish", "Irish", "domestic", "victim", "bsl"):
        assert never not in text


async def test_the_export_says_what_the_list_says_not_the_codes_behind_it(
    client, staff, add_member, tag
):
    """The words of the list: status labels, "Never" for no date, "Not given" for no district, a
    date in the panel's time zone (a minute before midnight UTC in summer is the next day here)."""
    await add_member(
        "Paused Person",
        status="paused",
        district="",
        created_at=datetime(2026, 7, 1, 23, 30, tzinfo=UTC),
        consents=[],
    )
    await add_member("Applicant", status="applied", district="folkestone_hythe", consents=[])

    rows = await export(client, f"q={tag}&sort=name")

    exported = {row[1]: dict(zip(HEADINGS, row, strict=True)) for row in rows[1:]}
    assert exported["Paused Person"]["Status"] == "Paused"
    assert exported["Paused Person"]["District"] == "Not given"
    assert exported["Paused Person"]["Joined"] == "2 Jul 2026"
    assert exported["Paused Person"]["Last took part"] == "Never"
    assert exported["Paused Person"]["Consents held"] == ""
    assert exported["Applicant"]["Status"] == "Applied: email not confirmed"
    assert exported["Applicant"]["District"] == "Folkestone and Hythe"


async def test_the_export_holds_every_page_of_the_list(client, staff, add_member, tag):
    for number in range(55):
        await add_member(f"Member {number:02d}")
    rows = await export(client, f"q={tag}&sort=-name")
    assert len(rows) == 56
    assert [row[1] for row in rows[1:4]] == ["Member 54", "Member 53", "Member 52"]


async def test_a_cell_that_would_run_as_a_formula_is_exported_as_text(
    client, staff, add_member, tag
):
    await add_member('=HYPERLINK("http://example.com","Click")', phone="+44 1622 000000")
    await add_member("@SUM(A1:A9)")
    await add_member("-1+2")
    rows = await export(client, f"q={tag}")
    names = sorted(row[1] for row in rows[1:])
    assert names == ["'-1+2", '\'=HYPERLINK("http://example.com","Click")', "'@SUM(A1:A9)"]
    assert "'+44 1622 000000" in [row[3] for row in rows[1:]]


async def test_every_export_is_audited_with_the_filter_but_not_the_words_searched_for(
    client, staff, add_member, tag
):
    await add_member("A", district="dover")
    await add_member("B", district="dover")
    await add_member("C", district="thanet")
    await export(client, f"q={tag}&district=dover&status=active")
    event = await (
        AuditEvent.select()
        .where(AuditEvent.action == "member_list_exported")
        .order_by(AuditEvent.id, ascending=False)
        .first()
    )
    assert event["actor_id"] == staff["id"]
    assert json.loads(event["detail"]) == {
        "filter": {"searched": True, "status": ["active"], "district": "dover"},
        "rows": 2,
    }
    assert tag not in event["detail"]


async def test_filters_that_make_no_sense_export_nothing(client, staff, add_member, tag):
    await add_member("A")
    before = await AuditEvent.count().where(AuditEvent.action == "member_list_exported")
    response = await client.get(f"/staff/members.csv?q={tag}&consent=everything", expected=400)
    assert response.headers["content-type"].startswith("text/html")
    assert html.error_summary(response) == {"consent": "Select a consent from the list"}
    assert await AuditEvent.count().where(AuditEvent.action == "member_list_exported") == before


async def test_the_export_makes_the_same_queries_for_10_or_200_rows(client, staff, add_member, tag):
    query = f"q={tag}&consent=membership&status=active"
    for number in range(10):
        await add_member(f"M{number}", consents=[Purpose.MEMBERSHIP, Purpose.SURVEYS])
    with counted_queries() as ten:
        assert len(await export(client, query)) == 11
    for number in range(190):
        await add_member(f"N{number}", consents=[Purpose.MEMBERSHIP, Purpose.SURVEYS])
    with counted_queries() as two_hundred:
        assert len(await export(client, query)) == 201
    assert len(ten) == len(two_hundred)

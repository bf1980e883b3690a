"""The queue of applications waiting for screening, and the count on the staff home
(issue: members, point 3)."""

from __future__ import annotations

from datetime import UTC, datetime

from panel.screening.services import applications_waiting
from panel.screening.tables import ScreeningDecision
from tests.support import html
from tests.support.queries import counted_queries


def names_in_order(page: str) -> list[str]:
    return [row["Name"] for row in html.table_rows(page)]


async def test_verified_applicants_are_listed_the_longest_waiting_first(
    client, staff, make_applicant
):
    before = await applications_waiting()  # rows other tests may have left are not ours to judge
    await make_applicant("Newest", verified_days_ago=1)
    await make_applicant("Oldest", verified_days_ago=9)
    await make_applicant("Middle", verified_days_ago=4)
    await make_applicant("Not confirmed yet", status="applied")
    await make_applicant("Already a member", status="active")
    await make_applicant("Declined", status="declined")

    page = (await client.get("/staff/applications")).text

    ours = [name for name in names_in_order(page) if name in {"Oldest", "Middle", "Newest"}]
    assert ours == ["Oldest", "Middle", "Newest"]
    for not_waiting in ("Not confirmed yet", "Already a member", "Declined"):
        assert not_waiting not in page
    districts = {row["Name"]: row["District"] for row in html.table_rows(page)}
    assert districts["Oldest"] == "Maidstone"  # the district's label, not its code
    assert html.text(page, "caption") == f"{before + 3} applications waiting"


async def test_an_applicant_asked_for_more_information_is_marked_waiting_since_then(
    client, staff, make_applicant
):
    asked = await make_applicant("Asked")
    fresh = await make_applicant("Fresh")
    await ScreeningDecision.insert(
        ScreeningDecision(
            member=asked["member_id"],
            decision="more_info",
            message="Which district?",
            decided_at=datetime(2026, 11, 20, 10, 30, tzinfo=UTC),
        )
    )
    page = (await client.get("/staff/applications")).text
    statuses = {row["Name"]: row["Status"] for row in html.table_rows(page)}
    assert statuses["Asked"] == "Waiting for more information since 20 November 2026"
    assert statuses["Fresh"] == "Ready to screen"
    links = html.links(page, "tbody a")
    assert (links["Asked"], links["Fresh"]) == (
        f"/staff/applications/{asked['member_id']}",
        f"/staff/applications/{fresh['member_id']}",
    )


async def test_the_queue_takes_the_same_number_of_queries_for_1_or_30_applicants(
    client, staff, make_applicant
):
    before = await applications_waiting()
    first = await make_applicant("First")
    await ScreeningDecision.insert(
        ScreeningDecision(member=first["member_id"], decision="more_info", message="?")
    )
    with counted_queries() as one:
        await client.get("/staff/applications")
    for number in range(29):
        applicant = await make_applicant(f"Applicant {number}")
        await ScreeningDecision.insert(
            ScreeningDecision(member=applicant["member_id"], decision="more_info", message="?")
        )
    with counted_queries() as thirty:
        page = (await client.get("/staff/applications")).text
    assert html.text(page, "caption") == f"{before + 30} applications waiting"
    assert len(thirty) == len(one)


async def test_the_staff_home_links_to_the_queue_with_the_number_waiting(
    client, staff, make_applicant
):
    before = await applications_waiting()
    await make_applicant("One")
    await make_applicant("Two")
    page = (await client.get("/staff")).text
    assert html.links(page, "main h2 a")["Applications waiting"] == "/staff/applications"
    assert f"{before + 2} applications are waiting for screening." in html.texts(page, "main p")

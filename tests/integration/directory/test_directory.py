"""The member directory: search, each filter alone and combined, sorting, paging, refusing filters
that make no sense, and a constant number of queries (issue 4, point 1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panel.accounts.rules import Role
from panel.consent.rules import Purpose
from panel.consent.services import record_consent
from panel.consent.tables import ConsentEvent, LatestConsent
from tests.integration.conftest import ACTOR
from tests.integration.directory.conftest import found_count, listed
from tests.integration.portal.test_portal import publish_new_wording
from tests.support import html
from tests.support.queries import counted_queries

NOW = datetime.now(UTC)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


async def find(client, tag: str, query: str = "", expected: int = 200) -> str:
    wanted = "&".join(part for part in (f"q={tag}" if tag else "", query) if part)
    response = await client.get(f"/staff/members?{wanted}", expected=expected)
    return response.text


async def test_search_finds_part_of_a_name_or_an_email_whatever_the_case(
    client, staff, add_member, tag
):
    rowena = await add_member(f"Rowena {tag}Quill")
    email = await add_member("Sam", email=f"SAM.MARSH.{tag}@example.org".lower())
    await add_member(f"Someone {tag}Else")

    page = await find(client, "", f"q={tag.upper()}QUI")
    assert listed(page) == [rowena]
    assert found_count(page) == 1

    page = await find(client, "", f"q=marsh.{tag.upper()}@EXAMPLE")
    assert listed(page) == [email]


async def test_search_takes_wildcards_literally(client, staff, add_member, tag):
    underscore = await add_member(f"Jo_{tag}")
    await add_member(f"Jox{tag}")
    page = await find(client, "", f"q=jo_{tag}")
    assert listed(page) == [underscore]
    assert found_count(await find(client, "", f"q=%25{tag}")) == 0


async def test_what_each_row_shows(client, staff, add_member, tag):
    member = await add_member(
        "Alex Doe",
        district="dover",
        created_at=datetime(2026, 3, 2, 12, tzinfo=UTC),
        last_invited_at=datetime(2026, 5, 6, 12, tzinfo=UTC),
    )
    page = await find(client, tag)
    [row] = html.table_rows(page)
    assert row.pop("Email").endswith(f"@{tag}.example.org")
    assert row == {
        "Name": "Alex Doe",
        "District": "Dover",
        "Status": "Active",
        "Joined": "2 Mar 2026",
        "Last invited": "6 May 2026",
        "Last took part": "Never",
    }
    assert html.one(page, "tbody td a")["href"] == f"/staff/members/{member}"
    assert html.one(page, "tbody .moj-badge")["class"] == ["moj-badge", "moj-badge--green"]
    assert found_count(page) == 1


async def test_never_shows_in_the_row_and_column_of_the_member_never_invited_or_there(
    client, staff, add_member, tag
):
    await add_member("Abe", last_attended_at=datetime(2026, 4, 1, 12, tzinfo=UTC))
    await add_member("Bea", last_invited_at=datetime(2026, 5, 6, 12, tzinfo=UTC))
    rows = html.table_rows(await find(client, tag))
    shown = {row["Name"]: (row["Last invited"], row["Last took part"]) for row in rows}
    assert shown == {"Abe": ("Never", "1 Apr 2026"), "Bea": ("6 May 2026", "Never")}


async def test_status_one_or_several(client, staff, add_member, tag):
    active = await add_member("A")
    verified = await add_member("B", status="verified")
    declined = await add_member("C", status="declined")
    await add_member("D", status="applied")
    assert listed(await find(client, tag, "status=active")) == [active]
    page = await find(client, tag, "status=verified&status=declined")
    assert listed(page) == [verified, declined]


async def test_paused_now_or_not(client, staff, add_member, tag):
    active = await add_member("A")
    until_later = await add_member("B", status="paused", paused_until=NOW + timedelta(days=9))
    ended = await add_member("C", status="paused", paused_until=days_ago(1))
    until_resumed = await add_member("D", status="paused")
    assert listed(await find(client, tag, "paused=yes")) == [until_later, until_resumed]
    assert listed(await find(client, tag, "paused=no")) == [active, ended]
    # A pause that has reached its end is over, as the member's own pages show it.
    assert listed(await find(client, tag, "status=active")) == [active, ended]
    assert listed(await find(client, tag, "status=paused")) == [until_later, until_resumed]


async def test_district(client, staff, add_member, tag):
    await add_member("A", district="maidstone")
    dover = await add_member("B", district="dover")
    assert listed(await find(client, tag, "district=dover")) == [dover]


async def test_what_it_was_about(client, staff, add_member, tag):
    burgled = await add_member("A", crime_types=["fraud_cyber", "burglary_home"])
    await add_member("B", crime_types=["theft"])
    await add_member("C")
    assert listed(await find(client, tag, "crime_type=burglary_home")) == [burgled]


async def test_how_they_were_involved_counts_both_as_either(client, staff, add_member, tag):
    victim = await add_member("A", involvement="victim")
    witness = await add_member("B", involvement="witness")
    both = await add_member("C", involvement="both")
    await add_member("D", involvement="prefer_not")
    assert listed(await find(client, tag, "involvement=victim")) == [victim, both]
    assert listed(await find(client, tag, "involvement=witness")) == [witness, both]
    assert listed(await find(client, tag, "involvement=both")) == [both]


async def test_a_consent_counts_only_while_it_is_held(client, staff, add_member, tag):
    """Given, not withdrawn since, not lapsed, and not given against wording changed since."""
    lapsed = await add_member("A lapsed", consents=[Purpose.SURVEYS])
    for table in (ConsentEvent, LatestConsent):
        await table.update({table.at: days_ago(3 * 365)}).where(table.member == lapsed)
    withdrawn = await add_member("B withdrawn", consents=[Purpose.SURVEYS])
    never = await add_member("C never", consents=[Purpose.MEMBERSHIP])
    await record_consent(withdrawn, Purpose.SURVEYS, False, ACTOR)
    await add_member("D old wording", consents=[Purpose.SURVEYS])
    await publish_new_wording(Purpose.SURVEYS, "New surveys wording")
    held = await add_member("E held", consents=[Purpose.SURVEYS])

    assert listed(await find(client, tag, "consent=surveys")) == [held]
    assert listed(await find(client, tag, "consent=membership")) == [never]


async def test_last_invited(client, staff, add_member, tag):
    never = await add_member("A")
    recent = await add_member("B", last_invited_at=days_ago(10))
    months = await add_member("C", last_invited_at=days_ago(60))
    long_ago = await add_member("D", last_invited_at=days_ago(400))
    assert listed(await find(client, tag, "invited=never")) == [never]
    assert listed(await find(client, tag, "invited=30")) == [never, months, long_ago]
    assert listed(await find(client, tag, "invited=90")) == [never, long_ago]
    assert listed(await find(client, tag, "invited=365")) == [never, long_ago]
    assert recent not in listed(await find(client, tag, "invited=30"))


async def test_last_took_part(client, staff, add_member, tag):
    never = await add_member("A")
    await add_member("B", last_attended_at=days_ago(100))
    long_ago = await add_member("C", last_attended_at=days_ago(400))
    assert listed(await find(client, tag, "took_part=never")) == [never]
    assert listed(await find(client, tag, "took_part=365")) == [never, long_ago]


async def test_access_needs(client, staff, add_member, tag):
    signer = await add_member("A", needs=["step_free", "bsl"])
    print_reader = await add_member("B", needs=["large_print"])
    await add_member("C", needs=[])
    await add_member("D")
    assert listed(await find(client, tag, "access_need=bsl")) == [signer]
    assert listed(await find(client, tag, "access_need=any")) == [signer, print_reader]


async def test_filters_combine(client, staff, add_member, tag):
    wanted = await add_member("A", district="dover", consents=[Purpose.FOCUS_GROUPS])
    await add_member("B", district="dover")
    await add_member("C", district="thanet", consents=[Purpose.FOCUS_GROUPS])
    await add_member("D", district="dover", consents=[Purpose.FOCUS_GROUPS], status="paused")
    page = await find(client, tag, "status=active&district=dover&consent=focus_groups")
    assert listed(page) == [wanted]
    assert found_count(page) == 1


async def test_erased_members_never_appear(client, staff, add_member, tag):
    kept = await add_member(f"Kept {tag}")
    await add_member(f"Gone {tag}", status="erased")
    assert listed(await find(client, tag)) == [kept]
    assert listed(await find(client, tag, "status=active&status=left")) == [kept]


async def test_sorting_by_name_joined_and_dates_with_never_first(client, staff, add_member, tag):
    b = await add_member("bea", created_at=days_ago(5), last_invited_at=days_ago(3))
    a = await add_member("Abe", created_at=days_ago(1))
    c = await add_member("Cat", created_at=days_ago(9), last_invited_at=days_ago(30))
    assert listed(await find(client, tag)) == [a, b, c]
    assert listed(await find(client, tag, "sort=-name")) == [c, b, a]
    assert listed(await find(client, tag, "sort=-joined")) == [a, b, c]
    assert listed(await find(client, tag, "sort=joined")) == [c, b, a]
    assert listed(await find(client, tag, "sort=last_invited")) == [a, c, b]
    assert listed(await find(client, tag, "sort=-last_invited")) == [b, c, a]
    assert listed(await find(client, tag, "sort=last_took_part")) == [b, a, c]  # all never: by id


def sort_headings(page: str) -> dict[str, tuple[str, str]]:
    """Each sortable column heading: its aria-sort, and the query its link asks for."""
    return {
        html.shown_text(heading): (
            heading["aria-sort"],
            html.one(heading, "a")["href"].removeprefix("/staff/members?"),
        )
        for heading in html.select(page, "thead th[aria-sort]")
    }


async def test_a_column_heading_sorts_by_it_and_a_second_click_turns_it_round(
    client, staff, add_member, tag
):
    await add_member("A")
    page = await find(client, tag, "district=maidstone")
    headings = sort_headings(page)
    assert headings["Name"] == ("ascending", f"q={tag}&district=maidstone&sort=-name")
    assert headings["Joined"] == ("none", f"q={tag}&district=maidstone&sort=joined")
    headings = sort_headings(await find(client, tag, "sort=joined"))
    assert headings["Joined"] == ("ascending", f"q={tag}&sort=-joined")
    assert headings["Name"] == ("none", f"q={tag}&sort=name")


async def test_fifty_to_a_page_with_links_between_pages(client, staff, add_member, tag):
    members = [await add_member(f"Member {number:02d}") for number in range(55)]
    first = await find(client, tag)
    assert listed(first) == members[:50]
    assert found_count(first) == 55
    assert html.one(first, 'a[rel="next"]')["href"] == f"/staff/members?q={tag}&page=2"
    assert html.select(first, 'a[rel="prev"]') == []
    second = await find(client, tag, "page=2")
    assert listed(second) == members[50:]
    assert html.one(second, 'a[rel="prev"]')["href"] == f"/staff/members?q={tag}&page=1"
    assert listed(await find(client, tag, "page=9")) == members[50:]  # the last page there is


async def test_a_filter_value_not_on_offer_is_explained_and_lists_no_one(
    client, staff, add_member, tag
):
    await add_member("A")
    page = await find(client, tag, "district=narnia&invited=7", expected=400)
    assert html.title(page).startswith("Error: Members")
    assert html.error_summary(page) == {
        "district": "Select a district from the list",
        "invited": "Select when they were last invited from the list",
    }
    assert listed(page) == []
    assert html.form_values(page, 'form[method="get"]')["q"] == tag  # what they typed is kept


async def test_the_page_makes_the_same_queries_for_10_or_200_members(
    client, staff, add_member, tag
):
    query = "status=active&district=dover&consent=membership&sort=-last_invited"
    for number in range(10):
        await add_member(f"M{number}", district="dover", consents=[Purpose.MEMBERSHIP])
    with counted_queries() as ten:
        page = await find(client, tag, query)
    assert found_count(page) == 10
    for number in range(190):
        await add_member(f"N{number}", district="dover", consents=[Purpose.MEMBERSHIP])
    with counted_queries() as two_hundred:
        page = await find(client, tag, query + "&page=3")
    assert found_count(page) == 200 and len(listed(page)) == 50
    assert len(ten) == len(two_hundred)


async def test_an_administrator_can_use_the_directory(client, signed_in, add_member, tag):
    member = await add_member("A")
    await signed_in(Role.ADMIN)
    assert listed(await find(client, tag)) == [member]


LENIENT = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NAMES = [
    "q",
    "status",
    "district",
    "crime_type",
    "involvement",
    "consent",
    "invited",
    "took_part",
    "paused",
    "access_need",
    "sort",
    "page",
]
VALUES = st.one_of(
    st.text(max_size=120),
    st.sampled_from(
        [
            "",
            "%",
            "_",
            "\\",
            "'",
            '"',
            "\x00",
            "-",
            "-name",
            "never",
            "any",
            "0",
            "99999999999999999999",
            "active",
            "dover",
            "é" * 40,
        ]
    ),
)


@LENIENT
@given(query=st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=8))
async def test_any_query_string_never_gives_a_server_error(client, staff, query):
    for path in ("/staff/members", "/staff/members.csv"):
        response = await client.http.get(path, params=query)
        assert response.status_code in {200, 400}, response.text[:300]


@pytest.mark.parametrize("path", ["/staff/members", "/staff/members?q=x&status=paused"])
async def test_the_staff_menu_leads_to_members(client, staff, path):
    page = (await client.get(path)).text
    assert html.one(page, 'nav [aria-current="page"]')["href"] == "/staff/members"
    home = (await client.get("/staff")).text
    assert html.links(home, "main h2 a")["Members"] == "/staff/members"

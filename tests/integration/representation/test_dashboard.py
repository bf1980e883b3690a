"""The representativeness dashboard: the panel's counts against the targets for staff, and the
same with small numbers hidden for the board (issue 4, point 5)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from panel import db
from panel.accounts.rules import Role
from panel.members.reference import load_reference_data
from panel.representation.services import (
    count_panel,
    counted_panel,
    refresh_summary,
    refresh_summary_if_due,
)
from tests.integration.representation.conftest import (
    chart_bars,
    not_stated,
    section,
    table_rows,
)
from tests.support import html
from tests.support.queries import counted_queries

WOMAN_25 = {"sex": "female", "age_band": "25_34", "ethnicity": "white_british", "disability": "no"}
MAN_45 = {"sex": "male", "age_band": "45_54", "ethnicity": "white_british", "disability": ""}
WOMAN_18 = {
    "sex": "female",
    "age_band": "18_24",
    "ethnicity": "black_african",
    "disability": "yes_a_lot",
}


@pytest.fixture
async def known_panel(add_members: Any) -> None:
    """39 active members; 35 of them hold the equality consent. Everyone else must not count."""
    await add_members(20, district="medway", crime_types=["domestic_abuse"], equality=WOMAN_25)
    await add_members(12, crime_types=["burglary_home", "theft"], equality=MAN_45)
    await add_members(3, district="thanet", crime_types=["prefer_not"], equality=WOMAN_18)
    # Active, but their equality answers are not to be used: never agreed, withdrew, lapsed.
    await add_members(2, crime_types=[], equality=MAN_45, consent=None)
    await add_members(1, district="dover", crime_types=None, equality=WOMAN_18, consent="withdrawn")
    await add_members(1, district="dover", crime_types=None, equality=WOMAN_18, consent="lapsed")
    # Not active: counted nowhere.
    await add_members(
        4, status="paused", district="medway", crime_types=["theft"], equality=WOMAN_18
    )
    await add_members(
        3, status="verified", district="thanet", crime_types=["theft"], equality=WOMAN_18
    )
    await add_members(2, status="left", district="dover", crime_types=["theft"], equality=WOMAN_18)


async def test_staff_see_count_share_target_gap_and_members_needed(client, signed_in, known_panel):
    await signed_in(Role.STAFF)
    page = (await client.get("/staff/representation")).text
    assert (
        "There are 39 active members. 35 of them have agreed to us using their equality answers"
        " (age, sex, ethnic group and disability), and only they are counted for those."
    ) in html.texts(page, "main p")

    # Group, members, share, target (Kent's defaults), gap, more members needed.
    district = table_rows(page, "district")
    assert district["Medway"] == ["20", "51.3%", "15.1%", "+36.2", "0"]
    assert district["Maidstone"] == ["14", "35.9%", "9.5%", "+26.4", "0"]
    assert district["Thanet"] == ["3", "7.7%", "7.6%", "+0.1", "0"]
    # 2 of 39 against 6.3%: 3 of 40 is 7.5%.
    assert district["Dover"] == ["2", "5.1%", "6.3%", "-1.2", "1"]
    # None of 39 against 7.2%: 4 of 43 is 9.3%, 3 of 42 only 7.1%.
    assert district["Ashford"] == ["0", "0.0%", "7.2%", "-7.2", "4"]
    assert district["Total"] == ["39", "100%", "", "", ""]

    crime = table_rows(page, "crime_type")
    assert crime["Domestic abuse"][:3] == ["20", "45.5%", "18%"]
    assert crime["Burglary of a home"][:2] == ["12", "27.3%"]
    assert crime["Theft"][:2] == ["12", "27.3%"]
    assert crime["All the types chosen"][0] == "44"
    assert not_stated(page, "crime_type").startswith(
        "7 members counted here preferred not to say or did not answer"
    )

    # Equality answers: only the 35 whose consent holds.
    sex = table_rows(page, "sex")
    assert sex["Female"] == ["23", "65.7%", "51.5%", "+14.2", "0"]
    # 12 of 35 against 48.5%: 22 of 45 is 48.9%, 21 of 44 only 47.7%.
    assert sex["Male"] == ["12", "34.3%", "48.5%", "-14.2", "10"]
    assert table_rows(page, "ethnicity")["Black, Black British, Caribbean or African: African"][
        :2
    ] == ["3", "8.6%"]
    disability = table_rows(page, "disability")
    assert disability["Total"][0] == "23"
    assert not_stated(page, "disability").startswith(
        "12 members counted here preferred not to say or did not answer"
    )

    # The chart draws the same shares: Medway's bar is the longest of the districts.
    bars = chart_bars(page, "district")
    assert bars["medway"] > bars["maidstone"] > bars["thanet"] > bars["dover"] > 0
    assert bars["ashford"] == 0


async def test_the_chart_is_an_accessible_image_with_the_table_beside_it(
    client, signed_in, known_panel
):
    await signed_in(Role.STAFF)
    page = (await client.get("/staff/representation")).text  # checked as valid HTML
    for dimension in ("crime_type", "district", "age_band", "sex", "ethnicity", "disability"):
        found = section(page, dimension)
        chart = html.one(found, "svg")
        assert chart["role"] == "img"
        title_id, desc_id = chart["aria-labelledby"].split()
        assert html.one(chart, f"#{title_id}").name == "title"
        assert html.one(chart, f"#{desc_id}").name == "desc"
        assert html.text(found, "table caption").endswith("the numbers")
    assert html.select(page, "main script") == []


async def test_the_board_never_sees_a_small_count_or_anything_that_gives_it_away(
    client, signed_in, known_panel
):
    await signed_in(Role.BOARD)
    page = (await client.get("/board/representation")).text
    assert "There are 39 active members" not in page
    assert "members counted here preferred not to say" not in page

    ethnicity = table_rows(page, "ethnicity")
    # 3 Black African members: hidden, and so is the White British count (35 - 32 would be 3).
    african = ethnicity["Black, Black British, Caribbean or African: African"]
    white = ethnicity["White: English, Welsh, Scottish, Northern Irish or British"]
    assert african == ["[c]", "[c]", "2.2%", "[c]", "[c]"]
    assert white == ["[c]", "[c]", "83%", "[c]", "[c]"]
    assert ethnicity["Total"][0] == "35"
    assert ethnicity["White: Irish"] == ["0", "0.0%", "0.6%", "-0.6", "1"]
    assert chart_bars(page, "ethnicity").keys().isdisjoint({"black_african", "white_british"})

    district = table_rows(page, "district")
    assert district["Thanet"][:2] == district["Dover"][:2] == ["[c]", "[c]"]
    assert district["Medway"] == ["20", "51.3%", "15.1%", "+36.2", "0"]
    age = table_rows(page, "age_band")
    assert age["18 to 24"][0] == age["45 to 54"][0] == "[c]" and age["25 to 34"][0] == "20"
    assert table_rows(page, "sex")["Male"][0] == "12"  # 12 is not small: shown

    # No count from 1 to 9 anywhere, nor the count that would give the 3 away, nor a share or
    # gap worked out from a hidden count (3 and 32 of 35, 3 and 2 of 39, 3 of 23).
    rows = [
        cells
        for dimension in ("crime_type", "district", "age_band", "sex", "ethnicity", "disability")
        for cells in table_rows(page, dimension).values()
    ]
    assert not {str(n) for n in range(1, 10)} & {cells[0] for cells in rows}
    assert "32" not in {cells[0] for cells in rows}
    worked_out = {"8.6%", "91.4%", "7.7%", "5.1%", "13.0%", "+6.4", "+8.4", "-1.2", "+0.1"}
    assert not worked_out & {cell for cells in rows for cell in cells}


async def test_the_threshold_is_a_setting(make_client, make_user, known_panel):
    from tests.integration.conftest import settings_for, sign_in

    client = make_client(settings=settings_for(PANEL_SMALL_COUNT_THRESHOLD="2"))
    await sign_in(client, await make_user(Role.BOARD))
    page = (await client.get("/board/representation")).text
    assert html.text(page, "main .govuk-inset-text").startswith("Numbers below 2 are hidden")
    assert table_rows(page, "district")["Thanet"][0] == "3"


@pytest.mark.parametrize(
    ("role", "path", "expected"),
    [
        (Role.STAFF, "/staff/representation", 200),
        (Role.ADMIN, "/staff/representation", 200),
        (Role.BOARD, "/staff/representation", 403),
        (Role.FACILITATOR, "/staff/representation", 403),
        (Role.MEMBER, "/staff/representation", 403),
        (Role.BOARD, "/board/representation", 200),
        (Role.STAFF, "/board/representation", 200),
        (Role.ADMIN, "/board/representation", 200),
        (Role.FACILITATOR, "/board/representation", 403),
        (Role.MEMBER, "/board/representation", 403),
    ],
)
async def test_who_can_see_the_dashboards(client, signed_in, role, path, expected):
    await signed_in(role)
    await client.get(path, expected=expected)


async def test_the_home_pages_link_to_the_dashboards(client, make_client, make_user):
    from tests.integration.conftest import sign_in

    await sign_in(client, await make_user(Role.STAFF))
    assert 'href="/staff/representation"' in (await client.get("/staff")).text
    board = make_client()
    await sign_in(board, await make_user(Role.BOARD))
    assert 'href="/board/representation"' in (await board.get("/board")).text


@pytest.mark.parametrize("path", ["/staff/representation", "/board/representation"])
async def test_the_dashboard_makes_the_same_queries_for_10_members_as_for_200(
    client, signed_in, add_members, path, settings
):
    await signed_in(Role.STAFF)
    await add_members(10, crime_types=["theft"], equality=WOMAN_25)
    await client.get(path)  # warm: the first request reads what every later one does
    with counted_queries() as few:
        await client.get(path)
    await add_members(95, district="medway", crime_types=["violence", "theft"], equality=MAN_45)
    await add_members(95, district="swale", crime_types=["fraud_cyber"], equality=WOMAN_18)
    await refresh_summary(load_reference_data(settings.reference_data), settings.consent_renewal)
    with counted_queries() as many:
        page = (await client.get(path)).text
    assert table_rows(page, "district")["Total"][0] == "200"
    assert len(many) == len(few)


async def test_outside_a_transaction_the_counts_run_side_by_side_with_the_same_answer(settings):
    reference = load_reference_data(settings.reference_data)
    one_after_another = await count_panel(reference, settings.consent_renewal)
    engine = db.engine()
    hidden = engine.current_transaction.set(None)  # as a request outside any transaction
    try:
        side_by_side = await count_panel(reference, settings.consent_renewal)
    finally:
        engine.current_transaction.reset(hidden)
    assert side_by_side == one_after_another


# ---------------------------------------------------------------------------------------------
# The summary: counted by the worker every few minutes, or when staff ask (issue 11, point 2)


def counted_at(page: str) -> str:
    return html.text(page, ".panel-counted-at")


async def test_a_view_reads_the_kept_counts_and_says_when_they_were_made(
    client, signed_in, add_members
):
    await signed_in(Role.STAFF)
    await add_members(12, district="dover")
    first = (await client.get("/staff/representation")).text  # no summary yet: counted now
    assert table_rows(first, "district")["Dover"][0] == "12"
    assert re.fullmatch(
        r"Counted at \d{1,2} \w+ \d{4}, \d\d:\d\d \(UK time\)\. The numbers are counted again "
        r"every 5 minutes, so a change made since then may not show yet\.",
        counted_at(first),
    )
    await add_members(3, district="dover")
    later = (await client.get("/staff/representation")).text
    assert table_rows(later, "district")["Dover"][0] == "12"  # not counted again on each view

    response = await client.post(
        "/staff/representation/count", {}, csrf_from="/staff/representation"
    )
    assert response.headers["location"] == "/staff/representation"
    now = (await client.get("/staff/representation")).text
    assert table_rows(now, "district")["Dover"][0] == "15"


async def test_the_board_reads_the_same_counts_and_cannot_ask_for_a_count(
    client, signed_in, add_members, make_client, make_user
):
    from tests.integration.conftest import sign_in

    await signed_in(Role.STAFF)
    await add_members(12, district="dover")
    await client.get("/staff/representation")
    await add_members(3, district="dover")
    board = make_client()
    await sign_in(board, await make_user(Role.BOARD))
    page = (await board.get("/board/representation")).text
    assert table_rows(page, "district")["Dover"][0] == "12"
    assert html.select(page, "form[action='/staff/representation/count']") == []
    await board.post("/staff/representation/count", {}, expected=403, csrf_from="/board")
    assert (
        table_rows((await board.get("/board/representation")).text, "district")["Dover"][0] == "12"
    )


async def test_the_worker_counts_again_once_the_summary_is_five_minutes_old(add_members, settings):
    reference = load_reference_data(settings.reference_data)
    start = datetime.now(UTC)
    await add_members(12, district="dover")
    assert await refresh_summary_if_due(reference, settings.consent_renewal, start) is True
    await add_members(3, district="dover")
    assert (
        await refresh_summary_if_due(
            reference, settings.consent_renewal, start + timedelta(minutes=4)
        )
        is False
    )
    kept = await counted_panel(reference, settings.consent_renewal, start + timedelta(minutes=4))
    assert kept.counts.counts["district"]["dover"] == 12 and kept.counted_at == start
    assert (
        await refresh_summary_if_due(
            reference, settings.consent_renewal, start + timedelta(minutes=5)
        )
        is True
    )
    kept = await counted_panel(reference, settings.consent_renewal, start + timedelta(minutes=6))
    assert kept.counts.counts["district"]["dover"] == 15


async def test_a_view_counts_itself_when_no_worker_has_for_a_quarter_of_an_hour(
    add_members, settings
):
    reference = load_reference_data(settings.reference_data)
    start = datetime.now(UTC)
    await add_members(12, district="dover")
    await refresh_summary(reference, settings.consent_renewal, start)
    await add_members(3, district="dover")
    kept = await counted_panel(reference, settings.consent_renewal, start + timedelta(minutes=14))
    assert kept.counts.counts["district"]["dover"] == 12
    late = start + timedelta(minutes=15)
    counted = await counted_panel(reference, settings.consent_renewal, late)
    assert counted.counts.counts["district"]["dover"] == 15 and counted.counted_at == late

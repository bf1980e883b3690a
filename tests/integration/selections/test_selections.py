"""Staff choose who to invite from an engagement's pool with quotas; the selection is stored with
everyone's chance and can be run again (issue: engagements, point 3)."""

from __future__ import annotations

import json

from panel.accounts.rules import Role
from panel.audit.tables import AuditEvent
from panel.consent.rules import Purpose
from panel.members.tables import Member
from panel.selections.services import verify_selection
from panel.selections.tables import Selection, SelectionEntry
from tests.support import html

FOCUS = (Purpose.MEMBERSHIP, Purpose.FOCUS_GROUPS)


async def a_pool(make_member, districts: dict[str, int]) -> dict[str, list[int]]:
    """Members who can be invited, so many in each district; their ids by district."""
    found: dict[str, list[int]] = {}
    for district, count in districts.items():
        for _ in range(count):
            member = await make_member(consents=FOCUS, preferred_name=f"Sam {district}")
            await Member.update({Member.district: district}).where(Member.id == member["member_id"])
            found.setdefault(district, []).append(member["member_id"])
    return found


async def test_staff_choose_with_a_quota_and_the_selection_is_kept_to_be_run_again(
    client, signed_in, make_member, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement("recruiting", capacity=4, reserves=2)
    pool = await a_pool(make_member, {"maidstone": 6, "swale": 3})
    path = f"/staff/engagements/{engagement_id}/select"
    form = html.form_values((await client.get(path)).text, "main form")
    assert (form["panel_size"], form["reserves"]) == ("4", "2")

    response = await client.post(
        path, {"panel_size": "4", "reserves": "2", "min-district-swale": "2", "seed": "11"}
    )
    page = await client.get(response.headers["location"])
    facts = html.summary_list(page.text, "#facts")
    assert facts["Chosen"] == "4 from a pool of 9"
    assert facts["Quotas"] == "District: Swale, 2 to 4"
    [quota] = html.table_rows(page.text, "#make-up")
    assert quota["Quota"] == "District: Swale" and quota["Wanted"] == "2 to 4"
    assert int(quota["Chosen"]) >= 2
    assert facts["Seed"] == "11"
    chosen = html.table_rows(page.text, "#panel")
    assert len(chosen) == 4
    assert sum(row["District"] == "Swale" for row in chosen) >= 2
    assert {row["Member"] for row in chosen} <= {"Sam maidstone", "Sam swale"}
    # One member's equality answers are never shown on a staff page.
    assert set(chosen[0]) == {"Member", "District", "How they were involved", "Chance", ""}
    assert html.texts(page.text, "#panel thead th .govuk-visually-hidden") == ["Action"]
    assert len(html.table_rows(page.text, "#reserves")) == 2

    [selection] = await Selection.select()
    entries = await SelectionEntry.select().where(SelectionEntry.selection == selection["id"])
    assert sorted(entry["member"] for entry in entries) == sorted(pool["maidstone"] + pool["swale"])
    chances = {entry["member"]: entry["probability"] for entry in entries}
    assert abs(sum(chances.values()) - 4) < 1e-6
    # Swale's 3 share at least 2 places; Maidstone's 6 share the rest as evenly as possible.
    assert all(chances[member] >= 2 / 3 - 1e-6 for member in pool["swale"])
    assert json.loads(entries[0]["features"]).keys() >= {"District", "Age"}
    assert await verify_selection(selection["id"]) == []
    [event] = await AuditEvent.select().where(AuditEvent.action == "selection_made")
    assert json.loads(event["detail"]) == {"selection_id": selection["id"], "pool": 9, "panel": 4}

    # The stored seed, changed, no longer draws what was stored.
    await Selection.update({Selection.seed: "12"}).where(Selection.id == selection["id"])
    assert any("seed draws" in line for line in await verify_selection(selection["id"]))


async def test_quotas_that_cannot_all_hold_are_explained_and_nothing_is_stored(
    client, signed_in, make_member, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement("recruiting", capacity=4)
    await a_pool(make_member, {"maidstone": 5, "swale": 2})
    path = f"/staff/engagements/{engagement_id}/select"
    page = await client.post(
        path, {"panel_size": "4", "min-district-swale": "3", "reserves": "0"}, expected=400
    )
    assert html.error_summary(page.text) == {
        "quotas": "No panel can meet all these quotas: see why below"
    }
    reasons = html.texts(page.text, "#conflict li")
    assert "'District Swale: at least 3'" in reasons
    assert any("2 people in the pool have District Swale" in line for line in reasons)
    assert html.form_values(page.text, "main form")["min-district-swale"] == "3"
    assert await Selection.count() == 0


async def test_a_quota_form_with_mistakes_comes_back_as_typed(client, signed_in, make_engagement):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement()
    path = f"/staff/engagements/{engagement_id}/select"
    page = await client.post(
        path,
        {"panel_size": "0", "min-district-swale": "3", "max-district-swale": "1", "seed": "x"},
        expected=400,
    )
    assert html.error_summary(page.text) == {
        "panel_size": "Enter how many to choose, a whole number from 1 to 200",
        "seed": "Enter the seed as a whole number, as the earlier selection shows it",
        "max-district-swale": "The most for District Swale cannot be fewer than the least (3)",
    }
    assert html.form_values(page.text, "main form")["max-district-swale"] == "1"


async def test_a_panel_larger_than_the_pool_is_refused_plainly(
    client, signed_in, make_member, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement()
    await a_pool(make_member, {"maidstone": 2})
    page = await client.post(
        f"/staff/engagements/{engagement_id}/select",
        {"panel_size": "5", "reserves": "0"},
        expected=400,
    )
    assert html.error_summary(page.text) == {
        "panel_size": (
            "The selection cannot be made: the panel has 5 places but the pool has only 2 people"
        )
    }


async def test_quotas_can_start_from_the_representativeness_targets(
    client, signed_in, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement(capacity=10)
    page = await client.get(f"/staff/engagements/{engagement_id}/select?start=targets")
    form = html.form_values(page.text, "main form")
    district_boxes = {
        name: value for name, value in form.items() if name.startswith("min-district-")
    }
    assert district_boxes and all(value.isdigit() for value in district_boxes.values())
    assert sum(int(value) for value in district_boxes.values()) <= 10
    maxima = [int(value) for name, value in form.items() if name.startswith("max-district-")]
    assert sum(maxima) >= 10


async def test_a_selection_of_another_engagement_is_not_found(
    client, signed_in, make_member, make_engagement
):
    await signed_in(Role.STAFF)
    first = await make_engagement()
    second = await make_engagement()
    await a_pool(make_member, {"maidstone": 3})
    response = await client.post(
        f"/staff/engagements/{first}/select", {"panel_size": "2", "reserves": "0"}
    )
    selection_id = response.headers["location"].rsplit("/", 1)[1]
    await client.get(f"/staff/engagements/{second}/selections/{selection_id}", expected=404)
    await client.get(f"/staff/engagements/{first}/selections/{selection_id}")


async def test_facilitators_cannot_choose(client, signed_in, make_engagement):
    engagement_id = await make_engagement()
    await signed_in(Role.FACILITATOR)
    await client.get(f"/staff/engagements/{engagement_id}/select", expected=403)


async def test_staff_swap_a_chosen_member_for_a_reserve_with_a_reason(
    client, signed_in, make_member, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement("recruiting", capacity=3, reserves=2)
    await a_pool(make_member, {"maidstone": 7})
    response = await client.post(
        f"/staff/engagements/{engagement_id}/select",
        {"panel_size": "3", "reserves": "2", "seed": "3"},
    )
    detail = response.headers["location"]
    [selection] = await Selection.select()
    entries = await SelectionEntry.select().where(SelectionEntry.selection == selection["id"])
    drawn = sorted(entry["member"] for entry in entries if entry["outcome"] == "panel")
    first_reserve = next(entry["member"] for entry in entries if entry["reserve_rank"] == 1)
    leaving = drawn[0]
    swap = f"{detail}/swap/{leaving}"

    refused = await client.post(swap, {"added": str(drawn[1]), "reason": ""}, expected=400)
    assert html.error_summary(refused.text) == {
        "added": "Choose the reserve who takes their place",
        "reason": "Say why they are taken off the panel",
    }
    await client.post(swap, {"added": str(first_reserve), "reason": "Cannot come that day"})

    page = await client.get(f"{detail}?done=swapped")
    assert html.notification(page.text) == "The reserve has taken their place on the panel."
    on_panel = {
        href.rsplit("/", 1)[1]
        for href in html.hrefs(page.text, "#panel td a[href*='/staff/members/']")
    }
    assert on_panel == {str(member) for member in [*drawn[1:], first_reserve]}
    assert len(html.table_rows(page.text, "#reserves")) == 1
    [row] = html.table_rows(page.text, "#swaps")
    assert row["Why"] == "Cannot come that day"
    # The selection as drawn is untouched, so it can still be run again.
    assert await verify_selection(selection["id"]) == []
    [event] = await AuditEvent.select().where(AuditEvent.action == "selection_swapped")
    assert json.loads(event["detail"]) == {
        "selection_id": selection["id"],
        "removed": leaving,
        "added": first_reserve,
    }
    # Someone no longer on the panel cannot be taken off it again.
    await client.get(swap, expected=404)


async def test_participants_are_not_chosen_once_an_engagement_is_confirmed(
    client, signed_in, make_member, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement("confirmed")
    await a_pool(make_member, {"maidstone": 3})
    path = f"/staff/engagements/{engagement_id}/select"
    page = await client.get(path)
    assert html.text(page.text, "#closed") == (
        "Participants are chosen while an engagement is a draft or recruiting; "
        "this one is confirmed."
    )
    assert html.select(page.text, "main form") == []
    await client.post(
        path, {"panel_size": "2", "reserves": "0"}, expected=409, csrf_from="/staff/engagements"
    )
    assert await Selection.count() == 0

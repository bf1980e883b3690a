"""One change never silently changes another: a consent decision keeps "how I would like to take
part" in step and says so; changing a detail changes a channel's safety only when its number or
address is removed, and the page says what followed; a way to contact them with no number or
address is not asked about; their data reads as their pages do."""

from __future__ import annotations

import json

import pytest

from panel.consent.rules import Purpose
from panel.members.tables import ContactPreference, Member
from tests.integration.conftest import sign_in
from tests.integration.portal.test_portal import publish_new_wording
from tests.support import html

PHONE = "07700 900982"
ADDRESS = "1 High Street"
DETAILS = {
    "preferred_name": "Robin",
    "phone": PHONE,
    "postal_address": ADDRESS,
    "district": "dover",
}


async def ways_of(member: dict) -> list[str]:
    row = (
        await Member.select(Member.ways_to_take_part)
        .where(Member.id == member["member_id"])
        .first()
    )
    return json.loads(row["ways_to_take_part"])


async def safety_of(member: dict) -> dict[str, tuple[bool, bool]]:
    """Each channel: whether it is safe, and whether voicemail is allowed."""
    rows = await ContactPreference.select().where(ContactPreference.member == member["member_id"])
    return {row["channel"]: (row["safe"], row["voicemail_allowed"]) for row in rows}


async def decide(client, purpose: str, decision: str):
    response = await client.post(
        f"/my-panel/consents/{purpose}", {"decision": decision}, csrf_from="/my-panel/consents"
    )
    return response.headers["location"]


# ---------------------------------------------------------------------------------------------
# A consent decision and "how I would like to take part"


@pytest.fixture
async def taking_part(client, make_member):
    member = await make_member(consents=(Purpose.MEMBERSHIP, Purpose.SURVEYS, Purpose.FOCUS_GROUPS))
    await Member.update({Member.ways_to_take_part: '["focus_groups", "surveys"]'}).where(
        Member.id == member["member_id"]
    )
    await sign_in(client, member)
    return member


async def test_withdrawing_surveys_takes_them_off_how_i_would_like_to_take_part(
    client, taking_part
):
    location = await decide(client, "surveys", "withdraw")
    assert location == "/my-panel/consents?done=withdrawn&purpose=surveys&ways=changed"
    assert await ways_of(taking_part) == ["focus_groups"]
    page = await client.get(location)
    banner = html.one(page, ".govuk-notification-banner")
    assert "We have also taken it off how you would like to take part." in html.text(banner)
    assert html.links(banner) == {"how you would like to take part": "/my-panel/taking-part"}
    shown = html.form_values(await client.get("/my-panel/taking-part"), "main form")
    assert shown["ways"] == "focus_groups"


async def test_agreeing_again_puts_them_back_and_says_so(client, taking_part):
    await decide(client, "surveys", "withdraw")
    location = await decide(client, "surveys", "give")
    assert location.endswith("&ways=changed")
    assert await ways_of(taking_part) == ["focus_groups", "surveys"]
    banner = html.notification(await client.get(location))
    assert "We have also added it to how you would like to take part." in banner


async def test_a_decision_that_leaves_the_list_as_it_was_says_nothing_about_it(client, taking_part):
    location = await decide(client, "anonymous_quotes", "give")
    assert "ways" not in location
    assert await ways_of(taking_part) == ["focus_groups", "surveys"]
    assert "how you would like to take part" not in html.notification(await client.get(location))
    await Member.update({Member.ways_to_take_part: '["surveys"]'}).where(
        Member.id == taking_part["member_id"]
    )
    assert "ways" not in await decide(client, "focus_groups", "withdraw")
    assert await ways_of(taking_part) == ["surveys"]


async def test_withdrawing_membership_keeps_how_i_would_like_to_take_part(client, taking_part):
    await client.post("/my-panel/consents/membership/withdraw", {})
    assert await ways_of(taking_part) == ["focus_groups", "surveys"]


async def test_saying_no_to_changed_wording_matches_the_list_too(client, taking_part):
    await publish_new_wording(Purpose.SURVEYS, "Surveys, in new words.")
    response = await client.post("/my-panel/consents/confirm", {"confirm_surveys": "withdraw"})
    assert response.headers["location"] == "/my-panel?done=confirmed&ways=changed"
    assert await ways_of(taking_part) == ["focus_groups"]
    banner = html.notification(await client.get(response.headers["location"]))
    assert "We have also changed how you would like to take part to match." in banner


# ---------------------------------------------------------------------------------------------
# Changing a detail


@pytest.fixture
async def reachable(client, make_member):
    """Phone, texts (with voicemail) and post all safe, with a number and an address."""
    member = await make_member()
    await Member.update({Member.phone: PHONE, Member.postal_address: ADDRESS}).where(
        Member.id == member["member_id"]
    )
    await ContactPreference.insert(
        ContactPreference(
            member=member["member_id"], channel="phone_call", safe=True, voicemail_allowed=True
        ),
        ContactPreference(member=member["member_id"], channel="text_message", safe=True),
        ContactPreference(member=member["member_id"], channel="post", safe=True),
    )
    await sign_in(client, member)
    return member


async def save_details(client, **changes: str) -> str:
    response = await client.post("/my-panel/details", {**DETAILS, **changes})
    return response.headers["location"]


async def test_changing_only_my_name_changes_nothing_else(client, reachable):
    before = await safety_of(reachable)
    location = await save_details(client, preferred_name="Robyn")
    assert location == "/my-panel?done=saved"
    assert await safety_of(reachable) == before
    assert before["phone_call"] == (True, True)
    banner = html.notification(await client.get(location))
    assert banner == "We have saved your changes."


async def test_changing_my_name_without_a_phone_number_changes_nothing_else(client, make_member):
    member = await make_member()
    await ContactPreference.insert(
        ContactPreference(member=member["member_id"], channel="phone_call", safe=False)
    )
    await sign_in(client, member)
    before = await safety_of(member)
    assert await save_details(client, phone="", postal_address="") == "/my-panel?done=saved"
    assert await safety_of(member) == before


async def test_removing_my_phone_number_stops_calls_and_texts_and_says_so(client, reachable):
    location = await save_details(client, phone="")
    assert location == "/my-panel?done=saved&stopped=phone_call%2Ctext_message"
    safety = await safety_of(reachable)
    assert safety["phone_call"] == (False, False) and safety["text_message"][0] is False
    assert safety["post"][0] and safety["email"][0]
    banner = html.texts(html.one(await client.get(location), ".govuk-notification-banner"), "p")
    assert banner == [
        "We have saved your changes.",
        "You removed your phone number, so we will no longer phone you or send you text messages.",
    ]


async def test_removing_a_number_only_mentions_what_was_safe(client, reachable):
    await ContactPreference.update({ContactPreference.safe: False}).where(
        ContactPreference.member == reachable["member_id"],
        ContactPreference.channel == "phone_call",
    )
    location = await save_details(client, phone="")
    assert location == "/my-panel?done=saved&stopped=text_message"
    banner = html.notification(await client.get(location))
    assert "so we will no longer send you text messages." in banner
    assert "phone you" not in banner


async def test_removing_my_address_stops_letters_and_says_so(client, reachable):
    location = await save_details(client, postal_address="")
    assert location == "/my-panel?done=saved&stopped=post"
    assert (await safety_of(reachable))["post"][0] is False
    assert (await safety_of(reachable))["phone_call"] == (True, True)
    banner = html.notification(await client.get(location))
    assert "You removed your postal address, so we will no longer send you letters." in banner


async def test_adding_a_phone_number_says_it_is_not_used_until_i_say_it_is_safe(
    client, make_member
):
    member = await make_member()
    await sign_in(client, member)
    location = await save_details(client, postal_address="")
    assert location == "/my-panel?done=saved&usable=phone_call%2Ctext_message"
    assert await safety_of(member) == {"email": (True, False)}
    banner = html.one(await client.get(location), ".govuk-notification-banner")
    assert html.texts(banner, "p")[1] == (
        "You added a phone number. We will not phone you or send you text messages until you "
        "tell us it is safe: change how it is safe to contact you."
    )
    assert html.links(banner) == {"how it is safe to contact you": "/my-panel/contact"}


async def test_a_new_number_keeps_my_answers_and_says_where_they_now_apply(client, reachable):
    location = await save_details(client, phone="01632 960001")
    assert location == "/my-panel?done=saved&moved=phone_call%2Ctext_message"
    assert (await safety_of(reachable))["phone_call"] == (True, True)
    banner = html.notification(await client.get(location))
    assert (
        "You changed your phone number. We will phone you and send you text messages on the new "
        "number, at the times you told us are safe. If that is not safe, change how it is safe "
        "to contact you." in banner
    )


async def test_an_unknown_change_in_the_address_is_ignored(client, reachable):
    banner = html.notification(await client.get("/my-panel?done=saved&stopped=carrier_pigeon"))
    assert banner == "We have saved your changes."


# ---------------------------------------------------------------------------------------------
# How it is safe to contact me


async def test_without_a_number_or_address_the_contact_page_asks_only_about_email(
    client, make_member
):
    await sign_in(client, await make_member())
    page = await client.get("/my-panel/contact")
    shown = html.form_values(page, "main form")
    for field in ("phone_call_safe", "text_message_safe", "phone_call_voicemail", "post_safe"):
        assert not html.select(page, f"main form [name={field}]"), field
    assert shown["email_safe"] == "any"
    instead = html.one(page, "main form .govuk-inset-text")
    assert html.texts(instead, "p") == [
        "We will not phone you or send you text messages, because we do not have a phone number "
        "for you. If you would like us to, add a phone number.",
        "We will not send you letters, because we do not have a postal address for you. If you "
        "would like us to, add a postal address.",
    ]
    assert html.links(instead) == {
        "add a phone number": "/my-panel/details",
        "add a postal address": "/my-panel/details",
    }


async def test_with_a_number_and_address_every_way_is_asked_and_letters_have_no_times(
    client, reachable
):
    page = await client.get("/my-panel/contact")
    assert not html.select(page, "main form .govuk-inset-text")
    post = [radio["value"] for radio in html.select(page, "input[name=post_safe]")]
    assert post == ["any", "no"]
    phone = [radio["value"] for radio in html.select(page, "input[name=phone_call_safe]")]
    assert phone == ["any", "some", "no"]
    assert html.select(page, ".panel-voicemail input[name=phone_call_voicemail]")
    shown = html.form_values(page, "main form")
    assert (shown["phone_call_safe"], shown["phone_call_voicemail"], shown["post_safe"]) == (
        "any",
        "yes",
        "any",
    )


async def test_letters_cannot_be_safe_only_at_some_times(client, reachable):
    response = await client.post(
        "/my-panel/contact",
        {
            "email_safe": "any",
            "phone_call_safe": "no",
            "text_message_safe": "no",
            "post_safe": "some",
        },
        expected=400,
    )
    assert html.error_summary(response) == {
        "post_safe": "Select whether it is safe to contact you by post"
    }


# ---------------------------------------------------------------------------------------------
# My data reads as my pages do


async def test_my_data_shows_times_and_voicemail_only_for_a_way_that_is_safe(client, reachable):
    await ContactPreference.update(
        {ContactPreference.safe_times: '[{"days": [0], "start": "09:00", "end": "17:00"}]'}
    ).where(ContactPreference.member == reachable["member_id"])
    await save_details(client, phone="")  # calls and texts stop
    data = (await client.get("/my-panel/data.json")).json()
    channels = {row["channel"]["code"]: row for row in data["contact_preferences"]}
    assert channels["phone_call"]["safe"] is False
    assert channels["phone_call"]["safe_times"] == []
    assert channels["phone_call"]["when_safe"] == "not used: we have no phone number for you"
    assert channels["phone_call"]["voicemail_allowed"] is False
    assert channels["post"]["when_safe"] == "Monday, 09:00 to 17:00"
    page = html.summary_list(
        html.section(await client.get("/my-panel/data"), "How it is safe to contact you")
    )
    assert page["Phone call"] == "Not used: we have no phone number for you"
    assert page["Voicemail allowed"] == "No"
    assert page["Post"] == "Safe: Monday, 09:00 to 17:00 (UK time)"
    assert data["member"]["phone"] == ""


async def test_a_way_marked_safe_with_no_number_is_kept_but_shown_as_not_used(client, make_member):
    """An older record (the demo's members had one) can say calls are safe with no number: a
    change of name leaves it as it is, and the pages say calls are not used."""
    member = await make_member()
    await ContactPreference.insert(
        ContactPreference(member=member["member_id"], channel="phone_call", safe=True)
    )
    await sign_in(client, member)
    assert await save_details(client, phone="", postal_address="") == "/my-panel?done=saved"
    assert (await safety_of(member))["phone_call"] == (True, False)
    contact = await client.get("/my-panel/contact")
    assert not html.select(contact, "main form [name=phone_call_safe]")
    data = (await client.get("/my-panel/data.json")).json()
    calls = next(
        row for row in data["contact_preferences"] if row["channel"]["code"] == "phone_call"
    )
    assert (calls["safe"], calls["when_safe"]) == (
        False,
        "not used: we have no phone number for you",
    )
    page = html.section(await client.get("/my-panel/data"), "How it is safe to contact you")
    assert html.summary_list(page)["Phone call"] == "Not used: we have no phone number for you"

"""The facilitator's write-up of a held session: a preview of every replacement, words put back
or removed, and only the anonymised notes stored (issue: session notes, point 3)."""

from __future__ import annotations

import json
from datetime import timedelta

from panel.accounts.rules import Role
from panel.audit.tables import AuditEvent
from panel.notes.tables import SessionNote
from tests.integration.conftest import sign_in
from tests.support import html
from tests.support.engagements import STARTED, session_with

NOTES = (
    "Robin Hale said PC Dawson never called her back. Ash said the officer gave out her number, "
    "07700 900461. She lives near ME14 1XX. The Maidstone Victim Hub rang her the next day."
)
IDENTIFIERS = ("Robin", "Hale", "Dawson", "07700 900461", "900461", "ME14 1XX", "Ash ")


async def written_up(client, make_user, make_member, make_engagement, **plan):
    facilitator = await make_user(Role.FACILITATOR)
    engagement_id, _ = await session_with(
        make_member,
        make_engagement,
        facilitator,
        [("Robin Hale", "accepted"), ("Ash", "accepted")],
        **plan,
    )
    await sign_in(client, facilitator)
    return f"/facilitator/engagements/{engagement_id}/notes", engagement_id


async def check(client, path, notes=NOTES, expected=200, **more):
    return await client.post(
        path, {"notes": notes, "action": "check", **more}, expected, csrf_from=path
    )


def marked(page) -> list[str]:
    return html.texts(page.text, "#preview mark")


def replacements(page) -> dict[str, tuple[str, bool]]:
    """Each replaced word: what it became and whether it has a box to put it back."""
    found = {}
    for box in html.select(page.text, "#put-back input[name=put_back]"):
        label = html.shown_text(html.one(page.text, f"label[for={box['id']}]"))
        words, became = label.split(", replaced with ")
        assert words == box["value"]
        found[words] = (became.split(" (")[0], True)
    for item in html.texts(page.text, "#not-put-back li"):
        words, became = item.split(", replaced with ")
        found[words] = (became.split(" (")[0], False)
    return found


async def test_the_preview_highlights_each_replacement_and_only_anonymised_notes_are_kept(
    client, make_user, make_member, make_engagement
):
    path, engagement_id = await written_up(client, make_user, make_member, make_engagement)
    page = await check(client, path)
    # Participants are numbered as the register lists them: Ash, then Robin Hale.
    assert marked(page) == [
        "[PARTICIPANT 2]",
        "[OFFICER]",
        "[PARTICIPANT 1]",
        "[PHONE]",
        "[POSTCODE]",
        "[PERSON]",
    ]
    shown = replacements(page)
    assert shown["Robin Hale"] == ("[PARTICIPANT 2]", False)
    assert shown["07700 900461"] == ("[PHONE]", True)
    # The textarea still holds what was typed, in this browser only; the draft is anonymised.
    assert html.form_values(page.text, "#notes-form")["notes"] == NOTES
    [draft] = await SessionNote.select()
    assert not draft["saved"]
    assert all(word not in draft["text"] for word in IDENTIFIERS)

    # "Hub" was wrongly taken for a name: put back, then saved.
    checked = html.form_values(page.text, "#notes-form")["checked"]
    saved = await client.post(
        path,
        {"notes": NOTES, "action": "save", "checked": checked, "put_back": "Hub"},
        303,
        csrf_from=path,
    )
    assert saved.headers["location"].endswith(
        f"/facilitator/engagements/{engagement_id}?done=notes"
    )
    [note] = await SessionNote.select()
    assert note["saved"] and note["restored"] == 1 and note["replaced"] == 5
    assert note["text"] == (
        "[PARTICIPANT 2] said PC [OFFICER] never called her back. [PARTICIPANT 1] said the "
        "officer gave out her number, [PHONE]. She lives near [POSTCODE]. The Maidstone Victim "
        "Hub rang her the next day."
    )
    [event] = await AuditEvent.select().where(AuditEvent.action == "notes_saved")
    assert json.loads(event["detail"]) == {"put_back": 1, "replaced": 5}
    back = await client.get(saved.headers["location"])
    assert html.notification(back.text) == "The notes are saved, anonymised."

    # Reloading the page shows the saved, anonymised notes: never what was typed.
    again = await client.get(path)
    assert html.form_values(again.text, "#notes-form")["notes"] == note["text"]
    assert html.one(again.text, "#notes-saved")


async def test_a_participants_name_is_never_put_back(
    client, make_user, make_member, make_engagement
):
    path, _ = await written_up(client, make_user, make_member, make_engagement)
    page = await check(client, path, put_back=["Robin Hale", "robin hale", "Hub"])
    assert marked(page)[0] == "[PARTICIPANT 2]"
    assert "[PERSON]" not in marked(page)
    checked = html.form_values(page.text, "#notes-form")["checked"]
    await client.post(
        path,
        {"notes": NOTES, "action": "save", "checked": checked, "put_back": ["Robin Hale", "Hub"]},
        303,
        csrf_from=path,
    )
    [note] = await SessionNote.select()
    assert "Robin" not in note["text"] and note["restored"] == 1


async def test_words_to_remove_go_everywhere_they_appear(
    client, make_user, make_member, make_engagement
):
    path, _ = await written_up(client, make_user, make_member, make_engagement)
    notes = "We met at the Blue Anchor. Everyone knows the blue anchor, so it was easy."
    page = await check(client, path, notes=notes, remove="blue anchor\n")
    assert html.text(page.text, "#preview") == (
        "We met at the [REMOVED]. Everyone knows the [REMOVED], so it was easy."
    )
    assert replacements(page)["Blue Anchor"][0] == "[REMOVED]"


async def test_a_save_of_notes_changed_since_the_preview_shows_the_preview_again(
    client, make_user, make_member, make_engagement
):
    path, _ = await written_up(client, make_user, make_member, make_engagement)
    page = await check(client, path)
    checked = html.form_values(page.text, "#notes-form")["checked"]
    changed = NOTES + " Call Dawson on 01622 123456."
    again = await client.post(
        path, {"notes": changed, "action": "save", "checked": checked}, 400, csrf_from=path
    )
    assert html.error_summary(again.text) == {
        "checked": "You changed the notes or the words to remove after checking them. Check the "
        "preview again, then save"
    }
    assert "[PHONE]" in marked(again) and marked(again).count("[PHONE]") == 2
    [draft] = await SessionNote.select()
    assert not draft["saved"] and "01622" not in draft["text"]


async def test_notes_that_fail_validation_come_back_as_typed(
    client, make_user, make_member, make_engagement
):
    path, _ = await written_up(client, make_user, make_member, make_engagement)
    empty = await check(client, path, notes="   ", expected=400)
    assert html.error_summary(empty.text) == {"notes": "Enter the notes of the session"}
    long = "Robin Hale spoke. " * 6000
    too_long = await check(client, path, notes=long, expected=400)
    assert html.error_summary(too_long.text) == {
        "notes": "The notes must be 100,000 characters or fewer"
    }
    assert html.form_values(too_long.text, "#notes-form")["notes"] == long
    assert await SessionNote.count() == 0


async def test_notes_wait_for_the_session_to_start(client, make_user, make_member, make_engagement):
    later = STARTED + timedelta(days=2)
    path, _ = await written_up(
        client, make_user, make_member, make_engagement,
        status="confirmed", starts_at=later, ends_at=later + timedelta(hours=2),
    )  # fmt: skip
    page = await client.get(path)
    assert (
        html.text(page.text, "#notes-closed") == "Notes are written once the session has started."
    )
    assert not html.select(page.text, "#notes-form")
    refused = await check(client, path, expected=400)
    assert html.error_summary(refused.text) == {
        "notes-closed": "Notes are written once the session has started."
    }
    assert await SessionNote.count() == 0


async def test_only_the_sessions_facilitator_writes_its_notes_and_staff_read_them(
    client, make_client, make_user, make_member, make_engagement
):
    path, engagement_id = await written_up(client, make_user, make_member, make_engagement)
    page = await check(client, path)
    checked = html.form_values(page.text, "#notes-form")["checked"]

    other = make_client()
    await sign_in(other, await make_user(Role.FACILITATOR))
    await other.get(path, expected=404)
    await other.post(path, {"notes": NOTES, "action": "check"}, 404, csrf_from="/facilitator")

    staff = make_client()
    await sign_in(staff, await make_user(Role.STAFF))
    staff_page = f"/staff/engagements/{engagement_id}/notes"
    unsaved = await staff.get(staff_page)
    assert html.text(unsaved.text, "#no-notes") == (
        "The facilitator has not saved notes of this session yet."
    )
    await staff.get(path, expected=403)
    await client.post(
        path, {"notes": NOTES, "action": "save", "checked": checked}, 303, csrf_from=path
    )
    read = await staff.get(staff_page)
    assert html.text(read.text, "#notes-text").startswith("[PARTICIPANT 2] said PC [OFFICER]")
    await staff.get("/staff/engagements/999999/notes", expected=404)
    await client.get(staff_page, expected=403)

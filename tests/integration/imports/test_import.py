"""Importing an existing panel from a spreadsheet (issue: panel management, point 4): the page and
its template, a report of every problem with nothing written, everyone added with their consent
history, the size limit, and who may import."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from panel.accounts.rules import Role
from panel.accounts.tables import User
from panel.audit.tables import AuditEvent
from panel.consent.rules import ConsentState, Purpose
from panel.consent.services import consents_of
from panel.consent.tables import ConsentEvent, LatestConsent
from panel.imports.rules import COLUMN_NAMES
from panel.members.tables import AccessNeeds, ContactPreference, ExperienceProfile, Member
from panel.outbox.tables import OutboxMessage
from panel.piccolo_app import TABLES
from tests.integration.conftest import PageClient, csrf_token_in, settings_for, sign_in
from tests.support import html
from tests.support.queries import counted_queries
from tests.support.spreadsheets import csv_of

UK = ZoneInfo("Europe/London")
TODAY = datetime.now(UTC).date()
ROW = {
    "preferred_name": "Sam",
    "email": "sam.import@example.org",
    "phone": "07700 900982",
    "postal_address": "1 Example Street",
    "district": "Maidstone",
    "involvement": "witness",
    "crime_types": "burglary_home",
    "email_safe": "yes",
    "phone_safe": "no",
    "text_safe": "yes",
    "post_safe": "no",
    "consent_date": (TODAY - timedelta(days=40)).isoformat(),
    "consent_channel": "paper",
    "consent_purposes": "membership;surveys",
    "consent_recorded_by": "Signed paper form, kept in the office",
}


def people(count: int, **changes: str) -> list[dict[str, str]]:
    return [{**ROW, "email": f"person{number}@example.org", **changes} for number in range(count)]


def problems_in(page: str) -> list[str]:
    """The problems listed under "Problems with the file", in order."""
    return html.texts(html.section(page, "Problems with the file"), "li")


async def upload(
    client: PageClient, data: bytes, name: str = "panel.csv", expected: int = 303
) -> str:
    page = await client.http.get("/staff/import")
    token = csrf_token_in(page.text)
    response = await client.http.post(
        "/staff/import",
        data={"_csrf_token": token},
        files={"file": (name, data, "text/csv")},
    )
    client.check(response, expected)
    return response.headers.get("location", "") if expected == 303 else response.text


async def row_counts() -> dict[str, int]:
    return {table._meta.tablename: await table.count() for table in TABLES}


async def test_the_page_explains_the_format_and_links_the_template(client, signed_in):
    await signed_in(Role.STAFF)
    page = (await client.get("/staff/import")).text
    assert html.title(page).startswith("Import people from a spreadsheet")
    assert html.links(page, "main ol a")["Download the template (CSV)"] == (
        "/staff/import/template.csv"
    )
    form = html.one(page, "main form")
    assert form["enctype"] == "multipart/form-data"
    assert html.one(form, "input[type=file]")["name"] == "file"
    columns = html.table_rows(page, "table:has(> caption:-soup-contains('The columns'))")
    assert [column["Column"] for column in columns] == list(COLUMN_NAMES)
    districts = html.table_rows(page, "details:has(summary:-soup-contains('Districts')) table")
    assert {"Code": "tunbridge_wells", "Name": "Tunbridge Wells"} in districts
    purposes = html.table_rows(
        page, "details:has(summary:-soup-contains('consent_purposes')) table"
    )
    assert "case_reviews" in [purpose["Code"] for purpose in purposes]
    assert "up to 2 MB and 5,000 people" in html.text(page, "#file-hint")


async def test_the_template_downloads_and_imports_once_its_example_is_edited(client, signed_in):
    await signed_in(Role.STAFF)
    response = await client.get("/staff/import/template.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 by this mark
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == list(COLUMN_NAMES)
    example = dict(zip(rows[0], rows[1], strict=True))
    # Staff put their own person in place of the example, in the spreadsheet.
    example |= {"preferred_name": "Róisín", "email": "roisin@example.org"}
    edited = io.StringIO()
    writer = csv.writer(edited)
    writer.writerows([rows[0], [example[name] for name in rows[0]]])
    data = b"\xef\xbb\xbf" + edited.getvalue().encode()

    location = await upload(client, data, name="template edited.csv")
    assert location == "/staff/import/done?added=1"
    done = (await client.get(location)).text
    assert html.text(done, ".govuk-panel__body") == "1 person was added to the panel"
    assert html.links(done, "main a")["Find them in the members directory"] == "/staff/members"
    member = await Member.select().where(Member.preferred_name == "Róisín").first()
    assert member is not None and member["status"] == "active"


async def test_a_valid_file_adds_everyone_with_their_consent_history(client, signed_in):
    staff = await signed_in(Role.STAFF)
    given = TODAY - timedelta(days=100)
    data = csv_of(
        ROW,
        {
            **ROW,
            "preferred_name": "Jo",
            "email": "Jo.Import@Example.org",
            "phone": "",
            "postal_address": "2 Example Road",
            "district": "",
            "involvement": "",
            "crime_types": "",
            "text_safe": "no",
            "post_safe": "yes",
            "consent_date": given.strftime("%d/%m/%Y"),
            "consent_channel": "phone",
            "consent_purposes": "membership;focus_groups;equality_data",
            "consent_recorded_by": "Asked on the phone by Kim; they said yes to each.",
        },
    )
    location = await upload(client, data, name="Old panel.csv")
    assert location == "/staff/import/done?added=2"
    done = await client.get(location)
    assert html.text(done, ".govuk-panel__body") == "2 people were added to the panel"

    users = {
        row["email"]: row
        for row in await User.select().where(
            User.email.is_in(["sam.import@example.org", "jo.import@example.org"])
        )
    }
    assert set(users) == {"sam.import@example.org", "jo.import@example.org"}
    for user in users.values():
        assert user["role"] == "member" and user["status"] == "active"
        assert user["password_hash"] is None and user["sign_in_by_link"] is True
    members = {
        row["user"]: row
        for row in await Member.select().where(
            Member.user.is_in([user["id"] for user in users.values()])
        )
    }
    sam = members[users["sam.import@example.org"]["id"]]
    jo = members[users["jo.import@example.org"]["id"]]
    for member in (sam, jo):
        assert member["status"] == "active" and member["verified_at"] is not None
        assert len(member["pseudonym"]) == 16
    assert (sam["preferred_name"], sam["district"], sam["phone"]) == (
        "Sam",
        "maidstone",
        ROW["phone"],
    )
    assert (jo["district"], jo["postal_address"]) == ("", "2 Example Road")
    assert json.loads(sam["ways_to_take_part"]) == ["surveys"]
    assert json.loads(jo["ways_to_take_part"]) == ["focus_groups"]

    safe = {
        (row["member"], row["channel"]): row["safe"]
        for row in await ContactPreference.select().where(
            ContactPreference.member.is_in([sam["id"], jo["id"]])
        )
    }
    assert len(safe) == 8  # every channel answered, so "not safe" is recorded, not unknown
    assert {channel for (member, channel), ok in safe.items() if member == sam["id"] and ok} == {
        "email",
        "text_message",
    }
    assert {channel for (member, channel), ok in safe.items() if member == jo["id"] and ok} == {
        "email",
        "post",
    }
    experience = await ExperienceProfile.select().where(
        ExperienceProfile.member.is_in([sam["id"], jo["id"]])
    )
    assert [
        (row["member"], row["involvement"], json.loads(row["crime_types"])) for row in experience
    ] == [(sam["id"], "witness", ["burglary_home"])]

    events = await ConsentEvent.select().where(ConsentEvent.member == jo["id"])
    assert {row["purpose"] for row in events} == {"membership", "focus_groups", "equality_data"}
    for event in events:
        assert event["given"] is True and event["channel"] == "phone"
        assert event["at"] == datetime(given.year, given.month, given.day, 12, tzinfo=UTC)
        assert event["recorded_by"] == staff["id"]
        assert event["attestation"] == (
            "Imported from Old panel.csv, row 3: Asked on the phone by Kim; they said yes to each."
        )
    latest = await LatestConsent.select().where(LatestConsent.member == jo["id"])
    assert {row["purpose"]: row["at"] for row in latest} == {
        event["purpose"]: event["at"] for event in events
    }
    state = {consent.purpose: consent.state for consent in await consents_of(jo["id"])}
    assert state[Purpose.FOCUS_GROUPS] is ConsentState.GIVEN
    assert state[Purpose.SURVEYS] is ConsentState.NEVER_ASKED

    imported = await AuditEvent.select().where(AuditEvent.action == "members_imported")
    assert len(imported) == 1 and imported[0]["actor_id"] == staff["id"]
    assert json.loads(imported[0]["detail"]) == {"added": 2}
    given_events = await AuditEvent.count().where(
        AuditEvent.action == "consent_given",
        AuditEvent.object_id.is_in([str(sam["id"]), str(jo["id"])]),
    )
    assert given_events == 5

    # The staff page of their consents shows the history, dated from the file.
    page = (await client.get(f"/staff/members/{jo['id']}/consent")).text
    history = html.timeline(html.section(page, "History"))
    assert len(history) == 3 and all(event["title"].endswith(": given") for event in history)
    # Recorded at noon UTC on the day the file gives, shown in UK time.
    noon = datetime(given.year, given.month, given.day, 12, tzinfo=UTC).astimezone(UK)
    for event in history:
        assert event["date"] == f"{noon.day} {noon.strftime('%B %Y, %H:%M')} (UK time)"
        assert event["byline"] == f"recorded by {staff['email']}"
        assert event["description"].startswith("By phone.")
        assert "Imported from Old panel.csv, row 3: " in event["description"]


async def test_safe_times_voicemail_code_word_and_access_needs_are_imported(client, signed_in):
    await signed_in(Role.STAFF)
    data = csv_of(
        {
            **ROW,
            "phone_safe": "yes",
            "phone_safe_times": "weekdays 6pm-9pm",
            "phone_voicemail": "yes",
            "text_safe_times": "Sat;Sun",
            "code_word": "bluebell",
            "access_needs": "Large print;other",
            "other_access_need": "A quiet room",
        },
        {**ROW, "email": "jo.import@example.org", "preferred_name": "Jo"},
    )
    assert await upload(client, data) == "/staff/import/done?added=2"
    members = {
        row["preferred_name"]: row["id"]
        for row in await Member.select(Member.id, Member.preferred_name).where(
            Member.user.email.is_in(["sam.import@example.org", "jo.import@example.org"])
        )
    }
    rows = await ContactPreference.select().where(ContactPreference.member == members["Sam"])
    by_channel = {row["channel"]: row for row in rows}
    assert json.loads(by_channel["phone_call"]["safe_times"]) == [
        {"days": [0, 1, 2, 3, 4], "start": "18:00", "end": "21:00"}
    ]
    assert json.loads(by_channel["text_message"]["safe_times"]) == [
        {"days": [5, 6], "start": "00:00", "end": "23:59"}
    ]
    assert by_channel["phone_call"]["voicemail_allowed"] is True
    assert {row["code_word"] for row in rows} == {"bluebell"}
    needs = await AccessNeeds.select().where(AccessNeeds.member.is_in(list(members.values())))
    assert [(row["member"], json.loads(row["needs"]), row["other"]) for row in needs] == [
        (members["Sam"], ["large_print", "other"], "A quiet room")
    ]
    # Staff read it on the record as the member's own answers read there.
    record = await client.get(f"/staff/members/{members['Sam']}")
    safe_contact = html.table_rows(html.section(record, "How it is safe to contact them"))
    assert safe_contact[1] == {
        "Channel": "Phone call",
        "Safe to use": "Yes",
        "Safe times (UK time)": "Monday to Friday, 18:00 to 21:00",
        "Voicemail": "Allowed",
        "Code word": "bluebell",
    }


async def test_problems_with_the_optional_columns_are_reported_by_row_and_column(client, signed_in):
    await signed_in(Role.STAFF)
    data = csv_of(
        {**ROW, "email_safe_times": "Mon-Fri 17:00-09:00", "access_needs": "interpreter"},
        {**ROW, "email": "b@example.org", "phone_voicemail": "yes", "code_word": "x" * 101},
    )
    page = await upload(client, data, expected=400)
    assert html.texts(page, "#problems + p + ul > li") == [
        "Row 2, email_safe_times: the time it stops being safe must be after the time it "
        "starts, like 09:00-17:00",
        "Row 2, interpreter_language: enter the language they need an interpreter for",
        "Row 3, phone_voicemail: this can only be yes when phone_safe is yes",
        "Row 3, code_word: this must be 100 characters or fewer",
    ]
    assert await Member.count().where(Member.user.email == "b@example.org") == 0


async def test_an_invalid_file_writes_nothing_and_reports_every_problem(client, signed_in):
    await signed_in(Role.STAFF)
    before = await row_counts()
    data = csv_of(
        ROW,
        {**ROW, "email": "not an email"},
        {**ROW, "email": "b@example.org", "consent_date": "31/02/2025", "post_safe": "maybe"},
    )
    page = await upload(client, data, expected=400)
    assert html.title(page).startswith("Error: Import people from a spreadsheet")
    assert html.error_summary(page)["file"].startswith(
        "The file has 3 problems, so nobody was imported"
    )
    assert problems_in(page) == [
        "Row 3, email: this is not an email address",
        "Row 4, post_safe: enter yes or no",
        "Row 4, consent_date: this is not a real date",
    ]
    assert await row_counts() == before


async def test_duplicates_in_the_file_and_in_the_panel_are_reported(client, signed_in, make_member):
    staff = await signed_in(Role.STAFF)
    member = await make_member(email="already@example.org")
    before = await row_counts()
    data = csv_of(
        {**ROW, "email": "Already@Example.org"},
        {**ROW, "email": staff["email"].upper()},
        {**ROW, "email": "twice@example.org"},
        {**ROW, "email": "TWICE@example.org"},
        {**ROW, "email": "already@example.org", "email_safe": "maybe"},
    )
    page = await upload(client, data, expected=400)
    # A row with other problems is checked against the panel too, so one report has them all.
    assert sorted(problems_in(page)) == [
        "Row 2, email: someone already has an account with this email address",
        "Row 3, email: someone already has an account with this email address",
        "Row 5, email: this email address is also on row 4",
        "Row 6, email: someone already has an account with this email address",
        "Row 6, email: this email address is also on row 2",
        "Row 6, email_safe: enter yes or no",
    ]
    assert html.error_summary(page)["file"].startswith("The file has 6 problems")
    assert await row_counts() == before
    assert await Member.count().where(Member.user == member["id"]) == 1


async def test_a_file_with_no_people_or_the_wrong_header_is_one_clear_problem(client, signed_in):
    await signed_in(Role.STAFF)
    page = await upload(client, b"", expected=400)
    assert [problem.startswith("The file is empty") for problem in problems_in(page)] == [True]
    assert html.error_summary(page)["file"].startswith("The file has 1 problem,")
    page = await upload(client, b"name,email\r\nSam,sam@example.org\r\n", expected=400)
    [wrong_header] = problems_in(page)
    assert wrong_header.startswith("The file has no preferred_name or email_safe or")
    assert "has columns this page does not list: name" in wrong_header
    page = await upload(client, "preferred_name\nSíân\n".encode("cp1252"), expected=400)
    [not_utf8] = problems_in(page)
    assert not_utf8.startswith("The file is not saved as UTF-8 text")


async def test_no_file_chosen(client, signed_in):
    await signed_in(Role.STAFF)
    page = await client.post("/staff/import", {}, expected=400)
    assert html.error_summary(page) == {"file": "Choose the CSV file to import"}


async def test_the_report_shows_200_problems_and_counts_the_rest(client, signed_in):
    await signed_in(Role.STAFF)
    page = await upload(client, csv_of(*people(250, email_safe="perhaps")), expected=400)
    assert html.error_summary(page)["file"].startswith("The file has 250 problems")
    problems = problems_in(page)
    assert len(problems) == 200
    assert problems[-1] == "Row 201, email_safe: enter yes or no"
    assert html.texts(html.section(page, "Problems with the file"), "p")[-1].startswith(
        "And 50 more problems not listed here"
    )


async def test_a_file_over_the_size_limit_gets_a_413_page_and_writes_nothing(
    make_client, make_user
):
    small = settings_for(PANEL_IMPORT_MAX_BYTES="4096")
    client = make_client(settings=small)
    await sign_in(client, await make_user(Role.STAFF))
    before = await row_counts()
    # Over the limit but inside what the route lets through: refused after reading.
    data = csv_of(*people(30))
    assert 4096 < len(data) < 4096 + 64 * 1024
    page = await upload(client, data, expected=413)
    assert html.text(page, "h1") == "The file is too large"
    assert html.texts(page, "main p")[0].startswith("The file is larger than 4 KB")
    # Far over: refused while it arrives, before the whole body is read.
    page = await upload(client, csv_of(*people(1000)), expected=413)
    assert "larger than 4 KB" in html.texts(page, "main p")[0]
    assert "Traceback" not in page
    assert await row_counts() == before
    # Under the limit the same route imports.
    assert await upload(client, csv_of(*people(2))) == "/staff/import/done?added=2"


async def test_the_default_limit_lets_a_file_over_the_apps_1_mib_through(client, signed_in):
    """Other forms are refused over 1 MiB; this route takes up to PANEL_IMPORT_MAX_BYTES."""
    await signed_in(Role.STAFF)
    padded = people(3, consent_recorded_by="Signed paper form. " + "x" * 200)
    data = csv_of(*padded) + b"\r\n" * 600_000  # blank rows: skipped, but they count
    assert 1024 * 1024 < len(data) < 2 * 1024 * 1024
    assert await upload(client, data) == "/staff/import/done?added=3"


async def test_5000_people_validate_and_import_in_one_upload(client, signed_in):
    """How long it takes is measured in bench/, not asserted here."""
    await signed_in(Role.STAFF)
    rows = [{**row, "consent_purposes": "membership;surveys;focus_groups"} for row in people(5000)]
    assert await upload(client, csv_of(*rows)) == "/staff/import/done?added=5000"
    assert await Member.count().where(Member.user.email.like("person%@example.org")) == 5000
    assert (
        await ConsentEvent.count().where(
            ConsentEvent.attestation.like("Imported from panel.csv, row %")
        )
        == 15000
    )


async def test_the_import_makes_the_same_queries_for_10_people_as_for_200(client, signed_in):
    await signed_in(Role.STAFF)
    counts = []
    for size in (10, 200):
        data = csv_of(*people(size, email_safe="yes"))
        data = data.replace(b"person", f"batch{size}-".encode())
        with counted_queries() as queries:
            assert await upload(client, data) == f"/staff/import/done?added={size}"
        counts.append(len(queries))
    # Each table is written in statements of thousands of rows: one each here, whatever the size.
    assert counts[0] == counts[1], counts
    assert counts[0] <= 30, counts


async def test_nothing_from_the_file_reaches_the_logs(client, signed_in, caplog):
    await signed_in(Role.STAFF)
    secret = {**ROW, "preferred_name": "Zebedee Quill", "email": "zebedee.quill@example.org"}
    caplog.set_level(logging.DEBUG)
    await upload(client, csv_of(secret, {**secret, "phone": "12"}), expected=400)
    await upload(client, csv_of(secret))
    assert "Zebedee" not in caplog.text and "zebedee.quill" not in caplog.text
    assert "Example Street" not in caplog.text


@pytest.mark.parametrize("role", [Role.MEMBER, Role.FACILITATOR, Role.BOARD])
async def test_only_staff_and_admins_can_import(client, signed_in, role):
    await signed_in(role)
    await client.get("/staff/import", expected=403)
    await client.get("/staff/import/template.csv", expected=403)
    await upload(client, csv_of(ROW), expected=403)
    assert await User.count().where(User.email == ROW["email"]) == 0


async def test_an_admin_can_import(client, signed_in):
    await signed_in(Role.ADMIN)
    assert await upload(client, csv_of(ROW)) == "/staff/import/done?added=1"


async def test_someone_imported_signs_in_by_link_and_sees_what_they_agreed_to(
    client, signed_in, make_client
):
    await signed_in(Role.STAFF)
    assert await upload(client, csv_of(ROW)) == "/staff/import/done?added=1"
    member = make_client()
    await member.post("/sign-in/link", {"email": ROW["email"]})
    message = await OutboxMessage.select().where(OutboxMessage.to_address == ROW["email"]).first()
    assert message is not None
    path = re.search(r"http://\S+(/sign-in/link/\S+)", message["text_body"]).group(1)
    response = await member.post(path, {})
    assert response.headers["location"] == "/my-panel"
    page = (await member.get("/my-panel/consents")).text
    assert html.text(await member.get("/my-panel"), ".govuk-caption-l") == "Hello Sam"
    given = datetime.fromisoformat(ROW["consent_date"])
    answer = html.summary_list(page, "#membership .govuk-summary-list")["Your answer"]
    assert answer == f"Agreed since {given.day} {given.strftime('%B %Y')}"


async def test_someone_joining_during_the_import_is_reported_and_nothing_is_written(
    client, signed_in, make_member, monkeypatch
):
    """The check inside the transaction can race with a sign-up on PostgreSQL: the database's
    unique constraint then stops the import, and staff get a report, not an error page."""
    await signed_in(Role.STAFF)
    member = await make_member(email="taken.meanwhile@example.org")

    async def nobody_registered(emails):
        return set()

    monkeypatch.setattr("panel.imports.services.registered_emails", nobody_registered)
    before = await row_counts()
    page = await upload(client, csv_of(*people(2), {**ROW, "email": member["email"]}), expected=400)
    [problem] = problems_in(page)
    assert "someone joined with one of its email addresses" in problem
    assert await row_counts() == before

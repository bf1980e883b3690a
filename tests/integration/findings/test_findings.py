"""Findings: recorded from a session with themes and anonymised quotes (a quote only from a
participant who agreed to be quoted, and gone when they withdraw), reviewed by staff, and found in
the insight library (issue: session notes, points 5 and 6)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from panel.accounts.rules import Role
from panel.audit.services import Actor
from panel.audit.tables import AuditEvent
from panel.consent.rules import Purpose
from panel.consent.services import record_consent
from panel.findings.services import last_quarters
from panel.findings.tables import Finding, FindingQuote
from tests.integration.conftest import sign_in
from tests.support import html
from tests.support.engagements import STARTED, session_with
from tests.support.queries import counted_queries

ACTOR = Actor(None, "test")
STATEMENT = (
    "Robin Hale was not told her case had gone to the CPS until PC Dawson rang 07700 900461."
)
QUOTE = "Nobody rang me for six weeks, and then Ash from the Witness Care Unit did."


async def a_session(client, make_user, make_member, make_engagement, quotes_consent=True, **plan):
    """A held session with Robin Hale (who may be quoted, unless ``quotes_consent`` is False) and
    Ash; the facilitator signed in on ``client``."""
    facilitator = await make_user(Role.FACILITATOR)
    engagement_id, invited = await session_with(
        make_member,
        make_engagement,
        facilitator,
        [("Robin Hale", "accepted"), ("Ash", "accepted")],
        **plan,
    )
    if quotes_consent:
        await record_consent(
            invited["Robin Hale"]["member_id"], Purpose.ANONYMOUS_QUOTES, True, ACTOR
        )
    await sign_in(client, facilitator)
    return f"/facilitator/engagements/{engagement_id}/findings", engagement_id, invited


def a_finding(invited, **more):
    return {
        "statement": STATEMENT,
        "sentiment": "negative",
        "priority": "high",
        "rights": ["right_6", "right_12"],
        "stages": ["updates"],
        "agencies": ["police", "cps"],
        "quote_1": QUOTE,
        "quote_by_1": str(invited["Robin Hale"]["invitation_id"]),
        **more,
    }


async def test_a_finding_is_kept_anonymised_with_its_themes_and_quote(
    client, make_user, make_member, make_engagement
):
    path, _, invited = await a_session(client, make_user, make_member, make_engagement)
    saved = await client.post(path, a_finding(invited), csrf_from=path)
    assert saved.headers["location"] == f"{path}?done=recorded"
    [finding] = await Finding.select()
    assert finding["statement"] == (
        "[PARTICIPANT 2] was not told her case had gone to the CPS until PC [OFFICER] rang [PHONE]."
    )
    assert (finding["status"], finding["sentiment"], finding["priority"]) == (
        "awaiting_review",
        "negative",
        "high",
    )
    assert json.loads(finding["rights"]) == ["right_6", "right_12"]
    assert json.loads(finding["agencies"]) == ["police", "cps"]
    [quote] = await FindingQuote.select()
    assert quote["text"] == (
        "Nobody rang me for six weeks, and then [PARTICIPANT 1] from the Witness Care Unit did."
    )
    assert quote["member"] == invited["Robin Hale"]["member_id"]
    [event] = await AuditEvent.select().where(AuditEvent.action == "finding_recorded")
    assert json.loads(event["detail"]) == {"finding": finding["id"], "quotes": 1}

    page = await client.get(saved.headers["location"])
    assert html.notification(page.text).startswith("The finding is recorded.")
    card = html.one(page.text, f"#finding-{finding['id']}")
    assert "Robin" not in card.get_text() and "Right 6" in card.get_text()
    assert html.texts(page.text, ".panel-quote") == [
        "“Nobody rang me for six weeks, and then [PARTICIPANT 1] from the Witness Care Unit did.” "
        "(a participant, anonymised)"
    ]


async def test_a_quote_from_someone_who_has_not_agreed_to_be_quoted_is_refused(
    client, make_user, make_member, make_engagement
):
    path, _, invited = await a_session(
        client, make_user, make_member, make_engagement, quotes_consent=False
    )
    refused = await client.post(path, a_finding(invited), 400, csrf_from=path)
    assert html.error_summary(refused.text) == {
        "quote_1": "Robin Hale has not agreed to be quoted anonymously: leave the quote out, or "
        "say what they meant in the finding in your own words"
    }
    assert html.form_values(refused.text, "#finding-form")["quote_1"] == QUOTE
    assert await Finding.count() == 0 and await FindingQuote.count() == 0

    not_theirs = await client.post(
        path, a_finding(invited, quote_by_1="999999"), 400, csrf_from=path
    )
    assert html.error_summary(not_theirs.text) == {"quote_by_1": "Choose who said it"}


async def test_withdrawing_the_quote_consent_deletes_the_quotes_at_once(
    client, make_user, make_member, make_engagement
):
    path, _, invited = await a_session(client, make_user, make_member, make_engagement)
    await client.post(path, a_finding(invited), csrf_from=path)
    assert await FindingQuote.count() == 1
    robin = invited["Robin Hale"]["member_id"]
    await record_consent(robin, Purpose.SURVEYS, False, ACTOR)  # another consent: kept
    assert await FindingQuote.count() == 1
    await record_consent(robin, Purpose.ANONYMOUS_QUOTES, False, ACTOR)
    assert await FindingQuote.count() == 0
    assert await Finding.count() == 1  # the finding itself names no one and stays


async def test_findings_wait_for_the_session_to_take_place(
    client, make_user, make_member, make_engagement
):
    later = STARTED + timedelta(days=3)
    path, _, invited = await a_session(
        client, make_user, make_member, make_engagement,
        status="confirmed", starts_at=later, ends_at=later + timedelta(hours=2),
    )  # fmt: skip
    page = await client.get(path)
    assert html.text(page.text, "#findings-closed") == (
        "Findings are recorded once the session has taken place."
    )
    refused = await client.post(path, a_finding(invited), 400, csrf_from="/facilitator")
    assert html.error_summary(refused.text) == {
        "findings-closed": "Findings are recorded once the session has taken place"
    }
    assert await Finding.count() == 0


async def test_staff_review_findings_and_only_approved_ones_reach_the_library(
    client, make_client, make_user, make_member, make_engagement
):
    path, _, invited = await a_session(client, make_user, make_member, make_engagement)
    await client.post(path, a_finding(invited), csrf_from=path)
    await client.post(
        path,
        a_finding(invited, statement="The court waiting room was kind and quiet.", quote_1="",
                  quote_by_1="", sentiment="positive", rights=["right_1"], agencies=["hmcts"]),
        csrf_from=path,
    )  # fmt: skip
    first, second = [row["id"] for row in await Finding.select(Finding.id).order_by(Finding.id)]

    staff = make_client()
    await sign_in(staff, await make_user(Role.STAFF))
    library = await staff.get("/staff/insights")
    assert html.text(library.text, "#results-heading") == "0 approved findings"
    assert html.text(library.text, "#waiting-link") == "2 findings are waiting for review"

    queue = "/staff/findings"
    missing = await staff.post(
        f"{queue}/{second}/review", {"decision": "not_approve"}, 400, csrf_from=queue
    )
    assert html.error_summary(missing.text) == {f"reason-{second}": "Say why it is not approved"}
    await staff.post(f"{queue}/{first}/review", {"decision": "approve"}, csrf_from=queue)
    await staff.post(
        f"{queue}/{second}/review",
        {"decision": "not_approve", "reason": "Two findings in one"},
        csrf_from=queue,
    )
    statuses = {row["id"]: row["status"] for row in await Finding.select()}
    assert statuses == {first: "approved", second: "not_approved"}
    empty = await staff.get(queue)
    assert html.text(empty.text, "#none-to-review") == "There are no findings waiting for review."

    library = await staff.get("/staff/insights")
    assert html.text(library.text, "#results-heading") == "1 approved finding"
    assert [card["id"] for card in html.select(library.text, ".panel-finding")] == [
        f"finding-{first}"
    ]
    await staff.get(f"{queue}/999999/review", expected=405)
    await staff.post(f"{queue}/999999/review", {"decision": "approve"}, 404, csrf_from=queue)


async def test_the_library_filters_by_words_right_agency_and_date_in_fixed_queries(
    client, make_client, make_user, make_member, make_engagement
):
    path, _, invited = await a_session(client, make_user, make_member, make_engagement)
    for statement, rights, agencies in (
        ("Updates stopped after charge.", ["right_6"], ["cps"]),
        ("Complaints went unanswered.", ["right_12"], ["police"]),
        ("The 100% promise of updates was broken.", ["right_1"], ["police"]),
    ):
        await client.post(
            path,
            a_finding(invited, statement=statement, rights=rights, agencies=agencies, quote_1="",
                      quote_by_1=""),
            csrf_from=path,
        )  # fmt: skip
    await Finding.update({Finding.status: "approved"}, force=True)
    staff = make_client()
    await sign_in(staff, await make_user(Role.STAFF))

    async def shown(**query):
        page = await staff.get("/staff/insights", params=query)
        return html.texts(page.text, ".panel-finding h3")

    assert await shown(right="right_1") == ["The 100% promise of updates was broken."]
    assert await shown(agency="police", text="COMPLAINTS") == ["Complaints went unanswered."]
    assert await shown(text="100%") == ["The 100% promise of updates was broken."]
    assert len(await shown(kind="focus_group")) == 3
    bad = await staff.get(
        "/staff/insights",
        params={"since-day": "31", "since-month": "2", "since-year": "2026"},
        expected=400,
    )
    assert html.error_summary(bad.text) == {"since": "Enter a real date, for example 27 3 2026"}

    with counted_queries() as few:
        await staff.get("/staff/insights")
    await Finding.update({Finding.status: "approved"}, force=True)
    for _ in range(3):
        await client.post(path, a_finding(invited), csrf_from=path)
    await Finding.update({Finding.status: "approved"}, force=True)
    with counted_queries() as more:
        page = await staff.get("/staff/insights")
    assert len(html.select(page.text, ".panel-finding")) == 6
    assert len(more) == len(few)


async def test_only_the_right_people_reach_findings(
    client, make_client, make_user, make_member, make_engagement
):
    path, engagement_id, invited = await a_session(client, make_user, make_member, make_engagement)
    other = make_client()
    await sign_in(other, await make_user(Role.FACILITATOR))
    await other.get(path, expected=404)
    await other.post(path, a_finding(invited), 404, csrf_from="/facilitator")
    for role in (Role.BOARD, Role.MEMBER):
        browser = make_client()
        await sign_in(browser, await make_make(make_user, make_member, role))
        await browser.get("/staff/insights", expected=403)
        await browser.get("/staff/findings", expected=403)
        await browser.get(f"/staff/engagements/{engagement_id}/findings", expected=403)
    assert await Finding.count() == 0


async def make_make(make_user, make_member, role):
    return await make_member() if role is Role.MEMBER else await make_user(role)


async def test_the_heat_map_counts_approved_findings_by_right_quarter_and_sentiment(
    client, make_client, make_user, make_member, make_engagement
):
    path, _, invited = await a_session(client, make_user, make_member, make_engagement)
    plain = {"quote_1": "", "quote_by_1": ""}
    for sentiment, rights in (
        ("negative", ["right_6", "right_12"]),
        ("negative", ["right_6"]),
        ("positive", ["right_6"]),
        ("negative", ["right_1"]),
    ):
        await client.post(
            path, a_finding(invited, sentiment=sentiment, rights=rights, **plain), csrf_from=path
        )
    ids = [row["id"] for row in await Finding.select(Finding.id).order_by(Finding.id)]
    await Finding.update({Finding.status: "approved"}, force=True)
    # The last one was recorded three years ago: outside the quarters shown.
    await Finding.update({Finding.recorded_at: STARTED - timedelta(days=3 * 365)}).where(
        Finding.id == ids[-1]
    )
    staff = make_client()
    await sign_in(staff, await make_user(Role.STAFF))
    page = await staff.get("/staff/insights/rights")
    rows = {
        html.shown_text(row.select_one("th")): [html.shown_text(td) for td in row.select("td")]
        for row in html.select(page.text, "#heat-map tbody tr")
    }
    assert len(rows) == 12
    right_6 = rows[
        "Right 6: to be provided with information about the investigation and prosecution"
    ]
    assert right_6[-1] == "2 negative, 1 positive" and set(right_6[:-1]) == {
        "0 negative, 0 positive"
    }
    assert rows["Right 12: to make a complaint about your rights not being met"][-1] == (
        "1 negative, 0 positive"
    )
    assert set(rows["Right 1: to be able to understand and to be understood"]) == {
        "0 negative, 0 positive"
    }
    darkest = html.select(page.text, "#heat-map td.panel-heat--4")
    assert [html.shown_text(cell) for cell in darkest] == ["2 negative, 1 positive"]


async def test_the_library_downloads_the_findings_it_shows_as_csv_in_words(
    client, make_client, make_user, make_member, make_engagement
):
    path, _, invited = await a_session(client, make_user, make_member, make_engagement)
    await client.post(
        path,
        a_finding(invited, statement="-5 out of 10 for updates, said one.", rights=["right_6"]),
        csrf_from=path,
    )
    await client.post(
        path,
        a_finding(invited, statement="Court staff were kind.", rights=["right_8"], quote_1="",
                  quote_by_1="", sentiment="positive"),
        csrf_from=path,
    )  # fmt: skip
    await Finding.update({Finding.status: "approved"}, force=True)
    staff = make_client()
    await sign_in(staff, await make_user(Role.STAFF))
    export = await staff.get("/staff/insights.csv", params={"right": "right_6"})
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert len(rows) == 1
    assert rows[0]["Finding"] == "'-5 out of 10 for updates, said one."
    assert rows[0]["Agencies"] == "The police force; Crown Prosecution Service"
    assert rows[0]["Victims' Code rights"] == (
        "Right 6: to be provided with information about the investigation and prosecution"
    )
    assert rows[0]["Quotes"] == (
        "Nobody rang me for six weeks, and then [PARTICIPANT 1] from the Witness Care Unit did."
    )
    assert "Robin" not in export.text


async def test_the_board_sees_counts_by_right_with_small_ones_hidden(
    client, make_user, make_member, make_engagement
):
    engagement_id = await make_engagement("held", starts_at=STARTED, ends_at=STARTED)
    for rights, times in ((["right_6"], 12), (["right_1"], 11), (["right_12"], 3)):
        await Finding.insert(
            *(
                Finding(engagement=engagement_id, statement="Anonymised.", sentiment="negative",
                        priority="low", rights=json.dumps(rights), status="approved")
                for _ in range(times)
            )
        )  # fmt: skip
    await sign_in(client, await make_user(Role.BOARD))
    page = await client.get("/board/insights")
    shown = {
        html.shown_text(row.select_one("th")): [html.shown_text(td) for td in row.select("td")]
        for row in html.select(page.text, "#board-rights tbody tr")
    }
    assert shown[
        "Right 6: to be provided with information about the investigation and prosecution"
    ] == ["12", "0"]
    # 3 is small, and 11 is hidden with it so that the 3 cannot be worked out from the total.
    assert shown["Right 12: to make a complaint about your rights not being met"] == ["[c]", "0"]
    assert shown["Right 1: to be able to understand and to be understood"] == ["[c]", "0"]
    assert shown["All rights"] == ["26", "0"]
    assert "Anonymised." not in page.text
    await client.get("/staff/insights", expected=403)


async def test_findings_over_time_by_quarter_and_theme_in_a_chart_and_a_table(
    client, make_user, make_engagement
):
    engagement_id = await make_engagement("held", starts_at=STARTED, ends_at=STARTED)
    now = datetime.now(UTC)
    quarters = last_quarters(now)
    last_quarter = quarters[-2].starts + timedelta(days=1)
    for sentiment, stages, when in (
        ("negative", ["updates"], now),
        ("negative", ["updates"], now),
        ("positive", ["court"], now),
        ("mixed", ["updates"], last_quarter),
        ("negative", ["updates"], quarters[0].starts - timedelta(days=1)),  # too long ago
    ):
        await Finding.insert(
            Finding(engagement=engagement_id, statement="Anonymised.", sentiment=sentiment,
                    priority="low", stages=json.dumps(stages), status="approved",
                    recorded_at=when)
        )  # fmt: skip
    await sign_in(client, await make_user(Role.STAFF))

    async def table(**query):
        page = await client.get("/staff/insights/over-time", params=query)
        rows = html.select(page.text, "#over-time tbody tr")
        return page, [[html.shown_text(cell) for cell in row.select("td")] for row in rows]

    page, every = await table()
    assert len(every) == 8
    assert every[-1] == ["2", "0", "1", "3"] and every[-2] == ["0", "1", "0", "1"]
    assert all(row == ["0", "0", "0", "0"] for row in every[:-2])
    assert len(html.select(page.text, "#over-time-chart rect[height]")) == 3 + 3  # legend, bars
    page, updates = await table(theme="stages:updates")
    assert updates[-1] == ["2", "0", "0", "2"] and updates[-2] == ["0", "1", "0", "1"]
    assert "about Updates" in html.text(page.text, "main p")
    _, unknown = await table(theme="stages:nowhere")
    assert unknown == every


async def test_a_reason_too_long_comes_back_as_typed_beside_its_finding(
    client, make_user, make_engagement
):
    engagement_id = await make_engagement("held", starts_at=STARTED, ends_at=STARTED)
    await Finding.insert(
        Finding(engagement=engagement_id, statement="Anonymised.", sentiment="mixed",
                priority="low")
    )  # fmt: skip
    [finding] = await Finding.select(Finding.id)
    await sign_in(client, await make_user(Role.STAFF))
    queue = "/staff/findings"
    reason = "Not clear. " * 60
    page = await client.post(
        f"{queue}/{finding['id']}/review",
        {"decision": "not_approve", "reason": reason},
        400,
        csrf_from=queue,
    )
    field = f"reason-{finding['id']}"
    assert html.error_summary(page.text) == {field: "The reason must be 500 characters or fewer"}
    assert html.one(page.text, f"textarea#{field}").get_text() == reason
    assert (await Finding.select(Finding.status).first())["status"] == "awaiting_review"

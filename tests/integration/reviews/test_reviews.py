"""Independent case reviews (issue: session notes, point 4): staff add anonymised case summaries;
a confirmed member reviewer reads them in the portal while the review is open and assesses each
against the twelve Victims' Code rights; staff record partner agencies' assessments; the review's
page shows, per agency, the rights most often not met; learning points become findings. Every
view of a case summary is audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from panel.accounts.rules import Role
from panel.audit.tables import AuditEvent
from panel.engagements.rules import EngagementKind
from panel.engagements.services import record_invitation
from panel.engagements.tables import Engagement, Invitation, PartnerReviewer
from panel.findings.tables import Finding
from panel.justice import VICTIMS_CODE_RIGHTS
from panel.reviews.tables import CaseAssessment, CaseSummary
from tests.integration.conftest import sign_in
from tests.support import html
from tests.support.queries import counted_queries

SUMMARY = (
    "Jo Whitcombe reported a burglary at 14 Orchard Lane, Ashford TN23 4QR. PC Dawson took a "
    "statement and said someone would call on 07700 900461. No one did for six weeks."
)
DISSATISFACTION = "She was never told the case had been closed, crime reference 46/12345/24."
IDENTIFIERS = ("Whitcombe", "Orchard Lane", "TN23 4QR", "Dawson", "07700 900461", "46/12345/24")
EVERY_RIGHT = [code for code, _ in VICTIMS_CODE_RIGHTS]
RIGHT_6 = "Right 6: to be provided with information about the investigation and prosecution"
RIGHT_9 = "Right 9: to be given information about the outcome of the case and any appeals"


def a_case(**more):
    return {
        "crime_type": "burglary_home",
        "stage": "updates",
        "agencies": ["police", "witness_care"],
        "dissatisfaction": DISSATISFACTION,
        "summary": SUMMARY,
        **more,
    }


def an_assessment(not_met=("right_6", "right_9"), **more):
    ratings = {f"rating_{right}": "not_met" if right in not_met else "met" for right in EVERY_RIGHT}
    return {
        **ratings,
        "comment_right_6": "Nobody rang her back; Sergeant Lyle should have, on 07700 900111.",
        "went_well": "The statement was taken on the day.",
        "should_change": "Tell victims when a case is closed, and why.",
        **more,
    }


async def a_review(make_engagement, status="confirmed", **plan):
    return await make_engagement(status, kind=EngagementKind.INDEPENDENT_REVIEW, **plan)


async def staff_add_case(client, engagement_id, **more):
    """Check, then save as checked: the case's id."""
    path = f"/staff/engagements/{engagement_id}/cases/new"
    checked = await client.post(path, {**a_case(**more), "action": "check"}, 200)
    form = html.form_values(checked.text, "#case-form")
    saved = await client.post(path, {**form, "action": "save"})
    assert saved.headers["location"] == f"/staff/engagements/{engagement_id}/cases?done=added"
    return (
        await CaseSummary.select(CaseSummary.id).order_by(CaseSummary.id, ascending=False).first()
    )["id"]


async def a_reviewer(make_member, engagement_id, status="accepted", name="Robin"):
    member = await make_member(preferred_name=name)
    invitation_id = await record_invitation(
        member["member_id"], "independent_review", engagement_id, datetime.now(UTC)
    )
    await Invitation.update({Invitation.status: status}).where(Invitation.id == invitation_id)
    return member


async def test_staff_check_a_case_then_only_the_anonymised_text_is_kept(
    client, signed_in, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await a_review(make_engagement)
    path = f"/staff/engagements/{engagement_id}/cases/new"
    checked = await client.post(path, {**a_case(), "action": "check"}, 200)
    marked = html.texts(checked.text, "#preview-summary mark")
    assert "[POSTCODE]" in marked and "[PHONE]" in marked and "[OFFICER]" in marked
    assert html.texts(checked.text, "#preview-dissatisfaction mark") == ["[REFERENCE]"]
    assert await CaseSummary.count() == 0  # checking keeps nothing

    changed = {**html.form_values(checked.text, "#case-form"), "summary": SUMMARY + " More."}
    refused = await client.post(path, {**changed, "action": "save"}, 400)
    assert list(html.error_summary(refused.text)) == ["checked"]
    assert await CaseSummary.count() == 0

    case_id = await staff_add_case(client, engagement_id)
    [case] = await CaseSummary.select()
    stored = case["summary"] + case["dissatisfaction"]
    assert not [words for words in IDENTIFIERS if words in stored]
    assert "Ashford" in stored and "six weeks" in stored  # a town and ordinary words stay
    assert (case["number"], case["crime_type"], json.loads(case["agencies"])) == (
        1,
        "burglary_home",
        ["police", "witness_care"],
    )
    [added] = await AuditEvent.select().where(AuditEvent.action == "case_summary_added")
    assert json.loads(added["detail"])["case"] == case_id
    assert not [words for words in IDENTIFIERS if words in added["detail"]]

    overview = await client.get(f"/staff/engagements/{engagement_id}/cases?done=added")
    assert html.texts(overview.text, "#cases li") == [
        "Case 1: Burglary of a home. As far as: updates. 0 assessments."
    ]


async def test_a_case_form_with_mistakes_comes_back_with_what_was_typed(
    client, signed_in, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await a_review(make_engagement)
    path = f"/staff/engagements/{engagement_id}/cases/new"
    page = await client.post(path, {**a_case(agencies=[], stage="nowhere"), "action": "check"}, 400)
    assert set(html.error_summary(page.text)) == {"agencies", "stage"}
    assert html.form_values(page.text, "#case-form")["summary"] == SUMMARY
    assert await CaseSummary.count() == 0


async def test_only_an_independent_review_has_cases_and_only_staff_open_them(
    client, signed_in, make_engagement, make_client, make_user
):
    await signed_in(Role.STAFF)
    focus_group = await make_engagement("confirmed")
    await client.get(f"/staff/engagements/{focus_group}/cases", 404)
    await client.get(f"/staff/engagements/{focus_group}/cases/new", 404)
    engagement_id = await a_review(make_engagement)
    case_id = await staff_add_case(client, engagement_id)
    other_review = await a_review(make_engagement)
    await client.get(f"/staff/engagements/{other_review}/cases/{case_id}", 404)

    for role in (Role.FACILITATOR, Role.BOARD):
        someone = make_client()
        await sign_in(someone, await make_user(role))
        await someone.get(f"/staff/engagements/{engagement_id}/cases/{case_id}", 403)
    assert await AuditEvent.count().where(AuditEvent.action == "case_summary_viewed") == 0


async def test_a_confirmed_member_reviewer_reads_and_assesses_a_case_in_the_portal(
    client, signed_in, make_engagement, make_member, make_client
):
    await signed_in(Role.STAFF)
    engagement_id = await a_review(make_engagement)
    case_id = await staff_add_case(client, engagement_id)
    robin = await a_reviewer(make_member, engagement_id)
    member = make_client()
    await sign_in(member, robin)

    invitations = await member.get("/my-panel/invitations")
    review_path = f"/my-panel/reviews/{engagement_id}"
    assert html.hrefs(invitations.text, "#reviews a") == [review_path]
    listed = await member.get(review_path)
    assert html.texts(listed.text, "#cases li") == ["Case 1: Burglary of a home Not assessed yet"]
    assert await AuditEvent.count().where(AuditEvent.action == "case_summary_viewed") == 0

    case_path = f"{review_path}/cases/{case_id}"
    page = await member.get(case_path)
    assert "[POSTCODE]" in html.text(page.text, "#summary")
    [viewed] = await AuditEvent.select().where(AuditEvent.action == "case_summary_viewed")
    assert (viewed["actor_id"], json.loads(viewed["detail"])) == (
        robin["id"],
        {"case": case_id, "number": 1},
    )

    missing = an_assessment()
    del missing["rating_right_3"]
    refused = await member.post(case_path, missing, 400)
    assert html.error_messages(refused.text) == ["Choose how well right 3 was met"]
    assert html.form_values(refused.text, "#assessment-form")["went_well"] == (
        "The statement was taken on the day."
    )
    assert await CaseAssessment.count() == 0

    saved = await member.post(case_path, an_assessment())
    assert saved.headers["location"] == f"{review_path}?done=assessed"
    [assessment] = await CaseAssessment.select()
    assert assessment["member"] == robin["member_id"]
    assert json.loads(assessment["ratings"])["right_6"] == "not_met"
    comment = json.loads(assessment["comments"])["right_6"]
    assert "Lyle" not in comment and "07700 900111" not in comment and "[PHONE]" in comment
    done = await member.get(saved.headers["location"])
    assert html.texts(done.text, "#cases li") == ["Case 1: Burglary of a home Assessed"]

    again = await member.get(case_path)  # their answers, to change
    assert html.form_values(again.text, "#assessment-form")["rating_right_6"] == "not_met"
    await member.post(case_path, an_assessment(not_met=()))
    [changed] = await CaseAssessment.select()
    assert changed["id"] == assessment["id"] and "not_met" not in changed["ratings"]


async def test_no_one_but_a_confirmed_reviewer_reaches_a_review_and_only_while_it_is_open(
    client, signed_in, make_engagement, make_member, make_client
):
    await signed_in(Role.STAFF)
    engagement_id = await a_review(make_engagement)
    case_id = await staff_add_case(client, engagement_id)
    other_review = await a_review(make_engagement)
    other_case = await staff_add_case(client, other_review)
    case_path = f"/my-panel/reviews/{engagement_id}/cases/{case_id}"

    declined = await a_reviewer(make_member, engagement_id, status="declined", name="Ash")
    stranger = await make_member(preferred_name="Kit")
    for person in (declined, stranger):
        browser = make_client()
        await sign_in(browser, person)
        await browser.get(f"/my-panel/reviews/{engagement_id}", 404)
        await browser.get(case_path, 404)

    robin = await a_reviewer(make_member, engagement_id)
    member = make_client()
    await sign_in(member, robin)
    await member.get(f"/my-panel/reviews/{engagement_id}/cases/{other_case}", 404)
    await member.get(f"/my-panel/reviews/{other_review}/cases/{other_case}", 404)
    page = await member.get(case_path)  # open: a form to fill in
    assert await AuditEvent.count().where(AuditEvent.action == "case_summary_viewed") == 1

    # The review ends while Robin is writing: what they wrote comes back, with why.
    ended = datetime.now(UTC) - timedelta(minutes=1)
    await Engagement.update({Engagement.ends_at: ended}).where(Engagement.id == engagement_id)
    form = {**html.form_values(page.text, "#assessment-form"), **an_assessment()}
    refused = await member.post(case_path, form, 400, csrf_from="/my-panel")
    assert html.error_summary(refused.text) == {
        "assessing-closed": "The review has ended, so assessments can no longer be given. "
        "Copy anything you want to keep"
    }
    assert html.form_values(refused.text, "#assessment-form")["should_change"] == (
        "Tell victims when a case is closed, and why."
    )
    assert await CaseAssessment.count() == 0
    await member.get(case_path, 404)
    invitations = await member.get("/my-panel/invitations")
    assert html.select(invitations.text, "#reviews") == []


async def test_partner_assessments_and_the_rights_most_often_not_met_by_agency(
    client, signed_in, make_engagement, make_member, make_client
):
    await signed_in(Role.STAFF)
    engagement_id = await a_review(make_engagement, status="held")
    first = await staff_add_case(client, engagement_id)
    second = await staff_add_case(client, engagement_id, agencies=["cps"])
    rows = await PartnerReviewer.insert(
        PartnerReviewer(engagement=engagement_id, name="Dana Price", agency="Kent Police")
    ).returning(PartnerReviewer.id)
    partner_path = f"/staff/engagements/{engagement_id}/cases/{first}/partners/{rows[0]['id']}"
    case_page = await client.get(f"/staff/engagements/{engagement_id}/cases/{first}")
    assert html.hrefs(case_page.text, "#partner-links a") == [partner_path]

    await client.post(partner_path, an_assessment(not_met=("right_6",)))
    robin = await a_reviewer(make_member, engagement_id)
    member = make_client()
    await sign_in(member, robin)
    for case_id, not_met in ((first, ("right_6", "right_9")), (second, ("right_9",))):
        await member.post(
            f"/my-panel/reviews/{engagement_id}/cases/{case_id}", an_assessment(not_met=not_met)
        )

    partner_row = await CaseAssessment.select().where(CaseAssessment.partner == rows[0]["id"])
    assert partner_row[0]["agency"] == "Kent Police" and partner_row[0]["member"] is None
    shown = await client.get(f"/staff/engagements/{engagement_id}/cases/{first}")
    assert html.text(shown.text, "#reviewers") == (
        "2 reviewers have assessed this case: Panel member reviewer 1; Dana Price, Kent Police."
    )
    tally = html.summary_list(shown.text, "#tally")
    assert tally[RIGHT_9] == "Met: 1, Not met: 1"
    assert tally[RIGHT_6].startswith("Not met: 2 Panel member reviewer 1: Nobody rang her back")

    overview = await client.get(f"/staff/engagements/{engagement_id}/cases")
    assert html.summary_list(overview.text, "#not-met") == {
        "Crown Prosecution Service": "Right 9: to be given information about the outcome of "
        "the case and any appeals: 1 time",
        "The police force": "Right 6: to be provided with information about the investigation "
        "and prosecution: 2 times Right 9: to be given information about the outcome of the case "
        "and any appeals: 1 time",
        "Witness Care Unit": "Right 6: to be provided with information about the investigation "
        "and prosecution: 2 times Right 9: to be given information about the outcome of the case "
        "and any appeals: 1 time",
    }


async def test_a_learning_point_becomes_a_finding_awaiting_review_once(
    client, signed_in, make_engagement, make_member, make_client
):
    await signed_in(Role.STAFF)
    engagement_id = await a_review(make_engagement, status="held")
    case_id = await staff_add_case(client, engagement_id)
    robin = await a_reviewer(make_member, engagement_id)
    member = make_client()
    await sign_in(member, robin)
    await member.post(f"/my-panel/reviews/{engagement_id}/cases/{case_id}", an_assessment())
    [assessment] = await CaseAssessment.select()

    overview_path = f"/staff/engagements/{engagement_id}/cases"
    make = f"{overview_path}/learning/{assessment['id']}/should_change"
    made = await client.post(make, {}, csrf_from=overview_path)
    assert made.headers["location"] == f"{overview_path}?done=finding#learning"
    [finding] = await Finding.select()
    assert (finding["statement"], finding["sentiment"], finding["status"]) == (
        "Tell victims when a case is closed, and why.",
        "negative",
        "awaiting_review",
    )
    assert json.loads(finding["rights"]) == ["right_6", "right_9"]
    assert json.loads(finding["agencies"]) == ["police", "witness_care"]
    assert json.loads(finding["crime_types"]) == ["burglary_home"]
    await client.post(make, {}, csrf_from=overview_path)  # again: the same finding
    assert await Finding.count() == 1

    page = await client.get(overview_path)
    point = html.one(page.text, f"#learning-{assessment['id']}-should_change")
    assert "Recorded as a finding" in html.shown_text(point)
    await client.post(
        f"{overview_path}/learning/{assessment['id']}/nothing", {}, 404, overview_path
    )


async def test_the_review_page_reads_the_same_number_of_queries_whatever_its_cases(
    client, signed_in, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await a_review(make_engagement)
    path = f"/staff/engagements/{engagement_id}/cases"
    counts = []
    for _ in range(2):
        await staff_add_case(client, engagement_id)
        await staff_add_case(client, engagement_id)
        with counted_queries() as seen:
            await client.get(path)
        counts.append(len(seen))
    assert counts[0] == counts[1]

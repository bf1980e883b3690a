"""Independent reviews (issue: engagements, point 7): partner agency staff review cases beside the
panel's members; staff add them by name and agency (no account, no email), the facilitator sees
them, and the place for the cases reviewed is there for the session notes."""

from __future__ import annotations

from panel.accounts.rules import Role
from panel.accounts.tables import User
from panel.engagements.rules import EngagementKind
from panel.engagements.tables import EngagementFacilitator, PartnerReviewer
from panel.outbox.tables import OutboxMessage
from tests.integration.conftest import sign_in
from tests.support import html


async def test_staff_add_and_remove_partner_reviewers_of_an_independent_review(
    client, signed_in, make_engagement, make_user, make_client
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement("recruiting", kind=EngagementKind.INDEPENDENT_REVIEW)
    path = f"/staff/engagements/{engagement_id}"
    accounts_before = await User.count()
    await client.post(
        f"{path}/partners",
        {"partner_name": "Alex Smith", "partner_agency": "Crown Prosecution Service"},
        csrf_from=path,
    )
    page = (await client.get(path)).text
    assert html.texts(page, "#partners li") == [
        "Alex Smith, Crown Prosecution Service Remove Alex Smith"
    ]
    assert "recorded with the session's notes" in html.text(page, "#cases-place")
    # No account is made and nothing is sent.
    assert await User.count() == accounts_before
    assert await OutboxMessage.count() == 0

    facilitator = await make_user(Role.FACILITATOR)
    await EngagementFacilitator.insert(
        EngagementFacilitator(engagement=engagement_id, facilitator=facilitator["id"])
    )
    browser = make_client("198.51.100.50")
    await sign_in(browser, facilitator)
    seen = (await browser.get(f"/facilitator/engagements/{engagement_id}")).text
    assert html.texts(seen, "#partners li") == ["Alex Smith, Crown Prosecution Service"]

    [partner] = await PartnerReviewer.select(PartnerReviewer.id)
    await client.post(f"{path}/partners/{partner['id']}/remove", {}, csrf_from=path)
    assert await PartnerReviewer.count() == 0
    assert html.text((await client.get(path)).text, "#no-partners") == "None added."


async def test_a_reviewer_without_a_name_or_agency_comes_back_as_typed(
    client, signed_in, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement(kind=EngagementKind.INDEPENDENT_REVIEW)
    path = f"/staff/engagements/{engagement_id}"
    page = await client.post(
        f"{path}/partners",
        {"partner_name": "Alex", "partner_agency": " "},
        csrf_from=path,
        expected=400,
    )
    assert html.error_summary(page.text) == {"partner_agency": "Enter the agency they work for"}
    assert html.form_values(page.text, "#add-partner")["partner_name"] == "Alex"


async def test_focus_groups_have_no_partner_reviewers(client, signed_in, make_engagement):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement()
    path = f"/staff/engagements/{engagement_id}"
    assert html.select((await client.get(path)).text, "#add-partner") == []
    page = await client.post(
        f"{path}/partners",
        {"partner_name": "A", "partner_agency": "B"},
        csrf_from=path,
        expected=409,
    )
    assert "independent reviews only" in html.text(page.text, ".govuk-error-summary")
    assert await PartnerReviewer.count() == 0

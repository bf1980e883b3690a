"""What staff and reviewers type about a case is never stored as typed: after checking a case,
a case form with mistakes, saving it, an assessment with mistakes and a saved assessment, no
table, log line or file under the var folder holds any identifying detail typed. Run on SQLite
and on PostgreSQL."""

from __future__ import annotations

import logging

from panel.accounts.rules import Role
from panel.reviews.tables import CaseAssessment, CaseSummary
from tests.integration.conftest import sign_in
from tests.integration.notes.test_typed_text_nowhere import everything_stored, files_under
from tests.integration.reviews.test_reviews import a_case, a_review, a_reviewer, an_assessment
from tests.support import html

SUMMARY = (
    "Xanthe Brumblewick of 14 Quillfeather Lane reported it from ME14 1XX and was rung on 07700 "
    "900461 by DC Ozymandias Thorncastle. She wrote from xanthe.b@example.net."
)
SENTINELS = (
    "Xanthe",
    "Brumblewick",
    "Quillfeather",
    "ME14 1XX",
    "900461",
    "Ozymandias",
    "Thorncastle",
    "xanthe.b@example.net",
    "46/123456/26",
    "Pomfrey",
    "960123",
)
COMMENT = "Sergeant Pomfrey should have rung back on 01632 960123."


async def test_nothing_typed_about_a_case_is_stored_logged_or_written_to_disk(
    client, signed_in, make_engagement, make_member, make_client, settings, caplog, capfd
):
    caplog.set_level(logging.DEBUG)
    await signed_in(Role.STAFF)
    engagement_id = await a_review(make_engagement)
    path = f"/staff/engagements/{engagement_id}/cases/new"
    typed = a_case(summary=SUMMARY, dissatisfaction="Crime reference 46/123456/26 was closed.")
    checked = await client.post(path, {**typed, "action": "check"}, 200)
    failed = await client.post(path, {**typed, "agencies": [], "action": "check"}, 400)
    assert html.form_values(failed.text, "#case-form")["summary"] == SUMMARY
    form = html.form_values(checked.text, "#case-form")
    await client.post(path, {**form, "action": "save"})
    [case] = await CaseSummary.select()

    robin = await a_reviewer(make_member, engagement_id)
    member = make_client()
    await sign_in(member, robin)
    case_path = f"/my-panel/reviews/{engagement_id}/cases/{case['id']}"
    wrong = an_assessment(comment_right_6=COMMENT, should_change=COMMENT)
    del wrong["rating_right_1"]
    refused = await member.post(case_path, wrong, 400)
    assert html.form_values(refused.text, "#assessment-form")["comment_right_6"] == COMMENT
    await member.post(case_path, an_assessment(comment_right_6=COMMENT, should_change=COMMENT))
    assert await CaseAssessment.count() == 1

    stored = await everything_stored()
    out, err = capfd.readouterr()
    logged = caplog.text + out + err
    on_disk = files_under(settings.var_dir)
    for word in SENTINELS:
        assert word.casefold() not in stored, word
        assert word not in logged, word
        assert word.encode() not in on_disk, word

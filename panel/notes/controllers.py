"""The facilitator's write-up of a session they ran: write, check the preview, put back or remove
words, save. Only their own sessions: any other is "not found"."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_400_BAD_REQUEST

from panel.accounts.access import FACILITATORS_ONLY, STAFF, actor_of, signed_in_viewer
from panel.engagements import services as engagements
from panel.engagements.rules import has_taken_place
from panel.notes import services
from panel.notes.forms import SAVE, NotesForm, clean_notes
from panel.web.context import settings_of
from panel.web.errors import not_found
from panel.web.forms import FormState, form_multi_values
from panel.web.links import url_for

Req = Request[Any, Any, Any]

CHANGED_SINCE_CHECKED = (
    "You changed the notes or the words to remove after checking them. Check the preview again, "
    "then save"
)


class SessionNotesController(Controller):
    path = "/facilitator/engagements/{engagement_id:int}/notes"
    opt = FACILITATORS_ONLY
    exception_handlers = {engagements.NoSuchEngagement: not_found}

    @get("/", name="notes:write")
    async def write(self, request: Req, engagement_id: FromPath[int]) -> Template:
        engagement = await own_engagement(request, engagement_id)
        note = await services.note_of(engagement_id)
        form = FormState({"notes": note["text"]} if note else {})
        return notes_page(engagement, form, note)

    @post("/", name="notes:check_or_save")
    async def check_or_save(self, request: Req, engagement_id: FromPath[int]) -> Response[Any]:
        engagement = await own_engagement(request, engagement_id)
        values = await form_multi_values(request)
        sent, errors = clean_notes(values)
        note = await services.note_of(engagement_id)
        problem = notes_problem(engagement)
        if problem is not None:  # the form is not shown: the message is, by its own id
            errors = {"notes-closed": problem}
        if sent is None or errors:
            return notes_page(engagement, FormState(values, errors), note, HTTP_400_BAD_REQUEST)
        writer = signed_in_viewer(request).user_id
        preview = await preview_for(request, engagement_id, sent)
        if sent.action == SAVE and sent.checked == preview.checked:
            await services.save_notes(engagement_id, preview, writer, actor_of(request))
            path = url_for(request, "engagements:facilitator_detail", engagement_id=engagement_id)
            return Redirect(f"{path}?done=notes", status_code=303)
        await services.keep_draft(engagement_id, preview, writer)
        if sent.action == SAVE:
            form = FormState(values, {"checked": CHANGED_SINCE_CHECKED})
            return notes_page(engagement, form, note, HTTP_400_BAD_REQUEST, preview)
        return notes_page(engagement, FormState(values), note, preview=preview)


class StaffSessionNotesController(Controller):
    """Staff read the notes as they were saved: anonymised, as all notes are."""

    path = "/staff/engagements/{engagement_id:int}/notes"
    opt = STAFF
    exception_handlers = {engagements.NoSuchEngagement: not_found}

    @get("/", name="notes:read")
    async def read(self, engagement_id: FromPath[int]) -> Template:
        engagement = await engagements.engagement_record(engagement_id)
        note = await services.note_of(engagement_id)
        return Template(
            "notes/read.html",
            context={"engagement": engagement, "note": note if note and note["saved"] else None},
        )


async def own_engagement(request: Req, engagement_id: int) -> engagements.EngagementRecord:
    return await engagements.engagement_record(
        engagement_id, facilitator=signed_in_viewer(request).user_id
    )


def notes_problem(engagement: engagements.EngagementRecord) -> str | None:
    """Why notes cannot be written now, or None: they are written once the session has started."""
    if has_taken_place(engagement.status, engagement.plan.starts_at, datetime.now(UTC)):
        return None
    return "Notes are written once the session has started."


async def preview_for(request: Req, engagement_id: int, sent: NotesForm) -> services.Preview:
    return services.preview_of(
        engagement_id,
        sent.text,
        await services.participant_names(engagement_id),
        sent.put_back,
        sent.removed,
        settings_of(request).secret_key,
    )


def notes_page(
    engagement: engagements.EngagementRecord,
    form: FormState,
    note: dict[str, Any] | None,
    status_code: int = 200,
    preview: services.Preview | None = None,
) -> Template:
    return Template(
        "notes/write.html",
        context={
            "engagement": engagement,
            "form": form,
            "note": note,
            "preview": preview,
            "problem": notes_problem(engagement),
            "put_back": set(preview.put_back) if preview else set(),
        },
        status_code=status_code,
    )

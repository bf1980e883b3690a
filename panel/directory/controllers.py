"""Staff pages of the member directory: the filtered list, its CSV export, one member's record,
the changes staff make on it (status, do not contact, the member's answers on their behalf), its
contact log, and the consents due for renewal."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Stream, Template

from panel.accounts.access import STAFF, actor_of, signed_in_viewer
from panel.accounts.rules import Role
from panel.consent.services import renewals_due, wording_titles
from panel.directory import forms, rules, services
from panel.directory.rules import ChangeTopic
from panel.directory.words import FILTER_HEADINGS, directory_options
from panel.members import forms as member_forms
from panel.members.reference import reference_of
from panel.members.rules import (
    PHONE,
    POSTAL_ADDRESS,
    usable_channels,
)
from panel.members.services import NoSuchMember
from panel.web.context import settings_of
from panel.web.errors import not_found
from panel.web.forms import FormState, form_multi_values, page_number, query_values
from panel.web.links import url_for

Req = Request[Any, Any, Any]


def directory_href(index: str, query: dict[str, Any], **changes: Any) -> str:
    """The directory's path (``index``) with the filters of ``query`` and ``changes``."""
    wanted = {**query, **changes}
    return index + "?" + urlencode({k: v for k, v in wanted.items() if v}, doseq=True)


def page_links(
    index: str, wanted: rules.DirectoryFilter, found: services.DirectoryPage
) -> dict[str, Any]:
    """The GOV.UK pagination component's parameters: previous, next and the pages around this one."""
    query = wanted.as_query()
    items: list[dict[str, Any]] = []
    for number in rules.pages_to_show(found.page, found.pages):
        if number is None:
            items.append({"ellipsis": True})
        else:
            href = directory_href(index, query, page=number)
            items.append({"number": number, "href": href, "current": number == found.page})
    links: dict[str, Any] = {"items": items, "landmarkLabel": "Pages of members"}
    if found.page > 1:
        links["previous"] = {"href": directory_href(index, query, page=found.page - 1)}
    if found.page < found.pages:
        links["next"] = {"href": directory_href(index, query, page=found.page + 1)}
    return links


def sort_links(index: str, wanted: rules.DirectoryFilter) -> dict[str, dict[str, str]]:
    """For each sortable column heading: the link that sorts by it, and its aria-sort."""
    query = wanted.as_query()
    links = {}
    for field in rules.SortField:
        toggled = wanted.sort.toggled_for(field)
        current = wanted.sort.field is field
        links[field.value] = {
            "href": directory_href(index, query, sort=toggled.value, page=None),
            "aria_sort": ("descending" if wanted.sort.descending else "ascending")
            if current
            else "none",
        }
    return links


def selected_filters(
    index: str, wanted: rules.DirectoryFilter, options: dict[str, Any]
) -> list[dict[str, Any]]:
    """The filters applied, for the filter panel's "Selected filters": per filter, its heading and
    a tag per value, each linking to the same search without that value."""
    query = wanted.as_query()
    groups = []
    for name, heading in FILTER_HEADINGS.items():
        if name not in query:
            continue
        chosen = query[name]
        values = chosen if isinstance(chosen, list) else [chosen]
        labels = dict(options.get(name, ()))
        tags = []
        for value in values:
            rest = [other for other in values if other != value]
            tags.append(
                {
                    "label": f"“{value}”" if name == "q" else labels.get(value, value),
                    "href": directory_href(index, query, **{name: rest or None}, page=None),
                }
            )
        groups.append({"heading": heading, "tags": tags})
    return groups


async def directory_page(request: Req, values: dict[str, list[str]], done: str = "") -> Template:
    reference = reference_of(request)
    wanted, errors = forms.clean_filters(values, reference)
    found = None
    if not errors:
        found = await services.find_members(wanted, reference, settings_of(request).consent_renewal)
    titles = await wording_titles()
    query = wanted.as_query()
    index = url_for(request, "directory:index")
    options = directory_options(reference, titles)
    export = url_for(request, "directory:export")
    return Template(
        "directory/index.html",
        context={
            "form": FormState(values, errors),
            "found": found,
            "done": done,
            "page_links": page_links(index, wanted, found) if found else None,
            "sort_links": sort_links(index, wanted),
            "selected": [] if errors else selected_filters(index, wanted, options),
            "export_href": f"{export}?{urlencode(query, doseq=True)}",
            "status_labels": rules.STATUS_LABELS,
            "badge_colours": rules.STATUS_BADGE_COLOURS,
            "options": options,
        },
        status_code=400 if errors else 200,
    )


def contact_history(record: services.MemberRecord) -> list[dict[str, Any]]:
    """Invitations and sessions taken part in, newest first, as the record's timeline shows them."""
    items = [
        {
            "at": invited.at,
            "title": f"Invited: {invited.kind}",
            "description": f"Their answer: {invited.status.lower()}",
        }
        for invited in record.invitations
    ]
    items += [
        {"at": session.at, "title": f"Took part: {session.kind or 'not recorded'}"}
        for session in record.attendance
    ]
    return sorted(items, key=lambda item: item["at"], reverse=True)


def record_page(
    record: services.MemberRecord,
    form: FormState | None = None,
    done: str = "",
    status_code: int = 200,
) -> Template:
    return Template(
        "directory/record.html",
        context={
            "record": record,
            "history": contact_history(record),
            "form": form or FormState(),
            "done": done,
            "status_labels": rules.STATUS_LABELS,
            "badge_colours": rules.STATUS_BADGE_COLOURS,
            "pause_options": forms.PAUSE_OPTIONS,
            "changes": rules.StatusChange,
        },
        status_code=status_code,
    )


def to_record(request: Req, member_id: int, done: str = "") -> Redirect:
    """To the member's record, which says what was done."""
    query = f"?done={done}" if done else ""
    return Redirect(
        url_for(request, "directory:record", member_id=member_id) + query, status_code=303
    )


def now_in(request: Req) -> datetime:
    """Now, in the panel's time zone."""
    return datetime.now(UTC).astimezone(ZoneInfo(settings_of(request).time_zone))


def today_in(request: Req) -> date:
    return now_in(request).date()


class DirectoryController(Controller):
    path = "/staff"
    opt = STAFF
    exception_handlers = {NoSuchMember: not_found}

    @get("/members", name="directory:index")
    async def index(self, request: Req, done: FromQuery[str] = "") -> Template:
        values = query_values(request)
        values.pop("done", None)
        return await directory_page(request, values, done)

    @get("/members.csv", name="directory:export")
    async def export(self, request: Req) -> Response[Any]:
        values = query_values(request)
        reference = reference_of(request)
        wanted, errors = forms.clean_filters(values, reference)
        if errors:
            return await directory_page(request, values)
        exported = await services.export_members(
            wanted,
            Role(signed_in_viewer(request).role),
            reference,
            settings_of(request),
            actor_of(request),
        )
        filename = f"members-{today_in(request).isoformat()}.csv"
        return Stream(
            exported.chunks,
            media_type="text/csv",
            headers={"content-disposition": f'attachment; filename="{filename}"'},
        )

    @get("/members/{member_id:int}", name="directory:record")
    async def record(
        self, request: Req, member_id: FromPath[int], done: FromQuery[str] = ""
    ) -> Template:
        record = await services.open_member_record(
            member_id, reference_of(request), settings_of(request), actor_of(request)
        )
        return record_page(record, done=done)

    async def record_with_errors(
        self, request: Req, member_id: int, form: FormState, status_code: int = 400
    ) -> Template:
        record = await services.load_member_record(
            member_id, reference_of(request), settings_of(request)
        )
        return record_page(record, form, status_code=status_code)

    @post("/members/{member_id:int}/status", name="directory:change_status")
    async def change_status(self, request: Req, member_id: FromPath[int]) -> Response[Any]:
        values = await form_multi_values(request)
        cleaned, errors = forms.clean_status_change(values, today_in(request))
        if cleaned is None:
            return await self.record_with_errors(request, member_id, FormState(values, errors))
        try:
            if cleaned.change is rules.StatusChange.LEAVE:
                await services.check_can_leave(member_id)
                return Redirect(
                    url_for(request, "directory:leave", member_id=member_id), status_code=303
                )
            if cleaned.change is rules.StatusChange.PAUSE:
                await services.pause_member(
                    member_id, cleaned.pause_ends_on, settings_of(request), actor_of(request)
                )
            else:
                await services.resume_member(member_id, actor_of(request))
        except services.StatusChangeRefused as refused:
            form = FormState(values, {"status": str(refused)})
            return await self.record_with_errors(request, member_id, form, status_code=409)
        return to_record(request, member_id, done=cleaned.change.value)

    @post("/members/{member_id:int}/do-not-contact", name="directory:do_not_contact")
    async def do_not_contact(self, request: Req, member_id: FromPath[int]) -> Response[Any]:
        values = await form_multi_values(request)
        cleaned, errors = forms.clean_do_not_contact(values)
        if cleaned is None:
            return await self.record_with_errors(request, member_id, FormState(values, errors))
        try:
            await services.mark_do_not_contact(
                member_id, cleaned.marked, cleaned.reason, actor_of(request)
            )
        except services.StatusChangeRefused as refused:
            form = FormState(values, {"reason": str(refused)})
            return await self.record_with_errors(request, member_id, form, status_code=409)
        done = "do_not_contact" if cleaned.marked else "contact_allowed"
        return to_record(request, member_id, done=done)

    async def leave_page(
        self, member_id: int, form: FormState | None = None, status_code: int = 200
    ) -> Template:
        member = await services.leaving_member(member_id)
        return Template(
            "directory/leave.html",
            context={"member": member, "form": form or FormState()},
            status_code=status_code,
        )

    @get("/members/{member_id:int}/leave", name="directory:leave")
    async def leave(self, request: Req, member_id: FromPath[int]) -> Response[Any]:
        try:
            await services.check_can_leave(member_id)
        except services.StatusChangeRefused:
            return to_record(request, member_id)
        return await self.leave_page(member_id)

    @post("/members/{member_id:int}/leave", name="directory:leave_submit")
    async def leave_submit(self, request: Req, member_id: FromPath[int]) -> Response[Any]:
        values = await form_multi_values(request)
        errors = forms.clean_leave_confirmation(values)
        if errors:
            return await self.leave_page(member_id, FormState(values, errors), status_code=400)
        try:
            await services.leave_for_member(member_id, settings_of(request), actor_of(request))
        except services.StatusChangeRefused:
            return to_record(request, member_id)
        return Redirect(url_for(request, "directory:index") + "?done=erased", status_code=303)


# ---------------------------------------------------------------------------------------------
# Changing a member's answers on their behalf, and their contact log

CHANGE_TEMPLATES = {
    ChangeTopic.DETAILS: "directory/change_details.html",
    ChangeTopic.SAFE_CONTACT: "directory/change_safe_contact.html",
    ChangeTopic.ACCESS_NEEDS: "directory/change_access_needs.html",
}


def change_page(
    request: Req,
    topic: ChangeTopic,
    answers: services.AnswersToChange,
    form: FormState,
    status_code: int = 200,
) -> Template:
    return Template(
        CHANGE_TEMPLATES[topic],
        context={"member": answers, "form": form, "reference": reference_of(request)},
        status_code=status_code,
    )


def changed(request: Req, member_id: int, topic: ChangeTopic, told: rules.Told) -> Redirect:
    """To the record, which says what was saved and whether the member was emailed about it."""
    return Redirect(
        url_for(request, "directory:record", member_id=member_id)
        + f"?done={topic.value}&told={told.value}",
        status_code=303,
    )


class OnTheirBehalfController(Controller):
    """What staff change for a member who asked them to (on the phone, by letter, in person): the
    member's own questions and cleaning, the members area's own service; and the contact log."""

    path = "/staff/members/{member_id:int}"
    opt = STAFF
    exception_handlers = {NoSuchMember: not_found}

    async def show(self, request: Req, member_id: int, topic: ChangeTopic) -> Template:
        answers = await services.open_answers_to_change(member_id, topic, actor_of(request))
        return change_page(request, topic, answers, FormState(answers.values))

    async def refuse(
        self,
        request: Req,
        member_id: int,
        topic: ChangeTopic,
        values: dict[str, list[str]],
        errors: dict[str, str],
    ) -> Template:
        answers = await services.answers_to_change(member_id, topic)
        return change_page(request, topic, answers, FormState(values, errors), 400)

    @get("/details", name="directory:change_details")
    async def details(self, request: Req, member_id: FromPath[int]) -> Template:
        return await self.show(request, member_id, ChangeTopic.DETAILS)

    @post("/details", name="directory:change_details_submit")
    async def details_submit(self, request: Req, member_id: FromPath[int]) -> Response[Any]:
        values = await form_multi_values(request)
        details, errors = member_forms.clean_details(
            values, reference_of(request), with_email=False
        )
        if details is None:
            return await self.refuse(request, member_id, ChangeTopic.DETAILS, values, errors)
        told = await services.change_details(
            member_id, details, settings_of(request), actor_of(request)
        )
        return changed(request, member_id, ChangeTopic.DETAILS, told)

    @get("/safe-contact", name="directory:change_safe_contact")
    async def safe_contact(self, request: Req, member_id: FromPath[int]) -> Template:
        return await self.show(request, member_id, ChangeTopic.SAFE_CONTACT)

    @post("/safe-contact", name="directory:change_safe_contact_submit")
    async def safe_contact_submit(self, request: Req, member_id: FromPath[int]) -> Response[Any]:
        values = await form_multi_values(request)
        answers = await services.answers_to_change(member_id, ChangeTopic.SAFE_CONTACT)
        contact, errors = member_forms.clean_safe_contact(
            values,
            require_safe_email=False,
            usable=usable_channels(
                {
                    PHONE: "yes" if answers.has_phone else "",
                    POSTAL_ADDRESS: "yes" if answers.has_address else "",
                }
            ),
        )
        if contact is None:
            form = FormState(values, errors)
            return change_page(request, ChangeTopic.SAFE_CONTACT, answers, form, 400)
        told = await services.change_safe_contact(
            member_id, contact, settings_of(request), actor_of(request)
        )
        return changed(request, member_id, ChangeTopic.SAFE_CONTACT, told)

    @get("/access-needs", name="directory:change_access_needs")
    async def access_needs(self, request: Req, member_id: FromPath[int]) -> Template:
        return await self.show(request, member_id, ChangeTopic.ACCESS_NEEDS)

    @post("/access-needs", name="directory:change_access_needs_submit")
    async def access_needs_submit(self, request: Req, member_id: FromPath[int]) -> Response[Any]:
        values = await form_multi_values(request)
        access, errors = member_forms.clean_access_needs(values)
        if access is None:
            return await self.refuse(request, member_id, ChangeTopic.ACCESS_NEEDS, values, errors)
        told = await services.change_access_needs(
            member_id, access, settings_of(request), actor_of(request)
        )
        return changed(request, member_id, ChangeTopic.ACCESS_NEEDS, told)

    async def log_page(self, member_id: int, form: FormState, status_code: int = 200) -> Template:
        return Template(
            "directory/log_contact.html",
            context={
                "member": await services.member_for_log(member_id),
                "form": form,
                "channels": rules.LOG_CHANNELS,
                "reasons": rules.LOG_REASONS,
                "note_max": rules.LOG_NOTE_MAX_LENGTH,
            },
            status_code=status_code,
        )

    @get("/contact-log", name="directory:log_contact")
    async def log_contact(self, request: Req, member_id: FromPath[int]) -> Template:
        return await self.log_page(member_id, FormState(forms.log_entry_values(now_in(request))))

    @post("/contact-log", name="directory:log_contact_submit")
    async def log_contact_submit(self, request: Req, member_id: FromPath[int]) -> Response[Any]:
        values = await form_multi_values(request)
        entry, errors = forms.clean_log_entry(values, now_in(request))
        if entry is None:
            return await self.log_page(member_id, FormState(values, errors), status_code=400)
        await services.log_contact(
            member_id, entry.at, entry.channel, entry.reason, entry.note, actor_of(request)
        )
        return to_record(request, member_id, done="contact_logged")


# ---------------------------------------------------------------------------------------------
# Consents due for renewal


def numbered_pages(href: str, page: int, pages: int, label: str) -> dict[str, Any]:
    """The GOV.UK pagination component's parameters for a list whose only query is its page."""
    items: list[dict[str, Any]] = [
        {"ellipsis": True}
        if number is None
        else {"number": number, "href": f"{href}?page={number}", "current": number == page}
        for number in rules.pages_to_show(page, pages)
    ]
    links: dict[str, Any] = {"items": items, "landmarkLabel": label}
    if page > 1:
        links["previous"] = {"href": f"{href}?page={page - 1}"}
    if page < pages:
        links["next"] = {"href": f"{href}?page={page + 1}"}
    return links


class RenewalsController(Controller):
    path = "/staff"
    opt = STAFF

    @get("/renewals-due", name="directory:renewals")
    async def renewals(self, request: Req, page: FromQuery[str] = "") -> Template:
        settings = settings_of(request)
        now = datetime.now(UTC)
        found = await renewals_due(
            now,
            settings.consent_renewal,
            rules.RENEWALS_WITHIN,
            page_number(page),
            rules.PAGE_SIZE,
        )
        return Template(
            "directory/renewals.html",
            context={
                "found": found,
                "days": rules.RENEWALS_WITHIN.days,
                "page_links": numbered_pages(
                    url_for(request, "directory:renewals"),
                    found.page,
                    found.pages,
                    "Pages of consents due for renewal",
                )
                if found.pages > 1
                else None,
                "now": now,
                "status_labels": rules.STATUS_LABELS,
                "badge_colours": rules.STATUS_BADGE_COLOURS,
            },
        )

"""Staff's pages of improvement actions: the list, a new action (from findings chosen in the
insight library, or none), an action with its findings and log of progress, changing it, and the
list of agencies that own actions."""

from __future__ import annotations

import contextlib
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_400_BAD_REQUEST

from panel.accounts.access import STAFF, actor_of, signed_in_viewer
from panel.actions import forms, horizon, services
from panel.actions.rules import HORIZON_SOURCES, STATUS_LABELS, ActionStatus, HorizonStatus, Rag
from panel.engagements.rules import EngagementKind
from panel.findings.rules import PRIORITIES, SENTIMENT_LABELS
from panel.justice import RIGHT_LABELS
from panel.web.errors import not_found
from panel.web.forms import FormState, form_multi_values, many, one, query_values
from panel.web.links import url_for

Req = Request[Any, Any, Any]

MOST_FINDINGS = 50  # findings one action can be made from at once


def finding_ids_in(values: dict[str, list[str]]) -> list[int]:
    ids = [int(value) for value in many(values, "finding") if value.isdigit() and len(value) < 10]
    return list(dict.fromkeys(ids))[:MOST_FINDINGS]


def labels() -> dict[str, Any]:
    return {
        "statuses": STATUS_LABELS,
        "priorities": dict(PRIORITIES),
        "rights": RIGHT_LABELS,
        "sentiments": SENTIMENT_LABELS,
        "kinds": {kind.value: kind.label for kind in EngagementKind},
    }


def due_values(record: services.ActionRecord) -> dict[str, str]:
    due = record.line.due
    return {"due-day": str(due.day), "due-month": str(due.month), "due-year": str(due.year)}


class ActionsController(Controller):
    path = "/staff/actions"
    opt = STAFF
    exception_handlers = {services.NoSuchAction: not_found}

    @get("/", name="actions:index")
    async def index(self, request: Req) -> Template:
        values = query_values(request)
        choices = await services.agencies(with_retired=True)
        agency = values.get("agency", [""])[0]
        filters = services.ActionFilters(
            status=next((s.value for s in ActionStatus if [s.value] == values.get("status")), ""),
            agency=int(agency) if agency.isdigit() and len(agency) < 10 else None,
            rag=next((r.value for r in Rag if [r.value] == values.get("rag")), ""),
        )
        return Template(
            "actions/index.html",
            context={
                "actions": await services.action_list(filters),
                "form": FormState(values),
                "agency_options": [(str(agency.id), agency.name) for agency in choices],
                "statuses": [(s.value, s.label) for s in ActionStatus],
                "rags": [(r.value, r.label) for r in Rag],
                "labels": labels(),
                "filtered": filters != services.ActionFilters(),
            },
        )

    @get("/new", name="actions:new")
    async def new(self, request: Req) -> Template:
        values = query_values(request)
        chosen = finding_ids_in(values)
        return await action_form_page(
            request, FormState({"horizon": one(values, "horizon")}), chosen
        )

    @post("/new", name="actions:create")
    async def create(self, request: Req) -> Response[Any]:
        values = await form_multi_values(request)
        chosen = finding_ids_in(values)
        usable = {agency.id for agency in await services.agencies()}
        sent, errors = forms.clean_action(values, usable)
        if sent is None:
            return await action_form_page(
                request, FormState(values, errors), chosen, HTTP_400_BAD_REQUEST
            )
        action_id = await services.create_action(
            sent, chosen, signed_in_viewer(request).user_id, actor_of(request)
        )
        item_id = one(values, "horizon")
        if item_id.isdigit() and len(item_id) < 10:
            # The action stands even if the item was set aside meanwhile.
            with contextlib.suppress(horizon.NoSuchItem, services.ActionRefused):
                await horizon.adopt(int(item_id), action_id, actor_of(request))
        path = url_for(request, "actions:detail", action_id=action_id)
        return Redirect(f"{path}?done=created", status_code=303)

    @get("/{action_id:int}", name="actions:detail")
    async def detail(
        self, request: Req, action_id: FromPath[int], done: FromQuery[str] = ""
    ) -> Template:
        record = await services.action_record(action_id)
        return detail_page(request, record, FormState(), done=done)

    @post("/{action_id:int}/updates", name="actions:update")
    async def update(self, request: Req, action_id: FromPath[int]) -> Response[Any]:
        record = await services.action_record(action_id)
        values = await form_multi_values(request)
        sent, errors = forms.clean_update(values, record.next_statuses)
        if sent is not None:
            try:
                await services.record_update(
                    action_id, sent, signed_in_viewer(request).user_id, actor_of(request)
                )
            except services.ActionRefused as refused:
                errors = {refused.field: str(refused)}
        if errors:
            return detail_page(request, record, FormState(values, errors), HTTP_400_BAD_REQUEST)
        path = url_for(request, "actions:detail", action_id=action_id)
        return Redirect(f"{path}?done=updated", status_code=303)

    @get("/{action_id:int}/edit", name="actions:edit")
    async def edit(self, request: Req, action_id: FromPath[int]) -> Template:
        record = await services.action_record(action_id)
        line = record.line
        form = FormState(
            {
                "title": line.title,
                "description": record.description,
                "agency": str(record.agency_id),
                "owner": line.owner,
                "priority": line.priority,
                **due_values(record),
            }
        )
        return await action_form_page(request, form, [], record=record)

    @post("/{action_id:int}/edit", name="actions:change")
    async def change(self, request: Req, action_id: FromPath[int]) -> Response[Any]:
        record = await services.action_record(action_id)
        values = await form_multi_values(request)
        usable = {agency.id for agency in await services.agencies()} | {record.agency_id}
        sent, errors = forms.clean_action(values, usable)
        if sent is None:
            form = FormState(values, errors)
            return await action_form_page(request, form, [], HTTP_400_BAD_REQUEST, record)
        await services.change_action(action_id, sent, actor_of(request))
        path = url_for(request, "actions:detail", action_id=action_id)
        return Redirect(f"{path}?done=changed", status_code=303)

    @get("/agencies", name="actions:agencies")
    async def agencies(self, done: FromQuery[str] = "") -> Template:
        return await agencies_page(FormState(), done=done)

    @post("/agencies", name="actions:add_agency")
    async def add_agency(self, request: Req) -> Response[Any]:
        values = await form_multi_values(request)
        name, errors = forms.clean_agency_name(values)
        if name is not None:
            try:
                await services.add_agency(name, actor_of(request))
            except services.ActionRefused as refused:
                errors = {refused.field: str(refused)}
        if errors:
            return await agencies_page(FormState(values, errors), HTTP_400_BAD_REQUEST)
        return Redirect(url_for(request, "actions:agencies") + "?done=added", status_code=303)

    @post("/agencies/{agency_id:int}", name="actions:retire_agency")
    async def retire_agency(self, request: Req, agency_id: FromPath[int]) -> Redirect:
        values = await form_multi_values(request)
        known = {agency.id for agency in await services.agencies(with_retired=True)}
        if agency_id not in known:
            raise services.NoSuchAction()
        retired = values.get("retired") == ["yes"]
        await services.set_retired(agency_id, retired, actor_of(request))
        done = "retired" if retired else "restored"
        return Redirect(url_for(request, "actions:agencies") + f"?done={done}", status_code=303)


async def action_form_page(
    request: Req,
    form: FormState,
    chosen: list[int],
    status_code: int = 200,
    record: services.ActionRecord | None = None,
) -> Template:
    choices = await services.agencies()
    if record is not None and record.agency_id not in {agency.id for agency in choices}:
        choices.append(services.Agency(record.agency_id, record.line.agency, retired=True))
    item_id = form.value("horizon")
    item = None
    if item_id.isdigit() and len(item_id) < 10:
        try:
            item = await horizon.item_record(int(item_id))
        except horizon.NoSuchItem:
            item = None
    return Template(
        "actions/form.html",
        context={
            "form": form,
            "horizon_item": item,
            "record": record,
            "findings": await services.findings_behind(chosen, approved_only=True),
            "agencies": [(str(agency.id), agency.name) for agency in choices],
            "priorities": list(PRIORITIES),
            "labels": labels(),
        },
        status_code=status_code,
    )


def detail_page(
    request: Req,
    record: services.ActionRecord,
    form: FormState,
    status_code: int = 200,
    done: str = "",
) -> Template:
    return Template(
        "actions/detail.html",
        context={
            "record": record,
            "form": form,
            "next_statuses": [(status.value, status.label) for status in record.next_statuses],
            "labels": labels(),
            "done": done,
        },
        status_code=status_code,
    )


async def agencies_page(form: FormState, status_code: int = 200, done: str = "") -> Template:
    return Template(
        "actions/agencies.html",
        context={
            "agencies": await services.agencies(with_retired=True),
            "form": form,
            "done": done,
        },
        status_code=status_code,
    )


# ---------------------------------------------------------------------------------------------
# Horizon scanning


def source_labels() -> dict[str, str]:
    return dict(HORIZON_SOURCES)


class HorizonController(Controller):
    """Staff's log of what others publish: add, assess, adopt through an action, or set aside."""

    path = "/staff/horizon"
    opt = STAFF
    exception_handlers = {horizon.NoSuchItem: not_found}

    @get("/", name="horizon:index")
    async def index(self, request: Req) -> Template:
        values = query_values(request)
        status = next((s.value for s in HorizonStatus if [s.value] == values.get("status")), "")
        return Template(
            "actions/horizon.html",
            context={
                "items": await horizon.items(status),
                "form": FormState(values),
                "statuses": [(s.value, s.label) for s in HorizonStatus],
                "sources": source_labels(),
                "filtered": bool(status),
            },
        )

    @get("/new", name="horizon:new")
    async def new(self) -> Template:
        return item_form_page(FormState())

    @post("/new", name="horizon:add")
    async def add(self, request: Req) -> Response[Any]:
        values = await form_multi_values(request)
        sent, errors = forms.clean_item(values)
        if sent is None:
            return item_form_page(FormState(values, errors), HTTP_400_BAD_REQUEST)
        item_id = await horizon.add_item(sent, signed_in_viewer(request).user_id, actor_of(request))
        path = url_for(request, "horizon:detail", item_id=item_id)
        return Redirect(f"{path}?done=added", status_code=303)

    @get("/{item_id:int}", name="horizon:detail")
    async def detail(self, item_id: FromPath[int], done: FromQuery[str] = "") -> Template:
        item = await horizon.item_record(item_id)
        return await item_page(item, FormState(), done=done)

    @post("/{item_id:int}/decision", name="horizon:decide")
    async def decide(self, request: Req, item_id: FromPath[int]) -> Response[Any]:
        item = await horizon.item_record(item_id)
        values = await form_multi_values(request)
        decided, errors = forms.clean_decision(values, item.next_statuses)
        if decided is not None:
            try:
                await horizon.decide(item_id, *decided, actor_of(request))
            except services.ActionRefused as refused:
                errors = {refused.field: str(refused)}
        if errors:
            return await item_page(item, FormState(values, errors), HTTP_400_BAD_REQUEST)
        path = url_for(request, "horizon:detail", item_id=item_id)
        return Redirect(f"{path}?done=decided", status_code=303)

    @post("/{item_id:int}/adopt", name="horizon:adopt")
    async def adopt(self, request: Req, item_id: FromPath[int]) -> Response[Any]:
        item = await horizon.item_record(item_id)
        values = await form_multi_values(request)
        chosen = one(values, "action")
        try:
            if not chosen.isdigit() or len(chosen) > 9:
                raise services.ActionRefused("action", "Choose an action from the list")
            await horizon.adopt(item_id, int(chosen), actor_of(request))
        except services.ActionRefused as refused:
            form = FormState(values, {refused.field: str(refused)})
            return await item_page(item, form, HTTP_400_BAD_REQUEST)
        path = url_for(request, "horizon:detail", item_id=item_id)
        return Redirect(f"{path}?done=adopted", status_code=303)


def item_form_page(form: FormState, status_code: int = 200) -> Template:
    return Template(
        "actions/horizon_new.html",
        context={"form": form, "sources": list(HORIZON_SOURCES)},
        status_code=status_code,
    )


async def item_page(
    item: horizon.Item, form: FormState, status_code: int = 200, done: str = ""
) -> Template:
    open_actions = await services.action_list(services.ActionFilters())
    return Template(
        "actions/horizon_item.html",
        context={
            "item": item,
            "form": form,
            "sources": source_labels(),
            "decisions": [(status.value, status.label) for status in item.next_statuses],
            "actions": [(str(a.id), a.title) for a in open_actions if a.status.is_open],
            "done": done,
        },
        status_code=status_code,
    )

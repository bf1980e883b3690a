"""The staff pages that choose who to invite to an engagement: the quotas form (started from the
panel's representativeness targets if staff wish), the selection it makes, and each stored
selection with its panel, reserves and everyone's chance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from panel.accounts.access import STAFF, actor_of
from panel.engagements.services import NoSuchEngagement, engagement_record
from panel.members.reference import ReferenceData, reference_of
from panel.representation.services import targets_in_force
from panel.selection.conflicts import QuotaInfeasible
from panel.selection.problem import SelectionInputError, quotas_from_targets
from panel.selections import forms, services
from panel.selections.rules import (
    FEATURE_TITLES,
    SHOWN_FEATURES,
    selection_closed,
    value_labels,
)
from panel.web.context import settings_of
from panel.web.errors import not_found
from panel.web.forms import FormState, form_multi_values
from panel.web.links import url_for

Req = Request[Any, Any, Any]


async def targets_as_values(
    reference: ReferenceData, fields: Mapping[str, list[forms.QuotaField]], panel_size: int
) -> dict[str, list[str]]:
    """The quota boxes filled in from the representativeness targets, rounded to the panel."""
    values: dict[str, list[str]] = {}
    for dimension, targets in (await targets_in_force(reference)).items():
        if dimension not in fields or not targets.shares:
            continue
        by_value = {box.code: box for box in fields[dimension]}
        for quota in quotas_from_targets(dimension, targets.shares, panel_size):
            box = by_value.get(quota.value)
            if box is not None:
                values[box.minimum_name] = [str(quota.minimum)]
                values[box.maximum_name] = [str(quota.maximum)]
    return values


async def select_page(
    request: Req,
    engagement_id: int,
    form: FormState,
    conflict: Sequence[str] = (),
    status_code: int = 200,
) -> Template:
    engagement = await engagement_record(engagement_id)
    fields = forms.quota_fields(value_labels(reference_of(request)))
    return Template(
        "selections/select.html",
        context={
            "engagement": engagement,
            "form": form,
            "fields": fields,
            "titles": FEATURE_TITLES,
            "conflict": conflict,
            "closed": selection_closed(engagement.status),
            "past": await services.selections_of(engagement_id),
        },
        status_code=status_code,
    )


class SelectionsController(Controller):
    path = "/staff/engagements/{engagement_id:int}"
    opt = STAFF
    exception_handlers = {NoSuchEngagement: not_found, services.NoSuchSelection: not_found}

    @get("/select", name="selections:select")
    async def select(
        self, request: Req, engagement_id: FromPath[int], start: FromQuery[str] = ""
    ) -> Template:
        engagement = await engagement_record(engagement_id)
        size = engagement.plan.capacity
        values: dict[str, list[str]] = {
            "panel_size": [str(size)],
            "reserves": [str(engagement.plan.reserves)],
        }
        if start == "targets":
            fields = forms.quota_fields(value_labels(reference_of(request)))
            values |= await targets_as_values(reference_of(request), fields, size)
        return await select_page(request, engagement_id, FormState(values))

    @post("/select", name="selections:run")
    async def run(self, request: Req, engagement_id: FromPath[int]) -> Response[Any]:
        values = await form_multi_values(request)
        fields = forms.quota_fields(value_labels(reference_of(request)))
        wanted, errors = forms.clean_selection(values, fields)
        if wanted is None:
            return await select_page(
                request, engagement_id, FormState(values, errors), status_code=400
            )
        try:
            selection_id = await services.run_selection(
                engagement_id,
                wanted,
                reference_of(request),
                settings_of(request),
                actor_of(request),
            )
        except services.SelectionClosed:
            # The page says why, in place of the form.
            return await select_page(request, engagement_id, FormState(values), status_code=409)
        except SelectionInputError as unusable:
            errors = {"panel_size": f"The selection cannot be made: {unusable}"}
            return await select_page(
                request, engagement_id, FormState(values, errors), status_code=400
            )
        except QuotaInfeasible as infeasible:
            errors = {"quotas": "No panel can meet all these quotas: see why below"}
            return await select_page(
                request,
                engagement_id,
                FormState(values, errors),
                conflict=[
                    line.strip().removeprefix("- ")
                    for line in infeasible.explanation().splitlines()
                ],
                status_code=400,
            )
        path = url_for(
            request, "selections:detail", engagement_id=engagement_id, selection_id=selection_id
        )
        return Redirect(path, status_code=303)

    @get("/selections/{selection_id:int}", name="selections:detail")
    async def detail(
        self,
        request: Req,
        engagement_id: FromPath[int],
        selection_id: FromPath[int],
        done: FromQuery[str] = "",
    ) -> Template:
        engagement = await engagement_record(engagement_id)
        found = await services.selection_record(selection_id, engagement_id)
        return Template(
            "selections/detail.html",
            context={
                "engagement": engagement,
                "selection": found,
                "shown": [FEATURE_TITLES[feature] for feature in SHOWN_FEATURES],
                "done": done,
            },
        )

    @get("/selections/{selection_id:int}/swap/{member_id:int}", name="selections:swap")
    async def swap(
        self,
        request: Req,
        engagement_id: FromPath[int],
        selection_id: FromPath[int],
        member_id: FromPath[int],
    ) -> Template:
        return await swap_page(engagement_id, selection_id, member_id, FormState())

    @post("/selections/{selection_id:int}/swap/{member_id:int}", name="selections:swap_submit")
    async def swap_submit(
        self,
        request: Req,
        engagement_id: FromPath[int],
        selection_id: FromPath[int],
        member_id: FromPath[int],
    ) -> Response[Any]:
        found = await services.selection_record(selection_id, engagement_id)
        values = await form_multi_values(request)
        wanted, errors = forms.clean_swap(
            values, {member.member_id: member.name for member in found.reserves}
        )
        if wanted is None:
            return await swap_page(
                engagement_id, selection_id, member_id, FormState(values, errors), 400
            )
        added, reason = wanted
        try:
            await services.swap_member(
                engagement_id, selection_id, member_id, added, reason, actor_of(request)
            )
        except services.SwapRefused as refused:
            errors = {"added": str(refused)}
            return await swap_page(
                engagement_id, selection_id, member_id, FormState(values, errors), 409
            )
        path = url_for(
            request, "selections:detail", engagement_id=engagement_id, selection_id=selection_id
        )
        return Redirect(f"{path}?done=swapped", status_code=303)


async def swap_page(
    engagement_id: int,
    selection_id: int,
    member_id: int,
    form: FormState,
    status_code: int = 200,
) -> Template:
    """Taking one chosen member off the panel: which reserve takes their place, and why."""
    engagement = await engagement_record(engagement_id)
    found = await services.selection_record(selection_id, engagement_id)
    leaving = next((member for member in found.panel if member.member_id == member_id), None)
    if leaving is None:
        raise services.NoSuchSelection()
    return Template(
        "selections/swap.html",
        context={
            "engagement": engagement,
            "selection": found,
            "leaving": leaving,
            "form": form,
            "reserves": [
                (
                    str(member.member_id),
                    f"{member.reserve_rank}. {member.name}, "
                    f"{member.features.get(FEATURE_TITLES['district'], '')}",
                )
                for member in found.reserves
            ],
        },
        status_code=status_code,
    )

"""The representativeness dashboard (staff), the same with small numbers hidden (the board), and the
admin pages that set the targets it compares with."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from panel.accounts.access import ADMIN_ONLY, REPORT_READERS, STAFF, actor_of
from panel.members.reference import reference_of
from panel.representation import forms, services
from panel.representation.rules import DIMENSIONS, DIMENSIONS_BY_CODE
from panel.web.context import settings_of
from panel.web.errors import not_found
from panel.web.forms import FormState, form_values
from panel.web.links import url_for

Req = Request[Any, Any, Any]


class RepresentationController(Controller):
    @get("/staff/representation", name="representation:dashboard", opt=STAFF)
    async def dashboard(self, request: Req) -> Template:
        found = await services.representation(
            reference_of(request), settings_of(request).consent_renewal
        )
        return Template(
            "representation/dashboard.html",
            context={"report": found, "refresh_minutes": refresh_minutes()},
        )

    @post("/staff/representation/count", name="representation:count", opt=STAFF)
    async def count_now(self, request: Req) -> Redirect:
        """Count the panel now rather than wait for the worker: after a change staff made."""
        await services.refresh_summary(reference_of(request), settings_of(request).consent_renewal)
        return Redirect(url_for(request, "representation:dashboard"), status_code=303)

    @get("/board/representation", name="representation:board", opt=REPORT_READERS)
    async def board(self, request: Req) -> Template:
        settings = settings_of(request)
        found = await services.representation(
            reference_of(request), settings.consent_renewal, settings.small_count_threshold
        )
        return Template(
            "representation/dashboard.html",
            context={"report": found, "refresh_minutes": refresh_minutes()},
        )


def refresh_minutes() -> int:
    return int(services.SUMMARY_REFRESH.total_seconds() // 60)


class TargetsController(Controller):
    path = "/admin/representation/targets"
    opt = ADMIN_ONLY
    exception_handlers = {services.UnknownDimension: not_found}

    async def edit_page(
        self, request: Req, dimension: str, form: FormState | None = None, status_code: int = 200
    ) -> Template:
        services.check_dimension(dimension)
        reference = reference_of(request)
        targets = (await services.targets_in_force(reference))[dimension]
        return Template(
            "representation/targets_edit.html",
            context={
                "dimension": DIMENSIONS_BY_CODE[dimension],
                "options": [
                    (choice.code, choice.label) for choice in reference.choices_of(dimension)
                ],
                "targets": targets,
                "area": reference.area,
                "form": form or FormState(forms.initial_values(targets.shares, targets.source)),
            },
            status_code=status_code,
        )

    @get("/", name="representation:targets")
    async def index(self, request: Req, done: FromQuery[str] = "") -> Template:
        reference = reference_of(request)
        return Template(
            "representation/targets.html",
            context={
                "dimensions": DIMENSIONS,
                "targets": await services.targets_in_force(reference),
                "reference": reference,
                "done": DIMENSIONS_BY_CODE.get(done.partition(":")[2]),
                "done_what": done.partition(":")[0],
            },
        )

    @get("/{dimension:str}", name="representation:targets_edit")
    async def edit(self, request: Req, dimension: FromPath[str]) -> Template:
        return await self.edit_page(request, dimension)

    @post("/{dimension:str}", name="representation:targets_save")
    async def save(self, request: Req, dimension: FromPath[str]) -> Response[Any]:
        services.check_dimension(dimension)
        values = await form_values(request)
        cleaned, errors = forms.clean_targets(reference_of(request).choices_of(dimension), values)
        if cleaned is None:
            return await self.edit_page(request, dimension, FormState(values, errors), 400)
        await services.save_targets(dimension, cleaned.shares, cleaned.source, actor_of(request))
        return Redirect(
            url_for(request, "representation:targets") + f"?done=saved:{dimension}#{dimension}",
            status_code=303,
        )

    @post("/{dimension:str}/defaults", name="representation:targets_restore")
    async def restore(self, request: Req, dimension: FromPath[str]) -> Response[Any]:
        await services.restore_default_targets(dimension, actor_of(request))
        return Redirect(
            url_for(request, "representation:targets") + f"?done=restored:{dimension}#{dimension}",
            status_code=303,
        )

"""The staff pages that import an existing panel from a spreadsheet: the format with a template to
download, the upload (checked whole, then imported or reported), and what was added."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from panel.accounts.access import STAFF, actor_of
from panel.imports import services
from panel.imports.rules import MAX_ROWS, PROBLEMS_SHOWN, Problem, safe_file_name, size_label
from panel.members.reference import reference_of
from panel.settings import Settings
from panel.web.context import settings_of
from panel.web.forms import FormState, submitted_form
from panel.web.links import url_for

FILE_FIELD = "file"
# What a browser sends around the file itself: the multipart headers and the CSRF field.
UPLOAD_OVERHEAD_BYTES = 64 * 1024

Req = Request[Any, Any, Any]


async def import_page(
    request: Req, form: FormState, problems: list[Problem] | None = None, status_code: int = 200
) -> Template:
    settings = settings_of(request)
    problems = problems or []
    return Template(
        "imports/start.html",
        context={
            "form": form,
            "problems": problems[:PROBLEMS_SHOWN],
            "problems_not_shown": max(0, len(problems) - PROBLEMS_SHOWN),
            "guide": await services.format_guide(reference_of(request)),
            "max_size": size_label(settings.import_max_bytes),
            "max_rows": MAX_ROWS,
            "renewal_months": settings.consent_renewal_months,
        },
        status_code=status_code,
    )


def too_large(request: Req, exc: Exception) -> Response[Any]:
    return Template(
        "imports/too_large.html",
        context={"max_size": size_label(settings_of(request).import_max_bytes)},
        status_code=413,
    )


class ImportController(Controller):
    path = "/staff/import"
    opt = STAFF

    @get("/", name="imports:start")
    async def start(self, request: Req) -> Template:
        return await import_page(request, FormState())

    @get("/template.csv", name="imports:template")
    async def template(self, request: Req) -> Response[str]:
        return Response(
            services.template_file(reference_of(request), settings_of(request)),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="panel-import-template.csv"'},
        )

    @get("/done", name="imports:done")
    async def done(self, added: FromQuery[int] = 0) -> Template:
        return Template("imports/done.html", context={"added": max(0, added)})


async def upload(request: Req) -> Response[Any]:
    """Check the file and import it, or show every problem with it (nothing imported)."""
    settings = settings_of(request)
    uploaded = (await submitted_form(request)).get(FILE_FIELD)
    if not isinstance(uploaded, UploadFile) or not uploaded.filename:
        form = FormState(errors={FILE_FIELD: "Choose the CSV file to import"})
        return await import_page(request, form, status_code=400)
    try:
        data = await uploaded.read(settings.import_max_bytes + 1)
    finally:
        await uploaded.close()
    outcome = await services.import_panel(
        safe_file_name(uploaded.filename), data, reference_of(request), settings, actor_of(request)
    )
    if outcome.problems:
        count = len(outcome.problems)
        message = (
            f"The file has {count:,} {'problem' if count == 1 else 'problems'}, so nobody was "
            "imported. Correct the file and upload it again"
        )
        form = FormState(errors={FILE_FIELD: message})
        return await import_page(request, form, outcome.problems, status_code=400)
    return Redirect(url_for(request, "imports:done") + f"?added={outcome.added}", status_code=303)


def upload_route(settings: Settings) -> HTTPRouteHandler:
    """The one route allowed a body larger than the app's 1 MiB: the file, up to
    ``PANEL_IMPORT_MAX_BYTES``, and the form around it. Larger gets a 413 page about the import."""
    return post(
        "/staff/import",  # the same address as the import page (ImportController.path)
        name="imports:upload",
        opt=STAFF,
        request_max_body_size=settings.import_max_bytes + UPLOAD_OVERHEAD_BYTES,
        exception_handlers={
            RequestEntityTooLarge: too_large,
            services.FileTooLarge: too_large,
        },
    )(upload)


def import_routes(settings: Settings) -> list[Any]:
    return [ImportController, upload_route(settings)]

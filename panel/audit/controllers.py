"""The admin's view of the audit log."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromQuery
from litestar.response import Template

from panel.accounts.rules import Role
from panel.audit.forms import clean_filters
from panel.audit.services import ACTIONS, browse_events
from panel.web.forms import FormState, plain_text


class AuditController(Controller):
    path = "/admin/audit"
    opt = {"roles": frozenset({Role.ADMIN})}

    @get("/", name="audit:index")
    async def index(
        self,
        action: FromQuery[str] = "",
        actor: FromQuery[str] = "",
        since: FromQuery[str] = "",
        until: FromQuery[str] = "",
        page: FromQuery[int] = 1,
    ) -> Template:
        values = {
            name: plain_text(value)
            for name, value in {
                "action": action,
                "actor": actor,
                "since": since,
                "until": until,
            }.items()
        }
        wanted, errors = clean_filters(values, page)
        result = await browse_events(wanted)
        return Template(
            "audit/index.html",
            context={
                "form": FormState(values, errors),
                "result": result,
                "actions": ACTIONS,
                "action_options": [("", "Any action"), *ACTIONS.items()],
                "query": {k: v for k, v in values.items() if v},
            },
            status_code=400 if errors else 200,
        )

"""The admin's view of the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from litestar import Controller, get
from litestar.params import FromQuery
from litestar.response import Template

from panel.accounts.rules import Role
from panel.audit.services import ACTIONS, AuditFilter, browse_events
from panel.web.forms import FormState, plain_text


def parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


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
        action, actor, since, until = (
            values["action"],
            values["actor"],
            values["since"],
            values["until"],
        )
        errors = {}
        since_day, until_day = parse_day(since), parse_day(until)
        if since and since_day is None:
            errors["since"] = "Enter the date as year-month-day, like 2026-11-01"
        if until and until_day is None:
            errors["until"] = "Enter the date as year-month-day, like 2026-11-30"
        if action and action not in ACTIONS:
            errors["action"] = "Select an action from the list"
        wanted = AuditFilter(
            action=action if "action" not in errors else "",
            actor_email=actor.strip(),
            since=datetime.combine(since_day, time(), UTC) if since_day else None,
            until=datetime.combine(until_day, time(), UTC) + timedelta(days=1)
            if until_day
            else None,
            page=page,
        )
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

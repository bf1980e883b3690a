"""What every form page shares: the submitted values, the errors, and reading the body."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from litestar import Request


@dataclass
class FormState:
    """A form's values as the person typed them and a message for each field that is wrong.

    Templates render fields from it, so a failed form comes back exactly as it was sent. Values are
    single strings, or lists where a field can be sent more than once (a group of checkboxes): see
    ``form_multi_values``.
    """

    values: Mapping[str, str | list[str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        """The field's value (the first one, if it was sent more than once)."""
        value = self.values.get(name, "")
        if isinstance(value, list):
            return value[0] if value else ""
        return value

    def all_values(self, name: str) -> list[str]:
        """Every value sent for the field: the ticked boxes of a checkbox group."""
        value = self.values.get(name, [])
        if isinstance(value, list):
            return value
        return [value] if value else []

    def error(self, name: str) -> str | None:
        return self.errors.get(name)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)


def plain_text(value: str) -> str:
    """Text as a person could have typed it: NUL characters dropped (PostgreSQL cannot store them,
    and no one types them)."""
    return value.replace("\x00", "")


async def form_values(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The submitted form as plain strings (the first value of any repeated field)."""
    form = await request.form()
    return {
        plain_text(key): plain_text(value) for key, value in form.items() if isinstance(value, str)
    }


async def form_multi_values(request: Request[Any, Any, Any]) -> dict[str, list[str]]:
    """The submitted form as a multi-dict: each field name with every value sent for it, in order.

    For forms with checkbox groups. ``panel.members.forms`` cleans values in this shape."""
    form = await request.form()
    values: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            values.setdefault(plain_text(key), []).append(plain_text(value))
    return values


def page_title(title: str, form: FormState | None) -> str:
    return f"Error: {title}" if form is not None and form.has_errors else title

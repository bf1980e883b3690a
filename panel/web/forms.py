"""What every form page shares: the submitted values, the errors, and reading the body."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar import Request


@dataclass
class FormState:
    """A form's values as the person typed them and a message for each field that is wrong.

    Templates render fields from it, so a failed form comes back exactly as it was sent.
    """

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        return self.values.get(name, "")

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


def page_title(title: str, form: FormState | None) -> str:
    return f"Error: {title}" if form is not None and form.has_errors else title

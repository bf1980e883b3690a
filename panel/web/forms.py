"""What every form page shares: the submitted values, the errors, and reading the body."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import unquote_to_bytes

from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException


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


class UnreadableForm(ClientException):
    """The body is not a form a browser sends: text that is not UTF-8, or a broken %-escape.

    A plain 400 page (``panel.web.errors``), never a server error."""

    def __init__(self) -> None:
        super().__init__("The form could not be read")


# A "%" not followed by two hex digits; and an escape of a byte above 127, part of a UTF-8 character.
BROKEN_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
NON_ASCII_ESCAPE = re.compile(rb"%[89A-Fa-f][0-9A-Fa-f]")


def well_formed_url_encoded(body: bytes) -> bool:
    """Whether a urlencoded body is one a browser could send: ASCII, every "%" a whole escape, and
    the escaped bytes UTF-8. Litestar would read any other silently, as replacement characters."""
    if not body.isascii() or BROKEN_ESCAPE.search(body):
        return False
    if NON_ASCII_ESCAPE.search(body) is None:
        return True
    try:
        # "&" and "=" are ASCII, so the whole body decodes exactly when every name and value does.
        unquote_to_bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


async def submitted_form(request: Request[Any, Any, Any]) -> FormMultiDict:
    """The submitted form, parsed once a request (Litestar keeps it in the scope for the next
    reader). A body that is not well-formed UTF-8 is refused with a 400."""
    content_type, _ = request.content_type
    if content_type == RequestEncodingType.URL_ENCODED and not well_formed_url_encoded(
        await request.body()
    ):
        raise UnreadableForm()
    try:
        return await request.form()
    except (UnicodeDecodeError, LookupError) as error:  # a multipart value, or its charset
        raise UnreadableForm() from error


async def form_values(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The submitted form as plain strings (the first value of any repeated field)."""
    form = await submitted_form(request)
    return {
        plain_text(key): plain_text(value) for key, value in form.items() if isinstance(value, str)
    }


async def form_multi_values(request: Request[Any, Any, Any]) -> dict[str, list[str]]:
    """The submitted form as a multi-dict: each field name with every value sent for it, in order.

    For forms with checkbox groups. ``panel.members.forms`` cleans values in this shape."""
    form = await submitted_form(request)
    values: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            values.setdefault(plain_text(key), []).append(plain_text(value))
    return values


def query_values(request: Request[Any, Any, Any]) -> dict[str, list[str]]:
    """A page's query (a form sent by GET, such as filters) as a multi-dict, like a form's."""
    values: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        values.setdefault(plain_text(key), []).append(plain_text(value))
    return values


# A form as cleaning functions take it: each field's values as sent (several for a checkbox
# group), and what they return for the fields that are wrong.
Values = Mapping[str, Sequence[str]]
Errors = dict[str, str]


def one(values: Values, name: str) -> str:
    """A single field's value, trimmed ("" when it was not sent)."""
    sent = values.get(name) or [""]
    return sent[0].strip()


def many(values: Values, name: str) -> list[str]:
    """Every value sent for a field (a checkbox group), once each, in the order sent."""
    return list(dict.fromkeys(value.strip() for value in values.get(name, ()) if value.strip()))


def codes(options: Iterable[tuple[str, str]]) -> set[str]:
    """The codes of a list of (code, label) answers."""
    return {code for code, _ in options}


def date_from_fields(values: Values, name: str) -> date | None:
    """A date from the day, month and year boxes of ``date_field`` (None unless it is a real date)."""
    parts = [one(values, f"{name}-{part}") for part in ("day", "month", "year")]
    if not all(part.isdigit() and len(part) <= 4 for part in parts):
        return None
    day, month, year = (int(part) for part in parts)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def page_title(title: str, form: FormState | None) -> str:
    return f"Error: {title}" if form is not None and form.has_errors else title


def page_number(text: str) -> int:
    """The page of a list asked for in the query string; the first for anything else (the list
    then keeps it within its pages)."""
    text = text.strip()
    return max(1, int(text)) if text.isdigit() and len(text) < 7 else 1

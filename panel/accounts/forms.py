"""Validation of the account forms: raw values in, cleaned values or a message per field out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from panel.accounts.rules import (
    PASSWORD_MAX_LENGTH,
    is_code_shape,
    password_problem,
)

EMAIL_PATTERN = re.compile(r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+$")
MAX_EMAIL_LENGTH = 320


def email_problem(email: str) -> str | None:
    if not email:
        return "Enter your email address"
    if len(email) > MAX_EMAIL_LENGTH or not EMAIL_PATTERN.match(email):
        return "Enter an email address in the correct format, like name@example.com"
    return None


@dataclass(frozen=True)
class SignInForm:
    email: str
    password: str


def clean_sign_in(values: dict[str, str]) -> tuple[SignInForm | None, dict[str, str]]:
    email = values.get("email", "").strip()
    password = values.get("password", "")
    errors = {}
    if problem := email_problem(email):
        errors["email"] = problem
    if not password:
        errors["password"] = "Enter your password"  # noqa: S105 -- a message, not a password
    elif len(password) > PASSWORD_MAX_LENGTH:
        errors["password"] = "Enter a correct email address and password"  # noqa: S105
    if errors:
        return None, errors
    return SignInForm(email=email, password=password), {}


def clean_email_only(values: dict[str, str]) -> tuple[str | None, dict[str, str]]:
    email = values.get("email", "").strip()
    if problem := email_problem(email):
        return None, {"email": problem}
    return email, {}


def clean_new_password(
    values: dict[str, str], email: str, service_name: str
) -> tuple[str | None, dict[str, str]]:
    password = values.get("password", "")
    confirm = values.get("password_confirm", "")
    if not password:
        return None, {"password": "Enter a new password"}
    if problem := password_problem(password, email, service_name):
        return None, {"password": problem}
    if confirm != password:
        return None, {
            "password_confirm": "The passwords do not match. Type the same password twice"
        }
    return password, {}


def clean_code(values: dict[str, str]) -> tuple[str | None, dict[str, str]]:
    code = "".join(values.get("code", "").split())
    if not code:
        return None, {"code": "Enter the 6-digit code from your authenticator app"}
    if not is_code_shape(code):
        return None, {"code": "The code must be 6 digits, like 123456"}
    return code, {}

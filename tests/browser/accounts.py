"""The accounts tests sign in with."""

from __future__ import annotations

import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class Account:
    email: str
    password: str


def new_password() -> str:
    """A password the service accepts: long, not a common one, and different every time."""
    return f"quiet harbour {secrets.token_hex(4)} lamp"

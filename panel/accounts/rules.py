"""Pure decisions about accounts: password rules, session lifetimes, throttling, two-factor codes."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from zxcvbn.frequency_lists import FREQUENCY_LISTS

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128
TOTP_STEP_SECONDS = 30


class Role(enum.StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    FACILITATOR = "facilitator"
    BOARD = "board"
    MEMBER = "member"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.STAFF: "Staff",
    Role.FACILITATOR: "Facilitator",
    Role.BOARD: "Board member",
    Role.MEMBER: "Panel member",
}

# Accounts of the people who run the panel, as against members' accounts.
STAFF_ROLES = frozenset({Role.ADMIN, Role.STAFF, Role.FACILITATOR, Role.BOARD})

# Roles that can see other people's information must prove who they are twice.
ROLES_NEEDING_TWO_FACTOR = frozenset({Role.ADMIN, Role.STAFF, Role.FACILITATOR, Role.BOARD})


class SessionStage(enum.StrEnum):
    """How far a sign-in has got. Only ``COMPLETE`` sessions are signed in."""

    TWO_FACTOR_SETUP = "2fa_setup"
    TWO_FACTOR_CHECK = "2fa_check"
    COMPLETE = "complete"


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords, from the list the zxcvbn package ships."""
    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def password_problem(password: str, email: str, service_name: str) -> str | None:
    """Why a new password is refused, in words for the person choosing it; None when it is fine.

    No composition rules (NCSC and NIST advice): length, and not a guessable password.
    """
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"Password must be {PASSWORD_MIN_LENGTH} characters or more"
    if len(password) > PASSWORD_MAX_LENGTH:
        return f"Password must be {PASSWORD_MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    if lowered in common_passwords() or lowered.strip() in common_passwords():
        return "This password is too common. Choose a different one, for example three random words"
    local_part = email.lower().split("@", 1)[0]
    if email and (email.lower() in lowered or (len(local_part) >= 4 and local_part in lowered)):
        return "Password must not contain your email address"
    # Compare letters and digits only, so "Victims' Voice Panel" also catches "victimsvoicepanel".
    service = _letters_and_digits(service_name)
    if service and (service_name.lower() in lowered or service in _letters_and_digits(password)):
        return "Password must not contain the name of this service"
    return None


def _letters_and_digits(text: str) -> str:
    return "".join(character for character in text.lower() if character.isalnum())


def needs_two_factor(role: str) -> bool:
    return role in ROLES_NEEDING_TWO_FACTOR


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta
    absolute: timedelta
    # A sign-in half done (password right, code not yet given) does not wait for long.
    unfinished: timedelta = timedelta(minutes=10)
    # last_seen_at is written at most this often, so reading a page is not a write.
    touch_every: timedelta = timedelta(seconds=60)


def session_expired(
    created_at: datetime, last_seen_at: datetime, stage: str, now: datetime, limits: SessionLimits
) -> bool:
    if stage != SessionStage.COMPLETE and now - created_at > limits.unfinished:
        return True
    return now - last_seen_at > limits.idle or now - created_at > limits.absolute


def session_needs_touch(last_seen_at: datetime, now: datetime, limits: SessionLimits) -> bool:
    return now - last_seen_at >= limits.touch_every


def sign_in_throttled(
    failures_for_account: int, failures_for_address: int, limits: tuple[int, int]
) -> bool:
    max_account, max_address = limits
    return failures_for_account >= max_account or failures_for_address >= max_address


def totp_step(at: datetime) -> int:
    return int(at.timestamp()) // TOTP_STEP_SECONDS


# Guessing two-factor codes: a half-signed-in session ends after this many wrong codes, and an
# account's code step is locked for a while after this many in an hour, whatever the session.
CODE_FAILURES_PER_SESSION = 5
CODE_FAILURES_PER_HOUR = 10
CODE_FAILURE_WINDOW = timedelta(hours=1)
CODE_LOCK = timedelta(minutes=15)


def is_code_shape(code: str) -> bool:
    """Six ASCII digits. Other scripts' digits are digits to ``str.isdigit`` but are never a code."""
    return len(code) == 6 and code.isascii() and code.isdigit()


def code_step_locked_until(failures: list[datetime], now: datetime) -> datetime | None:
    """When the account's two-factor step opens again, or None when it is open now.

    It locks for ``CODE_LOCK`` from any wrong code that was the ``CODE_FAILURES_PER_HOUR``-th within
    an hour. Codes tried while it is locked are not checked, so are not counted.
    """
    ordered = sorted(failures)
    lock_ends = [
        ordered[index] + CODE_LOCK
        for index in range(CODE_FAILURES_PER_HOUR - 1, len(ordered))
        if ordered[index] - ordered[index - CODE_FAILURES_PER_HOUR + 1] <= CODE_FAILURE_WINDOW
    ]
    latest = max(lock_ends, default=None)
    return latest if latest is not None and latest > now else None


def accepted_totp_step(matching_steps: list[int], last_used_step: int) -> int | None:
    """The step a code is accepted for: one that matched and is newer than the last one used.

    A code that was used already (or an older one) is refused, so a code seen over someone's
    shoulder cannot be replayed.
    """
    fresh = [step for step in matching_steps if step > last_used_step]
    return max(fresh) if fresh else None

"""The staff member's authenticator app, as a test drives it."""

from __future__ import annotations

import time

import pyotp

STEP_SECONDS = 30


def current_step() -> int:
    return int(time.time()) // STEP_SECONDS


class Authenticator:
    """Gives codes from the key shown at set-up, never the same step twice.

    The service refuses a code it has already accepted. A person would wait for the app to show
    a new one; the service also accepts the next step's code (one step of clock drift), so the
    second sign-in in a 30-second window uses that instead, and only a third would have to wait.
    """

    def __init__(self, key: str) -> None:
        self.totp = pyotp.TOTP("".join(key.split()))
        self.last_step = 0

    def code(self) -> str:
        step = max(current_step(), self.last_step + 1)
        while step > current_step() + 1:
            time.sleep(0.2)
        self.last_step = step
        return self.totp.at(step * STEP_SECONDS)

    def code_already_used(self) -> str:
        """The last code this app gave, which the service has accepted once already."""
        return self.totp.at(self.last_step * STEP_SECONDS)

    def wrong_code(self) -> str:
        """A well-formed code that no step the service would accept right now gives."""
        now = current_step()
        accepted = {self.totp.at(step * STEP_SECONDS) for step in range(now - 2, now + 3)}
        return next(
            code for code in ("123456", "654321", "111111", "000000") if code not in accepted
        )

"""Accounts: signing in and out, server-side sessions, two-factor, password resets, users and roles."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import pyotp

from panel import db
from panel.accounts.passwords import Passwords
from panel.accounts.rules import (
    CODE_FAILURE_WINDOW,
    CODE_FAILURES_PER_SESSION,
    CODE_LOCK,
    STAFF_ROLES,
    TOTP_STEP_SECONDS,
    Role,
    SessionLimits,
    SessionStage,
    accepted_totp_step,
    code_step_locked_until,
    is_code_shape,
    needs_two_factor,
    session_expired,
    session_needs_touch,
    sign_in_throttled,
    totp_step,
)
from panel.accounts.sealing import seal, unseal
from panel.accounts.tables import (
    SignInFailure,
    TwoFactorFailure,
    User,
    WebSession,
)
from panel.audit.services import Actor, record_event
from panel.keys import keyed_hash, token_hash
from panel.settings import Settings


class AccountError(Exception):
    """A request about an account that cannot be carried out; the message is for the person."""


class NoSuchAccount(Exception):
    """There is no such staff account (a member's account is not one)."""


def now_utc() -> datetime:
    return datetime.now(UTC)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def session_limits(settings: Settings) -> SessionLimits:
    return SessionLimits(
        idle=timedelta(minutes=settings.session_idle_minutes),
        absolute=timedelta(hours=settings.session_absolute_hours),
    )


# ---------------------------------------------------------------------------------------------
# Sessions


@dataclass(frozen=True)
class Viewer:
    """The person behind a request, from their session."""

    session_id: int
    user_id: int
    email: str
    role: str
    is_demo: bool
    stage: str
    pending_totp_sealed: str | None

    @property
    def role_label(self) -> str:
        return Role(self.role).label


# Written out rather than built with Piccolo's query builder: this runs on every signed-in request,
# and building the joined query cost three times as much as running it (bench/README.md).
LOAD_SESSION_SQL = """
SELECT s.id, s.stage, s.pending_totp_sealed, s.created_at, s.last_seen_at,
       u.id AS user_id, u.email, u.role, u.status, u.is_demo
FROM web_session AS s JOIN panel_user AS u ON u.id = s."user"
WHERE s.token_hash = {} AND s.ended_at IS NULL
LIMIT 1
"""


async def load_session(
    token: str, settings: Settings, now: datetime | None = None
) -> Viewer | None:
    """The live session for a cookie's token, or None. Ends it if it has run out."""
    now = now or now_utc()
    rows = await db.fetch_small(LOAD_SESSION_SQL, token_hash(token))
    row = rows[0] if rows else None
    if row is None:
        return None
    limits = session_limits(settings)
    if row["status"] != "active" or session_expired(
        row["created_at"], row["last_seen_at"], row["stage"], now, limits
    ):
        await end_session(row["id"], now)
        return None
    if session_needs_touch(row["last_seen_at"], now, limits):
        await touch_session(row["id"], now)
    return Viewer(
        session_id=row["id"],
        user_id=row["user_id"],
        email=row["email"],
        role=row["role"],
        is_demo=row["is_demo"],
        stage=row["stage"],
        pending_totp_sealed=row["pending_totp_sealed"],
    )


async def touch_session(session_id: int, now: datetime | None = None) -> None:
    await WebSession.update({WebSession.last_seen_at: now or now_utc()}).where(
        WebSession.id == session_id
    )


async def start_session(user_id: int, stage: SessionStage, replaces: int | None = None) -> str:
    """A new session with a new token (never the one the browser brought), ending any it replaces."""
    token = secrets.token_urlsafe(32)
    async with db.transaction():
        if replaces is not None:
            await end_session(replaces)
        await WebSession.insert(
            WebSession(token_hash=token_hash(token), user=user_id, stage=stage.value)
        )
    return token


async def end_session(session_id: int, now: datetime | None = None) -> None:
    await WebSession.update({WebSession.ended_at: now or now_utc()}).where(
        WebSession.id == session_id, WebSession.ended_at.is_null()
    )


async def end_all_sessions(user_id: int) -> None:
    await WebSession.update({WebSession.ended_at: now_utc()}).where(
        WebSession.user == user_id, WebSession.ended_at.is_null()
    )


async def sign_out(viewer: Viewer, actor: Actor) -> None:
    async with db.transaction():
        await end_session(viewer.session_id)
        await record_event("sign_out", actor, object_type="user", object_id=viewer.user_id)


# ---------------------------------------------------------------------------------------------
# Signing in


class SignInOutcome(StrEnum):
    SIGNED_IN = "signed_in"
    REFUSED = "refused"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class SignIn:
    outcome: SignInOutcome
    token: str | None = None
    stage: SessionStage | None = None
    role: str | None = None


async def count_recent_failures(key: str, since: datetime) -> int:
    return await SignInFailure.count().where(
        SignInFailure.key_hash == key, SignInFailure.at >= since
    )


async def sign_in(
    email: str,
    password: str,
    client_address: str,
    settings: Settings,
    passwords: Passwords,
    replaces: int | None = None,
) -> SignIn:
    """Check an email and password. Known and unknown emails take the same path and the same time."""
    email = normalise_email(email)
    now = now_utc()
    account_key = keyed_hash(settings.secret_key, "account", email)
    address_key = keyed_hash(settings.secret_key, "address", client_address)
    actor = Actor(
        user_id=None, client_hash=keyed_hash(settings.secret_key, "client", client_address)
    )
    since = now - timedelta(minutes=settings.sign_in_window_minutes)
    user = await User.select().where(User.email == email).first()
    throttled = sign_in_throttled(
        await count_recent_failures(account_key, since),
        await count_recent_failures(address_key, since),
        (settings.sign_in_max_failures_per_account, settings.sign_in_max_failures_per_address),
    )
    # The hash is checked even when the answer is already known, so timing gives nothing away.
    verdict = await passwords.verify(user["password_hash"] if user else None, password)
    if user is None or user["status"] != "active" or not verdict.matches or throttled:
        async with db.transaction():
            await SignInFailure.insert(
                SignInFailure(key_hash=account_key, at=now),
                SignInFailure(key_hash=address_key, at=now),
            )
            await record_event(
                "sign_in_throttled" if throttled else "sign_in_failed",
                Actor(user_id=user["id"] if user else None, client_hash=actor.client_hash),
                object_type="user" if user else "",
                object_id=user["id"] if user else "",
            )
        return SignIn(SignInOutcome.THROTTLED if throttled else SignInOutcome.REFUSED)

    skip_two_factor = settings.demo and user["is_demo"]
    if not needs_two_factor(user["role"]) or skip_two_factor:
        stage = SessionStage.COMPLETE
    elif user["totp_secret_sealed"]:
        stage = SessionStage.TWO_FACTOR_CHECK
    else:
        stage = SessionStage.TWO_FACTOR_SETUP
    async with db.transaction():
        if verdict.new_hash:
            await User.update({User.password_hash: verdict.new_hash}).where(User.id == user["id"])
        token = await start_session(user["id"], stage, replaces=replaces)
        if stage == SessionStage.COMPLETE:
            await complete_sign_in(user["id"], actor)
    return SignIn(SignInOutcome.SIGNED_IN, token=token, stage=stage, role=user["role"])


async def lift_sign_in_lock(email: str, settings: Settings) -> None:
    """Forget the account's failed sign-ins: someone locked out by failed attempts (theirs or
    another's) gets in again once they have set a new password, and erasure leaves no key."""
    await SignInFailure.delete().where(
        SignInFailure.key_hash == keyed_hash(settings.secret_key, "account", normalise_email(email))
    )


async def erase_account(user_id: int | None, email: str, settings: Settings) -> None:
    """Erasure's step for an account: deleted, with its sessions, links and counts (they go with
    it by their foreign keys), and the failed sign-ins counted against its address."""
    if user_id is not None:
        await User.delete().where(User.id == user_id)
    if email:
        await lift_sign_in_lock(email, settings)


async def complete_sign_in(user_id: int, actor: Actor) -> None:
    await User.update({User.last_sign_in_at: now_utc()}).where(User.id == user_id)
    await record_event(
        "sign_in", Actor(user_id, actor.client_hash), object_type="user", object_id=user_id
    )


# ---------------------------------------------------------------------------------------------
# Two-factor


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, settings: Settings) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=settings.service_name)


def matching_steps(secret: str, code: str, now: datetime) -> list[int]:
    """The time steps (now and one either side, for clock drift) whose code is ``code``."""
    code = "".join(code.split())
    if not is_code_shape(code):
        return []
    totp = pyotp.TOTP(secret)
    current = totp_step(now)
    return [
        step
        for step in (current - 1, current, current + 1)
        if hmac.compare_digest(totp.at(step * TOTP_STEP_SECONDS), code)
    ]


async def prepare_two_factor_setup(viewer: Viewer, settings: Settings) -> str:
    """The secret being set up in this session, made once so a reload shows the same one."""
    if secret := unseal(settings.secret_key, viewer.pending_totp_sealed):
        return secret
    secret = new_totp_secret()
    await WebSession.update(
        {WebSession.pending_totp_sealed: seal(settings.secret_key, secret)}
    ).where(WebSession.id == viewer.session_id)
    return secret


async def confirm_two_factor_setup(
    viewer: Viewer, code: str, settings: Settings, actor: Actor
) -> str | None:
    """Save the new secret if the code is right; returns the new session token."""
    secret = unseal(settings.secret_key, viewer.pending_totp_sealed)
    if not secret:
        return None
    step = accepted_totp_step(matching_steps(secret, code, now_utc()), last_used_step=0)
    if step is None:
        return None
    async with db.transaction():
        await User.update(
            {User.totp_secret_sealed: viewer.pending_totp_sealed, User.totp_last_step: step}
        ).where(User.id == viewer.user_id)
        await record_event("two_factor_set_up", actor, object_type="user", object_id=viewer.user_id)
        token = await start_session(
            viewer.user_id, SessionStage.COMPLETE, replaces=viewer.session_id
        )
        await complete_sign_in(viewer.user_id, actor)
    return token


class CodeOutcome(StrEnum):
    SIGNED_IN = "signed_in"
    WRONG = "wrong"
    # Too many wrong codes in this half-signed-in session: it has ended; sign in again.
    SESSION_ENDED = "session_ended"
    # Too many wrong codes for this account in an hour: no code is checked until ``until``.
    LOCKED = "locked"
    # The stored key was sealed with another secret key: an admin must reset two-factor.
    NEEDS_RESET = "needs_reset"


@dataclass(frozen=True)
class CodeCheck:
    outcome: CodeOutcome
    token: str | None = None
    until: datetime | None = None


async def check_two_factor(
    viewer: Viewer, code: str, settings: Settings, actor: Actor, now: datetime | None = None
) -> CodeCheck:
    """Finish signing in with a code. A code already used is refused; wrong codes are counted
    per session and per account, and too many end the session or lock the account's code step."""
    now = now or now_utc()
    async with db.transaction():
        user = await (
            User.select(User.totp_secret_sealed, User.totp_last_step)
            .where(User.id == viewer.user_id)
            .first()
        )
        if user is None or not user["totp_secret_sealed"]:
            return CodeCheck(CodeOutcome.WRONG)
        secret = unseal(settings.secret_key, user["totp_secret_sealed"])
        if secret is None:
            return CodeCheck(CodeOutcome.NEEDS_RESET)
        failures = await recent_code_failures(viewer.user_id, now)
        if locked_until := code_step_locked_until(failures, now):
            return CodeCheck(CodeOutcome.LOCKED, until=locked_until)
        step = accepted_totp_step(matching_steps(secret, code, now), user["totp_last_step"])
        # Conditional update: if two requests race with one code, only one of them wins.
        if step is not None and await User.update({User.totp_last_step: step}).where(
            User.id == viewer.user_id, User.totp_last_step < step
        ).returning(User.id):
            token = await start_session(
                viewer.user_id, SessionStage.COMPLETE, replaces=viewer.session_id
            )
            await complete_sign_in(viewer.user_id, actor)
            return CodeCheck(CodeOutcome.SIGNED_IN, token=token)
        return await count_wrong_code(viewer, [*failures, now], actor, now)


async def recent_code_failures(user_id: int, now: datetime) -> list[datetime]:
    """The account's wrong codes recent enough to keep its code step locked now."""
    rows = await TwoFactorFailure.select(TwoFactorFailure.at).where(
        TwoFactorFailure.user == user_id,
        TwoFactorFailure.at > now - CODE_FAILURE_WINDOW - CODE_LOCK,
    )
    return [row["at"] for row in rows]


async def count_wrong_code(
    viewer: Viewer, failures: list[datetime], actor: Actor, now: datetime
) -> CodeCheck:
    """Record a wrong code; end the session or lock the account's code step when there are too many."""
    await TwoFactorFailure.insert(
        TwoFactorFailure(user=viewer.user_id, session=viewer.session_id, at=now)
    )
    await record_event("two_factor_failed", actor, object_type="user", object_id=viewer.user_id)
    in_session = await TwoFactorFailure.count().where(TwoFactorFailure.session == viewer.session_id)
    locked_until = code_step_locked_until(failures, now)
    if locked_until is not None:
        await record_event("two_factor_locked", actor, object_type="user", object_id=viewer.user_id)
    if in_session >= CODE_FAILURES_PER_SESSION:
        await end_session(viewer.session_id, now)
        return CodeCheck(CodeOutcome.SESSION_ENDED)
    if locked_until is not None:
        return CodeCheck(CodeOutcome.LOCKED, until=locked_until)
    return CodeCheck(CodeOutcome.WRONG)


async def reset_two_factor_by_email(email: str, actor: Actor) -> bool:
    """``panel users reset-two-factor``: for when no admin can sign in (after the secret key
    changed, say). False when there is no such staff account."""
    user = await User.select(User.id, User.role).where(User.email == normalise_email(email)).first()
    if user is None or user["role"] not in STAFF_ROLES:
        return False
    await reset_two_factor(user["id"], actor)
    return True


async def reset_two_factor(user_id: int, actor: Actor) -> None:
    """An admin clears someone's two-factor: they set it up again at their next sign-in."""
    async with db.transaction():
        await User.update({User.totp_secret_sealed: None, User.totp_last_step: 0}).where(
            User.id == user_id
        )
        await end_all_sessions(user_id)
        await record_event("two_factor_reset", actor, object_type="user", object_id=user_id)


# ---------------------------------------------------------------------------------------------
# Users and roles


async def create_user(
    email: str,
    role: Role,
    password: str | None,
    passwords: Passwords,
    actor: Actor,
    is_demo: bool = False,
) -> int:
    email = normalise_email(email)
    password_hash = await passwords.hash(password) if password else None
    async with db.transaction():
        if await User.exists().where(User.email == email):
            raise AccountError("An account with this email address already exists")
        rows = await User.insert(
            User(email=email, role=role.value, password_hash=password_hash, is_demo=is_demo)
        )
        user_id = rows[0]["id"]
        await record_event(
            "user_created",
            actor,
            object_type="user",
            object_id=user_id,
            detail={"role": role.value},
        )
    return user_id


async def emails_of(user_ids: set[int]) -> dict[int, str]:
    """The email address of each of these accounts that still exists: one query."""
    if not user_ids:
        return {}
    found = await User.select(User.id, User.email).where(User.id.is_in(list(user_ids)))
    return {row["id"]: row["email"] for row in found}


async def accounts_of(user_ids: set[int]) -> dict[int, dict[str, Any]]:
    """The email address and role of each of these accounts that still exists: one query."""
    if not user_ids:
        return {}
    found = await User.select(User.id, User.email, User.role).where(User.id.is_in(list(user_ids)))
    return {row["id"]: row for row in found}


async def emails_with_role(role: Role) -> dict[int, str]:
    """The accounts that have ``role``, by id, with their email addresses, in address order."""
    found = await (
        User.select(User.id, User.email).where(User.role == role.value).order_by(User.email)
    )
    return {row["id"]: row["email"] for row in found}


async def change_role(user_id: int, role: Role, actor: Actor) -> None:
    """Move a staff-side account to another staff-side role. A member's account is not a staff
    account and never becomes one, nor does a staff account become a member's."""
    if role not in STAFF_ROLES:
        raise AccountError("Select a role")
    async with db.transaction():
        user = await User.select(User.role).where(User.id == user_id).first()
        if user is None or user["role"] not in STAFF_ROLES:
            raise NoSuchAccount()
        if user["role"] == role.value:
            return
        if actor.user_id == user_id:
            raise AccountError("You cannot change your own role. Ask another administrator")
        await User.update({User.role: role.value}).where(User.id == user_id)
        # Whatever the old role allowed ends with it.
        await end_all_sessions(user_id)
        await record_event(
            "role_changed",
            actor,
            object_type="user",
            object_id=user_id,
            detail={"from": user["role"], "to": role.value},
        )


async def list_staff_users() -> list[dict]:
    rows = await (
        User.select(
            User.id,
            User.email,
            User.role,
            User.status,
            User.last_sign_in_at,
            User.totp_secret_sealed,
        )
        .where(User.role != Role.MEMBER.value)
        .order_by(User.email)
    )
    for row in rows:
        row["has_two_factor"] = bool(row.pop("totp_secret_sealed"))
    return rows


async def get_user(user_id: int) -> dict | None:
    return (
        await User.select(
            User.id,
            User.email,
            User.role,
            User.status,
            User.last_sign_in_at,
            User.created_at,
            User.is_demo,
        )
        .where(User.id == user_id)
        .first()
    )


async def user_has_two_factor(user_id: int) -> bool:
    return await User.exists().where(User.id == user_id, User.totp_secret_sealed.is_not_null())


# ---------------------------------------------------------------------------------------------
# Demo accounts

DEMO_USERS = (
    ("admin@demo.example", Role.ADMIN),
    ("staff@demo.example", Role.STAFF),
    ("facilitator@demo.example", Role.FACILITATOR),
    ("board@demo.example", Role.BOARD),
)
DEMO_PASSWORD = "demo panel password 2026"  # noqa: S105 -- demo mode only, printed for newcomers


async def load_demo_users(passwords: Passwords) -> list[tuple[str, str, bool]]:
    """Create the demo accounts that are missing. Returns (email, role, created) for each."""
    actor = Actor(user_id=None, client_hash="")
    result = []
    for email, role in DEMO_USERS:
        exists = await User.exists().where(User.email == email)
        if not exists:
            await create_user(email, role, DEMO_PASSWORD, passwords, actor, is_demo=True)
        result.append((email, role.value, not exists))
    return result

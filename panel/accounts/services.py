"""Accounts: signing in and out, server-side sessions, two-factor, password resets, users and roles."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import pyotp

from panel import db
from panel.accounts.passwords import Passwords
from panel.accounts.rules import (
    TOTP_STEP_SECONDS,
    Role,
    SessionLimits,
    SessionStage,
    accepted_totp_step,
    needs_two_factor,
    session_expired,
    session_needs_touch,
    sign_in_throttled,
    totp_step,
)
from panel.accounts.tables import PasswordReset, SignInFailure, SignInLink, User, WebSession
from panel.audit.services import Actor, record_event
from panel.members.tables import Member
from panel.notify import messages
from panel.notify.services import enqueue, send_to_member
from panel.settings import Settings

RESET_LINK_LIFETIME = timedelta(hours=1)
SIGN_IN_LINK_LIFETIME = timedelta(minutes=15)
SIGN_IN_LINKS_PER_HOUR = 5
INVITATION_LINK_LIFETIME = timedelta(days=7)


class AccountError(Exception):
    """A request about an account that cannot be carried out; the message is for the person."""


def now_utc() -> datetime:
    return datetime.now(UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_hash(secret_key: str, purpose: str, value: str) -> str:
    return hmac.new(secret_key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


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
    pending_totp_secret: str | None

    @property
    def role_label(self) -> str:
        return Role(self.role).label


# Written out rather than built with Piccolo's query builder: this runs on every signed-in request,
# and building the joined query cost three times as much as running it (bench/README.md).
LOAD_SESSION_SQL = """
SELECT s.id, s.stage, s.pending_totp_secret, s.created_at, s.last_seen_at,
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
        pending_totp_secret=row["pending_totp_secret"],
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
    elif user["totp_secret"]:
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
    if not (code.isdigit() and len(code) == 6):
        return []
    totp = pyotp.TOTP(secret)
    current = totp_step(now)
    return [
        step
        for step in (current - 1, current, current + 1)
        if hmac.compare_digest(totp.at(step * TOTP_STEP_SECONDS), code)
    ]


async def prepare_two_factor_setup(viewer: Viewer) -> str:
    """The secret being set up in this session, made once so a reload shows the same one."""
    if viewer.pending_totp_secret:
        return viewer.pending_totp_secret
    secret = new_totp_secret()
    await WebSession.update({WebSession.pending_totp_secret: secret}).where(
        WebSession.id == viewer.session_id
    )
    return secret


async def confirm_two_factor_setup(viewer: Viewer, code: str, actor: Actor) -> str | None:
    """Save the new secret if the code is right; returns the new session token."""
    secret = viewer.pending_totp_secret
    if not secret:
        return None
    step = accepted_totp_step(matching_steps(secret, code, now_utc()), last_used_step=0)
    if step is None:
        return None
    async with db.transaction():
        await User.update({User.totp_secret: secret, User.totp_last_step: step}).where(
            User.id == viewer.user_id
        )
        await record_event("two_factor_set_up", actor, object_type="user", object_id=viewer.user_id)
        token = await start_session(
            viewer.user_id, SessionStage.COMPLETE, replaces=viewer.session_id
        )
        await complete_sign_in(viewer.user_id, actor)
    return token


async def check_two_factor(viewer: Viewer, code: str, actor: Actor) -> str | None:
    """Finish signing in with a code; a code already used is refused. Returns the new session token."""
    async with db.transaction():
        user = (
            await User.select(User.totp_secret, User.totp_last_step)
            .where(User.id == viewer.user_id)
            .first()
        )
        if user is None or not user["totp_secret"]:
            return None
        step = accepted_totp_step(
            matching_steps(user["totp_secret"], code, now_utc()), user["totp_last_step"]
        )
        if step is None:
            await record_event(
                "two_factor_failed", actor, object_type="user", object_id=viewer.user_id
            )
            return None
        # Conditional update: if two requests race with one code, only one of them wins.
        updated = (
            await User.update({User.totp_last_step: step})
            .where(User.id == viewer.user_id, User.totp_last_step < step)
            .returning(User.id)
        )
        if not updated:
            return None
        token = await start_session(
            viewer.user_id, SessionStage.COMPLETE, replaces=viewer.session_id
        )
        await complete_sign_in(viewer.user_id, actor)
    return token


async def reset_two_factor(user_id: int, actor: Actor) -> None:
    """An admin clears someone's two-factor: they set it up again at their next sign-in."""
    async with db.transaction():
        await User.update({User.totp_secret: None, User.totp_last_step: 0}).where(
            User.id == user_id
        )
        await end_all_sessions(user_id)
        await record_event("two_factor_reset", actor, object_type="user", object_id=user_id)


# ---------------------------------------------------------------------------------------------
# Password resets


async def issue_password_link(user_id: int, lifetime: timedelta, settings: Settings) -> str:
    """A single-use link to choose a password. Call inside the transaction that emails it."""
    token = secrets.token_urlsafe(32)
    await PasswordReset.insert(
        PasswordReset(token_hash=token_hash(token), user=user_id, expires_at=now_utc() + lifetime)
    )
    return f"{settings.base_url}/reset-password/{token}"


async def request_password_reset(email: str, settings: Settings, actor: Actor) -> None:
    """Email a reset link if the account exists. The caller answers the same either way."""
    email = normalise_email(email)
    user = await User.select(User.id, User.status).where(User.email == email).first()
    if user is None or user["status"] != "active":
        return
    async with db.transaction():
        link = await issue_password_link(user["id"], RESET_LINK_LIFETIME, settings)
        await enqueue(messages.PASSWORD_RESET, email, settings, link=link, minutes=60)
        await record_event(
            "password_reset_requested", actor, object_type="user", object_id=user["id"]
        )


async def user_for_reset_token(token: str) -> dict | None:
    """The account a reset link is for, while the link is unused and in date, and whether it is
    someone's first password (an account an admin has just added)."""
    reset = await (
        PasswordReset.select(
            PasswordReset.id,
            PasswordReset.user.id.as_alias("user_id"),
            PasswordReset.user.email.as_alias("email"),
            PasswordReset.user.password_hash.as_alias("password_hash"),
        )
        .where(
            PasswordReset.token_hash == token_hash(token),
            PasswordReset.used_at.is_null(),
            PasswordReset.expires_at > now_utc(),
        )
        .first()
    )
    if reset is not None:
        reset["first_password"] = reset.pop("password_hash") is None
    return reset


async def reset_password(
    token: str, new_password: str, settings: Settings, passwords: Passwords, actor: Actor
) -> bool:
    """Use a reset link once: set the password and end every session the account had."""
    new_hash = await passwords.hash(new_password)
    async with db.transaction():
        reset = await user_for_reset_token(token)
        if reset is None:
            return False
        used = (
            await PasswordReset.update({PasswordReset.used_at: now_utc()})
            .where(PasswordReset.id == reset["id"], PasswordReset.used_at.is_null())
            .returning(PasswordReset.id)
        )
        if not used:
            return False
        had_password = await User.exists().where(
            User.id == reset["user_id"], User.password_hash.is_not_null()
        )
        await User.update({User.password_hash: new_hash}).where(User.id == reset["user_id"])
        await end_all_sessions(reset["user_id"])
        # Someone locked out by failed attempts (theirs or another's) gets in again by resetting.
        await SignInFailure.delete().where(
            SignInFailure.key_hash == keyed_hash(settings.secret_key, "account", reset["email"])
        )
        if had_password:  # an invited person choosing their first password needs no warning
            await enqueue(messages.PASSWORD_CHANGED, reset["email"], settings)
        await record_event(
            "password_reset",
            Actor(reset["user_id"], actor.client_hash),
            object_type="user",
            object_id=reset["user_id"],
        )
    return True


# ---------------------------------------------------------------------------------------------
# Sign-in links: members may choose to be emailed a link each time instead of having a password.


async def request_sign_in_link(email: str, settings: Settings, actor: Actor) -> None:
    """Email a member a single-use sign-in link if they have an active account. The caller answers
    the same either way. Staff always sign in with a password and two-factor, so get no link."""
    email = normalise_email(email)
    member = await (
        Member.select(Member.id, Member.user.id.as_alias("user_id"))
        .where(
            Member.user.email == email,
            Member.user.status == "active",
            Member.user.role == Role.MEMBER.value,
        )
        .first()
    )
    if member is None:
        return
    recent = await SignInLink.count().where(
        SignInLink.user == member["user_id"], SignInLink.created_at > now_utc() - timedelta(hours=1)
    )
    if recent >= SIGN_IN_LINKS_PER_HOUR:  # a flood of links to someone's inbox helps no one
        return
    token = secrets.token_urlsafe(32)
    async with db.transaction():
        await SignInLink.insert(
            SignInLink(
                token_hash=token_hash(token),
                user=member["user_id"],
                expires_at=now_utc() + SIGN_IN_LINK_LIFETIME,
            )
        )
        await send_to_member(
            member["id"],
            messages.SIGN_IN_LINK,
            None,
            settings,
            asked_for_now=True,
            link=f"{settings.base_url}/sign-in/link/{token}",
            minutes=int(SIGN_IN_LINK_LIFETIME.total_seconds() // 60),
        )
        await record_event(
            "sign_in_link_requested", actor, object_type="user", object_id=member["user_id"]
        )


async def sign_in_link_is_usable(token: str) -> bool:
    return await SignInLink.exists().where(
        SignInLink.token_hash == token_hash(token),
        SignInLink.used_at.is_null(),
        SignInLink.expires_at > now_utc(),
        SignInLink.user.status == "active",
    )


async def sign_in_with_link(token: str, actor: Actor, replaces: int | None = None) -> SignIn | None:
    """Use a sign-in link once. None when it is unknown, used or out of date."""
    async with db.transaction():
        used = await (
            SignInLink.update({SignInLink.used_at: now_utc()})
            .where(
                SignInLink.token_hash == token_hash(token),
                SignInLink.used_at.is_null(),
                SignInLink.expires_at > now_utc(),
            )
            .returning(SignInLink.user)
        )
        if not used:
            return None
        user = await (
            User.select(User.id, User.role, User.status).where(User.id == used[0]["user"]).first()
        )
        if user is None or user["status"] != "active" or user["role"] != Role.MEMBER.value:
            return None
        session = await start_session(user["id"], SessionStage.COMPLETE, replaces=replaces)
        await complete_sign_in(user["id"], actor)
    return SignIn(
        SignInOutcome.SIGNED_IN, token=session, stage=SessionStage.COMPLETE, role=user["role"]
    )


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


async def invite_user(
    email: str, role: Role, settings: Settings, passwords: Passwords, actor: Actor
) -> int:
    """An admin adds someone: the account has no password until they choose one from the email."""
    async with db.transaction():
        user_id = await create_user(email, role, None, passwords, actor)
        link = await issue_password_link(user_id, INVITATION_LINK_LIFETIME, settings)
        await enqueue(
            messages.INVITATION,
            normalise_email(email),
            settings,
            link=link,
            role=role.label,
            days=7,
        )
    return user_id


async def change_role(user_id: int, role: Role, actor: Actor) -> None:
    async with db.transaction():
        user = await User.select(User.role).where(User.id == user_id).first()
        if user is None:
            raise AccountError("There is no such account")
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
            User.id, User.email, User.role, User.status, User.last_sign_in_at, User.totp_secret
        )
        .where(User.role != Role.MEMBER.value)
        .order_by(User.email)
    )
    for row in rows:
        row["has_two_factor"] = bool(row.pop("totp_secret"))
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
    return await User.exists().where(User.id == user_id, User.totp_secret.is_not_null())


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

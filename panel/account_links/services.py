"""Single-use links emailed to an account's owner: to choose a new password (forgotten, or the
first one of someone an admin added) and, for members who chose no password, to sign in.

Asking for a link is open to anyone who is not signed in, so it may not be the owner asking: a
member's link goes through the contact gate, obeying every choice they made, and each address is
sent only a few such emails an hour and a day (``notify.services``). The link is valid from when
the email is sent, which may be the member's next safe time. Only the token's hash is stored.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from panel import db
from panel.account_links.tables import PasswordReset, SignInLink
from panel.accounts.passwords import Passwords
from panel.accounts.rules import Role, SessionStage
from panel.accounts.services import (
    SignIn,
    SignInOutcome,
    complete_sign_in,
    create_user,
    end_all_sessions,
    lift_sign_in_lock,
    normalise_email,
    now_utc,
    start_session,
)
from panel.accounts.tables import User
from panel.audit.services import Actor, record_event
from panel.keys import token_hash
from panel.members.tables import Member
from panel.notify.services import send_to_account, send_to_member
from panel.outbox import messages
from panel.settings import Settings

RESET_LINK_LIFETIME = timedelta(hours=1)
SIGN_IN_LINK_LIFETIME = timedelta(minutes=15)
INVITATION_LINK_LIFETIME = timedelta(days=7)


# ---------------------------------------------------------------------------------------------
# Password resets


async def issue_password_link(user_id: int, expires_at: datetime, settings: Settings) -> str:
    """A single-use link to choose a password. Call inside the transaction that emails it."""
    token = secrets.token_urlsafe(32)
    await PasswordReset.insert(
        PasswordReset(token_hash=token_hash(token), user=user_id, expires_at=expires_at)
    )
    return messages.CHOOSE_PASSWORD.url(settings.base_url, token=token)


async def request_password_reset(email: str, settings: Settings, actor: Actor) -> None:
    """Email a reset link if the account exists. The caller answers the same whatever happens.

    Someone who is not signed in asked, and it may not be the account's owner: a member's link
    goes through the contact gate, obeying everything they chose (a channel not safe or "do not
    contact" gets nothing; outside their safe times it waits, and the link is valid from when it
    arrives), and every address gets only a few such emails an hour and a day."""
    email = normalise_email(email)
    user = await User.select(User.id, User.status).where(User.email == email).first()
    if user is None or user["status"] != "active":
        return

    async def reset_link(sends_at: datetime) -> dict[str, Any]:
        link = await issue_password_link(user["id"], sends_at + RESET_LINK_LIFETIME, settings)
        return {"link": link, "minutes": minutes_in(RESET_LINK_LIFETIME)}

    async with db.transaction():
        decision = await send_to_account(
            user["id"], messages.PASSWORD_RESET, settings, asked_anonymously=True, links=reset_link
        )
        await record_event(
            "password_reset_requested",
            actor,
            object_type="user",
            object_id=user["id"],
            detail={"told": decision.outcome.value},
        )


def minutes_in(lifetime: timedelta) -> int:
    return int(lifetime.total_seconds() // 60)


async def end_password_links(user_id: int) -> None:
    await PasswordReset.update({PasswordReset.used_at: now_utc()}).where(
        PasswordReset.user == user_id, PasswordReset.used_at.is_null()
    )


async def end_sign_in_links(user_id: int) -> None:
    await SignInLink.update({SignInLink.used_at: now_utc()}).where(
        SignInLink.user == user_id, SignInLink.used_at.is_null()
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
        # The password has changed: every other link that could change it or sign in ends too.
        await end_password_links(reset["user_id"])
        await end_sign_in_links(reset["user_id"])
        await lift_sign_in_lock(reset["email"], settings)
        if had_password:  # an invited person choosing their first password needs no warning
            await send_to_account(reset["user_id"], messages.PASSWORD_CHANGED, settings)
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
    the same whatever happens. Staff always sign in with a password and two-factor, so get no link.
    Like a password reset, it obeys the member's choices and the cap on emails asked for by
    someone not signed in (``request_password_reset``)."""
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

    async def sign_in_link(sends_at: datetime) -> dict[str, Any]:
        token = secrets.token_urlsafe(32)
        await SignInLink.insert(
            SignInLink(
                token_hash=token_hash(token),
                user=member["user_id"],
                expires_at=sends_at + SIGN_IN_LINK_LIFETIME,
            )
        )
        return {
            "link": messages.SIGN_IN_WITH_LINK.url(settings.base_url, token=token),
            "minutes": minutes_in(SIGN_IN_LINK_LIFETIME),
        }

    async with db.transaction():
        decision = await send_to_member(
            member["id"],
            messages.SIGN_IN_LINK,
            None,
            settings,
            asked_anonymously=True,
            links=sign_in_link,
        )
        await record_event(
            "sign_in_link_requested",
            actor,
            object_type="user",
            object_id=member["user_id"],
            detail={"told": decision.outcome.value},
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
        await end_sign_in_links(user["id"])  # one link used: any others asked for end with it
        session = await start_session(user["id"], SessionStage.COMPLETE, replaces=replaces)
        await complete_sign_in(user["id"], actor)
    return SignIn(
        SignInOutcome.SIGNED_IN, token=session, stage=SessionStage.COMPLETE, role=user["role"]
    )


# ---------------------------------------------------------------------------------------------
# First passwords of people an admin adds


async def invite_user(
    email: str, role: Role, settings: Settings, passwords: Passwords, actor: Actor
) -> int:
    """An admin adds someone: the account has no password until they choose one from the email."""

    async def first_password_link(sends_at: datetime) -> dict[str, Any]:
        link = await issue_password_link(user_id, sends_at + INVITATION_LINK_LIFETIME, settings)
        return {"link": link, "role": role.label, "days": INVITATION_LINK_LIFETIME.days}

    async with db.transaction():
        user_id = await create_user(email, role, None, passwords, actor)
        await send_to_account(user_id, messages.INVITATION, settings, links=first_password_link)
    return user_id

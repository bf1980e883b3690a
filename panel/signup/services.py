"""Sign-up: the draft of answers kept on the server, sending the application, and confirming the
email address it gave (double opt-in).

The draft is found by a random token in its own cookie; only the token's hash is stored. Sending
an application with an email address that already has an account creates nothing and emails that
address instead, so the page shown afterwards is the same whether or not the address was known.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any

from panel import db
from panel.accounts.rules import Role
from panel.accounts.services import normalise_email
from panel.accounts.tables import User
from panel.audit.services import Actor, record_event
from panel.consent.services import record_consent
from panel.keys import token_hash
from panel.members.rules import MemberStatus
from panel.members.tables import (
    AccessNeeds,
    ContactPreference,
    EqualityData,
    ExperienceProfile,
    Member,
)
from panel.notify.rules import GateDecision
from panel.notify.services import send_to_account, send_to_member
from panel.outbox import messages
from panel.settings import Settings
from panel.signup.rules import (
    DRAFT_LIFETIME,
    VERIFICATION_HOURS,
    VERIFICATION_LIFETIME,
    Application,
)
from panel.signup.tables import EmailVerification, SignUpDraft

Answers = dict[str, dict[str, list[str]]]


def now_utc() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------------------------------------
# The draft


async def load_answers(token: str | None, now: datetime | None = None) -> Answers:
    """The answers kept so far for a draft's token: nothing for no token, an unknown one, or a
    draft left for longer than a day (the retention job deletes those)."""
    if not token:
        return {}
    since = (now or now_utc()) - DRAFT_LIFETIME
    # A small read on every question page (db.fetch_small): one row by its key.
    rows = await db.fetch_small(
        "SELECT answers, updated_at FROM sign_up_draft WHERE token_hash = {}", token_hash(token)
    )
    row = rows[0] if rows else None
    if row is None or row["updated_at"] <= since:
        return {}
    answers = json.loads(row["answers"])
    return answers if isinstance(answers, dict) else {}


async def save_answers(token: str | None, answers: Answers) -> str | None:
    """Keep the answers in the draft of ``token``, or in a new draft when there is none (or it has
    run out). Returns the new draft's token, for the cookie; None when the draft was updated."""
    now = now_utc()
    text = json.dumps(answers, separators=(",", ":"))
    if token:
        updated = await (
            SignUpDraft.update({SignUpDraft.answers: text, SignUpDraft.updated_at: now})
            .where(
                SignUpDraft.token_hash == token_hash(token),
                SignUpDraft.updated_at > now - DRAFT_LIFETIME,
            )
            .returning(SignUpDraft.id)
        )
        if updated:
            return None
    new_token = secrets.token_urlsafe(32)
    await SignUpDraft.insert(
        SignUpDraft(token_hash=token_hash(new_token), answers=text, created_at=now, updated_at=now)
    )
    return new_token


async def discard_draft(token: str | None) -> None:
    """Forget the answers at once (for "Exit this page": nobody else at this browser sees them)."""
    if token:
        await SignUpDraft.delete().where(SignUpDraft.token_hash == token_hash(token))


# ---------------------------------------------------------------------------------------------
# Sending the application


async def send_verification(member_id: int, settings: Settings) -> GateDecision:
    """Email the link that confirms the applicant's address, through the contact gate like any
    message: someone who is not signed in asked for it, and it may not be the address's owner.
    It waits for a safe time if they chose some (the link is valid from when it arrives), counts
    against the cap on such emails, and carries nothing the person typed."""

    async def verification_link(sends_at: datetime) -> dict[str, Any]:
        token = secrets.token_urlsafe(32)
        await EmailVerification.insert(
            EmailVerification(
                token_hash=token_hash(token),
                member=member_id,
                expires_at=sends_at + VERIFICATION_LIFETIME,
            )
        )
        return {
            "link": messages.CONFIRM_EMAIL_ADDRESS.url(settings.base_url, token=token),
            "hours": VERIFICATION_HOURS,
        }

    return await send_to_member(
        member_id,
        messages.SIGN_UP_CONFIRM_EMAIL,
        None,
        settings,
        asked_anonymously=True,
        links=verification_link,
    )


async def submit_application(
    draft_token: str | None, application: Application, settings: Settings, actor: Actor
) -> None:
    """Create the applicant's account and member record and email the link that confirms the
    address, all in one transaction; or, when the address already has an account, create nothing
    and tell that address so. Either way the draft goes."""
    email = normalise_email(application.details.email)
    async with db.transaction():
        if draft_token:
            await SignUpDraft.delete().where(SignUpDraft.token_hash == token_hash(draft_token))
        existing = await (
            User.select(User.id, User.role, User.status).where(User.email == email).first()
        )
        if existing is not None:
            await tell_existing_account(existing, settings, actor)
            return
        await create_applicant(email, application, settings, actor)


async def create_applicant(
    email: str, application: Application, settings: Settings, actor: Actor
) -> int:
    details = application.details
    user_rows = await User.insert(
        User(
            email=email,
            role=Role.MEMBER.value,
            status="unverified",  # cannot sign in until the address is confirmed
            password_hash=application.sign_in.password_hash,
            sign_in_by_link=application.sign_in.by_link,
        )
    )
    user_id = user_rows[0]["id"]
    member_rows = await Member.insert(
        Member(
            user=user_id,
            pseudonym=secrets.token_hex(8),
            preferred_name=details.preferred_name,
            phone=details.phone,
            postal_address=details.postal_address,
            district=details.district,
            status=MemberStatus.APPLIED,
            ways_to_take_part=json.dumps(list(application.taking_part.ways)),
            formats=json.dumps(list(application.taking_part.formats)),
        )
    )
    member_id = member_rows[0]["id"]
    experience = application.experience
    access = application.access
    await ExperienceProfile.insert(ExperienceProfile(member=member_id, **experience.columns()))
    await AccessNeeds.insert(AccessNeeds(member=member_id, **access.columns()))
    if application.equality.keep:
        equality = EqualityData(member=member_id)
        for column, answer in application.equality.answers.items():
            setattr(equality, column, answer)
        await EqualityData.insert(equality)
    await ContactPreference.insert(
        *(
            ContactPreference(member=member_id, **columns)
            for columns in application.contact.preference_rows()
        )
    )
    applicant = Actor(user_id=user_id, client_hash=actor.client_hash)
    for purpose in application.purposes_given:
        await record_consent(member_id, purpose, True, applicant)
    await send_verification(member_id, settings)
    await record_event("sign_up_submitted", applicant, object_type="member", object_id=member_id)
    return member_id


async def tell_existing_account(existing: dict[str, Any], settings: Settings, actor: Actor) -> None:
    """Someone signed up with an address that has an account. Nothing is created. An applicant
    who never confirmed gets a new confirmation link (their first answers stand); anyone else is
    told they already have an account: a member through the contact gate, staff directly, both
    within the cap on emails asked for by someone not signed in."""
    member = await (
        Member.select(Member.id, Member.status).where(Member.user == existing["id"]).first()
    )
    if (
        member is not None
        and member["status"] == MemberStatus.APPLIED
        and existing["status"] == "unverified"
    ):
        await send_verification(member["id"], settings)
    else:
        await send_to_account(
            existing["id"],
            messages.SIGN_UP_ALREADY_REGISTERED,
            settings,
            asked_anonymously=True,
            link=messages.SIGN_IN_PAGE.url(settings.base_url),
        )
    await record_event(
        "sign_up_existing_email", actor, object_type="user", object_id=existing["id"]
    )


# ---------------------------------------------------------------------------------------------
# Confirming the email address


async def verification_is_usable(token: str) -> bool:
    return await EmailVerification.exists().where(
        EmailVerification.token_hash == token_hash(token),
        EmailVerification.used_at.is_null(),
        EmailVerification.expires_at > now_utc(),
    )


async def confirm_email(token: str, actor: Actor) -> bool:
    """Use a confirmation link once: the application is verified, and the account can sign in.
    False when the link is unknown, used or out of date."""
    now = now_utc()
    async with db.transaction():
        used = await (
            EmailVerification.update({EmailVerification.used_at: now})
            .where(
                EmailVerification.token_hash == token_hash(token),
                EmailVerification.used_at.is_null(),
                EmailVerification.expires_at > now,
            )
            .returning(EmailVerification.member)
        )
        if not used:
            return False
        member_id = used[0]["member"]
        member = (
            await Member.select(Member.user, Member.status).where(Member.id == member_id).first()
        )
        if member is None or member["user"] is None:
            return False
        if member["status"] == MemberStatus.APPLIED:
            await Member.update(
                {Member.status: MemberStatus.VERIFIED, Member.verified_at: now}
            ).where(Member.id == member_id)
        await User.update({User.status: "active"}).where(
            User.id == member["user"], User.status == "unverified"
        )
        await record_event(
            "sign_up_verified",
            Actor(user_id=member["user"], client_hash=actor.client_hash),
            object_type="member",
            object_id=member_id,
        )
    return True

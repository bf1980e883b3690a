"""The emails the service sends: each one's neutral subject and its templates, and where their
links go.

Subjects and the sender name never mention crime, victims, police or courts: a message may be
seen by someone the recipient does not want to know they are on the panel.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MessageKind:
    template: str
    subject: str


PASSWORD_RESET = MessageKind("password_reset", "Your link to choose a new password")
PASSWORD_CHANGED = MessageKind("password_changed", "Your password has been changed")
INVITATION = MessageKind("invitation", "Your new account")
SIGN_IN_LINK = MessageKind("sign_in_link", "Your link to sign in")
CONSENT_RENEWAL = MessageKind("consent_renewal", "Please check what you have agreed to")
APPLICATION_APPROVED = MessageKind("application_approved", "About your application")
APPLICATION_DECLINED = MessageKind("application_declined", "About your application")
MORE_INFORMATION = MessageKind("more_information", "A question about your application")
SIGN_UP_CONFIRM_EMAIL = MessageKind("sign_up_confirm_email", "Confirm your email address")
SIGN_UP_ALREADY_REGISTERED = MessageKind(
    "sign_up_already_registered", "You already have an account"
)
# Staff changed what we keep about them on their behalf (on the phone, from a letter): never what
# changed, since someone else may read the email.
DETAILS_CHANGED = MessageKind("details_changed", "We have updated your details")
# A session they were invited to will not happen: the date only, never what it was about.
SESSION_CANCELLED = MessageKind("session_cancelled", "A change to a meeting")
# An invitation to a session, with the member's personal link to read about it and answer. The
# email gives the date and time only: what the session is about is behind the link.
SESSION_INVITATION = MessageKind("session_invitation", "An invitation to a meeting")
# Someone on the waiting list has a place now that another person cannot come.
PLACE_OFFERED = MessageKind("place_offered", "A place at a meeting")
# Before a session they said they would come to (the days before are a setting).
SESSION_REMINDER = MessageKind("session_reminder", "A reminder about your meeting")
# A session they were invited to has moved to another time: the dates only.
SESSION_MOVED = MessageKind("session_moved", "A change to a meeting")
# To staff: horizon items past the date by which they were to be reviewed (a count, no titles).
HORIZON_REVIEW_DUE = MessageKind("horizon_review_due", "Items waiting for your review")

ALL_KINDS = (
    PASSWORD_RESET,
    PASSWORD_CHANGED,
    INVITATION,
    SIGN_IN_LINK,
    CONSENT_RENEWAL,
    APPLICATION_APPROVED,
    APPLICATION_DECLINED,
    MORE_INFORMATION,
    SIGN_UP_CONFIRM_EMAIL,
    SIGN_UP_ALREADY_REGISTERED,
    DETAILS_CHANGED,
    SESSION_CANCELLED,
    SESSION_INVITATION,
    PLACE_OFFERED,
    SESSION_REMINDER,
    SESSION_MOVED,
    HORIZON_REVIEW_DUE,
)


@dataclass(frozen=True)
class EmailedLink:
    """Where a link in an email goes. Emails are written where there is no app to ask for a
    route's path (a background task, the daily job), so the path is written out beside the name
    of the route it must reach, and ``tests/integration/web/test_links.py`` checks the two agree."""

    route: str
    path: str  # with "{name}" for each path parameter

    def url(self, base_url: str, **path_parameters: str) -> str:
        return base_url + self.path.format(**path_parameters)


SIGN_IN_PAGE = EmailedLink("accounts:sign_in", "/sign-in")
CONSENTS_PAGE = EmailedLink("portal:consents", "/my-panel/consents")
CONFIRM_EMAIL_ADDRESS = EmailedLink("signup:verify", "/join/verify/{token}")
CHOOSE_PASSWORD = EmailedLink("account_links:reset_password", "/reset-password/{token}")
SIGN_IN_WITH_LINK = EmailedLink("account_links:sign_in_link_open", "/sign-in/link/{token}")
ANSWER_INVITATION = EmailedLink("invitations:open", "/invitation/{token}")
HORIZON_PAGE = EmailedLink("horizon:index", "/staff/horizon")

EMAILED_LINKS = (
    SIGN_IN_PAGE,
    CONSENTS_PAGE,
    CONFIRM_EMAIL_ADDRESS,
    CHOOSE_PASSWORD,
    SIGN_IN_WITH_LINK,
    ANSWER_INVITATION,
    HORIZON_PAGE,
)

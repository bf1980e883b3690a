"""The one Piccolo app: every table of every area, and the single migration chain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from panel.account_links.tables import PasswordReset, SignInLink
from panel.accounts.tables import SignInFailure, TwoFactorFailure, User, WebSession
from panel.actions.tables import (
    Action,
    ActionAgency,
    ActionFinding,
    ActionUpdate,
    HorizonAction,
    HorizonItem,
)
from panel.audit.tables import AuditEvent
from panel.consent.tables import (
    ConsentEvent,
    ConsentReminder,
    ConsentWording,
    LatestConsent,
    PrivacyNotice,
)
from panel.directory.tables import ContactLogEntry
from panel.engagements.tables import (
    Attendance,
    ContactOverride,
    Engagement,
    EngagementFacilitator,
    Invitation,
    InvitationLink,
    PartnerReviewer,
)
from panel.expenses.tables import ExpenseClaim, ExpenseReceipt
from panel.findings.tables import Finding, FindingQuote
from panel.jobs.tables import JobRun
from panel.members.tables import (
    AccessNeeds,
    ContactPreference,
    EqualityData,
    ExperienceProfile,
    Member,
)
from panel.notes.tables import SessionNote
from panel.notify.tables import AnonymousMessage
from panel.outbox.tables import OutboxMessage
from panel.representation.tables import PanelSummary, RepresentationTarget
from panel.reviews.tables import CaseAssessment, CaseSummary
from panel.screening.tables import DeclineReason, ScreeningDecision
from panel.selections.tables import Selection, SelectionEntry, SelectionSwap
from panel.signup.tables import EmailVerification, SignUpDraft

TABLES = [
    User,
    WebSession,
    SignInFailure,
    PasswordReset,
    AuditEvent,
    OutboxMessage,
    Member,
    ContactPreference,
    ConsentWording,
    PrivacyNotice,
    ConsentEvent,
    JobRun,
    SignInLink,
    ExperienceProfile,
    AccessNeeds,
    EqualityData,
    ConsentReminder,
    SignUpDraft,
    EmailVerification,
    DeclineReason,
    ScreeningDecision,
    LatestConsent,
    Engagement,
    EngagementFacilitator,
    PartnerReviewer,
    Invitation,
    InvitationLink,
    Attendance,
    ExpenseClaim,
    ExpenseReceipt,
    ContactOverride,
    RepresentationTarget,
    PanelSummary,
    TwoFactorFailure,
    AnonymousMessage,
    ContactLogEntry,
    Selection,
    SelectionEntry,
    SelectionSwap,
    SessionNote,
    Finding,
    FindingQuote,
    CaseSummary,
    CaseAssessment,
    ActionAgency,
    Action,
    ActionUpdate,
    ActionFinding,
    HorizonItem,
    HorizonAction,
]

APP_CONFIG = AppConfig(
    app_name="panel",
    migrations_folder_path=str(Path(__file__).resolve().parent.parent / "piccolo_migrations"),
    table_classes=TABLES,
    migration_dependencies=[],
    commands=[],
)

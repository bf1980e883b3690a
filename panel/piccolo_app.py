"""The one Piccolo app: every table of every area, and the single migration chain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from panel.accounts.tables import (
    PasswordReset,
    SignInFailure,
    User,
    WebSession,
)
from panel.audit.tables import AuditEvent
from panel.consent.tables import ConsentEvent, ConsentWording, PrivacyNotice
from panel.jobs.tables import JobRun
from panel.members.tables import ContactPreference, Member
from panel.notify.tables import OutboxMessage

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
]

APP_CONFIG = AppConfig(
    app_name="panel",
    migrations_folder_path=str(Path(__file__).resolve().parent.parent / "piccolo_migrations"),
    table_classes=TABLES,
    migration_dependencies=[],
    commands=[],
)

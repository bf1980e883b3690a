"""Settings: the only place that reads the environment.

Local mode needs no settings at all: SQLite under ``var/``, a secret generated once under
``var/``, email written to files. Production mode (``PANEL_ENV=production``) refuses to start
with a one-line reason when something unsafe is configured.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROOT = Path(__file__).resolve().parent.parent

# Words no email may carry, in its sender, subject or body: a member's inbox may be read by the
# person who harmed them. The sender is checked here; every email template by a test.
REVEALING_WORDS = re.compile(
    r"(?<![a-z])("
    r"victims?|crimes?|criminal|police|policing|constabulary|commissioner|pcc|opcc|"
    r"abuse[ds]?|abusive|abuser|rapes?|raped|hate|offen[cs]es?|offender|courts?|"
    r"witness(es)?|assault(ed)?|stalk(ing|ed|er)?|domestic|sexual|violence|violent|"
    r"attack(ed)?|harm(ed)?|trauma|burglary|burgled|perpetrator"
    r")(?![a-z])",
    re.IGNORECASE,
)


def revealing_words(text: str) -> list[str]:
    """The words in ``text`` that would say what the panel is about (see ``REVEALING_WORDS``)."""
    return sorted({match.group(0).lower() for match in REVEALING_WORDS.finditer(text)})


class SettingsError(Exception):
    """A setting is missing or unsafe; the message is one line a person can act on."""


@dataclass(frozen=True)
class Settings:
    env: Literal["local", "production"] = "local"
    debug: bool = False
    demo: bool = False
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    database_url: str = ""
    var_dir: Path = ROOT / "var"
    service_name: str = "Victims' Voice Panel"
    organisation_name: str = "Office of the Police and Crime Commissioner"
    exit_page_url: str = "https://www.bbc.co.uk/weather"
    time_zone: str = "Europe/London"
    reference_data: Path = ROOT / "panel" / "members" / "reference" / "kent.json"
    email_backend: Literal["file", "smtp"] = "file"
    email_from_address: str = "panel@example.org"
    email_from_name: str = "Engagement Panel"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_starttls: bool = False
    smtp_ca_file: str = ""
    smtp_timeout_seconds: float = 30.0
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    run_worker_in_web: bool = True
    argon2_memory_kib: int = 19456
    argon2_time_cost: int = 2
    argon2_parallelism: int = 1
    sign_in_window_minutes: int = 15
    sign_in_max_failures_per_account: int = 5
    sign_in_max_failures_per_address: int = 30
    outbox_max_attempts: int = 8
    retention_unverified_days: int = 7
    retention_sent_email_days: int = 30
    retention_declined_days: int = 30
    retention_contact_log_days: int = 730
    database_pool_size: int = 10
    consent_renewal_months: int = 24
    small_count_threshold: int = 10
    import_max_bytes: int = 2 * 1024 * 1024
    receipt_max_bytes: int = 5 * 1024 * 1024
    contact_cooldown_days: int = 30
    contact_max_sessions_per_year: int = 4
    contact_max_invitations_per_90_days: int = 3
    # Reminders before a session to those who said they would come, so many days before.
    invitation_reminder_days: tuple[int, ...] = (7, 1)
    anonymous_emails_per_hour: int = 3
    anonymous_emails_per_day: int = 10
    # Reverse proxies whose X-Forwarded-For is believed; empty: the peer is the client.
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = ()

    @property
    def consent_renewal(self) -> timedelta:
        """How long a consent counts before the member must renew it."""
        return timedelta(days=round(self.consent_renewal_months * 365.25 / 12))

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @property
    def sqlite_path(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite:///"))

    @property
    def mail_dir(self) -> Path:
        return self.var_dir / "mail"

    @property
    def secure_cookies(self) -> bool:
        """Plain http is only tolerated for a local run on the loopback address."""
        url = urlsplit(self.base_url)
        local_http = url.scheme == "http" and url.hostname in {"127.0.0.1", "localhost"}
        return not (self.env == "local" and local_http)

    @property
    def session_cookie_name(self) -> str:
        return "__Host-panel_session" if self.secure_cookies else "panel_session"

    @property
    def csrf_cookie_name(self) -> str:
        return "__Host-panel_csrf" if self.secure_cookies else "panel_csrf"

    @property
    def draft_cookie_name(self) -> str:
        return "__Host-panel_join" if self.secure_cookies else "panel_join"

    def with_changes(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def _flag(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise SettingsError(f"{name} must be true or false, not {value!r}")


def _text(value: str, name: str) -> str:
    return value.strip()


def _path(value: str, name: str) -> Path:
    return Path(value).resolve()


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {value!r}") from None


def _networks(value: str, name: str) -> tuple[IPv4Network | IPv6Network, ...]:
    entries = [entry.strip() for entry in value.split(",") if entry.strip()]
    try:
        return tuple(ip_network(entry) for entry in entries)
    except ValueError:
        raise SettingsError(
            f"{name} must be addresses or networks separated by commas, like "
            f"10.0.0.1,192.168.0.0/24, not {value!r}"
        ) from None


def _days(value: str, name: str) -> tuple[int, ...]:
    try:
        days = tuple(int(entry) for entry in value.split(",") if entry.strip())
    except ValueError:
        raise SettingsError(
            f"{name} must be whole numbers of days separated by commas, like 7,1, not {value!r}"
        ) from None
    if any(day < 1 for day in days):
        raise SettingsError(f"{name} must be days of 1 or more, like 7,1")
    return tuple(sorted(set(days), reverse=True))


# Setting name → (field, parser). The README's settings table mirrors this list.
_PARSERS = {
    "PANEL_ENV": ("env", _text),
    "PANEL_DEBUG": ("debug", _flag),
    "PANEL_DEMO": ("demo", _flag),
    "PANEL_SECRET_KEY": ("secret_key", _text),
    "PANEL_BASE_URL": ("base_url", _text),
    "PANEL_DATABASE_URL": ("database_url", _text),
    "PANEL_VAR_DIR": ("var_dir", _path),
    "PANEL_SERVICE_NAME": ("service_name", _text),
    "PANEL_ORGANISATION_NAME": ("organisation_name", _text),
    "PANEL_EXIT_PAGE_URL": ("exit_page_url", _text),
    "PANEL_TIME_ZONE": ("time_zone", _text),
    "PANEL_REFERENCE_DATA": ("reference_data", _path),
    "PANEL_EMAIL_BACKEND": ("email_backend", _text),
    "PANEL_EMAIL_FROM_ADDRESS": ("email_from_address", _text),
    "PANEL_EMAIL_FROM_NAME": ("email_from_name", _text),
    "PANEL_SMTP_HOST": ("smtp_host", _text),
    "PANEL_SMTP_PORT": ("smtp_port", _int),
    "PANEL_SMTP_USERNAME": ("smtp_username", _text),
    "PANEL_SMTP_PASSWORD": ("smtp_password", _text),
    "PANEL_SMTP_STARTTLS": ("smtp_starttls", _flag),
    "PANEL_SMTP_CA_FILE": ("smtp_ca_file", _text),
    "PANEL_SESSION_IDLE_MINUTES": ("session_idle_minutes", _int),
    "PANEL_SESSION_ABSOLUTE_HOURS": ("session_absolute_hours", _int),
    "PANEL_RUN_WORKER_IN_WEB": ("run_worker_in_web", _flag),
    "PANEL_ARGON2_MEMORY_KIB": ("argon2_memory_kib", _int),
    "PANEL_ARGON2_TIME_COST": ("argon2_time_cost", _int),
    "PANEL_ARGON2_PARALLELISM": ("argon2_parallelism", _int),
    "PANEL_SIGN_IN_MAX_FAILURES_PER_ACCOUNT": ("sign_in_max_failures_per_account", _int),
    "PANEL_SIGN_IN_MAX_FAILURES_PER_ADDRESS": ("sign_in_max_failures_per_address", _int),
    "PANEL_DATABASE_POOL_SIZE": ("database_pool_size", _int),
    "PANEL_RETENTION_UNVERIFIED_DAYS": ("retention_unverified_days", _int),
    "PANEL_RETENTION_SENT_EMAIL_DAYS": ("retention_sent_email_days", _int),
    "PANEL_RETENTION_DECLINED_DAYS": ("retention_declined_days", _int),
    "PANEL_RETENTION_CONTACT_LOG_DAYS": ("retention_contact_log_days", _int),
    "PANEL_CONSENT_RENEWAL_MONTHS": ("consent_renewal_months", _int),
    "PANEL_SMALL_COUNT_THRESHOLD": ("small_count_threshold", _int),
    "PANEL_IMPORT_MAX_BYTES": ("import_max_bytes", _int),
    "PANEL_RECEIPT_MAX_BYTES": ("receipt_max_bytes", _int),
    "PANEL_CONTACT_COOLDOWN_DAYS": ("contact_cooldown_days", _int),
    "PANEL_CONTACT_MAX_SESSIONS_PER_YEAR": ("contact_max_sessions_per_year", _int),
    "PANEL_CONTACT_MAX_INVITATIONS_PER_90_DAYS": ("contact_max_invitations_per_90_days", _int),
    "PANEL_INVITATION_REMINDER_DAYS": ("invitation_reminder_days", _days),
    "PANEL_ANONYMOUS_EMAILS_PER_HOUR": ("anonymous_emails_per_hour", _int),
    "PANEL_ANONYMOUS_EMAILS_PER_DAY": ("anonymous_emails_per_day", _int),
    "PANEL_TRUSTED_PROXIES": ("trusted_proxies", _networks),
}

SETTING_NAMES = tuple(_PARSERS)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from the environment (or a mapping in tests) and check them."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for name, (field_name, parse) in _PARSERS.items():
        if name in environ:
            values[field_name] = parse(environ[name], name)
    settings = Settings(**values)  # type: ignore[arg-type]
    return _complete(settings)


def _complete(settings: Settings) -> Settings:
    if settings.env not in {"local", "production"}:
        raise SettingsError(f"PANEL_ENV must be local or production, not {settings.env!r}")
    if settings.email_backend not in {"file", "smtp"}:
        raise SettingsError("PANEL_EMAIL_BACKEND must be file or smtp")
    if settings.argon2_memory_kib < 19456 or settings.argon2_time_cost < 2:
        raise SettingsError("argon2 parameters may not be weaker than m=19456 KiB, t=2, p=1")
    if settings.receipt_max_bytes < 1024:
        raise SettingsError("PANEL_RECEIPT_MAX_BYTES must be 1024 or more")
    if settings.import_max_bytes < 1024:
        raise SettingsError("PANEL_IMPORT_MAX_BYTES must be at least 1024 (bytes)")
    try:
        ZoneInfo(settings.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"PANEL_TIME_ZONE {settings.time_zone!r} is not a time zone name, like Europe/London"
        ) from None
    if settings.retention_contact_log_days < 1:
        raise SettingsError("PANEL_RETENTION_CONTACT_LOG_DAYS must be 1 or more")
    if settings.contact_cooldown_days < 0:
        raise SettingsError("PANEL_CONTACT_COOLDOWN_DAYS must be 0 or more")
    if settings.contact_max_sessions_per_year < 1:
        raise SettingsError("PANEL_CONTACT_MAX_SESSIONS_PER_YEAR must be 1 or more")
    if settings.contact_max_invitations_per_90_days < 1:
        raise SettingsError("PANEL_CONTACT_MAX_INVITATIONS_PER_90_DAYS must be 1 or more")
    if settings.small_count_threshold < 2:
        raise SettingsError("PANEL_SMALL_COUNT_THRESHOLD must be 2 or more")
    if not 1 <= settings.anonymous_emails_per_hour <= settings.anonymous_emails_per_day:
        raise SettingsError(
            "PANEL_ANONYMOUS_EMAILS_PER_HOUR must be 1 or more, and no more than "
            "PANEL_ANONYMOUS_EMAILS_PER_DAY"
        )
    for name, value in (
        ("PANEL_EMAIL_FROM_NAME", settings.email_from_name),
        ("PANEL_EMAIL_FROM_ADDRESS", settings.email_from_address),
    ):
        if words := revealing_words(value):
            raise SettingsError(
                f"{name} must not say what the panel is about (it has {', '.join(words)}): "
                "someone else may see the member's inbox"
            )
    if settings.is_production:
        _check_production(settings)
    if not settings.database_url:
        settings = replace(settings, database_url=f"sqlite:///{settings.var_dir / 'panel.sqlite3'}")
    elif not (settings.is_postgres or settings.database_url.startswith("sqlite:///")):
        raise SettingsError("PANEL_DATABASE_URL must start with postgresql:// or sqlite:///")
    if not settings.secret_key:
        settings = replace(settings, secret_key=_local_secret(settings.var_dir))
    return settings


def _check_production(settings: Settings) -> None:
    if not settings.secret_key or len(settings.secret_key) < 32:
        raise SettingsError("PANEL_SECRET_KEY must be set to at least 32 random characters")
    if urlsplit(settings.base_url).scheme != "https":
        raise SettingsError("PANEL_BASE_URL must be an https:// address in production")
    if settings.debug:
        raise SettingsError("PANEL_DEBUG must be off in production")
    if settings.demo:
        raise SettingsError("PANEL_DEMO must be off in production")
    if settings.email_backend != "smtp":
        raise SettingsError("PANEL_EMAIL_BACKEND must be smtp in production")


def _local_secret(var_dir: Path) -> str:
    """Generate the local secret once and keep it, so sessions survive a restart."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its secret
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secret)
    return secret

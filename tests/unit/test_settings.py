"""Settings: local mode needs nothing; production refuses unsafe settings with one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from panel.settings import SettingsError, load_settings

GOOD_PRODUCTION = {
    "PANEL_ENV": "production",
    "PANEL_SECRET_KEY": "s" * 48,
    "PANEL_BASE_URL": "https://panel.example.org",
    "PANEL_EMAIL_BACKEND": "smtp",
    "PANEL_DATABASE_URL": "postgresql://panel@db/panel",
}


def test_local_mode_needs_no_settings(tmp_path: Path):
    settings = load_settings({"PANEL_VAR_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'panel.sqlite3'}"
    assert settings.email_backend == "file"
    assert len(settings.secret_key) >= 40
    # The secret is generated once and kept.
    assert load_settings({"PANEL_VAR_DIR": str(tmp_path)}).secret_key == settings.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert settings.session_cookie_name == "panel_session" and not settings.secure_cookies


def test_production_with_safe_settings_starts():
    settings = load_settings(GOOD_PRODUCTION)
    assert settings.is_production and settings.secure_cookies
    assert settings.session_cookie_name == "__Host-panel_session"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"PANEL_SECRET_KEY": ""}, "PANEL_SECRET_KEY"),
        ({"PANEL_BASE_URL": "http://panel.example.org"}, "https://"),
        ({"PANEL_DEBUG": "true"}, "PANEL_DEBUG"),
        ({"PANEL_DEMO": "true"}, "PANEL_DEMO"),
    ],
)
def test_production_refuses_unsafe_settings_with_one_line(change, reason):
    with pytest.raises(SettingsError) as refused:
        load_settings({**GOOD_PRODUCTION, **change})
    assert reason in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("environ", "reason"),
    [
        ({"PANEL_DEBUG": "maybe"}, "true or false"),
        ({"PANEL_SMTP_PORT": "twenty-five"}, "whole number"),
        ({"PANEL_DATABASE_URL": "mysql://x"}, "postgresql://"),
        ({"PANEL_ARGON2_MEMORY_KIB": "1024"}, "argon2"),
        ({"PANEL_TIME_ZONE": "Mars/Olympus_Mons"}, "time zone"),
        ({"PANEL_IMPORT_MAX_BYTES": "100"}, "PANEL_IMPORT_MAX_BYTES"),
    ],
)
def test_bad_values_are_named(tmp_path, environ, reason):
    with pytest.raises(SettingsError, match=reason):
        load_settings({"PANEL_VAR_DIR": str(tmp_path), **environ})


def test_plain_http_off_loopback_gets_secure_cookies(tmp_path):
    settings = load_settings(
        {"PANEL_VAR_DIR": str(tmp_path), "PANEL_BASE_URL": "http://10.0.0.5:8000"}
    )
    assert settings.secure_cookies


def test_the_small_count_threshold_defaults_to_10_and_must_hide_something(tmp_path):
    assert load_settings({"PANEL_VAR_DIR": str(tmp_path)}).small_count_threshold == 10
    changed = load_settings({"PANEL_VAR_DIR": str(tmp_path), "PANEL_SMALL_COUNT_THRESHOLD": "5"})
    assert changed.small_count_threshold == 5
    with pytest.raises(SettingsError, match="PANEL_SMALL_COUNT_THRESHOLD"):
        load_settings({"PANEL_VAR_DIR": str(tmp_path), "PANEL_SMALL_COUNT_THRESHOLD": "1"})


def test_trusted_proxies_are_addresses_or_networks(tmp_path):
    assert load_settings({"PANEL_VAR_DIR": str(tmp_path)}).trusted_proxies == ()
    settings = load_settings(
        {"PANEL_VAR_DIR": str(tmp_path), "PANEL_TRUSTED_PROXIES": " 10.0.0.1, 192.168.0.0/24,::1,"}
    )
    assert [str(network) for network in settings.trusted_proxies] == [
        "10.0.0.1/32",
        "192.168.0.0/24",
        "::1/128",
    ]
    for wrong in ("proxy.internal", "10.0.0.1/33", "192.168.0.5/24"):
        with pytest.raises(SettingsError, match="PANEL_TRUSTED_PROXIES") as refused:
            load_settings({"PANEL_VAR_DIR": str(tmp_path), "PANEL_TRUSTED_PROXIES": wrong})
        assert "\n" not in str(refused.value)

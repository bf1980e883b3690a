"""The contact limits are settings with defaults; values that would allow nothing are refused."""

from __future__ import annotations

import pytest

from panel.notify.services import limits_of
from panel.settings import SettingsError, load_settings


def test_the_defaults_are_30_days_4_sessions_and_3_invitations(tmp_path):
    limits = limits_of(load_settings({"PANEL_VAR_DIR": str(tmp_path)}))
    assert (limits.cooldown_days, limits.max_sessions_per_year) == (30, 4)
    assert limits.max_invitations_per_90_days == 3


def test_each_limit_is_read_from_the_environment(tmp_path):
    settings = load_settings(
        {
            "PANEL_VAR_DIR": str(tmp_path),
            "PANEL_CONTACT_COOLDOWN_DAYS": "14",
            "PANEL_CONTACT_MAX_SESSIONS_PER_YEAR": "6",
            "PANEL_CONTACT_MAX_INVITATIONS_PER_90_DAYS": "5",
        }
    )
    limits = limits_of(settings)
    assert (limits.cooldown_days, limits.max_sessions_per_year) == (14, 6)
    assert limits.max_invitations_per_90_days == 5


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PANEL_CONTACT_COOLDOWN_DAYS", "-1"),
        ("PANEL_CONTACT_MAX_SESSIONS_PER_YEAR", "0"),
        ("PANEL_CONTACT_MAX_INVITATIONS_PER_90_DAYS", "0"),
    ],
)
def test_limits_that_make_no_sense_are_refused_by_name(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        load_settings({"PANEL_VAR_DIR": str(tmp_path), name: value})

"""The pure parts of the CSRF check: origins, who sent a request, and the token."""

from __future__ import annotations

import pytest

from panel.web.csrf import csrf_token_for, origin_of, origin_of_url, sent_by_another_site

OWN = frozenset({"https://panel.example.org", "http://127.0.0.1:8123"})


@pytest.mark.parametrize(
    ("scheme", "host", "origin"),
    [
        ("https", "panel.example.org", "https://panel.example.org"),
        ("https", "Panel.Example.ORG:443", "https://panel.example.org"),
        ("http", "panel.example.org:80", "http://panel.example.org"),
        ("http", "127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("https", "panel.example.org:8443", "https://panel.example.org:8443"),
        ("http", "panel.example.org:8080", "http://panel.example.org:8080"),
        ("https", "panel.example.org:80", "https://panel.example.org:80"),
        ("https", "[::1]:443", "https://[::1]"),
        ("HTTPS", "[::1]:8443", "https://[::1]:8443"),
    ],
)
def test_an_origin_is_written_as_a_browser_writes_it(scheme, host, origin):
    assert origin_of(scheme, host) == origin


def test_the_origin_of_the_base_url_has_no_path_and_no_default_port():
    assert origin_of_url("https://panel.example.org:443/some/path") == "https://panel.example.org"
    assert origin_of_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("origin", "fetch_site"),
    [
        ("https://panel.example.org", None),
        ("HTTPS://PANEL.EXAMPLE.ORG", None),
        ("http://127.0.0.1:8123", "same-origin"),
        (None, "same-origin"),
        (None, "none"),
        (None, None),
    ],
)
def test_this_sites_requests_and_silent_browsers_pass(origin, fetch_site):
    assert not sent_by_another_site(origin, fetch_site, OWN)


@pytest.mark.parametrize(
    ("origin", "fetch_site"),
    [
        ("https://attacker.example", None),
        ("null", None),
        ("http://panel.example.org", None),  # another scheme is another origin
        ("https://panel.example.org:8443", None),
        ("https://sub.panel.example.org", None),
        ("https://panel.example.org.attacker.example", None),
        ("", None),
        (None, "cross-site"),
        (None, "same-site"),
        ("https://panel.example.org", "cross-site"),
        ("https://panel.example.org", "same-site"),
    ],
)
def test_another_sites_requests_are_recognised(origin, fetch_site):
    assert sent_by_another_site(origin, fetch_site, OWN)


def test_the_token_depends_on_the_key_the_browser_and_whether_it_is_a_session():
    key = b"k" * 40
    token = csrf_token_for(key, "browser value", signed_in=True)
    assert token == csrf_token_for(key, "browser value", signed_in=True)
    assert len(token) == 64 and int(token, 16) >= 0
    others = {
        csrf_token_for(b"j" * 40, "browser value", signed_in=True),
        csrf_token_for(key, "browser valuf", signed_in=True),
        csrf_token_for(key, "browser value", signed_in=False),
    }
    assert token not in others and len(others) == 3
    assert "browser value" not in token

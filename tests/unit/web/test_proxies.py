"""Reading the client's address through trusted reverse proxies."""

from __future__ import annotations

from ipaddress import ip_network

import pytest

from panel.web.proxies import client_address_of, client_behind_proxies

TRUSTED = (ip_network("10.0.0.0/8"), ip_network("2001:db8:ffff::/48"))


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says():
    assert client_behind_proxies("198.51.100.7", ["203.0.113.1"], ()) == "198.51.100.7"


def test_an_untrusted_peers_header_is_ignored():
    assert client_behind_proxies("198.51.100.7", ["203.0.113.1"], TRUSTED) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_address_it_received_from_is_the_client():
    assert client_behind_proxies("10.0.0.2", ["203.0.113.1"], TRUSTED) == "203.0.113.1"


def test_what_the_client_wrote_left_of_the_proxys_entry_is_not_believed():
    # The client sent "X-Forwarded-For: 192.0.2.99"; the proxy appended the real address.
    forwarded = ["192.0.2.99, 203.0.113.1"]
    assert client_behind_proxies("10.0.0.2", forwarded, TRUSTED) == "203.0.113.1"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    forwarded = ["192.0.2.99, 203.0.113.1, 10.1.1.1", "10.2.2.2"]  # two headers, in order
    assert client_behind_proxies("10.0.0.2", forwarded, TRUSTED) == "203.0.113.1"


def test_ipv6_and_ipv4_written_as_ipv6_are_understood():
    assert client_behind_proxies("::ffff:10.0.0.2", [" 2001:DB8::1 "], TRUSTED) == "2001:db8::1"
    assert client_behind_proxies("2001:db8:ffff::5", ["198.51.100.3"], TRUSTED) == "198.51.100.3"


@pytest.mark.parametrize(
    "forwarded",
    [
        [],
        [""],
        ["not-an-address"],
        ["192.0.2.99, nonsense"],
        ["203.0.113.1:443"],
        ["203.0.113.1,,"],
        ["unknown"],
    ],
)
def test_a_missing_or_malformed_entry_leaves_the_nearest_trusted_proxy_as_the_client(forwarded):
    assert client_behind_proxies("10.0.0.2", forwarded, TRUSTED) == "10.0.0.2"


def test_a_malformed_entry_behind_a_chain_stops_at_the_last_proxy_vouched_for():
    assert client_behind_proxies("10.0.0.2", ["192.0.2.99, junk, 10.3.3.3"], TRUSTED) == "10.3.3.3"


def test_only_trusted_proxies_all_the_way_gives_the_furthest_one():
    assert client_behind_proxies("10.0.0.2", ["10.9.9.9, 10.1.1.1"], TRUSTED) == "10.9.9.9"


def test_a_peer_that_is_not_an_address_is_kept_as_it_is():
    assert client_behind_proxies("unknown", ["203.0.113.1"], TRUSTED) == "unknown"


def test_the_address_is_read_from_the_request():
    scope = {
        "client": ("10.0.0.2", 5000),
        "headers": [(b"x-forwarded-for", b"192.0.2.99"), (b"x-forwarded-for", b"203.0.113.1")],
    }
    assert client_address_of(scope, TRUSTED) == "203.0.113.1"
    assert client_address_of(scope, ()) == "10.0.0.2"
    assert client_address_of({"client": None, "headers": []}, TRUSTED) == "unknown"

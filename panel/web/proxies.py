"""Who the client is when the request came through reverse proxies we trust.

A proxy appends the address it received the request from to ``X-Forwarded-For``; anything to the
left of that was written by whoever sent the request, so it is believed only as far as a chain
of trusted proxies vouches for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from typing import Any

Network = IPv4Network | IPv6Network


def parsed_address(text: str) -> IPv4Address | IPv6Address | None:
    """The address, with an IPv4 address written as IPv6 (``::ffff:10.0.0.1``) taken as IPv4."""
    try:
        address = ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted(address: IPv4Address | IPv6Address, trusted: Sequence[Network]) -> bool:
    return any(address in network for network in trusted)


def client_behind_proxies(
    peer: str, forwarded_for: Sequence[str], trusted: Sequence[Network]
) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy; then the rightmost
    address in ``X-Forwarded-For`` (its values in order) that is not a trusted proxy.

    A malformed entry ends the walk: what is left of it cannot be vouched for, so the last
    trusted proxy stands for the client (throttling then counts that proxy, never an address the
    client chose). So does a chain of nothing but trusted proxies."""
    peer_address = parsed_address(peer)
    if not trusted or peer_address is None or not is_trusted(peer_address, trusted):
        return peer
    client = peer_address
    entries = [entry for value in forwarded_for for entry in value.split(",")]
    for entry in reversed(entries):
        address = parsed_address(entry)
        if address is None:
            break
        client = address
        if not is_trusted(address, trusted):
            break
    return str(client)


def forwarded_for(scope: Any) -> list[str]:
    return [
        value.decode("latin-1") for name, value in scope["headers"] if name == b"x-forwarded-for"
    ]


def client_address_of(scope: Any, trusted: Sequence[Network]) -> str:
    """The client's address for a request (an ASGI scope), through any trusted proxies."""
    peer = scope["client"][0] if scope.get("client") else "unknown"
    if not trusted:
        return peer
    return client_behind_proxies(peer, forwarded_for(scope), trusted)

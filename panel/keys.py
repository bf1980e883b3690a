"""Hashes every area uses: of single-use tokens (stored instead of the token), and keyed with the
secret key (client addresses in the audit and access logs, throttling keys), so a copy of the
database alone cannot be matched with an address or an email."""

from __future__ import annotations

import hashlib
import hmac


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_hash(secret_key: str, purpose: str, value: str) -> str:
    return hmac.new(secret_key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

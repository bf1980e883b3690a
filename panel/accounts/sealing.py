"""Sealing small secrets kept in the database (two-factor keys), so a copy of the database alone
does not give them away. The key is derived from the service's secret key (``PANEL_SECRET_KEY``):
changing that key makes every sealed secret unreadable, and everyone with two-factor sign-in must
have it reset (docs/operating.md)."""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# Names the use of the derived key, so the same secret key never serves two purposes.
PURPOSE = b"panel two-factor secrets v1"


@cache
def sealer(secret_key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(secret_key: str, plain: str) -> str:
    """``plain`` encrypted and authenticated (Fernet: AES-128-CBC with HMAC-SHA256)."""
    return sealer(secret_key).encrypt(plain.encode()).decode()


def unseal(secret_key: str, sealed: str | None) -> str | None:
    """The plain secret, or None when there is none or it was sealed with another key."""
    if not sealed:
        return None
    try:
        return sealer(secret_key).decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return None

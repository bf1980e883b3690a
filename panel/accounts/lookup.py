"""Reading accounts for other areas' pages (who recorded or granted something). Apart from
``services.py`` so that the consent area can use it without an import cycle."""

from __future__ import annotations

from panel.accounts.tables import User


async def emails_of(user_ids: set[int]) -> dict[int, str]:
    """The email address of each of these accounts that still exists: one query."""
    if not user_ids:
        return {}
    found = await User.select(User.id, User.email).where(User.id.is_in(list(user_ids)))
    return {row["id"]: row["email"] for row in found}

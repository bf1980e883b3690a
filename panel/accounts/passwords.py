"""Password hashing with argon2id. Hashing runs on a worker thread so a page never blocks the loop."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import cached_property

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from panel.settings import Settings


@dataclass(frozen=True)
class Verdict:
    matches: bool
    new_hash: str | None = None  # set when the stored hash used older parameters


@dataclass(frozen=True)
class Passwords:
    settings: Settings

    @cached_property
    def hasher(self) -> PasswordHasher:
        return PasswordHasher(
            time_cost=self.settings.argon2_time_cost,
            memory_cost=self.settings.argon2_memory_kib,
            parallelism=self.settings.argon2_parallelism,
            type=Type.ID,
        )

    @cached_property
    def decoy_hash(self) -> str:
        """Checked against when there is no account, so an unknown email takes as long as a known one."""
        return self.hasher.hash("not a password anyone has")

    def hash_now(self, password: str) -> str:
        return self.hasher.hash(password)

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self.hasher.hash, password)

    def verify_now(self, stored_hash: str | None, password: str) -> Verdict:
        try:
            self.hasher.verify(stored_hash or self.decoy_hash, password)
        except (VerificationError, InvalidHashError):
            return Verdict(matches=False)
        if stored_hash is None:
            return Verdict(matches=False)
        if self.hasher.check_needs_rehash(stored_hash):
            return Verdict(matches=True, new_hash=self.hasher.hash(password))
        return Verdict(matches=True)

    async def verify(self, stored_hash: str | None, password: str) -> Verdict:
        return await asyncio.to_thread(self.verify_now, stored_hash, password)

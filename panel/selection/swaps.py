"""Better panels by swapping one person at a time, for the LEXIMIN column generation to try
before the exact integer program.

From a panel that meets every quota, the search makes the swap (one person off, one on) that
gains the most weight while the quotas and exclusions still hold, and repeats until no swap
gains. A feature's quotas count people with different values, so a swap moves at most one count
down and one up per feature: it keeps the quotas when, feature by feature, the two people count
towards the same quota, or the one leaving can be spared and the one coming fits. The search can
stop short of the best panel; only the exact search decides that no better panel exists.
"""

from __future__ import annotations

import numpy as np

from panel.selection.problem import Compiled

# A swap must gain more than this (in weight), so that rounding cannot make the search cycle.
GAIN = 1e-12
# Features per bit mask (the masks are unsigned integers of at most 64 bits).
MASK_BITS = 64


class SwapSearch:
    def __init__(self, compiled: Compiled) -> None:
        groups = len(compiled.groups)
        quotas = compiled.problem.quotas
        self.sizes = np.array([group.size for group in compiled.groups])
        features = sorted({quota.feature for quota in quotas})
        # quota_of[group, feature]: the quota its people count towards for that feature, or
        # len(quotas) for none: a last slot whose count can always go up or down by one.
        self.quota_of = np.full((groups, len(features)), len(quotas), dtype=np.intp)
        for row in compiled.quota_rows:
            feature = features.index(quotas[row.quota_index].feature)
            self.quota_of[list(row.groups), feature] = row.quota_index
        self.minimums = np.array([quota.minimum for quota in quotas] + [0])
        self.maximums = np.array([quota.maximum for quota in quotas] + [compiled.panel_size])
        # Features in chunks of MASK_BITS; per chunk, a bit per feature, and
        # differ[chunk][group, other] with the bits of the features on which the two groups count
        # towards different quotas (in the smallest unsigned type that holds them: a pool of
        # 5,000 groups and up to 8 features needs 25 MB). Swaps are checked for all pairs at once.
        self.chunks = [
            list(range(start, min(start + MASK_BITS, len(features))))
            for start in range(0, len(features), MASK_BITS)
        ]
        self.bits: list[np.ndarray] = []
        self.differ: list[np.ndarray] = []
        for chunk in self.chunks:
            kind = np.min_scalar_type(2 ** len(chunk) - 1)
            bits = np.array([1 << bit for bit in range(len(chunk))], dtype=kind)
            differ = np.zeros((groups, groups), dtype=kind)
            for bit, feature in zip(bits, chunk, strict=True):
                column = self.quota_of[:, feature]
                differ[column[:, None] != column[None, :]] |= bit
            self.bits.append(bits)
            self.differ.append(differ)
        self.chunk_quotas = [self.quota_of[:, chunk] for chunk in self.chunks]
        # in_set[set, group]: the group (of one person) is in that "one at most" set.
        self.in_set = np.zeros((len(compiled.at_most_one), groups), dtype=bool)
        for number, members in enumerate(compiled.at_most_one):
            self.in_set[number, list(members)] = True

    def improve(self, panel: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """The panel (counts per group) after the best swaps for ``weights`` (per person)."""
        panel = panel.copy()
        while (swap := self.best_swap(panel, weights)) is not None:
            off, on = swap
            panel[off] -= 1
            panel[on] += 1
        return panel

    def best_swap(self, panel: np.ndarray, weights: np.ndarray) -> tuple[int, int] | None:
        """The groups of the person to take off and the person to put on, or None."""
        offs = np.flatnonzero(panel)
        # Only someone of more weight than someone on the panel can gain, and only with room.
        ons = np.flatnonzero((weights > weights[offs].min() + GAIN) & (panel < self.sizes))
        if not len(ons):
            return None
        counts = np.bincount(
            self.quota_of.ravel(),
            weights=np.repeat(panel, self.quota_of.shape[1]),
            minlength=len(self.minimums),
        )
        can_lose = counts - 1 >= self.minimums  # per quota
        can_gain = counts + 1 <= self.maximums
        fits = np.ones((len(offs), len(ons)), dtype=bool)
        for quota_of, bits, differ in zip(self.chunk_quotas, self.bits, self.differ, strict=True):
            spared = can_lose[quota_of[offs]] @ bits  # the features that can lose one of off's
            welcome = can_gain[quota_of[ons]] @ bits  # the features that can gain one of on's
            # Every feature on which the two differ must allow both changes.
            fits &= (differ[np.ix_(offs, ons)] & ~(spared[:, None] & welcome[None, :])) == 0
        if len(self.in_set):
            blocker = self.blockers(offs)[ons]
            fits &= (blocker == -1)[None, :] | (blocker[None, :] == offs[:, None])
        gains = np.where(fits, weights[ons][None, :] - weights[offs][:, None], -np.inf)
        off, on = np.unravel_index(int(np.argmax(gains)), gains.shape)
        if gains[off, on] <= GAIN:
            return None
        return int(offs[off]), int(ons[on])

    def blockers(self, offs: np.ndarray) -> np.ndarray:
        """Per group: -1 when no one on the panel shares a "one at most" set with it; the group
        of the one who does, when that is a single group (whose leaving frees it); else -2.
        Only the sets someone on the panel is in are looked at: a handful, however many sets."""
        on_panel = self.in_set[:, offs]  # (set, off)
        used = np.flatnonzero(on_panel.any(axis=1))
        if not len(used):
            return np.full(self.in_set.shape[1], -1, dtype=np.intp)
        user = offs[on_panel[used].argmax(axis=1)]  # the group on the panel in each used set
        users = np.where(self.in_set[used], user[:, None], -1)  # (used set, group)
        highest = users.max(axis=0)
        lowest = np.where(users >= 0, users, highest[None, :]).min(axis=0)
        return np.where(lowest == highest, highest, -2)

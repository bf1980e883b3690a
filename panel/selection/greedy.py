"""A quick panel of high weight, for the LEXIMIN column generation to try before the exact
integer program: people are taken in order of weight while every quota's maximum holds and each
feature's outstanding minimums still fit in the places left. It may fail (quotas on different
features can interact) or fall short of the best panel; the caller checks what it returns and
falls back to the exact search, which alone decides when a stage is finished."""

from __future__ import annotations

from panel.selection.problem import Compiled, Side


class GreedyPanel:
    def __init__(self, compiled: Compiled) -> None:
        self.sizes = [group.size for group in compiled.groups]
        self.panel_size = compiled.panel_size
        quotas = compiled.problem.quotas
        # Per quota: its minimum, maximum and feature; per group: the quotas its people count towards.
        self.minimums = [quota.minimum for quota in quotas]
        self.maximums = [quota.maximum for quota in quotas]
        features = sorted({quota.feature for quota in quotas})
        self.feature_quotas = [
            [index for index, quota in enumerate(quotas) if quota.feature == feature]
            for feature in features
        ]
        self.group_quotas: list[list[int]] = [[] for _ in self.sizes]
        for row in compiled.quota_rows:
            if row.side is Side.MINIMUM:
                for group in row.groups:
                    self.group_quotas[group].append(row.quota_index)
        self.group_sets: list[list[int]] = [[] for _ in self.sizes]
        for number, groups in enumerate(compiled.at_most_one):
            for group in groups:
                self.group_sets[group].append(number)
        self.set_count = len(compiled.at_most_one)
        self.quota_feature = [0] * len(quotas)
        for feature_number, indices in enumerate(self.feature_quotas):
            for index in indices:
                self.quota_feature[index] = feature_number

    def find(self, weights: list[float]) -> tuple[int, ...] | None:
        """A panel (counts per group) favouring high ``weights`` (per person), or None."""
        counts = [0] * len(self.sizes)
        filled = [0] * len(self.minimums)
        sets_used = [False] * self.set_count
        # Outstanding minimums per feature: what must still come from the places left.
        outstanding = [
            sum(self.minimums[index] for index in indices) for indices in self.feature_quotas
        ]
        order = sorted(range(len(self.sizes)), key=lambda group: -weights[group])
        for taken in range(self.panel_size):
            left_after = self.panel_size - taken - 1
            for group in order:
                if counts[group] >= self.sizes[group] or any(
                    sets_used[number] for number in self.group_sets[group]
                ):
                    continue
                quotas = self.group_quotas[group]
                if any(filled[index] >= self.maximums[index] for index in quotas):
                    continue
                helped = {
                    self.quota_feature[index]
                    for index in quotas
                    if filled[index] < self.minimums[index]
                }
                if any(
                    outstanding[feature] - (feature in helped) > left_after
                    for feature in range(len(outstanding))
                ):
                    continue
                break
            else:
                return None
            counts[group] += 1
            for index in self.group_quotas[group]:
                if filled[index] < self.minimums[index]:
                    outstanding[self.quota_feature[index]] -= 1
                filled[index] += 1
            for number in self.group_sets[group]:
                sets_used[number] = True
        if any(value > 0 for value in outstanding):
            return None
        return tuple(counts)

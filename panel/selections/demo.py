"""A demo selection (demo mode only): the draft engagement's participants chosen with a quota, so
a newcomer sees a stored selection with everyone's chance."""

from __future__ import annotations

from panel.audit.services import Actor
from panel.engagements.rules import EngagementStatus
from panel.engagements.tables import Engagement
from panel.members.reference import ReferenceData
from panel.selection.problem import Quota
from panel.selections.services import SelectionRequest, run_selection
from panel.selections.tables import Selection
from panel.settings import Settings

DEMO_SEED = 2026


async def load_demo_selection(reference: ReferenceData, settings: Settings, actor: Actor) -> int:
    """Choose 8 and 2 reserves for the first draft engagement, at least 2 and at most 5 of them
    victims, unless a selection exists already. Returns how many selections were made."""
    if await Selection.exists():
        return 0
    draft = await (
        Engagement.select(Engagement.id)
        .where(Engagement.status == EngagementStatus.DRAFT.value)
        .order_by(Engagement.id)
        .first()
    )
    if draft is None:
        return 0
    quotas = [Quota("How they were involved", "Something happened to me", 2, 5)]
    request = SelectionRequest(panel_size=8, reserves=2, quotas=quotas, seed=DEMO_SEED)
    await run_selection(draft["id"], request, reference, settings, actor)
    return 1

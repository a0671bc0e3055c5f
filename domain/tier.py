"""Client tiers (seed 001, identify: 识别引导), shared by complaints and client relationships."""

from __future__ import annotations

from enum import StrEnum


class ClientTier(StrEnum):
    CORE_PREMIUM = "core_premium"
    ORDINARY_PREMIUM = "ordinary_premium"
    POTENTIAL = "potential"
    PREMIUM_TO_BE_WON = "premium_to_be_won"
    ORDINARY = "ordinary"

    @property
    def is_premium(self) -> bool:
        return self in (ClientTier.CORE_PREMIUM, ClientTier.ORDINARY_PREMIUM)

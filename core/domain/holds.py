"""Holds at order or line level. Which steps each type blocks is data (HOLD_BLOCKS)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.domain.commands import HoldType
from core.domain.transitions import Step

HOLD_BLOCKS: dict[HoldType, frozenset[Step]] = {
    HoldType.PRICE_MISMATCH: frozenset({Step.ACKNOWLEDGE}),
    HoldType.CREDIT: frozenset({Step.RELEASE, Step.SHIP}),
    HoldType.ADDRESS: frozenset({Step.SOURCE, Step.RELEASE, Step.SHIP}),
    HoldType.FRAUD: frozenset({Step.ACKNOWLEDGE, Step.SOURCE, Step.RELEASE, Step.SHIP, Step.INVOICE}),
    HoldType.MANUAL: frozenset({Step.ACKNOWLEDGE, Step.SOURCE, Step.RELEASE, Step.SHIP,
                                Step.INVOICE}),
}


@dataclass
class Hold:
    type: HoldType
    reason: str
    line_number: str | None = None  # None: the whole order
    active: bool = True
    id: int | None = None
    placed_at: datetime | None = None
    resolved_at: datetime | None = None
    resolution: str = ""
    dirty: bool = True

    def blocks(self, step: Step, line_number: str | None = None) -> bool:
        """An order hold blocks every line; a line hold blocks its own line (and an order-wide
        step only when asked about the order as a whole with `line_number=None`)."""
        if not self.active or step not in HOLD_BLOCKS[self.type]:
            return False
        return self.line_number is None or line_number is None or self.line_number == line_number

"""The achievement arithmetic (the rule is documented in `actionplans.models`)."""

from decimal import ROUND_HALF_UP, Decimal

CAP = Decimal(100)
_CENT = Decimal("0.01")


def achievement_percent(value, target) -> Decimal | None:
    """value ÷ target × 100, two decimals, not capped; None without a target (empty or zero) or
    without a value."""
    if target is None or value is None:
        return None
    target, value = Decimal(target), Decimal(value)
    if target <= 0:
        return None
    return (value / target * 100).quantize(_CENT, rounding=ROUND_HALF_UP)


def average_achievement(achievements) -> Decimal | None:
    """The mean of the per-activity achievements, each capped at 100; a None (no reported
    realisation for an activity that had a target) counts as 0. Callers pass one entry per activity
    that has a target in the period; with none the average is None (nothing was planned)."""
    items = list(achievements)
    if not items:
        return None
    total = sum((min(a, CAP) if a is not None else Decimal(0)) for a in items)
    return (total / len(items)).quantize(_CENT, rounding=ROUND_HALF_UP)

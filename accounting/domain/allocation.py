"""Whole-yen allocation that adds up exactly: the largest-remainder method (docs/domain.md §7.2)."""

from __future__ import annotations

from collections.abc import Sequence


def largest_remainder(total_yen: int, weights: Sequence[int]) -> list[int]:
    """Split ``total_yen`` in proportion to ``weights`` (e.g. days of service in each period).

    Each share is first rounded down; the yen left over go one each to the shares with the largest
    remainders, the earlier share first on a tie. The shares are never negative and add up to the
    total exactly (reading R27).
    """
    if isinstance(total_yen, bool) or not isinstance(total_yen, int):
        raise TypeError("total_yen must be an int (whole yen)")
    if total_yen < 0:
        raise ValueError("total_yen must not be negative")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    whole = sum(weights)
    if whole == 0:
        if total_yen and weights:
            raise ValueError("no weight to allocate to")
        return [0 for _ in weights]
    shares = [total_yen * w // whole for w in weights]
    remainders = [total_yen * w % whole for w in weights]
    left = total_yen - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        shares[i] += 1
    return shares

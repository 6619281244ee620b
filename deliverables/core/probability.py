"""Deal-stage probabilities as HubSpot stores them.

HubSpot's pipelines API takes a deal stage's `metadata.probability` between 0.0 and 1.0
in steps of 0.1, and treats a stage at 0.0 or 1.0 as closed (lost or won). The CRM files
and the `hubspot-probability-step` check share this one rounding.
"""

from __future__ import annotations


def hubspot_percent(percent: int) -> int:
    """The nearest multiple of 10, halves up (25 -> 30); 0 and 100 stay, anything else
    stays within 10..90 so rounding never closes an open stage."""
    if percent in (0, 100):
        return percent
    return min(max((percent + 5) // 10 * 10, 10), 90)

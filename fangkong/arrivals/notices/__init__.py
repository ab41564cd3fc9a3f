"""Before arrival: advance notices (提前告知 / 报备) and the policy decision, the public notice
page, and returnees who arrive without notice (未提前告知). The inspection of the place,
the unit's responsibility letter and spot checks are arrivals.inspections.

How a notice moves (every move is a service, and each is audited):

    filed on the public page ─→ PENDING ─confirm─→ MUST_DELAY | INSPECTION | READY
                                        └reject──→ REJECTED
    filed by a worker, or an unannounced arrival: confirmed at once
    INSPECTION ─inspection passes─→ READY  (a unit also needs its signed letter)
    INSPECTION | FAILED ─inspection fails─→ FAILED (find a compliant place, or delay)
    FAILED ─another place─→ INSPECTION;  MUST_DELAY | FAILED ─another date─→ policy again

A public notice carries the policy decision from the start (so the page can tell the filer
what the rules say) but counts for nothing until a worker confirms it (`notices_counted`).
"""

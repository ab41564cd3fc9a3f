"""Party donations in the daily report (fangkong.core.figures): the day's donors (members
whose donations dated that day, net of reversals, are above zero) and the day's amount in
whole fen (an integer, exact; the report divides by 100 to show yuan). Counted where the
branch is placed in the jurisdiction tree."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from fangkong.core.figures import Counts, Figure, FigureSet, Span
from fangkong.party.models import Donation


def _count(span: Span) -> Counts:
    net = (
        span.within(Donation.objects.filter(on=span.on), "branch__area_id")
        .values("branch__area_id", "member_id")
        .annotate(fen=Sum("amount_fen"))
        .order_by()
    )
    donors: dict[int, int] = defaultdict(int)
    fen: dict[int, int] = defaultdict(int)
    for row in net:
        area = row["branch__area_id"]
        fen[area] += row["fen"] or 0
        donors[area] += (row["fen"] or 0) > 0
    for area, n in donors.items():
        yield area, "party_donors", n
        yield area, "party_donation_fen", max(fen[area], 0)


FIGURES = (
    Figure(
        "party_donors",
        _("党员捐款人数"),
        _("人"),
        _("当日捐款的党员人数（冲销后仍有捐款的）"),
        "party",
    ),
    Figure(
        "party_donation_fen",
        _("党员捐款金额（分）"),
        _("分"),
        _("当日党员捐款金额，以分计，精确无误差（除以 100 即为元）"),
        "party",
    ),
)

FIGURE_SET = FigureSet(figures=FIGURES, count=_count)

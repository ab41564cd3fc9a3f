"""Party donations in the daily report: donors and the amount in whole fen, summed over
the subtree, net of reversals."""

from __future__ import annotations

from django.utils import timezone

from fangkong.party import services
from tests.conftest import FENGTAI, WANPING, World
from tests.party.conftest import Party


def test_the_daily_report_counts_donors_and_fen(world: World, party: Party) -> None:
    give = services.donation_record
    give(actor=party.treasurer, member=party.members[0], amount="0.01", channel="cash")
    give(actor=party.treasurer, member=party.members[0], amount="100.00", channel="cash")
    give(actor=party.treasurer, member=party.members[3], amount="88.88", channel="cash")
    wrong = give(actor=party.treasurer, member=party.members[4], amount="5", channel="cash")
    services.donation_reverse(actor=party.treasurer, donation=wrong, note="记错人")
    give(actor=party.zg_treasurer, member=party.zg_member, amount="50", channel="cash")
    today = timezone.localdate().isoformat()
    api = world.api(world.district_officer)
    for code, donors, fen in ((WANPING, 2, 18889), (FENGTAI, 3, 23889)):
        body = api.get("/api/v1/reports/daily/", {"area": code, "date": today}).json()
        assert body["figures"]["party_donors"] == donors, body
        assert body["figures"]["party_donation_fen"] == fen

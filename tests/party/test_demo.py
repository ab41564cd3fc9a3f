"""The demo gives the page's figures exactly: 南方庄社区, 16 branches, about 450 members,
162 donors and 15,354.97 yuan on day one, passed up to the working committee."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from fangkong.accounts.demo import load_demo_accounts
from fangkong.party.demo import load_demo
from fangkong.party.models import Candidate, Donation, Meeting, Organisation, OrgKind
from fangkong.party.selectors import org_position, reconciliation, summary
from tests.conftest import World


def test_the_demo_gives_the_pages_figures(world: World) -> None:
    load_demo_accounts()
    assert "162" in load_demo()
    community = Organisation.objects.get(name="南方庄社区党委")
    f = summary(community, timezone.localdate())
    assert (f.donors, f.amount, f.members) == (162, Decimal("15354.97"), 450)
    assert len(f.children) == 16 and f.above_suggested >= 1
    assert Donation.objects.filter(amount_fen__gt=10000).exists()
    assert any(d.amount_fen % 100 for d in Donation.objects.all())
    district = Organisation.objects.get(kind=OrgKind.DISTRICT)
    assert summary(district, timezone.localdate()).amount == Decimal("15354.97")
    working = Organisation.objects.get(name="东铁匠营街道工委")
    assert org_position(working).held == Decimal("15354.97")
    assert all(not level.differences for level in reconciliation(district))
    meeting = Meeting.objects.get(form="remote_video")
    assert sorted(c.person.name for c in meeting.candidates.all()) == ["于薇", "杨桐"]
    assert Candidate.objects.filter(stage="probationary").count() == 2
    assert Candidate.objects.filter(stage="applicant").count() == 12
    assert load_demo() == "demo party: already loaded"

"""The party pages in English: once the data (organisations, names, places, notes) is
taken out, no Chinese is left in the page's own part."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fangkong.party import services
from fangkong.party.development import services as development
from fangkong.party.models import Donation, Member, Organisation, Remittance
from fangkong.registry.models import Person
from tests.conftest import WANPING, World
from tests.english import chinese_left, english, world_data
from tests.factories import make_person
from tests.party.conftest import Party


def test_the_party_pages_are_english(world: World, party: Party) -> None:
    t = party.treasurer
    d = services.donation_record(actor=t, member=party.members[0], amount="200", channel="cash")
    services.donation_record(actor=t, member=party.members[1], amount="0.01", channel="transfer")
    services.donation_reverse(actor=t, donation=d, note="wrong")
    services.donation_record(actor=t, member=party.members[3], amount="50", channel="bank")
    batch = services.remittance_send(actor=t, org=party.branch2, amount="50")
    person = make_person(world.wanping_worker, world.areas[WANPING], "杨桐")
    c = development.candidate_apply(
        actor=t, branch=party.branch1, person=person,
        applied_on=timezone.localdate() - dt.timedelta(days=3), frontline=True,
    )  # fmt: skip
    development.meeting_record(
        actor=t, branch=party.branch1, held_on=timezone.localdate(), form="remote_video",
        purpose="admit", entitled=3, present=3, remote=1, votes_for=3, candidates=[c],
    )  # fmt: skip
    data = [*world_data(world), *(o.name for o in Organisation.objects.all())]
    data += [p.name for p in Person.objects.all()] + ["wrong", "wanping_treasurer"]
    data += [d.receipt_no for d in Donation.objects.all()] + [batch.number]
    # The import page names the sheet's headers as they are written in the sheet.
    data += ["“姓名”", "“金额”", "“日期”", "“交易单号”", "“方式”", "“备注”"]
    client = english(world, t)
    pages = {
        "home": "/party/",
        "community": f"/party/orgs/{party.community.pk}/",
        "branch": f"/party/orgs/{party.branch1.pk}/",
        "reconciliation": f"/party/orgs/{party.community.pk}/reconciliation/",
        "remittances": "/party/remittances/",
        "receipt": f"/party/donations/{d.pk}/receipt/",
        "slip": f"/party/remittances/{batch.pk}/slip/",
        "import": f"/party/orgs/{party.community.pk}/import/",
        "development": f"/party/orgs/{party.branch1.pk}/development/",
        "org-new": f"/party/orgs/new/?parent={party.community.pk}",
        "members": f"/party/orgs/{party.branch1.pk}/members/",
    }
    left = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        left[name] = chinese_left(response.content.decode(), data)
    assert {k: v for k, v in left.items() if v} == {}
    assert Member.objects.count() and Remittance.objects.count()

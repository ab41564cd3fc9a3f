"""Party donations, district summary and reconciliation (31 committees, 140,000 members): ≤ 500 ms.

31 working committees, 140,000 members, 40,000 donations a day for two days.

On the synthetic district of bench.areas: 丰台-like 区委 → 31 working committees (one per
street) → 1,240 community committees (40 per street) → 4,960 branches (4 each) with
140,000 members; 40,000 donations on each of two days (amounts to the fen); day one
passed up by every branch and received, then by every community committee, most of them
received (the rest listed as differences). Times `GET /api/v1/donations/summary/` and
`GET /api/v1/donations/reconciliation/` for the whole district, warm."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from bench.areas import build as build_areas
from bench.common import best_of

MEMBERS = 140_000
DONATIONS_A_DAY = 40_000
WORKING = 31
COMMUNITIES_PER_STREET = 40
BRANCHES_PER_COMMUNITY = 4


def _paths(orgs: list, parent_path: dict[int, str]) -> None:  # type: ignore[type-arg]
    from fangkong.party.models import Organisation

    for org in orgs:
        org.path = f"{parent_path[org.parent_id]}{org.pk}/"
    Organisation.objects.bulk_update(orgs, ["path"], batch_size=5000)


def build() -> None:
    from fangkong.accounts.roles import Role
    from fangkong.accounts.services import account_upsert
    from fangkong.areas.models import Area, AreaKind
    from fangkong.party.models import (
        Channel,
        Donation,
        Member,
        Organisation,
        OrgKind,
        Remittance,
    )
    from fangkong.party.services import branch_days_rebuild
    from fangkong.registry.models import Person

    build_areas()
    if Organisation.objects.filter(name="基准区委").exists():
        return
    rng = random.Random(2020)
    root = Area.objects.get(code="990000")
    user = account_upsert(
        username="bench_party", role=Role.DISTRICT_OFFICER, area=root, password="bench-password-1"
    )
    today = timezone.localdate()
    day1, day2 = today - dt.timedelta(days=1), today
    with transaction.atomic():
        district = Organisation.objects.create(name="基准区委", kind=OrgKind.DISTRICT, area=root)
        district.path = f"/{district.pk}/"
        district.save(update_fields=["path"])
        streets = list(Area.objects.filter(kind=AreaKind.STREET, code__startswith="990000"))
        streets = sorted(streets, key=lambda a: a.code)[:WORKING]
        working = Organisation.objects.bulk_create(
            [Organisation(name=f"{s.name}工委", kind=OrgKind.WORKING, area=s, parent=district)
             for s in streets]
        )  # fmt: skip
        _paths(working, {district.pk: district.path})
        communities = []
        for w, street in zip(working, streets, strict=True):
            areas = Area.objects.filter(parent=street, kind=AreaKind.COMMUNITY).order_by("code")
            for area in areas[:COMMUNITIES_PER_STREET]:
                communities.append(
                    Organisation(
                        name=f"{area.name}党委", kind=OrgKind.COMMUNITY, area=area, parent=w
                    )
                )
        communities = Organisation.objects.bulk_create(communities, batch_size=5000)
        _paths(communities, {w.pk: w.path for w in working})
        branches = Organisation.objects.bulk_create(
            [Organisation(name=f"{c.name}第{k + 1}支部", kind=OrgKind.BRANCH, area_id=c.area_id,
                          parent=c)
             for c in communities for k in range(BRANCHES_PER_COMMUNITY)],
            batch_size=5000,
        )  # fmt: skip
        _paths(branches, {c.pk: c.path for c in communities})
        people = Person.objects.bulk_create(
            [Person(area_id=branches[i % len(branches)].area_id, name=f"党员{i}")
             for i in range(MEMBERS)],
            batch_size=10000,
        )  # fmt: skip
        members = Member.objects.bulk_create(
            [Member(person=p, branch=branches[i % len(branches)]) for i, p in enumerate(people)],
            batch_size=10000,
        )
        rows = []
        for day in (day1, day2):
            for m in rng.sample(members, DONATIONS_A_DAY):
                fen = rng.choice((10000, 10000, 10000, 5000, 20000, 50000, rng.randint(1, 99999)))
                rows.append(
                    Donation(branch_id=m.branch_id, member=m, amount_fen=fen,
                             channel=Channel.TRANSFER, on=day, suggested_fen=10000,
                             above_suggested=fen > 10000, by=user)
                )  # fmt: skip
        Donation.objects.bulk_create(rows, batch_size=10000)
        branch_days_rebuild()  # what the services do per branch as they record
        held: dict[int, int] = defaultdict(int)
        for d in rows:
            if d.on == day1:
                held[d.branch_id] += d.amount_fen
        now = timezone.now()
        batches = [
            Remittance(number=f"B{b.pk}", from_org=b, to_org_id=b.parent_id,
                       amount_fen=held[b.pk], sent_on=day1, sent_by=user, received_fen=held[b.pk],
                       received_on=day1, received_by=user, received_at=now)
            for b in branches if held[b.pk]
        ]  # fmt: skip
        up: dict[int, int] = defaultdict(int)
        for b in batches:
            up[b.to_org_id] += b.amount_fen
        for i, c in enumerate(communities):
            received = i % 10 != 0  # one in ten not received yet
            batches.append(
                Remittance(number=f"C{c.pk}", from_org=c, to_org_id=c.parent_id,
                           amount_fen=up[c.pk], sent_on=day2, sent_by=user,
                           received_fen=up[c.pk] - (1 if i % 97 == 0 else 0) if received else None,
                           received_on=day2 if received else None,
                           received_by=user if received else None,
                           received_at=now if received else None)
            )  # fmt: skip
        Remittance.objects.bulk_create(batches, batch_size=5000)


def run() -> None:
    from django.db import connection
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from fangkong.accounts.models import User
    from fangkong.party.models import Organisation
    from fangkong.party.selectors import reconciliation, summary

    build()
    if connection.vendor == "postgresql":  # what autovacuum does after a bulk load
        with connection.cursor() as cursor:
            for table in ("party_organisation", "party_member", "party_donation",
                          "party_remittance", "party_branchday"):  # fmt: skip
                cursor.execute(f"VACUUM ANALYZE {table}")
    district = Organisation.objects.get(name="基准区委")
    user = User.objects.get(username="bench_party")
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient(SERVER_NAME="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    today = timezone.localdate()
    figures = summary(district, today)
    print(f"  database: {connection.vendor}")
    print(
        f"  district: {figures.members:,} members, today {figures.donors:,} donors "
        f"{figures.amount} yuan; two days {figures.total_donors:,} donors {figures.total_amount}"
    )

    def get(url: str) -> None:
        answer = client.get(url)
        assert answer.status_code == 200, answer.content[:300]

    summary_url = f"/api/v1/donations/summary/?org={district.pk}&date={today}"
    recon_url = f"/api/v1/donations/reconciliation/?org={district.pk}"
    levels = reconciliation(district)
    print(f"  reconciliation: {len(levels):,} levels, "
          f"{sum(len(lv.differences) for lv in levels)} differences")  # fmt: skip
    timings = (
        ("summary selector", lambda: summary(district, today)),
        ("GET summary (district)", lambda: get(summary_url)),
        ("reconciliation selector", lambda: reconciliation(district)),
        ("GET reconciliation (district)", lambda: get(recon_url)),
    )
    for label, call in timings:
        print(f"  {label}: {best_of(call, repeat=5) * 1000:.0f} ms")

"""Demo party organisations and donations, from the page: 丰台区委 → 东铁匠营街道工委 →
南方庄社区党委 and its 16 branches with about 450 members (第三支部 30-odd elders);
on day one (today) 162 members gave exactly 15,354.97 yuan — most 100, some more (王凡
and his wife's 500), a few to the fen — each branch passed its day up to the community
committee, which passed the whole up to the working committee, which received it.

Everything goes through the services (registry's for the people). Idempotent: an
existing 丰台区委 means the demo is loaded."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.areas.models import Area
from fangkong.party import services
from fangkong.party.development import services as development
from fangkong.party.models import (
    Channel,
    MeetingForm,
    MeetingPurpose,
    Member,
    Organisation,
    OrgKind,
    Stage,
)
from fangkong.party.selectors import org_position
from fangkong.registry.demo.data import FEMALE_CHARS, MALE_CHARS, SURNAME_WEIGHTS, SURNAMES
from fangkong.registry.people.services import person_register

DISTRICT, STREET, COMMUNITY = "110106", "110106007", "110106007001"
BRANCHES = 16
# Members per branch: 450 in all, 第三支部 "30 余人".
BRANCH_SIZES = (29, 28, 32, 27, 28, 29, 26, 28, 30, 27, 28, 29, 26, 28, 27, 28)
DONORS = 162
TOTAL = Decimal("15354.97")
# Day one's amounts but the last (which makes the page's total): mostly 100, some more.
AMOUNTS: tuple[tuple[str, int], ...] = (
    ("500.00", 1),  # 王凡 and his wife
    ("200.00", 8),
    ("300.00", 1),
    ("100.00", 112),
    ("88.88", 2),
    ("66.66", 1),
    ("50.00", 24),
    ("20.00", 12),
)
SEED = 20200228


def _name(rng: random.Random) -> tuple[str, str]:
    sex = rng.choice(("male", "female"))
    chars = MALE_CHARS if sex == "male" else FEMALE_CHARS
    surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
    return surname + rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.6 else ""), sex


def day_one_amounts() -> list[Decimal]:
    amounts = [Decimal(a) for a, n in AMOUNTS for _ in range(n)]
    amounts.append(TOTAL - sum(amounts, Decimal(0)))
    assert len(amounts) == DONORS and amounts[-1] > 0
    return amounts


@transaction.atomic
def load_demo() -> str:
    if Organisation.objects.filter(kind=OrgKind.DISTRICT, name="丰台区委").exists():
        return "demo party: already loaded"
    admin = User.objects.filter(username="admin").first()
    treasurer = User.objects.filter(username="nanfangzhuang_treasurer").first()
    areas = {a.code: a for a in Area.objects.filter(code__in=(DISTRICT, STREET, COMMUNITY))}
    if admin is None or treasurer is None or len(areas) < 3:
        return "demo party: skipped (accounts or areas missing)"
    rng = random.Random(SEED)  # noqa: S311 — reproducible demo data
    district = services.org_create(
        actor=admin, name="丰台区委", kind=OrgKind.DISTRICT, area=areas[DISTRICT]
    )
    working = services.org_create(
        actor=admin, name="东铁匠营街道工委", kind=OrgKind.WORKING, area=areas[STREET],
        parent=district,
    )  # fmt: skip
    community = services.org_create(
        actor=admin, name="南方庄社区党委", kind=OrgKind.COMMUNITY, area=areas[COMMUNITY],
        parent=working, treasurer=treasurer,
    )  # fmt: skip
    today = timezone.localdate()
    members: list[Member] = []
    branches = []
    for number, size in enumerate(BRANCH_SIZES, start=1):
        branch = services.org_create(
            actor=treasurer, name=f"南方庄社区第{_CN[number]}党支部", kind=OrgKind.BRANCH,
            area=areas[COMMUNITY], parent=community, treasurer=treasurer,
        )  # fmt: skip
        branches.append(branch)
        elders = number == 3
        for i in range(size):
            name, sex = ("王凡", "male") if elders and i == 0 else _name(rng)
            year = rng.randint(1940, 1960) if elders else rng.randint(1945, 1995)
            person = person_register(
                actor=treasurer,
                area=areas[COMMUNITY],
                data={
                    "name": name,
                    "sex": sex,
                    "birth_date": f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                },
                require_document=False,
                today=today,
            )
            members.append(services.member_add(actor=treasurer, branch=branch, person=person))
    wang_fan = members[sum(BRANCH_SIZES[:2])]
    donors = [wang_fan, *rng.sample([m for m in members if m.pk != wang_fan.pk], DONORS - 1)]
    for i, (member, amount) in enumerate(zip(donors, day_one_amounts(), strict=True)):
        cash = rng.random() < 0.15
        services.donation_record(
            actor=treasurer,
            member=member,
            amount=amount,
            channel=Channel.CASH if cash else Channel.TRANSFER,
            receipt_no="" if cash else f"WX{today:%Y%m%d}{i + 1:04d}",
            on=today,
            note="与老伴共同捐款" if member.pk == wang_fan.pk else "",
        )
    for branch in branches:
        held = org_position(branch).held
        if held > 0:
            batch = services.remittance_send(
                actor=treasurer, org=branch, amount=held, sent_on=today
            )
            services.remittance_receive(actor=treasurer, remittance=batch, received_on=today)
    up = services.remittance_send(
        actor=treasurer, org=community, amount=org_position(community).held, sent_on=today
    )
    services.remittance_receive(actor=admin, remittance=up, received_on=today)
    nurses = _yaoyi(admin, district, areas[DISTRICT], areas[COMMUNITY], rng)
    return (
        f"demo party: 南方庄社区 {BRANCHES} 个党支部 {len(members)} 名党员，"
        f"今日 {DONORS} 人捐款 {TOTAL} 元，已逐级上缴到东铁匠营街道工委；"
        f"北京瑶医医院党支部远程视频大会接收 {nurses} 名一线护士为预备党员"
    )


def _person(actor: Any, area: Area, name: str, sex: str, rng: random.Random) -> Any:
    return person_register(
        actor=actor,
        area=area,
        data={
            "name": name,
            "sex": sex,
            "birth_date": f"19{rng.randint(60, 98)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        },
        require_document=False,
    )


def _yaoyi(
    admin: Any, district: Organisation, district_area: Area, home: Area, rng: random.Random
) -> int:
    """北京瑶医医院党支部 (under the park's non-public enterprises committee): 杨桐 and 于薇,
    frontline nurses in Wuhan, admitted as probationary members by a remote video branch
    meeting on 2020-02-29 after the park committee's review; 12 more of the medical team
    have applied (14 of 21)."""
    park = services.org_create(
        actor=admin, name="中关村丰台科技园区非公企业党委", kind=OrgKind.WORKING,
        area=district_area, parent=district,
    )  # fmt: skip
    branch = services.org_create(
        actor=admin, name="北京瑶医医院党支部", kind=OrgKind.BRANCH, area=district_area,
        parent=park,
    )  # fmt: skip
    members = [
        services.member_add(actor=admin, branch=branch, person=_person(admin, home, name, sex, rng),
                            joined_on=dt.date(2000 + i, 7, 1))
        for i, (name, sex) in enumerate([("王少朋", "male"), ("覃迅云", "male")]
                                        + [_name(rng) for _ in range(10)])
    ]  # fmt: skip
    nurses = []
    for name in ("杨桐", "于薇"):
        c = development.candidate_apply(
            actor=admin, branch=branch, person=_person(admin, home, name, "female", rng),
            applied_on=dt.date(2018, 9, 3), frontline=True, note="驰援武汉医疗队",
        )  # fmt: skip
        development.candidate_advance(
            actor=admin, candidate=c, stage=Stage.ACTIVIST, on=dt.date(2018, 12, 1)
        )
        development.candidate_advance(
            actor=admin, candidate=c, stage=Stage.OBJECT, on=dt.date(2020, 2, 10),
            introducers=members[:2],
        )  # fmt: skip
        development.candidate_advance(
            actor=admin, candidate=c, stage=Stage.REVIEWED, on=dt.date(2020, 2, 26)
        )
        nurses.append(c)
    meeting = development.meeting_record(
        actor=admin, branch=branch, held_on=dt.date(2020, 2, 29), form=MeetingForm.REMOTE_VIDEO,
        purpose=MeetingPurpose.ADMIT, entitled=len(members), present=len(members), remote=3,
        votes_for=len(members), candidates=nurses,
        note="与武汉红十字会医院视频连线，园区非公企业党委宣读审查意见",
    )  # fmt: skip
    for c in nurses:
        development.candidate_advance(
            actor=admin, candidate=c, stage=Stage.PROBATIONARY, on=dt.date(2020, 2, 29),
            meeting=meeting,
        )  # fmt: skip
    for i in range(12):
        name, sex = _name(rng)
        development.candidate_apply(
            actor=admin, branch=branch, person=_person(admin, home, name, sex, rng),
            applied_on=dt.date(2020, 2, 16 + i), frontline=True, note="驰援武汉医疗队",
        )  # fmt: skip
    return len(nurses)


_CN = {
    1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十",
    11: "十一", 12: "十二", 13: "十三", 14: "十四", 15: "十五", 16: "十六",
}  # fmt: skip

"""Demo gates and passes for 宛平城社区, on top of the demo registry and returnees.

* Its 4 volunteer posts (志愿服务岗), staffed 24 hours: 城内街东门 and 城内街西门 (zone
  城内街), 桥西街口 (桥西街) and 城北街口 (城北街), each opening its own zone.
* A pass for every resident of the three zones who is in Beijing (owners: 居民; tenants:
  居民 too — they live there), printed 8 to an A4 sheet from the pass list.
* A morning of checks (06:00–10:00 of the latest morning that is over) at the four posts:
  residents going out to work and coming back from the market, a couple of night checks
  before six, one fever (37.8 °C at 城内街东门 → an alert for the medical staff at once), a
  subway worker under unit observation stopped on the way out, an unreadable QR code,
  and an unannounced returnee — a tenant the registry still lists as not back, stopped at
  桥西街口 without a pass and handed to the community (a referral).
* At the gate: a parcel courier (left at the gate, policy) and a plumber (repair, admitted).

Idempotent: when the posts exist, nothing is added. Checks go through the gate-check
service itself (`now=` the story's moment), so the log is exactly what a phone would write.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fangkong.access import checks
from fangkong.access.models import (
    CheckDecision,
    Gate,
    GateCheck,
    GateReferral,
    Pass,
    PassKind,
    PassStatus,
    Visit,
)
from fangkong.access.services import (
    gate_create,
    new_number,
    new_token,
    referral_create,
    visit_register,
    visit_rules_seed,
)
from fangkong.accounts.models import User
from fangkong.areas.models import Area
from fangkong.arrivals.models import Observation, ObservationStatus
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.policy.services import policy_seed_2020
from fangkong.registry.demo.data import WANPING, WANPING_ZONES
from fangkong.registry.models import Person, Residence, Whereabouts

SEED = 20200306
POSTS = [  # zone code, gate name
    ("110106014001Z1", "城内街东门志愿服务岗"),
    ("110106014001Z1", "城内街西门志愿服务岗"),
    ("110106014001Z2", "桥西街口志愿服务岗"),
    ("110106014001Z3", "城北街口志愿服务岗"),
]
CHECK_NAMESPACE = uuid.UUID("6f1c1a52-2f57-4a55-9d0b-6a3f0f1c2020")
# The passes were issued when the community closed its compounds: after the screening that
# registered the residents (fangkong.registry.demo.data.SCREENING_DAYS_AGO), before any arrival
# of the returnee demo, at nine in the morning.
PASSES_ISSUED_DAYS_AGO = 15


@dataclass
class DemoAccess:
    created: bool
    gates: int
    passes: int
    checks: int
    denied: int
    referrals: int

    def summary(self) -> str:
        return (
            f"demo gates: 宛平城社区 {self.gates} 个志愿服务岗，出入证 {self.passes} 张，"
            f"一个早上的查验 {self.checks} 次（禁止通行 {self.denied} 次，"
            f"转社区 {self.referrals} 人）" + ("" if self.created else "（已载入，本次未新增）")
        )


def _summary(created: bool) -> DemoAccess:
    gates = Gate.objects.filter(area__code__startswith=WANPING)
    return DemoAccess(
        created=created,
        gates=gates.count(),
        passes=Pass.objects.filter(area__code__startswith=WANPING).count(),
        checks=GateCheck.objects.filter(gate__in=gates).count(),
        denied=GateCheck.objects.filter(gate__in=gates, decision=CheckDecision.DENY).count(),
        referrals=GateReferral.objects.filter(gate__in=gates).count(),
    )


def _morning() -> dt.date:
    """The latest morning that is over: today after 10:30, else yesterday."""
    now = timezone.localtime()
    today = now.date()
    return today if now.time() >= dt.time(10, 30) else today - dt.timedelta(days=1)


def _at(day: dt.date, hour: int, minute: int, second: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute, second)))


def _passes(worker: User, zones: dict[str, Area]) -> list[Pass]:
    """A pass for every resident of the zones who is here (bulk: the demo has hundreds)."""
    homes = (
        Residence.objects.filter(until__isnull=True, address__area__code__in=zones)
        .filter(person__whereabouts=Whereabouts.IN_BEIJING, person__merged_into__isnull=True)
        .select_related("address__area")
        .order_by("person_id")
    )
    have = set(Pass.objects.filter(area__code__in=zones).values_list("person_id", flat=True))
    rows = [
        Pass(
            person_id=home.person_id,
            area=home.address.area,
            kind=PassKind.RESIDENT,
            token=new_token(),
            number=new_number(),
            issued_by=worker,
        )
        for home in homes
        if home.person_id not in have
    ]
    Pass.objects.bulk_create(rows, batch_size=500)
    issued = timezone.localdate() - dt.timedelta(days=PASSES_ISSUED_DAYS_AGO)
    Pass.objects.filter(token__in=[row.token for row in rows]).update(issued_at=_at(issued, 9, 0))
    audit_record(
        actor=worker,
        action=AuditAction.CHANGE,
        area=Area.objects.get(code=WANPING),
        object_type="access.pass",
        detail=f"演示数据：为宛平城社区居民核发出入证 {len(rows)} 张",
    )
    return list(Pass.objects.filter(area__code__in=zones, status=PassStatus.ACTIVE))


def _check(
    gate: Gate,
    guard: User,
    moment: dt.datetime,
    *,
    n: int,
    direction: str,
    temperature: str,
    token: str = "",
    document: Person | None = None,
) -> checks.CheckOutcome:
    info = checks.gate_info(gate.pk)
    assert info is not None
    data = checks.CheckInput(
        check_id=uuid.uuid5(CHECK_NAMESPACE, f"{gate.pk}:{n}"),
        gate_id=gate.pk,
        direction=direction,
        temperature=Decimal(temperature),
        pass_token=token,
        document_type=document.document_type if document else "",
        document_index=(document.document_index or "") if document else "",
    )
    return checks.gate_check(guard_id=guard.pk, gate=info, data=data, now=moment)


@transaction.atomic
def load_demo_access() -> DemoAccess:
    """Idempotent: when 宛平城's posts exist, nothing is added."""
    if Gate.objects.filter(area__code=POSTS[0][0], name=POSTS[0][1]).exists():
        return _summary(created=False)
    visit_rules_seed(policy=policy_seed_2020())
    worker = User.objects.get(username="wanping_worker")
    guard = User.objects.filter(username="chengnei_guard").first() or worker
    zones = {code: Area.objects.get(code=code) for code in WANPING_ZONES}
    gates = [gate_create(actor=worker, area=zones[code], name=name) for code, name in POSTS]
    checks.caches_clear()
    passes = _passes(worker, zones)
    rng = random.Random(SEED)  # noqa: S311 — reproducible demo data
    day = _morning()
    by_zone: dict[int, list[Pass]] = {}
    for p in passes:
        by_zone.setdefault(p.area_id, []).append(p)
    n = 0

    def at_post(gate: Gate) -> User:
        return guard if gate.area.code == "110106014001Z1" else worker

    # Residents: out to work from 06:30, back from the market until 10:00; two before six.
    for gate in gates:
        mine = by_zone.get(gate.area_id, [])
        for k in range(30 if mine else 0):
            card = rng.choice(mine)
            minutes = rng.randint(6 * 60 + 20, 9 * 60 + 59) if k > 1 else rng.randint(330, 355)
            n += 1
            _check(
                gate,
                at_post(gate),
                _at(day, minutes // 60, minutes % 60, rng.randint(0, 59)),
                n=n,
                direction="out" if minutes < 8 * 60 + 30 else rng.choice(("in", "out")),
                temperature=f"{rng.choice((36.1, 36.2, 36.3, 36.4, 36.5, 36.6, 36.7, 36.8))}",
                token=card.token,
            )
    east, west, qiaoxi, chengbei = gates
    # The fever, at 城内街东门 at 07:42: an alert for the medical staff at once.
    if by_zone.get(east.area_id):
        n += 1
        _check(
            east,
            guard,
            _at(day, 7, 42, 13),
            n=n,
            direction="in",
            temperature="37.8",
            token=by_zone[east.area_id][0].token,
        )
    # A QR code that is no pass (a shop's coupon), at 城内街西门.
    n += 1
    _check(west, guard, _at(day, 8, 5), n=n, direction="in", temperature="36.4", token="WX-COUPON")
    # A subway worker under unit observation on the way out, at 城北街口.
    observed = (
        Observation.objects.filter(area__code=WANPING, status=ObservationStatus.ACTIVE)
        .select_related("person")
        .order_by("id")
        .first()
    )
    if observed is not None and observed.person.document_index:
        n += 1
        _check(
            chengbei,
            worker,
            _at(day, 8, 31),
            n=n,
            direction="out",
            temperature="36.5",
            document=observed.person,
        )
    # The unannounced returnee: a tenant still listed as not back, at 桥西街口, no pass.
    returnee = (
        Person.objects.filter(
            area__code__in=zones,
            whereabouts=Whereabouts.NOT_BACK,
            residences__until__isnull=True,
            residences__kind="tenant",
            document_index__isnull=False,
        )
        .order_by("id")
        .first()
    )
    if returnee is not None:
        n += 1
        outcome = _check(
            qiaoxi,
            worker,
            _at(day, 9, 17),
            n=n,
            direction="in",
            temperature="36.6",
            document=returnee,
        )
        check = GateCheck.objects.get(check_id=outcome.check_id)
        referral_create(
            actor=worker,
            check=check,
            name=returnee.name,
            note=(
                f"自述昨天从{returnee.away_from or '外地'}返京，未提前告知，无出入证；"
                "已向本人解释政策"
            ),
        )
        GateReferral.objects.filter(gate_check=check).update(created_at=_at(day, 9, 18))
    # At the gate: a parcel courier (left at the gate) and a plumber (admitted), during
    # the same morning as the checks.
    courier = visit_register(
        actor=guard,
        gate=east,
        kind="delivery",
        reason="parcel",
        name="顺丰快递员",
        temperature=Decimal("36.3"),
        destination="城内街12号院",
    )
    plumber = visit_register(
        actor=guard,
        gate=east,
        kind="visitor",
        reason="repair",
        name="自来水公司维修工",
        temperature=Decimal("36.5"),
        destination="城内街8号院 水管抢修",
    )
    Visit.objects.filter(pk=courier.pk).update(at=_at(day, 8, 42))
    Visit.objects.filter(pk=plumber.pk).update(at=_at(day, 9, 35))
    return _summary(created=True)


def load_demo() -> str:
    return load_demo_access().summary()

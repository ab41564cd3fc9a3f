"""Demo returnees for the two communities of the source page, on top of the demo registry.

What it tells (every row made by the arrivals services, as the app itself would have made it):

* 宛平城社区, the construction site: the employer 地铁16号线施工单位 files a notice on the
  public page for the six workers the registry lists as not back (from 河南省, “下周有 6 位
  工作人员将返京”); the community worker confirms it; the joint team (地区开复工组, 医护人员,
  管片民警, 社区专员, 包片社区干部 — names invented, the notice's note says so) passes the
  unit site; the 《疫情防控责任书》 is signed on the day the workers arrive; unit observation
  runs; one unannounced spot check was done (严格遵守) and two more are scheduled.
* 宛平城社区, the bungalow zones: two landlords file for their tenants who are still away;
  one room passes the home inspection (READY, arriving in two days), the other has no toilet
  of its own (FAILED) and the tenant delays the return by three weeks (still FAILED: a later
  date does not make the room compliant).
* 镇国寺社区: 148 people back from the Spring Festival under home observation, whole
  households of the registry's not-back residents (none from 湖北), arrivals spread over the
  last 13 days; twice-daily reports every day since their arrival and this morning, most
  present (a few taken by phone by the cadre 王颖), some of yesterday's missing — the nightly
  `fangkong daily` step has turned those into call tasks — and exactly one fever, 37.6 °C
  this morning, which raised an alert for the community's medical staff.
* 镇国寺社区: a household in 武汉 files its own notice → 暂缓返京 (MUST_DELAY).

Time travel. The demo's “today” is the real date of loading (`timezone.localdate()`), so
the pages show live data. The notice services take a `today=` argument (the planned date may
not lie before it), so the construction-site notice is filed 12 days ago with the arrival
planned 6 days ago, and so on: each step passes the story's own day as `today`. Observation
and report services work on the real date only, which is why every observation here started
within the last 14 days and every report is dated on or before today. Services stamp rows
with the real clock (`auto_now_add`); afterwards the timestamps of the demo's own rows
(notice filed/confirmed, inspection, observation start, report, alert, call task) are moved
to the story's days so that lists and timelines read in order — the audit log keeps the
real time of loading.

Idempotent: a demo notice carries `MARK` in its note; when one exists nothing is added.
People are picked from the registry by query (whole households, in registration order), so
the same database gives the same story.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.areas.models import Area
from fangkong.arrivals.health.services import daily_raise_call_tasks, due_slots, report_submit
from fangkong.arrivals.inspections.services import (
    inspection_record,
    letter_sign,
    spot_check_record,
    spot_checks_schedule,
)
from fangkong.arrivals.models import (
    HOME_CHECKLIST,
    UNIT_CHECKLIST,
    Alert,
    AlertKind,
    ArrivalNotice,
    CallTask,
    CallTaskStatus,
    FiledBy,
    HealthReport,
    Inspection,
    NoticeStatus,
    Observation,
    ObservationEvent,
    ObservationMode,
    ObservationStatus,
    Slot,
    SpotCheckResult,
)
from fangkong.arrivals.notices.rules import PROVINCES, observation_window
from fangkong.arrivals.notices.services import notice_confirm, notice_file, notice_reschedule
from fangkong.arrivals.observation.services import notice_arrive, observation_start
from fangkong.core.crypto import decrypt
from fangkong.core.scoping import subtree_q
from fangkong.policy.services import policy_seed_2020
from fangkong.registry.demo.data import SITE_UNIT, WANPING, ZHENGUOSI
from fangkong.registry.demo.loading import load_demo_registry
from fangkong.registry.models import (
    DocumentType,
    Person,
    Residence,
    ResidenceKind,
    Whereabouts,
)
from fangkong.units.models import Unit

SEED = 20200306
MARK = "【演示数据】"
HOME_OBSERVED = 148  # “148 名隔离人员”
ARRIVAL_SPREAD_DAYS = 13  # arrivals today and on each of the 12 days before
# Full days of reports before today (plus this morning): every day since the first arrival,
# so that no one's record shows days without a report and without a call about it.
REPORT_DAYS = ARRIVAL_SPREAD_DAYS - 1
MISSED_YESTERDAY = 0.06  # share of yesterday's slots nobody reported
NOT_YET_THIS_MORNING = 0.12  # share of this morning's reports not in yet
BY_PHONE = 0.04  # share of reports taken by phone by the cadre
FEVER = Decimal("37.6")
SITE_BUILDING = "地铁16号线工地宿舍楼"
DELAY_DAYS = 21  # the failed tenant comes three weeks later

# The joint team of the construction-site story: 冯佳 is named on the page, the others are
# invented for the demo (the notice's note says so).
COMMUNITY_HEAD = "冯佳"
SITE_TEAM = (
    ("冯佳", "社区主任"),
    ("马建军", "地区开复工组"),
    ("李晓燕", "医护人员"),
    ("赵卫东", "管片民警"),
    ("孙丽娟", "社区专员"),
    ("周立新", "包片社区干部"),
)
HOME_TEAM = (("周立新", "包片社区干部"), ("李晓燕", "医护人员"))

ACCOUNTS = ("wanping_worker", "zhenguosi_worker", "wang_ying")


@dataclass
class DemoArrivals:
    created: bool
    home_observations: int
    site_observations: int
    open_fevers: int
    open_call_tasks: int
    tenants_ready: int
    tenants_failed: int
    must_delay: int
    spot_checks_done: int

    def summary(self) -> str:
        return (
            f"demo returnees: 镇国寺社区居家观察 {self.home_observations} 人"
            f"（发热预警 {self.open_fevers} 条，待电话询问 {self.open_call_tasks} 次），"
            f"{SITE_UNIT} {self.site_observations} 人单位集中观察"
            f"（责任书已签，抽查 {self.spot_checks_done} 次严格遵守），"
            f"宛平城租户报备核查通过 {self.tenants_ready} 份、不符合 {self.tenants_failed} 份，"
            f"暂缓返京 {self.must_delay} 份" + ("" if self.created else "（已载入，本次未新增）")
        )


# --- helpers ------------------------------------------------------------------------------


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A time of the story, never later than now."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute % 60)))
    return min(at, timezone.now())


def _accounts() -> dict[str, User]:
    users = {u.username: u for u in User.objects.filter(username__in=ACCOUNTS)}
    if len(users) < len(ACCOUNTS):
        from fangkong.accounts.demo import load_demo_accounts

        load_demo_accounts()
        users = {u.username: u for u in User.objects.filter(username__in=ACCOUNTS)}
    return users


def _person_data(person: Person) -> dict[str, str]:
    """What a filer types about a person: name, document and phone."""
    return {
        "name": person.name,
        "document_type": person.document_type,
        "document_number": decrypt(person.document_cipher) if person.document_cipher else "",
        "phone": decrypt(person.phone_cipher) if person.phone_cipher else "",
    }


def _province(place: str) -> tuple[str, str]:
    """(code, name) of the province a place (“河北省保定市”) lies in."""
    for code, name in PROVINCES.items():
        if place.startswith(name):
            return code, name
    return "", place  # notice_file refuses it with a clear message


def _not_back(qs: QuerySet[Person]) -> QuerySet[Person]:
    """Registered people still away, with a resident ID (what a notice's form asks for)."""
    return qs.filter(
        whereabouts=Whereabouts.NOT_BACK,
        merged_into__isnull=True,
        document_type=DocumentType.RESIDENT_ID,
    )


def _households(people: Iterable[Person]) -> list[tuple[Residence, list[Person]]]:
    """People grouped by current home, in registration order of each home's first member."""
    people = list(people)
    homes = {
        r.person_id: r
        for r in Residence.objects.current()
        .filter(person__in=people)
        .select_related("address", "address__area", "landlord")
    }
    groups: dict[int, list[Person]] = defaultdict(list)
    residence_of: dict[int, Residence] = {}
    for person in sorted(people, key=lambda p: p.pk):
        home = homes.get(person.pk)
        if home is None:
            continue
        groups[home.address_id].append(person)
        residence_of.setdefault(home.address_id, home)
    return [(residence_of[a], members) for a, members in groups.items()]


def _backdate_notice(notice: ArrivalNotice, filed: dt.date, confirmed: dt.date) -> None:
    ArrivalNotice.objects.filter(pk=notice.pk).update(
        created_at=_moment(filed, 9, 20), confirmed_at=_moment(confirmed, 10, 5)
    )


def _backdate_inspection(inspection: Inspection) -> None:
    Inspection.objects.filter(pk=inspection.pk).update(
        created_at=_moment(inspection.inspected_on, 15, 30)
    )


# --- the stories --------------------------------------------------------------------------


def _construction_site(today: dt.date, worker: User) -> list[Observation]:
    site = Unit.objects.select_related("area").get(name=SITE_UNIT, area__code=WANPING)
    workers = list(_not_back(Person.objects.filter(employer=site)).order_by("id"))
    if not workers:
        return []
    filed, confirmed, inspected = (today - dt.timedelta(days=d) for d in (12, 11, 10))
    arrival = today - dt.timedelta(days=6)  # “下周” from the day of filing
    phone = decrypt(site.contact_phone_cipher) if site.contact_phone_cipher else ""
    notice = notice_file(
        actor=None,  # the employer, on the community's public page
        area=site.area,
        filed_by=FiledBy.EMPLOYER,
        filer_name=site.contact_name or "施工单位负责人",
        filer_phone=phone,
        origin_code="410000",
        origin_name="河南省",
        planned_on=arrival,
        mode=ObservationMode.UNIT,
        people=[_person_data(p) for p in workers],
        building=SITE_BUILDING,
        unit=site,
        note=(
            f"{MARK}{len(workers)} 名工人从河南返京回工地，住工地内独立宿舍楼；"
            "核查组成员除冯佳外均为虚构姓名"
        ),
        today=filed,
    )
    notice = notice_confirm(actor=worker, notice=notice, today=confirmed)
    inspection = inspection_record(
        actor=worker,
        notice=notice,
        kind=ObservationMode.UNIT,
        checklist=dict.fromkeys(UNIT_CHECKLIST, True),
        team=SITE_TEAM,
        inspected_on=inspected,
        today=inspected,
    )
    letter_sign(
        actor=worker,
        notice=notice,
        signed_on=arrival,
        unit_signatory=site.contact_name or "施工单位负责人",
        community_signatory=COMMUNITY_HEAD,
        today=arrival,
    )
    notice.refresh_from_db()
    observations = notice_arrive(actor=worker, notice=notice, arrived_on=arrival)
    notice.refresh_from_db()
    # One unannounced check done three days ago, two more ahead in the window.
    checked = today - dt.timedelta(days=3)
    (done,) = spot_checks_schedule(
        notice=notice, count=1, start=checked, end=checked, seed=SEED, actor=worker
    )
    spot_check_record(
        actor=worker,
        check=done,
        done_on=checked,
        result=SpotCheckResult.COMPLIANT,
        findings="宿舍楼内分房居住，餐食由单位送到楼内，观察人员未出楼，严格遵守单位集中观察",
    )
    _, last = observation_window(notice)
    if last > today:
        ahead = min(2, (last - today).days)
        spot_checks_schedule(
            notice=notice,
            count=ahead,
            start=today + dt.timedelta(days=1),
            end=last,
            seed=SEED,
            actor=worker,
        )
    _backdate_notice(notice, filed, confirmed)
    _backdate_inspection(inspection)
    return observations


def _tenant_rooms() -> list[tuple[Residence, list[Person]]]:
    """Rooms of 宛平城's bungalow zones whose tenants are all still away (none in 湖北),
    rented from a landlord who is here and has a phone: one room per courtyard."""
    wanping = Area.objects.get(code=WANPING)
    tenants = _not_back(
        Person.objects.filter(
            subtree_q("residences__address__area__path", wanping.path),
            residences__until__isnull=True,
            residences__kind=ResidenceKind.TENANT,
            residences__landlord__whereabouts=Whereabouts.IN_BEIJING,
            residences__landlord__phone_cipher__isnull=False,
        )
    ).exclude(away_from__startswith="湖北")
    rooms = []
    courtyards: set[str] = set()
    for home, members in _households(tenants):
        if home.landlord is None or home.address.building in courtyards:
            continue
        if (
            Person.objects.filter(residences__address=home.address, residences__until__isnull=True)
            .exclude(pk__in=[m.pk for m in members])
            .exists()
        ):
            continue  # someone of the room is back already: not a whole-room notice
        courtyards.add(home.address.building)
        rooms.append((home, members))
        if len(rooms) == 2:
            break
    return rooms


def _tenants(today: dt.date, worker: User) -> None:
    rooms = _tenant_rooms()
    plans = (
        # filed, inspected, planned arrival (days from today), passes?
        (-4, -3, 2, True),
        (-3, -2, 1, False),
    )
    for (home, members), (filed_d, inspected_d, planned_d, passes) in zip(
        rooms, plans, strict=False
    ):
        landlord = home.landlord
        assert landlord is not None and landlord.phone_cipher is not None
        filed = today + dt.timedelta(days=filed_d)
        inspected = today + dt.timedelta(days=inspected_d)
        code, province = _province(members[0].away_from)
        address = home.address
        notice = notice_file(
            actor=None,  # the landlord, on the community's public page
            area=address.area,
            filed_by=FiledBy.LANDLORD,
            filer_name=landlord.name,
            filer_phone=decrypt(landlord.phone_cipher),
            origin_code=code,
            origin_name=members[0].away_from or province,
            planned_on=today + dt.timedelta(days=planned_d),
            mode=ObservationMode.HOME,
            people=[_person_data(p) for p in members],
            building=address.building,
            entrance=address.entrance,
            room=address.room,
            note=f"{MARK}房东代租户报备：{address}的租户返京",
            today=filed,
        )
        notice = notice_confirm(actor=worker, notice=notice, today=filed)
        checklist = dict.fromkeys(HOME_CHECKLIST, True)
        reasons = ""
        if not passes:
            checklist["own_toilet"] = False
            reasons = "平房出租屋无独立卫生间，需到胡同公共厕所如厕，不符合居家观察条件"
        inspection = inspection_record(
            actor=worker,
            notice=notice,
            kind=ObservationMode.HOME,
            checklist=checklist,
            team=HOME_TEAM,
            inspected_on=inspected,
            reasons=reasons,
            today=inspected,
        )
        if not passes:  # the tenant delays: a later date, the room still to be found
            notice_reschedule(
                actor=worker,
                notice=notice,
                planned_on=today + dt.timedelta(days=DELAY_DAYS),
                today=inspected,
            )
        _backdate_notice(notice, filed, filed)
        _backdate_inspection(inspection)


def _hubei(today: dt.date, worker: User) -> None:
    """A household of 镇国寺社区 in 武汉 files its own notice: 暂缓返京."""
    zhenguosi = Area.objects.get(code=ZHENGUOSI)
    away = _not_back(Person.objects.filter(area=zhenguosi, away_from__startswith="湖北"))
    for home, members in _households(away):
        head = next((m for m in members if m.phone_cipher is not None), None)
        if head is None or head.phone_cipher is None:
            continue
        filed = today - dt.timedelta(days=1)
        address = home.address
        notice = notice_file(
            actor=None,
            area=zhenguosi,
            filed_by=FiledBy.RETURNEE,
            filer_name=head.name,
            filer_phone=decrypt(head.phone_cipher),
            origin_code="420000",
            origin_name=head.away_from,
            planned_on=today + dt.timedelta(days=5),
            mode=ObservationMode.HOME,
            people=[_person_data(p) for p in members],
            building=address.building,
            entrance=address.entrance,
            room=address.room,
            note=f"{MARK}春节在{head.away_from}，想下周回京",
            today=filed,
        )
        notice = notice_confirm(actor=worker, notice=notice, today=filed)
        _backdate_notice(notice, filed, filed)
        return


def _home_observations(today: dt.date, worker: User) -> list[Observation]:
    """148 people of 镇国寺社区 back home, whole households, arrivals over 13 days."""
    zhenguosi = Area.objects.get(code=ZHENGUOSI)
    returned = (
        _not_back(Person.objects.filter(area=zhenguosi))
        .exclude(away_from__startswith="湖北")
        .exclude(observations__status=ObservationStatus.ACTIVE)
        .exclude(arrival_notices__isnull=False)
    )
    observations: list[Observation] = []
    for index, (home, members) in enumerate(_households(returned)):
        arrived = today - dt.timedelta(days=index % ARRIVAL_SPREAD_DAYS)
        for person in members[: HOME_OBSERVED - len(observations)]:
            observations.append(
                observation_start(
                    actor=worker,
                    person=person,
                    area=zhenguosi,
                    mode=ObservationMode.HOME,
                    arrived_on=arrived,
                    address=home.address,
                )
            )
        if len(observations) >= HOME_OBSERVED:
            break
    return observations


def _reports(
    today: dt.date,
    observations: Sequence[Observation],
    fever_for: Observation | None,
    cadre: User,
) -> None:
    """Twice-daily reports for the last REPORT_DAYS days and this morning."""
    rng = random.Random(SEED)  # noqa: S311 — reproducible demo data
    yesterday = today - dt.timedelta(days=1)
    stamps: list[HealthReport] = []
    for observation in observations:
        for back in range(REPORT_DAYS, -1, -1):
            day = today - dt.timedelta(days=back)
            if day < observation.arrived_on:
                continue
            slots: list[str]
            if day == today:  # this morning; whoever arrived today owes nothing yet
                slots = [Slot.MORNING] if day > observation.arrived_on else []
            else:
                slots = due_slots(observation, day)
            for slot in slots:
                fever = observation is fever_for and day == today
                if not fever:
                    if day == yesterday and rng.random() < MISSED_YESTERDAY:
                        continue
                    if day == today and rng.random() < NOT_YET_THIS_MORNING:
                        continue
                # 王颖 answers 镇国寺's phone: a few reports are taken down by her.
                by_phone = observation.area_id == cadre.area_id and rng.random() < BY_PHONE
                temperature = FEVER if fever else Decimal(f"36.{rng.randint(1, 8)}")
                result = report_submit(
                    observation=observation,
                    on=day,
                    slot=slot,
                    temperature=temperature,
                    symptoms=[],
                    by_self=not by_phone,
                    actor=cadre if by_phone else None,
                )
                report = result.report
                hour = 8 if slot == Slot.MORNING else 17
                report.created_at = _moment(day, hour, rng.randint(0, 59))
                stamps.append(report)
                if result.alert is not None:
                    Alert.objects.filter(pk=result.alert.pk).update(raised_at=report.created_at)
    HealthReport.objects.bulk_update(stamps, ["created_at"], batch_size=500)


def _backdate_starts(observations: Sequence[Observation]) -> None:
    events = list(
        ObservationEvent.objects.filter(
            observation__in=observations, action="start"
        ).select_related("observation")
    )
    for i, event in enumerate(events):
        event.at = _moment(event.observation.arrived_on, 10 + i % 8, i * 7)
    ObservationEvent.objects.bulk_update(events, ["at"], batch_size=500)


# --- entry point --------------------------------------------------------------------------


def _loaded() -> bool:
    return ArrivalNotice.objects.filter(note__startswith=MARK).exists()


@transaction.atomic
def load_demo_arrivals() -> DemoArrivals:
    """The returnee stories of the source page, on top of `load_demo_registry()`.
    Idempotent: when the demo notices exist already, nothing is added."""
    if _loaded():
        return _summary(created=False)
    policy_seed_2020()  # idempotent; the decisions need the 2020 policy
    if not Unit.objects.filter(name=SITE_UNIT, area__code=WANPING).exists():
        load_demo_registry()
    today = timezone.localdate()
    users = _accounts()
    wanping_worker, zhenguosi_worker = users["wanping_worker"], users["zhenguosi_worker"]

    site_observations = _construction_site(today, wanping_worker)
    _tenants(today, wanping_worker)
    _hubei(today, zhenguosi_worker)
    home = _home_observations(today, zhenguosi_worker)

    # The fever: someone well into the observation, this morning.
    earlier = [o for o in home if o.arrived_on <= today - dt.timedelta(days=5)]
    fever_for = earlier[len(earlier) // 2] if earlier else None
    _reports(today, [*site_observations, *home], fever_for, users["wang_ying"])
    _backdate_starts([*site_observations, *home])

    # The nightly job for today has run: yesterday's missed reports are call tasks.
    with transaction.atomic():
        daily_raise_call_tasks(on=today)
    CallTask.objects.filter(observation__in=[*site_observations, *home], on__lt=today).update(
        created_at=_moment(today, 0, 10)
    )
    return _summary(created=True)


def _summary(*, created: bool) -> DemoArrivals:
    demo = ArrivalNotice.objects.filter(note__startswith=MARK)
    areas = Area.objects.filter(code__in=(ZHENGUOSI, WANPING))
    in_demo = Q()
    for area in areas:
        in_demo |= subtree_q("area__path", area.path)
    active = Observation.objects.filter(in_demo, status=ObservationStatus.ACTIVE)
    return DemoArrivals(
        created=created,
        home_observations=active.filter(area__code=ZHENGUOSI, mode=ObservationMode.HOME).count(),
        site_observations=active.filter(unit__name=SITE_UNIT, mode=ObservationMode.UNIT).count(),
        open_fevers=Alert.objects.filter(in_demo, kind=AlertKind.FEVER, handled_at=None).count(),
        open_call_tasks=CallTask.objects.filter(
            observation__in=active, status=CallTaskStatus.OPEN
        ).count(),
        tenants_ready=demo.filter(filed_by=FiledBy.LANDLORD, status=NoticeStatus.READY).count(),
        tenants_failed=demo.filter(filed_by=FiledBy.LANDLORD, status=NoticeStatus.FAILED).count(),
        must_delay=demo.filter(status=NoticeStatus.MUST_DELAY).count(),
        spot_checks_done=demo.filter(spot_checks__result=SpotCheckResult.COMPLIANT).count(),
    )


def load_demo() -> str:
    return load_demo_arrivals().summary()

"""Read queries of advance notices, scoped to the caller's area: the list, the counts, what
to do next, the people and their landlords, the units a notice may name; and the signed
links of the public notice page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, AreaKind
from fangkong.arrivals.models import (
    Arrival,
    ArrivalNotice,
    InspectionResult,
    NoticePerson,
    NoticeStatus,
    ObservationMode,
)
from fangkong.arrivals.notices.rules import NOT_COUNTED, NOTICE_AREA_KINDS
from fangkong.core.ids import parse_id
from fangkong.core.scoping import subtree_q
from fangkong.registry.models import Person, Residence
from fangkong.units.models import Unit
from fangkong.units.selectors import units_for_area

_LINK_SALT = "fangkong.notice-link"
_DONE_SALT = "fangkong.notice-done"


def notice_reference(notice: ArrivalNotice) -> str:
    """The number a filer quotes on the phone: date filed and id, e.g. 20200302-00017."""
    created = timezone.localtime(notice.created_at) if notice.created_at else timezone.now()
    return f"{created:%Y%m%d}-{notice.pk:05d}"


# --- the per-community link of the public page ------------------------------------------


def notice_link_token(area: Area) -> str:
    """The signed token in /r/notice/<token>/: the community's code, signed."""
    return signing.Signer(salt=_LINK_SALT).sign(area.code)


def area_for_notice_token(token: str) -> Area | None:
    """The community a link belongs to, or None for a forged or stale link."""
    try:
        code = signing.Signer(salt=_LINK_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return (
        Area.objects.current()
        .filter(code=code, kind__in=NOTICE_AREA_KINDS)
        .select_related("parent")
        .first()
    )


def notice_done_token(notice: ArrivalNotice) -> str:
    return signing.Signer(salt=_DONE_SALT).sign(str(notice.pk))


def notice_for_done_token(token: str) -> ArrivalNotice | None:
    try:
        pk = signing.Signer(salt=_DONE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return ArrivalNotice.objects.select_related("area", "policy").filter(pk=pk).first()


# --- lists ----------------------------------------------------------------------------------


# A filter of the notice list besides the statuses: ready, past the planned day, and
# someone of the group still expected (the worker should phone them).
OVERDUE = "overdue"


def overdue_q(today: dt.date) -> Q:
    expected = NoticePerson.objects.filter(notice=OuterRef("pk"), arrival=Arrival.EXPECTED)
    return Q(status=NoticeStatus.READY, planned_on__lt=today) & Q(Exists(expected))


def notices_overdue(*, user: Any, today: dt.date | None = None) -> QuerySet[ArrivalNotice]:
    """Confirmed notices whose people should have arrived by now and have not all."""
    today = today or timezone.localdate()
    return (
        ArrivalNotice.objects.visible_to(user)
        .filter(overdue_q(today))
        .select_related("area")
        .order_by("planned_on", "id")
    )


def notices_for(
    *, user: Any, status: str = "", area: Area | None = None, q: str = ""
) -> QuerySet[ArrivalNotice]:
    """Notices the user may see; pending confirmation first, then by planned date."""
    qs = (
        ArrivalNotice.objects.visible_to(user)
        .select_related("area", "unit", "policy", "address")
        .annotate(
            people_count=Count("people", distinct=True),
            pending_first=Case(
                When(status=NoticeStatus.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
    )
    if status == OVERDUE:
        qs = qs.filter(overdue_q(timezone.localdate()))
    elif status:
        qs = qs.filter(status=status)
    if area is not None:
        qs = qs.filter(subtree_q("area__path", area.path, using=qs.db))
    q = q.strip()
    if q:
        ref_pk = parse_id(q.rsplit("-", 1)[-1])
        match = Q(people__name__contains=q) | Q(filer_name__contains=q)
        match |= Q(origin_name__contains=q) | Q(unit__name__contains=q)
        if ref_pk is not None:
            match |= Q(pk=ref_pk)
        qs = qs.filter(match).distinct()
    return qs.order_by("pending_first", "planned_on", "-created_at", "-id")


def notices_counted(qs: QuerySet[ArrivalNotice]) -> QuerySet[ArrivalNotice]:
    """Notices that count in figures: confirmed ones (not pending, rejected, cancelled)."""
    return qs.exclude(status__in=NOT_COUNTED)


def notice_status_counts(*, user: Any) -> dict[str, int]:
    rows = (
        ArrivalNotice.objects.visible_to(user)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {status: n for status, n in rows}
    return {status: counts.get(status, 0) for status in NoticeStatus.values}


# --- one notice ---------------------------------------------------------------------------


def notice_next_step(notice: ArrivalNotice) -> str:
    """The one sentence a worker needs: what to do about this notice now."""
    days = notice.observation_days
    status = notice.status
    if status == NoticeStatus.PENDING:
        return _(
            "待社区核实：请电话联系报备人%(name)s（%(phone)s）核实情况，"
            "属实的点“确认”，不属实的点“不予采信”。"
        ) % {"name": notice.filer_name, "phone": notice.filer_phone_masked or _("无电话")}
    if status == NoticeStatus.MUST_DELAY:
        facts = {
            "policy": notice.policy.label if notice.policy else _("现行政策"),
            "origin": notice.origin_name,
        }
        if notice.unannounced:
            return (
                _(
                    "按“%(policy)s”，来自%(origin)s的人员暂缓返京，但此人已到京："
                    "请立即报告街乡防控办并联系医务人员，按要求转集中观察。"
                )
                % facts
            )
        return (
            _(
                "按“%(policy)s”，来自%(origin)s的人员暂缓返京：请电话告知本人暂不返京，"
                "政策调整后改期再报备。"
            )
            % facts
        )
    if status == NoticeStatus.INSPECTION:
        if notice.mode == ObservationMode.UNIT:
            passed = notice.inspections.filter(result=InspectionResult.PASS).exists()
            if passed:
                return _("单位集中观察条件核查已通过：请与单位签订《疫情防控责任书》（可先打印）。")
            return _(
                "请约地区开复工组、医护人员、管片民警、社区专员、包片社区干部到单位现场，"
                "核查是否符合单位集中观察条件；通过后签订《疫情防控责任书》。"
            )
        if notice.address:
            return _("请社区干部协同医务人员到 %(address)s 核查是否符合居家观察条件。") % {
                "address": notice.address
            }
        return _("请社区干部协同医务人员核查是否符合居家观察条件。")
    if status == NoticeStatus.FAILED:
        latest = notice.inspections.order_by("-inspected_on", "-id").first()
        if latest and latest.reasons:
            return _(
                "观察条件不符合（%(why)s）：请提前告知返京人员另找符合条件的住所"
                "（改住址后重新核查），或延后返京。"
            ) % {"why": latest.reasons}
        return _(
            "观察条件不符合：请提前告知返京人员另找符合条件的住所（改住址后重新核查），或延后返京。"
        )
    if status == NoticeStatus.READY:
        text = _("可以返京：到京当天为观察第 1 天，共观察 %(days)s 天。") % {"days": days}
        if notice.mode == ObservationMode.UNIT:
            text += _("观察期间社区不定期抽查单位是否严格遵守集中观察。")
        return text
    if status == NoticeStatus.ARRIVED:
        return _("已到京，按观察期要求每天上午、下午各报告一次体温。")
    if status == NoticeStatus.REJECTED:
        return _("社区未采信这份报备。")
    return _("这份报备已取消。")


@dataclass
class NoticePersonView:
    row: NoticePerson
    visible: bool  # the linked registry record lies in the viewer's area


def notice_people(*, notice: ArrivalNotice, user: Any) -> list[NoticePersonView]:
    rows = list(notice.people.order_by("id"))
    linked = [r.person_id for r in rows if r.person_id]
    visible = set(
        Person.objects.visible_to(user).filter(pk__in=linked).values_list("pk", flat=True)
    )
    return [NoticePersonView(r, r.person_id in visible) for r in rows]


def notice_landlords(*, notice: ArrivalNotice, user: Any) -> list[Person]:
    """The landlords to contact about the people of a notice (their current homes), as far
    as the viewer may see them."""
    person_ids = [pid for pid in notice.people.values_list("person_id", flat=True) if pid]
    landlord_ids = (
        Residence.objects.current()
        .filter(person_id__in=person_ids, landlord__isnull=False)
        .values_list("landlord_id", flat=True)
    )
    return list(Person.objects.visible_to(user).filter(pk__in=list(landlord_ids)))


# --- units ------------------------------------------------------------------------------------


def unit_choices(*, user: Any) -> QuerySet[Unit]:
    """The units a worker may pick in a form: those of their area, by name."""
    return Unit.objects.visible_to(user).select_related("area").order_by("name")


def notice_unit_choices(*, area: Area) -> QuerySet[Unit]:
    """The units a notice to `area` may name (those serving it, units.selectors), as the
    choices of a form that has no user (the public page)."""
    ids = [unit.pk for unit in units_for_area(area=area)]
    return Unit.objects.filter(pk__in=ids).order_by("name")


def notice_link_areas(*, user: Any) -> list[Area]:
    """The areas whose public notice link the user may hand out: its communities and
    villages, or its zones when it works below them."""
    areas = Area.objects.visible_to(user).current()
    communities = list(
        areas.filter(kind__in=[AreaKind.COMMUNITY, AreaKind.VILLAGE]).order_by("path")
    )
    return communities or list(areas.filter(kind=AreaKind.ZONE).order_by("path"))

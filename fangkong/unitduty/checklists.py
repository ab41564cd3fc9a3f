"""What an inspection (排查整改) checks at a unit, by its kind: the notice's measures that
apply to it. Codes are stable (the API takes them); labels are shown translated."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fangkong.units.models import SMALL_PLACE_KINDS, UnitKind

COMMON = {
    "entry_register": _("出入人员登记"),
    "temperature": _("进门测温"),
    "masks": _("佩戴口罩"),
    "disinfection": _("会议室、食堂、卫生间、电梯等消毒通风"),
    "sick_absence": _("因病缺勤报告制度"),
    "key_groups": _("保洁、保安、餐饮等重点人员管理"),
}
BY_KIND = {
    UnitKind.COMMERCIAL_BUILDING: {"two_chiefs": _("双楼长已明确")},
    UnitKind.ENTERPRISE: {"onsite_rate": _("员工到岗率不超过 50%")},
    UnitKind.CONSTRUCTION_SITE: {
        "dormitory": _("宿舍人均面积和每间人数达标"),
        "canteen": _("食堂分餐、错峰就餐"),
    },
    UnitKind.HOSPITAL: {"appointments": _("预约挂号、实名登记就诊")},
}
SMALL_PLACES = {"ventilation": _("场所通风消毒"), "staff_health": _("从业人员健康监测")}


def checklist(kind: str) -> dict[str, object]:
    """Code → label of what to check at a unit of `kind`."""
    items: dict[str, object] = dict(COMMON)
    if kind in SMALL_PLACE_KINDS:
        items.update(SMALL_PLACES)
    items.update(BY_KIND.get(kind, {}))  # type: ignore[call-overload]
    return items

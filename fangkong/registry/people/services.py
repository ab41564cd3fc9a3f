"""The only place that changes people, their addresses and homes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import LIVING_KINDS, Area
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.crypto import blind_index, decrypt, encrypt
from fangkong.core.errors import Conflict, invalid
from fangkong.core.figures import figures_touched
from fangkong.core.identity import validate_document
from fangkong.registry.models import (
    Address,
    Person,
    Residence,
    ResidenceKind,
    VisitFinding,
    Whereabouts,
)
from fangkong.registry.people.cleaning import CleanPerson, clean_person

# A person, an address or a unit is registered at a community, a village or a zone.


def check_living_area(area: Area, field_name: str = "area") -> None:
    if area.kind not in LIVING_KINDS:
        raise invalid(
            field_name,
            _("“%(area)s”是%(kind)s，人员和住址须登记到社区、村或片区")
            % {"area": area.name, "kind": area.get_kind_display()},
            "wrong_level",
        )
    if area.retired_on is not None:
        raise invalid(field_name, _("“%(area)s”已撤销") % {"area": area.name}, "retired")


def apply_clean(person: Person, clean: CleanPerson) -> Person:
    """Copy cleaned values onto a person, encrypting what must not sit in clear."""
    person.name = clean.name
    person.document_type = clean.document_type
    person.document_cipher = encrypt(clean.document_number) if clean.document_number else None
    person.document_index = clean.document_index
    person.document_masked = clean.document_masked
    person.phone_cipher = encrypt(clean.phone) if clean.phone else None
    person.phone_index = clean.phone_index
    person.phone_masked = clean.phone_masked
    person.sex = clean.sex
    person.birth_date = clean.birth_date
    person.residency = clean.residency
    person.whereabouts = clean.whereabouts
    person.away_from = clean.away_from
    return person


def _existing_with_document(clean: CleanPerson, *, exclude: int | None = None) -> Person | None:
    if not clean.document_index:
        return None
    qs = Person.objects.filter(
        document_type=clean.document_type, document_index=clean.document_index
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.first()


def _conflict(existing: Person) -> Conflict:
    return Conflict(
        "document_number", _("该证件号码已登记，请打开已有记录"), code="duplicate", id=existing.pk
    )


def person_register(
    *,
    actor: Any,
    area: Area,
    data: dict[str, Any],
    employer: Any = None,
    today: dt.date | None = None,
    require_document: bool = True,
) -> Person:
    """Register one person. A document already registered anywhere answers with a
    Conflict carrying the first registration's id: one person per document. Door-to-door
    work sometimes has no number yet (`require_document=False`); such records are the
    ones the duplicate check looks at."""
    check_living_area(area)
    clean = clean_person(
        data, today=today or timezone.localdate(), require_document=require_document
    )
    existing = _existing_with_document(clean)
    if existing is not None:
        raise _conflict(existing)
    person = apply_clean(
        Person(
            area=area,
            employer=employer,
            created_by=actor if actor and actor.is_authenticated else None,
        ),
        clean,
    )
    try:
        # A savepoint: if another worker registered the same document a moment ago, the
        # unique constraint stops us and we answer as if we had seen it first.
        with transaction.atomic():
            person.save()
    except IntegrityError:
        existing = _existing_with_document(clean)
        if existing is None:
            raise
        raise _conflict(existing) from None
    return person


@transaction.atomic
def person_update(
    *,
    actor: Any,
    person: Person,
    data: dict[str, Any],
    area: Area | None = None,
    today: dt.date | None = None,
) -> Person:
    """Change a person's fields. Fields left out of `data` keep their values."""
    current = {
        "name": person.name,
        "document_type": person.document_type,
        "document_number": decrypt(person.document_cipher) if person.document_cipher else "",
        "phone": decrypt(person.phone_cipher) if person.phone_cipher else "",
        "sex": person.sex,
        "birth_date": person.birth_date,
        "residency": person.residency,
        "whereabouts": person.whereabouts,
        "away_from": person.away_from,
    }
    merged = {**current, **data}
    if merged.get("whereabouts") in ("in_beijing", "在京"):
        merged["away_from"] = ""
    clean = clean_person(
        merged,
        today=today or timezone.localdate(),
        require_document=bool(current["document_number"]),
    )
    existing = _existing_with_document(clean, exclude=person.pk)
    if existing is not None:
        raise _conflict(existing)
    if area is not None:
        check_living_area(area)
        person.area = area
    apply_clean(person, clean)
    person.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=person, detail="修改人员信息")
    return person


def person_reveal(
    *, actor: Any, person: Person, request: HttpRequest | None = None
) -> dict[str, str]:
    """The full document number and phone, for someone whose role allows it; audited."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW_RECORD,
        obj=person,
        request=request,
        detail="查看完整证件号和电话",
    )
    return {
        "document_number": decrypt(person.document_cipher) if person.document_cipher else "",
        "phone": decrypt(person.phone_cipher) if person.phone_cipher else "",
    }


def people_find_by_document(
    *, actor: Any, document_type: str, number: str, request: HttpRequest | None = None
) -> models.QuerySet[Person]:
    """Exact search by document number within the actor's scope; always audited, found or
    not, and the number itself never reaches the log."""

    try:
        normalised = validate_document(document_type, number)
    except Exception:  # an invalid number simply finds no one
        normalised = None

    qs = Person.objects.visible_to(actor).active()
    qs = (
        qs.filter(
            document_type=document_type,
            document_index=blind_index(f"doc:{document_type}", normalised),
        )
        if normalised
        else qs.none()
    )
    audit_record(
        actor=actor,
        action=AuditAction.SEARCH_DOCUMENT,
        request=request,
        detail=f"结果 {qs.count()} 条",
    )
    return qs


@transaction.atomic
def person_merge(
    *, actor: Any, keep: Person, duplicate: Person, today: dt.date | None = None
) -> Person:
    """Fold `duplicate` into `keep`. Every record that points at the duplicate is moved to
    `keep` (found generically, so later modules' records are covered too); the duplicate
    stays, marked merged, so history can be followed."""
    if keep.pk == duplicate.pk:
        raise invalid("duplicate", _("不能把一个人合并到自己"), "same_person")
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.merged_into_id or keep.merged_into_id:
        raise invalid("duplicate", _("这条记录已经合并过"), "already_merged")
    if (
        keep.document_index
        and duplicate.document_index
        and (keep.document_index != duplicate.document_index)
    ):
        raise invalid("duplicate", _("两人证件号码不同，不是同一个人"), "different_documents")
    when = today or timezone.localdate()
    # Two current homes cannot both stay current: the duplicate's one ends today.
    if Residence.objects.filter(person=keep, until__isnull=True).exists():
        Residence.objects.filter(person=duplicate, until__isnull=True).update(until=when)
    # A visit that found both keeps its finding for `keep`.
    VisitFinding.objects.filter(person=duplicate, visit__findings__person=keep).delete()
    for relation in Person._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        model: Any = relation.related_model
        name = relation.field.name
        model._base_manager.filter(**{name: duplicate}).update(**{name: keep})
    # Fill what `keep` lacks from the duplicate; move the document last (unique index).
    taken = []
    if not keep.document_index and duplicate.document_index:
        taken = ["document_type", "document_cipher", "document_index", "document_masked"]
        values = {f: getattr(duplicate, f) for f in taken}
        Person.objects.filter(pk=duplicate.pk).update(document_index=None)
        for f, v in values.items():
            setattr(keep, f, v)
    for f in ("phone_cipher", "phone_index", "phone_masked", "birth_date", "employer_id"):
        if not getattr(keep, f) and getattr(duplicate, f):
            setattr(keep, f, getattr(duplicate, f))
            taken.append(f)
    keep.save()
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.CHANGE, obj=keep, detail=f"合并重复人员 #{duplicate.pk}"
    )
    return keep


def address_get_or_create(
    *, area: Area, building: str, entrance: str = "", room: str = ""
) -> Address:
    check_living_area(area)
    building, entrance, room = building.strip(), entrance.strip(), room.strip()
    if not building:
        raise invalid("building", _("楼栋/院不能为空"), "required")
    address, __ = Address.objects.get_or_create(
        area=area, building=building[:40], entrance=entrance[:20], room=room[:20]
    )
    return address


@transaction.atomic
def residence_set(
    *,
    person: Person,
    address: Address,
    kind: str,
    since: dt.date | None = None,
    landlord: Person | None = None,
) -> Residence:
    """Person now lives at `address`; the previous current residence ends that day."""
    if kind not in ResidenceKind.values:
        raise invalid("kind", _("未知居住类型“%(kind)s”") % {"kind": kind}, "invalid_choice")
    if landlord is not None and kind != ResidenceKind.TENANT:
        raise invalid("landlord", _("只有租住才有房东"), "not_tenant")
    if landlord is not None and landlord.pk == person.pk:
        raise invalid("landlord", _("房东不能是本人"), "self")
    when = since or timezone.localdate()
    current = (
        Residence.objects.select_for_update().filter(person=person, until__isnull=True).first()
    )
    if current is not None:
        if (current.address_id, current.kind, current.landlord_id) == (
            address.pk,
            kind,
            landlord.pk if landlord else None,
        ):
            return current
        current.until = max(when, current.since or when)
        current.save(update_fields=["until"])
    return Residence.objects.create(
        person=person, address=address, kind=kind, since=since, landlord=landlord
    )


@transaction.atomic
def person_enrol(
    *,
    actor: Any,
    area: Area,
    data: dict[str, Any],
    home: dict[str, Any] | None = None,
    landlord: Person | None = None,
    employer: Any = None,
    today: dt.date | None = None,
    require_document: bool = True,
) -> Person:
    """Register a person and, when given, where they live — all or nothing."""
    person = person_register(
        actor=actor,
        area=area,
        data=data,
        employer=employer,
        today=today,
        require_document=require_document,
    )
    if home and (home.get("building") or "").strip():
        address = address_get_or_create(
            area=area,
            building=home["building"],
            entrance=home.get("entrance") or "",
            room=home.get("room") or "",
        )
        residence_set(
            person=person,
            address=address,
            kind=home.get("kind") or ResidenceKind.OWNER,
            since=home.get("since"),
            landlord=landlord,
        )
    elif landlord is not None:
        raise invalid("landlord", _("填写房东时请同时填写住址"), "address_required")
    return person


def person_mark_back(*, person: Person, only_if_not_back: bool = False) -> bool:
    """The person is in Beijing now (they arrived, or were found here): 在京, no longer
    away. With `only_if_not_back`, a person recorded otherwise (moved away) is left as
    recorded. Returns whether the record changed. The caller's transaction holds it."""
    qs = Person.objects.filter(pk=person.pk)
    qs = (
        qs.filter(whereabouts=Whereabouts.NOT_BACK)
        if only_if_not_back
        else qs.exclude(whereabouts=Whereabouts.IN_BEIJING)
    )
    changed = qs.update(whereabouts=Whereabouts.IN_BEIJING, away_from="", updated_at=timezone.now())
    if changed:  # a set-based UPDATE: say so to whoever keeps today's figures
        figures_touched.send(sender=Person, areas=[person.area_id], on=timezone.localdate())
    return bool(changed)

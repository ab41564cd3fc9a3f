"""Read queries for the registry, always through the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from fangkong.areas.models import Area
from fangkong.core.scoping import subtree_q
from fangkong.registry.models import Address, Person, Residence


@dataclass
class PeopleFilter:
    area: Area | None = None
    whereabouts: str = ""
    residence_kind: str = ""
    round_id: int | None = None
    name: str = ""


def people_list(*, user: Any, filters: PeopleFilter | None = None) -> QuerySet[Person]:
    f = filters or PeopleFilter()
    qs = Person.objects.visible_to(user).active().select_related("area", "employer")
    if f.area is not None:
        qs = qs.filter(subtree_q("area__path", f.area.path, using=qs.db))
    if f.whereabouts:
        qs = qs.filter(whereabouts=f.whereabouts)
    if f.residence_kind:
        qs = qs.filter(residences__until__isnull=True, residences__kind=f.residence_kind)
    if f.round_id:
        qs = qs.filter(findings__visit__round_id=f.round_id).distinct()
    if f.name:
        qs = qs.filter(name__contains=f.name)
    return qs.prefetch_related(
        Prefetch(
            "residences",
            Residence.objects.current().select_related("address"),
            to_attr="current_residences",
        )
    )


def person_timeline(*, person: Person) -> dict[str, Any]:
    residences = person.residences.select_related("address__area", "landlord").order_by(
        "-since", "-id"
    )
    findings = person.findings.select_related("visit__round", "visit__address").order_by(
        "-visit__visited_on"
    )
    return {
        "residences": residences,
        "findings": findings,
        "rented_out": Residence.objects.current()
        .filter(landlord=person)
        .select_related("person", "address"),
    }


def households(*, user: Any, area: Area | None = None) -> QuerySet[Address]:
    qs = (
        Address.objects.visible_to(user)
        .select_related("area")
        .annotate(residents=Count("residences", filter=Q(residences__until__isnull=True)))
    )
    if area is not None:
        qs = qs.filter(subtree_q("area__path", area.path, using=qs.db))
    # Explicit: a model's default ordering is dropped from a query that groups (the count).
    return qs.filter(residents__gt=0).order_by("area__path", "building", "entrance", "room", "id")


def household_residents(*, address: Address) -> QuerySet[Residence]:
    return (
        address.residences.current().select_related("person", "landlord").order_by("person__name")
    )


def duplicate_groups(*, user: Any) -> list[list[Person]]:
    """Possible duplicates among people without documents: the same name and phone, or
    the same name, birth date and current address. Each group for a worker to merge."""
    base = Person.objects.visible_to(user).active()
    groups: list[set[int]] = []
    by_phone = (
        base.exclude(phone_index=None)
        .values("name", "phone_index")
        .annotate(n=Count("id"), undocumented=Count("id", filter=Q(document_index=None)))
        .filter(n__gt=1, undocumented__gt=0)
    )
    for row in by_phone:
        groups.append(
            set(
                base.filter(name=row["name"], phone_index=row["phone_index"]).values_list(
                    "id", flat=True
                )
            )
        )
    by_home = (
        base.exclude(birth_date=None)
        .filter(residences__until__isnull=True)
        .values("name", "birth_date", "residences__address")
        .annotate(n=Count("id"), undocumented=Count("id", filter=Q(document_index=None)))
        .filter(n__gt=1, undocumented__gt=0)
    )
    for row in by_home:
        ids = set(
            base.filter(
                name=row["name"],
                birth_date=row["birth_date"],
                residences__until__isnull=True,
                residences__address=row["residences__address"],
            ).values_list("id", flat=True)
        )
        if ids not in groups:
            groups.append(ids)
    people = (
        {p.pk: p for p in base.filter(id__in=set().union(*groups)).select_related("area")}
        if groups
        else {}
    )
    return [sorted((people[i] for i in g), key=lambda p: p.pk) for g in groups]


def people_counts(*, area: Area) -> dict[str, int]:
    """People registered under an area and how many of them are not back yet."""
    qs = Person.objects.active().filter(subtree_q("area__path", area.path))
    return qs.aggregate(people=Count("id"), not_back=Count("id", filter=Q(whereabouts="not_back")))

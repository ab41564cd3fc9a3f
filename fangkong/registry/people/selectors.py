"""Read queries of people and households, always through the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Length, Replace

from fangkong.areas.models import Area
from fangkong.core.crypto import blind_index
from fangkong.core.identity import normalize_phone
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


def people_find_by_phone(*, actor: Any, phone: str) -> QuerySet[Person]:
    """Exact search by phone within the actor's scope; a number that is not a phone finds
    no one."""
    try:
        e164 = normalize_phone(phone)
    except Exception:
        return Person.objects.none()
    return Person.objects.visible_to(actor).active().filter(phone_index=blind_index("phone", e164))


def person_with_document(document_type: str, number: str) -> Person | None:
    """The one person registered with this (already checked) document, wherever, following
    merges. Not scoped: matching is not a search, and callers show nothing of a person the
    asker may not see."""
    person = Person.objects.filter(
        document_type=document_type, document_index=blind_index(f"doc:{document_type}", number)
    ).first()
    while person is not None and person.merged_into_id is not None:
        person = Person.objects.filter(pk=person.merged_into_id).first()
    return person


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


def natural_order(field: str) -> list[Combinable]:
    """Order a text column with its numbers by value: 城内街9号院, 城内街10号院, 城内街106号院
    (plain text puts 106 before 10). Portable SQL: the text without its digits first, so
    each street stays together, then the shorter number, then the text. Exact for names
    with one number (our buildings); names with two stay grouped but not fully ordered."""
    digitless: Combinable = F(field)
    for digit in "0123456789":
        digitless = Replace(digitless, Value(digit), Value(""))
    return [digitless, *shorter_first(field)]


def shorter_first(field: str) -> list[Combinable]:
    """Numbers by value among names that differ only in their number ("2单元", "10单元";
    "902", "1001"): a tenth of natural_order's cost, enough within one building."""
    return [Length(field), F(field)]


def households(*, user: Any, area: Area | None = None) -> QuerySet[Address]:
    """Addresses where someone lives now, with how many, in natural order; the id last
    keeps pages stable."""
    current = Residence.objects.current().filter(address=OuterRef("pk"))
    # A subquery rather than a grouped count: the order's expressions would join the
    # GROUP BY and make the district's list several times slower.
    count = current.order_by().values("address").annotate(n=Count("id")).values("n")
    qs = (
        Address.objects.visible_to(user)
        .select_related("area")
        .filter(Exists(current))
        .annotate(residents=Subquery(count, output_field=IntegerField()))
    )
    if area is not None:
        qs = qs.filter(subtree_q("area__path", area.path, using=qs.db))
    return qs.order_by(
        "area__path",
        *natural_order("building"),
        *shorter_first("entrance"),
        *shorter_first("room"),
        "id",
    )


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

"""Scoped reads of units' duty: today's reports and who has not filed, findings open and
overdue, sick absences with a fever, dormitories."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from fangkong.unitduty.models import (
    Dormitory,
    Finding,
    FindingStatus,
    Letter,
    SickAbsence,
    UnitReport,
)
from fangkong.units.models import Unit

OVERDUE = "overdue"


def units_visible(user: Any) -> QuerySet[Unit]:
    return Unit.objects.visible_to(user).select_related("area").order_by("area__path", "name")


def units_with_today(user: Any, day: dt.date) -> QuerySet[Unit]:
    """Units with `reported` (filed for `day`) and `open_findings` annotated."""
    filed = UnitReport.objects.filter(unit=OuterRef("pk"), day=day)
    return units_visible(user).annotate(
        reported=Exists(filed),
        open_findings=Count("findings", filter=Q(findings__status=FindingStatus.OPEN)),
    )


def units_not_reported(user: Any, day: dt.date) -> QuerySet[Unit]:
    filed = UnitReport.objects.filter(unit=OuterRef("pk"), day=day)
    return units_visible(user).exclude(Exists(filed))


def reports_visible(user: Any, *, day: dt.date | None = None) -> QuerySet[UnitReport]:
    qs = UnitReport.objects.visible_to(user).select_related("unit__area", "finding")
    return qs if day is None else qs.filter(day=day)


def findings_visible(
    user: Any, *, status: str | None = None, today: dt.date | None = None
) -> QuerySet[Finding]:
    """`status`: open, closed, or overdue (open with its deadline before `today`)."""
    qs = Finding.objects.visible_to(user).select_related("unit__area", "room__dormitory")
    if status == OVERDUE:
        assert today is not None
        return qs.filter(status=FindingStatus.OPEN, deadline__lt=today)
    return qs.filter(status=status) if status else qs


def sick_with_fever(user: Any, *, day: dt.date) -> QuerySet[SickAbsence]:
    return (
        SickAbsence.objects.visible_to(user)
        .filter(fever=True, report__day=day)
        .select_related("report__unit", "alert")
    )


def dormitories_of(unit: Unit) -> QuerySet[Dormitory]:
    return unit.dormitories.prefetch_related("rooms")


RENEW_WITHIN_DAYS = 7
ZERO_INFECTION_DAYS = 14


def letter_in_force(unit: Unit, day: dt.date) -> Letter | None:
    return (
        Letter.objects.filter(unit=unit, signed_on__lte=day, expires_on__gte=day)
        .order_by("-expires_on")
        .first()
    )


def letters_to_renew(user: Any, today: dt.date) -> QuerySet[Unit]:
    """Units whose latest letter expires within a week or has expired (none signed later)."""
    later = Letter.objects.filter(
        unit=OuterRef("pk"), expires_on__gt=today + dt.timedelta(days=RENEW_WITHIN_DAYS)
    )
    some = Letter.objects.filter(unit=OuterRef("pk"))
    return units_visible(user).filter(Exists(some)).exclude(Exists(later))


def zero_infection(unit: Unit, today: dt.date) -> bool:
    """零感染单位, where the rules allow naming it: a responsibility letter in force, a
    report filed within the last 14 days and none of them with a fever absence, and no
    finding overdue."""
    since = today - dt.timedelta(days=ZERO_INFECTION_DAYS)
    reports = UnitReport.objects.filter(unit=unit, day__gt=since, day__lte=today)
    fever = SickAbsence.objects.filter(report__in=reports, fever=True)
    overdue = Finding.objects.filter(unit=unit, status=FindingStatus.OPEN, deadline__lt=today)
    return (
        letter_in_force(unit, today) is not None
        and reports.exists()
        and not fever.exists()
        and not overdue.exists()
    )

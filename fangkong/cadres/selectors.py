"""Scoped reads of cadres: the list with today's health and sign-in, the unwell of today
(the community's 工作台), the uninsured and expiring, per-organ and per-cadre reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from fangkong.cadres.models import Cadre, HealthCheck, Insurance, Organ, SignIn

EXPIRING_DAYS = 7


def cadres_visible(*, user: Any, on: dt.date, active: bool = True) -> QuerySet[Cadre]:
    """The cadres the user may see, with today's check (`fit_today`, `temperature_today`)
    and sign-in (`signed_in`), and whether an insurance covers today (`insured`)."""
    checks = HealthCheck.objects.filter(cadre=OuterRef("pk"), on=on)
    qs = (
        Cadre.objects.visible_to(user)
        .select_related("organ", "area", "account")
        .annotate(
            fit_today=Subquery(checks.values("fit")[:1]),
            temperature_today=Subquery(checks.values("temperature")[:1]),
            signed_in=Exists(SignIn.objects.filter(cadre=OuterRef("pk"), on=on)),
            insured=Exists(
                Insurance.objects.filter(cadre=OuterRef("pk"), starts_on__lte=on, ends_on__gte=on)
            ),
            insured_later=Exists(
                Insurance.objects.filter(
                    cadre=OuterRef("pk"), ends_on__gt=on + dt.timedelta(days=EXPIRING_DAYS)
                )
            ),
        )
    )
    if active:
        qs = qs.filter(active=True)
    return qs


def unwell_today(*, user: Any, on: dt.date) -> QuerySet[HealthCheck]:
    return HealthCheck.objects.visible_to(user).filter(on=on, fit=False).select_related("cadre")


def uninsured(*, user: Any, on: dt.date) -> QuerySet[Cadre]:
    """Active cadres with no insurance covering `on`."""
    return cadres_visible(user=user, on=on).filter(Q(insured=False))


def expiring(*, user: Any, on: dt.date) -> QuerySet[Cadre]:
    """Insured today, but no insurance runs beyond the next week."""
    return cadres_visible(user=user, on=on).filter(Q(insured=True), Q(insured_later=False))


def cadre_for_account(user: Any) -> Cadre | None:
    return Cadre.objects.filter(account=user, active=True).select_related("organ", "area").first()


@dataclass
class OrganRow:
    organ: Organ
    cadres: int
    active: int
    signed_in: int
    unwell: int
    days_served: int
    communities: int


def organ_report(*, user: Any, on: dt.date) -> list[OrganRow]:
    """Per organ, of the cadres the user may see: cadres, still serving, signed in and
    unwell today, days served (sign-ins) and communities served."""
    cadres = Cadre.objects.visible_to(user)
    rows = (
        cadres.values("organ")
        .annotate(
            n=Count("pk", distinct=True),
            active_n=Count("pk", filter=Q(active=True), distinct=True),
            signed=Count("sign_ins", filter=Q(sign_ins__on=on), distinct=True),
            unwell=Count(
                "health_checks",
                filter=Q(health_checks__on=on, health_checks__fit=False),
                distinct=True,
            ),
        )
        .order_by()
    )
    served = {
        row["cadre__organ"]: (row["days"], row["places"])
        for row in SignIn.objects.filter(cadre__in=cadres)
        .values("cadre__organ")
        .annotate(days=Count("pk"), places=Count("area", distinct=True))
        .order_by()
    }
    organs = Organ.objects.in_bulk([row["organ"] for row in rows])
    return sorted(
        (
            OrganRow(
                organs[row["organ"]],
                row["n"],
                row["active_n"],
                row["signed"],
                row["unwell"],
                *served.get(row["organ"], (0, 0)),
            )
            for row in rows
        ),
        key=lambda r: r.organ.name,
    )


@dataclass
class CadreReport:
    cadre: Cadre
    days_served: int
    communities: list[str]
    unwell_days: int
    trainings: int
    tasks_done: int


def cadre_report(cadre: Cadre) -> CadreReport:
    """Days served (sign-ins), communities, unwell days, trainings and tasks done (care
    requests closed and care calls made through the cadre's account)."""
    signs = SignIn.objects.filter(cadre=cadre)
    communities = list(signs.values_list("area__name", flat=True).distinct().order_by("area__name"))
    tasks = 0
    if cadre.account_id:
        from fangkong.care.models import CareCall, CareRequest

        tasks = CareRequest.objects.filter(closed_by_id=cadre.account_id, status="done").count()
        tasks += CareCall.objects.filter(by_id=cadre.account_id).count()
    return CadreReport(
        cadre=cadre,
        days_served=signs.count(),
        communities=communities,
        unwell_days=cadre.health_checks.filter(fit=False).count(),
        trainings=cadre.trainings.count(),
        tasks_done=tasks,
    )

"""Today's figures follow every committed write: each save or delete of a counted record
notes its area (FiguresChange, in the write's own transaction); reading recounts those
areas (reports.services.refresh_changes). Connected in ReportsConfig.ready."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from fangkong.access.models import Pass, Visit
from fangkong.arrivals.models import Alert, ArrivalNotice, CallTask, Observation
from fangkong.core.figures import figures_touched
from fangkong.registry.models import Person
from fangkong.reports.models import FiguresChange

# Counted records whose area is their own `area_id`.
BY_AREA = (Person, ArrivalNotice, Observation, Alert, Pass, Visit)


def note(area_ids: set[int]) -> None:
    today = timezone.localdate()
    FiguresChange.objects.bulk_create(
        FiguresChange(area_id=area_id, on=today) for area_id in area_ids if area_id
    )


def _changed(sender: Any, instance: Any, **_: Any) -> None:
    areas = {instance.area_id}
    previous = getattr(instance, "_figures_area_before", None)
    if previous is not None:
        areas.add(previous)
    note(areas)


def _call_task_changed(sender: Any, instance: CallTask, **_: Any) -> None:
    note(
        set(
            Observation.objects.filter(pk=instance.observation_id).values_list("area_id", flat=True)
        )
    )


def _person_moving(sender: Any, instance: Person, **_: Any) -> None:
    """A person who moves changes the figures of the area they leave too."""
    if instance.pk is not None:
        before = Person.objects.filter(pk=instance.pk).values_list("area_id", flat=True).first()
        if before is not None and before != instance.area_id:
            instance._figures_area_before = before  # type: ignore[attr-defined]


def _touched(sender: Any, *, areas: Any, **_: Any) -> None:
    note(set(areas))


def connect() -> None:
    for model in BY_AREA:
        post_save.connect(_changed, sender=model, dispatch_uid=f"figures-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"figures-del-{model.__name__}")
    post_save.connect(_call_task_changed, sender=CallTask, dispatch_uid="figures-CallTask")
    pre_save.connect(_person_moving, sender=Person, dispatch_uid="figures-person-moving")
    figures_touched.connect(_touched, dispatch_uid="figures-touched")

"""The daily unit report: counts that add up, the on-site rate checked against the
policy for the unit's kind (a breach becomes a finding), sick absences with a fever
reaching the area's medical staff, once a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.arrivals.models import Alert
from fangkong.core.errors import Conflict
from fangkong.core.modules import modules, resolve
from fangkong.unitduty.models import Finding, FindingSource, UnitReport
from fangkong.unitduty.services import report_file
from tests.conftest import WANPING_ZONE, World
from tests.factories import make_person
from tests.unitduty.conftest import Units

COUNTS = {"staff_expected": 100, "staff_on_site": 50, "staff_home": 40,
          "temperatures_checked": 50, "key_group_staff": 8, "key_group_checked": 8}  # fmt: skip


def _file(units: Units, unit: Any = None, sick: Any = None, **counts: Any) -> UnitReport:
    return report_file(
        actor=units.contact, unit=unit or units.site, day=timezone.localdate(),
        values={**COUNTS, **counts}, sick=sick,
    )  # fmt: skip


def _workbench(user: Any) -> dict[str, int]:
    today = timezone.localdate()
    out = {}
    for module in modules():
        if module.workbench:
            for item in resolve(module.workbench)(user, today):
                out[item.label] = item.count
    return out


def test_half_on_site_is_within_the_limit(world: World, units: Units) -> None:
    report = _file(units)
    assert not Finding.objects.exists() and report.onsite_rate == 0.5


def test_an_on_site_rate_above_the_limit_becomes_a_finding(world: World, units: Units) -> None:
    report = _file(units, staff_on_site=60, staff_home=30, temperatures_checked=60)
    finding = Finding.objects.get()
    assert finding.source == FindingSource.ONSITE_RATE and finding.report == report
    assert finding.responsible == "赵经理" and "60 / 100" in finding.description
    assert finding.deadline == timezone.localdate() + dt.timedelta(days=1)
    assert _workbench(world.wanping_officer)["待整改的事项"] == 1


def test_the_limit_applies_to_the_kinds_the_policy_names(world: World, units: Units) -> None:
    _file(units, unit=units.museum, staff_on_site=90, staff_home=0, temperatures_checked=90)
    assert not Finding.objects.exists()


def test_a_sick_absence_with_fever_reaches_the_medics_workbench(world: World, units: Units) -> None:
    person = make_person(world.wanping_worker, world.areas[WANPING_ZONE], "王建国")
    since = timezone.localdate() - dt.timedelta(days=1)
    report = _file(
        units,
        sick=[
            {"name": "王建国", "person": person, "symptoms": "咳嗽", "since": since,
             "temperature": "38.2"},
            {"name": "李四", "symptoms": "腹泻", "since": since, "temperature": "36.8"},
        ],
    )  # fmt: skip
    fever, other = report.sick_absences.order_by("pk")
    assert fever.fever and fever.alert is not None and not other.fever and other.alert is None
    alert = Alert.objects.get()
    assert alert.person == person and alert.area == units.site.area
    board = _workbench(units.medic)
    assert board["发热、症状预警待处置"] == 1 and board["单位因病缺勤且发热"] == 1
    assert Alert.objects.visible_to(world.zhenguosi_worker).count() == 0


def test_counts_must_add_up_and_nothing_is_written(world: World, units: Units) -> None:
    for counts, field in (
        ({"staff_on_site": 70}, "staff_on_site"),
        ({"temperatures_checked": 51}, "temperatures_checked"),
        ({"key_group_checked": 9}, "key_group_checked"),
        ({"staff_expected": -1}, "staff_expected"),
        ({"staff_expected": "many"}, "staff_expected"),
    ):
        with pytest.raises(ValidationError) as caught:
            _file(units, **counts)
        assert list(caught.value.message_dict) == [field]
    with pytest.raises(ValidationError) as caught:
        _file(units, sick=[{"name": "", "since": timezone.localdate()}])
    assert list(caught.value.message_dict) == ["sick.0.name"]
    with pytest.raises(ValidationError) as caught:
        _file(units, sick=[{"name": "某", "since": timezone.localdate(), "temperature": "99"}])
    assert list(caught.value.message_dict) == ["sick.0.temperature"]
    assert not UnitReport.objects.exists()


def test_once_a_day_and_only_in_my_area(world: World, units: Units) -> None:
    _file(units)
    with pytest.raises(Conflict) as caught:
        _file(units)
    assert caught.value.field == "day"
    with pytest.raises(ValidationError) as refused:
        report_file(
            actor=world.zhenguosi_worker, unit=units.site, day=timezone.localdate(),
            values=COUNTS,
        )  # fmt: skip
    assert list(refused.value.message_dict) == ["unit"]


def test_the_kinds_under_the_limit_are_a_policy_setting(world: World, units: Units) -> None:
    from django.contrib.auth import get_user_model

    from fangkong.policy.services import policy_draft, policy_publish_draft, policy_update

    admin = get_user_model().objects.get(username="admin")
    draft = policy_draft(actor=admin)
    with pytest.raises(ValidationError) as caught:
        policy_update(actor=admin, draft=draft, onsite_rate_kinds="Enterprise; hospital")
    assert "onsite_rate_kinds" in caught.value.message_dict
    draft.refresh_from_db()
    policy_update(actor=admin, draft=draft, onsite_rate_kinds="organ")
    policy_publish_draft(actor=admin, draft=draft, effective_from=timezone.localdate())
    _file(units, staff_on_site=60, staff_home=30, temperatures_checked=60)  # an enterprise
    assert not Finding.objects.exists()
    _file(units, unit=units.museum, staff_on_site=60, staff_home=30, temperatures_checked=60)
    assert Finding.objects.get().unit == units.museum

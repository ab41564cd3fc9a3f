"""The demo units: today's reports, the site's dormitory with its failing rooms, small
places with an open finding and an overdue one; run twice, the same."""

from __future__ import annotations

from django.utils import timezone

from fangkong.policy.services import policy_seed_2020
from fangkong.unitduty.demo import load_demo
from fangkong.unitduty.models import Finding, FindingSource, UnitReport
from fangkong.unitduty.selectors import OVERDUE, findings_visible
from tests.conftest import World


def test_the_demo_units(world: World) -> None:
    policy_seed_2020()
    assert "5 reports" in load_demo()
    rooms = Finding.objects.filter(source=FindingSource.DORMITORY)
    assert sorted(f.room.name for f in rooms) == ["2号板房", "地下B1-1"]  # type: ignore[union-attr]
    assert Finding.objects.filter(source=FindingSource.ONSITE_RATE).count() == 1  # 商务楼
    today = timezone.localdate()
    overdue = findings_visible(world.zhenguosi_worker, status=OVERDUE, today=today)
    assert [f.unit.name for f in overdue] == ["镇国寺小理发店（演示）"]
    load_demo()
    assert UnitReport.objects.count() == 5

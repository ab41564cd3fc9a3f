"""Units' duty and production quality in the daily report: units reporting and there are,
on-site breaches, sick absences, findings open and overdue, batches accepted and rejected
— for 宛平城社区 and summed up to its street."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from fangkong.areas.models import Area
from fangkong.quality.services import batch_inspect, batch_register, product_create
from fangkong.reports.selectors import day_figures
from fangkong.unitduty.services import finding_close, finding_raise, report_file
from tests.conftest import WANPING, WANPING_STREET, World
from tests.unitduty.conftest import Units

COUNTS = {"staff_expected": 10, "staff_on_site": 6, "staff_home": 4, "temperatures_checked": 6}


def test_the_daily_report_counts_units_and_batches(world: World, units: Units) -> None:
    today = timezone.localdate()
    report_file(
        actor=units.contact, unit=units.site, day=today, values=COUNTS,
        sick=[{"name": "李四", "since": today, "temperature": "38.0"}],
    )  # fmt: skip
    late = finding_raise(
        actor=world.wanping_officer, unit=units.museum, description="未登记", deadline=today
    )
    masks = product_create(actor=units.contact, unit=units.site, name="口罩")
    for code, bad in (("A", 0), ("B", 9)):
        batch = batch_register(
            actor=units.contact, product=masks, code=code, lot_size=1000, produced_on=today
        )
        rows = [{"kind": "nose_clip", "count": bad}] if bad else []
        batch_inspect(actor=units.contact, batch=batch, inspected=80, defects=rows)
    area = world.areas[WANPING]
    figures = day_figures(area=area, on=today, compare=False).figures
    assert (figures["units_reporting"], figures["units_expected"]) == (1, 2)
    assert (figures["units_onsite_breaches"], figures["units_sick_absences"]) == (1, 1)
    assert (figures["units_findings_open"], figures["units_findings_overdue"]) == (2, 0)
    assert (figures["quality_accepted"], figures["quality_rejected"]) == (1, 1)
    assert figures["quality_inspected"] == 2
    tomorrow = today + dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(tomorrow, dt.time(10)), tick=False):
        street = Area.objects.get(code=WANPING_STREET)
        later = day_figures(area=street, on=tomorrow, compare=False).figures
        assert later["units_findings_overdue"] == 1  # the museum's (the breach's: due today)
        assert later["units_findings_open"] == 2
        finding_close(actor=world.wanping_officer, finding=late, note="已补登记")
        later = day_figures(area=street, on=tomorrow, compare=False).figures
        assert (later["units_findings_overdue"], later["units_findings_open"]) == (0, 1)

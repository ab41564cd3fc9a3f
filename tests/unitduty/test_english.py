"""The units' duty pages in English: once the data (units, areas, names, findings' words)
is taken out, no Chinese is left in the page's own part."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fangkong.unitduty.models import Finding
from fangkong.unitduty.services import (
    dormitory_check,
    dormitory_create,
    finding_raise,
    report_file,
    room_save,
)
from tests.conftest import World
from tests.english import chinese_left, english, world_data
from tests.unitduty.conftest import Units


def test_the_units_duty_pages_are_english(world: World, units: Units) -> None:
    today = timezone.localdate()
    report_file(
        actor=units.contact, unit=units.site, day=today,
        values={"staff_expected": 10, "staff_on_site": 6, "staff_home": 4,
                "temperatures_checked": 6},
        sick=[{"name": "Li Si", "since": today, "temperature": "38.0", "symptoms": "cough"}],
    )  # fmt: skip
    dorm = dormitory_create(actor=units.contact, unit=units.site, name="Dorm A")
    room_save(actor=units.contact, dormitory=dorm, name="B1", area_m2="9", occupants=3,
              underground=True, bunk_beds=True)  # fmt: skip
    dormitory_check(actor=world.wanping_officer, dormitory=dorm, on=today)
    finding_raise(
        actor=world.wanping_officer, unit=units.museum, description="No sign-in sheet",
        deadline=today + dt.timedelta(days=1), responsible="Office",
    )  # fmt: skip
    data = [*world_data(world), units.site.name, units.museum.name, units.zhenguosi_shop.name]
    data += [units.site.address, units.site.legal_representative]
    data += [f.description for f in Finding.objects.all()]
    left = {}
    for user, pages in (
        (world.wanping_officer, {
            "units": "/unitduty/", "fever": "/unitduty/?fever=1",
            "site": f"/unitduty/units/{units.site.pk}/",
            "museum": f"/unitduty/units/{units.museum.pk}/",
            "open": "/unitduty/findings/?status=open",
            "overdue": "/unitduty/findings/?status=overdue",
        }),
        (units.contact, {"form": f"/unitduty/units/{units.museum.pk}/", "home": "/"}),
    ):  # fmt: skip
        client = english(world, user)
        for name, url in pages.items():
            response = client.get(url)
            assert response.status_code == 200, name
            if name != "home":
                left[name] = chinese_left(response.content.decode(), data)
    refused = english(world, units.contact).post(
        f"/unitduty/units/{units.museum.pk}/report/",
        {"staff_expected": "5", "staff_on_site": "6", "temperatures_checked": "0"},
    )
    assert refused.status_code == 400
    assert "cannot be more than the staff expected" in refused.content.decode()
    left["refused"] = chinese_left(refused.content.decode(), data)
    assert not any(left.values()), {k: v for k, v in left.items() if v}

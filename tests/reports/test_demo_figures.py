"""The whole demo read through the daily figures: the story's days agree with each other.

The demo's people were registered (摸排) and its passes issued before the first arrival of
the returnee story, so on every day of the last two weeks each community counts the people
it observes and the passes it holds among its registered people."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fangkong.access.demo import load_demo_access
from fangkong.accounts.demo import load_demo_accounts
from fangkong.areas.demo import load_demo_areas
from fangkong.areas.models import Area
from fangkong.arrivals.demo import load_demo_arrivals
from fangkong.policy.services import policy_seed_2020
from fangkong.registry.demo.loading import load_demo_registry
from fangkong.reports.selectors import trend
from tests.conftest import WANPING, ZHENGUOSI

STORY_DAYS = 14


def test_every_day_of_the_demo_counts_whom_it_observes_and_passes_among_its_people(
    db: None,
) -> None:
    load_demo_areas()
    policy_seed_2020()
    load_demo_accounts()
    load_demo_registry()
    load_demo_arrivals()
    load_demo_access()
    today = timezone.localdate()
    start = today - dt.timedelta(days=STORY_DAYS - 1)

    zhenguosi = trend(area=Area.objects.get(code=ZHENGUOSI), start=start, end=today)
    wanping = trend(area=Area.objects.get(code=WANPING), start=start, end=today)
    assert max(f["observing_home"] for _, f in zhenguosi) > 100  # 148 at the end
    assert max(f["observing_unit"] for _, f in wanping) > 0  # the construction site
    for day, figures in zhenguosi + wanping:
        people = figures["people"]
        assert people > 0, day
        assert figures["observing"] <= people, (day, figures)
        assert figures["not_back"] <= people, (day, figures)
        assert figures["passes_active"] + figures["passes_suspended"] <= people, (day, figures)
    assert all(f["passes_active"] > 0 for _, f in wanping)
    # Registered before the story: the same people on its first day and its last.
    assert zhenguosi[0][1]["people"] == zhenguosi[-1][1]["people"]

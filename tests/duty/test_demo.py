"""宛平城's duty demo: 4 posts at the gates, 3 shifts rostered this week and next, staffed
by its workers and the three units' volunteers and guards; one gap tomorrow night; a
morning's sign-ins (one late, one missing, one unplanned); loading it again adds nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fangkong.access.demo import load_demo_access
from fangkong.accounts.demo import load_demo_accounts
from fangkong.accounts.models import User
from fangkong.areas.demo import load_demo_areas
from fangkong.arrivals.demo import load_demo_arrivals
from fangkong.duty.demo import load_demo
from fangkong.duty.models import Assignment, Attendance, DutyPerson, DutyRole, Post
from fangkong.duty.selectors import gaps_ahead, week_of
from fangkong.policy.services import policy_seed_2020
from fangkong.registry.demo.loading import load_demo_registry


def test_the_duty_demo(db: None) -> None:
    load_demo_areas()
    policy_seed_2020()
    load_demo_accounts()
    load_demo_registry()
    load_demo_arrivals()
    load_demo_access()
    first = load_demo()
    assert load_demo() == first
    posts = Post.objects.filter(area__code__startswith="110106014001")
    assert posts.count() == 4 and all(p.gate_id for p in posts)
    people = DutyPerson.objects.all()
    assert {p.unit.name for p in people if p.unit} == {
        "中国人民抗日战争纪念馆",
        "中国盲文出版社",
        "卢沟桥文化旅游区办事处",
    }
    assert {p.role for p in people} >= {DutyRole.VOLUNTEER, DutyRole.GUARD, DutyRole.WORKER}
    today = timezone.localdate()
    monday = week_of(today)
    days = set(Assignment.objects.values_list("day", flat=True))
    assert min(days) == monday and max(days) == monday + dt.timedelta(days=13)
    worker = User.objects.get(username="wanping_worker")
    gaps = [g for g in gaps_ahead(worker) if g.day >= today]
    tomorrow = today + dt.timedelta(days=1)
    assert [(g.post.name, g.day, g.shift.starts) for g in gaps] == [
        ("城内街东门志愿服务岗", tomorrow, dt.time(16))
    ]
    assert Attendance.objects.filter(late=True).count() == 1
    assert Attendance.objects.filter(assignment__isnull=True).count() == 1

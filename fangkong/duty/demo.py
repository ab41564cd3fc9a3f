"""Demo duty for 宛平城社区: its 4 volunteer posts at the gates (access's demo creates the
gates; a post without gate otherwise), 3 shifts of 8 h needing 2 people each, rostered
for this week and next by its community workers and the volunteers and guards lent by
抗战纪念馆, 中国盲文出版社 and 卢沟桥文化旅游区办事处; one gap tomorrow night (晚班 at
城内街东门 with one person), and the sign-ins of a morning (one late, one missing, one
unplanned) and of the two mornings before it (signed out, so the month has hours).

Everything goes through the services. Idempotent: when the first post exists, nothing is
added."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fangkong.access.models import Gate
from fangkong.accounts.models import User
from fangkong.areas.models import Area
from fangkong.arrivals.models import Observation
from fangkong.core.errors import Conflict
from fangkong.duty import services
from fangkong.duty.models import Assignment, Attendance, DutyPerson, DutyRole, Post
from fangkong.duty.selectors import week_of
from fangkong.registry.models import Person, Whereabouts
from fangkong.units.services import unit_get_or_register

WANPING = "110106014001"
CHENGNEI = "110106014001Z1"
POSTS = [  # zone code, name (access's demo gates)
    ("110106014001Z1", "城内街东门志愿服务岗"),
    ("110106014001Z1", "城内街西门志愿服务岗"),
    ("110106014001Z2", "桥西街口志愿服务岗"),
    ("110106014001Z3", "城北街口志愿服务岗"),
]
UNITS = ("中国人民抗日战争纪念馆", "中国盲文出版社", "卢沟桥文化旅游区办事处")
PER_UNIT = (6, 2)  # volunteers, guards lent by each unit
WORKERS = 12  # community and 卢沟桥村委会 workers
NEEDED = 2


def _summary() -> str:
    posts = Post.objects.filter(area__code__startswith=WANPING)
    lines = Assignment.objects.filter(shift__post__in=posts).count()
    signed = Attendance.objects.filter(post__in=posts).count()
    people = DutyPerson.objects.filter(area__code=WANPING).count()
    return (
        f"demo duty: 宛平城社区 {posts.count()} 个值守点，值守人员 {people} 人，"
        f"排班 {lines} 人次，签到 {signed} 人次"
    )


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _people(worker: User, community: Area) -> list[DutyPerson]:
    observed = Observation.objects.values("person_id")
    # Units' staff often live in other communities (镇国寺): they are lent, not residents.
    here = Person.objects.filter(
        whereabouts=Whereabouts.IN_BEIJING,
        merged_into__isnull=True,
        birth_date__isnull=False,
    ).exclude(pk__in=observed)
    chosen: list[DutyPerson] = []
    zone = Area.objects.get(code=CHENGNEI)
    for name in UNITS:
        unit = unit_get_or_register(area=zone, name=name)
        staff = list(here.filter(employer=unit).order_by("pk")[: sum(PER_UNIT)])
        for k, person in enumerate(staff):
            role = DutyRole.VOLUNTEER if k < PER_UNIT[0] else DutyRole.GUARD
            chosen.append(
                services.duty_person_add(
                    actor=worker, area=community, person=person, role=role, unit=unit
                )
            )
    others = here.filter(employer__isnull=True, area__path__startswith=community.path)
    others = others.order_by("pk")[:WORKERS]
    for person in others:
        chosen.append(
            services.duty_person_add(
                actor=worker, area=community, person=person, role=DutyRole.WORKER
            )
        )
    return chosen


@transaction.atomic
def load_duty_demo() -> str:
    if Post.objects.filter(area__code=POSTS[0][0], name=POSTS[0][1]).exists():
        return _summary()
    worker = User.objects.get(username="wanping_worker")
    guard = User.objects.filter(username="chengnei_guard").first() or worker
    community = Area.objects.get(code=WANPING)
    posts = []
    for code, name in POSTS:
        area = Area.objects.get(code=code)
        gate = Gate.objects.filter(area=area, name=name).first()
        post = services.post_create(actor=worker, area=area, name=name, gate=gate)
        services.shifts_set(actor=worker, post=post, pattern="3x8", needed=NEEDED)
        posts.append(post)
    people = _people(worker, community)
    today = timezone.localdate()
    monday = week_of(today)
    tomorrow = today + dt.timedelta(days=1)
    slots = [(post, shift) for post in posts for shift in post.shifts.all()]
    crews = max(len(people) // len(slots), NEEDED)
    for d in range(14):
        day = monday + dt.timedelta(days=d)
        for s, (post, shift) in enumerate(slots):
            crew = people[s * crews : (s + 1) * crews]
            wanted = NEEDED
            if day == tomorrow and post is posts[0] and shift.starts == dt.time(16):
                wanted = NEEDED - 1  # the gap the planner sees on the 工作台
            for k in range(wanted):
                if not crew:
                    break
                person = crew[(d + k) % len(crew)]
                try:
                    services.assign(actor=worker, shift=shift, day=day, person=person, audit=False)
                except (ValidationError, Conflict):
                    continue
    _sign_ins(posts, worker, guard, today)
    return _summary()


def _sign_ins(posts: list[Post], worker: User, guard: User, today: dt.date) -> None:
    """The 白班 (08–16) of the latest morning that is over, and of the two before it."""
    now = timezone.localtime()
    last = today if now.time() >= dt.time(10, 30) else today - dt.timedelta(days=1)
    for back in (2, 1, 0):
        day = last - dt.timedelta(days=back)
        for n, post in enumerate(posts):
            actor = guard if post.area.code == CHENGNEI else worker
            shift = post.shifts.get(starts=dt.time(8))
            lines = list(Assignment.objects.filter(shift=shift, day=day).order_by("pk"))
            for k, line in enumerate(lines):
                if back == 0 and n == 3 and k == 1:
                    continue  # missing: rostered, never came
                minute = 20 if (back == 0 and n == 1 and k == 0) else 2 + 3 * k + n
                attendance = services.sign_in(
                    actor=actor, post=post, person=line.person, now=_at(day, 8, minute)
                )
                end = _at(day, 16, 2)
                if end < now:
                    services.sign_out(actor=actor, attendance=attendance, now=end)
        if back == 0:
            spare = (
                DutyPerson.objects.filter(area=posts[0].area.parent, role=DutyRole.WORKER)
                .exclude(assignments__day__in=[day - dt.timedelta(days=1), day])
                .first()
            )
            if spare is not None:  # unplanned: came to help without being rostered
                services.sign_in(actor=guard, post=posts[0], person=spare, now=_at(day, 9, 10))


def load_demo() -> str:
    return load_duty_demo()

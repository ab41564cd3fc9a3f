"""Duty coverage for a district: 2,000 posts × 7 days × 3 shifts (rosters filled), target ≤ 200 ms.

On the synthetic district of bench.areas (2,000 communities), one post per community with
3 shifts of 8 h needing 2 people, two people on every shift for 7 days (84,000 roster
lines) and a morning's sign-ins; times `GET /api/v1/duty/coverage/` for the whole
district (42,000 shift instances), warm, and the selector alone."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from bench.areas import build as build_areas
from bench.common import best_of

DAYS = 7


def build() -> None:
    from fangkong.areas.models import Area, AreaKind
    from fangkong.duty.models import Assignment, Attendance, DutyPerson, DutyRole, Post, Shift
    from fangkong.duty.services import shift_days_rebuild
    from fangkong.registry.models import Person

    build_areas()
    today = timezone.localdate()
    posts = Post.objects.filter(area__code__startswith="990000")
    if Assignment.objects.filter(
        shift__post__in=posts, day=today + dt.timedelta(days=DAYS - 1)
    ).exists():
        return
    with transaction.atomic():  # a roster of other days (an earlier run): start again
        Attendance.objects.filter(post__in=posts).delete()
        Assignment.objects.filter(shift__post__in=posts).delete()
        DutyPerson.objects.filter(area__code__startswith="990000").delete()
        Shift.objects.filter(post__in=posts).delete()
        posts.delete()
        Person.objects.filter(area__code__startswith="990000", name__startswith="值守").delete()
    with transaction.atomic():
        communities = list(
            Area.objects.filter(kind=AreaKind.COMMUNITY, code__startswith="990000").order_by("pk")
        )
        Post.objects.bulk_create(
            [Post(area=c, name="基准值守点") for c in communities], batch_size=2000
        )
        posts = list(Post.objects.filter(area__code__startswith="990000").order_by("pk"))
        Shift.objects.bulk_create(
            [
                Shift(post=p, name=name, starts=dt.time(h), hours=8, needed=2)
                for p in posts
                for name, h in (("夜班", 0), ("白班", 8), ("晚班", 16))
            ],
            batch_size=5000,
        )
        shifts = list(Shift.objects.filter(post__in=posts).select_related("post").order_by("pk"))
        Person.objects.bulk_create(
            [Person(area=s.post.area, name=f"值守{s.pk}-{k}") for s in shifts for k in range(2)],
            batch_size=5000,
        )
        people = list(
            Person.objects.filter(area__code__startswith="990000", name__startswith="值守")
            .order_by("pk")
            .values_list("pk", "area_id")
        )
        DutyPerson.objects.bulk_create(
            [DutyPerson(area_id=a, person_id=p, role=DutyRole.VOLUNTEER) for p, a in people],
            batch_size=5000,
        )
        duty = list(
            DutyPerson.objects.filter(area__code__startswith="990000")
            .order_by("person_id")
            .values_list("pk", flat=True)
        )
        lines = []
        for i, shift in enumerate(shifts):
            for d in range(DAYS):
                day = today + dt.timedelta(days=d)
                start, end = shift.bounds(day)
                for k in range(2):
                    lines.append(
                        Assignment(
                            shift=shift,
                            day=day,
                            person_id=duty[2 * i + k],
                            starts_at=start,
                            ends_at=end,
                        )
                    )
        Assignment.objects.bulk_create(lines, batch_size=10000)
        morning = Assignment.objects.filter(
            shift__post__in=posts, day=today, shift__starts=dt.time(8)
        ).select_related("shift")
        Attendance.objects.bulk_create(
            [
                Attendance(
                    post_id=a.shift.post_id,
                    shift_id=a.shift_id,
                    day=a.day,
                    person_id=a.person_id,
                    assignment=a,
                    signed_in_at=a.starts_at,
                )
                for a in morning
            ],
            batch_size=10000,
        )
        shift_days_rebuild([s.pk for s in shifts])  # what the services keep line by line


def run() -> None:
    from django.db import connection
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from fangkong.accounts.roles import Role
    from fangkong.accounts.services import account_upsert
    from fangkong.areas.models import Area
    from fangkong.duty import selectors

    build()
    if connection.vendor == "postgresql":  # what autovacuum does after a bulk load
        with connection.cursor() as cursor:
            for table in ("duty_assignment", "duty_attendance", "duty_shift", "duty_post",
                          "duty_shiftday", "areas_area"):  # fmt: skip
                cursor.execute(f"VACUUM ANALYZE {table}")
    root = Area.objects.get(code="990000")
    user = account_upsert(
        username="bench_duty", role=Role.DISTRICT_OFFICER, area=root, password="bench-password-1"
    )
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient(SERVER_NAME="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    today = timezone.localdate()
    last = today + dt.timedelta(days=DAYS - 1)
    url = f"/api/v1/duty/coverage/?area=990000&from={today}&to={last}"

    def api() -> None:
        answer = client.get(url)
        assert answer.status_code == 200, answer.content[:300]

    def selector() -> None:
        cells = selectors.coverage(selectors.posts_visible(user, root), today, last)
        assert len(cells) == 2000 * 3 * DAYS, len(cells)

    print(f"  database: {connection.vendor}")
    print(
        f"  coverage selector, 42,000 shift instances: {best_of(selector, repeat=5) * 1000:.0f} ms"
    )
    print(
        f"  GET /api/v1/duty/coverage/ (district, 7 days): {best_of(api, repeat=5) * 1000:.0f} ms"
    )

"""Duty over the API: posts and their shift patterns, the people on duty, rosters (assign,
remove, swap, copy last week), sign in / out, hours per month, and the coverage contract:

``GET /api/v1/duty/coverage/?area=<code>&from=YYYY-MM-DD&to=YYYY-MM-DD`` → per post
(id, name, area) its shifts (shift, name, starts HH:MM, hours, needed), and per shift its
days: rostered (people under observation that day not counted), signed in, gap. A night
shift crossing midnight is listed on the day it starts. ``area`` defaults to the caller's own
area; ``from`` to today, ``to`` to six days after ``from``; at most 31 days. Bad input is
a 400 naming the parameter; an area outside the caller's jurisdiction reads as unknown
(400 ``area``), posts of another community as 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.areas.selectors import area_visible_by_code
from fangkong.core.api import FastJSONRenderer, HasCapability, error_responses, valid_input
from fangkong.core.dates import parse_day
from fangkong.core.errors import invalid
from fangkong.core.scoping import get_visible_or_404
from fangkong.duty import selectors, services
from fangkong.duty.models import Assignment, Attendance, DutyPerson, DutyRole, Post, Shift
from fangkong.duty.module import DutyCapability
from fangkong.registry.models import DocumentType, Person

MAX_DAYS = 31


class _Base(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability: str | None = DutyCapability.VIEW


def _area(request: Request) -> Any:
    code = request.query_params.get("area", "").strip()
    user: Any = request.user
    if not code:
        if user.area_id is None:
            raise invalid("area", _("请指定区域代码 area"), "required")
        return user.area
    return area_visible_by_code(user=user, code=code, field_name="area")


def _span(request: Request) -> tuple[dt.date, dt.date]:
    first = parse_day(request.query_params.get("from"), field="from")
    last = parse_day(
        request.query_params.get("to"), field="to", default=first + dt.timedelta(days=6)
    )
    if last < first:
        raise invalid("to", _("结束日期不能早于开始日期"), "before_from")
    if (last - first).days >= MAX_DAYS:
        raise invalid("to", _("一次最多查询 %(n)s 天") % {"n": MAX_DAYS}, "too_long")
    return first, last


class CoverageApi(_Base):
    renderer_classes = [FastJSONRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("area", str, description="社区、村或片区代码（默认本人辖区）"),
            OpenApiParameter("from", str, description="YYYY-MM-DD，默认今天"),
            OpenApiParameter("to", str, description="YYYY-MM-DD，默认 from 之后 6 天"),
        ],
        responses={200: dict, **error_responses(400, 403)},
        summary="值守覆盖：每个值守点每个班次需要、已排、已签到和缺口人数",
    )
    def get(self, request: Request) -> Response:
        area = _area(request)
        first, last = _span(request)
        posts = selectors.coverage_rows(selectors.posts_visible(request.user, area), first, last)
        return Response(
            {
                "area": area.code,
                "from": first.isoformat(),
                "to": last.isoformat(),
                "posts": posts,
            }
        )


class DutyShiftOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    times = serializers.CharField(source="label", read_only=True, help_text="08:00–16:00")

    class Meta:
        model = Shift
        fields = ["id", "name", "starts", "hours", "needed", "times"]


class DutyPostOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    area = serializers.CharField(source="area.code")
    shifts = DutyShiftOutput(many=True, read_only=True)

    class Meta:
        model = Post
        fields = ["id", "name", "area", "gate", "active", "shifts"]


class DutyPostInput(serializers.Serializer):  # type: ignore[type-arg]
    area = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=60)
    pattern = serializers.ChoiceField(choices=list(services.PATTERNS), default="3x8")
    needed = serializers.IntegerField(min_value=1, max_value=50, default=2)


class PostsApi(_Base):
    @extend_schema(responses={200: DutyPostOutput(many=True)}, summary="值守点及其班次")
    def get(self, request: Request) -> Response:
        posts = selectors.posts_visible(request.user).prefetch_related(_ACTIVE_SHIFTS)
        return Response(DutyPostOutput(posts, many=True).data)

    @extend_schema(
        request=DutyPostInput,
        responses={201: DutyPostOutput, **error_responses(400, 403, 409)},
        summary="新建值守点（带班次模式）",
    )
    def post(self, request: Request) -> Response:
        if not request.user.can(DutyCapability.PLAN):  # type: ignore[union-attr]
            self.permission_denied(request)
        values = valid_input(DutyPostInput, request)
        area = area_visible_by_code(user=request.user, code=values["area"])
        post = services.post_create(actor=request.user, area=area, name=values["name"])
        services.shifts_set(
            actor=request.user, post=post, pattern=values["pattern"], needed=values["needed"]
        )
        return Response(DutyPostOutput(_with_shifts(post)).data, status=status.HTTP_201_CREATED)


_ACTIVE_SHIFTS = Prefetch("shifts", queryset=Shift.objects.filter(active=True))


def _with_shifts(post: Post) -> Post:
    return Post.objects.select_related("area").prefetch_related(_ACTIVE_SHIFTS).get(pk=post.pk)


class DutyPatternInput(serializers.Serializer):  # type: ignore[type-arg]
    pattern = serializers.ChoiceField(choices=list(services.PATTERNS))
    needed = serializers.IntegerField(min_value=1, max_value=50, required=False)


class PatternApi(_Base):
    capability = DutyCapability.PLAN

    @extend_schema(
        request=DutyPatternInput,
        responses={200: DutyPostOutput, **error_responses(400, 403, 404, 409)},
        summary="更改值守点的班次模式（3x8 / 2x12）；今天起仍有排班的班次要改动时 409",
    )
    def put(self, request: Request, pk: int) -> Response:
        post = get_visible_or_404(Post.objects.select_related("area"), request.user, pk=pk)
        values = valid_input(DutyPatternInput, request)
        services.shifts_set(
            actor=request.user,
            post=post,
            pattern=values["pattern"],
            needed=values.get("needed"),
        )
        return Response(DutyPostOutput(_with_shifts(post)).data)


class DutyNeededInput(serializers.Serializer):  # type: ignore[type-arg]
    needed = serializers.IntegerField(min_value=1, max_value=50)


class ShiftApi(_Base):
    capability = DutyCapability.PLAN

    @extend_schema(
        request=DutyNeededInput,
        responses={200: DutyShiftOutput, **error_responses(400, 403, 404)},
        summary="更改一个班次需要的人数",
    )
    def patch(self, request: Request, pk: int) -> Response:
        shift = get_visible_or_404(Shift.objects.select_related("post__area"), request.user, pk=pk)
        values = valid_input(DutyNeededInput, request)
        shift = services.shift_needed_set(actor=request.user, shift=shift, needed=values["needed"])
        return Response(DutyShiftOutput(shift).data)


class DutyPeopleOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    name = serializers.CharField(source="person.name")
    unit = serializers.CharField(source="unit.name", default=None)
    area = serializers.CharField(source="area.code")

    class Meta:
        model = DutyPerson
        fields = ["id", "name", "role", "unit", "area", "active"]


class DutyPeopleInput(serializers.Serializer):  # type: ignore[type-arg]
    person = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="registry person id (yours)"
    )
    document_type = serializers.ChoiceField(
        choices=DocumentType.choices, required=False, default=DocumentType.RESIDENT_ID
    )
    document_number = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text="or the document of someone registered anywhere (a unit's volunteer)",
    )
    area = serializers.CharField(
        max_length=32, required=False, default="", help_text="where they serve (with a document)"
    )
    role = serializers.ChoiceField(choices=DutyRole.choices)
    unit = serializers.IntegerField(required=False, allow_null=True, default=None)


class PeopleApi(_Base):
    @extend_schema(responses={200: DutyPeopleOutput(many=True)}, summary="值守人员")
    def get(self, request: Request) -> Response:
        return Response(DutyPeopleOutput(selectors.duty_people(request.user), many=True).data)

    @extend_schema(
        request=DutyPeopleInput,
        responses={201: DutyPeopleOutput, **error_responses(400, 403, 404, 409)},
        summary="把已登记的人员加入值守名单",
    )
    def post(self, request: Request) -> Response:
        if not request.user.can(DutyCapability.PLAN):  # type: ignore[union-attr]
            self.permission_denied(request)
        values = valid_input(DutyPeopleInput, request)
        unit = None
        if values["unit"] is not None:
            from fangkong.units.models import Unit

            unit = get_visible_or_404(Unit, request.user, pk=values["unit"])
        if values["person"] is None:
            if not values["document_number"]:
                raise invalid("person", _("请给出人员编号，或证件号码和值守区域"), "required")
            found = services.duty_person_add_by_document(
                actor=request.user,
                area=area_visible_by_code(user=request.user, code=values["area"]),
                document_type=values["document_type"],
                document_number=values["document_number"],
                role=values["role"],
                unit=unit,
            )
        else:
            person = get_visible_or_404(Person, request.user, pk=values["person"])
            found = services.duty_person_add(
                actor=request.user, area=person.area, person=person, role=values["role"], unit=unit
            )
        return Response(DutyPeopleOutput(found).data, status=status.HTTP_201_CREATED)


class DutyAssignmentOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    post = serializers.IntegerField(source="shift.post_id")
    name = serializers.CharField(source="person.person.name")

    class Meta:
        model = Assignment
        fields = ["id", "post", "shift", "day", "person", "name", "starts_at", "ends_at"]


class DutyAssignInput(serializers.Serializer):  # type: ignore[type-arg]
    shift = serializers.IntegerField()
    day = serializers.DateField()
    person = serializers.IntegerField(help_text="duty person id")


def _duty_person(request: Request, pk: int) -> DutyPerson:
    found = (
        DutyPerson.objects.visible_to(request.user)
        .select_related("person", "area")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise invalid("person", _("值守名单中没有此人"), "unknown_person")
    return found


class _Plan(_Base):
    capability = DutyCapability.PLAN


class AssignmentsApi(_Plan):
    @extend_schema(
        request=DutyAssignInput,
        responses={201: DutyAssignmentOutput, **error_responses(400, 403, 404, 409)},
        summary="排班：把一人排到某值守点某天某班次（时间重叠 409，休息不足、观察中或发热 400）",
    )
    def post(self, request: Request) -> Response:
        values = valid_input(DutyAssignInput, request)
        shift = get_visible_or_404(
            Shift.objects.select_related("post__area"), request.user, pk=values["shift"]
        )
        line = services.assign(
            actor=request.user,
            shift=shift,
            day=values["day"],
            person=_duty_person(request, values["person"]),
        )
        return Response(DutyAssignmentOutput(line).data, status=status.HTTP_201_CREATED)


def _line(request: Request, pk: int) -> Assignment:
    return get_visible_or_404(
        Assignment.objects.select_related("shift__post__area", "person__person", "person__area"),
        request.user,
        pk=pk,
    )


class AssignmentApi(_Plan):
    @extend_schema(responses={204: None, **error_responses(403, 404, 409)}, summary="取消一条排班")
    def delete(self, request: Request, pk: int) -> Response:
        services.unassign(actor=request.user, assignment=_line(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DutySwapInput(serializers.Serializer):  # type: ignore[type-arg]
    first = serializers.IntegerField()
    other = serializers.IntegerField()


class SwapApi(_Plan):
    @extend_schema(
        request=DutySwapInput,
        responses={200: DutyAssignmentOutput(many=True), **error_responses(400, 403, 404, 409)},
        summary="换班：交换两条排班的人员",
    )
    def post(self, request: Request) -> Response:
        values = valid_input(DutySwapInput, request)
        pair = services.swap(
            actor=request.user,
            first=_line(request, values["first"]),
            second=_line(request, values["other"]),
        )
        return Response(DutyAssignmentOutput(pair, many=True).data)


class DutyCopyInput(serializers.Serializer):  # type: ignore[type-arg]
    week = serializers.DateField(help_text="the Monday of the week to fill")


class CopyWeekApi(_Plan):
    @extend_schema(
        request=DutyCopyInput,
        responses={200: dict, **error_responses(400, 403, 404, 409)},
        summary="把上周的排班复制到本周",
    )
    def post(self, request: Request, pk: int) -> Response:
        values = valid_input(DutyCopyInput, request)
        post = get_visible_or_404(Post, request.user, pk=pk)
        copied, skipped = services.copy_week(
            actor=request.user, post=post, week_start=selectors.week_of(values["week"])
        )
        return Response({"copied": copied, "skipped": skipped})


class WeekApi(_Base):
    @extend_schema(
        parameters=[OpenApiParameter("week", str, description="YYYY-MM-DD（所在周）")],
        responses={200: dict, **error_responses(400, 404)},
        summary="值守点一周排班",
    )
    def get(self, request: Request, pk: int) -> Response:
        post = get_visible_or_404(Post, request.user, pk=pk)
        monday = selectors.week_of(parse_day(request.query_params.get("week"), field="week"))
        week = selectors.post_week(post, monday)
        return Response(
            {
                "post": post.pk,
                "week": monday.isoformat(),
                "shifts": [
                    {
                        "shift": row["shift"].pk,
                        "name": row["shift"].name,
                        "days": [
                            {
                                "day": c.day.isoformat(),
                                "needed": c.needed,
                                "rostered": c.rostered,
                                "gap": c.gap,
                                "people": [
                                    {
                                        "assignment": line.pk,
                                        "person": line.person_id,
                                        "name": line.person.person.name,
                                        "observed": line.observed,
                                    }
                                    for line in c.people
                                ],
                            }
                            for c in row["cells"]
                        ],
                    }
                    for row in week["rows"]
                ],
            }
        )


class DutyAttendanceOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    name = serializers.CharField(source="person.person.name")
    unplanned = serializers.BooleanField(read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "post",
            "shift",
            "day",
            "person",
            "name",
            "signed_in_at",
            "signed_out_at",
            "late",
            "unplanned",
        ]


class DutySignInInput(serializers.Serializer):  # type: ignore[type-arg]
    person = serializers.IntegerField(required=False, help_text="duty person id (one tap)")
    token = serializers.CharField(
        required=False, max_length=200, help_text="the person's pass: QR token or number"
    )


class _Sign(_Base):
    capability = DutyCapability.SIGN


class SignInApi(_Sign):
    @extend_schema(
        request=DutySignInInput,
        responses={201: DutyAttendanceOutput, **error_responses(400, 403, 404, 409)},
        summary="值守签到（点名或扫出入证）",
    )
    def post(self, request: Request, pk: int) -> Response:
        values = valid_input(DutySignInInput, request)
        post = get_visible_or_404(Post.objects.select_related("area"), request.user, pk=pk)
        if values.get("person") is not None:
            person = (
                DutyPerson.objects.select_related("person", "area")
                .filter(pk=values["person"], active=True)
                .first()
            )
            if person is None:
                raise invalid("person", _("值守名单中没有此人"), "unknown_person")
        elif values.get("token"):
            person = services.duty_person_by_pass(post=post, token=values["token"])
        else:
            raise invalid("person", _("请选择人员或扫描出入证"), "required")
        attendance = services.sign_in(actor=request.user, post=post, person=person)
        return Response(DutyAttendanceOutput(attendance).data, status=status.HTTP_201_CREATED)


class SignOutApi(_Sign):
    @extend_schema(
        request=None,
        responses={200: DutyAttendanceOutput, **error_responses(400, 403, 404, 409)},
        summary="值守签退",
    )
    def post(self, request: Request, pk: int) -> Response:
        attendance = get_visible_or_404(
            Attendance.objects.select_related("post", "person__person"), request.user, pk=pk
        )
        attendance = services.sign_out(actor=request.user, attendance=attendance)
        return Response(DutyAttendanceOutput(attendance).data)


class HoursApi(_Base):
    @extend_schema(
        parameters=[
            OpenApiParameter("month", str, description="YYYY-MM"),
            OpenApiParameter("area", str),
        ],
        responses={200: dict, **error_responses(400)},
        summary="每月值守时长：按人、按派出单位",
    )
    def get(self, request: Request) -> Response:
        area = _area(request)
        month = parse_month(request.query_params.get("month"))
        people, units = selectors.month_hours(request.user, area, month)
        return Response(
            {
                "month": f"{month:%Y-%m}",
                "people": [vars(r) for r in people],
                "units": [{"unit": r.name, "shifts": r.shifts, "hours": r.hours} for r in units],
            }
        )


def parse_month(value: str | None) -> dt.date:
    from django.utils import timezone

    if not value or not value.strip():
        return timezone.localdate().replace(day=1)
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError:
        raise invalid("month", _("月份应为 年-月，如 2020-03"), "invalid") from None

"""Worker pages for advance notices: the list (pending confirmation first), a notice with
its decision, inspections, letter and spot checks, the forms that move it on, unannounced
arrivals, printable responsibility letters and the community's public link with its QR."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from fangkong.access import selectors as access_selectors
from fangkong.access import services as access_services
from fangkong.access.models import GateReferral
from fangkong.areas.models import LIVING_KINDS, Area, AreaKind
from fangkong.areas.selectors import living_areas_visible_to
from fangkong.arrivals import notices
from fangkong.arrivals.models import (
    ArrivalNotice,
    FiledBy,
    NoticeStatus,
    ObservationMode,
    SpotCheck,
    SpotCheckResult,
)
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.arrivals.public_notices import (
    LIMIT_PER_AREA,
    LIMIT_PER_IP,
    NoticeFields,
    css,
    field_errors,
    origin_choices,
    people_rows,
    put_errors,
    read_people,
)
from fangkong.audit.services import audit_view_record
from fangkong.core.ids import parse_id
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.registry.models import DocumentType, Person, ResidenceKind, Residency
from fangkong.registry.people.services import people_find_by_document
from fangkong.units.models import Unit


def _living_areas(user: Any) -> Any:
    return living_areas_visible_to(user)


def _own_area(request: HttpRequest) -> str | None:
    """The area a form starts with: ?area=, else the worker's own community or zone."""
    user: Any = request.user
    if request.GET.get("area"):
        return request.GET["area"]
    area = getattr(user, "area", None)
    return area.code if area is not None and area.kind in LIVING_KINDS else None


def _units(user: Any) -> Any:
    return Unit.objects.visible_to(user).select_related("area").order_by("name")


def _date_input() -> forms.DateInput:
    # <input type="date"> takes ISO dates only, whatever the page's language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NewUnitFields(forms.Form):
    unit_name = forms.CharField(
        label="新单位名称（列表中没有时填写）", max_length=100, required=False
    )
    unit_contact_name = forms.CharField(label="单位联系人", max_length=50, required=False)
    unit_contact_phone = forms.CharField(
        label="单位联系电话",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )


class WorkerNoticeForm(NoticeFields, NewUnitFields):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        filed_by: Any = self.fields["filed_by"]
        filed_by.widget = forms.Select()
        filed_by.choices = FiledBy.choices
        filed_by.label = "报备人身份"
        mode: Any = self.fields["mode"]
        mode.widget = forms.Select()
        mode.choices = ObservationMode.choices
        mode.label = "观察方式"
        self.fields["area"].label = "社区 / 片区"
        self.fields["area"].required = True
        self.fields["area"].empty_label = "请选择"  # type: ignore[attr-defined]
        self.fields["filer_phone"].help_text = ""
        css(self)


def _unit_from(form: forms.Form, user: Any, area: Area | None) -> Unit | None:
    """The chosen unit, or one registered now from the new-unit fields."""
    data = form.cleaned_data
    if data.get("unit") is not None:
        unit: Unit = data["unit"]
        return unit
    if data.get("unit_name") and area is not None:
        return notices.unit_for_notice(
            actor=user,
            area=area,
            name=data["unit_name"],
            contact_name=data.get("unit_contact_name", ""),
            contact_phone=data.get("unit_contact_phone", ""),
        )
    return None


# --- list and detail ---------------------------------------------------------------------


@capability_required(ArrivalsCapability.VIEW)
def notice_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    params = request.GET
    status = params.get("status", "")
    if status not in NoticeStatus.values:
        status = ""
    qs = notices.notices_for(user=user, status=status, q=params.get("q", ""))
    page = Paginator(qs, 50).get_page(params.get("page"))
    counts = notices.notice_status_counts(user=user)
    return render(
        request,
        "arrivals/notice_list.html",
        {
            "page": page,
            "status": status,
            "params": params,
            "tabs": [(v, label, counts[v]) for v, label in NoticeStatus.choices if counts[v]],
            "total": sum(counts.values()),
            "can_change": user.can(ArrivalsCapability.CHANGE),
            "unit_mode": ObservationMode.UNIT,
        },
    )


def _detail_context(request: HttpRequest, notice: ArrivalNotice) -> dict[str, Any]:
    user: Any = request.user
    inspections = list(notice.inspections.prefetch_related("team").select_related("inspector"))
    status = notice.status
    has_letter = hasattr(notice, "letter")
    can_change = user.can(ArrivalsCapability.CHANGE)
    can_inspect = user.can(ArrivalsCapability.INSPECT)
    is_unit = notice.mode == ObservationMode.UNIT
    return {
        "notice": notice,
        "reference": notices.notice_reference(notice),
        "next_step": notices.notice_next_step(notice),
        "people": notices.notice_people(notice=notice, user=user),
        "landlords": notices.notice_landlords(notice=notice, user=user),
        "inspections": [(i, notices.checklist_rows(i)) for i in inspections],
        "letter": notice.letter if has_letter else None,
        "spot_checks": list(notice.spot_checks.select_related("checked_by")),
        "window": notices.observation_window(notice) if notice.observation_days else None,
        "can_confirm": can_change and status == NoticeStatus.PENDING,
        "can_inspect": can_inspect
        and status in (NoticeStatus.INSPECTION, NoticeStatus.FAILED)
        and notice.mode != ObservationMode.SITE,
        "can_sign": can_change and is_unit and status == NoticeStatus.INSPECTION and not has_letter,
        "can_print": is_unit
        and notice.unit_id is not None
        and status not in (*notices.NOT_COUNTED, NoticeStatus.MUST_DELAY),
        "can_schedule": can_change
        and is_unit
        and status in (NoticeStatus.READY, NoticeStatus.ARRIVED),
        "can_record_check": can_inspect,
        "can_reschedule": can_change and status in (*notices.OPEN_STATUSES, NoticeStatus.READY),
        "needs_unit": is_unit and notice.unit_id is None,
        "units": notices.units_for_area(area=notice.area),
        "unit_form": NewUnitFields(),
    }


@capability_required(ArrivalsCapability.VIEW)
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_visible_or_404(
        ArrivalNotice.objects.select_related("area", "unit", "policy", "address", "confirmed_by"),
        request.user,
        pk=pk,
    )
    return render(request, "arrivals/notice_detail.html", _detail_context(request, notice))


# --- filing, confirming, rejecting ---------------------------------------------------------


@capability_required(ArrivalsCapability.CHANGE)
def notice_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = WorkerNoticeForm(
        request.POST or None,
        areas=_living_areas(user),
        units=_units(user),
        initial={"filed_by": FiledBy.WORKER, "area": _own_area(request)},
    )
    rows = read_people(request.POST) if request.method == "POST" else []
    error: ValidationError | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = notices.notice_file(
                actor=user,
                area=data["area"],
                filed_by=data["filed_by"],
                filer_name=data["filer_name"],
                filer_phone=data["filer_phone"],
                origin_code=data["origin_code"],
                origin_name=data["origin_name"],
                planned_on=data["planned_on"],
                mode=data["mode"],
                people=rows,
                building=data["building"],
                entrance=data["entrance"],
                room=data["room"],
                unit=_unit_from(form, user, data["area"])
                if data["mode"] == ObservationMode.UNIT
                else data["unit"],
                note=data["note"],
            )
        except ValidationError as exc:
            error = exc
            put_errors(form, exc)
        else:
            messages.success(request, f"已报备：{notice.get_status_display()}")
            return redirect("arrivals:notice", pk=notice.pk)
    return render(
        request,
        "arrivals/notice_form.html",
        {
            "form": form,
            "people": people_rows(rows, error),
            "people_error": field_errors(error).get("people"),
            "document_types": DocumentType.choices,
        },
        status=400 if request.method == "POST" else 200,
    )


def _back_with_errors(request: HttpRequest, notice: ArrivalNotice, error: ValidationError) -> None:
    messages.error(request, "；".join(error.messages))


@require_POST
@capability_required(ArrivalsCapability.CHANGE)
def notice_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    notice = get_visible_or_404(ArrivalNotice.objects.select_related("area"), user, pk=pk)
    form = NewUnitFields(request.POST)
    form.is_valid()
    try:
        unit = None
        if request.POST.get("unit"):
            unit = get_visible_or_404(Unit, user, pk=request.POST["unit"])
        elif form.cleaned_data.get("unit_name"):
            unit = _unit_from(form, user, notice.area)
        notice = notices.notice_confirm(actor=user, notice=notice, unit=unit)
    except ValidationError as exc:
        _back_with_errors(request, notice, exc)
    else:
        messages.success(request, f"已确认：{notice.get_status_display()}")
    return redirect("arrivals:notice", pk=pk)


@require_POST
@capability_required(ArrivalsCapability.CHANGE)
def notice_reject(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    notice = get_visible_or_404(ArrivalNotice, user, pk=pk)
    try:
        notices.notice_reject(actor=user, notice=notice, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _back_with_errors(request, notice, exc)
    else:
        messages.success(request, "已标记为不予采信")
    return redirect("arrivals:notice", pk=pk)


class RescheduleForm(forms.Form):
    planned_on = forms.DateField(label="新的到京日期", required=False, widget=_date_input())
    building = forms.CharField(label="新住址：楼栋 / 院", max_length=40, required=False)
    entrance = forms.CharField(label="单元", max_length=20, required=False)
    room = forms.CharField(label="房间", max_length=20, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        css(self)


@capability_required(ArrivalsCapability.CHANGE)
def notice_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    notice = get_visible_or_404(ArrivalNotice.objects.select_related("area"), user, pk=pk)
    form = RescheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notices.notice_reschedule(actor=user, notice=notice, **form.cleaned_data)
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, "已修改")
            return redirect("arrivals:notice", pk=pk)
    return render(
        request,
        "arrivals/notice_reschedule.html",
        {"form": form, "notice": notice, "reference": notices.notice_reference(notice)},
    )


# --- inspection, letter, spot checks -------------------------------------------------------


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(label="核查日期", required=False, widget=_date_input())
    reasons = forms.CharField(
        label="不符合的原因",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="有任何一项不符合时必填；结论按核查项自动得出",
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = notices.CHECKLISTS.get(kind, {})
        for code, label in self.items.items():
            self.fields[f"item_{code}"] = forms.BooleanField(
                label=label,
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
        css(self)

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{code}"] for code in self.items]


def _team_rows(data: Any, kind: str) -> list[dict[str, Any]]:
    if data:
        indices = sorted(
            {
                int(k.split("-")[1])
                for k in data
                if k.startswith("team-") and k.split("-")[1].isdecimal()
            }
        )
        return [
            {
                "name": data.get(f"team-{i}-name", "").strip(),
                "role": data.get(f"team-{i}-role", "").strip(),
            }
            for i in indices
        ]
    roles = notices.JOINT_TEAM_ROLES if kind == ObservationMode.UNIT else notices.HOME_TEAM_ROLES
    return [{"name": "", "role": role} for role in roles]


@capability_required(ArrivalsCapability.INSPECT)
def inspection_new(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    notice = get_visible_or_404(
        ArrivalNotice.objects.select_related("area", "address", "unit"), user, pk=pk
    )
    kind = notice.mode
    form = InspectionForm(
        request.POST or None, kind=kind, initial={"inspected_on": timezone.localdate()}
    )
    team = _team_rows(request.POST, kind)
    team_errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Rows without a name and role are blank lines, not members.
        members = [(r["name"], r["role"]) for r in team if r["name"] or r["role"]]
        team = [r for r in team if r["name"] or r["role"]]
        try:
            inspection = notices.inspection_record(
                actor=user,
                notice=notice,
                kind=kind,
                checklist={code: data[f"item_{code}"] for code in form.items},
                team=members,
                inspected_on=data["inspected_on"],
                reasons=data["reasons"],
            )
        except ValidationError as exc:
            errors = field_errors(exc)
            team_errors = {k: v for k, v in errors.items() if k.startswith("team")}
            others = {k: v for k, v in errors.items() if not k.startswith("team")}
            put_errors(form, ValidationError(others), {"status": "__all__", "kind": "__all__"})
        else:
            messages.success(request, f"核查结论：{inspection.get_result_display()}")
            return redirect("arrivals:notice", pk=pk)
    team.extend({"name": "", "role": ""} for _ in range(2))
    return render(
        request,
        "arrivals/inspection_form.html",
        {
            "form": form,
            "notice": notice,
            "reference": notices.notice_reference(notice),
            "team": [{"i": i, **row} for i, row in enumerate(team)],
            "team_errors": [m for ms in team_errors.values() for m in ms],
            "roles": (*notices.JOINT_TEAM_ROLES, "医务人员", "下沉干部", "房东"),
        },
        status=400 if request.method == "POST" else 200,
    )


class LetterForm(forms.Form):
    signed_on = forms.DateField(label="签订日期", required=False, widget=_date_input())
    unit_signatory = forms.CharField(label="单位负责人", max_length=50, required=False)
    community_signatory = forms.CharField(label="社区负责人", max_length=50, required=False)
    spot_checks = forms.IntegerField(
        label="安排不定期抽查（次）",
        min_value=0,
        max_value=14,
        initial=2,
        required=False,
        help_text="在观察期内随机抽取日期，不告知单位；填 0 则以后再安排",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        css(self)


@capability_required(ArrivalsCapability.CHANGE)
def letter_new(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    notice = get_visible_or_404(ArrivalNotice.objects.select_related("area", "unit"), user, pk=pk)
    form = LetterForm(request.POST or None, initial={"signed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notices.letter_sign(
                actor=user,
                notice=notice,
                signed_on=data["signed_on"],
                unit_signatory=data["unit_signatory"],
                community_signatory=data["community_signatory"],
            )
        except ValidationError as exc:
            put_errors(form, exc, {"status": "__all__", "notice": "__all__", "unit": "__all__"})
        else:
            messages.success(request, "已记录责任书")
            notice.refresh_from_db(fields=["status"])
            if data.get("spot_checks") and notice.status == NoticeStatus.READY:
                _schedule(request, notice, data["spot_checks"])
            elif data.get("spot_checks"):
                messages.info(request, "场所核查通过后，再在本页安排不定期抽查")
            return redirect("arrivals:notice", pk=pk)
    return render(
        request,
        "arrivals/letter_form.html",
        {"form": form, "notice": notice, "reference": notices.notice_reference(notice)},
        status=400 if request.method == "POST" else 200,
    )


def _schedule(request: HttpRequest, notice: ArrivalNotice, count: int) -> None:
    try:
        user: Any = request.user
        checks = notices.spot_checks_schedule(notice=notice, count=count, actor=user)
    except ValidationError as exc:
        messages.error(request, "抽查未安排：" + "；".join(exc.messages))
    else:
        messages.success(request, f"已安排 {len(checks)} 次不定期抽查")


@require_POST
@capability_required(ArrivalsCapability.CHANGE)
def spot_checks_plan(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_visible_or_404(ArrivalNotice, request.user, pk=pk)
    raw = request.POST.get("count", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 3):
        messages.error(request, "抽查次数应为数字")
    else:
        _schedule(request, notice, int(raw))
    return redirect("arrivals:notice", pk=pk)


class SpotCheckForm(forms.Form):
    done_on = forms.DateField(label="抽查日期", required=False, widget=_date_input())
    result = forms.ChoiceField(
        label="结果",
        choices=[c for c in SpotCheckResult.choices if c[0] != SpotCheckResult.PENDING],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        required=False,
    )
    findings = forms.CharField(
        label="情况", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        css(self)


@capability_required(ArrivalsCapability.INSPECT)
def spot_check_record(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    check = get_visible_or_404(
        SpotCheck.objects.select_related("notice__unit", "notice__area"), user, pk=pk
    )
    form = SpotCheckForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notices.spot_check_record(
                actor=user,
                check=check,
                done_on=data["done_on"],
                result=data["result"],
                findings=data["findings"],
            )
        except ValidationError as exc:
            put_errors(form, exc, {"check": "__all__"})
        else:
            messages.success(request, "已记录抽查结果")
            return redirect("arrivals:notice", pk=check.notice_id)
    return render(
        request,
        "arrivals/inspection_spot_check.html",
        {"form": form, "check": check, "notice": check.notice},
        status=400 if request.method == "POST" else 200,
    )


# --- unannounced arrivals -------------------------------------------------------------------


class UnannouncedForm(NewUnitFields):
    name = forms.CharField(label="姓名", max_length=50, required=False)
    document_type = forms.ChoiceField(
        label="证件类型", choices=DocumentType.choices, initial=DocumentType.RESIDENT_ID
    )
    document_number = forms.CharField(
        label="证件号码",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label="电话",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    residency = forms.ChoiceField(
        label="人员类别", choices=Residency.choices, initial=Residency.MIGRANT
    )
    origin_code = forms.ChoiceField(label="从哪里返京", choices=origin_choices, required=False)
    origin_name = forms.CharField(label="具体地点（市、县）", max_length=100, required=False)
    arrived_on = forms.DateField(label="到京日期", required=False, widget=_date_input())
    area = forms.ModelChoiceField(
        label="社区 / 片区", queryset=Area.objects.none(), to_field_name="code"
    )
    mode = forms.ChoiceField(
        label="观察方式", choices=ObservationMode.choices, initial=ObservationMode.HOME
    )
    building = forms.CharField(label="楼栋 / 院", max_length=40, required=False)
    entrance = forms.CharField(label="单元", max_length=20, required=False)
    room = forms.CharField(label="房间", max_length=20, required=False)
    residence_kind = forms.ChoiceField(
        label="居住类型", choices=ResidenceKind.choices, initial=ResidenceKind.TENANT
    )
    landlord_document = forms.CharField(
        label="房东证件号码",
        max_length=40,
        required=False,
        help_text="租住时填写；房东须已在本辖区登记",
    )
    unit = forms.ModelChoiceField(
        label="用工单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="（无 / 不在列表中）",
    )
    note = forms.CharField(
        label="情况说明",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：在小区门岗因无出入证被拦下，已向本人解释政策",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _living_areas(user)  # type: ignore[attr-defined]
        self.fields["area"].empty_label = "请选择"  # type: ignore[attr-defined]
        self.fields["unit"].queryset = _units(user)  # type: ignore[attr-defined]
        css(self)


PERSON_FIELDS = ("name", "document_type", "document_number", "phone", "residency")


def _landlord(request: HttpRequest, number: str) -> Person | None:
    """The landlord by document number, within the worker's area (audited search)."""
    if not number:
        return None
    landlord = people_find_by_document(
        actor=request.user,
        document_type=DocumentType.RESIDENT_ID,
        number=number,
        request=request,
    ).first()
    if landlord is None:
        raise ValidationError({"landlord_document": "房东尚未登记或不在您的辖区，请先登记房东"})
    return landlord


def _referral(request: HttpRequest) -> GateReferral | None:
    """The gate referral the form was opened from (?referral=, from the referral list)."""
    raw = request.GET.get("referral", "")
    if not raw:
        return None
    pk = parse_id(raw)
    if pk is None:
        raise Http404
    return get_visible_or_404(
        GateReferral.objects.select_related("area", "gate", "person"), request.user, pk=pk
    )


@capability_required(ArrivalsCapability.CHANGE)
def unannounced_new(request: HttpRequest) -> HttpResponse:
    """一步登记: a returnee stopped at a gate without notice or pass; opened from a gate
    referral, the form starts with what the referral knows and registering handles it."""
    user: Any = request.user
    referral = _referral(request)
    initial: dict[str, Any] = {"arrived_on": timezone.localdate(), "area": _own_area(request)}
    if referral is not None and request.method != "POST":
        initial |= access_selectors.referral_arrival_initial(referral=referral)
        if referral.person is not None:  # their document and phone are shown in full
            audit_view_record(
                actor=user, obj=referral.person, request=request, detail="门岗转交：登记返京"
            )
    form = UnannouncedForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            landlord = _landlord(request, data["landlord_document"].strip())
            registration: dict[str, Any] = {
                "area": data["area"],
                "person_data": {k: data[k] for k in PERSON_FIELDS},
                "origin_code": data["origin_code"],
                "origin_name": data["origin_name"],
                "arrived_on": data["arrived_on"],
                "building": data["building"],
                "entrance": data["entrance"],
                "room": data["room"],
                "landlord": landlord,
                "mode": data["mode"],
                "unit": _unit_from(form, user, data["area"]),
                "residence_kind": data["residence_kind"],
                "note": data["note"],
            }
            if referral is None:
                notice = notices.unannounced_register(actor=user, **registration)
            else:
                notice = access_services.referral_register_arrival(
                    actor=user, referral=referral, **registration
                )
        except ValidationError as exc:
            aliases = {f"person.{k}": k for k in PERSON_FIELDS} | {"landlord": "landlord_document"}
            put_errors(form, exc, aliases)
        else:
            messages.success(request, f"已登记：{notice.get_status_display()}")
            return redirect("arrivals:notice", pk=notice.pk)
    return render(
        request,
        "arrivals/unannounced_form.html",
        {"form": form, "referral": referral},
        status=400 if request.method == "POST" else 200,
    )


# --- printing and the public link ---------------------------------------------------------


def _ids(request: HttpRequest) -> list[int]:
    raw = ",".join(request.GET.getlist("ids"))
    parts = map(parse_id, raw.replace("，", ",").split(","))
    return [i for i in parts if i is not None]


@capability_required(ArrivalsCapability.VIEW)
def letters_print(request: HttpRequest) -> HttpResponse:
    """《疫情防控责任书》 for one or many unit notices, one A4 page each."""
    ids = _ids(request)
    sheets = notices.letters_for_print(user=request.user, ids=ids)
    return render(
        request,
        "arrivals/letter_print.html",
        {"sheets": sheets, "asked": len(ids), "skipped": len(set(ids)) - len(sheets)},
    )


def _link_areas(user: Any) -> list[Area]:
    areas = Area.objects.visible_to(user).current()
    communities = list(
        areas.filter(kind__in=[AreaKind.COMMUNITY, AreaKind.VILLAGE]).order_by("path")
    )
    return communities or list(areas.filter(kind=AreaKind.ZONE).order_by("path"))


@capability_required(ArrivalsCapability.VIEW)
def notice_link(request: HttpRequest) -> HttpResponse:
    """The community's public notice link and its QR code, to send or print and post."""
    areas = _link_areas(request.user)
    chosen = next((a for a in areas if a.code == request.GET.get("area")), None)
    area = chosen or (areas[0] if areas else None)
    url = qr = ""
    if area is not None:
        token = notices.notice_link_token(area)
        url = request.build_absolute_uri(reverse("public:notice", args=[token]))
        # segno writes the SVG itself from the URL: nothing user-typed goes in unescaped.
        qr = mark_safe(segno.make(url, error="m").svg_inline(scale=6, border=2))  # noqa: S308
    return render(
        request,
        "arrivals/notice_link.html",
        {
            "areas": areas,
            "area": area,
            "url": url,
            "qr": qr,
            "per_ip": LIMIT_PER_IP,
            "per_area": LIMIT_PER_AREA,
        },
    )

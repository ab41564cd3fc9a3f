"""The public advance-notice page (返京报备): a returnee, a landlord or an employer files a
notice on a phone, without an account, through the community's link or QR code
(/r/notice/<token>/, the token being the community's code signed by the server).

Abuse is held off three ways: a forged link answers 404; a client address may file 5
notices an hour and a community receives at most 50 an hour (429 beyond); a honeypot field
that people never see catches simple bots. And nothing filed here counts until a worker
has called the filer and confirmed it."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.cache import never_cache

from fangkong.areas.models import Area, AreaKind
from fangkong.arrivals import notices
from fangkong.arrivals.models import FiledBy, ObservationMode
from fangkong.audit.services import client_ip
from fangkong.policy.models import PolicyVersion
from fangkong.registry.models import DocumentType
from fangkong.units.models import Unit

LIMIT_PER_IP = 5
LIMIT_PER_AREA = 50
WINDOW_SECONDS = 3600

PERSON_KEYS = ("name", "document_type", "document_number", "phone")


# --- pieces shared with the worker's form (views_notices) ------------------------------


def read_people(data: Any) -> list[dict[str, str]]:
    """The repeated person rows of a notice form (people-<i>-<field>), in order, blank
    rows dropped — so row i on the page is people.i in the service's errors."""
    indices = sorted(
        {
            int(key.split("-")[1])
            for key in data
            if key.startswith("people-") and key.count("-") == 2 and key.split("-")[1].isdecimal()
        }
    )
    rows = []
    for i in indices:
        row = {k: str(data.get(f"people-{i}-{k}", "")).strip() for k in PERSON_KEYS}
        if row["name"] or row["document_number"] or row["phone"]:
            row["document_type"] = row["document_type"] or DocumentType.RESIDENT_ID
            rows.append(row)
    return rows


def field_errors(error: ValidationError | None) -> dict[str, list[str]]:
    """Field → messages of a service error; errors about no field go under "__all__"."""
    if error is None:
        return {}
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return {"__all__": list(error.messages)}


def people_rows(rows: list[dict[str, str]], error: ValidationError | None) -> list[dict[str, Any]]:
    """Rows for the template, each with its own errors (people.<i>.<field>)."""
    messages = field_errors(error)
    out: list[dict[str, Any]] = []
    blank: list[dict[str, str]] = [{"document_type": DocumentType.RESIDENT_ID}]
    for i, row in enumerate(rows or blank):
        errors = {
            k: messages.get(f"people.{i}.{k}", [])
            for k in ("name", "document_type", "document_number", "phone")
        }
        out.append({"i": i, "n": i + 1, **row, "errors": errors})
    return out


def origin_choices() -> list[tuple[str, str]]:
    return [("", "请选择省份 / 境外"), *notices.PROVINCES.items()]


def css(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput | forms.HiddenInput):
            continue
        widget.attrs.setdefault(
            "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
        )


def put_errors(
    form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """A service's field-named errors onto the form; people.* stay with their rows."""
    aliases = aliases or {}
    for name, messages in field_errors(error).items():
        if name.startswith("people."):
            continue
        target = aliases.get(name, name)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)


class NoticeFields(forms.Form):
    """The fields of a notice; rules live in arrivals.notices (one place for page and API)."""

    filed_by = forms.ChoiceField(
        label="您的身份",
        choices=[(v, label) for v, label in FiledBy.choices if v != FiledBy.WORKER],
        initial=FiledBy.RETURNEE,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    filer_name = forms.CharField(label="报备人姓名", max_length=50, required=False)
    filer_phone = forms.CharField(
        label="报备人电话",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text="社区会打这个电话和您核实",
    )
    origin_code = forms.ChoiceField(label="从哪里返京", choices=origin_choices, required=False)
    origin_name = forms.CharField(
        label="具体地点（市、县）", max_length=100, required=False, help_text="如：河南省信阳市"
    )
    planned_on = forms.DateField(
        label="计划到京日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    mode = forms.ChoiceField(
        label="到京后在哪里观察",
        choices=ObservationMode.choices,
        initial=ObservationMode.HOME,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    area = forms.ModelChoiceField(
        label="片区", queryset=Area.objects.none(), to_field_name="code", required=False
    )
    building = forms.CharField(label="楼栋 / 院", max_length=40, required=False)
    entrance = forms.CharField(label="单元", max_length=20, required=False)
    room = forms.CharField(label="房间", max_length=20, required=False)
    unit = forms.ModelChoiceField(
        label="用工单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="（无 / 不在列表中）",
    )
    note = forms.CharField(
        label="说明", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, areas: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class PublicNoticeForm(NoticeFields):
    unit_name = forms.CharField(
        label="单位名称（不在列表中时填写）", max_length=100, required=False
    )
    # Honeypot: hidden from people (CSS and aria), filled by form-stuffing bots.
    website = forms.CharField(
        label="网站",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].empty_label = "不清楚 / 不在片区内"  # type: ignore[attr-defined]
        css(self)


# --- rate limit ------------------------------------------------------------------------


def _keys(ip: str, area: Area) -> tuple[str, str]:
    window = int(time.time() // WINDOW_SECONDS)
    return f"fk:notice-rate:ip:{ip}:{window}", f"fk:notice-rate:area:{area.code}:{window}"


def _over_limit(ip: str, area: Area) -> bool:
    by_ip, by_area = _keys(ip, area)
    return bool(
        int(cache.get(by_ip, 0)) >= LIMIT_PER_IP or int(cache.get(by_area, 0)) >= LIMIT_PER_AREA
    )


def _count(ip: str, area: Area) -> None:
    for key in _keys(ip, area):
        if not cache.add(key, 1, WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, WINDOW_SECONDS)


# --- pages -------------------------------------------------------------------------------


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "arrivals/notice_public_invalid.html", status=404)


def _policy_today() -> PolicyVersion | None:
    return PolicyVersion.objects.filter(effective_from__lte=timezone.localdate()).first()


@never_cache
def notice_public(request: HttpRequest, token: str) -> HttpResponse:
    community = notices.area_for_notice_token(token)
    if community is None:
        return _invalid_link(request)
    zones = Area.objects.current().filter(parent=community, kind=AreaKind.ZONE).order_by("code")
    units = notices.units_for_area(area=community)
    form = PublicNoticeForm(request.POST or None, areas=zones, units=units)
    rows = read_people(request.POST) if request.method == "POST" else []
    error: ValidationError | None = None
    status = 200
    if request.method == "POST":
        ip = client_ip(request) or "unknown"
        if _over_limit(ip, community):
            return render(
                request,
                "arrivals/notice_public_limited.html",
                {"community": community, "per_ip": LIMIT_PER_IP},
                status=429,
            )
        if request.POST.get("website"):
            _count(ip, community)  # a bot's try counts against its address
            form.add_error(None, "提交未成功，请刷新页面后重新填写。")
            status = 400
        elif form.is_valid():
            data = form.cleaned_data
            note = data["note"]
            if data["unit_name"] and data["unit"] is None:
                note = f"用工单位：{data['unit_name']}（未在社区登记）" + (
                    f"；{note}" if note else ""
                )
            try:
                notice = notices.notice_file(
                    actor=None,
                    area=data["area"] or community,
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
                    unit=data["unit"],
                    note=note[:300],
                )
            except ValidationError as exc:
                error = exc
                put_errors(form, exc)
                status = 400
            else:
                _count(ip, community)
                return redirect(
                    "public:notice-done", token=token, ref=notices.notice_done_token(notice)
                )
        else:
            status = 400
    return render(
        request,
        "arrivals/notice_public.html",
        {
            "community": community,
            "form": form,
            "people": people_rows(rows, error),
            "people_error": field_errors(error).get("people"),
            "document_types": DocumentType.choices,
            "policy": _policy_today(),
            "has_zones": zones.exists(),
            "has_units": units.exists(),
        },
        status=status,
    )


@never_cache
def notice_public_done(request: HttpRequest, token: str, ref: str) -> HttpResponse:
    community = notices.area_for_notice_token(token)
    notice = notices.notice_for_done_token(ref)
    if (
        community is None
        or notice is None
        or not (notice.area.pk == community.pk or notice.area.parent_id == community.pk)
    ):
        return _invalid_link(request)
    return render(
        request,
        "arrivals/notice_public_done.html",
        {
            "community": community,
            "notice": notice,
            "reference": notices.notice_reference(notice),
            "people_count": notice.people.count(),
            "token": token,
        },
    )


urlpatterns: list[URLPattern] = [
    path("notice/<str:token>/", notice_public, name="notice"),
    path("notice/<str:token>/done/<str:ref>/", notice_public_done, name="notice-done"),
]

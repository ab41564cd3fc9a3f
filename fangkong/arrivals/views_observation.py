"""Observation pages: lists by state and due date, a person's observation timeline with its
forms, alerts for medical staff, call tasks, and the printable A4 paperwork (observation
notices with the self-report QR code, release certificates), one or many at once."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area
from fangkong.areas.selectors import living_areas_visible_to
from fangkong.arrivals import observation as services
from fangkong.arrivals import selectors_observation as selectors
from fangkong.arrivals.models import (
    SYMPTOMS,
    Alert,
    CallTask,
    CallTaskStatus,
    Observation,
    ObservationMode,
    ObservationStatus,
    Slot,
)
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.audit.services import audit_export
from fangkong.core.ids import parse_id
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.registry.models import Person, Residence
from fangkong.registry.module import RegistryCapability
from fangkong.units.models import Unit

PRINT_LIMIT = 500


# --- forms: structure only; the rules are in arrivals.observation -----------------------------
def _css(form: forms.Form) -> None:
    for f in form.fields.values():
        widget = f.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _css(self)

    def add_domain_errors(self, exc: ValidationError) -> None:
        for name, errors in exc.message_dict.items():
            self.add_error(name if name in self.fields else None, errors)


def _date_input() -> forms.DateInput:
    # <input type="date"> takes ISO dates only, whatever the locale's input formats are.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StartForm(_Form):
    area = forms.ModelChoiceField(
        label="观察所在社区 / 片区", queryset=Area.objects.none(), to_field_name="code"
    )
    mode = forms.ChoiceField(label="观察方式", choices=ObservationMode.choices)
    arrived_on = forms.DateField(
        label="到京日期（第 1 天）", widget=_date_input(), initial=timezone.localdate
    )
    days = forms.IntegerField(
        label="观察天数", required=False, help_text="留空则按到京当天生效的政策（如 14 天）"
    )
    unit = forms.ModelChoiceField(
        label="观察单位（单位集中观察）", queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = (  # type: ignore[attr-defined]
            living_areas_visible_to(user)
        )
        self.fields["unit"].queryset = Unit.objects.visible_to(user)  # type: ignore[attr-defined]


class DaysForm(_Form):
    days = forms.IntegerField(label="天数", min_value=1, widget=forms.NumberInput())
    reason = forms.CharField(label="原因", max_length=300)


class ReleaseForm(_Form):
    on = forms.DateField(label="解除日期", widget=_date_input(), initial=timezone.localdate)


class HospitalForm(_Form):
    on = forms.DateField(label="转送日期", widget=_date_input(), initial=timezone.localdate)
    reason = forms.CharField(label="原因（送往哪家发热门诊 / 医院）", max_length=300)


class CancelForm(_Form):
    reason = forms.CharField(label="撤销原因", max_length=300)


class ReportForm(_Form):
    on = forms.DateField(label="日期", widget=_date_input(), initial=timezone.localdate)
    slot = forms.ChoiceField(label="时段", choices=Slot.choices, initial=services.current_slot)
    temperature = forms.CharField(
        label="体温（°C）",
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    symptoms = forms.MultipleChoiceField(
        label="症状",
        choices=list(SYMPTOMS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class HandleForm(_Form):
    handling = forms.CharField(label="处置情况", max_length=200)


class NoteForm(_Form):
    note = forms.CharField(label="电话询问情况", max_length=200)


ACTION_FORMS: dict[str, type[_Form]] = {
    "extend": DaysForm,
    "shorten": DaysForm,
    "release": ReleaseForm,
    "hospital": HospitalForm,
    "cancel": CancelForm,
    "report": ReportForm,
}


# --- lists -------------------------------------------------------------------------------------
@capability_required(ArrivalsCapability.VIEW)
def observation_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    params = request.GET
    tab = params.get("tab", "active")
    if tab not in selectors.TABS:
        tab = "active"
    areas = living_areas_visible_to(user)
    area = areas.filter(code=params.get("area")).first() if params.get("area") else None
    qs = selectors.observations_list(
        user=user, tab=tab, area=area, name=params.get("q", "").strip()
    )
    page = Paginator(qs, 50).get_page(params.get("page"))
    today = timezone.localdate()
    for o in page:
        o.day_today = o.day_number(today)  # type: ignore[attr-defined]
    counts = selectors.tab_counts(user=user)
    return render(
        request,
        "arrivals/observation_list.html",
        {
            "page": page,
            "tab": tab,
            "tabs": [(key, label, counts[key]) for key, label in selectors.TABS.items()],
            "areas": areas,
            "area": area,
            "params": params,
            "today": today,
            "can_change": user.can(ArrivalsCapability.CHANGE),
        },
    )


# --- one observation ----------------------------------------------------------------------------
def _self_report_url(request: HttpRequest, observation: Observation) -> str:
    token = services.self_report_token(observation=observation)
    return request.build_absolute_uri(reverse("public:self-report", args=[token]))


def _qr_svg(url: str, scale: int = 3) -> SafeString:
    # segno writes the SVG itself from the URL we built: nothing user-typed goes in raw.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale, border=2))  # noqa: S308


def _detail(
    request: HttpRequest,
    observation: Observation,
    *,
    bound: dict[str, _Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    forms_ = {name: cls(prefix=name) for name, cls in ACTION_FORMS.items()}
    forms_.update(bound or {})
    context: dict[str, Any] = {
        "observation": observation,
        **selectors.observation_timeline(user=user, observation=observation),
        "forms": forms_,
        "today": today,
        "day": observation.day_number(today),
        "can_change": user.can(ArrivalsCapability.CHANGE),
        "can_record": user.can(ArrivalsCapability.HEALTH_RECORD),
        "can_hospital": user.can(ArrivalsCapability.CHANGE)
        or user.can(ArrivalsCapability.ALERTS_HANDLE),
        "can_handle": user.can(ArrivalsCapability.ALERTS_HANDLE),
        "is_active": observation.status == ObservationStatus.ACTIVE,
        "fever_threshold": observation.policy.fever_threshold,
        "handle_form": HandleForm(),
        "note_form": NoteForm(),
    }
    failed = next(((n, f) for n, f in (bound or {}).items() if f.errors), None)
    if failed is not None:
        # The forms sit far down a long page: say at the top what went wrong, and where.
        name, form = failed
        context["failed"] = {
            "name": name,
            "title": ACTION_TITLES[name],
            "errors": [
                f"{form[field].label}：{message}" if field in form.fields else message
                for field, messages_ in form.errors.items()
                for message in messages_
            ],
        }
    if observation.status == ObservationStatus.ACTIVE and context["can_record"]:
        url = _self_report_url(request, observation)
        context["self_report_url"] = url
        context["self_report_qr"] = _qr_svg(url)
    return render(request, "arrivals/observation_detail.html", context, status=status)


def _visible_observation(request: HttpRequest, pk: int) -> Observation:
    return get_visible_or_404(
        Observation.objects.select_related("person", "area", "address", "unit", "policy"),
        request.user,
        pk=pk,
    )


@capability_required(ArrivalsCapability.VIEW)
def observation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible_observation(request, pk))


def _may(user: Any, action: str) -> bool:
    if action == "report":
        return bool(user.can(ArrivalsCapability.HEALTH_RECORD))
    if action == "hospital":
        return bool(
            user.can(ArrivalsCapability.CHANGE) or user.can(ArrivalsCapability.ALERTS_HANDLE)
        )
    return bool(user.can(ArrivalsCapability.CHANGE))


ACTION_TITLES = {
    "report": "代填体温",
    "extend": "延长观察",
    "shorten": "缩短观察",
    "release": "解除观察",
    "hospital": "转送医院",
    "cancel": "撤销观察",
}
DONE_MESSAGES = {
    "extend": "已延长观察",
    "shorten": "已缩短观察",
    "release": "已解除观察",
    "hospital": "已记录转送医院",
    "cancel": "已撤销观察",
}


def _apply(user: Any, observation: Observation, action: str, data: dict[str, Any]) -> str:
    if action == "extend":
        services.observation_extend(
            actor=user, observation=observation, days=data["days"], reason=data["reason"]
        )
    elif action == "shorten":
        services.observation_shorten(
            actor=user, observation=observation, days=data["days"], reason=data["reason"]
        )
    elif action == "release":
        services.observation_release(actor=user, observation=observation, on=data["on"])
    elif action == "hospital":
        services.observation_to_hospital(
            actor=user, observation=observation, on=data["on"], reason=data["reason"]
        )
    elif action == "cancel":
        services.observation_cancel(actor=user, observation=observation, reason=data["reason"])
    else:
        result = services.report_submit(
            observation=observation,
            on=data["on"],
            slot=data["slot"],
            temperature=data["temperature"],
            symptoms=data["symptoms"],
            by_self=False,
            actor=user,
        )
        report = result.report
        label = f"{report.on} {report.get_slot_display()} {report.temperature}°C"
        if not result.created:
            return f"该时段已有报告（{label}），未重复记录"
        return f"已记录 {label}" + ("，已向医务人员发出预警" if result.alert else "")
    return DONE_MESSAGES[action]


@require_POST
@capability_required(ArrivalsCapability.VIEW)
def observation_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: Any = request.user
    if not _may(user, action):
        raise PermissionDenied
    observation = _visible_observation(request, pk)
    form = ACTION_FORMS[action](request.POST, prefix=action)
    if form.is_valid():
        try:
            text = _apply(user, observation, action, form.cleaned_data)
        except ValidationError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, text)
            return redirect("arrivals:observation", pk=observation.pk)
    observation.refresh_from_db()
    return _detail(request, observation, bound={action: form}, status=400)


@capability_required(ArrivalsCapability.CHANGE)
def observation_new(request: HttpRequest) -> HttpResponse:
    """Start an observation for a registered person: find them, then fill in the arrival."""
    user: Any = request.user
    person_id = request.POST.get("person") or request.GET.get("person", "")
    person = None
    person_pk = parse_id(person_id)
    if person_pk is not None:
        person = get_visible_or_404(
            Person.objects.active().select_related("area"), user, pk=person_pk
        )
    q = request.GET.get("q", "").strip()
    found = (
        Person.objects.visible_to(user).active().filter(name__contains=q)[:20]
        if q and person is None
        else []
    )
    initial: dict[str, Any] = {}
    if person is not None:
        initial["area"] = person.area.code
    form = StartForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and person is not None and form.is_valid():
        data = form.cleaned_data
        home = Residence.objects.current().filter(person=person).select_related("address").first()
        try:
            observation = services.observation_start(
                actor=user,
                person=person,
                area=data["area"],
                mode=data["mode"],
                arrived_on=data["arrived_on"],
                address=home.address if home else None,
                unit=data["unit"],
                days=data["days"],
            )
        except ValidationError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, f"已开始观察 {person.name}，至 {observation.last_day}")
            return redirect("arrivals:observation", pk=observation.pk)
    return render(
        request,
        "arrivals/observation_new.html",
        {"form": form, "person": person, "q": q, "found": found},
        status=400 if request.method == "POST" and form.errors else 200,
    )


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


# --- alerts and call tasks ---------------------------------------------------------------------
@capability_required(ArrivalsCapability.VIEW)
def alert_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    state = request.GET.get("state", "open")
    page = Paginator(selectors.alerts_list(user=user, state=state), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "arrivals/alert_list.html",
        {
            "page": page,
            "state": state,
            "form": HandleForm(),
            "can_handle": user.can(ArrivalsCapability.ALERTS_HANDLE),
            # A fever at a gate alerts about a person under no observation: their page.
            "can_view_people": user.can(RegistryCapability.VIEW),
        },
    )


@require_POST
@capability_required(ArrivalsCapability.ALERTS_HANDLE)
def alert_handle(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_visible_or_404(Alert, request.user, pk=pk)
    form = HandleForm(request.POST)
    if form.is_valid():
        try:
            services.alert_handle(
                actor=request.user, alert=alert, handling=form.cleaned_data["handling"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"已记录对 {alert.person.name} 的处置")
    else:
        messages.error(request, "请填写处置情况")
    return redirect(_next(request, "arrivals:alerts"))


@capability_required(ArrivalsCapability.VIEW)
def task_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    state = request.GET.get("state", CallTaskStatus.OPEN)
    page = Paginator(selectors.call_tasks_list(user=user, state=state), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "arrivals/task_list.html",
        {
            "page": page,
            "state": state,
            "form": NoteForm(),
            "can_record": user.can(ArrivalsCapability.HEALTH_RECORD),
        },
    )


@require_POST
@capability_required(ArrivalsCapability.HEALTH_RECORD)
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(
        CallTask.objects.select_related("observation__person"), request.user, pk=pk
    )
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.call_task_done(actor=request.user, task=task, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"已完成对 {task.observation.person.name} 的电话询问")
    else:
        messages.error(request, "请填写电话询问的情况")
    return redirect(_next(request, "arrivals:tasks"))


# --- printable paperwork -----------------------------------------------------------------------
def _ids(request: HttpRequest) -> list[int]:
    raw = [part for value in request.GET.getlist("ids") for part in value.split(",")]
    return [i for i in map(parse_id, raw) if i is not None][:PRINT_LIMIT]


def _printable(request: HttpRequest) -> list[Observation]:
    ids = _ids(request)
    if not ids:
        return []
    return list(
        Observation.objects.visible_to(request.user)
        .filter(pk__in=ids)
        .select_related("person", "area", "area__parent", "address", "unit", "policy")
        .order_by("area__path", "person__name", "id")
    )


@capability_required(ArrivalsCapability.VIEW)
def print_notices(request: HttpRequest) -> HttpResponse:
    """居家观察告知书 (or 集中观察告知书): what the observation means, the dates, the
    personal self-report QR code. Active observations only."""
    chosen = _printable(request)
    sheets = [
        {
            "observation": o,
            "url": (url := _self_report_url(request, o)),
            "qr": _qr_svg(url, scale=4),
        }
        for o in chosen
        if o.status == ObservationStatus.ACTIVE
    ]
    skipped = [o for o in chosen if o.status != ObservationStatus.ACTIVE]
    if sheets:
        audit_export(
            actor=request.user, what="observation_notices", rows=len(sheets), request=request
        )
    return render(
        request,
        "arrivals/print_notices.html",
        {"sheets": sheets, "skipped": skipped, "today": timezone.localdate()},
    )


@capability_required(ArrivalsCapability.VIEW)
def print_certificates(request: HttpRequest) -> HttpResponse:
    """解除观察证明 for released observations."""
    chosen = _printable(request)
    sheets = [o for o in chosen if o.status == ObservationStatus.RELEASED]
    skipped = [o for o in chosen if o.status != ObservationStatus.RELEASED]
    if sheets:
        audit_export(
            actor=request.user, what="release_certificates", rows=len(sheets), request=request
        )
    return render(
        request,
        "arrivals/print_certificates.html",
        {"sheets": sheets, "skipped": skipped, "today": timezone.localdate()},
    )

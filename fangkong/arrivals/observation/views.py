"""Observation pages: lists by state and due date, a person's observation timeline with
its forms (the health report a worker takes by phone among them), and the printable A4
paperwork (observation notices with the self-report QR code, release certificates), one
or many at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from fangkong.areas.selectors import living_areas_visible_to
from fangkong.arrivals.health.forms import HandleForm, NoteForm, ReportForm
from fangkong.arrivals.health.services import (
    current_slot,
    due_slots,
    report_submit,
    self_report_token,
)
from fangkong.arrivals.models import Arrival, ArrivalNotice, Observation, ObservationStatus, Slot
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.arrivals.observation.forms import (
    ArriveForm,
    BaseForm,
    CancelForm,
    DaysForm,
    HospitalForm,
    ReleaseForm,
    StartForm,
)
from fangkong.arrivals.observation.selectors import (
    TABS,
    observation_timeline,
    observations_list,
    tab_counts,
)
from fangkong.arrivals.observation.services import (
    notice_arrive,
    observation_cancel,
    observation_extend,
    observation_release,
    observation_shorten,
    observation_start,
    observation_to_hospital,
)
from fangkong.audit.services import audit_export
from fangkong.core.forms import put_errors
from fangkong.core.ids import parse_id
from fangkong.core.qr import qr_svg
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.registry.models import Person, Residence

PRINT_LIMIT = 500

ACTION_FORMS: dict[str, type[BaseForm]] = {
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
    if tab not in TABS:
        tab = "active"
    areas = living_areas_visible_to(user)
    area = areas.filter(code=params.get("area")).first() if params.get("area") else None
    qs = observations_list(user=user, tab=tab, area=area, name=params.get("q", "").strip())
    page = Paginator(qs, 50).get_page(params.get("page"))
    today = timezone.localdate()
    now_slot = current_slot()
    for o in page:
        o.day_today = o.day_number(today)  # type: ignore[attr-defined]
        o.today_slots = _today_slots(o, today, now_slot)  # type: ignore[attr-defined]
    counts = tab_counts(user=user)
    return render(
        request,
        "arrivals/observation_list.html",
        {
            "page": page,
            "tab": tab,
            "tabs": [(key, _(label), counts[key]) for key, label in TABS.items()],
            "areas": areas,
            "area": area,
            "params": params,
            "today": today,
            "can_change": user.can(ArrivalsCapability.CHANGE),
        },
    )


def _today_slots(o: Observation, today: dt.date, now_slot: str) -> list[dict[str, Any]]:
    """Today's half days of one observation: the reading, or whether it is missing (due
    already) or still to come (the evening before noon)."""
    reports = {r.slot: r for r in getattr(o, "today_reports", [])}
    shown = [s for s in (Slot.MORNING, Slot.EVENING) if s in reports or s in due_slots(o, today)]
    return [
        {
            "label": Slot(slot).label,
            "report": reports.get(slot),
            "missing": slot not in reports and (slot == Slot.MORNING or now_slot == Slot.EVENING),
        }
        for slot in shown
    ]


# --- one observation ----------------------------------------------------------------------------
def _self_report_url(request: HttpRequest, observation: Observation) -> str:
    token = self_report_token(observation=observation)
    return request.build_absolute_uri(reverse("public:self-report", args=[token]))


def _detail(
    request: HttpRequest,
    observation: Observation,
    *,
    bound: dict[str, BaseForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    forms_ = {name: cls(prefix=name) for name, cls in ACTION_FORMS.items()}
    # Release: offered from its first possible day, which is what the form starts with.
    forms_["release"] = ReleaseForm(prefix="release", initial={"on": today})
    forms_.update(bound or {})
    context: dict[str, Any] = {
        "observation": observation,
        **observation_timeline(user=user, observation=observation),
        "forms": forms_,
        "today": today,
        "day": observation.day_number(today),
        "can_change": user.can(ArrivalsCapability.CHANGE),
        "can_record": user.can(ArrivalsCapability.HEALTH_RECORD),
        "can_hospital": user.can(ArrivalsCapability.CHANGE)
        or user.can(ArrivalsCapability.ALERTS_HANDLE),
        "can_handle": user.can(ArrivalsCapability.ALERTS_HANDLE),
        "is_active": observation.status == ObservationStatus.ACTIVE,
        "can_release_now": observation.release_on <= today,
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
            "title": _(ACTION_TITLES[name]),
            "errors": [
                f"{form[field].label}：{message}" if field in form.fields else message
                for field, messages_ in form.errors.items()
                for message in messages_
            ],
        }
    if observation.status == ObservationStatus.ACTIVE and context["can_record"]:
        url = _self_report_url(request, observation)
        context["self_report_url"] = url
        context["self_report_qr"] = qr_svg(url, scale=3)
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
    "report": gettext_noop("代填体温"),
    "extend": gettext_noop("延长观察"),
    "shorten": gettext_noop("缩短观察"),
    "release": gettext_noop("解除观察"),
    "hospital": gettext_noop("转送医院"),
    "cancel": gettext_noop("撤销观察"),
}
DONE_MESSAGES = {
    "extend": gettext_noop("已延长观察"),
    "shorten": gettext_noop("已缩短观察"),
    "release": gettext_noop("已解除观察"),
    "hospital": gettext_noop("已记录转送医院"),
    "cancel": gettext_noop("已撤销观察"),
}


def _apply(user: Any, observation: Observation, action: str, data: dict[str, Any]) -> str:
    if action == "extend":
        observation_extend(
            actor=user, observation=observation, days=data["days"], reason=data["reason"]
        )
    elif action == "shorten":
        observation_shorten(
            actor=user, observation=observation, days=data["days"], reason=data["reason"]
        )
    elif action == "release":
        observation_release(actor=user, observation=observation, on=data["on"])
    elif action == "hospital":
        observation_to_hospital(
            actor=user, observation=observation, on=data["on"], reason=data["reason"]
        )
    elif action == "cancel":
        observation_cancel(actor=user, observation=observation, reason=data["reason"])
    else:
        result = report_submit(
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
            return _("该时段已有报告（%(label)s），未重复记录") % {"label": label}
        return _("已记录 %(label)s") % {"label": label} + (
            _("，已向医务人员发出预警") if result.alert else ""
        )
    return _(DONE_MESSAGES[action])


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
            observation = observation_start(
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
            messages.success(
                request,
                _("已开始观察 %(name)s，至 %(last)s")
                % {"name": person.name, "last": observation.last_day},
            )
            return redirect("arrivals:observation", pk=observation.pk)
    return render(
        request,
        "arrivals/observation_new.html",
        {"form": form, "person": person, "q": q, "found": found},
        status=400 if request.method == "POST" and form.errors else 200,
    )


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
            "qr": qr_svg(url, scale=4),
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


@capability_required(ArrivalsCapability.CHANGE)
def notice_arrive_page(request: HttpRequest, pk: int) -> HttpResponse:
    """登记到京: tick who of the group arrived (all ticked at first) and who is not coming."""
    notice = get_visible_or_404(ArrivalNotice.objects.select_related("area"), request.user, pk=pk)
    expected = list(notice.people.filter(arrival=Arrival.EXPECTED).order_by("id"))
    initial = {"arrived_on": timezone.localdate(), "people": [row.pk for row in expected]}
    form = ArriveForm(request.POST or None, expected=expected, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            observations = notice_arrive(
                actor=request.user,
                notice=notice,
                arrived_on=data["arrived_on"],
                people=data["people"],
                no_show=data["no_show"],
            )
        except ValidationError as exc:
            put_errors(form, exc, {"notice": "__all__"})
        else:
            messages.success(
                request, _("已登记到京 %(n)d 人，观察已开始") % {"n": len(observations)}
            )
            return redirect("arrivals:notice", pk=notice.pk)
    return render(
        request,
        "arrivals/notice_arrive.html",
        {"notice": notice, "form": form, "expected": expected},
        status=400 if request.method == "POST" else 200,
    )

"""Pages for passes and gates: the pass list and its forms, printable cards, gates with their
per-hour counts, the check log (denials by reason, night checks), a person's movements
(audited), referrals for the community, visitors; and the guard's phone page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fangkong.access import selectors, services
from fangkong.access.models import (
    Gate,
    GateCheck,
    GateKind,
    GateReferral,
    Pass,
    PassKind,
    PassStatus,
    Reason,
    ReferralStatus,
    Visit,
    VisitKind,
    VisitReason,
)
from fangkong.access.module import AccessCapability
from fangkong.areas.models import Area
from fangkong.areas.selectors import living_areas_visible_to
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.audit.services import audit_view_record
from fangkong.core.dates import parse_day
from fangkong.core.forms import bootstrap, put_errors
from fangkong.core.ids import parse_id
from fangkong.core.qr import qr_svg
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.registry.models import Person
from fangkong.registry.people.services import people_find_by_document

PRINT_LIMIT = 400
CARDS_PER_SHEET = 8  # 2 × 4 on A4, each 85.6 × 54 mm (ID-1, the size of a bank card)


def _living_areas(user: Any) -> Any:
    return living_areas_visible_to(user)


# --- passes ------------------------------------------------------------------------------
@capability_required(AccessCapability.PASSES_VIEW)
def pass_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    status = request.GET.get("status", "")
    qs = selectors.passes_list(
        user=user,
        status=status if status in PassStatus.values else "",
        q=request.GET.get("q", ""),
        area=request.GET.get("area", ""),
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for p in page:
        p.effective = selectors.effective_status(p, today)  # type: ignore[attr-defined]
    return render(
        request,
        "access/pass_list.html",
        {
            "page": page,
            "status": status,
            "statuses": PassStatus.choices,
            "areas": _living_areas(user),
            "can_issue": user.can(AccessCapability.PASSES_ISSUE),
        },
    )


class IssueForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("通行片区"), queryset=Area.objects.none(), to_field_name="code"
    )
    kind = forms.ChoiceField(label=_("类别"), choices=PassKind.choices, initial=PassKind.RESIDENT)
    valid_until = forms.DateField(
        label=_("有效期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("临时出入证必填"),
    )
    verified = forms.BooleanField(label=_("已当面核验本人身份证件"), required=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _living_areas(user)  # type: ignore[attr-defined]
        bootstrap(self)


def _candidates(request: HttpRequest, q: str) -> list[Person]:
    """People to pick from: by exact document number (audited) or by name."""
    user: Any = request.user
    q = q.strip()
    if not q:
        return []
    if len(q) >= 15 and q[:17].isdigit():
        return list(
            people_find_by_document(
                actor=user, document_type="resident_id", number=q, request=request
            ).select_related("area")[:20]
        )
    return list(
        Person.objects.visible_to(user)
        .active()
        .filter(name__startswith=q)
        .select_related("area")[:30]
    )


@capability_required(AccessCapability.PASSES_ISSUE)
def pass_new(request: HttpRequest) -> HttpResponse:
    """办理出入证: find the person, check their document in person, pick the zone and kind."""
    user: Any = request.user
    q = request.GET.get("q", "")
    person = None
    pid = request.POST.get("person") or request.GET.get("person")
    person_pk = parse_id(pid)
    if person_pk is not None:
        person = get_visible_or_404(Person.objects.active(), user, pk=person_pk)
    initial: dict[str, Any] = {}
    if person is not None:
        initial["area"] = person.area.code
    form = IssueForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and person is not None and form.is_valid():
        data = form.cleaned_data
        try:
            gate_pass = services.pass_issue(
                actor=user,
                person=person,
                area=data["area"],
                kind=data["kind"],
                valid_until=data["valid_until"],
                verified=data["verified"],
            )
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(
                request,
                gettext("已为 %(name)s 办理出入证 %(number)s")
                % {"name": person.name, "number": gate_pass.number_display},
            )
            return redirect("access:pass", pk=gate_pass.pk)
    return render(
        request,
        "access/pass_new.html",
        {"q": q, "candidates": _candidates(request, q), "person": person, "form": form},
    )


@capability_required(AccessCapability.PASSES_VIEW)
def pass_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    gate_pass = get_visible_or_404(
        Pass.objects.select_related("person", "area", "replaced_by", "issued_by"), user, pk=pk
    )
    checks = (  # through the (person, at) index: the holder's checks with this pass
        GateCheck.objects.filter(person_id=gate_pass.person_id, gate_pass=gate_pass)
        .select_related("gate")
        .order_by("-at")[:20]
    )
    return render(
        request,
        "access/pass_detail.html",
        {
            "p": gate_pass,
            "effective": selectors.effective_status(gate_pass, timezone.localdate()),
            "checks": checks,
            "replaces": Pass.objects.filter(replaced_by=gate_pass).first(),
            "can_issue": user.can(AccessCapability.PASSES_ISSUE),
            "qr": _qr(gate_pass.token, scale=4),
        },
    )


ACTIONS: dict[str, tuple[Callable[..., Pass], Any]] = {
    "replace": (services.pass_replace, _("已补办新证，旧证立即作废")),
    "suspend": (services.pass_suspend, _("已暂停使用")),
    "reactivate": (services.pass_reactivate, _("已恢复使用")),
    "revoke": (services.pass_revoke, _("已作废")),
}


@require_POST
@capability_required(AccessCapability.PASSES_ISSUE)
def pass_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: Any = request.user
    gate_pass = get_visible_or_404(Pass, user, pk=pk)
    if action not in ACTIONS:
        raise PermissionDenied
    service, done = ACTIONS[action]
    kwargs: dict[str, Any] = {"actor": user, "gate_pass": gate_pass}
    if action != "reactivate":
        kwargs["reason"] = request.POST.get("reason", "")
    try:
        result = service(**kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("access:pass", pk=pk)
    messages.success(request, str(done))
    return redirect("access:pass", pk=result.pk)


def _qr(token: str, *, scale: int = 3) -> SafeString:
    return qr_svg(token, scale=scale, border=1)


@capability_required(AccessCapability.PASSES_VIEW)
def pass_print(request: HttpRequest) -> HttpResponse:
    """Pass cards, 8 per A4 sheet (cut along the lines): photo box, name, zone, number, QR.
    Pick passes with ?ids=1&ids=2 (from the list) or a whole zone with ?area=CODE."""
    user: Any = request.user
    qs = Pass.objects.visible_to(user).select_related("person", "area", "area__parent")
    qs = qs.filter(status__in=[PassStatus.ACTIVE, PassStatus.SUSPENDED])
    ids = [i for i in map(parse_id, request.GET.getlist("ids")) if i is not None]
    if ids:
        qs = qs.filter(pk__in=ids)
    elif request.GET.get("area"):
        qs = qs.filter(area__code=request.GET["area"])
    else:
        qs = qs.none()
    cards = [
        {"p": p, "qr": _qr(p.token)}
        for p in qs.order_by("area__path", "person__name")[:PRINT_LIMIT]
    ]
    sheets = [cards[i : i + CARDS_PER_SHEET] for i in range(0, len(cards), CARDS_PER_SHEET)]
    return render(
        request,
        "access/pass_print.html",
        {"sheets": sheets, "count": len(cards), "limit": PRINT_LIMIT},
    )


# --- gates and the log -------------------------------------------------------------------
class GateForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("所在社区/片区"), queryset=Area.objects.none(), to_field_name="code"
    )
    name = forms.CharField(label=_("名称"), max_length=60)
    kind = forms.ChoiceField(label=_("类型"), choices=GateKind.choices)
    opens = forms.ModelMultipleChoiceField(
        label=_("可进入的片区（不选即所在区域）"),
        queryset=Area.objects.none(),
        to_field_name="code",
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("area", "opens"):
            self.fields[name].queryset = _living_areas(user)  # type: ignore[attr-defined]
        bootstrap(self)


@capability_required(AccessCapability.PASSES_VIEW)
def gate_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    day = parse_day(request.GET.get("date"))
    can_edit = user.can(AccessCapability.PASSES_ISSUE)
    form = GateForm(request.POST or None, user=user) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                gate = services.gate_create(
                    actor=user,
                    area=data["area"],
                    name=data["name"],
                    kind=data["kind"],
                    opens=list(data["opens"]),
                )
            except ValidationError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, gettext("已设立门岗 %(name)s") % {"name": gate.name})
                return redirect("access:gates")
    summary = selectors.checks_day(user=user, day=day)
    return render(
        request,
        "access/gate_list.html",
        {"s": summary, "day": day, "form": form, "reasons": _reason_rows(summary.by_reason)},
    )


def _reason_rows(by_reason: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(code, str(Reason(code).label), n) for code, n in by_reason.items()]


@capability_required(AccessCapability.PASSES_VIEW)
def gate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    gate = get_visible_or_404(Gate.objects.select_related("area"), request.user, pk=pk)
    day = parse_day(request.GET.get("date"))
    data = selectors.gate_hourly(gate=gate, day=day)
    peak = max((h["total"] for h in data.hours), default=0) or 1
    return render(
        request,
        "access/gate_detail.html",
        {
            "d": data,
            "gate": gate,
            "day": day,
            "peak": peak,
            "reasons": _reason_rows(data.by_reason),
        },
    )


@capability_required(AccessCapability.PASSES_VIEW)
def check_list(request: HttpRequest) -> HttpResponse:
    """The log of one day: all, denials (by reason), night checks, one gate."""
    user: Any = request.user
    qs = selectors.checks_filtered(user=user, params=request.GET)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "access/check_list.html",
        {
            "page": page,
            "day": parse_day(request.GET.get("date")),
            "reasons": Reason.choices,
            "gates": selectors.gates_list(user=user),
            "params": request.GET,
        },
    )


@capability_required(AccessCapability.PASSES_VIEW)
def movements(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a person went in and out: a read of a personal record, so it is audited."""
    person = get_visible_or_404(Person.objects.select_related("area"), request.user, pk=pk)
    audit_view_record(actor=request.user, obj=person, request=request, detail="查看出入记录")
    return render(
        request,
        "access/movements.html",
        {
            "person": person,
            "checks": selectors.movements(person=person),
            "passes": person.passes.select_related("area").order_by("-issued_at"),
        },
    )


# --- referrals and visits ------------------------------------------------------------------
@capability_required(AccessCapability.PASSES_VIEW)
def referral_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    state = request.GET.get("state", "open")
    page = Paginator(selectors.referrals_list(user=user, state=state), 50).get_page(
        request.GET.get("page")
    )
    for r in page:
        params = {"area": r.area.code, "referral": str(r.pk)}
        r.register_url = f"{reverse('arrivals:unannounced-new')}?{urlencode(params)}"  # type: ignore[attr-defined]
    return render(
        request,
        "access/referral_list.html",
        {
            "page": page,
            "state": state,
            "can_handle": user.can(ArrivalsCapability.CHANGE),
            "open": ReferralStatus.OPEN,
        },
    )


@require_POST
@capability_required(AccessCapability.PASSES_VIEW)
def referral_handle(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_visible_or_404(GateReferral, request.user, pk=pk)
    try:
        services.referral_handle(
            actor=request.user, referral=referral, handling=request.POST.get("handling", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext("已记录处理情况"))
    return redirect("access:referrals")


@capability_required(AccessCapability.PASSES_VIEW)
def visit_list(request: HttpRequest) -> HttpResponse:
    day = parse_day(request.GET.get("date"))
    page = Paginator(selectors.visits_list(user=request.user, day=day), 100).get_page(
        request.GET.get("page")
    )
    return render(request, "access/visit_list.html", {"page": page, "day": day})


# --- the guard's phone pages -----------------------------------------------------------------
@capability_required(AccessCapability.GATE_CHECK)
def gate_page(request: HttpRequest) -> HttpResponse:
    """The guard's page: tiny, no framework; the scanner loads only when the camera is used."""
    gates = list(Gate.objects.visible_to(request.user).filter(active=True).select_related("area"))
    return render(
        request,
        "access/gate.html",
        {
            "gates": gates,
            "reasons": {code: str(label) for code, label in Reason.choices},
            "texts": _gate_texts(),
            # The posts' sign-in sheet (duty, a module above; its capability by name).
            "duty_sign": request.user.can("duty.sign"),  # type: ignore[union-attr]
        },
    )


def _gate_texts() -> dict[str, str]:
    """What the page's script shows, in the reader's language (placeholders filled there)."""
    return {
        "check": gettext("查验"),
        "checking": gettext("查验中…"),
        "login": gettext("登录已过期或无权查验，请重新登录后再试。"),
        "error": gettext("出错了（%(status)s），请重试"),
        "retrying": gettext("网络较慢，正在重试（第 %(attempt)s 次）…"),
        "offline": gettext("网络不通：请点“查验”重试（不会重复记录）。"),
        "admit": gettext("通行"),
        "deny": gettext("禁止通行"),
        "sep": gettext("、"),
        "refer": gettext("转社区处理"),
        "no_temperature": gettext("请先输入体温"),
        "no_number": gettext("请扫码或输入出入证号"),
        "sending": gettext("发送中…"),
        "referred": gettext("已转社区，请向本人解释政策"),
        "not_sent": gettext("未能发送，请重试"),
        "send_offline": gettext("网络不通，请重试"),
        "scan_temperature": gettext("请先输入体温，再扫码"),
        "opening_camera": gettext("正在打开摄像头…"),
        "no_camera": gettext("无法打开摄像头（需要 https 和摄像头权限）：请手动输入证号。"),
    }


class VisitForm(forms.Form):
    gate = forms.ModelChoiceField(
        label=_("门岗"),
        queryset=Gate.objects.none(),
        empty_label=_("请选择门岗"),
        error_messages={"required": _("请选择门岗"), "invalid_choice": _("请选择门岗")},
    )
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=VisitKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择访客或快递外卖")},
    )
    reason = forms.ChoiceField(
        label=_("事由"), choices=VisitReason.choices, error_messages={"required": _("请选择事由")}
    )
    name = forms.CharField(
        label=_("姓名"), max_length=50, error_messages={"required": _("请填写姓名")}
    )
    phone = forms.CharField(
        label=_("电话"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    destination = forms.CharField(label=_("去往（楼院、住户）"), max_length=100, required=False)
    plate = forms.CharField(label=_("车牌"), max_length=16, required=False)
    # Text, read by the service like the gate check reads it: "36.5", "36,5", "36。5".
    temperature = forms.CharField(
        label=_("体温（°C）"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": _("请填写体温")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        gates = Gate.objects.visible_to(user).filter(active=True)
        field: Any = self.fields["gate"]
        field.queryset = gates
        first_two = list(gates[:2])
        if len(first_two) == 1:  # the guard's own post: nothing to choose
            field.empty_label = None
            self.initial.setdefault("gate", first_two[0].pk)
        # The reasons listed are those of the kind chosen (the page swaps them when the
        # kind changes); any reason stays valid here and the service says which fit.
        kind = self["kind"].value()
        if kind in VisitKind.values:
            self.fields["reason"].widget.choices = _reason_choices(kind)


def _reason_choices(kind: str) -> list[tuple[str, str]]:
    return [(r, str(VisitReason(r).label)) for r in services.visit_reasons(kind)]


@capability_required(AccessCapability.GATE_CHECK)
def gate_visit(request: HttpRequest) -> HttpResponse:
    """访客 / 快递外卖: register at the gate; the policy in force admits or denies. After a
    registration the page comes back empty for the next one, with the decision on top."""
    user: Any = request.user
    visit = None
    shown = request.GET.get("visit", "")  # the one just registered (POST, redirect, GET)
    shown_pk = parse_id(shown) if request.method == "GET" else None
    if shown_pk is not None:
        visit = Visit.objects.visible_to(user).filter(pk=shown_pk).first()
    initial: dict[str, Any] = {"kind": VisitKind.VISITOR}
    if visit is not None:  # the next one comes to the same gate, often of the same kind
        initial.update(gate=visit.gate_id, kind=visit.kind)
    form = VisitForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_register(
                actor=user,
                gate=data["gate"],
                kind=data["kind"],
                reason=data["reason"],
                name=data["name"],
                phone=data["phone"],
                destination=data["destination"],
                plate=data["plate"],
                temperature=data["temperature"],
            )
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            return redirect(f"{reverse('access:gate-visit')}?{urlencode({'visit': visit.pk})}")
    reasons = {kind: _reason_choices(kind) for kind in VisitKind.values}
    return render(
        request, "access/gate_visit.html", {"form": form, "visit": visit, "reasons": reasons}
    )

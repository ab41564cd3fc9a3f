"""Party pages: my organisations with the day's figures, one organisation (its children,
members, donations, batches), recording, reversing, remitting and receiving, the
reconciliation, A4 receipts and remittance slips, the Excel export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fangkong.core.dates import parse_day
from fangkong.core.errors import Conflict
from fangkong.core.forms import put_errors
from fangkong.core.scoping import get_visible_or_404, is_visible
from fangkong.core.views import capability_required
from fangkong.party import imports, selectors, services
from fangkong.party.exports import summary_workbook
from fangkong.party.forms import (
    DonationForm,
    MemberAddForm,
    OrgForm,
    ReceiveForm,
    RemitForm,
    service_errors,
)
from fangkong.party.models import Donation, DonationImport, Organisation, OrgKind, Remittance
from fangkong.party.module import PartyCapability
from fangkong.party.money import yuan


def _org(request: HttpRequest, pk: int) -> Organisation:
    return get_visible_or_404(
        Organisation.objects.select_related("area", "parent", "treasurer"), request.user, pk=pk
    )


@capability_required(PartyCapability.VIEW)
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    on = parse_day(request.GET.get("date"))
    tops = [selectors.summary(org, on) for org in selectors.top_orgs(user)]
    return render(
        request,
        "party/home.html",
        {
            "tops": tops,
            "on": on,
            "pending": selectors.to_receive(user).count(),
            "can_manage": user.can(PartyCapability.MANAGE),
        },
    )


def _org_context(request: HttpRequest, org: Organisation, **extra: Any) -> dict[str, Any]:
    user: Any = request.user
    on = parse_day(request.GET.get("date"))
    can_record = user.can(PartyCapability.RECORD)
    is_branch = org.kind == OrgKind.BRANCH
    donations = selectors.donations_visible(user).filter(branch__path__startswith=org.path)
    page = Paginator(donations.filter(on=on), 50).get_page(request.GET.get("page"))
    context = {
        "org": org,
        # The level above is named on the page; linked only where the user may open it.
        "parent_visible": org.parent is not None and is_visible(org.parent, user),
        "on": on,
        "figures": selectors.summary(org, on),
        "position": selectors.org_position(org),
        "can_record": can_record,
        "can_manage": user.can(PartyCapability.MANAGE),
        "is_branch": is_branch,
        "page": page,
        "members": org.members.filter(active=True).select_related("person") if is_branch else [],
        "sent": org.sent.select_related("to_org").order_by("-sent_on", "-pk")[:20],
        "incoming": org.incoming.select_related("from_org").order_by("-sent_on", "-pk")[:50],
    }
    if can_record:
        context.setdefault("donation_form", DonationForm(branch=org) if is_branch else None)
        context.setdefault("remit_form", RemitForm() if org.parent_id else None)
    context.update(extra)
    return context


@capability_required(PartyCapability.MANAGE)
def org_new(request: HttpRequest) -> HttpResponse:
    """A new organisation under a parent (`?parent=`), placed in an area, with its
    treasurer: the same service as POST /api/v1/party/orgs/."""
    user: Any = request.user
    given = request.GET.get("parent", "")
    parent = _org(request, int(given)) if given.isdigit() else None
    form = OrgForm(request.POST or None, user=user, parent=parent)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                org = services.org_create(
                    actor=user,
                    name=data["name"],
                    kind=data["kind"],
                    area=data["area"],
                    parent=data["parent"],
                    treasurer=data["treasurer"],
                )
            except (ValidationError, Conflict) as exc:
                service_errors(form, exc)
            else:
                messages.success(request, gettext("已建立 %(name)s") % {"name": org.name})
                return redirect("party:org", pk=org.pk)
        return render(request, "party/org_new.html", {"form": form, "parent": parent}, status=400)
    return render(request, "party/org_new.html", {"form": form, "parent": parent})


@capability_required(PartyCapability.VIEW)
def members(request: HttpRequest, pk: int) -> HttpResponse:
    """A branch's roll; who may manage adds a registered person by their document: the
    same service as POST /api/v1/party/members/."""
    user: Any = request.user
    org = _org(request, pk)
    if org.kind != OrgKind.BRANCH:
        raise Http404
    can_manage = user.can(PartyCapability.MANAGE)
    form = MemberAddForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = services.member_add_by_document(
                    actor=user,
                    branch=org,
                    document_type=data["document_type"],
                    document_number=data["document_number"],
                    joined_on=data["joined_on"],
                )
            except (ValidationError, Conflict) as exc:
                service_errors(form, exc, {"person": "document_number"})
            else:
                messages.success(
                    request,
                    gettext("已把 %(name)s 编入 %(branch)s")
                    % {"name": member.person.name, "branch": org.name},
                )
                return redirect("party:members", pk=org.pk)
        status = 400
    roll = selectors.members_visible(user).filter(branch=org).select_related("person")
    return render(
        request,
        "party/members.html",
        {"org": org, "members": roll, "form": form, "can_manage": can_manage},
        status=status,
    )


@capability_required(PartyCapability.VIEW)
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "party/org.html", _org_context(request, _org(request, pk)))


@require_POST
@capability_required(PartyCapability.RECORD)
def donation_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk)
    form = DonationForm(request.POST, branch=org)
    if form.is_valid():
        data = form.cleaned_data
        try:
            donation = services.donation_record(
                actor=request.user,
                member=data["member"],
                amount=data["amount"],
                channel=data["channel"],
                receipt_no=data["receipt_no"],
                on=data["on"],
                note=data["note"],
            )
        except ValidationError as exc:
            put_errors(form, exc, {"on": "on"})
        except Conflict as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
        else:
            message = gettext("已登记 %(name)s 捐款 %(amount)s 元") % {
                "name": donation.member.person.name,
                "amount": yuan(donation.amount),
            }
            if donation.above_suggested:
                message += gettext("（超过建议金额，已标记）")
            messages.success(request, message)
            return redirect("party:org", pk=org.pk)
    context = _org_context(request, org, donation_form=form)
    return render(request, "party/org.html", context, status=400)


@require_POST
@capability_required(PartyCapability.RECORD)
def donation_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    donation = get_visible_or_404(Donation.objects.select_related("branch"), request.user, pk=pk)
    try:
        services.donation_reverse(
            actor=request.user, donation=donation, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except Conflict as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, gettext("已冲销"))
    return redirect("party:org", pk=donation.branch_id)


@require_POST
@capability_required(PartyCapability.RECORD)
def remit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk)
    form = RemitForm(request.POST)
    if form.is_valid():
        try:
            batch = services.remittance_send(
                actor=request.user,
                org=org,
                amount=form.cleaned_data["amount"],
                sent_on=form.cleaned_data["sent_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            put_errors(form, exc, {"org": "amount"})
        except Conflict as exc:
            form.add_error("amount", exc.reason)
        else:
            messages.success(
                request,
                gettext("已上缴 %(amount)s 元，单号 %(number)s")
                % {"amount": yuan(batch.amount), "number": batch.number},
            )
            return redirect("party:org", pk=org.pk)
    return render(
        request, "party/org.html", _org_context(request, org, remit_form=form), status=400
    )


@capability_required(PartyCapability.VIEW)
def remittances(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.GET.get("differs") == "1":
        batches = selectors.received_with_difference(user)
    elif request.GET.get("pending") == "1":
        batches = selectors.to_receive(user)
    else:
        batches = selectors.remittances_visible(user)
    page = Paginator(batches.order_by("-sent_on", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "party/remittances.html",
        {"page": page, "form": ReceiveForm(), "can_record": user.can(PartyCapability.RECORD)},
    )


@require_POST
@capability_required(PartyCapability.RECORD)
def receive(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_visible_or_404(
        Remittance.objects.select_related("to_org__area"), request.user, pk=pk
    )
    amount = request.POST.get("received_amount", "").strip() or None
    try:
        services.remittance_receive(
            actor=request.user,
            remittance=batch,
            received_amount=amount,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except Conflict as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, gettext("已登记接收 %(number)s") % {"number": batch.number})
    return redirect(request.POST.get("next") or "party:remittances")


@capability_required(PartyCapability.VIEW)
def reconciliation(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk)
    levels = selectors.reconciliation(org)
    return render(
        request,
        "party/reconciliation.html",
        {"org": org, "levels": levels, "differences": sum(len(lv.differences) for lv in levels)},
    )


@capability_required(PartyCapability.VIEW)
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    donation = get_visible_or_404(
        Donation.objects.select_related("branch__parent", "member__person", "by"),
        request.user,
        pk=pk,
    )
    return render(request, "party/receipt.html", {"d": donation})


@capability_required(PartyCapability.VIEW)
def slip(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_visible_or_404(
        Remittance.objects.select_related("from_org", "to_org", "sent_by", "received_by"),
        request.user,
        pk=pk,
    )
    return render(request, "party/slip.html", {"b": batch})


@capability_required(PartyCapability.VIEW)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk)
    on = parse_day(request.GET.get("date"))
    return summary_workbook(request, org, on)


@capability_required(PartyCapability.RECORD)
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = gettext("请选择 Excel 文件")
        else:
            try:
                job = imports.import_read(
                    actor=request.user, org=org, file=upload, name=upload.name or ""
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return redirect("party:import-detail", pk=job.pk)
    return render(
        request, "party/import.html", {"org": org, "error": error}, status=400 if error else 200
    )


def _job(request: HttpRequest, pk: int) -> DonationImport:
    return get_visible_or_404(DonationImport.objects.select_related("org"), request.user, pk=pk)


@capability_required(PartyCapability.RECORD)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "party/import_detail.html", {"job": job, "org": job.org})


@require_POST
@capability_required(PartyCapability.RECORD)
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        job = imports.import_confirm(
            actor=request.user, job=job, partial=request.POST.get("partial") == "1"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("party:import-detail", pk=job.pk)
    except Conflict as exc:
        messages.error(request, exc.reason)
        return redirect("party:import-detail", pk=job.pk)
    messages.success(
        request,
        gettext("已登记 %(n)s 笔，共 %(amount)s 元")
        % {"n": job.recorded, "amount": yuan(job.valid_amount)},
    )
    return redirect("party:org", pk=job.org_id)


@capability_required(PartyCapability.RECORD)
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    response = HttpResponse(
        imports.error_report(job),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename=party-import-{job.pk}-errors.xlsx"
    return response
